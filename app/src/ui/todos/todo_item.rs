//! One row of the list: toggle, title (double-click or the Edit button to rename: Enter or
//! leaving the field saves, Esc cancels, an empty title deletes), priority flag, labels,
//! checklist progress, due badge, details, delete.
//! Each button's accessible name starts with its visible word ("Edit Pay rent"), so that a
//! speech user can say what they see (WCAG 2.5.3).

use leptos::{ev::KeyboardEvent, html, prelude::*};

use super::{due_badge::DueBadge, todo_meta::TodoMeta};
use crate::{
    ui::todos::state::TodoState,
    wire::{Todo, TodoPatch},
};

#[component]
pub fn TodoItem(todo: Todo, selected: RwSignal<Option<String>>) -> impl IntoView {
    let state = expect_context::<TodoState>();
    let id = StoredValue::new(todo.id.clone());
    let title = StoredValue::new(todo.title.clone());
    let completed = todo.completed;
    let editing = RwSignal::new(false);
    // Gone while being edited (deleted, filtered out), its edit ends: later answers for it
    // are shown again. After the row is gone, outside the list's render.
    let row_id = todo.id.clone();
    on_cleanup(move || {
        if editing.try_get_untracked() == Some(true) {
            queue_microtask(move || state.edit_row_gone(&row_id));
        }
    });
    let draft = RwSignal::new(todo.title.clone());
    let edit_input = NodeRef::<html::Input>::new();

    let start_editing = move || {
        draft.set(title.get_value());
        editing.set(true);
        // Live updates leave this row as it is while the edit is open.
        state.stale_edit.set(false);
        state.editing.set(Some(id.get_value()));
    };
    Effect::new(move |_| {
        if editing.get()
            && let Some(input) = edit_input.get()
        {
            let _ = input.focus();
            input.select();
        }
    });
    // Enter and the blur that follows it must not save twice: the first one ends editing.
    let finish = move |save: bool| {
        if !editing.get_untracked() {
            return;
        }
        editing.set(false);
        state.end_edit();
        if !save {
            state.refresh();
            return;
        }
        let text = draft.get_untracked().trim().to_owned();
        if text.is_empty() {
            state.delete(id.get_value());
        } else if text != title.get_value() {
            state.update(
                id.get_value(),
                TodoPatch {
                    title: Some(text),
                    ..Default::default()
                },
            );
        }
    };
    let on_edit_key = move |ev: KeyboardEvent| match ev.key().as_str() {
        "Enter" => finish(true),
        "Escape" => finish(false),
        _ => {}
    };
    let label = todo.title.clone();

    view! {
        <li class="todo" class:completed=completed class:editing=move || editing.get()>
            <div class="view">
                <input
                    class="toggle"
                    type="checkbox"
                    prop:checked=completed
                    aria-label=format!("Mark {label} as complete")
                    on:change=move |_| state.set_completed(id.get_value(), !completed)
                />
                <label class="title" on:dblclick=move |_| start_editing()>
                    {todo.title.clone()}
                </label>
                <TodoMeta todo=todo.clone() />
                <DueBadge date=todo.date_due.clone() completed />
                <Show when=move || state.unsynced(&id.get_value())>
                    <span class="unsynced" title="Not yet synced: waiting for a connection">
                        "Not synced"
                    </span>
                </Show>
                <button
                    type="button"
                    class="icon details"
                    aria-label=format!("Details of {}", todo.title)
                    on:click=move |_| selected.set(Some(id.get_value()))
                >
                    "Details"
                </button>
                <button
                    type="button"
                    class="icon rename"
                    aria-label=format!("Edit {}", todo.title)
                    on:click=move |_| start_editing()
                >
                    "Edit"
                </button>
                <button
                    type="button"
                    class="icon destroy"
                    aria-label=format!("Delete {}", todo.title)
                    on:click=move |_| state.delete(id.get_value())
                >
                    "×"
                </button>
            </div>
            <Show when=move || editing.get()>
                <input
                    class="edit"
                    node_ref=edit_input
                    aria-label=format!("New title for {}", title.get_value())
                    maxlength="200"
                    bind:value=draft
                    on:keydown=on_edit_key
                    on:blur=move |_| finish(true)
                />
                <Show when=move || state.stale_edit.get()>
                    <p class="stale" role="status">
                        "This todo was changed elsewhere; Esc shows the new version."
                    </p>
                </Show>
            </Show>
        </li>
    }
}
