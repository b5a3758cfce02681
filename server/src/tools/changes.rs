//! Change records: what a tool call changed in a todo, kept by the tool layer (not by the
//! model) so that a card's Undo, `POST /api/chat/undo` and "undo that" put the todo back, the
//! same for every agent and on any instance. Each record is a Store entry
//! (`change:<sub>:<id>`, kept `CHANGE_TTL`): recording one costs one write; the
//! "before" values come from the read the tool made anyway. An undo is refused when the todo
//! changed since (it is no longer as the change left it), so it never overwrites someone's
//! later edit; undoing changes newest first works ("undo" twice takes back an edit, then the
//! add), since each undo leaves the todo as the change before it had left it.
//!
//! Each record names its actor (the assistant, an MCP client, a personal access token) and
//! the owner's records are listed newest first ([`list`]): the activity log
//! (`GET /api/activity`), with Undo by the same rules.

use app::wire::chat::ChatMessage;
use serde::{Deserialize, Serialize};

use jiff::Timestamp;

use crate::{
    domain::{Actor, Cause, ChangeId, ConversationId, Entry, Todo, TodoId, TodoList, UserId, text},
    files::Files,
    store::StoreError,
    todos::{labels::Relabelled, service::TodoError},
};

mod lists_and_labels;
mod wording;

/// How long a change can be undone (a deleted todo only while its restore window is open).
pub const CHANGE_TTL: jiff::SignedDuration = jiff::SignedDuration::from_hours(30 * 24);

/// What one call changed, with what undoing it needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// Created as `todo`.
    Added { todo: Box<Todo> },
    /// Completed, reopened, renamed, rescheduled, noted: from `before` to `after`.
    Edited { before: Box<Todo>, after: Box<Todo> },
    /// Moved to the trash at `version`.
    Deleted {
        todo: TodoId,
        version: u64,
        /// Its title, for the activity log (absent from records made before it).
        #[serde(default)]
        title: String,
    },
    /// A deleted todo brought back, at `version`: undone by deleting it again.
    Restored {
        todo: TodoId,
        version: u64,
        title: String,
    },
    /// A list renamed, recolored or moved: from `before` to `after`.
    ListEdited {
        before: Box<TodoList>,
        after: Box<TodoList>,
    },
    /// A label renamed on every live todo that had it (`todos`: each one written).
    LabelRenamed {
        from: String,
        to: String,
        todos: Vec<Relabelled>,
    },
    /// A list created.
    ListCreated { name: String },
    /// A list deleted; its live todos `moved` to the Inbox, or `deleted` with it.
    ListDeleted {
        name: String,
        moved: usize,
        deleted: usize,
    },
    /// The file `file` attached to the todo titled `title`.
    FileAttached { file: String, title: String },
    /// The file `file` deleted, from the todo titled `title` when it was on one.
    FileDeleted { file: String, title: Option<String> },
    /// An import that wrote `todos` todos and created `lists` lists.
    Imported { todos: usize, lists: usize },
    /// A plan's chosen items, applied together and undone together (all parts or none).
    Set { summary: String, parts: Vec<Change> },
}

impl Change {
    /// Why a change of this kind is never undone, or `None` when an undo exists for it (it
    /// may still be refused when things changed since).
    pub fn never_undone(&self) -> Option<&'static str> {
        match self {
            Self::Added { .. }
            | Self::Edited { .. }
            | Self::Deleted { .. }
            | Self::Restored { .. }
            | Self::ListEdited { .. }
            | Self::LabelRenamed { .. }
            | Self::Set { .. } => None,
            // Taking a list back is deleting it, which asks what becomes of its todos.
            Self::ListCreated { .. } => Some(
                "Creating a list is not undone from here: delete the list instead (you choose what becomes of its todos).",
            ),
            // Its record is gone; its todos are in the Inbox (or restorable one by one).
            Self::ListDeleted { .. } => Some(
                "A deleted list cannot be brought back; its deleted todos can be restored one by one.",
            ),
            // A file taken off its todo would be on none, where nothing shows it.
            Self::FileAttached { .. } => Some(
                "Attaching a file is not undone from here: remove the file from the todo instead.",
            ),
            // Its bytes were deleted with it.
            Self::FileDeleted { .. } => Some("A deleted file is gone; it cannot be brought back."),
            // Thousands of writes, some since edited: deleting what it added is the user's call.
            Self::Imported { .. } => Some(
                "An import is not undone as one change: delete the todos or the list it added instead.",
            ),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct ChangeRecord {
    change: Change,
    /// The conversation whose card shows it (marked undone there).
    #[serde(default)]
    session_id: Option<ConversationId>,
    #[serde(default)]
    undone: bool,
    /// Who made it (records from before actors were the assistant's).
    #[serde(default)]
    actor: Actor,
    /// When it was made (absent from records made before it: then its id's time).
    #[serde(default)]
    at: Option<Timestamp>,
}

/// Where change records were kept before they could be listed (entries, until their 30
/// days run out): a card from then still undoes.
fn legacy_key(owner: &UserId, change_id: ChangeId) -> String {
    format!("change:{}:{change_id}", owner.as_str())
}

/// Records `change` made by `actor` for `owner`; returns its id (the card's `changeId`).
pub async fn record(
    files: &Files,
    owner: &UserId,
    session_id: Option<ConversationId>,
    change: Change,
    actor: Actor,
) -> Result<ChangeId, StoreError> {
    let id = ChangeId::new();
    let at = files.now();
    let body = serde_json::to_value(ChangeRecord {
        change,
        session_id,
        undone: false,
        actor,
        at: Some(at),
    })
    .map_err(|e| StoreError::Backend(Cause::new(e)))?;
    let entry = Entry::new(id.to_string(), body, at + CHANGE_TTL);
    files
        .store()
        .put_change(owner, id, &entry, None, at)
        .await?;
    Ok(id)
}

/// What an undo did.
#[derive(Debug, Clone, PartialEq)]
pub enum Undone {
    /// The todo as it is again.
    Restored(Box<Todo>),
    /// An added (or restored) todo was removed.
    Removed { title: String, id: TodoId },
    /// A list is as it was again.
    List(Box<TodoList>),
    /// The label `label` is back on `todos`.
    Relabelled { label: String, todos: Vec<Todo> },
    /// A change set was undone whole: the todos it had changed, as they are again (those
    /// it had added are gone).
    Set(Vec<Todo>),
}

#[derive(Debug, thiserror::Error)]
pub enum UndoError {
    /// No such change for this user (or too old).
    #[error("{0}")]
    NotFound(String),
    /// The todo changed since, or the change was undone already: nothing was done.
    #[error("{0}")]
    Conflict(String),
    /// Undoing it would pass the todo quota: nothing was done.
    #[error("{0}")]
    QuotaExceeded(String),
    #[error(transparent)]
    Backend(#[from] StoreError),
}

/// The todo is as `after` left it: the same version, or the same values at a later version
/// (an undo of a later change put them back).
fn unchanged_since(current: &Todo, after: &Todo) -> bool {
    current.version == after.version
        || (current.title == after.title
            && current.description == after.description
            && current.notes == after.notes
            && current.date_due == after.date_due
            && current.labels == after.labels
            && current.priority == after.priority
            && current.subtasks == after.subtasks
            && current.list_id == after.list_id
            && current.completed == after.completed)
}

fn changed_since(todo: &Todo) -> UndoError {
    UndoError::Conflict(format!(
        "“{}” has changed since, so this was not undone (that would lose the later change).",
        todo.title.as_str()
    ))
}

fn from_todo_error(err: TodoError, todo: &Todo) -> UndoError {
    match err {
        TodoError::Store(StoreError::VersionConflict { .. } | StoreError::Changed) => {
            changed_since(todo)
        }
        TodoError::Store(StoreError::NotFound) => UndoError::Conflict(format!(
            "“{}” was deleted since; there is nothing to undo.",
            todo.title.as_str()
        )),
        TodoError::Store(e) => UndoError::Backend(e),
        quota @ (TodoError::QuotaExceeded(_) | TodoError::LabelQuotaExceeded(_)) => {
            UndoError::QuotaExceeded(quota.to_string())
        }
        other => UndoError::Backend(StoreError::Backend(Cause::new(other))),
    }
}

/// Undoes the change `change_id` of `owner`'s, marks it undone (in its record and on its card
/// in the conversation), and says what it did.
pub async fn undo(files: &Files, owner: &UserId, change_id: ChangeId) -> Result<Undone, UndoError> {
    let unknown = || UndoError::NotFound("No such change to undo (or it is too old).".into());
    let store = files.store();
    let at = files.now();
    let (entry, legacy) = match store.get_change(owner, change_id, at).await? {
        Some(entry) => (entry, false),
        None => (
            store
                .get_entry(&legacy_key(owner, change_id), at)
                .await?
                .ok_or_else(unknown)?,
            true,
        ),
    };
    let mut record: ChangeRecord = serde_json::from_value(entry.body.clone())
        .map_err(|e| StoreError::Backend(Cause::new(e)))?;
    if record.undone {
        return Err(UndoError::Conflict(
            "That change was undone already.".into(),
        ));
    }
    let undone = apply(files, owner, &record.change).await?;
    record.undone = true;
    let body = serde_json::to_value(&record).map_err(|e| StoreError::Backend(Cause::new(e)))?;
    let next = entry.next(body, entry.expires_at);
    // The todo's version already stops a second undo; this makes it say so clearly.
    let marked = if legacy {
        store.put_entry(&next, Some(entry.version), at).await
    } else {
        store
            .put_change(owner, change_id, &next, Some(entry.version), at)
            .await
    };
    match marked {
        Ok(()) | Err(StoreError::Changed) => {}
        Err(e) => tracing::warn!(error = %e, "change not marked undone"),
    }
    if let Some(session_id) = record.session_id
        && let Err(e) = mark_card(files, owner, session_id, change_id).await
    {
        tracing::warn!(error = %e, "card not marked undone");
    }
    Ok(undone)
}

async fn apply(files: &Files, owner: &UserId, change: &Change) -> Result<Undone, UndoError> {
    let store = files.store();
    match change {
        Change::Set { parts, .. } => {
            // Every part is checked before any is undone, so a set comes back whole or not
            // at all (a write racing between the check and the undo is the one exception).
            // Only each todo's last part must match the todo now: undoing it (newest first)
            // leaves the todo as the part before it had left it.
            let now = files.now();
            let held = Held {
                todos: store.list_todo_records_shared(owner).await?,
                lists: Vec::new(),
            };
            let last_parts = parts.iter().enumerate().filter(|(i, part)| {
                !parts[i + 1..]
                    .iter()
                    .any(|later| todo_of(later) == todo_of(part))
            });
            if let Some(why) = last_parts
                .clone()
                .find_map(|(_, part)| blocker(part, &held, now))
            {
                return Err(UndoError::Conflict(why));
            }
            let mut todos: Vec<Todo> = Vec::with_capacity(parts.len());
            for part in parts.iter().rev() {
                let back = match Box::pin(apply(files, owner, part)).await? {
                    Undone::Restored(todo) => vec![*todo],
                    Undone::Removed { id, .. } => {
                        todos.retain(|t| t.id != id);
                        vec![]
                    }
                    Undone::Set(more) => more,
                    // A plan's parts are changes to todos.
                    Undone::List(_) | Undone::Relabelled { .. } => vec![],
                };
                for todo in back {
                    // The earliest part undone last: its todo is how it is now.
                    todos.retain(|t| t.id != todo.id);
                    todos.push(todo);
                }
            }
            todos.sort_by_key(|t| t.id);
            Ok(Undone::Set(todos))
        }
        Change::Added { todo: added } => {
            let current = match store.get_todo(owner, added.id).await {
                Ok(current) => current,
                Err(StoreError::NotFound) => {
                    return Err(UndoError::Conflict(
                        "That todo was deleted since; there is nothing to undo.".into(),
                    ));
                }
                Err(e) => return Err(e.into()),
            };
            if !unchanged_since(&current, added) {
                return Err(changed_since(&current));
            }
            files
                .delete_todo(owner, current.id, Some(current.version))
                .await
                .map_err(|e| from_todo_error(e, &current))?;
            Ok(Undone::Removed {
                title: current.title.as_str().to_owned(),
                id: current.id,
            })
        }
        Change::Edited { before, after } => {
            let current = match store.get_todo(owner, before.id).await {
                Ok(current) => current,
                Err(StoreError::NotFound) => {
                    return Err(from_todo_error(StoreError::NotFound.into(), before));
                }
                Err(e) => return Err(e.into()),
            };
            if !unchanged_since(&current, after) {
                return Err(changed_since(&current));
            }
            let restored = Todo {
                version: current.version + 1,
                updated_at: files.now(),
                deleted_until: None,
                purging: false,
                ..(**before).clone()
            };
            store
                .update_todo(&restored, current.version)
                .await
                .map_err(|e| from_todo_error(e.into(), &current))?;
            Ok(Undone::Restored(Box::new(restored)))
        }
        Change::Deleted { todo, version, .. } => {
            let gone = || {
                UndoError::Conflict(
                    "The restore window has closed: that todo was deleted for good.".into(),
                )
            };
            let record = match store.get_todo_record(owner, *todo).await {
                Ok(record) => record,
                Err(StoreError::NotFound) => return Err(gone()),
                Err(e) => return Err(e.into()),
            };
            if record.is_live() {
                return Err(UndoError::Conflict(format!(
                    "“{}” is back already.",
                    record.title.as_str()
                )));
            }
            if record.version != *version {
                return Err(changed_since(&record));
            }
            match files.restore_todo(owner, *todo).await {
                Ok(todo) => Ok(Undone::Restored(Box::new(todo))),
                Err(TodoError::Store(StoreError::NotFound)) => Err(gone()),
                Err(e) => Err(from_todo_error(e, &record)),
            }
        }
        Change::Restored {
            todo,
            version,
            title,
        } => {
            let current = match store.get_todo(owner, *todo).await {
                Ok(current) => current,
                Err(StoreError::NotFound) => {
                    return Err(UndoError::Conflict(format!(
                        "“{title}” was deleted since; there is nothing to undo."
                    )));
                }
                Err(e) => return Err(e.into()),
            };
            if current.version != *version {
                return Err(changed_since(&current));
            }
            // Back to the trash, restorable again for the restore window.
            files
                .delete_todo(owner, current.id, Some(current.version))
                .await
                .map_err(|e| from_todo_error(e, &current))?;
            Ok(Undone::Removed {
                title: current.title.as_str().to_owned(),
                id: current.id,
            })
        }
        Change::ListEdited { before, after } => {
            lists_and_labels::undo_list_edit(store, owner, before, after, files.now()).await
        }
        Change::LabelRenamed { from, to, todos } => {
            lists_and_labels::undo_label_rename(store, owner, from, to, todos, files.now()).await
        }
        Change::ListCreated { .. }
        | Change::ListDeleted { .. }
        | Change::FileAttached { .. }
        | Change::FileDeleted { .. }
        | Change::Imported { .. } => Err(UndoError::Conflict(
            change.never_undone().unwrap_or_default().to_owned(),
        )),
    }
}

/// Marks the card that showed the change as undone in its conversation's transcript.
async fn mark_card(
    files: &Files,
    owner: &UserId,
    session_id: ConversationId,
    change_id: ChangeId,
) -> Result<(), StoreError> {
    // Cards carry the id as the client reads it.
    let change_id = change_id.to_string();
    let store = files.store();
    let Some(mut session) = store.get_chat_session(owner, session_id).await? else {
        return Ok(());
    };
    let card = session
        .messages
        .iter_mut()
        .flat_map(|m: &mut ChatMessage| m.tools.iter_mut())
        .find(|card| card.change_id.as_deref() == Some(change_id.as_str()));
    let marked = match card {
        Some(card) if !card.undone => {
            card.undone = true;
            true
        }
        Some(_) => false,
        // A plan's set is shown by its plan card.
        None => match session
            .messages
            .iter_mut()
            .filter_map(|m| m.plan.as_mut()?.result.as_mut())
            .find(|result| result.change_id.as_deref() == Some(change_id.as_str()))
        {
            Some(result) if !result.undone => {
                result.undone = true;
                true
            }
            _ => false,
        },
    };
    if !marked {
        return Ok(());
    }
    store.save_chat_session(&session).await
}

/// One line of the activity log.
#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    pub change_id: ChangeId,
    pub at: Timestamp,
    pub actor: Actor,
    /// "Added *Water the ferns*": markdown, the title escaped.
    pub summary: String,
    /// Not undone yet, and the todo is still as the change left it (Undo would work).
    pub undoable: bool,
}

/// The owner's changes newest first, at most `limit`, older than `before` when given; `next`
/// is where the following page starts (`None`: this was the last).
pub async fn list(
    files: &Files,
    owner: &UserId,
    before: Option<ChangeId>,
    limit: usize,
) -> Result<(Vec<Activity>, Option<ChangeId>), StoreError> {
    let store = files.store();
    let now = files.now();
    // One more than asked: whether there is a next page, without an empty last one.
    let mut entries = store.list_changes(owner, before, limit + 1, now).await?;
    let more = entries.len() > limit;
    entries.truncate(limit);
    let mut records = Vec::with_capacity(entries.len());
    for entry in &entries {
        let Ok(change_id) = ChangeId::parse(&entry.key) else {
            continue;
        };
        match serde_json::from_value::<ChangeRecord>(entry.body.clone()) {
            Ok(record) => records.push((change_id, record)),
            Err(e) => tracing::warn!(error = %e, "unreadable change record skipped"),
        }
    }
    // What "still applies" compares with: the todos, and the lists only when a list
    // change is on the page.
    let now_held = Held {
        todos: if records.is_empty() {
            Default::default()
        } else {
            store.list_todo_records_shared(owner).await?
        },
        lists: if (records.iter()).any(|(_, r)| matches!(r.change, Change::ListEdited { .. })) {
            store.list_lists(owner).await?
        } else {
            Vec::new()
        },
    };
    let mut page = Vec::with_capacity(records.len());
    for (change_id, record) in records {
        let at = record.at.or_else(|| time_of(change_id)).unwrap_or_default();
        page.push(Activity {
            change_id,
            at,
            undoable: !record.undone && still_applies(&record.change, &now_held, now),
            summary: summary(&record.change),
            actor: record.actor,
        });
    }
    let next = more.then(|| page.last().map(|a| a.change_id)).flatten();
    Ok((page, next))
}

/// The time in a UUIDv7 id (records from before `at` was kept).
fn time_of(id: ChangeId) -> Option<Timestamp> {
    let bytes = id.as_bytes();
    let ms = bytes[..6]
        .iter()
        .fold(0i64, |ms, b| (ms << 8) | i64::from(*b));
    Timestamp::from_millisecond(ms).ok()
}

/// The owner's records an activity page compares its changes with.
struct Held {
    /// Every todo record, deleted ones too.
    todos: std::sync::Arc<Vec<Todo>>,
    /// The lists, when the page has a list change (else empty).
    lists: Vec<TodoList>,
}

/// Whether undoing `change` would work now: the same test `apply` makes, on the records in hand.
fn still_applies(change: &Change, held: &Held, now: Timestamp) -> bool {
    let find = |id: TodoId| held.todos.iter().find(|t| t.id == id);
    match change {
        Change::Set { parts, .. } => parts.iter().enumerate().all(|(i, part)| {
            parts[i + 1..]
                .iter()
                .any(|later| todo_of(later) == todo_of(part))
                || still_applies(part, held, now)
        }),
        Change::Added { todo: after } | Change::Edited { after, .. } => find(after.id)
            .is_some_and(|current| current.is_live() && unchanged_since(current, after)),
        Change::Deleted { todo, version, .. } => find(*todo).is_some_and(|record| {
            !record.is_live()
                && !record.purging
                && record.version == *version
                && record.deleted_until.is_some_and(|until| until > now)
        }),
        Change::Restored { todo, version, .. } => {
            find(*todo).is_some_and(|current| current.is_live() && current.version == *version)
        }
        Change::ListEdited { after, .. } => (held.lists.iter())
            .find(|l| l.id == after.id)
            .is_some_and(|current| lists_and_labels::list_unchanged_since(current, after)),
        Change::LabelRenamed { todos, .. } => {
            lists_and_labels::relabelled_unchanged(todos, &held.todos)
        }
        Change::ListCreated { .. }
        | Change::ListDeleted { .. }
        | Change::FileAttached { .. }
        | Change::FileDeleted { .. }
        | Change::Imported { .. } => false,
    }
}

/// The todo a change is about (a set is about many: none of its own).
fn todo_of(change: &Change) -> Option<TodoId> {
    match change {
        Change::Added { todo } => Some(todo.id),
        Change::Edited { after, .. } => Some(after.id),
        Change::Deleted { todo, .. } | Change::Restored { todo, .. } => Some(*todo),
        Change::Set { .. }
        | Change::ListEdited { .. }
        | Change::LabelRenamed { .. }
        | Change::ListCreated { .. }
        | Change::ListDeleted { .. }
        | Change::FileAttached { .. }
        | Change::FileDeleted { .. }
        | Change::Imported { .. } => None,
    }
}

/// Why undoing `change` would not work now, naming the todo; `None` when it would (the
/// test [`still_applies`] makes, with the sentence a refused set answers).
fn blocker(change: &Change, held: &Held, now: Timestamp) -> Option<String> {
    if still_applies(change, held, now) {
        return None;
    }
    let todos = held.todos.as_slice();
    let named = |title: &str| format!("“{title}”");
    Some(match change {
        Change::Set { .. } => {
            "Part of that change has changed since, so nothing was undone.".into()
        }
        Change::Added { todo: after } | Change::Edited { after, .. } => {
            match todos.iter().find(|t| t.id == after.id && t.is_live()) {
                Some(current) => format!(
                    "{} has changed since, so nothing was undone (that would lose the later change).",
                    named(current.title.as_str())
                ),
                None => format!(
                    "{} was deleted since, so nothing was undone.",
                    named(after.title.as_str())
                ),
            }
        }
        Change::Deleted { todo, title, .. } => match todos.iter().find(|t| t.id == *todo) {
            Some(record) if record.is_live() => format!(
                "{} is back already, so nothing was undone.",
                named(record.title.as_str())
            ),
            _ => format!(
                "The restore window of {} has closed, so nothing was undone.",
                named(title)
            ),
        },
        // A plan's parts are changes to todos; anything else changed since is said so.
        _ => format!(
            "{}: that has changed since, so nothing was undone.",
            summary(change)
        ),
    })
}

/// What a change did, in a few words naming the todo: "Completed *Water the ferns*".
pub fn summary(change: &Change) -> String {
    let named = |title: &str| format!("*{}*", text::markdown_escape(title));
    match change {
        Change::Set { summary, parts } => {
            let n = parts.len();
            let s = if n == 1 { "" } else { "s" };
            format!("Plan: {} ({n} change{s})", text::markdown_escape(summary))
        }
        Change::Added { todo } => format!("Added {}", named(todo.title.as_str())),
        Change::Deleted { title, .. } if title.is_empty() => "Deleted a todo".into(),
        Change::Deleted { title, .. } => format!("Deleted {}", named(title)),
        Change::Edited { before, after } => {
            let title = named(after.title.as_str());
            if before.completed != after.completed {
                let verb = if after.completed {
                    "Completed"
                } else {
                    "Reopened"
                };
                return format!("{verb} {title}");
            }
            let mut what = Vec::new();
            if before.title != after.title {
                what.push("title");
            }
            if before.date_due != after.date_due || before.due_time != after.due_time {
                what.push("due date");
            }
            if before.description != after.description {
                what.push("description");
            }
            if before.notes != after.notes {
                what.push("notes");
            }
            if before.labels != after.labels {
                what.push("labels");
            }
            if before.priority != after.priority {
                what.push("priority");
            }
            if before.subtasks != after.subtasks {
                what.push("steps");
            }
            if before.list_id != after.list_id {
                what.push("list");
            }
            if before.repeat != after.repeat
                || before.repeat_after_completion != after.repeat_after_completion
            {
                what.push("repeat");
            }
            if before.reminders != after.reminders {
                what.push("reminders");
            }
            if before.title != after.title && what.len() == 1 {
                return format!("Renamed {} to {title}", named(before.title.as_str()));
            }
            if what.is_empty() {
                format!("Edited {title}")
            } else {
                format!("Edited {title} ({})", what.join(", "))
            }
        }
        Change::Restored { title, .. } => format!("Restored {}", named(title)),
        Change::ListEdited { before, after } => wording::list_edited(before, after),
        Change::LabelRenamed { from, to, todos } => wording::label_renamed(from, to, todos.len()),
        Change::ListCreated { name } => format!("Created list {}", named(name)),
        Change::ListDeleted {
            name,
            moved,
            deleted,
        } => wording::list_deleted(name, *moved, *deleted),
        Change::FileAttached { file, title } => {
            format!("Attached {} to {}", named(file), named(title))
        }
        Change::FileDeleted { file, title } => match title {
            Some(title) => format!("Removed {} from {}", named(file), named(title)),
            None => format!("Deleted {}", named(file)),
        },
        Change::Imported { todos, lists } => wording::imported(*todos, *lists),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        BoundedText, DueDate, TodoTitle,
        todo::{DESCRIPTION_MAX_CHARS, NOTES_MAX_CHARS, TITLE_MAX_CHARS},
    };

    fn todo(title: &str, description: &str, notes: &str) -> Todo {
        Todo {
            owner: UserId::from_verified_sub("9f1c2d3e-0000-4000-8000-000000000000"),
            id: TodoId::new(),
            title: TodoTitle::parse(title).unwrap(),
            description: BoundedText::parse(description, "description", DESCRIPTION_MAX_CHARS)
                .unwrap(),
            notes: BoundedText::parse(notes, "notes", NOTES_MAX_CHARS).unwrap(),
            date_due: Some(DueDate::parse("2026-12-04").unwrap()),
            labels: Default::default(),
            priority: Default::default(),
            subtasks: Default::default(),
            list_id: None,
            due_time: None,
            repeat: None,
            repeat_after_completion: false,
            completions: Default::default(),
            completed: false,
            created_at: "2026-12-04T10:00:00Z".parse().unwrap(),
            updated_at: "2026-12-04T10:00:00Z".parse().unwrap(),
            version: 3,
            deleted_until: None,
            search: Default::default(),
            purging: false,
            reminders: Default::default(),
            remind_at: None,
        }
    }

    fn record_bytes(before: Todo) -> usize {
        let mut after = before.clone();
        after.completed = true;
        after.version += 1;
        let record = ChangeRecord {
            change: Change::Edited {
                before: Box::new(before),
                after: Box::new(after),
            },
            session_id: Some(ConversationId::new()),
            undone: false,
            actor: Actor::assistant(),
            at: Some("2026-12-04T10:00:00Z".parse().unwrap()),
        };
        serde_json::to_vec(&record).unwrap().len()
    }

    #[test]
    fn a_change_record_is_small_and_always_fits_one_dynamodb_item() {
        // A typical todo: one write of well under 1 KB (one write unit).
        let typical = record_bytes(todo("Book dentist appointment", "", ""));
        assert!(typical < 1024, "{typical} bytes");
        // The largest todo there can be, in 4-byte characters (about 98 KB; measured typical: 691 bytes).
        let worst = |n| "\u{1F600}".repeat(n);
        let largest = record_bytes(todo(
            &worst(TITLE_MAX_CHARS),
            &worst(DESCRIPTION_MAX_CHARS),
            &worst(NOTES_MAX_CHARS),
        ));
        assert!(largest < 400 * 1024, "{largest} bytes");
    }

    #[test]
    fn a_label_rename_over_the_whole_todo_quota_fits_one_dynamodb_item() {
        let todos = crate::domain::Quotas::default().todos;
        let record = ChangeRecord {
            change: Change::LabelRenamed {
                from: "l".repeat(40),
                to: "m".repeat(40),
                todos: (0..todos)
                    .map(|n| Relabelled(TodoId::new(), 1_000_000 + n as u64, Some((19, 18))))
                    .collect(),
            },
            session_id: None,
            undone: false,
            actor: Actor::token(&"t".repeat(60)),
            at: Some("2026-12-04T10:00:00Z".parse().unwrap()),
        };
        let bytes = serde_json::to_vec(&record).unwrap().len();
        assert!(bytes < 400 * 1024, "{bytes} bytes");
    }

    #[test]
    fn a_summary_names_the_todo_and_what_changed() {
        let before = todo("Water the ferns", "", "");
        let added = Change::Added {
            todo: Box::new(before.clone()),
        };
        assert_eq!(summary(&added), "Added *Water the ferns*");
        let edited = |f: &dyn Fn(&mut Todo)| {
            let mut after = before.clone();
            f(&mut after);
            summary(&Change::Edited {
                before: Box::new(before.clone()),
                after: Box::new(after),
            })
        };
        assert_eq!(
            edited(&|t| t.completed = true),
            "Completed *Water the ferns*"
        );
        assert_eq!(
            edited(&|t| t.title = TodoTitle::parse("Water the *palms*").unwrap()),
            r"Renamed *Water the ferns* to *Water the \*palms\**"
        );
        assert_eq!(
            edited(&|t| {
                t.date_due = None;
                t.notes = BoundedText::parse("weekly", "notes", 100).unwrap();
            }),
            "Edited *Water the ferns* (due date, notes)"
        );
        assert_eq!(edited(&|_| {}), "Edited *Water the ferns*");
        let deleted = |title: &str| Change::Deleted {
            todo: before.id,
            version: 4,
            title: title.into(),
        };
        assert_eq!(
            summary(&deleted("Water the ferns")),
            "Deleted *Water the ferns*"
        );
        assert_eq!(summary(&deleted("")), "Deleted a todo");
    }

    #[test]
    fn a_record_from_before_actors_reads_as_the_assistants() {
        let old = serde_json::json!({
            "change": {"kind": "deleted", "todo": TodoId::new(), "version": 2},
            "session_id": null,
            "undone": false
        });
        let record: ChangeRecord = serde_json::from_value(old).unwrap();
        assert_eq!(record.actor, Actor::assistant());
        assert_eq!(record.at, None);
        assert!(matches!(record.change, Change::Deleted { ref title, .. } if title.is_empty()));
    }

    #[test]
    fn an_ids_time_is_when_it_was_made() {
        let id = ChangeId::new();
        let at = time_of(id).unwrap();
        let drift = (jiff::Timestamp::now() - at).get_seconds().abs();
        assert!(drift < 5, "{at}");
    }
}
