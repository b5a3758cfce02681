//! Tasko's OAuth 2.1 authorization server, end to end over HTTP: metadata, registration,
//! the authorization request, the consent answer, the code exchange with PKCE, the tokens
//! on `/mcp` and the REST API (changes logged under the client's name), refresh rotation,
//! revocation of a grant (its tokens stop at once), and the same across two instances on
//! DynamoDB. The helpers here drive a client's side of the flow for the other OAuth tests.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use reqwest::{Method, redirect::Policy};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::{TestApp, spawn_app, spawn_app_with};

pub const REDIRECT: &str = "http://127.0.0.1:33418/callback";
pub const STATE: &str = "st-123";

/// A PKCE verifier and its S256 challenge.
pub fn pkce() -> (String, String) {
    let verifier = URL_SAFE_NO_PAD.encode(uuid::Uuid::new_v4().as_bytes())
        + &URL_SAFE_NO_PAD.encode(uuid::Uuid::new_v4().as_bytes());
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

/// A client that does not follow redirects (the tests read `Location`).
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap()
}

/// `POST /oauth/register`: status and body.
pub async fn register_raw(app: &TestApp, body: Value) -> (u16, Value) {
    let response = app
        .client
        .post(format!("{}/oauth/register", app.address))
        .json(&body)
        .send()
        .await
        .unwrap();
    (
        response.status().as_u16(),
        response.json().await.unwrap_or(Value::Null),
    )
}

/// Registers a client named `name` redirecting to [`REDIRECT`]; its id.
pub async fn register(app: &TestApp, name: &str) -> String {
    let (status, body) = register_raw(
        app,
        json!({"client_name": name, "redirect_uris": [REDIRECT],
               "token_endpoint_auth_method": "none",
               "grant_types": ["authorization_code", "refresh_token"]}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    body["client_id"].as_str().unwrap().to_owned()
}

/// `GET /oauth/authorize` with `params`: the status and `Location`.
pub async fn authorize(app: &TestApp, params: &[(&str, &str)]) -> (u16, String, String) {
    let response = browser()
        .get(format!("{}/oauth/authorize", app.address))
        .query(params)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, location, response.text().await.unwrap())
}

/// The standard parameters of an authorization request.
pub fn authorize_params<'a>(
    app: &'a TestApp,
    client_id: &'a str,
    challenge: &'a str,
    scope: &'a str,
    resource: &'a str,
) -> Vec<(&'a str, &'a str)> {
    let _ = app;
    vec![
        ("response_type", "code"),
        ("client_id", client_id),
        ("redirect_uri", REDIRECT),
        ("code_challenge", challenge),
        ("code_challenge_method", "S256"),
        ("scope", scope),
        ("state", STATE),
        ("resource", resource),
    ]
}

/// The request id of a stored authorization request (`303 /connect?request=<id>`).
pub async fn request_id(app: &TestApp, params: &[(&str, &str)]) -> String {
    let (status, location, body) = authorize(app, params).await;
    assert_eq!(status, 303, "{body}");
    location
        .strip_prefix("/connect?request=")
        .unwrap_or_else(|| panic!("{location}"))
        .to_owned()
}

/// The user's answer on the consent page: status and body.
pub async fn answer(app: &TestApp, session: &str, id: &str, approve: bool) -> (u16, Value) {
    app.api_json(
        Method::POST,
        &format!("/api/oauth/requests/{id}"),
        session,
        Some(json!({ "approve": approve })),
    )
    .await
}

/// A query parameter of a URL.
pub fn param(url: &str, name: &str) -> Option<String> {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// `POST /oauth/token` with a form: status and body.
pub async fn token_request(app: &TestApp, form: &[(&str, &str)]) -> (u16, Value) {
    let response = app
        .client
        .post(format!("{}/oauth/token", app.address))
        .form(form)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    assert_eq!(
        response
            .headers()
            .get("cache-control")
            .map(|v| v.to_str().unwrap()),
        Some("no-store")
    );
    (status, response.json().await.unwrap_or(Value::Null))
}

/// What a connected client holds.
pub struct Connected {
    pub client_id: String,
    pub access: String,
    pub refresh: String,
}

/// Registers `name`, has `session`'s user approve `scope`, and redeems the code.
/// The authorization-code grant with everything a well-behaved client sends.
pub async fn exchange_code(
    app: &TestApp,
    code: &str,
    verifier: &str,
    client_id: &str,
    resource: &str,
) -> (u16, Value) {
    token_request(
        app,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", verifier),
            ("client_id", client_id),
            ("resource", resource),
        ],
    )
    .await
}

pub async fn connect(app: &TestApp, session: &str, name: &str, scope: &str) -> Connected {
    let client_id = register(app, name).await;
    let (verifier, challenge) = pkce();
    let resource = format!("{}/mcp", app.address);
    let id = request_id(
        app,
        &authorize_params(app, &client_id, &challenge, scope, &resource),
    )
    .await;
    let (status, redirect) = answer(app, session, &id, true).await;
    assert_eq!(status, 200, "{redirect}");
    let code = param(redirect["redirect"].as_str().unwrap(), "code").unwrap();
    let (status, tokens) = exchange_code(app, &code, &verifier, &client_id, &resource).await;
    assert_eq!(status, 200, "{tokens}");
    Connected {
        client_id,
        access: tokens["access_token"].as_str().unwrap().to_owned(),
        refresh: tokens["refresh_token"].as_str().unwrap().to_owned(),
    }
}

/// One `tools/call` through `/mcp`: the status, the `WWW-Authenticate` and the body.
pub async fn mcp_call(
    app: &TestApp,
    token: &str,
    name: &str,
    arguments: Value,
) -> (u16, String, Value) {
    let response = app
        .client
        .post(format!("{}/mcp", app.address))
        .header("Accept", "application/json, text/event-stream")
        .header("MCP-Protocol-Version", "2025-11-25")
        .bearer_auth(token)
        .json(&json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                      "params": {"name": name, "arguments": arguments}}))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let challenge = response
        .headers()
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (
        status,
        challenge,
        response.json().await.unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn the_metadata_names_the_endpoints_and_the_resource_names_this_server() {
    let app = spawn_app().await;
    let metadata: Value = app
        .client
        .get(format!(
            "{}/.well-known/oauth-authorization-server",
            app.address
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let base = &app.address;
    assert_eq!(metadata["issuer"], base.as_str());
    for (field, path) in [
        ("authorization_endpoint", "/oauth/authorize"),
        ("token_endpoint", "/oauth/token"),
        ("registration_endpoint", "/oauth/register"),
        ("revocation_endpoint", "/oauth/revoke"),
    ] {
        assert_eq!(metadata[field], format!("{base}{path}"), "{field}");
    }
    assert_eq!(metadata["response_types_supported"], json!(["code"]));
    assert_eq!(
        metadata["grant_types_supported"],
        json!(["authorization_code", "refresh_token"])
    );
    assert_eq!(
        metadata["code_challenge_methods_supported"],
        json!(["S256"])
    );
    assert_eq!(
        metadata["token_endpoint_auth_methods_supported"],
        json!(["none"])
    );
    assert_eq!(
        metadata["scopes_supported"],
        json!(["todos:read", "todos:write"])
    );
    assert_eq!(metadata["client_id_metadata_document_supported"], true);

    let resource: Value = app
        .client
        .get(format!("{base}/.well-known/oauth-protected-resource"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(resource["authorization_servers"], json!([base]));
    assert_eq!(resource["resource"], format!("{base}/mcp"));
}

#[tokio::test]
async fn a_client_signs_in_with_pkce_then_uses_mcp_and_rest_as_the_user() {
    let app = spawn_app().await;
    let session = app.token_for("oauth-flow@example.com").await;
    let client_id = register(&app, "Claude").await;
    let (verifier, challenge) = pkce();
    let resource = format!("{}/mcp", app.address);
    let id = request_id(
        &app,
        &authorize_params(
            &app,
            &client_id,
            &challenge,
            "todos:read todos:write",
            &resource,
        ),
    )
    .await;

    // The consent page reads what is asked, by whom.
    let (status, request) = app
        .api_json(
            Method::GET,
            &format!("/api/oauth/requests/{id}"),
            &session,
            None,
        )
        .await;
    assert_eq!(status, 200, "{request}");
    assert_eq!(request["requestId"], id.as_str());
    assert_eq!(request["client"]["id"], client_id.as_str());
    assert_eq!(request["client"]["name"], "Claude");
    assert_eq!(request["client"]["site"], "127.0.0.1:33418");
    assert_eq!(request["access"], "write");
    assert_eq!(request["redirectUri"], REDIRECT);

    let (status, redirect) = answer(&app, &session, &id, true).await;
    assert_eq!(status, 200, "{redirect}");
    let to = redirect["redirect"].as_str().unwrap();
    assert!(to.starts_with(REDIRECT), "{to}");
    assert_eq!(param(to, "state").as_deref(), Some(STATE));
    assert_eq!(param(to, "iss").as_deref(), Some(app.address.as_str()));
    let code = param(to, "code").unwrap();
    // Answered once.
    assert_eq!(answer(&app, &session, &id, true).await.0, 404);

    let (status, tokens) = exchange_code(&app, &code, &verifier, &client_id, &resource).await;
    assert_eq!(status, 200, "{tokens}");
    let access = tokens["access_token"].as_str().unwrap();
    assert!(access.starts_with("tasko_oat_"), "{tokens}");
    assert!(
        tokens["refresh_token"]
            .as_str()
            .unwrap()
            .starts_with("tasko_ort_")
    );
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 3600);
    assert_eq!(tokens["scope"], "todos:read todos:write");

    // MCP as the user; the change is logged under the client's name.
    let (status, _, added) =
        mcp_call(&app, access, "addTodo", json!({"title": "Water the ferns"})).await;
    assert_eq!(status, 200, "{added}");
    assert_eq!(added["result"]["isError"], false, "{added}");
    let todos: Vec<Value> = app
        .api(Method::GET, "/api/todos", access, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(todos.len(), 1);
    assert_eq!(todos[0]["title"], "Water the ferns");
    let created = app
        .create_todo(access, json!({"title": "Repot the basil"}))
        .await;
    let (_, log) = app
        .api_json(Method::GET, "/api/activity?limit=10", &session, None)
        .await;
    let actors: Vec<&Value> = log["activity"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["actor"])
        .collect();
    assert_eq!(actors.len(), 2, "{log}");
    assert!(
        actors
            .iter()
            .all(|a| **a == json!({"kind": "mcp", "name": "Claude"})),
        "{log}"
    );

    // Connected apps: listed with its last use; tokens cannot manage them.
    let (status, grants) = app
        .api_json(Method::GET, "/api/oauth/grants", &session, None)
        .await;
    assert_eq!(status, 200, "{grants}");
    let grant = &grants["grants"][0];
    assert_eq!(grant["client"]["name"], "Claude");
    assert_eq!(grant["client"]["site"], "127.0.0.1:33418");
    assert_eq!(grant["access"], "write");
    assert!(grant["lastUsedAt"].is_string(), "{grants}");
    assert_eq!(
        app.api_json(Method::GET, "/api/oauth/grants", access, None)
            .await
            .0,
        403
    );

    // Revoked: its tokens stop at once, on REST and MCP alike.
    let path = format!("/api/oauth/grants/{}", grant["id"].as_str().unwrap());
    assert_eq!(
        app.api(Method::DELETE, &path, &session, None)
            .await
            .status(),
        204
    );
    assert_eq!(
        app.api(Method::DELETE, &path, &session, None)
            .await
            .status(),
        404
    );
    let refused = app
        .api(
            Method::GET,
            &format!("/api/todos/{}", created["id"].as_str().unwrap()),
            access,
            None,
        )
        .await;
    assert_eq!(refused.status(), 401);
    assert_eq!(
        refused.headers()["www-authenticate"],
        "Bearer error=\"invalid_token\""
    );
    let (status, challenge, _) = mcp_call(&app, access, "getTodos", json!({})).await;
    assert_eq!(status, 401);
    assert!(challenge.contains("error=\"invalid_token\""), "{challenge}");
    assert!(challenge.contains("resource_metadata="), "{challenge}");
    let (status, error) = token_request(
        &app,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", tokens["refresh_token"].as_str().unwrap()),
            ("client_id", &client_id),
        ],
    )
    .await;
    assert_eq!((status, &error["error"]), (400, &json!("invalid_grant")));
}

#[tokio::test]
async fn a_refresh_rotates_and_a_reused_refresh_token_revokes_the_whole_family() {
    let app = spawn_app().await;
    let session = app.token_for("oauth-refresh@example.com").await;
    let first = connect(&app, &session, "VS Code", "todos:read todos:write").await;
    let refresh = |token: String, client: String| {
        let app = &app;
        async move {
            token_request(
                app,
                &[
                    ("grant_type", "refresh_token"),
                    ("refresh_token", &token),
                    ("client_id", &client),
                ],
            )
            .await
        }
    };
    let (status, second) = refresh(first.refresh.clone(), first.client_id.clone()).await;
    assert_eq!(status, 200, "{second}");
    let second_access = second["access_token"].as_str().unwrap().to_owned();
    let second_refresh = second["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(second_refresh, first.refresh);
    assert_eq!(
        app.api(Method::GET, "/api/todos", &second_access, None)
            .await
            .status(),
        200
    );
    // Another client cannot use it.
    let (status, error) = refresh(second_refresh.clone(), "tc_someone_else".into()).await;
    assert_eq!((status, &error["error"]), (400, &json!("invalid_grant")));

    // The first refresh token again: a leak. The grant and all its tokens go.
    let (status, error) = refresh(first.refresh.clone(), first.client_id.clone()).await;
    assert_eq!(
        (status, &error["error"]),
        (400, &json!("invalid_grant")),
        "{error}"
    );
    for token in [&first.access, &second_access] {
        assert_eq!(
            app.api(Method::GET, "/api/todos", token, None)
                .await
                .status(),
            401
        );
    }
    let (_, grants) = app
        .api_json(Method::GET, "/api/oauth/grants", &session, None)
        .await;
    assert_eq!(grants["grants"], json!([]));
}

#[tokio::test]
async fn revoking_a_token_stops_it_and_revoking_a_refresh_token_ends_the_grant() {
    let app = spawn_app().await;
    let session = app.token_for("oauth-revoke@example.com").await;
    let revoke = |token: String| {
        let app = &app;
        async move {
            app.client
                .post(format!("{}/oauth/revoke", app.address))
                .form(&[
                    ("token", token.as_str()),
                    ("token_type_hint", "access_token"),
                ])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    let one = connect(&app, &session, "Cursor", "todos:read").await;
    assert_eq!(revoke(one.access.clone()).await, 200);
    assert_eq!(
        app.api(Method::GET, "/api/todos", &one.access, None)
            .await
            .status(),
        401
    );
    // Unknown tokens are no error (RFC 7009 §2.2).
    assert_eq!(revoke("tasko_oat_unknown".into()).await, 200);
    assert_eq!(revoke(one.refresh.clone()).await, 200);
    let (_, grants) = app
        .api_json(Method::GET, "/api/oauth/grants", &session, None)
        .await;
    assert_eq!(grants["grants"], json!([]));
}

/// Two instances on one DynamoDB: a grant made through one is honoured by the other, and
/// revoked through the other, its token stops on the first.
#[tokio::test]
async fn a_grant_made_on_one_instance_is_used_and_revoked_on_another() {
    assert!(
        std::env::var("TASKO_TEST_MOTO").is_ok(),
        "needs moto: run through `make unit`"
    );
    let prefix = format!("oa{}_", &uuid::Uuid::new_v4().simple().to_string()[..10]);
    let settings = [
        ("STORE", "dynamodb"),
        ("DYNAMODB_TABLE_PREFIX", prefix.as_str()),
        ("DYNAMODB_CREATE_TABLES", "1"),
        ("PUBLIC_URL", "http://tasko.test"),
    ];
    let a = spawn_app_with(&settings).await;
    let b = spawn_app_with(&settings).await;
    let mut claims = a.good_claims("two-instance-oauth");
    claims["iss"] = json!("http://tasko.test/idp/local_test");
    let session = a.forge(claims);

    let client_id = register(&a, "Claude").await;
    let (verifier, challenge) = pkce();
    let resource = "http://tasko.test/mcp";
    let id = request_id(
        &a,
        &authorize_params(&a, &client_id, &challenge, "todos:write", resource),
    )
    .await;
    // The consent page may be served by the other instance.
    let (status, redirect) = answer(&b, &session, &id, true).await;
    assert_eq!(status, 200, "{redirect}");
    let code = param(redirect["redirect"].as_str().unwrap(), "code").unwrap();
    let (status, tokens) = exchange_code(&a, &code, &verifier, &client_id, resource).await;
    assert_eq!(status, 200, "{tokens}");
    let access = tokens["access_token"].as_str().unwrap();
    let (status, _, added) =
        mcp_call(&b, access, "addTodo", json!({"title": "From A's grant"})).await;
    assert_eq!(status, 200, "{added}");
    assert_eq!(added["result"]["isError"], false, "{added}");

    let (_, grants) = b
        .api_json(Method::GET, "/api/oauth/grants", &session, None)
        .await;
    let path = format!(
        "/api/oauth/grants/{}",
        grants["grants"][0]["id"].as_str().unwrap()
    );
    assert_eq!(
        b.api(Method::DELETE, &path, &session, None).await.status(),
        204
    );
    assert_eq!(
        a.api(Method::GET, "/api/todos", access, None)
            .await
            .status(),
        401
    );
}
