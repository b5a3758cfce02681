//! The `Store` conformance suite, written once. `store_conformance!` instantiates it for one
//! implementation; the DynamoDB store runs the very same cases.

use std::sync::Arc;

use server::{
    domain::{self, Todo, TodoId, UserId},
    store::{Store, StoreError},
};

pub use crate::access_conformance::*;
pub use crate::list_conformance::*;
pub use crate::oauth_conformance::*;
pub use crate::push_conformance::*;
pub use crate::reminder_conformance::*;

pub fn todo(owner: &str, title: &str) -> Todo {
    let at = system_now();
    Todo {
        owner: UserId::from_verified_sub(owner),
        id: TodoId::new(),
        title: domain::TodoTitle::parse(title).unwrap(),
        description: domain::BoundedText::parse("desc", "description", 100).unwrap(),
        notes: Default::default(),
        date_due: Some(domain::DueDate::parse("2026-03-05").unwrap()),
        labels: Default::default(),
        priority: Default::default(),
        subtasks: Default::default(),
        list_id: None,
        due_time: None,
        repeat: None,
        repeat_after_completion: false,
        completions: Default::default(),
        completed: false,
        created_at: at,
        updated_at: at,
        version: 1,
        deleted_until: None,
        search: Default::default(),
        purging: false,
        reminders: Default::default(),
        remind_at: None,
    }
}

fn user(sub: &str) -> UserId {
    UserId::from_verified_sub(sub)
}

fn checklist(
    current: &domain::Subtasks,
    items: &[(Option<usize>, &str, bool)],
) -> domain::Subtasks {
    let ids: Vec<String> = current.iter().map(|s| s.id.to_string()).collect();
    let items: Vec<app::wire::SubtaskInput> = items
        .iter()
        .map(|(keep, title, done)| app::wire::SubtaskInput {
            id: keep.map(|i| ids[i].clone()),
            title: (*title).into(),
            done: *done,
        })
        .collect();
    domain::Subtasks::replace(current, &items).unwrap()
}

/// Labels, priority and subtasks (issue 25) are stored and read back as written: created,
/// changed, back to their defaults, and through a delete and restore.
pub async fn labels_priority_and_subtasks_read_back(store: Arc<dyn Store>) {
    let mut t = todo("olive", "Organized");
    t.labels = domain::Labels::parse(&["errands".into(), "phone".into(), "x_1".into()]).unwrap();
    t.priority = domain::Priority::parse(1).unwrap();
    t.subtasks = checklist(
        &t.subtasks,
        &[(None, "Call", false), (None, "Pay “now”", true)],
    );
    store.create_todo(&t).await.unwrap();
    assert_eq!(store.get_todo(&t.owner, t.id).await.unwrap(), t);
    assert_eq!(store.list_todos(&t.owner).await.unwrap(), vec![t.clone()]);

    let mut next = t.clone();
    next.labels = domain::Labels::parse(&["phone".into()]).unwrap();
    next.priority = domain::Priority::parse(3).unwrap();
    next.subtasks = checklist(
        &t.subtasks,
        &[
            (Some(1), "Pay", false),
            (None, "New", false),
            (Some(0), "Call", true),
        ],
    );
    next.version = 2;
    store.update_todo(&next, 1).await.unwrap();
    assert_eq!(store.get_todo(&t.owner, t.id).await.unwrap(), next);

    let until = system_now() + jiff::SignedDuration::from_secs(60);
    store.trash_todo(&t.owner, t.id, None, until).await.unwrap();
    let restored = store
        .restore_todo(&t.owner, t.id, system_now())
        .await
        .unwrap();
    assert_eq!(
        (&restored.labels, restored.priority, &restored.subtasks),
        (&next.labels, next.priority, &next.subtasks)
    );

    let mut plain = restored.clone();
    plain.labels = Default::default();
    plain.priority = domain::Priority::NONE;
    plain.subtasks = Default::default();
    plain.version += 1;
    store.update_todo(&plain, restored.version).await.unwrap();
    assert_eq!(store.get_todo(&t.owner, t.id).await.unwrap(), plain);
}

pub async fn a_created_todo_reads_back_unchanged(store: Arc<dyn Store>) {
    let t = todo("alice", "Buy milk");
    store.create_todo(&t).await.unwrap();
    assert_eq!(store.get_todo(&t.owner, t.id).await.unwrap(), t);
}

pub async fn creating_the_same_id_twice_is_refused(store: Arc<dyn Store>) {
    let t = todo("alice", "Once");
    store.create_todo(&t).await.unwrap();
    assert_eq!(store.create_todo(&t).await, Err(StoreError::AlreadyExists));
}

/// A create sent again with its id (an offline queue's replay) is refused through the
/// quota's path too, whether the todo is live or deleted since, and it counts once.
pub async fn a_create_replayed_with_its_id_is_refused_and_counted_once(store: Arc<dyn Store>) {
    let first = todo("rhea", "Once");
    store.create_todo_within(&first, 2).await.unwrap();
    assert_eq!(
        store.create_todo_within(&first, 2).await,
        Err(StoreError::AlreadyExists)
    );
    // Counted once: a second todo still fits under a limit of two.
    let second = todo("rhea", "Twice");
    store.create_todo_within(&second, 2).await.unwrap();
    // Deleted since: the same id is still refused, not made again.
    let until = system_now() + jiff::SignedDuration::from_secs(60);
    store
        .trash_todo(&first.owner, first.id, None, until)
        .await
        .unwrap();
    assert_eq!(
        store.create_todo_within(&first, 3).await,
        Err(StoreError::AlreadyExists)
    );
    assert_eq!(store.list_todos(&first.owner).await.unwrap(), vec![second]);
}

pub async fn another_owners_id_behaves_like_a_missing_one(store: Arc<dyn Store>) {
    let t = todo("alice", "Private");
    store.create_todo(&t).await.unwrap();
    let bob = user("bob");
    assert_eq!(store.get_todo(&bob, t.id).await, Err(StoreError::NotFound));
    let mut stolen = t.clone();
    stolen.owner = bob.clone();
    stolen.version = 2;
    assert_eq!(
        store.update_todo(&stolen, 1).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(
        store.delete_todo(&bob, t.id, None).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(store.get_todo(&t.owner, t.id).await.unwrap(), t);
}

pub async fn a_list_holds_only_the_owners_todos_oldest_first(store: Arc<dyn Store>) {
    let first = todo("carol", "First");
    let second = todo("carol", "Second");
    store.create_todo(&first).await.unwrap();
    store.create_todo(&second).await.unwrap();
    store
        .create_todo(&todo("carolyn", "Not hers"))
        .await
        .unwrap();
    store
        .create_todo(&todo("car", "Not hers either"))
        .await
        .unwrap();
    let listed = store.list_todos(&user("carol")).await.unwrap();
    assert_eq!(listed, vec![first, second]);
    assert!(store.list_todos(&user("nobody")).await.unwrap().is_empty());
}

pub async fn an_update_needs_the_current_version(store: Arc<dyn Store>) {
    let t = todo("dave", "Versioned");
    store.create_todo(&t).await.unwrap();
    let mut next = t.clone();
    next.title = domain::TodoTitle::parse("Renamed").unwrap();
    next.version = 2;
    store.update_todo(&next, 1).await.unwrap();
    assert_eq!(store.get_todo(&t.owner, t.id).await.unwrap(), next);

    let mut stale = t.clone();
    stale.title = domain::TodoTitle::parse("Lost update").unwrap();
    stale.version = 2;
    assert_eq!(
        store.update_todo(&stale, 1).await,
        Err(StoreError::VersionConflict { current: 2 })
    );
    assert_eq!(
        store.get_todo(&t.owner, t.id).await.unwrap().title.as_str(),
        "Renamed"
    );
}

pub async fn updating_a_missing_todo_is_not_found(store: Arc<dyn Store>) {
    let t = todo("erin", "Never stored");
    assert_eq!(store.update_todo(&t, 0).await, Err(StoreError::NotFound));
}

pub async fn a_delete_removes_and_honours_the_version(store: Arc<dyn Store>) {
    let t = todo("frank", "Delete me");
    store.create_todo(&t).await.unwrap();
    assert_eq!(
        store.delete_todo(&t.owner, t.id, Some(7)).await,
        Err(StoreError::VersionConflict { current: 1 })
    );
    assert!(store.get_todo(&t.owner, t.id).await.is_ok());
    store.delete_todo(&t.owner, t.id, Some(1)).await.unwrap();
    assert_eq!(
        store.get_todo(&t.owner, t.id).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(
        store.delete_todo(&t.owner, t.id, None).await,
        Err(StoreError::NotFound)
    );
}

pub async fn a_deleted_todo_is_hidden_until_restored_within_its_deadline(store: Arc<dyn Store>) {
    let t = todo("hana", "Restorable");
    let other = todo("hana", "Stays");
    store.create_todo(&t).await.unwrap();
    store.create_todo(&other).await.unwrap();
    let now = system_now();
    let until = now + jiff::SignedDuration::from_secs(60);
    assert_eq!(
        store.trash_todo(&t.owner, t.id, Some(9), until).await,
        Err(StoreError::VersionConflict { current: 1 })
    );
    let trashed = store
        .trash_todo(&t.owner, t.id, Some(1), until)
        .await
        .unwrap();
    assert_eq!((trashed.version, trashed.deleted_until), (2, Some(until)));

    // Hidden from every lookup, still in the records (for the purge and the file sweep).
    assert_eq!(
        store.get_todo(&t.owner, t.id).await,
        Err(StoreError::NotFound)
    );
    let live = store.list_todos(&t.owner).await.unwrap();
    assert_eq!(live, vec![other.clone()]);
    let records = store.list_todo_records(&t.owner).await.unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(
        store.trash_todo(&t.owner, t.id, None, until).await,
        Err(StoreError::NotFound),
        "deleting a deleted todo again"
    );
    let mut edit = trashed.clone();
    edit.deleted_until = None;
    assert_eq!(
        store.update_todo(&edit, 1).await,
        Err(StoreError::VersionConflict { current: 2 }),
        "an edit from before the delete"
    );

    // Another owner, a live todo and a closed window cannot be restored.
    assert_eq!(
        store.restore_todo(&user("mallory"), t.id, now).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(
        store.restore_todo(&other.owner, other.id, now).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(
        store.restore_todo(&t.owner, t.id, until).await,
        Err(StoreError::NotFound),
        "at the deadline"
    );

    let restored = store.restore_todo(&t.owner, t.id, now).await.unwrap();
    let expected = Todo {
        version: 3,
        ..t.clone()
    };
    assert_eq!(restored, expected, "exactly as it was, one version on");
    assert_eq!(store.get_todo(&t.owner, t.id).await.unwrap(), expected);
    assert_eq!(
        store.restore_todo(&t.owner, t.id, now).await,
        Err(StoreError::NotFound),
        "restoring twice"
    );

    // The purge: the record goes for good, only at the version it was deleted at.
    let trashed = store.trash_todo(&t.owner, t.id, None, until).await.unwrap();
    assert_eq!(
        store.delete_todo(&t.owner, t.id, Some(3)).await,
        Err(StoreError::VersionConflict { current: 4 })
    );
    store
        .delete_todo(&t.owner, t.id, Some(trashed.version))
        .await
        .unwrap();
    assert_eq!(
        store.restore_todo(&t.owner, t.id, now).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(
        store.list_todo_records(&t.owner).await.unwrap(),
        vec![other]
    );
}

pub async fn of_concurrent_restores_exactly_one_wins(store: Arc<dyn Store>) {
    let t = todo("ines", "Raced");
    store.create_todo(&t).await.unwrap();
    let until = system_now() + jiff::SignedDuration::from_secs(60);
    store.trash_todo(&t.owner, t.id, None, until).await.unwrap();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let store = store.clone();
        let t = t.clone();
        tasks.push(tokio::spawn(async move {
            store.restore_todo(&t.owner, t.id, system_now()).await
        }));
    }
    let mut restored = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(todo) => {
                restored += 1;
                assert_eq!(todo.version, 3);
            }
            Err(e) => assert_eq!(e, StoreError::NotFound),
        }
    }
    assert_eq!(restored, 1);
}

pub async fn of_concurrent_updates_from_one_version_exactly_one_wins(store: Arc<dyn Store>) {
    let t = todo("gina", "Contended");
    store.create_todo(&t).await.unwrap();
    let mut tasks = Vec::new();
    for i in 0..8 {
        let store = store.clone();
        let mut next = t.clone();
        next.title = domain::TodoTitle::parse(&format!("Writer {i}")).unwrap();
        next.version = 2;
        tasks.push(tokio::spawn(
            async move { store.update_todo(&next, 1).await },
        ));
    }
    let mut wins = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(()) => wins += 1,
            Err(StoreError::VersionConflict { current: 2 }) => {}
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(wins, 1);
}

pub async fn conversations_are_kept_listed_newest_first_and_deleted(store: Arc<dyn Store>) {
    use app::wire::chat::{ChatMessage, ChatRole};
    use server::domain::{ChatSession, ConversationCursor};
    let alice = user(&format!("chat-alice-{}", uuid::Uuid::new_v4()));
    let bob = user(&format!("chat-bob-{}", uuid::Uuid::new_v4()));
    let now = jiff::Timestamp::from_second(1_000_000).unwrap();
    let ms = jiff::SignedDuration::from_millis;
    assert_eq!(store.latest_chat_session(&alice).await.unwrap(), None);
    let said = |text: &str| ChatMessage {
        role: ChatRole::User,
        text: text.into(),
        tools: vec![],
        confirm: None,
        plan: None,
        files: vec!["x-ray.pdf".into()],
        interrupted: false,
        running: false,
    };
    // Seven conversations with messages, used one millisecond apart, and an empty one last.
    let mut saved = Vec::new();
    for n in 0..7 {
        let mut session = ChatSession::new(alice.clone(), now);
        session.mark_used(now + ms(n));
        session.push(said(&format!("conversation {n}\nsecond line")));
        store.save_chat_session(&session).await.unwrap();
        saved.push(session);
    }
    let mut empty = ChatSession::new(alice.clone(), now);
    empty.mark_used(now + ms(100));
    store.save_chat_session(&empty).await.unwrap();
    assert_eq!(
        store.latest_chat_session(&alice).await.unwrap(),
        Some(empty.clone()),
        "the latest, empty or not, is the current one"
    );
    assert_eq!(
        store
            .get_chat_session(&alice, saved[2].session_id)
            .await
            .unwrap(),
        Some(saved[2].clone())
    );
    assert_eq!(
        store
            .get_chat_session(&bob, saved[2].session_id)
            .await
            .unwrap(),
        None,
        "another user's id is nobody's"
    );
    // Pages of three, newest first, the empty one left out, nothing skipped or repeated.
    let mut titles = Vec::new();
    let mut after: Option<ConversationCursor> = None;
    loop {
        let page = store
            .list_chat_sessions(&alice, after.clone(), 3, now)
            .await
            .unwrap();
        assert!(page.conversations.len() <= 3);
        titles.extend(page.conversations.iter().map(|c| c.title.clone()));
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    let expected: Vec<String> = (0..7).rev().map(|n| format!("conversation {n}")).collect();
    assert_eq!(titles, expected);
    assert!(
        store
            .list_chat_sessions(&bob, None, 3, now)
            .await
            .unwrap()
            .conversations
            .is_empty()
    );
    // Saving again moves a conversation to the top.
    let mut again = saved[1].clone();
    again.mark_used(now + ms(200));
    again.push(said("more"));
    store.save_chat_session(&again).await.unwrap();
    let first = store
        .list_chat_sessions(&alice, None, 1, now)
        .await
        .unwrap();
    assert_eq!(first.conversations[0].session_id, again.session_id);
    assert_eq!(first.conversations[0].message_count, 2);
    assert_eq!(
        store.latest_chat_session(&alice).await.unwrap(),
        Some(again.clone())
    );
    // Deleting: another user's is "not found" and changes nothing; one's own is gone.
    assert_eq!(
        store.delete_chat_session(&bob, again.session_id).await,
        Err(StoreError::NotFound)
    );
    store
        .delete_chat_session(&alice, again.session_id)
        .await
        .unwrap();
    assert_eq!(
        store
            .get_chat_session(&alice, again.session_id)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store.delete_chat_session(&alice, again.session_id).await,
        Err(StoreError::NotFound)
    );
    let all = store
        .list_chat_sessions(&alice, None, 100, now)
        .await
        .unwrap();
    assert_eq!(all.conversations.len(), 6);
    assert_eq!(all.next, None);
    // Past their retention, conversations are no longer listed.
    let later = now
        + jiff::SignedDuration::from_secs(
            server::domain::conversation::CONVERSATION_RETENTION_SECONDS + 1,
        );
    let gone = store
        .list_chat_sessions(&alice, None, 100, later)
        .await
        .unwrap();
    assert!(gone.conversations.is_empty());
}

pub async fn connection_records_come_and_go(store: Arc<dyn Store>) {
    let connection = server::domain::ConnectionId::new();
    let record = server::domain::ConnectionRecord {
        connection_id: connection,
        owner: user("ws-alice"),
        session_id: server::domain::ConversationId::new(),
        connected_at: 1_000,
    };
    store.put_connection(&record).await.unwrap();
    assert_eq!(
        store.get_connection(connection).await.unwrap(),
        Some(record.clone())
    );
    assert_eq!(
        store.list_connections(&user("ws-alice")).await.unwrap(),
        vec![record]
    );
    assert!(
        store
            .list_connections(&user("ws-bob"))
            .await
            .unwrap()
            .is_empty()
    );
    store.delete_connection(connection).await.unwrap();
    assert_eq!(store.get_connection(connection).await.unwrap(), None);
    store.delete_connection(connection).await.unwrap();
}

fn file(owner: &str, todo: Option<TodoId>, name: &str) -> server::domain::FileRecord {
    server::domain::FileRecord {
        owner: user(owner),
        id: server::domain::FileId::new(),
        todo_id: todo,
        name: name.into(),
        size: 1234,
        content_type: "application/pdf".into(),
        created_at: system_now(),
        uploaded: true,
    }
}

pub async fn file_records_are_owned_listed_per_todo_attached_and_deleted(store: Arc<dyn Store>) {
    let t = todo("files-alice", "Dentist");
    let other = todo("files-alice", "Other");
    let first = file("files-alice", Some(t.id), "x-rays.pdf");
    let second = file("files-alice", Some(t.id), "invoice.pdf");
    let loose = file("files-alice", None, "dropped-in-chat.pdf");
    for f in [&first, &second, &loose] {
        store.create_file(f).await.unwrap();
    }
    assert_eq!(
        store.create_file(&first).await,
        Err(StoreError::AlreadyExists)
    );
    assert_eq!(store.get_file(&first.owner, first.id).await.unwrap(), first);
    assert_eq!(
        store.get_file(&user("files-bob"), first.id).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(
        store.list_todo_files(&first.owner, t.id).await.unwrap(),
        vec![first.clone(), second.clone()]
    );
    assert!(
        store
            .list_todo_files(&user("files-bob"), t.id)
            .await
            .unwrap()
            .is_empty()
    );

    let mut attached = loose.clone();
    attached.todo_id = Some(other.id);
    store.update_file(&attached, &loose).await.unwrap();
    assert_eq!(
        store.list_todo_files(&loose.owner, other.id).await.unwrap(),
        vec![attached.clone()]
    );
    // Written from a state that is no longer stored: refused, nothing changes.
    let mut elsewhere = loose.clone();
    elsewhere.todo_id = Some(t.id);
    assert_eq!(
        store.update_file(&elsewhere, &loose).await,
        Err(StoreError::Changed)
    );
    assert_eq!(
        store.get_file(&loose.owner, loose.id).await.unwrap(),
        attached
    );
    let mut stolen = second.clone();
    stolen.owner = user("files-bob");
    let mut stolen_before = stolen.clone();
    stolen_before.todo_id = None;
    assert_eq!(
        store.update_file(&stolen, &stolen_before).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(
        store.delete_file(&user("files-bob"), first.id).await,
        Err(StoreError::NotFound)
    );

    store.delete_file(&first.owner, first.id).await.unwrap();
    assert_eq!(
        store.get_file(&first.owner, first.id).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(
        store.delete_file(&first.owner, first.id).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(
        store.list_todo_files(&first.owner, t.id).await.unwrap(),
        vec![second]
    );
}

pub async fn a_todos_time_rule_and_completions_are_kept_and_restored(store: Arc<dyn Store>) {
    let mut t = todo("rita", "Water plants");
    t.due_time = Some(domain::DueTime::parse("07:45").unwrap());
    let rule = domain::ParsedRepeat::parse("every 3 days after completion").unwrap();
    t.repeat = Some(rule.rule);
    t.repeat_after_completion = rule.after_completion;
    t.completions.record(jiff::civil::date(2026, 3, 1));
    t.completions.record(jiff::civil::date(2026, 3, 4));
    store.create_todo(&t).await.unwrap();
    assert_eq!(store.get_todo(&t.owner, t.id).await.unwrap(), t);
    assert_eq!(store.list_todos(&t.owner).await.unwrap(), vec![t.clone()]);

    // Stop repeating, clear the time: gone from the record, not left behind.
    let plain = Todo {
        due_time: None,
        repeat: None,
        repeat_after_completion: false,
        version: 2,
        ..t.clone()
    };
    store.update_todo(&plain, 1).await.unwrap();
    assert_eq!(store.get_todo(&t.owner, t.id).await.unwrap(), plain);
    let again = Todo {
        version: 3,
        ..t.clone()
    };
    store.update_todo(&again, 2).await.unwrap();

    let now = system_now();
    let until = now
        .checked_add(jiff::SignedDuration::from_secs(60))
        .unwrap();
    store.trash_todo(&t.owner, t.id, None, until).await.unwrap();
    let restored = store.restore_todo(&t.owner, t.id, now).await.unwrap();
    assert_eq!(
        restored,
        Todo {
            version: 5,
            ..again
        },
        "restored with its time, rule and completions"
    );
}

pub async fn a_users_profile_keeps_their_time_zone_apart_from_their_todos(store: Arc<dyn Store>) {
    let sam = user("sam");
    assert_eq!(
        store.get_profile(&sam).await.unwrap(),
        domain::Profile::default()
    );
    let berlin = domain::Profile {
        time_zone: Some(domain::ZoneName::parse("Europe/Berlin").unwrap()),
    };
    store.put_profile(&sam, &berlin).await.unwrap();
    assert_eq!(store.get_profile(&sam).await.unwrap(), berlin);
    assert_eq!(
        store.get_profile(&user("tom")).await.unwrap(),
        domain::Profile::default(),
        "another user's profile is their own"
    );
    let tokyo = domain::Profile {
        time_zone: Some(domain::ZoneName::parse("Asia/Tokyo").unwrap()),
    };
    store.put_profile(&sam, &tokyo).await.unwrap();
    assert_eq!(store.get_profile(&sam).await.unwrap(), tokyo);

    // The profile is no todo: not listed, not counted against the todo quota.
    assert!(store.list_todo_records(&sam).await.unwrap().is_empty());
    let first = todo("sam", "One");
    store.create_todo_within(&first, 1).await.unwrap();
    assert_eq!(
        store.create_todo_within(&todo("sam", "Two"), 1).await,
        Err(StoreError::LimitReached)
    );
    assert_eq!(store.list_todos(&sam).await.unwrap(), vec![first]);
}

/// Instantiates every case above for one store; `$make` is an async expression giving a
/// fresh, empty `Arc<dyn Store>`.
#[macro_export]
macro_rules! store_conformance {
    ($module:ident, $make:expr) => {
        mod $module {
            use super::*;
            $crate::store_conformance!(@cases $make;
                a_created_todo_reads_back_unchanged,
                labels_priority_and_subtasks_read_back,
                a_todos_time_rule_and_completions_are_kept_and_restored,
                a_users_profile_keeps_their_time_zone_apart_from_their_todos,
                creating_the_same_id_twice_is_refused,
                a_create_replayed_with_its_id_is_refused_and_counted_once,
                another_owners_id_behaves_like_a_missing_one,
                a_list_holds_only_the_owners_todos_oldest_first,
                an_update_needs_the_current_version,
                updating_a_missing_todo_is_not_found,
                a_delete_removes_and_honours_the_version,
                a_deleted_todo_is_hidden_until_restored_within_its_deadline,
                of_concurrent_restores_exactly_one_wins,
                a_restore_racing_the_purge_never_loses_the_files,
                limits_hold_under_concurrent_writes,
                a_new_owners_first_writes_at_once_are_all_kept,
                of_concurrent_updates_from_one_version_exactly_one_wins,
                conversations_are_kept_listed_newest_first_and_deleted,
                connection_records_come_and_go,
                file_records_are_owned_listed_per_todo_attached_and_deleted,
                concurrent_file_changes_from_one_state_write_once,
                entries_are_written_conditionally_and_expire,
                a_waiter_for_an_entry_hears_of_its_change,
                a_long_conversation_fits_and_reads_back_in_order,
                of_concurrent_takes_of_one_entry_exactly_one_wins,
                lists_are_created_read_updated_and_deleted_by_their_owner,
                a_list_name_is_the_owners_once_in_any_case,
                of_concurrent_lists_with_one_name_exactly_one_is_created,
                the_inbox_is_created_once_and_the_quota_counts_the_other_lists,
                change_records_are_the_owners_listed_newest_first_and_expire,
                access_tokens_are_found_by_digest_listed_by_owner_and_revoked,
                a_tokens_last_use_is_written_at_most_once_per_interval,
                of_concurrent_token_creates_the_limit_holds,
                a_plan_proposal_is_claimed_once_and_outlives_its_deadline,
                a_todos_next_reminder_is_indexed_in_the_same_write,
                a_due_reminder_is_claimed_once_and_moved_on,
                of_concurrent_claims_of_one_reminder_exactly_one_wins,
                notifications_are_the_owners_newest_first_and_expire,
                push_subscriptions_are_the_owners_keyed_by_endpoint_and_limited,
                of_concurrent_subscriptions_the_limit_holds,
                oauth_requests_and_codes_are_taken_once_and_expire,
                oauth_grants_are_the_owners_counted_and_revoked,
                of_concurrent_grants_the_limit_holds,
                oauth_tokens_are_used_once_read_by_digest_and_revoked,
                oauth_clients_documents_and_registrations_expire
            );
        }
    };
    (@cases $make:expr; $($case:ident),*) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $case() {
                let (store, _guard) = $make.await;
                $crate::store_conformance::$case(store).await;
            }
        )*
    };
}

async fn embedded_store() -> (Arc<dyn Store>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = server::store::embedded::EmbeddedStore::open(dir.path()).unwrap();
    (Arc::new(store), dir)
}

store_conformance!(embedded, embedded_store());

#[tokio::test]
async fn the_embedded_store_keeps_its_data_across_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let t = todo("hank", "Persisted");
    {
        let store = server::store::embedded::EmbeddedStore::open(dir.path()).unwrap();
        store.create_todo(&t).await.unwrap();
    }
    let store = server::store::embedded::EmbeddedStore::open(dir.path()).unwrap();
    assert_eq!(store.get_todo(&t.owner, t.id).await.unwrap(), t);
}

/// A record written before labels, priority and subtasks existed (its JSON as that version
/// wrote it) reads with none, priority 4 and no subtasks.
#[tokio::test]
async fn the_embedded_store_reads_todos_from_before_labels_with_defaults() {
    let dir = tempfile::tempdir().unwrap();
    drop(server::store::embedded::EmbeddedStore::open(dir.path()).unwrap());
    let id = TodoId::new();
    {
        let db = redb::Database::open(dir.path().join("tasko.redb")).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let todos: redb::TableDefinition<(&str, &str), &[u8]> =
                redb::TableDefinition::new("todos");
            let mut table = txn.open_table(todos).unwrap();
            let id = id.to_string();
            let old = old_todo_json("old-olga", &id);
            table
                .insert(("old-olga", id.as_str()), old.as_bytes())
                .unwrap();
        }
        txn.commit().unwrap();
    }
    let store = server::store::embedded::EmbeddedStore::open(dir.path()).unwrap();
    read_as_before_labels(&store.get_todo(&user("old-olga"), id).await.unwrap());
}

fn old_todo_json(owner: &str, id: &str) -> String {
    serde_json::json!({
        "owner": owner, "id": id, "title": "From before", "description": "", "notes": "n",
        "date_due": "2026-03-05", "completed": false, "created_at": "2026-01-02T03:04:05Z",
        "updated_at": "2026-01-02T03:04:05Z", "version": 3
    })
    .to_string()
}

fn read_as_before_labels(todo: &Todo) {
    assert_eq!(
        (todo.title.as_str(), todo.notes.as_str(), todo.version),
        ("From before", "n", 3)
    );
    assert!(todo.labels.is_empty() && todo.subtasks.is_empty());
    assert_eq!(todo.priority, domain::Priority::NONE);
    let wire = todo.to_wire();
    assert_eq!(
        (wire.labels.len(), wire.priority, wire.subtasks.len()),
        (0, 4, 0)
    );
}

/// The DynamoDB store against moto (started by `scripts/with-moto.sh`, which `make test`
/// uses). Each case gets its own tables.
async fn dynamodb_store() -> (Arc<dyn Store>, ()) {
    assert!(
        std::env::var("TASKO_TEST_MOTO").is_ok(),
        "the DynamoDB conformance tests need moto: run them through `make unit` (scripts/with-moto.sh)"
    );
    // The tables a stack of infra/template.yaml made (infra/tests/test_stack_on_moto.py):
    // the suite then checks that the template's tables are the ones the code needs.
    if let Ok(prefix) = std::env::var("TASKO_STACK_TABLE_PREFIX") {
        let store = server::store::dynamodb::DynamoStore::connect(&prefix).await;
        return (Arc::new(store), ());
    }
    let prefix = format!("t{}_", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    let store = server::store::dynamodb::DynamoStore::connect(&prefix).await;
    store.create_tables().await.expect("tables created in moto");
    (Arc::new(store), ())
}

store_conformance!(dynamodb, dynamodb_store());

#[tokio::test]
async fn the_dynamodb_store_pages_through_long_lists() {
    let (_, ()) = dynamodb_store().await;
    let prefix = format!("p{}_", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    let store = server::store::dynamodb::DynamoStore::connect(&prefix)
        .await
        .with_page_limit(5);
    store.create_tables().await.unwrap();
    let mut expected = Vec::new();
    for i in 0..13 {
        let t = todo("pager", &format!("Todo {i:02}"));
        store.create_todo(&t).await.unwrap();
        expected.push(t);
    }
    assert_eq!(
        store.list_todos(&user("pager")).await.unwrap(),
        expected,
        "pages of 5 lost or reordered items"
    );
    for i in 0..7 {
        let record = server::domain::ConnectionRecord {
            connection_id: server::domain::ConnectionId::new(),
            owner: user("pager"),
            session_id: server::domain::ConversationId::new(),
            connected_at: i,
        };
        store.put_connection(&record).await.unwrap();
    }
    assert_eq!(
        store.list_connections(&user("pager")).await.unwrap().len(),
        7
    );
}

/// An item written before labels, priority and subtasks existed reads with their defaults.
#[tokio::test]
async fn the_dynamodb_store_reads_todos_from_before_labels_with_defaults() {
    let (_, ()) = dynamodb_store().await;
    let prefix = format!("o{}_", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    let store = server::store::dynamodb::DynamoStore::connect(&prefix).await;
    store.create_tables().await.unwrap();
    let id = TodoId::new();
    let old: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&old_todo_json("old-oscar", &id.to_string())).unwrap();
    use aws_sdk_dynamodb::types::AttributeValue;
    let item = old
        .into_iter()
        .map(|(k, v)| {
            let value = match v {
                serde_json::Value::String(s) => AttributeValue::S(s),
                serde_json::Value::Number(n) => AttributeValue::N(n.to_string()),
                serde_json::Value::Bool(b) => AttributeValue::Bool(b),
                other => panic!("not in an old item: {other}"),
            };
            (k, value)
        })
        .collect();
    let client = aws_sdk_dynamodb::Client::new(&aws_config::load_from_env().await);
    client
        .put_item()
        .table_name(format!("{prefix}todos"))
        .set_item(Some(item))
        .send()
        .await
        .unwrap();
    read_as_before_labels(&store.get_todo(&user("old-oscar"), id).await.unwrap());
}

/// Data from before the quota counters: the counter items are missing. The first counted
/// write counts the records there (live todos only; files and their bytes) and goes on.
#[tokio::test]
async fn the_dynamodb_counters_start_from_the_records_already_there() {
    let (_, ()) = dynamodb_store().await;
    let prefix = format!("m{}_", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    let store = server::store::dynamodb::DynamoStore::connect(&prefix).await;
    store.create_tables().await.unwrap();
    let owner = user("migrated-lee");
    let mut held = Vec::new();
    for i in 0..4 {
        let t = todo("migrated-lee", &format!("Old {i}"));
        store.create_todo(&t).await.unwrap();
        held.push(t);
    }
    let until = system_now() + jiff::SignedDuration::from_secs(60);
    store
        .trash_todo(&owner, held[0].id, None, until)
        .await
        .unwrap();
    store
        .create_file(&file("migrated-lee", None, "old.pdf"))
        .await
        .unwrap();
    // Forget the counters, as if the records had been written before them.
    let client = aws_sdk_dynamodb::Client::new(&aws_config::load_from_env().await);
    for table in ["todos", "files"] {
        client
            .delete_item()
            .table_name(format!("{prefix}{table}"))
            .key(
                "owner",
                aws_sdk_dynamodb::types::AttributeValue::S(owner.as_str().into()),
            )
            .key(
                "id",
                aws_sdk_dynamodb::types::AttributeValue::S("#count".into()),
            )
            .send()
            .await
            .unwrap();
    }
    // 3 live (the deleted one does not count): room for exactly one more under 4.
    store
        .create_todo_within(&todo("migrated-lee", "New"), 4)
        .await
        .unwrap();
    assert_eq!(
        store
            .create_todo_within(&todo("migrated-lee", "Newer"), 4)
            .await,
        Err(StoreError::LimitReached)
    );
    assert_eq!(store.list_todo_records(&owner).await.unwrap().len(), 5);
    // 1 file of 1234 bytes held: a second fits under 2 files, a third does not.
    store
        .create_file_within(&file("migrated-lee", None, "new.pdf"), 2, 10_000)
        .await
        .unwrap();
    assert_eq!(
        store
            .create_file_within(&file("migrated-lee", None, "newer.pdf"), 2, 10_000)
            .await,
        Err(StoreError::LimitReached)
    );
    assert_eq!(store.list_files(&owner).await.unwrap().len(), 2);
}

/// Two changes made from the same read: exactly one is written.
pub async fn concurrent_file_changes_from_one_state_write_once(store: Arc<dyn Store>) {
    let first = todo("race-alice", "First");
    let second = todo("race-alice", "Second");
    let loose = file("race-alice", None, "dropped.pdf");
    store.create_file(&loose).await.unwrap();
    let attach = |todo: &Todo| {
        let (store, loose) = (store.clone(), loose.clone());
        let mut attached = loose.clone();
        attached.todo_id = Some(todo.id);
        tokio::spawn(async move { store.update_file(&attached, &loose).await })
    };
    let (a, b) = (attach(&first), attach(&second));
    let results = [a.await.unwrap(), b.await.unwrap()];
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    assert!(results.contains(&Err(StoreError::Changed)), "{results:?}");
    let stored = store.get_file(&loose.owner, loose.id).await.unwrap();
    assert!(stored.todo_id == Some(first.id) || stored.todo_id == Some(second.id));
}

/// Shared state with an expiry: created once, changed only from the version read, gone
/// (for reads and writes alike) once expired, deleted only at the version read.
pub async fn entries_are_written_conditionally_and_expire(store: Arc<dyn Store>) {
    use server::domain::Entry;
    let key = format!("test:{}", uuid::Uuid::new_v4());
    let now = jiff::Timestamp::from_second(1_000_000).unwrap();
    let secs = jiff::SignedDuration::from_secs;
    assert_eq!(store.get_entry(&key, now).await.unwrap(), None);
    let first = Entry::new(&key, serde_json::json!({"n": 1}), now + secs(30));
    store.put_entry(&first, None, now).await.unwrap();
    assert_eq!(
        store.get_entry(&key, now).await.unwrap(),
        Some(first.clone())
    );
    assert_eq!(
        store.put_entry(&first, None, now).await,
        Err(StoreError::Changed),
        "created twice"
    );
    let second = first.next(serde_json::json!({"n": 2}), now + secs(30));
    store.put_entry(&second, Some(1), now).await.unwrap();
    assert_eq!(
        store
            .put_entry(
                &first.next(serde_json::json!({"n": 3}), now + secs(30)),
                Some(1),
                now
            )
            .await,
        Err(StoreError::Changed),
        "written from a stale version"
    );
    assert_eq!(
        store.get_entry(&key, now).await.unwrap(),
        Some(second.clone())
    );
    // Expired: absent for reads, replaceable as if absent, not deletable.
    let later = now + secs(31);
    assert_eq!(store.get_entry(&key, later).await.unwrap(), None);
    assert_eq!(
        store.delete_entry(&key, 2, later).await,
        Err(StoreError::Changed)
    );
    let fresh = Entry::new(&key, serde_json::json!({"n": 10}), later + secs(30));
    store.put_entry(&fresh, None, later).await.unwrap();
    assert_eq!(
        store.delete_entry(&key, 2, later).await,
        Err(StoreError::Changed),
        "deleted at a version it no longer has"
    );
    store.delete_entry(&key, 1, later).await.unwrap();
    assert_eq!(store.get_entry(&key, later).await.unwrap(), None);
}

/// A plan card's proposal as `tools::plans` keeps it: its largest form (50 items with
/// 200-character titles) reads back whole, of two answers claiming it from one version
/// exactly one wins, and it stays readable after its deadline (so a late answer hears
/// "expired") until the entry's own expiry.
pub async fn a_plan_proposal_is_claimed_once_and_outlives_its_deadline(store: Arc<dyn Store>) {
    use server::domain::Entry;
    let key = format!("plan:{}:{}", uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    let now = jiff::Timestamp::from_second(2_000_000).unwrap();
    let deadline = now + jiff::SignedDuration::from_mins(30);
    let kept = deadline + jiff::SignedDuration::from_hours(24);
    let title = "\u{1F600}".repeat(200);
    let items: Vec<serde_json::Value> = (0..50)
        .map(|n| {
            serde_json::json!({
                "item": {"itemId": format!("i{n}"), "text": format!("Move *{title}* to Wed, Dec 2"),
                         "tool": "updateTodo",
                         "arguments": {"todoId": uuid::Uuid::new_v4().to_string(), "dateDue": "2026-12-02"}},
                "todo": [uuid::Uuid::new_v4().to_string(), 7]
            })
        })
        .collect();
    let body = serde_json::json!({"summary": "Spread 50 overdue todos", "deadline": deadline.to_string(),
                                  "items": items, "claimed": false});
    let proposal = Entry::new(&key, body.clone(), kept);
    store.put_entry(&proposal, None, now).await.unwrap();
    assert_eq!(
        store.get_entry(&key, now).await.unwrap(),
        Some(proposal.clone())
    );

    let mut claimed = body.clone();
    claimed["claimed"] = serde_json::json!(true);
    let claim = proposal.next(claimed, kept);
    let (a, b) = tokio::join!(
        store.put_entry(&claim, Some(1), now),
        store.put_entry(&claim, Some(1), now)
    );
    assert_eq!(
        [a.is_ok(), b.is_ok()].iter().filter(|ok| **ok).count(),
        1,
        "{a:?} {b:?}"
    );
    let after_deadline = deadline + jiff::SignedDuration::from_mins(1);
    let read = store
        .get_entry(&key, after_deadline)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read.body["claimed"], true);
    assert_eq!(read.version, 2);
    let gone = kept + jiff::SignedDuration::from_secs(1);
    assert_eq!(store.get_entry(&key, gone).await.unwrap(), None);
}

/// A running turn waits on its lease like this: back at a change (or, on a store that cannot
/// hear of changes, within its poll), at once when the entry moved before the wait began,
/// and when the time is up if nothing changes.
pub async fn a_waiter_for_an_entry_hears_of_its_change(store: Arc<dyn Store>) {
    use std::time::{Duration, Instant};

    use server::domain::Entry;
    let key = format!("test:{}", uuid::Uuid::new_v4());
    let now = system_now();
    let first = Entry::new(
        &key,
        serde_json::json!({"n": 1}),
        now + jiff::SignedDuration::from_secs(600),
    );
    store.put_entry(&first, None, now).await.unwrap();
    let long = Duration::from_secs(20);
    let back_soon = Duration::from_secs(5);

    let started = Instant::now();
    store
        .entry_changed(&key, Some(1), Duration::from_millis(100))
        .await;
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(100) && waited < back_soon,
        "nothing changed: back when the time is up, not {waited:?}"
    );

    // How long a waiter that saw `seen` waits, in the background.
    let wait_from = |seen: u64| {
        let (store, key) = (store.clone(), key.clone());
        tokio::spawn(async move {
            let started = Instant::now();
            store.entry_changed(&key, Some(seen), long).await;
            started.elapsed()
        })
    };
    let waiter = wait_from(1);
    tokio::time::sleep(Duration::from_millis(50)).await;
    let second = first.next(
        serde_json::json!({"n": 2}),
        now + jiff::SignedDuration::from_secs(600),
    );
    store.put_entry(&second, Some(1), now).await.unwrap();
    let waited = waiter.await.unwrap();
    assert!(waited < back_soon, "a write while waiting: {waited:?}");

    let started = Instant::now();
    store.entry_changed(&key, Some(1), long).await;
    assert!(started.elapsed() < back_soon, "changed before the wait");

    let waiter = wait_from(2);
    tokio::time::sleep(Duration::from_millis(50)).await;
    store.delete_entry(&key, 2, now).await.unwrap();
    let waited = waiter.await.unwrap();
    assert!(waited < back_soon, "a delete while waiting: {waited:?}");
}

/// Two instances taking the same entry at once (a single-use ticket): exactly one gets it.
pub async fn of_concurrent_takes_of_one_entry_exactly_one_wins(store: Arc<dyn Store>) {
    use server::domain::Entry;
    let key = format!("test:{}", uuid::Uuid::new_v4());
    let now = jiff::Timestamp::from_second(2_000_000).unwrap();
    store
        .put_entry(
            &Entry::new(
                &key,
                serde_json::json!({}),
                now + jiff::SignedDuration::from_secs(30),
            ),
            None,
            now,
        )
        .await
        .unwrap();
    let take = || {
        let (store, key) = (store.clone(), key.clone());
        tokio::spawn(async move { store.delete_entry(&key, 1, now).await })
    };
    let (a, b) = (take(), take());
    let results = [a.await.unwrap(), b.await.unwrap()];
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
}

/// A long conversation (300 turns, 3 KB replies: far beyond one DynamoDB item) saves and
/// reads back without error: the latest messages, in order, with a reply that changed as it
/// was written (running, then final) and repeated identical messages.
pub async fn a_long_conversation_fits_and_reads_back_in_order(store: Arc<dyn Store>) {
    use app::wire::chat::{ChatMessage, ChatRole};
    let owner = user(&format!("long-{}", uuid::Uuid::new_v4()));
    let message = |role, text: String| ChatMessage {
        role,
        text,
        tools: vec![],
        confirm: None,
        plan: None,
        files: vec![],
        interrupted: false,
        running: false,
    };
    let mut session = server::domain::ChatSession::new(
        owner.clone(),
        jiff::Timestamp::from_second(1_000).unwrap(),
    );
    for turn in 0..300 {
        session.push(message(ChatRole::User, "hi again".into()));
        let mut reply = message(
            ChatRole::Assistant,
            format!("{turn}: {}", "x".repeat(3_000)),
        );
        if turn % 50 == 0 {
            // Saved while running, then replaced by the finished reply.
            reply.running = true;
            reply.text.truncate(100);
            session.put_reply(reply.clone());
            store.save_chat_session(&session).await.unwrap();
            reply.running = false;
            reply.text = format!("{turn}: {}", "y".repeat(3_000));
        }
        session.put_reply(reply);
        store.save_chat_session(&session).await.unwrap();
    }
    let loaded = store.latest_chat_session(&owner).await.unwrap().unwrap();
    assert_eq!(loaded.messages.len(), 200, "the latest 200 are kept");
    assert_eq!(loaded, session);
    assert!(loaded.messages.last().unwrap().text.starts_with("299: "));
    assert!(
        loaded.messages[1].text.starts_with("200: y"),
        "{}",
        &loaded.messages[1].text[..8]
    );
}

/// A restore read just before the deadline races the purge that finds the todo expired
/// (the purge of the `Files` service over this store): exactly one wins. Either the todo is
/// back with every file, or it is gone with every file and the restore was refused; never a
/// restored todo without its files.
pub async fn a_restore_racing_the_purge_never_loses_the_files(store: Arc<dyn Store>) {
    let blobs_dir = tempfile::tempdir().unwrap();
    let blobs = server::files::blob::LocalBlobStore::open(blobs_dir.path()).unwrap();
    let files = Arc::new(server::files::Files::new(
        store.clone(),
        Arc::new(blobs),
        1 << 20,
        Arc::new(server::domain::SystemClock),
    ));
    let (mut restored, mut purged) = (0, 0);
    for round in 0..40 {
        let t = todo("race-jo", &format!("Round {round}"));
        store.create_todo(&t).await.unwrap();
        for i in 0..3 {
            store
                .create_file(&file("race-jo", Some(t.id), &format!("f{i}.pdf")))
                .await
                .unwrap();
        }
        // Deleted with a deadline already past: the purge finds it expired, while the
        // restore reads it as if a moment before the deadline.
        let until = system_now();
        store.trash_todo(&t.owner, t.id, None, until).await.unwrap();
        let before = until - jiff::SignedDuration::from_millis(1);
        let restore = {
            let (store, t) = (store.clone(), t.clone());
            tokio::spawn(async move { store.restore_todo(&t.owner, t.id, before).await })
        };
        let purge = {
            let (files, owner) = (files.clone(), t.owner.clone());
            tokio::spawn(async move { files.purge_expired(&owner).await })
        };
        let restore = restore.await.unwrap();
        purge.await.unwrap();
        files.purge_expired(&t.owner).await;
        let left = store.list_todo_files(&t.owner, t.id).await.unwrap();
        match restore {
            Ok(_) => {
                restored += 1;
                assert!(store.get_todo(&t.owner, t.id).await.is_ok());
                assert_eq!(left.len(), 3, "round {round}: restored without its files");
            }
            Err(e) => {
                purged += 1;
                assert_eq!(e, StoreError::NotFound);
                assert_eq!(
                    store.get_todo_record(&t.owner, t.id).await,
                    Err(StoreError::NotFound)
                );
                assert!(left.is_empty(), "round {round}: purged but files left");
            }
        }
    }
    assert_eq!(restored + purged, 40);
}

/// The limits of `create_todo_within`, `restore_todo_within` and `create_file_within` are
/// counted in the write itself: of 30 concurrent creates with room for 5, exactly 5 are
/// written. Deleted todos do not count, restored ones do; deleted files free their room.
/// A new owner's first writes, at once and well within the limit: every one is written (the
/// DynamoDB store once took a counter created meanwhile by another writer for a full one).
pub async fn a_new_owners_first_writes_at_once_are_all_kept(store: Arc<dyn Store>) {
    let owner = user("first-writes-fay");
    let tasks: Vec<_> = (0..12)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                let t = todo("first-writes-fay", &format!("Todo {i}"));
                store.create_todo_within(&t, 100).await
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), Ok(()));
    }
    assert_eq!(store.list_todos(&owner).await.unwrap().len(), 12);
}

pub async fn limits_hold_under_concurrent_writes(store: Arc<dyn Store>) {
    let owner = user("limits-kim");
    let mut tasks = Vec::new();
    for i in 0..30 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let t = todo("limits-kim", &format!("Todo {i}"));
            store.create_todo_within(&t, 5).await.map(|()| t)
        }));
    }
    let mut created = Vec::new();
    for task in tasks {
        match task.await.unwrap() {
            Ok(t) => created.push(t),
            Err(e) => assert_eq!(e, StoreError::LimitReached),
        }
    }
    assert_eq!(created.len(), 5);
    assert_eq!(store.list_todos(&owner).await.unwrap().len(), 5);

    let until = system_now() + jiff::SignedDuration::from_secs(60);
    let gone = &created[0];
    store
        .trash_todo(&owner, gone.id, None, until)
        .await
        .unwrap();
    let refill = todo("limits-kim", "Refill");
    store.create_todo_within(&refill, 5).await.unwrap();
    assert_eq!(
        store
            .restore_todo_within(&owner, gone.id, system_now(), 5)
            .await,
        Err(StoreError::LimitReached),
        "a restore over the limit"
    );
    assert!(
        !store
            .get_todo_record(&owner, gone.id)
            .await
            .unwrap()
            .is_live()
    );
    store.delete_todo(&owner, refill.id, None).await.unwrap();
    store
        .restore_todo_within(&owner, gone.id, system_now(), 5)
        .await
        .unwrap();
    assert_eq!(
        store
            .create_todo_within(&todo("limits-kim", "Sixth"), 5)
            .await,
        Err(StoreError::LimitReached)
    );

    let mut tasks = Vec::new();
    for i in 0..30 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let f = file("limits-kim", None, &format!("f{i}.pdf"));
            store.create_file_within(&f, 5, u64::MAX).await.map(|()| f)
        }));
    }
    let mut files = Vec::new();
    for task in tasks {
        match task.await.unwrap() {
            Ok(f) => files.push(f),
            Err(e) => assert_eq!(e, StoreError::LimitReached),
        }
    }
    assert_eq!(files.len(), 5);
    assert_eq!(store.list_files(&owner).await.unwrap().len(), 5);
    store.delete_file(&owner, files[0].id).await.unwrap();
    // 4 files of 1234 bytes held: room for one more of 1234 within 5 * 1234, not 1235.
    let mut big = file("limits-kim", None, "big.pdf");
    big.size = 1235;
    assert_eq!(
        store.create_file_within(&big, 9, 5 * 1234).await,
        Err(StoreError::LimitReached),
        "bytes count too"
    );
    store
        .create_file_within(&file("limits-kim", None, "fits.pdf"), 9, 5 * 1234)
        .await
        .unwrap();
}

/// The real time, as the services' clock gives it (whole milliseconds).
fn system_now() -> jiff::Timestamp {
    server::domain::Clock::now(&server::domain::SystemClock)
}
