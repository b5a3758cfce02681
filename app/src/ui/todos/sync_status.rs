//! What the offline queue is doing, in words ([`SyncStatus`]: "3 changes waiting"), and
//! the conflicts it met, each with both versions side by side to keep either
//! ([`ConflictList`]).

use leptos::prelude::*;

use super::state::{Conflict, Settle, TodoState};
use crate::offline_queue::Change;

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// "3 changes waiting" while changes made offline are not on the server yet.
#[component]
pub fn SyncStatus() -> impl IntoView {
    let state = expect_context::<TodoState>();
    let waiting = move || state.queue.with(Vec::len);
    view! {
        <Show when=move || { waiting() > 0 }>
            <p class="sync-status" role="status">
                {move || {
                    format!(
                        "{} waiting: they are sent when the server can be reached.",
                        plural(waiting(), "change"),
                    )
                }}
            </p>
        </Show>
    }
}

/// The conflicts met when the queue was sent: one card each, with both versions.
#[component]
pub fn ConflictList() -> impl IntoView {
    let state = expect_context::<TodoState>();
    move || {
        let conflicts = state.conflicts.get();
        (!conflicts.is_empty()).then(|| {
            let cards = conflicts
                .into_iter()
                .enumerate()
                .map(|(at, conflict)| view! { <ConflictCard at conflict /> })
                .collect_view();
            view! {
                <section class="conflicts" aria-label="Changes to settle">
                    {cards}
                </section>
            }
        })
    }
}

#[component]
fn ConflictCard(at: usize, conflict: Conflict) -> impl IntoView {
    let state = expect_context::<TodoState>();
    let title = match (&conflict.change, &conflict.theirs) {
        (_, Some(theirs)) => theirs.title.clone(),
        (Change::Update { before, .. }, None) => before.title.clone(),
        (change, None) => change.todo_id().to_owned(),
    };
    let (said, mine, theirs) = match (&conflict.change, &conflict.theirs) {
        (Change::Update { .. }, Some(_)) => (
            format!("“{title}” was changed elsewhere while you were offline."),
            "Keep mine",
            "Keep theirs",
        ),
        (Change::Update { .. }, None) => (
            format!("“{title}” was deleted elsewhere while you changed it offline."),
            "Restore it with my change",
            "Let it go",
        ),
        _ => (
            format!("“{title}” was changed elsewhere; you deleted it offline."),
            "Delete it anyway",
            "Keep it",
        ),
    };
    let rows = conflict
        .differences
        .iter()
        .map(|d| {
            view! {
                <tr>
                    <th scope="row">{d.field.clone()}</th>
                    <td>{d.mine.clone()}</td>
                    <td>{d.theirs.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    let table = (!conflict.differences.is_empty()).then(|| {
        view! {
            <table class="conflict-fields">
                <thead>
                    <tr>
                        <th scope="col">"Field"</th>
                        <th scope="col">"Yours (offline)"</th>
                        <th scope="col">"Theirs (now)"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        }
    });
    view! {
        <div class="conflict" role="group" aria-label=format!("Conflict: {title}")>
            <p>{said}</p>
            {table}
            <div class="actions">
                <button
                    type="button"
                    class="primary"
                    on:click=move |_| state.settle(at, Settle::Mine)
                >
                    {mine}
                </button>
                <button type="button" on:click=move |_| state.settle(at, Settle::Theirs)>
                    {theirs}
                </button>
            </div>
        </div>
    }
}
