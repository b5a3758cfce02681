//! Count of open items, the All / Active / Completed filters (links to `#/...`, so the
//! filter is in the URL and survives a reload) and "Clear completed".

use leptos::prelude::*;

use crate::ui::todos::state::{Filter, TodoState};

#[component]
pub fn TodoFooter(filter: RwSignal<Filter>) -> impl IntoView {
    let state = expect_context::<TodoState>();
    let left = move || {
        state
            .todos
            .with(|list| list.iter().filter(|t| !t.completed).count())
    };
    let any_completed = move || state.todos.with(|list| list.iter().any(|t| t.completed));
    let link = move |target: Filter, href: &'static str, text: &'static str| {
        view! {
            <li>
                <a
                    href=href
                    class:selected=move || filter.get() == target
                    aria-current=move || (filter.get() == target).then_some("page")
                >
                    {text}
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
                <ul class="filters">
                    {link(Filter::All, "#/", "All")} {link(Filter::Active, "#/active", "Active")}
                    {link(Filter::Completed, "#/completed", "Completed")}
                </ul>
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
