//! Table tests of the pure planner: a message and a memory in, the plan out; no store, no
//! server. Fixtures mirror the store-backed suite (today is Wednesday 2026-11-25).

mod bulk;
mod organize;
mod reminders;
mod verbs;

use std::sync::LazyLock;

use jiff::{
    Timestamp,
    civil::{Date, date},
};

use super::{
    parse::parse,
    plan::{Plan, Step, World, plan},
};
use crate::{
    domain::{
        BoundedText, DueDate, ListName, Todo, TodoId, TodoList, TodoTitle, UserId,
        dialogue::{Awaiting, Command, LocalMemory, Reference, Verb},
    },
    tools::ToolCall,
};

pub const TODAY: Date = date(2026, 11, 25);

pub fn todo(title: &str, due: Option<Date>, completed: bool) -> Todo {
    Todo {
        owner: UserId::from_verified_sub("u"),
        id: TodoId::new(),
        title: TodoTitle::parse(title).unwrap(),
        description: BoundedText::default(),
        notes: BoundedText::default(),
        date_due: due.map(DueDate::from_date),
        labels: Default::default(),
        priority: Default::default(),
        subtasks: Default::default(),
        list_id: None,
        due_time: None,
        repeat: None,
        repeat_after_completion: false,
        completions: Default::default(),
        completed,
        created_at: Timestamp::UNIX_EPOCH,
        updated_at: Timestamp::UNIX_EPOCH,
        version: 1,
        deleted_until: None,
        purging: false,
        reminders: Default::default(),
        remind_at: None,
        search: Default::default(),
    }
}

pub static TODOS: LazyLock<Vec<Todo>> = LazyLock::new(|| {
    vec![
        todo("Learn ansible", Some(date(2026, 11, 26)), false),
        todo("Book dentist appointment", Some(date(2026, 12, 4)), false),
        todo("Buy milk", None, false),
        todo("File taxes", Some(date(2026, 11, 20)), false),
        todo("Call mom", Some(date(2026, 11, 25)), true),
        todo("Pay rent", Some(date(2026, 11, 30)), false),
    ]
});

/// The user's lists: the Inbox, Work, Groceries, Home and Errands.
pub static LISTS: LazyLock<Vec<TodoList>> = LazyLock::new(|| {
    let owner = UserId::from_verified_sub("u");
    let mut lists = vec![TodoList::inbox(&owner, Timestamp::UNIX_EPOCH)];
    for (order, name) in ["Work", "Groceries", "Home", "Errands"]
        .into_iter()
        .enumerate()
    {
        lists.push(TodoList {
            id: crate::domain::ListId::new(),
            name: ListName::parse(name).unwrap(),
            order: order as i64 + 1,
            inbox: false,
            ..TodoList::inbox(&owner, Timestamp::UNIX_EPOCH)
        });
    }
    lists
});

pub fn list_id(name: &str) -> crate::domain::ListId {
    LISTS.iter().find(|l| l.name.as_str() == name).unwrap().id
}

pub fn id(title: &str) -> TodoId {
    TODOS.iter().find(|t| t.title.as_str() == title).unwrap().id
}

/// A memory after "list my todos" and "show the dentist one", with one file waiting.
pub fn memory() -> LocalMemory {
    LocalMemory {
        last_list: TODOS.iter().map(|t| t.id).collect(),
        last_referenced: vec![id("Book dentist appointment")],
        chat_files: vec![crate::domain::FileId::new()],
        ..LocalMemory::default()
    }
}

pub fn run(memory: &LocalMemory, text: &str) -> (Plan, LocalMemory) {
    run_with(&TODOS, memory, text)
}

/// As [`run`], over other todos.
pub fn run_with(todos: &[Todo], memory: &LocalMemory, text: &str) -> (Plan, LocalMemory) {
    let world = World {
        todos,
        lists: &LISTS,
        today: TODAY,
        attachments: &[],
        chat_files: &[],
        user_files: &[],
        action_id: "action".into(),
        restore_window: "10 minutes".into(),
    };
    let waiting = matches!(memory.awaiting, Some(Awaiting::Choice(_)));
    plan(memory, parse(text, TODAY, waiting), &world)
}

pub fn calls(plan: &Plan) -> Vec<ToolCall> {
    plan.steps
        .iter()
        .flat_map(|s| match s {
            Step::Run { calls, .. } => calls.clone(),
            _ => vec![],
        })
        .collect()
}

pub fn text(plan: &Plan) -> String {
    plan.steps
        .iter()
        .filter_map(|s| match s {
            Step::Say(t) => Some(t.as_str()),
            Step::Confirm { prompt, .. } => Some(prompt.as_str()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn creates(plan: &Plan) -> bool {
    calls(plan)
        .iter()
        .any(|c| matches!(c, ToolCall::AddTodo { .. }))
}

pub fn waiting_choice(command: Command) -> LocalMemory {
    LocalMemory {
        last_list: vec![id("Call mom"), id("Pay rent")],
        awaiting: Some(Awaiting::Choice(command)),
        ..memory()
    }
}

pub fn complete_call() -> Command {
    Command::new(Verb::Complete, Some(Reference::Text("call".into())))
}

#[test]
fn no_two_files_of_the_folder_import_each_other() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/agent/local");
    let mut uses = std::collections::BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let Some(name) = path.file_stem().and_then(|s| s.to_str()).map(str::to_owned) else {
            continue;
        };
        if path.extension().is_none_or(|e| e != "rs") || name == "mod" {
            continue;
        }
        uses.insert(name, std::fs::read_to_string(&path).unwrap());
    }
    let names: Vec<String> = uses.keys().cloned().collect();
    let imports = |a: &str, b: &str| {
        let source = &uses[a];
        let head = source.split("#[cfg(test)]").next().unwrap_or(source);
        head.contains(&format!("super::{b}")) || {
            let block = head
                .split("use super::{")
                .nth(1)
                .and_then(|s| s.split("};").next())
                .unwrap_or("");
            block
                .split(|c: char| !c.is_alphanumeric() && c != '_')
                .any(|w| w == b)
        }
    };
    for a in &names {
        for b in &names {
            assert!(
                a == b || !(imports(a, b) && imports(b, a)),
                "{a} and {b} import each other"
            );
        }
    }
}
