//! One command's plan: which verb does what, and whether the turn records it as the last
//! command (what a correction or "undo that" refers to).

use super::{Planner, Record, Step, Then};
use crate::{
    agent::local::{reply, resolve::Prefer},
    domain::dialogue::{Command, Verb},
    tools::ToolCall,
};

impl Planner<'_> {
    pub(super) fn command(&mut self, command: Command) -> Record {
        let recorded = !matches!(
            command.verb,
            Verb::List
                | Verb::Count
                | Verb::Undo
                | Verb::ListFiles
                | Verb::AttachFile
                | Verb::DeleteFile
                | Verb::ListReminders
        );
        let args = command.args.clone();
        match command.verb {
            Verb::List | Verb::Count => self.list(&command),
            Verb::Undo => self.steps.push(Step::Undo),
            Verb::Add => self.add(args),
            Verb::Show if let Some(listing) = self.list_shown(&command) => self.list(&listing),
            Verb::Show | Verb::Ask(_) => {
                if let Some(todo) = self.one(&command) {
                    let then = match command.verb {
                        Verb::Ask(detail) => Then::Asked(detail),
                        _ => Then::Shown,
                    };
                    self.run(ToolCall::GetTodo { todo: todo.id }, then);
                }
            }
            Verb::Rename => {
                if let Some(todo) = self.one(&command) {
                    let call = ToolCall::UpdateTodo {
                        todo: todo.id,
                        title: args.text,
                        description: None,
                        date_due: None,
                        list: None,
                    };
                    self.run(
                        call,
                        Then::Renamed {
                            old: reply::title(&todo),
                        },
                    );
                }
            }
            Verb::SetDue => {
                if let Some(todo) = self.one(&command) {
                    let call = ToolCall::UpdateTodo {
                        todo: todo.id,
                        title: None,
                        description: None,
                        date_due: Some(args.due.map(|d| d.to_string())),
                        list: None,
                    };
                    self.run(
                        call,
                        Then::DueSet {
                            title: reply::title(&todo),
                            due: args.due,
                        },
                    );
                }
            }
            Verb::SetDescription => {
                if let Some(todo) = self.one(&command) {
                    let call = ToolCall::UpdateTodo {
                        todo: todo.id,
                        title: None,
                        description: args.text,
                        date_due: None,
                        list: None,
                    };
                    self.run(
                        call,
                        Then::Described {
                            title: reply::title(&todo),
                        },
                    );
                }
            }
            Verb::AddNote => {
                if let Some(todo) = self.one(&command) {
                    let call = ToolCall::AddTodoNotes {
                        todo: todo.id,
                        notes: args.text.unwrap_or_default(),
                    };
                    self.run(
                        call,
                        Then::Noted {
                            title: reply::title(&todo),
                        },
                    );
                }
            }
            Verb::ShiftDue => {
                if let Some(todo) = self.one(&command) {
                    self.shift(&todo, args.days);
                }
            }
            Verb::Complete | Verb::Reopen => self.mark(&command, command.verb == Verb::Complete),
            Verb::Delete => {
                if let Some(todos) = self.targets(&command, Prefer::Any, true) {
                    self.ask_to_delete(todos);
                }
            }
            Verb::ListFiles | Verb::AttachFile | Verb::DeleteFile => self.files(&command),
            Verb::MoveToList
            | Verb::SetPriority
            | Verb::SetRepeat
            | Verb::AddSteps
            | Verb::CheckStep
            | Verb::SetLabels
            | Verb::SetTime => self.organize(&command),
            Verb::SetReminders | Verb::ClearReminders | Verb::ListReminders => {
                self.reminders(&command)
            }
        }
        if recorded {
            Record::Command(command)
        } else {
            Record::Clear
        }
    }
}
