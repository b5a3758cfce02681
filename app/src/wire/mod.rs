//! Wire types: the JSON that crosses between the browser, the server and outside clients.
//! Field names here are public interface (README documents them); renaming one breaks clients.

pub mod access;
pub mod chat;
mod chat_event_de;
pub mod cognito;
pub mod file;
mod label;
mod list;
pub mod oauth;
pub mod plan;
pub mod push;
mod todo;
pub mod transfer;

pub use label::{LabelCount, LabelRename};
pub use list::{ListDeleted, ListPatch, NewList, TodoList};
pub use todo::{NewTodo, Reminder, Repeat, RepeatInput, Subtask, SubtaskInput, Todo, TodoPatch};

use serde::{Deserialize, Serialize};

/// Every error response body: a stable machine code and a sentence for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub error: String,
    pub message: String,
}

/// `GET /api/me`: the identity the server verified from the token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub sub: String,
    pub email: String,
    /// The IANA time zone the user's browser last set (`PATCH /api/me`), or null.
    #[serde(rename = "timeZone", default)]
    pub time_zone: Option<String>,
}

/// `PATCH /api/me`: the user's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MePatch {
    /// An IANA name ("Europe/Berlin"); the server decides "today" for the user with it.
    pub time_zone: String,
}

/// `GET /config.json`: what the static frontend needs to find its API and identity provider.
/// A deployment writes the same file next to the static files on S3.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuntimeConfig {
    /// Prefix for API calls; empty means same origin.
    pub api_base_url: String,
    pub cognito: CognitoConfig,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CognitoConfig {
    /// Where the browser POSTs Cognito user-pool JSON requests (the local IdP or AWS).
    pub endpoint: String,
    pub region: String,
    pub user_pool_id: String,
    pub client_id: String,
}
