//! A stored file's record and where its bytes live.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{
    clock::rfc3339,
    ids::{FileId, TodoId, UserId},
};

/// A stored file's metadata. Recorded when an upload is declared, with `uploaded: false`;
/// only once its blob is durable and checked does it become `uploaded` and visible, so an
/// upload that never completes leaves nothing a user can see. `todo_id` is `None` while a
/// file dropped into the chat waits to be attached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRecord {
    pub owner: UserId,
    pub id: FileId,
    pub todo_id: Option<TodoId>,
    pub name: String,
    pub size: u64,
    pub content_type: String,
    pub created_at: Timestamp,
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

pub fn blob_key(owner: &UserId, id: FileId) -> String {
    let digest = Sha256::digest(owner.as_str().as_bytes());
    let prefix: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("{prefix}/{id}")
}
