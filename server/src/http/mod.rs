//! The HTTP surface: `router()` merges the route modules, the static frontend and the
//! cross-cutting layers (body limit, security headers, tracing).

mod action_group;
mod auth_user;
mod chat;
mod files;
mod json;
mod me;
mod security_headers;
mod static_files;
mod todos;

pub use auth_user::AuthUser;

use std::{path::Path, sync::Arc};

use axum::{
    Json, Router,
    extract::{DefaultBodyLimit, State},
    http::header,
    response::IntoResponse,
    routing::get,
};
use tower_http::trace::TraceLayer;

use crate::{error::AppError, idp::LocalIdp, state::AppState};

/// Largest request body accepted anywhere (JSON API and identity protocol).
pub const BODY_LIMIT_BYTES: usize = 64 * 1024;

/// `direct_origins`: where browsers send bytes themselves (the S3 bucket), allowed by the CSP.
pub fn router(
    state: AppState,
    idp: Option<Arc<LocalIdp>>,
    dist_dir: &Path,
    direct_origins: &[String],
) -> Router {
    let api = Router::new()
        .merge(todos::router())
        .merge(me::router())
        .merge(chat::router())
        .merge(files::router())
        .fallback(api_not_found);
    let mut app = Router::new()
        .nest("/api", api)
        .route("/config.json", get(runtime_config))
        .merge(action_group::router())
        .merge(files::download_router())
        .with_state(state.clone());
    if let Some(idp) = idp {
        app = app.merge(crate::idp::router(idp));
    }
    let csp =
        security_headers::content_security_policy(dist_dir, &state.runtime_config, direct_origins);
    app.fallback_service(static_files::service(dist_dir))
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .layer(security_headers::layer(&csp))
        .layer(TraceLayer::new_for_http())
}

async fn runtime_config(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CACHE_CONTROL, "no-store")],
        Json(state.runtime_config.as_ref().clone()),
    )
}

async fn api_not_found() -> AppError {
    AppError::NotFound("No such API endpoint.".into())
}
