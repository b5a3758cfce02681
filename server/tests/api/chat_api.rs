//! The chat transport: SSE event order and termination, stop, new chat, history, limits,
//! session resume and expiry, time zones, WebSocket tickets and connection records.

use futures_util::{SinkExt, StreamExt};
use reqwest::Method;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::helpers::{TestApp, TestClock, spawn_app, spawn_app_with, spawn_app_with_clock};

pub fn parse_sse(text: &str) -> Vec<(String, Value)> {
    text.split("\n\n")
        .filter_map(|block| {
            let mut name = None;
            let mut data = None;
            for line in block.lines() {
                if let Some(v) = line.strip_prefix("event: ") {
                    name = Some(v.to_owned());
                } else if let Some(v) = line.strip_prefix("data: ") {
                    data = serde_json::from_str(v).ok();
                }
            }
            Some((name?, data?))
        })
        .collect()
}

pub async fn chat(app: &TestApp, token: &str, body: Value) -> (u16, Vec<(String, Value)>) {
    let response = app.api(Method::POST, "/api/chat", token, Some(body)).await;
    let status = response.status().as_u16();
    if status != 200 {
        return (
            status,
            vec![("http".into(), response.json().await.unwrap_or(Value::Null))],
        );
    }
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    (status, parse_sse(&response.text().await.unwrap()))
}

pub async fn say(app: &TestApp, token: &str, message: &str) -> Vec<(String, Value)> {
    let (status, events) = chat(
        app,
        token,
        json!({"message": message, "timeZone": "Europe/Berlin"}),
    )
    .await;
    assert_eq!(status, 200, "{events:?}");
    events
}

pub fn text_of(events: &[(String, Value)]) -> String {
    events
        .iter()
        .filter(|(n, _)| n == "chunk")
        .map(|(_, d)| d["text"].as_str().unwrap())
        .collect()
}

fn names(events: &[(String, Value)]) -> Vec<&str> {
    events.iter().map(|(n, _)| n.as_str()).collect()
}

#[tokio::test]
async fn a_turn_streams_session_tools_changes_chunks_then_done() {
    let app = spawn_app().await;
    let token = app.token_for("stream@example.com").await;
    let events = say(&app, &token, "add learn ansible tomorrow").await;
    let order = names(&events);
    assert_eq!(order.first(), Some(&"session"));
    assert_eq!(order.last(), Some(&"done"));
    let tool_at = order.iter().position(|n| *n == "tool").unwrap();
    let changed_at = order.iter().position(|n| *n == "todos_changed").unwrap();
    let chunk_at = order.iter().position(|n| *n == "chunk").unwrap();
    assert!(tool_at < changed_at && changed_at < chunk_at, "{order:?}");
    for (name, data) in &events {
        assert_eq!(data["type"], name.as_str(), "the data names its type");
    }
    assert_eq!(events[0].1["resumed"], false);
    let done = &events.last().unwrap().1;
    assert_eq!(done["usage"]["toolCalls"], 1);

    let todos: Vec<Value> = app
        .api(Method::GET, "/api/todos", &token, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(todos.len(), 1);
    let changed = events.iter().find(|(n, _)| n == "todos_changed").unwrap();
    assert_eq!(changed.1["ids"][0], todos[0]["id"]);
    assert!(text_of(&events).starts_with("Added **Learn ansible**"));
}

#[tokio::test]
async fn every_stream_ends_with_exactly_one_done_or_error() {
    let app = spawn_app().await;
    let token = app.token_for("ends@example.com").await;
    for message in [
        "hi",
        "list my todos",
        "asdf",
        "delete everything",
        "add x",
        "show the first one",
    ] {
        let events = say(&app, &token, message).await;
        let terminals = events
            .iter()
            .filter(|(n, _)| n == "done" || n == "error")
            .count();
        assert_eq!(terminals, 1, "{message}: {events:?}");
        assert!(
            matches!(events.last().unwrap().0.as_str(), "done" | "error"),
            "{message}"
        );
    }
}

#[tokio::test]
async fn delete_waits_for_a_structured_confirmation() {
    let app = spawn_app().await;
    let token = app.token_for("confirm@example.com").await;
    say(&app, &token, "add learn ansible").await;
    let ask = say(&app, &token, "delete the one about ansible").await;
    let confirm = ask
        .iter()
        .find(|(n, _)| n == "confirm")
        .expect("confirm event")
        .1
        .clone();
    assert_eq!(confirm["prompt"], "Delete **Learn ansible**?");
    let todos: Vec<Value> = app
        .api(Method::GET, "/api/todos", &token, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(todos.len(), 1, "deleted before confirmation");

    let history: Value = app
        .api(Method::GET, "/api/chat/history", &token, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        history["messages"][3]["confirm"]["actionId"],
        confirm["actionId"]
    );

    let (status, done) = chat(
        &app,
        &token,
        // A browser sends its zone with every request, a confirmation too.
        json!({"confirm": {"actionId": confirm["actionId"], "approve": true},
               "timeZone": "Europe/Berlin"}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(text_of(&done), "Deleted **Learn ansible**.");
    assert!(done.iter().any(|(n, _)| n == "todos_changed"));
    let todos: Vec<Value> = app
        .api(Method::GET, "/api/todos", &token, None)
        .await
        .json()
        .await
        .unwrap();
    assert!(todos.is_empty());
    let history: Value = app
        .api(Method::GET, "/api/chat/history", &token, None)
        .await
        .json()
        .await
        .unwrap();
    assert!(
        history["messages"][3].get("confirm").is_none(),
        "an answered confirmation still shows"
    );
}

#[tokio::test]
async fn history_keeps_both_sides_and_new_chat_starts_over() {
    let app = spawn_app().await;
    let token = app.token_for("history@example.com").await;
    let empty: Value = app
        .api(Method::GET, "/api/chat/history", &token, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(empty, json!({"sessionId": null, "messages": []}));

    let first = say(&app, &token, "add buy milk").await;
    let session_id = first[0].1["sessionId"].clone();
    let second = say(&app, &token, "list my todos").await;
    assert_eq!(second[0].1["sessionId"], session_id);
    assert_eq!(second[0].1["resumed"], true);

    let history: Value = app
        .api(Method::GET, "/api/chat/history", &token, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(history["sessionId"], session_id);
    let messages = history["messages"].as_array().unwrap();
    let roles: Vec<&str> = messages
        .iter()
        .map(|m| m["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["user", "assistant", "user", "assistant"]);
    assert_eq!(messages[0]["text"], "add buy milk");
    assert_eq!(messages[1]["text"], text_of(&first));
    assert_eq!(messages[1]["tools"][0]["name"], "addTodo");
    assert_eq!(messages[1]["tools"][0]["status"], "succeeded");

    let fresh: Value = app
        .api(Method::POST, "/api/chat/new", &token, None)
        .await
        .json()
        .await
        .unwrap();
    assert_ne!(fresh["sessionId"], session_id);
    let history: Value = app
        .api(Method::GET, "/api/chat/history", &token, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(history["messages"], json!([]));
    let reply = say(&app, &token, "show it").await;
    assert!(
        text_of(&reply).contains("not sure which todo"),
        "memory survived a new chat"
    );
    assert_eq!(reply[0].1["sessionId"], fresh["sessionId"]);
}

#[tokio::test]
async fn stop_ends_the_turn_and_keeps_the_partial_reply() {
    let app = spawn_app_with(&[("LOCAL_AGENT_CHUNK_DELAY_MS", "40")]).await;
    let token = app.token_for("stop@example.com").await;
    let mut response = app
        .api(
            Method::POST,
            "/api/chat",
            &token,
            Some(json!({"message": "help"})),
        )
        .await;
    let mut body = String::new();
    while !body.contains("event: chunk") {
        body.push_str(&String::from_utf8_lossy(
            &response.chunk().await.unwrap().unwrap(),
        ));
    }
    let stopped: Value = app
        .api(Method::POST, "/api/chat/stop", &token, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stopped["stopped"], true);
    while let Some(bytes) = response.chunk().await.unwrap() {
        body.push_str(&String::from_utf8_lossy(&bytes));
    }
    let events = parse_sse(&body);
    assert_eq!(events.last().unwrap().0, "done", "{events:?}");
    let streamed = text_of(&events);
    let full_help = say(&app, &token, "help").await;
    assert!(
        streamed.len() < text_of(&full_help).len(),
        "stop did not cut the reply"
    );

    let history: Value = app
        .api(Method::GET, "/api/chat/history", &token, None)
        .await
        .json()
        .await
        .unwrap();
    let partial = &history["messages"][1];
    assert_eq!(partial["interrupted"], true);
    assert_eq!(
        partial["text"], streamed,
        "the partial reply is kept as streamed"
    );
    let nothing: Value = app
        .api(Method::POST, "/api/chat/stop", &token, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(nothing["stopped"], false);
}

#[tokio::test]
async fn a_second_turn_while_one_runs_is_409() {
    let app = spawn_app_with(&[("LOCAL_AGENT_CHUNK_DELAY_MS", "50")]).await;
    let token = app.token_for("busy@example.com").await;
    let mut running = app
        .api(
            Method::POST,
            "/api/chat",
            &token,
            Some(json!({"message": "help"})),
        )
        .await;
    running.chunk().await.unwrap();
    let (status, body) = chat(&app, &token, json!({"message": "hi"})).await;
    assert_eq!(status, 409);
    assert_eq!(body[0].1["error"], "conflict");
    app.api(Method::POST, "/api/chat/stop", &token, None).await;
    while running.chunk().await.unwrap().is_some() {}
}

#[tokio::test]
async fn bad_chat_requests_are_refused_before_anything_happens() {
    let app = spawn_app_with(&[("CHAT_TURNS_PER_MINUTE", "100")]).await;
    let token = app.token_for("limits@example.com").await;
    let cases = [
        (json!({"message": "x".repeat(4001)}), 413, "4001"),
        (json!({"message": "   "}), 400, "empty"),
        (
            json!({"message": "hi", "timeZone": "Mars/Olympus"}),
            400,
            "time zone",
        ),
        (json!({"message": "hi", "userId": "bob"}), 400, ""),
        (json!({"confirm": {"actionId": "a"}}), 400, ""),
        (
            json!({"confirm": {"actionId": "a", "approve": true}, "timeZone": "Mars/Olympus"}),
            400,
            "time zone",
        ),
    ];
    for (body, status, needle) in cases {
        let (got, events) = chat(&app, &token, body.clone()).await;
        assert_eq!(got, status, "{body}");
        assert!(
            events[0].1["message"].as_str().unwrap().contains(needle),
            "{body}: {events:?}"
        );
    }
    let (ok, _) = chat(&app, &token, json!({"message": "x".repeat(4000)})).await;
    assert_eq!(ok, 200, "exactly 4000 characters is allowed");
    let history: Value = app
        .api(Method::GET, "/api/chat/history", &token, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        history["messages"].as_array().unwrap().len(),
        2,
        "refused requests were recorded"
    );

    let anonymous = app
        .client
        .post(format!("{}/api/chat", app.address))
        .json(&json!({"message": "hi"}))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    for path in ["/api/chat/stop", "/api/chat/new", "/api/chat/ticket"] {
        let response = app
            .client
            .post(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401, "{path}");
    }
    let history = app
        .client
        .get(format!("{}/api/chat/history", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(history.status(), 401);
}

#[tokio::test]
async fn too_many_turns_are_429_with_retry_after() {
    let app = spawn_app_with(&[("CHAT_TURNS_PER_MINUTE", "3")]).await;
    let token = app.token_for("rate@example.com").await;
    for _ in 0..3 {
        say(&app, &token, "hi").await;
    }
    let response = app
        .api(
            Method::POST,
            "/api/chat",
            &token,
            Some(json!({"message": "hi"})),
        )
        .await;
    assert_eq!(response.status(), 429);
    let retry: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    let other = app.token_for("other-rate@example.com").await;
    say(&app, &other, "hi").await; // the limit is per user
    // A sliding minute on the app's clock: once it has passed, the user may go on.
    app.clock.advance(59);
    let (status, _) = chat(&app, &token, json!({"message": "hi"})).await;
    assert_eq!(status, 429, "still inside the minute");
    app.clock.advance(1);
    say(&app, &token, "hi").await;
}

#[tokio::test]
async fn a_session_resumes_within_30_minutes_and_starts_fresh_after() {
    let clock = TestClock::at("2026-11-25T10:00:00Z");
    let app = spawn_app_with_clock(&[], clock.clone()).await;
    let token = app.token_for("resume@example.com").await;
    let first = say(&app, &token, "add buy milk").await;
    let id = first[0].1["sessionId"].clone();

    clock.advance(29 * 60);
    let resumed = say(&app, &token, "show it").await;
    assert_eq!(
        resumed[0].1,
        json!({"type": "session", "sessionId": id, "resumed": true})
    );
    assert!(
        text_of(&resumed).starts_with("**Buy milk**"),
        "memory lost: {}",
        text_of(&resumed)
    );

    clock.advance(29 * 60); // sliding: 29 minutes after the last use is still inside
    let history: Value = app
        .api(Method::GET, "/api/chat/history", &token, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(history["sessionId"], id);

    clock.advance(31 * 60);
    // An hour and a half on: the first token has expired on the app's clock too.
    let token = app.sign_in_again("resume@example.com").await;
    let history: Value = app
        .api(Method::GET, "/api/chat/history", &token, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(history["messages"], json!([]));
    let fresh = say(&app, &token, "show it").await;
    assert_eq!(fresh[0].1["resumed"], false);
    assert_ne!(fresh[0].1["sessionId"], id);
    assert!(text_of(&fresh).contains("not sure which todo"));
}

#[tokio::test]
async fn dates_resolve_in_the_users_time_zone() {
    // 23:30 UTC: already the 26th in Tokyo, still the 25th in Los Angeles.
    let clock = TestClock::at("2026-11-25T23:30:00Z");
    let app = spawn_app_with_clock(&[], clock).await;
    let token = app.token_for("tz@example.com").await;
    for (zone, title, expected) in [
        ("Asia/Tokyo", "tokyo errand", "2026-11-27"),
        ("America/Los_Angeles", "la errand", "2026-11-26"),
        ("UTC", "utc errand", "2026-11-26"),
    ] {
        let (status, _) = chat(
            &app,
            &token,
            json!({"message": format!("add {title} tomorrow"), "timeZone": zone}),
        )
        .await;
        assert_eq!(status, 200);
        let todos: Vec<Value> = app
            .api(Method::GET, "/api/todos", &token, None)
            .await
            .json()
            .await
            .unwrap();
        let todo = todos
            .iter()
            .find(|t| t["title"].as_str().unwrap().to_lowercase() == title)
            .unwrap();
        assert_eq!(todo["dateDue"], expected, "{zone}");
    }
}

async fn ticket(app: &TestApp, token: &str) -> String {
    let body: Value = app
        .api(Method::POST, "/api/chat/ticket", token, None)
        .await
        .json()
        .await
        .unwrap();
    body["ticket"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_websocket_speaks_the_same_events_with_a_single_use_ticket() {
    let app = spawn_app().await;
    let token = app.token_for("ws@example.com").await;
    let user = server::domain::UserId::from_verified_sub(
        app.api(Method::GET, "/api/me", &token, None)
            .await
            .json::<Value>()
            .await
            .unwrap()["sub"]
            .as_str()
            .unwrap(),
    );
    let ws_url = app.address.replace("http://", "ws://");
    let ticket = ticket(&app, &token).await;
    let (mut socket, _) =
        tokio_tungstenite::connect_async(format!("{ws_url}/api/chat/ws?ticket={ticket}"))
            .await
            .unwrap();
    // The record is written right after the upgrade, which the client does not wait for.
    assert!(
        eventually(&app, &user, 1).await,
        "no connection record while open"
    );

    socket
        .send(Message::Text(
            json!({"message": "add water plants"}).to_string().into(),
        ))
        .await
        .unwrap();
    let mut frames = Vec::new();
    while let Some(Ok(Message::Text(text))) = socket.next().await {
        let frame: Value = serde_json::from_str(&text).unwrap();
        let last = frame["type"] == "done" || frame["type"] == "error";
        frames.push(frame);
        if last {
            break;
        }
    }
    let types: Vec<&str> = frames.iter().map(|f| f["type"].as_str().unwrap()).collect();
    assert_eq!(types.first(), Some(&"session"));
    assert_eq!(types.last(), Some(&"done"));
    assert!(types.contains(&"chunk") && types.contains(&"todos_changed"));

    socket.send(Message::Text("not json".into())).await.unwrap();
    let Some(Ok(Message::Text(text))) = socket.next().await else {
        panic!("no error frame")
    };
    assert_eq!(
        serde_json::from_str::<Value>(&text).unwrap()["type"],
        "error"
    );

    socket.close(None).await.unwrap();
    assert!(
        eventually(&app, &user, 0).await,
        "the connection record outlived the socket"
    );

    let reused =
        tokio_tungstenite::connect_async(format!("{ws_url}/api/chat/ws?ticket={ticket}")).await;
    assert!(reused.is_err(), "a ticket worked twice");
    let forged =
        tokio_tungstenite::connect_async(format!("{ws_url}/api/chat/ws?ticket=forged")).await;
    assert!(forged.is_err());
    let with_jwt =
        tokio_tungstenite::connect_async(format!("{ws_url}/api/chat/ws?ticket={token}")).await;
    assert!(with_jwt.is_err(), "a JWT in the URL must not authenticate");
}

/// Waits (up to 2 s) until the user has `count` connection records.
async fn eventually(app: &TestApp, user: &server::domain::UserId, count: usize) -> bool {
    for _ in 0..100 {
        if app.store.list_connections(user).await.unwrap().len() == count {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    false
}

#[tokio::test]
async fn a_plain_get_of_the_websocket_endpoint_gets_a_json_error_and_keeps_the_ticket() {
    let app = spawn_app().await;
    let token = app.token_for("plain-ws@example.com").await;
    let ticket: Value = app
        .api(Method::POST, "/api/chat/ticket", &token, None)
        .await
        .json()
        .await
        .unwrap();
    let ticket = ticket["ticket"].as_str().unwrap();
    let plain = app
        .client
        .get(format!("{}/api/chat/ws?ticket={ticket}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(plain.status(), 400);
    let body: Value = plain.json().await.unwrap();
    assert_eq!(body["error"], "invalid_request");
    assert!(
        body["message"].as_str().unwrap().contains("WebSocket"),
        "{body}"
    );
    let ws_url = app.address.replace("http://", "ws://");
    let upgraded =
        tokio_tungstenite::connect_async(format!("{ws_url}/api/chat/ws?ticket={ticket}")).await;
    assert!(upgraded.is_ok(), "the plain GET used up the ticket");
}

#[tokio::test]
async fn a_reply_being_written_is_in_the_history_marked_running() {
    let app = spawn_app_with(&[("LOCAL_AGENT_CHUNK_DELAY_MS", "120")]).await;
    let token = app.token_for("running@example.com").await;
    let mut stream = app
        .api(
            Method::POST,
            "/api/chat",
            &token,
            Some(json!({"message": "help"})),
        )
        .await;
    assert_eq!(stream.status(), 200);
    let mut body = String::new();
    while !body.contains("event: chunk") {
        let bytes = stream.chunk().await.unwrap().expect("the first chunk");
        body.push_str(&String::from_utf8_lossy(&bytes));
    }
    let last_message = || async {
        let history: Value = app
            .api(Method::GET, "/api/chat/history", &token, None)
            .await
            .json()
            .await
            .unwrap();
        history["messages"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()
            .clone()
    };
    // A reload at once finds the reply to come, running (so the page follows it).
    let last = last_message().await;
    assert_eq!(last["role"], "assistant");
    assert_eq!(last["running"], true, "{last}");
    // Followed (polled, as the page does), it is saved as it grows: a new follower gets
    // the text so far at once, well before the reply ends, on the stream still open.
    let followed = std::time::Instant::now();
    let last = loop {
        let last = last_message().await;
        if !last["text"].as_str().unwrap().is_empty() {
            break last;
        }
        assert!(
            followed.elapsed() < std::time::Duration::from_secs(10),
            "the followed reply was not saved: {last}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    assert_eq!(last["running"], true, "{last}");
    assert!(
        last["text"].as_str().unwrap().starts_with("I can list"),
        "{last}"
    );
    while let Some(bytes) = stream.chunk().await.unwrap() {
        body.push_str(&String::from_utf8_lossy(&bytes));
    }
    let history: Value = app
        .api(Method::GET, "/api/chat/history", &token, None)
        .await
        .json()
        .await
        .unwrap();
    let messages = history["messages"].as_array().unwrap();
    assert_eq!(
        messages.len(),
        2,
        "the finished reply replaced the running one"
    );
    assert_eq!(messages[1].get("running"), None);
    assert_eq!(messages[1]["interrupted"], false);
}

#[tokio::test]
async fn a_reply_left_running_by_a_vanished_instance_reads_as_interrupted() {
    let app = spawn_app().await;
    let token = app.token_for("vanished@example.com").await;
    say(&app, &token, "hi").await;
    let user = server::domain::UserId::from_verified_sub(app.sub_of(&token).await);
    let mut session = app.store.latest_chat_session(&user).await.unwrap().unwrap();
    let mut partial = session.messages.last().unwrap().clone();
    partial.text = "Half of a repl".into();
    partial.running = true;
    session.messages.push(partial);
    app.store.save_chat_session(&session).await.unwrap();
    // No turn holds the lease: nobody will finish it.
    let history: Value = app
        .api(Method::GET, "/api/chat/history", &token, None)
        .await
        .json()
        .await
        .unwrap();
    let last = history["messages"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["text"], "Half of a repl");
    assert_eq!(last["interrupted"], true);
    assert_eq!(last.get("running"), None);
    say(&app, &token, "hi").await; // and a new turn starts
}
