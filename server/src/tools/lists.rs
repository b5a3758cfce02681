//! The list tools (`listLists`, `createList`) and the one place a list a model names (by
//! name, any case, or by id) is resolved against the user's own lists. An unknown name is
//! refused with the user's list names, so the model asks before creating one: a list is
//! never made as a side effect of filing a todo.

use app::wire::NewList;

use super::{
    changes::Change,
    outcome::{Outcome, ToolFailure, ToolOutcome, ToolScope, plural},
};
use crate::{
    domain::{Cause, ListId, TodoList},
    todos::lists::{self, ListError},
};

fn refused_or_failure(err: ListError) -> Outcome {
    match err {
        ListError::Store(e) => Err(ToolFailure(Cause::new(e))),
        other => Ok(ToolOutcome::refused(other.to_string())),
    }
}

/// One line describing a list for a model: id, name, open todos (the Inbox says so).
fn describe_list(list: &TodoList, open: usize) -> String {
    let inbox = if list.inbox { ", the Inbox" } else { "" };
    format!("[{}] {}{inbox}, {} open", list.id, list.name.as_str(), open)
}

/// The user's list that `reference` names (its id, or its name in any case), or the
/// refusal to hand back to the model. Another user's list id is not found, like any other.
pub(super) async fn resolve(
    scope: &ToolScope<'_>,
    reference: &str,
) -> Result<Result<TodoList, ToolOutcome>, ToolFailure> {
    let all = match lists::all(scope.files.store(), scope.user, scope.files.now()).await {
        Ok(all) => all,
        Err(e) => return refused_or_failure(e).map(Err),
    };
    let wanted = reference.trim().trim_start_matches('#');
    let found = all.iter().find(|list| {
        list.id.to_string() == wanted || list.name.as_str().eq_ignore_ascii_case(wanted)
    });
    Ok(match found {
        Some(list) => Ok(list.clone()),
        None => {
            let names: Vec<&str> = all.iter().map(|l| l.name.as_str()).collect();
            Err(ToolOutcome::refused(format!(
                "The user has no list named “{wanted}”; their lists are {}. Ask the user \
                 whether to create it (createList) or use one of these.",
                names.join(", ")
            )))
        }
    })
}

pub(super) async fn list_lists(scope: &ToolScope<'_>) -> Outcome {
    let all = match lists::all(scope.files.store(), scope.user, scope.files.now()).await {
        Ok(all) => all,
        Err(e) => return refused_or_failure(e),
    };
    let todos = scope
        .files
        .live_todos(scope.user)
        .await
        .map_err(|e| ToolFailure(Cause::new(e)))?;
    let mut text = plural(all.len(), "list");
    // A todo stored without a list is in the Inbox.
    let inbox = ListId::inbox_of(scope.user);
    for list in &all {
        let open = todos
            .iter()
            .filter(|t| !t.completed && t.list_id.unwrap_or(inbox) == list.id)
            .count();
        text.push_str("\n- ");
        text.push_str(&describe_list(list, open));
    }
    Ok(ToolOutcome {
        ok: true,
        summary: format!("Found {}", plural(all.len(), "list")),
        text,
        ..Default::default()
    })
}

pub(super) async fn create_list(scope: &ToolScope<'_>, name: String) -> Outcome {
    let input = NewList { name, color: None };
    let max_lists = scope.files.quotas().lists;
    let created = lists::create(
        scope.files.store(),
        scope.user,
        input,
        max_lists,
        scope.files.now(),
    )
    .await;
    match created {
        Ok(list) => Ok(ToolOutcome {
            ok: true,
            text: format!("Created the list {}", describe_list(&list, 0)),
            summary: format!("Created the list “{}”", list.name.as_str()),
            change: Some(Change::ListCreated {
                name: list.name.as_str().to_owned(),
            }),
            ..Default::default()
        }),
        Err(e) => refused_or_failure(e),
    }
}
