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

/// Two instances on one DynamoDB: what one request leaves for another (a single-use
/// ticket, the rate-limit window) is in the store, so it holds across instances.
#[tokio::test]
async fn two_instances_share_tickets_and_the_rate_limit() {
    use futures_util::StreamExt;
    assert!(
        std::env::var("TASKO_TEST_MOTO").is_ok(),
        "needs moto: run through `make unit`"
    );
    let prefix = format!("two{}_", &uuid::Uuid::new_v4().simple().to_string()[..10]);
    let settings = [
        ("STORE", "dynamodb"),
        ("DYNAMODB_TABLE_PREFIX", prefix.as_str()),
        ("DYNAMODB_CREATE_TABLES", "1"),
        // One public origin, so tokens are valid on both (as behind one load balancer).
        ("PUBLIC_URL", "http://tasko.test"),
        ("CHAT_TURNS_PER_MINUTE", "3"),
    ];
    let a = spawn_app_with(&settings).await;
    let b = spawn_app_with(&settings).await;
    let mut claims = a.good_claims("shared-user");
    claims["iss"] = json!("http://tasko.test/idp/local_test");
    let token = a.forge(claims);

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
