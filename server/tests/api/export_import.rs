//! `GET /api/export` and `POST /api/import` over HTTP: a round trip into a fresh account,
//! merging by list name, the 4xx answers, quotas, all or nothing, and ownership.

use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    helpers::{TestApp, spawn_app},
    todo_restore::app_on_with,
};

pub(crate) async fn call(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    app.api_json(method, path, token, body).await
}

async fn export(app: &TestApp, token: &str) -> Value {
    let response = app.api(Method::GET, "/api/export", token, None).await;
    assert_eq!(response.status(), 200);
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"tasko-export-")
            && disposition.ends_with(".json\""),
        "{disposition}"
    );
    response.json().await.unwrap()
}

async fn import(app: &TestApp, token: &str, doc: &Value) -> (u16, Value) {
    call(app, token, Method::POST, "/api/import", Some(doc.clone())).await
}

async fn new_list(app: &TestApp, token: &str, name: &str) -> String {
    let (status, list) = call(
        app,
        token,
        Method::POST,
        "/api/lists",
        Some(json!({"name": name})),
    )
    .await;
    assert_eq!(status, 201, "{list}");
    list["id"].as_str().unwrap().to_owned()
}

/// The lists by name and the todos without ids, timestamps and versions, with their list's
/// name in place of its id: what must survive a round trip.
fn content(doc: &Value) -> (Vec<Value>, Vec<Value>) {
    let lists = doc["lists"].as_array().unwrap();
    let name_of = |id: &Value| {
        lists
            .iter()
            .find(|l| &l["id"] == id)
            .map(|l| l["name"].clone())
            .unwrap()
    };
    let mut names: Vec<Value> = lists
        .iter()
        .map(|l| json!([l["name"], l["color"], l["inbox"]]))
        .collect();
    names.sort_by_key(|v| v.to_string());
    let mut todos: Vec<Value> = doc["todos"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let mut t = t.clone();
            let map = t.as_object_mut().unwrap();
            for gone in ["id", "createdAt", "updatedAt", "version"] {
                map.remove(gone);
            }
            map.insert("listId".into(), name_of(&map["listId"]));
            for s in map["subtasks"].as_array_mut().unwrap() {
                s.as_object_mut().unwrap().remove("id");
            }
            t
        })
        .collect();
    todos.sort_by_key(|v| v.to_string());
    (names, todos)
}

async fn fill(app: &TestApp, token: &str) {
    let home = new_list(app, token, "Home").await;
    let work = new_list(app, token, "Work").await;
    app.create_todo(token, json!({"title": "Inbox thing", "priority": 2}))
        .await;
    app.create_todo(
        token,
        json!({"title": "Water plants", "listId": home, "labels": ["garden"],
               "dateDue": "2026-12-12", "dueTime": "09:30", "repeat": "every saturday",
               "subtasks": [{"title": "Fern"}, {"title": "Cactus", "done": true}],
               "description": "all of them", "notes": "not too much"}),
    )
    .await;
    let done = app
        .create_todo(token, json!({"title": "Report", "listId": work, "priority": 1,
                                    "repeat": "every 2 weeks after completion", "dateDue": "2026-12-08"}))
        .await;
    let (status, _) = call(
        app,
        token,
        Method::PATCH,
        &format!("/api/todos/{}", done["id"].as_str().unwrap()),
        Some(json!({"version": done["version"], "completed": true})),
    )
    .await;
    assert_eq!(status, 200);
    let gone = app
        .create_todo(token, json!({"title": "Deleted one"}))
        .await;
    let path = format!("/api/todos/{}", gone["id"].as_str().unwrap());
    assert_eq!(call(app, token, Method::DELETE, &path, None).await.0, 204);
}

#[tokio::test]
async fn export_then_import_into_a_fresh_account_gives_the_same_lists_and_todos() {
    let app = spawn_app().await;
    let alice = app.token_for("export-alice@example.com").await;
    fill(&app, &alice).await;
    let doc = export(&app, &alice).await;
    assert_eq!(doc["version"], 1);
    assert_eq!(
        doc["todos"].as_array().unwrap().len(),
        3,
        "live todos only: {doc}"
    );
    assert!(doc["files"].is_array());
    let report = doc["todos"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["title"] == "Report")
        .unwrap();
    assert_eq!(
        report["completions"].as_array().unwrap().len(),
        1,
        "{report}"
    );

    let bob = app.token_for("export-bob@example.com").await;
    let (status, answer) = import(&app, &bob, &doc).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer, json!({"lists": 2, "todos": 3}));
    let again = export(&app, &bob).await;
    assert_eq!(content(&again), content(&doc));
    // Ownership: Bob's export holds nothing of Alice's (new ids everywhere).
    let ids = |d: &Value, key: &str| -> Vec<String> {
        d[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].to_string())
            .collect()
    };
    for id in ids(&again, "todos").iter().chain(&ids(&again, "lists")) {
        assert!(!doc.to_string().contains(id.as_str()), "{id} is Alice's");
    }
}

#[tokio::test]
async fn lists_of_the_same_name_are_merged_and_the_inbox_maps_to_the_inbox() {
    let app = spawn_app().await;
    let token = app.token_for("merge@example.com").await;
    let home = new_list(&app, &token, "home").await;
    let doc = json!({"version": 1, "lists": [
        {"id": "a", "name": "Inbox", "inbox": true},
        {"id": "b", "name": "HOME", "color": "red"},
        {"id": "c", "name": "Trips"}],
      "todos": [
        {"title": "In the inbox", "listId": "a"},
        {"title": "At home", "listId": "b"},
        {"title": "Pack", "listId": "c"}]});
    let (status, answer) = import(&app, &token, &doc).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer, json!({"lists": 1, "todos": 3}));
    let (_, lists) = call(&app, &token, Method::GET, "/api/lists", None).await;
    assert_eq!(lists.as_array().unwrap().len(), 3, "{lists}");
    let (_, at_home) = call(
        &app,
        &token,
        Method::GET,
        &format!("/api/todos?list={home}"),
        None,
    )
    .await;
    assert_eq!(at_home[0]["title"], "At home", "{at_home}");
    let (_, all) = call(&app, &token, Method::GET, "/api/todos", None).await;
    let inboxed = all
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["title"] == "In the inbox")
        .unwrap();
    assert_eq!(inboxed["listId"], lists[0]["id"]);
}

/// A 4xx with a sentence containing `words`, and nothing written.
pub(crate) async fn refused(
    app: &TestApp,
    token: &str,
    answer: (u16, Value),
    status: u16,
    words: &str,
) {
    assert_eq!(answer.0, status, "{}", answer.1);
    let message = answer.1["message"].as_str().unwrap();
    assert!(message.contains(words), "{message:?} lacks {words:?}");
    let (_, todos) = call(app, token, Method::GET, "/api/todos", None).await;
    assert_eq!(todos, json!([]), "nothing is written");
    let (_, lists) = call(app, token, Method::GET, "/api/lists", None).await;
    assert_eq!(
        lists.as_array().unwrap().len(),
        1,
        "only the Inbox: {lists}"
    );
}

#[tokio::test]
async fn bad_documents_are_refused_with_a_sentence_and_change_nothing() {
    let app = spawn_app().await;
    let token = app.token_for("bad-import@example.com").await;
    let good = json!({"title": "fine"});
    let cases = [
        (json!({"version": 2, "todos": [good]}), "version 2 document"),
        (
            json!({"version": 1, "todos": [good, {"title": ""}]}),
            "todos[1].title",
        ),
        (
            json!({"version": 1, "todos": [good, {"title": "x", "dateDue": "2026-13-40"}]}),
            "todos[1].dateDue",
        ),
        (
            json!({"version": 1, "todos": [good, {"title": "x", "priority": 9}]}),
            "todos[1].",
        ),
        (
            json!({"version": 1, "todos": [good, {"title": "x", "labels": ["No Spaces"]}]}),
            "todos[1].",
        ),
        (
            json!({"version": 1, "todos": [good, {"title": "x", "repeat": "every blue moon", "dateDue": "2026-12-01"}]}),
            "todos[1].",
        ),
        (
            json!({"version": 1, "todos": [good, {"title": "x", "repeat": "every monday"}]}),
            "todos[1].repeat",
        ),
        (
            json!({"version": 1, "todos": [good, {"title": "x", "listId": "nope"}]}),
            "todos[1].listId",
        ),
        (
            json!({"version": 1, "lists": [{"id": "l", "name": "  "}], "todos": [good]}),
            "lists[0].name",
        ),
        (json!({"todos": []}), "version"),
    ];
    for (doc, words) in cases {
        let answer = import(&app, &token, &doc).await;
        refused(&app, &token, answer, 400, words).await;
    }
    let answer = async {
        let r = app
            .client
            .post(format!("{}/api/import", app.address))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body("{not json")
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.json::<Value>().await.unwrap())
    }
    .await;
    refused(&app, &token, answer, 400, "line 1").await;
    let answer = async {
        let r = app
            .client
            .post(format!("{}/api/import", app.address))
            .bearer_auth(&token)
            .header("content-type", "application/xml")
            .body("<x/>")
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.json::<Value>().await.unwrap())
    }
    .await;
    refused(&app, &token, answer, 415, "application/json").await;
    let huge = json!({"version": 1, "todos": [], "pad": "x".repeat(3 * 1024 * 1024)});
    let answer = import(&app, &token, &huge).await;
    refused(&app, &token, answer, 413, "larger than").await;
    let many: Vec<Value> = (0..5001)
        .map(|i| json!({"title": format!("t{i}")}))
        .collect();
    let answer = import(&app, &token, &json!({"version": 1, "todos": many})).await;
    refused(&app, &token, answer, 413, "at most 5000").await;
}

#[tokio::test]
async fn quotas_are_checked_before_anything_is_written() {
    let app = app_on_with(
        "embedded",
        "600",
        &[("MAX_TODOS_PER_USER", "3"), ("MAX_LISTS_PER_USER", "1")],
    )
    .await;
    let token = app.token_for("import-quota@example.com").await;
    let three: Vec<Value> = (0..4).map(|i| json!({"title": format!("t{i}")})).collect();
    let answer = import(&app, &token, &json!({"version": 1, "todos": three})).await;
    refused(&app, &token, answer, 403, "at most 3").await;
    let lists = json!({"version": 1, "lists": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}], "todos": []});
    let answer = import(&app, &token, &lists).await;
    refused(&app, &token, answer, 403, "at most 1").await;
    let labels: Vec<String> = (0..501).map(|i| format!("l{i}")).collect();
    let chunks: Vec<Value> = labels
        .chunks(20)
        .map(|c| json!({"title": "t", "labels": c}))
        .collect();
    let app = spawn_app().await;
    let token = app.token_for("import-labels@example.com").await;
    let answer = import(&app, &token, &json!({"version": 1, "todos": chunks})).await;
    refused(&app, &token, answer, 403, "different labels").await;
}
