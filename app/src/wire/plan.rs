//! Plan cards: a proposal of many changes at once (the chat's `plan` event), the user's
//! choice of which to apply (`POST /api/chat/plan`) and its answer. Each item is one typed
//! tool call of the one schema (`tool` and its string `arguments`, as a model writes them)
//! with a sentence saying what it does.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One proposed change: a tool call and what it does in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanItem {
    pub item_id: String,
    /// "Move *Call the bank* from Mon Nov 30 to Wed Dec 2" (markdown, titles escaped).
    pub text: String,
    /// A tool of the schema (`updateTodo`, `deleteTodo`, ...).
    pub tool: String,
    pub arguments: BTreeMap<String, String>,
}

impl PlanItem {
    /// The date an item sets (`dateDue`), which the card lets the user change.
    pub fn date_due(&self) -> Option<&str> {
        self.arguments.get("dateDue").map(String::as_str)
    }
}

/// The `plan` event's content, and the card kept in the transcript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanCard {
    pub plan_id: String,
    pub summary: String,
    pub items: Vec<PlanItem>,
    /// Items a model proposed that were dropped (never applied), one sentence each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Set once the plan was answered (in the transcript; never in the event).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<PlanApplied>,
}

/// A chosen item's new due date (`YYYY-MM-DD`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlanEdit {
    pub date_due: String,
}

/// `POST /api/chat/plan`: apply the chosen items (none: discard the plan).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlanRequest {
    pub plan_id: String,
    pub apply: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub edits: BTreeMap<String, PlanEdit>,
}

/// One chosen item that was not applied, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanRefusal {
    pub item_id: String,
    pub reason: String,
}

/// The answer of `POST /api/chat/plan`: what was applied, as one change (`changeId`, for
/// `POST /api/chat/undo`; null when nothing was), and what was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanApplied {
    pub change_id: Option<String>,
    pub applied: Vec<String>,
    pub refused: Vec<PlanRefusal>,
    /// The change was undone since (in the transcript only).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub undone: bool,
}

/// What undoing a plan's change answers: its todos as they are again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UndoneTodos {
    pub todos: Vec<super::Todo>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_names_items_and_optional_date_edits_and_nothing_else() {
        let request: PlanRequest = serde_json::from_str(
            r#"{"planId":"p","apply":["a","b"],"edits":{"a":{"dateDue":"2026-12-02"}}}"#,
        )
        .unwrap();
        assert_eq!(request.edits["a"].date_due, "2026-12-02");
        let bare: PlanRequest = serde_json::from_str(r#"{"planId":"p","apply":[]}"#).unwrap();
        assert!(bare.edits.is_empty());
        for refused in [
            r#"{"planId":"p","apply":[],"owner":"x"}"#,
            r#"{"planId":"p","apply":[],"edits":{"a":{"title":"x"}}}"#,
            r#"{"apply":[]}"#,
        ] {
            assert!(
                serde_json::from_str::<PlanRequest>(refused).is_err(),
                "{refused}"
            );
        }
    }
}
