//! The words after "add": the title (in the user's case, quotes, emoji kept), an optional
//! description ("with the description …", " - …") and a trailing due date ("… tomorrow").

use app::words::{
    dates,
    quick_add::{LINE_MAX_CHARS, QuickAdd},
    tags::TagKind,
};
use jiff::civil::Date;

use crate::domain::dialogue::{Command, ListName, Verb};

/// Strips `prefix` (any case) from the start of `s`.
fn strip<'a>(s: &'a str, prefixes: &[&str]) -> &'a str {
    let lower = s.to_lowercase();
    prefixes
        .iter()
        .find(|p| lower.starts_with(*p) && s.is_char_boundary(p.len()))
        .map_or(s, |p| s[p.len()..].trim_start())
}

/// The added todo's title, description and due date; `None` when there is no title.
pub fn read(rest: &str, today: Date) -> Option<Command> {
    let mut rest = rest.trim();
    rest = strip(rest, &["a ", "an "]);
    rest = strip(rest, &["new "]);
    let lower = rest.to_lowercase();
    for frame in ["todo", "to-do", "task", "item", "reminder"] {
        let Some(after) = lower.strip_prefix(frame) else {
            continue;
        };
        let after = after.strip_prefix('s').unwrap_or(after);
        if after.starts_with(':') || after.starts_with(' ') {
            rest = rest[rest.len() - after.len()..]
                .trim_start_matches(':')
                .trim_start();
            break;
        }
    }
    rest = strip(
        rest,
        &[
            "to ",
            "called ",
            "named ",
            "titled ",
            "for ",
            ": ",
            "that says ",
        ],
    );
    let mut rest = rest.to_owned();
    let mut description = None;
    let lower = rest.to_lowercase();
    for marker in [
        " with the description ",
        " with description ",
        " description: ",
        " described as ",
        " - ",
    ] {
        if let Some(at) = lower.find(marker) {
            description = Some(rest[at + marker.len()..].trim().to_owned());
            rest.truncate(at);
            break;
        }
    }
    for suffix in [
        " to my list",
        " to the list",
        " to my todos",
        " to my todo list",
        " on my list",
    ] {
        if rest.to_lowercase().ends_with(suffix) {
            rest.truncate(rest.len() - suffix.len());
        }
    }
    // Quick add's marks, wherever they stand (`#home`, `@phone`, `p1`, "every monday",
    // "at 5pm"), read as the browser's add box reads them; the tool reads `details` again.
    let mut details = None;
    let mut list = None;
    let mut marked = None;
    if !rest.contains(['"', '“', '”'])
        && let Ok(marks) = QuickAdd::read(&rest, today)
        && (!marks.tags.is_empty()
            || marks.repeat.is_some()
            || marks.time.is_some()
            || !marks.reminders.is_empty())
    {
        let mut words: Vec<String> = marks
            .tags
            .iter()
            .filter(|t| t.kind != TagKind::List)
            .map(|t| t.source.clone())
            .collect();
        words.extend(marks.repeat.as_ref().map(|(_, typed)| typed.clone()));
        words.extend(marks.time.as_ref().map(|(_, typed)| typed.clone()));
        // Reminders as marks ("remind me an hour before" becomes "!60m"): `details` takes
        // marks only.
        words.extend(marks.reminders.iter().map(|(when, _)| when.to_mark()));
        details = (!words.is_empty()).then(|| words.join(" "));
        list = marks.list().map(|name| ListName {
            name: name.to_owned(),
            explicit: true,
        });
        marked = Some((marks.title, marks.date_due));
    }
    let (title, due) = if let Some(found) = marked {
        found
    } else if rest.chars().count() > LINE_MAX_CHARS {
        // Longer than a todo line can be: not read for a date (the title's limit refuses it).
        (rest.clone(), None)
    } else if let Some(q) = rest.split(['"', '“', '”']).nth(1).filter(|q| !q.is_empty()) {
        let after = rest.rsplit(['"', '“', '”']).next().unwrap_or_default();
        (
            q.to_owned(),
            dates::split_trailing_date(&format!("x {after}"), today).1,
        )
    } else {
        dates::split_trailing_date(&rest, today)
    };
    let title = title.trim().trim_end_matches(',').trim();
    let mut chars = title.chars();
    let first = chars.next()?;
    let title = first.to_uppercase().collect::<String>() + chars.as_str();
    Some(Command::new(Verb::Add, None).with(|a| {
        a.text = Some(title);
        a.description = description;
        a.due = due;
        a.fields.details = details;
        a.fields.list = list;
    }))
}
