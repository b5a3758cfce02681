//! The chat sidebar: header with the connection pill and "New chat", the conversation (kept
//! scrolled to the bottom only while the user is at the bottom), an aria-live region that
//! announces finished replies, and the composer (Enter sends, Shift+Enter adds a line).

use leptos::{ev::KeyboardEvent, html, prelude::*};

use super::{conversation_list::ConversationList, message_bubble::MessageBubble, state::ChatState};
use crate::ui::{
    auth::session::Auth,
    browser::window,
    files::{DragHighlight, FilePicker, UploadProgress},
    todos::state::TodoState,
};

/// Plain text for screen readers: markdown markers dropped.
fn spoken(markdown: &str) -> String {
    markdown
        .chars()
        .filter(|c| !matches!(c, '*' | '\\' | '#' | '`'))
        .collect()
}

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
    let open = RwSignal::new(!narrow);
    let draft = chat.draft;
    // The list of past conversations is shown instead of the transcript.
    let listing = RwSignal::new(false);
    let log = NodeRef::<html::Div>::new();
    let at_bottom = RwSignal::new(true);

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
    let drag = DragHighlight::new();
    let add_files = UnsyncCallback::new(move |files: Vec<web_sys::File>| chat.add_files(files));
    let remove_file = UnsyncCallback::new(move |key: u64| chat.remove_attachment(key));
    let send = move || {
        let text = draft.get_untracked().trim().to_owned();
        if text.is_empty()
            || chat.busy.get_untracked()
            || chat.uploading()
            || chat.viewing.with_untracked(Option::is_some)
        {
            return;
        }
        draft.set(String::new());
        at_bottom.set(true);
        chat.send_message(text);
    };
    let on_key = move |ev: KeyboardEvent| {
        if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
            ev.prevent_default();
            send();
        }
    };

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
            <Show when=move || listing.get()>
                <ConversationList on_open=move || listing.set(false) />
            </Show>
            {move || {
                chat.viewing
                    .get()
                    .map(|(_, title)| {
                        view! {
                            <div class="viewing" role="status">
                                <span>"Past conversation: " <strong>{title}</strong></span>
                                <button
                                    type="button"
                                    class="primary"
                                    on:click=move |_| chat.continue_past()
                                >
                                    "Continue this conversation"
                                </button>
                                <button
                                    type="button"
                                    class="link"
                                    on:click=move |_| chat.back_to_current()
                                >
                                    "Back to current chat"
                                </button>
                            </div>
                        }
                    })
            }}
            <div
                class="chat-log"
                class:hidden=move || listing.get()
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
            <form
                class="composer"
                on:submit=move |ev| {
                    ev.prevent_default();
                    send();
                }
            >
                <Show when=move || !chat.attachments.with(Vec::is_empty)>
                    <ul class="chips" aria-label="Files for the next message">
                        <For
                            each=move || chat.attachments.get()
                            key=|upload| upload.key
                            children=move |upload| {
                                view! { <UploadProgress upload on_dismiss=remove_file /> }
                            }
                        />
                    </ul>
                </Show>
                <Show when=move || chat.editing.get()>
                    <p class="editing">
                        "Editing your last message"
                        <button
                            type="button"
                            class="link"
                            on:click=move |_| {
                                chat.editing.set(false);
                                draft.set(String::new());
                            }
                        >
                            "Cancel"
                        </button>
                    </p>
                </Show>
                <label for="chat-input" class="visually-hidden">
                    "Message the assistant"
                </label>
                <textarea
                    id="chat-input"
                    rows="2"
                    maxlength="4000"
                    placeholder=move || {
                        if chat.attachments.with(Vec::is_empty) {
                            "Ask about your todos…"
                        } else {
                            "Say what to do with the file, e.g. “attach it to …”"
                        }
                    }
                    bind:value=draft
                    disabled=move || chat.viewing.with(Option::is_some)
                    on:keydown=on_key
                ></textarea>
                {move || {
                    if chat.busy.get() {
                        view! {
                            <button type="button" class="stop" on:click=move |_| chat.stop()>
                                "Stop"
                            </button>
                        }
                            .into_any()
                    } else {
                        view! {
                            <button type="submit" class="primary" disabled=move || chat.uploading()>
                                "Send"
                            </button>
                        }
                            .into_any()
                    }
                }}
                <FilePicker on_files=add_files label="Attach files to the message" icon=true />
            </form>
        </aside>
    }
}
