//! Live sync: the list asks the server whether it changed (a conditional `GET /api/todos`
//! answered `304` while nothing did) every second while the tab is visible, at once when the
//! tab becomes visible or gets focus, and never while it is hidden. It works the same on one
//! process and on many instances (Lambda included): the answer comes from the store. The
//! lists (their names and order, which no todo's version reflects) are asked for at the same
//! moments but only every fifth second: another tab's new order shows within 5 s. When the
//! browser says it is online again, at once too: the answer sends the changes waiting.

use std::time::Duration;

use leptos::prelude::*;

use super::state::TodoState;
use crate::{
    todo_views::Calendar,
    ui::{browser::calendar, lists::state::ListsState},
};

const POLL_EVERY: Duration = Duration::from_secs(1);
/// The lists are asked for on every this many polls (and on focus).
const LISTS_EVERY: u32 = 5;

fn visible() -> bool {
    document().visibility_state() == web_sys::VisibilityState::Visible
}

/// Keeps `state` in step with the server, and `days` with the calendar (and the clock: a
/// todo due at a time becomes overdue while the page is open).
pub fn install(state: TodoState, days: RwSignal<Calendar>, lists: ListsState) {
    let polls = StoredValue::new(0_u32);
    let tick = move |with_lists: bool| {
        let now = calendar();
        if days.with_untracked(|d| *d != now) {
            days.set(now);
        }
        state.refresh();
        if with_lists {
            lists.refresh();
        }
    };
    let timer = set_interval_with_handle(
        move || {
            if visible() {
                polls.update_value(|n| *n = (*n + 1) % LISTS_EVERY);
                tick(polls.get_value() == 0);
            }
        },
        POLL_EVERY,
    )
    .ok();
    let focus = window_event_listener(leptos::ev::focus, move |_| tick(true));
    let online = window_event_listener(leptos::ev::online, move |_| tick(true));
    let shown = window_event_listener(leptos::ev::visibilitychange, move |_| {
        if visible() {
            tick(true);
        }
    });
    on_cleanup(move || {
        if let Some(timer) = timer {
            timer.clear();
        }
        focus.remove();
        online.remove();
        shown.remove();
    });
}
