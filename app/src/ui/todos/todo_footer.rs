//! Count of open items, the views with their counts (links to `#/today` ..., so the view is
//! in the URL and survives a reload; the search words stay with it) and "Clear completed".

use leptos::prelude::*;

use crate::{
    todo_views::{Calendar, ListRoute, View},
    ui::todos::state::TodoState,
};

#[component]
pub fn TodoFooter(route: RwSignal<ListRoute>, days: RwSignal<Calendar>) -> impl IntoView {
    let state = expect_context::<TodoState>();
    let left = move || {
        state
            .todos
            .with(|list| list.iter().filter(|t| !t.completed).count())
    };
    let any_completed = move || state.todos.with(|list| list.iter().any(|t| t.completed));
    let count = move |view: View| {
        days.with(|calendar| {
            state
                .todos
                .with(|list| list.iter().filter(|t| view.admits(t, calendar)).count())
        })
    };
    let link = move |target: View| {
        let href = move || {
            ListRoute {
                view: target,
                query: route.with(|r| r.query.clone()),
                list: route.with(|r| r.list.clone()),
            }
            .to_hash()
        };
        view! {
            <li>
                <a
                    href=href
                    class:selected=move || route.with(|r| r.view == target)
                    aria-current=move || route.with(|r| r.view == target).then_some("page")
                >
                    {target.label()}
                    " "
                    <span class="count">{move || count(target)}</span>
                </a>
            </li>
        }
    };
    view! {
        <footer class="footer">
            <span class="todo-count">
                <strong>{left}</strong>
                {move || if left() == 1 { " item left" } else { " items left" }}
            </span>
            <nav aria-label="Filter todos">
                <ul class="filters">{View::ALL.into_iter().map(link).collect_view()}</ul>
            </nav>
            <Show when=any_completed>
                <button
                    type="button"
                    class="clear-completed"
                    on:click=move |_| state.clear_completed()
                >
                    "Clear completed"
                </button>
            </Show>
        </footer>
    }
}
