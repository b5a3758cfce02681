//! The todo and file quotas are exact: the trash cannot be used to hold more live todos
//! than the quota (a restore over it is refused with 403 `quota_exceeded`, on the restore
//! route and the chat's Undo alike; the trash itself holds at most the quota, the oldest
//! purged early), and concurrent creates cannot pass it together. On both stores.

use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    chat_api::chat,
    chat_undo::{change_of, undo},
    files_api::PDF,
    helpers::TestApp,
    todo_restore::{app_on_with, delete, listed_ids, restore},
};

fn id_of(todo: &Value) -> String {
    todo["id"].as_str().unwrap().to_owned()
}

async fn the_trash_does_not_pass_the_quota(store: &str) {
    let app = app_on_with(store, "600", &[("MAX_TODOS_PER_USER", "3")]).await;
    let token = app
        .token_for(&format!("trash-cap-{store}@example.com"))
        .await;
    let mut deleted = Vec::new();
    for round in 0..3 {
        for i in 0..3 {
            let todo = app
                .create_todo(&token, json!({"title": format!("Round {round} todo {i}")}))
                .await;
            deleted.push(id_of(&todo));
        }
        for id in &deleted[round * 3..] {
            assert_eq!(
                delete(&app, &token, id).await,
                204,
                "deletes are never refused"
            );
        }
    }
    let mut answers = Vec::new();
    for id in &deleted {
        answers.push(restore(&app, &token, id).await.0);
    }
    assert_eq!(
        listed_ids(&app, &token).await.len(),
        3,
        "restores: {answers:?}"
    );
    // The trash held the last three deletes: the older ones were purged early.
    assert_eq!(answers, [404, 404, 404, 404, 404, 404, 200, 200, 200]);
}

async fn a_restore_over_the_quota_is_refused(store: &str) {
    let app = app_on_with(store, "600", &[("MAX_TODOS_PER_USER", "3")]).await;
    let token = app
        .token_for(&format!("restore-quota-{store}@example.com"))
        .await;
    let mut ids = Vec::new();
    for title in ["Alpha", "Bravo", "Charlie"] {
        ids.push(id_of(
            &app.create_todo(&token, json!({ "title": title })).await,
        ));
    }
    assert_eq!(delete(&app, &token, &ids[0]).await, 204);
    let delta = id_of(&app.create_todo(&token, json!({"title": "Delta"})).await);
    let (status, body) = restore(&app, &token, &ids[0]).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["error"], "quota_exceeded");
    assert!(
        body["message"].as_str().unwrap().contains("3 todos"),
        "{body}"
    );
    assert_eq!(listed_ids(&app, &token).await.len(), 3);
    // Still in the trash: with room made, the restore works.
    assert_eq!(delete(&app, &token, &delta).await, 204);
    let (status, _) = restore(&app, &token, &ids[0]).await;
    assert_eq!(status, 200);
}

/// The chat's Undo of a delete is refused alike, and the todo stays deleted.
async fn a_chat_undo_over_the_quota_is_refused(store: &str) {
    let app = app_on_with(store, "600", &[("MAX_TODOS_PER_USER", "3")]).await;
    let token = app
        .token_for(&format!("undo-quota-{store}@example.com"))
        .await;
    let mut ids = Vec::new();
    for title in ["Alpha", "Bravo", "Charlie"] {
        ids.push(id_of(
            &app.create_todo(&token, json!({ "title": title })).await,
        ));
    }
    let (_, asked) = chat(&app, &token, json!({"message": "delete bravo"})).await;
    let action = asked
        .iter()
        .find(|(n, _)| n == "confirm")
        .map(|(_, d)| d["actionId"].as_str().unwrap().to_owned())
        .unwrap_or_else(|| panic!("no confirmation in {asked:?}"));
    let (_, deleted) = chat(
        &app,
        &token,
        json!({"confirm": {"actionId": action, "approve": true}}),
    )
    .await;
    let removal = change_of(&deleted);
    assert!(!listed_ids(&app, &token).await.contains(&ids[1]));
    app.create_todo(&token, json!({"title": "Echo"})).await;
    let (status, body) = undo(&app, &token, &removal).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["error"], "quota_exceeded");
    let listed = listed_ids(&app, &token).await;
    assert_eq!(listed.len(), 3);
    assert!(!listed.contains(&ids[1]), "the undone delete stays");
}

/// `count` requests at once; the statuses they answered.
async fn at_once(app: &TestApp, token: &str, path: &str, bodies: Vec<Value>) -> Vec<u16> {
    let requests = bodies.into_iter().map(|body| async move {
        app.api(Method::POST, path, token, Some(body))
            .await
            .status()
            .as_u16()
    });
    futures_util::future::join_all(requests).await
}

async fn concurrent_creates_stay_within_the_quota(store: &str) {
    let app = app_on_with(store, "600", &[("MAX_TODOS_PER_USER", "5")]).await;
    let token = app.token_for(&format!("racer-{store}@example.com")).await;
    let todos = (0..30)
        .map(|i| json!({"title": format!("Racer {i}")}))
        .collect();
    let statuses = at_once(&app, &token, "/api/todos", todos).await;
    let created = statuses.iter().filter(|s| **s == 201).count();
    assert_eq!(created, 5, "{statuses:?}");
    assert!(
        statuses.iter().all(|s| [201, 403].contains(s)),
        "{statuses:?}"
    );
    assert_eq!(listed_ids(&app, &token).await.len(), 5);
}

async fn concurrent_uploads_stay_within_the_quota(store: &str) {
    let app = app_on_with(store, "600", &[("MAX_FILES_PER_USER", "5")]).await;
    let token = app
        .token_for(&format!("uploader-{store}@example.com"))
        .await;
    let files = (0..30)
        .map(|i| json!({"name": format!("f{i}.pdf"), "size": PDF.len(), "contentType": "application/pdf"}))
        .collect();
    let statuses = at_once(&app, &token, "/api/files", files).await;
    let declared = statuses.iter().filter(|s| **s == 201).count();
    assert_eq!(declared, 5, "{statuses:?}");
    assert!(
        statuses.iter().all(|s| [201, 403].contains(s)),
        "{statuses:?}"
    );
}

#[tokio::test]
async fn trash_cap_on_the_embedded_store() {
    the_trash_does_not_pass_the_quota("embedded").await;
}

#[tokio::test]
async fn trash_cap_on_dynamodb() {
    the_trash_does_not_pass_the_quota("dynamodb").await;
}

#[tokio::test]
async fn restore_quota_on_the_embedded_store() {
    a_restore_over_the_quota_is_refused("embedded").await;
}

#[tokio::test]
async fn restore_quota_on_dynamodb() {
    a_restore_over_the_quota_is_refused("dynamodb").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_creates_on_the_embedded_store() {
    concurrent_creates_stay_within_the_quota("embedded").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_creates_on_dynamodb() {
    concurrent_creates_stay_within_the_quota("dynamodb").await;
}

#[tokio::test]
async fn undo_quota_on_the_embedded_store() {
    a_chat_undo_over_the_quota_is_refused("embedded").await;
}

#[tokio::test]
async fn undo_quota_on_dynamodb() {
    a_chat_undo_over_the_quota_is_refused("dynamodb").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_uploads_on_the_embedded_store() {
    concurrent_uploads_stay_within_the_quota("embedded").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_uploads_on_dynamodb() {
    concurrent_uploads_stay_within_the_quota("dynamodb").await;
}
