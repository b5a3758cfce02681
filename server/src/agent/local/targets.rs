//! Finding the todos a message means: resolve the reference against the user's todos; on
//! ambiguity ask which one (remembering the instruction), on no match say so. Shared by the
//! todo handlers and the file handlers.

use super::{
    Turn,
    intent::{Intent, Reference},
    reply,
    resolve::{Prefer, Resolved, resolve},
};
use crate::{
    agent::{AgentError, TurnContext},
    domain::Todo,
};

pub type Result<T = ()> = std::result::Result<T, AgentError>;

/// The user's todos, read directly (no tool card) to resolve references.
pub async fn all_todos(ctx: &TurnContext) -> Result<Vec<Todo>> {
    ctx.store
        .list_todos(&ctx.user)
        .await
        .map_err(AgentError::internal)
}

/// Resolves `target`; on ambiguity asks which one (remembering `intent`), on no match says
/// so. `None` means the turn has already answered.
pub async fn targets(
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
                concat!(
                    "I found {} todos that could be meant:\n\n{}\n\n",
                    "Which one do you mean? You can say “the first one”, “the second one”, …"
                ),
                candidates.len(),
                list
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

/// The one todo `target` means; `None` when the turn has already answered (asked which one,
/// or said there is none).
pub async fn one_target(
    ctx: &mut TurnContext,
    turn: &mut Turn<'_>,
    intent: &Intent,
    target: &Reference,
) -> Result<Option<Todo>> {
    let found = targets(ctx, turn, intent, target, Prefer::Any, false).await?;
    Ok(found.and_then(|todos| todos.into_iter().next()))
}
