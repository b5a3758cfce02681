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
    if is_public_key_route(request.uri().path()) {
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

/// Exactly the IdP's two key routes, `/idp/{pool}/.well-known/jwks.json` and
/// `/idp/{pool}/.well-known/openid-configuration` (one non-empty path segment for the pool),
/// not whatever else merely contains `/.well-known/`.
fn is_public_key_route(path: &str) -> bool {
    let Some(rest) = path.strip_prefix("/idp/") else {
        return false;
    };
    let Some((pool, document)) = rest.split_once('/') else {
        return false;
    };
    !pool.is_empty()
        && matches!(
            document,
            ".well-known/jwks.json" | ".well-known/openid-configuration"
        )
}

#[cfg(test)]
mod tests {
    use super::is_public_key_route;

    #[test]
    fn only_the_two_key_routes_are_public() {
        assert!(is_public_key_route("/idp/local_x/.well-known/jwks.json"));
        assert!(is_public_key_route(
            "/idp/local_x/.well-known/openid-configuration"
        ));
        for path in [
            "/idp/x/.well-known/anything",
            "/idp/x/.well-known/jwks.json/",
            "/idp/x/y/.well-known/jwks.json",
            "/idp//.well-known/jwks.json",
            "/idp/.well-known/jwks.json",
            "/api/idp/x/.well-known/jwks.json",
            "/idp",
        ] {
            assert!(!is_public_key_route(path), "{path}");
        }
    }
}
