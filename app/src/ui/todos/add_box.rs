//! The add box with quick add: while the user types, the server (the assistant's date
//! parser, in the user's time zone) reads a trailing due date, shown as a chip with the
//! title it leaves ("call mom friday" → "call mom" · Fri, Nov 27). Enter adds both.
//! Backspace on the chip (or its ×) keeps the words literal; so does quoting them.

use std::time::Duration;

use leptos::{ev::KeyboardEvent, prelude::*, task::spawn_local};

use super::state::TodoState;
use crate::{
    quick_add::{QuickAdd, parse_quick_add},
    ui::browser::time_zone,
    wire::NewTodo,
};

/// Typing pauses this long before the text is read (one request per pause, not per key).
const SETTLE: Duration = Duration::from_millis(150);

#[component]
pub fn AddBox() -> impl IntoView {
    let state = expect_context::<TodoState>();
    let text = RwSignal::new(String::new());
    let hint = RwSignal::new(None::<&'static str>);
    // The reading of `text` (the text it is for, and what it says).
    let reading = RwSignal::new(None::<(String, QuickAdd)>);
    // Text the user asked to keep literal.
    let literal = RwSignal::new(None::<String>);
    let typed = StoredValue::new(0u64);

    let read_later = move |value: String| {
        typed.update_value(|n| *n += 1);
        let mine = typed.get_value();
        set_timeout(
            move || {
                if typed.get_value() != mine || value.trim().is_empty() {
                    return;
                }
                spawn_local(async move {
                    let zone = time_zone().unwrap_or_else(|| "UTC".into());
                    // A failure (offline, signed out) only means no chip: Enter still adds.
                    if let Ok(found) = parse_quick_add(value.clone(), zone).await
                        && typed.get_value() == mine
                    {
                        reading.set(Some((value, found)));
                    }
                });
            },
            SETTLE,
        );
    };
    let on_input = move |value: String| {
        text.set(value.clone());
        read_later(value);
    };
    // The chip shows when the reading is for the text as it is and found a date.
    let chip = move || {
        let current = text.get();
        if literal.with(|l| l.as_deref() == Some(current.as_str())) {
            return None;
        }
        reading.with(|r| match r {
            Some((for_text, found)) if *for_text == current && found.date_due.is_some() => {
                Some(found.clone())
            }
            _ => None,
        })
    };
    let keep_literal = move || {
        literal.set(Some(text.get_untracked()));
    };
    let add = move || {
        let typed_text = text.get_untracked().trim().to_owned();
        if typed_text.is_empty() {
            hint.set(Some("Type what needs to be done, then press Enter."));
            return;
        }
        hint.set(None);
        let input = match chip() {
            Some(found) if !found.title.trim().is_empty() => NewTodo {
                title: found.title,
                date_due: found.date_due,
                ..Default::default()
            },
            _ => NewTodo {
                title: typed_text,
                ..Default::default()
            },
        };
        text.set(String::new());
        reading.set(None);
        literal.set(None);
        state.create(input);
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
                maxlength="200"
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
