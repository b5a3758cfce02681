//! Settings → Notifications: reminders as notifications in this browser, on or off. On asks
//! the browser's permission, subscribes with the server's VAPID key and sends the
//! subscription to the server; off ends it on both sides. When the browser blocks
//! notifications or has no Push API, the section says so and how to change it.

use leptos::{prelude::*, task::spawn_local};

use super::worker::{self, PushState, SubscribeFailure};
use crate::ui::{api, auth::session::Auth};

const BLOCKED: &str = "Notifications are blocked for Tasko in this browser, so reminders cannot reach you here. Allow them in the site's settings (the icon beside the address), then reload Tasko.";
const UNSUPPORTED: &str = "This browser cannot receive push notifications (on an iPhone or iPad, add Tasko to the Home Screen first). Reminders still show in the bell while Tasko is open.";

/// Subscribes this browser and tells the server; a subscription the server refused is ended.
async fn turn_on(auth: Auth) -> Result<PushState, String> {
    let key = api::push_key(auth).await.map_err(|e| e.to_string())?;
    let subscription = match worker::subscribe(&key).await {
        Ok(json) => json,
        Err(SubscribeFailure::Denied) => return Ok(PushState::Denied),
        Err(SubscribeFailure::Other(why)) => return Err(why),
    };
    if let Err(failure) = api::add_push_subscription(auth, subscription).await {
        worker::unsubscribe().await;
        return Err(failure.to_string());
    }
    Ok(PushState::On)
}

async fn turn_off(auth: Auth) -> Result<PushState, String> {
    if let Some(endpoint) = worker::unsubscribe().await {
        api::remove_push_subscription(auth, &endpoint)
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(PushState::Off)
}

#[component]
pub fn NotificationSettings() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let state = RwSignal::new(None::<PushState>);
    let busy = RwSignal::new(false);
    let failed = RwSignal::new(None::<String>);
    spawn_local(async move {
        state.try_set(Some(worker::push_state().await));
    });
    let toggle = move |_| {
        let on = state.get_untracked() == Some(PushState::On);
        busy.set(true);
        failed.set(None);
        spawn_local(async move {
            let result = if on {
                turn_off(auth).await
            } else {
                turn_on(auth).await
            };
            match result {
                Ok(now) => {
                    state.try_set(Some(now));
                }
                Err(why) => {
                    failed.try_set(Some(why));
                }
            }
            busy.try_set(false);
        });
    };
    let usable = move || matches!(state.get(), Some(PushState::On | PushState::Off));
    view! {
        <h2>"Notifications"</h2>
        <p class="hint">
            "Reminders of your todos as notifications, even when Tasko is closed, with Done and Snooze 1 h."
        </p>
        <div class="row">
            <input
                id="push-toggle"
                type="checkbox"
                prop:checked=move || state.get() == Some(PushState::On)
                disabled=move || !usable() || busy.get()
                on:change=toggle
            />
            <label for="push-toggle">"Reminders in this browser"</label>
        </div>
        {move || {
            let why = match state.get() {
                Some(PushState::Denied) => Some(BLOCKED),
                Some(PushState::Unsupported) => Some(UNSUPPORTED),
                _ => None,
            };
            why.map(|text| {
                view! {
                    <p class="notice" role="status">
                        {text}
                    </p>
                }
            })
        }}
        {move || {
            failed
                .get()
                .map(|why| {
                    view! {
                        <p class="error" role="alert">
                            {why}
                        </p>
                    }
                })
        }}
    }
}
