//! The `Store` conformance cases of change records (the activity log) and personal access
//! tokens, run on every store through `store_conformance!` (re-exported by
//! `store_conformance.rs`).

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use server::{
    domain::{Access, AccessToken, AccessTokenId, ChangeId, Entry, TokenHash, TokenName, UserId},
    store::{Store, StoreError},
};

fn user(sub: &str) -> UserId {
    UserId::from_verified_sub(sub)
}

fn now() -> Timestamp {
    server::domain::Clock::now(&server::domain::SystemClock)
}

fn change(n: u64, expires_at: Timestamp) -> (ChangeId, Entry) {
    let id = ChangeId::new();
    let entry = Entry::new(id.to_string(), serde_json::json!({ "n": n }), expires_at);
    (id, entry)
}

fn body_numbers(entries: &[Entry]) -> Vec<u64> {
    entries
        .iter()
        .map(|e| e.body["n"].as_u64().unwrap())
        .collect()
}

/// Change records are the owner's: read back by (owner, id), written conditionally on
/// their version, listed newest first in pages, and gone once expired.
pub async fn change_records_are_the_owners_listed_newest_first_and_expire(store: Arc<dyn Store>) {
    let (ann, bob) = (user("ann-changes"), user("bob-changes"));
    let at = now();
    let later = at + SignedDuration::from_hours(24);
    let mut ids = Vec::new();
    for n in 1..=4 {
        let (id, entry) = change(n, later);
        store.put_change(&ann, id, &entry, None, at).await.unwrap();
        ids.push((id, entry));
    }
    let (bobs, bob_entry) = change(99, later);
    store
        .put_change(&bob, bobs, &bob_entry, None, at)
        .await
        .unwrap();

    let (first, first_entry) = &ids[0];
    assert_eq!(
        store.get_change(&ann, *first, at).await.unwrap().as_ref(),
        Some(first_entry)
    );
    // Another owner's id reads as missing, both ways.
    assert_eq!(store.get_change(&bob, *first, at).await.unwrap(), None);
    assert_eq!(store.get_change(&ann, bobs, at).await.unwrap(), None);

    let all = store.list_changes(&ann, None, 10, at).await.unwrap();
    assert_eq!(body_numbers(&all), vec![4, 3, 2, 1]);
    let page = store.list_changes(&ann, None, 2, at).await.unwrap();
    assert_eq!(body_numbers(&page), vec![4, 3]);
    let after = ChangeId::parse(&page[1].key).unwrap();
    let rest = store.list_changes(&ann, Some(after), 2, at).await.unwrap();
    assert_eq!(body_numbers(&rest), vec![2, 1]);
    let bobs_list = store.list_changes(&bob, None, 10, at).await.unwrap();
    assert_eq!(body_numbers(&bobs_list), vec![99]);

    // A second create of one id is refused; an update needs the version read.
    assert_eq!(
        store.put_change(&ann, *first, first_entry, None, at).await,
        Err(StoreError::Changed)
    );
    let next = first_entry.next(serde_json::json!({ "n": 1, "undone": true }), later);
    store
        .put_change(&ann, *first, &next, Some(1), at)
        .await
        .unwrap();
    assert_eq!(
        store.put_change(&ann, *first, &next, Some(1), at).await,
        Err(StoreError::Changed)
    );
    assert_eq!(
        store.get_change(&ann, *first, at).await.unwrap(),
        Some(next)
    );

    // Past its expiry a record is gone from reads and lists.
    let (short, short_entry) = change(5, at + SignedDuration::from_secs(10));
    store
        .put_change(&ann, short, &short_entry, None, at)
        .await
        .unwrap();
    let then = at + SignedDuration::from_secs(11);
    assert_eq!(store.get_change(&ann, short, then).await.unwrap(), None);
    let listed = store.list_changes(&ann, None, 10, then).await.unwrap();
    assert_eq!(body_numbers(&listed), vec![4, 3, 2, 1]);
}

fn token(owner: &str, name: &str, secret: &str) -> AccessToken {
    AccessToken {
        id: AccessTokenId::new(),
        owner: user(owner),
        name: TokenName::parse(name).unwrap(),
        access: Access::Write,
        hash: TokenHash::of(secret),
        created_at: now(),
        last_used_at: None,
    }
}

/// A token is found by its digest, listed by its owner only, and gone at once when revoked;
/// the per-owner limit counts the tokens held (a revoke frees a place).
pub async fn access_tokens_are_found_by_digest_listed_by_owner_and_revoked(store: Arc<dyn Store>) {
    let first = token("ann-tokens", "CI", "tasko_pat_one");
    let mut second = token("ann-tokens", "Phone", "tasko_pat_two");
    second.access = Access::Read;
    let bobs = token("bob-tokens", "Laptop", "tasko_pat_three");
    for t in [&first, &second, &bobs] {
        store.create_access_token(t, 2).await.unwrap();
    }
    assert_eq!(
        store.find_access_token(&first.hash).await.unwrap(),
        Some(first.clone())
    );
    assert_eq!(
        store
            .find_access_token(&TokenHash::of("tasko_pat_none"))
            .await
            .unwrap(),
        None
    );
    let anns = store.list_access_tokens(&first.owner).await.unwrap();
    assert_eq!(anns, vec![first.clone(), second.clone()]);
    assert_eq!(
        store.list_access_tokens(&bobs.owner).await.unwrap(),
        vec![bobs.clone()]
    );

    // At the limit; the same digest twice is refused whatever the owner.
    let third = token("ann-tokens", "Third", "tasko_pat_four");
    assert_eq!(
        store.create_access_token(&third, 2).await,
        Err(StoreError::LimitReached)
    );
    let copy = token("bob-tokens", "Copy", "tasko_pat_one");
    assert_eq!(
        store.create_access_token(&copy, 5).await,
        Err(StoreError::AlreadyExists)
    );

    // Another owner cannot revoke it; its owner can, once.
    assert_eq!(
        store.delete_access_token(&bobs.owner, first.id).await,
        Err(StoreError::NotFound)
    );
    assert!(
        store
            .find_access_token(&first.hash)
            .await
            .unwrap()
            .is_some()
    );
    store
        .delete_access_token(&first.owner, first.id)
        .await
        .unwrap();
    assert_eq!(store.find_access_token(&first.hash).await.unwrap(), None);
    assert_eq!(
        store.delete_access_token(&first.owner, first.id).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(
        store.list_access_tokens(&first.owner).await.unwrap(),
        vec![second.clone()]
    );
    // The revoke freed a place.
    store.create_access_token(&third, 2).await.unwrap();
}

/// `last_used_at` is written only when it is older than the interval, so many requests (on
/// many instances) write it once per interval; a revoked token is not written.
pub async fn a_tokens_last_use_is_written_at_most_once_per_interval(store: Arc<dyn Store>) {
    let t = token("ann-touch", "Script", "tasko_pat_touch");
    store.create_access_token(&t, 50).await.unwrap();
    let minute = SignedDuration::from_secs(60);
    let t0 = Timestamp::from_second(now().as_second()).unwrap();
    assert!(
        store
            .touch_access_token(&t.hash, t0, t0 - minute)
            .await
            .unwrap()
    );
    let soon = t0 + SignedDuration::from_secs(10);
    assert!(
        !store
            .touch_access_token(&t.hash, soon, soon - minute)
            .await
            .unwrap()
    );
    let read = store.find_access_token(&t.hash).await.unwrap().unwrap();
    assert_eq!(read.last_used_at, Some(t0));
    let later = t0 + SignedDuration::from_secs(61);
    assert!(
        store
            .touch_access_token(&t.hash, later, later - minute)
            .await
            .unwrap()
    );
    let read = store.find_access_token(&t.hash).await.unwrap().unwrap();
    assert_eq!(read.last_used_at, Some(later));
    assert_eq!(
        store.list_access_tokens(&t.owner).await.unwrap(),
        vec![read]
    );

    store.delete_access_token(&t.owner, t.id).await.unwrap();
    let much_later = later + minute + minute;
    assert!(
        !store
            .touch_access_token(&t.hash, much_later, much_later - minute)
            .await
            .unwrap()
    );
    assert_eq!(store.find_access_token(&t.hash).await.unwrap(), None);
}

/// Concurrent creates cannot pass the per-owner limit together.
pub async fn of_concurrent_token_creates_the_limit_holds(store: Arc<dyn Store>) {
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                let t = token("ann-race", &format!("T{i}"), &format!("tasko_pat_race{i}"));
                store.create_access_token(&t, 3).await
            })
        })
        .collect();
    let mut created = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(()) => created += 1,
            Err(StoreError::LimitReached) => {}
            Err(other) => panic!("{other:?}"),
        }
    }
    assert_eq!(created, 3);
    assert_eq!(
        store
            .list_access_tokens(&user("ann-race"))
            .await
            .unwrap()
            .len(),
        3
    );
}
