//! "Activity": what anything but the user's own clicks changed in their todos (the
//! assistant, MCP clients, access tokens), newest first, with Undo where it still applies
//! (the server refuses with a sentence when the todo changed since).

use leptos::{prelude::*, task::spawn_local};

use serde_json::Value;

use super::{short_time, summary::runs, text};
use crate::ui::{api, auth::session::Auth, todos::state::TodoState};

#[component]
pub fn ActivityPanel() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let todos = expect_context::<TodoState>();
    let entries = RwSignal::new(Vec::<Value>::new());
    let next = RwSignal::new(None::<String>);
    let loading = RwSignal::new(true);
    let message = RwSignal::new(None::<String>);

    // Loads the first page (`more`: the page after the last one shown).
    let load = move |more: bool| {
        let cursor = if more { next.get_untracked() } else { None };
        loading.set(true);
        spawn_local(async move {
            match api::activity(auth, cursor.as_deref()).await {
                Ok(mut page) => {
                    let found = match page["activity"].take() {
                        Value::Array(found) => found,
                        _ => Vec::new(),
                    };
                    if more {
                        entries.update(|shown| shown.extend(found));
                    } else {
                        entries.set(found);
                    }
                    next.set(page["next"].as_str().map(str::to_owned));
                }
                Err(failure) => message.set(Some(failure.to_string())),
            }
            loading.set(false);
        });
    };
    load(false);
    let undo = move |change_id: String| {
        spawn_local(async move {
            match api::activity_undo(auth, &change_id).await {
                Ok(()) => {
                    message.set(Some("Undone.".into()));
                    todos.reload();
                }
                Err(failure) => message.set(Some(failure.to_string())),
            }
            load(false);
        });
    };

    let row = move |entry: Value| {
        let id = text(&entry, "changeId");
        let said = runs(&text(&entry, "summary"))
            .into_iter()
            .map(|(text, emphasized)| {
                if emphasized {
                    view! { <em>{text}</em> }.into_any()
                } else {
                    text.into_any()
                }
            })
            .collect_view();
        view! {
            <li class="activity">
                <span class="activity-summary">{said}</span>
                <span class="activity-meta">
                    {text(&entry["actor"], "name")} " · " {short_time(&text(&entry, "at"))}
                </span>
                {(entry["undoable"] == true)
                    .then(|| {
                        view! {
                            <button type="button" on:click=move |_| undo(id.clone())>
                                "Undo"
                            </button>
                        }
                    })}
            </li>
        }
    };

    view! {
        <div class="activity-panel" role="tabpanel">
            <p class="hint">
                "Changes made to your todos by the assistant, connected apps and access tokens."
            </p>
            {move || message.get().map(|m| view! { <p role="status">{m}</p> })}
            <ul class="activity-list">
                {move || entries.get().into_iter().map(row).collect_view()}
            </ul>
            {move || {
                (!loading.get() && entries.with(Vec::is_empty))
                    .then(|| view! { <p class="empty">"Nothing yet."</p> })
            }}
            {move || {
                next.with(Option::is_some)
                    .then(|| {
                        view! {
                            <button type="button" class="link" on:click=move |_| load(true)>
                                "Show older"
                            </button>
                        }
                    })
            }}
        </div>
    }
}
