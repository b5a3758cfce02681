//! The changes made while the server could not be reached (issue 28), in the order made,
//! and what they mean before and after the server has them. Pure (always built, tested on
//! the host): the browser keeps the queue in IndexedDB and replays it (`ui::offline`).
//!
//! - [`shown`]: the server's list with the queued changes on top: what the user sees while
//!   they wait, whatever the server sent meanwhile.
//! - [`rebase`]: the version a replayed change gave, passed on to the changes queued after
//!   it for the same todo, so a second edit made offline is sent on the version the first
//!   one's answer gave, not refused as a conflict with itself.
//! - [`already_applied`]: a change whose answer was lost (a flaky reconnect) is found
//!   applied on the server and not taken for a conflict; creates carry a client id, which
//!   the server answers once (`POST /api/todos` with `id`).
//! - [`differences`]: a real conflict, field by field, mine against theirs.

use serde::{Deserialize, Serialize};

use crate::wire::{NewTodo, Subtask, SubtaskInput, Todo, TodoPatch};

/// One change made offline. Externally tagged (`{"update": {..}}`): an internally tagged
/// enum is read through serde's buffered content, a second copy of every reader in the wasm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Change {
    /// A new todo; `input.id` is the id the client chose (the server keeps it); `at`: when
    /// it was made (RFC 3339), its creation time until the server's answer.
    Create {
        input: NewTodo,
        #[serde(default)]
        at: String,
    },
    /// A patch made on `patch.version`; `before` is the todo as it was shown then.
    Update { patch: TodoPatch, before: Box<Todo> },
    /// A delete of the todo as it was shown (`version`).
    Delete { id: String, version: u64 },
}

impl Change {
    pub fn todo_id(&self) -> &str {
        match self {
            Change::Create { input, .. } => input.id.as_deref().unwrap_or_default(),
            Change::Update { before, .. } => &before.id,
            Change::Delete { id, .. } => id,
        }
    }
}

/// The todo a create makes, as shown until the server's answer: version 1, as the server
/// will make it, so edits queued after it are made on the version it will have.
pub fn provisional(input: &NewTodo, inbox: &str, now: &str) -> Todo {
    Todo {
        id: input.id.clone().unwrap_or_default(),
        title: input.title.trim().to_owned(),
        description: input.description.clone().unwrap_or_default(),
        notes: input.notes.clone().unwrap_or_default(),
        date_due: input.date_due.clone(),
        labels: input.labels.clone().unwrap_or_default(),
        priority: input
            .priority
            .and_then(|p| u8::try_from(p).ok())
            .unwrap_or(4),
        subtasks: steps_of(input.subtasks.as_deref().unwrap_or_default()),
        list_id: input.list_id.clone().unwrap_or_else(|| inbox.to_owned()),
        due_time: input.due_time.clone(),
        repeat: None,
        completions: vec![],
        reminders: input.reminders.clone().unwrap_or_default(),
        completed: false,
        created_at: now.to_owned(),
        updated_at: now.to_owned(),
        version: 1,
    }
}

/// A checklist as sent, as shown until the server answers (a new step's id is a
/// placeholder: the server gives it its own).
fn steps_of(steps: &[SubtaskInput]) -> Vec<Subtask> {
    steps
        .iter()
        .enumerate()
        .map(|(n, s)| Subtask {
            id: s.id.clone().unwrap_or_else(|| format!("new-{n}")),
            title: s.title.clone(),
            done: s.done,
        })
        .collect()
}

/// `patch` applied to `todo` as the server would for the fields it only stores (a repeat
/// rule's next date is the server's to decide: it shows when the answer comes).
pub fn apply(todo: &mut Todo, patch: &TodoPatch) {
    if let Some(title) = &patch.title {
        todo.title = title.trim().to_owned();
    }
    if let Some(description) = &patch.description {
        todo.description = description.clone();
    }
    if let Some(notes) = &patch.notes {
        todo.notes = notes.clone();
    }
    if let Some(date) = &patch.date_due {
        todo.date_due = date.clone();
        if date.is_none() {
            todo.due_time = None;
        }
    }
    if let Some(labels) = &patch.labels {
        todo.labels = labels.clone();
    }
    if let Some(priority) = patch.priority.and_then(|p| u8::try_from(p).ok()) {
        todo.priority = priority;
    }
    if let Some(steps) = &patch.subtasks {
        todo.subtasks = steps_of(steps);
    }
    if let Some(list) = &patch.list_id {
        todo.list_id = list.clone();
    }
    if let Some(time) = &patch.due_time {
        todo.due_time = time.clone();
    }
    if let Some(reminders) = &patch.reminders {
        todo.reminders = reminders.clone();
    }
    if let Some(completed) = patch.completed {
        todo.completed = completed;
    }
}

/// The list to show: the server's `todos` with every queued change on top, in order. A
/// todo a queued patch changed has a `~` added to its `updatedAt` per patch: the same
/// mark however often it is worked out, and another than the server's version of it (the
/// page keys its rows by it, so a changed row is drawn again and an unchanged one is not).
pub fn shown(mut todos: Vec<Todo>, queue: &[Change], inbox: &str) -> Vec<Todo> {
    for change in queue {
        match change {
            Change::Create { input, at } => {
                if !todos.iter().any(|t| Some(&t.id) == input.id.as_ref()) {
                    todos.push(provisional(input, inbox, at));
                }
            }
            Change::Update { patch, before } => {
                if let Some(todo) = todos.iter_mut().find(|t| t.id == before.id) {
                    apply(todo, patch);
                    todo.updated_at.push('~');
                }
            }
            Change::Delete { id, .. } => todos.retain(|t| &t.id != id),
        }
    }
    todos
}

/// The server moved todo `id` from version `from` to `to` by a replayed change: the
/// changes still queued for it that were made on `from` are made on `to` (they were made
/// after that change, on what it showed), so the todo's own offline edits never conflict
/// with each other, however many tries the queue takes.
pub fn rebase(queue: &mut [Change], id: &str, from: u64, to: u64) {
    for change in queue {
        match change {
            Change::Update { patch, before } if before.id == id && patch.version == from => {
                patch.version = to;
                before.version = to;
            }
            Change::Delete { id: of, version } if of == id && *version == from => *version = to,
            _ => {}
        }
    }
}

/// Whether `current` (the server's todo now) already has every field `patch` sets: the
/// patch reached the server and only its answer was lost.
pub fn already_applied(current: &Todo, patch: &TodoPatch) -> bool {
    let mut patched = current.clone();
    apply(&mut patched, patch);
    // A new step's id is the server's to give: steps are the same by title and state.
    let steps = |t: &Todo| -> Vec<(String, bool)> {
        t.subtasks
            .iter()
            .map(|s| (s.title.clone(), s.done))
            .collect()
    };
    if steps(&patched) == steps(current) {
        patched.subtasks = current.subtasks.clone();
    }
    patched == *current
}

/// One field two devices changed differently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Difference {
    pub field: String,
    pub mine: String,
    pub theirs: String,
}

/// The fields `patch` sets whose value differs from the server's `theirs`, in words.
pub fn differences(before: &Todo, patch: &TodoPatch, theirs: &Todo) -> Vec<Difference> {
    let mut mine = before.clone();
    apply(&mut mine, patch);
    type Shown = fn(&Todo) -> String;
    let fields: [(&str, bool, Shown); 10] = [
        ("Title", patch.title.is_some(), |t| t.title.clone()),
        ("Description", patch.description.is_some(), |t| {
            t.description.clone()
        }),
        ("Notes", patch.notes.is_some(), |t| t.notes.clone()),
        ("Due", patch.date_due.is_some(), |t| {
            t.date_due.clone().unwrap_or_else(|| "no date".into())
        }),
        ("Time", patch.due_time.is_some(), |t| {
            t.due_time.clone().unwrap_or_default()
        }),
        ("Labels", patch.labels.is_some(), |t| t.labels.join(", ")),
        ("Priority", patch.priority.is_some(), |t| {
            t.priority.to_string()
        }),
        ("Checklist", patch.subtasks.is_some(), |t| {
            t.subtasks
                .iter()
                .map(|s| format!("{}{}", if s.done { "✓ " } else { "" }, s.title))
                .collect::<Vec<_>>()
                .join(", ")
        }),
        ("List", patch.list_id.is_some(), |t| t.list_id.clone()),
        ("Status", patch.completed.is_some(), |t| {
            if t.completed { "done" } else { "open" }.to_owned()
        }),
    ];
    fields
        .into_iter()
        .filter(|(_, set, shown)| *set && shown(&mine) != shown(theirs))
        .map(|(field, _, shown)| Difference {
            field: field.to_owned(),
            mine: shown(&mine),
            theirs: shown(theirs),
        })
        .collect()
}

/// The patch that makes `theirs` what the user had made it offline ("Keep mine"): the
/// fields of `patch`, on the server's current version.
pub fn keep_mine(patch: &TodoPatch, theirs: &Todo) -> TodoPatch {
    TodoPatch {
        version: theirs.version,
        ..patch.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn todo(id: &str, title: &str, version: u64) -> Todo {
        provisional(
            &NewTodo {
                id: Some(id.into()),
                title: title.into(),
                ..Default::default()
            },
            "inbox",
            "2026-12-06T10:00:00Z",
        )
        .with_version(version)
    }

    trait WithVersion {
        fn with_version(self, v: u64) -> Self;
    }

    impl WithVersion for Todo {
        fn with_version(mut self, v: u64) -> Self {
            self.version = v;
            self
        }
    }

    fn patch(version: u64) -> TodoPatch {
        TodoPatch {
            version,
            ..Default::default()
        }
    }

    #[test]
    fn the_queue_shows_on_top_of_whatever_the_server_sent() {
        let server = vec![todo("a", "Call mom", 3), todo("b", "Buy milk", 1)];
        let queue = vec![
            Change::Create {
                input: NewTodo {
                    id: Some("c".into()),
                    title: " Pack ".into(),
                    date_due: Some("2031-01-02".into()),
                    ..Default::default()
                },
                at: "2026-12-06T11:00:00Z".into(),
            },
            Change::Update {
                patch: TodoPatch {
                    completed: Some(true),
                    ..patch(3)
                },
                before: Box::new(server[0].clone()),
            },
            Change::Update {
                patch: TodoPatch {
                    title: Some("Pack the tent".into()),
                    ..patch(1)
                },
                before: Box::new(todo("c", "Pack", 1)),
            },
            Change::Delete {
                id: "b".into(),
                version: 1,
            },
        ];
        let list = shown(server.clone(), &queue, "inbox");
        let titles: Vec<(&str, bool)> = list
            .iter()
            .map(|t| (t.title.as_str(), t.completed))
            .collect();
        assert_eq!(titles, [("Call mom", true), ("Pack the tent", false)]);
        assert_eq!(list[1].date_due.as_deref(), Some("2031-01-02"));
        assert_eq!(list[1].list_id, "inbox");
        assert_eq!(list[1].created_at, "2026-12-06T11:00:00Z");
        // Worked out again, the same marks: a row is drawn again only when it changed.
        assert_eq!(shown(server.clone(), &queue, "inbox"), list);
        assert_eq!(list[0].updated_at, format!("{}~", server[0].updated_at));
        // A create the server already has (its answer came) is not shown twice.
        let mut answered = server;
        answered.push(todo("c", "Pack", 1));
        let list = shown(answered, &queue, "inbox");
        assert_eq!(list.iter().filter(|t| t.id == "c").count(), 1);
    }

    #[test]
    fn a_later_offline_change_is_sent_on_the_version_the_first_gave() {
        let a = todo("a", "Call mom", 3);
        let mut queue = [
            Change::Update {
                patch: TodoPatch {
                    title: Some("Call dad".into()),
                    ..patch(3)
                },
                before: Box::new(a.clone()),
            },
            Change::Delete {
                id: "a".into(),
                version: 3,
            },
            // Made on another version: a real conflict stays one.
            Change::Update {
                patch: patch(2),
                before: Box::new(a.clone().with_version(2)),
            },
            Change::Delete {
                id: "b".into(),
                version: 3,
            },
        ];
        rebase(&mut queue[1..], "a", 3, 4);
        assert_eq!(
            queue[1],
            Change::Delete {
                id: "a".into(),
                version: 4
            }
        );
        assert!(matches!(&queue[2], Change::Update { patch, .. } if patch.version == 2));
        assert!(matches!(&queue[3], Change::Delete { version: 3, .. }));
    }

    #[test]
    fn a_lost_answer_is_told_from_a_conflict() {
        let mut on_server = todo("a", "Call mom", 4);
        on_server.completed = true;
        let done = TodoPatch {
            completed: Some(true),
            ..patch(3)
        };
        assert!(already_applied(&on_server, &done));
        let renamed = TodoPatch {
            title: Some("Call dad".into()),
            ..patch(3)
        };
        assert!(!already_applied(&on_server, &renamed));
    }

    #[test]
    fn a_conflict_names_each_field_both_changed_differently() {
        let before = todo("a", "Call mom", 3);
        let mut theirs = before.clone();
        theirs.title = "Call mother".into();
        theirs.date_due = Some("2031-02-01".into());
        theirs.version = 4;
        let mine = TodoPatch {
            title: Some("Call mom today".into()),
            date_due: Some(Some("2031-02-01".into())),
            completed: Some(true),
            ..patch(3)
        };
        let found = differences(&before, &mine, &theirs);
        let fields: Vec<&str> = found.iter().map(|d| d.field.as_str()).collect();
        assert_eq!(fields, ["Title", "Status"]);
        assert_eq!(found[0].mine, "Call mom today");
        assert_eq!(found[0].theirs, "Call mother");
        let kept = keep_mine(&mine, &theirs);
        assert_eq!(kept.version, 4);
        assert_eq!(kept.title.as_deref(), Some("Call mom today"));
    }
}
