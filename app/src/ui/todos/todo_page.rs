//! The signed-in page: header with the reminders' bell and the account, the lists, the todo
//! list (TodoMVC behaviours), the detail view, and the assistant's chat in the right-hand
//! column. A todo asked for by a notification (`?todo=<id>`, or a click while the page is
//! open) opens in the detail view once the list has loaded.

use leptos::prelude::*;

use super::{
    add_box::AddBox,
    list_controls::{ListControls, remembered_order},
    live_sync,
    shortcuts::Shortcuts,
    state::TodoState,
    sync_status::{ConflictList, SyncStatus},
    todo_detail::TodoDetail,
    todo_footer::TodoFooter,
    todo_item::TodoItem,
    undo_toast::UndoToast,
};
use crate::{
    todo_views::{ListRoute, Order, SearchMarks, in_list},
    ui::{
        api,
        auth::session::Auth,
        browser::{calendar, hash_route, time_zone},
        chat::ChatPanel,
        lists::{sidebar::ListSidebar, state::ListsState},
        reminders::{self, Bell, BellButton},
        settings::settings_panel::SettingsPanel,
    },
    wire::Todo,
};

/// While there are search words: the ids the server matched (for the list as it is now).
/// Asked again whenever the words, the order or the list change (so the matches follow live
/// updates); the latest question's answer wins, and the last answer stays until it comes.
fn search_matches(
    auth: Auth,
    state: TodoState,
    route: RwSignal<ListRoute>,
    order: RwSignal<Order>,
) -> Memo<Option<Vec<String>>> {
    // The marks (`#list`, `@label`, `p1`) are matched here; the words go to the server.
    let query = move || route.with(|r| SearchMarks::parse(r.query.trim()).words);
    let found = LocalResource::new(move || {
        let (query, sort) = (query(), order.get().as_param());
        state.todos.track();
        async move {
            if query.is_empty() {
                return None;
            }
            match api::search_todos(auth, &query, sort).await {
                Ok(todos) => Some(todos.into_iter().map(|t| t.id).collect()),
                Err(failure) => {
                    state.error.set(Some(failure.to_string()));
                    None
                }
            }
        }
    });
    Memo::new(move |shown: Option<&Option<Vec<String>>>| {
        if query().is_empty() {
            return None;
        }
        match found.get() {
            Some(Some(ids)) => Some(ids),
            _ => shown.cloned().flatten(),
        }
    })
}

#[component]
pub fn TodoPage() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let state = TodoState::new(auth);
    provide_context(state);
    // What this device kept is shown at once (and offline); the server's answer replaces it.
    state.open();
    let lists = ListsState::new(auth);
    provide_context(lists);
    lists.open();
    // The server decides some days without a request in hand (a repeating todo's next date):
    // it needs the user's zone.
    if let Some(zone) = time_zone() {
        leptos::task::spawn_local(async move {
            let _ = api::sync_time_zone(auth, &zone).await;
        });
    }

    let route = RwSignal::new(ListRoute::parse(&hash_route()));
    let listener = window_event_listener(leptos::ev::hashchange, move |_| {
        route.set(ListRoute::parse(&hash_route()));
    });
    on_cleanup(move || listener.remove());
    let order = RwSignal::new(remembered_order());
    let days = RwSignal::new(calendar());
    live_sync::install(state, days, lists);
    let matches = search_matches(auth, state, route, order);

    let selected = RwSignal::new(None::<String>);
    let bell = Bell::new(auth);
    bell.keep_fresh();
    let to_open = RwSignal::new(None::<String>);
    reminders::install(bell, to_open);
    // A todo created elsewhere moments ago may not be in the list yet: load it once more.
    let reloaded = StoredValue::new(false);
    Effect::new(move |_| {
        if state.loading.get() {
            return;
        }
        let Some(id) = to_open.get() else {
            return;
        };
        if state.find(&id).is_some() {
            to_open.set(None);
            selected.set(Some(id));
        } else if !reloaded.get_value() {
            reloaded.set_value(true);
            state.reload();
        } else {
            to_open.set(None);
            state
                .error
                .set(Some("That todo is no longer in your list.".into()));
        }
        if to_open.with_untracked(Option::is_none) {
            reloaded.set_value(false);
        }
    });

    let visible = Memo::new(move |_| {
        let view = route.with(|r| r.view);
        let marks = route.with(|r| SearchMarks::parse(r.query.trim()));
        let shown_list = route.with(|r| r.list.clone());
        let shown_inbox = lists.lists.with(|l| {
            shown_list
                .as_ref()
                .is_some_and(|id| l.iter().any(|x| x.inbox && x.id == *id))
        });
        let mut shown: Vec<Todo> = days.with(|calendar| {
            matches.with(|matches| {
                state.todos.with(|list| {
                    list.iter()
                        .filter(|t| view.admits(t, calendar))
                        .filter(|t| marks.admits(t, |t| lists.name_of(t)))
                        .filter(|t| {
                            shown_list
                                .as_ref()
                                .is_none_or(|id| in_list(t, id, shown_inbox))
                        })
                        .filter(|t| matches.as_ref().is_none_or(|m| m.contains(&t.id)))
                        .cloned()
                        .collect()
                })
            })
        });
        order.get().sort(&mut shown);
        shown
    });
    let searching = move || route.with(|r| !r.query.trim().is_empty());
    let all_completed = move || {
        state
            .todos
            .with(|l| !l.is_empty() && l.iter().all(|t| t.completed))
    };
    let has_todos = move || state.todos.with(|l| !l.is_empty());

    view! {
        <div class="layout">
            <header class="topbar">
                <h1 class="brand">"Tasko"</h1>
                <div class="account">
                    <BellButton bell selected />
                    <span class="email">{move || auth.email()}</span>
                    <SettingsPanel />
                    <button type="button" on:click=move |_| reminders::sign_out(auth)>
                        "Sign out"
                    </button>
                </div>
            </header>
            <ListSidebar route />
            <main class="todoapp" aria-busy=move || state.busy().to_string()>
                <h2 class="visually-hidden">"Your todos"</h2>
                <AddBox route />
                <SyncStatus />
                <ConflictList />
                {move || {
                    state
                        .error
                        .get()
                        .map(|e| {
                            view! {
                                <div class="error banner" role="alert">
                                    <span>{e}</span>
                                    <button
                                        type="button"
                                        class="link"
                                        on:click=move |_| state.error.set(None)
                                    >
                                        "Dismiss"
                                    </button>
                                </div>
                            }
                        })
                }}
                <Show when=move || state.loading.get() && !has_todos()>
                    <p class="loading" role="status">
                        "Loading your todos…"
                    </p>
                </Show>
                <Show when=move || !state.loading.get() && !has_todos()>
                    <p class="empty">"Nothing to do yet. Add your first todo above."</p>
                </Show>
                <Show when=has_todos>
                    <section class="main">
                        <input
                            id="toggle-all"
                            class="toggle-all"
                            type="checkbox"
                            prop:checked=all_completed
                            on:change=move |_| state.set_all_completed(!all_completed())
                        />
                        <label for="toggle-all">"Mark all as complete"</label>
                        <ListControls route order />
                        <Show when=move || visible.with(Vec::is_empty)>
                            <p class="empty" role="status">
                                {move || {
                                    if searching() {
                                        "No todo here matches your search."
                                    } else {
                                        "Nothing in this view."
                                    }
                                }}
                            </p>
                        </Show>
                        <ul class="todo-list">
                            <For
                                each=move || visible.get()
                                key=|todo| (todo.id.clone(), todo.version, todo.updated_at.clone())
                                children=move |todo| view! { <TodoItem todo selected /> }
                            />
                        </ul>
                    </section>
                    <TodoFooter route days />
                </Show>
                {move || selected.get().map(|id| view! { <TodoDetail id selected /> })}
                <Shortcuts selected />
                <UndoToast />
            </main>
            <div class="chat-column">
                <ChatPanel />
            </div>
        </div>
    }
}
