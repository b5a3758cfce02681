//! Who may be a client: Dynamic Client Registration's rules and rate limit, and Client ID
//! Metadata Documents. A document is fetched over https from a public address only; a
//! server on this computer (no `PUBLIC_URL`, or a loopback one) may also fetch one over
//! http from loopback, which is how these tests serve theirs (the refusal rules for a
//! deployed server, private and metadata addresses included, are unit tests in
//! `oauth/metadata_document.rs`, since no test here can serve https from a public address).

use axum::{Json, Router, routing::get};
use serde_json::{Value, json};

use crate::{
    helpers::{spawn_app, spawn_app_with},
    oauth_flow::{
        REDIRECT, answer, authorize, authorize_params, param, pkce, register_raw, request_id,
    },
};

#[tokio::test]
async fn a_registration_needs_safe_redirect_uris_and_is_limited_per_minute() {
    let app = spawn_app().await;
    let (status, body) = register_raw(
        &app,
        json!({"client_name": "Cursor", "redirect_uris": ["cursor://anysphere.cursor-retrieval/oauth/callback", "https://cursor.example/cb"]}),
    )
    .await;
    // `cursor:` has no dot: not a reverse-domain private scheme.
    assert_eq!(
        (status, &body["error"]),
        (400, &json!("invalid_redirect_uri")),
        "{body}"
    );
    for (registration, error) in [
        (json!({"client_name": "X"}), "invalid_redirect_uri"),
        (
            json!({"redirect_uris": ["http://evil.example/cb"]}),
            "invalid_redirect_uri",
        ),
        (
            json!({"redirect_uris": [REDIRECT], "client_name": "x".repeat(101)}),
            "invalid_client_metadata",
        ),
        (
            json!({"redirect_uris": "not a list"}),
            "invalid_client_metadata",
        ),
        (
            json!({"redirect_uris": [REDIRECT], "padding": "x".repeat(20_000)}),
            "invalid_client_metadata",
        ),
    ] {
        let (status, body) = register_raw(&app, registration).await;
        assert_eq!((status, &body["error"]), (400, &json!(error)), "{body}");
    }
    // Asked for a secret, it is registered as the public client it is (RFC 7591 §3.2.1).
    let (status, body) = register_raw(
        &app,
        json!({"redirect_uris": [REDIRECT, "com.example.app:/oauth"], "client_name": "Native",
               "scope": "todos:read", "token_endpoint_auth_method": "client_secret_post"}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["token_endpoint_auth_method"], "none");
    assert!(body.get("client_secret").is_none(), "{body}");
    assert_eq!(
        body["redirect_uris"],
        json!([REDIRECT, "com.example.app:/oauth"])
    );
    assert!(body["client_id_issued_at"].is_i64());
    // 10 a minute from one address (the first was counted, refusals are not).
    for _ in 0..9 {
        let (status, body) = register_raw(&app, json!({"redirect_uris": [REDIRECT]})).await;
        assert_eq!(status, 201, "{body}");
    }
    let (status, body) = register_raw(&app, json!({"redirect_uris": [REDIRECT]})).await;
    assert_eq!(status, 429, "{body}");
    app.clock.advance(61);
    assert_eq!(
        register_raw(&app, json!({"redirect_uris": [REDIRECT]}))
            .await
            .0,
        201
    );
}

/// Serves `document` (with `{url}` replaced by its own URL) at `/client.json` on a
/// loopback port; the URL.
async fn serve_document(document: Value) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/client.json", listener.local_addr().unwrap());
    let body: Value = serde_json::from_str(&document.to_string().replace("{url}", &url)).unwrap();
    let router = Router::new().route(
        "/client.json",
        get(move || {
            let body = body.clone();
            async move { Json(body) }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, router).await });
    url
}

#[tokio::test]
async fn a_local_server_reads_a_client_id_metadata_document_beside_it() {
    let app = spawn_app().await;
    let session = app.token_for("oauth-cimd@example.com").await;
    let url = serve_document(json!({
        "client_id": "{url}", "client_name": "Editor Extension",
        "redirect_uris": [REDIRECT], "token_endpoint_auth_method": "none"
    }))
    .await;
    let (_, challenge) = pkce();
    let resource = format!("{}/mcp", app.address);
    let id = request_id(
        &app,
        &authorize_params(&app, &url, &challenge, "todos:read", &resource),
    )
    .await;
    let (status, request) = app
        .api_json(
            reqwest::Method::GET,
            &format!("/api/oauth/requests/{id}"),
            &session,
            None,
        )
        .await;
    assert_eq!(status, 200, "{request}");
    assert_eq!(request["client"]["id"], url.as_str());
    assert_eq!(request["client"]["name"], "Editor Extension");
    assert_eq!(request["client"]["site"], url.split('/').nth(2).unwrap());
    assert_eq!(request["access"], "read");
    let (status, redirect) = answer(&app, &session, &id, true).await;
    assert_eq!(status, 200);
    assert!(param(redirect["redirect"].as_str().unwrap(), "code").is_some());

    // A document that names another client_id, or none at all, is refused (400 here).
    let liar = serve_document(json!({
        "client_id": "https://claude.ai/client.json", "client_name": "Claude",
        "redirect_uris": [REDIRECT]
    }))
    .await;
    let (status, location, body) = authorize(
        &app,
        &authorize_params(&app, &liar, &challenge, "todos:read", &resource),
    )
    .await;
    assert_eq!((status, location.as_str()), (400, ""), "{body}");
    assert!(body.contains("client_id"), "{body}");
    let nothing = "http://127.0.0.1:9/client.json";
    let (status, _, body) = authorize(
        &app,
        &authorize_params(&app, nothing, &challenge, "todos:read", &resource),
    )
    .await;
    assert_eq!(status, 400, "{body}");
}

#[tokio::test]
async fn a_deployed_server_fetches_no_document_over_http_or_from_loopback() {
    let app = spawn_app_with(&[("PUBLIC_URL", "https://tasko.example")]).await;
    let url = serve_document(json!({
        "client_id": "{url}", "client_name": "Local", "redirect_uris": [REDIRECT]
    }))
    .await;
    let (_, challenge) = pkce();
    let resource = "https://tasko.example/mcp";
    let (status, location, body) = authorize(
        &app,
        &authorize_params(&app, &url, &challenge, "todos:read", resource),
    )
    .await;
    assert_eq!((status, location.as_str()), (400, ""), "{body}");
    assert!(body.contains("https"), "{body}");
    // https to a loopback address: refused after resolving, before any request.
    let (status, _, body) = authorize(
        &app,
        &authorize_params(
            &app,
            "https://localhost/client.json",
            &challenge,
            "todos:read",
            resource,
        ),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("private"), "{body}");
}
