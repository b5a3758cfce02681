//! A failure midway through an import's writes leaves the account exactly as before, for
//! an export document and a Todoist CSV alike: the store below refuses one write (the k-th
//! todo, or the list), so the failure comes at a known place instead of from a race, and
//! the account's records (deleted ones included) and lists are compared with what they were.

use std::{sync::Mutex, time::Duration};

use async_trait::async_trait;
use jiff::Timestamp;
use serde_json::json;
use server::{
    domain::{
        AccessToken, AccessTokenId, ChangeId, ChatSession, ConnectionId, ConnectionRecord,
        ConversationCursor, ConversationId, ConversationPage, DueReminder, EndpointKey, Entry,
        FileId, FileRecord, ListId, Profile, PushSubscription, Quotas, ReminderClaim, Todo, TodoId,
        TodoList, TokenHash, UserId,
    },
    store::{Store, StoreError, embedded::EmbeddedStore},
    todos::{
        todoist,
        transfer::{self, ImportDocument, ImportError},
    },
};

/// The embedded store, refusing the todo write after `todos_left` successful ones, or
/// every list write.
struct FailingStore {
    inner: EmbeddedStore,
    plan: Mutex<Plan>,
}

#[derive(Default)]
struct Plan {
    /// Todo creations still allowed (`None`: all).
    todos_left: Option<usize>,
    refuse_lists: bool,
    /// Creations that went through (what the undo has to remove).
    written: usize,
}

#[async_trait]
impl Store for FailingStore {
    async fn create_todo_within(&self, todo: &Todo, max_live: usize) -> Result<(), StoreError> {
        {
            let mut plan = self.plan.lock().unwrap();
            match plan.todos_left {
                Some(0) => return Err(StoreError::LimitReached),
                Some(ref mut n) => *n -= 1,
                None => {}
            }
            plan.written += 1;
        }
        self.inner.create_todo_within(todo, max_live).await
    }

    async fn create_list_within(
        &self,
        list: &TodoList,
        max_lists: usize,
    ) -> Result<(), StoreError> {
        {
            let mut plan = self.plan.lock().unwrap();
            if plan.refuse_lists {
                return Err(StoreError::NameTaken);
            }
            plan.written += 1;
        }
        self.inner.create_list_within(list, max_lists).await
    }

    async fn list_todo_records(&self, owner: &UserId) -> Result<Vec<Todo>, StoreError> {
        self.inner.list_todo_records(owner).await
    }

    async fn get_todo_record(&self, owner: &UserId, id: TodoId) -> Result<Todo, StoreError> {
        self.inner.get_todo_record(owner, id).await
    }

    async fn list_todo_records_shared(
        &self,
        owner: &UserId,
    ) -> Result<std::sync::Arc<Vec<Todo>>, StoreError> {
        self.inner.list_todo_records_shared(owner).await
    }

    async fn list_todos(&self, owner: &UserId) -> Result<Vec<Todo>, StoreError> {
        self.inner.list_todos(owner).await
    }

    async fn get_todo(&self, owner: &UserId, id: TodoId) -> Result<Todo, StoreError> {
        self.inner.get_todo(owner, id).await
    }

    async fn create_todo(&self, todo: &Todo) -> Result<(), StoreError> {
        self.inner.create_todo(todo).await
    }

    async fn update_todo(&self, todo: &Todo, expected_version: u64) -> Result<(), StoreError> {
        self.inner.update_todo(todo, expected_version).await
    }

    async fn trash_todo(
        &self,
        owner: &UserId,
        id: TodoId,
        expected_version: Option<u64>,
        until: Timestamp,
    ) -> Result<Todo, StoreError> {
        self.inner
            .trash_todo(owner, id, expected_version, until)
            .await
    }

    async fn restore_todo(
        &self,
        owner: &UserId,
        id: TodoId,
        now: Timestamp,
    ) -> Result<Todo, StoreError> {
        self.inner.restore_todo(owner, id, now).await
    }

    async fn restore_todo_within(
        &self,
        owner: &UserId,
        id: TodoId,
        now: Timestamp,
        max_live: usize,
    ) -> Result<Todo, StoreError> {
        self.inner
            .restore_todo_within(owner, id, now, max_live)
            .await
    }

    async fn delete_todo(
        &self,
        owner: &UserId,
        id: TodoId,
        expected_version: Option<u64>,
    ) -> Result<(), StoreError> {
        self.inner.delete_todo(owner, id, expected_version).await
    }

    async fn get_profile(&self, owner: &UserId) -> Result<Profile, StoreError> {
        self.inner.get_profile(owner).await
    }

    async fn put_profile(&self, owner: &UserId, profile: &Profile) -> Result<(), StoreError> {
        self.inner.put_profile(owner, profile).await
    }

    async fn create_file(&self, file: &FileRecord) -> Result<(), StoreError> {
        self.inner.create_file(file).await
    }

    async fn create_file_within(
        &self,
        file: &FileRecord,
        max_files: usize,
        max_bytes: u64,
    ) -> Result<(), StoreError> {
        self.inner
            .create_file_within(file, max_files, max_bytes)
            .await
    }

    async fn get_file(&self, owner: &UserId, id: FileId) -> Result<FileRecord, StoreError> {
        self.inner.get_file(owner, id).await
    }

    async fn update_file(
        &self,
        file: &FileRecord,
        expected: &FileRecord,
    ) -> Result<(), StoreError> {
        self.inner.update_file(file, expected).await
    }

    async fn list_files(&self, owner: &UserId) -> Result<Vec<FileRecord>, StoreError> {
        self.inner.list_files(owner).await
    }

    async fn list_todo_files(
        &self,
        owner: &UserId,
        todo_id: TodoId,
    ) -> Result<Vec<FileRecord>, StoreError> {
        self.inner.list_todo_files(owner, todo_id).await
    }

    async fn delete_file(&self, owner: &UserId, id: FileId) -> Result<(), StoreError> {
        self.inner.delete_file(owner, id).await
    }

    async fn list_lists(&self, owner: &UserId) -> Result<Vec<TodoList>, StoreError> {
        self.inner.list_lists(owner).await
    }

    async fn get_list(&self, owner: &UserId, id: ListId) -> Result<TodoList, StoreError> {
        self.inner.get_list(owner, id).await
    }

    async fn update_list(&self, list: &TodoList, expected_version: u64) -> Result<(), StoreError> {
        self.inner.update_list(list, expected_version).await
    }

    async fn delete_list(&self, owner: &UserId, id: ListId) -> Result<(), StoreError> {
        self.inner.delete_list(owner, id).await
    }

    async fn latest_chat_session(&self, owner: &UserId) -> Result<Option<ChatSession>, StoreError> {
        self.inner.latest_chat_session(owner).await
    }

    async fn get_chat_session(
        &self,
        owner: &UserId,
        session_id: ConversationId,
    ) -> Result<Option<ChatSession>, StoreError> {
        self.inner.get_chat_session(owner, session_id).await
    }

    async fn save_chat_session(&self, session: &ChatSession) -> Result<(), StoreError> {
        self.inner.save_chat_session(session).await
    }

    async fn list_chat_sessions(
        &self,
        owner: &UserId,
        after: Option<ConversationCursor>,
        limit: usize,
        now: Timestamp,
    ) -> Result<ConversationPage, StoreError> {
        self.inner
            .list_chat_sessions(owner, after, limit, now)
            .await
    }

    async fn delete_chat_session(
        &self,
        owner: &UserId,
        session_id: ConversationId,
    ) -> Result<(), StoreError> {
        self.inner.delete_chat_session(owner, session_id).await
    }

    async fn put_connection(&self, record: &ConnectionRecord) -> Result<(), StoreError> {
        self.inner.put_connection(record).await
    }

    async fn get_connection(
        &self,
        connection_id: ConnectionId,
    ) -> Result<Option<ConnectionRecord>, StoreError> {
        self.inner.get_connection(connection_id).await
    }

    async fn list_connections(&self, owner: &UserId) -> Result<Vec<ConnectionRecord>, StoreError> {
        self.inner.list_connections(owner).await
    }

    async fn delete_connection(&self, connection_id: ConnectionId) -> Result<(), StoreError> {
        self.inner.delete_connection(connection_id).await
    }

    async fn get_change(
        &self,
        owner: &UserId,
        id: ChangeId,
        now: Timestamp,
    ) -> Result<Option<Entry>, StoreError> {
        self.inner.get_change(owner, id, now).await
    }

    async fn put_change(
        &self,
        owner: &UserId,
        id: ChangeId,
        entry: &Entry,
        expected: Option<u64>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.inner.put_change(owner, id, entry, expected, now).await
    }

    async fn list_changes(
        &self,
        owner: &UserId,
        before: Option<ChangeId>,
        limit: usize,
        now: Timestamp,
    ) -> Result<Vec<Entry>, StoreError> {
        self.inner.list_changes(owner, before, limit, now).await
    }

    async fn due_reminders(
        &self,
        since: Timestamp,
        now: Timestamp,
        limit: usize,
    ) -> Result<Vec<DueReminder>, StoreError> {
        self.inner.due_reminders(since, now, limit).await
    }

    async fn claim_reminder(
        &self,
        claim: &ReminderClaim,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        self.inner.claim_reminder(claim, now).await
    }

    async fn list_notifications(
        &self,
        owner: &UserId,
        limit: usize,
        now: Timestamp,
    ) -> Result<Vec<Entry>, StoreError> {
        self.inner.list_notifications(owner, limit, now).await
    }

    async fn create_access_token(
        &self,
        token: &AccessToken,
        max_held: usize,
    ) -> Result<(), StoreError> {
        self.inner.create_access_token(token, max_held).await
    }

    async fn list_access_tokens(&self, owner: &UserId) -> Result<Vec<AccessToken>, StoreError> {
        self.inner.list_access_tokens(owner).await
    }

    async fn find_access_token(&self, hash: &TokenHash) -> Result<Option<AccessToken>, StoreError> {
        self.inner.find_access_token(hash).await
    }

    async fn delete_access_token(
        &self,
        owner: &UserId,
        id: AccessTokenId,
    ) -> Result<(), StoreError> {
        self.inner.delete_access_token(owner, id).await
    }

    async fn touch_access_token(
        &self,
        hash: &TokenHash,
        at: Timestamp,
        fresh_after: Timestamp,
    ) -> Result<bool, StoreError> {
        self.inner.touch_access_token(hash, at, fresh_after).await
    }

    async fn put_push_subscription(
        &self,
        subscription: &PushSubscription,
        max_held: usize,
    ) -> Result<bool, StoreError> {
        self.inner
            .put_push_subscription(subscription, max_held)
            .await
    }

    async fn list_push_subscriptions(
        &self,
        owner: &UserId,
    ) -> Result<Vec<PushSubscription>, StoreError> {
        self.inner.list_push_subscriptions(owner).await
    }

    async fn push_subscription_at(
        &self,
        endpoint: &EndpointKey,
    ) -> Result<Option<PushSubscription>, StoreError> {
        self.inner.push_subscription_at(endpoint).await
    }

    async fn delete_push_subscription(
        &self,
        owner: &UserId,
        endpoint: &EndpointKey,
    ) -> Result<bool, StoreError> {
        self.inner.delete_push_subscription(owner, endpoint).await
    }

    async fn get_entry(&self, key: &str, now: Timestamp) -> Result<Option<Entry>, StoreError> {
        self.inner.get_entry(key, now).await
    }

    async fn put_entry(
        &self,
        entry: &Entry,
        expected: Option<u64>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.inner.put_entry(entry, expected, now).await
    }

    async fn delete_entry(
        &self,
        key: &str,
        expected: u64,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.inner.delete_entry(key, expected, now).await
    }

    async fn entry_changed(&self, key: &str, seen: Option<u64>, within: Duration) {
        self.inner.entry_changed(key, seen, within).await
    }
}

/// Everything of the owner an import could change: every todo record and every list.
async fn account(store: &FailingStore, owner: &UserId) -> (Vec<Todo>, Vec<TodoList>) {
    let mut todos = store.list_todo_records(owner).await.unwrap();
    todos.sort_by_key(|t| t.id.to_string());
    let mut lists = store.list_lists(owner).await.unwrap();
    lists.sort_by_key(|l| l.id.to_string());
    (todos, lists)
}

fn document() -> ImportDocument {
    serde_json::from_value(json!({"version": 1,
        "lists": [{"id": "a", "name": "Trips"}, {"id": "b", "name": "Garden"}],
        "todos": [
            {"title": "Pack", "listId": "a", "labels": ["travel"]},
            {"title": "Book hotel", "listId": "a", "priority": 1},
            {"title": "Water plants", "listId": "b", "dateDue": "2026-12-12",
             "repeat": "every saturday"},
            {"title": "Rake leaves", "listId": "b"},
            {"title": "In the inbox"}]}))
    .unwrap()
}

const CSV: &str = "TYPE,CONTENT,PRIORITY,INDENT,DATE\r\n\
    task,Buy milk @errands,1,1,tomorrow\r\n\
    task,Pack,2,1,\r\n\
    task,Passport,4,2,\r\n\
    task,Call mom,4,1,every sunday\r\n";

/// A store with an account already holding an earlier import, and that account.
async fn seeded() -> (FailingStore, UserId, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = FailingStore {
        inner: EmbeddedStore::open(dir.path()).unwrap(),
        plan: Mutex::new(Plan::default()),
    };
    let owner = UserId::from_verified_sub("rollback-owner");
    let seed = serde_json::from_value(json!({"version": 1,
        "lists": [{"id": "h", "name": "Home"}],
        "todos": [{"title": "Already here", "listId": "h"}, {"title": "Me too"}]}))
    .unwrap();
    transfer::import(&store, &owner, seed, &Quotas::default(), Timestamp::now())
        .await
        .unwrap();
    (store, owner, dir)
}

fn fail_after(store: &FailingStore, todos: usize) {
    *store.plan.lock().unwrap() = Plan {
        todos_left: Some(todos),
        ..Plan::default()
    };
}

fn written(store: &FailingStore) -> usize {
    store.plan.lock().unwrap().written
}

#[tokio::test]
async fn a_document_import_failing_midway_leaves_the_account_as_before() {
    let (store, owner, _dir) = seeded().await;
    let before = account(&store, &owner).await;
    for after in [0, 3] {
        fail_after(&store, after);
        let result = transfer::import(
            &store,
            &owner,
            document(),
            &Quotas::default(),
            Timestamp::now(),
        )
        .await;
        assert!(matches!(result, Err(ImportError::Quota(_))), "{result:?}");
        assert_eq!(
            written(&store),
            2 + after,
            "both lists and {after} todos were written"
        );
        assert_eq!(
            account(&store, &owner).await,
            before,
            "failing after {after} todos"
        );
    }
    store.plan.lock().unwrap().refuse_lists = true;
    let result = transfer::import(
        &store,
        &owner,
        document(),
        &Quotas::default(),
        Timestamp::now(),
    )
    .await;
    assert!(matches!(result, Err(ImportError::Quota(_))), "{result:?}");
    assert_eq!(account(&store, &owner).await, before);
}

#[tokio::test]
async fn a_todoist_import_failing_midway_leaves_the_account_as_before() {
    let (store, owner, _dir) = seeded().await;
    let before = account(&store, &owner).await;
    fail_after(&store, 2);
    let result = todoist::import_csv(
        &store,
        &owner,
        CSV.as_bytes(),
        None,
        &Quotas::default(),
        Timestamp::now(),
    )
    .await;
    assert!(matches!(result, Err(ImportError::Quota(_))), "{result:?}");
    assert_eq!(written(&store), 3, "the list and two todos were written");
    assert_eq!(account(&store, &owner).await, before);
    // And with nothing refused, the same file goes in whole.
    *store.plan.lock().unwrap() = Plan::default();
    let imported = todoist::import_csv(
        &store,
        &owner,
        CSV.as_bytes(),
        None,
        &Quotas::default(),
        Timestamp::now(),
    )
    .await
    .unwrap();
    assert_eq!((imported.lists, imported.todos), (1, 3));
}
