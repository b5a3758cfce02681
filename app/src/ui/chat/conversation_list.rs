//! Past conversations: the user's list, newest first, a page at a time ("Show older"). A
//! line opens its conversation (read-only until "Continue"); its delete button removes it
//! after the browser's confirmation.

use leptos::{prelude::*, task::spawn_local};
use wasm_bindgen::JsValue;

use super::state::ChatState;
use crate::{
    ui::{api, auth::session::Auth, browser::window},
    wire::chat::ConversationSummary,
};

/// `updatedAt` in the browser's own words and time zone.
fn when(rfc3339: &str) -> String {
    let date = js_sys::Date::new(&JsValue::from_str(rfc3339));
    let options = js_sys::Object::new();
    for (key, value) in [
        ("month", "short"),
        ("day", "numeric"),
        ("hour", "numeric"),
        ("minute", "2-digit"),
    ] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    date.to_locale_string("default", &options).into()
}

#[component]
pub fn ConversationList(#[prop(into)] on_open: Callback<()>) -> impl IntoView {
    let chat = expect_context::<ChatState>();
    let auth = expect_context::<Auth>();
    let items = RwSignal::new(Vec::<ConversationSummary>::new());
    let next = RwSignal::new(None::<String>);
    let failure = RwSignal::new(None::<String>);
    let loading = RwSignal::new(true);
    let load = move |cursor: Option<String>| {
        loading.set(true);
        spawn_local(async move {
            match api::chat_conversations(auth, cursor.as_deref()).await {
                Ok(list) => {
                    items.update(|all| all.extend(list.conversations));
                    next.set(list.next);
                    failure.set(None);
                }
                Err(e) => failure.set(Some(e.to_string())),
            }
            loading.set(false);
        });
    };
    load(None);
    let delete = move |summary: ConversationSummary| {
        let title = if summary.title.is_empty() {
            "this conversation".to_owned()
        } else {
            format!("“{}”", summary.title)
        };
        let asked = window()
            .confirm_with_message(&format!("Delete {title}? This cannot be undone."))
            .unwrap_or(false);
        if !asked {
            return;
        }
        spawn_local(async move {
            match api::chat_delete_conversation(auth, &summary.session_id).await {
                Ok(()) => {
                    items.update(|all| all.retain(|c| c.session_id != summary.session_id));
                    chat.forget(&summary.session_id);
                }
                Err(e) => failure.set(Some(e.to_string())),
            }
        });
    };

    view! {
        <section class="conversations" aria-label="Past conversations">
            <h3>"Conversations"</h3>
            {move || {
                failure
                    .get()
                    .map(|why| {
                        view! {
                            <p class="chat-error" role="alert">
                                {why}
                            </p>
                        }
                    })
            }}
            <Show when=move || !loading.get() && items.with(Vec::is_empty)>
                <p class="muted">"No conversations yet."</p>
            </Show>
            <ul>
                <For
                    each=move || items.get()
                    key=|c| c.session_id.clone()
                    children=move |summary| {
                        let title = if summary.title.is_empty() {
                            "(untitled)".to_owned()
                        } else {
                            summary.title.clone()
                        };
                        let (id, open_title) = (summary.session_id.clone(), title.clone());
                        let label = format!("Delete “{title}”");
                        let stamp = when(&summary.updated_at);
                        view! {
                            <li class="conversation">
                                <button
                                    type="button"
                                    class="link open"
                                    on:click=move |_| {
                                        chat.open_past(id.clone(), open_title.clone());
                                        on_open.run(());
                                    }
                                >
                                    {title}
                                </button>
                                <time datetime=summary.updated_at.clone()>{stamp}</time>
                                <button
                                    type="button"
                                    class="icon delete"
                                    aria-label=label
                                    title="Delete"
                                    on:click=move |_| delete(summary.clone())
                                >
                                    "🗑"
                                </button>
                            </li>
                        }
                    }
                />
            </ul>
            <Show when=move || next.with(Option::is_some)>
                <button
                    type="button"
                    class="link"
                    disabled=move || loading.get()
                    on:click=move |_| load(next.get_untracked())
                >
                    "Show older"
                </button>
            </Show>
        </section>
    }
}
