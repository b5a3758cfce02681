//! Agents: one turn in, a stream of events out. The chat transport does not know which agent
//! it talks to. [`local`] is the embedded default (a deterministic planner, no network);
//! [`bedrock`] drives a Bedrock agent. Both run tools through [`tool_run`].

pub mod bedrock;
mod bedrock_memory;
pub mod local;
pub mod openai;
pub mod stamp;
mod tool_run;

pub use tool_run::{delete_confirmation, duration_words, run_tool};

use std::sync::Arc;

use app::wire::chat::{ChatEvent, Usage};
use async_trait::async_trait;
use tokio::sync::mpsc;

use crate::{
    domain::{
        AgentMemory, Cause, ConversationId, ErrorKind, FileRecord, UserId,
        error_kind::INTERNAL_MESSAGE,
    },
    files::Files,
    store::Store,
};

/// What a turn starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TurnInput {
    Message(String),
    /// The user's answer to a `confirm` event.
    Confirm {
        action_id: String,
        approve: bool,
    },
}

/// Everything a turn may use. `memory` is the session's agent memory: the agent changes it
/// in place and the chat layer persists it with the session, also when a turn is stopped.
pub struct TurnContext {
    /// The verified user: the identity for every tool call.
    pub user: UserId,
    pub store: Arc<dyn Store>,
    /// File operations (on the same store) for the file tools.
    pub files: Arc<Files>,
    /// Uploaded files the user sent with this message ("attach this to ...").
    pub attachments: Vec<FileRecord>,
    /// The chat session (agents that keep their own memory key it by this).
    pub session_id: ConversationId,
    /// Today in the user's time zone.
    pub today: jiff::civil::Date,
    pub time_zone: String,
    pub memory: AgentMemory,
    /// How many turns of this conversation were replaced (edit, regenerate): an agent that
    /// keeps its own memory starts a new one from `transcript` when this changes.
    pub agent_epoch: u32,
    /// The conversation before this turn's message (for such a fresh memory).
    pub transcript: Vec<app::wire::chat::ChatMessage>,
}

/// Where an agent sends its events (chunk, tool, todos_changed, confirm). The chat layer adds
/// `session` before and `done` / `error` after. Events travel boxed: a channel allocates
/// 32 slots at once, and an idle chat should not hold 32 whole events.
#[derive(Clone)]
pub struct EventSink(mpsc::Sender<Box<ChatEvent>>);

impl EventSink {
    pub fn new(sender: mpsc::Sender<Box<ChatEvent>>) -> Self {
        Self(sender)
    }

    /// Sends one event. A listener that went away does not stop the turn: its result is
    /// still saved to the session's history.
    pub async fn send(&self, event: ChatEvent) {
        let _ = self.0.send(Box::new(event)).await;
    }
}

/// Why a turn ended early: its kind (the code the client reads and whether a retry may
/// help), the sentence shown, and, for internal failures, the cause with its chain (logged,
/// never shown).
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct AgentError {
    pub kind: ErrorKind,
    pub message: String,
    #[source]
    pub cause: Option<Cause>,
}

impl AgentError {
    /// A failure the user is told about in `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            cause: None,
        }
    }

    /// An internal failure: the user reads the common sentence, the cause is kept whole
    /// for the log.
    pub fn internal(cause: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self {
            kind: ErrorKind::Internal,
            message: INTERNAL_MESSAGE.into(),
            cause: Some(Cause::new(cause)),
        }
    }

    /// The chat's `error` event for it (the cause, if any, is logged here with its chain).
    pub fn to_chat_event(&self) -> ChatEvent {
        if let Some(cause) = &self.cause {
            tracing::error!(%cause, code = self.kind.code(), "agent failure");
        }
        ChatEvent::Error {
            code: self.kind.code().into(),
            message: self.message.clone(),
            retryable: self.kind.retryable(),
        }
    }
}

#[async_trait]
pub trait Agent: Send + Sync + 'static {
    /// Runs one turn; returns its usage once every event has been sent.
    async fn turn(
        &self,
        ctx: &mut TurnContext,
        input: TurnInput,
        events: &EventSink,
    ) -> Result<Usage, AgentError>;
}

#[cfg(test)]
mod tests {
    use std::error::Error;

    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("saving failed")]
    struct Outer(#[source] std::io::Error);

    /// The cause of an internal failure stays an error with its chain, not a string.
    #[test]
    fn an_internal_failure_keeps_its_cause_chain() {
        let error = AgentError::internal(Outer(std::io::Error::other("disk full")));
        let source = error.source().expect("the cause is the source");
        assert_eq!(source.to_string(), "saving failed: disk full");
        let ChatEvent::Error {
            code,
            message,
            retryable,
        } = error.to_chat_event()
        else {
            panic!("an error event");
        };
        assert_eq!(
            (code.as_str(), retryable),
            (ErrorKind::Internal.code(), true)
        );
        assert!(!message.contains("disk full"), "the cause is never shown");
    }
}
