//! The sidebar's links to the lists: "Every list", the Inbox (always first, never dragged),
//! then the user's lists in their order, each with its count of open todos. A list is
//! dragged onto another's place to move it there (the sidebar's move buttons do the same
//! from the keyboard).

use leptos::prelude::*;

use super::state::ListsState;
use crate::{
    todo_views::{ListRoute, in_list},
    ui::{drag_order::DragOrder, todos::state::TodoState},
    wire::TodoList,
};

#[component]
pub fn ListLinks(route: RwSignal<ListRoute>, open: RwSignal<bool>) -> impl IntoView {
    let lists = expect_context::<ListsState>();
    let todos = expect_context::<TodoState>();
    let drag = DragOrder::new();
    let link = move |list: TodoList, place: Option<usize>| {
        let (id, inbox) = (list.id.clone(), list.inbox);
        let current = {
            let id = id.clone();
            move || route.with(|r| r.list.as_deref() == Some(id.as_str()))
        };
        let counted = {
            let id = id.clone();
            move || {
                todos.todos.with(|all| {
                    all.iter()
                        .filter(|t| !t.completed && in_list(t, &id, inbox))
                        .count()
                })
            }
        };
        let href = route.with(|r| {
            ListRoute {
                list: Some(id.clone()),
                ..r.clone()
            }
            .to_hash()
        });
        let name = list.name.clone();
        view! {
            <li
                class:drop-target=move || place.is_some_and(|i| drag.is_target(i))
                on:dragover=move |ev| {
                    if let Some(i) = place {
                        drag.over(i, &ev)
                    }
                }
                on:drop=move |ev| {
                    if let Some((from, to)) = place.and_then(|i| drag.drop(i, &ev)) {
                        lists.reorder(from, to);
                    }
                }
            >
                <a
                    href=href
                    class=format!("list-link color-{}", list.color)
                    draggable=if place.is_some() { "true" } else { "false" }
                    aria-current=move || current().then_some("page")
                    on:click=move |_| open.set(false)
                    on:dragstart=move |ev| {
                        if let Some(i) = place {
                            drag.start(i, &name, &ev)
                        }
                    }
                    on:dragend=move |_| drag.end()
                >
                    <span class="list-name">{list.name.clone()}</span>
                    <span class="list-count">{counted}</span>
                </a>
            </li>
        }
    };
    let items = move || {
        let all = lists.lists.get();
        let inbox = all
            .iter()
            .filter(|l| l.inbox)
            .cloned()
            .map(|l| link(l, None));
        let mine = all
            .iter()
            .filter(|l| !l.inbox)
            .cloned()
            .enumerate()
            .map(|(i, l)| link(l, Some(i)));
        inbox.chain(mine).collect_view()
    };
    view! {
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
                    on:click=move |_| open.set(false)
                >
                    <span class="list-name">"Every list"</span>
                </a>
            </li>
            {items}
        </ul>
    }
}
