//! Quick add: the add box reads a due date from plain words ("call mom friday", "pay rent
//! on the 1st") before Enter. The parsing is the assistant's own (the server's date parser,
//! in the user's time zone), reached through a Leptos server function: declared here, served
//! by the server through `leptos_axum` behind the same `AuthUser` extractor as the REST
//! API, with errors in the API's JSON shape (`{error, message}`).
//!
//! This crate cannot call the server's code (the server depends on it), so the server puts
//! the parser into the function's context ([`QuickAddParser`]) for each call.

use leptos::{prelude::*, server_fn::codec::JsonEncoding, server_fn::error::FromServerFnError};
use serde::{Deserialize, Serialize};

use crate::wire::ApiError;

/// What the add box's text means.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QuickAdd {
    /// The title without the date words (all of the text when it names no date).
    pub title: String,
    /// The due date understood, `YYYY-MM-DD`.
    pub date_due: Option<String>,
    /// The due date as the chip shows it: "Fri, Nov 27".
    pub label: Option<String>,
}

impl FromServerFnError for ApiError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        let (error, message) = match value {
            E::Args(m) | E::Deserialization(m) | E::Serialization(m) => ("bad_request", m),
            E::Registration(m) => ("not_found", m),
            E::Request(m) => ("network", m),
            other => ("internal", other.to_string()),
        };
        Self {
            error: error.into(),
            message,
        }
    }
}

/// Reads `text` as a title and a due date, in the time zone `time_zone` (IANA name).
#[server(prefix = "/api/ui", endpoint = "quick-add", client = UiClient)]
pub async fn parse_quick_add(text: String, time_zone: String) -> Result<QuickAdd, ApiError> {
    let parser = use_context::<QuickAddParser>().ok_or_else(|| ApiError {
        error: "internal".into(),
        message: "Quick add is not available.".into(),
    })?;
    (parser.0)(&text, &time_zone)
}

/// The server's parser, put into each call's context by the server.
#[cfg(feature = "ssr")]
#[derive(Clone)]
#[allow(clippy::type_complexity)]
pub struct QuickAddParser(
    pub std::sync::Arc<dyn Fn(&str, &str) -> Result<QuickAdd, ApiError> + Send + Sync>,
);

/// On the server the client type is only named, never used.
#[cfg(not(feature = "csr"))]
type UiClient = leptos::server_fn::client::browser::BrowserClient;
#[cfg(feature = "csr")]
type UiClient = crate::ui::server_fn_client::AuthorizedClient;
