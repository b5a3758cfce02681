//! The LocalAgent: the embedded default assistant, a grammar rather than a model. A message
//! is read in layers: the words layer of the `app` crate (tokens, the lexicon, dates), then
//! the phrase table ([`phrases`], matched by [`grammar`]) into one `Command` shape
//! (`domain::dialogue`), then [`plan`] decides, purely, the tool calls, replies and
//! questions against the todos it is given, and [`run`] executes them through the tool
//! layer (the same one Bedrock uses). It never invents data: every fact in a reply comes
//! from a tool. No file of this folder imports a file that imports it back.
//!
//! - [`parse`]: polite wrappers, typos, corrections; [`phrases`]: the verbs' patterns
//!   ([`organize`]: those of lists, priority, repeat rules, steps, labels and times);
//!   [`add`]: an added todo's words; [`query`]: references and list questions; [`remind`]:
//!   the reminder phrases.
//! - [`resolve`]: which todos a reference means; [`plan`] and [`after`]: the pure planner
//!   and its second step over tool outcomes; [`reply`]: markdown building blocks.
//! - [`bulk`]: requests about many todos at once ("sort out my overdue todos"), planned
//!   by `plan::bulk` into a plan card the user applies.
//! - [`run`]: the executor; [`undo`]: "undo that" and a correction's take-back.

mod add;
mod after;
mod bulk;
mod grammar;
mod organize;
pub mod parse;
mod phrases;
pub mod plan;
mod query;
mod remind;
mod reply;
mod resolve;
mod run;
mod undo;

#[cfg(test)]
mod tests;

/// The dates grammar is the words layer shared with the browser's quick add.
pub use app::words::dates;

use std::time::Duration;

use app::wire::chat::Usage;
use async_trait::async_trait;

use super::{Agent, AgentError, EventSink, TurnContext, TurnInput};
use crate::domain::{FileRecord, dialogue::Verb};

pub struct LocalAgent {
    /// Pause between streamed chunks, so replies arrive the way a model's do (0 in tests).
    chunk_delay: Duration,
}

impl LocalAgent {
    pub fn new(chunk_delay: Duration) -> Self {
        Self { chunk_delay }
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
) -> Result<parse::Said, tokio::task::JoinError> {
    if text.len() <= INLINE_MESSAGE_BYTES {
        return Ok(parse::parse(&text, today, awaiting_choice));
    }
    tokio::task::spawn_blocking(move || parse::parse(&text, today, awaiting_choice)).await
}

/// The files a command needs to know of, read before planning (the planner reads nothing).
async fn files_for(
    ctx: &TurnContext,
    said: &parse::Said,
) -> Result<(Vec<FileRecord>, Vec<FileRecord>), AgentError> {
    let parse::Said::Command(command) = said else {
        return Ok((vec![], vec![]));
    };
    match command.verb {
        Verb::AttachFile if command.args.text.is_some() => {
            let waiting = if ctx.attachments.is_empty() {
                ctx.memory.local.chat_files.clone()
            } else {
                ctx.attachments.iter().map(|f| f.id).collect()
            };
            let mut records = Vec::new();
            for id in waiting {
                // Looked up under this user: another user's id simply is not found.
                if let Ok(file) = ctx.store.get_file(&ctx.user, id).await {
                    records.push(file);
                }
            }
            Ok((records, vec![]))
        }
        Verb::DeleteFile if command.target.is_none() => {
            // Any attached file of the user's live todos (a deleted todo's files are out of
            // reach until it is restored).
            let live: std::collections::HashSet<_> = ctx
                .store
                .list_todos(&ctx.user)
                .await
                .map_err(AgentError::internal)?
                .iter()
                .map(|t| t.id)
                .collect();
            let files = ctx
                .store
                .list_files(&ctx.user)
                .await
                .map_err(AgentError::internal)?;
            let attached = files
                .into_iter()
                .filter(|f| f.uploaded && f.todo_id.is_some_and(|todo| live.contains(&todo)))
                .collect();
            Ok((vec![], attached))
        }
        _ => Ok((vec![], vec![])),
    }
}

/// The user's lists, read for the commands that may name one (the planner reads nothing).
async fn lists_for(
    ctx: &TurnContext,
    said: &parse::Said,
) -> Result<Vec<crate::domain::TodoList>, AgentError> {
    let needs = match said {
        parse::Said::Command(command) => matches!(
            command.verb,
            Verb::List | Verb::Count | Verb::Show | Verb::Add | Verb::MoveToList
        ),
        // A correction or a choice runs the last command again, which may name a list.
        parse::Said::Choose(_) | parse::Said::Fix(_) => true,
        parse::Said::Bulk(bulk::BulkAsk::MoveList { .. }) => true,
        _ => false,
    };
    if !needs {
        return Ok(vec![]);
    }
    crate::todos::lists::all(ctx.store.as_ref(), &ctx.user, ctx.files.now())
        .await
        .map_err(AgentError::internal)
}

#[async_trait]
impl Agent for LocalAgent {
    async fn turn(
        &self,
        ctx: &mut TurnContext,
        input: TurnInput,
        events: &EventSink,
    ) -> Result<Usage, AgentError> {
        let mut turn = run::Turn {
            events,
            chunk_delay: self.chunk_delay,
            usage: Usage::default(),
        };
        let action_id = uuid::Uuid::new_v4().to_string();
        let (plan, memory) = match input {
            TurnInput::Message(text) => {
                turn.usage.input_tokens = text.split_whitespace().count() as u64;
                let awaiting_choice = matches!(
                    ctx.memory.local.awaiting,
                    Some(crate::domain::dialogue::Awaiting::Choice(_))
                );
                let said = understand(text, ctx.today, awaiting_choice)
                    .await
                    .map_err(AgentError::internal)?;
                let todos = ctx
                    .store
                    .list_todos(&ctx.user)
                    .await
                    .map_err(AgentError::internal)?;
                let (chat_files, user_files) = files_for(ctx, &said).await?;
                let lists = lists_for(ctx, &said).await?;
                let world = plan::World {
                    todos: &todos,
                    lists: &lists,
                    today: ctx.today,
                    attachments: &ctx.attachments,
                    chat_files: &chat_files,
                    user_files: &user_files,
                    action_id: action_id.clone(),
                    restore_window: crate::agent::duration_words(ctx.files.restore_window()),
                };
                plan::plan(&ctx.memory.local, said, &world)
            }
            TurnInput::Confirm { action_id, approve } => {
                plan::plan_confirm(&ctx.memory.local, Some(&action_id), approve)
            }
        };
        *ctx.memory.local = memory;
        turn.execute(ctx, plan, &action_id).await?;
        Ok(turn.usage)
    }
}
