//! Personal access tokens: `/api/tokens` (a signed-in session only), `Authorization:
//! Bearer tasko_pat_...` on the REST API, read-only tokens refused on writes, a revoke
//! effective at once, another user's todos out of reach, `lastUsedAt` at most once a
//! minute, and bad input refused with a sentence. On both stores where the Store matters.

use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    helpers::{TestApp, TestClock, spawn_app, spawn_app_with_clock},
    todo_restore::app_on,
};

/// `POST /api/tokens` with a session; returns the answer's status and body.
pub async fn create_token(app: &TestApp, session: &str, body: Value) -> (u16, Value) {
    let response = app
        .api(Method::POST, "/api/tokens", session, Some(body))
        .await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// A new token's secret.
pub async fn mint(app: &TestApp, session: &str, name: &str, access: &str) -> String {
    let (status, body) = create_token(app, session, json!({"name": name, "access": access})).await;
    assert_eq!(status, 201, "{body}");
    body["token"].as_str().unwrap().to_owned()
}

async fn token_list(app: &TestApp, session: &str) -> Vec<Value> {
    let (status, body) = app
        .api_json(Method::GET, "/api/tokens", session, None)
        .await;
    assert_eq!(status, 200, "{body}");
    body["tokens"].as_array().unwrap().clone()
}

async fn a_token_is_created_listed_used_and_revoked(store: &str) {
    let app = app_on(store, "600").await;
    let session = app.token_for("pat@example.com").await;
    let (status, created) = create_token(
        &app,
        &session,
        json!({"name": "  Backup script ", "access": "write"}),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let secret = created["token"].as_str().unwrap().to_owned();
    assert!(
        secret.starts_with("tasko_pat_") && secret.len() > 50,
        "{secret}"
    );
    assert_eq!(created["name"], "Backup script");
    assert_eq!(created["access"], "write");

    // Listed without the secret or its digest.
    let listed = token_list(&app, &session).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], created["id"]);
    assert_eq!(listed[0]["name"], "Backup script");
    assert_eq!(listed[0]["access"], "write");
    assert!(listed[0]["createdAt"].is_string());
    assert_eq!(listed[0]["lastUsedAt"], Value::Null);
    let text = listed[0].to_string();
    let digest = server::domain::TokenHash::of(&secret);
    assert!(
        !text.contains(&secret) && !text.contains(digest.as_str()),
        "{text}"
    );
    assert!(listed[0].get("token").is_none());

    // It works as a Bearer token on the REST API, as its owner.
    let todo = app
        .create_todo(&secret, json!({"title": "Made by a script"}))
        .await;
    let (status, todos) = app
        .api_json(Method::GET, "/api/todos", &session, None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(todos[0]["id"], todo["id"]);
    let listed = token_list(&app, &session).await;
    assert!(listed[0]["lastUsedAt"].is_string(), "{}", listed[0]);

    // Revoked: refused at once; a second revoke finds nothing.
    let path = format!("/api/tokens/{}", created["id"].as_str().unwrap());
    assert_eq!(
        app.api_json(Method::DELETE, &path, &session, None).await.0,
        204
    );
    let (status, refused) = app.api_json(Method::GET, "/api/todos", &secret, None).await;
    assert_eq!(status, 401, "{refused}");
    assert_eq!(
        app.api_json(Method::DELETE, &path, &session, None).await.0,
        404
    );
    assert!(token_list(&app, &session).await.is_empty());
}

#[tokio::test]
async fn a_token_is_created_listed_used_and_revoked_embedded() {
    a_token_is_created_listed_used_and_revoked("embedded").await;
}

#[tokio::test]
async fn a_token_is_created_listed_used_and_revoked_dynamodb() {
    a_token_is_created_listed_used_and_revoked("dynamodb").await;
}

async fn a_users_token_never_reaches_another_users_todos(store: &str) {
    let app = app_on(store, "600").await;
    let (ann, bob) = (
        app.token_for("ann-pat@example.com").await,
        app.token_for("bob-pat@example.com").await,
    );
    let anns = mint(&app, &ann, "Ann's script", "write").await;
    let bobs_todo = app
        .create_todo(&bob, json!({"title": "Bob's secret"}))
        .await;
    let path = format!("/api/todos/{}", bobs_todo["id"].as_str().unwrap());

    let (status, list) = app.api_json(Method::GET, "/api/todos", &anns, None).await;
    assert_eq!(status, 200);
    assert_eq!(list, json!([]));
    assert_eq!(app.api_json(Method::GET, &path, &anns, None).await.0, 404);
    let patch = json!({"title": "Taken", "version": bobs_todo["version"]});
    assert_eq!(
        app.api_json(Method::PATCH, &path, &anns, Some(patch))
            .await
            .0,
        404
    );
    assert_eq!(
        app.api_json(Method::DELETE, &path, &anns, None).await.0,
        404
    );
    let (_, still) = app.api_json(Method::GET, &path, &bob, None).await;
    assert_eq!(still["title"], "Bob's secret");
    assert_eq!(still["version"], bobs_todo["version"]);

    // Bob can neither see nor revoke Ann's token.
    assert!(token_list(&app, &bob).await.is_empty());
    let anns_id = token_list(&app, &ann).await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let revoke = format!("/api/tokens/{anns_id}");
    assert_eq!(
        app.api_json(Method::DELETE, &revoke, &bob, None).await.0,
        404
    );
    assert_eq!(
        app.api_json(Method::GET, "/api/todos", &anns, None).await.0,
        200
    );
}

#[tokio::test]
async fn a_users_token_never_reaches_another_users_todos_embedded() {
    a_users_token_never_reaches_another_users_todos("embedded").await;
}

#[tokio::test]
async fn a_users_token_never_reaches_another_users_todos_dynamodb() {
    a_users_token_never_reaches_another_users_todos("dynamodb").await;
}

#[tokio::test]
async fn a_read_only_token_reads_but_every_write_is_refused() {
    let app = spawn_app().await;
    let session = app.token_for("reader@example.com").await;
    let todo = app.create_todo(&session, json!({"title": "Keep me"})).await;
    let reader = mint(&app, &session, "Dashboard", "read").await;
    let path = format!("/api/todos/{}", todo["id"].as_str().unwrap());

    assert_eq!(
        app.api_json(Method::GET, "/api/todos", &reader, None)
            .await
            .0,
        200
    );
    assert_eq!(app.api_json(Method::GET, &path, &reader, None).await.0, 200);
    let writes = [
        (
            Method::POST,
            "/api/todos".to_owned(),
            Some(json!({"title": "No"})),
        ),
        (
            Method::PATCH,
            path.clone(),
            Some(json!({"title": "Changed", "version": todo["version"]})),
        ),
        (Method::DELETE, path.clone(), None),
        (
            Method::POST,
            "/api/lists".to_owned(),
            Some(json!({"name": "No"})),
        ),
        (
            Method::POST,
            "/api/chat".to_owned(),
            Some(json!({"message": "add x"})),
        ),
        (
            Method::POST,
            "/api/activity/undo".to_owned(),
            Some(json!({"changeId": todo["id"]})),
        ),
    ];
    for (method, path, body) in writes {
        let (status, refused) = app.api_json(method.clone(), &path, &reader, body).await;
        assert_eq!(status, 403, "{method} {path}: {refused}");
        assert_eq!(refused["error"], "forbidden");
        assert!(
            refused["message"].as_str().unwrap().contains("read-only"),
            "{refused}"
        );
    }
    let (_, list) = app
        .api_json(Method::GET, "/api/todos", &session, None)
        .await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["title"], "Keep me");
    assert_eq!(list[0]["version"], todo["version"]);
}

#[tokio::test]
async fn a_token_cannot_manage_tokens() {
    let app = spawn_app().await;
    let session = app.token_for("escalate@example.com").await;
    let writer = mint(&app, &session, "Writer", "write").await;
    let id = token_list(&app, &session).await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let attempts = [
        (
            Method::POST,
            "/api/tokens".to_owned(),
            Some(json!({"name": "More", "access": "write"})),
        ),
        (Method::GET, "/api/tokens".to_owned(), None),
        (Method::DELETE, format!("/api/tokens/{id}"), None),
    ];
    for (method, path, body) in attempts {
        let (status, refused) = app.api_json(method.clone(), &path, &writer, body).await;
        assert_eq!(status, 403, "{method} {path}: {refused}");
        assert!(
            refused["message"]
                .as_str()
                .unwrap()
                .contains("signed-in session"),
            "{refused}"
        );
    }
    assert_eq!(token_list(&app, &session).await.len(), 1);
}

#[tokio::test]
async fn bad_token_requests_are_refused_with_a_sentence_and_change_nothing() {
    let app = spawn_app().await;
    let session = app.token_for("badpat@example.com").await;
    let bad = [
        json!({"name": "", "access": "write"}),
        json!({"name": "   ", "access": "read"}),
        json!({"name": "x".repeat(61), "access": "read"}),
        json!({"name": "two\nlines", "access": "read"}),
        json!({"name": "Fine", "access": "admin"}),
        json!({"name": "Fine"}),
        json!({"name": "Fine", "access": "read", "owner": "someone"}),
        json!({"name": 5, "access": "read"}),
    ];
    for body in bad {
        let (status, refused) = create_token(&app, &session, body.clone()).await;
        assert!((400..500).contains(&status), "{body}: {status}");
        assert!(
            refused["message"].as_str().is_some_and(|m| m.len() > 10),
            "{body}: {refused}"
        );
    }
    assert!(token_list(&app, &session).await.is_empty());
    let (status, _) = app
        .api_json(Method::DELETE, "/api/tokens/not-an-id", &session, None)
        .await;
    assert_eq!(status, 400);
    let unknown = format!("/api/tokens/{}", uuid::Uuid::now_v7());
    assert_eq!(
        app.api_json(Method::DELETE, &unknown, &session, None)
            .await
            .0,
        404
    );
    // A made-up token is a 401, as a bad JWT is.
    let (status, _) = app
        .api_json(Method::GET, "/api/todos", "tasko_pat_madeup", None)
        .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn an_account_holds_at_most_fifty_tokens() {
    let app = spawn_app().await;
    let session = app.token_for("many@example.com").await;
    for i in 0..50 {
        mint(&app, &session, &format!("Token {i}"), "read").await;
    }
    let (status, refused) = create_token(
        &app,
        &session,
        json!({"name": "One more", "access": "read"}),
    )
    .await;
    assert_eq!(status, 403, "{refused}");
    assert_eq!(refused["error"], "quota_exceeded");
    assert!(
        refused["message"].as_str().unwrap().contains("50"),
        "{refused}"
    );
    assert_eq!(token_list(&app, &session).await.len(), 50);
}

#[tokio::test]
async fn last_use_is_noted_at_most_once_a_minute() {
    let clock = TestClock::at("2026-12-06T10:00:00Z");
    let app = spawn_app_with_clock(&[], clock.clone()).await;
    let session = app.token_for("lastused@example.com").await;
    let secret = mint(&app, &session, "Poller", "read").await;
    let last_used = || async { token_list(&app, &session).await[0]["lastUsedAt"].clone() };

    assert_eq!(
        app.api_json(Method::GET, "/api/todos", &secret, None)
            .await
            .0,
        200
    );
    let first = last_used().await;
    assert_eq!(first, "2026-12-06T10:00:00Z");
    clock.advance(30);
    assert_eq!(
        app.api_json(Method::GET, "/api/todos", &secret, None)
            .await
            .0,
        200
    );
    assert_eq!(last_used().await, first, "written again within the minute");
    clock.advance(31);
    assert_eq!(
        app.api_json(Method::GET, "/api/todos", &secret, None)
            .await
            .0,
        200
    );
    assert_eq!(last_used().await, "2026-12-06T10:01:01Z");
}
