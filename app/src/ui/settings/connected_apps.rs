//! "Connected apps": every OAuth grant (an AI client the user approved on the consent
//! page) with its site, access, created and last-used times; Revoke after a confirmation
//! stops its tokens at once.

use leptos::{prelude::*, task::spawn_local};

use serde_json::Value;

use super::{short_time, text};
use crate::ui::{auth::session::Auth, connect::client};

#[component]
pub fn ConnectedApps() -> impl IntoView {
    let auth = expect_context::<Auth>();
    // `None` while loading; the list, or why it could not be read.
    let grants = RwSignal::new(None::<Result<Vec<Value>, String>>);
    let load = move || {
        spawn_local(async move {
            let found = client::grants(auth).await.map_err(|f| f.to_string());
            grants.set(Some(found));
        });
    };
    load();
    let error = RwSignal::new(None::<String>);
    let said = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(None::<String>);
    let revoke = move |id: String, name: String| {
        spawn_local(async move {
            match client::revoke_grant(auth, &id).await {
                Ok(()) => {
                    error.set(None);
                    said.set(Some(format!("“{name}” can no longer use your todos.")));
                }
                Err(failure) => error.set(Some(failure.to_string())),
            }
            confirming.set(None);
            load();
        });
    };

    let row = move |grant: Value| {
        let id = text(&grant, "id");
        let name = text(&grant["client"], "name");
        let site = text(&grant["client"], "site");
        let access = if text(&grant, "access") == "write" {
            "Read and change"
        } else {
            "Read-only"
        };
        let last_used = grant["lastUsedAt"]
            .as_str()
            .map_or("never".to_owned(), short_time);
        let (id_again, id_revoked) = (id.clone(), id.clone());
        let asking = move || confirming.get().as_deref() == Some(id.as_str());
        let (name_shown, site_shown) = (name.clone(), site.clone());
        view! {
            <li class="grant">
                <span class="grant-name">{name_shown}</span>
                <span class="grant-site">{site_shown}</span>
                <span class="grant-access">{access}</span>
                <span class="grant-times">
                    "Connected " {short_time(&text(&grant, "createdAt"))} " · Last used "
                    {last_used}
                </span>
                <button
                    type="button"
                    class="link"
                    aria-label=format!("Revoke {name} ({site})")
                    on:click=move |_| confirming.set(Some(id_again.clone()))
                >
                    "Revoke"
                </button>
                {move || {
                    asking()
                        .then(|| {
                            let (id, name, site) = (id_revoked.clone(), name.clone(), site.clone());
                            let name_said = name.clone();
                            view! {
                                <span class="confirm" role="alert">
                                    "Disconnect “"
                                    {name_said}
                                    "” ("
                                    {site}
                                    ")? It loses access to your todos at once. "
                                    <button
                                        type="button"
                                        on:click=move |_| revoke(id.clone(), name.clone())
                                    >
                                        "Revoke access"
                                    </button>
                                    <button
                                        type="button"
                                        class="link"
                                        on:click=move |_| confirming.set(None)
                                    >
                                        "Cancel"
                                    </button>
                                </span>
                            }
                        })
                }}
            </li>
        }
    };

    view! {
        <div class="grants-panel" role="tabpanel">
            <p class="hint">
                "AI clients (Claude, VS Code, Cursor, …) you allowed to use your todos when they asked to sign in."
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
            {move || said.get().map(|s| view! { <p role="status">{s}</p> })}
            {move || match grants.get() {
                None => view! { <p role="status">"Loading…"</p> }.into_any(),
                Some(Err(failure)) => {
                    view! {
                        <p class="error" role="alert">
                            {failure}
                        </p>
                    }
                        .into_any()
                }
                Some(Ok(list)) if list.is_empty() => {
                    view! {
                        <p class="empty">
                            "No connected apps. When an AI client signs in to Tasko and you approve it, it shows here."
                        </p>
                    }
                        .into_any()
                }
                Some(Ok(list)) => {
                    view! { <ul class="grant-list">{list.into_iter().map(row).collect_view()}</ul> }
                        .into_any()
                }
            }}
        </div>
    }
}
