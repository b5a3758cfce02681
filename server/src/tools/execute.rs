//! Runs one typed tool call for the verified user: one small function per tool, and a match
//! the compiler checks covers them all. User mistakes (a bad date, an unknown id) come back
//! as an unsuccessful outcome with a sentence the agent can relay; only backend failures are
//! errors. Every id is looked up under the user's own key, so another user's id is "not
//! found".

use app::wire::{NewTodo, SubtaskInput, TodoPatch, file::human_size};

use super::{
    call::{SubtaskRef, ToolCall},
    changes::Change,
    details,
    lists::{self, resolve},
    outcome::{Outcome, ToolFailure, ToolOutcome, ToolScope, plural},
    proposals,
    reminders::{self, Here},
};
use crate::{
    domain::{Cause, FileId, FileRecord, ListFilter, Todo, TodoId, TodoQuery},
    files::FileError,
    store::StoreError,
    todos::service::{self, TodoError},
};

fn refused_or_failure(err: TodoError) -> Outcome {
    match err {
        TodoError::Invalid(e) => Ok(ToolOutcome::refused(e.0)),
        quota @ (TodoError::QuotaExceeded(_) | TodoError::LabelQuotaExceeded(_)) => {
            Ok(ToolOutcome::refused(quota.to_string()))
        }
        TodoError::Store(StoreError::NotFound) => Ok(ToolOutcome::refused("No todo with that id.")),
        TodoError::Store(StoreError::VersionConflict { .. }) => Ok(ToolOutcome::refused(
            "The todo was changed at the same time; read it again and retry.",
        )),
        TodoError::Store(e) => Err(ToolFailure(Cause::new(e))),
    }
}

fn file_refused_or_failure(err: FileError) -> Outcome {
    match err {
        FileError::Backend(cause) => Err(ToolFailure(cause)),
        other => Ok(ToolOutcome::refused(other.to_string())),
    }
}

/// One line describing a file for a model: id, name, size, type.
pub fn describe_file(file: &FileRecord) -> String {
    format!(
        "[{}] {} ({}, {})",
        file.id,
        file.name,
        human_size(file.size),
        file.content_type
    )
}

/// One line describing a todo for a model: id, title, due date and time, state, and the
/// priority, labels and repeat rule when set.
pub fn describe(todo: &Todo) -> String {
    let due = todo
        .date_due
        .map(|d| format!(", due {}", d.to_iso()))
        .unwrap_or_default();
    let time = todo
        .due_time
        .map(|t| format!(" at {}", t.to_hhmm()))
        .unwrap_or_default();
    let state = if todo.completed { "completed" } else { "open" };
    let details = details::summary(todo);
    format!(
        "[{}] {}{due}{time}, {state}{details}",
        todo.id,
        todo.title.as_str()
    )
}

/// Runs `call` for `scope.user`.
pub async fn execute(scope: &ToolScope<'_>, call: &ToolCall) -> Outcome {
    match call.clone() {
        ToolCall::GetTodos { mut query, list } => {
            if let Some(list) = list {
                match resolve(scope, &list).await? {
                    Ok(found) => query.list = Some(ListFilter::of(scope.user, found.id)),
                    Err(refusal) => return Ok(refusal),
                }
            }
            get_todos(scope, &query).await
        }
        ToolCall::GetTodo { todo } => get_todo(scope, todo).await,
        ToolCall::AddTodo {
            title,
            description,
            date_due,
            mut list,
            details,
        } => {
            let mut input = NewTodo {
                title,
                description,
                date_due,
                ..Default::default()
            };
            if let Some(marks) = details
                && let Err(refusal) =
                    details::apply_marks(&marks, &here(scope).await?, &mut input, &mut list)
            {
                return Ok(ToolOutcome::refused(refusal));
            }
            input.list_id = match list {
                Some(list) => match resolve(scope, &list).await? {
                    Ok(found) => Some(found.id.to_string()),
                    Err(refusal) => return Ok(refusal),
                },
                None => None,
            };
            add_todo(scope, input).await
        }
        ToolCall::UpdateTodo {
            todo,
            title,
            description,
            date_due,
            list,
        } => {
            let list_id = match list {
                Some(list) => match resolve(scope, &list).await? {
                    Ok(found) => Some(found.id.to_string()),
                    Err(refusal) => return Ok(refusal),
                },
                None => None,
            };
            let patch = TodoPatch {
                title,
                description,
                date_due,
                list_id,
                ..Default::default()
            };
            change(scope, todo, patch, "Updated").await
        }
        ToolCall::AddTodoNotes { todo, notes } => add_notes(scope, todo, &notes).await,
        ToolCall::CompleteTodo { todo } => set_completed(scope, todo, true).await,
        ToolCall::ReopenTodo { todo } => set_completed(scope, todo, false).await,
        ToolCall::DeleteTodo { todo } => delete_todo(scope, todo).await,
        ToolCall::ListTodoFiles { todo } => list_files(scope, todo).await,
        ToolCall::AddTodoFile { todo, file } => attach_file(scope, todo, file).await,
        ToolCall::DeleteTodoFile { todo, file } => delete_file(scope, todo, file).await,
        ToolCall::ListLists => lists::list_lists(scope).await,
        ToolCall::CreateList { name } => lists::create_list(scope, name).await,
        ToolCall::AddSubtasks { todo, steps } => add_subtasks(scope, todo, steps).await,
        ToolCall::SetSubtaskDone {
            todo,
            subtask,
            done,
        } => set_subtask_done(scope, todo, &subtask, done).await,
        ToolCall::SetTodoDetails {
            todo,
            priority,
            labels,
            due_time,
            repeat,
        } => {
            let current = match read(scope, todo).await {
                Ok(todo) => todo,
                Err(outcome) => return outcome,
            };
            let patch = details::patch(&current, priority, labels.as_ref(), due_time, repeat);
            change_from(scope, current, patch, "Updated the details of").await
        }
        ToolCall::SetReminders { todo, reminders } => {
            let current = match read(scope, todo).await {
                Ok(todo) => todo,
                Err(outcome) => return outcome,
            };
            let wanted = match reminders::edited(&current, &reminders, &here(scope).await?) {
                Ok(wanted) => wanted,
                Err(refusal) => return Ok(ToolOutcome::refused(refusal)),
            };
            let patch = TodoPatch {
                reminders: Some(wanted),
                ..Default::default()
            };
            change_from(scope, current, patch, "Set the reminders of").await
        }
        ToolCall::ProposePlan { summary, items } => {
            proposals::propose_for_model(scope, summary, items)
                .await
                .map_err(|e| ToolFailure(Cause::new(e)))
        }
    }
}

/// The user's time zone (UTC until their browser sets one) and the time now: what a
/// reminder in words ("tomorrow 9am") is read against.
async fn here(scope: &ToolScope<'_>) -> Result<Here, ToolFailure> {
    let profile = scope
        .files
        .store()
        .get_profile(scope.user)
        .await
        .map_err(|e| ToolFailure(Cause::new(e)))?;
    Ok(Here {
        zone: profile.zone(),
        now: scope.files.now(),
        today: scope.today.date(),
    })
}

async fn read(scope: &ToolScope<'_>, id: TodoId) -> Result<Todo, Outcome> {
    scope
        .files
        .store()
        .get_todo(scope.user, id)
        .await
        .map_err(|e| refused_or_failure(e.into()))
}

async fn get_todo(scope: &ToolScope<'_>, id: TodoId) -> Outcome {
    let todo = match read(scope, id).await {
        Ok(todo) => todo,
        Err(outcome) => return outcome,
    };
    let mut text = describe(&todo);
    if !todo.description.as_str().is_empty() {
        text.push_str(&format!("\nDescription: {}", todo.description.as_str()));
    }
    if !todo.notes.as_str().is_empty() {
        text.push_str(&format!("\nNotes: {}", todo.notes.as_str()));
    }
    // Positions and ids, so a model can name a step either way (setSubtaskDone).
    for (n, step) in todo.subtasks.iter().enumerate() {
        let mark = if step.done { "x" } else { " " };
        let title = step.title.as_str();
        text.push_str(&format!(
            "\nStep {}: [{mark}] {title} (id {})",
            n + 1,
            step.id
        ));
    }
    let summary = format!("Read “{}”", todo.title.as_str());
    Ok(ToolOutcome::todo(text, summary, todo, false))
}

async fn add_todo(scope: &ToolScope<'_>, input: NewTodo) -> Outcome {
    let max_todos = scope.files.quotas().todos;
    match service::create(
        scope.files.store(),
        scope.user,
        input,
        max_todos,
        scope.files.now(),
    )
    .await
    {
        Ok(todo) => {
            let text = format!("Added {}", describe(&todo));
            let summary = format!("Added “{}”", todo.title.as_str());
            let change = Change::Added {
                todo: Box::new(todo.clone()),
            };
            Ok(ToolOutcome {
                change: Some(change),
                ..ToolOutcome::todo(text, summary, todo, true)
            })
        }
        Err(e) => refused_or_failure(e),
    }
}

async fn add_notes(scope: &ToolScope<'_>, id: TodoId, addition: &str) -> Outcome {
    let current = match read(scope, id).await {
        Ok(todo) => todo,
        Err(outcome) => return outcome,
    };
    let notes = if current.notes.as_str().is_empty() {
        addition.to_owned()
    } else {
        format!("{}\n{addition}", current.notes.as_str())
    };
    let patch = TodoPatch {
        notes: Some(notes),
        ..Default::default()
    };
    change(scope, id, patch, "Added notes to").await
}

async fn set_completed(scope: &ToolScope<'_>, id: TodoId, completed: bool) -> Outcome {
    let patch = TodoPatch {
        completed: Some(completed),
        ..Default::default()
    };
    let verb = if completed { "Completed" } else { "Reopened" };
    change(scope, id, patch, verb).await
}

/// Reads the todo, applies `patch` against the version just read (so a concurrent edit is a
/// conflict, never overwritten) and reports the result.
async fn change(scope: &ToolScope<'_>, id: TodoId, patch: TodoPatch, verb: &str) -> Outcome {
    match read(scope, id).await {
        Ok(current) => change_from(scope, current, patch, verb).await,
        Err(outcome) => outcome,
    }
}

/// As [`change`], for a todo the caller has just read (its patch was made from it).
async fn change_from(
    scope: &ToolScope<'_>,
    current: Todo,
    mut patch: TodoPatch,
    verb: &str,
) -> Outcome {
    let id = current.id;
    patch.version = current.version;
    match service::update(
        scope.files.store(),
        scope.user,
        id,
        patch,
        scope.files.now(),
    )
    .await
    {
        Ok(todo) => {
            let text = format!("{verb} {}", describe(&todo));
            let summary = format!("{verb} “{}”", todo.title.as_str());
            let change = Change::Edited {
                before: Box::new(current),
                after: Box::new(todo.clone()),
            };
            Ok(ToolOutcome {
                change: Some(change),
                ..ToolOutcome::todo(text, summary, todo, true)
            })
        }
        Err(e) => refused_or_failure(e),
    }
}

async fn delete_todo(scope: &ToolScope<'_>, id: TodoId) -> Outcome {
    let todo = match read(scope, id).await {
        Ok(todo) => todo,
        Err(outcome) => return outcome,
    };
    // Restorable for the restore window; then its files and their bytes go with it.
    match scope
        .files
        .delete_todo(scope.user, id, Some(todo.version))
        .await
    {
        Ok(todo) => {
            let text = format!("Deleted {}", describe(&todo));
            let summary = format!("Deleted “{}”", todo.title.as_str());
            let deleted = Some(todo.id);
            let change = Change::Deleted {
                todo: todo.id,
                version: todo.version,
                title: todo.title.as_str().to_owned(),
            };
            Ok(ToolOutcome {
                deleted,
                change: Some(change),
                ..ToolOutcome::todo(text, summary, todo, true)
            })
        }
        Err(e) => refused_or_failure(e),
    }
}

async fn list_files(scope: &ToolScope<'_>, id: TodoId) -> Outcome {
    let list = match scope.files.list_for_todo(scope.user, id).await {
        Ok(list) => list,
        Err(e) => return file_refused_or_failure(e),
    };
    let mut text = format!("{} file(s)", list.len());
    for file in &list {
        text.push_str("\n- ");
        text.push_str(&describe_file(file));
    }
    Ok(ToolOutcome {
        ok: true,
        summary: format!("Found {}", plural(list.len(), "file")),
        text,
        files: list,
        ..Default::default()
    })
}

/// The todo's title, naming it in the activity log (read after the file change, which
/// checked the todo: it is there unless deleted since).
async fn title_of(scope: &ToolScope<'_>, id: TodoId) -> Option<String> {
    let todo = scope.files.store().get_todo(scope.user, id).await.ok()?;
    Some(todo.title.as_str().to_owned())
}

async fn attach_file(scope: &ToolScope<'_>, todo: TodoId, file: FileId) -> Outcome {
    match scope.files.attach(scope.user, file, todo).await {
        Ok(file) => {
            let text = format!("Attached {} to todo [{todo}]", describe_file(&file));
            let summary = format!("Attached “{}”", file.name);
            let change = Change::FileAttached {
                file: file.name.clone(),
                title: title_of(scope, todo).await.unwrap_or_default(),
            };
            Ok(ToolOutcome {
                change: Some(change),
                ..ToolOutcome::file(text, summary, file, todo)
            })
        }
        Err(e) => file_refused_or_failure(e),
    }
}

async fn delete_file(scope: &ToolScope<'_>, todo: TodoId, file: FileId) -> Outcome {
    match scope.files.delete(scope.user, file, Some(todo)).await {
        Ok(file) => {
            let text = format!("Deleted {}", describe_file(&file));
            let summary = format!("Deleted “{}”", file.name);
            let change = Change::FileDeleted {
                file: file.name.clone(),
                title: title_of(scope, todo).await,
            };
            Ok(ToolOutcome {
                change: Some(change),
                ..ToolOutcome::file(text, summary, file, todo)
            })
        }
        Err(e) => file_refused_or_failure(e),
    }
}

async fn get_todos(scope: &ToolScope<'_>, query: &TodoQuery) -> Outcome {
    let todos = scope
        .files
        .live_todos(scope.user)
        .await
        .map_err(|e| ToolFailure(Cause::new(e)))?;
    // A todo due today at an earlier time is overdue when the user's time is known.
    let query = TodoQuery {
        now: scope.now,
        ..query.clone()
    };
    let matching = query.apply(todos, scope.today);
    let mut text = format!("{} todo(s)", matching.len());
    for todo in &matching {
        text.push_str("\n- ");
        text.push_str(&describe(todo));
    }
    Ok(ToolOutcome {
        ok: true,
        summary: format!("Found {}", plural(matching.len(), "todo")),
        text,
        todos: matching,
        ..Default::default()
    })
}

/// The todo's checklist as the PATCH takes it (ids kept, so only what the tool changes
/// changes).
fn checklist(todo: &Todo) -> Vec<SubtaskInput> {
    todo.subtasks
        .to_wire()
        .into_iter()
        .map(|s| SubtaskInput {
            id: Some(s.id),
            title: s.title,
            done: s.done,
        })
        .collect()
}

async fn add_subtasks(scope: &ToolScope<'_>, id: TodoId, steps: Vec<String>) -> Outcome {
    if steps.is_empty() {
        return Ok(ToolOutcome::refused("steps: name at least one step."));
    }
    let current = match read(scope, id).await {
        Ok(todo) => todo,
        Err(outcome) => return outcome,
    };
    let mut items = checklist(&current);
    items.extend(steps.into_iter().map(|title| SubtaskInput {
        id: None,
        title,
        done: false,
    }));
    let patch = TodoPatch {
        subtasks: Some(items),
        ..Default::default()
    };
    change(scope, id, patch, "Added steps to").await
}

async fn set_subtask_done(
    scope: &ToolScope<'_>,
    id: TodoId,
    which: &SubtaskRef,
    done: bool,
) -> Outcome {
    let current = match read(scope, id).await {
        Ok(todo) => todo,
        Err(outcome) => return outcome,
    };
    let mut items = checklist(&current);
    let index = match which {
        SubtaskRef::Position(n) => n.checked_sub(1).filter(|i| *i < items.len()),
        SubtaskRef::Id(wanted) => items.iter().position(|s| s.id.as_deref() == Some(wanted)),
    };
    let Some(index) = index else {
        return Ok(ToolOutcome::refused(format!(
            "That todo has {}; no such step.",
            plural(items.len(), "step")
        )));
    };
    items[index].done = done;
    let step = items[index].title.clone();
    let patch = TodoPatch {
        subtasks: Some(items),
        ..Default::default()
    };
    let verb = if done { "Checked" } else { "Unchecked" };
    change(scope, id, patch, &format!("{verb} “{step}” of")).await
}
