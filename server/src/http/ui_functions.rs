//! `/api/ui/*`: the UI's own Leptos server functions (declared in `app`, today only
//! `app::quick_add::parse_quick_add`), served by `leptos_axum` behind the same `AuthUser`
//! extractor as the REST API: a call without a valid token is our JSON 401 before any
//! server function runs. Not a public interface: outside clients use the REST API.

use std::sync::{
    Arc,
    atomic::{AtomicBool, Ordering},
};

use app::{
    quick_add::{QuickAdd, QuickAddParser},
    wire::ApiError,
};
use axum::{
    Router,
    body::Body,
    extract::{Request, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::post,
};
use leptos::prelude::provide_context;

use super::AuthUser;
use crate::{
    agent::local::dates::{friendly, split_quick_add},
    domain::clock,
    error::AppError,
    state::AppState,
};

pub fn router() -> Router<AppState> {
    Router::new().route("/ui/{*function}", post(call))
}

async fn call(
    _user: AuthUser,
    State(state): State<AppState>,
    mut request: Request<Body>,
) -> Response {
    // Nested under /api, the request lost that prefix; server functions are registered under
    // their whole path.
    let whole = request
        .uri()
        .path_and_query()
        .map(|p| format!("/api{p}"))
        .and_then(|p| p.parse().ok());
    match whole {
        Some(uri) => *request.uri_mut() = uri,
        None => return AppError::NotFound("No such API endpoint.".into()).into_response(),
    }
    let chat = state.chat.clone();
    // Server functions answer every error with 500; bad input is a 400 like everywhere else.
    let refused = Arc::new(AtomicBool::new(false));
    let refusal = refused.clone();
    let parser = QuickAddParser(Arc::new(move |text: &str, zone: &str| {
        let zone = clock::time_zone(zone).map_err(|e| {
            refusal.store(true, Ordering::Relaxed);
            ApiError {
                error: "bad_request".into(),
                message: e.0,
            }
        })?;
        let today = chat.current_time().to_zoned(zone).date();
        let (title, date) = split_quick_add(text, today);
        Ok(QuickAdd {
            title,
            date_due: date.map(|d| d.to_string()),
            label: date.map(|d| friendly(d, today)),
        })
    }));
    let mut response = leptos_axum::handle_server_fns_with_context(
        move || provide_context(parser.clone()),
        request,
    )
    .await
    .into_response();
    if refused.load(Ordering::Relaxed) {
        *response.status_mut() = StatusCode::BAD_REQUEST;
    }
    response
}
