//! The lists beside the todo list ([`ListLinks`]: each a link that shows only its todos; the
//! list is in the address, so it survives a reload; dragged to reorder), a field that makes
//! a new list; for the list shown, buttons that move it up or down (the keyboard's way to
//! reorder) and that delete it, its todos moved to the Inbox or deleted with it (then Undo
//! brings them back, into the Inbox); the labels under them ([`LabelLinks`]). On a phone it
//! is a drawer: the "Lists" button opens it and moves the focus into it; choosing a list,
//! the close button or Escape closes it and gives the focus back to the button.

use leptos::{
    ev::{KeyboardEvent, SubmitEvent},
    prelude::*,
};

use super::{label_links::LabelLinks, list_links::ListLinks, state::ListsState};
use crate::{
    todo_views::ListRoute,
    ui::{
        browser::{focus_soon, replace_hash},
        owned_task::spawn_while,
        todos::state::TodoState,
    },
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
    let create = move |ev: SubmitEvent| {
        ev.prevent_default();
        let name = draft.get_untracked().trim().to_owned();
        if name.is_empty() {
            return;
        }
        spawn_while(draft, async move {
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
        spawn_while(open, async move {
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
    // The shown list's place among the movable ones, for the move buttons.
    let place = move || {
        let id = route.with(|r| r.list.clone())?;
        lists.movable().iter().position(|l| l.id == id)
    };
    let last = move || {
        lists
            .lists
            .with(|l| l.iter().filter(|x| !x.inbox).count())
            .saturating_sub(1)
    };
    let shift = move |up: bool| {
        if let Some(i) = place() {
            lists.reorder(i, if up { i.saturating_sub(1) } else { i + 1 });
        }
    };
    // Opening the drawer takes the focus into it; closing it, however it closes, gives the
    // focus back to the button (a chosen link is hidden with the drawer).
    Effect::new(move |was: Option<bool>| {
        let now = open.get();
        if was.is_some_and(|was| was != now) {
            focus_soon(if now {
                "#lists-body a"
            } else {
                "#lists-toggle"
            });
        }
        now
    });
    let on_key = move |ev: KeyboardEvent| {
        if ev.key() == "Escape" && open.get_untracked() {
            open.set(false);
        }
    };
    view! {
        <nav class="lists" class:open=move || open.get() aria-label="Lists" on:keydown=on_key>
            <button
                type="button"
                class="lists-toggle"
                aria-expanded=move || open.get().to_string()
                aria-controls="lists-body"
                id="lists-toggle"
                on:click=move |_| open.update(|o| *o = !*o)
            >
                "Lists"
            </button>
            <div class="lists-body" id="lists-body">
                <button
                    type="button"
                    class="icon lists-close"
                    aria-label="Close the lists"
                    on:click=move |_| open.set(false)
                >
                    "×"
                </button>
                <ListLinks route open />
                <form class="new-list" on:submit=create>
                    <input
                        aria-label="New list"
                        placeholder="New list"
                        maxlength="60"
                        bind:value=draft
                    />
                </form>
                <Show when=shown_is_deletable>
                    <div class="list-moves">
                        <button
                            type="button"
                            class="link"
                            disabled=move || place() == Some(0)
                            on:click=move |_| shift(true)
                        >
                            "Move this list up"
                        </button>
                        <button
                            type="button"
                            class="link"
                            disabled=move || place() == Some(last())
                            on:click=move |_| shift(false)
                        >
                            "Move this list down"
                        </button>
                    </div>
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
                <LabelLinks route open />
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
