//! The chat sidebar: creates the chat state, and lays out its parts: the header
//! ([`ChatHeader`]), the past conversations ([`ConversationList`]) or the one on view
//! ([`ViewingBar`], [`ChatLog`]), a plan opened by its link ([`LinkedPlan`]), and the
//! [`Composer`]. Files dropped anywhere on it go
//! with the next message. On a narrow screen it starts hidden behind a button.

use leptos::prelude::*;

use super::{
    chat_header::{ChatHeader, ViewingBar},
    chat_log::ChatLog,
    composer::Composer,
    conversation_list::ConversationList,
    plan_card::LinkedPlan,
    state::ChatState,
};
use crate::ui::{
    auth::session::Auth,
    browser::{take_id_from_address, window},
    files::DragHighlight,
    todos::state::TodoState,
};

#[component]
pub fn ChatPanel() -> impl IntoView {
    let chat = ChatState::new(expect_context::<Auth>(), expect_context::<TodoState>());
    provide_context(chat);
    chat.connect();

    let narrow = window()
        .inner_width()
        .ok()
        .and_then(|w| w.as_f64())
        .is_some_and(|w| w < 700.0);
    // A plan opened by its link (an MCP client's) shows at once, even on a narrow screen.
    let linked = take_id_from_address("plan");
    let open = RwSignal::new(!narrow || linked.is_some());
    // The list of past conversations is shown instead of the transcript.
    let listing = RwSignal::new(false);
    let at_bottom = RwSignal::new(true);
    let drag = DragHighlight::new();

    view! {
        <Show when=move || !open.get()>
            <button
                type="button"
                class="chat-toggle primary"
                aria-controls="assistant"
                aria-expanded="false"
                on:click=move |_| open.set(true)
            >
                "Assistant"
            </button>
        </Show>
        <aside
            id="assistant"
            class="chat drop-zone"
            class:collapsed=move || !open.get()
            class:dragging=move || drag.active.get()
            aria-label="Assistant"
            on:dragenter=move |ev| drag.enter(ev)
            on:dragover=move |ev| drag.over(ev)
            on:dragleave=move |ev| drag.leave(ev)
            on:drop=move |ev| {
                let files = drag.drop(ev);
                if !files.is_empty() {
                    chat.add_files(files);
                }
            }
        >
            <div class="drop-hint" aria-hidden="true">
                "Drop files for the assistant"
            </div>
            <ChatHeader open listing />
            <Show when=move || listing.get()>
                <ConversationList on_open=move || listing.set(false) />
            </Show>
            <ViewingBar />
            {linked.map(|plan_id| view! { <LinkedPlan plan_id /> })}
            <ChatLog at_bottom hidden=listing.into() />
            <Composer on_send=UnsyncCallback::new(move |()| at_bottom.set(true)) />
        </aside>
    }
}
