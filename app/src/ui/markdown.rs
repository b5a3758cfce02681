//! Markdown in the page (assistant replies, plan cards). Rendering is `app::markdown`
//! (pulldown-cmark and the allow-list), built as a wasm module of its own
//! (`frontend/markdown`) because it is a third of the app's download and a first visit has
//! no markdown to show: it is imported the first time something is rendered. Until it is
//! there (a moment; offline it comes from the service worker's cache), the text is shown
//! escaped, as it was written; [`to_safe_html`] reads a signal, so what called it renders
//! again once the module is in.

use std::cell::Cell;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/src/ui/markdown.js")]
extern "C" {
    #[wasm_bindgen(js_name = loadMarkdown)]
    fn load_module(url: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = renderMarkdown, catch)]
    fn render(text: &str) -> Result<String, JsValue>;
}

/// Trunk's name for the module's JavaScript, next to the index.
const MODULE: &str = "/markdown.js";

thread_local! {
    /// The module is in: renders from now on are markdown.
    static READY: ArcRwSignal<bool> = ArcRwSignal::new(false);
    static ASKED: Cell<bool> = const { Cell::new(false) };
}

/// Whether the module is in (tracked: a view that read it renders again when it comes).
pub fn ready() -> bool {
    READY.with(|ready| ready.get())
}

/// Untrusted markdown to HTML that is safe to insert: the module's, or the text escaped
/// (asking for the module) until it is in.
pub fn to_safe_html(markdown: &str) -> String {
    if ready()
        && let Ok(html) = render(markdown)
    {
        return html;
    }
    load();
    plain(markdown)
}

fn load() {
    if ASKED.with(|asked| asked.replace(true)) {
        return;
    }
    leptos::task::spawn_local(async {
        let loaded = JsFuture::from(load_module(MODULE)).await.is_ok();
        ASKED.with(|asked| asked.set(loaded));
        if loaded {
            READY.with(|ready| ready.set(true));
        }
    });
}

/// The text as written, escaped, its lines kept (`.md .plain` is `pre-wrap`).
fn plain(text: &str) -> String {
    let mut html = String::with_capacity(text.len() + 32);
    html.push_str(r#"<p class="plain">"#);
    for c in text.chars() {
        match c {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '"' => html.push_str("&quot;"),
            '\'' => html.push_str("&#39;"),
            c => html.push(c),
        }
    }
    html.push_str("</p>");
    html
}
