//! The LocalAgent: the embedded default assistant. A deterministic planner that understands
//! plain English ([`intent`]), resolves references to todos ([`resolve`]) with the session's
//! memory, acts only through the tool layer (the same one Bedrock uses), and streams markdown
//! replies in small chunks. It never invents data: every fact in a reply comes from a tool.

mod corrections;
mod details;
mod files;
mod followups;
mod handlers;
pub mod intent;
mod reply;
mod resolve;
mod targets;
mod typos;
mod undo;

/// The dates grammar is the words layer shared with the browser's quick add.
pub use app::words::dates;

use std::time::Duration;

use app::wire::chat::{ChatEvent, Usage};
use async_trait::async_trait;

use super::{Agent, AgentError, EventSink, TurnContext, TurnInput, run_tool};
use crate::tools::{ToolCall, ToolOutcome};

pub struct LocalAgent {
    /// Pause between streamed chunks, so replies arrive the way a model's do (0 in tests).
    chunk_delay: Duration,
}

impl LocalAgent {
    pub fn new(chunk_delay: Duration) -> Self {
        Self { chunk_delay }
    }
}

/// One turn's output: tool calls and text, streamed as they happen.
pub(crate) struct Turn<'a> {
    events: &'a EventSink,
    chunk_delay: Duration,
    usage: Usage,
}

impl Turn<'_> {
    /// Streams `text` in small chunks (a few words each).
    async fn say(&mut self, text: &str) {
        self.usage.output_tokens += text.split_whitespace().count() as u64;
        let mut chunk = String::new();
        for piece in text.split_inclusive([' ', '\n']) {
            chunk.push_str(piece);
            if chunk.len() >= 24 || piece.ends_with('\n') {
                self.flush(&mut chunk).await;
            }
        }
        self.flush(&mut chunk).await;
    }

    async fn flush(&mut self, chunk: &mut String) {
        if chunk.is_empty() {
            return;
        }
        self.events
            .send(ChatEvent::Chunk {
                text: std::mem::take(chunk),
            })
            .await;
        if !self.chunk_delay.is_zero() {
            tokio::time::sleep(self.chunk_delay).await;
        }
    }

    /// Runs a tool for the turn's user, reporting it as tool events.
    async fn call(
        &mut self,
        ctx: &mut TurnContext,
        call: ToolCall,
    ) -> Result<ToolOutcome, AgentError> {
        let name = call.tool().name();
        let outcome = run_tool(ctx, self.events, &mut self.usage, name, Ok(call)).await?;
        if let Some(id) = &outcome.change_id {
            ctx.memory.remember_change(*id);
        }
        Ok(outcome)
    }

    async fn confirm(&mut self, action_id: String, prompt: String) {
        self.events
            .send(ChatEvent::Confirm { action_id, prompt })
            .await;
    }
}

/// Messages up to this long are understood on the runtime worker (well under a
/// millisecond); a longer one (up to the 4,000-character limit) is a few milliseconds of
/// pattern matching, so it goes to the blocking pool and holds up no other request.
const INLINE_MESSAGE_BYTES: usize = 512;

async fn understand(
    text: String,
    today: jiff::civil::Date,
    awaiting_choice: bool,
) -> Result<intent::Intent, tokio::task::JoinError> {
    if text.len() <= INLINE_MESSAGE_BYTES {
        return Ok(intent::parse(&text, today, awaiting_choice));
    }
    tokio::task::spawn_blocking(move || intent::parse(&text, today, awaiting_choice)).await
}

#[async_trait]
impl Agent for LocalAgent {
    async fn turn(
        &self,
        ctx: &mut TurnContext,
        input: TurnInput,
        events: &EventSink,
    ) -> Result<Usage, AgentError> {
        let mut turn = Turn {
            events,
            chunk_delay: self.chunk_delay,
            usage: Usage::default(),
        };
        match input {
            TurnInput::Message(text) => {
                turn.usage.input_tokens = text.split_whitespace().count() as u64;
                let intent = understand(text, ctx.today, ctx.memory.awaiting_choice.is_some())
                    .await
                    .map_err(AgentError::internal)?;
                handlers::handle(ctx, &mut turn, intent).await?;
            }
            TurnInput::Confirm { action_id, approve } => {
                let before = ctx.memory.recent_changes.clone();
                handlers::answer_confirmation(ctx, &mut turn, Some(&action_id), approve).await?;
                // A confirmed delete belongs to the action that asked for it.
                let made: Vec<crate::domain::ChangeId> = ctx
                    .memory
                    .recent_changes
                    .iter()
                    .filter(|c| !before.contains(c))
                    .cloned()
                    .collect();
                corrections::add_changes(&mut ctx.memory, made);
            }
        }
        Ok(turn.usage)
    }
}
