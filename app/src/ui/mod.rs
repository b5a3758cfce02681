//! The browser UI (Leptos, client-side rendered).
//!
//! - [`config`]: loads /config.json (API base URL, identity provider).
//! - [`cognito`]: the Cognito user-pool JSON protocol client (local IdP or AWS, same code).
//! - [`session`]: the signed-in session: storage, refresh before expiry, expiry handling.
//! - [`api`]: the todo API client; [`todos_state`]: the todo list state and its mutations.
//! - `components/<feature>/`: one component per file.

mod api;
mod browser;
mod chat_client;
mod chat_state;
mod cognito;
mod components;
mod config;
mod session;
mod todos_state;
mod uploads;

use leptos::{prelude::*, task::spawn_local};

use crate::wire::RuntimeConfig;
use components::{auth::AuthPage, todos::TodoPage};
use session::Auth;

#[component]
pub fn App() -> impl IntoView {
    let config = RwSignal::new(None::<Result<RuntimeConfig, String>>);
    spawn_local(async move { config.set(Some(config::load().await)) });
    move || match config.get() {
        None => view! { <p class="boot" role="status">"Loading Tasko…"</p> }.into_any(),
        Some(Err(message)) => view! {
            <div class="boot" role="alert">
                <p>"Tasko could not start: " {message}</p>
                <button type="button" on:click=|_| browser::reload()>"Try again"</button>
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
