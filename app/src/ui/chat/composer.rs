//! The composer: the files for the next message (chips), the note while the last message is
//! being edited, the text box (Enter sends, Shift+Enter adds a line), Send or Stop, and the
//! file picker. Offline, a message is not sent: the composer says the assistant needs a
//! connection and keeps what was typed.

use leptos::{ev::KeyboardEvent, prelude::*};

use super::state::{ChatState, Connection};
use crate::ui::files::{FilePicker, UploadProgress};

/// `on_send` runs after a message is handed to the chat (the log then follows it).
#[component]
pub fn Composer(on_send: UnsyncCallback<()>) -> impl IntoView {
    let chat = expect_context::<ChatState>();
    let draft = chat.draft;
    let add_files = UnsyncCallback::new(move |files: Vec<web_sys::File>| chat.add_files(files));
    let remove_file = UnsyncCallback::new(move |key: u64| chat.remove_attachment(key));
    let offline = RwSignal::new(false);
    let send = move || {
        let text = draft.get_untracked().trim().to_owned();
        // The browser says it is offline, or the chat could not reach the server.
        let unreachable = !crate::ui::browser::window().navigator().on_line()
            || matches!(
                chat.connection.get_untracked(),
                Connection::Reconnecting | Connection::Offline
            );
        if !text.is_empty() && unreachable {
            offline.set(true);
            return;
        }
        if text.is_empty()
            || chat.busy.get_untracked()
            || chat.uploading()
            || chat.viewing.with_untracked(Option::is_some)
        {
            return;
        }
        offline.set(false);
        draft.set(String::new());
        on_send.run(());
        chat.send_message(text);
    };
    let on_key = move |ev: KeyboardEvent| {
        if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
            ev.prevent_default();
            send();
        }
    };
    view! {
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
            <Show when=move || offline.get()>
                <p class="offline-note" role="alert">
                    "The assistant needs a connection. Your message is kept here: send it when you are back online."
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
    }
}
