//! The action-group Lambda binary against a stand-in of the Lambda Runtime API: it takes an
//! AWS-documented function-schema event from `/invocation/next` and posts the
//! `functionResponse` back, acting only for the session attribute's user.

use std::{
    process::{Command, Stdio},
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    Router,
    body::Bytes,
    extract::{Path, State},
    response::IntoResponse,
    routing::{get, post},
};
use serde_json::{Value, json};
use server::{
    domain::UserId,
    store::{Store, embedded::EmbeddedStore},
    todos::service,
};

#[derive(Clone, Default)]
struct RuntimeApi {
    events: Arc<Mutex<Vec<Value>>>,
    responses: Arc<Mutex<Vec<(String, Value)>>>,
}

async fn next(State(api): State<RuntimeApi>) -> impl IntoResponse {
    let events = api.events.clone();
    crate::lambda_runtime::next_invocation(move || events.lock().unwrap().pop()).await
}

async fn respond(
    State(api): State<RuntimeApi>,
    Path(id): Path<String>,
    body: Bytes,
) -> &'static str {
    api.responses
        .lock()
        .unwrap()
        .push((id, serde_json::from_slice(&body).unwrap_or(Value::Null)));
    "{}"
}

#[tokio::test]
async fn the_lambda_answers_a_function_schema_event_for_the_session_user() {
    let data = tempfile::tempdir().unwrap();
    let alice = UserId::from_verified_sub("lambda-alice");
    let bob = UserId::from_verified_sub("lambda-bob");
    {
        let store = EmbeddedStore::open(data.path()).unwrap();
        let input = |title: &str| app::wire::NewTodo {
            title: title.into(),
            ..Default::default()
        };
        service::create(
            &store as &dyn Store,
            &alice,
            input("Alice's todo"),
            usize::MAX,
            jiff::Timestamp::now(),
        )
        .await
        .unwrap();
        service::create(
            &store as &dyn Store,
            &bob,
            input("Bob's todo"),
            usize::MAX,
            jiff::Timestamp::now(),
        )
        .await
        .unwrap();
    }
    let api = RuntimeApi::default();
    api.events.lock().unwrap().push(json!({
        "messageVersion": "1.0",
        "agent": {"name": "tasko", "id": "AG1", "alias": "AL1", "version": "1"},
        "inputText": "what are my todos",
        "sessionId": "s-1",
        "actionGroup": "todos",
        "function": "getTodos",
        "parameters": [{"name": "userID", "type": "string", "value": "lambda-bob"}],
        "sessionAttributes": {"taskoUserId": "lambda-alice"},
        "promptSessionAttributes": {}
    }));
    let router = Router::new()
        .route("/2018-06-01/runtime/invocation/next", get(next))
        .route(
            "/2018-06-01/runtime/invocation/{id}/response",
            post(respond),
        )
        .with_state(api.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });

    let mut child = Command::new(env!("CARGO_BIN_EXE_tasko-action-group"))
        .env("AWS_LAMBDA_RUNTIME_API", address.to_string())
        .env("AWS_LAMBDA_FUNCTION_NAME", "tasko-action-group")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_LOG_STREAM_NAME", "stream")
        .env("AWS_LAMBDA_LOG_GROUP_NAME", "group")
        .env("DATA_DIR", data.path())
        .env("LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut answer = None;
    for _ in 0..250 {
        if let Some(found) = api.responses.lock().unwrap().first().cloned() {
            answer = Some(found);
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    let (request_id, response) = answer.expect("the Lambda answered");
    assert_eq!(request_id, "req-1");
    assert_eq!(response["messageVersion"], "1.0");
    assert_eq!(response["response"]["function"], "getTodos");
    let body = response["response"]["functionResponse"]["responseBody"]["TEXT"]["body"]
        .as_str()
        .unwrap();
    assert!(body.contains("Alice's todo"), "{body}");
    assert!(
        !body.contains("Bob's todo"),
        "a userID parameter chose the user: {body}"
    );
}
