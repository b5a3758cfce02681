//! The HTTP surface: `router()` merges the route modules, the static frontend and the
//! cross-cutting layers (body limit, security headers, tracing).

mod action_group;
mod auth_user;
mod chat;
mod files;
mod json;
mod me;
pub mod origin_guard;
mod security_headers;

pub use security_headers::content_security_policy;
mod static_files;
mod todos;
mod ui_functions;

pub use auth_user::AuthUser;

use std::{path::Path, sync::Arc};

use axum::middleware::map_response;
use axum::{
    Json, Router,
    extract::{DefaultBodyLimit, State},
    http::header,
    response::IntoResponse,
    routing::get,
};
use security_headers::SecurityHeaders;
use tower_http::trace::TraceLayer;

use crate::{config::Secret, error::AppError, idp::LocalIdp, state::AppState};

/// Largest request body accepted anywhere (JSON API and identity protocol).
pub const BODY_LIMIT_BYTES: usize = 64 * 1024;

/// What the router needs to know about how it is reached.
pub struct Site<'a> {
    /// The built frontend.
    pub dist_dir: &'a Path,
    /// Where browsers send bytes themselves (the S3 bucket), allowed by the CSP.
    pub direct_origins: &'a [String],
    /// Users reach the app over https (HSTS is sent).
    pub https: bool,
    /// WebSockets can be served (not on Lambda: a Function URL carries no WebSocket).
    pub websockets: bool,
    /// `ORIGIN_SECRET`: only requests carrying it are served (behind CloudFront).
    pub origin_secret: Option<Secret>,
}

pub fn router(state: AppState, idp: Option<Arc<LocalIdp>>, site: Site<'_>) -> Router {
    let api = Router::new()
        .merge(todos::router())
        .merge(me::router())
        .merge(chat::router(site.websockets))
        .merge(files::router())
        .merge(ui_functions::router())
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
    let csp = security_headers::content_security_policy(
        site.dist_dir,
        &state.runtime_config,
        site.direct_origins,
    );
    let headers = SecurityHeaders::new(&csp, site.https);
    let mut app = app
        .fallback_service(static_files::service(site.dist_dir))
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES));
    if let Some(secret) = site.origin_secret {
        app = app.layer(axum::middleware::from_fn(move |request, next| {
            origin_guard::require(secret.clone(), request, next)
        }));
    }
    app.layer(map_response(move |response| {
        headers.clone().add_to(response)
    }))
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
