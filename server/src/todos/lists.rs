//! List operations: wire input parsed into domain values, then read and written through the
//! `Store`. The owner's Inbox is created here, lazily, by whatever first needs it: its id is
//! derived from the owner, so instances racing to create it write one record (one of them
//! finds it there). A todo's list is checked here too, for the todo service.

use app::wire::{ListPatch, NewList};
use jiff::Timestamp;

use crate::{
    domain::{
        InvalidInput, ListColor, ListId, ListName, Todo, TodoList, UserId,
        todo_list::{ORDER_LIMIT, parse_order, sort_for_listing},
    },
    store::{Store, StoreError},
};

#[derive(Debug, thiserror::Error)]
pub enum ListError {
    #[error(transparent)]
    Invalid(#[from] InvalidInput),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Missing, or another user's: the same answer.
    #[error("No list with that id.")]
    NotFound,
    #[error("You already have a list named “{0}”; choose another name.")]
    NameTaken(String),
    #[error("You have {0} lists, the most one account can hold; delete some first.")]
    QuotaExceeded(usize),
    /// What the Inbox cannot do (be renamed, be deleted).
    #[error("{0}")]
    Inbox(&'static str),
}

/// Changes that raced another change of the same list are read and applied again this
/// many times (a list's fields are independent: the last change of each wins).
const TRIES: usize = 3;

/// The owner's Inbox, created if it is not there yet.
pub async fn inbox(
    store: &dyn Store,
    owner: &UserId,
    at: Timestamp,
) -> Result<TodoList, StoreError> {
    let id = ListId::inbox_of(owner);
    match store.get_list(owner, id).await {
        Err(StoreError::NotFound) => {}
        found => return found,
    }
    let inbox = TodoList::inbox(owner, at);
    match store.create_list_within(&inbox, usize::MAX).await {
        Ok(()) => Ok(inbox),
        // Another request (any instance) made it first: the same record.
        Err(StoreError::AlreadyExists) => store.get_list(owner, id).await,
        Err(e) => Err(e),
    }
}

/// The owner's lists as shown: the Inbox (created if missing) first, then by `order`.
pub async fn all(
    store: &dyn Store,
    owner: &UserId,
    at: Timestamp,
) -> Result<Vec<TodoList>, ListError> {
    let mut lists = store.list_lists(owner).await?;
    if !lists.iter().any(|list| list.inbox) {
        lists.push(inbox(store, owner, at).await?);
    }
    sort_for_listing(&mut lists);
    Ok(lists)
}

/// One of the owner's lists (the Inbox is created if asked for).
pub async fn get(
    store: &dyn Store,
    owner: &UserId,
    id: ListId,
    at: Timestamp,
) -> Result<TodoList, ListError> {
    if id == ListId::inbox_of(owner) {
        return Ok(inbox(store, owner, at).await?);
    }
    match store.get_list(owner, id).await {
        Err(StoreError::NotFound) => Err(ListError::NotFound),
        other => Ok(other?),
    }
}

/// Creates a list after the owner's others (`order` one more than the highest), with the
/// next color of the palette unless one is asked for, within `max_lists`.
pub async fn create(
    store: &dyn Store,
    owner: &UserId,
    input: NewList,
    max_lists: usize,
    at: Timestamp,
) -> Result<TodoList, ListError> {
    let name = ListName::parse(&input.name)?;
    let color = input.color.as_deref().map(ListColor::parse).transpose()?;
    // The Inbox first, so its name is taken before any other list can take it.
    let lists = all(store, owner, at).await?;
    let last = lists.iter().filter(|l| !l.inbox).map(|l| l.order).max();
    let list = TodoList {
        owner: owner.clone(),
        id: ListId::new(),
        name: name.clone(),
        color: color.unwrap_or_else(|| ListColor::default_for(lists.len())),
        order: last.map_or(1, |order| order.saturating_add(1).min(ORDER_LIMIT)),
        inbox: false,
        created_at: at,
        updated_at: at,
        version: 1,
    };
    match store.create_list_within(&list, max_lists).await {
        Ok(()) => Ok(list),
        Err(StoreError::NameTaken) => Err(ListError::NameTaken(name.as_str().to_owned())),
        Err(StoreError::LimitReached) => Err(ListError::QuotaExceeded(max_lists)),
        Err(e) => Err(e.into()),
    }
}

/// Renames, recolors or moves a list; the Inbox keeps its name. Returns the list as the
/// write found it and as it left it (the activity log's "before" and "after").
pub async fn update(
    store: &dyn Store,
    owner: &UserId,
    id: ListId,
    patch: ListPatch,
    at: Timestamp,
) -> Result<(TodoList, TodoList), ListError> {
    // Everything is checked before anything is written: bad input changes nothing.
    let name = patch.name.as_deref().map(ListName::parse).transpose()?;
    let color = patch.color.as_deref().map(ListColor::parse).transpose()?;
    let order = patch.order.map(parse_order).transpose()?;
    for _ in 0..TRIES {
        let before = get(store, owner, id, at).await?;
        let mut list = before.clone();
        let expected = list.version;
        if let Some(name) = &name {
            if list.inbox && name.as_str() != list.name.as_str() {
                return Err(ListError::Inbox("The Inbox cannot be renamed."));
            }
            list.name = name.clone();
        }
        if let Some(color) = color {
            list.color = color;
        }
        if let Some(order) = order {
            list.order = order;
        }
        list.version += 1;
        list.updated_at = at;
        match store.update_list(&list, expected).await {
            Ok(()) => return Ok((before, list)),
            Err(StoreError::NameTaken) => {
                return Err(ListError::NameTaken(list.name.as_str().to_owned()));
            }
            Err(StoreError::NotFound) => return Err(ListError::NotFound),
            Err(StoreError::VersionConflict { .. }) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(StoreError::Changed.into())
}

/// Deletes a list's record (not the Inbox). Its todos are the caller's to move or delete
/// (`move_to_inbox`), after: from then on no todo can be put in it.
pub async fn delete(store: &dyn Store, owner: &UserId, id: ListId) -> Result<TodoList, ListError> {
    if id == ListId::inbox_of(owner) {
        return Err(ListError::Inbox(
            "The Inbox cannot be deleted; it holds every todo without another list.",
        ));
    }
    let list = match store.get_list(owner, id).await {
        Err(StoreError::NotFound) => return Err(ListError::NotFound),
        other => other?,
    };
    match store.delete_list(owner, id).await {
        Err(StoreError::NotFound) => Err(ListError::NotFound),
        other => Ok(other.map(|()| list)?),
    }
}

/// Puts every todo of list `id` in the Inbox (one more version each), deleted ones waiting
/// for a restore too, so none is left naming a list that is gone; returns the live ones as
/// written. A todo changed meanwhile is read again.
pub async fn move_to_inbox(
    store: &dyn Store,
    owner: &UserId,
    id: ListId,
    at: Timestamp,
) -> Result<Vec<Todo>, StoreError> {
    let mut moved = Vec::new();
    for todo in store.list_todo_records(owner).await? {
        if todo.list_id != Some(id) {
            continue;
        }
        let mut todo = todo;
        for _ in 0..TRIES {
            let expected = todo.version;
            todo.list_id = None;
            todo.version += 1;
            todo.updated_at = at;
            match store.update_todo(&todo, expected).await {
                Ok(()) => {
                    if todo.is_live() {
                        moved.push(todo);
                    }
                    break;
                }
                Err(StoreError::VersionConflict { .. }) => {
                    todo = store.get_todo_record(owner, todo.id).await?;
                    if todo.list_id != Some(id) {
                        break;
                    }
                }
                // Purged meanwhile.
                Err(StoreError::NotFound) => break,
                Err(e) => return Err(e),
            }
        }
    }
    Ok(moved)
}

/// The list a todo asks for (`listId` of a new todo or a patch), as stored: `None` for the
/// Inbox. An unknown id, or another user's, is refused as input, saying nothing about
/// other users' lists.
pub async fn todo_list_id(
    store: &dyn Store,
    owner: &UserId,
    raw: &str,
) -> Result<Option<ListId>, ListError> {
    let id = ListId::parse(raw).map_err(|e| InvalidInput(format!("listId: {e}")))?;
    if id == ListId::inbox_of(owner) {
        return Ok(None);
    }
    match store.get_list(owner, id).await {
        Ok(_) => Ok(Some(id)),
        Err(StoreError::NotFound) => {
            Err(InvalidInput(format!("listId: {id} is none of your lists.")).into())
        }
        Err(e) => Err(e.into()),
    }
}
