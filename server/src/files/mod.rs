//! Files attached to todos (issue 5, in progress): the domain values checked before anything
//! is stored, and the `BlobStore` trait with its local-folder implementation. Not yet wired
//! into the HTTP API or the tools, which still answer "not available yet".

pub mod blob;
pub mod domain;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::todos::{TodoId, UserId};

/// A stored file's metadata. Written only after its blob is durable, so an upload that never
/// completes leaves no record. `todo_id` is `None` while a file dropped into the chat waits to
/// be attached.
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
}
