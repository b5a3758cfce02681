//! "Deleted N todos · Undo" after a delete from the list, for a few seconds. Its button is a
//! normal button (Tab reaches it); `z` also undoes while it shows (see `shortcuts`).

use leptos::prelude::*;

use super::state::TodoState;

#[component]
pub fn UndoToast() -> impl IntoView {
    let state = expect_context::<TodoState>();
    move || {
        state.undo.get().map(|offer| {
            let n = offer.ids.len();
            let text = if n == 1 {
                "Deleted 1 todo".to_owned()
            } else {
                format!("Deleted {n} todos")
            };
            view! {
                <div class="toast" role="status">
                    <span>{text}</span>
                    <button type="button" class="link undo" on:click=move |_| state.undo()>
                        "Undo"
                    </button>
                    <button
                        type="button"
                        class="icon dismiss"
                        aria-label="Dismiss"
                        on:click=move |_| state.undo.set(None)
                    >
                        "×"
                    </button>
                </div>
            }
        })
    }
}
