//! Plan proposals: many changes proposed at once, kept as a Store entry
//! (`plan:<sub>:<plan id>`) with a deadline ([`PLAN_WINDOW`]) so any instance can take the
//! answer (`plans`); the entry is kept a day past the deadline so a late answer is told it
//! expired rather than that no such plan exists. Each item is a typed tool call written as
//! a model writes one (`tool`, `arguments`) with the version of the todo it changes when
//! it was proposed. Whoever proposes (the LocalAgent's planners, a model's `proposePlan`),
//! an item that a plan cannot hold (a read, a file or list tool), whose values do not
//! parse, or that names a todo that is not the user's is dropped with a note on the card.

use std::collections::BTreeMap;

use app::wire::plan::{PlanApplied, PlanCard, PlanItem};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::{
    call::{ProposedCall, ToolCall},
    outcome::{ToolOutcome, ToolScope, plural},
    schema::Tool,
};
use crate::{
    domain::{Actor, Cause, ConversationId, DueDate, Entry, PlanId, TodoId, UserId},
    files::Files,
    store::StoreError,
};

/// How long a plan can be applied after it was proposed.
pub const PLAN_WINDOW: SignedDuration = SignedDuration::from_mins(30);
/// How long an expired proposal is kept, so a late answer hears that it expired rather than
/// that no such plan exists.
const KEPT_AFTER: SignedDuration = SignedDuration::from_hours(24);
/// The most items one card holds: a change record of all of them stays one Store item.
pub const MAX_ITEMS: usize = 50;
/// The argument a card lets the user change inline.
pub(super) const DATE_DUE: &str = "dateDue";

/// One proposed change, as a proposer makes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// What it does, in markdown with titles escaped: "Move *Call the bank* to Wed, Dec 2".
    pub text: String,
    pub call: ToolCall,
}

/// One item as kept: the card's item and the version of its todo when proposed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Proposed {
    pub item: PlanItem,
    /// The todo the item changes and its version when proposed.
    #[serde(default)]
    pub todo: Option<(TodoId, u64)>,
}

/// A proposal as kept in its entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Proposal {
    pub summary: String,
    /// The conversation whose card shows it (its result and "undo that" live there).
    pub session_id: Option<ConversationId>,
    pub deadline: Timestamp,
    pub items: Vec<Proposed>,
    /// Set by the first answer, before anything is applied (a second answer is a 409).
    #[serde(default)]
    pub claimed: bool,
    #[serde(default)]
    pub answer: Option<PlanApplied>,
    /// Who proposed it (the assistant, an MCP client by its name): the applied plan's
    /// change is recorded as theirs. Proposals kept before this field were the assistant's.
    #[serde(default)]
    pub proposer: Actor,
}

pub(super) fn key(owner: &UserId, plan: PlanId) -> String {
    format!("plan:{}:{plan}", owner.as_str())
}

pub(super) fn backend(e: impl std::error::Error + Send + Sync + 'static) -> StoreError {
    StoreError::Backend(Cause::new(e))
}

/// Whether a tool may be a plan's item: the writes to one todo (and adding one).
pub fn plannable(tool: Tool) -> bool {
    match tool {
        Tool::AddTodo
        | Tool::UpdateTodo
        | Tool::AddTodoNotes
        | Tool::CompleteTodo
        | Tool::ReopenTodo
        | Tool::DeleteTodo
        | Tool::AddSubtasks
        | Tool::SetSubtaskDone
        | Tool::SetTodoDetails
        | Tool::SetReminders => true,
        Tool::GetTodos
        | Tool::GetTodo
        | Tool::ListTodoFiles
        | Tool::AddTodoFile
        | Tool::DeleteTodoFile
        | Tool::ListLists
        | Tool::CreateList
        | Tool::ProposePlan => false,
    }
}

/// A model's items read into drafts; each one that cannot be (an unknown or read-only
/// tool, a parameter that does not parse) is dropped with a note saying so.
pub fn read_model_items(items: Vec<ProposedCall>) -> (Vec<Draft>, Vec<String>) {
    let mut drafts = Vec::new();
    let mut notes = Vec::new();
    for (n, raw) in items.into_iter().enumerate() {
        let which = if raw.text.trim().is_empty() {
            format!("Item {}", n + 1)
        } else {
            format!(
                "“{}”",
                crate::domain::text::markdown_escape(raw.text.trim())
            )
        };
        let call = match Tool::from_name(&raw.tool) {
            Some(tool) if !plannable(tool) => {
                notes.push(format!(
                    "{which} was dropped: a plan cannot use {}.",
                    raw.tool
                ));
                continue;
            }
            _ => ToolCall::parse(&raw.tool, &raw.arguments),
        };
        match call {
            Ok(call) => drafts.push(Draft {
                text: if raw.text.trim().is_empty() {
                    call.tool().spec().title.to_owned()
                } else {
                    raw.text.trim().to_owned()
                },
                call,
            }),
            Err(e) => notes.push(format!("{which} was dropped: {}", e.0)),
        }
    }
    (drafts, notes)
}

/// A date an item sets must be a date (or "none").
fn date_refusal(arguments: &BTreeMap<String, String>) -> Option<String> {
    let raw = arguments.get(DATE_DUE)?;
    if raw.eq_ignore_ascii_case("none") {
        return None;
    }
    DueDate::parse(raw).err().map(|e| e.0)
}

/// Checks `drafts` against `owner`'s todos (each must change one of theirs: another user's
/// todo is no such todo), keeps the proposal in the Store and returns the card to send.
/// Items beyond [`MAX_ITEMS`] and those that fail a check are left out with a note.
pub async fn propose(
    files: &Files,
    owner: &UserId,
    session_id: Option<ConversationId>,
    proposer: Actor,
    summary: String,
    drafts: Vec<Draft>,
    mut notes: Vec<String>,
) -> Result<PlanCard, StoreError> {
    let todos = files.store().list_todos(owner).await?;
    let mut proposed = Vec::with_capacity(drafts.len().min(MAX_ITEMS));
    let over = drafts.len().saturating_sub(MAX_ITEMS);
    for draft in drafts.into_iter().take(MAX_ITEMS) {
        let dropped = |why: &str| format!("“{}” was dropped: {why}", draft.text);
        let Some(arguments) = draft.call.arguments() else {
            let tool = draft.call.tool().name();
            notes.push(dropped(&format!("a plan cannot use {tool}.")));
            continue;
        };
        if let Some(why) = date_refusal(&arguments) {
            notes.push(dropped(&why));
            continue;
        }
        let todo = match draft.call.todo() {
            Some(id) => match todos.iter().find(|t| t.id == id) {
                Some(todo) => Some((id, todo.version)),
                None => {
                    notes.push(dropped("there is no such todo."));
                    continue;
                }
            },
            None => None,
        };
        proposed.push(Proposed {
            item: PlanItem {
                item_id: format!("i{}", proposed.len() + 1),
                text: draft.text,
                tool: draft.call.tool().name().to_owned(),
                arguments,
            },
            todo,
        });
    }
    if over > 0 {
        notes.push(format!(
            "{over} more were left out (a plan holds at most {MAX_ITEMS}); ask again after \
             applying these."
        ));
    }
    let plan_id = PlanId::new();
    let now = files.now();
    let proposal = Proposal {
        summary,
        session_id,
        deadline: now + PLAN_WINDOW,
        items: proposed,
        claimed: false,
        answer: None,
        proposer,
    };
    let card = PlanCard {
        plan_id: plan_id.to_string(),
        summary: proposal.summary.clone(),
        items: proposal.items.iter().map(|p| p.item.clone()).collect(),
        notes,
        result: None,
    };
    if !card.items.is_empty() {
        let body = serde_json::to_value(&proposal).map_err(backend)?;
        let entry = Entry::new(key(owner, plan_id), body, now + PLAN_WINDOW + KEPT_AFTER);
        files.store().put_entry(&entry, None, now).await?;
    }
    Ok(card)
}

/// `proposePlan`: a model's items checked and kept as a card for the scope's conversation;
/// the outcome carries the card (the agent sends it) and tells the model what was kept.
pub async fn propose_for_model(
    scope: &ToolScope<'_>,
    summary: String,
    items: Vec<ProposedCall>,
) -> Result<ToolOutcome, StoreError> {
    let (drafts, notes) = read_model_items(items);
    let card = propose(
        scope.files,
        scope.user,
        scope.conversation,
        scope.actor.clone(),
        summary,
        drafts,
        notes,
    )
    .await?;
    if card.items.is_empty() {
        let why = card.notes.join(" ");
        return Ok(ToolOutcome::refused(format!(
            "No item of that plan could be proposed. {why}"
        )));
    }
    let mut text = format!(
        "Proposed plan {} with {} to the user, who chooses and applies them; do not make \
         these changes yourself.",
        card.plan_id,
        plural(card.items.len(), "item")
    );
    for note in &card.notes {
        text.push('\n');
        text.push_str(note);
    }
    Ok(ToolOutcome {
        ok: true,
        summary: format!("Proposed {}", plural(card.items.len(), "change")),
        text,
        plan: Some(Box::new(card)),
        ..Default::default()
    })
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_models_items_are_read_or_dropped_with_a_note() {
        let todo = TodoId::new().to_string();
        let raw = |tool: &str, args: &[(&str, &str)], text: &str| ProposedCall {
            tool: tool.into(),
            arguments: args
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            text: text.into(),
        };
        let (drafts, notes) = read_model_items(vec![
            raw(
                "updateTodo",
                &[("todoId", &todo), ("dateDue", "2026-12-02")],
                "Move it",
            ),
            raw("getTodos", &[], "Look"),
            raw("dropTables", &[], ""),
            raw("completeTodo", &[("todoId", "not-an-id")], "Finish"),
        ]);
        assert_eq!(drafts.len(), 1);
        assert_eq!(drafts[0].text, "Move it");
        assert_eq!(notes.len(), 3, "{notes:?}");
        assert!(notes[0].contains("a plan cannot use getTodos"), "{notes:?}");
        assert!(notes[1].starts_with("Item 3 was dropped"), "{notes:?}");
        assert!(notes[2].contains("not a todo id"), "{notes:?}");
    }

    #[test]
    fn only_writes_to_todos_are_plannable() {
        for tool in Tool::ALL {
            assert_eq!(
                plannable(tool),
                !tool.reads_only()
                    && !matches!(
                        tool,
                        Tool::AddTodoFile
                            | Tool::DeleteTodoFile
                            | Tool::CreateList
                            | Tool::ProposePlan
                    )
            );
        }
    }
}
