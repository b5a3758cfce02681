//! The list API over HTTP: `/api/lists` and its 4xx answers, a todo's `listId`, the `list`
//! filter of `GET /api/todos`, deleting a list with its todos moved or deleted (and
//! restored), the list quota and ownership. The ones touching the store run on both stores.

use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    chat_api::say,
    chat_undo::{change_of, undo},
    helpers::{TestApp, spawn_app},
    todo_restore::{app_on, app_on_with, restore},
};

async fn call(
    app: &TestApp,
    token: &str,
    method: Method,
    path: impl Into<String>,
    body: Option<Value>,
) -> (u16, Value) {
    app.api_json(method, &path.into(), token, body).await
}

async fn lists(app: &TestApp, token: &str) -> Vec<Value> {
    let (status, body) = call(app, token, Method::GET, "/api/lists", None).await;
    assert_eq!(status, 200, "{body}");
    body.as_array().unwrap().clone()
}

async fn new_list(app: &TestApp, token: &str, body: Value) -> Value {
    let (status, list) = call(app, token, Method::POST, "/api/lists", Some(body)).await;
    assert_eq!(status, 201, "{list}");
    list
}

fn names(lists: &[Value]) -> Vec<&str> {
    lists.iter().map(|l| l["name"].as_str().unwrap()).collect()
}

/// A 4xx with its code and a sentence containing `words`.
fn refused(answer: &(u16, Value), status: u16, code: &str, words: &str) {
    let (got, body) = answer;
    assert_eq!(*got, status, "{body}");
    assert_eq!(body["error"], code, "{body}");
    let message = body["message"].as_str().unwrap();
    assert!(message.contains(words), "{message:?} lacks {words:?}");
}

async fn todos_in(app: &TestApp, token: &str, list: &str) -> Vec<String> {
    let (status, body) = call(
        app,
        token,
        Method::GET,
        &format!("/api/todos?list={list}"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body.as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap().to_owned())
        .collect()
}

async fn a_list_is_created_listed_changed_and_deleted(store: &str) {
    let app = app_on(store, "600").await;
    let token = app.token_for(&format!("lists-{store}@example.com")).await;
    let first = lists(&app, &token).await;
    assert_eq!(first.len(), 1);
    let inbox = &first[0];
    assert_eq!(inbox["name"], "Inbox");
    assert_eq!(inbox["inbox"], true);
    assert_eq!(inbox["color"], "grey");
    assert_eq!(inbox["count"], 0);
    assert_eq!(lists(&app, &token).await, first, "one Inbox, created once");
    let todo = app.create_todo(&token, json!({"title": "Loose end"})).await;
    assert_eq!(
        todo["listId"], inbox["id"],
        "a todo is in the Inbox by default"
    );

    let response = app
        .api(
            Method::POST,
            "/api/lists",
            &token,
            Some(json!({"name": "  Groceries "})),
        )
        .await;
    assert_eq!(response.status(), 201);
    let groceries: Value = response.json().await.unwrap();
    let id = groceries["id"].as_str().unwrap().to_owned();
    assert_eq!(
        groceries,
        json!({"id": id, "name": "Groceries", "color": "orange", "order": 1, "inbox": false, "count": 0}),
        "the next color of the palette, after the others"
    );
    let work = new_list(&app, &token, json!({"name": "Work", "color": "Blue"})).await;
    assert_eq!(
        (&work["color"], &work["order"]),
        (&json!("blue"), &json!(2))
    );
    assert_eq!(
        names(&lists(&app, &token).await),
        ["Inbox", "Groceries", "Work"]
    );

    let work_path = format!("/api/lists/{}", work["id"].as_str().unwrap());
    let (status, moved) = call(
        &app,
        &token,
        Method::PATCH,
        &work_path,
        Some(json!({"order": -3})),
    )
    .await;
    assert_eq!((status, &moved["order"]), (200, &json!(-3)));
    assert_eq!(
        names(&lists(&app, &token).await),
        ["Inbox", "Work", "Groceries"],
        "Inbox first, then the order"
    );
    let (status, changed) = call(
        &app,
        &token,
        Method::PATCH,
        &work_path,
        Some(json!({"name": "Office", "color": "green"})),
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(
        (&changed["name"], &changed["color"], &changed["order"]),
        (&json!("Office"), &json!("green"), &json!(-3))
    );
    assert_eq!(
        call(&app, &token, Method::GET, &work_path, None).await,
        (200, changed)
    );

    let (status, deleted) = call(
        &app,
        &token,
        Method::DELETE,
        &format!("{work_path}?todos=move"),
        None,
    )
    .await;
    assert_eq!(
        (status, deleted),
        (200, json!({"moved": [], "deleted": []}))
    );
    refused(
        &call(&app, &token, Method::GET, &work_path, None).await,
        404,
        "not_found",
        "No list with that id.",
    );
    assert_eq!(names(&lists(&app, &token).await), ["Inbox", "Groceries"]);
}

#[tokio::test]
async fn a_list_goes_through_its_life_on_the_embedded_store() {
    a_list_is_created_listed_changed_and_deleted("embedded").await;
}

#[tokio::test]
async fn a_list_goes_through_its_life_on_dynamodb() {
    a_list_is_created_listed_changed_and_deleted("dynamodb").await;
}

#[tokio::test]
async fn every_bad_list_request_is_a_4xx_with_a_sentence_and_changes_nothing() {
    let app = spawn_app().await;
    let token = app.token_for("bad-lists@example.com").await;
    let post = |body: Value| call(&app, &token, Method::POST, "/api/lists", Some(body));
    refused(
        &post(json!({"name": ""})).await,
        400,
        "invalid_request",
        "The list name must not be empty.",
    );
    refused(
        &post(json!({"name": "\u{200B}\u{FEFF}"})).await,
        400,
        "invalid_request",
        "must not be empty",
    );
    refused(
        &post(json!({"name": "x".repeat(61)})).await,
        400,
        "invalid_request",
        "61 characters long; the limit is 60",
    );
    refused(
        &post(json!({"name": "a\nb"})).await,
        400,
        "invalid_request",
        "single line",
    );
    refused(
        &post(json!({"name": "Art", "color": "magenta"})).await,
        400,
        "invalid_request",
        "color must be one of red, orange",
    );
    refused(
        &post(json!({"name": "Art", "owner": "bob"})).await,
        400,
        "invalid_request",
        "owner",
    );
    refused(
        &post(json!({"color": "red"})).await,
        400,
        "invalid_request",
        "name",
    );
    assert_eq!(
        names(&lists(&app, &token).await),
        ["Inbox"],
        "nothing was created"
    );

    new_list(&app, &token, json!({"name": "Groceries"})).await;
    refused(
        &post(json!({"name": "GROCERIES"})).await,
        409,
        "conflict",
        "You already have a list named",
    );
    refused(
        &post(json!({"name": "inbox"})).await,
        409,
        "conflict",
        "You already have a list named",
    );
    let home = new_list(&app, &token, json!({"name": "Home"})).await;
    let home_path = format!("/api/lists/{}", home["id"].as_str().unwrap());
    let patch = |path: String, body: Value| call(&app, &token, Method::PATCH, path, Some(body));
    refused(
        &patch(home_path.clone(), json!({"name": "groceries"})).await,
        409,
        "conflict",
        "already have a list named",
    );
    refused(
        &patch(home_path.clone(), json!({"order": 2_000_000_000i64})).await,
        400,
        "invalid_request",
        "order must be a whole number",
    );
    refused(
        &patch(home_path.clone(), json!({"order": 1.5})).await,
        400,
        "invalid_request",
        "order",
    );
    refused(
        &patch(home_path.clone(), json!({"color": "#fff"})).await,
        400,
        "invalid_request",
        "color must be one of",
    );
    refused(
        &patch(home_path.clone(), json!({"name": "Yard", "color": "nope"})).await,
        400,
        "invalid_request",
        "color",
    );
    refused(
        &patch("/api/lists/nope".into(), json!({"name": "x"})).await,
        400,
        "invalid_request",
        "'nope' is not a list id.",
    );
    let missing = format!("/api/lists/{}", uuid::Uuid::now_v7());
    refused(
        &patch(missing.clone(), json!({"name": "x"})).await,
        404,
        "not_found",
        "No list with that id.",
    );
    refused(
        &call(
            &app,
            &token,
            Method::DELETE,
            &format!("{missing}?todos=move"),
            None,
        )
        .await,
        404,
        "not_found",
        "No list with that id.",
    );

    // Deleting asks what happens to the todos.
    let delete = |query: &str| {
        call(
            &app,
            &token,
            Method::DELETE,
            format!("{home_path}{query}"),
            None,
        )
    };
    refused(
        &delete("").await,
        400,
        "invalid_request",
        "todos=move puts them in the Inbox, todos=delete deletes them",
    );
    refused(
        &delete("?todos=maybe").await,
        400,
        "invalid_request",
        "todos must be move or delete.",
    );
    refused(
        &delete("?todos=move&force=1").await,
        400,
        "invalid_request",
        "force",
    );

    // The Inbox keeps its name and its place.
    let inbox_id = lists(&app, &token).await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let inbox_path = format!("/api/lists/{inbox_id}");
    refused(
        &patch(inbox_path.clone(), json!({"name": "Later"})).await,
        400,
        "invalid_request",
        "The Inbox cannot be renamed.",
    );
    refused(
        &call(
            &app,
            &token,
            Method::DELETE,
            &format!("{inbox_path}?todos=move"),
            None,
        )
        .await,
        400,
        "invalid_request",
        "The Inbox cannot be deleted",
    );
    let listed = lists(&app, &token).await;
    assert_eq!(
        names(&listed),
        ["Inbox", "Groceries", "Home"],
        "nothing changed"
    );
    assert_eq!(
        listed[2],
        json!({"id": home["id"], "name": "Home", "color": "yellow", "order": 2, "inbox": false, "count": 0})
    );
    let (status, recolored) = patch(inbox_path, json!({"color": "Pink", "name": "Inbox"})).await;
    assert_eq!(
        (status, &recolored["color"], &recolored["inbox"]),
        (200, &json!("pink"), &json!(true))
    );
}

#[tokio::test]
async fn a_todo_is_in_one_list_moves_with_its_version_and_the_filter_shows_one_list() {
    let app = spawn_app().await;
    let token = app.token_for("todo-lists@example.com").await;
    let inbox = lists(&app, &token).await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let work = new_list(&app, &token, json!({"name": "Work"})).await;
    let work_id = work["id"].as_str().unwrap().to_owned();
    let loose = app.create_todo(&token, json!({"title": "Loose"})).await;
    assert_eq!(loose["listId"], inbox.as_str());
    let report = app
        .create_todo(&token, json!({"title": "Report", "listId": work_id}))
        .await;
    assert_eq!(report["listId"], work_id.as_str());
    let boxed = app
        .create_todo(&token, json!({"title": "Boxed", "listId": inbox}))
        .await;
    assert_eq!(boxed["listId"], inbox.as_str());

    let post = |body: Value| call(&app, &token, Method::POST, "/api/todos", Some(body));
    refused(
        &post(json!({"title": "X", "listId": "x"})).await,
        400,
        "invalid_request",
        "listId: 'x' is not a list id.",
    );
    let unknown = uuid::Uuid::now_v7().to_string();
    refused(
        &post(json!({"title": "X", "listId": unknown})).await,
        400,
        "invalid_request",
        &format!("listId: {unknown} is none of your lists."),
    );
    assert_eq!(
        todos_in(&app, &token, &inbox).await,
        ["Loose", "Boxed"],
        "nothing was created"
    );

    // A move is an edit: versioned, and stale versions are refused.
    let path = format!("/api/todos/{}", loose["id"].as_str().unwrap());
    let (status, moved) = call(
        &app,
        &token,
        Method::PATCH,
        &path,
        Some(json!({"version": 1, "listId": work_id})),
    )
    .await;
    assert_eq!(
        (status, &moved["listId"], &moved["version"]),
        (200, &json!(work_id), &json!(2))
    );
    refused(
        &call(
            &app,
            &token,
            Method::PATCH,
            &path,
            Some(json!({"version": 1, "listId": inbox})),
        )
        .await,
        409,
        "conflict",
        "version 2",
    );
    refused(
        &call(
            &app,
            &token,
            Method::PATCH,
            &path,
            Some(json!({"version": 2, "listId": unknown})),
        )
        .await,
        400,
        "invalid_request",
        "listId",
    );
    let (_, fetched) = call(&app, &token, Method::GET, &path, None).await;
    assert_eq!(fetched, moved, "a refused move changes nothing");

    assert_eq!(todos_in(&app, &token, &work_id).await, ["Loose", "Report"]);
    assert_eq!(todos_in(&app, &token, &inbox).await, ["Boxed"]);
    let (status, due) = call(
        &app,
        &token,
        Method::GET,
        &format!("/api/todos?list={work_id}&status=open&q=loose"),
        None,
    )
    .await;
    assert_eq!(
        (status, due.as_array().unwrap().len()),
        (200, 1),
        "the filter combines with the others"
    );
    refused(
        &call(
            &app,
            &token,
            Method::GET,
            &format!("/api/todos?list={unknown}"),
            None,
        )
        .await,
        404,
        "not_found",
        "No list with that id.",
    );
    refused(
        &call(&app, &token, Method::GET, "/api/todos?list=work", None).await,
        400,
        "invalid_request",
        "'work' is not a list id.",
    );

    // Counts: open todos per list.
    let counts = |lists: Vec<Value>| {
        lists
            .iter()
            .map(|l| l["count"].as_u64().unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(counts(lists(&app, &token).await), [1, 2]);
    let (status, _) = call(
        &app,
        &token,
        Method::PATCH,
        &path,
        Some(json!({"version": 2, "completed": true})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(counts(lists(&app, &token).await), [1, 1]);
    let (status, inboxed) = call(
        &app,
        &token,
        Method::PATCH,
        &path,
        Some(json!({"version": 3, "listId": inbox})),
    )
    .await;
    assert_eq!((status, &inboxed["listId"]), (200, &json!(inbox)));
    assert_eq!(todos_in(&app, &token, &inbox).await, ["Loose", "Boxed"]);
}

#[tokio::test]
async fn another_users_lists_are_not_found_and_cannot_hold_their_todos() {
    let app = spawn_app().await;
    let alice = app.token_for("alice-lists@example.com").await;
    let bob = app.token_for("bob-lists@example.com").await;
    let secret = new_list(&app, &alice, json!({"name": "Secret"})).await;
    let id = secret["id"].as_str().unwrap();
    let path = format!("/api/lists/{id}");
    for (method, path, body) in [
        (Method::GET, path.clone(), None),
        (Method::PATCH, path.clone(), Some(json!({"name": "Mine"}))),
        (Method::DELETE, format!("{path}?todos=delete"), None),
        (Method::GET, format!("/api/todos?list={id}"), None),
    ] {
        refused(
            &call(&app, &bob, method, &path, body).await,
            404,
            "not_found",
            "No list with that id.",
        );
    }
    let answer = call(
        &app,
        &bob,
        Method::POST,
        "/api/todos",
        Some(json!({"title": "In", "listId": id})),
    )
    .await;
    refused(
        &answer,
        400,
        "invalid_request",
        &format!("listId: {id} is none of your lists."),
    );
    let bobs = lists(&app, &bob).await;
    assert_eq!(names(&bobs), ["Inbox"]);
    assert_ne!(
        bobs[0]["id"],
        lists(&app, &alice).await[0]["id"],
        "each user has their own Inbox"
    );
    new_list(&app, &bob, json!({"name": "secret"})).await;
    assert_eq!(
        lists(&app, &alice).await[1],
        secret,
        "alice's list is untouched"
    );
}

async fn a_deleted_lists_todos_are_moved_or_deleted_restorably(store: &str) {
    let app = app_on(store, "600").await;
    let token = app
        .token_for(&format!("delete-lists-{store}@example.com"))
        .await;
    let inbox = lists(&app, &token).await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let home = new_list(&app, &token, json!({"name": "Home"})).await;
    let trip = new_list(&app, &token, json!({"name": "Trip"})).await;
    let (home_id, trip_id) = (home["id"].as_str().unwrap(), trip["id"].as_str().unwrap());
    let add =
        |title: &str, list: &str| app.create_todo(&token, json!({"title": title, "listId": list}));
    let sweep = add("Sweep", home_id).await;
    let mop = add("Mop", home_id).await;
    let earlier = add("Deleted earlier", home_id).await;
    let pack = add("Pack", trip_id).await;
    let book = add("Book", trip_id).await;
    let id = |todo: &Value| todo["id"].as_str().unwrap().to_owned();
    let (status, _) = call(
        &app,
        &token,
        Method::DELETE,
        &format!("/api/todos/{}", id(&earlier)),
        None,
    )
    .await;
    assert_eq!(status, 204);

    let (status, answer) = call(
        &app,
        &token,
        Method::DELETE,
        &format!("/api/lists/{home_id}?todos=move"),
        None,
    )
    .await;
    assert_eq!(
        (status, answer),
        (200, json!({"moved": [id(&sweep), id(&mop)], "deleted": []}))
    );
    assert_eq!(todos_in(&app, &token, &inbox).await, ["Sweep", "Mop"]);
    let (_, restored) = restore(&app, &token, &id(&earlier)).await;
    assert_eq!(
        restored["listId"],
        inbox.as_str(),
        "a todo deleted earlier comes back into the Inbox"
    );

    let (status, answer) = call(
        &app,
        &token,
        Method::DELETE,
        &format!("/api/lists/{trip_id}?todos=delete"),
        None,
    )
    .await;
    assert_eq!(
        (status, answer),
        (200, json!({"moved": [], "deleted": [id(&pack), id(&book)]}))
    );
    let (_, all) = call(&app, &token, Method::GET, "/api/todos", None).await;
    let titles: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Sweep", "Mop", "Deleted earlier"]);
    // The Undo of a todo delete brings one back, into the Inbox.
    let (status, packed) = restore(&app, &token, &id(&pack)).await;
    assert_eq!(
        (status, &packed["title"], &packed["listId"]),
        (200, &json!("Pack"), &json!(inbox))
    );
    assert_eq!(names(&lists(&app, &token).await), ["Inbox"]);
    assert_eq!(lists(&app, &token).await[0]["count"], 4);
}

#[tokio::test]
async fn deleting_a_list_moves_or_deletes_its_todos_on_the_embedded_store() {
    a_deleted_lists_todos_are_moved_or_deleted_restorably("embedded").await;
}

#[tokio::test]
async fn deleting_a_list_moves_or_deletes_its_todos_on_dynamodb() {
    a_deleted_lists_todos_are_moved_or_deleted_restorably("dynamodb").await;
}

async fn the_list_quota_holds(store: &str) {
    let app = app_on_with(store, "600", &[("MAX_LISTS_PER_USER", "3")]).await;
    let token = app
        .token_for(&format!("list-quota-{store}@example.com"))
        .await;
    let mut made = Vec::new();
    for name in ["One", "Two", "Three"] {
        made.push(new_list(&app, &token, json!({"name": name})).await);
    }
    let over = call(
        &app,
        &token,
        Method::POST,
        "/api/lists",
        Some(json!({"name": "Four"})),
    )
    .await;
    refused(
        &over,
        403,
        "quota_exceeded",
        "You have 3 lists, the most one account can hold",
    );
    assert_eq!(lists(&app, &token).await.len(), 4, "three and the Inbox");
    let path = format!("/api/lists/{}?todos=move", made[0]["id"].as_str().unwrap());
    assert_eq!(call(&app, &token, Method::DELETE, &path, None).await.0, 200);
    new_list(&app, &token, json!({"name": "Four"})).await;
}

#[tokio::test]
async fn the_list_quota_holds_on_the_embedded_store() {
    the_list_quota_holds("embedded").await;
}

#[tokio::test]
async fn the_list_quota_holds_on_dynamodb() {
    the_list_quota_holds("dynamodb").await;
}

/// A move to another list is a change like any other: the assistant's earlier change is not
/// undone over it (which would put the todo back in its old list, or in one deleted since).
#[tokio::test]
async fn an_assistants_change_is_not_undone_over_a_move_to_another_list() {
    let app = spawn_app().await;
    let token = app.token_for("undo-move@example.com").await;
    say(&app, &token, "add water the plants").await;
    let done = change_of(&say(&app, &token, "mark it as done").await);
    let garden = new_list(&app, &token, json!({"name": "Garden"})).await;
    let (_, listed) = call(&app, &token, Method::GET, "/api/todos", None).await;
    let todo = &listed[0];
    let path = format!("/api/todos/{}", todo["id"].as_str().unwrap());
    let body = json!({"version": todo["version"], "listId": garden["id"]});
    assert_eq!(
        call(&app, &token, Method::PATCH, path.clone(), Some(body))
            .await
            .0,
        200
    );
    let (status, answer) = undo(&app, &token, &done).await;
    assert_eq!(status, 409, "{answer}");
    let (_, now) = call(&app, &token, Method::GET, path, None).await;
    assert_eq!(
        (&now["listId"], &now["completed"]),
        (&garden["id"], &json!(true))
    );
}

/// `GET /api/lists` with `If-None-Match`: the lists' tag and the answer.
async fn lists_if_none_match(app: &TestApp, token: &str, etag: &str) -> reqwest::Response {
    app.client
        .get(format!("{}/api/lists", app.address))
        .bearer_auth(token)
        .header(reqwest::header::IF_NONE_MATCH, etag)
        .send()
        .await
        .unwrap()
}

async fn unchanged_lists_answer_304_to_their_etag_and_any_change_gives_a_new_one(store: &str) {
    use reqwest::header::ETAG;
    let app = app_on(store, "600").await;
    let token = app.token_for("lists-etag@example.com").await;
    let other = app.token_for("lists-etag-other@example.com").await;
    let home = new_list(&app, &token, json!({"name": "Home"})).await;
    let tag_of = |r: &reqwest::Response| r.headers()[ETAG].to_str().unwrap().to_owned();

    let first = lists_if_none_match(&app, &token, "\"nothing\"").await;
    assert_eq!(first.status(), 200);
    let mut etag = tag_of(&first);
    assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");
    let again = lists_if_none_match(&app, &token, &etag).await;
    assert_eq!(again.status(), 304);
    assert_eq!(tag_of(&again), etag);
    assert!(again.bytes().await.unwrap().is_empty());

    // Each change the body shows gives a new tag: a rename, a todo put in the list (its
    // count), that todo completed, another list.
    let path = format!("/api/lists/{}", home["id"].as_str().unwrap());
    let todo = json!({"title": "Paint", "listId": home["id"]});
    for step in 0..4 {
        match step {
            0 => {
                let rename = Some(json!({"name": "House"}));
                assert_eq!(
                    call(&app, &token, Method::PATCH, &path, rename).await.0,
                    200
                );
            }
            1 => {
                app.create_todo(&token, todo.clone()).await;
            }
            2 => {
                let (_, all) = call(&app, &token, Method::GET, "/api/todos", None).await;
                let paint = &all[0];
                let done = json!({"completed": true, "version": paint["version"]});
                let at = format!("/api/todos/{}", paint["id"].as_str().unwrap());
                assert_eq!(
                    call(&app, &token, Method::PATCH, at, Some(done)).await.0,
                    200
                );
            }
            _ => {
                new_list(&app, &token, json!({"name": "Work"})).await;
            }
        }
        let changed = lists_if_none_match(&app, &token, &etag).await;
        assert_eq!(changed.status(), 200, "step {step}");
        let new = tag_of(&changed);
        assert_ne!(new, etag, "step {step}");
        etag = new;
    }
    // Another user's lists never answer 304 to this user's tag.
    let theirs = lists_if_none_match(&app, &other, &etag).await;
    assert_eq!(theirs.status(), 200);
}

#[tokio::test]
async fn unchanged_lists_answer_304_to_their_etag_and_any_change_gives_a_new_one_embedded() {
    unchanged_lists_answer_304_to_their_etag_and_any_change_gives_a_new_one("embedded").await;
}

#[tokio::test]
async fn unchanged_lists_answer_304_to_their_etag_and_any_change_gives_a_new_one_dynamodb() {
    unchanged_lists_answer_304_to_their_etag_and_any_change_gives_a_new_one("dynamodb").await;
}
