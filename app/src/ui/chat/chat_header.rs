//! The chat's header: the connection pill, History (the list of past conversations instead
//! of the transcript), "New chat", and the button that hides the sidebar.

use leptos::prelude::*;

use super::state::ChatState;

#[component]
pub fn ChatHeader(open: RwSignal<bool>, listing: RwSignal<bool>) -> impl IntoView {
    let chat = expect_context::<ChatState>();
    view! {
        <header class="chat-header">
            <h2>"Assistant"</h2>
            <span class=move || {
                format!("pill {}", chat.connection.get().label())
            }>{move || chat.connection.get().label()}</span>
            <button
                type="button"
                class="link"
                aria-pressed=move || listing.get().to_string()
                on:click=move |_| listing.update(|l| *l = !*l)
            >
                "History"
            </button>
            <button
                type="button"
                class="link"
                on:click=move |_| {
                    listing.set(false);
                    chat.new_chat();
                }
            >
                "New chat"
            </button>
            <button
                type="button"
                class="icon"
                aria-label="Hide assistant"
                aria-expanded="true"
                on:click=move |_| open.set(false)
            >
                "×"
            </button>
        </header>
    }
}

/// Shown while a past conversation is on view (read-only): continue it, or go back.
#[component]
pub fn ViewingBar() -> impl IntoView {
    let chat = expect_context::<ChatState>();
    move || {
        chat.viewing.get().map(|(_, title)| {
            view! {
                <div class="viewing" role="status">
                    <span>"Past conversation: " <strong>{title}</strong></span>
                    <button type="button" class="primary" on:click=move |_| chat.continue_past()>
                        "Continue this conversation"
                    </button>
                    <button type="button" class="link" on:click=move |_| chat.back_to_current()>
                        "Back to current chat"
                    </button>
                </div>
            }
        })
    }
}
