//! The second pure step of a plan: a `Run`'s tool outcomes made into the reply (and the
//! memory they update: the last list, what "it" means, the files now attached). Every fact
//! in a reply comes from an outcome.

use app::wire::file::human_size;
use jiff::{civil::Date, tz::TimeZone};

use super::{
    plan::{Step, Then, file_to_delete},
    reply::{self, escape},
};
use crate::{
    domain::{
        FileRecord, Todo,
        dialogue::{Detail, LocalMemory},
    },
    tools::ToolOutcome,
};

fn file_name(file: &FileRecord) -> String {
    format!("“{}”", escape(&file.name))
}

fn lines(first: String, rest: Vec<String>) -> String {
    let mut text = first;
    for line in rest {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&line);
    }
    text
}

fn due_of(todo: &Todo) -> Option<Date> {
    todo.date_due?.to_iso().parse().ok()
}

/// Text the user wrote, quoted so it renders as written.
fn quoted(text: &str) -> String {
    text.lines()
        .map(|line| format!("> {}", escape(line)))
        .collect::<Vec<_>>()
        .join("\n")
}

fn answer(detail: Detail, todo: &Todo, today: Date) -> String {
    let title = reply::title(todo);
    let due = due_of(todo).map(|d| {
        let late = !todo.completed && d < today;
        format!(
            "{}{}",
            reply::friendly(d, today),
            if late { " (overdue)" } else { "" }
        )
    });
    match detail {
        Detail::Due => match due {
            Some(when) => format!("{title} is due {when}."),
            None => format!("{title} has no due date."),
        },
        Detail::Done if todo.completed => format!("Yes, {title} is done."),
        Detail::Done => match due {
            Some(when) => format!("No, {title} is still open (due {when})."),
            None => format!("No, {title} is still open."),
        },
        Detail::Notes if todo.notes.as_str().is_empty() => format!("{title} has no notes."),
        Detail::Notes => format!("Notes on {title}:\n\n{}", quoted(todo.notes.as_str())),
        Detail::Description if todo.description.as_str().is_empty() => {
            format!("{title} has no description.")
        }
        Detail::Description => format!(
            "The description of {title}:\n\n{}",
            quoted(todo.description.as_str())
        ),
    }
}

/// The reply (and any question) the outcomes of `then`'s calls make; `here` is the user's
/// today and time zone.
pub fn after(
    then: &Then,
    outcomes: &[ToolOutcome],
    memory: &mut LocalMemory,
    here: (Date, &TimeZone),
    action_id: &str,
) -> Vec<Step> {
    let (today, zone) = here;
    let say = |text: String| vec![Step::Say(text)];
    let Some(first) = outcomes.first() else {
        return vec![];
    };
    let refused = || say(escape(&first.text));
    match then {
        Then::Listed { phrase, filtered } => {
            if !first.ok {
                return refused();
            }
            memory.last_list = first.todos.iter().map(|t| t.id).collect();
            memory.last_referenced = memory.last_list.clone();
            let count = first.todos.len();
            say(match count {
                0 if !filtered => "You have no todos yet. Try “add buy milk tomorrow”.".into(),
                0 => format!("You have no {phrase}."),
                1 => format!(
                    "You have 1 {}:\n\n{}",
                    phrase.replacen("todos", "todo", 1),
                    reply::numbered(&first.todos, today)
                ),
                n => format!(
                    "You have {n} {phrase}:\n\n{}",
                    reply::numbered(&first.todos, today)
                ),
            })
        }
        Then::Counted { phrase } => {
            if !first.ok {
                return refused();
            }
            memory.last_list = first.todos.iter().map(|t| t.id).collect();
            memory.last_referenced = memory.last_list.clone();
            say(match first.todos.len() {
                0 => format!("You have no {phrase}."),
                1 => format!("You have 1 {}.", phrase.replacen("todos", "todo", 1)),
                n => format!("You have {n} {phrase}."),
            })
        }
        Then::Shown | Then::Asked(_) => match first.todos.first() {
            Some(todo) if first.ok => {
                memory.last_referenced = vec![todo.id];
                say(match then {
                    Then::Asked(detail) => answer(*detail, todo, today),
                    _ => reply::details(todo, today),
                })
            }
            _ => refused(),
        },
        Then::Added { due, list, note } => match first.todos.first() {
            Some(todo) if first.ok => {
                memory.last_referenced = vec![todo.id];
                let when = due
                    .map(|d| format!(", due {}", reply::friendly(d, today)))
                    .unwrap_or_default();
                let to = list
                    .as_ref()
                    .map(|l| format!(" to **{}**", escape(l)))
                    .unwrap_or_default();
                let extra = reply::organized(todo);
                let note = note.as_ref().map(|n| format!(" {n}")).unwrap_or_default();
                say(format!(
                    "Added {}{to}{when}{extra}.{note}",
                    reply::title(todo)
                ))
            }
            _ => say(format!("I couldn't add that: {}", escape(&first.text))),
        },
        Then::Renamed { old } => match first.todos.first() {
            Some(new) if first.ok => say(format!("Renamed {old} to {}.", reply::title(new))),
            _ => refused(),
        },
        Then::DueSet { title, due } if first.ok => say(match due {
            Some(d) => format!("{title} is now due {}.", reply::friendly(*d, today)),
            None => format!("Removed the due date from {title}."),
        }),
        Then::Described { title } if first.ok => {
            say(format!("Updated the description of {title}."))
        }
        Then::Noted { title } if first.ok => say(format!("Added a note to {title}.")),
        Then::Shifted {
            title,
            from,
            to,
            days,
        } if first.ok => {
            let (n, unit) = if days % 7 == 0 {
                (days.abs() / 7, "week")
            } else {
                (days.abs(), "day")
            };
            let plural = if n == 1 { "" } else { "s" };
            let direction = if *days < 0 { "earlier" } else { "later" };
            say(format!(
                "Moved {title} {n} {unit}{plural} {direction}: from {} to {}.",
                reply::friendly(*from, today),
                reply::friendly(*to, today)
            ))
        }
        Then::DueSet { .. }
        | Then::Described { .. }
        | Then::Noted { .. }
        | Then::Shifted { .. } => refused(),
        Then::Marked {
            completed,
            titles,
            already,
        } => {
            let done_word = if *completed { "complete" } else { "open again" };
            let mut changed = Vec::new();
            let mut problems = Vec::new();
            for (title, outcome) in titles.iter().zip(outcomes) {
                if outcome.ok {
                    changed.push(title.clone());
                } else {
                    problems.push(format!("{title}: {}", escape(&outcome.text)));
                }
            }
            let head = match changed.len() {
                0 => String::new(),
                1 => format!("Marked {} as {done_word}.", changed[0]),
                n => format!("Marked {n} todos as {done_word}: {}.", changed.join(", ")),
            };
            say(lines(
                head,
                already.iter().cloned().chain(problems).collect(),
            ))
        }
        Then::Deleted { todos } => {
            let mut deleted = Vec::new();
            let mut problems = Vec::new();
            for outcome in outcomes {
                match (outcome.todos.first(), outcome.files.first()) {
                    (Some(todo), _) if outcome.ok => deleted.push(reply::title(todo)),
                    (_, Some(file)) if outcome.ok => {
                        problems.push(format!("Removed the file {}.", file_name(file)))
                    }
                    _ => problems.push(escape(&outcome.text)),
                }
            }
            memory.last_referenced.retain(|id| !todos.contains(id));
            let head = match deleted.len() {
                0 => String::new(),
                1 => format!("Deleted {}.", deleted[0]),
                n => format!("Deleted {n} todos: {}.", deleted.join(", ")),
            };
            say(lines(head, problems))
        }
        Then::Attached { title, todo, files } => {
            let mut attached = Vec::new();
            let mut problems = Vec::new();
            for outcome in outcomes {
                match outcome.files.first() {
                    Some(file) if outcome.ok => attached.push(file_name(file)),
                    _ => problems.push(escape(&outcome.text)),
                }
            }
            // Attached or refused (gone, attached elsewhere): either way "it" is done with.
            memory.chat_files.retain(|id| !files.contains(id));
            memory.last_referenced = vec![*todo];
            let head = if attached.is_empty() {
                String::new()
            } else {
                format!("Attached {} to {title}.", attached.join(", "))
            };
            say(lines(head, problems))
        }
        Then::FilesListed { title } => {
            if !first.ok {
                return refused();
            }
            if first.files.is_empty() {
                return say(format!("{title} has no files attached."));
            }
            let list: Vec<String> = first
                .files
                .iter()
                .enumerate()
                .map(|(i, f)| format!("{}. {} ({})", i + 1, file_name(f), human_size(f.size)))
                .collect();
            let plural = if list.len() == 1 { "" } else { "s" };
            say(format!(
                "{title} has {} file{plural}:\n\n{}",
                list.len(),
                list.join("\n")
            ))
        }
        Then::FileToDelete { name } => file_to_delete(memory, &first.files, name, action_id),
        Then::Reminders => {
            if !first.ok {
                return refused();
            }
            let reminded: Vec<(&Todo, Vec<String>)> = first
                .todos
                .iter()
                .filter_map(|todo| {
                    let list: Vec<String> = crate::tools::reminders::of(todo)
                        .iter()
                        .map(|r| crate::tools::reminders::describe(r, zone, today))
                        .collect();
                    (!list.is_empty()).then_some((todo, list))
                })
                .collect();
            memory.last_list = reminded.iter().map(|(t, _)| t.id).collect();
            memory.last_referenced = memory.last_list.clone();
            if reminded.is_empty() {
                return say(
                    "None of your open todos has a reminder. Try “remind me about the dentist \
                     an hour before”."
                        .into(),
                );
            }
            let rows: Vec<String> = reminded
                .iter()
                .enumerate()
                .map(|(i, (todo, list))| {
                    format!(
                        "{}. {} — 🔔 {}",
                        i + 1,
                        reply::line(todo, today),
                        list.join(", ")
                    )
                })
                .collect();
            let head = match rows.len() {
                1 => "1 open todo has reminders".to_owned(),
                n => format!("{n} open todos have reminders"),
            };
            say(format!("{head}:\n\n{}", rows.join("\n")))
        }
        Then::Changed { titles, lines } => {
            let mut said = Vec::new();
            let mut changed = Vec::new();
            for ((title, line), outcome) in titles.iter().zip(lines).zip(outcomes) {
                if outcome.ok {
                    changed.extend(outcome.todos.iter().map(|t| t.id));
                    if !line.is_empty() {
                        said.push(line.clone());
                    }
                } else {
                    said.push(format!("{title}: {}", escape(&outcome.text)));
                }
            }
            if !changed.is_empty() {
                changed.dedup();
                memory.last_referenced = changed;
            }
            say(said.join("\n"))
        }
    }
}
