//! `POST /api/import` with a Todoist CSV export (`text/csv`): a real Todoist-shaped file
//! (BOM, CRLF, a quoted newline, empty rows, sections, sub-tasks, notes, priorities,
//! labels, dates, times and repeats) lands in a new list, with the rows it could not import
//! reported by line (on both stores); bad files are refused with a 4xx and change nothing.

use jiff::{ToSpan, civil::Weekday, tz::TimeZone};
use reqwest::Method;
use serde_json::{Value, json};

use crate::{
    export_import::{call, refused},
    helpers::{TestApp, spawn_app},
    todo_restore::app_on_with,
};

/// A Todoist "Export as template" file, as its newer exports write it. Line numbers in the
/// comments are the file's (the quoted note spans lines 5 and 6).
const EXPORT: &str = concat!(
    "\u{feff}TYPE,CONTENT,DESCRIPTION,PRIORITY,INDENT,AUTHOR,RESPONSIBLE,DATE,DATE_LANG,",
    "TIMEZONE,DURATION,DURATION_UNIT,DEADLINE,DEADLINE_LANG\r\n",
    // 2: no task above it.
    "note,An orphan note,,,,,,,,,,,,\r\n",
    // 3
    "task,Buy milk @errands @Shopping,Semi-skimmed,1,1,Ann (14781400),,tomorrow,en,",
    "Europe/Berlin,,,,\r\n",
    ",,,,,,,,,,,,,\r\n",
    // 5-6
    "note,\"Check the date\r\non the carton\",,,,Ann (14781400),,,,,,,,\r\n",
    // 7
    "task,Pack for the trip,,2,1,Ann (14781400),,Dec 3 5pm,en,Europe/Berlin,,,,\r\n",
    "task,Passport,,4,2,Ann (14781400),,,,,,,,\r\n",
    "task,Charger,,4,3,Ann (14781400),,,,,,,,\r\n",
    "note,\"Ask about visas, too\",,,,,,,,,,,,\r\n",
    // 11
    "section,Weekly chores,,,,,,,,,,,,\r\n",
    "task,Water plants @garden,,3,1,,,every saturday,en,,,,,\r\n",
    "task,Stretch,,4,1,,,every day at 7am,en,,15,minute,,\r\n",
    // 14: kept, without its date and deadline.
    "task,Call mom,,,1,,,when the moon is full,en,,,,2026-12-24,en\r\n",
    // 15, 16, 17: skipped.
    "task,,,4,1,,,,,,,,,\r\n",
    "meeting,What is this,,,,,,,,,,,,\r\n",
);

async fn post_csv(app: &TestApp, token: &str, query: &str, body: Vec<u8>) -> (u16, Value) {
    let response = app
        .client
        .post(format!("{}/api/import{query}", app.address))
        .bearer_auth(token)
        .header("content-type", "text/csv; charset=utf-8")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn export_file() -> Vec<u8> {
    let long_title = "x".repeat(201);
    format!("{EXPORT}task,{long_title},,4,1,,,,,,,,,\r\n").into_bytes()
}

async fn todos_of(app: &TestApp, token: &str, list: &str) -> Vec<Value> {
    let (_, lists) = call(app, token, Method::GET, "/api/lists", None).await;
    let id = lists
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == list)
        .unwrap_or_else(|| panic!("no list {list}: {lists}"))["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, todos) = call(
        app,
        token,
        Method::GET,
        &format!("/api/todos?list={id}"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    todos.as_array().unwrap().clone()
}

fn find<'a>(todos: &'a [Value], title: &str) -> &'a Value {
    todos
        .iter()
        .find(|t| t["title"] == title)
        .unwrap_or_else(|| panic!("no {title} in {todos:?}"))
}

fn lines(notes: &Value) -> Vec<u64> {
    notes
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["line"].as_u64().unwrap())
        .collect()
}

#[tokio::test]
async fn a_todoist_export_lands_in_a_new_list_with_what_it_could_not_import_reported() {
    lands_in_a_new_list(spawn_app().await).await;
}

#[tokio::test]
async fn a_todoist_export_lands_in_a_new_list_on_dynamodb() {
    lands_in_a_new_list(app_on_with("dynamodb", "600", &[]).await).await;
}

async fn lands_in_a_new_list(app: TestApp) {
    let token = app.token_for("todoist@example.com").await;
    let (status, answer) = post_csv(&app, &token, "", export_file()).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["lists"], 1);
    assert_eq!(answer["todos"], 5);
    assert_eq!(answer["list"], "Todoist import");
    assert_eq!(lines(&answer["skipped"]), [2, 15, 16, 17], "{answer}");
    assert_eq!(lines(&answer["adjusted"]), [14, 14], "{answer}");
    for note in answer["skipped"].as_array().unwrap() {
        assert!(!note["reason"].as_str().unwrap().is_empty());
    }

    let today = jiff::Timestamp::now().to_zoned(TimeZone::UTC).date();
    let todos = todos_of(&app, &token, "Todoist import").await;
    assert_eq!(todos.len(), 5, "{todos:?}");

    let milk = find(&todos, "Buy milk");
    assert_eq!(milk["labels"], json!(["errands", "shopping"]));
    assert_eq!(milk["priority"], 1, "Todoist's PRIORITY 1 is p1");
    assert_eq!(milk["description"], "Semi-skimmed");
    assert_eq!(milk["notes"], "Check the date\non the carton");
    assert_eq!(milk["dateDue"], (today + 1.day()).to_string());

    let pack = find(&todos, "Pack for the trip");
    assert_eq!(pack["priority"], 2);
    let subtasks: Vec<(&str, bool)> = pack["subtasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["title"].as_str().unwrap(), s["done"].as_bool().unwrap()))
        .collect();
    assert_eq!(subtasks, [("Passport", false), ("Charger", false)]);
    assert_eq!(pack["notes"], "Ask about visas, too");
    let dec3 = jiff::civil::date(today.year(), 12, 3);
    let dec3 = if dec3 < today {
        jiff::civil::date(today.year() + 1, 12, 3)
    } else {
        dec3
    };
    assert_eq!(pack["dateDue"], dec3.to_string());
    assert_eq!(pack["dueTime"], "17:00");

    let plants = find(&todos, "Water plants");
    assert_eq!(plants["labels"], json!(["garden", "weekly-chores"]));
    assert_eq!(plants["priority"], 3);
    let due: jiff::civil::Date = plants["dateDue"].as_str().unwrap().parse().unwrap();
    assert_eq!(due.weekday(), Weekday::Saturday);
    assert!(due >= today && due < today + 7.days(), "{due}");
    let rrule = plants["repeat"]["rrule"].as_str().unwrap();
    assert!(
        rrule.contains("FREQ=WEEKLY") && rrule.contains("BYDAY=SA"),
        "{rrule}"
    );

    let stretch = find(&todos, "Stretch");
    assert_eq!(stretch["labels"], json!(["weekly-chores"]));
    assert_eq!(stretch["priority"], 4, "PRIORITY 4 is p4: no priority");
    assert_eq!(stretch["dueTime"], "07:00");
    assert_eq!(stretch["dateDue"], today.to_string());
    assert!(
        stretch["repeat"]["rrule"]
            .as_str()
            .unwrap()
            .contains("FREQ=DAILY")
    );

    let mom = find(&todos, "Call mom");
    assert_eq!(mom["dateDue"], Value::Null);
    assert_eq!(mom["priority"], 4, "an empty PRIORITY is no priority");

    // The same file again goes into a list of its own, and `?list=` names it.
    let (status, again) = post_csv(&app, &token, "", export_file()).await;
    assert_eq!(
        (status, &again["list"]),
        (200, &json!("Todoist import (2)"))
    );
    let (status, named) = post_csv(&app, &token, "?list=Trip%20plans", export_file()).await;
    assert_eq!((status, &named["list"]), (200, &json!("Trip plans")));
    assert_eq!(todos_of(&app, &token, "Trip plans").await.len(), 5);
}

#[tokio::test]
async fn bad_csv_files_are_refused_with_a_sentence_and_change_nothing() {
    let app = spawn_app().await;
    let token = app.token_for("todoist-bad@example.com").await;
    let header = "TYPE,CONTENT,PRIORITY,INDENT\r\n";
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        ("", b"TYPE,CONTENT\n\xff\xfe,task\n".to_vec(), 400, "UTF-8"),
        (
            "",
            b"TITLE,DUE\nBuy milk,tomorrow\n".to_vec(),
            400,
            "CONTENT column",
        ),
        (
            "",
            br#"{"version": 1, "todos": []}"#.to_vec(),
            400,
            "CONTENT column",
        ),
        ("", b"".to_vec(), 400, "CONTENT column"),
        (
            "",
            format!("{header}note,an orphan,,\r\nsection,Empty,,\r\n").into_bytes(),
            400,
            "no task",
        ),
        (
            "?list=%20%20",
            format!("{header}task,Fine,4,1\r\n").into_bytes(),
            400,
            "list",
        ),
        (
            "",
            format!(
                "{header}task,Fine,4,1\r\nnote,\"{}\",,\r\n",
                "x".repeat(3 * 1024 * 1024)
            )
            .into_bytes(),
            413,
            "larger than",
        ),
        (
            "",
            format!("{header}{}", "task,Row,4,1\r\n".repeat(5001)).into_bytes(),
            413,
            "at most 5000",
        ),
    ];
    for (query, body, status, words) in cases {
        let answer = post_csv(&app, &token, query, body).await;
        refused(&app, &token, answer, status, words).await;
    }
    let answer = async {
        let r = app
            .client
            .post(format!("{}/api/import", app.address))
            .bearer_auth(&token)
            .header("content-type", "text/plain")
            .body("TYPE,CONTENT\ntask,Hello\n")
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.json::<Value>().await.unwrap())
    }
    .await;
    refused(&app, &token, answer, 415, "text/csv").await;
}

#[tokio::test]
async fn a_csv_import_over_a_quota_is_refused_before_anything_is_written() {
    let app = app_on_with("embedded", "600", &[("MAX_TODOS_PER_USER", "2")]).await;
    let token = app.token_for("todoist-quota@example.com").await;
    let three = "TYPE,CONTENT\r\ntask,One\r\ntask,Two\r\ntask,Three\r\n";
    let answer = post_csv(&app, &token, "", three.as_bytes().to_vec()).await;
    refused(&app, &token, answer, 403, "at most 2").await;
    let app = app_on_with("embedded", "600", &[("MAX_LISTS_PER_USER", "1")]).await;
    let token = app.token_for("todoist-lists@example.com").await;
    let (status, _) = call(
        &app,
        &token,
        Method::POST,
        "/api/lists",
        Some(json!({"name": "Home"})),
    )
    .await;
    assert_eq!(status, 201);
    let (status, answer) = post_csv(&app, &token, "", b"CONTENT\nOne\n".to_vec()).await;
    assert_eq!(status, 403, "{answer}");
    assert!(
        answer["message"].as_str().unwrap().contains("at most 1"),
        "{answer}"
    );
    let (_, lists) = call(&app, &token, Method::GET, "/api/lists", None).await;
    assert_eq!(
        lists.as_array().unwrap().len(),
        2,
        "the Inbox and Home: {lists}"
    );
    let (_, todos) = call(&app, &token, Method::GET, "/api/todos", None).await;
    assert_eq!(todos, json!([]));
}
