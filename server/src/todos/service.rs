//! Todo operations: parse wire input into domain values, then read and write through the
//! `Store`. Shared by the HTTP API and the assistant's tools, so both validate alike.

use app::wire::{NewTodo, RepeatInput, TodoPatch};

use std::collections::BTreeSet;

use super::lists::{self, ListError};
use crate::{
    domain::{
        BoundedText, Cause, DueDate, DueTime, InvalidInput, Label, Labels, ListId, ParsedRepeat,
        Priority, Reminders, RepeatRule, Subtasks, Todo, TodoId, TodoTitle, UserId,
        label::LABELS_PER_USER,
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
    /// The write would give the account's live todos more distinct labels than it may use.
    #[error(
        "Your todos use {LABELS_PER_USER} different labels, the most one account can; \
         reuse or rename one instead of adding '{0}'."
    )]
    LabelQuotaExceeded(String),
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

fn priority(raw: Option<i64>) -> Result<Option<Priority>, InvalidInput> {
    raw.map(Priority::parse).transpose()
}

/// Refuses `labels` on the todo `id` if they bring a label the owner's other live todos do
/// not use and the owner would then use more than [`LABELS_PER_USER`] labels. Read before
/// the write, not in its transaction: concurrent writes may pass the count by a few (it
/// bounds what one account holds, it is not a security boundary).
pub async fn check_label_quota(
    store: &dyn Store,
    owner: &UserId,
    id: Option<TodoId>,
    labels: &Labels,
) -> Result<(), TodoError> {
    if labels.is_empty() {
        return Ok(());
    }
    let todos = store.list_todo_records_shared(owner).await?;
    let mut used: BTreeSet<&Label> = todos
        .iter()
        .filter(|t| t.is_live() && Some(t.id) != id)
        .flat_map(|t| t.labels.iter())
        .collect();
    let new: Vec<&Label> = labels.iter().filter(|l| used.insert(l)).collect();
    match new.first() {
        Some(first) if used.len() > LABELS_PER_USER => {
            Err(TodoError::LabelQuotaExceeded(first.as_str().to_owned()))
        }
        _ => Ok(()),
    }
}

/// `repeat` as sent: words or an RRULE, or the object a todo is read with (its `rrule` and
/// `afterCompletion` count; its `text` is only for people).
pub(crate) fn repeat(input: &RepeatInput) -> Result<ParsedRepeat, InvalidInput> {
    match input {
        RepeatInput::Text(text) => ParsedRepeat::parse(text),
        RepeatInput::Rule(rule) => Ok(ParsedRepeat {
            rule: RepeatRule::from_rrule(&rule.rrule)?,
            after_completion: rule.after_completion,
        }),
    }
}

fn time_without_date() -> InvalidInput {
    InvalidInput("dueTime: a time of day needs a due date (dateDue).".into())
}

/// Today in the user's time zone (the one their browser set; UTC if none).
async fn today(
    store: &dyn Store,
    owner: &UserId,
    at: jiff::Timestamp,
) -> Result<DueDate, StoreError> {
    let zone = store.get_profile(owner).await?.zone();
    Ok(DueDate::from_date(at.to_zoned(zone).date()))
}

/// A new rule with its due date: the given one, or the rule's first date from today. A rule
/// counted from the due date gets its day made explicit from it ([`RepeatRule::anchored`]).
async fn settle(
    store: &dyn Store,
    owner: &UserId,
    date: Option<DueDate>,
    parsed: ParsedRepeat,
    at: jiff::Timestamp,
) -> Result<(DueDate, RepeatRule), TodoError> {
    let date = match date {
        Some(date) => date,
        None => {
            let today = today(store, owner, at).await?;
            let first = parsed.rule.first_from(today.date()).ok_or_else(|| {
                InvalidInput("repeat: the rule has no date before the year 3000.".into())
            })?;
            DueDate::from_date(first)
        }
    };
    let rule = if parsed.after_completion {
        parsed.rule
    } else {
        parsed.rule.anchored(date.date())
    };
    Ok((date, rule))
}

/// Completing a repeating todo: it stays open, its due date moves to the rule's next date
/// (after the due date, or after today for a rule counted from completion), and today is
/// added to its completions. With no next date (past the year 2999) it is simply completed.
async fn complete_occurrence(
    store: &dyn Store,
    todo: &mut Todo,
    at: jiff::Timestamp,
) -> Result<(), TodoError> {
    let Some(rule) = todo.repeat.as_ref() else {
        todo.completed = true;
        return Ok(());
    };
    let today = today(store, &todo.owner, at).await?;
    let from = match todo.date_due {
        Some(due) if !todo.repeat_after_completion => due,
        _ => today,
    };
    match rule.next_after(from.date()) {
        Some(next) => {
            todo.date_due = Some(DueDate::from_date(next));
            todo.completions.record(today.date());
            // The next occurrence starts with all its steps to do.
            todo.subtasks.uncheck_all();
        }
        None => todo.completed = true,
    }
    Ok(())
}

/// Sets the todo's next reminder (`remind_at`, what the stores index by time) from its
/// reminders, date and time in the owner's zone at `at`. The profile is read only for a todo
/// with reminders, so other writes cost nothing more.
pub async fn arm_reminders(
    store: &dyn Store,
    todo: &mut Todo,
    at: jiff::Timestamp,
) -> Result<(), StoreError> {
    todo.remind_at = if todo.reminders.is_empty() {
        None
    } else {
        let zone = store.get_profile(&todo.owner).await?.zone();
        todo.next_reminder(&zone, at)
    };
    Ok(())
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
    create_or_replay(store, owner, input, max_todos, at)
        .await
        .map(|created| created.todo)
}

/// A create's answer: the todo, and whether it was made by an earlier request with the
/// same client id (a replay changes nothing and answers the todo as it is now).
pub struct Created {
    pub todo: Todo,
    pub replayed: bool,
}

/// `create`, with the client's `id` honoured: when the user already has a todo with that id
/// (deleted or not) the request is a replay of the one that made it.
pub async fn create_or_replay(
    store: &dyn Store,
    owner: &UserId,
    input: NewTodo,
    max_todos: usize,
    at: jiff::Timestamp,
) -> Result<Created, TodoError> {
    let client_id = input.id.as_deref().map(TodoId::parse).transpose()?;
    if let Some(id) = client_id {
        // Checked first so a replay is answered even when the input no longer passes (the
        // list it named was deleted since) or the quota is reached.
        match store.get_todo_record(owner, id).await {
            Ok(todo) => {
                return Ok(Created {
                    todo,
                    replayed: true,
                });
            }
            Err(StoreError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let title = TodoTitle::parse(&input.title)?;
    let description = description(input.description.as_deref().unwrap_or(""))?;
    let notes = notes(input.notes.as_deref().unwrap_or(""))?;
    let mut date_due = input.date_due.as_deref().map(DueDate::parse).transpose()?;
    let due_time = input.due_time.as_deref().map(DueTime::parse).transpose()?;
    let parsed = input.repeat.as_ref().map(repeat).transpose()?;
    let reminders = input
        .reminders
        .as_deref()
        .map(Reminders::parse)
        .transpose()?
        .unwrap_or_default();
    reminders.check_date(date_due.is_some() || parsed.is_some())?;
    if due_time.is_some() && date_due.is_none() && parsed.is_none() {
        return Err(time_without_date().into());
    }
    let (mut rule, mut after_completion) = (None, false);
    // A rule without a date starts on its first date from today (a time then has its day).
    if let Some(parsed) = parsed {
        after_completion = parsed.after_completion;
        let (date, settled) = settle(store, owner, date_due, parsed, at).await?;
        (date_due, rule) = (Some(date), Some(settled));
    }
    let mut todo = Todo {
        owner: owner.clone(),
        id: client_id.unwrap_or_default(),
        title,
        description,
        notes,
        date_due,
        labels: Labels::parse(input.labels.as_deref().unwrap_or_default())?,
        priority: priority(input.priority)?.unwrap_or_default(),
        subtasks: Subtasks::replace(
            &Subtasks::default(),
            input.subtasks.as_deref().unwrap_or_default(),
        )?,
        list_id: list_id(store, owner, input.list_id.as_deref())
            .await?
            .flatten(),
        due_time,
        repeat: rule,
        repeat_after_completion: after_completion,
        completions: Default::default(),
        completed: false,
        created_at: at,
        updated_at: at,
        version: 1,
        deleted_until: None,
        search: Default::default(),
        purging: false,
        reminders,
        remind_at: None,
    };
    check_label_quota(store, owner, None, &todo.labels).await?;
    arm_reminders(store, &mut todo, at).await?;
    match store.create_todo_within(&todo, max_todos).await {
        Ok(()) => Ok(Created {
            todo,
            replayed: false,
        }),
        Err(StoreError::LimitReached) => Err(TodoError::QuotaExceeded(max_todos)),
        // The same create twice at once: the other one made it.
        Err(StoreError::AlreadyExists) if client_id.is_some() => Ok(Created {
            todo: store.get_todo_record(owner, todo.id).await?,
            replayed: true,
        }),
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
    let labels = patch.labels.as_deref().map(Labels::parse).transpose()?;
    let new_priority = priority(patch.priority)?;
    let list_id = list_id(store, owner, patch.list_id.as_deref()).await?;
    let due_time = match patch.due_time {
        None => None,
        Some(None) => Some(None),
        Some(Some(raw)) => Some(Some(DueTime::parse(&raw)?)),
    };
    let new_repeat = match &patch.repeat {
        None => None,
        Some(None) => Some(None),
        Some(Some(input)) => Some(Some(repeat(input)?)),
    };
    let new_reminders = patch
        .reminders
        .as_deref()
        .map(Reminders::parse)
        .transpose()?;

    let mut todo = store.get_todo(owner, id).await?;
    if todo.version != patch.version {
        return Err(StoreError::VersionConflict {
            current: todo.version,
        }
        .into());
    }
    // The checklist's ids are checked against the stored one, still before any write.
    if let Some(items) = patch.subtasks.as_deref() {
        todo.subtasks = Subtasks::replace(&todo.subtasks, items)?;
    }
    if let Some(labels) = labels {
        if labels != todo.labels {
            check_label_quota(store, owner, Some(id), &labels).await?;
        }
        todo.labels = labels;
    }
    if let Some(p) = new_priority {
        todo.priority = p;
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
        // No date, no time.
        if d.is_none() {
            todo.due_time = None;
        }
        todo.date_due = d;
    }
    if let Some(list) = list_id {
        todo.list_id = list;
    }
    if let Some(t) = due_time {
        todo.due_time = t;
    }
    if todo.due_time.is_some() && todo.date_due.is_none() {
        return Err(time_without_date().into());
    }
    match new_repeat {
        None => {}
        Some(None) => (todo.repeat, todo.repeat_after_completion) = (None, false),
        Some(Some(parsed)) => {
            let after_completion = parsed.after_completion;
            let (date, rule) = settle(store, owner, todo.date_due, parsed, at).await?;
            todo.date_due = Some(date);
            todo.repeat = Some(rule);
            todo.repeat_after_completion = after_completion;
        }
    }
    if todo.repeat.is_some() && todo.date_due.is_none() {
        return Err(InvalidInput(
            "dateDue: a repeating todo needs a due date; send \"repeat\": null to stop repeating it."
                .into(),
        )
        .into());
    }
    if let Some(reminders) = new_reminders {
        todo.reminders = reminders;
    }
    todo.reminders.check_date(todo.date_due.is_some())?;
    match patch.completed {
        Some(true) if !todo.completed && todo.repeat.is_some() => {
            complete_occurrence(store, &mut todo, at).await?;
        }
        Some(c) => todo.completed = c,
        None => {}
    }
    // Any change may move the next reminder (date, time, rule, completion, the list).
    arm_reminders(store, &mut todo, at).await?;
    todo.version += 1;
    todo.updated_at = at;
    store.update_todo(&todo, patch.version).await?;
    Ok(todo)
}
