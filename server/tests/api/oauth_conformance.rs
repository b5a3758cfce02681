//! The `Store` conformance cases of the OAuth authorization server's records
//! (`store::oauth::OAuthRecords`, on the Store's entries), run on every store through
//! `store_conformance!` (re-exported by `store_conformance.rs`).

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use server::{
    domain::{
        Access, GrantId, TokenHash, UserId,
        oauth::{
            AccessRecord, CodeChallenge, CodeRecord, Grant, OAuthClient, PendingRequest,
            RefreshRecord,
        },
    },
    store::{
        Store, StoreError,
        oauth::{OAuthRecords, RefreshUse},
    },
};

fn user(sub: &str) -> UserId {
    UserId::from_verified_sub(sub)
}

fn now() -> Timestamp {
    server::domain::Clock::now(&server::domain::SystemClock)
}

fn client(id: &str) -> OAuthClient {
    OAuthClient {
        id: id.to_owned(),
        name: "Example".into(),
        site: "app.example".into(),
        logo_uri: None,
        redirect_uris: vec!["https://app.example/cb".into()],
    }
}

fn request() -> PendingRequest {
    PendingRequest {
        client: client("c1"),
        redirect_uri: "https://app.example/cb".into(),
        code_challenge: CodeChallenge::parse("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
            .unwrap(),
        state: Some("xyz".into()),
        access: Access::Read,
        resource: "https://tasko.example/mcp".into(),
    }
}

fn grant(client_id: &str, expires_at: Timestamp) -> Grant {
    Grant {
        id: GrantId::new(),
        client_id: client_id.to_owned(),
        client_name: "Example".into(),
        client_site: "app.example".into(),
        access: Access::Write,
        resource: "https://tasko.example/mcp".into(),
        created_at: Timestamp::from_second(now().as_second()).unwrap(),
        last_used_at: None,
        expires_at: Timestamp::from_second(expires_at.as_second()).unwrap(),
    }
}

/// A pending request and a code are read back, taken once (of two takers at once, one
/// wins), and gone after their expiry.
pub async fn oauth_requests_and_codes_are_taken_once_and_expire(store: Arc<dyn Store>) {
    let records = OAuthRecords::new(store);
    let at = now();
    let soon = at + SignedDuration::from_secs(60);
    records
        .put_request("req-1", &request(), soon, at)
        .await
        .unwrap();
    assert_eq!(
        records.get_request("req-1", at).await.unwrap(),
        Some(request())
    );
    let (one, two) = tokio::join!(
        records.take_request("req-1", at),
        records.take_request("req-1", at)
    );
    let taken = [one.unwrap(), two.unwrap()];
    assert_eq!(taken.iter().filter(|t| t.is_some()).count(), 1, "{taken:?}");
    assert_eq!(records.get_request("req-1", at).await.unwrap(), None);

    let code = CodeRecord {
        owner: user("ann-oauth"),
        grant: GrantId::new(),
        client: client("c1"),
        redirect_uri: "https://app.example/cb".into(),
        code_challenge: request().code_challenge,
        access: Access::Write,
        resource: "https://tasko.example/mcp".into(),
    };
    let hash = TokenHash::of("the-code");
    records.put_code(&hash, &code, soon, at).await.unwrap();
    // Expired: gone, whoever asks.
    let late = at + SignedDuration::from_secs(61);
    assert_eq!(records.take_code(&hash, late).await.unwrap(), None);
    assert_eq!(records.take_code(&hash, at).await.unwrap(), Some(code));
    assert_eq!(records.take_code(&hash, at).await.unwrap(), None);
}

/// Grants are their owner's, counted against a limit, found by id, noted when used and
/// removed; another owner's id is not found.
pub async fn oauth_grants_are_the_owners_counted_and_revoked(store: Arc<dyn Store>) {
    let records = OAuthRecords::new(store);
    let (ann, bob) = (user("ann-grants"), user("bob-grants"));
    let at = now();
    let month = at + SignedDuration::from_hours(24 * 30);
    let (first, second) = (grant("c1", month), grant("c2", month));
    records.add_grant(&ann, &first, 2, at).await.unwrap();
    records.add_grant(&ann, &second, 2, at).await.unwrap();
    assert_eq!(
        records.add_grant(&ann, &grant("c3", month), 2, at).await,
        Err(StoreError::LimitReached)
    );
    assert_eq!(
        records.list_grants(&ann, at).await.unwrap(),
        vec![first.clone(), second.clone()]
    );
    // At the limit, a client's new grant replaces its own oldest.
    let again = grant("c2", month);
    records.add_grant(&ann, &again, 2, at).await.unwrap();
    assert_eq!(
        records.list_grants(&ann, at).await.unwrap(),
        vec![first.clone(), again.clone()]
    );
    let second = again;
    assert_eq!(records.list_grants(&bob, at).await.unwrap(), vec![]);
    assert_eq!(records.find_grant(&bob, first.id, at).await.unwrap(), None);
    assert_eq!(
        records.remove_grant(&bob, first.id, at).await,
        Err(StoreError::NotFound)
    );

    // A use is noted once per interval; a refresh moves the grant's end.
    let used = at + SignedDuration::from_secs(5);
    let fresh_after = used - SignedDuration::from_secs(60);
    assert!(
        records
            .touch_grant(&ann, first.id, used, fresh_after, None)
            .await
            .unwrap()
    );
    assert!(
        !records
            .touch_grant(&ann, first.id, used, fresh_after, None)
            .await
            .unwrap()
    );
    let later_end =
        Timestamp::from_second((month + SignedDuration::from_hours(1)).as_second()).unwrap();
    assert!(
        records
            .touch_grant(&ann, first.id, used, fresh_after, Some(later_end))
            .await
            .unwrap()
    );
    let found = records
        .find_grant(&ann, first.id, at)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        found.last_used_at,
        Some(Timestamp::from_second(used.as_second()).unwrap())
    );
    assert_eq!(found.expires_at, later_end);

    records.remove_grant(&ann, first.id, at).await.unwrap();
    assert_eq!(records.find_grant(&ann, first.id, at).await.unwrap(), None);
    assert!(
        !records
            .touch_grant(&ann, first.id, used, fresh_after, None)
            .await
            .unwrap()
    );
    // A grant past its end is gone; the last one removed leaves nothing.
    let short = grant("c4", at + SignedDuration::from_secs(30));
    records.add_grant(&bob, &short, 2, at).await.unwrap();
    let after = at + SignedDuration::from_secs(31);
    assert_eq!(records.list_grants(&bob, after).await.unwrap(), vec![]);
    records.remove_grant(&ann, second.id, at).await.unwrap();
    assert_eq!(records.list_grants(&ann, at).await.unwrap(), vec![]);
}

/// Grants added at once by many requests are all kept, and the limit holds.
pub async fn of_concurrent_grants_the_limit_holds(store: Arc<dyn Store>) {
    let records = OAuthRecords::new(store);
    let ann = user("ann-grant-race");
    let at = now();
    let month = at + SignedDuration::from_hours(24 * 30);
    let adds = (0..6).map(|n| {
        let records = records.clone();
        let ann = ann.clone();
        async move {
            let g = grant(&format!("c{n}"), month);
            loop {
                // Many writers of one entry may run out of tries; a caller tries again.
                match records.add_grant(&ann, &g, 4, at).await {
                    Err(StoreError::Changed) => continue,
                    other => return other,
                }
            }
        }
    });
    let results = futures_util::future::join_all(adds).await;
    let added = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(added, 4, "{results:?}");
    assert!(
        results
            .iter()
            .all(|r| matches!(r, Ok(()) | Err(StoreError::LimitReached)))
    );
    assert_eq!(records.list_grants(&ann, at).await.unwrap().len(), 4);
}

/// A refresh token is fresh once: of two presentations at once exactly one gets it, the
/// other sees a reuse; a revoked one is unknown. Access tokens are read by digest, expire
/// and are deleted once.
pub async fn oauth_tokens_are_used_once_read_by_digest_and_revoked(store: Arc<dyn Store>) {
    let records = OAuthRecords::new(store);
    let at = now();
    let hour = at + SignedDuration::from_hours(1);
    let refresh = RefreshRecord {
        owner: user("ann-refresh"),
        grant: GrantId::new(),
        used: false,
    };
    let hash = TokenHash::of("tasko_ort_one");
    records
        .put_refresh(&hash, &refresh, hour, at)
        .await
        .unwrap();
    let (one, two) = tokio::join!(
        records.use_refresh(&hash, at),
        records.use_refresh(&hash, at)
    );
    let uses = [one.unwrap(), two.unwrap()];
    assert_eq!(
        uses.iter()
            .filter(|u| matches!(u, RefreshUse::Fresh(_)))
            .count(),
        1,
        "{uses:?}"
    );
    let used = RefreshRecord {
        used: true,
        ..refresh.clone()
    };
    assert!(uses.contains(&RefreshUse::Reused(used.clone())));
    assert_eq!(
        records.use_refresh(&hash, at).await.unwrap(),
        RefreshUse::Reused(used)
    );
    let taken = records.take_refresh(&hash, at).await.unwrap().unwrap();
    assert!(taken.used);
    assert_eq!(
        records.use_refresh(&hash, at).await.unwrap(),
        RefreshUse::Unknown
    );

    let access = AccessRecord {
        owner: user("ann-refresh"),
        grant: refresh.grant,
        access: Access::Read,
        resource: "https://tasko.example/mcp".into(),
        client_name: "Example".into(),
    };
    let digest = TokenHash::of("tasko_oat_one");
    records
        .put_access(&digest, &access, hour, at)
        .await
        .unwrap();
    assert_eq!(
        records.get_access(&digest, at).await.unwrap(),
        Some(access.clone())
    );
    let late = hour + SignedDuration::from_secs(1);
    assert_eq!(records.get_access(&digest, late).await.unwrap(), None);
    assert_eq!(
        records
            .get_access(&TokenHash::of("tasko_oat_two"), at)
            .await
            .unwrap(),
        None
    );
    assert!(records.delete_access(&digest, at).await.unwrap());
    assert!(!records.delete_access(&digest, at).await.unwrap());
    assert_eq!(records.get_access(&digest, at).await.unwrap(), None);
}

/// Registered clients and cached metadata documents read back until they expire; a client
/// in use is kept longer; registrations per address are counted per minute everywhere.
pub async fn oauth_clients_documents_and_registrations_expire(store: Arc<dyn Store>) {
    let records = OAuthRecords::new(store);
    let at = now();
    let day = at + SignedDuration::from_hours(24);
    let registered = client("tc_registered");
    records.put_client(&registered, day, at).await.unwrap();
    assert_eq!(
        records.put_client(&registered, day, at).await,
        Err(StoreError::Changed),
        "an id is registered once"
    );
    assert_eq!(
        records.get_client("tc_registered", at).await.unwrap(),
        Some(registered.clone())
    );
    let keep = SignedDuration::from_hours(24 * 180);
    records
        .keep_client("tc_registered", keep, at)
        .await
        .unwrap();
    let after_a_day = day + SignedDuration::from_secs(1);
    assert_eq!(
        records
            .get_client("tc_registered", after_a_day)
            .await
            .unwrap(),
        Some(registered),
        "kept for its use"
    );
    assert_eq!(records.get_client("tc_other", at).await.unwrap(), None);

    let url_hash = TokenHash::of("https://app.example/client.json");
    let document = client("https://app.example/client.json");
    records
        .cache_document(&url_hash, &document, day, at)
        .await
        .unwrap();
    // A second cache of the same document (another instance's fetch) is not an error.
    records
        .cache_document(&url_hash, &document, day, at)
        .await
        .unwrap();
    assert_eq!(
        records.cached_document(&url_hash, at).await.unwrap(),
        Some(document)
    );
    assert_eq!(
        records
            .cached_document(&url_hash, after_a_day)
            .await
            .unwrap(),
        None
    );

    for _ in 0..3 {
        assert!(
            records
                .take_registration("198.51.100.7", 3, at)
                .await
                .unwrap()
        );
    }
    assert!(
        !records
            .take_registration("198.51.100.7", 3, at)
            .await
            .unwrap()
    );
    assert!(
        records
            .take_registration("198.51.100.8", 3, at)
            .await
            .unwrap()
    );
    let next_minute = at + SignedDuration::from_secs(61);
    assert!(
        records
            .take_registration("198.51.100.7", 3, next_minute)
            .await
            .unwrap()
    );
}
