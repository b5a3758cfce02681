//! The `Store` conformance cases of push subscriptions, run on every store through
//! `store_conformance!` (re-exported by `store_conformance.rs`).

use std::{collections::BTreeSet, sync::Arc};

use server::{
    domain::{EndpointKey, PushSubscription, UserId},
    store::{Store, StoreError},
};

fn user(sub: &str) -> UserId {
    UserId::from_verified_sub(sub)
}

fn subscription(owner: &str, endpoint: &str, auth: &str) -> PushSubscription {
    PushSubscription {
        owner: user(owner),
        endpoint: endpoint.to_owned(),
        p256dh: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"
            .to_owned(),
        auth: auth.to_owned(),
        expires_at: Some("2027-01-01T00:00:00Z".parse().unwrap()),
        created_at: "2026-12-06T09:00:00Z".parse().unwrap(),
    }
}

fn endpoints(found: &[PushSubscription]) -> BTreeSet<String> {
    found.iter().map(|s| s.endpoint.clone()).collect()
}

/// A subscription is the owner's, keyed by its endpoint: saved new once, then its keys
/// replaced; listed per owner; forgotten by its owner only; the limit counts the new ones.
/// An endpoint is one browser: whoever subscribes it last holds it, and the previous
/// holder's subscription of it is gone (their reminders must not reach that browser).
pub async fn push_subscriptions_are_the_owners_keyed_by_endpoint_and_limited(
    store: Arc<dyn Store>,
) {
    let (ann, bob) = (user("ann-push"), user("bob-push"));
    let phone = subscription("ann-push", "https://push.example/phone", "auth-one");
    let laptop = subscription("ann-push", "https://push.example/laptop", "auth-two");
    assert_eq!(store.put_push_subscription(&phone, 2).await, Ok(true));
    assert_eq!(store.put_push_subscription(&laptop, 2).await, Ok(true));
    let found = store.list_push_subscriptions(&ann).await.unwrap();
    assert_eq!(found.len(), 2);
    assert!(
        found.contains(&phone) && found.contains(&laptop),
        "{found:?}"
    );

    // At the limit a known browser is still saved (new keys), a new one is not.
    let renewed = subscription("ann-push", "https://push.example/phone", "auth-three");
    assert_eq!(store.put_push_subscription(&renewed, 2).await, Ok(false));
    let tablet = subscription("ann-push", "https://push.example/tablet", "auth-four");
    assert_eq!(
        store.put_push_subscription(&tablet, 2).await,
        Err(StoreError::LimitReached)
    );
    let found = store.list_push_subscriptions(&ann).await.unwrap();
    assert!(
        found.contains(&renewed) && !found.contains(&phone),
        "{found:?}"
    );
    assert_eq!(found.len(), 2);
    let key = EndpointKey::of("https://push.example/phone");
    assert_eq!(
        store.push_subscription_at(&key).await,
        Ok(Some(renewed.clone()))
    );

    // Bob subscribes the same browser: it is his now, Ann's subscription of it is gone and
    // her count with it (the tablet fits).
    let bobs = subscription("bob-push", "https://push.example/phone", "auth-bob");
    assert_eq!(store.put_push_subscription(&bobs, 2).await, Ok(true));
    assert_eq!(
        store.list_push_subscriptions(&bob).await.unwrap(),
        vec![bobs.clone()]
    );
    assert_eq!(
        store.list_push_subscriptions(&ann).await.unwrap(),
        vec![laptop.clone()]
    );
    assert_eq!(
        store.push_subscription_at(&key).await,
        Ok(Some(bobs.clone()))
    );
    assert_eq!(store.put_push_subscription(&tablet, 2).await, Ok(true));
    assert_eq!(
        endpoints(&store.list_push_subscriptions(&ann).await.unwrap()),
        BTreeSet::from([
            "https://push.example/laptop".to_owned(),
            "https://push.example/tablet".to_owned()
        ])
    );

    // Only its holder can forget it, once; then no one holds it.
    for other in [&ann, &user("eve-push")] {
        assert_eq!(store.delete_push_subscription(other, &key).await, Ok(false));
    }
    assert_eq!(store.push_subscription_at(&key).await, Ok(Some(bobs)));
    assert_eq!(store.delete_push_subscription(&bob, &key).await, Ok(true));
    assert_eq!(store.delete_push_subscription(&bob, &key).await, Ok(false));
    assert_eq!(store.push_subscription_at(&key).await, Ok(None));
    assert!(
        store
            .list_push_subscriptions(&bob)
            .await
            .unwrap()
            .is_empty()
    );
    // Bob's count went down with it: he has room for two again.
    for (n, endpoint) in ["https://push.example/b1", "https://push.example/b2"]
        .iter()
        .enumerate()
    {
        let next = subscription("bob-push", endpoint, &format!("auth-b{n}"));
        assert_eq!(store.put_push_subscription(&next, 2).await, Ok(true));
    }
    assert!(
        store
            .list_push_subscriptions(&user("nobody-push"))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store
            .push_subscription_at(&EndpointKey::of("https://push.example/none"))
            .await,
        Ok(None)
    );
}

/// Browsers subscribing at the same time cannot pass the limit together.
pub async fn of_concurrent_subscriptions_the_limit_holds(store: Arc<dyn Store>) {
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                let s = subscription("ann-push-race", &format!("https://push.example/{i}"), "a");
                store.put_push_subscription(&s, 3).await
            })
        })
        .collect();
    let mut created = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(true) => created += 1,
            Err(StoreError::LimitReached) => {}
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(created, 3);
    let held = store
        .list_push_subscriptions(&user("ann-push-race"))
        .await
        .unwrap();
    assert_eq!(held.len(), 3);
}
