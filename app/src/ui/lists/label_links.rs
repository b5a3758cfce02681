//! The sidebar's labels, under the lists: every label the user's todos use, with its count
//! of open todos (worked out from the todos in hand, so it follows every change), each a
//! link that filters the todos by it (the search's `@label`, in the address), and a button
//! that renames it on every todo (`PATCH /api/labels/{name}`); a refusal is said beside it.

use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};

use crate::{
    todo_views::{ListRoute, label_counts},
    ui::{api, auth::session::Auth, browser::replace_hash, todos::state::TodoState},
};

/// The address that shows every todo with `label`, as a row's label chip links.
fn filter_route(label: &str) -> ListRoute {
    ListRoute {
        query: format!("@{label}"),
        ..ListRoute::default()
    }
}

#[component]
pub fn LabelLinks(route: RwSignal<ListRoute>, open: RwSignal<bool>) -> impl IntoView {
    let auth = expect_context::<Auth>();
    let todos = expect_context::<TodoState>();
    let labels = Memo::new(move |_| todos.todos.with(|t| label_counts(t)));
    // The label being renamed, the name typed for it, and what went wrong last.
    let renaming = RwSignal::new(None::<String>);
    let draft = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let rename = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(from) = renaming.get_untracked() else {
            return;
        };
        let to = draft
            .get_untracked()
            .trim()
            .trim_start_matches('@')
            .to_owned();
        if to == from {
            renaming.set(None);
            return;
        }
        spawn_local(async move {
            match api::rename_label(auth, &from, &to).await {
                Ok(renamed) => {
                    renaming.set(None);
                    error.set(None);
                    todos.refresh();
                    // A filter by the old name follows the label to its new one.
                    if route.with_untracked(|r| r.query.trim() == format!("@{from}")) {
                        route.update(|r| r.query = format!("@{}", renamed.name));
                        replace_hash(&route.with_untracked(ListRoute::to_hash));
                    }
                }
                Err(e) => error.set(Some(format!("@{from} was not renamed: {e}"))),
            }
        });
    };
    let row = move |(name, count): (String, usize)| {
        let shown = {
            let name = name.clone();
            move || route.with(|r| r.query.trim() == format!("@{name}"))
        };
        let editing = {
            let name = name.clone();
            move || renaming.with(|r| r.as_deref() == Some(name.as_str()))
        };
        let start = {
            let name = name.clone();
            move |_| {
                draft.set(name.clone());
                error.set(None);
                renaming.set(Some(name.clone()));
            }
        };
        let (label, field_name, button_name) = (
            name.clone(),
            format!("New name for @{name}"),
            format!("Rename @{name}"),
        );
        // The field takes the focus as it appears (`autofocus` acts only on page load).
        let field = NodeRef::<leptos::html::Input>::new();
        Effect::new(move || {
            if let Some(input) = field.get() {
                let _ = input.focus();
            }
        });
        view! {
            <li class="label-row">
                <Show
                    when=editing
                    fallback=move || {
                        let shown = shown.clone();
                        view! {
                            <a
                                href=filter_route(&label).to_hash()
                                class="list-link"
                                aria-current=move || shown().then_some("page")
                                on:click=move |_| open.set(false)
                            >
                                <span class="list-name">{format!("@{label}")}</span>
                                <span class="list-count">{count}</span>
                            </a>
                        }
                    }
                >
                    <form class="rename-label" on:submit=rename>
                        <input
                            aria-label=field_name.clone()
                            maxlength="40"
                            node_ref=field
                            bind:value=draft
                            on:keydown=move |ev| {
                                if ev.key() == "Escape" {
                                    ev.stop_propagation();
                                    renaming.set(None);
                                    error.set(None);
                                }
                            }
                        />
                    </form>
                </Show>
                <button
                    type="button"
                    class="icon"
                    aria-label=button_name
                    title="Rename"
                    on:click=start
                >
                    "✎"
                </button>
            </li>
        }
    };
    view! {
        <Show when=move || labels.with(|l| !l.is_empty())>
            <h2 class="sidebar-heading">"Labels"</h2>
            <ul class="labels">{move || labels.get().into_iter().map(row).collect_view()}</ul>
        </Show>
        {move || {
            error
                .get()
                .map(|e| {
                    view! {
                        <p class="error" role="alert">
                            {e}
                        </p>
                    }
                })
        }}
    }
}
