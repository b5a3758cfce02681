//! Keyboard shortcuts of the signed-in page: `n` the add box, `s` the search box, `z` the
//! offered Undo, `/` the chat, `?` this list, `Esc` closes what is open. None fires while
//! typing in a field (the field gets the key), or with Ctrl / Alt / Meta (the browser's own
//! shortcuts).

use leptos::{ev::KeyboardEvent, prelude::*};
use wasm_bindgen::JsCast;

use super::state::TodoState;

const SHORTCUTS: [(&str, &str); 6] = [
    ("n", "Add a todo"),
    ("s", "Search your todos"),
    ("z", "Undo the last delete (while it is offered)"),
    ("/", "Ask the assistant"),
    ("?", "Show these shortcuts"),
    ("Esc", "Close what is open"),
];

/// Whether the key went to something that takes typing.
fn typing(ev: &KeyboardEvent) -> bool {
    let Some(element) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return false;
    };
    matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
        || element.is_content_editable()
}

fn focus(selector: &str) {
    if let Some(element) = document()
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

/// Installs the shortcuts; `selected` is the todo whose details are open (Esc closes them).
#[component]
pub fn Shortcuts(selected: RwSignal<Option<String>>) -> impl IntoView {
    let state = expect_context::<TodoState>();
    let open = RwSignal::new(false);
    let listener = window_event_listener(leptos::ev::keydown, move |ev: KeyboardEvent| {
        if ev.ctrl_key() || ev.alt_key() || ev.meta_key() || ev.default_prevented() || typing(&ev) {
            return;
        }
        match ev.key().as_str() {
            "n" => {
                ev.prevent_default();
                open.set(false);
                focus("input.new-todo");
            }
            "s" => {
                ev.prevent_default();
                open.set(false);
                focus("input.search");
            }
            "z" if state.undo.with_untracked(Option::is_some) => {
                ev.prevent_default();
                state.undo();
            }
            "/" => {
                ev.prevent_default();
                open.set(false);
                focus("#chat-input");
            }
            "?" => {
                ev.prevent_default();
                open.update(|o| *o = !*o);
            }
            "Escape" => {
                if open.get_untracked() {
                    open.set(false);
                } else if selected.get_untracked().is_some() {
                    selected.set(None);
                } else if state.undo.with_untracked(Option::is_some) {
                    state.undo.set(None);
                }
            }
            _ => {}
        }
    });
    on_cleanup(move || listener.remove());

    view! {
        <Show when=move || open.get()>
            <div class="shortcuts" role="dialog" aria-label="Keyboard shortcuts">
                <h3>"Keyboard shortcuts"</h3>
                <dl>
                    {SHORTCUTS
                        .iter()
                        .map(|(key, what)| {
                            view! {
                                <dt>
                                    <kbd>{*key}</kbd>
                                </dt>
                                <dd>{*what}</dd>
                            }
                        })
                        .collect_view()}
                </dl>
                <button type="button" class="link" on:click=move |_| open.set(false)>
                    "Close"
                </button>
            </div>
        </Show>
    }
}
