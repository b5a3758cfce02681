//! The HTTP surface: `router()` merges the route modules (`/api`, `/mcp`, ...), the static
//! frontend and the cross-cutting layers (body limit, security headers, tracing).

mod action_group;
mod activity;
mod auth_user;
mod chat;
mod files;
mod json;
mod labels;
mod lists;
mod mcp;
mod me;
mod oauth;
pub mod origin_guard;
mod plans;
mod push;
mod reminders;
mod security_headers;

pub use security_headers::content_security_policy;
mod static_files;
mod todos;
mod tokens;
mod transfer;

pub use auth_user::AuthUser;

use std::{path::Path, sync::Arc};

use axum::middleware::map_response;
use axum::{
    Router,
    extract::DefaultBodyLimit,
    http::{HeaderValue, StatusCode, header},
    routing::{MethodRouter, get},
};
use security_headers::SecurityHeaders;
use tower_http::{
    compression::{Predicate, predicate::SizeAbove},
    trace::TraceLayer,
};

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
    /// `PUBLIC_URL` (or the listener's own address): what `/mcp` and its metadata name.
    pub public_url: &'a str,
}

pub fn router(state: AppState, idp: Option<Arc<LocalIdp>>, site: Site<'_>) -> Router {
    let api = Router::new()
        .merge(todos::router())
        .merge(labels::router())
        .merge(lists::router())
        .merge(me::router())
        .merge(chat::router(site.websockets))
        .merge(files::router())
        .merge(transfer::router())
        .merge(tokens::router())
        .merge(activity::router())
        .merge(plans::router())
        .merge(reminders::router())
        .merge(push::router())
        .merge(oauth::api_router())
        .fallback(api_not_found)
        .layer(json_compression());
    let mut app = Router::new()
        .nest("/api", api)
        .route("/config.json", runtime_config(&state.runtime_config))
        .merge(action_group::router())
        .merge(files::download_router())
        .merge(oauth::router())
        .merge(mcp::router(
            &state,
            &mcp::McpSite {
                public_url: site.public_url,
                behind_proxy: site.origin_secret.is_some(),
            },
        ))
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

/// `/config.json`, revalidated on every load: `no-cache` with an ETag, so an unchanged
/// config costs a 304. It is fixed for the process: serialized and tagged once.
fn runtime_config(config: &app::wire::RuntimeConfig) -> MethodRouter<AppState> {
    use sha2::{Digest, Sha256};
    let body = bytes::Bytes::from(serde_json::to_vec(config).unwrap_or_default());
    let digest = Sha256::digest(&body);
    let tag: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    let etag = HeaderValue::from_str(&format!("\"{tag}\"")).expect("hex is a valid header");
    get(move |request_headers: axum::http::HeaderMap| async move {
        let fresh = request_headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|given| {
                given
                    .split(',')
                    .any(|t| t.trim().as_bytes() == etag.as_bytes())
            });
        let headers = [
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (header::ETAG, etag),
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
        ];
        if fresh {
            (StatusCode::NOT_MODIFIED, headers, bytes::Bytes::new())
        } else {
            (StatusCode::OK, headers, body)
        }
    })
}

/// Large JSON answers (a long todo list) are gzipped for clients that accept it; nothing
/// else is (never the chat's event stream: it must flush each event as it happens).
fn json_compression() -> tower_http::compression::CompressionLayer<impl Predicate> {
    let json_only = |_: StatusCode,
                     _: axum::http::Version,
                     headers: &axum::http::HeaderMap,
                     _: &axum::http::Extensions| {
        headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("application/json"))
    };
    tower_http::compression::CompressionLayer::new()
        .gzip(true)
        .compress_when(SizeAbove::new(2048).and(json_only))
}

async fn api_not_found() -> AppError {
    AppError::NotFound("No such API endpoint.".into())
}
