//! `ORIGIN_SECRET`: behind CloudFront, the function's own URL must not be a second way in
//! (it would skip the edge's headers and caching). CloudFront adds `X-Tasko-Origin-Secret`
//! to every request it forwards; with `ORIGIN_SECRET` set, a request without the right value
//! is answered 403 before any route runs. (Origin Access Control is not used for this: it
//! signs requests with SigV4 in the `Authorization` header, which would replace the users'
//! Bearer tokens.)

use axum::{
    extract::Request,
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::{config::Secret, error::AppError};

pub const ORIGIN_SECRET_HEADER: &str = "x-tasko-origin-secret";

/// Passes requests that carry the secret; answers the rest 403. The local IdP's public keys
/// stay reachable: the server fetches them from itself to verify tokens.
pub async fn require(secret: Secret, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if path.starts_with("/idp/") && path.contains("/.well-known/") {
        return next.run(request).await;
    }
    let given = request
        .headers()
        .get(ORIGIN_SECRET_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if secret.matches(given) {
        next.run(request).await
    } else {
        AppError::Forbidden("This address is not served directly; use the app's public URL.".into())
            .into_response()
    }
}
