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
//!   access tokens, connected apps, the activity log).
//! - [`connect`]: the consent page (`/connect?request=<id>`) where an outside client's
//!   sign-in (OAuth) is approved or denied.
//!
//! Shared: [`config`] (loads /config.json), [`http`] (the authorized-request helper and the
//! error-message helper), [`api`] (the REST calls), [`browser`] (window, storage,
//! dates), [`drag_order`] (drag and drop to reorder a list's rows), [`owned_task`] (async work that ends
//! with the view that started it), [`markdown`] (the markdown module, loaded when first
//! needed). Quick add's reading of a line is [`crate::words`], run here in wasm.

mod api;
mod auth;
mod browser;
mod chat;
mod config;
mod connect;
mod drag_order;
mod files;
mod http;
mod lists;
mod markdown;
mod offline;
mod owned_task;
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

/// Everything below the loaded configuration: the session and the address decide which
/// page shows. On `/connect` the sign-in page shows until the user is signed in, then the
/// consent page (so signing in leads straight back to the consent).
#[component]
fn Shell(config: RuntimeConfig) -> impl IntoView {
    let auth = Auth::new(config);
    provide_context(auth);
    auth.resume();
    let connecting = connect::is_connect_page();
    move || match (auth.is_signed_in(), connecting) {
        (true, true) => view! { <connect::ConnectPage /> }.into_any(),
        (true, false) => view! { <TodoPage /> }.into_any(),
        (false, true) => {
            view! { <AuthPage purpose="Sign in to Tasko to connect an app to your todos." /> }
                .into_any()
        }
        (false, false) => view! { <AuthPage /> }.into_any(),
    }
}
