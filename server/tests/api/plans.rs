//! Plan cards: the LocalAgent proposes many changes as one `plan` event; `POST /api/chat/plan`
//! applies the chosen items (with edited dates) as one change, refusing alone an item whose
//! todo changed since; the set is undone as one (`/api/chat/undo`, "undo that",
//! `/api/activity/undo`), or not at all with a 409 naming what changed. Another user's plan
//! is a 404, a second answer a 409, a late one a 410.

use std::collections::BTreeMap;

use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    chat_api::{say, text_of},
    chat_undo::undo,
    helpers::TestApp,
    todo_restore::app_on,
};

/// Eight overdue todos, due 2020-01-01 .. 2020-01-08, priorities 4 except the last two (1).
async fn eight_overdue(app: &TestApp, token: &str) -> Vec<Value> {
    let mut made = Vec::new();
    for n in 1..=8 {
        let priority = if n >= 7 { 1 } else { 4 };
        made.push(
            app.create_todo(
                token,
                json!({"title": format!("Late {n}"), "dateDue": format!("2020-01-0{n}"),
                       "priority": priority}),
            )
            .await,
        );
    }
    made
}

async fn todos(app: &TestApp, token: &str) -> BTreeMap<String, Value> {
    let (status, list) = app.api_json(Method::GET, "/api/todos", token, None).await;
    assert_eq!(status, 200);
    list.as_array()
        .unwrap()
        .iter()
        .map(|t| (t["title"].as_str().unwrap().to_owned(), t.clone()))
        .collect()
}

fn due_of(todos: &BTreeMap<String, Value>, title: &str) -> String {
    todos[title]["dateDue"].as_str().unwrap_or("").to_owned()
}

/// The one `plan` event of a turn.
fn card_of(events: &[(String, Value)]) -> Value {
    let cards: Vec<&Value> = events
        .iter()
        .filter(|(name, _)| name == "plan")
        .map(|(_, data)| data)
        .collect();
    assert_eq!(cards.len(), 1, "{events:?}");
    cards[0].clone()
}

fn item_ids(card: &Value) -> Vec<String> {
    card["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["itemId"].as_str().unwrap().to_owned())
        .collect()
}

/// The item that moves the todo titled `title`.
fn item_for(card: &Value, title: &str) -> String {
    card["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["text"].as_str().unwrap().contains(&format!("*{title}*")))
        .map(|i| i["itemId"].as_str().unwrap().to_owned())
        .unwrap_or_else(|| panic!("no item for {title} in {card}"))
}

async fn answer(app: &TestApp, token: &str, body: Value) -> (u16, Value) {
    app.api_json(Method::POST, "/api/chat/plan", token, Some(body))
        .await
}

async fn apply_some_and_undo(store: &str) {
    let app = app_on(store, "600").await;
    let token = app.token_for("plans@example.com").await;
    eight_overdue(&app, &token).await;
    let before = todos(&app, &token).await;

    let events = say(&app, &token, "sort out my overdue todos").await;
    let card = card_of(&events);
    assert!(
        text_of(&events).contains("at most 3 a day"),
        "{}",
        text_of(&events)
    );
    assert_eq!(item_ids(&card).len(), 8, "{card}");
    // Nothing changed before the answer.
    assert_eq!(todos(&app, &token).await, before);
    // The most urgent (priority 1) come first.
    assert!(
        card["items"][0]["text"]
            .as_str()
            .unwrap()
            .contains("*Late 7*"),
        "{card}"
    );
    assert_eq!(card["items"][0]["tool"], "updateTodo");

    // Untick two, move one to another day.
    let skipped = [item_for(&card, "Late 1"), item_for(&card, "Late 2")];
    let edited = item_for(&card, "Late 3");
    let chosen: Vec<String> = item_ids(&card)
        .into_iter()
        .filter(|id| !skipped.contains(id))
        .collect();
    let (status, result) = answer(
        &app,
        &token,
        json!({"planId": card["planId"], "apply": chosen,
               "edits": {edited.clone(): {"dateDue": "2031-05-04"}}}),
    )
    .await;
    assert_eq!(status, 200, "{result}");
    assert_eq!(result["applied"].as_array().unwrap().len(), 6, "{result}");
    assert_eq!(result["refused"], json!([]));
    let change_id = result["changeId"].as_str().unwrap().to_owned();

    let after = todos(&app, &token).await;
    assert_eq!(due_of(&after, "Late 1"), "2020-01-01");
    assert_eq!(due_of(&after, "Late 2"), "2020-01-02");
    assert_eq!(due_of(&after, "Late 3"), "2031-05-04");
    // The rest spread from today, at most three a day.
    let mut per_day: BTreeMap<String, usize> = BTreeMap::new();
    for n in [4, 5, 6, 7, 8] {
        let due = due_of(&after, &format!("Late {n}"));
        assert!(due.as_str() > "2026-01-01", "Late {n}: {due}");
        *per_day.entry(due).or_default() += 1;
    }
    assert!(per_day.values().all(|n| *n <= 3), "{per_day:?}");

    // The history shows the card with its answer.
    let (_, history) = app
        .api_json(Method::GET, "/api/chat/history", &token, None)
        .await;
    let shown = history["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|m| m.get("plan"))
        .unwrap_or_else(|| panic!("no card in {history}"));
    assert_eq!(shown["result"]["changeId"], change_id.as_str());

    // Undo of the set: every part back, answered with the todos as they are again.
    let (status, undone) = undo(&app, &token, &change_id).await;
    assert_eq!(status, 200, "{undone}");
    assert_eq!(undone["todos"].as_array().unwrap().len(), 6, "{undone}");
    let again = todos(&app, &token).await;
    for n in 1..=8 {
        let title = format!("Late {n}");
        assert_eq!(due_of(&again, &title), due_of(&before, &title), "{title}");
    }
    let (_, history) = app
        .api_json(Method::GET, "/api/chat/history", &token, None)
        .await;
    let shown = history["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|m| m.get("plan"))
        .unwrap();
    assert_eq!(shown["result"]["undone"], true, "{shown}");
    assert_eq!(undo(&app, &token, &change_id).await.0, 409);
}

#[tokio::test]
async fn a_plan_applies_the_chosen_items_with_edited_dates_and_undoes_as_one_embedded() {
    apply_some_and_undo("embedded").await;
}

#[tokio::test]
async fn a_plan_applies_the_chosen_items_with_edited_dates_and_undoes_as_one_dynamodb() {
    apply_some_and_undo("dynamodb").await;
}

#[tokio::test]
async fn a_todo_changed_since_the_proposal_is_refused_alone() {
    let app = app_on("embedded", "600").await;
    let token = app.token_for("stale@example.com").await;
    let made = eight_overdue(&app, &token).await;
    let card = card_of(&say(&app, &token, "spread my overdue tasks, at most 2 a day").await);
    assert!(
        card["summary"]
            .as_str()
            .unwrap()
            .contains("at most 2 a day"),
        "{card}"
    );
    let late5 = &made[4];
    let patched = app
        .api(
            Method::PATCH,
            &format!("/api/todos/{}", late5["id"].as_str().unwrap()),
            &token,
            Some(json!({"title": "Late 5 renamed", "version": late5["version"]})),
        )
        .await;
    assert_eq!(patched.status(), 200);
    let stale = item_for(&card, "Late 5");
    let (status, result) = answer(
        &app,
        &token,
        json!({"planId": card["planId"], "apply": item_ids(&card)}),
    )
    .await;
    assert_eq!(status, 200, "{result}");
    assert_eq!(result["applied"].as_array().unwrap().len(), 7, "{result}");
    assert_eq!(result["refused"][0]["itemId"], stale.as_str());
    let reason = result["refused"][0]["reason"].as_str().unwrap();
    assert!(reason.contains("changed since"), "{reason}");
    let after = todos(&app, &token).await;
    assert_eq!(due_of(&after, "Late 5 renamed"), "2020-01-05");
    let mut per_day: BTreeMap<String, usize> = BTreeMap::new();
    for (title, todo) in &after {
        if title != "Late 5 renamed" {
            *per_day
                .entry(todo["dateDue"].as_str().unwrap().into())
                .or_default() += 1;
        }
    }
    assert!(per_day.values().all(|n| *n <= 2), "{per_day:?}");
}

#[tokio::test]
async fn a_plan_is_answered_once_by_its_owner_before_its_deadline() {
    let app = app_on("embedded", "600").await;
    let token = app.token_for("owner@example.com").await;
    let other = app.token_for("other@example.com").await;
    eight_overdue(&app, &token).await;
    let card = card_of(&say(&app, &token, "sort out my overdue todos").await);
    let all = json!({"planId": card["planId"], "apply": item_ids(&card)});

    // Another user's plan is no plan at all, and nothing changes.
    let (status, body) = answer(&app, &other, all.clone()).await;
    assert_eq!(status, 404, "{body}");
    // Bad input: an item the plan does not have, a date that is not one, an unknown field.
    for bad in [
        json!({"planId": card["planId"], "apply": ["i99"]}),
        json!({"planId": card["planId"], "apply": ["i1"], "edits": {"i1": {"dateDue": "soon"}}}),
        json!({"planId": card["planId"], "apply": ["i1"], "edits": {"i2": {"dateDue": "2031-01-01"}}}),
        json!({"planId": card["planId"], "apply": ["i1", "i1"]}),
        json!({"planId": card["planId"], "apply": [], "owner": "x"}),
        json!({"planId": "nope", "apply": []}),
    ] {
        let (status, body) = answer(&app, &token, bad.clone()).await;
        assert_eq!(status, 400, "{bad} -> {body}");
    }
    let untouched = todos(&app, &token).await;
    assert!(
        untouched
            .values()
            .all(|t| t["dateDue"].as_str().unwrap() < "2021")
    );

    let (status, result) = answer(&app, &token, all.clone()).await;
    assert_eq!(status, 200, "{result}");
    let (status, body) = answer(&app, &token, all.clone()).await;
    assert_eq!(status, 409, "{body}");

    // A discarded plan changes nothing and cannot be applied after.
    app.create_todo(&token, json!({"title": "Extra", "dateDue": "2020-02-01"}))
        .await;
    let card = card_of(&say(&app, &token, "sort out my overdue todos").await);
    assert_eq!(item_ids(&card).len(), 1, "{card}");
    let (status, body) = answer(&app, &token, json!({"planId": card["planId"], "apply": []})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["changeId"], Value::Null);
    let (status, _) = answer(
        &app,
        &token,
        json!({"planId": card["planId"], "apply": item_ids(&card)}),
    )
    .await;
    assert_eq!(status, 409);

    // After its deadline: 410, with a sentence, and nothing changes.
    let card = card_of(&say(&app, &token, "sort out my overdue todos").await);
    let before = todos(&app, &token).await;
    app.clock.advance(31 * 60);
    let (status, body) = answer(
        &app,
        &token,
        json!({"planId": card["planId"], "apply": item_ids(&card)}),
    )
    .await;
    assert_eq!(status, 410, "{body}");
    assert_eq!(body["error"], "expired");
    assert!(
        body["message"].as_str().unwrap().contains("expired"),
        "{body}"
    );
    assert_eq!(todos(&app, &token).await, before);
}

#[tokio::test]
async fn undoing_a_set_is_all_or_nothing_from_the_chat_and_the_activity_log() {
    let app = app_on("embedded", "600").await;
    let token = app.token_for("undo-set@example.com").await;
    let made = eight_overdue(&app, &token).await;
    let before = todos(&app, &token).await;
    let card = card_of(&say(&app, &token, "sort out my overdue todos").await);
    let (_, result) = answer(
        &app,
        &token,
        json!({"planId": card["planId"], "apply": item_ids(&card)}),
    )
    .await;
    let change_id = result["changeId"].as_str().unwrap().to_owned();

    // Edited by hand since: the undo is refused, names the todo, and changes nothing.
    let moved = todos(&app, &token).await;
    let late2 = &moved["Late 2"];
    let patched = app
        .api(
            Method::PATCH,
            &format!("/api/todos/{}", made[1]["id"].as_str().unwrap()),
            &token,
            Some(json!({"title": "Late 2 by hand", "version": late2["version"]})),
        )
        .await;
    assert_eq!(patched.status(), 200);
    let (status, body) = undo(&app, &token, &change_id).await;
    assert_eq!(status, 409, "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("Late 2 by hand"),
        "{body}"
    );
    let still = todos(&app, &token).await;
    assert_eq!(due_of(&still, "Late 1"), due_of(&moved, "Late 1"));

    // The activity log shows the plan as one line, not undoable now.
    let (_, page) = app
        .api_json(Method::GET, "/api/activity", &token, None)
        .await;
    let line = &page["activity"][0];
    assert!(
        line["summary"].as_str().unwrap().starts_with("Plan:"),
        "{page}"
    );
    assert_eq!(line["undoable"], false);

    // Put the title back by hand: now "undo that" in the chat takes back the whole set.
    let now = &todos(&app, &token).await["Late 2 by hand"];
    app.api(
        Method::PATCH,
        &format!("/api/todos/{}", made[1]["id"].as_str().unwrap()),
        &token,
        Some(json!({"title": "Late 2", "version": now["version"]})),
    )
    .await;
    let (_, page) = app
        .api_json(Method::GET, "/api/activity", &token, None)
        .await;
    assert_eq!(page["activity"][0]["undoable"], true, "{page}");
    let reply = say(&app, &token, "undo that").await;
    assert!(text_of(&reply).contains("Undone"), "{}", text_of(&reply));
    let back = todos(&app, &token).await;
    for n in 1..=8 {
        let title = format!("Late {n}");
        assert_eq!(due_of(&back, &title), due_of(&before, &title), "{title}");
    }

    // A second plan, undone from the activity log.
    let card = card_of(&say(&app, &token, "sort out my overdue todos").await);
    let (_, result) = answer(
        &app,
        &token,
        json!({"planId": card["planId"], "apply": item_ids(&card)}),
    )
    .await;
    let (status, body) = app
        .api_json(
            Method::POST,
            "/api/activity/undo",
            &token,
            Some(json!({"changeId": result["changeId"]})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["todos"].as_array().unwrap().len(), 8);
}

#[tokio::test]
async fn clearing_completed_todos_and_adding_dictated_steps_are_plans_too() {
    let app = app_on("embedded", "600").await;
    let token = app.token_for("steps@example.com").await;
    let done = app.create_todo(&token, json!({"title": "Old thing"})).await;
    app.api(
        Method::PATCH,
        &format!("/api/todos/{}", done["id"].as_str().unwrap()),
        &token,
        Some(json!({"completed": true, "version": done["version"]})),
    )
    .await;
    app.create_todo(&token, json!({"title": "Kitchen renovation"}))
        .await;

    // Deletes in a plan need no second confirmation: the card is the consent.
    let card = card_of(&say(&app, &token, "clean up what I finished").await);
    assert_eq!(card["items"][0]["tool"], "deleteTodo");
    let (status, _) = answer(
        &app,
        &token,
        json!({"planId": card["planId"], "apply": item_ids(&card)}),
    )
    .await;
    assert_eq!(status, 200);
    assert!(!todos(&app, &token).await.contains_key("Old thing"));

    let card = card_of(
        &say(
            &app,
            &token,
            "break the kitchen renovation into steps: demolish, order cabinets, paint",
        )
        .await,
    );
    assert_eq!(item_ids(&card).len(), 3, "{card}");
    let (status, result) = answer(
        &app,
        &token,
        json!({"planId": card["planId"], "apply": item_ids(&card)}),
    )
    .await;
    assert_eq!(status, 200, "{result}");
    assert_eq!(result["applied"].as_array().unwrap().len(), 3, "{result}");
    let kitchen = &todos(&app, &token).await["Kitchen renovation"];
    let steps: Vec<&str> = kitchen["subtasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["demolish", "order cabinets", "paint"]);
    let (status, _) = undo(&app, &token, result["changeId"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    let kitchen = &todos(&app, &token).await["Kitchen renovation"];
    assert_eq!(kitchen["subtasks"], json!([]), "{kitchen}");
}
