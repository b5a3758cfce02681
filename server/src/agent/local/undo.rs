//! "undo that": takes back the assistant's most recent change in this conversation through
//! the same change records as a card's Undo (`tools::changes`), so the same checks apply: a
//! todo changed since is left alone, with a sentence saying why. Also the quiet take-back
//! of a correction ("no, I meant the other one").

use app::wire::chat::{ChatEvent, ToolStatus};

use super::reply;
use crate::{
    agent::{AgentError, EventSink, TurnContext},
    domain::ChangeId,
    tools::changes::{self, UndoError, Undone},
};

/// The tool card's name for an undo (not a tool of the schema: agents' models do not undo).
pub const UNDO_CARD: &str = "undo";

/// Undoes the most recent change, with its card; returns the sentence to say.
pub async fn undo_last_change(
    ctx: &mut TurnContext,
    events: &EventSink,
) -> Result<String, AgentError> {
    let Some(change_id) = ctx.memory.recent_changes.pop() else {
        return Ok(
            "I haven't changed anything in this conversation, so there is nothing to undo.".into(),
        );
    };
    let card = |status, summary: &str| ChatEvent::Tool {
        name: UNDO_CARD.into(),
        status,
        summary: summary.to_owned(),
        deleted_todo_id: None,
        change_id: None,
    };
    events.send(card(ToolStatus::Started, "")).await;
    let (status, summary, text, changed) =
        match changes::undo(&ctx.files, &ctx.user, change_id).await {
            Ok(Undone::Restored(todo)) => (
                ToolStatus::Succeeded,
                format!("Undid the change to “{}”", todo.title.as_str()),
                format!("Undone: {} is back as it was.", reply::title(&todo)),
                Some(todo.id.to_string()),
            ),
            Ok(Undone::Removed { title, id }) => (
                ToolStatus::Succeeded,
                format!("Removed “{title}” again"),
                format!("Undone: I removed **{}** again.", reply::escape(&title)),
                Some(id.to_string()),
            ),
            Err(
                UndoError::Conflict(why) | UndoError::NotFound(why) | UndoError::QuotaExceeded(why),
            ) => (ToolStatus::Failed, why.clone(), why, None),
            Err(UndoError::Backend(e)) => {
                events.send(card(ToolStatus::Failed, "Failed")).await;
                return Err(AgentError::internal(e));
            }
        };
    events.send(card(status, &summary)).await;
    if let Some(id) = changed {
        events.send(ChatEvent::TodosChanged { ids: vec![id] }).await;
    }
    Ok(text)
}

/// Takes back `changes` (newest first); returns a sentence for each one left as it is.
pub async fn retract(
    ctx: &mut TurnContext,
    changes: &[ChangeId],
) -> Result<Vec<String>, AgentError> {
    let mut problems = Vec::new();
    for change_id in changes.iter().rev() {
        match changes::undo(&ctx.files, &ctx.user, *change_id).await {
            Ok(_) => ctx.memory.recent_changes.retain(|c| c != change_id),
            Err(
                UndoError::Conflict(why) | UndoError::NotFound(why) | UndoError::QuotaExceeded(why),
            ) => {
                problems.push(format!("{why} So I left it as it is.\n\n"));
            }
            Err(UndoError::Backend(e)) => return Err(AgentError::internal(e)),
        }
    }
    Ok(problems)
}
