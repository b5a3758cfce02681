//! AGENT=openai against the in-tree Chat Completions stand-in: streamed text relayed as it
//! arrives, tool calls assembled from fragments (one split over five chunks, two in
//! parallel), further rounds, memory across turns ("that one"), deletes waiting for our
//! confirmation, every upstream failure as the right `error` event, malformed arguments
//! answered back to the model, a model-filled user id ignored, the round limit, and stop
//! hanging up on the model server.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    chat_api::{chat, text_of},
    helpers::{TestApp, free_port, spawn_app_with},
    openai_standin::{self, StandIn},
};

async fn app_with(standin: &StandIn, extra: &[(&str, &str)]) -> TestApp {
    let mut settings = vec![
        ("AGENT", "openai"),
        ("OPENAI_BASE_URL", standin.url.as_str()),
        ("OPENAI_MODEL", "stand-in"),
        ("OPENAI_API_KEY", "sk-test-not-a-real-key"),
    ];
    settings.extend_from_slice(extra);
    spawn_app_with(&settings).await
}

async fn start() -> (StandIn, TestApp, String) {
    let standin = openai_standin::start().await;
    let app = app_with(&standin, &[]).await;
    let token = app.token_for("model-user@example.com").await;
    (standin, app, token)
}

async fn say(app: &TestApp, token: &str, message: &str) -> Vec<(String, Value)> {
    let (status, events) = chat(
        app,
        token,
        json!({"message": message, "timeZone": "Europe/Berlin"}),
    )
    .await;
    assert_eq!(status, 200, "{events:?}");
    events
}

fn last(events: &[(String, Value)]) -> &(String, Value) {
    events.last().expect("events")
}

fn tools(events: &[(String, Value)]) -> Vec<(String, String)> {
    events
        .iter()
        .filter(|(n, _)| n == "tool")
        .map(|(_, d)| {
            (
                d["name"].as_str().unwrap().to_owned(),
                d["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn todos(app: &TestApp, token: &str) -> Vec<Value> {
    app.api(Method::GET, "/api/todos", token, None)
        .await
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn text_is_relayed_as_it_streams_with_the_prompt_tools_and_usage() {
    let (standin, app, token) = start().await;
    let started = Instant::now();
    let mut response = app
        .api(
            Method::POST,
            "/api/chat",
            &token,
            Some(json!({"message": "stream", "timeZone": "Europe/Berlin"})),
        )
        .await;
    let mut body = String::new();
    let mut chunk_times = Vec::new();
    while let Some(bytes) = response.chunk().await.unwrap() {
        let piece = String::from_utf8_lossy(&bytes).into_owned();
        for _ in 0..piece.matches("event: chunk").count() {
            chunk_times.push(started.elapsed());
        }
        body.push_str(&piece);
    }
    let events = crate::chat_api::parse_sse(&body);
    assert_eq!(text_of(&events), "Hello from your model.");
    assert_eq!(chunk_times.len(), 3, "{events:?}");
    assert!(
        chunk_times[2] - chunk_times[0] >= Duration::from_millis(500),
        "chunks were buffered: {chunk_times:?}"
    );
    let (name, done) = last(&events);
    assert_eq!(name, "done");
    assert_eq!(done["usage"]["inputTokens"], 21);
    assert_eq!(done["usage"]["outputTokens"], 4);

    let request = &standin.recorded.requests()[0];
    assert_eq!(request["model"], "stand-in");
    assert_eq!(request["stream"], true);
    assert_eq!(request["stream_options"]["include_usage"], true);
    let tools = request["tools"].as_array().unwrap();
    assert_eq!(tools.len(), server::tools::Tool::ALL.len());
    let add = tools
        .iter()
        .find(|t| t["function"]["name"] == "addTodo")
        .unwrap();
    assert_eq!(add["type"], "function");
    assert_eq!(add["function"]["parameters"]["type"], "object");
    assert_eq!(
        add["function"]["parameters"]["properties"]["title"]["type"],
        "string"
    );
    assert_eq!(add["function"]["parameters"]["required"], json!(["title"]));
    let system = request["messages"][0]["content"].as_str().unwrap();
    assert_eq!(request["messages"][0]["role"], "system");
    let today = jiff::Zoned::now()
        .with_time_zone(jiff::tz::TimeZone::get("Europe/Berlin").unwrap())
        .date()
        .to_string();
    assert!(system.contains(&today), "{system}");
    assert!(system.contains("Europe/Berlin"));
    let sub = app.sub_of(&token).await;
    let whole = request.to_string();
    assert!(!whole.contains(&sub), "the user's id reached the model");
    assert!(
        !whole.contains("model-user@example.com"),
        "the email reached the model"
    );
    assert_eq!(
        request["messages"][1],
        json!({"role": "user", "content": "stream"})
    );
}

#[tokio::test]
async fn a_tool_call_split_over_five_chunks_runs_and_its_result_goes_back() {
    let (standin, app, token) = start().await;
    let events = say(&app, &token, "add split").await;
    assert_eq!(text_of(&events), "Added it.");
    assert_eq!(
        tools(&events),
        [
            ("addTodo".to_owned(), "started".to_owned()),
            ("addTodo".to_owned(), "succeeded".to_owned())
        ]
    );
    assert!(events.iter().any(|(n, _)| n == "todos_changed"));
    let card = events
        .iter()
        .find(|(n, d)| n == "tool" && d["status"] == "succeeded")
        .unwrap();
    assert!(card.1["changeId"].is_string(), "undoable: {card:?}");
    let mine = todos(&app, &token).await;
    assert_eq!(mine[0]["title"], "Water the plants");
    assert_eq!(mine[0]["dateDue"], "2026-12-01");
    let (_, done) = last(&events);
    assert_eq!(done["usage"]["toolCalls"], 1);
    assert_eq!(done["usage"]["inputTokens"], 50 + 40);

    let second = &standin.recorded.requests()[1];
    let messages = second["messages"].as_array().unwrap();
    let n = messages.len();
    assert_eq!(messages[n - 2]["role"], "assistant");
    assert_eq!(messages[n - 2]["tool_calls"][0]["id"], "call_split");
    assert_eq!(
        messages[n - 2]["tool_calls"][0]["function"]["arguments"],
        "{\"title\": \"Water the plants\", \"dateDue\": \"2026-12-01\"}"
    );
    assert_eq!(messages[n - 1]["role"], "tool");
    assert_eq!(messages[n - 1]["tool_call_id"], "call_split");
    assert!(
        messages[n - 1]["content"]
            .as_str()
            .unwrap()
            .contains("Water the plants")
    );
}

#[tokio::test]
async fn two_parallel_calls_both_run_and_both_results_go_back() {
    let (standin, app, token) = start().await;
    let events = say(&app, &token, "add two").await;
    assert_eq!(text_of(&events), "Both added.");
    let mut titles: Vec<String> = todos(&app, &token)
        .await
        .iter()
        .map(|t| t["title"].as_str().unwrap().to_owned())
        .collect();
    titles.sort();
    assert_eq!(titles, ["Buy oat milk", "Call mom"]);
    let second = &standin.recorded.requests()[1];
    let answered: Vec<&str> = second["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["role"] == "tool")
        .map(|m| m["tool_call_id"].as_str().unwrap())
        .collect();
    assert_eq!(answered, ["call_a", "call_b"]);
}

#[tokio::test]
async fn further_rounds_act_on_what_was_read_and_memory_carries_that_one() {
    let (standin, app, token) = start().await;
    app.create_todo(&token, json!({"title": "Water the plants"}))
        .await;
    let events = say(&app, &token, "complete the plants").await;
    assert_eq!(text_of(&events), "Marked it done.");
    assert_eq!(standin.recorded.requests().len(), 3, "three model calls");
    assert_eq!(todos(&app, &token).await[0]["completed"], true);
    // The next turn's request carries the earlier tool results: "that one" works.
    let events = say(&app, &token, "mark that one as not done").await;
    assert_eq!(text_of(&events), "Reopened it.");
    assert_eq!(todos(&app, &token).await[0]["completed"], false);
    let fourth = &standin.recorded.requests()[3];
    let roles: Vec<&str> = fourth["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["role"].as_str().unwrap())
        .collect();
    assert_eq!(
        roles,
        [
            "system",
            "user",
            "assistant",
            "tool",
            "assistant",
            "tool",
            "assistant",
            "user"
        ]
    );
}

#[tokio::test]
async fn the_model_finds_by_marks_sets_details_and_the_card_undoes_them() {
    let (_standin, app, token) = start().await;
    app.create_todo(
        &token,
        json!({"title": "Water the plants", "labels": ["garden"], "priority": 3}),
    )
    .await;
    app.create_todo(&token, json!({"title": "Water the lawn", "priority": 3}))
        .await;
    let events = say(&app, &token, "organize the plants").await;
    assert_eq!(text_of(&events), "Organized it.");
    let plants = |all: Vec<Value>| {
        all.into_iter()
            .find(|t| t["title"] == "Water the plants")
            .unwrap()
    };
    let now = plants(todos(&app, &token).await);
    assert_eq!(now["priority"], 1);
    assert_eq!(now["labels"], json!(["garden", "weekly"]));
    assert!(
        now["repeat"]["rrule"]
            .as_str()
            .unwrap()
            .contains("BYDAY=SA"),
        "{now}"
    );
    let card = events
        .iter()
        .find(|(n, d)| n == "tool" && d["name"] == "setTodoDetails" && d["status"] == "succeeded")
        .expect("the details card");
    let change_id = card.1["changeId"].as_str().expect("undoable").to_owned();
    let undone = app
        .api(
            Method::POST,
            "/api/chat/undo",
            &token,
            Some(json!({ "changeId": change_id })),
        )
        .await;
    assert_eq!(undone.status(), 200);
    let back = plants(todos(&app, &token).await);
    assert_eq!(back["priority"], 3);
    assert_eq!(back["labels"], json!(["garden"]));
    assert!(back["repeat"].is_null(), "{back}");
}

#[tokio::test]
async fn the_model_sets_a_reminder_and_the_card_undoes_it() {
    let (_standin, app, token) = start().await;
    app.create_todo(
        &token,
        json!({"title": "Water the plants", "dateDue": "2026-12-01"}),
    )
    .await;
    let events = say(&app, &token, "remind me about the plants").await;
    assert_eq!(text_of(&events), "I'll remind you.");
    let plants = |all: Vec<Value>| {
        all.into_iter()
            .find(|t| t["title"] == "Water the plants")
            .unwrap()
    };
    assert_eq!(
        plants(todos(&app, &token).await)["reminders"],
        json!([{"beforeMinutes": 60}])
    );
    let card = events
        .iter()
        .find(|(n, d)| n == "tool" && d["name"] == "setReminders" && d["status"] == "succeeded")
        .expect("the reminders card");
    let change_id = card.1["changeId"].as_str().expect("undoable").to_owned();
    let undone = app
        .api(
            Method::POST,
            "/api/chat/undo",
            &token,
            Some(json!({ "changeId": change_id })),
        )
        .await;
    assert_eq!(undone.status(), 200);
    assert_eq!(plants(todos(&app, &token).await)["reminders"], json!([]));
}

#[tokio::test]
async fn a_delete_waits_for_our_confirmation() {
    let (_standin, app, token) = start().await;
    app.create_todo(&token, json!({"title": "Learn ansible"}))
        .await;
    let asked = say(&app, &token, "delete the one about ansible").await;
    let action = asked
        .iter()
        .find(|(n, _)| n == "confirm")
        .map(|(_, d)| d["actionId"].as_str().unwrap().to_owned())
        .expect("a confirm event");
    assert_eq!(last(&asked).0, "done");
    assert_eq!(todos(&app, &token).await.len(), 1, "nothing deleted yet");
    // Cancelled: the model hears so, the todo stays.
    let (_, kept) = chat(
        &app,
        &token,
        json!({"confirm": {"actionId": action, "approve": false}}),
    )
    .await;
    assert_eq!(text_of(&kept), "Kept it.");
    assert_eq!(todos(&app, &token).await.len(), 1);
    // Asked again and confirmed: deleted.
    let asked = say(&app, &token, "delete the one about ansible").await;
    let action = asked
        .iter()
        .find(|(n, _)| n == "confirm")
        .map(|(_, d)| d["actionId"].as_str().unwrap().to_owned())
        .unwrap();
    let (_, deleted) = chat(
        &app,
        &token,
        json!({"confirm": {"actionId": action, "approve": true}}),
    )
    .await;
    assert_eq!(text_of(&deleted), "Deleted it.");
    assert!(
        deleted
            .iter()
            .any(|(n, d)| n == "tool" && d["name"] == "deleteTodo" && d["status"] == "succeeded")
    );
    assert!(todos(&app, &token).await.is_empty());
}

#[tokio::test]
async fn upstream_failures_end_the_turn_with_the_right_error() {
    let (_standin, app, token) = start().await;
    for (message, code, retryable, says) in [
        ("throttle", "throttled", true, "try again in 7 s"),
        ("fail", "upstream_error", true, "failed"),
        ("unauthorized", "model_auth", false, "credentials"),
        ("no such model", "model_not_found", false, "“stand-in”"),
        ("cut", "upstream_cut", true, "cut off"),
    ] {
        let events = say(&app, &token, message).await;
        let (name, error) = last(&events);
        assert_eq!(name, "error", "{message}: {events:?}");
        assert_eq!(error["code"], code, "{message}");
        assert_eq!(error["retryable"], retryable, "{message}");
        assert!(
            error["message"].as_str().unwrap().contains(says),
            "{message}: {error}"
        );
        assert!(!error.to_string().contains("sk-test"), "the key leaked");
    }
    let events = say(&app, &token, "cut").await;
    assert_eq!(text_of(&events), "Half an ", "the partial text was relayed");
}

#[tokio::test]
async fn an_unreachable_model_server_is_a_retryable_error() {
    let standin = StandIn {
        url: format!("http://127.0.0.1:{}/v1", free_port()),
        recorded: Default::default(),
    };
    let app = app_with(&standin, &[]).await;
    let token = app.token_for("nobody-home@example.com").await;
    let events = say(&app, &token, "hello").await;
    let (name, error) = last(&events);
    assert_eq!(name, "error");
    assert_eq!(error["code"], "model_unavailable");
    assert_eq!(error["retryable"], true);
}

#[tokio::test]
async fn malformed_arguments_go_back_to_the_model_as_a_tool_error() {
    let (standin, app, token) = start().await;
    let events = say(&app, &token, "add broken").await;
    assert_eq!(last(&events).0, "done");
    assert_eq!(text_of(&events), "That did not work.");
    assert!(tools(&events).contains(&("addTodo".into(), "failed".into())));
    assert!(todos(&app, &token).await.is_empty());
    let second = &standin.recorded.requests()[1];
    let result = second["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["role"] == "tool")
        .unwrap();
    assert!(
        result["content"]
            .as_str()
            .unwrap()
            .starts_with("Error: The arguments were not valid JSON"),
        "{result}"
    );
}

#[tokio::test]
async fn a_user_id_filled_in_by_the_model_is_ignored() {
    let (_standin, app, token) = start().await;
    say(&app, &token, "add as someone else").await;
    let mine = todos(&app, &token).await;
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["title"], "Not yours");
    let victim = app.token_for("victim@example.com").await;
    assert!(todos(&app, &victim).await.is_empty());
}

#[tokio::test]
async fn the_round_limit_ends_a_turn_with_a_clear_message() {
    let standin = openai_standin::start().await;
    let app = app_with(&standin, &[("OPENAI_MAX_TOOL_ROUNDS", "3")]).await;
    let token = app.token_for("loop@example.com").await;
    let events = say(&app, &token, "keep calling").await;
    let (name, error) = last(&events);
    assert_eq!(name, "error");
    assert_eq!(error["code"], "too_many_rounds");
    assert_eq!(error["retryable"], false);
    assert!(error["message"].as_str().unwrap().contains("3 steps"));
    assert_eq!(standin.recorded.requests().len(), 3);
}

#[tokio::test]
async fn stop_hangs_up_on_the_model_server() {
    let (standin, app, token) = start().await;
    let mut response = app
        .api(
            Method::POST,
            "/api/chat",
            &token,
            Some(json!({"message": "slow"})),
        )
        .await;
    let mut body = String::new();
    while !body.contains("event: chunk") {
        let bytes = response.chunk().await.unwrap().expect("more of the stream");
        body.push_str(&String::from_utf8_lossy(&bytes));
    }
    let stopped = app.api(Method::POST, "/api/chat/stop", &token, None).await;
    assert_eq!(stopped.status(), 200);
    while let Some(bytes) = response.chunk().await.unwrap() {
        body.push_str(&String::from_utf8_lossy(&bytes));
    }
    assert!(body.contains("event: done"), "{body}");
    let deadline = Instant::now() + Duration::from_secs(3);
    while standin
        .recorded
        .hangups
        .load(std::sync::atomic::Ordering::SeqCst)
        == 0
    {
        assert!(
            Instant::now() < deadline,
            "the model's stream was not closed"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// `proposePlan`: the model's items become one plan card; an item no tool can make and one
/// naming another user's todo are dropped with a note, and the rest apply as one change.
#[tokio::test]
async fn a_models_plan_drops_an_invalid_item_and_another_users_todo_with_a_note() {
    let (_standin, app, token) = start().await;
    let other = app.token_for("someone-else@example.com").await;
    let theirs = app
        .create_todo(&other, json!({"title": "Theirs", "dateDue": "2020-01-01"}))
        .await;
    for n in 1..=4 {
        app.create_todo(
            &token,
            json!({"title": format!("Late {n}"), "dateDue": format!("2020-01-0{n}")}),
        )
        .await;
    }
    let asked = format!(
        "sort out my overdue todos {}",
        theirs["id"].as_str().unwrap()
    );
    let events = say(&app, &token, &asked).await;
    assert_eq!(last(&events).0, "done", "{events:?}");
    let card = &events
        .iter()
        .find(|(name, _)| name == "plan")
        .unwrap_or_else(|| panic!("no plan in {events:?}"))
        .1;
    assert_eq!(card["items"].as_array().unwrap().len(), 4, "{card}");
    let notes = card["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 2, "{card}");
    assert!(notes[0].as_str().unwrap().contains("archiveTodo"), "{card}");
    assert!(
        notes[1].as_str().unwrap().contains("no such todo"),
        "{card}"
    );
    // Proposed, not made.
    assert!(
        todos(&app, &token)
            .await
            .iter()
            .all(|t| t["dateDue"].as_str().unwrap() < "2021")
    );
    let apply: Vec<Value> = card["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["itemId"].clone())
        .collect();
    let (status, result) = app
        .api_json(
            Method::POST,
            "/api/chat/plan",
            &token,
            Some(json!({"planId": card["planId"], "apply": apply})),
        )
        .await;
    assert_eq!(status, 200, "{result}");
    assert_eq!(result["applied"].as_array().unwrap().len(), 4, "{result}");
    assert!(
        todos(&app, &token)
            .await
            .iter()
            .all(|t| t["dateDue"].as_str().unwrap() > "2021")
    );
    let (_, mine) = app.api_json(Method::GET, "/api/todos", &other, None).await;
    assert_eq!(mine[0]["dateDue"], "2020-01-01");
    assert_eq!(mine[0]["completed"], false);
}
