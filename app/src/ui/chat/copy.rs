//! Copying from the chat: a whole reply as the markdown it was written in, and each code
//! block on its own. The code blocks' buttons are added to the rendered reply with DOM
//! calls (never as HTML), after each render.

use std::time::Duration;

use leptos::{html, prelude::*, task::spawn_local};
use wasm_bindgen::{JsCast, closure::Closure};

use crate::ui::browser::window;

/// Writes `text` to the clipboard; `false` if the browser refused.
pub async fn copy_text(text: &str) -> bool {
    let promise = window().navigator().clipboard().write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

/// "Copy" under a finished reply; says "Copied" for two seconds.
#[component]
pub fn CopyReply(text: Signal<String>) -> impl IntoView {
    let label = RwSignal::new("Copy");
    let copy = move |_| {
        spawn_local(async move {
            let done = copy_text(&text.get_untracked()).await;
            label.set(if done { "Copied" } else { "Copy failed" });
            set_timeout(move || label.set("Copy"), Duration::from_secs(2));
        });
    };
    view! {
        <button type="button" class="link copy-reply" aria-label="Copy reply" on:click=copy>
            {move || label.get()}
        </button>
    }
}

/// Gives each `<pre>` in `container` a "Copy code" button before it (once).
pub fn add_code_buttons(container: NodeRef<html::Div>) {
    let Some(root) = container.get_untracked() else {
        return;
    };
    let Ok(blocks) = root.query_selector_all("pre") else {
        return;
    };
    let document = document();
    for i in 0..blocks.length() {
        let Some(pre) = blocks
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        let has_button = pre
            .previous_element_sibling()
            .is_some_and(|e| e.class_name() == "copy-code");
        if has_button {
            continue;
        }
        let Ok(button) = document.create_element("button") else {
            continue;
        };
        button.set_class_name("copy-code");
        let _ = button.set_attribute("type", "button");
        let _ = button.set_attribute("aria-label", "Copy code");
        button.set_text_content(Some("Copy code"));
        let code = pre.clone();
        let target = button.clone();
        let on_click = Closure::<dyn Fn()>::new(move || {
            let text = code.text_content().unwrap_or_default();
            let target = target.clone();
            spawn_local(async move {
                let done = copy_text(&text).await;
                target.set_text_content(Some(if done { "Copied" } else { "Copy failed" }));
            });
        });
        let _ = button.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
        // The button lives as long as the page's copy of the reply; so does its listener.
        on_click.forget();
        let _ = pre.before_with_node_1(&button);
    }
}
