//! What this browser keeps for offline use (issue 28), through `store.js` (IndexedDB): the
//! todos and lists last fetched, as the API's JSON text, per user (the ID token's `sub`).
//! Shown at once on every load, before the server answers, and alone when it cannot be
//! reached; cleared at sign-out. Losing it is harmless: the server has everything.

use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/src/ui/offline/store.js")]
extern "C" {
    #[wasm_bindgen(js_name = saveSnapshot)]
    fn save_promise(user: &str, kind: &str, json: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = loadSnapshot)]
    fn load_promise(user: &str, kind: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = forgetAll)]
    fn forget_promise() -> js_sys::Promise;
}

pub const TODOS: &str = "todos";
pub const LISTS: &str = "lists";

/// Said while the list shown is the one kept here because the server cannot be reached.
pub const OFFLINE_NOTICE: &str =
    "You are offline: this is your list as last seen on this device. Changes need a connection.";

/// Keeps `json` (the API's answer) as the user's `kind`, in the background.
pub fn save(user: String, kind: &'static str, json: String) {
    spawn_local(async move {
        let _ = JsFuture::from(save_promise(&user, kind, &json)).await;
    });
}

/// Keeps a list the server sent with its `ETag`, in one record (`<etag>\n<json>`: compact
/// JSON has no raw line break), so the next load asks the server whether it changed and
/// an unchanged list costs a 304. Written as one record so a tag never names another body.
pub fn save_tagged(user: String, kind: &'static str, etag: Option<&str>, json: &str) {
    save(user, kind, format!("{}\n{json}", etag.unwrap_or_default()));
}

/// A record of [`save_tagged`]: its tag (if any) and its JSON.
pub fn split_tagged(kept: &str) -> (Option<String>, &str) {
    match kept.split_once('\n') {
        Some((tag, json)) => ((!tag.is_empty()).then(|| tag.to_owned()), json),
        None => (None, kept),
    }
}

/// The user's `kind` as last kept here.
pub async fn load(user: &str, kind: &str) -> Option<String> {
    JsFuture::from(load_promise(user, kind))
        .await
        .ok()?
        .as_string()
}

/// Forgets everything kept on this browser (sign-out).
pub async fn forget_all() {
    let _ = JsFuture::from(forget_promise()).await;
}
