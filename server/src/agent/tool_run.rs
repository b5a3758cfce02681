//! Running one tool call inside a turn, the same way for every agent: a `tool` event when it
//! starts, the call for the turn's verified user, a `tool` event with its result, and
//! `todos_changed` when it changed todos.

use app::wire::chat::{ChatEvent, ToolStatus, Usage};

use super::{AgentError, EventSink, TurnContext};
use crate::{
    domain::{DueDate, InvalidInput, TodoId},
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
            let scope = ToolScope {
                files: &ctx.files,
                user: &ctx.user,
                today: DueDate::from_date(ctx.today),
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
        // The change is made; without its record it only cannot be undone from the chat.
        match changes::record(&ctx.files, &ctx.user, Some(&ctx.session_id), change).await {
            Ok(id) => outcome.change_id = Some(id),
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
            outcome.change_id.clone(),
        ))
        .await;
    if !outcome.changed.is_empty() {
        let ids = outcome.changed.iter().map(ToString::to_string).collect();
        events.send(ChatEvent::TodosChanged { ids }).await;
    }
    Ok(outcome)
}

/// The confirmation a batch of tool calls needs before any of it runs: `Some(prompt)` when
/// it deletes todos or removes files (the model never runs those itself), for every agent
/// that runs tools itself.
pub fn delete_confirmation<'a>(names: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let (mut todos, mut files) = (0, 0);
    for name in names {
        match tools::Tool::from_name(name) {
            Some(tools::Tool::DeleteTodo) => todos += 1,
            Some(tools::Tool::DeleteTodoFile) => files += 1,
            _ => {}
        }
    }
    match (todos, files) {
        (0, 0) => None,
        (todos, 0) => Some(format!("Allow the assistant to delete {todos} todo(s)?")),
        (0, files) => Some(format!("Allow the assistant to remove {files} file(s)?")),
        (todos, files) => Some(format!(
            "Allow the assistant to delete {todos} todo(s) and remove {files} file(s)?"
        )),
    }
}
