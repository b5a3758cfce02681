//! The signed-in page: header with the account, the todo list (TodoMVC behaviours), the
//! detail view, and the assistant's chat in the right-hand column.

use leptos::{ev::KeyboardEvent, prelude::*};

use super::{
    shortcuts::Shortcuts,
    state::{Filter, TodoState},
    todo_detail::TodoDetail,
    todo_footer::TodoFooter,
    todo_item::TodoItem,
};
use crate::{
    ui::{auth::session::Auth, browser::hash_route, chat::ChatPanel},
    wire::NewTodo,
};

#[component]
pub fn TodoPage() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let state = TodoState::new(auth);
    provide_context(state);
    state.reload();

    let filter = RwSignal::new(Filter::from_route(&hash_route()));
    let listener = window_event_listener(leptos::ev::hashchange, move |_| {
        filter.set(Filter::from_route(&hash_route()));
    });
    on_cleanup(move || listener.remove());

    let selected = RwSignal::new(None::<String>);
    let new_title = RwSignal::new(String::new());
    let hint = RwSignal::new(None::<&'static str>);
    let on_new_key = move |ev: KeyboardEvent| {
        if ev.key() != "Enter" {
            return;
        }
        let title = new_title.get_untracked().trim().to_owned();
        if title.is_empty() {
            hint.set(Some("Type what needs to be done, then press Enter."));
            return;
        }
        hint.set(None);
        new_title.set(String::new());
        state.create(NewTodo {
            title,
            ..Default::default()
        });
    };

    let visible = Memo::new(move |_| {
        let filter = filter.get();
        state.todos.with(|list| {
            list.iter()
                .filter(|t| filter.admits(t))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
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
                    <span class="email">{move || auth.email()}</span>
                    <button type="button" on:click=move |_| auth.sign_out()>
                        "Sign out"
                    </button>
                </div>
            </header>
            <main
                class="todoapp"
                aria-busy=move || (state.pending.get() > 0 || state.loading.get()).to_string()
            >
                <h2 class="visually-hidden">"Your todos"</h2>
                <input
                    class="new-todo"
                    aria-label="New todo"
                    placeholder="What needs to be done?"
                    maxlength="200"
                    autofocus
                    bind:value=new_title
                    on:keydown=on_new_key
                />
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
                        <ul class="todo-list">
                            <For
                                each=move || visible.get()
                                key=|todo| (todo.id.clone(), todo.version)
                                children=move |todo| view! { <TodoItem todo selected /> }
                            />
                        </ul>
                    </section>
                    <TodoFooter filter />
                </Show>
                {move || selected.get().map(|id| view! { <TodoDetail id selected /> })}
                <Shortcuts selected />
            </main>
            <div class="chat-column">
                <ChatPanel />
            </div>
        </div>
    }
}
