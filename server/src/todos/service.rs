//! Todo operations: parse wire input into domain values, then read and write through the
//! `Store`. Shared by the HTTP API and the assistant's tools, so both validate alike.

use app::wire::{NewTodo, TodoPatch};

use super::lists::{self, ListError};
use crate::{
    domain::{
        BoundedText, Cause, DueDate, InvalidInput, ListId, Todo, TodoId, TodoTitle, UserId,
        todo::{DESCRIPTION_MAX_CHARS, NOTES_MAX_CHARS},
    },
    store::{Store, StoreError},
};

#[derive(Debug, thiserror::Error)]
pub enum TodoError {
    #[error(transparent)]
    Invalid(#[from] InvalidInput),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The account holds as many todos as it may.
    #[error("You have {0} todos, the most one account can hold; delete some first.")]
    QuotaExceeded(usize),
}

/// Checking a todo's list gives bad input or a store failure, nothing else.
impl From<ListError> for TodoError {
    fn from(err: ListError) -> Self {
        match err {
            ListError::Invalid(e) => Self::Invalid(e),
            ListError::Store(e) => Self::Store(e),
            other => Self::Store(StoreError::Backend(Cause::new(other))),
        }
    }
}

/// The stored list of a todo's `listId` (`None`: the Inbox), checked to be the owner's.
async fn list_id(
    store: &dyn Store,
    owner: &UserId,
    raw: Option<&str>,
) -> Result<Option<Option<ListId>>, TodoError> {
    match raw {
        Some(raw) => Ok(Some(lists::todo_list_id(store, owner, raw).await?)),
        None => Ok(None),
    }
}

fn description(raw: &str) -> Result<BoundedText, InvalidInput> {
    BoundedText::parse(raw, "description", DESCRIPTION_MAX_CHARS)
}

fn notes(raw: &str) -> Result<BoundedText, InvalidInput> {
    BoundedText::parse(raw, "notes", NOTES_MAX_CHARS)
}

/// Creates a todo if the owner holds fewer than `max_todos` live ones (counted by the store
/// in the same transaction as the insert, so concurrent creates cannot pass it together).
pub async fn create(
    store: &dyn Store,
    owner: &UserId,
    input: NewTodo,
    max_todos: usize,
    at: jiff::Timestamp,
) -> Result<Todo, TodoError> {
    let todo = Todo {
        owner: owner.clone(),
        id: TodoId::new(),
        title: TodoTitle::parse(&input.title)?,
        description: description(input.description.as_deref().unwrap_or(""))?,
        notes: notes(input.notes.as_deref().unwrap_or(""))?,
        date_due: input.date_due.as_deref().map(DueDate::parse).transpose()?,
        list_id: list_id(store, owner, input.list_id.as_deref())
            .await?
            .flatten(),
        completed: false,
        created_at: at,
        updated_at: at,
        version: 1,
        deleted_until: None,
        search: Default::default(),
        purging: false,
    };
    match store.create_todo_within(&todo, max_todos).await {
        Ok(()) => Ok(todo),
        Err(StoreError::LimitReached) => Err(TodoError::QuotaExceeded(max_todos)),
        Err(e) => Err(e.into()),
    }
}

/// Applies `patch` if the client saw the current version; otherwise nothing changes and the
/// caller gets `VersionConflict` with the version to reload.
pub async fn update(
    store: &dyn Store,
    owner: &UserId,
    id: TodoId,
    patch: TodoPatch,
    at: jiff::Timestamp,
) -> Result<Todo, TodoError> {
    // Validate everything before touching the store: bad input changes nothing.
    let title = patch.title.as_deref().map(TodoTitle::parse).transpose()?;
    let new_description = patch.description.as_deref().map(description).transpose()?;
    let new_notes = patch.notes.as_deref().map(notes).transpose()?;
    let date_due = match patch.date_due {
        None => None,
        Some(None) => Some(None),
        Some(Some(raw)) => Some(Some(DueDate::parse(&raw)?)),
    };
    let list_id = list_id(store, owner, patch.list_id.as_deref()).await?;

    let mut todo = store.get_todo(owner, id).await?;
    if todo.version != patch.version {
        return Err(StoreError::VersionConflict {
            current: todo.version,
        }
        .into());
    }
    if let Some(title) = title {
        todo.title = title;
    }
    if let Some(d) = new_description {
        todo.description = d;
    }
    if let Some(n) = new_notes {
        todo.notes = n;
    }
    if let Some(d) = date_due {
        todo.date_due = d;
    }
    if let Some(list) = list_id {
        todo.list_id = list;
    }
    if let Some(c) = patch.completed {
        todo.completed = c;
    }
    todo.version += 1;
    todo.updated_at = at;
    store.update_todo(&todo, patch.version).await?;
    Ok(todo)
}
