//! The executor: runs a plan's steps for real. Tool calls go through `run_tool` (cards,
//! change records), replies stream in small chunks, a confirmation is sent as its event;
//! the outcomes of a `Run` go through the pure `after` step. Then the turn's record: the
//! last command and the changes this turn made.

use std::time::Duration;

use app::wire::chat::{ChatEvent, Usage};

use super::{
    after::after,
    plan::{Plan, Record, Step},
    undo,
};
use crate::{
    agent::{AgentError, EventSink, TurnContext, run_tool},
    domain::{Actor, ChangeId, dialogue::LastAction},
    tools::{
        ToolCall, ToolOutcome,
        proposals::{self, Draft},
    },
};

/// One turn's output: tool calls and text, streamed as they happen.
pub struct Turn<'a> {
    pub events: &'a EventSink,
    pub chunk_delay: Duration,
    pub usage: Usage,
}

impl Turn<'_> {
    /// Streams `text` in small chunks (a few words each).
    pub async fn say(&mut self, text: &str) {
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
        let text = std::mem::take(chunk);
        self.events.send(ChatEvent::Chunk { text }).await;
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

    /// Keeps the proposal and sends its card, after a sentence saying what to do with it.
    async fn propose(
        &mut self,
        ctx: &mut TurnContext,
        summary: String,
        drafts: Vec<Draft>,
    ) -> Result<(), AgentError> {
        let card = proposals::propose(
            &ctx.files,
            &ctx.user,
            Some(ctx.session_id),
            Actor::assistant(),
            summary,
            drafts,
            vec![],
        )
        .await
        .map_err(AgentError::internal)?;
        if card.items.is_empty() {
            self.say("I found nothing I could propose.").await;
            return Ok(());
        }
        self.say(&format!(
            "Here is a plan: {} Untick what you don't want, change a date if you like, \
             then Apply. Nothing changes until you do.",
            card.summary
        ))
        .await;
        self.events.send(ChatEvent::Plan(Box::new(card))).await;
        Ok(())
    }

    /// Runs `plan`'s steps, then records the last command with the changes made.
    pub async fn execute(
        &mut self,
        ctx: &mut TurnContext,
        plan: Plan,
        action_id: &str,
    ) -> Result<(), AgentError> {
        let before = ctx.memory.recent_changes.clone();
        let mut steps: std::collections::VecDeque<Step> = plan.steps.into();
        while let Some(step) = steps.pop_front() {
            match step {
                Step::Say(text) => self.say(&text).await,
                Step::Confirm { action_id, prompt } => {
                    self.events
                        .send(ChatEvent::Confirm { action_id, prompt })
                        .await
                }
                Step::Undo => {
                    let text = undo::undo_last_change(ctx, self.events).await?;
                    self.say(&text).await;
                }
                Step::Propose { summary, drafts } => self.propose(ctx, summary, drafts).await?,
                Step::Retract(changes) => {
                    for problem in undo::retract(ctx, &changes).await? {
                        self.say(&problem).await;
                    }
                }
                Step::Run { calls, then } => {
                    let mut outcomes = Vec::with_capacity(calls.len());
                    for call in calls {
                        outcomes.push(self.call(ctx, call).await?);
                    }
                    // The user's zone, for the moments a reply names (UTC if none is known).
                    let zone = crate::domain::clock::time_zone(&ctx.time_zone)
                        .unwrap_or(jiff::tz::TimeZone::UTC);
                    let next = after(
                        &then,
                        &outcomes,
                        &mut ctx.memory.local,
                        (ctx.today, &zone),
                        action_id,
                    );
                    for (i, step) in next.into_iter().enumerate() {
                        steps.insert(i, step);
                    }
                }
            }
        }
        let made: Vec<ChangeId> = ctx
            .memory
            .recent_changes
            .iter()
            .filter(|c| !before.contains(c))
            .copied()
            .collect();
        let local = &mut ctx.memory.local;
        match plan.record {
            Record::Command(command) => {
                local.last_command = Some(LastAction {
                    command,
                    changes: made,
                })
            }
            Record::Extend => {
                if let Some(last) = local.last_command.as_mut() {
                    last.changes.extend(made);
                }
            }
            Record::Clear => local.last_command = None,
        }
        Ok(())
    }
}
