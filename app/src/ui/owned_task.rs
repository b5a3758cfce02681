//! Work a view starts that must end with the view. A task in the browser's event loop is
//! not owned by the view that started it: signed out while a request is out, the page's
//! signals are disposed and the task's next read of one panics the whole app. Run through
//! here, the task is dropped at its next resumption once its owner (a signal of the view
//! that started it) is gone, so no line after an `await` runs on a disposed view.

use std::{future::Future, pin::pin, task::Poll};

use leptos::prelude::*;

/// Runs `work` while `owner` lives: `None` if it was dropped because `owner` was disposed.
pub async fn while_alive<T>(owner: impl IsDisposed, work: impl Future<Output = T>) -> Option<T> {
    let mut work = pin!(work);
    std::future::poll_fn(move |cx| {
        // Checked at every resumption: between two awaits the code runs at once, so the
        // view cannot go away in the middle of it.
        if owner.is_disposed() {
            return Poll::Ready(None);
        }
        work.as_mut().poll(cx).map(Some)
    })
    .await
}

/// Spawns `work` in the browser's event loop while `owner` lives.
pub fn spawn_while(owner: impl IsDisposed + 'static, work: impl Future<Output = ()> + 'static) {
    leptos::task::spawn_local(async move {
        while_alive(owner, work).await;
    });
}
