//! The todo API over HTTP: the happy path, validation, optimistic concurrency, isolation
//! between users, and the cross-cutting behaviour (headers, body limit, SPA fallback).

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{spawn_app, spawn_app_with};

#[tokio::test]
async fn a_todo_goes_through_create_read_update_complete_and_delete() {
    let app = spawn_app().await;
    let token = app.token_for("crud@example.com").await;
    let created = app
        .create_todo(
            &token,
            json!({"title": "  Book dentist  ", "description": "Dr. Who", "dateDue": "2026-12-03"}),
        )
        .await;
    assert_eq!(created["title"], "Book dentist");
    assert_eq!(created["description"], "Dr. Who");
    assert_eq!(created["dateDue"], "2026-12-03");
    assert_eq!(created["completed"], false);
    assert_eq!(created["version"], 1);
    let id = created["id"].as_str().unwrap();

    let fetched: Value = app
        .api(Method::GET, &format!("/api/todos/{id}"), &token, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(fetched, created);

    let updated = app
        .api(
            Method::PATCH,
            &format!("/api/todos/{id}"),
            &token,
            Some(
                json!({"version": 1, "notes": "bring x-rays", "completed": true, "dateDue": null}),
            ),
        )
        .await;
    assert_eq!(updated.status(), 200);
    let updated: Value = updated.json().await.unwrap();
    assert_eq!(updated["notes"], "bring x-rays");
    assert_eq!(updated["completed"], true);
    assert_eq!(updated["dateDue"], Value::Null);
    assert_eq!(updated["title"], "Book dentist", "untouched fields stay");
    assert_eq!(updated["version"], 2);

    let list: Vec<Value> = app
        .api(Method::GET, "/api/todos", &token, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list, vec![updated]);

    let deleted = app
        .api(Method::DELETE, &format!("/api/todos/{id}"), &token, None)
        .await;
    assert_eq!(deleted.status(), 204);
    let gone = app
        .api(Method::GET, &format!("/api/todos/{id}"), &token, None)
        .await;
    assert_eq!(gone.status(), 404);
}

#[tokio::test]
async fn created_todos_answer_201_with_their_location() {
    let app = spawn_app().await;
    let token = app.token_for("loc@example.com").await;
    let response = app
        .api(
            Method::POST,
            "/api/todos",
            &token,
            Some(json!({"title": "x"})),
        )
        .await;
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        location,
        format!("/api/todos/{}", body["id"].as_str().unwrap())
    );
}

#[tokio::test]
async fn bad_input_is_a_clear_400_and_changes_nothing() {
    let app = spawn_app().await;
    let token = app.token_for("bad@example.com").await;
    let cases = [
        (json!({"title": "   "}), "empty"),
        (json!({"title": "x".repeat(201)}), "201"),
        (json!({"title": "ok", "dateDue": "next friday"}), "ISO 8601"),
        (json!({"title": "ok", "dateDue": "2026-02-30"}), "ISO 8601"),
        (json!({"title": "ok", "owner": "someone"}), "unknown field"),
        (json!({"title": 42}), "invalid type"),
        (
            json!({"title": "ok", "description": "d".repeat(2001)}),
            "2001",
        ),
        (json!({"title": "ok", "notes": "n".repeat(10_001)}), "10001"),
        (json!({}), "missing field"),
    ];
    for (body, expected) in cases {
        let response = app
            .api(Method::POST, "/api/todos", &token, Some(body.clone()))
            .await;
        assert_eq!(response.status(), 400, "{body}");
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["error"], "invalid_request");
        let message = error["message"].as_str().unwrap();
        assert!(
            message.contains(expected),
            "{body}: '{message}' lacks '{expected}'"
        );
    }
    let list: Vec<Value> = app
        .api(Method::GET, "/api/todos", &token, None)
        .await
        .json()
        .await
        .unwrap();
    assert!(list.is_empty(), "a rejected request stored something");
}

#[tokio::test]
async fn a_bad_patch_changes_nothing() {
    let app = spawn_app().await;
    let token = app.token_for("patch@example.com").await;
    let created = app.create_todo(&token, json!({"title": "Keep me"})).await;
    let path = format!("/api/todos/{}", created["id"].as_str().unwrap());
    for body in [
        json!({"version": 1, "title": "New", "dateDue": "soon"}),
        json!({"version": 1, "title": ""}),
        json!({"title": "no version"}),
        json!({"version": 1, "userId": "x"}),
    ] {
        let response = app
            .api(Method::PATCH, &path, &token, Some(body.clone()))
            .await;
        assert_eq!(response.status(), 400, "{body}");
    }
    let now: Value = app
        .api(Method::GET, &path, &token, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(now, created);
}

#[tokio::test]
async fn a_stale_version_is_refused_with_409_and_never_applied() {
    let app = spawn_app().await;
    let token = app.token_for("stale@example.com").await;
    let created = app.create_todo(&token, json!({"title": "Shared"})).await;
    let path = format!("/api/todos/{}", created["id"].as_str().unwrap());
    let first = app
        .api(
            Method::PATCH,
            &path,
            &token,
            Some(json!({"version": 1, "title": "From the UI"})),
        )
        .await;
    assert_eq!(first.status(), 200);
    let second = app
        .api(
            Method::PATCH,
            &path,
            &token,
            Some(json!({"version": 1, "title": "From the agent"})),
        )
        .await;
    assert_eq!(second.status(), 409);
    let error: Value = second.json().await.unwrap();
    assert_eq!(error["error"], "conflict");
    assert!(error["message"].as_str().unwrap().contains("version 2"));
    let now: Value = app
        .api(Method::GET, &path, &token, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(now["title"], "From the UI");

    let stale_delete = app
        .api(Method::DELETE, &format!("{path}?version=1"), &token, None)
        .await;
    assert_eq!(stale_delete.status(), 409);
    assert_eq!(
        app.api(Method::GET, &path, &token, None).await.status(),
        200
    );
}

#[tokio::test]
async fn another_users_todo_behaves_like_a_missing_one() {
    let app = spawn_app().await;
    let alice = app.token_for("alice@example.com").await;
    let bob = app.token_for("bob@example.com").await;
    let secret = app
        .create_todo(&alice, json!({"title": "Alice's secret", "notes": "n"}))
        .await;
    let path = format!("/api/todos/{}", secret["id"].as_str().unwrap());
    let missing = format!("/api/todos/{}", uuid::Uuid::now_v7());

    for target in [&path, &missing] {
        let read = app.api(Method::GET, target, &bob, None).await;
        assert_eq!(read.status(), 404);
        let read_body: Value = read.json().await.unwrap();
        let update = app
            .api(
                Method::PATCH,
                target,
                &bob,
                Some(json!({"version": 1, "title": "pwned"})),
            )
            .await;
        assert_eq!(update.status(), 404);
        let complete = app
            .api(
                Method::PATCH,
                target,
                &bob,
                Some(json!({"version": 1, "completed": true})),
            )
            .await;
        assert_eq!(complete.status(), 404);
        let delete = app.api(Method::DELETE, target, &bob, None).await;
        assert_eq!(delete.status(), 404);
        assert_eq!(read_body["message"], "No todo with that id.");
    }
    let bobs: Vec<Value> = app
        .api(Method::GET, "/api/todos", &bob, None)
        .await
        .json()
        .await
        .unwrap();
    assert!(bobs.is_empty());
    let alices: Vec<Value> = app
        .api(Method::GET, "/api/todos", &alice, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(alices, vec![secret]);
}

#[tokio::test]
async fn a_malformed_id_is_a_400() {
    let app = spawn_app().await;
    let token = app.token_for("ids@example.com").await;
    let response = app
        .api(Method::GET, "/api/todos/not-a-uuid", &token, None)
        .await;
    assert_eq!(response.status(), 400);
}

/// A path segment that is not UTF-8 once decoded is a bad id like any other: our JSON 400,
/// not axum's plain-text rejection.
#[tokio::test]
async fn an_id_that_is_not_utf8_is_a_json_400_on_every_route() {
    let app = spawn_app().await;
    let token = app.token_for("utf8@example.com").await;
    let routes = [
        (Method::GET, "/api/todos/%FF"),
        (Method::PATCH, "/api/todos/%FF"),
        (Method::DELETE, "/api/todos/%C3%28"),
        (Method::POST, "/api/todos/%FF/restore"),
        (Method::GET, "/api/todos/%C3%28/files"),
        (Method::POST, "/api/todos/%FF/files"),
        (Method::GET, "/api/files/%FF"),
        (Method::DELETE, "/api/files/%C3%28"),
        (Method::PUT, "/api/files/%FF/content"),
        (Method::POST, "/api/files/%FF/complete"),
        (Method::POST, "/api/files/%C3%28/download"),
        (Method::GET, "/api/chat/conversations/%FF"),
        (Method::DELETE, "/api/chat/conversations/%FF"),
        (Method::POST, "/api/chat/conversations/%FF/continue"),
    ];
    for (method, path) in routes {
        let response = app.api(method.clone(), path, &token, Some(json!({}))).await;
        assert_eq!(response.status(), 400, "{method} {path}");
        let error: Value = response
            .json()
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: not JSON: {e}"));
        assert_eq!(error["error"], "invalid_request", "{method} {path}");
        let message = error["message"].as_str().unwrap_or_default();
        assert!(
            message.ends_with('.'),
            "{method} {path}: a sentence: {message}"
        );
    }
}

#[tokio::test]
async fn a_body_that_is_not_json_or_too_large_is_refused() {
    let app = spawn_app().await;
    let token = app.token_for("limits@example.com").await;
    let url = format!("{}/api/todos", app.address);
    let text = app
        .client
        .post(&url)
        .bearer_auth(&token)
        .body(r#"{"title":"x"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(text.status(), 415);
    let huge = json!({"title": "x", "notes": "n".repeat(100 * 1024)});
    let response = app
        .api(Method::POST, "/api/todos", &token, Some(huge))
        .await;
    assert_eq!(response.status(), 413);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["error"], "payload_too_large");
}

#[tokio::test]
async fn unknown_api_paths_are_json_404s() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(format!("{}/api/nothing-here", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["error"], "not_found");
}

#[tokio::test]
async fn runtime_config_names_the_identity_provider() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(format!("{}/config.json", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["cache-control"], "no-cache");
    let config: Value = response.json().await.unwrap();
    assert_eq!(config["apiBaseUrl"], "");
    assert_eq!(config["cognito"]["endpoint"], "/idp");
    assert_eq!(config["cognito"]["clientId"], crate::helpers::CLIENT_ID);
    assert_eq!(config["cognito"]["userPoolId"], crate::helpers::POOL_ID);
}

#[tokio::test]
async fn the_frontend_is_served_with_an_spa_fallback_and_a_strict_csp() {
    let dist = tempfile::tempdir().unwrap();
    let bootstrap = "import init from '/frontend.js';init();";
    std::fs::write(
        dist.path().join("index.html"),
        format!(
            "<html><head><script type=\"module\">{bootstrap}</script></head><body></body></html>"
        ),
    )
    .unwrap();
    std::fs::write(
        dist.path().join("frontend.js"),
        "export default function init() {}",
    )
    .unwrap();
    let app = spawn_app_with(&[("DIST_DIR", dist.path().to_str().unwrap())]).await;

    let deep = app
        .client
        .get(format!("{}/some/deep/link", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(deep.status(), 200);
    let headers = deep.headers().clone();
    assert!(deep.text().await.unwrap().contains(bootstrap));
    let csp = headers["content-security-policy"].to_str().unwrap();
    use base64::Engine;
    use sha2::Digest;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(bootstrap));
    assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"));
    assert!(csp.contains("'wasm-unsafe-eval'"));
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "no-referrer");

    let js = app
        .client
        .get(format!("{}/frontend.js", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(js.status(), 200);
    assert!(
        js.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("javascript")
    );
}

#[tokio::test]
async fn every_answer_carries_the_browser_security_headers_and_hsts_only_over_https() {
    let app = spawn_app().await;
    let plain = app
        .client
        .get(format!("{}/config.json", app.address))
        .send()
        .await
        .unwrap();
    let headers = plain.headers();
    assert_eq!(headers["cross-origin-opener-policy"], "same-origin");
    assert!(
        headers["permissions-policy"]
            .to_str()
            .unwrap()
            .contains("camera=()")
    );
    assert!(!headers.contains_key("strict-transport-security"));

    let secure = spawn_app_with(&[("PUBLIC_URL", "https://tasko.example")]).await;
    let answer = secure
        .client
        .get(format!("{}/api/todos", secure.address))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 401, "errors carry them too");
    assert_eq!(
        answer.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
}

#[tokio::test]
async fn an_account_holds_at_most_its_quota_of_todos() {
    let app = spawn_app_with(&[("MAX_TODOS_PER_USER", "3")]).await;
    let token = app.token_for("full@example.com").await;
    for n in 0..3 {
        app.create_todo(&token, json!({"title": format!("Todo {n}")}))
            .await;
    }
    let refused = app
        .api(
            Method::POST,
            "/api/todos",
            &token,
            Some(json!({"title": "One too many"})),
        )
        .await;
    assert_eq!(refused.status(), 403);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"], "quota_exceeded");
    assert!(
        body["message"].as_str().unwrap().contains("3 todos"),
        "{body}"
    );
    let listed: Vec<Value> = app
        .api(Method::GET, "/api/todos", &token, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed.len(), 3, "nothing was added");
    let other = app.token_for("roomy@example.com").await;
    app.create_todo(&other, json!({"title": "Mine"})).await;
}

#[tokio::test]
async fn with_an_origin_secret_only_requests_carrying_it_are_served() {
    let secret = "a-long-origin-secret-from-cloudfront";
    let app = spawn_app_with(&[("ORIGIN_SECRET", secret)]).await;
    let get = |path: &str, value: Option<&str>| {
        let mut request = app.client.get(format!("{}{path}", app.address));
        if let Some(value) = value {
            request = request.header("x-tasko-origin-secret", value);
        }
        request.send()
    };
    let direct = get("/config.json", None).await.unwrap();
    assert_eq!(direct.status(), 403);
    let body: Value = direct.json().await.unwrap();
    assert_eq!(body["error"], "forbidden");
    assert_eq!(
        get("/config.json", Some("a-wrong-guess-of-the-secret"))
            .await
            .unwrap()
            .status(),
        403
    );
    assert_eq!(
        get("/api/todos", None).await.unwrap().status(),
        403,
        "before auth"
    );
    assert_eq!(
        get("/config.json", Some(secret)).await.unwrap().status(),
        200
    );
    assert_eq!(get("/api/todos", Some(secret)).await.unwrap().status(), 401);
    // The local IdP's public keys stay reachable (the server verifies tokens with them).
    let keys = get("/idp/local_test/.well-known/jwks.json", None)
        .await
        .unwrap();
    assert_eq!(keys.status(), 200);
    let discovery = get("/idp/local_test/.well-known/openid-configuration", None)
        .await
        .unwrap();
    assert_eq!(discovery.status(), 200);
    // Exactly those two routes: nothing else that merely looks like them.
    for path in [
        "/idp/x/.well-known/anything",
        "/idp/local_test/.well-known/jwks.json/more",
        "/idp/a/b/.well-known/jwks.json",
        "/idp//.well-known/jwks.json",
        "/idp/x/y/.well-known/openid-configuration",
        "/api/idp/x/.well-known/jwks.json",
    ] {
        assert_eq!(get(path, None).await.unwrap().status(), 403, "{path}");
    }
}

/// `tasko-server csp` prints exactly the policy the server sends, for the edge to send with
/// the static files (Trunk's inline script hash changes with every build).
#[tokio::test]
async fn the_csp_subcommand_prints_the_policy_the_server_sends() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(
        dist.path().join("index.html"),
        "<html><head><script type=\"module\">import init from '/x.js';init();</script></head></html>",
    )
    .unwrap();
    let dist_dir = dist.path().to_str().unwrap();
    let settings = [
        ("DIST_DIR", dist_dir),
        ("AUTH", "cognito"),
        ("COGNITO_REGION", "eu-west-1"),
        ("COGNITO_USER_POOL_ID", "eu-west-1_Csp"),
        ("COGNITO_CLIENT_ID", "csp-client"),
        ("PUBLIC_URL", "https://tasko.example"),
    ];
    let app = spawn_app_with(&settings).await;
    let page = app.client.get(&app.address).send().await.unwrap();
    let sent = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let data = tempfile::tempdir().unwrap();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_tasko-server"));
    command
        .arg("csp")
        .env_clear()
        .env("DATA_DIR", data.path())
        .env("LOG", "warn");
    for (key, value) in settings {
        command.env(key, value);
    }
    let printed = command.output().unwrap();
    assert!(printed.status.success(), "{printed:?}");
    assert_eq!(String::from_utf8(printed.stdout).unwrap().trim(), sent);
    assert!(
        sent.contains("https://cognito-idp.eu-west-1.amazonaws.com"),
        "{sent}"
    );
}
