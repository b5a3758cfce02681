//! Quick add: the browser reads a line with the shared words layer (`app::words`), so the
//! server has no quick-add endpoint; what is left of it here is that the assistant's "add"
//! reads the same cases the same way, that it stays bounded on long text, and that the
//! retired `/api/ui/*` paths answer like every unknown API path (a JSON 404, never a 500 or
//! a redirect, whatever the body).

use app::words::quick_add::QUICK_ADD_CASES;
use serde_json::Value;

use crate::{agent_harness::Harness, helpers::spawn_app};

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

#[tokio::test]
async fn adding_a_line_longer_than_a_todo_is_refused_with_the_title_limit() {
    let mut h = Harness::new();
    let filler = "and then some more words ".repeat(160);
    let reply = h.say(&format!("add {filler} tomorrow")).await;
    assert!(h.todos().await.is_empty(), "{}", reply.text);
    assert!(reply.text.contains("the limit is 200"), "{}", reply.text);
}

#[tokio::test]
async fn the_retired_quick_add_function_answers_a_json_404_to_any_body() {
    let app = spawn_app().await;
    let token = app.token_for("retired@example.com").await;
    let url = |path: &str| format!("{}/api/ui/{path}", app.address);
    let bodies: Vec<(&str, Vec<u8>)> = vec![
        (
            "application/x-www-form-urlencoded",
            b"text=call+mom".to_vec(),
        ),
        (
            "application/x-www-form-urlencoded",
            b"text=a&text=b&time_zone=UTC".to_vec(),
        ),
        ("application/x-www-form-urlencoded", Vec::new()),
        (
            "application/json",
            br#"{"text":"call mom","time_zone":"UTC"}"#.to_vec(),
        ),
        (
            "application/x-www-form-urlencoded",
            b"text=\xff\xfe&time_zone=UTC".to_vec(),
        ),
    ];
    for path in ["quick-add", "no-such-function"] {
        for (content_type, body) in &bodies {
            for accept in ["application/json", "text/html"] {
                let response = app
                    .client
                    .post(url(path))
                    .bearer_auth(&token)
                    .header("content-type", *content_type)
                    .header("accept", accept)
                    .header("referer", "https://elsewhere.example/")
                    .body(body.clone())
                    .send()
                    .await
                    .unwrap();
                let status = response.status();
                assert_eq!(status, 404, "{path} {content_type} {accept}");
                assert!(response.headers().get("location").is_none());
                let json: Value = response.json().await.unwrap();
                assert_eq!(json["error"], "not_found", "{path}: {json}");
                assert!(json["message"].is_string(), "{json}");
            }
        }
    }
    // A body over the limit is refused as such, not as a server error.
    let response = app
        .client
        .post(url("quick-add"))
        .bearer_auth(&token)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(vec![b'a'; 70 * 1024])
        .send()
        .await
        .unwrap();
    assert!(response.status().is_client_error(), "{}", response.status());
    let json: Value = response.json().await.unwrap();
    assert!(json["error"].is_string(), "{json}");
}
