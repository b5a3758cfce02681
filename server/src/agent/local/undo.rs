//! "undo that": takes back the assistant's most recent change in this conversation through
//! the same change records as a card's Undo (`tools::changes`), so the same checks apply: a
//! todo changed since is left alone, with a sentence saying why.

use app::wire::chat::{ChatEvent, ToolStatus};

use super::{Turn, reply, targets::Result};
use crate::{
    agent::{AgentError, TurnContext},
    tools::changes::{self, UndoError, Undone},
};

/// The tool card's name for an undo (not a tool of the schema: agents' models do not undo).
pub const UNDO_CARD: &str = "undo";

pub async fn undo_last_change(ctx: &mut TurnContext, turn: &mut Turn<'_>) -> Result {
    let Some(change_id) = ctx.memory.recent_changes.pop() else {
        turn.say("I haven't changed anything in this conversation, so there is nothing to undo.")
            .await;
        return Ok(());
    };
    let card = |status, summary: &str| ChatEvent::Tool {
        name: UNDO_CARD.into(),
        status,
        summary: summary.to_owned(),
        deleted_todo_id: None,
        change_id: None,
    };
    turn.events.send(card(ToolStatus::Started, "")).await;
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
                turn.events.send(card(ToolStatus::Failed, "Failed")).await;
                return Err(AgentError::internal(e));
            }
        };
    turn.events.send(card(status, &summary)).await;
    if let Some(id) = changed {
        turn.events
            .send(ChatEvent::TodosChanged { ids: vec![id] })
            .await;
    }
    turn.say(&text).await;
    Ok(())
}
