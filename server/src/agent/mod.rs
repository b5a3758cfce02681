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
        AgentMemory, ConversationId, ErrorKind, FileRecord, UserId, error_kind::INTERNAL_MESSAGE,
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

#[derive(Debug, thiserror::Error)]
pub enum AgentError {
    /// A failure the user may retry (an upstream hiccup).
    #[error("{message}")]
    Retryable { code: String, message: String },
    #[error("{message}")]
    Fatal { code: String, message: String },
}

impl AgentError {
    /// An internal failure: its cause is logged, the user reads the common sentence.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(%cause, "agent failure");
        Self::Retryable {
            code: ErrorKind::Internal.code().into(),
            message: INTERNAL_MESSAGE.into(),
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
