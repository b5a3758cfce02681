//! Lists on the wire: `GET/POST /api/lists`, `PATCH/DELETE /api/lists/{id}`.

use serde::{Deserialize, Serialize};

/// A list as the API returns it. `color` is one of the palette's names (README); `inbox` is
/// true for the one Inbox every user has; `count` is how many open todos it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TodoList {
    pub id: String,
    pub name: String,
    pub color: String,
    pub order: i64,
    pub inbox: bool,
    pub count: usize,
}

/// `POST /api/lists`: a name, and a color from the palette (the next one if absent).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewList {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
}

/// `PATCH /api/lists/{id}`: only the fields present change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<i64>,
}

/// `DELETE /api/lists/{id}?todos=move|delete`: the ids of the list's todos now in the Inbox
/// (`moved`), or deleted (`deleted`: each restorable with `POST /api/todos/{id}/restore`
/// within the restore window, into the Inbox).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListDeleted {
    pub moved: Vec<String>,
    pub deleted: Vec<String>,
}
