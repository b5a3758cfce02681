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
