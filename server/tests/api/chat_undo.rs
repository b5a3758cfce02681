//! Undo for what the assistant did: each tool call that changed a todo carries a `changeId`;
//! `POST /api/chat/undo` puts the todo back (200 with it, 204 for an undone add), refuses when
//! the todo changed since (409) and does not know other users' changes (404); the history
//! keeps each card's `changeId` and whether it was undone. "undo that" does the same through
//! the LocalAgent. On both stores.

use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    chat_api::{chat, say, text_of},
    helpers::TestApp,
    todo_restore::app_on,
};

pub fn change_of(events: &[(String, Value)]) -> String {
    events
        .iter()
        .find_map(|(name, data)| {
            (name == "tool" && data["status"] == "succeeded")
                .then(|| data["changeId"].as_str().map(str::to_owned))
                .flatten()
        })
        .unwrap_or_else(|| panic!("no changeId in {events:?}"))
}

pub async fn undo(app: &TestApp, token: &str, change_id: &str) -> (u16, Value) {
    let response = app
        .api(
            Method::POST,
            "/api/chat/undo",
            token,
            Some(json!({ "changeId": change_id })),
        )
        .await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn todos(app: &TestApp, token: &str) -> Vec<Value> {
    let response = app.api(Method::GET, "/api/todos", token, None).await;
    response.json::<Vec<Value>>().await.unwrap()
}

async fn cards(app: &TestApp, token: &str) -> Vec<Value> {
    let response = app.api(Method::GET, "/api/chat/history", token, None).await;
    let history: Value = response.json().await.unwrap();
    history["messages"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| m["tools"].as_array().cloned().unwrap_or_default())
        .collect()
}

async fn undo_puts_back_what_each_call_changed(store: &str) {
    let app = app_on(store, "600").await;
    let token = app.token_for("undo@example.com").await;

    // An add, undone: the todo is removed (204), and only once.
    let added = change_of(&say(&app, &token, "add learn ansible").await);
    assert_eq!(todos(&app, &token).await.len(), 1);
    assert_eq!(undo(&app, &token, &added).await.0, 204);
    assert!(todos(&app, &token).await.is_empty());
    let (status, again) = undo(&app, &token, &added).await;
    assert_eq!(status, 409);
    assert!(
        again["message"]
            .as_str()
            .unwrap()
            .contains("undone already")
    );
    let card = cards(&app, &token)
        .await
        .into_iter()
        .find(|c| c["changeId"] == added.as_str())
        .unwrap();
    assert_eq!(card["undone"], true, "{card}");

    // Completed, then undone: open again (200 with the todo, one more version).
    say(&app, &token, "add call mom friday").await;
    let completed = change_of(&say(&app, &token, "mark it as done").await);
    let (status, todo) = undo(&app, &token, &completed).await;
    assert_eq!(status, 200, "{todo}");
    assert_eq!(todo["completed"], false);
    assert_eq!(todo["version"], 3);
    let listed = todos(&app, &token).await;
    assert_eq!(listed[0]["completed"], false);

    // Rescheduled, then edited by hand: the undo is refused and changes nothing.
    let before = listed[0]["dateDue"].clone();
    let moved = change_of(&say(&app, &token, "move it to next monday").await);
    let now = &todos(&app, &token).await[0];
    assert_ne!(now["dateDue"], before);
    let id = now["id"].as_str().unwrap();
    let patched = app
        .api(
            Method::PATCH,
            &format!("/api/todos/{id}"),
            &token,
            Some(json!({"title": "Call mom and dad", "version": now["version"]})),
        )
        .await;
    assert_eq!(patched.status(), 200);
    let (status, refused) = undo(&app, &token, &moved).await;
    assert_eq!(status, 409);
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("has changed since"),
        "{refused}"
    );
    let after = &todos(&app, &token).await[0];
    assert_eq!(after["title"], "Call mom and dad");
    assert_ne!(after["dateDue"], before);

    // Deleted (after the confirmation), then undone: back, with its fields.
    let (_, asked) = chat(&app, &token, json!({"message": "delete it"})).await;
    let action = asked
        .iter()
        .find(|(n, _)| n == "confirm")
        .map(|(_, d)| d["actionId"].as_str().unwrap().to_owned())
        .unwrap();
    let (_, deleted) = chat(
        &app,
        &token,
        json!({"confirm": {"actionId": action, "approve": true}}),
    )
    .await;
    let removal = change_of(&deleted);
    assert!(todos(&app, &token).await.is_empty());
    let (status, restored) = undo(&app, &token, &removal).await;
    assert_eq!(status, 200, "{restored}");
    assert_eq!(restored["title"], "Call mom and dad");
    assert_eq!(todos(&app, &token).await.len(), 1);

    // Nobody else's change, and nothing that is not a change.
    let other = app.token_for("other-undo@example.com").await;
    assert_eq!(undo(&app, &other, &removal).await.0, 404);
    let (status, body) = undo(&app, &token, "nonsense").await;
    assert_eq!(
        (status, &body["error"]),
        (400, &serde_json::json!("invalid_request"))
    );
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("not a change id"),
        "{body}"
    );
    assert_eq!(
        undo(&app, &token, &uuid::Uuid::new_v4().to_string())
            .await
            .0,
        404
    );
    let missing = app
        .api(Method::POST, "/api/chat/undo", &token, Some(json!({})))
        .await;
    assert_eq!(missing.status(), 400);
}

#[tokio::test]
async fn undo_puts_back_what_each_call_changed_embedded() {
    undo_puts_back_what_each_call_changed("embedded").await;
}

#[tokio::test]
async fn undo_puts_back_what_each_call_changed_dynamodb() {
    undo_puts_back_what_each_call_changed("dynamodb").await;
}

#[tokio::test]
async fn undo_that_takes_back_the_assistants_last_changes_in_turn() {
    let app = app_on("embedded", "600").await;
    let token = app.token_for("undo-that@example.com").await;
    say(&app, &token, "add water the plants").await;
    say(&app, &token, "mark it as done").await;
    let events = say(&app, &token, "undo that").await;
    assert!(
        text_of(&events).starts_with("Undone:"),
        "{}",
        text_of(&events)
    );
    assert!(events.iter().any(|(n, _)| n == "todos_changed"));
    assert_eq!(todos(&app, &token).await[0]["completed"], false);
    let cards = cards(&app, &token).await;
    let completed = cards.iter().find(|c| c["name"] == "completeTodo").unwrap();
    assert_eq!(completed["undone"], true);
    let events = say(&app, &token, "please undo the last change").await;
    assert!(
        text_of(&events).starts_with("Undone:"),
        "{}",
        text_of(&events)
    );
    assert!(
        todos(&app, &token).await.is_empty(),
        "the add was undone too"
    );
    let events = say(&app, &token, "undo").await;
    assert!(
        text_of(&events).contains("nothing to undo"),
        "{}",
        text_of(&events)
    );
    // "undo <a todo>" still reopens that todo, as before.
    say(&app, &token, "add call mom").await;
    say(&app, &token, "mark call mom as done").await;
    let events = say(&app, &token, "undo call mom").await;
    assert!(
        events
            .iter()
            .any(|(n, d)| n == "tool" && d["name"] == "reopenTodo"),
        "{events:?}"
    );
}
