//! What running a tool gives back ([`ToolOutcome`], or a [`ToolFailure`] for a backend
//! fault) and whom it runs for ([`ToolScope`]): shared by the todo tools (`execute`) and the
//! list tools (`lists`), so neither imports the other.

use app::wire::plan::PlanCard;

use crate::{
    domain::{Actor, Cause, ChangeId, ConversationId, DueDate, FileRecord, Todo, TodoId, UserId},
    files::Files,
};

use super::changes::Change;

#[derive(Debug, Clone, Default)]
pub struct ToolOutcome {
    /// False when the call was refused (bad input, unknown id); `text` says why.
    pub ok: bool,
    /// Short, model-friendly result.
    pub text: String,
    /// One line for the UI's tool card.
    pub summary: String,
    /// The todos the call read or wrote (as they are now).
    pub todos: Vec<Todo>,
    /// The files the call listed, attached or deleted.
    pub files: Vec<FileRecord>,
    /// Ids created, changed or deleted: the UI refreshes them.
    pub changed: Vec<TodoId>,
    /// The todo the call deleted (restorable for a while).
    pub deleted: Option<TodoId>,
    /// What the call changed in a todo, for its change record (the card's Undo).
    pub change: Option<Change>,
    /// The change record's id, once recorded (by `agent::run_tool`).
    pub change_id: Option<ChangeId>,
    /// A plan card the call proposed (`proposePlan`): the agent sends it as a `plan` event.
    pub plan: Option<Box<PlanCard>>,
}

impl ToolOutcome {
    pub fn refused(text: impl Into<String>) -> Self {
        let text = text.into();
        Self {
            ok: false,
            summary: text.clone(),
            text,
            ..Default::default()
        }
    }

    pub(super) fn todo(text: String, summary: String, todo: Todo, changed: bool) -> Self {
        Self {
            ok: true,
            text,
            summary,
            changed: if changed { vec![todo.id] } else { vec![] },
            todos: vec![todo],
            ..Default::default()
        }
    }

    pub(super) fn file(text: String, summary: String, file: FileRecord, todo: TodoId) -> Self {
        Self {
            ok: true,
            text,
            summary,
            files: vec![file],
            changed: vec![todo],
            ..Default::default()
        }
    }
}

/// A backend failure while running a tool; the cause is logged, never shown to a model.
#[derive(Debug, thiserror::Error)]
#[error("tool failed")]
pub struct ToolFailure(#[source] pub Cause);

pub(super) type Outcome = Result<ToolOutcome, ToolFailure>;

pub fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// Who a call runs for and what "overdue" is measured against.
pub struct ToolScope<'a> {
    /// File operations, and through them the store.
    pub files: &'a Files,
    /// The verified user: every id is looked up under this key.
    pub user: &'a UserId,
    /// Today in the user's time zone.
    pub today: DueDate,
    /// The time of day there, when the user's zone is known: a todo due today at an
    /// earlier time is overdue (without it, only days before today are).
    pub now: Option<jiff::civil::Time>,
    /// The chat conversation the call runs in, if any: where a proposed plan's card is.
    pub conversation: Option<ConversationId>,
    /// Who makes the call (the assistant, an MCP client): a plan it proposes is recorded
    /// as its change when the user applies it.
    pub actor: Actor,
}
