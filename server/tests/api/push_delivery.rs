//! Web Push end to end: `end2end/push/standin.py` plays the push service and the browser
//! (its own P-256 key pair and auth secret per subscriber; VAPID checked with the key from
//! `GET /api/push/key`; the payload decrypted by Python's `http_ece`, not by our code), the
//! subscription goes through the API as a browser sends it, and `PushService::deliver` is
//! called as the reminders' sweep calls it. The stand-in runs on the venv's Python
//! (`TASKO_PYTHON`, default `.venv/bin/python` of the workspace, which `make test` installs).

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
};

use app::wire::push::PushPayload;
use reqwest::Method;
use serde_json::{Value, json};
use server::{
    domain::UserId,
    push::{DeliveryReport, vapid::VapidKey},
};

use crate::helpers::{TestApp, TestClock, spawn_app, spawn_app_with, spawn_app_with_clock};

/// The stand-in push service, stopped when dropped.
struct PushStandin {
    child: Child,
    base: String,
    client: reqwest::Client,
}

impl Drop for PushStandin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl PushStandin {
    fn start() -> Self {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let python = std::env::var("TASKO_PYTHON")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|_| root.join(".venv/bin/python"));
        let mut child = Command::new(&python)
            .arg(root.join("end2end/push/standin.py"))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("{} runs the push stand-in: {e}", python.display()));
        let mut ready = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut ready)
            .unwrap();
        let port = ready
            .strip_prefix("READY ")
            .unwrap_or_else(|| panic!("the stand-in did not start (needs http_ece): {ready:?}"))
            .trim()
            .to_owned();
        Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
            client: reqwest::Client::new(),
        }
    }

    /// A new browser that will answer messages with `answers` in turn (the last repeats);
    /// its id and its `PushSubscription.toJSON()`.
    async fn subscriber(&self, vapid_key: &str, answers: &[u16]) -> (String, Value) {
        let made: Value = self
            .client
            .post(format!("{}/subscribers", self.base))
            .json(&json!({"vapidPublicKey": vapid_key, "answers": answers}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        (
            made["id"].as_str().unwrap().to_owned(),
            made["subscription"].clone(),
        )
    }

    /// What the browser received (decrypted) and what the service refused, with reasons.
    async fn inbox(&self, id: &str) -> (Vec<Value>, Vec<String>) {
        let inbox: Value = self
            .client
            .get(format!("{}/subscribers/{id}/messages", self.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let rejected = inbox["rejected"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap().to_owned())
            .collect();
        (inbox["messages"].as_array().unwrap().clone(), rejected)
    }
}

fn payload(title: &str) -> PushPayload {
    PushPayload {
        kind: "reminder".into(),
        todo_id: "0193a6f0-0000-7000-8000-000000000001".into(),
        title: title.into(),
        body: "Due today at 09:00".into(),
        url: "/?todo=0193a6f0-0000-7000-8000-000000000001".into(),
        action_token: "an-action-token".into(),
    }
}

fn report(sent: usize, gone: usize, failed: usize) -> DeliveryReport {
    DeliveryReport { sent, gone, failed }
}

/// An app that may send to the stand-in on 127.0.0.1 (`PUSH_ALLOW_LOOPBACK=1`), a user.
async fn app_and_user(email: &str) -> (TestApp, String, UserId) {
    let app = spawn_app_with(&[("PUSH_ALLOW_LOOPBACK", "1")]).await;
    let token = app.token_for(email).await;
    let user = UserId::from_verified_sub(&app.sub_of(&token).await);
    (app, token, user)
}

async fn vapid_key(app: &TestApp) -> String {
    let key: Value = app
        .client
        .get(format!("{}/api/push/key", app.address))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    key["publicKey"].as_str().unwrap().to_owned()
}

async fn subscribe(app: &TestApp, token: &str, subscription: &Value) -> (u16, Value) {
    app.api_json(
        Method::POST,
        "/api/push/subscriptions",
        token,
        Some(subscription.clone()),
    )
    .await
}

#[tokio::test]
async fn a_reminder_reaches_the_browser_encrypted_and_signed_for_its_push_service() {
    let standin = PushStandin::start();
    let (app, token, user) = app_and_user("push-ann@example.com").await;
    let key = vapid_key(&app).await;
    let (id, subscription) = standin.subscriber(&key, &[201]).await;

    assert_eq!(subscribe(&app, &token, &subscription).await.0, 201);
    // The same browser again (a page load re-sends it): known, not a second one.
    assert_eq!(subscribe(&app, &token, &subscription).await.0, 200);

    let sent = payload("Dentist — bring the card ✓");
    let delivered = app.push.deliver(&user, &sent).await.unwrap();
    assert_eq!(delivered, report(1, 0, 0));
    let (messages, rejected) = standin.inbox(&id).await;
    assert_eq!(rejected, Vec::<String>::new());
    assert_eq!(messages, vec![serde_json::to_value(&sent).unwrap()]);

    // A payload too large for any push service is not sent.
    let huge = payload(&"x".repeat(server::push::PAYLOAD_MAX_BYTES));
    assert_eq!(
        app.push.deliver(&user, &huge).await.unwrap(),
        report(0, 0, 1)
    );
    assert_eq!(standin.inbox(&id).await.0.len(), 1);

    // Another user's delivery reaches none of Ann's browsers.
    let bob = UserId::from_verified_sub("someone-else");
    assert_eq!(
        app.push.deliver(&bob, &sent).await.unwrap(),
        report(0, 0, 0)
    );
    assert_eq!(standin.inbox(&id).await.0.len(), 1);
}

#[tokio::test]
async fn gone_browsers_are_forgotten_and_busy_ones_kept_for_the_next_try() {
    let standin = PushStandin::start();
    let (app, token, user) = app_and_user("push-gone@example.com").await;
    let key = vapid_key(&app).await;
    let (kept, kept_subscription) = standin.subscriber(&key, &[201]).await;
    let (_, gone_subscription) = standin.subscriber(&key, &[410]).await;
    let (_, missing_subscription) = standin.subscriber(&key, &[404]).await;
    // Busy, then failing, then a redirect (never followed), then taking it.
    let (busy, busy_subscription) = standin.subscriber(&key, &[429, 503, 307, 201]).await;
    for subscription in [
        &kept_subscription,
        &gone_subscription,
        &missing_subscription,
        &busy_subscription,
    ] {
        assert_eq!(subscribe(&app, &token, subscription).await.0, 201);
    }

    let first = app.push.deliver(&user, &payload("Water the ferns")).await;
    assert_eq!(first.unwrap(), report(1, 2, 1));
    let left = app.store.list_push_subscriptions(&user).await.unwrap();
    let endpoints: Vec<&str> = left.iter().map(|s| s.endpoint.as_str()).collect();
    assert_eq!(left.len(), 2, "{endpoints:?}");
    for subscription in [&kept_subscription, &busy_subscription] {
        assert!(endpoints.contains(&subscription["endpoint"].as_str().unwrap()));
    }

    for _ in 0..2 {
        let again = app.push.deliver(&user, &payload("Water the ferns")).await;
        assert_eq!(again.unwrap(), report(1, 0, 1));
    }
    let last = app.push.deliver(&user, &payload("Water the ferns")).await;
    assert_eq!(last.unwrap(), report(2, 0, 0));
    assert_eq!(standin.inbox(&kept).await.0.len(), 4);
    let (busy_messages, busy_rejected) = standin.inbox(&busy).await;
    assert_eq!((busy_messages.len(), busy_rejected.len()), (1, 0));
}

#[tokio::test]
async fn an_unsubscribed_browser_gets_nothing() {
    let standin = PushStandin::start();
    let (app, token, user) = app_and_user("push-off@example.com").await;
    let (id, subscription) = standin.subscriber(&vapid_key(&app).await, &[201]).await;
    assert_eq!(subscribe(&app, &token, &subscription).await.0, 201);
    let endpoint = json!({"endpoint": subscription["endpoint"]});
    for _ in 0..2 {
        let (status, _) = app
            .api_json(
                Method::DELETE,
                "/api/push/subscriptions",
                &token,
                Some(endpoint.clone()),
            )
            .await;
        assert_eq!(status, 204);
    }
    let delivered = app.push.deliver(&user, &payload("Call mum")).await.unwrap();
    assert_eq!(delivered, report(0, 0, 0));
    assert!(standin.inbox(&id).await.0.is_empty());
}

/// The stand-in's checks can fail: a message signed by another server's key, one whose
/// token has expired, names another audience or no contact, is refused and not shown.
#[tokio::test]
async fn the_standin_refuses_what_a_push_service_refuses() {
    let standin = PushStandin::start();
    let (app, token, user) = app_and_user("push-forged@example.com").await;
    let (id, subscription) = standin.subscriber(&vapid_key(&app).await, &[201]).await;
    // Another server (its own VAPID key) delivering to a browser subscribed to ours.
    let (other, other_token, other_user) = app_and_user("push-other@example.com").await;
    assert_eq!(subscribe(&other, &other_token, &subscription).await.0, 201);
    let forged = other
        .push
        .deliver(&other_user, &payload("x"))
        .await
        .unwrap();
    assert_eq!(forged, report(0, 0, 1));

    // Tokens made with our own key, but wrong; and one made with the other server's key
    // that claims to be ours.
    let key_of = |app: &TestApp| {
        let pem = std::fs::read_to_string(app.data_dir().join(server::push::vapid::KEY_FILE));
        VapidKey::from_pem(&pem.unwrap()).unwrap()
    };
    let (key, other_key) = (key_of(&app), key_of(&other));
    let endpoint = reqwest::Url::parse(subscription["endpoint"].as_str().unwrap()).unwrap();
    let now = jiff::Timestamp::now();
    let hours = jiff::SignedDuration::from_hours;
    let elsewhere = reqwest::Url::parse("https://push.example/x").unwrap();
    let contact = "mailto:ops@tasko.example";
    let claimed = other_key
        .authorization(&endpoint, contact, now)
        .map(|h| h.replace(other_key.public_key(), key.public_key()));
    let bad = [
        claimed,
        key.authorization(&endpoint, contact, now - hours(13)),
        key.authorization(&elsewhere, contact, now),
        key.authorization(&endpoint, "ops@tasko.example", now),
        key.authorization(&endpoint, contact, now + hours(13)),
    ];
    for authorization in bad {
        let status = app
            .client
            .post(endpoint.clone())
            .header("authorization", authorization.unwrap())
            .header("content-encoding", "aes128gcm")
            .header("ttl", "60")
            .body(vec![0u8; 100])
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 401);
    }
    let (messages, rejected) = standin.inbox(&id).await;
    assert!(messages.is_empty());
    let reasons = rejected.join(" | ");
    for expected in [
        "application server key",
        "signature",
        "has passed",
        "aud",
        "sub",
        "24 hours",
    ] {
        assert!(reasons.contains(expected), "{expected}: {reasons}");
    }

    // The real thing still gets through.
    assert_eq!(subscribe(&app, &token, &subscription).await.0, 201);
    let delivered = app.push.deliver(&user, &payload("x")).await.unwrap();
    assert_eq!(delivered, report(1, 0, 0));
}

#[tokio::test]
async fn the_guard_refuses_endpoints_the_server_may_not_reach() {
    let strict = spawn_app().await;
    let strict_token = strict.token_for("push-guard@example.com").await;
    let keys = json!({
        "p256dh": "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
        "auth": "BTBZMqHH6r4Tts7J_aSIgg"
    });
    for endpoint in [
        "http://127.0.0.1:9/push/x",
        "https://127.0.0.1:9/push/x",
        "https://localhost:9/push/x",
        "https://10.0.0.1/push",
        "https://169.254.169.254/latest/meta-data/",
        "https://[fd00:ec2::254]/",
        "https://[::ffff:192.168.0.1]/",
        "http://push.example/x",
        "https://no-such-host.invalid/x",
    ] {
        let body = json!({"endpoint": endpoint, "expirationTime": null, "keys": keys});
        let (status, error) = subscribe(&strict, &strict_token, &body).await;
        assert_eq!(status, 400, "{endpoint}: {error}");
        assert_eq!(error["error"], "invalid_request", "{endpoint}");
        assert!(error["message"].as_str().unwrap().contains("endpoint"));
    }
    // With the test flag, loopback only: a name for it over http, or a private address, no.
    let testing = spawn_app_with(&[("PUSH_ALLOW_LOOPBACK", "1")]).await;
    let token = testing.token_for("push-guard@example.com").await;
    for (endpoint, expected) in [
        ("http://127.0.0.1:9/push/x", 201),
        ("https://[::1]:9/push/x", 201),
        ("https://localhost:9/push/y", 201),
        ("http://localhost:9/push/x", 400),
        ("https://192.168.1.1/push", 400),
        ("https://169.254.169.254/", 400),
    ] {
        let body = json!({"endpoint": endpoint, "expirationTime": null, "keys": keys});
        assert_eq!(
            subscribe(&testing, &token, &body).await.0,
            expected,
            "{endpoint}"
        );
    }
    // Keys that are not a browser's, an end in the past, a missing field: 400, nothing kept.
    for bad in [
        json!({"endpoint": "https://8.8.8.8/a", "keys": {"p256dh": "AAAA", "auth": keys["auth"]}}),
        json!({"endpoint": "https://8.8.8.8/a", "keys": {"p256dh": keys["p256dh"], "auth": "AAAA"}}),
        json!({"endpoint": "https://8.8.8.8/a", "expirationTime": 1000, "keys": keys}),
        json!({"endpoint": "https://8.8.8.8/a"}),
    ] {
        assert_eq!(
            subscribe(&strict, &strict_token, &bad).await.0,
            400,
            "{bad}"
        );
    }
}

#[tokio::test]
async fn subscriptions_need_a_user_and_are_limited_per_user() {
    let app = spawn_app().await;
    // The key is public; the subscriptions are not.
    let key = app
        .client
        .get(format!("{}/api/push/key", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(key.status(), 200);
    let anonymous = app
        .client
        .post(format!("{}/api/push/subscriptions", app.address))
        .json(&json!({"endpoint": "https://8.8.8.8/a", "keys": {"p256dh": "x", "auth": "y"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);

    let token = app.token_for("push-many@example.com").await;
    let browser = |i: usize| {
        json!({"endpoint": format!("https://8.8.8.8/push/{i}"), "expirationTime": null, "keys": {
            "p256dh": "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
            "auth": "BTBZMqHH6r4Tts7J_aSIgg"
        }})
    };
    for i in 0..server::domain::push::SUBSCRIPTIONS_PER_USER {
        assert_eq!(subscribe(&app, &token, &browser(i)).await.0, 201);
    }
    let (status, error) = subscribe(&app, &token, &browser(99)).await;
    assert_eq!(
        (status, error["error"].as_str()),
        (403, Some("quota_exceeded"))
    );
    // A known one is still renewed at the limit.
    assert_eq!(subscribe(&app, &token, &browser(0)).await.0, 200);
}

/// The sweep itself forgets a browser its push service says is gone (410), and tries it
/// no more; the other browser gets both reminders.
#[tokio::test]
async fn a_browser_gone_at_the_sweep_is_forgotten_and_not_tried_again() {
    let standin = PushStandin::start();
    // The test clock starts at this minute: the stand-in checks the VAPID token's expiry
    // against its own clock.
    let start = jiff::Timestamp::from_second(jiff::Timestamp::now().as_second() / 60 * 60).unwrap();
    let app = spawn_app_with_clock(
        &[("PUSH_ALLOW_LOOPBACK", "1")],
        TestClock::at(&start.to_string()),
    )
    .await;
    let token = app.token_for("push-sweep-gone@example.com").await;
    let user = UserId::from_verified_sub(&app.sub_of(&token).await);
    let key = vapid_key(&app).await;
    let (kept, kept_subscription) = standin.subscriber(&key, &[201]).await;
    let (gone, gone_subscription) = standin.subscriber(&key, &[410, 201]).await;
    for subscription in [&kept_subscription, &gone_subscription] {
        assert_eq!(subscribe(&app, &token, subscription).await.0, 201);
    }
    let at = |minutes: i64| (start + jiff::SignedDuration::from_mins(minutes)).to_string();
    app.create_todo(
        &token,
        json!({"title": "Renew the passport", "reminders": [{"at": at(10)}, {"at": at(40)}]}),
    )
    .await;

    app.clock.advance(10 * 60);
    let first = app.reminders.sweep(app.clock.now()).await.unwrap();
    assert_eq!(
        (first.sent, first.delivered.sent, first.delivered.gone),
        (1, 1, 1)
    );
    let left = app.store.list_push_subscriptions(&user).await.unwrap();
    assert_eq!(
        left.iter().map(|s| s.endpoint.as_str()).collect::<Vec<_>>(),
        vec![kept_subscription["endpoint"].as_str().unwrap()]
    );

    app.clock.advance(30 * 60);
    let second = app.reminders.sweep(app.clock.now()).await.unwrap();
    assert_eq!(
        (
            second.sent,
            second.delivered.sent,
            second.delivered.gone,
            second.delivered.failed
        ),
        (1, 1, 0, 0),
        "the gone browser is not tried again"
    );
    assert_eq!(standin.inbox(&kept).await.0.len(), 2);
    // It would have taken the second one (its script's next answer is 201): it was never asked.
    assert!(standin.inbox(&gone).await.0.is_empty());
}

/// A browser is one person's at a time: when Bob subscribes the browser Ann subscribed,
/// her reminders stop going there, and his go there.
#[tokio::test]
async fn a_browser_subscribed_by_another_user_is_theirs_alone() {
    let standin = PushStandin::start();
    let (app, ann_token, ann) = app_and_user("push-ann@example.com").await;
    let bob_token = app.token_for("push-bob@example.com").await;
    let bob = UserId::from_verified_sub(&app.sub_of(&bob_token).await);
    let (browser, subscription) = standin.subscriber(&vapid_key(&app).await, &[201]).await;
    assert_eq!(subscribe(&app, &ann_token, &subscription).await.0, 201);
    assert_eq!(subscribe(&app, &bob_token, &subscription).await.0, 201);

    let to_ann = app
        .push
        .deliver(&ann, &payload("Ann's secret"))
        .await
        .unwrap();
    assert_eq!(to_ann, report(0, 0, 0));
    let to_bob = app
        .push
        .deliver(&bob, &payload("Bob's errand"))
        .await
        .unwrap();
    assert_eq!(to_bob, report(1, 0, 0));
    let (messages, _) = standin.inbox(&browser).await;
    assert_eq!(messages.len(), 1);
    assert!(
        messages[0].to_string().contains("Bob's errand"),
        "{messages:?}"
    );
    // Ann turning notifications off does not turn them off for Bob.
    let endpoint = json!({"endpoint": subscription["endpoint"]});
    let (status, _) = app
        .api_json(
            Method::DELETE,
            "/api/push/subscriptions",
            &ann_token,
            Some(endpoint),
        )
        .await;
    assert_eq!(status, 204);
    assert_eq!(
        app.store.list_push_subscriptions(&bob).await.unwrap().len(),
        1
    );
}

/// `pushsubscriptionchange`: the service worker (no session) sends the new subscription
/// with the old one's endpoint and auth secret; the wrong secret changes nothing.
#[tokio::test]
async fn a_renewed_subscription_takes_the_old_ones_place_with_its_secret_only() {
    let standin = PushStandin::start();
    let (app, token, user) = app_and_user("push-renew@example.com").await;
    let key = vapid_key(&app).await;
    let (old, old_subscription) = standin.subscriber(&key, &[201]).await;
    let (new, new_subscription) = standin.subscriber(&key, &[201]).await;
    assert_eq!(subscribe(&app, &token, &old_subscription).await.0, 201);
    let renew = |auth: &str| {
        json!({
            "oldEndpoint": old_subscription["endpoint"],
            "oldAuth": auth,
            "subscription": new_subscription,
        })
    };
    let send = |body: Value| {
        let app = &app;
        async move {
            app.client
                .post(format!("{}/api/push/subscriptions/renew", app.address))
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    let wrong = new_subscription["keys"]["auth"].as_str().unwrap();
    assert_eq!(send(renew(wrong)).await, 404);
    assert_eq!(send(renew("")).await, 404);
    let mut unknown = renew(old_subscription["keys"]["auth"].as_str().unwrap());
    unknown["oldEndpoint"] = json!("https://push.example/never-subscribed");
    assert_eq!(send(unknown).await, 404);
    let left = app.store.list_push_subscriptions(&user).await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(
        left[0].endpoint,
        old_subscription["endpoint"].as_str().unwrap()
    );

    let right = old_subscription["keys"]["auth"].as_str().unwrap();
    assert_eq!(send(renew(right)).await, 200);
    let left = app.store.list_push_subscriptions(&user).await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(
        left[0].endpoint,
        new_subscription["endpoint"].as_str().unwrap()
    );
    let delivered = app
        .push
        .deliver(&user, &payload("Feed the cat"))
        .await
        .unwrap();
    assert_eq!(delivered, report(1, 0, 0));
    assert_eq!(standin.inbox(&new).await.0.len(), 1);
    assert!(standin.inbox(&old).await.0.is_empty());
    // Used once: the old secret no longer names anything.
    assert_eq!(send(renew(right)).await, 404);
    // A new endpoint the guard refuses is refused as on subscribe, and the old one stays.
    let mut refused = renew(new_subscription["keys"]["auth"].as_str().unwrap());
    refused["oldEndpoint"] = new_subscription["endpoint"].clone();
    refused["subscription"]["endpoint"] = json!("http://10.0.0.1/push");
    assert_eq!(send(refused).await, 400);
    assert_eq!(
        app.store
            .list_push_subscriptions(&user)
            .await
            .unwrap()
            .len(),
        1
    );
}
