//! What the model-backed agents (Bedrock, `AGENT=openai`) remember between turns of one
//! conversation, typed: the conversation as a Chat Completions model sees it, the tool calls
//! waiting for the user's confirmation, and which Bedrock session was last seeded. Kept inside
//! `AgentMemory` under the same JSON names as before, so saved conversations read as they are.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelMemory {
    /// The conversation as a Chat Completions model sees it (user, assistant with tool
    /// calls, tool results), bounded by the agent (`AGENT=openai`).
    #[serde(
        default,
        rename = "model_messages",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub messages: Vec<ModelMessage>,
    /// Tool calls a model asked for that wait for the user's confirmation (a delete).
    /// Boxed: the memory travels inside every running turn, and this is rarely set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_confirmation: Option<Box<PendingToolConfirmation>>,
    /// The conversation's `agent_epoch` that an agent with its own memory (Bedrock) was last
    /// given the transcript for.
    #[serde(default)]
    pub seeded_epoch: u32,
}

/// One message of a Chat Completions conversation, in that API's own JSON form (so it is
/// sent as stored; the system prompt is not stored, it is written for each turn).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "lowercase")]
pub enum ModelMessage {
    User {
        content: String,
    },
    Assistant {
        /// `null` when the model only called tools.
        content: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        tool_calls: Vec<ModelToolCall>,
    },
    /// A tool's result, answering the call with this id.
    Tool {
        tool_call_id: String,
        content: String,
    },
}

impl ModelMessage {
    pub fn is_user(&self) -> bool {
        matches!(self, Self::User { .. })
    }
}

/// A function call a model made, in Chat Completions form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelToolCall {
    pub id: String,
    #[serde(rename = "type", default)]
    pub kind: ToolCallKind,
    pub function: FunctionCall,
}

impl ModelToolCall {
    pub fn new(id: String, name: String, arguments: String) -> Self {
        Self {
            id,
            kind: ToolCallKind::Function,
            function: FunctionCall { name, arguments },
        }
    }
}

/// The only kind of tool call Chat Completions has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ToolCallKind {
    #[default]
    Function,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionCall {
    pub name: String,
    /// The arguments as the model wrote them: JSON text, kept as text because it is the
    /// model's output, parsed (and refused with a sentence if it is not a JSON object) only
    /// when the call runs, and sent back to the model exactly as it wrote it.
    pub arguments: String,
}

/// Tool calls held until the user answers the `confirm` event with `action_id`; nothing of
/// the batch runs before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "agent", rename_all = "lowercase")]
pub enum PendingToolConfirmation {
    /// Bedrock's return-control request: answered with its invocation id, which is also the
    /// confirmation's action id.
    Bedrock {
        invocation_id: String,
        invocations: Vec<BedrockInvocation>,
    },
    /// The calls of one model answer (their results go back to the model).
    OpenAi {
        action_id: String,
        calls: Vec<ModelToolCall>,
    },
}

impl PendingToolConfirmation {
    /// The id the user's `confirm` answer must carry.
    pub fn action_id(&self) -> &str {
        match self {
            Self::Bedrock { invocation_id, .. } => invocation_id,
            Self::OpenAi { action_id, .. } => action_id,
        }
    }
}

/// A function the Bedrock agent asked us to run (return control).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BedrockInvocation {
    pub action_group: String,
    pub function: String,
    /// Name and value, as Bedrock sends them (text).
    pub parameters: Vec<(String, String)>,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// Conversations saved before the memory was typed (`model_messages` as raw JSON,
    /// `seeded_epoch`) read into the typed form, and write back the same JSON.
    #[test]
    fn a_memory_saved_as_raw_json_reads_typed() {
        let saved = json!({
            "model_messages": [
                {"role": "user", "content": "delete the milk"},
                {"role": "assistant", "content": null, "tool_calls": [
                    {"id": "c1", "type": "function",
                     "function": {"name": "deleteTodo", "arguments": "{\"id\":\"x\"}"}}]},
                {"role": "tool", "tool_call_id": "c1", "content": "Deleted."},
                {"role": "assistant", "content": "Done."},
            ],
            "seeded_epoch": 2,
        });
        let memory: ModelMemory = serde_json::from_value(saved.clone()).unwrap();
        assert_eq!(memory.seeded_epoch, 2);
        assert_eq!(
            memory.messages[1],
            ModelMessage::Assistant {
                content: None,
                tool_calls: vec![ModelToolCall::new(
                    "c1".into(),
                    "deleteTodo".into(),
                    "{\"id\":\"x\"}".into()
                )],
            }
        );
        assert_eq!(serde_json::to_value(&memory).unwrap(), saved);
    }

    #[test]
    fn a_pending_confirmation_round_trips_with_its_agent_named() {
        let pending = PendingToolConfirmation::Bedrock {
            invocation_id: "inv-1".into(),
            invocations: vec![BedrockInvocation {
                action_group: "todos".into(),
                function: "deleteTodo".into(),
                parameters: vec![("id".into(), "x".into())],
            }],
        };
        let value = serde_json::to_value(&pending).unwrap();
        assert_eq!(value["agent"], "bedrock");
        let back: PendingToolConfirmation = serde_json::from_value(value).unwrap();
        assert_eq!(back.action_id(), "inv-1");
        assert_eq!(back, pending);
    }
}
