//! The whole application on DynamoDB (moto): configuration alone switches the store.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::spawn_app_with;

#[tokio::test]
async fn the_app_runs_on_dynamodb_by_configuration() {
    assert!(
        std::env::var("TASKO_TEST_MOTO").is_ok(),
        "needs moto: run through `make unit`"
    );
    let prefix = format!("app{}_", &uuid::Uuid::new_v4().simple().to_string()[..10]);
    let app = spawn_app_with(&[
        ("STORE", "dynamodb"),
        ("DYNAMODB_TABLE_PREFIX", &prefix),
        ("DYNAMODB_CREATE_TABLES", "1"),
    ])
    .await;
    let alice = app.token_for("dyn-alice@example.com").await;
    let bob = app.token_for("dyn-bob@example.com").await;
    let todo = app
        .create_todo(
            &alice,
            json!({"title": "Stored in DynamoDB", "dateDue": "2026-12-01"}),
        )
        .await;
    let path = format!("/api/todos/{}", todo["id"].as_str().unwrap());
    assert_eq!(app.api(Method::GET, &path, &bob, None).await.status(), 404);
    let stale = app
        .api(
            Method::PATCH,
            &path,
            &alice,
            Some(json!({"version": 7, "title": "x"})),
        )
        .await;
    assert_eq!(stale.status(), 409);
    let done = app
        .api(
            Method::PATCH,
            &path,
            &alice,
            Some(json!({"version": 1, "completed": true})),
        )
        .await;
    assert_eq!(done.status(), 200);

    let chat = app
        .api(
            Method::POST,
            "/api/chat",
            &alice,
            Some(json!({"message": "list my completed todos"})),
        )
        .await;
    let body = chat.text().await.unwrap();
    assert!(body.contains("Stored in DynamoDB"), "{body}");
    let history: Value = app
        .api(Method::GET, "/api/chat/history", &alice, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(history["messages"].as_array().unwrap().len(), 2);

    let list: Vec<Value> = app
        .api(Method::GET, "/api/todos", &alice, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["completed"], true);
}

/// Two instances (separate routers, services and listeners) on one DynamoDB, reached at one
/// public origin as behind a load balancer, and a token for `sub` valid on both.
async fn two_instances(
    sub: &str,
    extra: &[(&str, &str)],
) -> (crate::helpers::TestApp, crate::helpers::TestApp, String) {
    assert!(
        std::env::var("TASKO_TEST_MOTO").is_ok(),
        "needs moto: run through `make unit`"
    );
    let prefix = format!("two{}_", &uuid::Uuid::new_v4().simple().to_string()[..10]);
    let mut settings = vec![
        ("STORE", "dynamodb"),
        ("DYNAMODB_TABLE_PREFIX", prefix.as_str()),
        ("DYNAMODB_CREATE_TABLES", "1"),
        ("PUBLIC_URL", "http://tasko.test"),
    ];
    settings.extend_from_slice(extra);
    let a = spawn_app_with(&settings).await;
    let b = spawn_app_with(&settings).await;
    let mut claims = a.good_claims(sub);
    claims["iss"] = json!("http://tasko.test/idp/local_test");
    let token = a.forge(claims);
    (a, b, token)
}

/// Two instances on one DynamoDB: what one request leaves for another (a single-use
/// ticket, the rate-limit window) is in the store, so it holds across instances.
#[tokio::test]
async fn two_instances_share_tickets_and_the_rate_limit() {
    use futures_util::StreamExt;
    let (a, b, token) = two_instances("shared-user", &[("CHAT_TURNS_PER_MINUTE", "3")]).await;

    async fn turn(app: &crate::helpers::TestApp, token: &str) -> reqwest::Response {
        app.api(
            Method::POST,
            "/api/chat",
            token,
            Some(json!({"message": "hi"})),
        )
        .await
    }
    for (n, app) in [&a, &b, &a].into_iter().enumerate() {
        let answer = turn(app, &token).await;
        assert_eq!(answer.status(), 200, "turn {n}");
        let _ = answer.text().await; // the whole stream: the turn is over
    }
    let limited = turn(&b, &token).await;
    assert_eq!(limited.status(), 429, "turns on A and B count together");

    let ticket: Value = a
        .api(Method::POST, "/api/chat/ticket", &token, None)
        .await
        .json()
        .await
        .unwrap();
    let ticket = ticket["ticket"].as_str().unwrap();
    let ws = |app: &crate::helpers::TestApp| {
        let url = app.address.replace("http://", "ws://");
        tokio_tungstenite::connect_async(format!("{url}/api/chat/ws?ticket={ticket}"))
    };
    let (mut socket, _) = ws(&b).await.expect("a ticket from A works on B");
    let _ = socket.close(None).await;
    let _ = socket.next().await;
    assert!(ws(&a).await.is_err(), "and only once, on any instance");
}

/// A turn running on A is refused a twin on B and stopped by a request to B: the stop
/// travels through the store (the turn's lease) and A keeps the partial reply.
#[tokio::test]
async fn a_turn_on_one_instance_is_stopped_from_another() {
    // A reply that takes seconds to stream.
    let (a, b, token) = two_instances("stop-user", &[("LOCAL_AGENT_CHUNK_DELAY_MS", "150")]).await;

    let mut running = a
        .api(
            Method::POST,
            "/api/chat",
            &token,
            Some(json!({"message": "help"})),
        )
        .await;
    assert_eq!(running.status(), 200);
    let mut body = String::new();
    while !body.contains("event: chunk") {
        let bytes = running
            .chunk()
            .await
            .unwrap()
            .expect("chunks before the end");
        body.push_str(&String::from_utf8_lossy(&bytes));
    }
    let twin = b
        .api(
            Method::POST,
            "/api/chat",
            &token,
            Some(json!({"message": "hi"})),
        )
        .await;
    assert_eq!(
        twin.status(),
        409,
        "one running turn per user, on every instance"
    );

    let asked = std::time::Instant::now();
    let stopped: Value = b
        .api(Method::POST, "/api/chat/stop", &token, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stopped["stopped"], true);
    while let Some(bytes) = running.chunk().await.unwrap() {
        body.push_str(&String::from_utf8_lossy(&bytes));
    }
    let latency = asked.elapsed();
    println!("stop across instances: the stream ended {latency:?} after the request");
    let events = crate::chat_api::parse_sse(&body);
    assert_eq!(events.last().unwrap().0, "done");
    assert!(latency < std::time::Duration::from_secs(2), "{latency:?}");

    let history: Value = b
        .api(Method::GET, "/api/chat/history", &token, None)
        .await
        .json()
        .await
        .unwrap();
    let reply = history["messages"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(reply["interrupted"], true, "{reply}");
    assert!(!reply["text"].as_str().unwrap().is_empty());
    // The lease is gone with the turn: the next one starts on either instance.
    let next = b
        .api(
            Method::POST,
            "/api/chat",
            &token,
            Some(json!({"message": "hi"})),
        )
        .await;
    assert_eq!(next.status(), 200);
}

/// Two real server processes on one DynamoDB: a stop sent to B ends A's turn; then `kill -9`
/// of A in the middle of a turn: B refuses a second turn while the dead one's lease lives,
/// accepts one once it runs out, and shows what had been written of the reply as
/// interrupted.
#[tokio::test]
async fn after_an_instance_dies_mid_turn_another_takes_over_when_its_lease_runs_out() {
    use crate::helpers::{free_port, sign_with_test_key, spawn_binary, wait_ready};
    let Ok(aws) = std::env::var("AWS_ENDPOINT_URL") else {
        panic!("needs moto: run through `make unit`");
    };
    let prefix = format!("kill{}_", &uuid::Uuid::new_v4().simple().to_string()[..10]);
    let settings = [
        ("STORE", "dynamodb"),
        ("DYNAMODB_TABLE_PREFIX", prefix.as_str()),
        ("DYNAMODB_CREATE_TABLES", "1"),
        ("PUBLIC_URL", "http://tasko.test"),
        ("LOCAL_AGENT_CHUNK_DELAY_MS", "300"),
        ("CHAT_TURN_LEASE_SECONDS", "3"),
        ("AWS_ENDPOINT_URL", aws.as_str()),
        ("AWS_REGION", "us-east-1"),
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
    ];
    let start = || {
        let data = tempfile::tempdir().unwrap();
        std::fs::write(
            data.path().join(server::idp::KEY_FILE),
            crate::helpers::test_key_pem(),
        )
        .unwrap();
        let port = free_port();
        let child = spawn_binary(data.path(), port, &settings);
        (data, format!("http://127.0.0.1:{port}"), child)
    };
    let (_a_data, a, mut a_child) = start();
    let (_b_data, b, mut b_child) = start();
    let client = reqwest::Client::new();
    wait_ready(&client, &a).await;
    wait_ready(&client, &b).await;
    let now = jiff::Timestamp::now().as_second();
    let token = sign_with_test_key(&json!({
        "sub": "killed-user", "email": "k@example.com", "iss": "http://tasko.test/idp/local_test",
        "aud": crate::helpers::CLIENT_ID, "token_use": "id", "iat": now, "exp": now + 600,
    }));
    let chat = |base: &str| {
        client
            .post(format!("{base}/api/chat"))
            .bearer_auth(&token)
            .json(&json!({"message": "help"}))
            .send()
    };
    // First, between the two processes: a stop sent to B ends A's turn.
    let mut stopped = chat(&a).await.unwrap();
    assert_eq!(stopped.status(), 200);
    let mut body = String::new();
    while !body.contains("event: chunk") {
        let bytes = stopped.chunk().await.unwrap().expect("chunks");
        body.push_str(&String::from_utf8_lossy(&bytes));
    }
    let stop = client
        .post(format!("{b}/api/chat/stop"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(stop.json::<Value>().await.unwrap()["stopped"], true);
    while let Some(bytes) = stopped.chunk().await.unwrap() {
        body.push_str(&String::from_utf8_lossy(&bytes));
    }
    assert!(
        body.trim_end().ends_with('}') && body.contains("event: done"),
        "{body}"
    );

    // Then A dies in the middle of its next turn.
    let mut running = chat(&a).await.unwrap();
    assert_eq!(running.status(), 200);
    let mut body = String::new();
    while !body.contains("event: chunk") {
        let bytes = running.chunk().await.unwrap().expect("chunks");
        body.push_str(&String::from_utf8_lossy(&bytes));
    }
    // The conversation as a page on B reads it.
    let history_on_b = || async {
        client
            .get(format!("{b}/api/chat/history"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap()
    };
    // A reload on B follows the running reply: A saves it as it grows (told through the
    // lease in DynamoDB), so A's death loses at most the last second of it.
    let followed = std::time::Instant::now();
    loop {
        let reloaded = history_on_b().await;
        let last = reloaded["messages"].as_array().unwrap().last().unwrap();
        // The reply's first save may land a moment after its first chunk left A.
        if last["role"] == "user" {
            assert!(
                followed.elapsed() < std::time::Duration::from_secs(10),
                "the running reply was never saved: {last}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            continue;
        }
        assert_eq!(last["running"], true, "{last}");
        if !last["text"].as_str().unwrap().is_empty() {
            break;
        }
        assert!(
            followed.elapsed() < std::time::Duration::from_secs(10),
            "the followed reply was never saved: {last}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    a_child.kill().unwrap(); // SIGKILL
    let _ = a_child.wait();
    assert_eq!(
        chat(&b).await.unwrap().status(),
        409,
        "A's lease still holds"
    );

    let died = std::time::Instant::now();
    let taken_over = loop {
        let answer = chat(&b).await.unwrap();
        if answer.status() == 200 {
            let accepted = died.elapsed();
            let _ = answer.text().await;
            break accepted;
        }
        assert_eq!(answer.status(), 409);
        assert!(
            died.elapsed() < std::time::Duration::from_secs(10),
            "never taken over"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    println!("a new turn started {taken_over:?} after the instance died (lease: 3 s)");
    let history = history_on_b().await;
    let messages = history["messages"].as_array().unwrap();
    // [help, stopped reply, help, the dead instance's partial reply, help, new reply]
    let partial = &messages[3];
    assert_eq!(partial["role"], "assistant");
    assert_eq!(partial["interrupted"], true, "{partial}");
    assert!(
        partial["text"].as_str().unwrap().starts_with("I can list"),
        "{partial}"
    );
    let _ = b_child.kill();
    let _ = b_child.wait();
}
