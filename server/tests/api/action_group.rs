//! The Bedrock action-group contract, fed AWS's documented event shape, over HTTP.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app_with};

const SECRET: &str = "a-long-enough-action-group-secret";

pub(crate) async fn app() -> TestApp {
    spawn_app_with(&[("ACTION_GROUP_SECRET", SECRET)]).await
}

/// AWS's documented function-schema event, filled in.
pub(crate) fn event(function: &str, parameters: Value, session_attributes: Value) -> Value {
    json!({
        "messageVersion": "1.0",
        "agent": {"name": "tasko", "id": "AGENT123", "alias": "TSTALIASID", "version": "DRAFT"},
        "inputText": "do it",
        "sessionId": "session-1",
        "actionGroup": "todos",
        "function": function,
        "parameters": parameters,
        "sessionAttributes": session_attributes,
        "promptSessionAttributes": {"timeZone": "Europe/Berlin"}
    })
}

pub(crate) async fn invoke(app: &TestApp, body: &Value) -> Value {
    let response = app
        .client
        .post(format!("{}/action-group", app.address))
        .header("x-tasko-action-group-secret", SECRET)
        .json(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn a_documented_event_runs_the_tool_for_the_session_user() {
    let app = app().await;
    let token = app.token_for("ag@example.com").await;
    let sub = app.sub_of(&token).await;
    let attrs = json!({"taskoUserId": sub, "taskoToday": "2026-11-25"});
    let params = json!([{"name": "title", "type": "string", "value": "Renew passport"},
                        {"name": "dateDue", "type": "string", "value": "2026-12-01"}]);
    let response = invoke(&app, &event("addTodo", params, attrs.clone())).await;
    assert_eq!(response["messageVersion"], "1.0");
    assert_eq!(response["response"]["actionGroup"], "todos");
    assert_eq!(response["response"]["function"], "addTodo");
    assert!(
        response["response"]["functionResponse"]
            .get("responseState")
            .is_none()
    );
    let body = response["response"]["functionResponse"]["responseBody"]["TEXT"]["body"]
        .as_str()
        .unwrap();
    assert!(body.contains("Renew passport"), "{body}");
    assert_eq!(response["sessionAttributes"], attrs);
    assert_eq!(
        response["promptSessionAttributes"]["timeZone"],
        "Europe/Berlin"
    );
    let todos: Vec<Value> = app
        .api(Method::GET, "/api/todos", &token, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(todos[0]["title"], "Renew passport");

    let listed = invoke(
        &app,
        &event(
            "getTodos",
            json!([{"name": "status", "type": "string", "value": "open"}]),
            attrs,
        ),
    )
    .await;
    let body = listed["response"]["functionResponse"]["responseBody"]["TEXT"]["body"]
        .as_str()
        .unwrap();
    assert!(body.starts_with("1 todo(s)"), "{body}");
}

#[tokio::test]
async fn parameters_naming_another_user_are_ignored_and_their_ids_are_not_found() {
    let app = app().await;
    let alice = app.token_for("ag-alice@example.com").await;
    let bob = app.token_for("ag-bob@example.com").await;
    let bob_sub = app.sub_of(&bob).await;
    let bobs = app
        .create_todo(&bob, json!({"title": "Bob's private todo"}))
        .await;
    let alice_sub = app.sub_of(&alice).await;
    let attrs = json!({"taskoUserId": alice_sub});

    let attack = event(
        "deleteTodo",
        json!([{"name": "todoId", "type": "string", "value": bobs["id"]},
               {"name": "userID", "type": "string", "value": bob_sub}]),
        attrs.clone(),
    );
    let response = invoke(&app, &attack).await;
    assert_eq!(
        response["response"]["functionResponse"]["responseState"],
        "REPROMPT"
    );
    assert_eq!(
        response["response"]["functionResponse"]["responseBody"]["TEXT"]["body"],
        "No todo with that id."
    );

    let listing = event(
        "getTodos",
        json!([{"name": "userID", "type": "string", "value": bob_sub}]),
        attrs,
    );
    let response = invoke(&app, &listing).await;
    assert_eq!(
        response["response"]["functionResponse"]["responseBody"]["TEXT"]["body"],
        "0 todo(s)"
    );

    let still: Vec<Value> = app
        .api(Method::GET, "/api/todos", &bob, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(still, vec![bobs]);
}

#[tokio::test]
async fn mistakes_reprompt_and_missing_identity_fails() {
    let app = app().await;
    let token = app.token_for("ag-err@example.com").await;
    let attrs = json!({"taskoUserId": app.sub_of(&token).await});
    let bad_date = event(
        "addTodo",
        json!([{"name": "title", "type": "string", "value": "x"},
                                           {"name": "dateDue", "type": "string", "value": "someday"}]),
        attrs.clone(),
    );
    assert_eq!(
        invoke(&app, &bad_date).await["response"]["functionResponse"]["responseState"],
        "REPROMPT"
    );
    let unknown = event("dropDatabase", json!([]), attrs.clone());
    assert_eq!(
        invoke(&app, &unknown).await["response"]["functionResponse"]["responseState"],
        "REPROMPT"
    );
    let missing = event("completeTodo", json!([]), attrs);
    assert_eq!(
        invoke(&app, &missing).await["response"]["functionResponse"]["responseState"],
        "REPROMPT"
    );
    let anonymous = event("getTodos", json!([]), json!({}));
    assert_eq!(
        invoke(&app, &anonymous).await["response"]["functionResponse"]["responseState"],
        "FAILURE"
    );
}

#[tokio::test]
async fn the_http_contract_needs_the_secret_and_exists_only_when_configured() {
    let app = app().await;
    let body = event("getTodos", json!([]), json!({"taskoUserId": "someone"}));
    let url = format!("{}/action-group", app.address);
    let none = app.client.post(&url).json(&body).send().await.unwrap();
    assert_eq!(none.status(), 401);
    let wrong = app
        .client
        .post(&url)
        .header("x-tasko-action-group-secret", "guess")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);

    let off = spawn_app_with(&[]).await;
    let response = off
        .client
        .post(format!("{}/action-group", off.address))
        .header("x-tasko-action-group-secret", SECRET)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
}

#[test]
fn the_infra_function_schema_is_generated_from_the_tool_definition() {
    let committed: Value =
        serde_json::from_str(include_str!("../../../infra/function-schema.json"))
            .expect("infra/function-schema.json");
    assert_eq!(
        committed,
        server::action_group::function_schema(),
        "infra/function-schema.json is stale: regenerate it with `tasko-server function-schema`"
    );
    let names: Vec<&str> = committed["functions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"deleteTodo") && names.contains(&"setTodoDetails") && names.len() == 17
    );
}

#[tokio::test]
async fn file_tools_work_on_the_session_users_own_files_only() {
    use crate::files_api::{PDF, upload};
    let app = app().await;
    let alice = app.token_for("ag-files-alice@example.com").await;
    let bob = app.token_for("ag-files-bob@example.com").await;
    let alice_attrs = json!({"taskoUserId": app.sub_of(&alice).await, "taskoToday": "2026-11-25"});
    let bob_attrs = json!({"taskoUserId": app.sub_of(&bob).await, "taskoToday": "2026-11-25"});
    let todo = app.create_todo(&alice, json!({"title": "Dentist"})).await;
    let bob_todo = app.create_todo(&bob, json!({"title": "Bob's"})).await;
    let file = upload(&app, &alice, "x-ray.pdf", PDF, None).await;
    let param = |name: &str, value: &Value| json!({"name": name, "type": "string", "value": value});
    let text = |response: &Value| {
        response["response"]["functionResponse"]["responseBody"]["TEXT"]["body"]
            .as_str()
            .unwrap()
            .to_owned()
    };

    // Bob's session cannot attach Alice's file, even to his own todo.
    let stolen = invoke(
        &app,
        &event(
            "addTodoFile",
            json!([
                param("todoId", &bob_todo["id"]),
                param("fileId", &file["fileId"])
            ]),
            bob_attrs,
        ),
    )
    .await;
    assert_eq!(
        stolen["response"]["functionResponse"]["responseState"],
        "REPROMPT"
    );
    assert!(text(&stolen).contains("No such file"), "{stolen}");

    let attached = invoke(
        &app,
        &event(
            "addTodoFile",
            json!([
                param("todoId", &todo["id"]),
                param("fileId", &file["fileId"])
            ]),
            alice_attrs.clone(),
        ),
    )
    .await;
    assert!(text(&attached).contains("Attached"), "{attached}");
    let listed = invoke(
        &app,
        &event(
            "listTodoFiles",
            json!([param("todoId", &todo["id"])]),
            alice_attrs.clone(),
        ),
    )
    .await;
    assert!(text(&listed).contains("x-ray.pdf"), "{listed}");
    let deleted = invoke(
        &app,
        &event(
            "deleteTodoFile",
            json!([
                param("todoId", &todo["id"]),
                param("fileId", &file["fileId"])
            ]),
            alice_attrs.clone(),
        ),
    )
    .await;
    assert!(text(&deleted).contains("Deleted"), "{deleted}");
    let listed = invoke(
        &app,
        &event(
            "listTodoFiles",
            json!([param("todoId", &todo["id"])]),
            alice_attrs,
        ),
    )
    .await;
    assert!(text(&listed).starts_with("0 file(s)"), "{listed}");
}

async fn lists(app: &TestApp, token: &str) -> Vec<Value> {
    app.api(Method::GET, "/api/lists", token, None)
        .await
        .json()
        .await
        .unwrap()
}

pub(crate) fn body(response: &Value) -> &str {
    response["response"]["functionResponse"]["responseBody"]["TEXT"]["body"]
        .as_str()
        .unwrap()
}

#[tokio::test]
async fn list_tools_create_and_list_the_session_users_own_lists() {
    let app = app().await;
    let token = app.token_for("ag-lists@example.com").await;
    let attrs = json!({"taskoUserId": app.sub_of(&token).await});
    let name = |value: &str| json!([{"name": "name", "type": "string", "value": value}]);

    let created = invoke(&app, &event("createList", name("Groceries"), attrs.clone())).await;
    assert!(
        body(&created).starts_with("Created the list ["),
        "{}",
        body(&created)
    );
    let lists: Vec<Value> = app
        .api(Method::GET, "/api/lists", &token, None)
        .await
        .json()
        .await
        .unwrap();
    let groceries = lists.iter().find(|l| l["name"] == "Groceries").unwrap();
    let added = json!({"title": "Milk", "listId": groceries["id"]});
    app.api(Method::POST, "/api/todos", &token, Some(added))
        .await;

    let listed = invoke(&app, &event("listLists", json!([]), attrs.clone())).await;
    let text = body(&listed);
    assert!(text.starts_with("2 lists\n- ["), "{text}");
    assert!(text.contains("Inbox, the Inbox, 0 open"), "{text}");
    assert!(text.contains("] Groceries, 1 open"), "{text}");

    // The same name again (any case) is refused with the API's sentence; nothing is made.
    let again = invoke(&app, &event("createList", name("groceries"), attrs)).await;
    assert_eq!(
        again["response"]["functionResponse"]["responseState"],
        "REPROMPT"
    );
    assert!(
        body(&again).contains("already have a list named"),
        "{}",
        body(&again)
    );

    // Another user sees only their own Inbox.
    let other = app.token_for("ag-lists-other@example.com").await;
    let other_attrs = json!({"taskoUserId": app.sub_of(&other).await});
    let theirs = invoke(&app, &event("listLists", json!([]), other_attrs)).await;
    assert!(body(&theirs).starts_with("1 list\n"), "{}", body(&theirs));
    assert!(!body(&theirs).contains("Groceries"));
}

#[tokio::test]
async fn a_list_is_named_by_name_or_id_and_an_unknown_name_is_refused_without_a_new_list() {
    let app = app().await;
    let token = app.token_for("ag-list-param@example.com").await;
    let attrs = json!({"taskoUserId": app.sub_of(&token).await});
    let param = |name: &str, value: &str| json!({"name": name, "type": "string", "value": value});
    invoke(
        &app,
        &event(
            "createList",
            json!([param("name", "Groceries")]),
            attrs.clone(),
        ),
    )
    .await;
    let groceries = lists(&app, &token)
        .await
        .into_iter()
        .find(|l| l["name"] == "Groceries")
        .unwrap();

    // By name, in any case: the todo lands in that list.
    let add = json!([param("title", "Milk"), param("list", "groceries")]);
    let added = invoke(&app, &event("addTodo", add, attrs.clone())).await;
    assert!(body(&added).starts_with("Added ["), "{}", body(&added));
    let todos: Vec<Value> = app
        .api(Method::GET, "/api/todos", &token, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(todos[0]["listId"], groceries["id"]);
    let milk = todos[0]["id"].as_str().unwrap().to_owned();

    // The filter by name lists it; the Inbox's does not.
    let in_groceries = invoke(
        &app,
        &event(
            "getTodos",
            json!([param("list", "Groceries")]),
            attrs.clone(),
        ),
    )
    .await;
    assert!(
        body(&in_groceries).starts_with("1 todo(s)"),
        "{}",
        body(&in_groceries)
    );
    let in_inbox = invoke(
        &app,
        &event("getTodos", json!([param("list", "Inbox")]), attrs.clone()),
    )
    .await;
    assert!(
        body(&in_inbox).starts_with("0 todo(s)"),
        "{}",
        body(&in_inbox)
    );

    // By the Inbox's id: moved back.
    let inbox_id = lists(&app, &token)
        .await
        .into_iter()
        .find(|l| l["inbox"] == true)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let moved = json!([param("todoId", &milk), param("list", &inbox_id)]);
    invoke(&app, &event("updateTodo", moved, attrs.clone())).await;
    let todo: Value = app
        .api(Method::GET, &format!("/api/todos/{milk}"), &token, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(todo["listId"], inbox_id.as_str());

    // An unknown name: refused with the user's lists, and no list is made.
    let unknown = json!([param("title", "Floss"), param("list", "Health")]);
    let refused = invoke(&app, &event("addTodo", unknown, attrs.clone())).await;
    assert_eq!(
        refused["response"]["functionResponse"]["responseState"],
        "REPROMPT"
    );
    assert!(
        body(&refused).contains("no list named “Health”"),
        "{}",
        body(&refused)
    );
    assert!(
        body(&refused).contains("Inbox, Groceries"),
        "{}",
        body(&refused)
    );
    assert_eq!(lists(&app, &token).await.len(), 2);
    let todos: Vec<Value> = app
        .api(Method::GET, "/api/todos", &token, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(todos.len(), 1);

    // Another user's list id is unknown, like any other.
    let other = app.token_for("ag-list-param-other@example.com").await;
    let other_attrs = json!({"taskoUserId": app.sub_of(&other).await});
    let groceries_id = groceries["id"].as_str().unwrap();
    let theirs = json!([param("title", "Steal"), param("list", groceries_id)]);
    let refused = invoke(&app, &event("addTodo", theirs, other_attrs)).await;
    assert_eq!(
        refused["response"]["functionResponse"]["responseState"],
        "REPROMPT"
    );
}

#[tokio::test]
async fn steps_are_appended_and_checked_by_position_or_id() {
    let app = app().await;
    let token = app.token_for("ag-steps@example.com").await;
    let attrs = json!({"taskoUserId": app.sub_of(&token).await});
    let param = |name: &str, value: &str| json!({"name": name, "type": "string", "value": value});
    let added = app
        .api(
            Method::POST,
            "/api/todos",
            &token,
            Some(json!({"title": "Trip", "subtasks": [{"title": "Book"}]})),
        )
        .await
        .json::<Value>()
        .await
        .unwrap();
    let id = added["id"].as_str().unwrap().to_owned();

    let steps = json!([
        param("todoId", &id),
        param("steps", "Pack\nTickets; Passport")
    ]);
    let appended = invoke(&app, &event("addSubtasks", steps, attrs.clone())).await;
    assert!(
        body(&appended).starts_with("Added steps to ["),
        "{}",
        body(&appended)
    );
    let read = |v: Value| {
        v["subtasks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["title"].as_str().unwrap().to_owned(),
                    s["done"].as_bool().unwrap(),
                )
            })
            .collect::<Vec<_>>()
    };
    let now: Value = app
        .api(Method::GET, &format!("/api/todos/{id}"), &token, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        read(now.clone()),
        [
            ("Book", false),
            ("Pack", false),
            ("Tickets", false),
            ("Passport", false)
        ]
        .map(|(t, d)| (t.to_owned(), d))
    );

    // The first step by position, the last by id; then unchecked again.
    let first = json!([param("todoId", &id), param("subtask", "1")]);
    invoke(&app, &event("setSubtaskDone", first, attrs.clone())).await;
    let last_id = now["subtasks"][3]["id"].as_str().unwrap().to_owned();
    let last = json!([
        param("todoId", &id),
        param("subtask", &last_id),
        param("done", "true")
    ]);
    invoke(&app, &event("setSubtaskDone", last, attrs.clone())).await;
    let uncheck = json!([
        param("todoId", &id),
        param("subtask", "1"),
        param("done", "false")
    ]);
    let unchecked = invoke(&app, &event("setSubtaskDone", uncheck, attrs.clone())).await;
    assert!(
        body(&unchecked).starts_with("Unchecked “Book” of ["),
        "{}",
        body(&unchecked)
    );
    let now: Value = app
        .api(Method::GET, &format!("/api/todos/{id}"), &token, None)
        .await
        .json()
        .await
        .unwrap();
    let done: Vec<bool> = read(now).into_iter().map(|(_, d)| d).collect();
    assert_eq!(done, [false, false, false, true]);

    // getTodo shows the steps with positions and ids.
    let shown = invoke(
        &app,
        &event("getTodo", json!([param("todoId", &id)]), attrs.clone()),
    )
    .await;
    assert!(
        body(&shown).contains(&format!("Step 4: [x] Passport (id {last_id})")),
        "{}",
        body(&shown)
    );

    // A step that is not there, and position 0, are refused; nothing changes.
    let missing = json!([param("todoId", &id), param("subtask", "9")]);
    let refused = invoke(&app, &event("setSubtaskDone", missing, attrs.clone())).await;
    assert_eq!(
        refused["response"]["functionResponse"]["responseState"],
        "REPROMPT"
    );
    assert_eq!(body(&refused), "That todo has 4 steps; no such step.");
    let zero = json!([param("todoId", &id), param("subtask", "0")]);
    let refused = invoke(&app, &event("setSubtaskDone", zero, attrs)).await;
    assert_eq!(
        refused["response"]["functionResponse"]["responseState"],
        "REPROMPT"
    );
}
