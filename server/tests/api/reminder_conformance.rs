//! The `Store` conformance cases of reminders (issue 27): the time index written with the
//! todo, the claim that only one sweep wins, the notifications list. Run on every store
//! through `store_conformance!` (re-exported by `store_conformance.rs`). Each case uses its
//! own owner and filters what the index answers by it: on the stack's tables (infra tests)
//! all cases share one table.

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use serde_json::json;
use server::{
    domain::{DueReminder, Entry, NotificationId, ReminderClaim, Todo, UserId},
    store::Store,
};

use crate::store_conformance::todo;

fn owner(prefix: &str) -> String {
    format!("{prefix}-{}", uuid::Uuid::new_v4().simple())
}

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

/// What the index holds for `owner` due from `since` to `now`.
async fn due_for(
    store: &Arc<dyn Store>,
    owner: &UserId,
    since: &str,
    now: &str,
) -> Vec<(server::domain::TodoId, Timestamp)> {
    store
        .due_reminders(at(since), at(now), 10_000)
        .await
        .unwrap()
        .into_iter()
        .filter(|d| &d.owner == owner)
        .map(|d| (d.todo, d.at))
        .collect()
}

fn with_reminder(owner: &str, title: &str, remind_at: Option<&str>) -> Todo {
    let mut t = todo(owner, title);
    t.remind_at = remind_at.map(at);
    t
}

fn claim_of(t: &Todo, due_at: &str, next: Option<&str>, now: Timestamp) -> ReminderClaim {
    let later = now + SignedDuration::from_hours(24);
    let id = NotificationId::new();
    ReminderClaim {
        due: DueReminder {
            owner: t.owner.clone(),
            todo: t.id,
            at: at(due_at),
        },
        next: next.map(at),
        claim: Entry::new(
            format!(
                "reminder:{}:{}:{}",
                t.owner.as_str(),
                t.id,
                at(due_at).as_millisecond()
            ),
            json!({}),
            later,
        ),
        token: Entry::new(
            format!("push-action:{}", uuid::Uuid::new_v4().simple()),
            json!({ "todo": t.id }),
            later,
        ),
        notification: Entry::new(id.to_string(), json!({ "title": t.title.as_str() }), later),
    }
}

/// A live todo's next reminder is in the time index from the write that sets it, moves
/// with every update, leaves with a delete and comes back with a restore.
pub async fn a_todos_next_reminder_is_indexed_in_the_same_write(store: Arc<dyn Store>) {
    let sub = owner("rem-index");
    let user = UserId::from_verified_sub(sub.clone());
    let t = with_reminder(&sub, "Dentist", Some("2031-03-05T08:00:00Z"));
    let plain = with_reminder(&sub, "No reminder", None);
    store.create_todo(&t).await.unwrap();
    store.create_todo(&plain).await.unwrap();
    assert_eq!(store.get_todo(&user, t.id).await.unwrap(), t);
    let window = ("2031-03-05T07:50:00Z", "2031-03-05T08:00:00Z");
    assert_eq!(
        due_for(&store, &user, window.0, window.1).await,
        vec![(t.id, at("2031-03-05T08:00:00Z"))]
    );
    assert!(
        due_for(
            &store,
            &user,
            "2031-03-05T07:00:00Z",
            "2031-03-05T07:59:59Z"
        )
        .await
        .is_empty(),
        "not due before its moment"
    );

    let mut moved = t.clone();
    moved.remind_at = Some(at("2031-03-05T09:30:00Z"));
    moved.version = 2;
    store.update_todo(&moved, 1).await.unwrap();
    assert!(due_for(&store, &user, window.0, window.1).await.is_empty());
    let later = ("2031-03-05T09:20:00Z", "2031-03-05T09:31:00Z");
    assert_eq!(
        due_for(&store, &user, later.0, later.1).await,
        vec![(t.id, at("2031-03-05T09:30:00Z"))]
    );

    let until = Timestamp::now() + SignedDuration::from_secs(600);
    store.trash_todo(&user, t.id, None, until).await.unwrap();
    assert!(due_for(&store, &user, later.0, later.1).await.is_empty());
    let restored = store
        .restore_todo(&user, t.id, Timestamp::now())
        .await
        .unwrap();
    assert_eq!(restored.remind_at, moved.remind_at);
    assert_eq!(due_for(&store, &user, later.0, later.1).await.len(), 1);

    let mut none = restored.clone();
    none.remind_at = None;
    none.version += 1;
    store.update_todo(&none, restored.version).await.unwrap();
    assert!(due_for(&store, &user, later.0, later.1).await.is_empty());
    assert_eq!(store.get_todo(&user, t.id).await.unwrap().remind_at, None);

    let mut again = none.clone();
    again.remind_at = moved.remind_at;
    again.version += 1;
    store.update_todo(&again, none.version).await.unwrap();
    store.delete_todo(&user, t.id, None).await.unwrap();
    assert!(due_for(&store, &user, later.0, later.1).await.is_empty());
}

/// A claim moves the todo to its next reminder and records the token and the
/// notification in one write; a second claim of the same reminder gets nothing, also after
/// an edit put the reminder back (which the losing claim moves on again).
pub async fn a_due_reminder_is_claimed_once_and_moved_on(store: Arc<dyn Store>) {
    let sub = owner("rem-claim");
    let user = UserId::from_verified_sub(sub.clone());
    let now = Timestamp::now();
    let t = with_reminder(&sub, "Call mum", Some("2031-04-01T10:00:00Z"));
    store.create_todo(&t).await.unwrap();
    let claim = claim_of(
        &t,
        "2031-04-01T10:00:00Z",
        Some("2031-04-02T10:00:00Z"),
        now,
    );
    assert!(store.claim_reminder(&claim, now).await.unwrap());
    let stored = store.get_todo(&user, t.id).await.unwrap();
    assert_eq!(stored.remind_at, Some(at("2031-04-02T10:00:00Z")));
    assert_eq!(stored.version, t.version, "a claim is not an edit");
    assert_eq!(
        due_for(
            &store,
            &user,
            "2031-04-01T09:50:00Z",
            "2031-04-02T10:00:00Z"
        )
        .await,
        vec![(t.id, at("2031-04-02T10:00:00Z"))]
    );
    let token = store.get_entry(&claim.token.key, now).await.unwrap();
    assert_eq!(token.map(|e| e.body), Some(claim.token.body.clone()));
    let listed = store.list_notifications(&user, 20, now).await.unwrap();
    assert_eq!(listed, vec![claim.notification.clone()]);

    // The same reminder again: the todo is elsewhere now, nothing is written.
    let mut twice = claim_of(&t, "2031-04-01T10:00:00Z", None, now);
    twice.claim = claim.claim.clone();
    assert!(!store.claim_reminder(&twice, now).await.unwrap());
    assert_eq!(
        store
            .list_notifications(&user, 20, now)
            .await
            .unwrap()
            .len(),
        1
    );

    // An edit read before the claim puts the reminder back: the claim holds, and the
    // reminder is moved on without a second notification.
    let mut edited = stored.clone();
    edited.remind_at = Some(at("2031-04-01T10:00:00Z"));
    edited.version += 1;
    store.update_todo(&edited, stored.version).await.unwrap();
    let mut third = claim_of(
        &t,
        "2031-04-01T10:00:00Z",
        Some("2031-04-02T10:00:00Z"),
        now,
    );
    third.claim = claim.claim.clone();
    assert!(!store.claim_reminder(&third, now).await.unwrap());
    assert_eq!(
        store.get_todo(&user, t.id).await.unwrap().remind_at,
        Some(at("2031-04-02T10:00:00Z"))
    );
    assert_eq!(
        store
            .list_notifications(&user, 20, now)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(store.get_entry(&third.token.key, now).await.unwrap(), None);
}

/// Many sweeps claiming one reminder at once: exactly one gets it.
pub async fn of_concurrent_claims_of_one_reminder_exactly_one_wins(store: Arc<dyn Store>) {
    let sub = owner("rem-race");
    let user = UserId::from_verified_sub(sub.clone());
    let now = Timestamp::now();
    let t = with_reminder(&sub, "Race", Some("2031-05-01T06:00:00Z"));
    store.create_todo(&t).await.unwrap();
    let key = claim_of(&t, "2031-05-01T06:00:00Z", None, now).claim;
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let store = store.clone();
        let mut claim = claim_of(&t, "2031-05-01T06:00:00Z", None, now);
        claim.claim = key.clone();
        tasks.push(tokio::spawn(async move {
            store.claim_reminder(&claim, now).await
        }));
    }
    let mut won = 0;
    for task in tasks {
        // A store may refuse a racing transaction outright (DynamoDB's conflicts): that
        // sweep took nothing either.
        if let Ok(true) = task.await.unwrap() {
            won += 1;
        }
    }
    assert_eq!(won, 1);
    assert_eq!(
        store
            .list_notifications(&user, 20, now)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(store.get_todo(&user, t.id).await.unwrap().remind_at, None);
}

/// The notifications list is the owner's, newest first, at most the limit, and expired
/// ones are gone.
pub async fn notifications_are_the_owners_newest_first_and_expire(store: Arc<dyn Store>) {
    let sub = owner("rem-notes");
    let user = UserId::from_verified_sub(sub.clone());
    let now = Timestamp::now();
    let mut keys = Vec::new();
    for (i, moment) in [
        "2031-06-01T08:00:00Z",
        "2031-06-01T08:01:00Z",
        "2031-06-01T08:02:00Z",
    ]
    .into_iter()
    .enumerate()
    {
        let t = with_reminder(&sub, &format!("Note {i}"), Some(moment));
        store.create_todo(&t).await.unwrap();
        let claim = claim_of(&t, moment, None, now);
        keys.push(claim.notification.key.clone());
        assert!(store.claim_reminder(&claim, now).await.unwrap());
    }
    let listed: Vec<String> = store
        .list_notifications(&user, 2, now)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.key)
        .collect();
    assert_eq!(listed, vec![keys[2].clone(), keys[1].clone()]);
    let other = UserId::from_verified_sub(owner("rem-notes-other"));
    assert!(
        store
            .list_notifications(&other, 20, now)
            .await
            .unwrap()
            .is_empty()
    );
    let past = now + SignedDuration::from_hours(25);
    assert!(
        store
            .list_notifications(&user, 20, past)
            .await
            .unwrap()
            .is_empty()
    );
}
