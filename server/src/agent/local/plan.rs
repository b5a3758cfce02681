//! The planner: `plan(memory, said, world) -> (Plan, memory)`, pure (no store, no clock, no
//! I/O). It resolves the command's todos against the todos it is given, decides the typed
//! tool calls, the replies, the confirmation or the "which one?" question, and returns the
//! memory as it will be. What depends on a tool's result (the list it read) is rendered by
//! the pure second step in `after`, fed with the outcomes.

use jiff::{ToSpan, civil::Date};

use super::{
    parse::{Fix, Said},
    reply::{self, EXAMPLES},
    resolve::{Prefer, Resolved, resolve},
};
use crate::{
    domain::{
        ChangeId, DueDate, FileId, FileRecord, PendingAction, PendingFileDelete, SearchWords,
        StatusFilter, Todo, TodoId, TodoQuery,
        dialogue::{Awaiting, Command, Detail, ListQuery, LocalMemory, Reference, Verb},
    },
    tools::ToolCall,
};

/// What the planner knows of the world: given, never fetched.
pub struct World<'a> {
    pub todos: &'a [Todo],
    pub today: Date,
    /// Files sent with this message.
    pub attachments: &'a [FileRecord],
    /// The waiting chat files' records (read for "attach x.pdf to …").
    pub chat_files: &'a [FileRecord],
    /// The user's files attached to live todos (read for "delete x.pdf" with no todo named).
    pub user_files: &'a [FileRecord],
    /// The id a confirmation asked in this turn gets.
    pub action_id: String,
    /// How long a deleted todo can be restored, in words.
    pub restore_window: String,
}

/// One step of a plan.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Say(String),
    /// Tool calls, then the reply their outcomes make.
    Run {
        calls: Vec<ToolCall>,
        then: Then,
    },
    Confirm {
        action_id: String,
        prompt: String,
    },
    /// Take back the conversation's most recent change.
    Undo,
    /// Take back these changes quietly (a correction of which todo was meant).
    Retract(Vec<ChangeId>),
}

/// How the outcomes of a `Run` become a reply.
#[derive(Debug, Clone, PartialEq)]
pub enum Then {
    Listed {
        phrase: String,
        filtered: bool,
    },
    Counted {
        phrase: String,
    },
    Shown,
    Asked(Detail),
    Added {
        due: Option<Date>,
    },
    Renamed {
        old: String,
    },
    DueSet {
        title: String,
        due: Option<Date>,
    },
    Described {
        title: String,
    },
    Noted {
        title: String,
    },
    Marked {
        completed: bool,
        titles: Vec<String>,
        already: Vec<String>,
    },
    Shifted {
        title: String,
        from: Date,
        to: Date,
        days: i64,
    },
    Deleted {
        todos: Vec<TodoId>,
    },
    Attached {
        title: String,
        todo: TodoId,
        files: Vec<FileId>,
    },
    FilesListed {
        title: String,
    },
    FileToDelete {
        name: String,
    },
}

/// What the turn leaves as the last command.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// This command, with the changes the turn makes.
    Command(Command),
    /// The turn's changes belong to the last command (a confirmed delete).
    Extend,
    Clear,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub steps: Vec<Step>,
    pub record: Record,
}

const IT: Reference = Reference::Pronoun { plural: false };

struct Planner<'a> {
    memory: LocalMemory,
    world: &'a World<'a>,
    steps: Vec<Step>,
}

pub fn plan(memory: &LocalMemory, said: Said, world: &World<'_>) -> (Plan, LocalMemory) {
    let mut p = Planner {
        memory: memory.clone(),
        world,
        steps: Vec::new(),
    };
    if !world.attachments.is_empty() {
        p.memory.chat_files = world.attachments.iter().map(|f| f.id).collect();
    }
    if !matches!(said, Said::Choose(_)) && matches!(p.memory.awaiting, Some(Awaiting::Choice(_))) {
        // Any new instruction replaces an unanswered "which one do you mean?".
        p.memory.awaiting = None;
    }
    let record = p.said(said);
    (
        Plan {
            steps: p.steps,
            record,
        },
        p.memory,
    )
}

/// The answer to a confirmation (a button: `action_id`; typed yes / no: `None`).
pub fn plan_confirm(
    memory: &LocalMemory,
    action_id: Option<&str>,
    approve: bool,
) -> (Plan, LocalMemory) {
    let mut memory = memory.clone();
    let pending = match (memory.pending(), action_id) {
        (Some(p), Some(id)) if p.action_id == id => memory.awaiting.take(),
        (Some(_), None) => memory.awaiting.take(),
        _ => None,
    };
    let say = |text: &str| vec![Step::Say(text.to_owned())];
    let steps = match pending {
        Some(Awaiting::Confirm(pending)) if approve => {
            let mut calls: Vec<ToolCall> = pending
                .delete
                .iter()
                .map(|id| ToolCall::DeleteTodo { todo: *id })
                .collect();
            calls.extend(
                pending
                    .delete_files
                    .iter()
                    .map(|f| ToolCall::DeleteTodoFile {
                        todo: f.todo,
                        file: f.file,
                    }),
            );
            vec![Step::Run {
                calls,
                then: Then::Deleted {
                    todos: pending.delete,
                },
            }]
        }
        Some(_) => say("Okay, nothing was deleted."),
        None => say("That confirmation is no longer pending, so nothing was changed."),
    };
    (
        Plan {
            steps,
            record: Record::Extend,
        },
        memory,
    )
}

/// The same command aimed at `target`; `None` for a command that names no todo.
fn retarget(command: &Command, target: Reference) -> Option<Command> {
    use Verb::*;
    matches!(
        command.verb,
        Show | Complete
            | Reopen
            | Delete
            | Rename
            | SetDue
            | SetDescription
            | AddNote
            | ShiftDue
            | Ask(_)
            | ListFiles
            | AttachFile
            | DeleteFile
    )
    .then(|| Command {
        target: Some(target),
        ..command.clone()
    })
}

fn status(query: &ListQuery) -> (StatusFilter, &'static str) {
    use app::words::lexicon::State;
    match query.state {
        Some(State::Open) => (StatusFilter::Open, "open "),
        Some(State::Completed) => (StatusFilter::Completed, "completed "),
        Some(State::Overdue) => (StatusFilter::Overdue, "overdue "),
        None => (StatusFilter::All, ""),
    }
}

impl Planner<'_> {
    fn say(&mut self, text: impl Into<String>) {
        self.steps.push(Step::Say(text.into()));
    }

    fn run(&mut self, call: ToolCall, then: Then) {
        self.steps.push(Step::Run {
            calls: vec![call],
            then,
        });
    }

    fn said(&mut self, said: Said) -> Record {
        match said {
            Said::Command(command)
                if command.verb == Verb::ListFiles && !self.world.attachments.is_empty() =>
            {
                self.ask_where_to_attach();
                Record::Clear
            }
            Said::Command(command) => self.command(command),
            Said::Yes | Said::No if self.memory.pending().is_some() => {
                let (plan, memory) = plan_confirm(&self.memory, None, said == Said::Yes);
                self.memory = memory;
                self.steps.extend(plan.steps);
                Record::Extend
            }
            Said::Yes | Said::No => {
                self.say("There is nothing waiting for your confirmation.");
                Record::Clear
            }
            Said::Choose(choice) => self.choose(&choice),
            Said::Fix(fix) => self.fix(fix),
            _ if !self.world.attachments.is_empty()
                && !matches!(said, Said::Help | Said::Thanks) =>
            {
                self.ask_where_to_attach();
                Record::Clear
            }
            Said::Help => {
                self.say(format!("I can list, add, change, complete, reopen and delete your todos. Try:\n\n{EXAMPLES}"));
                Record::Clear
            }
            Said::Greeting => {
                self.say("Hi! I can help with your todos. Try “list my todos due this week” or “add call mom tomorrow”.");
                Record::Clear
            }
            Said::Thanks => {
                self.say("You're welcome!");
                Record::Clear
            }
            Said::Unclear => {
                self.say(format!(concat!(
                    "Do you want to change a todo you have? Name it and the field, for example ",
                    "“set the description of the dentist one to bring the card”. I added nothing.\n\n{}"
                ), EXAMPLES));
                Record::Clear
            }
            Said::Unknown => {
                self.say(format!("Sorry, I didn't understand that. Here are some things you can say:\n\n{EXAMPLES}"));
                Record::Clear
            }
        }
    }

    fn ask_where_to_attach(&mut self) {
        let names: Vec<String> = self
            .world
            .attachments
            .iter()
            .map(|f| format!("“{}”", reply::escape(&f.name)))
            .collect();
        self.say(format!(
            concat!(
                "I have {}. Which todo should I attach it to? For example ",
                "“attach it to my dentist appointment todo” or “attach it to the second one”."
            ),
            names.join(", ")
        ));
    }

    fn fix(&mut self, fix: Fix) -> Record {
        let next = match fix {
            Fix::Due(due) => Command::new(Verb::SetDue, Some(IT)).with(|a| a.due = due),
            Fix::Title(title) => {
                Command::new(Verb::Rename, Some(IT)).with(|a| a.text = Some(title))
            }
            Fix::Target(target) => {
                let last = self.memory.last_command.clone();
                let Some(next) = last.as_ref().and_then(|l| retarget(&l.command, target)) else {
                    self.say(
                        "I'm not sure what to do with that one; please say the whole instruction.",
                    );
                    return Record::Clear;
                };
                // Take back what the last command did to the todo it hit by mistake; a
                // delete still waiting for its confirmation was meant for another todo.
                let changes = last.map(|l| l.changes).unwrap_or_default();
                if !changes.is_empty() {
                    self.steps.push(Step::Retract(changes));
                }
                if self.memory.pending().is_some() {
                    self.memory.awaiting = None;
                }
                next
            }
        };
        self.command(next)
    }

    fn choose(&mut self, choice: &Reference) -> Record {
        let Some(Awaiting::Choice(waiting)) = self.memory.awaiting.take() else {
            self.say("I wasn't waiting for a choice. What would you like to do?");
            return Record::Clear;
        };
        let candidates: Vec<Todo> = self
            .world
            .todos
            .iter()
            .filter(|t| self.memory.last_list.contains(&t.id))
            .cloned()
            .collect();
        match resolve(choice, &candidates, &self.memory, Prefer::Any) {
            Resolved::Found(found) if found.len() == 1 => {
                let command = Command {
                    target: Some(Reference::Ids(vec![found[0].id])),
                    ..waiting
                };
                self.command(command)
            }
            _ => {
                self.memory.awaiting = Some(Awaiting::Choice(waiting));
                self.say("Please pick one of the todos I listed, for example “the first one”.");
                Record::Clear
            }
        }
    }

    /// The todos the command means; on ambiguity asks which one (remembering the command),
    /// on no match says so. `None`: the plan has answered.
    fn targets(&mut self, command: &Command, prefer: Prefer, many: bool) -> Option<Vec<Todo>> {
        let target = command.target.clone().unwrap_or(IT);
        match resolve(&target, self.world.todos, &self.memory, prefer) {
            Resolved::Found(found) if found.len() == 1 || many => Some(found),
            Resolved::Found(candidates) | Resolved::Ambiguous(candidates) => {
                self.memory.last_list = candidates.iter().map(|t| t.id).collect();
                self.memory.awaiting = Some(Awaiting::Choice(command.clone()));
                self.say(format!(
                    concat!(
                        "I found {} todos that could be meant:\n\n{}\n\n",
                        "Which one do you mean? You can say “the first one”, “the second one”, …"
                    ),
                    candidates.len(),
                    reply::numbered(&candidates, self.world.today)
                ));
                None
            }
            Resolved::NotFound(message) => {
                self.say(message);
                None
            }
        }
    }

    fn one(&mut self, command: &Command) -> Option<Todo> {
        let todo = self
            .targets(command, Prefer::Any, false)?
            .into_iter()
            .next()?;
        self.memory.last_referenced = vec![todo.id];
        Some(todo)
    }

    fn command(&mut self, command: Command) -> Record {
        let recorded = !matches!(
            command.verb,
            Verb::List
                | Verb::Count
                | Verb::Undo
                | Verb::ListFiles
                | Verb::AttachFile
                | Verb::DeleteFile
        );
        let args = command.args.clone();
        match command.verb {
            Verb::List | Verb::Count => self.list(&command),
            Verb::Undo => self.steps.push(Step::Undo),
            Verb::Add => {
                let title = args.text.unwrap_or_default();
                if title.trim().is_empty() {
                    self.say("What should the todo say? For example “add buy milk tomorrow”.");
                } else {
                    let date_due = args.due.map(|d| d.to_string());
                    self.run(
                        ToolCall::AddTodo {
                            title,
                            description: args.description,
                            date_due,
                        },
                        Then::Added { due: args.due },
                    );
                }
            }
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
        }
        if recorded {
            Record::Command(command)
        } else {
            Record::Clear
        }
    }

    fn list(&mut self, command: &Command) {
        let query = &command.args.query;
        let (status, word) = status(query);
        let text = match query.text.as_deref().map(SearchWords::parse).transpose() {
            Ok(text) => text.flatten(),
            Err(e) => return self.say(reply::escape(&e.0)),
        };
        let call = ToolCall::GetTodos(TodoQuery {
            status,
            due_from: query.due_from.map(DueDate::from_date),
            due_to: query.due_to.map(DueDate::from_date),
            text,
            ..TodoQuery::default()
        });
        let qualifier = if query.label.is_empty() {
            String::new()
        } else {
            format!(" {}", query.label)
        };
        let phrase = format!("{word}todos{qualifier}");
        let then = if command.verb == Verb::Count {
            Then::Counted { phrase }
        } else {
            Then::Listed {
                phrase,
                filtered: !word.is_empty() || !qualifier.is_empty(),
            }
        };
        self.run(call, then);
    }

    fn shift(&mut self, todo: &Todo, days: i64) {
        let title = reply::title(todo);
        let Some(due) = todo.date_due.and_then(|d| d.to_iso().parse::<Date>().ok()) else {
            return self.say(format!(
                "{title} has no due date to move; tell me a date instead, like “move it to friday”."
            ));
        };
        let Ok(moved) = due.checked_add(days.days()) else {
            return self.say("That date is out of range.");
        };
        let call = ToolCall::UpdateTodo {
            todo: todo.id,
            title: None,
            description: None,
            date_due: Some(Some(moved.to_string())),
        };
        self.run(
            call,
            Then::Shifted {
                title,
                from: due,
                to: moved,
                days,
            },
        );
    }

    fn mark(&mut self, command: &Command, completed: bool) {
        let prefer = if completed {
            Prefer::Open
        } else {
            Prefer::Completed
        };
        let Some(todos) = self.targets(command, prefer, true) else {
            return;
        };
        self.memory.last_referenced = todos.iter().map(|t| t.id).collect();
        let state = if completed {
            "already completed"
        } else {
            "already open"
        };
        let (same, change): (Vec<&Todo>, Vec<&Todo>) =
            todos.iter().partition(|t| t.completed == completed);
        let already: Vec<String> = same
            .iter()
            .map(|t| format!("{} is {state}.", reply::title(t)))
            .collect();
        if change.is_empty() {
            return self.say(already.join("\n"));
        }
        let calls = change
            .iter()
            .map(|t| {
                if completed {
                    ToolCall::CompleteTodo { todo: t.id }
                } else {
                    ToolCall::ReopenTodo { todo: t.id }
                }
            })
            .collect();
        let titles = change.iter().map(|t| reply::title(t)).collect();
        self.steps.push(Step::Run {
            calls,
            then: Then::Marked {
                completed,
                titles,
                already,
            },
        });
    }

    fn ask_to_delete(&mut self, todos: Vec<Todo>) {
        let prompt = match todos.as_slice() {
            [one] => format!("Delete {}?", reply::title(one)),
            many => format!(
                "Delete these {} todos: {}?",
                many.len(),
                many.iter().map(reply::title).collect::<Vec<_>>().join(", ")
            ),
        };
        self.memory.last_referenced = todos.iter().map(|t| t.id).collect();
        self.confirm(PendingAction {
            action_id: self.world.action_id.clone(),
            prompt,
            delete: todos.iter().map(|t| t.id).collect(),
            delete_files: vec![],
        });
        let window = &self.world.restore_window;
        let text =
            format!("Please confirm. A deleted todo can be brought back with Undo for {window}.");
        let at = self.steps.len() - 1;
        self.steps.insert(at, Step::Say(text));
    }

    fn files(&mut self, command: &Command) {
        match command.verb {
            Verb::ListFiles => {
                if command.target.is_none() {
                    let waiting = self.memory.chat_files.len();
                    return self.say(if waiting > 0 {
                        format!(
                            concat!(
                                "{} file(s) from this chat are waiting to be attached. ",
                                "Say “attach it to …”, or ask “what files are on …?”."
                            ),
                            waiting
                        )
                    } else {
                        "Which todo's files? For example “what files are on my dentist appointment?”.".into()
                    });
                }
                if let Some(todo) = self.one(command) {
                    self.run(
                        ToolCall::ListTodoFiles { todo: todo.id },
                        Then::FilesListed {
                            title: reply::title(&todo),
                        },
                    );
                }
            }
            Verb::AttachFile => {
                if self.memory.chat_files.is_empty() {
                    return self.say(concat!(
                        "There is no file to attach yet. ",
                        "Drop a file into the chat, then say “attach it to …”."
                    ));
                }
                let chosen: Vec<FileId> = match command.args.text.as_deref() {
                    None => self.memory.chat_files.clone(),
                    Some(name) => self
                        .world
                        .chat_files
                        .iter()
                        .filter(|f| {
                            self.memory.chat_files.contains(&f.id)
                                && f.name.eq_ignore_ascii_case(name)
                        })
                        .map(|f| f.id)
                        .collect(),
                };
                if chosen.is_empty() {
                    let name = reply::escape(command.args.text.as_deref().unwrap_or_default());
                    return self.say(format!("No file called “{name}” is waiting in this chat. Drop it into the chat first."));
                }
                if let Some(todo) = self.one(command) {
                    let calls = chosen
                        .iter()
                        .map(|file| ToolCall::AddTodoFile {
                            todo: todo.id,
                            file: *file,
                        })
                        .collect();
                    let then = Then::Attached {
                        title: reply::title(&todo),
                        todo: todo.id,
                        files: chosen,
                    };
                    self.steps.push(Step::Run { calls, then });
                }
            }
            _ => {
                let name = command.args.text.clone().unwrap_or_default();
                if command.target.is_some() {
                    if let Some(todo) = self.one(command) {
                        self.run(
                            ToolCall::ListTodoFiles { todo: todo.id },
                            Then::FileToDelete { name },
                        );
                    }
                } else {
                    let steps = file_to_delete(
                        &mut self.memory,
                        self.world.user_files,
                        &name,
                        &self.world.action_id,
                    );
                    self.steps.extend(steps);
                }
            }
        }
    }

    fn confirm(&mut self, pending: PendingAction) {
        self.steps.push(Step::Confirm {
            action_id: pending.action_id.clone(),
            prompt: pending.prompt.clone(),
        });
        self.memory.awaiting = Some(Awaiting::Confirm(pending));
    }
}

/// Asks to confirm removing the one file of `candidates` that `name` means (any with no name).
pub fn file_to_delete(
    memory: &mut LocalMemory,
    candidates: &[FileRecord],
    name: &str,
    action_id: &str,
) -> Vec<Step> {
    let wanted = name.to_lowercase();
    let matching: Vec<&FileRecord> = candidates
        .iter()
        .filter(|f| wanted.is_empty() || f.name.to_lowercase().contains(&wanted))
        .collect();
    let quoted = |f: &FileRecord| format!("“{}”", reply::escape(&f.name));
    let file = match matching.as_slice() {
        [one] => *one,
        [] => {
            let what = if name.is_empty() {
                "no files".to_owned()
            } else {
                format!("no file called “{}”", reply::escape(name))
            };
            return vec![Step::Say(format!(
                "I found {what} there, so nothing was removed."
            ))];
        }
        many => {
            let names: Vec<String> = many.iter().map(|f| quoted(f)).collect();
            return vec![Step::Say(format!(
                "Which file do you mean: {}? Say for example “remove the file {} from …”.",
                names.join(", "),
                reply::escape(&many[0].name)
            ))];
        }
    };
    let Some(todo) = file.todo_id else {
        return vec![];
    };
    let prompt = format!("Remove the file {}?", quoted(file));
    memory.awaiting = Some(Awaiting::Confirm(PendingAction {
        action_id: action_id.to_owned(),
        prompt: prompt.clone(),
        delete: vec![],
        delete_files: vec![PendingFileDelete {
            todo,
            file: file.id,
        }],
    }));
    vec![
        Step::Say("Removing a file can't be undone, so please confirm.".into()),
        Step::Confirm {
            action_id: action_id.to_owned(),
            prompt,
        },
    ]
}
