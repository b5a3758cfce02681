//! `make bench`, reminders: `REMINDERS` (10,000) reminders of as many users, all due in the
//! same minute, swept by one instance on the embedded store, each pushed over HTTP to a
//! stand-in of the browsers' push services (a local sink answering 201: the store's claims,
//! the HTTP round trips and the sweep's own work are measured, not a push service's). The
//! clock is a `ManualClock` moved past the minute, so the seeding does not count. Prints a
//! markdown table: the sweep's time and the sends per second.

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Instant,
};

use app::wire::{NewTodo, Reminder, push::PushPayload};
use async_trait::async_trait;
use axum::{Router, http::StatusCode, routing::post};
use futures_util::{StreamExt, stream};
use server::{
    domain::{Cause, ManualClock, UserId},
    reminders::{Delivered, PushDelivery, Reminders},
    store::{Store, embedded::EmbeddedStore},
};

/// Sends each payload to the sink as JSON, one request per reminder.
struct HttpPush {
    client: reqwest::Client,
    sink: String,
}

#[async_trait]
impl PushDelivery for HttpPush {
    async fn deliver(&self, user: &UserId, payload: &PushPayload) -> Result<Delivered, Cause> {
        let response = self
            .client
            .post(format!("{}/push/{}", self.sink, user.as_str()))
            .json(payload)
            .send()
            .await
            .map_err(Cause::new)?;
        Ok(if response.status() == StatusCode::CREATED {
            Delivered {
                sent: 1,
                ..Delivered::default()
            }
        } else {
            Delivered {
                failed: 1,
                ..Delivered::default()
            }
        })
    }
}

#[tokio::main]
async fn main() {
    let count: usize = std::env::var("REMINDERS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let data = tempfile::tempdir().expect("a temp dir");
    let store: Arc<dyn Store> = Arc::new(EmbeddedStore::open(data.path()).expect("the store"));
    let seeded_at: jiff::Timestamp = "2026-03-05T08:00:00Z".parse().unwrap();
    let started = Instant::now();
    stream::iter(0..count)
        .for_each_concurrent(64, |i| {
            let store = store.clone();
            async move {
                let input = NewTodo {
                    title: format!("Reminder bench todo {i}"),
                    // Spread over the minute 09:00.
                    reminders: Some(vec![Reminder::At(format!(
                        "2026-03-05T09:00:{:02}Z",
                        i % 60
                    ))]),
                    ..NewTodo::default()
                };
                let owner = UserId::from_verified_sub(format!("bench-user-{i}"));
                server::todos::service::create(store.as_ref(), &owner, input, 10, seeded_at)
                    .await
                    .expect("seeded");
            }
        })
        .await;
    let seeding = started.elapsed();

    let received = Arc::new(AtomicUsize::new(0));
    let counter = received.clone();
    let sink = Router::new().route(
        "/push/{user}",
        post(move || {
            let counter = counter.clone();
            async move {
                counter.fetch_add(1, Ordering::Relaxed);
                StatusCode::CREATED
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let sink_url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, sink).await.unwrap() });

    let clock = Arc::new(ManualClock::at("2026-03-05T09:01:00Z".parse().unwrap()));
    let push = Arc::new(HttpPush {
        client: reqwest::Client::new(),
        sink: sink_url,
    });
    let reminders = Reminders::new(store.clone(), clock.clone()).with_push(push);
    let now = server::domain::Clock::now(clock.as_ref());
    let started = Instant::now();
    let report = reminders.sweep(now).await.expect("the sweep");
    let took = started.elapsed();
    assert_eq!(report.sent, count, "{report:?}");
    assert_eq!(received.load(Ordering::Relaxed), count);
    println!(
        "| Reminders due in one minute | Seeding | Sweep | Sends per second | Within the minute |"
    );
    println!("| --- | --- | --- | --- | --- |");
    println!(
        "| {count} | {:.1} s | {:.2} s | {:.0} | {} |",
        seeding.as_secs_f64(),
        took.as_secs_f64(),
        count as f64 / took.as_secs_f64(),
        if took.as_secs() < 60 { "yes" } else { "no" }
    );
}
