//! Deleting a todo is undoable: `DELETE /api/todos/{id}` hides it (204) and
//! `POST /api/todos/{id}/restore` brings it back with its files within the restore window;
//! after the window it is purged with its files. On both stores.

use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    files_api::{PDF, blobs_on_disk, files_of, upload, user_of},
    helpers::{TestApp, spawn_app_with},
};

pub async fn app_on(store: &str, window_secs: &str) -> TestApp {
    app_on_with(store, window_secs, &[]).await
}

/// `app_on` with more settings (quotas).
pub async fn app_on_with(store: &str, window_secs: &str, extra: &[(&str, &str)]) -> TestApp {
    let mut settings = vec![("RESTORE_WINDOW_SECS", window_secs)];
    settings.extend_from_slice(extra);
    let prefix = format!("rs{}_", &uuid::Uuid::new_v4().simple().to_string()[..10]);
    if store == "dynamodb" {
        assert!(
            std::env::var("TASKO_TEST_MOTO").is_ok(),
            "needs moto: run through `make unit`"
        );
        settings.extend([
            ("STORE", "dynamodb"),
            ("DYNAMODB_TABLE_PREFIX", prefix.as_str()),
            ("DYNAMODB_CREATE_TABLES", "1"),
        ]);
    }
    spawn_app_with(&settings).await
}

pub async fn delete(app: &TestApp, token: &str, id: &str) -> u16 {
    app.api(Method::DELETE, &format!("/api/todos/{id}"), token, None)
        .await
        .status()
        .as_u16()
}

pub async fn restore(app: &TestApp, token: &str, id: &str) -> (u16, Value) {
    let response = app
        .api(
            Method::POST,
            &format!("/api/todos/{id}/restore"),
            token,
            None,
        )
        .await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

pub async fn listed_ids(app: &TestApp, token: &str) -> Vec<String> {
    let list: Vec<Value> = app
        .api(Method::GET, "/api/todos", token, None)
        .await
        .json()
        .await
        .unwrap();
    list.iter()
        .map(|t| t["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn a_deleted_todo_comes_back_exactly_as_it_was_with_its_files(store: &str) {
    let app = app_on(store, "600").await;
    let token = app.token_for(&format!("undo-{store}@example.com")).await;
    let mallory = app.token_for(&format!("mallory-{store}@example.com")).await;
    let created = app
        .create_todo(
            &token,
            json!({"title": "Dentist", "notes": "bring the card", "dateDue": "2026-12-01"}),
        )
        .await;
    let id = created["id"].as_str().unwrap();
    let patched: Value = app
        .api(
            Method::PATCH,
            &format!("/api/todos/{id}"),
            &token,
            Some(json!({"completed": true, "version": 1})),
        )
        .await
        .json()
        .await
        .unwrap();
    upload(&app, &token, "referral.pdf", PDF, Some(id)).await;

    assert_eq!(delete(&app, &token, id).await, 204);
    assert!(listed_ids(&app, &token).await.is_empty());
    let show = app
        .api(Method::GET, &format!("/api/todos/{id}"), &token, None)
        .await;
    assert_eq!(show.status(), 404, "a deleted todo is not found");
    assert_eq!(delete(&app, &token, id).await, 404, "nor deleted twice");
    let edit = app
        .api(
            Method::PATCH,
            &format!("/api/todos/{id}"),
            &token,
            Some(json!({"title": "Ghost", "version": 2})),
        )
        .await;
    assert_eq!(edit.status(), 404, "nor edited");

    let (status, _) = restore(&app, &mallory, id).await;
    assert_eq!(status, 404, "another user's id");
    let (status, restored) = restore(&app, &token, id).await;
    assert_eq!(status, 200, "{restored}");
    for field in [
        "id",
        "title",
        "notes",
        "dateDue",
        "completed",
        "createdAt",
        "updatedAt",
    ] {
        assert_eq!(restored[field], patched[field], "{field}");
    }
    assert_eq!(
        restored["version"], 4,
        "versions continue: deleted at 3, restored at 4"
    );
    assert_eq!(listed_ids(&app, &token).await, vec![id.to_owned()]);
    let files = files_of(&app, &token, id).await;
    assert_eq!(files.len(), 1, "its file is back with it");
    assert_eq!(files[0]["name"], "referral.pdf");
    let (status, body) = restore(&app, &token, id).await;
    assert_eq!(status, 404, "restoring a live todo: {body}");
    assert!(body["message"].is_string());
}

async fn after_the_window_a_deleted_todo_is_purged_with_its_files(store: &str) {
    let app = app_on(store, "600").await;
    let token = app.token_for(&format!("purge-{store}@example.com")).await;
    let user = user_of(&app, &token).await;
    let doomed = app.create_todo(&token, json!({"title": "Doomed"})).await;
    let kept = app.create_todo(&token, json!({"title": "Kept"})).await;
    let (doomed, kept) = (doomed["id"].as_str().unwrap(), kept["id"].as_str().unwrap());
    upload(&app, &token, "one.pdf", PDF, Some(doomed)).await;
    upload(&app, &token, "two.pdf", PDF, Some(doomed)).await;
    let survivor = upload(&app, &token, "three.pdf", PDF, Some(kept)).await;

    assert_eq!(delete(&app, &token, doomed).await, 204);
    assert_eq!(
        app.store.list_files(&user).await.unwrap().len(),
        3,
        "within the window the files stay"
    );
    app.clock.advance(599);
    assert_eq!(listed_ids(&app, &token).await, vec![kept.to_owned()]);
    assert_eq!(
        app.store.list_files(&user).await.unwrap().len(),
        3,
        "a second before the window closes the files stay"
    );
    app.clock.advance(1);
    let (status, _) = restore(&app, &token, doomed).await;
    assert_eq!(status, 404, "after the window");

    // The owner's next listing purges it, its files and their bytes.
    assert_eq!(listed_ids(&app, &token).await, vec![kept.to_owned()]);
    let records = app.store.list_files(&user).await.unwrap();
    assert_eq!(
        records.len(),
        1,
        "no record of the purged todo's files is left"
    );
    assert_eq!(
        records[0].id.to_string(),
        survivor["fileId"].as_str().unwrap()
    );
    assert_eq!(
        app.store.list_todo_records(&user).await.unwrap().len(),
        1,
        "the record itself is gone"
    );
    if store == "embedded" {
        assert_eq!(
            blobs_on_disk(&app),
            1,
            "no blob of the purged files is left"
        );
    }
}

/// While its todo is in the trash a file is out of reach like a missing one (its metadata,
/// a download link, a ticket issued before, its delete, a new upload to the todo); only the
/// restore brings it back, whole.
async fn the_files_of_a_deleted_todo_are_out_of_reach_until_restored(store: &str) {
    let app = app_on(store, "600").await;
    let token = app
        .token_for(&format!("trashed-files-{store}@example.com"))
        .await;
    let created = app.create_todo(&token, json!({"title": "Taxes"})).await;
    let id = created["id"].as_str().unwrap();
    let file = upload(&app, &token, "receipt.pdf", PDF, Some(id)).await;
    let file_id = file["fileId"].as_str().unwrap();
    let link: Value = app
        .api(
            Method::POST,
            &format!("/api/files/{file_id}/download"),
            &token,
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    let ticket_url = link["url"].as_str().unwrap().to_owned();
    let ticket_url = if ticket_url.starts_with('/') {
        format!("{}{ticket_url}", app.address)
    } else {
        ticket_url
    };

    assert_eq!(delete(&app, &token, id).await, 204);
    let path = format!("/api/files/{file_id}");
    for (method, path, what) in [
        (Method::GET, path.clone(), "its metadata"),
        (Method::POST, format!("{path}/download"), "a download link"),
        (Method::DELETE, path.clone(), "its delete"),
        (
            Method::GET,
            format!("/api/todos/{id}/files"),
            "the todo's list",
        ),
    ] {
        let response = app.api(method, &path, &token, None).await;
        assert_eq!(response.status(), 404, "{what}");
        let body: Value = response.json().await.unwrap();
        assert!(body["message"].is_string(), "{what}: {body}");
    }
    let fetched = app.client.get(&ticket_url).send().await.unwrap();
    assert_eq!(fetched.status(), 404, "a ticket issued before the delete");
    let declared = app
        .api(
            Method::POST,
            "/api/files",
            &token,
            Some(json!({"name": "late.pdf", "size": PDF.len(), "contentType": "application/pdf", "todoId": id})),
        )
        .await;
    assert_eq!(declared.status(), 404, "a new file for a deleted todo");

    let (status, _) = restore(&app, &token, id).await;
    assert_eq!(status, 200);
    let files = files_of(&app, &token, id).await;
    assert_eq!(files.len(), 1, "the file is back, and only it");
    let shown = app.api(Method::GET, &path, &token, None).await;
    assert_eq!(shown.status(), 200);
}

#[tokio::test]
async fn trashed_files_on_the_embedded_store() {
    the_files_of_a_deleted_todo_are_out_of_reach_until_restored("embedded").await;
}

#[tokio::test]
async fn trashed_files_on_dynamodb() {
    the_files_of_a_deleted_todo_are_out_of_reach_until_restored("dynamodb").await;
}

#[tokio::test]
async fn restore_on_the_embedded_store() {
    a_deleted_todo_comes_back_exactly_as_it_was_with_its_files("embedded").await;
}

#[tokio::test]
async fn restore_on_dynamodb() {
    a_deleted_todo_comes_back_exactly_as_it_was_with_its_files("dynamodb").await;
}

#[tokio::test]
async fn purge_on_the_embedded_store() {
    after_the_window_a_deleted_todo_is_purged_with_its_files("embedded").await;
}

#[tokio::test]
async fn purge_on_dynamodb() {
    after_the_window_a_deleted_todo_is_purged_with_its_files("dynamodb").await;
}
