//! Times of day and repeat rules over HTTP: setting a rule in words or as an RRULE (and
//! writing the read object back), the 400s naming their field, completing a repeating todo
//! (REST and the `completeTodo` tool), its completion history, and the user's time zone
//! (`PATCH /api/me`) deciding "today" around the DST nights.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, TestClock, spawn_app_with_clock};

const SECRET: &str = "a-long-enough-action-group-secret";

/// An app whose clock stands at `at`, with the action group on.
async fn app_at(at: &str) -> TestApp {
    spawn_app_with_clock(&[("ACTION_GROUP_SECRET", SECRET)], TestClock::at(at)).await
}

async fn patch(app: &TestApp, token: &str, todo: &Value, body: Value) -> reqwest::Response {
    let id = todo["id"].as_str().unwrap();
    app.api(
        Method::PATCH,
        &format!("/api/todos/{id}"),
        token,
        Some(body),
    )
    .await
}

async fn patched(app: &TestApp, token: &str, todo: &Value, body: Value) -> Value {
    let response = patch(app, token, todo, body).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn get(app: &TestApp, token: &str, todo: &Value) -> Value {
    let id = todo["id"].as_str().unwrap();
    app.api(Method::GET, &format!("/api/todos/{id}"), token, None)
        .await
        .json()
        .await
        .unwrap()
}

async fn set_zone(app: &TestApp, token: &str, zone: &str) {
    let response = app
        .api(
            Method::PATCH,
            "/api/me",
            token,
            Some(json!({"timeZone": zone})),
        )
        .await;
    assert_eq!(response.status(), 200);
}

/// A 400 whose sentence names `field`.
async fn refused(response: reqwest::Response, field: &str) -> String {
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    let message = body["message"].as_str().unwrap().to_owned();
    assert!(message.contains(field), "{message}");
    message
}

#[tokio::test]
async fn a_rule_in_words_or_as_an_rrule_is_kept_and_written_back_unchanged() {
    let app = app_at("2026-12-09T10:00:00Z").await;
    let token = app.token_for("rules@example.com").await;
    let todo = app
        .create_todo(
            &token,
            json!({"title": "Team call", "dateDue": "2026-12-07", "dueTime": "09:30",
                   "repeat": "every monday"}),
        )
        .await;
    assert_eq!(todo["dueTime"], "09:30");
    assert_eq!(
        todo["repeat"],
        json!({"rrule": "RRULE:FREQ=WEEKLY;BYDAY=MO", "text": "every Monday", "afterCompletion": false})
    );
    assert_eq!(todo["completions"], json!([]));

    let rrule = patched(
        &app,
        &token,
        &todo,
        json!({"version": 1, "repeat": "RRULE:FREQ=DAILY;INTERVAL=2"}),
    )
    .await;
    assert_eq!(rrule["repeat"]["text"], "every 2 days");
    assert_eq!(rrule["repeat"]["rrule"], "RRULE:FREQ=DAILY;INTERVAL=2");

    // The object a todo is read with, sent back as it is: the same rule, one version on.
    let back = patched(
        &app,
        &token,
        &todo,
        json!({"version": 2, "repeat": rrule["repeat"], "dueTime": rrule["dueTime"]}),
    )
    .await;
    assert_eq!(back["repeat"], rrule["repeat"]);
    assert_eq!(back["dueTime"], "09:30");
    assert_eq!(back["version"], 3);

    let after = patched(
        &app,
        &token,
        &todo,
        json!({"version": 3, "repeat": {"rrule": "RRULE:FREQ=WEEKLY;INTERVAL=2", "afterCompletion": true}}),
    )
    .await;
    assert_eq!(after["repeat"]["text"], "every 2 weeks after completion");
    assert_eq!(after["repeat"]["afterCompletion"], true);

    let listed: Vec<Value> = app
        .api(Method::GET, "/api/todos", &token, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        listed,
        vec![after.clone()],
        "the list shows the rule and the time"
    );

    let stopped = patched(&app, &token, &todo, json!({"version": 4, "repeat": null})).await;
    assert_eq!(stopped["repeat"], Value::Null);
    assert_eq!(stopped["dateDue"], "2026-12-07", "the date stays");
    assert_eq!(stopped["dueTime"], "09:30");
}

#[tokio::test]
async fn bad_rules_and_times_are_400s_naming_the_field_and_change_nothing() {
    let app = app_at("2026-12-09T10:00:00Z").await;
    let token = app.token_for("bad-rules@example.com").await;
    let todo = app
        .create_todo(
            &token,
            json!({"title": "Gym", "dateDue": "2026-12-07", "repeat": "every weekday"}),
        )
        .await;
    for (body, field) in [
        (json!({"version": 1, "repeat": "every blursday"}), "repeat"),
        (
            json!({"version": 1, "repeat": "RRULE:FREQ=HOURLY"}),
            "repeat",
        ),
        (
            json!({"version": 1, "repeat": "RRULE:FREQ=DAILY;COUNT=5"}),
            "repeat",
        ),
        (json!({"version": 1, "repeat": 7}), "repeat"),
        (
            json!({"version": 1, "repeat": {"rrule": "FREQ=SOMETIMES"}}),
            "repeat",
        ),
        (json!({"version": 1, "dueTime": "9:30"}), "dueTime"),
        (json!({"version": 1, "dueTime": "25:00"}), "dueTime"),
        (json!({"version": 1, "dateDue": null}), "dateDue"),
        (
            json!({"version": 1, "dateDue": null, "repeat": null, "dueTime": "08:00"}),
            "dueTime",
        ),
    ] {
        refused(patch(&app, &token, &todo, body.clone()).await, field).await;
        assert_eq!(
            get(&app, &token, &todo).await,
            todo,
            "{body} changed nothing"
        );
    }
    let message = refused(
        app.api(
            Method::POST,
            "/api/todos",
            &token,
            Some(json!({"title": "Late", "dueTime": "18:00"})),
        )
        .await,
        "dueTime",
    )
    .await;
    assert!(message.contains("needs a due date"), "{message}");
    let todos: Vec<Value> = app
        .api(Method::GET, "/api/todos", &token, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(todos.len(), 1, "nothing was created");
}

#[tokio::test]
async fn a_rule_without_a_date_starts_on_its_first_day_from_today_and_no_date_means_no_time() {
    // Wednesday 2026-12-09.
    let app = app_at("2026-12-09T10:00:00Z").await;
    let token = app.token_for("first@example.com").await;
    let friday = app
        .create_todo(&token, json!({"title": "Review", "repeat": "every friday"}))
        .await;
    assert_eq!(friday["dateDue"], "2026-12-11");
    let monthly = app
        .create_todo(&token, json!({"title": "Rent", "repeat": "monthly"}))
        .await;
    assert_eq!(monthly["dateDue"], "2026-12-09");
    assert_eq!(monthly["repeat"]["text"], "every month on the 9th");
    // A time with a rule and no date (quick add's "yoga every saturday 9am"): the rule's
    // first date carries it.
    let yoga = app
        .create_todo(
            &token,
            json!({"title": "Yoga", "repeat": "every saturday", "dueTime": "09:00"}),
        )
        .await;
    assert_eq!(
        (yoga["dateDue"].as_str(), yoga["dueTime"].as_str()),
        (Some("2026-12-12"), Some("09:00"))
    );

    let timed = app
        .create_todo(
            &token,
            json!({"title": "Call", "dateDue": "2026-12-10", "dueTime": "17:00"}),
        )
        .await;
    let undated = patched(&app, &token, &timed, json!({"version": 1, "dateDue": null})).await;
    assert_eq!(
        undated["dueTime"],
        Value::Null,
        "clearing the date clears the time"
    );
    let dated = patched(
        &app,
        &token,
        &timed,
        json!({"version": 2, "repeat": "every 2 weeks on monday"}),
    )
    .await;
    assert_eq!(
        dated["dateDue"], "2026-12-14",
        "the rule's first date from today"
    );
}

#[tokio::test]
async fn completing_a_repeating_todo_moves_it_on_and_records_the_day() {
    let app = app_at("2026-12-09T10:00:00Z").await;
    let token = app.token_for("complete@example.com").await;
    let todo = app
        .create_todo(
            &token,
            json!({"title": "Bins out", "dateDue": "2026-12-07", "dueTime": "07:00",
                   "repeat": "every monday",
                   "subtasks": [{"title": "Paper", "done": true}, {"title": "Glass"}]}),
        )
        .await;
    let once = patched(
        &app,
        &token,
        &todo,
        json!({"version": 1, "completed": true}),
    )
    .await;
    assert_eq!(once["completed"], false, "a repeating todo stays open");
    assert_eq!(
        once["dateDue"], "2026-12-14",
        "the Monday after the due date"
    );
    assert_eq!(once["dueTime"], "07:00");
    assert_eq!(once["completions"], json!(["2026-12-09"]));
    assert_eq!(once["version"], 2);
    assert_eq!(
        once["subtasks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["done"].clone())
            .collect::<Vec<_>>(),
        [json!(false), json!(false)],
        "the next occurrence starts with every step to do"
    );

    app.clock.advance(6 * 86_400);
    let token = app.sign_in_again("complete@example.com").await;
    let twice = patched(
        &app,
        &token,
        &todo,
        json!({"version": 2, "completed": true}),
    )
    .await;
    assert_eq!(twice["dateDue"], "2026-12-21");
    assert_eq!(twice["completions"], json!(["2026-12-09", "2026-12-15"]));

    // Stopping the rule in the same change completes it for good.
    let done = patched(
        &app,
        &token,
        &todo,
        json!({"version": 3, "repeat": null, "completed": true}),
    )
    .await;
    assert_eq!(done["completed"], true);
    assert_eq!(done["dateDue"], "2026-12-21");
    assert_eq!(done["completions"], json!(["2026-12-09", "2026-12-15"]));
}

#[tokio::test]
async fn the_complete_todo_tool_moves_a_repeating_todo_too() {
    let app = app_at("2026-12-09T10:00:00Z").await;
    let token = app.token_for("tool@example.com").await;
    let sub = app.sub_of(&token).await;
    let todo = app
        .create_todo(
            &token,
            json!({"title": "Stretch", "dateDue": "2026-12-09", "repeat": "daily"}),
        )
        .await;
    let event = json!({
        "messageVersion": "1.0",
        "agent": {"name": "tasko", "id": "AGENT123", "alias": "TSTALIASID", "version": "DRAFT"},
        "inputText": "done with stretching",
        "sessionId": "session-1",
        "actionGroup": "todos",
        "function": "completeTodo",
        "parameters": [{"name": "todoId", "type": "string", "value": todo["id"]}],
        "sessionAttributes": {"taskoUserId": sub, "taskoToday": "2026-12-09"},
        "promptSessionAttributes": {}
    });
    let response = app
        .client
        .post(format!("{}/action-group", app.address))
        .header("x-tasko-action-group-secret", SECRET)
        .json(&event)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let now = get(&app, &token, &todo).await;
    assert_eq!(now["completed"], false);
    assert_eq!(now["dateDue"], "2026-12-10");
    assert_eq!(now["completions"], json!(["2026-12-09"]));
}

#[tokio::test]
async fn the_completion_history_keeps_the_last_fifty_days() {
    let app = app_at("2026-01-01T12:00:00Z").await;
    let token = app.token_for("history@example.com").await;
    let todo = app
        .create_todo(
            &token,
            json!({"title": "Journal", "dateDue": "2026-01-01", "repeat": "daily"}),
        )
        .await;
    let mut token = token;
    for version in 1..=55 {
        patched(
            &app,
            &token,
            &todo,
            json!({"version": version, "completed": true}),
        )
        .await;
        app.clock.advance(86_400);
        // The ID token lives an hour of the app's clock.
        token = app.sign_in_again("history@example.com").await;
    }
    let now = get(&app, &token, &todo).await;
    let days = now["completions"].as_array().unwrap();
    assert_eq!(days.len(), 50);
    assert_eq!(days[0], "2026-01-06", "the oldest five were let go");
    assert_eq!(days[49], "2026-02-24");
    assert_eq!(now["dateDue"], "2026-02-25");
}

#[tokio::test]
async fn after_completion_counts_from_today_in_the_users_zone_over_the_dst_nights() {
    // 23:30 UTC on 2026-03-28 is already 00:30 on the 29th in Berlin (CET), the night the
    // clocks go forward; 22:30 UTC on 2026-10-24 is 00:30 on the 25th (CEST), the night they
    // go back.
    for (at, due, expected_day, expected_due) in [
        (
            "2026-03-28T23:30:00Z",
            "2026-03-20",
            "2026-03-29",
            "2026-04-01",
        ),
        (
            "2026-10-24T22:30:00Z",
            "2026-10-20",
            "2026-10-25",
            "2026-10-28",
        ),
    ] {
        let app = app_at(at).await;
        let token = app.token_for("dst@example.com").await;
        let utc = app
            .create_todo(
                &token,
                json!({"title": "Plants", "dateDue": due, "dueTime": "02:30",
                       "repeat": "every 3 days after completion"}),
            )
            .await;
        // Without a zone, today is the UTC day (one day earlier).
        let in_utc = patched(&app, &token, &utc, json!({"version": 1, "completed": true})).await;
        assert_ne!(in_utc["completions"], json!([expected_day]), "{at}");

        set_zone(&app, &token, "Europe/Berlin").await;
        let berlin = app
            .create_todo(
                &token,
                json!({"title": "Plants", "dateDue": due, "dueTime": "02:30",
                       "repeat": "every 3 days after completion"}),
            )
            .await;
        let moved = patched(
            &app,
            &token,
            &berlin,
            json!({"version": 1, "completed": true}),
        )
        .await;
        assert_eq!(moved["completions"], json!([expected_day]), "{at}");
        assert_eq!(moved["dateDue"], expected_due, "{at}");
        assert_eq!(
            moved["dueTime"], "02:30",
            "a wall-clock time, kept over the DST change"
        );
    }
}

#[tokio::test]
async fn a_daily_rule_with_a_time_steps_over_the_spring_forward_night() {
    let app = app_at("2026-03-28T08:00:00Z").await;
    let token = app.token_for("spring@example.com").await;
    set_zone(&app, &token, "Europe/Berlin").await;
    // 02:30 does not exist in Berlin on 2026-03-29: the todo still comes back that day at
    // "02:30" (the browser shows the wall-clock time; the day is what the rule decides).
    let todo = app
        .create_todo(
            &token,
            json!({"title": "Meds", "dateDue": "2026-03-28", "dueTime": "02:30", "repeat": "daily"}),
        )
        .await;
    let next = patched(
        &app,
        &token,
        &todo,
        json!({"version": 1, "completed": true}),
    )
    .await;
    assert_eq!(next["dateDue"], "2026-03-29");
    assert_eq!(next["dueTime"], "02:30");
}

#[tokio::test]
async fn a_restored_todo_has_its_rule_time_and_history_back() {
    let app = app_at("2026-12-09T10:00:00Z").await;
    let token = app.token_for("restore-rule@example.com").await;
    let todo = app
        .create_todo(
            &token,
            json!({"title": "Backup", "dateDue": "2026-12-09", "dueTime": "22:00", "repeat": "every weekday"}),
        )
        .await;
    let done = patched(
        &app,
        &token,
        &todo,
        json!({"version": 1, "completed": true}),
    )
    .await;
    let id = todo["id"].as_str().unwrap();
    let deleted = app
        .api(Method::DELETE, &format!("/api/todos/{id}"), &token, None)
        .await;
    assert_eq!(deleted.status(), 204);
    let restored: Value = app
        .api(
            Method::POST,
            &format!("/api/todos/{id}/restore"),
            &token,
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    for field in ["repeat", "dueTime", "completions", "dateDue"] {
        assert_eq!(restored[field], done[field], "{field}");
    }
}

#[tokio::test]
async fn the_users_time_zone_is_set_with_patch_me_and_read_with_get_me() {
    let app = app_at("2026-12-09T10:00:00Z").await;
    let token = app.token_for("zone@example.com").await;
    let me: Value = app
        .api(Method::GET, "/api/me", &token, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["timeZone"], Value::Null);
    let set = app
        .api(
            Method::PATCH,
            "/api/me",
            &token,
            Some(json!({"timeZone": "America/New_York"})),
        )
        .await;
    assert_eq!(set.status(), 200);
    let set: Value = set.json().await.unwrap();
    assert_eq!(set["timeZone"], "America/New_York");
    assert_eq!(set["email"], "zone@example.com");
    for body in [
        json!({"timeZone": "Mars/Olympus_Mons"}),
        json!({"timeZone": 5}),
        json!({}),
        json!({"timeZone": "UTC", "sub": "someone-else"}),
    ] {
        let response = app.api(Method::PATCH, "/api/me", &token, Some(body)).await;
        refused(response, "timeZone").await;
    }
    let me: Value = app
        .api(Method::GET, "/api/me", &token, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        me["timeZone"], "America/New_York",
        "the refused ones changed nothing"
    );
    let other = app.token_for("zone-other@example.com").await;
    let theirs: Value = app
        .api(Method::GET, "/api/me", &other, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["timeZone"], Value::Null);
}
