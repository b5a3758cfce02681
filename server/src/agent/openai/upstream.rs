//! One streamed Chat Completions call: the request, the HTTP failures mapped to the chat's
//! `error` events (which ones a retry may fix), and the stream read as it arrives: text
//! deltas relayed as `chunk` events at once, tool calls assembled, usage added up. A stream
//! that ends without `[DONE]` (or a finish reason) was cut, and says so.

use std::time::{Duration, Instant};

use app::wire::chat::{ChatEvent, Usage};
use serde_json::{Value, json};

use super::sse::{AssembledCall, CallAssembler, Chunk, Line, SseDecoder};
use crate::{
    agent::{AgentError, EventSink},
    config::OpenAiSettings,
    domain::ErrorKind,
};

/// What one model call produced.
pub struct Round {
    pub text: String,
    pub calls: Vec<AssembledCall>,
}

/// Timing of the turn, for its log line.
pub struct Clock {
    pub started: Instant,
    pub first_chunk: Option<Duration>,
}

/// An HTTP answer other than 200, as the user reads it. The body is logged, never shown.
fn refused(settings: &OpenAiSettings, status: u16, retry_after: Option<u64>) -> AgentError {
    match status {
        401 | 403 => AgentError::new(
            ErrorKind::ModelAuth,
            "The model server refused our credentials; the operator must check OPENAI_API_KEY.",
        ),
        404 => AgentError::new(
            ErrorKind::ModelNotFound,
            format!(
                "The model server does not have the model “{}”.",
                settings.model
            ),
        ),
        429 => AgentError::new(
            ErrorKind::UpstreamBusy,
            match retry_after {
                Some(seconds) => {
                    format!("The model is busy; please try again in {seconds} s.")
                }
                None => "The model is busy; please try again in a moment.".into(),
            },
        ),
        400 | 413 | 422 => AgentError::new(
            ErrorKind::Invalid,
            "The model server could not process this conversation.",
        ),
        500..=599 => AgentError::new(
            ErrorKind::UpstreamFailed,
            "The model server failed; please try again.",
        ),
        _ => AgentError::new(
            ErrorKind::UpstreamFailed,
            format!("The model server answered HTTP {status}; please try again."),
        ),
    }
}

pub fn request_body(settings: &OpenAiSettings, messages: &[Value], tools: &Value) -> Value {
    let mut body = json!({
        "model": settings.model,
        "messages": messages,
        "tools": tools,
        "stream": true,
        "stream_options": {"include_usage": true},
    });
    if let Some(t) = settings.temperature {
        body["temperature"] = json!(t);
    }
    body
}

/// Sends `body` and reads the streamed answer, relaying text as it comes.
pub async fn complete(
    http: &reqwest::Client,
    settings: &OpenAiSettings,
    body: &Value,
    events: &EventSink,
    usage: &mut Usage,
    clock: &mut Clock,
) -> Result<Round, AgentError> {
    let mut request = http
        .post(format!("{}/chat/completions", settings.base_url))
        .header("Accept", "text/event-stream")
        .json(body);
    if let Some(key) = &settings.api_key {
        request = request.bearer_auth(key.expose());
    }
    let mut response = request.send().await.map_err(|e| {
        tracing::warn!(error = %e, "model server unreachable");
        AgentError::new(
            ErrorKind::ModelUnreachable,
            "The model server could not be reached; please try again.",
        )
    })?;
    let status = response.status().as_u16();
    if status != 200 {
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        let detail = response.text().await.unwrap_or_default();
        tracing::warn!(status, body = %detail.chars().take(500).collect::<String>(), "model server refused");
        return Err(refused(settings, status, retry_after));
    }
    let mut decoder = SseDecoder::default();
    let mut calls = CallAssembler::default();
    let mut text = String::new();
    let (mut done, mut finished) = (false, false);
    let cut = || {
        AgentError::new(
            ErrorKind::UpstreamCut,
            "The model's answer was cut off; please try again.",
        )
    };
    while !done {
        let Some(bytes) = response.chunk().await.map_err(|e| {
            tracing::warn!(error = %e, "model stream broke");
            cut()
        })?
        else {
            break;
        };
        for line in decoder.push(&bytes) {
            let data = match line {
                Line::Done => {
                    done = true;
                    break;
                }
                Line::Data(data) => data,
            };
            let chunk: Chunk = match serde_json::from_str(&data) {
                Ok(chunk) => chunk,
                Err(e) => {
                    tracing::warn!(error = %e, "model stream: a chunk that is not JSON, skipped");
                    continue;
                }
            };
            if let Some(error) = chunk.error {
                tracing::warn!(%error, "model stream reported an error");
                return Err(AgentError::new(
                    ErrorKind::UpstreamFailed,
                    "The model failed while answering; please try again.",
                ));
            }
            if let Some(reported) = chunk.usage {
                usage.input_tokens += reported.prompt_tokens;
                usage.output_tokens += reported.completion_tokens;
            }
            for choice in chunk.choices {
                finished |= choice.finish_reason.is_some();
                if let Some(delta) = choice.delta.content.filter(|c| !c.is_empty()) {
                    clock.first_chunk.get_or_insert(clock.started.elapsed());
                    text.push_str(&delta);
                    events.send(ChatEvent::Chunk { text: delta }).await;
                }
                for fragment in choice.delta.tool_calls {
                    calls.add(fragment);
                }
            }
        }
    }
    if !done && !finished {
        return Err(cut());
    }
    Ok(Round {
        text,
        calls: if calls.is_empty() {
            Vec::new()
        } else {
            calls.finish()
        },
    })
}
