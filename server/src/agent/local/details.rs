//! Answers about one todo's details ("when is the dentist one due?", "is it done?", "what are
//! the notes on X?"), read through the `getTodo` tool, and relative moves of a due date
//! ("push it back two days").

use jiff::{ToSpan, civil::Date};

use super::{
    Turn,
    dates::friendly,
    followups::Detail,
    intent::{Intent, Reference},
    reply,
    targets::{Result, one_target},
};
use crate::{agent::TurnContext, domain::Todo, tools::ToolCall};

fn due_of(todo: &Todo) -> Option<Date> {
    todo.date_due?.to_iso().parse().ok()
}

/// Text the user wrote, quoted so it renders as written.
fn quoted(text: &str) -> String {
    text.lines()
        .map(|line| format!("> {}", reply::escape(line)))
        .collect::<Vec<_>>()
        .join("\n")
}

pub async fn answer(
    ctx: &mut TurnContext,
    turn: &mut Turn<'_>,
    intent: &Intent,
    target: &Reference,
    detail: Detail,
) -> Result {
    let Some(found) = one_target(ctx, turn, intent, target).await? else {
        return Ok(());
    };
    let outcome = turn.call(ctx, ToolCall::GetTodo { todo: found.id }).await?;
    let Some(todo) = outcome.todos.first().filter(|_| outcome.ok) else {
        turn.say(&reply::escape(&outcome.text)).await;
        return Ok(());
    };
    ctx.memory.last_referenced = vec![todo.id];
    let title = reply::title(todo);
    let due = due_of(todo).map(|d| {
        let late = !todo.completed && d < ctx.today;
        format!(
            "{}{}",
            friendly(d, ctx.today),
            if late { " (overdue)" } else { "" }
        )
    });
    let text = match detail {
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
    };
    turn.say(&text).await;
    Ok(())
}

pub async fn shift_due(
    ctx: &mut TurnContext,
    turn: &mut Turn<'_>,
    intent: &Intent,
    target: &Reference,
    days: i64,
) -> Result {
    let Some(todo) = one_target(ctx, turn, intent, target).await? else {
        return Ok(());
    };
    ctx.memory.last_referenced = vec![todo.id];
    let title = reply::title(&todo);
    let Some(due) = due_of(&todo) else {
        let text = format!(
            "{title} has no due date to move; tell me a date instead, like “move it to friday”."
        );
        turn.say(&text).await;
        return Ok(());
    };
    let Ok(moved) = due.checked_add(days.days()) else {
        turn.say("That date is out of range.").await;
        return Ok(());
    };
    let call = ToolCall::UpdateTodo {
        todo: todo.id,
        title: None,
        description: None,
        date_due: Some(Some(moved.to_string())),
    };
    let outcome = turn.call(ctx, call).await?;
    let text = if outcome.ok {
        let (n, unit) = if days % 7 == 0 {
            (days.abs() / 7, "week")
        } else {
            (days.abs(), "day")
        };
        let plural = if n == 1 { "" } else { "s" };
        let direction = if days < 0 { "earlier" } else { "later" };
        format!(
            "Moved {title} {n} {unit}{plural} {direction}: from {} to {}.",
            friendly(due, ctx.today),
            friendly(moved, ctx.today)
        )
    } else {
        reply::escape(&outcome.text)
    };
    turn.say(&text).await;
    Ok(())
}
