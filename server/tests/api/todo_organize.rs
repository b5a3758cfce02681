//! Organizing todos over HTTP (issue 25): labels, priority and subtasks on the todo, the
//! label list and rename (`/api/labels`), the label quota, and the `label`, `priority` and
//! `sort=priority` parameters of `GET /api/todos`. Each bad input's 400 names its field.

use reqwest::{Method, header};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app, spawn_app_with};

/// The app on the embedded store, or on DynamoDB in moto (`scripts/with-moto.sh`).
async fn app_on(store: &str) -> TestApp {
    if store == "embedded" {
        return spawn_app().await;
    }
    assert!(
        std::env::var("TASKO_TEST_MOTO").is_ok(),
        "needs moto: run through `make unit`"
    );
    let prefix = format!("org{}_", &uuid::Uuid::new_v4().simple().to_string()[..10]);
    spawn_app_with(&[
        ("STORE", "dynamodb"),
        ("DYNAMODB_TABLE_PREFIX", &prefix),
        ("DYNAMODB_CREATE_TABLES", "1"),
    ])
    .await
}

async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let response = app.api(method, path, token, body).await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn list(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let (status, body) = send(app, Method::GET, &format!("/api/todos{query}"), token, None).await;
    assert_eq!(status, 200, "{query}: {body}");
    body.as_array().unwrap().clone()
}

fn titles(todos: &[Value]) -> Vec<&str> {
    todos.iter().map(|t| t["title"].as_str().unwrap()).collect()
}

async fn patch(app: &TestApp, token: &str, todo: &Value, body: Value) -> (u16, Value) {
    let mut body = body;
    body["version"] = todo["version"].clone();
    let path = format!("/api/todos/{}", todo["id"].as_str().unwrap());
    send(app, Method::PATCH, &path, token, Some(body)).await
}

#[tokio::test]
async fn a_todo_is_created_with_labels_priority_and_subtasks_and_reads_back() {
    let app = spawn_app().await;
    let token = app.token_for("organize@example.com").await;
    let created = app
        .create_todo(
            &token,
            json!({"title": "Pay rent", "labels": ["Home", "money", "home"], "priority": 2,
                   "subtasks": [{"title": " Log in "}, {"title": "Transfer", "done": true}]}),
        )
        .await;
    assert_eq!(created["labels"], json!(["home", "money"]));
    assert_eq!(created["priority"], 2);
    let subtasks = created["subtasks"].as_array().unwrap();
    assert_eq!(subtasks.len(), 2);
    assert_eq!(
        (&subtasks[0]["title"], &subtasks[0]["done"]),
        (&json!("Log in"), &json!(false))
    );
    assert_eq!(
        (&subtasks[1]["title"], &subtasks[1]["done"]),
        (&json!("Transfer"), &json!(true))
    );
    for subtask in subtasks {
        let id = subtask["id"].as_str().unwrap();
        assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
    }
    let path = format!("/api/todos/{}", created["id"].as_str().unwrap());
    assert_eq!(
        send(&app, Method::GET, &path, &token, None).await.1,
        created
    );

    let plain = app.create_todo(&token, json!({"title": "Plain"})).await;
    assert_eq!(
        (&plain["labels"], &plain["priority"], &plain["subtasks"]),
        (&json!([]), &json!(4), &json!([]))
    );
    assert_eq!(list(&app, &token, "").await, vec![created, plain]);
}

#[tokio::test]
async fn a_patch_replaces_labels_priority_and_the_checklist_keeping_ids() {
    let app = spawn_app().await;
    let token = app.token_for("checklist@example.com").await;
    let todo = app
        .create_todo(
            &token,
            json!({"title": "Trip", "labels": ["travel"],
                   "subtasks": [{"title": "Pack"}, {"title": "Book"}, {"title": "Go"}]}),
        )
        .await;
    let ids: Vec<Value> = todo["subtasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].clone())
        .collect();

    // Reordered, one checked and renamed, one removed, one added.
    let (status, changed) = patch(
        &app,
        &token,
        &todo,
        json!({"subtasks": [{"id": ids[2], "title": "Leave", "done": true},
                            {"title": "Water plants"},
                            {"id": ids[0], "title": "Pack"}],
               "labels": ["travel", "summer"], "priority": 1}),
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["version"], 2);
    assert_eq!(
        (&changed["labels"], &changed["priority"]),
        (&json!(["travel", "summer"]), &json!(1))
    );
    let subtasks = changed["subtasks"].as_array().unwrap();
    assert_eq!(
        subtasks
            .iter()
            .map(|s| s["title"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["Leave", "Water plants", "Pack"]
    );
    assert_eq!(
        (&subtasks[0]["id"], &subtasks[0]["done"]),
        (&ids[2], &json!(true))
    );
    assert_eq!(subtasks[2]["id"], ids[0]);
    assert!(!ids.contains(&subtasks[1]["id"]));

    // Completing the todo leaves the checklist alone; what was read, sent back, is unchanged.
    let (_, completed) = patch(&app, &token, &changed, json!({"completed": true})).await;
    assert_eq!(completed["subtasks"], changed["subtasks"]);
    let (_, same) = patch(
        &app,
        &token,
        &completed,
        json!({"subtasks": completed["subtasks"], "labels": completed["labels"], "priority": completed["priority"]}),
    )
    .await;
    assert_eq!(same["subtasks"], changed["subtasks"]);
    assert_eq!(same["version"], 4);

    // Absent fields stay; empty ones clear.
    let (_, titled) = patch(&app, &token, &same, json!({"title": "Trip!"})).await;
    assert_eq!(
        (&titled["labels"], &titled["priority"], &titled["subtasks"]),
        (&same["labels"], &same["priority"], &same["subtasks"])
    );
    let (_, cleared) = patch(
        &app,
        &token,
        &titled,
        json!({"labels": [], "subtasks": [], "priority": 4}),
    )
    .await;
    assert_eq!(
        (
            &cleared["labels"],
            &cleared["priority"],
            &cleared["subtasks"]
        ),
        (&json!([]), &json!(4), &json!([]))
    );
}

#[tokio::test]
async fn bad_labels_priorities_and_subtasks_are_400s_naming_the_field_and_change_nothing() {
    let app = spawn_app().await;
    let token = app.token_for("bad-organize@example.com").await;
    let many_labels: Vec<String> = (0..21).map(|i| format!("l{i}")).collect();
    let many_subtasks: Vec<Value> = (0..101)
        .map(|i| json!({"title": format!("s{i}")}))
        .collect();
    let long_label = "l".repeat(41);
    let cases = [
        (
            json!({"labels": ["two words"]}),
            "labels: 'two words' is not a label; a label is 1 to 40 letters, digits, '-' or '_'.",
        ),
        (
            json!({"labels": ["ok", "#home"]}),
            "labels: '#home' is not a label",
        ),
        (json!({"labels": [long_label]}), "is not a label"),
        (json!({"labels": [""]}), "labels: '' is not a label"),
        (
            json!({"labels": many_labels}),
            "labels: a todo has at most 20 labels; 21 were given.",
        ),
        (json!({"labels": "home"}), "labels"),
        (
            json!({"priority": 0}),
            "priority must be 1, 2, 3 or 4 (1 is the highest, 4 means none); 0 is not.",
        ),
        (json!({"priority": 5}), "priority must be 1, 2, 3 or 4"),
        (json!({"priority": "high"}), "priority"),
        (json!({"priority": 1.5}), "priority"),
        (
            json!({"subtasks": many_subtasks}),
            "subtasks: a todo has at most 100 subtasks; 101 were given.",
        ),
        (
            json!({"subtasks": [{"title": "ok"}, {"title": "  "}]}),
            "subtasks item 2: The title must not be empty.",
        ),
        (
            json!({"subtasks": [{"title": "x".repeat(201)}]}),
            "subtasks item 1: The title is 201 characters long",
        ),
        (
            json!({"subtasks": [{"title": "a", "owner": "x"}]}),
            "unknown field `owner`",
        ),
        (
            json!({"subtasks": [{"done": true}]}),
            "missing field `title`",
        ),
    ];
    for (fields, expected) in &cases {
        let mut body = fields.clone();
        body["title"] = json!("Bad");
        let (status, error) = send(&app, Method::POST, "/api/todos", &token, Some(body)).await;
        assert_eq!(status, 400, "{fields}: {error}");
        assert_eq!(error["error"], "invalid_request");
        let message = error["message"].as_str().unwrap();
        assert!(message.contains(expected), "{fields}: {message}");
    }
    assert!(
        list(&app, &token, "").await.is_empty(),
        "a bad create wrote something"
    );

    let todo = app
        .create_todo(
            &token,
            json!({"title": "Good", "subtasks": [{"title": "one"}]}),
        )
        .await;
    let stranger = uuid::Uuid::now_v7().to_string();
    let own = todo["subtasks"][0]["id"].clone();
    let patches = [
        (
            json!({"subtasks": [{"id": stranger, "title": "x"}]}),
            format!("subtasks item 1: '{stranger}' is not one of this todo's subtasks"),
        ),
        (
            json!({"subtasks": [{"id": "nope", "title": "x"}]}),
            "subtasks item 1: 'nope' is not a subtask id.".to_owned(),
        ),
        (
            json!({"subtasks": [{"id": own, "title": "a"}, {"id": own, "title": "b"}]}),
            "subtasks item 2: the id".to_owned(),
        ),
        (
            json!({"labels": ["fine"], "priority": 9}),
            "priority must be".to_owned(),
        ),
        (
            json!({"priority": 1, "labels": ["not fine"]}),
            "labels: 'not fine'".to_owned(),
        ),
    ];
    for (fields, expected) in &patches {
        let (status, error) = patch(&app, &token, &todo, fields.clone()).await;
        assert_eq!(status, 400, "{fields}: {error}");
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .contains(expected.as_str()),
            "{fields}: {error}"
        );
    }
    assert_eq!(
        list(&app, &token, "").await,
        vec![todo],
        "a bad patch changed the todo"
    );
}

#[tokio::test]
async fn labels_are_listed_with_counts_and_renamed_on_every_todo() {
    labels_listed_and_renamed("embedded").await;
}

#[tokio::test]
async fn labels_are_listed_with_counts_and_renamed_on_every_todo_on_dynamodb() {
    labels_listed_and_renamed("dynamodb").await;
}

async fn labels_listed_and_renamed(store: &str) {
    let app = app_on(store).await;
    let token = app.token_for("labels@example.com").await;
    let other = app.token_for("labels-other@example.com").await;
    let a = app
        .create_todo(&token, json!({"title": "A", "labels": ["phone", "home"]}))
        .await;
    let b = app
        .create_todo(&token, json!({"title": "B", "labels": ["work", "phone"]}))
        .await;
    app.create_todo(&token, json!({"title": "C", "labels": ["work"]}))
        .await;
    let gone = app
        .create_todo(
            &token,
            json!({"title": "Deleted", "labels": ["gone", "phone"]}),
        )
        .await;
    let path = format!("/api/todos/{}", gone["id"].as_str().unwrap());
    assert_eq!(send(&app, Method::DELETE, &path, &token, None).await.0, 204);
    let theirs = app
        .create_todo(&other, json!({"title": "Theirs", "labels": ["phone"]}))
        .await;

    let (status, labels) = send(&app, Method::GET, "/api/labels", &token, None).await;
    assert_eq!(status, 200);
    assert_eq!(
        labels,
        json!([{"name": "home", "count": 1}, {"name": "phone", "count": 2}, {"name": "work", "count": 2}])
    );

    let etag = |response: &reqwest::Response| {
        response.headers()[header::ETAG]
            .to_str()
            .unwrap()
            .to_owned()
    };
    let before = etag(&app.api(Method::GET, "/api/todos", &token, None).await);
    let (status, renamed) = send(
        &app,
        Method::PATCH,
        "/api/labels/phone",
        &token,
        Some(json!({"name": "Calls"})),
    )
    .await;
    assert_eq!(
        (status, renamed),
        (200, json!({"name": "calls", "count": 2}))
    );
    let todos = list(&app, &token, "").await;
    assert_eq!(
        todos[0]["labels"],
        json!(["calls", "home"]),
        "renamed in place"
    );
    assert_eq!(todos[1]["labels"], json!(["work", "calls"]));
    assert_eq!(
        (&todos[0]["version"], &todos[1]["version"]),
        (
            &json!(a["version"].as_u64().unwrap() + 1),
            &json!(b["version"].as_u64().unwrap() + 1)
        )
    );
    assert_eq!(
        todos[2]["version"], 1,
        "a todo without the label is not written"
    );
    assert_ne!(
        etag(&app.api(Method::GET, "/api/todos", &token, None).await),
        before
    );
    let (_, theirs_now) = send(
        &app,
        Method::GET,
        &format!("/api/todos/{}", theirs["id"].as_str().unwrap()),
        &other,
        None,
    )
    .await;
    assert_eq!(theirs_now, theirs, "another user's label is theirs");

    // Into an existing label: the two merge, once per todo.
    let (status, merged) = send(
        &app,
        Method::PATCH,
        "/api/labels/calls",
        &token,
        Some(json!({"name": "work"})),
    )
    .await;
    assert_eq!((status, merged), (200, json!({"name": "work", "count": 3})));
    let todos = list(&app, &token, "").await;
    assert_eq!(todos[0]["labels"], json!(["work", "home"]));
    assert_eq!(todos[1]["labels"], json!(["work"]));
    let (_, labels) = send(&app, Method::GET, "/api/labels", &token, None).await;
    assert_eq!(
        labels,
        json!([{"name": "home", "count": 1}, {"name": "work", "count": 3}])
    );

    // The deleted todo comes back with its own labels, as it was.
    let restore = format!("/api/todos/{}/restore", gone["id"].as_str().unwrap());
    let (status, restored) = send(&app, Method::POST, &restore, &token, None).await;
    assert_eq!(
        (status, &restored["labels"]),
        (200, &json!(["gone", "phone"]))
    );

    for (path, body, status, expected) in [
        (
            "/api/labels/nothing",
            json!({"name": "x"}),
            404,
            "None of your todos has the label 'nothing'.",
        ),
        (
            "/api/labels/two%20words",
            json!({"name": "x"}),
            400,
            "The label in the address: 'two words' is not a label",
        ),
        (
            "/api/labels/home",
            json!({"name": "no way"}),
            400,
            "name: 'no way' is not a label",
        ),
        (
            "/api/labels/home",
            json!({"name": "x", "count": 2}),
            400,
            "unknown field `count`",
        ),
        ("/api/labels/home", json!({}), 400, "missing field `name`"),
    ] {
        let (got, error) = send(&app, Method::PATCH, path, &token, Some(body.clone())).await;
        assert_eq!(got, status, "{path} {body}: {error}");
        assert!(
            error["message"].as_str().unwrap().contains(expected),
            "{path} {body}: {error}"
        );
    }
    let (_, unchanged) = send(&app, Method::GET, "/api/labels", &token, None).await;
    assert_eq!(
        unchanged,
        json!([{"name": "gone", "count": 1}, {"name": "home", "count": 1}, {"name": "phone", "count": 1}, {"name": "work", "count": 3}])
    );
}

#[tokio::test]
async fn an_account_uses_at_most_500_labels() {
    let app = spawn_app().await;
    let token = app.token_for("label-quota@example.com").await;
    for t in 0..25 {
        let labels: Vec<String> = (0..20).map(|i| format!("t{t}-l{i}")).collect();
        app.create_todo(
            &token,
            json!({"title": format!("Todo {t}"), "labels": labels}),
        )
        .await;
    }
    let (status, error) = send(
        &app,
        Method::POST,
        "/api/todos",
        &token,
        Some(json!({"title": "One more", "labels": ["t0-l0", "brand-new"]})),
    )
    .await;
    assert_eq!(
        (status, &error["error"]),
        (403, &json!("quota_exceeded")),
        "{error}"
    );
    assert_eq!(
        error["message"],
        "Your todos use 500 different labels, the most one account can; reuse or rename one instead of adding 'brand-new'."
    );
    // Labels already in use are fine; so is swapping one of a todo's labels for a new one.
    let reuse = app
        .create_todo(
            &token,
            json!({"title": "Reuse", "labels": ["t0-l0", "t1-l1"]}),
        )
        .await;
    let (status, error) = patch(
        &app,
        &token,
        &reuse,
        json!({"labels": ["t0-l0", "t1-l1", "brand-new"]}),
    )
    .await;
    assert_eq!(
        (status, &error["error"]),
        (403, &json!("quota_exceeded")),
        "{error}"
    );
    let first = &list(&app, &token, "").await[0];
    let mut swapped: Vec<String> = (0..19).map(|i| format!("t0-l{i}")).collect();
    swapped.push("brand-new".into());
    assert_eq!(
        patch(&app, &token, first, json!({"labels": swapped}))
            .await
            .0,
        200,
        "t0-l19 was freed"
    );
    // A rename keeps the count.
    let (status, _) = send(
        &app,
        Method::PATCH,
        "/api/labels/t3-l3",
        &token,
        Some(json!({"name": "renamed"})),
    )
    .await;
    assert_eq!(status, 200);
    let (_, labels) = send(&app, Method::GET, "/api/labels", &token, None).await;
    assert_eq!(labels.as_array().unwrap().len(), 500);
}

#[tokio::test]
async fn the_list_filters_by_labels_and_priorities_and_sorts_by_priority() {
    filters_and_priority_sort("embedded").await;
}

#[tokio::test]
async fn the_list_filters_by_labels_and_priorities_and_sorts_by_priority_on_dynamodb() {
    filters_and_priority_sort("dynamodb").await;
}

async fn filters_and_priority_sort(store: &str) {
    let app = app_on(store).await;
    let token = app.token_for("filters@example.com").await;
    for (title, priority, due, labels) in [
        ("a", 1, Some("2026-12-10"), json!(["x"])),
        ("b", 1, None, json!(["x", "y"])),
        ("c", 2, Some("2026-12-01"), json!(["y"])),
        ("d", 4, Some("2026-11-01"), json!([])),
        ("e", 1, Some("2026-12-05"), json!([])),
        ("f", 3, None, json!(["y"])),
    ] {
        app.create_todo(
            &token,
            json!({"title": title, "priority": priority, "dateDue": due, "labels": labels}),
        )
        .await;
    }
    let sub = app
        .create_todo(
            &token,
            json!({"title": "g", "subtasks": [{"title": "Buy oat milk"}]}),
        )
        .await;
    for (query, expected) in [
        ("?sort=priority", vec!["e", "a", "b", "c", "f", "d", "g"]),
        ("?label=x", vec!["a", "b"]),
        ("?label=x&label=Y", vec!["b"]),
        ("?label=y&sort=priority", vec!["b", "c", "f"]),
        ("?priority=1", vec!["a", "b", "e"]),
        ("?priority=1,2&sort=due", vec!["c", "e", "a", "b"]),
        ("?priority=2%2C3", vec!["c", "f"]),
        ("?priority=4", vec!["d", "g"]),
        ("?priority=1&label=x&dueFrom=2026-12-01", vec!["a"]),
        ("?q=oat", vec!["g"]),
        ("?q=x", vec!["a", "b"]),
    ] {
        assert_eq!(
            titles(&list(&app, &token, query).await),
            expected,
            "{query}"
        );
    }
    assert_eq!(list(&app, &token, "?q=milk").await, vec![sub]);

    for (query, expected) in [
        (
            "?priority=0",
            "priority must be 1, 2, 3 or 4, or several separated by commas like 1,2; '0' is not.",
        ),
        ("?priority=1,x", "priority must be"),
        ("?priority=", "priority must be"),
        ("?label=two%20words", "label: 'two words' is not a label"),
        ("?label=", "label: '' is not a label"),
        ("?sort=importance", "sort must be due, created or priority."),
        ("?priority=1&priority=2", "duplicate field `priority`"),
        ("?labels=x", "unknown field `labels`"),
    ] {
        let (status, error) = send(
            &app,
            Method::GET,
            &format!("/api/todos{query}"),
            &token,
            None,
        )
        .await;
        assert_eq!(status, 400, "{query}: {error}");
        assert!(
            error["message"].as_str().unwrap().contains(expected),
            "{query}: {error}"
        );
    }
}
