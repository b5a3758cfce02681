//! The header's bell: the last reminders sent (`GET /api/notifications`) and the ones the
//! service worker showed while this page was open, each opening its todo, with the number
//! not seen yet. "Seen" is the newest reminder's time when the list was last opened, kept
//! in localStorage.

use std::time::Duration;

use leptos::{prelude::*, task::spawn_local};
use serde_json::Value;

use super::{moment_ms, short_moment};
use crate::ui::{api, auth::session::Auth, browser};

const SEEN_KEY: &str = "tasko.bell.seen";
/// The list is asked for at start, on focus, when opened, when the service worker shows a
/// reminder, and this often while the page is visible (reminders reach the bell even in a
/// browser where notifications are off).
const REFRESH_EVERY: Duration = Duration::from_secs(60);
/// A live reminder is dropped once the server's list has one of the same todo this close.
const SAME_REMINDER_MS: f64 = 10.0 * 60.0 * 1000.0;

#[derive(Clone, Copy)]
pub struct Bell {
    auth: Auth,
    /// What the server says was sent, newest first.
    sent: RwSignal<Vec<Value>>,
    /// Shown by the service worker here and not yet in `sent`, newest first.
    live: RwSignal<Vec<Value>>,
    /// The time (ms) of the newest reminder the user has seen.
    seen: RwSignal<f64>,
}

impl Bell {
    pub fn new(auth: Auth) -> Self {
        let seen = browser::local_storage()
            .and_then(|s| s.get_item(SEEN_KEY).ok().flatten())
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0) as f64;
        Self {
            auth,
            sent: RwSignal::new(Vec::new()),
            live: RwSignal::new(Vec::new()),
            seen: RwSignal::new(seen),
        }
    }

    pub fn refresh(self) {
        spawn_local(async move {
            if let Ok(sent) = api::notifications(self.auth).await {
                self.live.try_update(|live| {
                    live.retain(|l| !sent.iter().any(|s| same_reminder(l, s)));
                });
                self.sent.try_set(sent);
            }
        });
    }

    /// A reminder the service worker just showed; the server's list follows.
    pub fn add_live(self, reminder: Value) {
        // A push delivered twice (push services deliver at least once) is one reminder, as
        // its notification is one (tagged by todo).
        self.live.try_update(|live| {
            live.retain(|r| r["todoId"] != reminder["todoId"] || r["body"] != reminder["body"]);
            live.insert(0, reminder);
        });
        self.refresh();
    }

    /// Everything shown, newest first (the live ones are newer than what the server listed).
    fn all(self) -> Vec<Value> {
        let mut all = self.live.get();
        all.extend(self.sent.get());
        all
    }

    fn unread(self) -> usize {
        let seen = self.seen.get();
        self.all().iter().filter(|r| at(r) > seen).count()
    }

    fn mark_seen(self) {
        let newest = self.all().iter().map(at).fold(0.0, f64::max);
        if newest > self.seen.get_untracked() {
            self.seen.set(newest);
            if let Some(storage) = browser::local_storage() {
                // Whole milliseconds: formatting an f64 would link Rust's float printing.
                let _ = storage.set_item(SEEN_KEY, &(newest as i64).to_string());
            }
        }
    }

    /// Refreshes on focus and every [`REFRESH_EVERY`] while the page is visible.
    pub fn keep_fresh(self) {
        self.refresh();
        let timer = set_interval_with_handle(
            move || {
                if document().visibility_state() == web_sys::VisibilityState::Visible {
                    self.refresh();
                }
            },
            REFRESH_EVERY,
        )
        .ok();
        let focus = window_event_listener(leptos::ev::focus, move |_| self.refresh());
        on_cleanup(move || {
            if let Some(timer) = timer {
                timer.clear();
            }
            focus.remove();
        });
    }
}

fn at(reminder: &Value) -> f64 {
    let ms = moment_ms(reminder["at"].as_str().unwrap_or_default());
    if ms.is_nan() { 0.0 } else { ms }
}

fn same_reminder(live: &Value, sent: &Value) -> bool {
    live["todoId"] == sent["todoId"] && (at(live) - at(sent)).abs() < SAME_REMINDER_MS
}

/// The bell button and its list; choosing a reminder opens its todo in `selected`.
#[component]
pub fn BellButton(bell: Bell, selected: RwSignal<Option<String>>) -> impl IntoView {
    let open = RwSignal::new(false);
    // While the list is open, what it shows (including what arrives meanwhile) is seen.
    Effect::new(move |_| {
        if open.get() {
            bell.mark_seen();
        }
    });
    let toggle = move |_| {
        open.update(|o| *o = !*o);
        if open.get_untracked() {
            bell.refresh();
        }
    };
    let label = move || match bell.unread() {
        0 => "Reminders".to_owned(),
        n => format!("Reminders, {n} new"),
    };
    let row = move |reminder: Value| {
        let todo = reminder["todoId"].as_str().unwrap_or_default().to_owned();
        let title = reminder["title"].as_str().unwrap_or_default().to_owned();
        let body = reminder["body"].as_str().unwrap_or_default().to_owned();
        let when = short_moment(at(&reminder));
        view! {
            <li>
                <button
                    type="button"
                    class="link"
                    on:click=move |_| {
                        open.set(false);
                        selected.set(Some(todo.clone()));
                    }
                >
                    <strong>{title}</strong>
                    " "
                    <span>{body}</span>
                </button>
                <span class="muted">{when}</span>
            </li>
        }
    };
    view! {
        <div class="bell">
            <button
                type="button"
                aria-label=label
                aria-expanded=move || open.get().to_string()
                aria-controls="bell-list"
                on:click=toggle
            >
                "🔔"
                {move || match bell.unread() {
                    0 => None,
                    n => {
                        Some(
                            view! {
                                <span class="badge" aria-hidden="true">
                                    {n}
                                </span>
                            },
                        )
                    }
                }}
            </button>
            <section
                id="bell-list"
                class="bell-list"
                aria-label="Reminders"
                hidden=move || !open.get()
            >
                <ul>{move || bell.all().into_iter().map(row).collect_view()}</ul>
                {move || {
                    bell.all()
                        .is_empty()
                        .then(|| view! { <p class="empty">"No reminders yet."</p> })
                }}
            </section>
        </div>
    }
}
