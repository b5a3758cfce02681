//! The search box (words matched by the server in titles, descriptions and notes, asked
//! 250 ms after the last keystroke, kept in the URL; `@label`, `p1` and `#list` marks
//! filter here) and the order (by creation, due date or priority; remembered in this
//! browser).

use std::time::Duration;

use leptos::prelude::*;

use crate::{
    todo_views::{ListRoute, Order},
    ui::browser::{local_storage, replace_hash},
};

const ORDER_KEY: &str = "tasko.order";
const DEBOUNCE: Duration = Duration::from_millis(250);

pub fn remembered_order() -> Order {
    local_storage()
        .and_then(|s| s.get_item(ORDER_KEY).ok().flatten())
        .map_or(Order::Created, |raw| Order::parse(&raw))
}

#[component]
pub fn ListControls(route: RwSignal<ListRoute>, order: RwSignal<Order>) -> impl IntoView {
    let draft = RwSignal::new(route.with_untracked(|r| r.query.clone()));
    let typed = StoredValue::new(0u64);
    let waiting = StoredValue::new(false);
    // The route changes by links and Back too: the box follows it, unless words just typed
    // are still waiting to be asked (they win, and go into the new route).
    Effect::new(move |_| {
        let query = route.with(|r| r.query.clone());
        if !waiting.get_value() && draft.get_untracked().trim() != query.trim() {
            draft.set(query);
        }
    });
    let on_input = move |value: String| {
        draft.set(value);
        typed.update_value(|n| *n += 1);
        waiting.set_value(true);
        let mine = typed.get_value();
        set_timeout(
            move || {
                if typed.get_value() != mine {
                    return;
                }
                waiting.set_value(false);
                let query = draft.get_untracked().trim().to_owned();
                if route.with_untracked(|r| r.query != query) {
                    route.update(|r| r.query = query);
                    replace_hash(&route.with_untracked(ListRoute::to_hash));
                }
            },
            DEBOUNCE,
        );
    };
    let on_order = move |value: String| {
        let chosen = Order::parse(&value);
        if let Some(storage) = local_storage() {
            let _ = storage.set_item(ORDER_KEY, chosen.as_param());
        }
        order.set(chosen);
    };
    view! {
        <div class="list-controls">
            <input
                class="search"
                type="search"
                aria-label="Search todos"
                placeholder="Search words, @label, p1"
                maxlength="200"
                prop:value=move || draft.get()
                on:input=move |ev| on_input(event_target_value(&ev))
            />
            <label class="order">
                "Sort "
                <select
                    aria-label="Sort todos"
                    prop:value=move || order.get().as_param()
                    on:change=move |ev| on_order(event_target_value(&ev))
                >
                    <option value="created">"Newest last"</option>
                    <option value="due">"Due date"</option>
                    <option value="priority">"Priority"</option>
                </select>
            </label>
        </div>
    }
}
