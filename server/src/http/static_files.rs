//! The built frontend (dist/) with an SPA fallback: unknown paths get index.html with 200,
//! so deep links work. Without a build, a plain message says how to make one.
//!
//! First loads are small and second loads are free: `make dist` writes brotli and gzip
//! copies next to each asset (`scripts/precompress.mjs`), sent as they are to browsers that
//! accept them (`Content-Encoding`, `Vary: Accept-Encoding`); Trunk's content-hashed files
//! are `immutable` for a year, everything else (index.html) is revalidated on every load.

use std::{path::Path, sync::LazyLock};

use axum::{
    Router,
    extract::Request,
    http::{HeaderValue, StatusCode, header},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::get,
};
use regex_lite::Regex;
use tower_http::services::{ServeDir, ServeFile};

/// Trunk's output names carry a hash of their content: `frontend-<hex>_bg.wasm`, ...
static HASHED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"-[0-9a-f]{12,16}(?:_bg)?\.(?:js|wasm|css)$").expect("valid pattern")
});

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

pub fn service(dist_dir: &Path) -> Router {
    let index = dist_dir.join("index.html");
    if !index.exists() {
        tracing::warn!(dist = %dist_dir.display(), "no built frontend; run `make run`");
        return Router::new().fallback(get(|| async {
            (
                StatusCode::NOT_FOUND,
                "The frontend is not built. Run `make run` (or `make dist`).",
            )
                .into_response()
        }));
    }
    let serve = ServeDir::new(dist_dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(
            ServeFile::new(index)
                .precompressed_br()
                .precompressed_gzip(),
        );
    Router::new()
        .fallback_service(serve)
        .layer(middleware::from_fn(cache_policy))
}

/// Hashed assets are cached for a year; the rest is revalidated (`no-cache` with
/// Last-Modified: a cheap 304). A hashed name that is not there (an old build's) is a 404,
/// never the SPA's index.html cached as that asset.
async fn cache_policy(request: Request, next: Next) -> Response {
    let hashed = HASHED.is_match(request.uri().path());
    let mut response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    if hashed && is_html {
        return (
            StatusCode::NOT_FOUND,
            [(header::CACHE_CONTROL, "no-cache")],
            "No such file in this build.",
        )
            .into_response();
    }
    let policy = if hashed && response.status().is_success() {
        IMMUTABLE
    } else {
        "no-cache"
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
}
