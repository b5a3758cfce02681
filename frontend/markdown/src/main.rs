//! The markdown module: `to_safe_html` exported to the app's page (`app::ui::markdown`
//! imports it when it first has markdown to show). The rendering is `app::markdown`'s, the
//! one sanitizing pipeline, tested on the host.

use wasm_bindgen::prelude::*;

/// Untrusted markdown to HTML that is safe to insert.
#[wasm_bindgen]
pub fn to_safe_html(markdown: &str) -> String {
    app::markdown::to_safe_html(markdown)
}

/// Nothing runs at load: the page calls `to_safe_html`.
fn main() {}
