//! Plans of the organizing verbs: moving todos to a list, priority, repeat rules, checklist
//! steps, labels and times. Each names the user's list or step it means (from the world
//! given, never guessed), makes the typed tool calls and the sentence each call's success
//! says; what is already so is said without a call.

use super::{Planner, Step, Then};
use crate::{
    agent::local::{organize::list_name, query::reference, reply, resolve::Prefer},
    domain::{
        ListId, Priority, Todo, TodoList,
        dialogue::{Args, Command, ListName, Reference, StepPick, Verb},
    },
    tools::{
        ToolCall,
        call::{LabelEdit, SubtaskRef},
    },
};

/// "priority 1 (the highest)": what a priority is called in a reply.
fn priority_words(level: u8) -> String {
    match level {
        1 => "priority 1 (the highest)".into(),
        4 => "priority 4 (no priority)".into(),
        n => format!("priority {n}"),
    }
}

/// The list `todo` is in (a todo stored without one is in the Inbox).
fn list_of(todo: &Todo) -> ListId {
    todo.list_id
        .unwrap_or_else(|| ListId::inbox_of(&todo.owner))
}

/// One change `setTodoDetails` makes.
enum Detail {
    Priority(Priority),
    Labels(LabelEdit),
    Time(String),
    Repeat(Option<String>),
}

/// A `setTodoDetails` call that changes one thing.
fn details(todo: &Todo, detail: Detail) -> ToolCall {
    let mut call = (None, None, None, None);
    match detail {
        Detail::Priority(p) => call.0 = Some(p),
        Detail::Labels(l) => call.1 = Some(l),
        Detail::Time(t) => call.2 = Some(Some(t)),
        Detail::Repeat(r) => call.3 = Some(r),
    }
    ToolCall::SetTodoDetails {
        todo: todo.id,
        priority: call.0,
        labels: call.1,
        due_time: call.2,
        repeat: call.3,
    }
}

impl Planner<'_> {
    /// The user's list `name` means (its name in any case, or with "list" dropped).
    pub(super) fn list_named(&self, name: &str) -> Option<&TodoList> {
        let wanted = name.trim().trim_start_matches('#');
        self.world
            .lists
            .iter()
            .find(|l| l.name.as_str().eq_ignore_ascii_case(wanted))
    }

    /// "show work", "what's in groceries?": a listing of that list when the words name one
    /// of the user's lists.
    pub(super) fn list_shown(&self, command: &Command) -> Option<Command> {
        let Some(Reference::Text(words)) = &command.target else {
            return None;
        };
        let named = list_name(words, self.world.today)?;
        self.list_named(&named.name)?;
        Some(Command::new(Verb::List, None).with(|a| a.query.list = Some(Box::new(named))))
    }

    /// "You have no list named “x”. Your lists are Inbox, Work and Groceries."
    pub(super) fn no_such_list(&mut self, name: &str) {
        let names: Vec<String> = self
            .world
            .lists
            .iter()
            .map(|l| format!("**{}**", reply::escape(l.name.as_str())))
            .collect();
        let known = match names.as_slice() {
            [] => "You have no lists yet besides the Inbox.".to_owned(),
            [one] => format!("Your only list is {one}."),
            [init @ .., last] => format!("Your lists are {} and {last}.", init.join(", ")),
        };
        self.say(format!(
            "You have no list named “{}”. {known}",
            reply::escape(name)
        ));
    }

    /// A title that ends by naming one of the user's lists ("buy milk to groceries"): the
    /// title without those words, and the list.
    fn title_with_list(&self, title: &str) -> Option<(String, TodoList)> {
        let lower = title.to_lowercase();
        if lower.len() != title.len() {
            return None;
        }
        for list in self.world.lists {
            let name = list.name.as_str().to_lowercase();
            for prep in [" to ", " in ", " into ", " on ", " under "] {
                for article in ["", "my ", "the "] {
                    for noun in ["", " list"] {
                        let suffix = format!("{prep}{article}{name}{noun}");
                        if lower.ends_with(&suffix) && title.len() > suffix.len() {
                            let rest = title[..title.len() - suffix.len()].trim();
                            return Some((rest.to_owned(), list.clone()));
                        }
                    }
                }
            }
        }
        None
    }

    /// "add …": the title, its date and description, the list ("#home", or "to groceries"
    /// when that is one of the user's lists) and the quick-add marks.
    pub(super) fn add(&mut self, args: Args) {
        let mut title = args.text.unwrap_or_default();
        if title.trim().is_empty() {
            return self.say("What should the todo say? For example “add buy milk tomorrow”.");
        }
        let mut note = None;
        let list = match &args.fields.list {
            Some(ListName { name, .. }) => match self.list_named(name) {
                Some(found) => Some(found.clone()),
                None => {
                    // "fix issue #42": not a list of theirs, so the mark stays words of the
                    // title (a list is never made as a side effect), and the reply says so.
                    title = format!("{title} #{name}");
                    note = Some(format!(
                        "You have no list named “{}”, so “#{}” stayed in the title.",
                        reply::escape(name),
                        reply::escape(name)
                    ));
                    None
                }
            },
            None => self.title_with_list(&title).map(|(rest, list)| {
                title = rest;
                list
            }),
        };
        let call = ToolCall::AddTodo {
            title,
            description: args.description,
            date_due: args.due.map(|d| d.to_string()),
            list: list.as_ref().map(|l| l.id.to_string()),
            details: args.fields.details,
        };
        // "remind me at 9am tomorrow to call mom": the reply says when it will remind.
        let reminded = args
            .fields
            .reminder
            .as_deref()
            .and_then(|mark| app::words::reminders::parse_mark(mark, self.world.today))
            .map(|when| {
                format!(
                    "I'll remind you {}.",
                    super::reminders::when_words(when, self.world.today)
                )
            });
        let note = match (reminded, note) {
            (Some(r), Some(n)) => Some(format!("{r} {n}")),
            (r, n) => r.or(n),
        };
        let then = Then::Added {
            due: args.due,
            note,
            list: list
                .filter(|l| !l.inbox)
                .map(|l| l.name.as_str().to_owned()),
        };
        self.run(call, then);
    }

    fn changed(&mut self, calls: Vec<ToolCall>, titles: Vec<String>, lines: Vec<String>) {
        self.steps.push(Step::Run {
            calls,
            then: Then::Changed { titles, lines },
        });
    }

    /// The organizing verbs' plans.
    pub(super) fn organize(&mut self, command: &Command) {
        match command.verb {
            Verb::MoveToList => self.move_to_list(command),
            Verb::SetPriority => self.set_priority(command),
            Verb::SetRepeat => self.set_repeat(command),
            Verb::AddSteps => self.add_steps(command),
            Verb::CheckStep => self.check_step(command),
            Verb::SetLabels => self.set_labels(command),
            Verb::SetTime => self.set_time(command),
            _ => {}
        }
    }

    fn move_to_list(&mut self, command: &Command) {
        let Some(ListName { name, explicit }) = command.args.fields.list.clone() else {
            return;
        };
        let Some(list) = self.list_named(&name).cloned() else {
            // "put it in the dentist one" with a file waiting in the chat: not a list of
            // theirs, so the file goes onto that todo.
            if !explicit && !self.memory.chat_files.is_empty() {
                let attach = Command::new(Verb::AttachFile, Some(reference(&name)));
                return self.files(&attach);
            }
            return self.no_such_list(&name);
        };
        let Some(todos) = self.targets(command, Prefer::Any, true) else {
            return;
        };
        self.memory.last_referenced = todos.iter().map(|t| t.id).collect();
        let list_name = format!("**{}**", reply::escape(list.name.as_str()));
        let (same, moving): (Vec<&Todo>, Vec<&Todo>) =
            todos.iter().partition(|t| list_of(t) == list.id);
        for todo in same {
            self.say(format!("{} is already in {list_name}.", reply::title(todo)));
        }
        if moving.is_empty() {
            return;
        }
        let calls = moving
            .iter()
            .map(|t| ToolCall::UpdateTodo {
                todo: t.id,
                title: None,
                description: None,
                date_due: None,
                list: Some(list.id.to_string()),
            })
            .collect();
        let titles: Vec<String> = moving.iter().map(|t| reply::title(t)).collect();
        let lines = titles
            .iter()
            .map(|t| format!("Moved {t} to {list_name}."))
            .collect();
        self.changed(calls, titles, lines);
    }

    fn set_priority(&mut self, command: &Command) {
        let Some(todos) = self.targets(command, Prefer::Open, true) else {
            return;
        };
        self.memory.last_referenced = todos.iter().map(|t| t.id).collect();
        let (mut calls, mut titles, mut lines) = (vec![], vec![], vec![]);
        for todo in &todos {
            let now = todo.priority.get();
            let wanted = match command.args.fields.priority {
                Some(level) => level,
                None => (now as i8 + command.args.fields.priority_change).clamp(1, 4) as u8,
            };
            let title = reply::title(todo);
            if wanted == now {
                let already = match command.args.fields.priority_change {
                    1 => format!("{title} already has no priority; it cannot go lower."),
                    -1 => format!("{title} already has the highest priority."),
                    _ => format!("{title} already has {}.", priority_words(now)),
                };
                self.say(already);
                continue;
            }
            let Ok(priority) = Priority::parse(i64::from(wanted)) else {
                continue;
            };
            calls.push(details(todo, Detail::Priority(priority)));
            lines.push(format!(
                "{title} now has {}; it had {}.",
                priority_words(wanted),
                priority_words(now)
            ));
            titles.push(title);
        }
        if !calls.is_empty() {
            self.changed(calls, titles, lines);
        }
    }

    fn set_repeat(&mut self, command: &Command) {
        let Some(todo) = self.one(command) else {
            return;
        };
        let title = reply::title(&todo);
        let (repeat, line) = match &command.args.fields.repeat {
            Some(rule) => (Some(rule.clone()), format!("{title} now repeats {rule}.")),
            None if todo.repeat.is_none() => {
                return self.say(format!(
                    "{title} doesn't repeat, so there is nothing to stop."
                ));
            }
            None => (None, format!("{title} no longer repeats.")),
        };
        let call = details(&todo, Detail::Repeat(repeat));
        self.changed(vec![call], vec![title], vec![line]);
    }

    fn add_steps(&mut self, command: &Command) {
        let Some(todo) = self.one(command) else {
            return;
        };
        let steps = command.args.fields.steps.clone();
        let title = reply::title(&todo);
        let named: Vec<String> = steps
            .iter()
            .map(|s| format!("“{}”", reply::escape(s)))
            .collect();
        let line = match named.as_slice() {
            [one] => format!("Added the step {one} to {title}."),
            many => format!(
                "Added {} steps to {title}: {}.",
                many.len(),
                many.join(", ")
            ),
        };
        let call = ToolCall::AddSubtasks {
            todo: todo.id,
            steps,
        };
        self.changed(vec![call], vec![title], vec![line]);
    }

    fn check_step(&mut self, command: &Command) {
        let Some(todo) = self.one(command) else {
            return;
        };
        let title = reply::title(&todo);
        let steps: Vec<_> = todo.subtasks.iter().collect();
        if steps.is_empty() {
            return self.say(format!(
                "{title} has no steps. Add some with “add steps to it: …”."
            ));
        }
        let found = match command.args.fields.step.as_ref() {
            Some(StepPick::Position(0)) => steps.last().copied(),
            Some(StepPick::Position(n)) => steps.get(n - 1).copied(),
            Some(StepPick::Title(words)) => {
                let wanted = words.to_lowercase();
                let titled = |s: &&crate::domain::Subtask| s.title.as_str().to_lowercase();
                steps
                    .iter()
                    .find(|s| titled(s) == wanted)
                    .or_else(|| steps.iter().find(|s| titled(s).contains(&wanted)))
                    .copied()
            }
            None => None,
        };
        let Some(step) = found else {
            let list: Vec<String> = steps
                .iter()
                .enumerate()
                .map(|(i, s)| format!("{}. {}", i + 1, reply::escape(s.title.as_str())))
                .collect();
            return self.say(format!(
                "{title} has no such step. Its steps are:\n\n{}",
                list.join("\n")
            ));
        };
        let done = !command.args.fields.uncheck;
        let name = format!("“{}”", reply::escape(step.title.as_str()));
        if step.done == done {
            let state = if done { "checked" } else { "not checked" };
            return self.say(format!("{name} of {title} is already {state}."));
        }
        let checked = steps.iter().filter(|s| s.done).count() as i64 + if done { 1 } else { -1 };
        let verb = if done { "Checked" } else { "Unchecked" };
        let line = format!(
            "{verb} {name} of {title} ({checked} of {} done).",
            steps.len()
        );
        let call = ToolCall::SetSubtaskDone {
            todo: todo.id,
            subtask: SubtaskRef::Id(step.id.to_string()),
            done,
        };
        self.changed(vec![call], vec![title], vec![line]);
    }

    fn set_labels(&mut self, command: &Command) {
        let Some(todo) = self.one(command) else {
            return;
        };
        let Some(raw) = command.args.fields.labels.clone() else {
            return;
        };
        let title = reply::title(&todo);
        let edit = match LabelEdit::parse(&raw) {
            Ok(edit) => edit,
            Err(e) => return self.say(reply::escape(&e.0)),
        };
        let LabelEdit::Adjust { add, remove } = &edit else {
            return;
        };
        let has = |l: &crate::domain::Label| todo.labels.contains(l);
        let line = match (add.first(), remove.first()) {
            (Some(l), _) if has(l) => {
                return self.say(format!("{title} already has the label @{}.", l.as_str()));
            }
            (_, Some(l)) if !has(l) => {
                return self.say(format!("{title} has no label @{}.", l.as_str()));
            }
            (Some(l), _) => format!("Labelled {title} @{}.", l.as_str()),
            (_, Some(l)) => format!("Removed the label @{} from {title}.", l.as_str()),
            (None, None) => return,
        };
        let call = details(&todo, Detail::Labels(edit));
        self.changed(vec![call], vec![title], vec![line]);
    }

    fn set_time(&mut self, command: &Command) {
        let Some(todo) = self.one(command) else {
            return;
        };
        let Some(time) = command.args.fields.time.clone() else {
            return;
        };
        let title = reply::title(&todo);
        let today = self.world.today;
        let (mut calls, mut titles, mut lines) = (vec![], vec![], vec![]);
        let day = match todo.date_due {
            Some(due) => due.date(),
            None => {
                // A time needs a day: an undated todo gets today.
                calls.push(ToolCall::UpdateTodo {
                    todo: todo.id,
                    title: None,
                    description: None,
                    date_due: Some(Some(today.to_string())),
                    list: None,
                });
                titles.push(title.clone());
                lines.push(String::new());
                today
            }
        };
        calls.push(details(&todo, Detail::Time(time.clone())));
        lines.push(format!(
            "{title} is now due {} at {time}.",
            reply::friendly(day, today)
        ));
        titles.push(title);
        self.changed(calls, titles, lines);
    }
}
