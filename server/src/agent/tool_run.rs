//! Running one tool call inside a turn, the same way for every agent: a `tool` event when it
//! starts, the call for the turn's verified user, a `tool` event with its result, and
//! `todos_changed` when it changed todos.

use app::wire::chat::{ChatEvent, ToolStatus, Usage};

use super::{AgentError, EventSink, TurnContext};
use crate::{
    domain::{Actor, DueDate, InvalidInput, TodoId, clock},
    tools::{self, ToolCall, ToolOutcome, ToolScope, changes},
};

/// Runs `call` (or reports why it could not be parsed) under the name the UI shows.
pub async fn run_tool(
    ctx: &TurnContext,
    events: &EventSink,
    usage: &mut Usage,
    name: &str,
    call: Result<ToolCall, InvalidInput>,
) -> Result<ToolOutcome, AgentError> {
    usage.tool_calls += 1;
    let card = |status, summary, deleted: Option<TodoId>, change_id| ChatEvent::Tool {
        name: name.to_owned(),
        status,
        summary,
        deleted_todo_id: deleted.map(|id| id.to_string()),
        change_id,
    };
    events
        .send(card(ToolStatus::Started, String::new(), None, None))
        .await;
    let outcome = match call {
        Ok(call) => {
            // The user's time of day, as the list endpoint reads it from the zone.
            let now = clock::time_zone(&ctx.time_zone)
                .ok()
                .map(|zone| ctx.files.now().to_zoned(zone).time());
            let scope = ToolScope {
                files: &ctx.files,
                user: &ctx.user,
                today: DueDate::from_date(ctx.today),
                now,
                conversation: Some(ctx.session_id),
                actor: Actor::assistant(),
            };
            match tools::execute(&scope, &call).await {
                Ok(outcome) => outcome,
                Err(failure) => {
                    events
                        .send(card(ToolStatus::Failed, "Failed".into(), None, None))
                        .await;
                    return Err(AgentError::internal(failure));
                }
            }
        }
        Err(refusal) => ToolOutcome::refused(refusal.0),
    };
    let mut outcome = outcome;
    if let Some(change) = outcome.change.take() {
        // A card (and "undo that") carries only a change an undo exists for; the others
        // are in the activity log all the same.
        let undoable = change.never_undone().is_none();
        // The change is made; without its record it only cannot be undone from the chat.
        match changes::record(
            &ctx.files,
            &ctx.user,
            Some(ctx.session_id),
            change,
            Actor::assistant(),
        )
        .await
        {
            Ok(id) => outcome.change_id = undoable.then_some(id),
            Err(e) => tracing::warn!(error = %e, "change record not written"),
        }
    }
    let status = if outcome.ok {
        ToolStatus::Succeeded
    } else {
        ToolStatus::Failed
    };
    events
        .send(card(
            status,
            outcome.summary.clone(),
            outcome.deleted,
            outcome.change_id.map(|id| id.to_string()),
        ))
        .await;
    if !outcome.changed.is_empty() {
        let ids = outcome.changed.iter().map(ToString::to_string).collect();
        events.send(ChatEvent::TodosChanged { ids }).await;
    }
    if let Some(card) = outcome.plan.take() {
        events.send(ChatEvent::Plan(card)).await;
    }
    Ok(outcome)
}

/// The confirmation a batch of tool calls needs before any of it runs: `Some(prompt)` when
/// it deletes todos or removes files (the model never runs those itself), for every agent
/// that runs tools itself. It says what really happens: a deleted todo can be restored for
/// `restore_window`; a removed file is gone.
pub fn delete_confirmation<'a>(
    names: impl IntoIterator<Item = &'a str>,
    restore_window: std::time::Duration,
) -> Option<String> {
    let (mut todos, mut files) = (0, 0);
    for name in names {
        match tools::Tool::from_name(name) {
            Some(tools::Tool::DeleteTodo) => todos += 1,
            Some(tools::Tool::DeleteTodoFile) => files += 1,
            _ => {}
        }
    }
    let window = duration_words(restore_window);
    match (todos, files) {
        (0, 0) => None,
        (todos, 0) => Some(format!(
            "Allow the assistant to delete {todos} todo(s)? Undo brings them back for {window}."
        )),
        (0, files) => Some(format!(
            "Allow the assistant to remove {files} file(s)? A removed file cannot be restored."
        )),
        (todos, files) => Some(format!(
            "Allow the assistant to delete {todos} todo(s) and remove {files} file(s)? Undo \
             brings the todos back for {window}; removed files cannot be restored."
        )),
    }
}

/// "10 minutes", "1 hour", "45 seconds": how long a deleted todo can be restored.
pub fn duration_words(window: std::time::Duration) -> String {
    let secs = window.as_secs();
    let (n, unit) = match secs {
        s if s >= 3600 && s % 3600 == 0 => (s / 3600, "hour"),
        s if s >= 60 && s % 60 == 0 => (s / 60, "minute"),
        s => (s, "second"),
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn the_confirmation_says_a_delete_can_be_undone_and_for_how_long() {
        let prompt = delete_confirmation(["deleteTodo"], Duration::from_secs(600)).unwrap();
        assert!(
            prompt.contains("Undo brings them back for 10 minutes"),
            "{prompt}"
        );
        let prompt = delete_confirmation(["deleteTodoFile"], Duration::from_secs(600)).unwrap();
        assert!(prompt.contains("cannot be restored"), "{prompt}");
        assert_eq!(
            delete_confirmation(["getTodos"], Duration::from_secs(600)),
            None
        );
        assert_eq!(duration_words(Duration::from_secs(3600)), "1 hour");
        assert_eq!(duration_words(Duration::from_secs(90)), "90 seconds");
        assert_eq!(duration_words(Duration::from_secs(60)), "1 minute");
    }
}
