//! The add box's quick add: a Leptos server function at `/api/ui/quick-add`, behind the same
//! `AuthUser` extractor and JSON errors as the REST API, reading dates with the assistant's
//! parser (the shared cases) in the caller's time zone.

use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::Value;
use server::agent::local::dates::QUICK_ADD_CASES;

use crate::{
    agent_harness::Harness,
    helpers::{TestApp, TestClock, spawn_app_with_clock},
};

async fn quick_add(app: &TestApp, token: Option<&str>, text: &str, zone: &str) -> (u16, Value) {
    let mut request = app
        .client
        .post(format!("{}/api/ui/quick-add", app.address))
        .form(&[("text", text), ("time_zone", zone)]);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_add_box_reads_dates_as_the_assistant_does() {
    // Wednesday 2026-11-25, mid-morning in UTC.
    let clock = Arc::new(TestClock::at("2026-11-25T10:00:00Z"));
    let app = spawn_app_with_clock(&[], clock).await;
    let token = app.token_for("quick@example.com").await;
    for (text, title, due) in QUICK_ADD_CASES {
        let (status, body) = quick_add(&app, Some(&token), text, "UTC").await;
        assert_eq!(status, 200, "{text}: {body}");
        assert_eq!(body["title"], *title, "{text}");
        assert_eq!(body["dateDue"].as_str(), *due, "{text}");
        assert_eq!(body["label"].is_string(), due.is_some(), "{text}: {body}");
    }
    let (_, body) = quick_add(&app, Some(&token), "call mom friday", "UTC").await;
    assert_eq!(body["label"], "Fri, Nov 27");

    // "Today" is the caller's: 10:00 UTC is midnight starting the 26th at UTC+14.
    let (_, body) = quick_add(
        &app,
        Some(&token),
        "pay bills tomorrow",
        "Pacific/Kiritimati",
    )
    .await;
    assert_eq!(
        body["dateDue"], "2026-11-27",
        "UTC+14 is already on the 26th"
    );
}

#[tokio::test]
async fn quick_add_needs_a_token_and_a_real_time_zone() {
    let app = spawn_app_with_clock(&[], Arc::new(TestClock::at("2026-11-25T10:00:00Z"))).await;
    let (status, body) = quick_add(&app, None, "call mom friday", "UTC").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED.as_u16());
    assert_eq!(body["error"], "unauthorized", "{body}");
    assert!(body["message"].is_string());
    let (status, _) = quick_add(&app, Some("not-a-token"), "call mom friday", "UTC").await;
    assert_eq!(status, 401);

    let token = app.token_for("zone@example.com").await;
    let (status, body) = quick_add(&app, Some(&token), "call mom friday", "Mars/Olympus").await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "bad_request", "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("Mars/Olympus"),
        "{body}"
    );
}

#[tokio::test]
async fn the_assistant_adds_the_shared_cases_alike() {
    for (text, title, due) in QUICK_ADD_CASES.iter().filter(|(t, ..)| !t.contains('"')) {
        let mut h = Harness::new();
        h.say(&format!("add {text}")).await;
        let todos = h.todos().await;
        assert_eq!(todos.len(), 1, "{text}");
        assert_eq!(
            todos[0].title.as_str().to_lowercase(),
            title.to_lowercase(),
            "{text}"
        );
        assert_eq!(
            todos[0].date_due.map(|d| d.to_iso()).as_deref(),
            *due,
            "{text}"
        );
    }
}
