//! What the LocalAgent does for each intent. Facts in replies come from tool results only.

use super::{
    Turn, files,
    intent::{Intent, ListQuery, Reference},
    reply::{self, EXAMPLES},
    resolve::{Prefer, Resolved, resolve},
};
use crate::{
    agent::{AgentError, PendingAction, TurnContext},
    todos::Todo,
    tools::ToolCall,
};

pub(super) type Result<T = ()> = std::result::Result<T, AgentError>;

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
        return dispatch(ctx, turn, intent).await;
    }
}

async fn dispatch(ctx: &mut TurnContext, turn: &mut Turn<'_>, intent: Intent) -> Result {
    match intent.clone() {
        // Files arrived with a message that asks nothing (or only mentions "files").
        Intent::Unknown | Intent::Greeting | Intent::Files { .. } if !ctx.attachments.is_empty() => {
            files::ask_where_to_attach(ctx, turn).await
        }
        Intent::Help => {
            turn.say(&format!("I can list, add, change, complete, reopen and delete your todos. Try:\n\n{EXAMPLES}"))
                .await
        }
        Intent::Greeting => {
            turn.say("Hi! I can help with your todos. Try “list my todos due this week” or “add call mom tomorrow”.")
                .await
        }
        Intent::Thanks => turn.say("You're welcome!").await,
        Intent::Answer(approve) => {
            if ctx.memory.pending.is_some() {
                return answer_confirmation(ctx, turn, None, approve).await;
            }
            turn.say("There is nothing waiting for your confirmation.").await;
        }
        Intent::List(query) => list(ctx, turn, &query).await?,
        Intent::Show(target) => {
            if let Some([todo]) = targets(ctx, turn, &intent, &target, Prefer::Any, false).await?.as_deref() {
                let outcome = turn.call(ctx, ToolCall::new("getTodo", &[("todoId", &todo.id.to_string())])).await?;
                match outcome.todos.first() {
                    Some(todo) if outcome.ok => {
                        ctx.memory.last_referenced = vec![todo.id];
                        turn.say(&reply::details(todo, ctx.today)).await;
                    }
                    _ => turn.say(&outcome.text).await,
                }
            }
        }
        Intent::Add { title, description, due } => add(ctx, turn, title, description, due).await?,
        Intent::Rename { target, title } => {
            if let Some([todo]) = targets(ctx, turn, &intent, &target, Prefer::Any, false).await?.as_deref() {
                let id = todo.id.to_string();
                let outcome = turn.call(ctx, ToolCall::new("updateTodo", &[("todoId", &id), ("title", &title)])).await?;
                ctx.memory.last_referenced = vec![todo.id];
                match outcome.todos.first() {
                    Some(new) if outcome.ok => {
                        turn.say(&format!("Renamed {} to {}.", reply::title(todo), reply::title(new))).await
                    }
                    _ => turn.say(&outcome.text).await,
                }
            }
        }
        Intent::SetDue { target, due } => {
            if let Some([todo]) = targets(ctx, turn, &intent, &target, Prefer::Any, false).await?.as_deref() {
                let id = todo.id.to_string();
                let date = due.map(|d| d.to_string()).unwrap_or_else(|| "none".into());
                let outcome = turn.call(ctx, ToolCall::new("updateTodo", &[("todoId", &id), ("dateDue", &date)])).await?;
                ctx.memory.last_referenced = vec![todo.id];
                match (outcome.ok, due) {
                    (true, Some(d)) => {
                        let when = super::dates::friendly(d, ctx.today);
                        turn.say(&format!("{} is now due {when}.", reply::title(todo))).await
                    }
                    (true, None) => turn.say(&format!("Removed the due date from {}.", reply::title(todo))).await,
                    (false, _) => turn.say(&outcome.text).await,
                }
            }
        }
        Intent::SetDescription { target, text } => {
            if let Some([todo]) = targets(ctx, turn, &intent, &target, Prefer::Any, false).await?.as_deref() {
                let id = todo.id.to_string();
                let outcome =
                    turn.call(ctx, ToolCall::new("updateTodo", &[("todoId", &id), ("description", &text)])).await?;
                ctx.memory.last_referenced = vec![todo.id];
                if outcome.ok {
                    turn.say(&format!("Updated the description of {}.", reply::title(todo))).await;
                } else {
                    turn.say(&outcome.text).await;
                }
            }
        }
        Intent::AddNote { target, text } => {
            if let Some([todo]) = targets(ctx, turn, &intent, &target, Prefer::Any, false).await?.as_deref() {
                let id = todo.id.to_string();
                let outcome = turn.call(ctx, ToolCall::new("addTodoNotes", &[("todoId", &id), ("notes", &text)])).await?;
                ctx.memory.last_referenced = vec![todo.id];
                if outcome.ok {
                    turn.say(&format!("Added a note to {}.", reply::title(todo))).await;
                } else {
                    turn.say(&outcome.text).await;
                }
            }
        }
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
            turn.say(&format!("Sorry, I didn't understand that. Here are some things you can say:\n\n{EXAMPLES}"))
                .await
        }
    }
    Ok(())
}

/// The user's todos, read directly (no tool card) to resolve references.
async fn all_todos(ctx: &TurnContext) -> Result<Vec<Todo>> {
    ctx.store
        .list_todos(&ctx.user)
        .await
        .map_err(AgentError::internal)
}

/// Resolves `target`; on ambiguity asks which one (remembering `intent`), on no match says
/// so. `None` means the turn has already answered.
pub(super) async fn targets(
    ctx: &mut TurnContext,
    turn: &mut Turn<'_>,
    intent: &Intent,
    target: &Reference,
    prefer: Prefer,
    allow_many: bool,
) -> Result<Option<Vec<Todo>>> {
    let todos = all_todos(ctx).await?;
    match resolve(target, &todos, &ctx.memory, prefer) {
        Resolved::Found(found) if found.len() == 1 || allow_many => Ok(Some(found)),
        Resolved::Found(candidates) | Resolved::Ambiguous(candidates) => {
            let list = reply::numbered(&candidates, ctx.today);
            ctx.memory.last_list = candidates.iter().map(|t| t.id).collect();
            ctx.memory.awaiting_choice = serde_json::to_value(intent).ok();
            turn.say(&format!(
                "I found {} todos that could be meant:\n\n{list}\n\nWhich one do you mean? You can say “the first one”, “the second one”, …",
                candidates.len()
            ))
            .await;
            Ok(None)
        }
        Resolved::NotFound(message) => {
            turn.say(&message).await;
            Ok(None)
        }
    }
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
    let mut params: Vec<(&str, String)> = Vec::new();
    if let Some(status) = &query.status {
        params.push(("status", status.clone()));
    }
    if let Some(from) = query.due_from {
        params.push(("dueFrom", from.to_string()));
    }
    if let Some(to) = query.due_to {
        params.push(("dueTo", to.to_string()));
    }
    if let Some(text) = &query.text {
        params.push(("text", text.clone()));
    }
    let borrowed: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let outcome = turn.call(ctx, ToolCall::new("getTodos", &borrowed)).await?;
    if !outcome.ok {
        turn.say(&outcome.text).await;
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
    let due_text = due.map(|d| d.to_string());
    let mut params = vec![("title", title.as_str())];
    if let Some(d) = &description {
        params.push(("description", d));
    }
    if let Some(d) = &due_text {
        params.push(("dateDue", d));
    }
    let outcome = turn.call(ctx, ToolCall::new("addTodo", &params)).await?;
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
            turn.say(&format!("I couldn't add that: {}", outcome.text))
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
    let (tool, done_word) = if completed {
        ("completeTodo", "complete")
    } else {
        ("reopenTodo", "open again")
    };
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
        let outcome = turn
            .call(
                ctx,
                ToolCall::new(tool, &[("todoId", &todo.id.to_string())]),
            )
            .await?;
        if outcome.ok {
            changed.push(reply::title(todo));
        } else {
            lines.push(format!("{}: {}", reply::title(todo), outcome.text));
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
    turn.say("Deleting can't be undone, so please confirm.")
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
        let outcome = turn
            .call(
                ctx,
                ToolCall::new("deleteTodo", &[("todoId", &id.to_string())]),
            )
            .await?;
        match outcome.todos.first() {
            Some(todo) if outcome.ok => deleted.push(reply::title(todo)),
            _ => problems.push(outcome.text),
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
