//! The lists beside the todo list: the Inbox first, then the user's lists in their order,
//! each with its count of open todos and a link that shows only its todos (the list is in
//! the address, so it survives a reload); a field that makes a new list; deleting the list
//! shown, its todos moved to the Inbox or deleted with it (then Undo brings them back, into
//! the Inbox). On a phone it folds into a drawer.

use leptos::{ev::SubmitEvent, prelude::*, task::spawn_local};

use super::state::ListsState;
use crate::{
    todo_views::{ListRoute, in_list},
    ui::{browser::replace_hash, todos::state::TodoState},
};

#[component]
pub fn ListSidebar(route: RwSignal<ListRoute>) -> impl IntoView {
    let lists = expect_context::<ListsState>();
    let todos = expect_context::<TodoState>();
    let draft = RwSignal::new(String::new());
    let open = RwSignal::new(false);
    let go = move |list: Option<String>| {
        route.update(|r| r.list = list);
        replace_hash(&route.with_untracked(ListRoute::to_hash));
        open.set(false);
    };
    let count = move |id: &str, inbox: bool| {
        todos.todos.with(|all| {
            all.iter()
                .filter(|t| !t.completed && in_list(t, id, inbox))
                .count()
        })
    };
    let create = move |ev: SubmitEvent| {
        ev.prevent_default();
        let name = draft.get_untracked().trim().to_owned();
        if name.is_empty() {
            return;
        }
        spawn_local(async move {
            match lists.create(&name).await {
                Ok(list) => {
                    draft.set(String::new());
                    go(Some(list.id));
                }
                Err(e) => lists.error.set(Some(e.to_string())),
            }
        });
    };
    let delete_shown = move |with_todos: bool| {
        let Some(id) = route.with_untracked(|r| r.list.clone()) else {
            return;
        };
        spawn_local(async move {
            match lists.delete(&id, with_todos).await {
                Ok(deleted) => {
                    go(None);
                    todos.refresh();
                    if !deleted.is_empty() {
                        todos.offer_undo(deleted);
                    }
                }
                Err(e) => lists.error.set(Some(e.to_string())),
            }
        });
    };
    let shown_is_deletable = move || {
        route.with(|r| r.list.clone()).is_some_and(|id| {
            lists
                .lists
                .with(|l| l.iter().any(|x| x.id == id && !x.inbox))
        })
    };
    let items = move || {
        lists
            .lists
            .get()
            .into_iter()
            .map(|list| {
                let id = list.id.clone();
                let current = {
                    let id = id.clone();
                    move || route.with(|r| r.list.as_deref() == Some(id.as_str()))
                };
                let counted = {
                    let id = id.clone();
                    move || count(&id, list.inbox)
                };
                let href = route.with(|r| {
                    ListRoute {
                        list: Some(id.clone()),
                        ..r.clone()
                    }
                    .to_hash()
                });
                view! {
                    <li>
                        <a
                            href=href
                            class=format!("list-link color-{}", list.color)
                            aria-current=move || current().then_some("page")
                            on:click=move |_| open.set(false)
                        >
                            <span class="list-name">{list.name.clone()}</span>
                            <span class="list-count">{counted}</span>
                        </a>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <nav class="lists" class:open=move || open.get() aria-label="Lists">
            <button
                type="button"
                class="lists-toggle"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)
            >
                "Lists"
            </button>
            <div class="lists-body">
                <ul>
                    <li>
                        <a
                            href=move || {
                                route
                                    .with(|r| {
                                        ListRoute {
                                            list: None,
                                            ..r.clone()
                                        }
                                            .to_hash()
                                    })
                            }
                            class="list-link"
                            aria-current=move || route.with(|r| r.list.is_none()).then_some("page")
                        >
                            <span class="list-name">"Every list"</span>
                        </a>
                    </li>
                    {items}
                </ul>
                <form class="new-list" on:submit=create>
                    <input
                        aria-label="New list"
                        placeholder="New list"
                        maxlength="60"
                        bind:value=draft
                    />
                </form>
                <Show when=shown_is_deletable>
                    <button
                        type="button"
                        class="link delete-list"
                        on:click=move |_| delete_shown(false)
                    >
                        "Delete this list (its todos move to the Inbox)"
                    </button>
                    <button
                        type="button"
                        class="link delete-list"
                        on:click=move |_| delete_shown(true)
                    >
                        "Delete this list and its todos"
                    </button>
                </Show>
                {move || {
                    lists
                        .error
                        .get()
                        .map(|e| {
                            view! {
                                <p class="error" role="alert">
                                    {e}
                                </p>
                            }
                        })
                }}
            </div>
        </nav>
    }
}
