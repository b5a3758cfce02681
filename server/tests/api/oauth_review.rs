//! Holes an adversarial review of the authorization server looked for, each driven over
//! HTTP against a real server: a replayed authorization code (RFC 6749 §4.1.2, OAuth 2.1
//! §4.1.3: the tokens it issued are revoked), a refresh that narrowed the scope (RFC 6749
//! §6: the new refresh token keeps the narrowed scope), and redirect URIs that only look
//! like the registered one (never matched, never redirected to).

use reqwest::Method;
use serde_json::json;

use crate::{
    helpers::spawn_app,
    oauth_flow::{
        REDIRECT, answer, authorize, authorize_params, connect, param, pkce, register, request_id,
        token_request,
    },
};

#[tokio::test]
async fn a_replayed_code_is_refused_and_revokes_the_tokens_it_issued() {
    let app = spawn_app().await;
    let session = app.token_for("review-replay@example.com").await;
    let client_id = register(&app, "Claude").await;
    let (verifier, challenge) = pkce();
    let resource = format!("{}/mcp", app.address);
    let id = request_id(
        &app,
        &authorize_params(&app, &client_id, &challenge, "todos:write", &resource),
    )
    .await;
    let (status, redirect) = answer(&app, &session, &id, true).await;
    assert_eq!(status, 200, "{redirect}");
    let code = param(redirect["redirect"].as_str().unwrap(), "code").unwrap();
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
        ("code_verifier", verifier.as_str()),
        ("client_id", client_id.as_str()),
    ];
    let (status, tokens) = token_request(&app, &form).await;
    assert_eq!(status, 200, "{tokens}");
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();
    assert_eq!(
        app.api(Method::GET, "/api/todos", &access, None)
            .await
            .status(),
        200
    );

    // The same code again (an attacker who saw it, or a replaying proxy).
    let (status, error) = token_request(&app, &form).await;
    assert_eq!((status, &error["error"]), (400, &json!("invalid_grant")));
    assert_eq!(
        app.api(Method::GET, "/api/todos", &access, None)
            .await
            .status(),
        401,
        "the access token issued from a replayed code still works"
    );
    let (status, error) = token_request(
        &app,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &refresh),
            ("client_id", &client_id),
        ],
    )
    .await;
    assert_eq!(
        (status, &error["error"]),
        (400, &json!("invalid_grant")),
        "{error}"
    );
    let (_, grants) = app
        .api_json(Method::GET, "/api/oauth/grants", &session, None)
        .await;
    assert_eq!(grants["grants"], json!([]));
}

#[tokio::test]
async fn a_refresh_that_narrowed_the_scope_cannot_widen_it_again() {
    let app = spawn_app().await;
    let session = app.token_for("review-narrow@example.com").await;
    let connected = connect(&app, &session, "Cursor", "todos:read todos:write").await;
    let refresh = |token: String, scope: Option<&'static str>| {
        let app = &app;
        let client_id = connected.client_id.clone();
        async move {
            let mut form = vec![
                ("grant_type", "refresh_token"),
                ("refresh_token", token.as_str()),
                ("client_id", client_id.as_str()),
            ];
            if let Some(scope) = scope {
                form.push(("scope", scope));
            }
            token_request(app, &form).await
        }
    };
    let (status, narrowed) = refresh(connected.refresh.clone(), Some("todos:read")).await;
    assert_eq!((status, &narrowed["scope"]), (200, &json!("todos:read")));
    let next = narrowed["refresh_token"].as_str().unwrap().to_owned();

    let (status, again) = refresh(next.clone(), None).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(
        again["scope"], "todos:read",
        "a refresh without scope widened a narrowed refresh token back: {again}"
    );
    let access = again["access_token"].as_str().unwrap();
    let write = app
        .api(
            Method::POST,
            "/api/todos",
            access,
            Some(json!({"title": "Should not be written"})),
        )
        .await;
    assert_eq!(write.status(), 403);
    let next = again["refresh_token"].as_str().unwrap().to_owned();
    let (status, error) = refresh(next, Some("todos:read todos:write")).await;
    assert_eq!((status, &error["error"]), (400, &json!("invalid_scope")));
}

#[tokio::test]
async fn a_redirect_uri_that_only_resembles_the_registered_one_is_never_redirected_to() {
    let app = spawn_app().await;
    let client_id = register(&app, "Claude").await;
    let (_, challenge) = pkce();
    let resource = format!("{}/mcp", app.address);
    for lookalike in [
        "http://127.0.0.1:33418/callback/../evil",
        "http://127.0.0.1:33418/callbackx",
        "http://127.0.0.1:33418/callback/x",
        "http://127.0.0.1:33418/callback?next=https://evil.example",
        "http://127.0.0.1:33418/callback#x",
        "http://127.0.0.1.evil.example:33418/callback",
        "http://127.0.0.1@evil.example:33418/callback",
        "https://127.0.0.1:33418/callback",
        "http://localhost:33418/callback",
        "https://evil.example/callback",
    ] {
        let mut params = authorize_params(&app, &client_id, &challenge, "todos:read", &resource);
        for (name, value) in &mut params {
            if *name == "redirect_uri" {
                *value = lookalike;
            }
        }
        // A wrong response_type too: the redirect URI check must come first.
        params.retain(|(name, _)| *name != "response_type");
        params.push(("response_type", "token"));
        let (status, location, body) = authorize(&app, &params).await;
        assert_eq!(status, 400, "{lookalike}: {location} {body}");
        assert!(location.is_empty(), "{lookalike} redirected to {location}");
    }
}
