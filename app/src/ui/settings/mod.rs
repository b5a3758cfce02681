//! Settings: the account's own panel, opened from the top bar. It holds "Your data" (the
//! export download and the import of an export document or a Todoist CSV), and, once open,
//! access tokens, connected apps and the activity log:
//!
//! `access_settings.rs` (the tabs "Access tokens", "Connected apps" and "Activity"),
//! `tokens_panel.rs` (create a token, shown once with Copy; the list with created and
//! last-used times; revoke after a confirmation), `connected_apps.rs` (the OAuth grants,
//! revoked after a confirmation), `activity_panel.rs` (what the assistant, connected apps
//! and tokens changed, newest first, with Undo), `summary.rs` (an activity summary's
//! `*title*` as emphasis, as text nodes).

mod access_settings;
mod activity_panel;
mod connected_apps;
mod data_transfer;
pub mod settings_panel;
mod summary;
mod tokens_panel;

/// "2026-12-06T10:00:00Z" as "2026-12-06 10:00 UTC" (what the API sends, shortened).
fn short_time(rfc3339: &str) -> String {
    match (rfc3339.get(..10), rfc3339.get(11..16)) {
        (Some(day), Some(time)) => format!("{day} {time} UTC"),
        _ => rfc3339.to_owned(),
    }
}

/// The text at `key` of a JSON answer (empty when absent).
fn text(value: &serde_json::Value, key: &str) -> String {
    value[key].as_str().unwrap_or_default().to_owned()
}
