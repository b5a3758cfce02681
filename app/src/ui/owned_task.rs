//! Work a view starts that must end with the view. A task in the browser's event loop is
//! not owned by the view that started it: signed out while a request is out, the page's
//! signals are disposed and the task's next read of one panics the whole app. Run through
//! here, the task is dropped at its next resumption once its owner (a signal of the view
//! that started it) is gone, so no line after an `await` runs on a disposed view.

use std::{future::Future, pin::Pin, task::Poll};

use leptos::prelude::*;

/// Runs `work` while `owner` lives; ends early, `work` dropped, once `owner` is disposed.
pub fn while_alive(
    owner: impl IsDisposed + 'static,
    work: impl Future<Output = ()> + 'static,
) -> impl Future<Output = ()> {
    guarded(Box::new(move || owner.is_disposed()), Box::pin(work))
}

/// Spawns `work` in the browser's event loop while `owner` lives.
pub fn spawn_while(owner: impl IsDisposed + 'static, work: impl Future<Output = ()> + 'static) {
    leptos::task::spawn_local(while_alive(owner, work));
}

/// One copy of the guard for every task (boxed, so the tasks' own code is not copied into
/// it: the wasm is downloaded on every first visit).
fn guarded(
    gone: Box<dyn Fn() -> bool>,
    mut work: Pin<Box<dyn Future<Output = ()>>>,
) -> impl Future<Output = ()> {
    std::future::poll_fn(move |cx| {
        // Checked at every resumption: between two awaits the code runs at once, so the
        // view cannot go away in the middle of it.
        if gone() {
            return Poll::Ready(());
        }
        work.as_mut().poll(cx)
    })
}
