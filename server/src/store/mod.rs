//! `Store`: durable state behind a domain-level API. Implementations: [`embedded`] (redb in
//! DATA_DIR, the default) and [`dynamodb`] (`STORE=dynamodb`). One conformance suite
//! (`tests/api/store_conformance.rs`) runs against each.
//!
//! Every method that takes an id also takes its owner: a todo is addressed by (owner, id), so
//! another user's id is indistinguishable from one that does not exist.

pub mod dynamodb;
mod dynamodb_chat;
mod dynamodb_entries;
pub mod embedded;

use async_trait::async_trait;

use crate::domain::{
    Cause, ChatSession, ConnectionRecord, Entry, FileId, FileRecord, Todo, TodoId, UserId,
};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("version conflict (current version {current})")]
    VersionConflict { current: u64 },
    #[error("already exists")]
    AlreadyExists,
    /// A conditional write found the item changed since it was read; nothing was written.
    #[error("changed concurrently")]
    Changed,
    #[error("store backend failed")]
    Backend(#[source] Cause),
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// The owner's todos, oldest first.
    async fn list_todos(&self, owner: &UserId) -> Result<Vec<Todo>, StoreError>;
    async fn get_todo(&self, owner: &UserId, id: TodoId) -> Result<Todo, StoreError>;
    /// Inserts a new todo; `AlreadyExists` if its (owner, id) is taken. Returns once durable.
    async fn create_todo(&self, todo: &Todo) -> Result<(), StoreError>;
    /// Replaces the stored todo only if its version is still `expected_version`.
    async fn update_todo(&self, todo: &Todo, expected_version: u64) -> Result<(), StoreError>;
    /// Deletes the todo; with `expected_version`, only if it is still at that version.
    async fn delete_todo(
        &self,
        owner: &UserId,
        id: TodoId,
        expected_version: Option<u64>,
    ) -> Result<(), StoreError>;

    /// Records a file's metadata; `AlreadyExists` if its (owner, id) is taken.
    async fn create_file(&self, file: &FileRecord) -> Result<(), StoreError>;
    async fn get_file(&self, owner: &UserId, id: FileId) -> Result<FileRecord, StoreError>;
    /// Replaces a file's metadata (attaching it, marking it uploaded) only if the stored
    /// record still has `expected`'s todo and upload state: of two concurrent changes from
    /// the same state, one wins and the other gets `Changed`. `NotFound` if it is missing.
    async fn update_file(&self, file: &FileRecord, expected: &FileRecord)
    -> Result<(), StoreError>;
    /// All the owner's files (attached, waiting in the chat, or still uploading), oldest
    /// first. A user holds few files, so one partition read serves every file listing.
    async fn list_files(&self, owner: &UserId) -> Result<Vec<FileRecord>, StoreError>;
    /// The owner's files attached to `todo_id`, oldest first.
    async fn list_todo_files(
        &self,
        owner: &UserId,
        todo_id: TodoId,
    ) -> Result<Vec<FileRecord>, StoreError> {
        let mut files = self.list_files(owner).await?;
        files.retain(|f| f.todo_id == Some(todo_id));
        Ok(files)
    }
    async fn delete_file(&self, owner: &UserId, id: FileId) -> Result<(), StoreError>;

    /// The user's current chat session (one per user), expired or not: callers check expiry.
    async fn load_chat_session(&self, owner: &UserId) -> Result<Option<ChatSession>, StoreError>;
    /// Replaces the user's current chat session. Returns once durable.
    async fn save_chat_session(&self, session: &ChatSession) -> Result<(), StoreError>;

    /// Records an open WebSocket connection.
    async fn put_connection(&self, record: &ConnectionRecord) -> Result<(), StoreError>;
    async fn get_connection(
        &self,
        connection_id: &str,
    ) -> Result<Option<ConnectionRecord>, StoreError>;
    /// The user's open connections (to reach every device of a user).
    async fn list_connections(&self, owner: &UserId) -> Result<Vec<ConnectionRecord>, StoreError>;
    /// Forgets a connection (on disconnect); deleting a missing one is not an error.
    async fn delete_connection(&self, connection_id: &str) -> Result<(), StoreError>;

    /// The entry under `key` if it is live at `now` (unix seconds); expired ones are absent.
    async fn get_entry(&self, key: &str, now: i64) -> Result<Option<Entry>, StoreError>;
    /// Writes `entry` if the stored one is at version `expected` and live, or, with `None`,
    /// if there is none (or it has expired). `Changed` otherwise: of two writers from the
    /// same read, one wins.
    async fn put_entry(
        &self,
        entry: &Entry,
        expected: Option<u64>,
        now: i64,
    ) -> Result<(), StoreError>;
    /// Deletes the entry if it is live at version `expected`; `Changed` otherwise (taken,
    /// rewritten or expired meanwhile).
    async fn delete_entry(&self, key: &str, expected: u64, now: i64) -> Result<(), StoreError>;
}
