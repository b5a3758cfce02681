//! The built frontend (dist/) with an SPA fallback: unknown paths get index.html with 200,
//! so deep links work. Without a build, a plain message says how to make one.

use std::path::Path;

use axum::{
    http::{HeaderValue, StatusCode, header},
    response::IntoResponse,
    routing::{MethodRouter, any_service, get},
};
use tower_http::{
    services::{ServeDir, ServeFile},
    set_header::SetResponseHeaderLayer,
};

pub fn service(dist_dir: &Path) -> MethodRouter {
    let index = dist_dir.join("index.html");
    if !index.exists() {
        tracing::warn!(dist = %dist_dir.display(), "no built frontend; run `make run`");
        return get(|| async {
            (
                StatusCode::NOT_FOUND,
                "The frontend is not built. Run `make run` (or `make dist`).",
            )
                .into_response()
        });
    }
    // Revalidate everything: Trunk's file names change with their content, and index.html
    // must never be stale, so `no-cache` plus Last-Modified costs one cheap 304 at most.
    let serve = ServeDir::new(dist_dir).fallback(ServeFile::new(index));
    any_service(
        tower::ServiceBuilder::new()
            .layer(SetResponseHeaderLayer::if_not_present(
                header::CACHE_CONTROL,
                HeaderValue::from_static("no-cache"),
            ))
            .service(serve),
    )
}
