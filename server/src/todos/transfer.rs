//! The user's data in and out: the export document (`GET /api/export`) and its import
//! (`POST /api/import`). An import is all or nothing: every value goes through the same
//! domain parsers as the API and the quotas are checked before the first write; a write
//! that fails midway is undone (the todos and lists it created are deleted), so the user is
//! left as before.

use std::collections::{BTreeSet, HashMap};

use app::wire::{RepeatInput, SubtaskInput};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::{lists, service::repeat};
use crate::{
    domain::{
        BoundedText, Completions, DueDate, DueTime, Labels, ListColor, ListId, ListName, Priority,
        Quotas, Subtasks, Todo, TodoId, TodoList, TodoTitle, UserId,
        clock::rfc3339,
        label::LABELS_PER_USER,
        todo::{DESCRIPTION_MAX_CHARS, NOTES_MAX_CHARS},
    },
    store::{Store, StoreError},
};

/// The document's format; a document of another version is refused.
pub const EXPORT_VERSION: u32 = 1;
/// The most todos one import may bring (the body limit bounds the bytes).
pub const IMPORT_MAX_TODOS: usize = 5_000;
/// The most problems one refusal lists (the count says how many there were).
const PROBLEMS_SHOWN: usize = 20;

/// A list in the document (`inbox: true` for the Inbox, whatever its id).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportList {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub color: Option<String>,
    #[serde(default)]
    pub order: i64,
    #[serde(default)]
    pub inbox: bool,
}

/// `GET /api/export`: everything of the user. Todos are the live ones (those deleted and
/// waiting in the trash are not in it); files are their metadata, not their bytes.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportDocument {
    pub version: u32,
    pub exported_at: String,
    pub lists: Vec<ExportList>,
    pub todos: Vec<app::wire::Todo>,
    pub files: Vec<app::wire::file::FileInfo>,
}

pub async fn export(
    store: &dyn Store,
    owner: &UserId,
    at: Timestamp,
) -> Result<ExportDocument, lists::ListError> {
    let all = lists::all(store, owner, at).await?;
    let inbox = ListId::inbox_of(owner);
    let todos = store.list_todo_records_shared(owner).await?;
    Ok(ExportDocument {
        version: EXPORT_VERSION,
        exported_at: rfc3339(at),
        lists: all
            .iter()
            .map(|l| ExportList {
                id: l.id.to_string(),
                name: l.name.as_str().to_owned(),
                color: Some(l.color.name().to_owned()),
                order: l.order,
                inbox: l.inbox,
            })
            .collect(),
        todos: todos
            .iter()
            .filter(|t| t.is_live())
            .map(|t| t.to_wire_in(inbox))
            .collect(),
        files: store
            .list_files(owner)
            .await?
            .iter()
            .map(|f| f.to_wire())
            .collect(),
    })
}

/// A subtask as imported: its id is not kept (each gets a new one).
#[derive(Debug, Deserialize)]
pub(super) struct ImportSubtask {
    pub(super) title: String,
    #[serde(default)]
    pub(super) done: bool,
}

/// A todo as imported: the fields of an exported todo that carry the user's data (ids,
/// versions and timestamps are the new todo's own).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportTodo {
    pub(super) title: String,
    #[serde(default)]
    pub(super) description: String,
    #[serde(default)]
    pub(super) notes: String,
    #[serde(default)]
    pub(super) date_due: Option<String>,
    #[serde(default)]
    pub(super) labels: Vec<String>,
    #[serde(default)]
    pub(super) priority: Option<i64>,
    #[serde(default)]
    pub(super) subtasks: Vec<ImportSubtask>,
    #[serde(default)]
    pub(super) list_id: Option<String>,
    #[serde(default)]
    pub(super) due_time: Option<String>,
    #[serde(default)]
    pub(super) repeat: Option<RepeatInput>,
    #[serde(default)]
    pub(super) completions: Vec<String>,
    #[serde(default)]
    pub(super) reminders: Vec<app::wire::Reminder>,
    #[serde(default)]
    pub(super) completed: bool,
}

/// `POST /api/import` with `application/json`: an export document (other fields, such as
/// `exportedAt` and `files`, are read past).
#[derive(Debug, Deserialize)]
pub struct ImportDocument {
    pub(super) version: u32,
    #[serde(default)]
    pub(super) lists: Vec<ExportList>,
    #[serde(default)]
    pub(super) todos: Vec<ImportTodo>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Every problem found, each naming its place (`todos[3].dateDue: ...`).
    #[error("{}", describe(.0))]
    Invalid(Vec<String>),
    #[error("{0}")]
    Quota(String),
    #[error("{0}")]
    TooMany(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn describe(problems: &[String]) -> String {
    let shown: Vec<&str> = problems
        .iter()
        .take(PROBLEMS_SHOWN)
        .map(String::as_str)
        .collect();
    let more = problems.len().saturating_sub(PROBLEMS_SHOWN);
    let tail = if more > 0 {
        format!(" (and {more} more)")
    } else {
        String::new()
    };
    format!(
        "Nothing was imported: {}{tail}.",
        shown.join("; ").trim_end_matches('.')
    )
}

/// The answer (shared with the browser, which shows it in words).
pub use app::wire::transfer::{Imported, RowNote};

/// A list to write: `None` for one merged with an existing list (or the Inbox).
struct PlannedList {
    key: String,
    new: Option<TodoList>,
    existing: Option<Option<ListId>>,
}

/// Why `raw` cannot be imported, if it cannot (the same checks as a document's todo).
pub(super) fn check_todo(owner: &UserId, raw: &ImportTodo, at: Timestamp) -> Result<(), String> {
    parse_todo(owner, raw, at).map(|_| ())
}

/// Every todo of the document as a domain value (its list still the document's list id).
fn parse_todo(owner: &UserId, raw: &ImportTodo, at: Timestamp) -> Result<Todo, String> {
    let title = TodoTitle::parse(&raw.title).map_err(|e| format!("title: {}", e.0))?;
    let description = BoundedText::parse(&raw.description, "description", DESCRIPTION_MAX_CHARS)
        .map_err(|e| e.0)?;
    let notes = BoundedText::parse(&raw.notes, "notes", NOTES_MAX_CHARS).map_err(|e| e.0)?;
    let date_due = raw
        .date_due
        .as_deref()
        .map(DueDate::parse)
        .transpose()
        .map_err(|e| format!("dateDue: {}", e.0))?;
    let due_time = raw
        .due_time
        .as_deref()
        .map(DueTime::parse)
        .transpose()
        .map_err(|e| e.0)?;
    if due_time.is_some() && date_due.is_none() {
        return Err("dueTime: a time of day needs a due date (dateDue).".into());
    }
    let parsed = raw
        .repeat
        .as_ref()
        .map(repeat)
        .transpose()
        .map_err(|e| e.0)?;
    let (rule, after_completion) = match (parsed, date_due) {
        (None, _) => (None, false),
        (Some(_), None) => {
            return Err("repeat: a repeating todo needs a due date (dateDue).".into());
        }
        (Some(p), Some(date)) if !p.after_completion => (Some(p.rule.anchored(date.date())), false),
        (Some(p), Some(_)) => (Some(p.rule), true),
    };
    let reminders = crate::domain::Reminders::parse(&raw.reminders).map_err(|e| e.0)?;
    reminders.check_date(date_due.is_some()).map_err(|e| e.0)?;
    let mut completions = Completions::default();
    for day in &raw.completions {
        let day = DueDate::parse(day).map_err(|e| format!("completions: {}", e.0))?;
        completions.record(day.date());
    }
    let items: Vec<SubtaskInput> = raw
        .subtasks
        .iter()
        .map(|s| SubtaskInput {
            id: None,
            title: s.title.clone(),
            done: s.done,
        })
        .collect();
    Ok(Todo {
        owner: owner.clone(),
        id: TodoId::new(),
        title,
        description,
        notes,
        date_due,
        labels: Labels::parse(&raw.labels).map_err(|e| e.0)?,
        priority: raw
            .priority
            .map(Priority::parse)
            .transpose()
            .map_err(|e| e.0)?
            .unwrap_or_default(),
        subtasks: Subtasks::replace(&Subtasks::default(), &items).map_err(|e| e.0)?,
        list_id: None,
        due_time,
        repeat: rule,
        repeat_after_completion: after_completion,
        completions,
        completed: raw.completed,
        created_at: at,
        updated_at: at,
        version: 1,
        deleted_until: None,
        search: Default::default(),
        purging: false,
        reminders,
        remind_at: None,
    })
}

/// Imports `doc` for `owner`: validated whole, quotas checked, then written; undone on a
/// failed write.
pub async fn import(
    store: &dyn Store,
    owner: &UserId,
    doc: ImportDocument,
    quotas: &Quotas,
    at: Timestamp,
) -> Result<Imported, ImportError> {
    if doc.version != EXPORT_VERSION {
        return Err(ImportError::Invalid(vec![format!(
            "version: this is a version {} document; Tasko reads version {EXPORT_VERSION}",
            doc.version
        )]));
    }
    if doc.todos.len() > IMPORT_MAX_TODOS {
        return Err(ImportError::TooMany(format!(
            "The document has {} todos; one import takes at most {IMPORT_MAX_TODOS}.",
            doc.todos.len()
        )));
    }
    let mut problems = Vec::new();
    let existing = lists::all(store, owner, at)
        .await
        .map_err(|e| ImportError::Store(StoreError::Backend(crate::domain::Cause::new(e))))?;
    let by_key: HashMap<String, &TodoList> = existing.iter().map(|l| (l.name.key(), l)).collect();
    let last_order = existing.iter().filter(|l| !l.inbox).map(|l| l.order).max();
    // The document's list id -> the planned list (by name key).
    let mut planned: Vec<PlannedList> = Vec::new();
    let mut doc_ids: HashMap<String, usize> = HashMap::new();
    for (i, raw) in doc.lists.iter().enumerate() {
        let at_list = |m: String| format!("lists[{i}].{m}");
        if raw.inbox {
            let key = "\u{0}inbox".to_owned();
            let n = plan_index(&mut planned, &key, || PlannedList {
                key: key.clone(),
                new: None,
                existing: Some(None),
            });
            doc_ids.insert(raw.id.clone(), n);
            continue;
        }
        let name = match ListName::parse(&raw.name) {
            Ok(name) => name,
            Err(e) => {
                problems.push(at_list(format!("name: {}", e.0)));
                continue;
            }
        };
        let color = match raw.color.as_deref().map(ListColor::parse).transpose() {
            Ok(c) => c,
            Err(e) => {
                problems.push(at_list(format!("color: {}", e.0)));
                continue;
            }
        };
        let key = name.key();
        let creating = planned.iter().filter(|p| p.new.is_some()).count();
        let n = plan_index(&mut planned, &key, || match by_key.get(&key) {
            Some(list) => PlannedList {
                key: key.clone(),
                new: None,
                existing: Some((!list.inbox).then_some(list.id)),
            },
            None => PlannedList {
                key: key.clone(),
                new: Some(TodoList {
                    owner: owner.clone(),
                    id: ListId::new(),
                    name: name.clone(),
                    color: color
                        .unwrap_or_else(|| ListColor::default_for(existing.len() + creating)),
                    order: last_order
                        .unwrap_or(0)
                        .saturating_add(1 + creating as i64)
                        .min(crate::domain::todo_list::ORDER_LIMIT),
                    inbox: false,
                    created_at: at,
                    updated_at: at,
                    version: 1,
                }),
                existing: None,
            },
        });
        doc_ids.insert(raw.id.clone(), n);
    }
    let mut todos = Vec::with_capacity(doc.todos.len());
    for (i, raw) in doc.todos.iter().enumerate() {
        let mut todo = match parse_todo(owner, raw, at) {
            Ok(todo) => todo,
            Err(e) => {
                problems.push(format!("todos[{i}].{e}"));
                continue;
            }
        };
        if let Some(id) = &raw.list_id {
            match doc_ids.get(id).map(|&n| &planned[n]) {
                Some(p) => {
                    todo.list_id = match (&p.new, p.existing) {
                        (Some(list), _) => Some(list.id),
                        (None, Some(existing)) => existing,
                        (None, None) => None,
                    }
                }
                None => problems.push(format!(
                    "todos[{i}].listId: {id} is none of the document's lists"
                )),
            }
        }
        todos.push(todo);
    }
    if !problems.is_empty() {
        return Err(ImportError::Invalid(problems));
    }
    check_quotas(store, owner, &existing, &planned, &todos, quotas).await?;
    for todo in &mut todos {
        super::service::arm_reminders(store, todo, at).await?;
    }
    write(store, owner, &planned, &todos, quotas).await?;
    Ok(Imported {
        lists: planned.iter().filter(|p| p.new.is_some()).count(),
        todos: todos.len(),
        list: None,
        skipped: Vec::new(),
        adjusted: Vec::new(),
    })
}

/// The index of the planned list with `key`, planned by `make` if there is none yet (two
/// lists of one name in the document merge too).
fn plan_index(
    planned: &mut Vec<PlannedList>,
    key: &str,
    make: impl FnOnce() -> PlannedList,
) -> usize {
    if let Some(n) = planned.iter().position(|p| p.key == key) {
        return n;
    }
    planned.push(make());
    planned.len() - 1
}

async fn check_quotas(
    store: &dyn Store,
    owner: &UserId,
    existing: &[TodoList],
    planned: &[PlannedList],
    todos: &[Todo],
    quotas: &Quotas,
) -> Result<(), ImportError> {
    let held = existing.iter().filter(|l| !l.inbox).count();
    let new_lists = planned.iter().filter(|p| p.new.is_some()).count();
    if held + new_lists > quotas.lists {
        return Err(ImportError::Quota(format!(
            "Nothing was imported: you have {held} lists and the import would add {new_lists}; \
             one account holds at most {}.",
            quotas.lists
        )));
    }
    let records = store.list_todo_records_shared(owner).await?;
    let live = records.iter().filter(|t| t.is_live()).count();
    if live + todos.len() > quotas.todos {
        return Err(ImportError::Quota(format!(
            "Nothing was imported: you have {live} todos and the import would add {}; \
             one account holds at most {}.",
            todos.len(),
            quotas.todos
        )));
    }
    let labels: BTreeSet<&str> = records
        .iter()
        .filter(|t| t.is_live())
        .chain(todos)
        .flat_map(|t| t.labels.iter().map(|l| l.as_str()))
        .collect();
    if labels.len() > LABELS_PER_USER {
        return Err(ImportError::Quota(format!(
            "Nothing was imported: your todos would use {} different labels; one account uses \
             at most {LABELS_PER_USER}.",
            labels.len()
        )));
    }
    Ok(())
}

/// Writes the planned lists, then the todos; on the first failure deletes what it wrote.
async fn write(
    store: &dyn Store,
    owner: &UserId,
    planned: &[PlannedList],
    todos: &[Todo],
    quotas: &Quotas,
) -> Result<(), ImportError> {
    let mut lists_done: Vec<ListId> = Vec::new();
    let mut todos_done: Vec<TodoId> = Vec::new();
    let mut failure = None;
    for list in planned.iter().filter_map(|p| p.new.as_ref()) {
        match store.create_list_within(list, quotas.lists).await {
            Ok(()) => lists_done.push(list.id),
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    if failure.is_none() {
        for todo in todos {
            match store.create_todo_within(todo, quotas.todos).await {
                Ok(()) => todos_done.push(todo.id),
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            }
        }
    }
    let Some(failure) = failure else {
        return Ok(());
    };
    // Undo: the user is left as before (best effort; what could not be undone is logged).
    for id in todos_done {
        if let Err(e) = store.delete_todo(owner, id, None).await {
            tracing::error!(todo = %id, error = %e, "import: undoing a created todo failed");
        }
    }
    for id in lists_done {
        if let Err(e) = store.delete_list(owner, id).await {
            tracing::error!(list = %id, error = %e, "import: undoing a created list failed");
        }
    }
    Err(match failure {
        StoreError::LimitReached => ImportError::Quota(
            "Nothing was imported: a quota was reached while writing (another change came \
             first); what was written has been removed."
                .into(),
        ),
        StoreError::NameTaken => ImportError::Quota(
            "Nothing was imported: a list of the same name was created meanwhile; \
             try again."
                .into(),
        ),
        other => other.into(),
    })
}
