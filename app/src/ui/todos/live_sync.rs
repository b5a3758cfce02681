//! Live sync: the list asks the server whether it changed (a conditional `GET /api/todos`
//! answered `304` while nothing did) every second while the tab is visible, at once when the
//! tab becomes visible or gets focus, and never while it is hidden. It works the same on one
//! process and on many instances (Lambda included): the answer comes from the store.

use std::time::Duration;

use leptos::prelude::*;

use super::state::TodoState;
use crate::{todo_views::Calendar, ui::browser::calendar};

const POLL_EVERY: Duration = Duration::from_secs(1);

fn visible() -> bool {
    document().visibility_state() == web_sys::VisibilityState::Visible
}

/// Keeps `state` in step with the server, and `days` with the calendar (and the clock: a
/// todo due at a time becomes overdue while the page is open).
pub fn install(state: TodoState, days: RwSignal<Calendar>) {
    let tick = move || {
        let now = calendar();
        if days.with_untracked(|d| *d != now) {
            days.set(now);
        }
        state.refresh();
    };
    let timer = set_interval_with_handle(
        move || {
            if visible() {
                tick();
            }
        },
        POLL_EVERY,
    )
    .ok();
    let focus = window_event_listener(leptos::ev::focus, move |_| tick());
    let shown = window_event_listener(leptos::ev::visibilitychange, move |_| {
        if visible() {
            tick();
        }
    });
    on_cleanup(move || {
        if let Some(timer) = timer {
            timer.clear();
        }
        focus.remove();
        shown.remove();
    });
}
