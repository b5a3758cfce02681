//! The DynamoDB store (`STORE=dynamodb`). Endpoints, region and credentials come from the
//! standard SDK configuration (`AWS_ENDPOINT_URL_DYNAMODB`, ...); there is no test-only path.
//!
//! Tables (names prefixed with `DYNAMODB_TABLE_PREFIX`):
//! - `todos`: partition key `owner` (the user's sub), sort key `id` (UUIDv7: creation order);
//!   `labels` a list of strings, `priority` a number, `subtasks` a list of maps (each left
//!   out while empty or 4, so items from before them read as none).
//!   Conditional writes: create needs `attribute_not_exists(id)`; update and versioned delete
//!   need `version = :expected`. A user's todos are one Query, paginated.
//! - `chat_conversations`: partition key `owner`, sort key `sessionId`; LSI `updated-index`
//!   (`owner` + `updatedAt`); each conversation's metadata, memory and the list of its
//!   messages in `body`, its removal time in `expiresAt` (the table's TTL attribute);
//!   `chat_messages`: one item per message (`dynamodb_chat.rs`).
//! - `connections`: partition key `connectionId`; GSI `owner-index` on `owner`.
//! - `entries`: partition key `key`; shared state with an expiry (`dynamodb_entries.rs`).
//! - `lists`: partition key `owner`, sort key `id`: each list, a claim on its name (unique
//!   per user) and the list quota's counter, one partition per user (`dynamodb/lists.rs`).
//!
//! - A counter item (`id` = `#count`) per owner in `todos` and `files`: the quotas' counts,
//!   written in the same transaction as what they count (`dynamodb/counted.rs`).
//! - A profile item (`id` = `#profile`) per owner in `todos`: the user's settings (time
//!   zone), in the user's partition so no table is added for one small item.
//!
//! - Reminders (`dynamodb/reminders.rs`): a live todo with a next reminder carries
//!   `remind_minute` (S, the minute, UTC) and `remind_ms` (N), the keys of the sparse GSI
//!   `reminders-index` on `todos`, written with the todo; a sweep queries the due minutes.
//!   Notifications are `#notification#<id>` items in `chat_conversations`.
//! - Change records (`#change#<id>` in `chat_conversations`, `dynamodb/changes.rs`) and
//!   personal access tokens (`pat:<digest>` in `entries`, `#token#<id>` in `lists`,
//!   `dynamodb/tokens.rs`).
//! - Push subscriptions (`#push#<endpoint key>` in `lists`, with the counter `#pushes`;
//!   `dynamodb/push.rs`).
//!
//! No request path scans.

mod changes;
mod counted;
mod lists;
mod push;
mod reminders;
mod tokens;

use std::collections::HashMap;

use async_trait::async_trait;
use aws_sdk_dynamodb::{
    Client,
    types::{
        AttributeDefinition, AttributeValue, BillingMode, GlobalSecondaryIndex, KeySchemaElement,
        KeyType, LocalSecondaryIndex, Projection, ProjectionType, ScalarAttributeType,
        TimeToLiveSpecification, TransactWriteItem, Update,
    },
};
use jiff::Timestamp;
use serde_json::Value;

use super::{
    Store, StoreError,
    dynamodb_chat::{self, Sessions},
    dynamodb_entries::Entries,
};
use crate::domain::{
    AccessToken, AccessTokenId, Cause, ChangeId, ChatSession, ConnectionId, ConnectionRecord,
    ConversationCursor, ConversationId, ConversationPage, DueReminder, EndpointKey, Entry, FileId,
    FileRecord, ListId, Profile, PushSubscription, ReminderClaim, Todo, TodoId, TodoList,
    TokenHash, UserId,
};

/// The sort key of an owner's profile item in `todos` (see the module doc).
const PROFILE_ID: &str = "#profile";

type Item = HashMap<String, AttributeValue>;

pub struct DynamoStore {
    client: Client,
    todos: String,
    chat_conversations: String,
    chat_messages: String,
    connections: String,
    files: String,
    entries: String,
    lists: String,
    /// Items per Query page (`None`: DynamoDB's 1 MB pages). Small in tests, to exercise paging.
    page_limit: Option<i32>,
}

fn backend(err: impl std::error::Error + Send + Sync + 'static) -> StoreError {
    StoreError::Backend(Cause::new(err))
}

fn s(value: &str) -> AttributeValue {
    AttributeValue::S(value.to_owned())
}

/// A JSON object as a DynamoDB item, in native types: strings, numbers and booleans as
/// `S`, `N` and `BOOL`, arrays as lists (`L`: a todo's `labels`, its `subtasks`), objects as
/// maps (`M`: each subtask); nulls are omitted.
fn to_item(value: &Value) -> Item {
    let mut item = Item::new();
    if let Value::Object(map) = value {
        for (key, v) in map {
            if let Some(attribute) = to_attribute(v) {
                item.insert(key.clone(), attribute);
            }
        }
    }
    item
}

fn to_attribute(value: &Value) -> Option<AttributeValue> {
    Some(match value {
        Value::String(text) => AttributeValue::S(text.clone()),
        Value::Number(n) => AttributeValue::N(n.to_string()),
        Value::Bool(b) => AttributeValue::Bool(*b),
        Value::Null => return None,
        Value::Array(values) => AttributeValue::L(values.iter().filter_map(to_attribute).collect()),
        Value::Object(_) => AttributeValue::M(to_item(value)),
    })
}

fn from_item(item: &Item) -> Value {
    let map = item
        .iter()
        .filter_map(|(key, attribute)| Some((key.clone(), from_attribute(attribute)?)))
        .collect();
    Value::Object(map)
}

fn from_attribute(attribute: &AttributeValue) -> Option<Value> {
    Some(match attribute {
        AttributeValue::S(text) => Value::String(text.clone()),
        AttributeValue::N(n) => serde_json::from_str(n).ok()?,
        AttributeValue::Bool(b) => Value::Bool(*b),
        AttributeValue::L(values) => {
            Value::Array(values.iter().filter_map(from_attribute).collect())
        }
        AttributeValue::M(map) => from_item(map),
        _ => return None,
    })
}

fn todo_item(todo: &Todo) -> Result<Item, StoreError> {
    let mut item = to_item(&serde_json::to_value(todo).map_err(backend)?);
    // The time index's keys, only while live (so a deleted todo leaves the index, and its
    // restore, which writes the item again, puts it back).
    if let Some(at) = todo.indexed_reminder() {
        item.extend(reminders::index_keys(at));
    }
    Ok(item)
}

fn todo_from(item: &Item) -> Result<Todo, StoreError> {
    serde_json::from_value(from_item(item)).map_err(backend)
}

fn file_item(file: &FileRecord) -> Result<Item, StoreError> {
    Ok(to_item(&serde_json::to_value(file).map_err(backend)?))
}

fn file_from(item: &Item) -> Result<FileRecord, StoreError> {
    serde_json::from_value(from_item(item)).map_err(backend)
}

fn expected_value(expected: Option<u64>) -> Option<HashMap<String, AttributeValue>> {
    expected.map(|v| HashMap::from([(":expected".to_owned(), AttributeValue::N(v.to_string()))]))
}

const MUST_BE_NEW: &str = "attribute_not_exists(id)";
const MUST_EXIST: &str = "attribute_exists(id)";
const MUST_BE_AT_VERSION: &str = "attribute_exists(id) AND version = :expected";

fn number(item: &Item, key: &str) -> Option<i64> {
    item.get(key)?.as_n().ok()?.parse().ok()
}

fn n(value: impl ToString) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

impl DynamoStore {
    /// An owner's count of the items of one kind they hold (access tokens, push
    /// subscriptions), an item `counter` in their `lists` partition moved by `add` in the
    /// same transaction as the write it counts; with `max`, only while under it, so the
    /// limit holds under races.
    fn held_counter(
        &self,
        owner: &UserId,
        counter: &str,
        add: i64,
        max: Option<usize>,
    ) -> TransactWriteItem {
        let mut update = Update::builder()
            .table_name(&self.lists)
            .key("owner", s(owner.as_str()))
            .key("id", s(counter))
            .update_expression("ADD held :add")
            .expression_attribute_values(":add", n(add));
        if let Some(max) = max {
            update = update
                .condition_expression("attribute_not_exists(held) OR held < :max")
                .expression_attribute_values(":max", n(max));
        }
        let update = update.build().expect("table, key and expression are set");
        TransactWriteItem::builder().update(update).build()
    }
}

impl DynamoStore {
    /// A store on the tables named `<prefix>todos`, `<prefix>chat_conversations`, ...
    pub async fn connect(prefix: &str) -> Self {
        let config = aws_config::load_from_env().await;
        Self::with_client(Client::new(&config), prefix)
    }

    pub fn with_client(client: Client, prefix: &str) -> Self {
        Self {
            client,
            todos: format!("{prefix}todos"),
            chat_conversations: format!("{prefix}chat_conversations"),
            chat_messages: format!("{prefix}chat_messages"),
            connections: format!("{prefix}connections"),
            files: format!("{prefix}files"),
            entries: format!("{prefix}entries"),
            lists: format!("{prefix}lists"),
            page_limit: None,
        }
    }

    fn sessions(&self) -> Sessions<'_> {
        Sessions {
            client: &self.client,
            sessions: &self.chat_conversations,
            messages: &self.chat_messages,
        }
    }

    fn entries(&self) -> Entries<'_> {
        Entries {
            client: &self.client,
            table: &self.entries,
        }
    }

    /// Limits Query pages to `items`, so pagination is exercised with few items.
    pub fn with_page_limit(mut self, items: i32) -> Self {
        self.page_limit = Some(items);
        self
    }

    /// Creates missing tables (`DYNAMODB_CREATE_TABLES=1`, for local use and tests).
    pub async fn create_tables(&self) -> Result<(), StoreError> {
        let key = |name: &str, kind: KeyType| {
            KeySchemaElement::builder()
                .attribute_name(name)
                .key_type(kind)
                .build()
                .map_err(backend)
        };
        let attribute = |name: &str| {
            AttributeDefinition::builder()
                .attribute_name(name)
                .attribute_type(ScalarAttributeType::S)
                .build()
                .map_err(backend)
        };
        let tables = [
            (
                &self.todos,
                vec![key("owner", KeyType::Hash)?, key("id", KeyType::Range)?],
                vec![
                    attribute("owner")?,
                    attribute("id")?,
                    attribute(reminders::MINUTE)?,
                    AttributeDefinition::builder()
                        .attribute_name(reminders::MS)
                        .attribute_type(ScalarAttributeType::N)
                        .build()
                        .map_err(backend)?,
                ],
                Some(
                    GlobalSecondaryIndex::builder()
                        .index_name(reminders::INDEX)
                        .key_schema(key(reminders::MINUTE, KeyType::Hash)?)
                        .key_schema(key(reminders::MS, KeyType::Range)?)
                        .projection(
                            Projection::builder()
                                .projection_type(ProjectionType::KeysOnly)
                                .build(),
                        )
                        .build()
                        .map_err(backend)?,
                ),
            ),
            (
                &self.files,
                vec![key("owner", KeyType::Hash)?, key("id", KeyType::Range)?],
                vec![attribute("owner")?, attribute("id")?],
                None,
            ),
            (
                &self.lists,
                vec![key("owner", KeyType::Hash)?, key("id", KeyType::Range)?],
                vec![attribute("owner")?, attribute("id")?],
                None,
            ),
            (
                &self.chat_conversations,
                vec![
                    key("owner", KeyType::Hash)?,
                    key("sessionId", KeyType::Range)?,
                ],
                vec![
                    attribute("owner")?,
                    attribute("sessionId")?,
                    AttributeDefinition::builder()
                        .attribute_name("updatedAt")
                        .attribute_type(ScalarAttributeType::N)
                        .build()
                        .map_err(backend)?,
                ],
                None,
            ),
            (
                &self.chat_messages,
                vec![
                    key("sessionId", KeyType::Hash)?,
                    key("hash", KeyType::Range)?,
                ],
                vec![attribute("sessionId")?, attribute("hash")?],
                None,
            ),
            (
                &self.entries,
                vec![key("key", KeyType::Hash)?],
                vec![attribute("key")?],
                None,
            ),
            (
                &self.connections,
                vec![key("connectionId", KeyType::Hash)?],
                vec![attribute("connectionId")?, attribute("owner")?],
                Some(
                    GlobalSecondaryIndex::builder()
                        .index_name("owner-index")
                        .key_schema(key("owner", KeyType::Hash)?)
                        .projection(
                            Projection::builder()
                                .projection_type(ProjectionType::All)
                                .build(),
                        )
                        .build()
                        .map_err(backend)?,
                ),
            ),
        ];
        let updated_index = LocalSecondaryIndex::builder()
            .index_name(dynamodb_chat::UPDATED_INDEX)
            .key_schema(key("owner", KeyType::Hash)?)
            .key_schema(key("updatedAt", KeyType::Range)?)
            .projection(
                Projection::builder()
                    .projection_type(ProjectionType::Include)
                    .set_non_key_attributes(Some(
                        dynamodb_chat::UPDATED_INDEX_ATTRIBUTES
                            .map(str::to_owned)
                            .to_vec(),
                    ))
                    .build(),
            )
            .build()
            .map_err(backend)?;
        for (name, keys, attributes, index) in tables {
            let local = (name == &self.chat_conversations).then(|| vec![updated_index.clone()]);
            let created = self
                .client
                .create_table()
                .table_name(name)
                .set_key_schema(Some(keys))
                .set_attribute_definitions(Some(attributes))
                .set_global_secondary_indexes(index.map(|i| vec![i]))
                .set_local_secondary_indexes(local)
                .billing_mode(BillingMode::PayPerRequest)
                .send()
                .await;
            match created {
                Ok(_) => tracing::info!(table = %name, "created DynamoDB table"),
                Err(e)
                    if e.as_service_error()
                        .is_some_and(|e| e.is_resource_in_use_exception()) => {}
                Err(e) => return Err(backend(e)),
            }
        }
        for table in [&self.chat_conversations, &self.chat_messages, &self.entries] {
            let ttl = TimeToLiveSpecification::builder()
                .enabled(true)
                .attribute_name("expiresAt")
                .build()
                .map_err(backend)?;
            if let Err(e) = self
                .client
                .update_time_to_live()
                .table_name(table)
                .time_to_live_specification(ttl)
                .send()
                .await
            {
                // Already enabled is fine; anything else is worth a warning, not a failed start.
                tracing::warn!(error = %Cause::new(e), %table, "TTL not enabled");
            }
        }
        Ok(())
    }

    /// Every item of a Query on `owner` (the table's key, or `index`), following pages.
    async fn query_owner(
        &self,
        table: &str,
        index: Option<&str>,
        owner: &UserId,
    ) -> Result<Vec<Item>, StoreError> {
        let mut items = Vec::new();
        let mut start = None;
        loop {
            let page = self
                .client
                .query()
                .table_name(table)
                .set_index_name(index.map(str::to_owned))
                .key_condition_expression("#o = :o")
                .expression_attribute_names("#o", "owner")
                .expression_attribute_values(":o", s(owner.as_str()))
                .set_limit(self.page_limit)
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(backend)?;
            items.extend(page.items().iter().cloned());
            match page.last_evaluated_key() {
                Some(key) if !key.is_empty() => start = Some(key.clone()),
                _ => return Ok(items),
            }
        }
    }

    /// The item at (owner, id), read consistently.
    async fn get_owned(
        &self,
        table: &str,
        owner: &UserId,
        id: impl std::fmt::Display,
    ) -> Result<Option<Item>, StoreError> {
        let found = self
            .client
            .get_item()
            .table_name(table)
            .key("owner", s(owner.as_str()))
            .key("id", s(&id.to_string()))
            .consistent_read(true)
            .send()
            .await
            .map_err(backend)?;
        Ok(found.item().cloned())
    }

    /// Puts `item` if `condition` holds (`:expected` bound to `expected`); `false` if it did not.
    async fn put_if(
        &self,
        table: &str,
        item: Item,
        condition: &str,
        expected: Option<u64>,
    ) -> Result<bool, StoreError> {
        self.put_when(table, item, condition, expected_value(expected))
            .await
    }

    /// Puts `item` if `condition` holds with `values` bound; `false` if it did not.
    async fn put_when(
        &self,
        table: &str,
        item: Item,
        condition: &str,
        values: Option<HashMap<String, AttributeValue>>,
    ) -> Result<bool, StoreError> {
        let result = self
            .client
            .put_item()
            .table_name(table)
            .set_item(Some(item))
            .condition_expression(condition)
            .set_expression_attribute_values(values)
            .send()
            .await;
        match result {
            Ok(_) => Ok(true),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|e| e.is_conditional_check_failed_exception()) =>
            {
                Ok(false)
            }
            Err(e) => Err(backend(e)),
        }
    }

    /// Deletes (owner, id) if `condition` holds; `false` if it did not.
    async fn delete_if(
        &self,
        table: &str,
        owner: &UserId,
        id: impl std::fmt::Display,
        condition: &str,
        expected: Option<u64>,
    ) -> Result<bool, StoreError> {
        let result = self
            .client
            .delete_item()
            .table_name(table)
            .key("owner", s(owner.as_str()))
            .key("id", s(&id.to_string()))
            .condition_expression(condition)
            .set_expression_attribute_values(expected_value(expected))
            .send()
            .await;
        match result {
            Ok(_) => Ok(true),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|e| e.is_conditional_check_failed_exception()) =>
            {
                Ok(false)
            }
            Err(e) => Err(backend(e)),
        }
    }

    async fn current_version(&self, owner: &UserId, id: TodoId) -> Result<Option<u64>, StoreError> {
        match self.get_todo_record(owner, id).await {
            Ok(todo) => Ok(Some(todo.version)),
            Err(StoreError::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// After a failed condition: was the todo missing, or at another version?
    async fn explain_failed_condition(&self, owner: &UserId, id: TodoId) -> StoreError {
        match self.current_version(owner, id).await {
            Ok(Some(current)) => StoreError::VersionConflict { current },
            Ok(None) => StoreError::NotFound,
            Err(e) => e,
        }
    }
}

#[async_trait]
impl Store for DynamoStore {
    async fn list_todo_records(&self, owner: &UserId) -> Result<Vec<Todo>, StoreError> {
        self.query_owner(&self.todos, None, owner)
            .await?
            .iter()
            .filter(|item| !counted::is_counter(item))
            .map(todo_from)
            .collect()
    }

    async fn get_profile(&self, owner: &UserId) -> Result<Profile, StoreError> {
        match self.get_owned(&self.todos, owner, PROFILE_ID).await? {
            Some(item) => serde_json::from_value(from_item(&item)).map_err(backend),
            None => Ok(Profile::default()),
        }
    }

    async fn put_profile(&self, owner: &UserId, profile: &Profile) -> Result<(), StoreError> {
        let mut item = to_item(&serde_json::to_value(profile).map_err(backend)?);
        item.insert("owner".into(), s(owner.as_str()));
        item.insert("id".into(), s(PROFILE_ID));
        self.client
            .put_item()
            .table_name(&self.todos)
            .set_item(Some(item))
            .send()
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn get_todo_record(&self, owner: &UserId, id: TodoId) -> Result<Todo, StoreError> {
        self.get_owned(&self.todos, owner, id)
            .await?
            .map_or(Err(StoreError::NotFound), |i| todo_from(&i))
    }

    async fn create_todo_within(&self, todo: &Todo, max_live: usize) -> Result<(), StoreError> {
        self.create_todo_counted(todo, max_live).await
    }

    async fn trash_todo(
        &self,
        owner: &UserId,
        id: TodoId,
        expected_version: Option<u64>,
        until: jiff::Timestamp,
    ) -> Result<Todo, StoreError> {
        self.trash_counted(owner, id, expected_version, until).await
    }

    async fn restore_todo_within(
        &self,
        owner: &UserId,
        id: TodoId,
        now: jiff::Timestamp,
        max_live: usize,
    ) -> Result<Todo, StoreError> {
        self.restore_counted(owner, id, now, max_live).await
    }

    async fn update_todo(&self, todo: &Todo, expected_version: u64) -> Result<(), StoreError> {
        if self
            .put_if(
                &self.todos,
                todo_item(todo)?,
                MUST_BE_AT_VERSION,
                Some(expected_version),
            )
            .await?
        {
            Ok(())
        } else {
            Err(self.explain_failed_condition(&todo.owner, todo.id).await)
        }
    }

    async fn delete_todo(
        &self,
        owner: &UserId,
        id: TodoId,
        expected_version: Option<u64>,
    ) -> Result<(), StoreError> {
        self.delete_counted(owner, id, expected_version).await
    }

    async fn latest_chat_session(&self, owner: &UserId) -> Result<Option<ChatSession>, StoreError> {
        self.sessions().latest(owner).await
    }

    async fn get_chat_session(
        &self,
        owner: &UserId,
        session_id: ConversationId,
    ) -> Result<Option<ChatSession>, StoreError> {
        self.sessions().load(owner, session_id).await
    }

    async fn list_chat_sessions(
        &self,
        owner: &UserId,
        after: Option<ConversationCursor>,
        limit: usize,
        now: jiff::Timestamp,
    ) -> Result<ConversationPage, StoreError> {
        self.sessions().list(owner, after, limit, now).await
    }

    async fn delete_chat_session(
        &self,
        owner: &UserId,
        session_id: ConversationId,
    ) -> Result<(), StoreError> {
        self.sessions().delete(owner, session_id).await
    }

    async fn save_chat_session(&self, session: &ChatSession) -> Result<(), StoreError> {
        self.sessions().save(session).await
    }

    async fn put_connection(&self, record: &ConnectionRecord) -> Result<(), StoreError> {
        self.client
            .put_item()
            .table_name(&self.connections)
            .item("connectionId", s(&record.connection_id.to_string()))
            .item("owner", s(record.owner.as_str()))
            .item("sessionId", s(&record.session_id.to_string()))
            .item(
                "connectedAt",
                AttributeValue::N(record.connected_at.to_string()),
            )
            .send()
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn get_connection(
        &self,
        connection_id: ConnectionId,
    ) -> Result<Option<ConnectionRecord>, StoreError> {
        let found = self
            .client
            .get_item()
            .table_name(&self.connections)
            .key("connectionId", s(&connection_id.to_string()))
            .consistent_read(true)
            .send()
            .await
            .map_err(backend)?;
        Ok(found.item().and_then(connection_from))
    }

    async fn list_connections(&self, owner: &UserId) -> Result<Vec<ConnectionRecord>, StoreError> {
        let items = self
            .query_owner(&self.connections, Some("owner-index"), owner)
            .await?;
        Ok(items.iter().filter_map(connection_from).collect())
    }

    async fn delete_connection(&self, connection_id: ConnectionId) -> Result<(), StoreError> {
        self.client
            .delete_item()
            .table_name(&self.connections)
            .key("connectionId", s(&connection_id.to_string()))
            .send()
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn create_file_within(
        &self,
        file: &FileRecord,
        max_files: usize,
        max_bytes: u64,
    ) -> Result<(), StoreError> {
        self.create_file_counted(file, max_files, max_bytes).await
    }

    async fn get_file(&self, owner: &UserId, id: FileId) -> Result<FileRecord, StoreError> {
        self.get_owned(&self.files, owner, id)
            .await?
            .map_or(Err(StoreError::NotFound), |i| file_from(&i))
    }

    async fn update_file(
        &self,
        file: &FileRecord,
        expected: &FileRecord,
    ) -> Result<(), StoreError> {
        let mut values = HashMap::from([(
            ":uploaded".to_owned(),
            AttributeValue::Bool(expected.uploaded),
        )]);
        let todo = match expected.todo_id {
            Some(todo) => {
                values.insert(":todo".into(), s(&todo.to_string()));
                "todo_id = :todo"
            }
            None => "attribute_not_exists(todo_id)",
        };
        let condition = format!("attribute_exists(id) AND uploaded = :uploaded AND {todo}");
        let written = self
            .put_when(&self.files, file_item(file)?, &condition, Some(values))
            .await?;
        if written {
            return Ok(());
        }
        // Tell "gone" from "changed meanwhile" with a consistent read.
        match self.get_owned(&self.files, &file.owner, file.id).await? {
            None => Err(StoreError::NotFound),
            Some(_) => Err(StoreError::Changed),
        }
    }

    async fn list_files(&self, owner: &UserId) -> Result<Vec<FileRecord>, StoreError> {
        let items = self.query_owner(&self.files, None, owner).await?;
        items
            .iter()
            .filter(|item| !counted::is_counter(item))
            .map(file_from)
            .collect()
    }

    async fn delete_file(&self, owner: &UserId, id: FileId) -> Result<(), StoreError> {
        self.delete_file_counted(owner, id).await
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
        self.create_list_counted(list, max_lists).await
    }

    async fn update_list(&self, list: &TodoList, expected_version: u64) -> Result<(), StoreError> {
        self.update_list_checked(list, expected_version).await
    }

    async fn delete_list(&self, owner: &UserId, id: ListId) -> Result<(), StoreError> {
        self.delete_list_counted(owner, id).await
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
        self.create_token_counted(token, max_held).await
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

    async fn get_entry(
        &self,
        key: &str,
        now: jiff::Timestamp,
    ) -> Result<Option<Entry>, StoreError> {
        self.entries().get(key, now).await
    }

    async fn put_entry(
        &self,
        entry: &Entry,
        expected: Option<u64>,
        now: jiff::Timestamp,
    ) -> Result<(), StoreError> {
        self.entries().put(entry, expected, now).await
    }

    async fn delete_entry(
        &self,
        key: &str,
        expected: u64,
        now: jiff::Timestamp,
    ) -> Result<(), StoreError> {
        self.entries().delete(key, expected, now).await
    }
}

fn connection_from(item: &Item) -> Option<ConnectionRecord> {
    let text = |key: &str| item.get(key).and_then(|v| v.as_s().ok()).cloned();
    Some(ConnectionRecord {
        connection_id: ConnectionId::parse(&text("connectionId")?).ok()?,
        owner: UserId::from_verified_sub(text("owner")?),
        session_id: ConversationId::parse(&text("sessionId")?).ok()?,
        connected_at: number(item, "connectedAt")?,
    })
}
