//! Reminders over HTTP and the sweep (issue 27), all on the test clock: reminders in the
//! todo (create, PATCH, the 400s naming `reminders`, the version, export and import), a due
//! reminder sent once at its time and listed in the bell, none for a todo completed before
//! its time, 9:00 in New York on both sides of a DST change for a repeating todo, the
//! notification's buttons (`POST /api/push/actions`), and many users' reminders due in one
//! minute swept by two instances on DynamoDB (moto), each sent once.

use std::sync::{Arc, Mutex};

use app::wire::push::PushPayload;
use async_trait::async_trait;
use reqwest::Method;
use serde_json::{Value, json};
use server::{
    domain::{Cause, UserId},
    reminders::{Delivered, PushDelivery},
};

use crate::helpers::{TestApp, TestClock, spawn_app_pushing};

/// Web Push as tests see it: every payload, with whom it was for.
#[derive(Default)]
pub struct Recorder {
    pub sent: Mutex<Vec<(String, PushPayload)>>,
}

#[async_trait]
impl PushDelivery for Recorder {
    async fn deliver(&self, user: &UserId, payload: &PushPayload) -> Result<Delivered, Cause> {
        let mut sent = self.sent.lock().unwrap();
        sent.push((user.as_str().to_owned(), payload.clone()));
        Ok(Delivered {
            sent: 1,
            ..Delivered::default()
        })
    }
}

impl Recorder {
    fn titles(&self) -> Vec<String> {
        let sent = self.sent.lock().unwrap();
        sent.iter().map(|(_, p)| p.title.clone()).collect()
    }
}

async fn app_at(at: &str) -> (TestApp, Arc<Recorder>) {
    let recorder = Arc::new(Recorder::default());
    let app = spawn_app_pushing(&[], TestClock::at(at), Some(recorder.clone())).await;
    (app, recorder)
}

async fn patch(app: &TestApp, token: &str, todo: &Value, body: Value) -> (u16, Value) {
    let id = todo["id"].as_str().unwrap();
    app.api_json(
        Method::PATCH,
        &format!("/api/todos/{id}"),
        token,
        Some(body),
    )
    .await
}

async fn sweep(app: &TestApp) -> usize {
    app.reminders.sweep(app.clock.now()).await.unwrap().sent
}

#[tokio::test]
async fn reminders_are_part_of_the_todo_on_every_surface() {
    let (app, _) = app_at("2026-03-01T08:00:00Z").await;
    let token = app.token_for("rem-wire@example.com").await;
    let todo = app
        .create_todo(
            &token,
            json!({"title": "Dentist", "dateDue": "2026-03-05", "dueTime": "09:00",
                   "reminders": [{"beforeMinutes": 60}, {"at": "2026-03-04T19:00:00+01:00"}]}),
        )
        .await;
    assert_eq!(
        todo["reminders"],
        json!([{"beforeMinutes": 60}, {"at": "2026-03-04T18:00:00Z"}])
    );
    let (status, listed) = app.api_json(Method::GET, "/api/todos", &token, None).await;
    assert_eq!(status, 200);
    assert_eq!(listed[0]["reminders"], todo["reminders"]);

    for (bad, why) in [
        (json!([{"beforeMinutes": 40321}]), "at most"),
        (json!([{"at": "tomorrow"}]), "RFC 3339"),
        (
            json!([{"beforeMinutes": 1}, {"beforeMinutes": 2}, {"beforeMinutes": 3},
                {"beforeMinutes": 4}, {"beforeMinutes": 5}, {"beforeMinutes": 6}]),
            "at most 5",
        ),
    ] {
        let (status, body) =
            patch(&app, &token, &todo, json!({"version": 1, "reminders": bad})).await;
        assert_eq!(status, 400, "{body}");
        let message = body["message"].as_str().unwrap();
        assert!(
            message.starts_with("reminders:") && message.contains(why),
            "{message}"
        );
    }
    let (status, body) = app
        .api_json(
            Method::POST,
            "/api/todos",
            &token,
            Some(json!({"title": "No date", "reminders": [{"beforeMinutes": 5}]})),
        )
        .await;
    assert_eq!(status, 400);
    assert!(
        body["message"].as_str().unwrap().starts_with("reminders:"),
        "{body}"
    );
    // Clearing the date of a todo that reminds before it is refused too; nothing changes.
    let (status, body) = patch(&app, &token, &todo, json!({"version": 1, "dateDue": null})).await;
    assert_eq!(status, 400, "{body}");
    assert!(body["message"].as_str().unwrap().starts_with("reminders:"));

    let (status, changed) = patch(
        &app,
        &token,
        &todo,
        json!({"version": 1, "reminders": [{"beforeMinutes": 0}]}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        (changed["reminders"].clone(), changed["version"].as_u64()),
        (json!([{"beforeMinutes": 0}]), Some(2))
    );

    let (status, export) = app.api_json(Method::GET, "/api/export", &token, None).await;
    assert_eq!(status, 200);
    assert_eq!(
        export["todos"][0]["reminders"],
        json!([{"beforeMinutes": 0}])
    );
    let other = app.token_for("rem-wire-import@example.com").await;
    let (status, imported) = app
        .api_json(Method::POST, "/api/import", &other, Some(export))
        .await;
    assert_eq!(status, 200, "{imported}");
    let (_, theirs) = app.api_json(Method::GET, "/api/todos", &other, None).await;
    assert_eq!(theirs[0]["reminders"], json!([{"beforeMinutes": 0}]));

    let (status, cleared) = patch(
        &app,
        &token,
        &changed,
        json!({"version": 2, "reminders": []}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(cleared["reminders"], json!([]));
}

#[tokio::test]
async fn a_due_reminder_is_sent_once_at_its_time_and_listed_in_the_bell() {
    let (app, pushed) = app_at("2026-03-05T08:00:00Z").await;
    let token = app.token_for("rem-once@example.com").await;
    let sub = app.sub_of(&token).await;
    app.create_todo(
        &token,
        json!({"title": "Dentist", "dateDue": "2026-03-05", "dueTime": "09:00",
               "reminders": [{"beforeMinutes": 30}, {"beforeMinutes": 0}]}),
    )
    .await;
    app.create_todo(&token, json!({"title": "Quiet", "dateDue": "2026-03-05"}))
        .await;
    assert_eq!(sweep(&app).await, 0, "nothing is due at 08:00");
    app.clock.advance(29 * 60 + 59);
    assert_eq!(sweep(&app).await, 0, "08:29:59 is before 08:30");
    app.clock.advance(1);
    assert_eq!(sweep(&app).await, 1);
    assert_eq!(sweep(&app).await, 0, "sent once");
    app.clock.advance(30 * 60);
    assert_eq!(sweep(&app).await, 1, "the reminder at 09:00");
    assert_eq!(sweep(&app).await, 0);
    let sent = pushed.sent.lock().unwrap().clone();
    assert_eq!(sent.len(), 2);
    let (user, payload) = &sent[1];
    assert_eq!(user, &sub);
    assert_eq!(
        (
            payload.kind.as_str(),
            payload.title.as_str(),
            payload.body.as_str()
        ),
        ("reminder", "Dentist", "Due today at 09:00")
    );
    assert_eq!(payload.url, format!("/?todo={}", payload.todo_id));
    assert!(payload.action_token.len() >= 40);

    let (status, bell) = app
        .api_json(Method::GET, "/api/notifications", &token, None)
        .await;
    assert_eq!(status, 200);
    let listed = bell["notifications"].as_array().unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(
        listed[0]["body"], "Due today at 09:00",
        "newest first: {bell}"
    );
    assert_eq!(listed[0]["todoId"], payload.todo_id.as_str());
    assert_eq!(listed[1]["body"], "Due today at 09:00");
    let stranger = app.token_for("rem-once-other@example.com").await;
    let (_, theirs) = app
        .api_json(Method::GET, "/api/notifications", &stranger, None)
        .await;
    assert_eq!(theirs["notifications"], json!([]));
    let (status, _) = app
        .api_json(Method::GET, "/api/notifications", "not-a-token", None)
        .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn a_reminder_of_a_todo_completed_or_deleted_before_its_time_is_not_sent() {
    let (app, pushed) = app_at("2026-03-05T08:00:00Z").await;
    let token = app.token_for("rem-done@example.com").await;
    let done = app
        .create_todo(
            &token,
            json!({"title": "Done early", "dateDue": "2026-03-05", "dueTime": "09:00",
                   "reminders": [{"beforeMinutes": 0}]}),
        )
        .await;
    let deleted = app
        .create_todo(
            &token,
            json!({"title": "Deleted", "reminders": [{"at": "2026-03-05T09:00:00Z"}]}),
        )
        .await;
    let moved = app
        .create_todo(
            &token,
            json!({"title": "Moved", "dateDue": "2026-03-05", "dueTime": "09:00",
                   "reminders": [{"beforeMinutes": 0}]}),
        )
        .await;
    assert_eq!(
        patch(
            &app,
            &token,
            &done,
            json!({"version": 1, "completed": true})
        )
        .await
        .0,
        200
    );
    let id = deleted["id"].as_str().unwrap();
    let response = app
        .api(Method::DELETE, &format!("/api/todos/{id}"), &token, None)
        .await;
    assert!(response.status().is_success());
    assert_eq!(
        patch(
            &app,
            &token,
            &moved,
            json!({"version": 1, "dueTime": "10:00"})
        )
        .await
        .0,
        200
    );
    app.clock.advance(3600);
    assert_eq!(sweep(&app).await, 0);
    app.clock.advance(3600);
    assert_eq!(sweep(&app).await, 1);
    assert_eq!(pushed.titles(), ["Moved"]);
}

#[tokio::test]
async fn nine_in_new_york_is_nine_local_on_both_sides_of_a_dst_change() {
    // 2026-03-08 02:00: New York moves from EST (UTC-5) to EDT (UTC-4).
    let (app, pushed) = app_at("2026-03-07T12:00:00Z").await;
    let token = app.token_for("rem-dst@example.com").await;
    let response = app
        .api(
            Method::PATCH,
            "/api/me",
            &token,
            Some(json!({"timeZone": "America/New_York"})),
        )
        .await;
    assert!(response.status().is_success());
    let todo = app
        .create_todo(
            &token,
            json!({"title": "Stretch", "dateDue": "2026-03-07", "dueTime": "09:00",
                   "repeat": "every day", "reminders": [{"beforeMinutes": 0}]}),
        )
        .await;
    // 09:00 EST is 14:00 UTC.
    app.clock.advance(2 * 3600 - 1);
    assert_eq!(sweep(&app).await, 0);
    app.clock.advance(1);
    assert_eq!(sweep(&app).await, 1);
    let token = app.sign_in_again("rem-dst@example.com").await;
    // Done: the next occurrence is Sunday the 8th, 09:00 EDT, 13:00 UTC.
    let (status, next) = patch(
        &app,
        &token,
        &todo,
        json!({"version": 1, "completed": true}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(next["dateDue"], "2026-03-08");
    app.clock.advance(22 * 3600 + 59 * 60); // 2026-03-08T12:59Z
    assert_eq!(sweep(&app).await, 0, "08:59 EDT");
    app.clock.advance(60);
    assert_eq!(sweep(&app).await, 1, "09:00 EDT");
    let sent = pushed.sent.lock().unwrap().clone();
    assert_eq!(sent.len(), 2);
    assert!(
        sent.iter().all(|(_, p)| p.body == "Due today at 09:00"),
        "{sent:?}"
    );
}

#[tokio::test]
async fn a_notifications_buttons_complete_or_snooze_once_without_signing_in() {
    let (app, pushed) = app_at("2026-03-05T08:59:00Z").await;
    let token = app.token_for("rem-act@example.com").await;
    let weekly = app
        .create_todo(
            &token,
            json!({"title": "Bins out", "dateDue": "2026-03-05", "dueTime": "09:00",
                   "repeat": "every week", "reminders": [{"beforeMinutes": 0}]}),
        )
        .await;
    let call = app
        .create_todo(
            &token,
            json!({"title": "Call back", "reminders": [{"at": "2026-03-05T09:00:00Z"}]}),
        )
        .await;
    app.clock.advance(60);
    assert_eq!(sweep(&app).await, 2);
    let token_of = |title: &str| {
        let sent = pushed.sent.lock().unwrap();
        let found = sent.iter().find(|(_, p)| p.title == title).unwrap();
        found.1.action_token.clone()
    };
    let act = |action_token: String, action: &str| {
        let body = json!({"actionToken": action_token, "action": action});
        let client = app.client.clone();
        let url = format!("{}/api/push/actions", app.address);
        async move {
            client
                .post(url)
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };

    // Done completes the occurrence reminded of: the weekly todo moves a week on.
    assert_eq!(act(token_of("Bins out"), "done").await, 204);
    let (_, bins) = app
        .api_json(
            Method::GET,
            &format!("/api/todos/{}", weekly["id"].as_str().unwrap()),
            &token,
            None,
        )
        .await;
    assert_eq!(
        (bins["dateDue"].as_str(), bins["completed"].as_bool()),
        (Some("2026-03-12"), Some(false))
    );
    assert_eq!(
        act(token_of("Bins out"), "done").await,
        410,
        "each action once"
    );

    // Snooze adds a reminder an hour from now, which the sweep then sends.
    assert_eq!(act(token_of("Call back"), "snooze").await, 204);
    let (_, snoozed) = app
        .api_json(
            Method::GET,
            &format!("/api/todos/{}", call["id"].as_str().unwrap()),
            &token,
            None,
        )
        .await;
    assert_eq!(
        snoozed["reminders"],
        json!([{"at": "2026-03-05T10:00:00Z"}])
    );
    assert_eq!(act(token_of("Call back"), "snooze").await, 410);
    app.clock.advance(3600);
    assert_eq!(sweep(&app).await, 1);
    assert_eq!(
        pushed.titles().iter().filter(|t| *t == "Call back").count(),
        2
    );

    assert_eq!(act("not-a-token".into(), "done").await, 410);
    let client = app.client.clone();
    let bad = client
        .post(format!("{}/api/push/actions", app.address))
        .json(&json!({"actionToken": "x", "action": "explode"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status().as_u16(), 400);
    // Seven days on, the buttons are dead.
    let last = token_of("Call back");
    app.clock.advance(7 * 24 * 3600);
    assert_eq!(act(last, "done").await, 410);
}

/// Many users' reminders due in the same minute, two instances sweeping the same tables
/// at once: each reminder is sent exactly once, none twice, none lost.
#[tokio::test]
async fn many_users_reminders_due_in_one_minute_are_each_sent_once_by_two_instances() {
    assert!(
        std::env::var("TASKO_TEST_MOTO").is_ok(),
        "needs moto: run through `make unit`"
    );
    let prefix = format!("rem{}_", &uuid::Uuid::new_v4().simple().to_string()[..10]);
    let settings = [
        ("STORE", "dynamodb"),
        ("DYNAMODB_TABLE_PREFIX", prefix.as_str()),
        ("DYNAMODB_CREATE_TABLES", "1"),
    ];
    let clock = TestClock::at("2026-03-05T08:59:00Z");
    let (first_push, second_push) = (Arc::new(Recorder::default()), Arc::new(Recorder::default()));
    let first = spawn_app_pushing(&settings, clock.clone(), Some(first_push.clone())).await;
    let second = spawn_app_pushing(&settings, clock.clone(), Some(second_push.clone())).await;
    const USERS: usize = 40;
    for i in 0..USERS {
        let owner = UserId::from_verified_sub(format!("many-{i}"));
        let input = app::wire::NewTodo {
            title: format!("Todo of user {i}"),
            date_due: Some("2026-03-05".into()),
            due_time: Some("09:00".into()),
            // Spread over the minute: 09:00:00 to 09:00:39.
            reminders: Some(vec![app::wire::Reminder::At(format!(
                "2026-03-05T09:00:{i:02}Z"
            ))]),
            ..Default::default()
        };
        server::todos::service::create(first.store.as_ref(), &owner, input, 100, clock.now())
            .await
            .unwrap();
    }
    let before = clock.now();
    let early = first.reminders.sweep(before).await.unwrap();
    assert_eq!(early.sent, 0, "none is due at 08:59");
    clock.advance(60); // 09:00:00: the first one is due
    clock.advance(40); // 09:00:40: all are
    let now = clock.now();
    let (a, b) = tokio::join!(first.reminders.sweep(now), second.reminders.sweep(now));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.sent + b.sent, USERS, "{a:?} {b:?}");
    assert_eq!(a.failed + b.failed, 0);
    let mut titles = first_push.titles();
    titles.extend(second_push.titles());
    titles.sort();
    titles.dedup();
    assert_eq!(titles.len(), USERS, "none twice, none lost");
    assert_eq!(first.reminders.sweep(now).await.unwrap().sent, 0);
}
