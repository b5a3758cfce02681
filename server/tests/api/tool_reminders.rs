//! `setReminders` and `addTodo`'s reminder marks, through MCP (the same tools the assistants
//! call): listed with its hints, words read in the user's time zone at the test clock's
//! moment ("tomorrow 9am" in New York), the set replaced, added to and taken from, and bad
//! input (a "before" on an undated todo, words that are no reminder, another user's todo)
//! refused with a sentence that changes nothing.

use reqwest::Method;
use serde_json::{Value, json};
use server::tools::Tool;

use crate::{
    access_tokens::mint,
    helpers::{TestApp, TestClock, spawn_app_with_clock},
};

const VERSION: &str = "2025-11-25";

/// `tools/call`'s result: `(ok, text)`.
async fn call(app: &TestApp, token: &str, name: &str, arguments: Value) -> (bool, String) {
    let response = app
        .client
        .post(format!("{}/mcp", app.address))
        .header("Accept", "application/json, text/event-stream")
        .header("MCP-Protocol-Version", VERSION)
        .bearer_auth(token)
        .json(&json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                      "params": {"name": name, "arguments": arguments}}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let result = &body["result"];
    let text = result["content"][0]["text"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    (result["isError"] != true, text)
}

/// A user in New York at 10:00 on Wednesday, 25 November 2026, with a write token.
async fn new_yorker(email: &str) -> (TestApp, String, String) {
    let app = spawn_app_with_clock(&[], TestClock::at("2026-11-25T15:00:00Z")).await;
    let session = app.token_for(email).await;
    let zone = app
        .api(
            Method::PATCH,
            "/api/me",
            &session,
            Some(json!({"timeZone": "America/New_York"})),
        )
        .await;
    assert_eq!(zone.status(), 200);
    let token = mint(&app, &session, "Claude", "write").await;
    (app, session, token)
}

async fn reminders_of(app: &TestApp, session: &str, id: &str) -> Value {
    let todo: Value = app
        .api(Method::GET, &format!("/api/todos/{id}"), session, None)
        .await
        .json()
        .await
        .unwrap();
    todo["reminders"].clone()
}

#[tokio::test]
async fn set_reminders_is_listed_as_a_write_that_destroys_nothing() {
    let (app, _, token) = new_yorker("remind-list@example.com").await;
    let response = app
        .client
        .post(format!("{}/mcp", app.address))
        .header("Accept", "application/json, text/event-stream")
        .header("MCP-Protocol-Version", VERSION)
        .bearer_auth(&token)
        .json(&json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}))
        .send()
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    let listed = body["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == Tool::SetReminders.name())
        .cloned()
        .expect("setReminders is listed");
    assert_eq!(listed["title"], "Set reminders");
    assert_eq!(listed["annotations"]["readOnlyHint"], false);
    assert_eq!(listed["annotations"]["destructiveHint"], false);
    assert_eq!(
        listed["inputSchema"]["required"],
        json!(["todoId", "reminders"])
    );
}

#[tokio::test]
async fn reminders_in_words_are_set_added_removed_and_cleared_in_the_users_zone() {
    let (app, session, token) = new_yorker("remind-words@example.com").await;
    let dentist = app
        .create_todo(
            &session,
            json!({"title": "Dentist", "dateDue": "2026-11-27", "dueTime": "15:00"}),
        )
        .await;
    let id = dentist["id"].as_str().unwrap().to_owned();
    let set = |reminders: &str| {
        call(
            &app,
            &token,
            "setReminders",
            json!({"todoId": id, "reminders": reminders}),
        )
    };

    let (ok, text) = set("1h before, tomorrow 9am").await;
    assert!(ok, "{text}");
    assert!(
        text.contains("reminders: 1 h before; at 2026-11-26T14:00:00Z"),
        "{text}"
    );
    assert_eq!(
        reminders_of(&app, &session, &id).await,
        json!([{"beforeMinutes": 60}, {"at": "2026-11-26T14:00:00Z"}])
    );
    // Added and removed, the others kept; a quick-add mark and a moment are read too.
    let (ok, text) = set("+at the due time; +!30m; -tomorrow 9am").await;
    assert!(ok, "{text}");
    assert_eq!(
        reminders_of(&app, &session, &id).await,
        json!([{"beforeMinutes": 60}, {"beforeMinutes": 0}, {"beforeMinutes": 30}])
    );
    let (ok, _) = set("2026-11-27T12:00:00-05:00").await;
    assert!(ok);
    assert_eq!(
        reminders_of(&app, &session, &id).await,
        json!([{"at": "2026-11-27T17:00:00Z"}])
    );
    let (ok, _) = set("none").await;
    assert!(ok);
    assert_eq!(reminders_of(&app, &session, &id).await, json!([]));

    // Refusals say why and change nothing.
    let before: Value = app
        .api(Method::GET, &format!("/api/todos/{id}"), &session, None)
        .await
        .json()
        .await
        .unwrap();
    for (words, says) in [
        ("whenever", "“whenever” is not a reminder"),
        ("+1h before, 2h before", "not both"),
        ("-1h before", "has no reminder 1 h before"),
        (
            "1m before, 2m before, 3m before, 4m before, 5m before, 6m before",
            "at most 5",
        ),
    ] {
        let (ok, text) = set(words).await;
        assert!(!ok, "{words}");
        assert!(text.contains(says), "{words}: {text}");
    }
    let undated = app
        .create_todo(&session, json!({"title": "Buy milk"}))
        .await;
    let (ok, text) = call(
        &app,
        &token,
        "setReminders",
        json!({"todoId": undated["id"], "reminders": "1h before"}),
    )
    .await;
    assert!(!ok && text.contains("no due date"), "{text}");
    let after: Value = app
        .api(Method::GET, &format!("/api/todos/{id}"), &session, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(after["version"], before["version"]);

    // Another user's todo is not found.
    let other = app.token_for("remind-other@example.com").await;
    let other_token = mint(&app, &other, "Claude", "write").await;
    let (ok, text) = call(
        &app,
        &other_token,
        "setReminders",
        json!({"todoId": id, "reminders": "1h before"}),
    )
    .await;
    assert!(!ok && text.contains("No todo with that id"), "{text}");
}

#[tokio::test]
async fn add_todo_reads_reminder_marks_in_its_details() {
    let (app, session, token) = new_yorker("remind-add@example.com").await;
    let (ok, text) = call(
        &app,
        &token,
        "addTodo",
        json!({"title": "Dentist", "dateDue": "2026-11-27", "details": "at 3pm !1h !due"}),
    )
    .await;
    assert!(ok, "{text}");
    let (ok, text) = call(
        &app,
        &token,
        "addTodo",
        json!({"title": "Call mom", "details": "!tomorrow 9am"}),
    )
    .await;
    assert!(ok, "{text}");
    let todos: Vec<Value> = app
        .api(Method::GET, "/api/todos", &session, None)
        .await
        .json()
        .await
        .unwrap();
    let find = |title: &str| todos.iter().find(|t| t["title"] == title).unwrap().clone();
    assert_eq!(
        find("Dentist")["reminders"],
        json!([{"beforeMinutes": 60}, {"beforeMinutes": 0}])
    );
    assert_eq!(
        find("Call mom")["reminders"],
        json!([{"at": "2026-11-26T14:00:00Z"}])
    );
}
