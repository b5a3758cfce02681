//! Past conversations over HTTP: "new chat" keeps the previous one, the list (newest first,
//! paginated), open, continue, delete, another user's id answered 404; the idle rule starts
//! a new conversation without losing the old one. Edit-and-resend and regenerate replace the
//! last turn in the transcript and in the agent's memory. On both stores.

use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    chat_api::{chat, say, text_of},
    helpers::{TestApp, TestClock, spawn_app_with_clock},
    todo_restore::app_on,
};

async fn get(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    let response = app.api(Method::GET, path, token, None).await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn send(app: &TestApp, token: &str, method: Method, path: &str) -> u16 {
    app.api(method, path, token, None).await.status().as_u16()
}

fn session_of(events: &[(String, Value)]) -> String {
    events[0].1["sessionId"].as_str().unwrap().to_owned()
}

fn titles(list: &Value) -> Vec<&str> {
    list["conversations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap())
        .collect()
}

async fn keeps_lists_opens_continues_and_deletes(store: &str) {
    let app = app_on(store, "600").await;
    let token = app.token_for("talks@example.com").await;
    let first = session_of(&say(&app, &token, "add learn ansible").await);
    assert_eq!(send(&app, &token, Method::POST, "/api/chat/new").await, 200);
    let second = session_of(&say(&app, &token, "list my todos").await);
    assert_ne!(first, second, "new chat started another conversation");
    let (status, list) = get(&app, &token, "/api/chat/conversations").await;
    assert_eq!(status, 200);
    assert_eq!(titles(&list), ["list my todos", "add learn ansible"]);
    assert!(list.get("next").is_none());
    let updated = list["conversations"][0]["updatedAt"].as_str().unwrap();
    assert!(updated.parse::<jiff::Timestamp>().is_ok(), "{updated}");

    // Open the first: its messages, like /api/chat/history.
    let (status, old) = get(&app, &token, &format!("/api/chat/conversations/{first}")).await;
    assert_eq!(status, 200);
    assert_eq!(old["sessionId"], first.as_str());
    assert_eq!(old["messages"][0]["text"], "add learn ansible");
    assert_eq!(old["messages"].as_array().unwrap().len(), 2);

    // Another user sees none of it and can change none of it.
    let other = app.token_for("someone-else@example.com").await;
    let path = format!("/api/chat/conversations/{first}");
    assert_eq!(get(&app, &other, &path).await.0, 404);
    assert_eq!(send(&app, &other, Method::DELETE, &path).await, 404);
    let continue_path = format!("{path}/continue");
    assert_eq!(send(&app, &other, Method::POST, &continue_path).await, 404);
    let (_, theirs) = get(&app, &other, "/api/chat/conversations").await;
    assert!(titles(&theirs).is_empty());
    assert_eq!(
        get(&app, &token, "/api/chat/conversations/not-an-id")
            .await
            .0,
        400,
        "a malformed id is a bad request"
    );

    // Continue the first: it is the current one and the next message goes to it.
    let (status, continued) = {
        let response = app.api(Method::POST, &continue_path, &token, None).await;
        let status = response.status().as_u16();
        (status, response.json::<Value>().await.unwrap())
    };
    assert_eq!(status, 200);
    assert_eq!(continued["messages"].as_array().unwrap().len(), 2);
    let (_, history) = get(&app, &token, "/api/chat/history").await;
    assert_eq!(history["sessionId"], first.as_str());
    let events = say(&app, &token, "list my todos").await;
    assert_eq!(session_of(&events), first);
    assert_eq!(events[0].1["resumed"], true);
    let (_, list) = get(&app, &token, "/api/chat/conversations").await;
    assert_eq!(titles(&list), ["add learn ansible", "list my todos"]);

    // Pages of one.
    let (_, page) = get(&app, &token, "/api/chat/conversations?limit=1").await;
    assert_eq!(titles(&page), ["add learn ansible"]);
    let next = page["next"].as_str().unwrap();
    let (_, page) = get(
        &app,
        &token,
        &format!("/api/chat/conversations?limit=1&next={next}"),
    )
    .await;
    assert_eq!(titles(&page), ["list my todos"]);
    assert!(page.get("next").is_none());
    assert_eq!(
        get(&app, &token, "/api/chat/conversations?next=bogus")
            .await
            .0,
        400
    );
    assert_eq!(
        get(&app, &token, "/api/chat/conversations?limit=0").await.0,
        400
    );

    // Delete the second.
    let path = format!("/api/chat/conversations/{second}");
    assert_eq!(send(&app, &token, Method::DELETE, &path).await, 204);
    assert_eq!(get(&app, &token, &path).await.0, 404);
    assert_eq!(send(&app, &token, Method::DELETE, &path).await, 404);
    let (_, list) = get(&app, &token, "/api/chat/conversations").await;
    assert_eq!(titles(&list), ["add learn ansible"]);

    // Deleting the current one leaves an empty chat (no older one comes back as current).
    let path = format!("/api/chat/conversations/{first}");
    assert_eq!(send(&app, &token, Method::DELETE, &path).await, 204);
    let (_, history) = get(&app, &token, "/api/chat/history").await;
    assert_eq!(history["messages"], json!([]));
    let (_, list) = get(&app, &token, "/api/chat/conversations").await;
    assert!(titles(&list).is_empty());
}

#[tokio::test]
async fn conversations_are_kept_listed_continued_and_deleted_embedded() {
    keeps_lists_opens_continues_and_deletes("embedded").await;
}

#[tokio::test]
async fn conversations_are_kept_listed_continued_and_deleted_dynamodb() {
    keeps_lists_opens_continues_and_deletes("dynamodb").await;
}

#[tokio::test]
async fn after_30_idle_minutes_a_message_starts_a_new_conversation_and_the_old_one_stays() {
    let clock = TestClock::at("2026-11-25T10:00:00Z");
    let app = spawn_app_with_clock(&[], clock.clone()).await;
    let token = app.token_for("idle@example.com").await;
    let first = session_of(&say(&app, &token, "add water the plants").await);
    clock.advance(31 * 60);
    let (_, history) = get(&app, &token, "/api/chat/history").await;
    assert_eq!(history["sessionId"], Value::Null, "no current conversation");
    let events = say(&app, &token, "list my todos").await;
    assert_ne!(session_of(&events), first);
    assert_eq!(events[0].1["resumed"], false);
    let (_, list) = get(&app, &token, "/api/chat/conversations").await;
    assert_eq!(titles(&list), ["list my todos", "add water the plants"]);
}

async fn transcript(app: &TestApp, token: &str) -> Vec<String> {
    let (_, history) = get(app, token, "/api/chat/history").await;
    history["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["text"].as_str().unwrap().to_owned())
        .collect()
}

async fn open_titles(app: &TestApp, token: &str) -> Vec<(String, bool)> {
    let (_, todos) = get(app, token, "/api/todos").await;
    todos
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["title"].as_str().unwrap().to_owned(),
                t["completed"].as_bool().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn edit_and_resend_replaces_the_last_turn_in_the_transcript_and_the_memory() {
    let app = app_on("embedded", "600").await;
    let token = app.token_for("edit@example.com").await;
    say(&app, &token, "add alpha").await;
    say(&app, &token, "add beta").await;
    // "it" now means beta; replacing that turn puts the memory back to "it" = alpha.
    let (status, events) = chat(
        &app,
        &token,
        json!({"message": "mark it as done", "edit": true}),
    )
    .await;
    assert_eq!(status, 200, "{events:?}");
    let texts = transcript(&app, &token).await;
    assert_eq!(texts.len(), 4, "{texts:?}");
    assert_eq!(texts[0], "add alpha");
    assert_eq!(texts[2], "mark it as done");
    assert!(texts[3].contains("Alpha"), "{}", texts[3]);
    // What the replaced turn did is undone (beta is gone); the new one acted on alpha.
    let todos = open_titles(&app, &token).await;
    assert_eq!(todos, [("Alpha".to_owned(), true)]);

    // A change of the replaced turn that was edited since is kept, and the reply says so.
    let added = say(&app, &token, "add gamma").await;
    assert!(added.iter().any(|(n, _)| n == "todos_changed"));
    let (_, listed) = get(&app, &token, "/api/todos").await;
    let gamma = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["title"] == "Gamma")
        .unwrap()
        .clone();
    let renamed = app
        .api(
            Method::PATCH,
            &format!("/api/todos/{}", gamma["id"].as_str().unwrap()),
            &token,
            Some(json!({"title": "Gamma ray", "version": gamma["version"]})),
        )
        .await;
    assert_eq!(renamed.status(), 200);
    let (status, events) = chat(
        &app,
        &token,
        json!({"message": "list my todos", "edit": true}),
    )
    .await;
    assert_eq!(status, 200);
    let text = text_of(&events);
    assert!(
        text.starts_with("_Kept from the replaced message: “Gamma ray” has changed since"),
        "{text}"
    );
    assert!(
        open_titles(&app, &token)
            .await
            .contains(&("Gamma ray".to_owned(), false))
    );
}

#[tokio::test]
async fn regenerate_answers_the_last_message_again_in_place() {
    let app = app_on("embedded", "600").await;
    let token = app.token_for("regen@example.com").await;
    say(&app, &token, "add alpha").await;
    let first = text_of(&say(&app, &token, "list my todos").await);
    let (status, events) = chat(&app, &token, json!({"regenerate": true})).await;
    assert_eq!(status, 200, "{events:?}");
    assert_eq!(text_of(&events), first, "the LocalAgent answers alike");
    let texts = transcript(&app, &token).await;
    assert_eq!(texts.len(), 4, "the old reply is gone: {texts:?}");
    assert_eq!(texts[2], "list my todos");
    // After a confirmation answer there is no message of the user's to replace.
    say(&app, &token, "delete alpha").await;
    let (_, history) = get(&app, &token, "/api/chat/history").await;
    let action = history["messages"].as_array().unwrap().last().unwrap()["confirm"]["actionId"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, _) = chat(
        &app,
        &token,
        json!({"confirm": {"actionId": action, "approve": false}}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, refused) = chat(&app, &token, json!({"regenerate": true})).await;
    assert_eq!(status, 409, "{refused:?}");
    let (status, _) = chat(&app, &token, json!({"message": "x", "edit": true})).await;
    assert_eq!(status, 409);
    let (status, _) = chat(&app, &token, json!({"regenerate": false})).await;
    assert_eq!(status, 400);
}
