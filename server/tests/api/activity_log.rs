//! The activity log: `GET /api/activity` lists what the assistant, personal access tokens
//! and MCP clients (a token on `/mcp`, an app signed in with OAuth) changed (never the
//! user's own clicks), newest first, paged like the conversation list: todos, restores,
//! lists, label renames, files and imports, each named in words. `POST /api/activity/undo`
//! puts a change back as the chat's Undo does (200, 204 for an add, 409 when things changed
//! since or for a kind never undone, 404 for an unknown or another user's change). On both
//! stores.

use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    access_tokens::mint,
    chat_api::say,
    chat_undo::change_of,
    files_api::{PDF, upload},
    helpers::TestApp,
    mcp_server::call,
    oauth_flow::connect,
    todo_restore::app_on,
};

async fn activity(app: &TestApp, token: &str) -> Vec<Value> {
    let (status, page) = app
        .api_json(Method::GET, "/api/activity?limit=100", token, None)
        .await;
    assert_eq!(status, 200, "{page}");
    page["activity"].as_array().unwrap().clone()
}

pub async fn undo(app: &TestApp, token: &str, change_id: &Value) -> (u16, Value) {
    app.api_json(
        Method::POST,
        "/api/activity/undo",
        token,
        Some(json!({ "changeId": change_id })),
    )
    .await
}

async fn a_tokens_changes_are_listed_and_undone(store: &str) {
    let app = app_on(store, "600").await;
    let session = app.token_for("activity@example.com").await;
    let script = mint(&app, &session, "Garden script", "write").await;

    let added = app
        .create_todo(&script, json!({"title": "Water the ferns"}))
        .await;
    let path = format!("/api/todos/{}", added["id"].as_str().unwrap());
    let (status, done) = app
        .api_json(
            Method::PATCH,
            &path,
            &script,
            Some(json!({"completed": true, "version": added["version"]})),
        )
        .await;
    assert_eq!(status, 200, "{done}");
    // The user's own click is not in the log.
    app.create_todo(&session, json!({"title": "Mine"})).await;

    let log = activity(&app, &session).await;
    assert_eq!(log.len(), 2, "{log:?}");
    assert_eq!(log[0]["summary"], "Completed *Water the ferns*");
    assert_eq!(log[1]["summary"], "Added *Water the ferns*");
    for entry in &log {
        assert_eq!(
            entry["actor"],
            json!({"kind": "token", "name": "Garden script"})
        );
        assert!(entry["at"].is_string() && entry["changeId"].is_string());
    }
    // Only the newest change still applies: the add was edited since.
    assert_eq!(log[0]["undoable"], true);
    assert_eq!(log[1]["undoable"], false);

    // Undo the add first: refused, the todo changed since.
    let (status, refused) = undo(&app, &session, &log[1]["changeId"]).await;
    assert_eq!(status, 409, "{refused}");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("changed since")
    );
    // Undo the completion: open again.
    let (status, reopened) = undo(&app, &session, &log[0]["changeId"]).await;
    assert_eq!(status, 200, "{reopened}");
    assert_eq!(reopened["completed"], false);
    assert_eq!(reopened["title"], "Water the ferns");
    let (status, again) = undo(&app, &session, &log[0]["changeId"]).await;
    assert_eq!(status, 409, "{again}");
    // Now the add applies again, and undoing it removes the todo.
    let log = activity(&app, &session).await;
    assert_eq!(log[0]["undoable"], false);
    assert_eq!(log[1]["undoable"], true);
    assert_eq!(undo(&app, &session, &log[1]["changeId"]).await.0, 204);
    assert_eq!(
        app.api_json(Method::GET, &path, &session, None).await.0,
        404
    );

    // A delete made with the token is undone by restoring the todo.
    let kept = app
        .create_todo(&session, json!({"title": "Prune the roses"}))
        .await;
    let kept_path = format!("/api/todos/{}", kept["id"].as_str().unwrap());
    assert_eq!(
        app.api_json(Method::DELETE, &kept_path, &script, None)
            .await
            .0,
        204
    );
    let log = activity(&app, &session).await;
    assert_eq!(log[0]["summary"], "Deleted *Prune the roses*");
    assert_eq!(log[0]["undoable"], true);
    let (status, restored) = undo(&app, &session, &log[0]["changeId"]).await;
    assert_eq!(status, 200, "{restored}");
    assert_eq!(restored["title"], "Prune the roses");
    assert_eq!(
        app.api_json(Method::GET, &kept_path, &session, None)
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn a_tokens_changes_are_listed_and_undone_embedded() {
    a_tokens_changes_are_listed_and_undone("embedded").await;
}

#[tokio::test]
async fn a_tokens_changes_are_listed_and_undone_dynamodb() {
    a_tokens_changes_are_listed_and_undone("dynamodb").await;
}

async fn the_assistants_changes_are_listed_and_undone(store: &str) {
    let app = app_on(store, "600").await;
    let session = app.token_for("assistant-log@example.com").await;
    let first = change_of(&say(&app, &session, "add learn ansible").await);
    let second = change_of(&say(&app, &session, "add water the ferns").await);

    let log = activity(&app, &session).await;
    assert_eq!(log.len(), 2, "{log:?}");
    assert_eq!(log[0]["changeId"], second.as_str());
    assert_eq!(log[1]["changeId"], first.as_str());
    assert_eq!(
        log[0]["actor"],
        json!({"kind": "assistant", "name": "Assistant"})
    );
    assert!(
        log[0]["summary"].as_str().unwrap().starts_with("Added *"),
        "{}",
        log[0]["summary"]
    );

    // The user renames the first todo: its add no longer applies (409), the other's does.
    let (_, todos) = app
        .api_json(Method::GET, "/api/todos", &session, None)
        .await;
    let ansible = todos
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["title"].as_str().unwrap().contains("ansible"))
        .unwrap()
        .clone();
    let path = format!("/api/todos/{}", ansible["id"].as_str().unwrap());
    let rename = json!({"title": "Learn Terraform", "version": ansible["version"]});
    assert_eq!(
        app.api_json(Method::PATCH, &path, &session, Some(rename))
            .await
            .0,
        200
    );
    let log = activity(&app, &session).await;
    assert_eq!(log.len(), 2, "the user's rename is not listed: {log:?}");
    assert_eq!(log[1]["undoable"], false);
    assert_eq!(undo(&app, &session, &json!(first)).await.0, 409);
    assert_eq!(undo(&app, &session, &json!(second)).await.0, 204);

    // The chat's card shows the undo made from the log.
    let (_, history) = app
        .api_json(Method::GET, "/api/chat/history", &session, None)
        .await;
    let card = history["messages"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| m["tools"].as_array().cloned().unwrap_or_default())
        .find(|c| c["changeId"] == second.as_str())
        .unwrap();
    assert_eq!(card["undone"], true, "{card}");
}

#[tokio::test]
async fn the_assistants_changes_are_listed_and_undone_embedded() {
    the_assistants_changes_are_listed_and_undone("embedded").await;
}

#[tokio::test]
async fn the_assistants_changes_are_listed_and_undone_dynamodb() {
    the_assistants_changes_are_listed_and_undone("dynamodb").await;
}

async fn the_log_pages_newest_first_and_is_the_users_own(store: &str) {
    let app = app_on(store, "600").await;
    let (ann, bob) = (
        app.token_for("pages@example.com").await,
        app.token_for("other-pages@example.com").await,
    );
    let script = mint(&app, &ann, "Importer", "write").await;
    for n in 1..=5 {
        app.create_todo(&script, json!({"title": format!("Todo {n}")}))
            .await;
    }
    let mut seen = Vec::new();
    let mut next: Option<String> = None;
    for _ in 0..5 {
        let path = match &next {
            Some(cursor) => format!("/api/activity?limit=2&next={cursor}"),
            None => "/api/activity?limit=2".to_owned(),
        };
        let (status, page) = app.api_json(Method::GET, &path, &ann, None).await;
        assert_eq!(status, 200, "{page}");
        for entry in page["activity"].as_array().unwrap() {
            seen.push(entry["summary"].as_str().unwrap().to_owned());
        }
        next = page["next"].as_str().map(str::to_owned);
        if next.is_none() {
            break;
        }
    }
    let expected: Vec<String> = (1..=5).rev().map(|n| format!("Added *Todo {n}*")).collect();
    assert_eq!(seen, expected);

    // Bob sees none of it and cannot undo it.
    assert!(activity(&app, &bob).await.is_empty());
    let anns = activity(&app, &ann).await;
    assert_eq!(undo(&app, &bob, &anns[0]["changeId"]).await.0, 404);
    assert_eq!(activity(&app, &ann).await[0]["undoable"], true);
}

#[tokio::test]
async fn the_log_pages_newest_first_and_is_the_users_own_embedded() {
    the_log_pages_newest_first_and_is_the_users_own("embedded").await;
}

#[tokio::test]
async fn the_log_pages_newest_first_and_is_the_users_own_dynamodb() {
    the_log_pages_newest_first_and_is_the_users_own("dynamodb").await;
}

#[tokio::test]
async fn bad_activity_requests_are_refused_with_a_sentence() {
    let app = app_on("embedded", "600").await;
    let session = app.token_for("bad-activity@example.com").await;
    for path in [
        "/api/activity?limit=0",
        "/api/activity?limit=101",
        "/api/activity?next=nonsense",
        "/api/activity?owner=someone",
    ] {
        let (status, refused) = app.api_json(Method::GET, path, &session, None).await;
        assert_eq!(status, 400, "{path}: {refused}");
        assert!(refused["message"].is_string(), "{refused}");
    }
    let (status, _) = undo(&app, &session, &json!("not-an-id")).await;
    assert_eq!(status, 400);
    let (status, refused) = undo(&app, &session, &json!(uuid::Uuid::now_v7().to_string())).await;
    assert_eq!(status, 404, "{refused}");
    let (status, _) = app
        .api_json(
            Method::POST,
            "/api/activity/undo",
            &session,
            Some(json!({"changeId": uuid::Uuid::now_v7().to_string(), "owner": "x"})),
        )
        .await;
    assert_eq!(status, 400);
    // Without a token at all: 401.
    let response = app
        .client
        .get(format!("{}/api/activity", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
}

/// A change recorded before records could be listed (an entry `change:<sub>:<id>`, kept 30
/// days) still undoes from its card: the records moved, the cards stay.
#[tokio::test]
async fn a_change_recorded_before_the_log_still_undoes() {
    let app = app_on("embedded", "600").await;
    let session = app.token_for("legacy@example.com").await;
    let made = app
        .create_todo(&session, json!({"title": "Old change"}))
        .await;
    let owner = server::domain::UserId::from_verified_sub(app.sub_of(&session).await);
    let id = server::domain::TodoId::parse(made["id"].as_str().unwrap()).unwrap();
    let todo = app.store.get_todo(&owner, id).await.unwrap();
    let change_id = server::domain::ChangeId::new();
    let body = json!({
        "change": {"kind": "added", "todo": todo},
        "session_id": null,
        "undone": false
    });
    let now = app.clock.now();
    let entry = server::domain::Entry::new(
        format!("change:{}:{change_id}", owner.as_str()),
        body,
        now + jiff::SignedDuration::from_hours(24),
    );
    app.store.put_entry(&entry, None, now).await.unwrap();

    let undo_path = "/api/chat/undo";
    let request = json!({ "changeId": change_id.to_string() });
    let (status, _) = app
        .api_json(Method::POST, undo_path, &session, Some(request.clone()))
        .await;
    assert_eq!(status, 204);
    let (_, todos) = app
        .api_json(Method::GET, "/api/todos", &session, None)
        .await;
    assert_eq!(todos, json!([]));
    let (status, again) = app
        .api_json(Method::POST, undo_path, &session, Some(request))
        .await;
    assert_eq!(status, 409, "{again}");
}

/// The summaries of the log, newest first.
async fn summaries(app: &TestApp, token: &str) -> Vec<String> {
    let log = activity(app, token).await;
    log.iter()
        .map(|e| e["summary"].as_str().unwrap().to_owned())
        .collect()
}

fn labels_of(todo: &Value) -> Vec<String> {
    serde_json::from_value(todo["labels"].clone()).unwrap()
}

async fn a_tokens_list_and_label_changes_are_listed_and_undone(store: &str) {
    let app = app_on(store, "600").await;
    let session = app.token_for("lists-log@example.com").await;
    let script = mint(&app, &session, "Tidy script", "write").await;

    // A list created, then renamed, by the token.
    let (status, home) = app
        .api_json(
            Method::POST,
            "/api/lists",
            &script,
            Some(json!({"name": "Home"})),
        )
        .await;
    assert_eq!(status, 201, "{home}");
    let list_path = format!("/api/lists/{}", home["id"].as_str().unwrap());
    let rename = Some(json!({"name": "House"}));
    let (status, house) = app
        .api_json(Method::PATCH, &list_path, &script, rename)
        .await;
    assert_eq!(status, 200, "{house}");
    let log = activity(&app, &session).await;
    assert_eq!(log[0]["summary"], "Renamed list *Home* to *House*");
    assert_eq!(
        log[0]["actor"],
        json!({"kind": "token", "name": "Tidy script"})
    );
    assert_eq!(log[0]["undoable"], true);
    assert_eq!(log[1]["summary"], "Created list *Home*");
    assert_eq!(log[1]["undoable"], false);
    let (status, refused) = undo(&app, &session, &log[1]["changeId"]).await;
    assert_eq!(status, 409, "{refused}");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("delete the list instead")
    );

    // Undoing the rename names the list Home again; a second undo is refused.
    let (status, back) = undo(&app, &session, &log[0]["changeId"]).await;
    assert_eq!(status, 200, "{back}");
    assert_eq!(back["name"], "Home");
    let (_, shown) = app.api_json(Method::GET, &list_path, &session, None).await;
    assert_eq!(shown["name"], "Home");
    assert_eq!(undo(&app, &session, &log[0]["changeId"]).await.0, 409);
    // A rename the user changed since is not undone.
    app.api_json(
        Method::PATCH,
        &list_path,
        &script,
        Some(json!({"name": "Flat"})),
    )
    .await;
    app.api_json(
        Method::PATCH,
        &list_path,
        &session,
        Some(json!({"name": "Mine"})),
    )
    .await;
    let log = activity(&app, &session).await;
    assert_eq!(log[0]["summary"], "Renamed list *Home* to *Flat*");
    assert_eq!(log[0]["undoable"], false);
    let (status, refused) = undo(&app, &session, &log[0]["changeId"]).await;
    assert_eq!(status, 409, "{refused}");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("changed since")
    );

    // A label renamed on four todos, one of which had the new name too (they merge).
    let mut todos = Vec::new();
    for (title, labels) in [
        ("Post office", json!(["errand"])),
        ("Bank", json!(["errand", "town"])),
        ("Pharmacy", json!(["town", "errand"])),
        ("Hardware store", json!(["errand", "errands", "town"])),
    ] {
        let body = json!({"title": title, "labels": labels});
        todos.push(app.create_todo(&session, body).await);
    }
    let (status, renamed) = app
        .api_json(
            Method::PATCH,
            "/api/labels/errand",
            &script,
            Some(json!({"name": "errands"})),
        )
        .await;
    assert_eq!(status, 200, "{renamed}");
    assert_eq!(renamed, json!({"name": "errands", "count": 4}));
    let log = activity(&app, &session).await;
    assert_eq!(
        log[0]["summary"],
        "Renamed label *errand* to *errands* on 4 todos"
    );
    assert_eq!(log[0]["undoable"], true);
    let (status, back) = undo(&app, &session, &log[0]["changeId"]).await;
    assert_eq!(status, 200, "{back}");
    assert_eq!(back.as_array().unwrap().len(), 4, "{back}");
    for before in &todos {
        let path = format!("/api/todos/{}", before["id"].as_str().unwrap());
        let (_, now) = app.api_json(Method::GET, &path, &session, None).await;
        assert_eq!(labels_of(&now), labels_of(before), "{}", before["title"]);
    }
    assert_eq!(activity(&app, &session).await[0]["undoable"], false);

    // Renamed again, then one of its todos edited: the rename is not undone, on none of them.
    let (status, _) = app
        .api_json(
            Method::PATCH,
            "/api/labels/town",
            &script,
            Some(json!({"name": "city"})),
        )
        .await;
    assert_eq!(status, 200);
    let path = format!("/api/todos/{}", todos[1]["id"].as_str().unwrap());
    let (_, bank) = app.api_json(Method::GET, &path, &session, None).await;
    let edit = json!({"title": "Bank (closes at 4)", "version": bank["version"]});
    assert_eq!(
        app.api_json(Method::PATCH, &path, &session, Some(edit))
            .await
            .0,
        200
    );
    let log = activity(&app, &session).await;
    assert_eq!(
        log[0]["summary"],
        "Renamed label *town* to *city* on 3 todos"
    );
    assert_eq!(log[0]["undoable"], false);
    let (status, refused) = undo(&app, &session, &log[0]["changeId"]).await;
    assert_eq!(status, 409, "{refused}");
    let (_, labels) = app
        .api_json(Method::GET, "/api/labels", &session, None)
        .await;
    assert!(
        !labels.to_string().contains("\"town\""),
        "nothing was put back: {labels}"
    );

    // The list deleted by the token, its todo moved to the Inbox: listed, not undoable.
    let moved = json!({"title": "Paint the fence", "listId": home["id"]});
    app.create_todo(&session, moved).await;
    let delete = format!("{list_path}?todos=move");
    assert_eq!(
        app.api_json(Method::DELETE, &delete, &script, None).await.0,
        200
    );
    let log = activity(&app, &session).await;
    assert_eq!(
        log[0]["summary"],
        "Deleted list *Mine*; its 1 todo went to the Inbox"
    );
    assert_eq!(log[0]["undoable"], false);
    assert_eq!(undo(&app, &session, &log[0]["changeId"]).await.0, 409);
}

#[tokio::test]
async fn a_tokens_list_and_label_changes_are_listed_and_undone_embedded() {
    a_tokens_list_and_label_changes_are_listed_and_undone("embedded").await;
}

#[tokio::test]
async fn a_tokens_list_and_label_changes_are_listed_and_undone_dynamodb() {
    a_tokens_list_and_label_changes_are_listed_and_undone("dynamodb").await;
}

async fn a_tokens_restores_files_and_imports_are_listed(store: &str) {
    let app = app_on(store, "600").await;
    let session = app.token_for("files-log@example.com").await;
    let script = mint(&app, &session, "Scanner", "write").await;

    // A restore by the token is undone by deleting the todo again (restorable again).
    let mom = app
        .create_todo(&session, json!({"title": "Call mom"}))
        .await;
    let mom_path = format!("/api/todos/{}", mom["id"].as_str().unwrap());
    assert_eq!(
        app.api_json(Method::DELETE, &mom_path, &session, None)
            .await
            .0,
        204
    );
    let restore = format!("{mom_path}/restore");
    assert_eq!(
        app.api_json(Method::POST, &restore, &script, None).await.0,
        200
    );
    let log = activity(&app, &session).await;
    assert_eq!(log[0]["summary"], "Restored *Call mom*");
    assert_eq!(log[0]["undoable"], true);
    assert_eq!(undo(&app, &session, &log[0]["changeId"]).await.0, 204);
    assert_eq!(
        app.api_json(Method::GET, &mom_path, &session, None).await.0,
        404
    );
    assert_eq!(
        app.api_json(Method::POST, &restore, &session, None).await.0,
        200,
        "back in the trash, restorable"
    );

    // A file uploaded to a todo, then deleted, by the token: listed, never undoable.
    let dentist = app.create_todo(&session, json!({"title": "Dentist"})).await;
    let file = upload(&app, &script, "scan.pdf", PDF, dentist["id"].as_str()).await;
    let file_path = format!("/api/files/{}", file["fileId"].as_str().unwrap());
    assert_eq!(
        app.api_json(Method::DELETE, &file_path, &script, None)
            .await
            .0,
        204
    );
    // An upload to no todo, then attached.
    let loose = upload(&app, &script, "x-ray.pdf", PDF, None).await;
    let attach = format!("/api/todos/{}/files", dentist["id"].as_str().unwrap());
    let (status, attached) = app
        .api_json(
            Method::POST,
            &attach,
            &script,
            Some(json!({"fileId": loose["fileId"]})),
        )
        .await;
    assert_eq!(status, 200, "{attached}");
    // An import of two todos into a new list.
    let doc = json!({"version": 1, "lists": [{"id": "t", "name": "Trips"}],
        "todos": [{"title": "Pack", "listId": "t"}, {"title": "Book train"}]});
    let (status, imported) = app
        .api_json(Method::POST, "/api/import", &script, Some(doc))
        .await;
    assert_eq!(status, 200, "{imported}");

    let log = activity(&app, &session).await;
    let said: Vec<&str> = log[..4]
        .iter()
        .map(|e| e["summary"].as_str().unwrap())
        .collect();
    assert_eq!(
        said,
        [
            "Imported 2 todos into a new list",
            r"Attached *x\-ray\.pdf* to *Dentist*",
            r"Removed *scan\.pdf* from *Dentist*",
            r"Attached *scan\.pdf* to *Dentist*",
        ]
    );
    for entry in &log[..4] {
        assert_eq!(entry["undoable"], false, "{entry}");
        assert_eq!(entry["actor"]["name"], "Scanner");
        let (status, refused) = undo(&app, &session, &entry["changeId"]).await;
        assert_eq!(status, 409, "{refused}");
        assert!(refused["message"].is_string());
    }
    // The user's own writes of the same kinds are not listed.
    upload(&app, &session, "mine.pdf", PDF, dentist["id"].as_str()).await;
    assert_eq!(summaries(&app, &session).await.len(), log.len());
}

#[tokio::test]
async fn a_tokens_restores_files_and_imports_are_listed_embedded() {
    a_tokens_restores_files_and_imports_are_listed("embedded").await;
}

#[tokio::test]
async fn a_tokens_restores_files_and_imports_are_listed_dynamodb() {
    a_tokens_restores_files_and_imports_are_listed("dynamodb").await;
}

/// Through `/mcp`, the writes beside todos (a list, a file) are listed under the client too.
#[tokio::test]
async fn an_mcp_clients_list_and_file_writes_are_listed() {
    let app = app_on("embedded", "600").await;
    let session = app.token_for("mcp-log@example.com").await;
    let client = mint(&app, &session, "Claude", "write").await;
    let dentist = app.create_todo(&session, json!({"title": "Dentist"})).await;
    let scan = upload(&app, &session, "scan.pdf", PDF, None).await;

    let created = call(&app, &client, "createList", json!({"name": "Errands"})).await;
    assert_eq!(created["isError"], false, "{created}");
    let ids = json!({"todoId": dentist["id"], "fileId": scan["fileId"]});
    let attached = call(&app, &client, "addTodoFile", ids.clone()).await;
    assert_eq!(attached["isError"], false, "{attached}");
    let removed = call(&app, &client, "deleteTodoFile", ids).await;
    assert_eq!(removed["isError"], false, "{removed}");

    let log = activity(&app, &session).await;
    let said: Vec<&str> = log.iter().map(|e| e["summary"].as_str().unwrap()).collect();
    assert_eq!(
        said,
        [
            // The names are markdown, escaped.
            r"Removed *scan\.pdf* from *Dentist*",
            r"Attached *scan\.pdf* to *Dentist*",
            "Created list *Errands*",
        ]
    );
    for entry in &log {
        assert_eq!(entry["actor"], json!({"kind": "mcp", "name": "Claude"}));
        assert_eq!(entry["undoable"], false);
    }
}

/// An app signed in with OAuth is an MCP client wherever it writes: its REST writes beside
/// todos (here a list rename) are listed under its name and undo like a token's.
#[tokio::test]
async fn an_oauth_apps_rest_writes_are_listed_under_the_app() {
    let app = app_on("embedded", "600").await;
    let session = app.token_for("oauth-log@example.com").await;
    let claude = connect(&app, &session, "Claude", "todos:read todos:write").await;
    let (status, home) = app
        .api_json(
            Method::POST,
            "/api/lists",
            &session,
            Some(json!({"name": "Home"})),
        )
        .await;
    assert_eq!(status, 201, "{home}");
    let path = format!("/api/lists/{}", home["id"].as_str().unwrap());
    let rename = Some(json!({"name": "House"}));
    let (status, renamed) = app
        .api_json(Method::PATCH, &path, &claude.access, rename)
        .await;
    assert_eq!(status, 200, "{renamed}");

    let log = activity(&app, &session).await;
    assert_eq!(log.len(), 1, "the user's own list is not listed: {log:?}");
    assert_eq!(log[0]["summary"], "Renamed list *Home* to *House*");
    assert_eq!(log[0]["actor"], json!({"kind": "mcp", "name": "Claude"}));
    let (status, back) = undo(&app, &session, &log[0]["changeId"]).await;
    assert_eq!(status, 200, "{back}");
    assert_eq!(back["name"], "Home");
}
