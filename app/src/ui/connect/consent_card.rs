//! The consent screen: the client's name (its own claim) beside its site (the host, which a
//! look-alike name cannot change), what it asks, the account it acts as, where the browser
//! goes afterwards, and Approve / Deny. The answer's redirect is followed only if it extends
//! the request's `redirect_uri` (`wire::oauth::redirect_allowed`).
//!
//! No logo, even an https one: the CSP allows images from this origin only (`img-src 'self'
//! data:`), and loading one would tell the client's host who opened the page before they
//! answered; a logo is as much the client's own claim as its name.

use leptos::{prelude::*, task::spawn_local};
use serde_json::Value;

use super::{client, connect_page::MISSING};
use crate::ui::{
    api::ApiFailure,
    auth::session::Auth,
    browser::{focus_soon, window},
};
use crate::wire::oauth::{host_of, redirect_allowed};

fn text(value: &Value, key: &str) -> String {
    value[key].as_str().unwrap_or_default().to_owned()
}

#[component]
pub fn ConsentCard(request: Value, id: String) -> impl IntoView {
    let auth = expect_context::<Auth>();
    let client_name = text(&request["client"], "name");
    let site = text(&request["client"], "site");
    let redirect_uri = text(&request, "redirectUri");
    let back_to = host_of(&redirect_uri).to_owned();
    let asks = if text(&request, "access") == "write" {
        "Read and change your todos"
    } else {
        "Read your todos"
    };
    // `Some(true)` while approving, `Some(false)` while denying.
    let answering = RwSignal::new(None::<bool>);
    let error = RwSignal::new(None::<String>);
    let answer = move |approve: bool| {
        let (id, redirect_uri) = (id.clone(), redirect_uri.clone());
        answering.set(Some(approve));
        error.set(None);
        spawn_local(async move {
            match client::answer(auth, &id, approve).await {
                Ok(redirect) if redirect_allowed(&redirect, &redirect_uri) => {
                    // Stays "busy" while the browser leaves.
                    if window().location().assign(&redirect).is_err() {
                        error.set(Some("The browser refused to go back to the app.".into()));
                        answering.set(None);
                    }
                }
                Ok(_) => {
                    error.set(Some(
                        "The server's answer pointed somewhere other than the app's address, so Tasko did not follow it."
                            .into(),
                    ));
                    answering.set(None);
                }
                Err(ApiFailure::NotFound(_)) => {
                    error.set(Some(MISSING.into()));
                    answering.set(None);
                }
                Err(failure) => {
                    error.set(Some(failure.to_string()));
                    answering.set(None);
                }
            }
        });
    };
    let busy = move || answering.get().is_some();
    let (approve, deny) = (answer.clone(), answer);
    let heading = format!("Connect {client_name} to Tasko?");
    // The question is what a screen reader should read first, and Tab goes on to Approve.
    focus_soon("#connect-heading");
    let back_to_again = back_to.clone();

    view! {
        <section
            class="connect-card"
            aria-labelledby="connect-heading"
            aria-busy=move || busy().to_string()
        >
            <h2 id="connect-heading" tabindex="-1">
                {heading}
            </h2>
            <dl class="connect-facts">
                <dt>"App"</dt>
                <dd class="connect-name">{client_name}</dd>
                <dt>"Site"</dt>
                <dd class="connect-site">{site}</dd>
                <dt>"It asks to"</dt>
                <dd class="connect-access">{asks}</dd>
                <dt>"Your account"</dt>
                <dd class="connect-account">{auth.email()}</dd>
                <dt>"Afterwards you go to"</dt>
                <dd class="connect-redirect">{back_to}</dd>
            </dl>
            <p class="hint">
                "Approve only if you started this from that app. It acts as you until you revoke it in Settings → Connected apps; what it changes shows in Settings → Activity, with Undo."
            </p>
            {move || {
                error
                    .get()
                    .map(|e| {
                        view! {
                            <p class="error" role="alert">
                                {e}
                            </p>
                        }
                    })
            }}
            {move || {
                answering
                    .get()
                    .map(|approved| {
                        let said = if approved { "Approved" } else { "Denied" };
                        view! {
                            <p role="status">
                                {format!("{said}. Taking you back to {back_to_again}…")}
                            </p>
                        }
                    })
            }}
            <div class="connect-actions">
                <button type="button" class="primary" disabled=busy on:click=move |_| approve(true)>
                    "Approve"
                </button>
                <button type="button" disabled=busy on:click=move |_| deny(false)>
                    "Deny"
                </button>
            </div>
            <p class="switch">
                "Not you? " <button type="button" class="link" on:click=move |_| auth.sign_out()>
                    "Sign out"
                </button>
            </p>
        </section>
    }
}
