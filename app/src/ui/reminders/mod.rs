//! Reminders in the browser (issue 27): the service worker and Web Push (`worker.rs`, over
//! `pwa.js`), the header's bell with the last reminders (`bell.rs`), the Settings section
//! that turns notifications on and off for this browser (`notification_settings.rs`), and
//! the reminders editor of a todo's details (`reminders_editor.rs`). The worker itself is
//! `frontend/sw.js`.

mod bell;
pub mod notification_settings;
pub mod reminders_editor;
pub mod worker;

pub use bell::{Bell, BellButton};

use leptos::prelude::*;

/// A moment (milliseconds since the epoch) in the user's zone: "Dec 7, 09:00".
fn short_moment(ms: f64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let date = js_sys::Date::new(&ms.into());
    format!(
        "{} {}, {:02}:{:02}",
        MONTHS[date.get_month() as usize % 12],
        date.get_date(),
        date.get_hours(),
        date.get_minutes()
    )
}

/// Milliseconds since the epoch of an RFC 3339 moment (NaN when it is not one).
fn moment_ms(rfc3339: &str) -> f64 {
    js_sys::Date::parse(rfc3339)
}

/// Relays the service worker's messages while the signed-in page is shown: a reminder
/// shown as a notification goes to the bell; a click on one asks to open its todo (`open`).
/// A `?todo=<id>` in the address (a notification opened the app) asks the same once.
pub fn install(bell: Bell, open: RwSignal<Option<String>>) {
    if let Some(id) = super::browser::take_id_from_address("todo") {
        open.set(Some(id));
    }
    worker::listen(move |json| {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(&json) else {
            return;
        };
        let todo = message["todoId"].as_str().map(str::to_owned);
        match message["kind"].as_str() {
            Some("reminder") => bell.add_live(message),
            Some("open") => {
                open.try_set(todo);
            }
            _ => {}
        }
    });
    on_cleanup(worker::stop_listening);
}

/// Signs out, ending this browser's notifications and forgetting its offline copy first:
/// the next person to use it must not see this account's reminders or todos (the request needs the session, so it goes first).
pub fn sign_out(auth: crate::ui::auth::session::Auth) {
    leptos::task::spawn_local(async move {
        if let Some(endpoint) = worker::unsubscribe().await {
            let _ = crate::ui::api::remove_push_subscription(auth, &endpoint).await;
        }
        // Nor the todos kept here for offline use.
        crate::ui::offline::forget_all().await;
        auth.sign_out();
    });
}
