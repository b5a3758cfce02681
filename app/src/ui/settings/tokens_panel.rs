//! "Access tokens": create one (a name, read-only or read-write), see its secret once with
//! a Copy button, list them with their created and last-used times, revoke one after a
//! confirmation.

use leptos::{prelude::*, task::spawn_local};

use serde_json::Value;

use super::{short_time, text};
use crate::ui::{api, auth::session::Auth, chat::copy::copy_text};

fn access_label(access: &str) -> &'static str {
    if access == "write" {
        "Read and write"
    } else {
        "Read-only"
    }
}

#[component]
pub fn TokensPanel() -> impl IntoView {
    let auth = expect_context::<Auth>();
    // `None` while loading; the list, or why it could not be read.
    let tokens = RwSignal::new(None::<Result<Vec<Value>, String>>);
    let load = move || {
        spawn_local(async move {
            let found = api::access_tokens(auth).await.map_err(|f| f.to_string());
            tokens.set(Some(found));
        });
    };
    load();
    let name = RwSignal::new(String::new());
    let write = RwSignal::new(false);
    let created = RwSignal::new(None::<Value>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let confirming = RwSignal::new(None::<String>);
    let copied = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let access = if write.get_untracked() {
            "write"
        } else {
            "read"
        };
        let typed = name.get_untracked();
        busy.set(true);
        spawn_local(async move {
            match api::create_access_token(auth, &typed, access).await {
                Ok(token) => {
                    error.set(None);
                    copied.set(false);
                    created.set(Some(token));
                    name.set(String::new());
                    load();
                }
                Err(failure) => error.set(Some(failure.to_string())),
            }
            busy.set(false);
        });
    };
    let revoke = move |id: String| {
        spawn_local(async move {
            match api::revoke_access_token(auth, &id).await {
                Ok(()) => error.set(None),
                Err(failure) => error.set(Some(failure.to_string())),
            }
            confirming.set(None);
            load();
        });
    };
    let copy = move |_| {
        if let Some(token) = created.get_untracked() {
            spawn_local(async move { copied.set(copy_text(&text(&token, "token")).await) });
        }
    };

    let row = move |token: Value| {
        let (id, name) = (text(&token, "id"), text(&token, "name"));
        let (id_again, id_revoked) = (id.clone(), id.clone());
        let asking = move || confirming.get().as_deref() == Some(id.as_str());
        let last_used = token["lastUsedAt"]
            .as_str()
            .map_or("never".to_owned(), short_time);
        view! {
            <li class="token">
                <span class="token-name">{name.clone()}</span>
                <span class="token-access">{access_label(&text(&token, "access"))}</span>
                <span class="token-times">
                    "Created " {short_time(&text(&token, "createdAt"))} " · Last used " {last_used}
                </span>
                <button
                    type="button"
                    class="link"
                    on:click=move |_| confirming.set(Some(id_again.clone()))
                >
                    "Revoke"
                </button>
                {move || {
                    asking()
                        .then(|| {
                            let (id, name) = (id_revoked.clone(), name.clone());
                            view! {
                                <span class="confirm" role="alert">
                                    "Revoke “"
                                    {name}
                                    "”? Whatever uses it stops working at once. "
                                    <button type="button" on:click=move |_| revoke(id.clone())>
                                        "Revoke token"
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
        <div class="tokens-panel" role="tabpanel">
            <p class="hint">
                "A personal access token lets a script or another app use your todos as you: "
                "it sends " <code>"Authorization: Bearer tasko_pat_…"</code> "."
            </p>
            <form class="new-token-form" on:submit=submit>
                <label>
                    "Token name "
                    <input
                        type="text"
                        maxlength="60"
                        required
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))
                    />
                </label>
                <fieldset>
                    <legend>"Access"</legend>
                    <label>
                        <input
                            type="radio"
                            name="token-access"
                            prop:checked=move || !write.get()
                            on:change=move |_| write.set(false)
                        />
                        "Read-only"
                    </label>
                    <label>
                        <input
                            type="radio"
                            name="token-access"
                            prop:checked=move || write.get()
                            on:change=move |_| write.set(true)
                        />
                        "Read and write"
                    </label>
                </fieldset>
                <button type="submit" disabled=move || busy.get()>
                    "Create token"
                </button>
            </form>
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
                created
                    .get()
                    .map(|token| {
                        view! {
                            <div class="new-token" role="status">
                                <p>"Your new token “" {text(&token, "name")} "”:"</p>
                                <code class="new-token-value">{text(&token, "token")}</code>
                                <button type="button" on:click=copy>
                                    {move || if copied.get() { "Copied" } else { "Copy" }}
                                </button>
                                <p>"Copy it now: it will not be shown again."</p>
                                <button
                                    type="button"
                                    class="link"
                                    on:click=move |_| created.set(None)
                                >
                                    "Done"
                                </button>
                            </div>
                        }
                    })
            }}
            <h3>"Your tokens"</h3>
            {move || match tokens.get() {
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
                    view! { <p class="empty">"No access tokens yet."</p> }.into_any()
                }
                Some(Ok(list)) => {
                    view! { <ul class="token-list">{list.into_iter().map(row).collect_view()}</ul> }
                        .into_any()
                }
            }}
        </div>
    }
}
