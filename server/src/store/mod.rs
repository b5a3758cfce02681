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
mod entry_watch;
pub mod oauth;
mod todo_cache;

use std::time::Duration;

use async_trait::async_trait;
use jiff::Timestamp;

use crate::domain::{
    AccessToken, AccessTokenId, Cause, ChangeId, ChatSession, ConnectionId, ConnectionRecord,
    ConversationCursor, ConversationId, ConversationPage, DueReminder, EndpointKey, Entry, FileId,
    FileRecord, ListId, Profile, PushSubscription, ReminderClaim, Todo, TodoId, TodoList,
    TokenHash, UserId,
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
    /// A write with a limit (`create_todo_within`, `restore_todo_within`, `create_file_within`)
    /// would pass it; nothing was written. The count is taken in the same transaction as the
    /// write, so concurrent writers cannot pass it together.
    #[error("limit reached")]
    LimitReached,
    /// Another of the owner's lists has that name (compared case-insensitively); nothing
    /// was written.
    #[error("name taken")]
    NameTaken,
    #[error("store backend failed")]
    Backend(#[source] Cause),
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Every todo record of the owner, oldest first, deleted ones (waiting for a restore or
    /// their purge) included. Only the trash and the file sweep want those.
    async fn list_todo_records(&self, owner: &UserId) -> Result<Vec<Todo>, StoreError>;
    /// One todo record, deleted or not.
    async fn get_todo_record(&self, owner: &UserId, id: TodoId) -> Result<Todo, StoreError>;

    /// `list_todo_records`, shared: a store that caches decoded lists hands out its copy.
    async fn list_todo_records_shared(
        &self,
        owner: &UserId,
    ) -> Result<std::sync::Arc<Vec<Todo>>, StoreError> {
        Ok(std::sync::Arc::new(self.list_todo_records(owner).await?))
    }

    /// The owner's todos, oldest first; deleted ones are absent.
    async fn list_todos(&self, owner: &UserId) -> Result<Vec<Todo>, StoreError> {
        let mut todos = self.list_todo_records(owner).await?;
        todos.retain(Todo::is_live);
        Ok(todos)
    }
    /// One of the owner's todos; a deleted one is `NotFound`, like a missing one.
    async fn get_todo(&self, owner: &UserId, id: TodoId) -> Result<Todo, StoreError> {
        let todo = self.get_todo_record(owner, id).await?;
        if todo.is_live() {
            Ok(todo)
        } else {
            Err(StoreError::NotFound)
        }
    }
    /// Inserts a new todo; `AlreadyExists` if its (owner, id) is taken. Returns once durable.
    async fn create_todo(&self, todo: &Todo) -> Result<(), StoreError> {
        self.create_todo_within(todo, usize::MAX).await
    }
    /// `create_todo` if the owner has fewer than `max_live` live todos (deleted ones do not
    /// count), counted in the same transaction as the insert; `LimitReached` otherwise.
    async fn create_todo_within(&self, todo: &Todo, max_live: usize) -> Result<(), StoreError>;
    /// Replaces the stored record only if its version is still `expected_version`. Never
    /// used to delete or restore (`trash_todo`, `restore_todo`: they keep the count).
    async fn update_todo(&self, todo: &Todo, expected_version: u64) -> Result<(), StoreError>;

    /// Deletes a live todo restorably: marks it deleted until `until` (one more version) and
    /// returns it as stored. With `expected_version`, only if it is still at that version.
    async fn trash_todo(
        &self,
        owner: &UserId,
        id: TodoId,
        expected_version: Option<u64>,
        until: Timestamp,
    ) -> Result<Todo, StoreError>;
    /// Brings back a deleted todo whose deadline is after `now`, exactly as it was (one more
    /// version). `NotFound` for a live, missing, purged or expired one, and for one its purge
    /// has claimed (`Todo::purging`): the write is conditional on the version read, and the
    /// claim is a new version, so of a restore and a purge exactly one wins.
    async fn restore_todo(
        &self,
        owner: &UserId,
        id: TodoId,
        now: Timestamp,
    ) -> Result<Todo, StoreError> {
        self.restore_todo_within(owner, id, now, usize::MAX).await
    }
    /// `restore_todo` if the owner has fewer than `max_live` live todos, counted in the same
    /// transaction; `LimitReached` otherwise (the todo stays deleted).
    async fn restore_todo_within(
        &self,
        owner: &UserId,
        id: TodoId,
        now: Timestamp,
        max_live: usize,
    ) -> Result<Todo, StoreError>;
    /// Removes the record for good; with `expected_version`, only if it is still at that
    /// version. (Deleting a todo is `trash_todo`; this is its purge.)
    async fn delete_todo(
        &self,
        owner: &UserId,
        id: TodoId,
        expected_version: Option<u64>,
    ) -> Result<(), StoreError>;

    /// The user's settings (their time zone); the default for a user who never set any.
    async fn get_profile(&self, owner: &UserId) -> Result<Profile, StoreError>;
    /// Replaces the user's settings. Returns once durable.
    async fn put_profile(&self, owner: &UserId, profile: &Profile) -> Result<(), StoreError>;

    /// Records a file's metadata; `AlreadyExists` if its (owner, id) is taken.
    async fn create_file(&self, file: &FileRecord) -> Result<(), StoreError> {
        self.create_file_within(file, usize::MAX, u64::MAX).await
    }
    /// `create_file` if the owner then holds at most `max_files` files of at most `max_bytes`
    /// together (every record counts: attached, in the chat, uploading), counted in the same
    /// transaction as the insert; `LimitReached` otherwise.
    async fn create_file_within(
        &self,
        file: &FileRecord,
        max_files: usize,
        max_bytes: u64,
    ) -> Result<(), StoreError>;
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

    /// The owner's lists (the Inbox, once created, among them), in no particular order.
    async fn list_lists(&self, owner: &UserId) -> Result<Vec<TodoList>, StoreError>;
    /// One of the owner's lists; another owner's id is `NotFound`, like a missing one.
    async fn get_list(&self, owner: &UserId, id: ListId) -> Result<TodoList, StoreError>;
    /// Inserts a list, checked in the same transaction as the write: `AlreadyExists` if its
    /// (owner, id) is taken (a second creation of the Inbox, whose id is fixed),
    /// `NameTaken` if another of the owner's lists has its name in any case, and, unless it
    /// is the Inbox, `LimitReached` if the owner already has `max_lists` other lists.
    async fn create_list_within(&self, list: &TodoList, max_lists: usize)
    -> Result<(), StoreError>;
    /// Replaces a list only if it is still at `expected_version` (`VersionConflict`,
    /// `NotFound`); a new name must be free (`NameTaken`), checked in the same transaction.
    async fn update_list(&self, list: &TodoList, expected_version: u64) -> Result<(), StoreError>;
    /// Removes a list (`NotFound` if there is none), freeing its name and its place in the
    /// quota. Its todos are the caller's: the store does not look at them.
    async fn delete_list(&self, owner: &UserId, id: ListId) -> Result<(), StoreError>;

    /// The user's most recently used conversation (the current one if still live: callers
    /// check), empty or not.
    async fn latest_chat_session(&self, owner: &UserId) -> Result<Option<ChatSession>, StoreError>;
    /// One of the user's conversations; another user's id is `None`.
    async fn get_chat_session(
        &self,
        owner: &UserId,
        session_id: ConversationId,
    ) -> Result<Option<ChatSession>, StoreError>;
    /// Writes a conversation (keyed by owner and id). Returns once durable.
    async fn save_chat_session(&self, session: &ChatSession) -> Result<(), StoreError>;
    /// The user's conversations with at least one message and not past their retention,
    /// newest first, `limit` at most per page, starting after `after`.
    async fn list_chat_sessions(
        &self,
        owner: &UserId,
        after: Option<ConversationCursor>,
        limit: usize,
        now: Timestamp,
    ) -> Result<ConversationPage, StoreError>;
    /// Removes a conversation and its messages; `NotFound` if the user has no such one.
    async fn delete_chat_session(
        &self,
        owner: &UserId,
        session_id: ConversationId,
    ) -> Result<(), StoreError>;

    /// Records an open WebSocket connection.
    async fn put_connection(&self, record: &ConnectionRecord) -> Result<(), StoreError>;
    async fn get_connection(
        &self,
        connection_id: ConnectionId,
    ) -> Result<Option<ConnectionRecord>, StoreError>;
    /// The user's open connections (to reach every device of a user).
    async fn list_connections(&self, owner: &UserId) -> Result<Vec<ConnectionRecord>, StoreError>;
    /// Forgets a connection (on disconnect); deleting a missing one is not an error.
    async fn delete_connection(&self, connection_id: ConnectionId) -> Result<(), StoreError>;

    /// The entry under `key` if it is live at `now`; expired ones are absent.
    async fn get_entry(&self, key: &str, now: Timestamp) -> Result<Option<Entry>, StoreError>;
    /// Writes `entry` if the stored one is at version `expected` and live, or, with `None`,
    /// if there is none (or it has expired). `Changed` otherwise: of two writers from the
    /// same read, one wins.
    async fn put_entry(
        &self,
        entry: &Entry,
        expected: Option<u64>,
        now: Timestamp,
    ) -> Result<(), StoreError>;
    /// Deletes the entry if it is live at version `expected`; `Changed` otherwise (taken,
    /// rewritten or expired meanwhile).
    async fn delete_entry(
        &self,
        key: &str,
        expected: u64,
        now: Timestamp,
    ) -> Result<(), StoreError>;
    /// One of the owner's change records (what an agent, an MCP client or a token changed;
    /// `tools::changes` owns its body) if it is live at `now`; its `key` is the change id.
    async fn get_change(
        &self,
        owner: &UserId,
        id: ChangeId,
        now: Timestamp,
    ) -> Result<Option<Entry>, StoreError>;
    /// Writes a change record at (owner, id) as `put_entry` writes an entry: with `None`
    /// only if there is none (or it expired), else only at version `expected`; `Changed`
    /// otherwise.
    async fn put_change(
        &self,
        owner: &UserId,
        id: ChangeId,
        entry: &Entry,
        expected: Option<u64>,
        now: Timestamp,
    ) -> Result<(), StoreError>;
    /// The owner's change records live at `now`, newest first (ids are UUIDv7), at most
    /// `limit`, only those older than `before` when given: the activity log's pages.
    async fn list_changes(
        &self,
        owner: &UserId,
        before: Option<ChangeId>,
        limit: usize,
        now: Timestamp,
    ) -> Result<Vec<Entry>, StoreError>;

    /// Stores a new personal access token if its owner holds fewer than `max_held`, counted
    /// in the same transaction (`LimitReached` otherwise); `AlreadyExists` if its id or hash
    /// is taken.
    async fn create_access_token(
        &self,
        token: &AccessToken,
        max_held: usize,
    ) -> Result<(), StoreError>;
    /// The owner's tokens, oldest first.
    async fn list_access_tokens(&self, owner: &UserId) -> Result<Vec<AccessToken>, StoreError>;
    /// The token whose secret has this digest (a request's Bearer value), read consistently:
    /// a revoked token is gone for every instance at once.
    async fn find_access_token(&self, hash: &TokenHash) -> Result<Option<AccessToken>, StoreError>;
    /// Revokes one of the owner's tokens; `NotFound` if there is none (another owner's id
    /// included).
    async fn delete_access_token(
        &self,
        owner: &UserId,
        id: AccessTokenId,
    ) -> Result<(), StoreError>;
    /// Sets the token's `last_used_at` to `at` unless it is at or after `fresh_after`
    /// (conditional, so many instances write it at most once per interval). `Ok(false)`
    /// when nothing was written (fresh already, or revoked).
    async fn touch_access_token(
        &self,
        hash: &TokenHash,
        at: Timestamp,
        fresh_after: Timestamp,
    ) -> Result<bool, StoreError>;

    /// The live todos whose next reminder (`Todo::remind_at`, written with the todo) is due
    /// at a moment from `since` to `now`, oldest first, at most `limit`: read from the
    /// store's time index, never a scan.
    async fn due_reminders(
        &self,
        since: Timestamp,
        now: Timestamp,
        limit: usize,
    ) -> Result<Vec<DueReminder>, StoreError>;
    /// Takes a due reminder in one write. If the todo's next reminder is still
    /// `claim.due.at`, it moves to `claim.next`; then, if no live entry has the key of
    /// `claim.claim`, that entry, the action token and the notification are created too
    /// and the answer is `true`: of many sweeps, on any instances, exactly one gets it.
    /// `false` when another took it (the reminder is moved all the same) or the todo's
    /// next reminder is no longer that one (nothing is written).
    async fn claim_reminder(
        &self,
        claim: &ReminderClaim,
        now: Timestamp,
    ) -> Result<bool, StoreError>;
    /// The owner's notifications (written by `claim_reminder`) live at `now`, newest
    /// first, at most `limit`.
    async fn list_notifications(
        &self,
        owner: &UserId,
        limit: usize,
        now: Timestamp,
    ) -> Result<Vec<Entry>, StoreError>;
    /// Saves a browser's push subscription at (owner, its endpoint): a new one if the owner
    /// holds fewer than `max_held`, counted in the same transaction (`LimitReached`
    /// otherwise), or new keys for the one already there. `Ok(true)` when it was new. An
    /// endpoint is one browser and has one holder: saving it for an owner removes another
    /// owner's subscription of it in the same write (their reminders must never be
    /// encrypted to a browser someone else now uses).
    async fn put_push_subscription(
        &self,
        subscription: &PushSubscription,
        max_held: usize,
    ) -> Result<bool, StoreError>;
    /// The owner's push subscriptions (every browser they allowed), in no particular order.
    async fn list_push_subscriptions(
        &self,
        owner: &UserId,
    ) -> Result<Vec<PushSubscription>, StoreError>;
    /// The subscription of an endpoint, whoever holds it (a renewal proves it holds the
    /// old keys); `None` when no one does.
    async fn push_subscription_at(
        &self,
        endpoint: &EndpointKey,
    ) -> Result<Option<PushSubscription>, StoreError>;
    /// Forgets one of the owner's subscriptions; `Ok(false)` if there was none (another
    /// owner's included).
    async fn delete_push_subscription(
        &self,
        owner: &UserId,
        endpoint: &EndpointKey,
    ) -> Result<bool, StoreError>;

    /// Returns once the entry under `key` may no longer be at version `seen` (`None`: there
    /// was none), or after `within`, whichever comes first; the caller reads it again either
    /// way. A store that hears of its writes (the embedded one: all its writers are in this
    /// process) returns at the change; this default returns after [`ENTRY_POLL`] at the
    /// latest, so its callers poll.
    async fn entry_changed(&self, key: &str, seen: Option<u64>, within: Duration) {
        let _ = (key, seen);
        tokio::time::sleep(within.min(ENTRY_POLL)).await;
    }
}

/// How often a caller of [`Store::entry_changed`] looks again on a store that cannot tell it
/// of a change (DynamoDB): a stop requested on another instance arrives within this.
pub const ENTRY_POLL: Duration = Duration::from_millis(250);
