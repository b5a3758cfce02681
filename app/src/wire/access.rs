//! Personal access tokens (`/api/tokens`) and the activity log (`/api/activity`): what
//! outside clients (scripts, tokens, the assistant, MCP clients) changed, with Undo.

use serde::{Deserialize, Serialize};

/// `POST /api/tokens`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAccessToken {
    pub name: String,
    /// `"read"` (GET only) or `"write"`.
    pub access: String,
}

/// `201` to `POST /api/tokens`: the only answer that carries the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedAccessToken {
    pub id: String,
    pub name: String,
    pub access: String,
    /// `tasko_pat_...`: shown once, never stored (only its SHA-256 is).
    pub token: String,
}

/// One line of `GET /api/tokens`: never the secret or its digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessTokenInfo {
    pub id: String,
    pub name: String,
    pub access: String,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339; `null` until first used (noted at most once a minute).
    pub last_used_at: Option<String>,
}

/// `GET /api/tokens`, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessTokenList {
    pub tokens: Vec<AccessTokenInfo>,
}

/// Who made a change: `kind` is `"assistant"`, `"mcp"` or `"token"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityActor {
    pub kind: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityEntry {
    pub change_id: String,
    /// RFC 3339.
    pub at: String,
    pub actor: ActivityActor,
    /// Markdown naming the todo: "Added *Water the ferns*".
    pub summary: String,
    /// `POST /api/activity/undo` would put it back now.
    pub undoable: bool,
}

/// `GET /api/activity`: newest first; `next` (absent on the last page) goes in `?next=`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityPage {
    pub activity: Vec<ActivityEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}
