//! Corrections right after an action, without repeating the todo's name: "no, friday" (the
//! date), "actually call it dentist appointment" (the title), "I meant the milk one" (the
//! action was meant for another todo: it is undone on the first, through its change records,
//! and done on the other).

use serde::{Deserialize, Serialize};

use super::{
    Turn,
    followups::Correction,
    handlers,
    intent::{Intent, Reference},
    targets::Result,
};
use crate::{
    agent::{AgentError, TurnContext},
    domain::{AgentMemory, ChangeId},
    tools::changes::{self, UndoError},
};

/// The last action the user asked for and the changes it made: what a correction redoes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LastAction {
    pub intent: Intent,
    pub changes: Vec<ChangeId>,
}

impl LastAction {
    /// The same action aimed at `target`; `None` for an action that names no todo.
    fn retarget(&self, target: Reference) -> Option<Intent> {
        Some(match self.intent.clone() {
            Intent::Show(_) => Intent::Show(target),
            Intent::Complete(_) => Intent::Complete(target),
            Intent::Reopen(_) => Intent::Reopen(target),
            Intent::Delete(_) => Intent::Delete(target),
            Intent::Rename { title, .. } => Intent::Rename { target, title },
            Intent::SetDue { due, .. } => Intent::SetDue { target, due },
            Intent::SetDescription { text, .. } => Intent::SetDescription { target, text },
            Intent::AddNote { text, .. } => Intent::AddNote { target, text },
            Intent::ShiftDue { days, .. } => Intent::ShiftDue { target, days },
            Intent::Ask { detail, .. } => Intent::Ask { target, detail },
            _ => return None,
        })
    }
}

/// Changes made after the last action asked for them (a confirmed delete) belong to it.
pub fn add_changes(memory: &mut AgentMemory, made: Vec<ChangeId>) {
    if let Some(changes) = memory
        .last_action
        .as_mut()
        .and_then(|last| last.get_mut("changes"))
        .and_then(|c| c.as_array_mut())
    {
        changes.extend(
            made.iter()
                .map(|id| serde_json::Value::String(id.to_string())),
        );
    }
}

const IT: Reference = Reference::Pronoun { plural: false };

pub async fn apply(ctx: &mut TurnContext, turn: &mut Turn<'_>, correction: Correction) -> Result {
    let last: Option<LastAction> = ctx
        .memory
        .last_action
        .clone()
        .and_then(|v| serde_json::from_value(v).ok());
    let next = match correction {
        Correction::Due(due) => Intent::SetDue { target: IT, due },
        Correction::Title(title) => Intent::Rename { target: IT, title },
        Correction::Target(target) => {
            let Some(next) = last.as_ref().and_then(|l| l.retarget(target)) else {
                turn.say(
                    "I'm not sure what to do with that one; please say the whole instruction.",
                )
                .await;
                return Ok(());
            };
            // Take back what the last action did to the todo it hit by mistake.
            for change_id in last.iter().flat_map(|l| l.changes.iter()).rev() {
                match changes::undo(&ctx.files, &ctx.user, *change_id).await {
                    Ok(_) => ctx.memory.recent_changes.retain(|c| c != change_id),
                    Err(
                        UndoError::Conflict(why)
                        | UndoError::NotFound(why)
                        | UndoError::QuotaExceeded(why),
                    ) => {
                        turn.say(&format!("{why} So I left it as it is.\n\n")).await;
                    }
                    Err(UndoError::Backend(e)) => return Err(AgentError::internal(e)),
                }
            }
            // A delete still waiting for its confirmation was meant for another todo.
            ctx.memory.pending = None;
            next
        }
    };
    Box::pin(handlers::dispatch_recorded(ctx, turn, next)).await
}
