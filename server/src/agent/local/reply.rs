//! Markdown building blocks for replies. Todo titles are user text: they are escaped so they
//! render as text, whatever characters they hold.

use jiff::civil::Date;

use crate::domain::Todo;
pub use app::words::dates::friendly;

pub use crate::domain::text::markdown_escape as escape;

pub fn title(todo: &Todo) -> String {
    format!("**{}**", escape(todo.title.as_str()))
}

fn due_text(todo: &Todo, today: Date) -> Option<String> {
    let due: Date = todo.date_due?.to_iso().parse().ok()?;
    let overdue = !todo.completed && due < today;
    Some(format!(
        "due {}{}",
        friendly(due, today),
        if overdue { " · overdue" } else { "" }
    ))
}

/// "**Title** — due Tue, Dec 1 · overdue" (and "✓ completed").
pub fn line(todo: &Todo, today: Date) -> String {
    let mut parts = vec![title(todo)];
    if let Some(due) = due_text(todo, today) {
        parts.push(due);
    }
    if todo.completed {
        parts.push("✓ completed".into());
    }
    parts.join(" — ")
}

/// A todo's time, priority, labels and rule for a sentence, each only when set:
/// ", at 17:00, priority 1, @phone, repeating every week on Monday".
pub fn organized(todo: &Todo) -> String {
    let mut parts = Vec::new();
    if let Some(time) = todo.due_time {
        parts.push(format!("at {}", time.to_hhmm()));
    }
    if !todo.priority.is_none() {
        parts.push(format!("priority {}", todo.priority.get()));
    }
    for label in todo.labels.iter() {
        parts.push(format!("@{}", escape(label.as_str())));
    }
    if let Some(rule) = &todo.repeat {
        parts.push(format!(
            "repeating {}",
            rule.describe(todo.repeat_after_completion)
        ));
    }
    parts.iter().map(|p| format!(", {p}")).collect()
}

pub fn numbered(todos: &[Todo], today: Date) -> String {
    todos
        .iter()
        .enumerate()
        .map(|(i, t)| format!("{}. {}", i + 1, line(t, today)))
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn details(todo: &Todo, today: Date) -> String {
    let mut out = format!("{}\n\n", title(todo));
    out.push_str(&format!(
        "- Status: {}\n",
        if todo.completed { "completed" } else { "open" }
    ));
    out.push_str(&format!(
        "- Due: {}\n",
        due_text(todo, today)
            .map(|d| d.trim_start_matches("due ").to_owned())
            .unwrap_or_else(|| "no due date".into())
    ));
    if !todo.description.as_str().is_empty() {
        out.push_str(&format!(
            "- Description: {}\n",
            escape(todo.description.as_str())
        ));
    }
    if !todo.notes.as_str().is_empty() {
        out.push_str(&format!(
            "- Notes: {}\n",
            escape(&todo.notes.as_str().replace('\n', " / "))
        ));
    }
    out.trim_end().to_owned()
}

pub const EXAMPLES: &str = "- “list my todos due this week”\n\
- “add buy milk tomorrow”\n\
- “show me the dentist one”\n\
- “mark that one as complete”\n\
- “move the report to next Friday”\n\
- “rename the second one to Call the bank”\n\
- “add a note to the dentist todo: bring the x-rays”\n\
- “what's on my groceries list?” or “move it to work”\n\
- “make it urgent”, “repeat it every monday”\n\
- “add steps to it: buy paint, sand and paint”\n\
- “add pay rent every 1st #home p1”\n\
- “remind me about the dentist an hour before”\n\
- “delete the one about ansible”";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_in_titles_is_escaped() {
        assert_eq!(
            escape("[x](javascript:alert(1))"),
            "\\[x\\]\\(javascript:alert\\(1\\)\\)"
        );
        assert_eq!(escape("<img src=x>"), "\\<img src=x\\>");
        assert_eq!(escape("plain words"), "plain words");
    }
}
