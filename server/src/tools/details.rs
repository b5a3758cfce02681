//! A todo's details as tools set them: `setTodoDetails` (priority, labels, time of day,
//! repeat rule) as a PATCH of the todo read just before, and `addTodo`'s `details`, quick-add
//! marks read by the words layer the browser's quick add uses ([`QuickAdd::read`]), so a
//! model and the add box understand the same line alike. The todo service parses what
//! both produce (a rule in words becomes an RRULE there, as for the REST API).

use super::{
    call::LabelEdit,
    reminders::{self, Here},
};
use crate::domain::{Priority, Todo};
use app::{
    wire::{NewTodo, Reminder, RepeatInput, TodoPatch},
    words::{dates::to_iso, quick_add::QuickAdd, times::to_hhmm},
};

/// A title word no mark reads (quick add needs one before the marks).
const PLACEHOLDER: &str = "todo";

/// The marks of `details` ("p1 @phone every monday at 9am #home !1h") added to `input`; a
/// date, time or list the call gives itself wins over the marks'. A word that is not a mark
/// is refused with a sentence: details never become part of the title.
pub(super) fn apply_marks(
    details: &str,
    here: &Here,
    input: &mut NewTodo,
    list: &mut Option<String>,
) -> Result<(), String> {
    let today = here.today();
    // Quick add keeps at least one word as the title: a stand-in title takes that place.
    let line = format!("{PLACEHOLDER} {details}");
    let marks = QuickAdd::read(&line, today).map_err(|e| format!("details: {}", e.0))?;
    let left = marks
        .title
        .trim()
        .strip_prefix(PLACEHOLDER)
        .unwrap_or(&marks.title);
    if !left.trim().is_empty() {
        return Err(format!(
            "details: “{}” is not a mark; use p1 to p4, @label, a time such as 'at 5pm', a \
             rule such as 'every monday', #list, or a reminder such as '!1h' or \
             '!tomorrow 9am'.",
            left.trim()
        ));
    }
    let labels = marks.labels();
    if !labels.is_empty() {
        input.labels = Some(labels);
    }
    if let Some(priority) = marks.priority() {
        input.priority = Some(i64::from(priority));
    }
    if input.date_due.is_none() {
        input.date_due = marks.date_due.map(to_iso);
    }
    if let Some((time, _)) = &marks.time {
        input.due_time = Some(to_hhmm(*time));
        // A time alone means today, as in quick add (a rule finds its own first day).
        if input.date_due.is_none() && marks.repeat.is_none() {
            input.date_due = Some(to_iso(today));
        }
    }
    if let Some((rule, _)) = &marks.repeat {
        input.repeat = Some(RepeatInput::Text(rule.describe()));
    }
    if list.is_none() {
        *list = marks.list().map(str::to_owned);
    }
    if !marks.reminders.is_empty() {
        let due = input
            .date_due
            .as_deref()
            .and_then(|d| app::words::dates::parse(d, today));
        let wire = marks
            .reminders
            .iter()
            .map(|(when, _)| reminders::wire(*when, due, here))
            .collect::<Result<Vec<_>, _>>()?;
        input.reminders = Some(wire);
    }
    Ok(())
}

/// The PATCH `setTodoDetails` makes of `current` (its version is set by the caller).
pub(super) fn patch(
    current: &Todo,
    priority: Option<Priority>,
    labels: Option<&LabelEdit>,
    due_time: Option<Option<String>>,
    repeat: Option<Option<String>>,
) -> TodoPatch {
    let labels = labels.map(|edit| match edit {
        LabelEdit::Replace(set) => set.iter().map(|l| l.as_str().to_owned()).collect(),
        LabelEdit::Adjust { add, remove } => {
            let mut now = current.labels.to_strings();
            now.retain(|l| !remove.iter().any(|r| r.as_str() == l));
            for label in add {
                if !now.iter().any(|l| l == label.as_str()) {
                    now.push(label.as_str().to_owned());
                }
            }
            now
        }
    });
    TodoPatch {
        priority: priority.map(|p| i64::from(p.get())),
        labels,
        due_time,
        repeat: repeat.map(|r| r.map(RepeatInput::Text)),
        ..Default::default()
    }
}

/// The details of `todo` for a model, each only when set: " p1, @errands @phone, repeats
/// every Monday". (The time stands with the due date in `describe`.)
pub(super) fn summary(todo: &Todo) -> String {
    let mut parts = Vec::new();
    if !todo.priority.is_none() {
        parts.push(format!("priority {}", todo.priority.get()));
    }
    if !todo.labels.is_empty() {
        let labels: Vec<String> = todo
            .labels
            .iter()
            .map(|l| format!("@{}", l.as_str()))
            .collect();
        parts.push(labels.join(" "));
    }
    if let Some(rule) = &todo.repeat {
        parts.push(format!(
            "repeats {}",
            rule.describe(todo.repeat_after_completion)
        ));
    }
    // Moments as RFC 3339: a model reads them exactly, whatever the user's zone.
    let reminders: Vec<String> = reminders::of(todo)
        .iter()
        .map(|r| match r {
            Reminder::At(moment) => format!("at {moment}"),
            before => reminders::describe(before, &jiff::tz::TimeZone::UTC, jiff::civil::Date::MIN),
        })
        .collect();
    if !reminders.is_empty() {
        parts.push(format!("reminders: {}", reminders.join("; ")));
    }
    parts.iter().map(|p| format!(", {p}")).collect()
}
