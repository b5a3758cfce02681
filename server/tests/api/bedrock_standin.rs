//! Test support: an in-tree endpoint speaking the Bedrock Agent Runtime InvokeAgent wire
//! protocol (`application/vnd.amazon.eventstream`), playing scripted scenarios chosen by the
//! request's `inputText` (or, for return-control continuations, its `invocationId`). It
//! records every request body so tests can check what the real SDK client sent.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use aws_smithy_eventstream::frame::write_message_to;
use aws_smithy_types::event_stream::{Header, HeaderValue, Message};
use axum::{
    Router,
    body::{Body, Bytes},
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
    routing::post,
};
use base64::{Engine, engine::general_purpose::STANDARD};
use serde_json::{Value, json};

#[derive(Clone, Default)]
pub struct Recorded(pub Arc<Mutex<Vec<Value>>>);

pub struct StandIn {
    pub url: String,
    pub requests: Recorded,
}

enum Step {
    Frame(Vec<u8>),
    Pause(u64),
}

fn frame(headers: &[(&str, &str)], payload: Value) -> Vec<u8> {
    let mut message = Message::new(payload.to_string().into_bytes());
    for (name, value) in headers {
        message = message.add_header(Header::new(
            name.to_string(),
            HeaderValue::String(value.to_string().into()),
        ));
    }
    let mut bytes = Vec::new();
    write_message_to(&message, &mut bytes).expect("frame encodes");
    bytes
}

fn event(kind: &str, payload: Value) -> Step {
    Step::Frame(frame(
        &[
            (":message-type", "event"),
            (":event-type", kind),
            (":content-type", "application/json"),
        ],
        payload,
    ))
}

fn chunk(text: &str) -> Step {
    event("chunk", json!({"bytes": STANDARD.encode(text)}))
}

fn exception(kind: &str, message: &str) -> Step {
    Step::Frame(frame(
        &[
            (":message-type", "exception"),
            (":exception-type", kind),
            (":content-type", "application/json"),
        ],
        json!({"message": message}),
    ))
}

fn usage_trace(input: i64, output: i64) -> Step {
    event(
        "trace",
        json!({"agentId": "AG1", "agentAliasId": "AL1", "sessionId": "s", "agentVersion": "1",
               "trace": {"orchestrationTrace": {"modelInvocationOutput": {"traceId": "t1",
                   "metadata": {"usage": {"inputTokens": input, "outputTokens": output}}}}}}),
    )
}

fn return_control(invocation_id: &str, calls: &[(&str, Vec<(&str, &str)>)]) -> Step {
    let inputs: Vec<Value> = calls
        .iter()
        .map(|(function, params)| {
            let parameters: Vec<Value> = params
                .iter()
                .map(|(n, v)| json!({"name": n, "type": "string", "value": v}))
                .collect();
            json!({"functionInvocationInput": {"actionGroup": "todos", "function": function,
                   "parameters": parameters, "actionInvocationType": "RESULT"}})
        })
        .collect();
    event(
        "returnControl",
        json!({"invocationId": invocation_id, "invocationInputs": inputs}),
    )
}

/// The scenario for one request.
fn script(request: &Value) -> Result<Vec<Step>, (StatusCode, &'static str)> {
    let continuation = request["sessionState"]["invocationId"]
        .as_str()
        .unwrap_or_default();
    match continuation {
        "inv-1" => {
            return Ok(vec![return_control(
                "inv-2",
                &[("getTodos", vec![("status", "open")])],
            )]);
        }
        "inv-2" => return Ok(vec![chunk("All "), chunk("done.")]),
        "inv-del" => return Ok(vec![chunk("Deleted it.")]),
        "inv-attach" => return Ok(vec![chunk("Attached.")]),
        "inv-prop" => return Ok(vec![chunk("Done.")]),
        _ => {}
    }
    match request["inputText"].as_str().unwrap_or_default() {
        "stream" => Ok(vec![
            usage_trace(12, 3),
            chunk("Hello "),
            Step::Pause(300),
            chunk("from "),
            Step::Pause(300),
            chunk("Bedrock."),
        ]),
        "tools" => Ok(vec![
            chunk("Working on it. "),
            return_control(
                "inv-1",
                &[
                    (
                        "addTodo",
                        vec![("title", "Call the plumber"), ("userID", "someone-else")],
                    ),
                    ("getTodos", vec![("owner", "someone-else")]),
                ],
            ),
        ]),
        // "attach to <todo id>", with the server's note naming the attached file's id.
        text if text.starts_with("attach to ") => {
            let todo = text["attach to ".len()..]
                .lines()
                .next()
                .unwrap_or_default();
            let file = text
                .split("\n- fileId ")
                .nth(1)
                .and_then(|rest| rest.split(':').next())
                .unwrap_or("no-file-named");
            Ok(vec![return_control(
                "inv-attach",
                &[("addTodoFile", vec![("todoId", todo), ("fileId", file)])],
            )])
        }
        // "remove file <todo id> <file id>"
        text if text.starts_with("remove file ") => {
            let mut ids = text["remove file ".len()..].split_whitespace();
            let (todo, file) = (ids.next().unwrap_or(""), ids.next().unwrap_or(""));
            Ok(vec![return_control(
                "inv-del",
                &[("deleteTodoFile", vec![("todoId", todo), ("fileId", file)])],
            )])
        }
        text if text.starts_with("delete ") => Ok(vec![return_control(
            "inv-del",
            &[("deleteTodo", vec![("todoId", &text["delete ".len()..])])],
        )]),
        // Property tests: the text after "echo " comes back in chunks of a few characters.
        text if text.starts_with("echo ") => {
            let chars: Vec<char> = text["echo ".len()..].chars().collect();
            Ok(chars
                .chunks(5)
                .map(|piece| chunk(&piece.iter().collect::<String>()))
                .collect())
        }
        // "call <function>\n<JSON object of string parameters>": any function, any values.
        text if text.starts_with("call ") => {
            let (function, params) = text["call ".len()..]
                .split_once('\n')
                .unwrap_or((&text["call ".len()..], "{}"));
            let params: serde_json::Map<String, Value> =
                serde_json::from_str(params).unwrap_or_default();
            let params: Vec<(&str, &str)> = params
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str().unwrap_or_default()))
                .collect();
            Ok(vec![return_control("inv-prop", &[(function, params)])])
        }
        // "corrupt <n>": a chunk frame with byte n (mod its length) flipped.
        text if text.starts_with("corrupt ") => {
            let n: usize = text["corrupt ".len()..].trim().parse().unwrap_or(0);
            let Step::Frame(mut bytes) = chunk("a frame that arrives damaged") else {
                unreachable!()
            };
            let at = n % bytes.len();
            bytes[at] ^= 0x5a;
            Ok(vec![chunk("Before. "), Step::Frame(bytes), chunk("After.")])
        }
        "throttle" => Ok(vec![
            chunk("Partial "),
            Step::Pause(50),
            exception("throttlingException", "Rate exceeded"),
        ]),
        "cut" => {
            let whole = match chunk("never finished") {
                Step::Frame(bytes) => bytes,
                Step::Pause(_) => unreachable!(),
            };
            Ok(vec![
                chunk("Half "),
                Step::Frame(whole[..whole.len() / 2].to_vec()),
            ])
        }
        "denied" => Err((StatusCode::FORBIDDEN, "AccessDeniedException")),
        _ => Ok(vec![chunk("I only know scripted scenarios.")]),
    }
}

async fn invoke(State(recorded): State<Recorded>, body: Bytes) -> Response {
    let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    recorded.0.lock().unwrap().push(request.clone());
    let steps = match script(&request) {
        Ok(steps) => steps,
        Err((status, kind)) => {
            let body = json!({"message": "denied"}).to_string();
            return (
                status,
                [
                    ("x-amzn-errortype", kind),
                    ("content-type", "application/json"),
                ],
                body,
            )
                .into_response();
        }
    };
    let stream = futures_util::stream::unfold(steps.into_iter(), |mut steps| async move {
        loop {
            match steps.next()? {
                Step::Pause(ms) => tokio::time::sleep(Duration::from_millis(ms)).await,
                Step::Frame(bytes) => {
                    return Some((Ok::<_, std::io::Error>(Bytes::from(bytes)), steps));
                }
            }
        }
    });
    (
        [
            (header::CONTENT_TYPE, "application/vnd.amazon.eventstream"),
            (
                header::HeaderName::from_static("x-amzn-bedrock-agent-content-type"),
                "application/json",
            ),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}

pub async fn start() -> StandIn {
    let recorded = Recorded::default();
    let app = Router::new()
        .route(
            "/agents/{agent}/agentAliases/{alias}/sessions/{session}/text",
            post(invoke),
        )
        .with_state(recorded.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    StandIn {
        url,
        requests: recorded,
    }
}
