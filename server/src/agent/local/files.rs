//! What the LocalAgent does with files: attach the ones dropped into the chat, list a todo's
//! files, remove one (after confirmation). Every fact comes from a tool result.

use app::wire::file::human_size;

use super::{
    Turn,
    intent::{Intent, Reference},
    reply::{escape, title},
    targets::{Result, one_target},
};
use crate::{
    agent::{AgentError, TurnContext},
    domain::{FileId, FileRecord, PendingAction, PendingFileDelete},
    tools::ToolCall,
};

fn file_name(file: &FileRecord) -> String {
    format!("“{}”", escape(&file.name))
}

fn names(files: &[FileRecord]) -> String {
    files.iter().map(file_name).collect::<Vec<_>>().join(", ")
}

/// Files sent with this message become what "this" and "it" mean until they are attached.
pub fn remember_attachments(ctx: &mut TurnContext) {
    if !ctx.attachments.is_empty() {
        ctx.memory.chat_files = ctx.attachments.iter().map(|f| f.id).collect();
    }
}

/// A message that carried files but asked for nothing the agent understood.
pub async fn ask_where_to_attach(ctx: &TurnContext, turn: &mut Turn<'_>) {
    turn.say(&format!(
        concat!(
            "I have {}. Which todo should I attach it to? For example ",
            "“attach it to my dentist appointment todo” or “attach it to the second one”."
        ),
        names(&ctx.attachments)
    ))
    .await;
}

/// The waiting chat files `name` means (all of them without a name).
async fn waiting_files(ctx: &TurnContext, name: Option<&str>) -> Result<Vec<FileId>> {
    let Some(name) = name.map(str::to_lowercase) else {
        return Ok(ctx.memory.chat_files.clone());
    };
    let mut named = Vec::new();
    for id in &ctx.memory.chat_files {
        // Looked up under this user: another user's id simply is not found.
        if let Ok(file) = ctx.store.get_file(&ctx.user, *id).await
            && file.name.to_lowercase() == name
        {
            named.push(*id);
        }
    }
    Ok(named)
}

pub async fn attach(
    ctx: &mut TurnContext,
    turn: &mut Turn<'_>,
    intent: &Intent,
    target: &Reference,
    name: Option<&str>,
) -> Result {
    if ctx.memory.chat_files.is_empty() {
        turn.say(concat!(
            "There is no file to attach yet. ",
            "Drop a file into the chat, then say “attach it to …”."
        ))
        .await;
        return Ok(());
    }
    let chosen = waiting_files(ctx, name).await?;
    if chosen.is_empty() {
        turn.say(&format!(
            "No file called “{}” is waiting in this chat. Drop it into the chat first.",
            escape(name.unwrap_or_default())
        ))
        .await;
        return Ok(());
    }
    let Some(todo) = one_target(ctx, turn, intent, target).await? else {
        return Ok(());
    };
    let mut attached = Vec::new();
    let mut problems = Vec::new();
    for file_id in chosen {
        let call = ToolCall::AddTodoFile {
            todo: todo.id,
            file: file_id,
        };
        let outcome = turn.call(ctx, call).await?;
        match outcome.files.into_iter().next() {
            Some(file) if outcome.ok => attached.push(file),
            _ => problems.push(outcome.text),
        }
        // Attached or refused (gone, attached elsewhere): either way "it" is done with.
        ctx.memory.chat_files.retain(|id| *id != file_id);
    }
    ctx.memory.last_referenced = vec![todo.id];
    let mut text = if attached.is_empty() {
        String::new()
    } else {
        format!("Attached {} to {}.", names(&attached), title(&todo))
    };
    for problem in problems {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&escape(&problem));
    }
    turn.say(&text).await;
    Ok(())
}

pub async fn list(
    ctx: &mut TurnContext,
    turn: &mut Turn<'_>,
    intent: &Intent,
    target: Option<&Reference>,
) -> Result {
    let Some(target) = target else {
        let waiting = ctx.memory.chat_files.len();
        turn.say(&if waiting > 0 {
            format!(
                concat!(
                    "{} file(s) from this chat are waiting to be attached. ",
                    "Say “attach it to …”, or ask “what files are on …?”."
                ),
                waiting
            )
        } else {
            "Which todo's files? For example “what files are on my dentist appointment?”.".into()
        })
        .await;
        return Ok(());
    };
    let Some(todo) = one_target(ctx, turn, intent, target).await? else {
        return Ok(());
    };
    let call = ToolCall::ListTodoFiles { todo: todo.id };
    let outcome = turn.call(ctx, call).await?;
    ctx.memory.last_referenced = vec![todo.id];
    if !outcome.ok {
        turn.say(&escape(&outcome.text)).await;
        return Ok(());
    }
    if outcome.files.is_empty() {
        turn.say(&format!("{} has no files attached.", title(&todo)))
            .await;
        return Ok(());
    }
    let lines: Vec<String> = outcome
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| format!("{}. {} ({})", i + 1, file_name(f), human_size(f.size)))
        .collect();
    turn.say(&format!(
        "{} has {} file{}:\n\n{}",
        title(&todo),
        lines.len(),
        if lines.len() == 1 { "" } else { "s" },
        lines.join("\n")
    ))
    .await;
    Ok(())
}

/// Finds the one file meant and asks to confirm its deletion.
pub async fn ask_to_delete(
    ctx: &mut TurnContext,
    turn: &mut Turn<'_>,
    intent: &Intent,
    name: &str,
    target: Option<&Reference>,
) -> Result {
    let candidates: Vec<FileRecord> = match target {
        Some(target) => {
            let Some(todo) = one_target(ctx, turn, intent, target).await? else {
                return Ok(());
            };
            ctx.memory.last_referenced = vec![todo.id];
            let call = ToolCall::ListTodoFiles { todo: todo.id };
            let outcome = turn.call(ctx, call).await?;
            outcome.files
        }
        // No todo named: any attached file of the user's live todos (a deleted todo's files
        // are out of reach until it is restored).
        None => {
            let live: std::collections::HashSet<_> = ctx
                .store
                .list_todos(&ctx.user)
                .await
                .map_err(AgentError::internal)?
                .iter()
                .map(|todo| todo.id)
                .collect();
            ctx.store
                .list_files(&ctx.user)
                .await
                .map_err(AgentError::internal)?
                .into_iter()
                .filter(|f| f.uploaded && f.todo_id.is_some_and(|todo| live.contains(&todo)))
                .collect()
        }
    };
    let wanted = name.to_lowercase();
    let matching: Vec<FileRecord> = candidates
        .into_iter()
        .filter(|f| wanted.is_empty() || f.name.to_lowercase().contains(&wanted))
        .collect();
    let file = match matching.as_slice() {
        [one] => one.clone(),
        [] => {
            let what = if name.is_empty() {
                "no files".to_owned()
            } else {
                format!("no file called “{}”", escape(name))
            };
            turn.say(&format!("I found {what} there, so nothing was removed."))
                .await;
            return Ok(());
        }
        many => {
            turn.say(&format!(
                "Which file do you mean: {}? Say for example “remove the file {} from …”.",
                names(many),
                escape(&many[0].name)
            ))
            .await;
            return Ok(());
        }
    };
    let Some(todo_id) = file.todo_id else {
        return Ok(());
    };
    let prompt = format!("Remove the file {}?", file_name(&file));
    let action_id = uuid::Uuid::new_v4().to_string();
    ctx.memory.pending = Some(PendingAction {
        action_id: action_id.clone(),
        prompt: prompt.clone(),
        delete: vec![],
        delete_files: vec![PendingFileDelete {
            todo: todo_id,
            file: file.id,
        }],
    });
    turn.say("Removing a file can't be undone, so please confirm.")
        .await;
    turn.confirm(action_id, prompt).await;
    Ok(())
}

/// Deletes confirmed files; returns the sentences to say.
pub async fn delete_confirmed(
    ctx: &mut TurnContext,
    turn: &mut Turn<'_>,
    pending: &PendingAction,
) -> Result<Vec<String>> {
    let mut lines = Vec::new();
    for pair in &pending.delete_files {
        let call = ToolCall::DeleteTodoFile {
            todo: pair.todo,
            file: pair.file,
        };
        let outcome = turn.call(ctx, call).await?;
        lines.push(match outcome.files.first() {
            Some(file) if outcome.ok => format!("Removed the file {}.", file_name(file)),
            _ => escape(&outcome.text),
        });
    }
    Ok(lines)
}
