//! The browser UI (Leptos, client-side rendered). One folder per feature, holding its
//! state, its client code and its components (one component per file):
//!
//! - [`auth`]: the Cognito user-pool protocol client (local IdP or AWS, same code), the
//!   signed-in session (storage, refresh before expiry), the sign-in page.
//! - [`todos`]: the todo list state and its mutations, the list page and its parts.
//! - [`lists`]: the user's lists and the sidebar that switches them.
//! - [`files`]: uploads (declare, send, complete) and the file components.
//! - [`chat`]: the streaming chat client, the chat state, the sidebar.
//! - [`reminders`]: the service worker and Web Push, the header's bell, notifications on/off
//!   for this browser, a todo's reminders editor.
//! - [`settings`]: the Settings panel (export and import of the user's data, notifications,
//!   access tokens, the activity log).
//!
//! Shared: [`config`] (loads /config.json), [`http`] (the authorized-request helper and the
//! error-message helper), [`api`] (the REST calls), [`browser`] (window, storage,
//! dates), [`drag_order`] (drag and drop to reorder a list's rows). Quick add's reading of a line is [`crate::words`], run here in wasm.

mod api;
mod auth;
mod browser;
mod chat;
mod config;
mod drag_order;
mod files;
mod http;
mod lists;
mod reminders;
mod settings;
mod todos;

use leptos::prelude::*;

use crate::wire::RuntimeConfig;
use auth::{AuthPage, session::Auth};
use todos::TodoPage;

/// Loads the configuration (once), then shows the app; a failure says so and offers a reload.
/// (The resource is read directly: a `<Suspense>` for this one fallback cost 4 KB of brotli.)
#[component]
pub fn App() -> impl IntoView {
    // Installable, and reminders shown while the app is closed; signed in or not.
    reminders::worker::register();
    let config = LocalResource::new(config::load);
    move || match config.get() {
        None => view! {
            <p class="boot" role="status">
                "Loading Tasko…"
            </p>
        }
        .into_any(),
        Some(Err(message)) => view! {
            <div class="boot" role="alert">
                <p>"Tasko could not start: " {message}</p>
                <button type="button" on:click=|_| browser::reload()>
                    "Try again"
                </button>
            </div>
        }
        .into_any(),
        Some(Ok(config)) => view! { <Shell config /> }.into_any(),
    }
}

/// Everything below the loaded configuration: the session decides which page shows.
#[component]
fn Shell(config: RuntimeConfig) -> impl IntoView {
    let auth = Auth::new(config);
    provide_context(auth);
    auth.resume();
    move || {
        if auth.is_signed_in() {
            view! { <TodoPage /> }.into_any()
        } else {
            view! { <AuthPage /> }.into_any()
        }
    }
}
