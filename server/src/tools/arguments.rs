//! A typed call written back the way a model writes one: its tool's name and its string
//! parameters. A plan card shows its items in this form (`tool`, `arguments`) and keeps
//! them so; the answer parses them again with [`ToolCall::parse`], the one way in for the
//! LocalAgent's items and a model's alike. Only calls that change a todo can be a plan's
//! item ([`ToolCall::arguments`] is `None` for the others).

use std::collections::BTreeMap;

use super::{
    call::{LabelEdit, SubtaskRef, ToolCall},
    reminders::ReminderEdit,
};
use crate::domain::TodoId;

/// The parameter names, as `call.rs` reads them.
const TODO_ID: &str = "todoId";

impl ToolCall {
    /// The todo this call is about (`None` for calls that make one or read many).
    pub fn todo(&self) -> Option<TodoId> {
        match self {
            Self::GetTodo { todo }
            | Self::UpdateTodo { todo, .. }
            | Self::AddTodoNotes { todo, .. }
            | Self::CompleteTodo { todo }
            | Self::ReopenTodo { todo }
            | Self::DeleteTodo { todo }
            | Self::ListTodoFiles { todo }
            | Self::AddTodoFile { todo, .. }
            | Self::DeleteTodoFile { todo, .. }
            | Self::AddSubtasks { todo, .. }
            | Self::SetSubtaskDone { todo, .. }
            | Self::SetTodoDetails { todo, .. }
            | Self::SetReminders { todo, .. } => Some(*todo),
            Self::GetTodos { .. }
            | Self::AddTodo { .. }
            | Self::ListLists
            | Self::CreateList { .. }
            | Self::ProposePlan { .. } => None,
        }
    }

    /// The parameters that [`ToolCall::parse`] reads back into this call, when the call
    /// may be a plan's item: it changes one todo or adds one. Reads, files and lists are
    /// not plan items (`None`).
    pub fn arguments(&self) -> Option<BTreeMap<String, String>> {
        let mut args = BTreeMap::new();
        let mut put = |name: &str, value: Option<String>| {
            if let Some(value) = value {
                args.insert(name.to_owned(), value);
            }
        };
        match self {
            Self::AddTodo {
                title,
                description,
                date_due,
                list,
                details,
            } => {
                put("title", Some(title.clone()));
                put("description", description.clone());
                put("dateDue", date_due.clone());
                put("list", list.clone());
                put("details", details.clone());
            }
            Self::UpdateTodo {
                todo,
                title,
                description,
                date_due,
                list,
            } => {
                put(TODO_ID, Some(todo.to_string()));
                put("title", title.clone());
                put("description", description.clone());
                put(
                    "dateDue",
                    date_due
                        .as_ref()
                        .map(|d| d.clone().unwrap_or_else(|| "none".into())),
                );
                put("list", list.clone());
            }
            Self::AddTodoNotes { todo, notes } => {
                put(TODO_ID, Some(todo.to_string()));
                put("notes", Some(notes.clone()));
            }
            Self::CompleteTodo { todo } | Self::ReopenTodo { todo } | Self::DeleteTodo { todo } => {
                put(TODO_ID, Some(todo.to_string()))
            }
            Self::AddSubtasks { todo, steps } => {
                put(TODO_ID, Some(todo.to_string()));
                put("steps", Some(steps.join("\n")));
            }
            Self::SetSubtaskDone {
                todo,
                subtask,
                done,
            } => {
                put(TODO_ID, Some(todo.to_string()));
                put(
                    "subtask",
                    Some(match subtask {
                        SubtaskRef::Id(id) => id.clone(),
                        SubtaskRef::Position(n) => n.to_string(),
                    }),
                );
                put("done", Some(done.to_string()));
            }
            Self::SetTodoDetails {
                todo,
                priority,
                labels,
                due_time,
                repeat,
            } => {
                let or_none = |v: &Option<String>| v.clone().unwrap_or_else(|| "none".into());
                put(TODO_ID, Some(todo.to_string()));
                put("priority", priority.map(|p| p.get().to_string()));
                put("labels", labels.as_ref().map(label_words));
                put("dueTime", due_time.as_ref().map(or_none));
                put("repeat", repeat.as_ref().map(or_none));
            }
            Self::SetReminders { todo, reminders } => {
                put(TODO_ID, Some(todo.to_string()));
                put("reminders", Some(reminder_words(reminders)));
            }
            Self::GetTodos { .. }
            | Self::GetTodo { .. }
            | Self::ListTodoFiles { .. }
            | Self::AddTodoFile { .. }
            | Self::DeleteTodoFile { .. }
            | Self::ListLists
            | Self::CreateList { .. }
            | Self::ProposePlan { .. } => return None,
        }
        Some(args)
    }
}

/// `setTodoDetails`' labels as `LabelEdit::parse` reads them.
fn label_words(edit: &LabelEdit) -> String {
    match edit {
        LabelEdit::Replace(labels) if labels.is_empty() => "none".into(),
        LabelEdit::Replace(labels) => labels
            .iter()
            .map(|l| l.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        LabelEdit::Adjust { add, remove } => add
            .iter()
            .map(|l| format!("+{}", l.as_str()))
            .chain(remove.iter().map(|l| format!("-{}", l.as_str())))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// `setReminders`' list as `ReminderEdit::parse` reads it.
fn reminder_words(edit: &ReminderEdit) -> String {
    match edit {
        ReminderEdit::Replace(items) if items.is_empty() => "none".into(),
        ReminderEdit::Replace(items) => items.join(", "),
        ReminderEdit::Adjust { add, remove } => add
            .iter()
            .map(|r| format!("+{r}"))
            .chain(remove.iter().map(|r| format!("-{r}")))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Label, Priority};

    #[test]
    fn a_plan_items_arguments_parse_back_into_the_same_call() {
        let todo = TodoId::new();
        let label = |s| Label::parse(s).unwrap();
        let calls = [
            ToolCall::AddTodo {
                title: "Order cabinets".into(),
                description: Some("Part of: kitchen".into()),
                date_due: Some("2026-12-09".into()),
                list: Some("Home".into()),
                details: Some("p1".into()),
            },
            ToolCall::UpdateTodo {
                todo,
                title: None,
                description: None,
                date_due: Some(Some("2026-12-02".into())),
                list: None,
            },
            ToolCall::UpdateTodo {
                todo,
                title: Some("New".into()),
                description: None,
                date_due: Some(None),
                list: Some("Work".into()),
            },
            ToolCall::AddTodoNotes {
                todo,
                notes: "call first".into(),
            },
            ToolCall::CompleteTodo { todo },
            ToolCall::ReopenTodo { todo },
            ToolCall::DeleteTodo { todo },
            ToolCall::AddSubtasks {
                todo,
                steps: vec!["Demolish".into(), "Paint".into()],
            },
            ToolCall::SetSubtaskDone {
                todo,
                subtask: SubtaskRef::Position(2),
                done: false,
            },
            ToolCall::SetTodoDetails {
                todo,
                priority: Some(Priority::parse(2).unwrap()),
                labels: Some(LabelEdit::Adjust {
                    add: vec![label("home")],
                    remove: vec![label("work")],
                }),
                due_time: Some(None),
                repeat: Some(Some("every monday".into())),
            },
            ToolCall::SetTodoDetails {
                todo,
                priority: None,
                labels: Some(LabelEdit::Replace(vec![])),
                due_time: None,
                repeat: None,
            },
            ToolCall::SetReminders {
                todo,
                reminders: ReminderEdit::Replace(vec!["1h before".into(), "tomorrow 9am".into()]),
            },
            ToolCall::SetReminders {
                todo,
                reminders: ReminderEdit::Adjust {
                    add: vec!["30m before".into()],
                    remove: vec!["at the due time".into()],
                },
            },
            ToolCall::SetReminders {
                todo,
                reminders: ReminderEdit::Replace(vec![]),
            },
        ];
        for call in calls {
            let args = call.arguments().expect("a plan item");
            let back = ToolCall::parse(call.tool().name(), &args).unwrap();
            assert_eq!(back, call, "{args:?}");
        }
        assert_eq!(ToolCall::ListLists.arguments(), None);
        assert_eq!(ToolCall::GetTodo { todo }.arguments(), None);
    }
}
