//! `GET /api/todos` with filters (`q`, `status`, `dueFrom`, `dueTo`, `sort`, `timeZone`) and
//! its ETag, on both stores. The filters are the assistant's `getTodos` ones (one
//! implementation, `domain::TodoQuery`).

use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestClock, spawn_app_with_clock};

/// 2026-11-26 23:30 UTC: already the 27th in Berlin.
const NOW: &str = "2026-11-26T23:30:00Z";

async fn app_on(store: &str) -> TestApp {
    let clock = TestClock::at(NOW);
    if store == "dynamodb" {
        assert!(
            std::env::var("TASKO_TEST_MOTO").is_ok(),
            "needs moto: run through `make unit`"
        );
        let prefix = format!("ls{}_", &uuid::Uuid::new_v4().simple().to_string()[..10]);
        spawn_app_with_clock(
            &[
                ("STORE", "dynamodb"),
                ("DYNAMODB_TABLE_PREFIX", &prefix),
                ("DYNAMODB_CREATE_TABLES", "1"),
            ],
            clock,
        )
        .await
    } else {
        spawn_app_with_clock(&[], clock).await
    }
}

async fn titles(app: &TestApp, token: &str, query: &str) -> Vec<String> {
    let response = app
        .api(Method::GET, &format!("/api/todos{query}"), token, None)
        .await;
    assert_eq!(response.status(), 200, "{query}");
    let list: Vec<Value> = response.json().await.unwrap();
    list.iter()
        .map(|t| t["title"].as_str().unwrap().to_owned())
        .collect()
}

async fn filters_sort_and_answer_as_before_without_parameters(store: &str) {
    let app = app_on(store).await;
    let token = app.token_for(&format!("list-{store}@example.com")).await;
    let other = app.token_for(&format!("other-{store}@example.com")).await;
    for (title, due, notes) in [
        ("Renew passport", Some("2026-12-10"), "bring the old one"),
        ("Pay rent", Some("2026-11-26"), ""),
        ("Ansible playbook", None, "fix the NGINX role"),
        ("Dentist appointment", Some("2026-11-20"), ""),
        ("Call mom", Some("2026-11-27"), ""),
    ] {
        let mut body = json!({"title": title, "notes": notes});
        if let Some(due) = due {
            body["dateDue"] = json!(due);
        }
        app.create_todo(&token, body).await;
    }
    app.create_todo(&other, json!({"title": "Someone else's rent"}))
        .await;
    let dentist = titles(&app, &token, "?q=dentist").await;
    assert_eq!(dentist, ["Dentist appointment"]);
    // Complete the dentist appointment.
    let list: Vec<Value> = app
        .api(Method::GET, "/api/todos", &token, None)
        .await
        .json()
        .await
        .unwrap();
    let id = list[3]["id"].as_str().unwrap();
    let patched = app
        .api(
            Method::PATCH,
            &format!("/api/todos/{id}"),
            &token,
            Some(json!({"version": 1, "completed": true})),
        )
        .await;
    assert_eq!(patched.status(), 200);

    let all = [
        "Renew passport",
        "Pay rent",
        "Ansible playbook",
        "Dentist appointment",
        "Call mom",
    ];
    assert_eq!(
        titles(&app, &token, "").await,
        all,
        "no parameters: everything, oldest first"
    );
    assert_eq!(titles(&app, &token, "?status=all&sort=created").await, all);
    assert_eq!(
        titles(&app, &token, "?status=completed").await,
        ["Dentist appointment"]
    );
    assert_eq!(titles(&app, &token, "?status=open").await.len(), 4);
    // In UTC it is still the 26th: rent is due today, not overdue; in Berlin it is the 27th.
    assert!(titles(&app, &token, "?status=overdue").await.is_empty());
    assert_eq!(
        titles(&app, &token, "?status=overdue&timeZone=Europe/Berlin").await,
        ["Pay rent"]
    );
    assert_eq!(
        titles(&app, &token, "?dueFrom=2026-11-26&dueTo=2026-11-30").await,
        ["Pay rent", "Call mom"]
    );
    // Words, all of them, anywhere in title, description or notes, any case.
    assert_eq!(
        titles(&app, &token, "?q=NGINX%20ansible").await,
        ["Ansible playbook"]
    );
    assert!(titles(&app, &token, "?q=nginx%20passport").await.is_empty());
    assert_eq!(
        titles(&app, &token, "?q=NGINX%20ansible%20nginx%20Ansible%20nginx").await,
        ["Ansible playbook"],
        "repeated words count once"
    );
    assert_eq!(
        titles(&app, &token, "?q=rent").await,
        ["Pay rent"],
        "only the user's own"
    );
    assert_eq!(
        titles(&app, &token, "?sort=due").await,
        [
            "Dentist appointment",
            "Pay rent",
            "Call mom",
            "Renew passport",
            "Ansible playbook"
        ],
        "by due date, undated last"
    );

    for (query, message) in [
        ("?status=soon", "status must be"),
        ("?sort=title", "sort must be"),
        ("?dueFrom=tomorrow", "is not a date"),
        ("?timeZone=Mars/Olympus", "Unknown time zone"),
        ("?color=red", "unknown field"),
        (
            &*format!("?q={}", "word%20".repeat(5_000)),
            "the limit is 200",
        ),
        (
            "?q=a%20b%20c%20d%20e%20f%20g%20h%20i%20j%20k",
            "11 different words; the limit is 10",
        ),
    ] {
        let response = app
            .api(Method::GET, &format!("/api/todos{query}"), &token, None)
            .await;
        assert_eq!(response.status(), 400, "{query}");
        let body: Value = response.json().await.unwrap();
        assert!(
            body["message"].as_str().unwrap().contains(message),
            "{query}: {body}"
        );
    }
}

#[tokio::test]
async fn the_list_filters_and_sorts_on_the_embedded_store() {
    filters_sort_and_answer_as_before_without_parameters("embedded").await;
}

#[tokio::test]
async fn the_list_filters_and_sorts_on_dynamodb() {
    filters_sort_and_answer_as_before_without_parameters("dynamodb").await;
}

async fn list_if_none_match(app: &TestApp, token: &str, etag: &str) -> reqwest::Response {
    app.client
        .get(format!("{}/api/todos", app.address))
        .bearer_auth(token)
        .header(header::IF_NONE_MATCH, etag)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_unchanged_list_answers_304_to_its_etag_and_a_change_gives_a_new_one() {
    let app = app_on("embedded").await;
    let token = app.token_for("etag@example.com").await;
    app.create_todo(&token, json!({"title": "First"})).await;
    let first = app.api(Method::GET, "/api/todos", &token, None).await;
    assert_eq!(first.status(), 200);
    let etag = first.headers()[header::ETAG].to_str().unwrap().to_owned();
    assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");
    assert_eq!(first.headers()[header::CACHE_CONTROL], "private, no-cache");

    let again = list_if_none_match(&app, &token, &etag).await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(again.headers()[header::ETAG], etag.as_str());
    assert!(again.bytes().await.unwrap().is_empty());

    app.create_todo(&token, json!({"title": "Second"})).await;
    let changed = list_if_none_match(&app, &token, &etag).await;
    assert_eq!(changed.status(), 200);
    assert_ne!(changed.headers()[header::ETAG], etag.as_str());
    // A filtered list has its own tag.
    let filtered = app
        .api(Method::GET, "/api/todos?q=first", &token, None)
        .await;
    assert_ne!(
        filtered.headers()[header::ETAG],
        changed.headers()[header::ETAG]
    );

    // Every change of what the list shows changes the tag: an edit, a delete, a restore.
    let tag = |r: &reqwest::Response| r.headers()[header::ETAG].to_str().unwrap().to_owned();
    let mut seen = vec![tag(&changed)];
    let list: Vec<Value> = changed.json().await.unwrap();
    let id = list[0]["id"].as_str().unwrap().to_owned();
    let edit = json!({"notes": "a note", "version": list[0]["version"]});
    let edited = app
        .api(
            Method::PATCH,
            &format!("/api/todos/{id}"),
            &token,
            Some(edit),
        )
        .await;
    assert_eq!(edited.status(), 200);
    for (method, path) in [
        (Method::DELETE, format!("/api/todos/{id}")),
        (Method::POST, format!("/api/todos/{id}/restore")),
    ] {
        let now = app.api(Method::GET, "/api/todos", &token, None).await;
        assert!(!seen.contains(&tag(&now)), "{path}: the tag did not change");
        seen.push(tag(&now));
        assert!(
            app.api(method, &path, &token, None)
                .await
                .status()
                .is_success()
        );
    }
    let restored = app.api(Method::GET, "/api/todos", &token, None).await;
    assert!(!seen.contains(&tag(&restored)));
}
