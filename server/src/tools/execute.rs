//! Runs one tool call for the verified user. User mistakes (a bad date, an unknown id) come
//! back as an unsuccessful outcome with a sentence the agent can relay; only backend failures
//! are errors. Every id is looked up under the user's own key, so another user's id is "not
//! found".

use std::collections::BTreeMap;

use app::wire::{NewTodo, TodoPatch, file::human_size};

use super::schema;
use crate::{
    files::{FileError, FileRecord, Files},
    store::{Store, StoreError},
    todos::{
        Todo, TodoId, UserId,
        domain::DueDate,
        service::{self, TodoError},
    },
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolCall {
    pub name: String,
    /// Parameters as the model (or planner) filled them in: name -> string value.
    pub params: BTreeMap<String, String>,
}

impl ToolCall {
    pub fn new(name: &str, params: &[(&str, &str)]) -> Self {
        Self {
            name: name.to_owned(),
            params: params
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .get(name)
            .map(String::as_str)
            .map(str::trim)
            .filter(|v| !v.is_empty())
    }
}

#[derive(Debug, Clone, Default)]
pub struct ToolOutcome {
    /// False when the call was refused (bad input, unknown id); `text` says why.
    pub ok: bool,
    /// Short, model-friendly result.
    pub text: String,
    /// One line for the UI's tool card.
    pub summary: String,
    /// The todos the call read or wrote (as they are now).
    pub todos: Vec<Todo>,
    /// The files the call listed, attached or deleted.
    pub files: Vec<FileRecord>,
    /// Ids created, changed or deleted: the UI refreshes them.
    pub changed: Vec<TodoId>,
}

impl ToolOutcome {
    fn refused(text: impl Into<String>) -> Self {
        let text = text.into();
        Self {
            ok: false,
            summary: text.clone(),
            text,
            ..Default::default()
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("tool failed: {0}")]
pub struct ToolFailure(pub String);

fn refused_or_failure(err: TodoError) -> Result<ToolOutcome, ToolFailure> {
    match err {
        TodoError::Invalid(e) => Ok(ToolOutcome::refused(e.0)),
        TodoError::Store(StoreError::NotFound) => Ok(ToolOutcome::refused("No todo with that id.")),
        TodoError::Store(StoreError::VersionConflict { .. }) => Ok(ToolOutcome::refused(
            "The todo was changed at the same time; read it again and retry.",
        )),
        TodoError::Store(e) => Err(ToolFailure(e.to_string())),
    }
}

fn file_refused_or_failure(err: FileError) -> Result<ToolOutcome, ToolFailure> {
    match err {
        FileError::Backend(e) => Err(ToolFailure(e)),
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

/// One line describing a todo for a model: id, title, due date, state.
pub fn describe(todo: &Todo) -> String {
    let due = todo
        .date_due
        .map(|d| format!(", due {}", d.to_iso()))
        .unwrap_or_default();
    let state = if todo.completed { "completed" } else { "open" };
    format!("[{}] {}{due}, {state}", todo.id, todo.title.as_str())
}

/// Runs `call`; todo tools use `store`, file tools `files` (on the same store).
pub async fn execute(
    store: &dyn Store,
    files: &Files,
    user: &UserId,
    today: DueDate,
    call: &ToolCall,
) -> Result<ToolOutcome, ToolFailure> {
    let Some(spec) = schema::find(&call.name) else {
        return Ok(ToolOutcome::refused(format!(
            "There is no tool called {}.",
            call.name
        )));
    };
    for param in spec.params.iter().filter(|p| p.required) {
        if call.param(param.name).is_none() {
            return Ok(ToolOutcome::refused(format!(
                "{} needs the parameter {}.",
                spec.name, param.name
            )));
        }
    }
    let todo_id = match call.param("todoId").map(TodoId::parse).transpose() {
        Ok(id) => id,
        Err(e) => return Ok(ToolOutcome::refused(e.0)),
    };
    match (spec.name, todo_id) {
        ("getTodos", _) => get_todos(store, user, today, call).await,
        ("addTodo", _) => {
            let input = NewTodo {
                title: call.param("title").unwrap_or_default().to_owned(),
                description: call.param("description").map(str::to_owned),
                notes: None,
                date_due: call.param("dateDue").map(str::to_owned),
            };
            match service::create(store, user, input).await {
                Ok(todo) => Ok(ToolOutcome {
                    ok: true,
                    text: format!("Added {}", describe(&todo)),
                    summary: format!("Added “{}”", todo.title.as_str()),
                    files: vec![],
                    changed: vec![todo.id],
                    todos: vec![todo],
                }),
                Err(e) => refused_or_failure(e),
            }
        }
        ("getTodo", Some(id)) => match store.get_todo(user, id).await {
            Ok(todo) => {
                let mut text = describe(&todo);
                if !todo.description.as_str().is_empty() {
                    text.push_str(&format!("\nDescription: {}", todo.description.as_str()));
                }
                if !todo.notes.as_str().is_empty() {
                    text.push_str(&format!("\nNotes: {}", todo.notes.as_str()));
                }
                Ok(ToolOutcome {
                    ok: true,
                    text,
                    summary: format!("Read “{}”", todo.title.as_str()),
                    todos: vec![todo],
                    files: vec![],
                    changed: vec![],
                })
            }
            Err(e) => refused_or_failure(e.into()),
        },
        ("updateTodo", Some(id)) => {
            let date_due = call
                .param("dateDue")
                .map(|d| match d.to_lowercase().as_str() {
                    "none" | "null" | "clear" => None,
                    _ => Some(d.to_owned()),
                });
            let patch = TodoPatch {
                title: call.param("title").map(str::to_owned),
                description: call.params.get("description").cloned(),
                date_due,
                ..Default::default()
            };
            change(store, user, id, patch, "Updated").await
        }
        ("addTodoNotes", Some(id)) => {
            let current = match store.get_todo(user, id).await {
                Ok(todo) => todo,
                Err(e) => return refused_or_failure(e.into()),
            };
            let addition = call.param("notes").unwrap_or_default();
            let notes = if current.notes.as_str().is_empty() {
                addition.to_owned()
            } else {
                format!("{}\n{addition}", current.notes.as_str())
            };
            let patch = TodoPatch {
                notes: Some(notes),
                ..Default::default()
            };
            change(store, user, id, patch, "Added notes to").await
        }
        ("completeTodo", Some(id)) => {
            let patch = TodoPatch {
                completed: Some(true),
                ..Default::default()
            };
            change(store, user, id, patch, "Completed").await
        }
        ("reopenTodo", Some(id)) => {
            let patch = TodoPatch {
                completed: Some(false),
                ..Default::default()
            };
            change(store, user, id, patch, "Reopened").await
        }
        ("deleteTodo", Some(id)) => {
            let todo = match store.get_todo(user, id).await {
                Ok(todo) => todo,
                Err(e) => return refused_or_failure(e.into()),
            };
            // The todo's files and their bytes go with it.
            match files.delete_todo(user, id, Some(todo.version)).await {
                Ok(()) => Ok(ToolOutcome {
                    ok: true,
                    text: format!("Deleted {}", describe(&todo)),
                    summary: format!("Deleted “{}”", todo.title.as_str()),
                    changed: vec![id],
                    todos: vec![todo],
                    ..Default::default()
                }),
                Err(e) => refused_or_failure(e),
            }
        }
        ("listTodoFiles", Some(id)) => match files.list_for_todo(user, id).await {
            Ok(list) => {
                let mut text = format!("{} file(s)", list.len());
                for file in &list {
                    text.push_str("\n- ");
                    text.push_str(&describe_file(file));
                }
                Ok(ToolOutcome {
                    ok: true,
                    summary: format!(
                        "Found {} file{}",
                        list.len(),
                        if list.len() == 1 { "" } else { "s" }
                    ),
                    text,
                    files: list,
                    ..Default::default()
                })
            }
            Err(e) => file_refused_or_failure(e),
        },
        ("addTodoFile", Some(id)) => {
            let file_id = call.param("fileId").unwrap_or_default();
            match files.attach(user, file_id, id).await {
                Ok(file) => Ok(ToolOutcome {
                    ok: true,
                    text: format!("Attached {} to todo [{id}]", describe_file(&file)),
                    summary: format!("Attached “{}”", file.name),
                    files: vec![file],
                    changed: vec![id],
                    ..Default::default()
                }),
                Err(e) => file_refused_or_failure(e),
            }
        }
        ("deleteTodoFile", Some(id)) => {
            let file_id = call.param("fileId").unwrap_or_default();
            match files.delete(user, file_id, Some(id)).await {
                Ok(file) => Ok(ToolOutcome {
                    ok: true,
                    text: format!("Deleted {}", describe_file(&file)),
                    summary: format!("Deleted “{}”", file.name),
                    files: vec![file],
                    changed: vec![id],
                    ..Default::default()
                }),
                Err(e) => file_refused_or_failure(e),
            }
        }
        _ => Ok(ToolOutcome::refused(format!(
            "{} needs the parameter todoId.",
            spec.name
        ))),
    }
}

/// Reads the todo, applies `patch` against the version just read (so a concurrent edit is a
/// conflict, never overwritten) and reports the result.
async fn change(
    store: &dyn Store,
    user: &UserId,
    id: TodoId,
    mut patch: TodoPatch,
    verb: &str,
) -> Result<ToolOutcome, ToolFailure> {
    let current = match store.get_todo(user, id).await {
        Ok(todo) => todo,
        Err(e) => return refused_or_failure(e.into()),
    };
    patch.version = current.version;
    match service::update(store, user, id, patch).await {
        Ok(todo) => Ok(ToolOutcome {
            ok: true,
            text: format!("{verb} {}", describe(&todo)),
            summary: format!("{verb} “{}”", todo.title.as_str()),
            files: vec![],
            changed: vec![todo.id],
            todos: vec![todo],
        }),
        Err(e) => refused_or_failure(e),
    }
}

async fn get_todos(
    store: &dyn Store,
    user: &UserId,
    today: DueDate,
    call: &ToolCall,
) -> Result<ToolOutcome, ToolFailure> {
    let date = |name: &str| call.param(name).map(DueDate::parse).transpose();
    let (from, to) = match (date("dueFrom"), date("dueTo")) {
        (Ok(from), Ok(to)) => (from, to),
        (Err(e), _) | (_, Err(e)) => return Ok(ToolOutcome::refused(e.0)),
    };
    let status = call.param("status").unwrap_or("all").to_lowercase();
    if !["all", "open", "completed", "overdue"].contains(&status.as_str()) {
        return Ok(ToolOutcome::refused(
            "status must be all, open, completed or overdue.",
        ));
    }
    let text = call.param("text").map(str::to_lowercase);
    let todos = store
        .list_todos(user)
        .await
        .map_err(|e| ToolFailure(e.to_string()))?;
    let matching: Vec<Todo> = todos
        .into_iter()
        .filter(|t| match status.as_str() {
            "open" => !t.completed,
            "completed" => t.completed,
            "overdue" => !t.completed && t.date_due.is_some_and(|d| d < today),
            _ => true,
        })
        .filter(|t| from.is_none_or(|from| t.date_due.is_some_and(|d| d >= from)))
        .filter(|t| to.is_none_or(|to| t.date_due.is_some_and(|d| d <= to)))
        .filter(|t| {
            text.as_ref().is_none_or(|needle| {
                [t.title.as_str(), t.description.as_str(), t.notes.as_str()]
                    .iter()
                    .any(|field| field.to_lowercase().contains(needle.as_str()))
            })
        })
        .collect();
    let mut text = format!("{} todo(s)", matching.len());
    for todo in &matching {
        text.push_str("\n- ");
        text.push_str(&describe(todo));
    }
    Ok(ToolOutcome {
        ok: true,
        summary: format!(
            "Found {} todo{}",
            matching.len(),
            if matching.len() == 1 { "" } else { "s" }
        ),
        text,
        todos: matching,
        files: vec![],
        changed: vec![],
    })
}
