//! The sidebar's labels, under the lists: every label the user's todos use, with its count
//! of open todos (worked out from the todos in hand, so it follows every change), each a
//! link that filters the todos by it (the search's `@label`, in the address), and a button
//! that renames it on every todo (`PATCH /api/labels/{name}`) through one field under them;
//! a refusal is said in the sidebar's alert.

use leptos::{ev::SubmitEvent, prelude::*};

use super::state::ListsState;
use crate::{
    todo_views::{ListRoute, label_counts},
    ui::{
        api,
        auth::session::Auth,
        browser::{focus_soon, replace_hash},
        owned_task::spawn_while,
        todos::state::TodoState,
    },
};

#[component]
pub fn LabelLinks(route: RwSignal<ListRoute>, open: RwSignal<bool>) -> impl IntoView {
    let auth = expect_context::<Auth>();
    let todos = expect_context::<TodoState>();
    let error = expect_context::<ListsState>().error;
    let labels = Memo::new(move |_| todos.todos.with(|t| label_counts(t)));
    // The label being renamed, and the name typed for it.
    let renaming = RwSignal::new(None::<String>);
    let draft = RwSignal::new(String::new());
    let filter = move |label: &str| format!("@{label}");
    let rename = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(from) = renaming.get_untracked() else {
            return;
        };
        // The server lower-cases a label; "@" is how labels are shown, not part of them.
        let to = draft
            .get_untracked()
            .trim()
            .trim_start_matches('@')
            .to_lowercase();
        spawn_while(draft, async move {
            match api::rename_label(auth, &from, &to).await {
                Ok(()) => {
                    renaming.set(None);
                    error.set(None);
                    todos.refresh();
                    // A filter by the old name follows the label to its new one.
                    if route.with_untracked(|r| r.query.trim() == filter(&from)) {
                        route.update(|r| r.query = filter(&to));
                        replace_hash(&route.with_untracked(ListRoute::to_hash));
                    }
                }
                Err(e) => error.set(Some(format!("{} was not renamed: {e}", filter(&from)))),
            }
        });
    };
    let row = move |(name, count): (String, usize)| {
        let query = filter(&name);
        let href = ListRoute {
            query: query.clone(),
            ..ListRoute::default()
        }
        .to_hash();
        let rename_this = format!("Rename {query}");
        let shown = move || route.with(|r| r.query.trim() == query);
        view! {
            <li class="label-row">
                <a
                    href=href
                    class="list-link"
                    aria-current=move || shown().then_some("page")
                    on:click=move |_| open.set(false)
                >
                    <span class="list-name">{filter(&name)}</span>
                    <span class="list-count">{count}</span>
                </a>
                <button
                    type="button"
                    class="icon"
                    aria-label=rename_this
                    title="Rename"
                    on:click=move |_| {
                        draft.set(name.clone());
                        renaming.set(Some(name.clone()));
                        focus_soon("#rename-label");
                    }
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
            renaming
                .get()
                .map(|name| {
                    view! {
                        <form class="rename-label" on:submit=rename>
                            <input
                                id="rename-label"
                                aria-label=format!("New name for {}", filter(&name))
                                maxlength="40"
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
                    }
                })
        }}
    }
}
