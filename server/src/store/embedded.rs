//! The embedded default store: redb, a pure-Rust B-tree with ACID transactions in one file in
//! DATA_DIR. A commit returns only after fsync (redb's `Durability::Immediate`), so an
//! acknowledged write survives `kill -9` and power loss. Calls run on the blocking pool
//! (but for the small point reads of entries). Entry writes wake their waiters
//! ([`Store::entry_changed`]) directly: every writer of this store is in this process.
//! Lists are in [`lists`], change records in [`changes`], access tokens in [`tokens`], push
//! subscriptions in [`push`], the reminders' time index and the notifications in
//! [`reminders`].

mod changes;
mod lists;
mod push;
mod reminders;
mod tokens;

use std::{path::Path, sync::Arc, time::Duration};

use async_trait::async_trait;
use jiff::Timestamp;
use redb::{Database, ReadableTable, TableDefinition};

use super::{Store, StoreError, entry_watch::EntryWatchers, todo_cache::TodoCache};
use crate::domain::{
    AccessToken, AccessTokenId, Cause, ChangeId, ChatSession, ChatSummary, ConnectionId,
    ConnectionRecord, ConversationCursor, ConversationId, ConversationPage, DueReminder,
    EndpointKey, Entry, FileId, FileRecord, ListId, Profile, PushSubscription, ReminderClaim, Todo,
    TodoId, TodoList, TokenHash, UserId, conversation::newest_first,
};

/// redb's own page cache (nine tenths for reads). Its default (1 GiB) grows with the file for
/// as long as the server runs, and so does the RSS: in `make bench`'s soak, 64 MiB still grew
/// the RSS ~3 MiB a minute after ten minutes, 8 MiB levels off within minutes. Pages beyond it
/// come from the OS's file cache (a `pread`, microseconds); lists are served from the decoded
/// `TodoCache` anyway.
const CACHE_BYTES: usize = 8 * 1024 * 1024;

/// (owner sub, todo id) -> JSON of [`Todo`]. Owner first so a user's todos are one range.
const TODOS: TableDefinition<(&str, &str), &[u8]> = TableDefinition::new("todos");
/// Owner sub -> JSON of a [`ChatSession`]: the one conversation per user of earlier
/// versions, moved into `CONVERSATIONS` when the store opens.
const CHAT_SESSIONS: TableDefinition<&str, &[u8]> = TableDefinition::new("chat_sessions");
/// (owner sub, session id) -> JSON of [`ChatSession`].
const CONVERSATIONS: TableDefinition<(&str, &str), &[u8]> = TableDefinition::new("conversations");
/// (owner sub, session id) -> JSON of its [`ChatSummary`]: the list reads these small
/// values, never the transcripts.
const CONVERSATION_INDEX: TableDefinition<(&str, &str), &[u8]> =
    TableDefinition::new("conversation_index");
/// Connection id -> JSON of [`ConnectionRecord`].
const CONNECTIONS: TableDefinition<&str, &[u8]> = TableDefinition::new("connections");
/// (owner sub, file id) -> JSON of [`FileRecord`].
const FILES: TableDefinition<(&str, &str), &[u8]> = TableDefinition::new("files");
/// Entry key -> JSON of [`Entry`] (shared state with an expiry).
const ENTRIES: TableDefinition<&str, &[u8]> = TableDefinition::new("entries");
/// Owner sub -> JSON of their [`Profile`] (time zone).
const PROFILES: TableDefinition<&str, &[u8]> = TableDefinition::new("profiles");

pub struct EmbeddedStore {
    db: Arc<Database>,
    todos: Arc<TodoCache>,
    /// Waiters for entry changes (a running turn's lease).
    watchers: EntryWatchers,
}

impl EmbeddedStore {
    /// Opens (or creates) `tasko.redb` in `data_dir`.
    pub fn open(data_dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(backend)?;
        let db = redb::Builder::new()
            .set_cache_size(CACHE_BYTES)
            .create(data_dir.join("tasko.redb"))
            .map_err(backend)?;
        let txn = db.begin_write().map_err(backend)?;
        txn.open_table(TODOS).map_err(backend)?;
        txn.open_table(CONVERSATIONS).map_err(backend)?;
        txn.open_table(CONVERSATION_INDEX).map_err(backend)?;
        txn.open_table(CONNECTIONS).map_err(backend)?;
        txn.open_table(FILES).map_err(backend)?;
        txn.open_table(ENTRIES).map_err(backend)?;
        txn.open_table(lists::LISTS).map_err(backend)?;
        txn.open_table(PROFILES).map_err(backend)?;
        txn.open_table(changes::CHANGES).map_err(backend)?;
        txn.open_table(tokens::ACCESS_TOKENS).map_err(backend)?;
        txn.open_table(tokens::ACCESS_TOKEN_INDEX)
            .map_err(backend)?;
        txn.open_table(reminders::REMINDER_INDEX).map_err(backend)?;
        txn.open_table(reminders::NOTIFICATIONS).map_err(backend)?;
        txn.open_table(push::PUSH_SUBSCRIPTIONS).map_err(backend)?;
        txn.open_table(push::PUSH_ENDPOINTS).map_err(backend)?;
        txn.commit().map_err(backend)?;
        move_single_sessions(&db)?;
        Ok(Self {
            db: Arc::new(db),
            todos: Arc::new(TodoCache::default()),
            watchers: EntryWatchers::default(),
        })
    }

    async fn blocking<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Database) -> Result<T, StoreError> + Send + 'static,
    {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || work(&db))
            .await
            .map_err(backend)?
    }
}

fn backend(err: impl std::error::Error + Send + Sync + 'static) -> StoreError {
    StoreError::Backend(Cause::new(err))
}

fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(backend)
}

fn encode<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(value).map_err(backend)
}

/// Reads one JSON value by string key.
fn read_json<T: serde::de::DeserializeOwned>(
    db: &Database,
    table: TableDefinition<&str, &[u8]>,
    key: &str,
) -> Result<Option<T>, StoreError> {
    let txn = db.begin_read().map_err(backend)?;
    let table = txn.open_table(table).map_err(backend)?;
    let found = table.get(key).map_err(backend)?;
    found.map(|v| decode(v.value())).transpose()
}

/// Writes (`Some`) or removes (`None`) one JSON value by string key, durably.
fn write_json(
    db: &Database,
    table: TableDefinition<&str, &[u8]>,
    key: &str,
    value: Option<Vec<u8>>,
) -> Result<(), StoreError> {
    let txn = db.begin_write().map_err(backend)?;
    {
        let mut table = txn.open_table(table).map_err(backend)?;
        match value {
            Some(bytes) => {
                table.insert(key, bytes.as_slice()).map_err(backend)?;
            }
            None => {
                table.remove(key).map_err(backend)?;
            }
        }
    }
    txn.commit().map_err(backend)
}

/// Every value under `owner` in an (owner, id) table, in key order.
fn list_owned<T: serde::de::DeserializeOwned>(
    db: &Database,
    table: TableDefinition<(&str, &str), &[u8]>,
    owner: &str,
) -> Result<Vec<T>, StoreError> {
    let txn = db.begin_read().map_err(backend)?;
    let table = txn.open_table(table).map_err(backend)?;
    let mut found = Vec::new();
    for entry in table.range((owner, "")..).map_err(backend)? {
        let (key, value) = entry.map_err(backend)?;
        if key.value().0 != owner {
            break;
        }
        found.push(decode(value.value())?);
    }
    Ok(found)
}

/// The value at (owner, id); `NotFound` when absent.
fn read_owned<T: serde::de::DeserializeOwned>(
    db: &Database,
    table: TableDefinition<(&str, &str), &[u8]>,
    owner: &str,
    id: &str,
) -> Result<T, StoreError> {
    let txn = db.begin_read().map_err(backend)?;
    let table = txn.open_table(table).map_err(backend)?;
    let found = table.get((owner, id)).map_err(backend)?;
    found.map_or(Err(StoreError::NotFound), |v| decode(v.value()))
}

/// Writes `new` at (owner, id) (removes it for `None`) in one durable transaction, if
/// `allow` accepts the value stored there now: the conditional write every change goes through.
fn change_owned<T: serde::Serialize + serde::de::DeserializeOwned>(
    db: &Database,
    table: TableDefinition<(&str, &str), &[u8]>,
    owner: &str,
    id: &str,
    new: Option<&T>,
    allow: impl FnOnce(Option<T>) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let txn = db.begin_write().map_err(backend)?;
    {
        let mut table = txn.open_table(table).map_err(backend)?;
        let current = table
            .get((owner, id))
            .map_err(backend)?
            .map(|v| decode(v.value()))
            .transpose()?;
        allow(current)?;
        match new {
            Some(value) => {
                table
                    .insert((owner, id), encode(value)?.as_slice())
                    .map_err(backend)?;
            }
            None => {
                table.remove((owner, id)).map_err(backend)?;
            }
        }
    }
    txn.commit().map_err(backend)
}

type OwnedTable<'t> = redb::Table<'t, (&'static str, &'static str), &'static [u8]>;

/// Writes the todo `change` makes of the one stored at (owner, id) (`None`: none), in one
/// durable transaction; `change` also sees the table, to count in the same transaction.
fn change_todo(
    db: &Database,
    owner: &str,
    id: &str,
    change: impl FnOnce(Option<Todo>, &OwnedTable<'_>) -> Result<Todo, StoreError>,
) -> Result<Todo, StoreError> {
    let written = replace_todo(db, owner, id, |current, table| {
        change(current, table).map(Some)
    })?;
    written.ok_or(StoreError::NotFound)
}

/// Replaces the todo at (owner, id) with what `change` makes of it (`None`: removes it), in
/// one durable transaction that also moves its entry in the reminders' time index: the one
/// path every todo write takes.
fn replace_todo(
    db: &Database,
    owner: &str,
    id: &str,
    change: impl FnOnce(Option<Todo>, &OwnedTable<'_>) -> Result<Option<Todo>, StoreError>,
) -> Result<Option<Todo>, StoreError> {
    let txn = db.begin_write().map_err(backend)?;
    let written = {
        let mut table = txn.open_table(TODOS).map_err(backend)?;
        let current: Option<Todo> = table
            .get((owner, id))
            .map_err(backend)?
            .map(|v| decode(v.value()))
            .transpose()?;
        let indexed = current.as_ref().and_then(Todo::indexed_reminder);
        let written = change(current, &table)?;
        match &written {
            Some(todo) => {
                table
                    .insert((owner, id), encode(todo)?.as_slice())
                    .map_err(backend)?;
            }
            None => {
                table.remove((owner, id)).map_err(backend)?;
            }
        }
        let next = written.as_ref().and_then(Todo::indexed_reminder);
        reminders::reindex(&txn, owner, id, indexed, next)?;
        written
    };
    txn.commit().map_err(backend)?;
    Ok(written)
}

/// The part of a stored todo that says whether it is live.
#[derive(serde::Deserialize)]
struct Liveness {
    #[serde(default)]
    deleted_until: Option<serde::de::IgnoredAny>,
}

/// The part of a stored file record its quota counts.
#[derive(serde::Deserialize)]
struct FileSize {
    size: u64,
}

/// The owner's live todos in `table`, read inside a write transaction: redb runs one at a
/// time, so the count holds until that transaction commits.
fn live_todos(table: &OwnedTable<'_>, owner: &str) -> Result<usize, StoreError> {
    let mut live = 0;
    for entry in table.range((owner, "")..).map_err(backend)? {
        let (key, value) = entry.map_err(backend)?;
        if key.value().0 != owner {
            break;
        }
        let todo: Liveness = decode(value.value())?;
        live += usize::from(todo.deleted_until.is_none());
    }
    Ok(live)
}

fn must_be_new<T>(current: Option<T>) -> Result<(), StoreError> {
    current.map_or(Ok(()), |_| Err(StoreError::AlreadyExists))
}

fn must_exist<T>(current: Option<T>) -> Result<(), StoreError> {
    current.map(|_| ()).ok_or(StoreError::NotFound)
}

/// Present, and (when `expected` is given) still at that version.
fn must_be_at(current: Option<Todo>, expected: Option<u64>) -> Result<(), StoreError> {
    let current = current.ok_or(StoreError::NotFound)?.version;
    match expected {
        Some(expected) if expected != current => Err(StoreError::VersionConflict { current }),
        _ => Ok(()),
    }
}

#[async_trait]
impl Store for EmbeddedStore {
    async fn list_todo_records(&self, owner: &UserId) -> Result<Vec<Todo>, StoreError> {
        Ok(self.list_todo_records_shared(owner).await?.as_ref().clone())
    }

    async fn list_todo_records_shared(&self, owner: &UserId) -> Result<Arc<Vec<Todo>>, StoreError> {
        let generation = self.todos.generation(owner.as_str());
        if let Some(list) = self.todos.get(owner.as_str(), generation) {
            return Ok(list);
        }
        let key = owner.as_str().to_owned();
        let list: Arc<Vec<Todo>> =
            Arc::new(self.blocking(move |db| list_owned(db, TODOS, &key)).await?);
        self.todos.put(owner.as_str(), generation, list.clone());
        Ok(list)
    }

    async fn get_todo_record(&self, owner: &UserId, id: TodoId) -> Result<Todo, StoreError> {
        let owner = owner.as_str().to_owned();
        self.blocking(move |db| read_owned(db, TODOS, &owner, &id.to_string()))
            .await
    }

    async fn create_todo_within(&self, todo: &Todo, max_live: usize) -> Result<(), StoreError> {
        let (todo, cache) = (todo.clone(), self.todos.clone());
        self.blocking(move |db| {
            let (owner, id) = (todo.owner.as_str(), todo.id.to_string());
            let written = change_todo(db, owner, &id, |current, table| {
                must_be_new(current)?;
                if todo.is_live() && live_todos(table, owner)? >= max_live {
                    return Err(StoreError::LimitReached);
                }
                Ok(todo.clone())
            });
            // Here, not after the await: it must happen even if the caller went away.
            cache.written(owner);
            written.map(|_| ())
        })
        .await
    }

    async fn trash_todo(
        &self,
        owner: &UserId,
        id: TodoId,
        expected_version: Option<u64>,
        until: Timestamp,
    ) -> Result<Todo, StoreError> {
        let (owner, cache) = (owner.as_str().to_owned(), self.todos.clone());
        self.blocking(move |db| {
            let written = change_todo(db, &owner, &id.to_string(), |current, _| {
                let current = current.filter(Todo::is_live).ok_or(StoreError::NotFound)?;
                must_be_at(Some(current.clone()), expected_version)?;
                Ok(current.trashed(until))
            });
            cache.written(&owner);
            written
        })
        .await
    }

    async fn restore_todo_within(
        &self,
        owner: &UserId,
        id: TodoId,
        now: Timestamp,
        max_live: usize,
    ) -> Result<Todo, StoreError> {
        let (owner, cache) = (owner.as_str().to_owned(), self.todos.clone());
        self.blocking(move |db| {
            let written = change_todo(db, &owner, &id.to_string(), |current, table| {
                let current = current
                    .filter(|todo| todo.is_restorable_at(now))
                    .ok_or(StoreError::NotFound)?;
                if live_todos(table, &owner)? >= max_live {
                    return Err(StoreError::LimitReached);
                }
                Ok(current.restored())
            });
            cache.written(&owner);
            written
        })
        .await
    }

    async fn update_todo(&self, todo: &Todo, expected_version: u64) -> Result<(), StoreError> {
        let (todo, cache) = (todo.clone(), self.todos.clone());
        self.blocking(move |db| {
            let written = replace_todo(
                db,
                todo.owner.as_str(),
                &todo.id.to_string(),
                |current, _| {
                    must_be_at(current, Some(expected_version))?;
                    Ok(Some(todo.clone()))
                },
            );
            cache.written(todo.owner.as_str());
            written.map(drop)
        })
        .await
    }

    async fn delete_todo(
        &self,
        owner: &UserId,
        id: TodoId,
        expected_version: Option<u64>,
    ) -> Result<(), StoreError> {
        let (owner, cache) = (owner.as_str().to_owned(), self.todos.clone());
        self.blocking(move |db| {
            let written = replace_todo(db, &owner, &id.to_string(), |current, _| {
                must_be_at(current, expected_version)?;
                Ok(None)
            });
            cache.written(&owner);
            written.map(drop)
        })
        .await
    }

    async fn get_profile(&self, owner: &UserId) -> Result<Profile, StoreError> {
        let owner = owner.as_str().to_owned();
        self.blocking(move |db| read_json(db, PROFILES, &owner))
            .await
            .map(Option::unwrap_or_default)
    }

    async fn put_profile(&self, owner: &UserId, profile: &Profile) -> Result<(), StoreError> {
        let (owner, bytes) = (owner.as_str().to_owned(), encode(profile)?);
        self.blocking(move |db| write_json(db, PROFILES, &owner, Some(bytes)))
            .await
    }

    async fn latest_chat_session(&self, owner: &UserId) -> Result<Option<ChatSession>, StoreError> {
        let owner = owner.as_str().to_owned();
        self.blocking(move |db| {
            let mut summaries: Vec<ChatSummary> = list_owned(db, CONVERSATION_INDEX, &owner)?;
            newest_first(&mut summaries);
            match summaries.first() {
                Some(latest) => read_conversation(db, &owner, &latest.session_id.to_string()),
                None => Ok(None),
            }
        })
        .await
    }

    async fn get_chat_session(
        &self,
        owner: &UserId,
        session_id: ConversationId,
    ) -> Result<Option<ChatSession>, StoreError> {
        let (owner, id) = (owner.as_str().to_owned(), session_id.to_string());
        self.blocking(move |db| read_conversation(db, &owner, &id))
            .await
    }

    async fn save_chat_session(&self, session: &ChatSession) -> Result<(), StoreError> {
        let owner = session.owner.as_str().to_owned();
        let id = session.session_id.to_string();
        let bytes = encode(session)?;
        let summary = encode(&session.summary())?;
        self.blocking(move |db| {
            let txn = db.begin_write().map_err(backend)?;
            {
                let mut table = txn.open_table(CONVERSATIONS).map_err(backend)?;
                table
                    .insert((owner.as_str(), id.as_str()), bytes.as_slice())
                    .map_err(backend)?;
                let mut index = txn.open_table(CONVERSATION_INDEX).map_err(backend)?;
                index
                    .insert((owner.as_str(), id.as_str()), summary.as_slice())
                    .map_err(backend)?;
            }
            txn.commit().map_err(backend)
        })
        .await
    }

    async fn list_chat_sessions(
        &self,
        owner: &UserId,
        after: Option<ConversationCursor>,
        limit: usize,
        now: Timestamp,
    ) -> Result<ConversationPage, StoreError> {
        let owner = owner.as_str().to_owned();
        let summaries: Vec<ChatSummary> = self
            .blocking({
                let owner = owner.clone();
                move |db| list_owned(db, CONVERSATION_INDEX, &owner)
            })
            .await?;
        let (mut kept, gone): (Vec<_>, Vec<_>) = summaries
            .into_iter()
            .partition(|s| s.purge_at > now.as_second());
        if !gone.is_empty() {
            // What DynamoDB's TTL does there: past retention, the conversation goes.
            self.blocking(move |db| {
                for summary in gone {
                    remove_conversation(db, &owner, &summary.session_id.to_string())?;
                }
                Ok(())
            })
            .await?;
        }
        kept.retain(|s| s.message_count > 0);
        newest_first(&mut kept);
        let mut page: Vec<ChatSummary> = kept
            .into_iter()
            .filter(|s| after.as_ref().is_none_or(|c| c.precedes(s)))
            .take(limit + 1)
            .collect();
        let more = page.len() > limit;
        page.truncate(limit);
        Ok(ConversationPage {
            next: page.last().filter(|_| more).map(ConversationCursor::after),
            conversations: page,
        })
    }

    async fn delete_chat_session(
        &self,
        owner: &UserId,
        session_id: ConversationId,
    ) -> Result<(), StoreError> {
        let (owner, id) = (owner.as_str().to_owned(), session_id.to_string());
        self.blocking(move |db| {
            if remove_conversation(db, &owner, &id)? {
                Ok(())
            } else {
                Err(StoreError::NotFound)
            }
        })
        .await
    }

    async fn put_connection(&self, record: &ConnectionRecord) -> Result<(), StoreError> {
        let id = record.connection_id.to_string();
        let bytes = encode(record)?;
        self.blocking(move |db| write_json(db, CONNECTIONS, &id, Some(bytes)))
            .await
    }

    async fn get_connection(
        &self,
        connection_id: ConnectionId,
    ) -> Result<Option<ConnectionRecord>, StoreError> {
        let id = connection_id.to_string();
        self.blocking(move |db| read_json(db, CONNECTIONS, &id))
            .await
    }

    async fn list_connections(&self, owner: &UserId) -> Result<Vec<ConnectionRecord>, StoreError> {
        let owner = owner.clone();
        self.blocking(move |db| {
            let txn = db.begin_read().map_err(backend)?;
            let table = txn.open_table(CONNECTIONS).map_err(backend)?;
            let mut found = Vec::new();
            // Few connections exist at once on one machine; a scan is fine for the embedded store.
            for entry in table.iter().map_err(backend)? {
                let (_, value) = entry.map_err(backend)?;
                let record: ConnectionRecord = decode(value.value())?;
                if record.owner == owner {
                    found.push(record);
                }
            }
            Ok(found)
        })
        .await
    }

    async fn delete_connection(&self, connection_id: ConnectionId) -> Result<(), StoreError> {
        let id = connection_id.to_string();
        self.blocking(move |db| write_json(db, CONNECTIONS, &id, None))
            .await
    }

    async fn create_file_within(
        &self,
        file: &FileRecord,
        max_files: usize,
        max_bytes: u64,
    ) -> Result<(), StoreError> {
        let file = file.clone();
        self.blocking(move |db| {
            let (owner, id) = (file.owner.as_str(), file.id.to_string());
            let txn = db.begin_write().map_err(backend)?;
            {
                let mut table = txn.open_table(FILES).map_err(backend)?;
                if table.get((owner, id.as_str())).map_err(backend)?.is_some() {
                    return Err(StoreError::AlreadyExists);
                }
                // Counted inside the write transaction: redb runs one at a time, so no other
                // create can pass the quota between this count and the commit.
                let (mut count, mut bytes) = (0usize, 0u64);
                for entry in table.range((owner, "")..).map_err(backend)? {
                    let (key, value) = entry.map_err(backend)?;
                    if key.value().0 != owner {
                        break;
                    }
                    let held: FileSize = decode(value.value())?;
                    count += 1;
                    bytes = bytes.saturating_add(held.size);
                }
                if count >= max_files || bytes.saturating_add(file.size) > max_bytes {
                    return Err(StoreError::LimitReached);
                }
                table
                    .insert((owner, id.as_str()), encode(&file)?.as_slice())
                    .map_err(backend)?;
            }
            txn.commit().map_err(backend)
        })
        .await
    }

    async fn get_file(&self, owner: &UserId, id: FileId) -> Result<FileRecord, StoreError> {
        let owner = owner.as_str().to_owned();
        self.blocking(move |db| read_owned(db, FILES, &owner, &id.to_string()))
            .await
    }

    async fn update_file(
        &self,
        file: &FileRecord,
        expected: &FileRecord,
    ) -> Result<(), StoreError> {
        let (file, expected) = (file.clone(), expected.clone());
        self.blocking(move |db| {
            change_owned(
                db,
                FILES,
                file.owner.as_str(),
                &file.id.to_string(),
                Some(&file),
                |current: Option<FileRecord>| match current {
                    None => Err(StoreError::NotFound),
                    Some(current)
                        if current.todo_id == expected.todo_id
                            && current.uploaded == expected.uploaded =>
                    {
                        Ok(())
                    }
                    Some(_) => Err(StoreError::Changed),
                },
            )
        })
        .await
    }

    async fn list_files(&self, owner: &UserId) -> Result<Vec<FileRecord>, StoreError> {
        let owner = owner.as_str().to_owned();
        self.blocking(move |db| list_owned(db, FILES, &owner)).await
    }

    async fn delete_file(&self, owner: &UserId, id: FileId) -> Result<(), StoreError> {
        let owner = owner.as_str().to_owned();
        self.blocking(move |db| {
            change_owned(
                db,
                FILES,
                &owner,
                &id.to_string(),
                None::<&FileRecord>,
                must_exist::<FileRecord>,
            )
        })
        .await
    }

    async fn list_lists(&self, owner: &UserId) -> Result<Vec<TodoList>, StoreError> {
        self.lists_of(owner).await
    }

    async fn get_list(&self, owner: &UserId, id: ListId) -> Result<TodoList, StoreError> {
        self.list_of(owner, id).await
    }

    async fn create_list_within(
        &self,
        list: &TodoList,
        max_lists: usize,
    ) -> Result<(), StoreError> {
        self.create_list_checked(list, max_lists).await
    }

    async fn update_list(&self, list: &TodoList, expected_version: u64) -> Result<(), StoreError> {
        self.update_list_checked(list, expected_version).await
    }

    async fn delete_list(&self, owner: &UserId, id: ListId) -> Result<(), StoreError> {
        self.delete_list_record(owner, id).await
    }

    async fn get_entry(&self, key: &str, now: Timestamp) -> Result<Option<Entry>, StoreError> {
        // Read here, not on the blocking pool: one small value from redb's page cache takes
        // microseconds, the hop to another thread and back costs more (two context switches
        // on a busy core), and leases, tickets and rate windows are read on every turn.
        let found: Option<Entry> = read_json(&self.db, ENTRIES, key)?;
        Ok(found.filter(|entry| entry.is_live(now)))
    }

    async fn put_entry(
        &self,
        entry: &Entry,
        expected: Option<u64>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let key = entry.key.clone();
        let entry = entry.clone();
        self.blocking(move |db| {
            change_entry(db, &entry.key.clone(), Some(&entry), |current| {
                match (current.filter(|c| c.is_live(now)), expected) {
                    (None, None) => Ok(()),
                    (Some(current), Some(version)) if current.version == version => Ok(()),
                    _ => Err(StoreError::Changed),
                }
            })
        })
        .await?;
        self.watchers.changed(&key);
        Ok(())
    }

    async fn delete_entry(
        &self,
        key: &str,
        expected: u64,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let owned = key.to_owned();
        self.blocking(move |db| {
            change_entry(db, &owned, None, |current| match current {
                Some(current) if current.is_live(now) && current.version == expected => Ok(()),
                _ => Err(StoreError::Changed),
            })
        })
        .await?;
        self.watchers.changed(key);
        Ok(())
    }

    async fn get_change(
        &self,
        owner: &UserId,
        id: ChangeId,
        now: Timestamp,
    ) -> Result<Option<Entry>, StoreError> {
        self.change_of(owner, id, now).await
    }

    async fn put_change(
        &self,
        owner: &UserId,
        id: ChangeId,
        entry: &Entry,
        expected: Option<u64>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.put_change_checked(owner, id, entry, expected, now)
            .await
    }

    async fn list_changes(
        &self,
        owner: &UserId,
        before: Option<ChangeId>,
        limit: usize,
        now: Timestamp,
    ) -> Result<Vec<Entry>, StoreError> {
        self.changes_of(owner, before, limit, now).await
    }

    async fn create_access_token(
        &self,
        token: &AccessToken,
        max_held: usize,
    ) -> Result<(), StoreError> {
        self.create_token_checked(token, max_held).await
    }

    async fn list_access_tokens(&self, owner: &UserId) -> Result<Vec<AccessToken>, StoreError> {
        self.tokens_of(owner).await
    }

    async fn find_access_token(&self, hash: &TokenHash) -> Result<Option<AccessToken>, StoreError> {
        self.token_by_hash(hash).await
    }

    async fn delete_access_token(
        &self,
        owner: &UserId,
        id: AccessTokenId,
    ) -> Result<(), StoreError> {
        self.revoke_token(owner, id).await
    }

    async fn touch_access_token(
        &self,
        hash: &TokenHash,
        at: Timestamp,
        fresh_after: Timestamp,
    ) -> Result<bool, StoreError> {
        self.touch_token(hash, at, fresh_after).await
    }

    async fn due_reminders(
        &self,
        since: Timestamp,
        now: Timestamp,
        limit: usize,
    ) -> Result<Vec<DueReminder>, StoreError> {
        self.due_reminders_in(since, now, limit).await
    }

    async fn claim_reminder(
        &self,
        claim: &ReminderClaim,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        self.claim_reminder_in(claim, now).await
    }

    async fn list_notifications(
        &self,
        owner: &UserId,
        limit: usize,
        now: Timestamp,
    ) -> Result<Vec<Entry>, StoreError> {
        self.notifications_of(owner, limit, now).await
    }

    async fn put_push_subscription(
        &self,
        subscription: &PushSubscription,
        max_held: usize,
    ) -> Result<bool, StoreError> {
        self.save_subscription(subscription, max_held).await
    }

    async fn list_push_subscriptions(
        &self,
        owner: &UserId,
    ) -> Result<Vec<PushSubscription>, StoreError> {
        self.subscriptions_of(owner).await
    }

    async fn push_subscription_at(
        &self,
        endpoint: &EndpointKey,
    ) -> Result<Option<PushSubscription>, StoreError> {
        self.subscription_at(endpoint).await
    }

    async fn delete_push_subscription(
        &self,
        owner: &UserId,
        endpoint: &EndpointKey,
    ) -> Result<bool, StoreError> {
        self.forget_subscription(owner, endpoint).await
    }

    async fn entry_changed(&self, key: &str, seen: Option<u64>, within: Duration) {
        let watch = self.watchers.watch(key);
        let next = watch.registered();
        // As stored, expired or not: this store has no clock, and an entry that expired at
        // the version seen is found by the caller's own read (bounded by `within`).
        let current: Result<Option<Entry>, _> = read_json(&self.db, ENTRIES, key);
        // Changed already, or unreadable (the caller's own read will say why).
        if !matches!(current, Ok(ref found) if found.as_ref().map(|e| e.version) == seen) {
            return;
        }
        let _ = tokio::time::timeout(within, next).await;
    }
}

/// Writes (`Some`) or removes (`None`) the entry under `key` in one durable transaction, if
/// `allow` accepts the entry stored there now.
fn change_entry(
    db: &Database,
    key: &str,
    new: Option<&Entry>,
    allow: impl FnOnce(Option<Entry>) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let txn = db.begin_write().map_err(backend)?;
    {
        let mut table = txn.open_table(ENTRIES).map_err(backend)?;
        let current = table
            .get(key)
            .map_err(backend)?
            .map(|v| decode(v.value()))
            .transpose()?;
        allow(current)?;
        match new {
            Some(entry) => {
                table
                    .insert(key, encode(entry)?.as_slice())
                    .map_err(backend)?;
            }
            None => {
                table.remove(key).map_err(backend)?;
            }
        }
    }
    txn.commit().map_err(backend)
}

fn read_conversation(
    db: &Database,
    owner: &str,
    id: &str,
) -> Result<Option<ChatSession>, StoreError> {
    let txn = db.begin_read().map_err(backend)?;
    let table = txn.open_table(CONVERSATIONS).map_err(backend)?;
    let found = table.get((owner, id)).map_err(backend)?;
    found.map(|v| decode(v.value())).transpose()
}

/// Removes a conversation and its line in the index; `false` if there was none.
fn remove_conversation(db: &Database, owner: &str, id: &str) -> Result<bool, StoreError> {
    let txn = db.begin_write().map_err(backend)?;
    let existed = {
        let mut table = txn.open_table(CONVERSATIONS).map_err(backend)?;
        let mut index = txn.open_table(CONVERSATION_INDEX).map_err(backend)?;
        let existed = table.remove((owner, id)).map_err(backend)?.is_some();
        index.remove((owner, id)).map_err(backend)?;
        existed
    };
    txn.commit().map_err(backend)?;
    Ok(existed)
}

/// Earlier versions kept one session per user in `CHAT_SESSIONS`; each becomes that user's
/// first conversation, in the same transaction that empties the old table.
fn move_single_sessions(db: &Database) -> Result<(), StoreError> {
    if db
        .begin_read()
        .map_err(backend)?
        .open_table(CHAT_SESSIONS)
        .is_err()
    {
        return Ok(());
    }
    let txn = db.begin_write().map_err(backend)?;
    {
        let Ok(mut old) = txn.open_table(CHAT_SESSIONS) else {
            return Ok(());
        };
        let mut table = txn.open_table(CONVERSATIONS).map_err(backend)?;
        let mut index = txn.open_table(CONVERSATION_INDEX).map_err(backend)?;
        while let Some((_, value)) = old.pop_first().map_err(backend)? {
            let session: ChatSession = decode(value.value())?;
            let id = session.session_id.to_string();
            let key = (session.owner.as_str(), id.as_str());
            table
                .insert(key, encode(&session)?.as_slice())
                .map_err(backend)?;
            index
                .insert(key, encode(&session.summary())?.as_slice())
                .map_err(backend)?;
        }
    }
    txn.delete_table(CHAT_SESSIONS).map_err(backend)?;
    txn.commit().map_err(backend)
}
