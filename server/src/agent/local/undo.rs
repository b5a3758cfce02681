//! "undo that": takes back the assistant's last action in this conversation (all of its changes, so
//! a confirmed delete of two todos comes back whole) through the same change records as a
//! card's Undo (`tools::changes`), so the same checks apply: a
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

/// Undoes the last action: every change of the last command when the most recent change is
/// one of them ("delete X and Y", confirmed, then "undo that" brings both back), else the
/// most recent change. Each with its card; returns the sentences to say.
pub async fn undo_last_change(
    ctx: &mut TurnContext,
    events: &EventSink,
) -> Result<String, AgentError> {
    let Some(&newest) = ctx.memory.recent_changes.last() else {
        return Ok(
            "I haven't changed anything in this conversation, so there is nothing to undo.".into(),
        );
    };
    let group: Vec<ChangeId> = match &ctx.memory.local.last_command {
        Some(last) if last.changes.contains(&newest) => ctx
            .memory
            .recent_changes
            .iter()
            .filter(|c| last.changes.contains(c))
            .copied()
            .collect(),
        _ => vec![newest],
    };
    let mut said = Vec::with_capacity(group.len());
    for change_id in group.into_iter().rev() {
        ctx.memory.recent_changes.retain(|c| *c != change_id);
        said.push(undo_one(ctx, events, change_id).await?);
    }
    Ok(said.join("\n\n"))
}

/// Undoes one change, with its card; returns the sentence to say.
async fn undo_one(
    ctx: &mut TurnContext,
    events: &EventSink,
    change_id: ChangeId,
) -> Result<String, AgentError> {
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
                vec![todo.id.to_string()],
            ),
            Ok(Undone::Removed { title, id }) => (
                ToolStatus::Succeeded,
                format!("Removed “{title}” again"),
                format!("Undone: I removed **{}** again.", reply::escape(&title)),
                vec![id.to_string()],
            ),
            Ok(Undone::Set(todos)) => (
                ToolStatus::Succeeded,
                "Undid the plan".to_owned(),
                "Undone: everything the plan changed is back as it was.".to_owned(),
                todos.iter().map(|t| t.id.to_string()).collect(),
            ),
            // Only a token's changes are to lists and labels; the chat's cards carry none,
            // but an id typed in is undone all the same.
            Ok(Undone::List(list)) => (
                ToolStatus::Succeeded,
                format!("Undid the change to the list “{}”", list.name.as_str()),
                format!(
                    "Undone: the list **{}** is back as it was.",
                    reply::escape(list.name.as_str())
                ),
                vec![],
            ),
            Ok(Undone::Relabelled { label, todos }) => (
                ToolStatus::Succeeded,
                format!("Put the label “{label}” back"),
                format!(
                    "Undone: **{}** is back on {} todo(s).",
                    reply::escape(&label),
                    todos.len()
                ),
                todos.iter().map(|t| t.id.to_string()).collect(),
            ),
            Err(
                UndoError::Conflict(why) | UndoError::NotFound(why) | UndoError::QuotaExceeded(why),
            ) => (ToolStatus::Failed, why.clone(), why, vec![]),
            Err(UndoError::Backend(e)) => {
                events.send(card(ToolStatus::Failed, "Failed")).await;
                return Err(AgentError::internal(e));
            }
        };
    events.send(card(status, &summary)).await;
    if !changed.is_empty() {
        events.send(ChatEvent::TodosChanged { ids: changed }).await;
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
