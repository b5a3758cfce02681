//! The conversation: the messages (kept scrolled to the bottom only while the user is at the
//! bottom, with a "Jump to latest" button otherwise), a hint while it is empty, and an
//! aria-live region that announces finished replies.

use leptos::{html, prelude::*};

use super::{message_bubble::MessageBubble, state::ChatState};

/// Plain text for screen readers: markdown markers dropped.
fn spoken(markdown: &str) -> String {
    markdown
        .chars()
        .filter(|c| !matches!(c, '*' | '\\' | '#' | '`'))
        .collect()
}

/// `at_bottom`: the user is reading the latest (sending a message sets it again).
#[component]
pub fn ChatLog(at_bottom: RwSignal<bool>, hidden: Signal<bool>) -> impl IntoView {
    let chat = expect_context::<ChatState>();
    let log = NodeRef::<html::Div>::new();
    let scroll_to_bottom = move || {
        if let Some(el) = log.get_untracked() {
            el.set_scroll_top(el.scroll_height());
        }
    };
    Effect::new(move |_| {
        chat.content_version.track();
        if at_bottom.get_untracked() {
            scroll_to_bottom();
        }
    });
    let on_scroll = move |_| {
        if let Some(el) = log.get_untracked() {
            let gap = el.scroll_height() - el.scroll_top() - el.client_height();
            at_bottom.set(gap < 40);
        }
    };
    view! {
        <div
            class="chat-log"
            class:hidden=move || hidden.get()
            node_ref=log
            on:scroll=on_scroll
            role="log"
            aria-label="Conversation"
        >
            <Show when=move || chat.messages.with(Vec::is_empty)>
                <div class="chat-empty">
                    <p>"Ask me about your todos, for example:"</p>
                    <ul>
                        <li>"list my todos due this week"</li>
                        <li>"add call mom tomorrow"</li>
                        <li>"mark the dentist one as complete"</li>
                    </ul>
                </div>
            </Show>
            <For
                each=move || chat.messages.get()
                key=|message| message.key
                children=move |message| view! { <MessageBubble message /> }
            />
        </div>
        <Show when=move || !at_bottom.get()>
            <button
                type="button"
                class="jump"
                on:click=move |_| {
                    at_bottom.set(true);
                    scroll_to_bottom();
                }
            >
                "Jump to latest ↓"
            </button>
        </Show>
        <div class="visually-hidden" aria-live="polite">
            {move || spoken(&chat.announcement.get())}
        </div>
    }
}
