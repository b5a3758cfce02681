//! `/connect?request=<id>` once signed in: loads the pending authorization request, then
//! shows the consent card, or a sentence saying the request is unknown or has expired.

use leptos::{prelude::*, task::spawn_local};
use serde_json::Value;

use super::{client, consent_card::ConsentCard, request_id};
use crate::ui::{api::ApiFailure, auth::session::Auth};

/// What the page shows for an unknown, used or expired request (the server's 404).
pub const MISSING: &str = "This connection request is unknown or has expired (a request lasts 10 minutes and can be answered once). Go back to the app you were connecting and start again.";

#[derive(Clone)]
enum Loaded {
    Loading,
    /// Unknown, used or expired.
    Missing,
    Failed(String),
    Ready(Value),
}

#[component]
pub fn ConnectPage() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let id = request_id();
    let loaded = RwSignal::new(Loaded::Loading);
    if id.is_empty() {
        loaded.set(Loaded::Missing);
    } else {
        let id = id.clone();
        spawn_local(async move {
            loaded.set(match client::authorization_request(auth, &id).await {
                Ok(request) => Loaded::Ready(request),
                Err(ApiFailure::NotFound(_)) => Loaded::Missing,
                // The sign-in page shows instead, and this page loads again after it.
                Err(ApiFailure::SignedOut) => Loaded::Loading,
                Err(failure) => Loaded::Failed(failure.to_string()),
            });
        });
    }
    view! {
        <main class="connect">
            <h1 class="brand">"Tasko"</h1>
            {move || match loaded.get() {
                Loaded::Loading => {
                    view! {
                        <p class="connect-card" role="status">
                            "Loading the request…"
                        </p>
                    }
                        .into_any()
                }
                Loaded::Missing => {
                    view! {
                        <Unanswerable heading="Nothing to connect" message=MISSING.to_owned() />
                    }
                        .into_any()
                }
                Loaded::Failed(message) => {
                    view! { <Unanswerable heading="The request could not be loaded" message /> }
                        .into_any()
                }
                Loaded::Ready(request) => view! { <ConsentCard request id=id.clone() /> }.into_any(),
            }}
        </main>
    }
}

/// A request that cannot be answered: why, and the way back to the todos.
#[component]
fn Unanswerable(heading: &'static str, message: String) -> impl IntoView {
    view! {
        <section class="connect-card" aria-labelledby="connect-heading">
            <h2 id="connect-heading">{heading}</h2>
            <p role="alert">{message}</p>
            <a href="/">"Go to your todos"</a>
        </section>
    }
}
