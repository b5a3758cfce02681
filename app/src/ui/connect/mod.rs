//! Sign-in for outside clients (issue 26): `/oauth/authorize` sends the browser to
//! `/connect?request=<id>`, a page of this app. Signed out, the usual sign-in shows first
//! (the same page, so signing in comes back here); then [`ConnectPage`] loads the pending
//! request and [`consent_card`] names the client, its site, what it asks and where the
//! browser goes next, with Approve and Deny. [`client`] holds the calls of the consent
//! page and of Settings → "Connected apps".

pub mod client;
mod connect_page;
mod consent_card;

pub use connect_page::ConnectPage;

use crate::ui::browser::window;

/// Whether the address is the consent page (`/connect`), which shows instead of the todos.
pub fn is_connect_page() -> bool {
    let path = window().location().pathname().unwrap_or_default();
    path.trim_end_matches('/') == "/connect"
}

/// The `request` of the address's query (`?request=<id>`), or empty.
fn request_id() -> String {
    let search = window().location().search().unwrap_or_default();
    search
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("request="))
        .and_then(|id| js_sys::decode_uri_component(id).ok())
        .map(String::from)
        .unwrap_or_default()
}
