//! Files attached to todos: the domain values checked before anything is stored
//! ([`domain`]), where the bytes live ([`blob`]: a local folder, or [`s3`]), and the
//! operations the HTTP API and the assistant's tools share ([`service`]).

pub mod blob;
pub mod domain;
pub mod s3;
pub mod service;

pub use service::{FileError, Files};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::todos::{
    TodoId, UserId,
    domain::{InvalidInput, rfc3339},
};

/// A stored file's metadata. Recorded when an upload is declared, with `uploaded: false`;
/// only once its blob is durable and checked does it become `uploaded` and visible, so an
/// upload that never completes leaves nothing a user can see. `todo_id` is `None` while a
/// file dropped into the chat waits to be attached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRecord {
    pub owner: UserId,
    /// UUIDv7, like todo ids.
    pub id: TodoId,
    pub todo_id: Option<TodoId>,
    pub name: String,
    pub size: u64,
    pub content_type: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(default)]
    pub uploaded: bool,
}

impl FileRecord {
    /// `<owner digest>/<file id>`: every blob lives under its owner's prefix, and the key
    /// names no user-controlled text.
    pub fn blob_key(&self) -> String {
        blob_key(&self.owner, self.id)
    }

    pub fn to_wire(&self) -> app::wire::file::FileInfo {
        app::wire::file::FileInfo {
            file_id: self.id.to_string(),
            todo_id: self.todo_id.map(|id| id.to_string()),
            name: self.name.clone(),
            size: self.size,
            content_type: self.content_type.clone(),
            created_at: rfc3339(self.created_at),
        }
    }
}

pub fn blob_key(owner: &UserId, id: TodoId) -> String {
    let digest = Sha256::digest(owner.as_str().as_bytes());
    let prefix: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("{prefix}/{id}")
}

/// Parses a file id from a URL, a request or a tool call.
pub fn parse_file_id(raw: &str) -> Result<TodoId, InvalidInput> {
    TodoId::parse(raw.trim()).map_err(|_| {
        InvalidInput(format!(
            "'{}' is not a file id.",
            raw.chars().take(60).collect::<String>()
        ))
    })
}
