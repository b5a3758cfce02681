//! Reading a streamed Chat Completions response: Server-Sent Events split into `data:`
//! payloads as bytes arrive (any chunking, `\r\n` or `\n`), each decoded leniently (servers
//! other than OpenAI's omit or add fields), and tool calls assembled from their fragments
//! (by `index`; the id and name come once, the arguments in pieces, several calls at once).

use serde::Deserialize;

/// One `data:` payload, or the end marker.
#[derive(Debug, Clone, PartialEq)]
pub enum Line {
    Data(String),
    Done,
}

/// Splits a byte stream into SSE `data:` payloads. Multi-line data is joined with `\n`;
/// comments (`:`), `event:`, `id:` and `retry:` lines are skipped.
#[derive(Default)]
pub struct SseDecoder {
    buffer: Vec<u8>,
    data: Vec<String>,
}

impl SseDecoder {
    pub fn push(&mut self, bytes: &[u8]) -> Vec<Line> {
        self.buffer.extend_from_slice(bytes);
        let mut lines = Vec::new();
        while let Some(end) = self.buffer.iter().position(|b| *b == b'\n') {
            let raw: Vec<u8> = self.buffer.drain(..=end).collect();
            let line = String::from_utf8_lossy(&raw);
            let line = line.trim_end_matches(['\n', '\r']);
            if line.is_empty() {
                if !self.data.is_empty() {
                    let payload = self.data.join("\n");
                    self.data.clear();
                    lines.push(if payload.trim() == "[DONE]" {
                        Line::Done
                    } else {
                        Line::Data(payload)
                    });
                }
            } else if let Some(value) = line.strip_prefix("data:") {
                self.data
                    .push(value.strip_prefix(' ').unwrap_or(value).to_owned());
            }
        }
        lines
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct Chunk {
    #[serde(default)]
    pub choices: Vec<Choice>,
    #[serde(default)]
    pub usage: Option<UsageReport>,
    /// Some servers report a failure inside the stream.
    #[serde(default)]
    pub error: Option<serde_json::Value>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Choice {
    #[serde(default)]
    pub delta: Delta,
    #[serde(default)]
    pub finish_reason: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Delta {
    #[serde(default)]
    pub content: Option<String>,
    #[serde(default)]
    pub tool_calls: Vec<ToolCallDelta>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ToolCallDelta {
    #[serde(default)]
    pub index: Option<usize>,
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub function: Option<FunctionDelta>,
}

#[derive(Debug, Default, Deserialize)]
pub struct FunctionDelta {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub arguments: Option<String>,
}

/// Token counts (any of them may be missing: some servers send `"usage": {}`).
#[derive(Debug, Default, Clone, Copy, Deserialize)]
pub struct UsageReport {
    #[serde(default)]
    pub prompt_tokens: u64,
    #[serde(default)]
    pub completion_tokens: u64,
}

/// A complete tool call, as the model asked for it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AssembledCall {
    pub id: String,
    pub name: String,
    pub arguments: String,
}

/// Tool calls built up from their streamed fragments, in the order of their `index`.
#[derive(Default)]
pub struct CallAssembler {
    calls: Vec<(usize, AssembledCall)>,
}

impl CallAssembler {
    pub fn add(&mut self, fragment: ToolCallDelta) {
        // A server that sends no index sends one call per fragment group: the last one.
        let index = fragment
            .index
            .unwrap_or_else(|| self.calls.last().map_or(0, |(i, _)| *i));
        let at = match self.calls.iter().position(|(i, _)| *i == index) {
            Some(at) => at,
            None => {
                self.calls.push((
                    index,
                    AssembledCall {
                        id: String::new(),
                        name: String::new(),
                        arguments: String::new(),
                    },
                ));
                self.calls.len() - 1
            }
        };
        let call = &mut self.calls[at].1;
        if let Some(id) = fragment.id.filter(|id| !id.is_empty()) {
            call.id = id;
        }
        if let Some(function) = fragment.function {
            if let Some(name) = function.name.filter(|n| !n.is_empty()) {
                call.name = name;
            }
            if let Some(arguments) = function.arguments {
                call.arguments.push_str(&arguments);
            }
        }
    }

    /// The calls, each with an id (made up when the server sent none).
    pub fn finish(mut self) -> Vec<AssembledCall> {
        self.calls.sort_by_key(|(i, _)| *i);
        self.calls
            .into_iter()
            .enumerate()
            .map(|(n, (_, mut call))| {
                if call.id.is_empty() {
                    call.id = format!("call_{n}");
                }
                call
            })
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.calls.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_lines_are_found_across_any_split_and_line_ending() {
        let stream = "data: {\"a\":1}\r\n\r\n: keep-alive\n\nevent: x\ndata: {\"b\":\ndata: 2}\n\ndata: [DONE]\n\n";
        for cut in 1..stream.len() {
            let mut decoder = SseDecoder::default();
            let mut lines = decoder.push(&stream.as_bytes()[..cut]);
            lines.extend(decoder.push(&stream.as_bytes()[cut..]));
            assert_eq!(
                lines,
                [
                    Line::Data("{\"a\":1}".into()),
                    Line::Data("{\"b\":\n2}".into()),
                    Line::Done
                ],
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn tool_calls_are_assembled_from_fragments_in_index_order() {
        let fragments = [
            r#"{"index":1,"id":"b","function":{"name":"getTodos","arguments":""}}"#,
            r#"{"index":0,"id":"a","function":{"name":"addTodo","arguments":"{\"ti"}}"#,
            r#"{"index":0,"function":{"arguments":"tle\":\"x\"}"}}"#,
            r#"{"index":1,"function":{"arguments":"{}"}}"#,
        ];
        let mut calls = CallAssembler::default();
        for fragment in fragments {
            calls.add(serde_json::from_str(fragment).unwrap());
        }
        let calls = calls.finish();
        assert_eq!(calls[0].name, "addTodo");
        assert_eq!(calls[0].arguments, r#"{"title":"x"}"#);
        assert_eq!(calls[1].id, "b");
        assert_eq!(calls[1].arguments, "{}");
    }

    #[test]
    fn chunks_from_lenient_servers_decode() {
        for text in [
            r#"{"choices":[{"delta":{"content":"hi"}}],"usage":{}}"#,
            r#"{"id":"x","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":null},"finish_reason":null,"logprobs":null}],"extra":1}"#,
            r#"{"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}"#,
        ] {
            let _: Chunk = serde_json::from_str(text).unwrap();
        }
    }
}
