//! The add box with quick add: on every keystroke the line is read (the shared words
//! layer, run here in wasm: no round-trip) as a title and a trailing due date, shown as a
//! chip with the title it leaves ("call mom friday" → "call mom" · Fri, Nov 27). Enter adds
//! exactly what the chip shows, however fast it comes. Backspace on the chip (or its ×)
//! keeps the words literal; so does quoting them. A line longer than a todo can be gets a
//! sentence instead of a request.

use leptos::{ev::KeyboardEvent, prelude::*};

use super::state::TodoState;
use crate::{
    ui::browser::today,
    wire::NewTodo,
    words::{
        dates::to_iso,
        quick_add::{LINE_MAX_CHARS, QuickAdd},
    },
};

#[component]
pub fn AddBox() -> impl IntoView {
    let state = expect_context::<TodoState>();
    let text = RwSignal::new(String::new());
    let hint = RwSignal::new(None::<String>);
    // Text the user asked to keep literal.
    let literal = RwSignal::new(None::<String>);
    // What the line means now: read synchronously, so the chip and Enter never lag the keys.
    let reading = Memo::new(move |_| text.with(|t| QuickAdd::read(t, today())));

    // The chip shows when the reading found a date and the user did not undo it.
    let chip = move || {
        let current = text.get();
        if literal.with(|l| l.as_deref() == Some(current.as_str())) {
            return None;
        }
        reading.with(|r| match r {
            Ok(found) if found.date_due.is_some() => Some(found.clone()),
            _ => None,
        })
    };
    let keep_literal = move || {
        literal.set(Some(text.get_untracked()));
    };
    let add = move || {
        let typed_text = text.get_untracked().trim().to_owned();
        if typed_text.is_empty() {
            hint.set(Some("Type what needs to be done, then press Enter.".into()));
            return;
        }
        let input = match (chip(), reading.get_untracked()) {
            (Some(found), _) if !found.title.trim().is_empty() => NewTodo {
                title: found.title,
                date_due: found.date_due.map(to_iso),
                ..Default::default()
            },
            (_, Err(too_long)) => {
                hint.set(Some(too_long.0));
                return;
            }
            _ => NewTodo {
                title: typed_text,
                ..Default::default()
            },
        };
        hint.set(None);
        text.set(String::new());
        literal.set(None);
        state.create(input);
    };
    let on_input = move |value: String| {
        text.set(value);
        // A refusal stays visible while the line is still too long; it goes as it fits.
        if reading.with_untracked(Result::is_ok) {
            hint.set(None);
        }
    };
    let on_key = move |ev: KeyboardEvent| {
        if ev.key() == "Enter" {
            add();
        }
    };
    let on_chip_key = move |ev: KeyboardEvent| {
        if matches!(ev.key().as_str(), "Backspace" | "Delete") {
            ev.prevent_default();
            keep_literal();
            focus_add_box();
        }
    };

    view! {
        <div class="add-box">
            <input
                class="new-todo"
                aria-label="New todo"
                placeholder="What needs to be done? (try “call mom friday”)"
                maxlength=LINE_MAX_CHARS.to_string()
                autofocus
                prop:value=move || text.get()
                on:input=move |ev| on_input(event_target_value(&ev))
                on:keydown=on_key
            />
            {move || {
                chip()
                    .map(|found| {
                        let label = found.label.clone().unwrap_or_default();
                        view! {
                            <div class="quick-add" role="status">
                                <span class="quick-title">{found.title.clone()}</span>
                                <button
                                    type="button"
                                    class="chip due-chip"
                                    aria-label=format!(
                                        "Due {label}: press Backspace to keep the words as typed",
                                    )
                                    on:keydown=on_chip_key
                                    on:click=move |_| {
                                        keep_literal();
                                        focus_add_box();
                                    }
                                >
                                    {label.clone()}
                                    " ×"
                                </button>
                            </div>
                        }
                    })
            }}
            {move || {
                hint.get()
                    .map(|h| {
                        view! {
                            <p class="hint" role="status">
                                {h}
                            </p>
                        }
                    })
            }}
        </div>
    }
}

fn focus_add_box() {
    use wasm_bindgen::JsCast;
    if let Some(input) = document()
        .query_selector("input.new-todo")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = input.focus();
    }
}
