//! `/mcp` over HTTP: 401 with the resource-metadata challenge without a token (and the RFC
//! 9728 document it points at), `initialize`, `tools/list` (annotations, output schemas,
//! only reads for a read-only token), `tools/call` with structured results whose changes
//! land in the activity log under the token's name, a delete that stays restorable, one
//! user's token never reaching another's todos on any tool, bad calls refused, and a
//! foreign `Origin` or `Host` or an oversized body refused with a JSON sentence.

use reqwest::Method;
use serde_json::{Value, json};
use server::tools::Tool;

use crate::{
    access_tokens::mint,
    helpers::{TestApp, spawn_app},
};

const VERSION: &str = "2025-11-25";

/// One JSON-RPC request to `/mcp`; the answer's status and body (rmcp answers JSON).
async fn rpc(app: &TestApp, token: Option<&str>, method: &str, params: Value) -> (u16, Value) {
    let mut request = app
        .client
        .post(format!("{}/mcp", app.address))
        .header("Accept", "application/json, text/event-stream")
        .header("MCP-Protocol-Version", VERSION)
        .json(&json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// `tools/call`'s result (a tool error included); panics on a protocol error.
pub async fn call(app: &TestApp, token: &str, name: &str, arguments: Value) -> Value {
    let (status, body) = rpc(
        app,
        Some(token),
        "tools/call",
        json!({"name": name, "arguments": arguments}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body.get("result")
        .cloned()
        .unwrap_or_else(|| panic!("{body}"))
}

async fn tool_names(app: &TestApp, token: &str) -> Vec<String> {
    let (status, body) = rpc(app, Some(token), "tools/list", json!({})).await;
    assert_eq!(status, 200, "{body}");
    body["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn without_a_token_mcp_answers_401_pointing_at_the_resource_metadata() {
    let app = spawn_app().await;
    let (status, _) = rpc(&app, None, "tools/list", json!({})).await;
    assert_eq!(status, 401);
    let response = app
        .client
        .post(format!("{}/mcp", app.address))
        .bearer_auth("tasko_pat_not-a-real-one")
        .json(&json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let challenge = response.headers()["www-authenticate"].to_str().unwrap();
    let metadata_url = format!("{}/.well-known/oauth-protected-resource", app.address);
    assert_eq!(
        challenge,
        format!("Bearer resource_metadata=\"{metadata_url}\"")
    );
    for url in [metadata_url.clone(), format!("{metadata_url}/mcp")] {
        let metadata: Value = app
            .client
            .get(url)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(metadata["resource"], format!("{}/mcp", app.address));
        assert_eq!(metadata["authorization_servers"], json!([app.address]));
        assert_eq!(metadata["bearer_methods_supported"], json!(["header"]));
        assert_eq!(
            metadata["scopes_supported"],
            json!(["todos:read", "todos:write"])
        );
    }
}

#[tokio::test]
async fn a_foreign_origin_or_host_and_an_oversized_body_are_refused_in_json() {
    let app = spawn_app().await;
    let session = app.token_for("mcp-rebinding@example.com").await;
    let post = |headers: &[(&str, &str)], body: String| {
        let mut request = app
            .client
            .post(format!("{}/mcp", app.address))
            .bearer_auth(&session)
            .header("Accept", "application/json, text/event-stream")
            .header("Content-Type", "application/json")
            .body(body);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send()
    };
    let list = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}).to_string();
    // A page on another site (DNS rebinding, or a browser calling across origins).
    for (header, value) in [("Origin", "https://evil.example"), ("Host", "evil.example")] {
        let response = post(&[(header, value)], list.clone()).await.unwrap();
        assert_eq!(response.status(), 403, "{header}");
        let body: Value = response.json().await.unwrap();
        assert!(body["message"].as_str().unwrap().contains(header), "{body}");
    }
    // The app's own origin passes.
    let own = post(&[("Origin", app.address.as_str())], list)
        .await
        .unwrap();
    assert_eq!(own.status(), 200);
    let huge = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list",
                      "params": {"pad": "x".repeat(70 * 1024)}});
    let response = post(&[], huge.to_string()).await.unwrap();
    assert_eq!(response.status(), 413);
    let body: Value = response.json().await.unwrap();
    assert!(
        body["message"].as_str().unwrap().contains("65536"),
        "{body}"
    );
}

/// The newest protocol (2026-07-28: no `initialize`, no session; each request carries its
/// version, the `Mcp-Method` header and its `_meta`) is answered beside 2025-11-25.
#[tokio::test]
async fn the_newest_protocol_version_is_served_statelessly_beside_2025_11_25() {
    let app = spawn_app().await;
    let session = app.token_for("mcp-newest@example.com").await;
    let newest = "2026-07-28";
    let post = |method: &'static str| {
        app.client
            .post(format!("{}/mcp", app.address))
            .bearer_auth(&session)
            .header("Accept", "application/json, text/event-stream")
            .header("MCP-Protocol-Version", newest)
            .header("Mcp-Method", method)
            .json(
                &json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": {"_meta": {
                "io.modelcontextprotocol/protocolVersion": newest,
                "io.modelcontextprotocol/clientCapabilities": {}}}}),
            )
            .send()
    };
    let discovered: Value = post("server/discover").await.unwrap().json().await.unwrap();
    let versions = &discovered["result"]["supportedVersions"];
    for version in [newest, VERSION] {
        assert!(
            versions.as_array().unwrap().contains(&json!(version)),
            "{discovered}"
        );
    }
    let response = post("tools/list").await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers().get("mcp-session-id").is_none());
    let listed: Value = response.json().await.unwrap();
    assert_eq!(
        listed["result"]["tools"].as_array().unwrap().len(),
        Tool::ALL.len()
    );
}

#[tokio::test]
async fn initialize_and_tools_list_describe_every_tool_with_hints_and_schemas() {
    let app = spawn_app().await;
    let session = app.token_for("mcp-list@example.com").await;
    let token = mint(&app, &session, "Claude", "write").await;
    let (status, body) = rpc(
        &app,
        Some(&token),
        "initialize",
        json!({"protocolVersion": VERSION, "capabilities": {},
               "clientInfo": {"name": "test", "version": "1"}}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["result"]["protocolVersion"], VERSION);
    assert!(
        body["result"]["capabilities"]["tools"].is_object(),
        "{body}"
    );
    assert_eq!(body["result"]["serverInfo"]["name"], "tasko");

    let (_, body) = rpc(&app, Some(&token), "tools/list", json!({})).await;
    let tools = body["result"]["tools"].as_array().unwrap();
    assert_eq!(tools.len(), Tool::ALL.len());
    for tool in Tool::ALL {
        let listed = tools.iter().find(|t| t["name"] == tool.name()).unwrap();
        let spec = tool.spec();
        assert_eq!(listed["title"], spec.title);
        assert_eq!(listed["annotations"]["readOnlyHint"], tool.reads_only());
        assert_eq!(
            listed["annotations"]["destructiveHint"],
            tool.needs_confirmation()
        );
        assert_eq!(listed["inputSchema"]["additionalProperties"], false);
        for param in spec.params {
            assert!(listed["inputSchema"]["properties"][param.name].is_object());
        }
        assert_eq!(listed["outputSchema"]["type"], "object", "{listed}");
    }
    // The delete tool warns; the reads are read-only.
    let delete = tools
        .iter()
        .find(|t| t["name"] == Tool::DeleteTodo.name())
        .unwrap();
    assert_eq!(delete["annotations"]["destructiveHint"], true);
}

#[tokio::test]
async fn tool_calls_answer_structured_results_and_their_changes_are_logged_and_undoable() {
    let app = spawn_app().await;
    let session = app.token_for("mcp-calls@example.com").await;
    let token = mint(&app, &session, "Claude Desktop", "write").await;

    let added = call(
        &app,
        &token,
        Tool::AddTodo.name(),
        json!({"title": "Water the ferns", "dateDue": "2031-05-01"}),
    )
    .await;
    assert_eq!(added["isError"], false, "{added}");
    let structured = &added["structuredContent"];
    assert_eq!(structured["ok"], true);
    let todo = &structured["todos"][0];
    assert_eq!(todo["title"], "Water the ferns");
    assert_eq!(todo["dateDue"], "2031-05-01");
    let id = todo["id"].as_str().unwrap().to_owned();
    assert!(structured["changeId"].is_string(), "{structured}");
    assert!(
        added["content"][0]["text"]
            .as_str()
            .unwrap()
            .contains("Water the ferns")
    );

    // The REST API sees what MCP did.
    let response = app
        .api(Method::GET, &format!("/api/todos/{id}"), &session, None)
        .await;
    assert_eq!(response.status(), 200);

    let listed = call(
        &app,
        &token,
        Tool::GetTodos.name(),
        json!({"status": "open"}),
    )
    .await;
    assert_eq!(listed["structuredContent"]["todos"][0]["id"], id.as_str());

    let done = call(
        &app,
        &token,
        Tool::CompleteTodo.name(),
        json!({"todoId": id}),
    )
    .await;
    assert_eq!(
        done["structuredContent"]["todos"][0]["completed"], true,
        "{done}"
    );

    // The activity log names the client; the completion can be undone from it.
    let log: Value = app
        .api(Method::GET, "/api/activity?limit=10", &session, None)
        .await
        .json()
        .await
        .unwrap();
    let entries = log["activity"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "{log}");
    for entry in entries {
        assert_eq!(
            entry["actor"],
            json!({"kind": "mcp", "name": "Claude Desktop"})
        );
    }
    let undo = app
        .api(
            Method::POST,
            "/api/activity/undo",
            &session,
            Some(json!({"changeId": done["structuredContent"]["changeId"]})),
        )
        .await;
    assert_eq!(undo.status(), 200);
    let reopened: Value = undo.json().await.unwrap();
    assert_eq!(reopened["completed"], false, "{reopened}");

    // A delete through MCP is restorable, like every delete.
    let deleted = call(&app, &token, Tool::DeleteTodo.name(), json!({"todoId": id})).await;
    assert_eq!(
        deleted["structuredContent"]["deletedTodoId"],
        id.as_str(),
        "{deleted}"
    );
    let gone = call(&app, &token, Tool::GetTodo.name(), json!({"todoId": id})).await;
    assert_eq!(gone["isError"], true);
    let restored = app
        .api(
            Method::POST,
            &format!("/api/todos/{id}/restore"),
            &session,
            None,
        )
        .await;
    assert_eq!(restored.status(), 200);
}

#[tokio::test]
async fn an_id_token_works_too_and_bad_calls_are_refused_with_a_sentence() {
    let app = spawn_app().await;
    let session = app.token_for("mcp-session@example.com").await;
    assert_eq!(tool_names(&app, &session).await.len(), Tool::ALL.len());

    let bad_date = call(
        &app,
        &session,
        Tool::AddTodo.name(),
        json!({"title": "x", "dateDue": "someday"}),
    )
    .await;
    assert_eq!(bad_date["isError"], true);
    assert_eq!(bad_date["structuredContent"]["ok"], false);
    let unknown_param = call(
        &app,
        &session,
        Tool::AddTodo.name(),
        json!({"title": "x", "userId": "someone-else"}),
    )
    .await;
    assert_eq!(unknown_param["isError"], true);
    assert!(
        unknown_param["content"][0]["text"]
            .as_str()
            .unwrap()
            .contains("no parameter userId"),
        "{unknown_param}"
    );
    let (status, body) = rpc(
        &app,
        Some(&session),
        "tools/call",
        json!({"name": "dropTables", "arguments": {}}),
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("dropTables"),
        "{body}"
    );
    // Nothing was created by any of it.
    let todos: Value = app
        .api(Method::GET, "/api/todos", &session, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(todos, json!([]), "{todos}");
}

#[tokio::test]
async fn a_read_only_token_sees_only_reads_and_cannot_write_through_mcp() {
    let app = spawn_app().await;
    let session = app.token_for("mcp-ro@example.com").await;
    app.create_todo(&session, json!({"title": "Keep me"})).await;
    let token = mint(&app, &session, "Reader", "read").await;

    let names = tool_names(&app, &token).await;
    let reads: Vec<String> = Tool::ALL
        .into_iter()
        .filter(|t| t.reads_only())
        .map(|t| t.name().to_owned())
        .collect();
    assert_eq!(names, reads);

    let listed = call(&app, &token, Tool::GetTodos.name(), json!({})).await;
    let todos = listed["structuredContent"]["todos"].as_array().unwrap();
    assert_eq!(todos.len(), 1);
    let id = todos[0]["id"].as_str().unwrap();
    for (tool, arguments) in [
        (Tool::AddTodo, json!({"title": "Sneaky"})),
        (Tool::CompleteTodo, json!({"todoId": id})),
        (Tool::DeleteTodo, json!({"todoId": id})),
        (Tool::CreateList, json!({"name": "Sneaky"})),
    ] {
        let (status, body) = rpc(
            &app,
            Some(&token),
            "tools/call",
            json!({"name": tool.name(), "arguments": arguments}),
        )
        .await;
        assert_eq!(status, 200);
        let message = body["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains("read-only"), "{}: {body}", tool.name());
    }
    let after: Value = app
        .api(Method::GET, "/api/todos", &session, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(after.as_array().unwrap().len(), 1);
    assert_eq!(after[0]["completed"], false);
}

#[tokio::test]
async fn one_users_token_never_reaches_anothers_todos_on_any_tool() {
    let app = spawn_app().await;
    let ann = app.token_for("ann-mcp@example.com").await;
    let bob_session = app.token_for("bob-mcp@example.com").await;
    let bob = mint(&app, &bob_session, "Bob's client", "write").await;
    let todo = app
        .create_todo(&ann, json!({"title": "Ann's secret", "description": "d"}))
        .await;
    let id = todo["id"].as_str().unwrap();
    let file_id = uuid::Uuid::new_v4().to_string();

    for tool in Tool::ALL {
        let arguments = match tool {
            Tool::GetTodos => json!({"text": "secret"}),
            Tool::AddTodo => json!({"title": "Bob's"}),
            Tool::ListLists => json!({}),
            Tool::CreateList => json!({"name": "Bob's list"}),
            Tool::AddTodoFile | Tool::DeleteTodoFile => json!({"todoId": id, "fileId": file_id}),
            Tool::AddTodoNotes => json!({"todoId": id, "notes": "hi"}),
            Tool::UpdateTodo => json!({"todoId": id, "title": "Bob was here"}),
            Tool::AddSubtasks => json!({"todoId": id, "steps": "a"}),
            Tool::SetSubtaskDone => json!({"todoId": id, "subtask": "1"}),
            Tool::SetTodoDetails => json!({"todoId": id, "priority": "1"}),
            Tool::SetReminders => json!({"todoId": id, "reminders": "tomorrow 9am"}),
            // Another user's todo in a plan is dropped: nothing left to propose.
            Tool::ProposePlan => json!({"summary": "Bob's plan", "items": json!([
                {"tool": "completeTodo", "arguments": {"todoId": id}, "text": "Finish it"}
            ]).to_string()}),
            Tool::GetTodo
            | Tool::CompleteTodo
            | Tool::ReopenTodo
            | Tool::DeleteTodo
            | Tool::ListTodoFiles => json!({"todoId": id}),
        };
        let result = call(&app, &bob, tool.name(), arguments).await;
        let text = result.to_string();
        assert!(!text.contains("Ann's secret"), "{}: {text}", tool.name());
        if tool.spec().params.iter().any(|p| p.name == "todoId") || tool == Tool::ProposePlan {
            assert_eq!(result["isError"], true, "{}: {text}", tool.name());
        }
    }
    let still: Value = app
        .api(Method::GET, &format!("/api/todos/{id}"), &ann, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(still["title"], "Ann's secret");
    assert_eq!(still["completed"], false);
    assert_eq!(still["notes"], "");
    assert_eq!(still["version"], todo["version"]);
}

/// `proposePlan` from an MCP client: no chat of Tasko's shows the card, so the result
/// carries it and the link that opens it; `GET /api/chat/plan/{id}` gives the card (to its
/// owner only), nothing changes until the user applies, and the card then shows the
/// answer; unanswered past its deadline it is gone with a 410.
#[tokio::test]
async fn a_plan_from_an_mcp_client_is_opened_by_its_link_and_applied_by_the_user() {
    let app = spawn_app().await;
    let session = app.token_for("plan-mcp@example.com").await;
    let other = app.token_for("plan-mcp-other@example.com").await;
    let client = mint(&app, &session, "Desk client", "write").await;
    let late = app
        .create_todo(
            &session,
            json!({"title": "File taxes", "dateDue": "2020-01-01"}),
        )
        .await;
    let items = json!([
        {"tool": "updateTodo", "text": "Move *File taxes* to Jan 9",
         "arguments": {"todoId": late["id"], "dateDue": "2031-01-09"}},
        {"tool": "addTodo", "text": "Add *Book accountant*",
         "arguments": {"title": "Book accountant"}}
    ]);
    let result = call(
        &app,
        &client,
        "proposePlan",
        json!({"summary": "Tax week", "items": items.to_string()}),
    )
    .await;
    assert_eq!(result["isError"], false, "{result}");
    let structured = &result["structuredContent"];
    let plan_id = structured["plan"]["planId"].as_str().unwrap().to_owned();
    let url = structured["planUrl"].as_str().unwrap();
    assert_eq!(url, format!("{}/?plan={plan_id}", app.address));
    assert!(result["content"][0]["text"].as_str().unwrap().contains(url));
    assert_eq!(structured["plan"]["items"].as_array().unwrap().len(), 2);

    let path = format!("/api/chat/plan/{plan_id}");
    let (status, card) = app.api_json(Method::GET, &path, &session, None).await;
    assert_eq!(status, 200, "{card}");
    assert_eq!(card["summary"], "Tax week");
    assert_eq!(card["items"], structured["plan"]["items"]);
    assert!(card.get("result").is_none(), "{card}");
    let (status, _) = app.api_json(Method::GET, &path, &other, None).await;
    assert_eq!(status, 404);
    let (status, _) = app
        .api_json(Method::GET, "/api/chat/plan/not-a-plan", &session, None)
        .await;
    assert_eq!(status, 400);
    let (_, now) = app
        .api_json(Method::GET, "/api/todos", &session, None)
        .await;
    assert_eq!(
        now.as_array().unwrap().len(),
        1,
        "proposed, not made: {now}"
    );

    let (status, applied) = app
        .api_json(
            Method::POST,
            "/api/chat/plan",
            &session,
            Some(json!({"planId": plan_id, "apply": ["i1", "i2"]})),
        )
        .await;
    assert_eq!(status, 200, "{applied}");
    let (_, now) = app
        .api_json(Method::GET, "/api/todos", &session, None)
        .await;
    assert_eq!(now.as_array().unwrap().len(), 2, "{now}");
    let (status, card) = app.api_json(Method::GET, &path, &session, None).await;
    assert_eq!(status, 200);
    assert_eq!(card["result"]["applied"], json!(["i1", "i2"]), "{card}");
    // The activity log names the client that proposed it, not the chat's assistant.
    let (status, log) = app
        .api_json(Method::GET, "/api/activity?limit=10", &session, None)
        .await;
    assert_eq!(status, 200, "{log}");
    let entry = &log["activity"][0];
    assert_eq!(entry["changeId"], applied["changeId"], "{log}");
    assert_eq!(
        entry["actor"],
        json!({"kind": "mcp", "name": "Desk client"}),
        "{log}"
    );

    // Unanswered past its deadline: 410 with a sentence.
    let result = call(
        &app,
        &client,
        "proposePlan",
        json!({"summary": "Later", "items": json!([{"tool": "completeTodo",
               "text": "Finish", "arguments": {"todoId": late["id"]}}]).to_string()}),
    )
    .await;
    let late_plan = result["structuredContent"]["plan"]["planId"]
        .as_str()
        .unwrap()
        .to_owned();
    app.clock.advance(31 * 60);
    let (status, body) = app
        .api_json(
            Method::GET,
            &format!("/api/chat/plan/{late_plan}"),
            &session,
            None,
        )
        .await;
    assert_eq!(status, 410, "{body}");
    assert!(body["message"].as_str().unwrap().contains("expired"));
}
