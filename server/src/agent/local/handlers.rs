//! What the LocalAgent does for each intent: one function per kind of instruction, acting
//! only through typed tool calls. Facts in replies come from tool results only.

use super::{
    Turn, files,
    intent::{Intent, ListQuery, Reference},
    reply::{self, EXAMPLES},
    resolve::{Prefer, Resolved, resolve},
    targets::{Result, all_todos, one_target, targets},
};
use crate::{
    agent::TurnContext,
    domain::{DueDate, PendingAction, SearchWords, StatusFilter, Todo, TodoQuery},
    tools::{ToolCall, ToolOutcome},
};

pub async fn handle(ctx: &mut TurnContext, turn: &mut Turn<'_>, intent: Intent) -> Result {
    files::remember_attachments(ctx);
    let mut intent = intent;
    loop {
        if let Intent::Choose(choice) = intent {
            match chosen_intent(ctx, turn, &choice).await? {
                Some(next) => {
                    intent = next;
                    continue;
                }
                None => return Ok(()),
            }
        }
        // Any new instruction replaces an unanswered "which one do you mean?".
        ctx.memory.awaiting_choice = None;
        return dispatch_recorded(ctx, turn, intent).await;
    }
}

/// Runs `intent` and remembers it, with the changes it made, as the last action (what a
/// correction like "no, I meant the milk one" redoes on another todo).
pub(super) async fn dispatch_recorded(
    ctx: &mut TurnContext,
    turn: &mut Turn<'_>,
    intent: Intent,
) -> Result {
    let before = ctx.memory.recent_changes.clone();
    let remembered = matches!(
        intent,
        Intent::Add { .. }
            | Intent::Show(_)
            | Intent::Complete(_)
            | Intent::Reopen(_)
            | Intent::Delete(_)
            | Intent::Rename { .. }
            | Intent::SetDue { .. }
            | Intent::SetDescription { .. }
            | Intent::AddNote { .. }
            | Intent::ShiftDue { .. }
            | Intent::Ask { .. }
    );
    let corrects = matches!(intent, Intent::Correct(_));
    let answers = matches!(intent, Intent::Answer(_));
    let recorded = remembered.then(|| intent.clone());
    dispatch(ctx, turn, intent).await?;
    let made: Vec<crate::domain::ChangeId> = ctx
        .memory
        .recent_changes
        .iter()
        .filter(|c| !before.contains(c))
        .cloned()
        .collect();
    if let Some(intent) = recorded {
        let last = super::corrections::LastAction {
            intent,
            changes: made,
        };
        ctx.memory.last_action = serde_json::to_value(last).ok();
    } else if answers {
        super::corrections::add_changes(&mut ctx.memory, made);
    } else if !corrects {
        ctx.memory.last_action = None;
    }
    Ok(())
}

async fn dispatch(ctx: &mut TurnContext, turn: &mut Turn<'_>, intent: Intent) -> Result {
    match intent.clone() {
        // Files arrived with a message that asks nothing (or only mentions "files").
        Intent::Unknown | Intent::Greeting | Intent::Files { .. }
            if !ctx.attachments.is_empty() =>
        {
            files::ask_where_to_attach(ctx, turn).await
        }
        Intent::Help => {
            let text = format!(
                "I can list, add, change, complete, reopen and delete your todos. Try:\n\n{}",
                EXAMPLES
            );
            turn.say(&text).await
        }
        Intent::Greeting => {
            turn.say(concat!(
                "Hi! I can help with your todos. ",
                "Try “list my todos due this week” or “add call mom tomorrow”."
            ))
            .await
        }
        Intent::Thanks => turn.say("You're welcome!").await,
        Intent::Undo => super::undo::undo_last_change(ctx, turn).await?,
        Intent::Correct(correction) => super::corrections::apply(ctx, turn, correction).await?,
        Intent::Ask { target, detail } => {
            super::details::answer(ctx, turn, &intent, &target, detail).await?
        }
        Intent::ShiftDue { target, days } => {
            super::details::shift_due(ctx, turn, &intent, &target, days).await?
        }
        Intent::Answer(approve) => {
            if ctx.memory.pending.is_some() {
                return answer_confirmation(ctx, turn, None, approve).await;
            }
            turn.say("There is nothing waiting for your confirmation.")
                .await;
        }
        Intent::List(query) => list(ctx, turn, &query).await?,
        Intent::Show(target) => show(ctx, turn, &intent, &target).await?,
        Intent::Add {
            title,
            description,
            due,
        } => add(ctx, turn, title, description, due).await?,
        Intent::Rename { target, title } => rename(ctx, turn, &intent, &target, title).await?,
        Intent::SetDue { target, due } => set_due(ctx, turn, &intent, &target, due).await?,
        Intent::SetDescription { target, text } => {
            set_description(ctx, turn, &intent, &target, text).await?
        }
        Intent::AddNote { target, text } => add_note(ctx, turn, &intent, &target, text).await?,
        Intent::Complete(target) => set_completed(ctx, turn, &intent, &target, true).await?,
        Intent::Reopen(target) => set_completed(ctx, turn, &intent, &target, false).await?,
        Intent::Delete(target) => {
            if let Some(todos) = targets(ctx, turn, &intent, &target, Prefer::Any, true).await? {
                ask_to_delete(ctx, turn, todos).await;
            }
        }
        Intent::Files { target } => files::list(ctx, turn, &intent, target.as_ref()).await?,
        Intent::AttachFile { target, name } => {
            files::attach(ctx, turn, &intent, &target, name.as_deref()).await?
        }
        Intent::DeleteFile { name, target } => {
            files::ask_to_delete(ctx, turn, &intent, &name, target.as_ref()).await?
        }
        Intent::Choose(_) => unreachable!("choices are turned into their intent by handle()"),
        Intent::Unknown => {
            let text = format!(
                "Sorry, I didn't understand that. Here are some things you can say:\n\n{EXAMPLES}"
            );
            turn.say(&text).await
        }
    }
    Ok(())
}

async fn show(
    ctx: &mut TurnContext,
    turn: &mut Turn<'_>,
    intent: &Intent,
    target: &Reference,
) -> Result {
    let Some(todo) = one_target(ctx, turn, intent, target).await? else {
        return Ok(());
    };
    let outcome = turn.call(ctx, ToolCall::GetTodo { todo: todo.id }).await?;
    match outcome.todos.first() {
        Some(todo) if outcome.ok => {
            ctx.memory.last_referenced = vec![todo.id];
            turn.say(&reply::details(todo, ctx.today)).await;
        }
        _ => turn.say(&reply::escape(&outcome.text)).await,
    }
    Ok(())
}

/// An `updateTodo` of one todo; `None` when the turn has already answered.
async fn update(
    ctx: &mut TurnContext,
    turn: &mut Turn<'_>,
    intent: &Intent,
    target: &Reference,
    change: impl FnOnce(&Todo) -> ToolCall,
) -> Result<Option<(Todo, ToolOutcome)>> {
    let Some(todo) = one_target(ctx, turn, intent, target).await? else {
        return Ok(None);
    };
    let outcome = turn.call(ctx, change(&todo)).await?;
    ctx.memory.last_referenced = vec![todo.id];
    Ok(Some((todo, outcome)))
}

async fn rename(
    ctx: &mut TurnContext,
    turn: &mut Turn<'_>,
    intent: &Intent,
    target: &Reference,
    title: String,
) -> Result {
    let call = |todo: &Todo| ToolCall::UpdateTodo {
        todo: todo.id,
        title: Some(title),
        description: None,
        date_due: None,
    };
    let Some((todo, outcome)) = update(ctx, turn, intent, target, call).await? else {
        return Ok(());
    };
    match outcome.todos.first() {
        Some(new) if outcome.ok => {
            let text = format!("Renamed {} to {}.", reply::title(&todo), reply::title(new));
            turn.say(&text).await
        }
        _ => turn.say(&reply::escape(&outcome.text)).await,
    }
    Ok(())
}

async fn set_due(
    ctx: &mut TurnContext,
    turn: &mut Turn<'_>,
    intent: &Intent,
    target: &Reference,
    due: Option<jiff::civil::Date>,
) -> Result {
    let call = |todo: &Todo| ToolCall::UpdateTodo {
        todo: todo.id,
        title: None,
        description: None,
        date_due: Some(due.map(|d| d.to_string())),
    };
    let Some((todo, outcome)) = update(ctx, turn, intent, target, call).await? else {
        return Ok(());
    };
    let text = match (outcome.ok, due) {
        (true, Some(d)) => {
            let when = super::dates::friendly(d, ctx.today);
            format!("{} is now due {when}.", reply::title(&todo))
        }
        (true, None) => format!("Removed the due date from {}.", reply::title(&todo)),
        (false, _) => reply::escape(&outcome.text),
    };
    turn.say(&text).await;
    Ok(())
}

async fn set_description(
    ctx: &mut TurnContext,
    turn: &mut Turn<'_>,
    intent: &Intent,
    target: &Reference,
    text: String,
) -> Result {
    let call = |todo: &Todo| ToolCall::UpdateTodo {
        todo: todo.id,
        title: None,
        description: Some(text),
        date_due: None,
    };
    let Some((todo, outcome)) = update(ctx, turn, intent, target, call).await? else {
        return Ok(());
    };
    let text = if outcome.ok {
        format!("Updated the description of {}.", reply::title(&todo))
    } else {
        reply::escape(&outcome.text)
    };
    turn.say(&text).await;
    Ok(())
}

async fn add_note(
    ctx: &mut TurnContext,
    turn: &mut Turn<'_>,
    intent: &Intent,
    target: &Reference,
    notes: String,
) -> Result {
    let call = |todo: &Todo| ToolCall::AddTodoNotes {
        todo: todo.id,
        notes,
    };
    let Some((todo, outcome)) = update(ctx, turn, intent, target, call).await? else {
        return Ok(());
    };
    let text = if outcome.ok {
        format!("Added a note to {}.", reply::title(&todo))
    } else {
        reply::escape(&outcome.text)
    };
    turn.say(&text).await;
    Ok(())
}

/// Turns "the second one" (after "which one do you mean?") into the remembered intent aimed
/// at that todo.
async fn chosen_intent(
    ctx: &mut TurnContext,
    turn: &mut Turn<'_>,
    choice: &Reference,
) -> Result<Option<Intent>> {
    let Some(waiting) = ctx
        .memory
        .awaiting_choice
        .clone()
        .and_then(|v| serde_json::from_value::<Intent>(v).ok())
    else {
        turn.say("I wasn't waiting for a choice. What would you like to do?")
            .await;
        return Ok(None);
    };
    let todos = all_todos(ctx).await?;
    let candidates: Vec<Todo> = todos
        .into_iter()
        .filter(|t| ctx.memory.last_list.contains(&t.id))
        .collect();
    let memory = ctx.memory.clone();
    match resolve(choice, &candidates, &memory, Prefer::Any) {
        Resolved::Found(found) if found.len() == 1 => {
            let ids = Reference::Ids(vec![found[0].id.to_string()]);
            Ok(Some(retarget(waiting, ids)))
        }
        _ => {
            turn.say("Please pick one of the todos I listed, for example “the first one”.")
                .await;
            Ok(None)
        }
    }
}

fn retarget(intent: Intent, target: Reference) -> Intent {
    match intent {
        Intent::Show(_) => Intent::Show(target),
        Intent::Rename { title, .. } => Intent::Rename { target, title },
        Intent::SetDue { due, .. } => Intent::SetDue { target, due },
        Intent::SetDescription { text, .. } => Intent::SetDescription { target, text },
        Intent::AddNote { text, .. } => Intent::AddNote { target, text },
        Intent::Complete(_) => Intent::Complete(target),
        Intent::Reopen(_) => Intent::Reopen(target),
        Intent::Delete(_) => Intent::Delete(target),
        Intent::Files { .. } => Intent::Files {
            target: Some(target),
        },
        Intent::AttachFile { name, .. } => Intent::AttachFile { target, name },
        Intent::DeleteFile { name, .. } => Intent::DeleteFile {
            name,
            target: Some(target),
        },
        other => other,
    }
}

async fn list(ctx: &mut TurnContext, turn: &mut Turn<'_>, query: &ListQuery) -> Result {
    let status = match query.status.as_deref().map(StatusFilter::parse).transpose() {
        Ok(status) => status.unwrap_or_default(),
        Err(e) => {
            turn.say(&reply::escape(&e.0)).await;
            return Ok(());
        }
    };
    let text = match query.text.as_deref().map(SearchWords::parse).transpose() {
        Ok(text) => text.flatten(),
        Err(e) => {
            turn.say(&reply::escape(&e.0)).await;
            return Ok(());
        }
    };
    let call = ToolCall::GetTodos(TodoQuery {
        status,
        due_from: query.due_from.map(DueDate::from_date),
        due_to: query.due_to.map(DueDate::from_date),
        text,
        ..TodoQuery::default()
    });
    let outcome = turn.call(ctx, call).await?;
    if !outcome.ok {
        turn.say(&reply::escape(&outcome.text)).await;
        return Ok(());
    }
    let status = query
        .status
        .as_deref()
        .map(|s| format!("{s} "))
        .unwrap_or_default();
    let qualifier = if query.label.is_empty() {
        String::new()
    } else {
        format!(" {}", query.label)
    };
    let phrase = format!("{status}todos{qualifier}");
    ctx.memory.last_list = outcome.todos.iter().map(|t| t.id).collect();
    ctx.memory.last_referenced = ctx.memory.last_list.clone();
    if outcome.todos.is_empty() {
        if status.is_empty() && qualifier.is_empty() {
            turn.say("You have no todos yet. Try “add buy milk tomorrow”.")
                .await;
        } else {
            turn.say(&format!("You have no {phrase}.")).await;
        }
        return Ok(());
    }
    let count = outcome.todos.len();
    let heading = if count == 1 {
        format!("You have 1 {}:", phrase.replacen("todos", "todo", 1))
    } else {
        format!("You have {count} {phrase}:")
    };
    turn.say(&format!(
        "{heading}\n\n{}",
        reply::numbered(&outcome.todos, ctx.today)
    ))
    .await;
    Ok(())
}

async fn add(
    ctx: &mut TurnContext,
    turn: &mut Turn<'_>,
    title: String,
    description: Option<String>,
    due: Option<jiff::civil::Date>,
) -> Result {
    if title.trim().is_empty() {
        turn.say("What should the todo say? For example “add buy milk tomorrow”.")
            .await;
        return Ok(());
    }
    let call = ToolCall::AddTodo {
        title,
        description,
        date_due: due.map(|d| d.to_string()),
    };
    let outcome = turn.call(ctx, call).await?;
    match outcome.todos.first() {
        Some(todo) if outcome.ok => {
            ctx.memory.last_referenced = vec![todo.id];
            let when = due
                .map(|d| format!(", due {}", super::dates::friendly(d, ctx.today)))
                .unwrap_or_default();
            turn.say(&format!("Added {}{when}.", reply::title(todo)))
                .await;
        }
        _ => {
            turn.say(&format!(
                "I couldn't add that: {}",
                reply::escape(&outcome.text)
            ))
            .await
        }
    }
    Ok(())
}

async fn set_completed(
    ctx: &mut TurnContext,
    turn: &mut Turn<'_>,
    intent: &Intent,
    target: &Reference,
    completed: bool,
) -> Result {
    let prefer = if completed {
        Prefer::Open
    } else {
        Prefer::Completed
    };
    let Some(todos) = targets(ctx, turn, intent, target, prefer, true).await? else {
        return Ok(());
    };
    let done_word = if completed { "complete" } else { "open again" };
    let mut changed = Vec::new();
    let mut lines = Vec::new();
    for todo in &todos {
        if todo.completed == completed {
            let state = if completed {
                "already completed"
            } else {
                "already open"
            };
            lines.push(format!("{} is {state}.", reply::title(todo)));
            continue;
        }
        let call = if completed {
            ToolCall::CompleteTodo { todo: todo.id }
        } else {
            ToolCall::ReopenTodo { todo: todo.id }
        };
        let outcome = turn.call(ctx, call).await?;
        if outcome.ok {
            changed.push(reply::title(todo));
        } else {
            lines.push(format!(
                "{}: {}",
                reply::title(todo),
                reply::escape(&outcome.text)
            ));
        }
    }
    ctx.memory.last_referenced = todos.iter().map(|t| t.id).collect();
    let mut text = match changed.len() {
        0 => String::new(),
        1 => format!("Marked {} as {done_word}.", changed[0]),
        n => format!("Marked {n} todos as {done_word}: {}.", changed.join(", ")),
    };
    for line in lines {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&line);
    }
    turn.say(&text).await;
    Ok(())
}

async fn ask_to_delete(ctx: &mut TurnContext, turn: &mut Turn<'_>, todos: Vec<Todo>) {
    let prompt = match todos.as_slice() {
        [one] => format!("Delete {}?", reply::title(one)),
        many => format!(
            "Delete these {} todos: {}?",
            many.len(),
            many.iter().map(reply::title).collect::<Vec<_>>().join(", ")
        ),
    };
    let action_id = uuid::Uuid::new_v4().to_string();
    ctx.memory.last_referenced = todos.iter().map(|t| t.id).collect();
    ctx.memory.pending = Some(PendingAction {
        action_id: action_id.clone(),
        prompt: prompt.clone(),
        delete: todos.iter().map(|t| t.id).collect(),
        delete_files: vec![],
    });
    let window = crate::agent::duration_words(ctx.files.restore_window());
    turn.say(&format!(
        "Please confirm. A deleted todo can be brought back with Undo for {window}."
    ))
    .await;
    turn.confirm(action_id, prompt).await;
}

/// The user's answer to a pending confirmation (a button, or "yes" / "no" typed).
pub async fn answer_confirmation(
    ctx: &mut TurnContext,
    turn: &mut Turn<'_>,
    action_id: Option<&str>,
    approve: bool,
) -> Result {
    let pending = match (&ctx.memory.pending, action_id) {
        (Some(p), Some(id)) if p.action_id == id => ctx.memory.pending.take(),
        (Some(_), None) => ctx.memory.pending.take(),
        _ => None,
    };
    let Some(pending) = pending else {
        turn.say("That confirmation is no longer pending, so nothing was changed.")
            .await;
        return Ok(());
    };
    if !approve {
        turn.say("Okay, nothing was deleted.").await;
        return Ok(());
    }
    let mut deleted = Vec::new();
    let mut problems = Vec::new();
    for id in &pending.delete {
        let outcome = turn.call(ctx, ToolCall::DeleteTodo { todo: *id }).await?;
        match outcome.todos.first() {
            Some(todo) if outcome.ok => deleted.push(reply::title(todo)),
            _ => problems.push(reply::escape(&outcome.text)),
        }
    }
    problems.extend(files::delete_confirmed(ctx, turn, &pending).await?);
    ctx.memory
        .last_referenced
        .retain(|id| !pending.delete.contains(id));
    let mut text = match deleted.len() {
        0 => String::new(),
        1 => format!("Deleted {}.", deleted[0]),
        n => format!("Deleted {n} todos: {}.", deleted.join(", ")),
    };
    for problem in problems {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&problem);
    }
    turn.say(&text).await;
    Ok(())
}
