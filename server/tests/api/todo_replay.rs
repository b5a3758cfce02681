//! Creates with a client-chosen id (`POST /api/todos {"id": ...}`), what an offline queue
//! replays: the first answers 201, the same id again answers 200 with the todo as it is now
//! and changes nothing (not even past the quota, after a delete, or with other content),
//! the same create sent many times at once makes one todo, and one user's id never reaches
//! another's todos. On both stores.

use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    helpers::TestApp,
    todo_restore::{app_on_with, delete},
};

async fn post(app: &TestApp, token: &str, body: Value) -> (u16, Value) {
    app.api_json(Method::POST, "/api/todos", token, Some(body))
        .await
}

async fn titles(app: &TestApp, token: &str) -> Vec<String> {
    let (_, list) = app.api_json(Method::GET, "/api/todos", token, None).await;
    list.as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap().to_owned())
        .collect()
}

async fn a_create_sent_again_makes_nothing_more(store: &str) {
    let app = app_on_with(store, "600", &[("MAX_TODOS_PER_USER", "2")]).await;
    let token = app.token_for("replay@example.com").await;
    let id = uuid::Uuid::new_v4().to_string();
    let body = json!({"id": id, "title": "Buy stamps", "dateDue": "2031-01-02"});

    let (status, first) = post(&app, &token, body.clone()).await;
    assert_eq!(status, 201, "{first}");
    assert_eq!(first["id"], id);
    assert_eq!(first["version"], 1);
    let (status, again) = post(&app, &token, body.clone()).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again, first);
    assert_eq!(titles(&app, &token).await, ["Buy stamps"]);

    // Edited elsewhere since: the replay answers the todo as it is now, and keeps it.
    let (status, edited) = app
        .api_json(
            Method::PATCH,
            &format!("/api/todos/{id}"),
            &token,
            Some(json!({"title": "Buy stamps and envelopes", "version": 1})),
        )
        .await;
    assert_eq!(status, 200, "{edited}");
    let (status, again) = post(&app, &token, body.clone()).await;
    assert_eq!(status, 200);
    assert_eq!(again["title"], "Buy stamps and envelopes");
    assert_eq!(again["version"], 2);

    // At the quota, a replay still answers; a new create is refused.
    let (status, _) = post(&app, &token, json!({"title": "Second"})).await;
    assert_eq!(status, 201);
    let (status, _) = post(&app, &token, body.clone()).await;
    assert_eq!(status, 200);
    let (status, full) = post(
        &app,
        &token,
        json!({"id": uuid::Uuid::new_v4().to_string(), "title": "Third"}),
    )
    .await;
    assert_eq!(status, 403, "{full}");

    // Deleted since: the replay does not bring it back.
    assert_eq!(delete(&app, &token, &id).await, 204);
    let (status, _) = post(&app, &token, body.clone()).await;
    assert_eq!(status, 200);
    assert_eq!(titles(&app, &token).await, ["Second"]);

    // Not an id: 400, and nothing is made.
    for bad in ["nope", "", "123"] {
        let (status, refused) = post(&app, &token, json!({"id": bad, "title": "X"})).await;
        assert_eq!(status, 400, "{bad}: {refused}");
    }
    assert_eq!(titles(&app, &token).await, ["Second"]);

    // Another user's todo with the same id is their own; neither sees the other's.
    let other = app.token_for("replay-other@example.com").await;
    let (status, theirs) = post(&app, &other, json!({"id": id, "title": "Theirs"})).await;
    assert_eq!(status, 201, "{theirs}");
    assert_eq!(titles(&app, &other).await, ["Theirs"]);
    assert_eq!(titles(&app, &token).await, ["Second"]);
}

#[tokio::test]
async fn a_create_sent_again_makes_nothing_more_embedded() {
    a_create_sent_again_makes_nothing_more("embedded").await;
}

#[tokio::test]
async fn a_create_sent_again_makes_nothing_more_dynamodb() {
    a_create_sent_again_makes_nothing_more("dynamodb").await;
}

async fn the_same_create_at_once_makes_one_todo(store: &str) {
    let app = app_on_with(store, "600", &[]).await;
    let token = app.token_for("replay-race@example.com").await;
    for round in 0..3 {
        let id = uuid::Uuid::new_v4().to_string();
        let body = json!({"id": id, "title": format!("Race {round}")});
        let sent = (0..8).map(|_| post(&app, &token, body.clone()));
        let answers = futures_util::future::join_all(sent).await;
        let statuses: Vec<u16> = answers.iter().map(|(s, _)| *s).collect();
        assert_eq!(
            statuses.iter().filter(|s| **s == 201).count(),
            1,
            "{statuses:?}"
        );
        assert!(
            statuses.iter().all(|s| *s == 201 || *s == 200),
            "{statuses:?}"
        );
        assert!(answers.iter().all(|(_, t)| t["id"] == id));
    }
    assert_eq!(titles(&app, &token).await.len(), 3);
}

#[tokio::test]
async fn the_same_create_at_once_makes_one_todo_embedded() {
    the_same_create_at_once_makes_one_todo("embedded").await;
}

#[tokio::test]
async fn the_same_create_at_once_makes_one_todo_dynamodb() {
    the_same_create_at_once_makes_one_todo("dynamodb").await;
}
