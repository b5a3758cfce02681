//! What Tasko's authorization server refuses, each with the spec's error: an authorization
//! request it cannot trust (answered, never redirected) or that is wrong (redirected with
//! `error=`), a denied consent, an expired, reused or mismatched code, a wrong PKCE
//! verifier, a token for another resource, a read-only grant writing, and another user's
//! todos.

use reqwest::Method;
use serde_json::{Value, json};
use server::{
    domain::{Access, GrantId, TokenHash, UserId, oauth::AccessRecord},
    store::oauth::OAuthRecords,
};

use crate::{
    access_tokens::mint,
    helpers::{TestApp, spawn_app},
    oauth_flow::{
        REDIRECT, STATE, answer, authorize, authorize_params, connect, exchange_code, mcp_call,
        param, pkce, register, request_id, token_request,
    },
};

fn resource(app: &TestApp) -> String {
    format!("{}/mcp", app.address)
}

#[tokio::test]
async fn an_untrusted_request_is_answered_here_and_a_wrong_one_goes_back_with_its_error() {
    let app = spawn_app().await;
    let client_id = register(&app, "Claude").await;
    let (_, challenge) = pkce();
    let resource = resource(&app);
    let good = authorize_params(&app, &client_id, &challenge, "todos:read", &resource);
    let with = |name: &'static str, value: &'static str| {
        let mut params: Vec<(&str, &str)> =
            good.iter().filter(|(k, _)| *k != name).cloned().collect();
        if !value.is_empty() {
            params.push((name, value));
        }
        params
    };

    // Before the redirect URI is trusted: a 400 here, no Location.
    for params in [
        with("client_id", "tc_unknown"),
        with("client_id", ""),
        with("redirect_uri", "http://127.0.0.1:33418/elsewhere"),
        with("redirect_uri", "https://evil.example/callback"),
    ] {
        let (status, location, body) = authorize(&app, &params).await;
        assert_eq!((status, location.as_str()), (400, ""), "{params:?}: {body}");
        let body: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(body["error"], "invalid_request", "{body}");
    }

    // After: back to the client with the error, the state and the issuer.
    for (params, error) in [
        (with("response_type", "token"), "unsupported_response_type"),
        (with("code_challenge", ""), "invalid_request"),
        (with("code_challenge_method", "plain"), "invalid_request"),
        (with("code_challenge", "too-short"), "invalid_request"),
        (
            with("resource", "https://other.example/mcp"),
            "invalid_target",
        ),
        (with("scope", "admin"), "invalid_scope"),
    ] {
        let (status, location, body) = authorize(&app, &params).await;
        assert_eq!(status, 303, "{params:?}: {body}");
        assert!(location.starts_with(REDIRECT), "{location}");
        assert_eq!(
            param(&location, "error").as_deref(),
            Some(error),
            "{location}"
        );
        assert_eq!(param(&location, "state").as_deref(), Some(STATE));
        assert_eq!(
            param(&location, "iss").as_deref(),
            Some(app.address.as_str())
        );
    }
}

#[tokio::test]
async fn a_denied_request_goes_back_with_access_denied_and_only_a_session_may_answer() {
    let app = spawn_app().await;
    let session = app.token_for("oauth-deny@example.com").await;
    let pat = mint(&app, &session, "Script", "write").await;
    let client_id = register(&app, "Claude").await;
    let (_, challenge) = pkce();
    let resource = resource(&app);
    let id = request_id(
        &app,
        &authorize_params(&app, &client_id, &challenge, "todos:read", &resource),
    )
    .await;
    assert_eq!(answer(&app, &pat, &id, true).await.0, 403);
    let (status, unknown) = app
        .api_json(Method::GET, "/api/oauth/requests/nope", &session, None)
        .await;
    assert_eq!(status, 404, "{unknown}");
    let (status, redirect) = answer(&app, &session, &id, false).await;
    assert_eq!(status, 200);
    let to = redirect["redirect"].as_str().unwrap();
    assert_eq!(param(to, "error").as_deref(), Some("access_denied"));
    assert_eq!(param(to, "state").as_deref(), Some(STATE));
    assert_eq!(param(to, "code"), None);
    assert_eq!(answer(&app, &session, &id, true).await.0, 404);
    let (_, grants) = app
        .api_json(Method::GET, "/api/oauth/grants", &session, None)
        .await;
    assert_eq!(grants["grants"], json!([]));
}

/// An approved request's code, and the verifier that goes with it.
async fn approved_code(app: &TestApp, session: &str, client_id: &str) -> (String, String) {
    let (verifier, challenge) = pkce();
    let resource = resource(app);
    let id = request_id(
        app,
        &authorize_params(app, client_id, &challenge, "todos:write", &resource),
    )
    .await;
    let (status, redirect) = answer(app, session, &id, true).await;
    assert_eq!(status, 200);
    let code = param(redirect["redirect"].as_str().unwrap(), "code").unwrap();
    (code, verifier)
}

#[tokio::test]
async fn a_code_is_single_use_dies_in_a_minute_and_is_bound_to_client_uri_and_verifier() {
    let app = spawn_app().await;
    let session = app.token_for("oauth-codes@example.com").await;
    let client_id = register(&app, "Claude").await;
    let redeem = |code: String, verifier: String, client: String, redirect: &'static str| {
        let app = &app;
        async move {
            token_request(
                app,
                &[
                    ("grant_type", "authorization_code"),
                    ("code", &code),
                    ("redirect_uri", redirect),
                    ("code_verifier", &verifier),
                    ("client_id", &client),
                ],
            )
            .await
        }
    };
    let refused = |answer: (u16, Value), error: &str| {
        assert_eq!(answer.0, 400, "{}", answer.1);
        assert_eq!(answer.1["error"], error, "{}", answer.1);
    };

    let (code, verifier) = approved_code(&app, &session, &client_id).await;
    let (_, other_verifier) = pkce();
    refused(
        redeem(code.clone(), other_verifier, client_id.clone(), REDIRECT).await,
        "invalid_grant",
    );
    // A failed try burns the code.
    refused(
        redeem(code, verifier, client_id.clone(), REDIRECT).await,
        "invalid_grant",
    );

    let (code, verifier) = approved_code(&app, &session, &client_id).await;
    refused(
        redeem(
            code,
            verifier,
            client_id.clone(),
            "http://127.0.0.1:33418/other",
        )
        .await,
        "invalid_grant",
    );
    let (code, verifier) = approved_code(&app, &session, &client_id).await;
    let other_client = register(&app, "Other").await;
    refused(
        redeem(code, verifier, other_client, REDIRECT).await,
        "invalid_grant",
    );

    let (code, verifier) = approved_code(&app, &session, &client_id).await;
    app.clock.advance(61);
    refused(
        redeem(code, verifier, client_id.clone(), REDIRECT).await,
        "invalid_grant",
    );

    let (code, verifier) = approved_code(&app, &session, &client_id).await;
    let (status, tokens) =
        redeem(code.clone(), verifier.clone(), client_id.clone(), REDIRECT).await;
    assert_eq!(status, 200, "{tokens}");
    refused(
        redeem(code, verifier, client_id.clone(), REDIRECT).await,
        "invalid_grant",
    );

    // Malformed requests.
    refused(
        token_request(&app, &[("grant_type", "password")]).await,
        "unsupported_grant_type",
    );
    refused(token_request(&app, &[]).await, "invalid_request");
    refused(
        token_request(&app, &[("grant_type", "authorization_code"), ("code", "x")]).await,
        "invalid_request",
    );
    let (code, verifier) = approved_code(&app, &session, &client_id).await;
    refused(
        exchange_code(
            &app,
            &code,
            &verifier,
            &client_id,
            "https://other.example/mcp",
        )
        .await,
        "invalid_target",
    );
    let json_body = app
        .client
        .post(format!("{}/oauth/token", app.address))
        .json(&json!({"grant_type": "authorization_code"}))
        .send()
        .await
        .unwrap();
    assert_eq!(json_body.status(), 400);
}

#[tokio::test]
async fn a_token_minted_for_another_resource_is_refused_as_an_invalid_token() {
    let app = spawn_app().await;
    let session = app.token_for("oauth-resource@example.com").await;
    let owner = UserId::from_verified_sub(app.sub_of(&session).await);
    let records = OAuthRecords::new(app.store.clone());
    let secret = "tasko_oat_for-another-resource";
    let now = app.clock.now();
    records
        .put_access(
            &TokenHash::of(secret),
            &AccessRecord {
                owner,
                grant: GrantId::new(),
                access: Access::Write,
                resource: "https://other.example/mcp".into(),
                client_name: "Elsewhere".into(),
            },
            now + jiff::SignedDuration::from_hours(1),
            now,
        )
        .await
        .unwrap();
    let response = app.api(Method::GET, "/api/todos", secret, None).await;
    assert_eq!(response.status(), 401);
    assert_eq!(
        response.headers()["www-authenticate"],
        "Bearer error=\"invalid_token\""
    );
    let (status, challenge, _) = mcp_call(&app, secret, "getTodos", json!({})).await;
    assert_eq!(status, 401);
    assert!(
        challenge.starts_with("Bearer error=\"invalid_token\""),
        "{challenge}"
    );
    // An unknown one likewise.
    let (status, challenge, _) = mcp_call(&app, "tasko_oat_nobody", "getTodos", json!({})).await;
    assert_eq!(status, 401);
    assert!(challenge.contains("invalid_token"), "{challenge}");
}

#[tokio::test]
async fn a_read_only_grant_reads_but_cannot_write_and_never_sees_another_users_todos() {
    let app = spawn_app().await;
    let ann = app.token_for("oauth-ann@example.com").await;
    let bob = app.token_for("oauth-bob@example.com").await;
    let bobs = app
        .create_todo(&bob, json!({"title": "Bob's secret"}))
        .await;
    let bobs_id = bobs["id"].as_str().unwrap();
    let mine = app.create_todo(&ann, json!({"title": "Ann's own"})).await;
    let reader = connect(&app, &ann, "Reader", "todos:read").await;

    let (status, list) = app
        .api_json(Method::GET, "/api/todos", &reader.access, None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    let (status, refusal) = app
        .api_json(
            Method::POST,
            "/api/todos",
            &reader.access,
            Some(json!({"title": "No"})),
        )
        .await;
    assert_eq!(status, 403, "{refusal}");
    assert!(
        refusal["message"].as_str().unwrap().contains("read-only"),
        "{refusal}"
    );
    let (status, _, written) = mcp_call(
        &app,
        &reader.access,
        "completeTodo",
        json!({"todoId": mine["id"]}),
    )
    .await;
    // As for a read-only personal token: the writing tool is refused with a sentence.
    assert_eq!(status, 200);
    assert!(
        written["error"]["message"]
            .as_str()
            .unwrap()
            .contains("read-only"),
        "{written}"
    );

    let writer = connect(&app, &ann, "Writer", "todos:write").await;
    assert_eq!(
        app.api(
            Method::GET,
            &format!("/api/todos/{bobs_id}"),
            &writer.access,
            None
        )
        .await
        .status(),
        404
    );
    let (_, _, other) = mcp_call(
        &app,
        &writer.access,
        "completeTodo",
        json!({"todoId": bobs_id}),
    )
    .await;
    assert_eq!(other["result"]["isError"], true, "{other}");
    let (_, still) = app
        .api_json(Method::GET, &format!("/api/todos/{bobs_id}"), &bob, None)
        .await;
    assert_eq!(still["completed"], false);
    // Bob's grants list does not show Ann's apps, nor can he revoke them.
    let (_, anns) = app
        .api_json(Method::GET, "/api/oauth/grants", &ann, None)
        .await;
    assert_eq!(anns["grants"].as_array().unwrap().len(), 2);
    let (_, bobs_grants) = app
        .api_json(Method::GET, "/api/oauth/grants", &bob, None)
        .await;
    assert_eq!(bobs_grants["grants"], json!([]));
    let path = format!(
        "/api/oauth/grants/{}",
        anns["grants"][0]["id"].as_str().unwrap()
    );
    assert_eq!(
        app.api(Method::DELETE, &path, &bob, None).await.status(),
        404
    );
}
