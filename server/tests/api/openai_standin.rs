//! Test support: an in-tree endpoint speaking OpenAI's streaming Chat Completions protocol
//! (`POST /v1/chat/completions`, SSE `data:` lines with `choices[].delta.content`,
//! `delta.tool_calls` fragments carrying index / id / name / pieces of the arguments,
//! `finish_reason`, a final `usage` chunk, then `data: [DONE]`), playing scripted scenarios
//! chosen by the latest user message and by how many tool results follow it. It records
//! every request body, and notices when a client hangs up mid-stream. Also served alone by
//! `cargo run -p server --example openai_standin` (the official `openai` Python client is
//! checked against it, and Playwright drives the seed story through it).

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use axum::{
    Json, Router,
    body::{Body, Bytes},
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
    routing::post,
};
use serde_json::{Value, json};

#[derive(Clone, Default)]
pub struct Recorded {
    pub requests: Arc<Mutex<Vec<Value>>>,
    /// Streams the client dropped before their end (a stopped turn).
    pub hangups: Arc<AtomicUsize>,
}

impl Recorded {
    pub fn requests(&self) -> Vec<Value> {
        self.requests.lock().unwrap().clone()
    }
}

pub struct StandIn {
    pub url: String,
    pub recorded: Recorded,
}

enum Step {
    Data(Value),
    Pause(u64),
    /// Ends the body here: no finish reason, no `[DONE]`.
    Cut,
}

fn text(content: &str) -> Step {
    Step::Data(
        json!({"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1,
        "model": "stand-in",
        "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": null}]}),
    )
}

fn finish(reason: &str) -> Step {
    Step::Data(
        json!({"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1,
        "model": "stand-in", "choices": [{"index": 0, "delta": {}, "finish_reason": reason}]}),
    )
}

fn usage(prompt: u64, completion: u64) -> Step {
    Step::Data(
        json!({"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1,
        "model": "stand-in", "choices": [],
        "usage": {"prompt_tokens": prompt, "completion_tokens": completion,
                  "total_tokens": prompt + completion}}),
    )
}

fn fragment(index: usize, id: Option<&str>, name: Option<&str>, arguments: &str) -> Step {
    let mut call = json!({"index": index, "function": {"arguments": arguments}});
    if let Some(id) = id {
        call["id"] = json!(id);
        call["type"] = json!("function");
    }
    if let Some(name) = name {
        call["function"]["name"] = json!(name);
    }
    Step::Data(
        json!({"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1,
        "model": "stand-in",
        "choices": [{"index": 0, "delta": {"tool_calls": [call]}, "finish_reason": null}]}),
    )
}

/// One whole tool call, its arguments in one fragment.
fn call(index: usize, id: &str, name: &str, arguments: Value) -> Step {
    fragment(index, Some(id), Some(name), &arguments.to_string())
}

/// A reply that is only text, then the end.
fn say(words: &[&str]) -> Vec<Step> {
    let mut steps: Vec<Step> = words.iter().map(|w| text(w)).collect();
    steps.extend([finish("stop"), usage(40, words.len() as u64)]);
    steps
}

/// Tool calls, then the end of the round.
fn calls(steps: Vec<Step>) -> Vec<Step> {
    let mut steps = steps;
    steps.extend([finish("tool_calls"), usage(50, 10)]);
    steps
}

/// The todo ids named in a tool result (`[<uuid>] Title ...`), in order.
fn ids_in(text: &str) -> Vec<String> {
    text.split('[')
        .skip(1)
        .filter_map(|rest| rest.split_once(']'))
        .map(|(id, _)| id.to_owned())
        .filter(|id| id.len() == 36 && id.chars().filter(|c| *c == '-').count() == 4)
        .collect()
}

/// Today, as the system prompt says it ("Today is Thursday, 2026-11-26; ...").
fn today_in(messages: &[Value]) -> jiff::civil::Date {
    let prompt = messages
        .first()
        .and_then(|m| m["content"].as_str())
        .unwrap_or_default();
    prompt
        .split(|c: char| c.is_whitespace() || c == ';' || c == ',' || c == '.')
        .find_map(|word| word.parse::<jiff::civil::Date>().ok())
        .unwrap_or(jiff::civil::date(2026, 11, 26))
}

/// The scripted answer to a request: by the latest user message, and by how many tool
/// results came after it (the round).
fn script(request: &Value) -> Result<Vec<Step>, (StatusCode, Value, Option<&'static str>)> {
    let messages = request["messages"].as_array().cloned().unwrap_or_default();
    let last_user = messages
        .iter()
        .rposition(|m| m["role"] == "user")
        .unwrap_or(0);
    let asked = messages
        .get(last_user)
        .and_then(|m| m["content"].as_str())
        .unwrap_or_default()
        .to_owned();
    let results: Vec<String> = messages[last_user..]
        .iter()
        .filter(|m| m["role"] == "tool")
        .map(|m| m["content"].as_str().unwrap_or_default().to_owned())
        .collect();
    let round = results.len();
    let ids: Vec<String> = results.iter().flat_map(|r| ids_in(r)).collect();
    let first = |what: &str| ids.first().cloned().unwrap_or_else(|| format!("no-{what}"));
    let error = |status, kind: &str, retry| {
        Err((
            status,
            json!({"error": {"message": format!("stand-in: {kind}"), "type": kind}}),
            retry,
        ))
    };
    // The question may carry the attachment note our server adds; match on its first line.
    let question = asked.lines().next().unwrap_or_default();
    Ok(match (question, round) {
        ("stream", _) => vec![
            text("Hello "),
            Step::Pause(300),
            text("from "),
            Step::Pause(300),
            text("your model."),
            finish("stop"),
            usage(21, 4),
        ],
        // One call whose id, name and arguments arrive over five chunks.
        ("add split", 0) => calls(vec![
            fragment(0, Some("call_split"), Some("addTodo"), ""),
            fragment(0, None, None, "{\"ti"),
            fragment(0, None, None, "tle\": \"Water"),
            fragment(0, None, None, " the plants\", \"dateDue\""),
            fragment(0, None, None, ": \"2026-12-01\"}"),
        ]),
        ("add split", _) => say(&["Added ", "it."]),
        // Two calls at once, their fragments interleaved.
        ("add two", 0) => calls(vec![
            fragment(0, Some("call_a"), Some("addTodo"), "{\"title\":"),
            fragment(1, Some("call_b"), Some("addTodo"), "{\"title\":"),
            fragment(1, None, None, " \"Buy oat milk\"}"),
            fragment(0, None, None, " \"Call mom\"}"),
        ]),
        ("add two", _) => say(&["Both ", "added."]),
        // Read first, then act on what was read, then answer: three model calls.
        ("complete the plants", 0) => calls(vec![call(
            0,
            "call_find",
            "getTodos",
            json!({"text": "plants"}),
        )]),
        ("complete the plants", 1) => calls(vec![call(
            0,
            "call_done",
            "completeTodo",
            json!({"todoId": first("plants")}),
        )]),
        ("complete the plants", _) => say(&["Marked ", "it ", "done."]),
        // A search by marks, then the details tool on what it found.
        ("organize the plants", 0) => calls(vec![call(
            0,
            "call_marks",
            "getTodos",
            json!({"text": "@garden p3"}),
        )]),
        ("organize the plants", 1) => calls(vec![call(
            0,
            "call_details",
            "setTodoDetails",
            json!({"todoId": first("plants"), "priority": "1", "labels": "+weekly", "repeat": "every saturday"}),
        )]),
        ("organize the plants", _) => say(&["Organized ", "it."]),
        // A search, then a reminder on what it found.
        ("remind me about the plants", 0) => calls(vec![call(
            0,
            "call_find",
            "getTodos",
            json!({"text": "plants"}),
        )]),
        ("remind me about the plants", 1) => calls(vec![call(
            0,
            "call_remind",
            "setReminders",
            json!({"todoId": first("plants"), "reminders": "+1h before"}),
        )]),
        ("remind me about the plants", _) => say(&["I'll ", "remind ", "you."]),
        // "that one": the todo named in an earlier turn's tool result.
        ("mark that one as not done", 0) => {
            let earlier: Vec<String> = messages[..last_user]
                .iter()
                .filter(|m| m["role"] == "tool")
                .flat_map(|m| ids_in(m["content"].as_str().unwrap_or_default()))
                .collect();
            let id = earlier.last().cloned().unwrap_or_default();
            calls(vec![call(
                0,
                "call_reopen",
                "reopenTodo",
                json!({"todoId": id}),
            )])
        }
        ("mark that one as not done", _) => say(&["Reopened ", "it."]),
        ("delete the one about ansible", 0) => calls(vec![call(
            0,
            "call_find",
            "getTodos",
            json!({"text": "ansible"}),
        )]),
        ("delete the one about ansible", 1) => calls(vec![call(
            0,
            "call_delete",
            "deleteTodo",
            json!({"todoId": first("ansible")}),
        )]),
        ("delete the one about ansible", _) => {
            if results.last().is_some_and(|r| r.contains("cancelled")) {
                say(&["Kept ", "it."])
            } else {
                say(&["Deleted ", "it."])
            }
        }
        // The seed story, as a model would play it (Playwright, through the real UI).
        ("list my todos due this week", 0) => {
            let today = today_in(&messages);
            let week_end = today
                .checked_add(jiff::Span::new().days(6))
                .unwrap_or(today);
            calls(vec![call(
                0,
                "call_week",
                "getTodos",
                json!({"dueFrom": today.to_string(), "dueTo": week_end.to_string()}),
            )])
        }
        ("list my todos due this week", _) => {
            let lines: Vec<String> = results
                .last()
                .map(|r| {
                    r.lines()
                        .filter_map(|l| l.strip_prefix("- [")?.split_once("] "))
                        .map(|(_, rest)| rest.split(',').next().unwrap_or(rest).to_owned())
                        .collect()
                })
                .unwrap_or_default();
            let mut words = vec!["Due this week:\n\n".to_owned()];
            words.extend(lines.iter().map(|t| format!("- **{t}**\n")));
            let words: Vec<&str> = words.iter().map(String::as_str).collect();
            say(&words)
        }
        ("now mark that one as complete", 0) => {
            let earlier: Vec<&str> = messages[..last_user]
                .iter()
                .filter(|m| m["role"] == "tool")
                .filter_map(|m| m["content"].as_str())
                .collect();
            let deleted: Vec<String> = earlier
                .iter()
                .filter(|r| r.starts_with("Deleted"))
                .flat_map(|r| ids_in(r))
                .collect();
            let id = earlier
                .iter()
                .flat_map(|r| ids_in(r))
                .rfind(|id| !deleted.contains(id))
                .unwrap_or_default();
            calls(vec![call(
                0,
                "call_that",
                "completeTodo",
                json!({"todoId": id}),
            )])
        }
        ("now mark that one as complete", _) => say(&["Marked ", "it ", "as ", "complete."]),
        ("attach this to my dentist appointment todo", 0) => calls(vec![call(
            0,
            "call_find",
            "getTodos",
            json!({"text": "dentist"}),
        )]),
        ("attach this to my dentist appointment todo", 1) => {
            let file = asked
                .split("- fileId ")
                .nth(1)
                .and_then(|rest| rest.split(':').next())
                .unwrap_or_default();
            calls(vec![call(
                0,
                "call_attach",
                "addTodoFile",
                json!({"todoId": first("dentist"), "fileId": file}),
            )])
        }
        ("attach this to my dentist appointment todo", _) => {
            if results.last().is_some_and(|r| r.starts_with("Error")) {
                say(&["That ", "did ", "not ", "work."])
            } else {
                say(&["Attached ", "it."])
            }
        }
        // A plan: the overdue todos read, then proposed as one card, three a day, with one
        // item no tool can make and one for the todo id the message names (another user's
        // in the tests): both must be dropped with a note.
        (q, 0) if q.starts_with("sort out my overdue todos") => calls(vec![call(
            0,
            "call_overdue",
            "getTodos",
            json!({"status": "overdue"}),
        )]),
        (q, 1) if q.starts_with("sort out my overdue todos") => {
            let today = today_in(&messages);
            let mut items: Vec<Value> = ids
                .iter()
                .enumerate()
                .map(|(n, id)| {
                    let day = today
                        .checked_add(jiff::Span::new().days((n / 3) as i64))
                        .unwrap_or(today);
                    json!({"tool": "updateTodo", "arguments": {"todoId": id, "dateDue": day.to_string()},
                           "text": format!("Move todo {} to {day}", n + 1)})
                })
                .collect();
            items.push(
                json!({"tool": "archiveTodo", "arguments": {"todoId": first("todo")},
                              "text": "Archive it"}),
            );
            let foreign = ids_in(&format!("[{}]", q.rsplit(' ').next().unwrap_or_default()));
            let foreign = foreign
                .first()
                .cloned()
                .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
            items.push(
                json!({"tool": "completeTodo", "arguments": {"todoId": foreign},
                              "text": "Complete someone else's todo"}),
            );
            calls(vec![call(
                0,
                "call_plan",
                "proposePlan",
                json!({"summary": "Spread your overdue todos, 3 a day", "items": Value::Array(items).to_string()}),
            )])
        }
        (q, _) if q.starts_with("sort out my overdue todos") => say(&[
            "Here ", "is ", "a ", "plan: ", "untick ", "what ", "you ", "don't ", "want.",
        ]),
        ("add broken", 0) => calls(vec![
            call(0, "call_bad", "addTodo", json!("x")).replace_arguments("{\"title\": \"Broken"),
        ]),
        ("add broken", _) => say(&["That ", "did ", "not ", "work."]),
        ("add as someone else", 0) => calls(vec![call(
            0,
            "call_other",
            "addTodo",
            json!({"title": "Not yours", "userId": "victim-sub", "owner": "victim-sub"}),
        )]),
        ("add as someone else", _) => say(&["Added."]),
        ("keep calling", _) => calls(vec![call(
            0,
            &format!("call_{round}"),
            "getTodos",
            json!({}),
        )]),
        ("throttle", _) => return error(StatusCode::TOO_MANY_REQUESTS, "rate_limit", Some("7")),
        ("fail", _) => return error(StatusCode::INTERNAL_SERVER_ERROR, "server_error", None),
        ("unauthorized", _) => return error(StatusCode::UNAUTHORIZED, "invalid_api_key", None),
        ("no such model", _) => return error(StatusCode::NOT_FOUND, "model_not_found", None),
        ("cut", _) => vec![text("Half "), text("an "), Step::Cut],
        ("slow", _) => {
            let mut steps = Vec::new();
            for n in 0..50 {
                steps.push(text(&format!("{n} ")));
                steps.push(Step::Pause(100));
            }
            steps.extend([finish("stop"), usage(5, 50)]);
            steps
        }
        _ => say(&["I ", "only ", "know ", "scripted ", "scenarios."]),
    })
}

trait ReplaceArguments {
    fn replace_arguments(self, raw: &str) -> Step;
}

impl ReplaceArguments for Step {
    /// The same call with arguments that are not JSON (a model's mistake).
    fn replace_arguments(self, raw: &str) -> Step {
        match self {
            Step::Data(mut chunk) => {
                chunk["choices"][0]["delta"]["tool_calls"][0]["function"]["arguments"] = json!(raw);
                Step::Data(chunk)
            }
            other => other,
        }
    }
}

/// Counts a hang-up when the body is dropped before its last step.
struct HangupGuard {
    recorded: Recorded,
    finished: bool,
}

impl HangupGuard {
    fn finish(&mut self) {
        self.finished = true;
    }
}

impl Drop for HangupGuard {
    fn drop(&mut self) {
        if !self.finished {
            self.recorded.hangups.fetch_add(1, Ordering::SeqCst);
        }
    }
}

async fn completions(State(recorded): State<Recorded>, Json(request): Json<Value>) -> Response {
    recorded.requests.lock().unwrap().push(request.clone());
    let steps = match script(&request) {
        Ok(steps) => steps,
        Err((status, body, retry_after)) => {
            let mut response = (status, Json(body)).into_response();
            if let Some(seconds) = retry_after {
                response
                    .headers_mut()
                    .insert("retry-after", seconds.parse().unwrap());
            }
            return response;
        }
    };
    let guard = HangupGuard {
        recorded,
        finished: false,
    };
    let stream = futures_util::stream::unfold(
        (steps.into_iter(), guard, false),
        |(mut steps, mut guard, ended)| async move {
            if ended {
                return None;
            }
            loop {
                match steps.next() {
                    Some(Step::Pause(ms)) => tokio::time::sleep(Duration::from_millis(ms)).await,
                    Some(Step::Data(chunk)) => {
                        let bytes = Bytes::from(format!("data: {chunk}\n\n"));
                        return Some((Ok::<_, std::io::Error>(bytes), (steps, guard, false)));
                    }
                    Some(Step::Cut) => {
                        guard.finish();
                        return None;
                    }
                    None => {
                        guard.finish();
                        let bytes = Bytes::from_static(b"data: [DONE]\n\n");
                        return Some((Ok(bytes), (steps, guard, true)));
                    }
                }
            }
        },
    );
    (
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}

pub fn router(recorded: Recorded) -> Router {
    Router::new()
        .route("/v1/chat/completions", post(completions))
        .with_state(recorded)
}

pub async fn start() -> StandIn {
    let recorded = Recorded::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/v1", listener.local_addr().unwrap());
    let app = router(recorded.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    StandIn { url, recorded }
}
