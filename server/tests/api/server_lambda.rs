//! The `tasko-server` binary as an AWS Lambda function, against a stand-in of the Lambda
//! Runtime API: a Function URL event for `POST /api/chat` goes in, and the streaming
//! response comes back as Lambda takes it (a JSON prelude, eight NUL bytes, then the SSE
//! bytes), chunk by chunk while the turn runs. State is on AWS stand-ins (DynamoDB and S3 in
//! moto, a Cognito-shaped JWKS served here): the settings Lambda needs.

use std::{
    process::{Command, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use axum::{
    Json, Router,
    body::Body,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::IntoResponse,
    routing::{get, post},
};
use futures_util::StreamExt;
use serde_json::{Value, json};

use crate::helpers::{CLIENT_ID, sign_with_test_key, test_key_pem};

const REGION: &str = "us-east-1";
const POOL: &str = "us-east-1_lambda";

/// Pieces of a streamed body, each with when it arrived.
type Pieces = Arc<Mutex<Vec<(Instant, Vec<u8>)>>>;

#[derive(Clone, Default)]
struct RuntimeApi {
    events: Arc<Mutex<Vec<Value>>>,
    /// The response body's pieces, each with when it arrived.
    pieces: Pieces,
    streaming_mode: Arc<Mutex<Option<String>>>,
    done: Arc<Mutex<bool>>,
    errors: Arc<Mutex<Vec<String>>>,
}

async fn next(State(api): State<RuntimeApi>) -> impl IntoResponse {
    let events = api.events.clone();
    crate::lambda_runtime::next_invocation(move || events.lock().unwrap().pop()).await
}

async fn respond(
    State(api): State<RuntimeApi>,
    Path(_id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> StatusCode {
    *api.streaming_mode.lock().unwrap() = headers
        .get("lambda-runtime-function-response-mode")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut stream = body.into_data_stream();
    while let Some(Ok(bytes)) = stream.next().await {
        api.pieces
            .lock()
            .unwrap()
            .push((Instant::now(), bytes.to_vec()));
    }
    *api.done.lock().unwrap() = true;
    StatusCode::ACCEPTED
}

async fn error(State(api): State<RuntimeApi>, body: String) -> StatusCode {
    api.errors.lock().unwrap().push(body);
    StatusCode::ACCEPTED
}

async fn jwks() -> Json<Value> {
    Json(
        server::idp::SigningKey::from_pem(test_key_pem())
            .unwrap()
            .jwks(),
    )
}

/// A Function URL event (the HTTP API v2 payload) for an authorized JSON POST.
fn function_url_event(method: &str, path: &str, token: &str, body: &Value) -> Value {
    json!({
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {
            "authorization": format!("Bearer {token}"),
            "content-type": "application/json",
            "host": "abc.lambda-url.us-east-1.on.aws",
            "x-forwarded-proto": "https",
        },
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abc",
            "domainName": "abc.lambda-url.us-east-1.on.aws",
            "domainPrefix": "abc",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.7",
                "userAgent": "test"
            },
            "requestId": "req-1",
            "routeKey": "$default",
            "stage": "$default",
            "time": "26/Nov/2026:10:00:00 +0000",
            "timeEpoch": 1795600800000_i64
        },
        "body": body.to_string(),
        "isBase64Encoded": false
    })
}

fn lambda_command(runtime_api: &str, extra: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tasko-server"));
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("AWS_LAMBDA_RUNTIME_API", runtime_api)
        .env("AWS_LAMBDA_FUNCTION_NAME", "tasko")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_LOG_STREAM_NAME", "stream")
        .env("AWS_LAMBDA_LOG_GROUP_NAME", "group")
        .env("LOG", "warn")
        .stdout(Stdio::null());
    for (key, value) in extra {
        command.env(key, value);
    }
    command
}

#[test]
fn on_lambda_state_on_local_disk_is_refused_at_start() {
    let output = lambda_command("127.0.0.1:9", &[])
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    for setting in [
        "STORE=embedded",
        "AUTH=local",
        "FILES=local",
        "VAPID_PRIVATE_KEY_PARAMETER",
    ] {
        assert!(said.contains(setting), "{said}");
    }
}

/// Runs the binary as a Lambda function for one Function URL event, signed in as a Cognito
/// user, with its state on the AWS stand-ins; the pieces of its streamed response.
async fn invoke_once(
    method: &str,
    path: &str,
    body: &Value,
) -> (RuntimeApi, Vec<(Instant, Vec<u8>)>) {
    invoke_once_with_vapid_key(method, path, body, &server::push::vapid::generate_pem()).await
}

/// Puts `pem` into a new SecureString parameter in moto, as `make deploy` does; its name.
async fn vapid_parameter(pem: &str) -> String {
    let config = aws_config::load_from_env().await;
    let ssm = aws_sdk_ssm::Client::new(&config);
    let name = format!("/tasko-test/{}/vapid", uuid::Uuid::new_v4().simple());
    ssm.put_parameter()
        .name(&name)
        .value(pem)
        .r#type(aws_sdk_ssm::types::ParameterType::SecureString)
        .send()
        .await
        .expect("the parameter is created in moto");
    name
}

/// `invoke_once` with the VAPID key the function reads from its SSM parameter at start.
async fn invoke_once_with_vapid_key(
    method: &str,
    path: &str,
    body: &Value,
    vapid_pem: &str,
) -> (RuntimeApi, Vec<(Instant, Vec<u8>)>) {
    let suffix = &uuid::Uuid::new_v4().simple().to_string()[..10];
    invoke(&format!("lam{suffix}_"), vapid_pem, |token| {
        function_url_event(method, path, token, body)
    })
    .await
}

/// Runs the binary as a Lambda function on the tables `prefix` for one event, made by
/// `event_of` from a Cognito user's token; the pieces of its streamed response.
async fn invoke(
    prefix: &str,
    vapid_pem: &str,
    event_of: impl FnOnce(&str) -> Value,
) -> (RuntimeApi, Vec<(Instant, Vec<u8>)>) {
    let Ok(aws) = std::env::var("AWS_ENDPOINT_URL") else {
        panic!("needs moto: run through `make unit`");
    };
    let parameter = vapid_parameter(vapid_pem).await;
    let api = RuntimeApi::default();
    let router = Router::new()
        .route("/2018-06-01/runtime/invocation/next", get(next))
        .route(
            "/2018-06-01/runtime/invocation/{id}/response",
            post(respond),
        )
        .route("/2018-06-01/runtime/invocation/{id}/error", post(error))
        .route("/2018-06-01/runtime/init/error", post(error))
        .route("/jwks.json", get(jwks))
        .with_state(api.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });

    let now = jiff::Timestamp::now().as_second();
    let issuer = format!("https://cognito-idp.{REGION}.amazonaws.com/{POOL}");
    let token = sign_with_test_key(&json!({
        "sub": "lambda-user", "email": "lambda@example.com", "iss": issuer, "aud": CLIENT_ID,
        "token_use": "id", "iat": now, "exp": now + 600,
    }));
    api.events.lock().unwrap().push(event_of(&token));
    let suffix = &uuid::Uuid::new_v4().simple().to_string()[..10];
    let bucket = format!("tasko-lambda-{suffix}");
    let jwks_url = format!("http://{address}/jwks.json");
    let mut child = lambda_command(
        &address.to_string(),
        &[
            ("STORE", "dynamodb"),
            ("DYNAMODB_TABLE_PREFIX", prefix),
            ("DYNAMODB_CREATE_TABLES", "1"),
            ("FILES", "s3"),
            ("FILES_S3_BUCKET", &bucket),
            ("FILES_S3_CREATE_BUCKET", "1"),
            ("AUTH", "cognito"),
            ("COGNITO_REGION", REGION),
            ("COGNITO_USER_POOL_ID", POOL),
            ("COGNITO_CLIENT_ID", CLIENT_ID),
            ("COGNITO_JWKS_URL", &jwks_url),
            ("VAPID_PRIVATE_KEY_PARAMETER", &parameter),
            ("LOCAL_AGENT_CHUNK_DELAY_MS", "100"),
            ("AWS_ENDPOINT_URL", &aws),
            ("AWS_REGION", REGION),
            ("AWS_ACCESS_KEY_ID", "test"),
            ("AWS_SECRET_ACCESS_KEY", "test"),
        ],
    )
    .stderr(Stdio::inherit())
    .spawn()
    .unwrap();
    for _ in 0..500 {
        if *api.done.lock().unwrap() || !api.errors.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(api.errors.lock().unwrap().clone(), Vec::<String>::new());
    assert_eq!(
        api.streaming_mode.lock().unwrap().as_deref(),
        Some("streaming")
    );
    let pieces = api.pieces.lock().unwrap().clone();
    (api, pieces)
}

/// The prelude (status and headers) and the body of a streamed Lambda response.
fn split_streamed(pieces: &[(Instant, Vec<u8>)]) -> (Value, String) {
    let body: Vec<u8> = pieces.iter().flat_map(|(_, p)| p.clone()).collect();
    let separator = body
        .windows(8)
        .position(|w| w == [0u8; 8])
        .expect("a prelude, then eight NUL bytes");
    let prelude = serde_json::from_slice(&body[..separator]).unwrap();
    (
        prelude,
        String::from_utf8_lossy(&body[separator + 8..]).into_owned(),
    )
}

#[tokio::test]
async fn a_chat_streams_through_the_lambda_runtime_chunk_by_chunk() {
    let (api, pieces) = invoke_once(
        "POST",
        "/api/chat",
        &json!({"message": "help", "timeZone": "Europe/Berlin"}),
    )
    .await;
    assert_eq!(
        api.streaming_mode.lock().unwrap().as_deref(),
        Some("streaming")
    );
    let (prelude, sse) = split_streamed(&pieces);
    assert_eq!(prelude["statusCode"], 200, "{prelude}");
    assert!(
        prelude["headers"]["content-type"]
            .as_str()
            .unwrap_or_default()
            .starts_with("text/event-stream"),
        "{prelude}"
    );
    let events = crate::chat_api::parse_sse(&sse);
    let names: Vec<&str> = events.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names.first(), Some(&"session"), "{names:?}");
    assert_eq!(names.last(), Some(&"done"), "{names:?}");
    assert!(
        names.iter().filter(|n| **n == "chunk").count() > 3,
        "{names:?}"
    );
    // Streamed, not buffered: the first chunk reached the runtime API well before the end.
    let first_chunk = pieces
        .iter()
        .find(|(_, p)| String::from_utf8_lossy(p).contains("event: chunk"))
        .map(|(at, _)| *at)
        .expect("a piece with a chunk");
    let last = pieces.last().unwrap().0;
    assert!(
        last.duration_since(first_chunk) >= Duration::from_millis(300),
        "the response arrived in one piece"
    );
}

#[tokio::test]
async fn on_lambda_the_websocket_routes_answer_json_naming_sse() {
    let (_, pieces) = invoke_once("POST", "/api/chat/ticket", &json!({})).await;
    let (prelude, body) = split_streamed(&pieces);
    assert_eq!(prelude["statusCode"], 400, "{prelude}");
    let error: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(error["error"], "invalid_request");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("Server-Sent Events"),
        "{error}"
    );
}

/// The reminder schedule's event (infra/template.yaml's target `Input`) is not an HTTP
/// request: the function sweeps the reminders due in DynamoDB and answers its report.
#[tokio::test]
async fn on_lambda_the_schedules_event_sweeps_due_reminders() {
    assert!(
        std::env::var("TASKO_TEST_MOTO").is_ok(),
        "needs moto: run through `make unit`"
    );
    let suffix = &uuid::Uuid::new_v4().simple().to_string()[..10];
    let prefix = format!("sch{suffix}_");
    let store = server::store::dynamodb::DynamoStore::connect(&prefix).await;
    store.create_tables().await.unwrap();
    let owner = server::domain::UserId::from_verified_sub("lambda-reminded");
    let now = jiff::Timestamp::now();
    let due = now - jiff::SignedDuration::from_mins(1);
    let input = app::wire::NewTodo {
        title: "Due a minute ago".into(),
        reminders: Some(vec![app::wire::Reminder::At(due.to_string())]),
        ..Default::default()
    };
    let created = now - jiff::SignedDuration::from_mins(2);
    server::todos::service::create(&store, &owner, input, 10, created)
        .await
        .unwrap();
    let pem = server::push::vapid::generate_pem();
    let (_, pieces) = invoke(&prefix, &pem, |_| json!({"tasko": "sweep-reminders"})).await;
    let (prelude, body) = split_streamed(&pieces);
    assert_eq!(prelude["statusCode"], 200, "{prelude}");
    let report: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (report["due"].as_u64(), report["sent"].as_u64()),
        (Some(1), Some(1)),
        "{report}"
    );
    let listed = server::store::Store::list_notifications(&store, &owner, 20, now)
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].body["title"], "Due a minute ago");
}

/// On AWS the VAPID key is the one in the SSM parameter (read and decrypted at start), and
/// `GET /api/push/key` publishes its public half.
#[tokio::test]
async fn on_lambda_the_vapid_key_comes_from_its_ssm_parameter() {
    let pem = server::push::vapid::generate_pem();
    let (_, pieces) = invoke_once_with_vapid_key("GET", "/api/push/key", &json!(null), &pem).await;
    let (prelude, body) = split_streamed(&pieces);
    assert_eq!(prelude["statusCode"], 200, "{prelude}");
    let key: Value = serde_json::from_str(&body).unwrap();
    let expected = server::push::vapid::VapidKey::from_pem(&pem).unwrap();
    assert_eq!(key["publicKey"], expected.public_key());
}
