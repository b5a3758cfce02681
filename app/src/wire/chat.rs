//! The chat protocol: what the browser sends (`ChatRequest`), the events the server streams
//! back (`ChatEvent`, the same JSON on SSE and WebSocket), and the stored transcript.

use serde::{Deserialize, Serialize};

use super::plan::PlanCard;

/// Longest message accepted, in characters.
pub const MESSAGE_MAX_CHARS: usize = 4_000;

/// Body of `POST /api/chat`, and each client frame on the WebSocket: either a message or the
/// answer to a confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ChatRequest {
    Message(MessageRequest),
    Confirm(ConfirmRequest),
    Regenerate(RegenerateRequest),
}

/// `{"regenerate": true}`: answer the last message again. The last reply is removed from
/// the transcript and from the agent's memory first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RegenerateRequest {
    pub regenerate: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MessageRequest {
    pub message: String,
    /// IANA zone such as `Europe/Berlin`; dates like "tomorrow" are resolved in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// Files dropped into the chat (ids from `POST /api/files`) that this message refers to,
    /// as in "attach this to my dentist todo".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub file_ids: Vec<String>,
    /// Replaces the last message sent (and its reply, in the transcript and in the agent's
    /// memory) with this one: edit and resend.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub edit: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfirmRequest {
    pub confirm: ConfirmAnswer,
    /// As with a message: the zone the confirmed action's replies speak in ("due today").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfirmAnswer {
    pub action_id: String,
    pub approve: bool,
}

/// One streamed event. On SSE: `event: <type>` and `data: <this JSON>`; on the WebSocket:
/// one frame of this JSON. The `type` names are the SSE event names. Read by hand
/// (`chat_event_de.rs`): the same JSON, a fraction of the wasm.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(
    tag = "type",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub enum ChatEvent {
    Session {
        session_id: String,
        resumed: bool,
    },
    Chunk {
        text: String,
    },
    Tool {
        name: String,
        status: ToolStatus,
        summary: String,
        /// The todo this call deleted: restorable with `POST /api/todos/{id}/restore`
        /// while its restore window is open (the card's Undo).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        deleted_todo_id: Option<String>,
        /// The change this call made to a todo: `POST /api/chat/undo` with it puts the todo
        /// back as it was (the card's Undo).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        change_id: Option<String>,
    },
    TodosChanged {
        ids: Vec<String>,
    },
    Confirm {
        action_id: String,
        prompt: String,
    },
    /// A proposal of many changes (a plan card): applied or discarded with
    /// `POST /api/chat/plan`. Boxed: the other events stay small.
    Plan(Box<PlanCard>),
    Done {
        usage: Usage,
    },
    Error {
        code: String,
        message: String,
        retryable: bool,
    },
}

impl ChatEvent {
    pub fn name(&self) -> &'static str {
        match self {
            Self::Session { .. } => "session",
            Self::Chunk { .. } => "chunk",
            Self::Tool { .. } => "tool",
            Self::TodosChanged { .. } => "todos_changed",
            Self::Confirm { .. } => "confirm",
            Self::Plan(_) => "plan",
            Self::Done { .. } => "done",
            Self::Error { .. } => "error",
        }
    }

    /// `done` and `error` end a stream.
    pub fn is_terminal(&self) -> bool {
        matches!(self, Self::Done { .. } | Self::Error { .. })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ToolStatus {
    Started,
    Succeeded,
    Failed,
}

/// Cost of a turn. The LocalAgent counts words as tokens; Bedrock reports real tokens.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Usage {
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub tool_calls: u32,
}

/// `GET /api/chat/history`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChatHistory {
    /// `null` when there is no live session (a message starts one).
    pub session_id: Option<String>,
    pub messages: Vec<ChatMessage>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChatMessage {
    pub role: ChatRole,
    /// Markdown for the assistant, plain text for the user.
    pub text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<ToolCard>,
    /// A confirmation still waiting for an answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirm: Option<PendingConfirm>,
    /// A plan the reply proposed, and once answered what was applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<Box<PlanCard>>,
    /// Names of the files a user message carried (shown as chips in the transcript).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
    /// The reply was cut short (stopped, or failed half-way).
    #[serde(default)]
    pub interrupted: bool,
    /// The reply is still being written (saved as it grows): a reloaded page shows it and
    /// polls the history until this turns false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub running: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChatRole {
    User,
    Assistant,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolCard {
    pub name: String,
    pub status: ToolStatus,
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_todo_id: Option<String>,
    /// The change this call made (see `ChatEvent::Tool`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_id: Option<String>,
    /// The change was undone.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub undone: bool,
}

/// `GET /api/chat/conversations`: newest first; `next` (when present) fetches the next page
/// as `?next=<it>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConversationList {
    pub conversations: Vec<ConversationSummary>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConversationSummary {
    pub session_id: String,
    /// The first message's first line.
    pub title: String,
    /// RFC 3339: the last message (or "continue").
    pub updated_at: String,
}

/// `POST /api/chat/undo`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UndoRequest {
    pub change_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingConfirm {
    pub action_id: String,
    pub prompt: String,
}

/// `POST /api/chat/ticket`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WsTicket {
    pub ticket: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_carry_their_type_and_camel_case_fields() {
        let event = ChatEvent::Session {
            session_id: "s1".into(),
            resumed: true,
        };
        let json = serde_json::to_value(&event).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"type": "session", "sessionId": "s1", "resumed": true})
        );
        let done = serde_json::to_value(ChatEvent::Done {
            usage: Usage::default(),
        })
        .unwrap();
        assert_eq!(done["usage"]["inputTokens"], 0);
    }

    #[test]
    fn a_request_is_a_message_or_a_confirmation_and_nothing_else() {
        let m: ChatRequest =
            serde_json::from_str(r#"{"message":"hi","timeZone":"Europe/Berlin"}"#).unwrap();
        assert!(matches!(m, ChatRequest::Message(_)));
        let c: ChatRequest =
            serde_json::from_str(r#"{"confirm":{"actionId":"a","approve":true}}"#).unwrap();
        assert!(matches!(c, ChatRequest::Confirm(_)));
        assert!(serde_json::from_str::<ChatRequest>(r#"{"message":"hi","userId":"x"}"#).is_err());
        assert!(serde_json::from_str::<ChatRequest>(r#"{}"#).is_err());
    }
}
