//! A todo's checklist in its detail view: check, rename, drag by its handle or move up or
//! down with the buttons, remove, and a field where Enter adds the next step (and stays
//! there for the one after). Edits stay in the form until it is saved (one PATCH with the
//! version it was opened with), like the other fields.

use leptos::{ev::KeyboardEvent, prelude::*};

use crate::{reorder::move_item, ui::drag_order::DragOrder, wire::SubtaskInput};

/// At most this many steps in one todo (the server checks the same number).
const MAX_STEPS: usize = 100;

#[component]
pub fn Checklist(steps: RwSignal<Vec<SubtaskInput>>) -> impl IntoView {
    let next = RwSignal::new(String::new());
    let add = move || {
        let title = next.get_untracked().trim().to_owned();
        if title.is_empty() || steps.with_untracked(Vec::len) >= MAX_STEPS {
            return;
        }
        steps.update(|s| {
            s.push(SubtaskInput {
                id: None,
                title,
                done: false,
            })
        });
        next.set(String::new());
    };
    let on_key = move |ev: KeyboardEvent| {
        if ev.key() == "Enter" {
            // Enter adds a step; it must not submit the whole form.
            ev.prevent_default();
            add();
        }
    };
    let swap = move |i: usize, j: usize| {
        steps.update(|s| {
            if i < s.len() && j < s.len() {
                s.swap(i, j);
            }
        })
    };
    let drag = DragOrder::new();
    let rows = move || {
        let count = steps.with(Vec::len);
        (0..count)
            .map(|i| {
                let step = steps.with(|s| s[i].clone());
                let title = step.title.clone();
                let dragged = title.clone();
                view! {
                    <li
                        class="step"
                        class:done=step.done
                        class:drop-target=move || drag.is_target(i)
                        on:dragover=move |ev| drag.over(i, &ev)
                        on:drop=move |ev| {
                            if let Some((from, to)) = drag.drop(i, &ev) {
                                steps.update(|s| move_item(s, from, to));
                            }
                        }
                    >
                        // The handle only, so text in the fields can still be selected.
                        <span
                            class="drag-handle"
                            draggable="true"
                            title="Drag to reorder"
                            aria-hidden="true"
                            on:dragstart=move |ev| drag.start(i, &dragged, &ev)
                            on:dragend=move |_| drag.end()
                        >
                            "⠿"
                        </span>
                        <input
                            type="checkbox"
                            prop:checked=step.done
                            aria-label=format!("Step {} done: {}", i + 1, title)
                            on:change=move |_| steps.update(|s| s[i].done = !s[i].done)
                        />
                        <input
                            class="step-title"
                            maxlength="200"
                            aria-label=format!("Step {}", i + 1)
                            prop:value=step.title.clone()
                            on:change=move |ev| {
                                let value = event_target_value(&ev);
                                steps.update(|s| s[i].title = value);
                            }
                        />
                        <button
                            type="button"
                            class="icon"
                            aria-label=format!("Move step {} up", i + 1)
                            disabled=i == 0
                            on:click=move |_| swap(i, i.wrapping_sub(1))
                        >
                            "↑"
                        </button>
                        <button
                            type="button"
                            class="icon"
                            aria-label=format!("Move step {} down", i + 1)
                            disabled=i + 1 == count
                            on:click=move |_| swap(i, i + 1)
                        >
                            "↓"
                        </button>
                        <button
                            type="button"
                            class="icon destroy"
                            aria-label=format!("Remove step {}: {}", i + 1, title)
                            on:click=move |_| {
                                steps
                                    .update(|s| {
                                        s.remove(i);
                                    })
                            }
                        >
                            "×"
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    let progress = move || {
        steps.with(|s| {
            let done = s.iter().filter(|x| x.done).count();
            (!s.is_empty()).then(|| format!("{done} of {} done", s.len()))
        })
    };
    view! {
        <fieldset class="checklist">
            <legend>"Checklist " <span class="muted">{progress}</span></legend>
            <ul class="steps">{rows}</ul>
            <input
                class="new-step"
                maxlength="200"
                aria-label="Add a step"
                placeholder="Add a step, then Enter"
                bind:value=next
                on:keydown=on_key
            />
        </fieldset>
    }
}
