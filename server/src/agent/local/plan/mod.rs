//! The planner: `plan(memory, said, world) -> (Plan, memory)`, pure (no store, no clock, no
//! I/O). It resolves the command's todos against the todos it is given, decides the typed
//! tool calls, the replies, the confirmation or the "which one?" question, and returns the
//! memory as it will be. What depends on a tool's result (the list it read) is rendered by
//! the pure second step in `after`, fed with the outcomes.

//!
//! `steps` holds the plan's types, `command` one command's plan, `edits` the plans that
//! change todos, `files` those about files, `organize` those of lists, priority, repeat
//! rules, steps, labels and times, `reminders` those of reminders, `bulk` the plan cards
//! about many todos at once.
use jiff::civil::Date;

use super::{
    parse::{Fix, Said},
    reply::{self, EXAMPLES},
    resolve::{Prefer, Resolved, resolve},
};
use crate::{
    domain::{
        FileRecord, PendingAction, StatusFilter, Todo, TodoList,
        dialogue::{Awaiting, Command, ListQuery, LocalMemory, Reference, Verb},
    },
    tools::ToolCall,
};

pub mod bulk;
mod command;
mod edits;
pub mod files;
mod organize;
mod reminders;
mod steps;

pub use files::file_to_delete;
pub use steps::{Plan, Record, Step, Then};

/// What the planner knows of the world: given, never fetched.
pub struct World<'a> {
    pub todos: &'a [Todo],
    /// The user's lists (read for the commands that name one; empty otherwise).
    pub lists: &'a [TodoList],
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
            | MoveToList
            | SetPriority
            | SetRepeat
            | AddSteps
            | CheckStep
            | SetLabels
            | SetTime
            | SetReminders
            | ClearReminders
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
            Said::Bulk(ask) => {
                self.bulk(ask);
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
                self.say(format!("I can list, add, change, complete, reopen and delete your todos, file them in your lists, and set their priority, repeat rules, steps, labels, times and reminders. Try:\n\n{EXAMPLES}"));
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

    fn confirm(&mut self, pending: PendingAction) {
        self.steps.push(Step::Confirm {
            action_id: pending.action_id.clone(),
            prompt: pending.prompt.clone(),
        });
        self.memory.awaiting = Some(Awaiting::Confirm(pending));
    }
}
