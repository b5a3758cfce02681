//! `/mcp`: the Model Context Protocol over Streamable HTTP (rmcp's tower service), for
//! outside AI clients, and `/.well-known/oauth-protected-resource` (RFC 9728), which tells
//! them where to sign in.
//!
//! Stateless: `legacy_session_mode` is off, so no `Mcp-Session-Id` is issued and every POST
//! is answered by a fresh handler (plain JSON, no stream): any instance, Lambda included,
//! answers any request, and nothing is kept between them. The caller is authenticated here,
//! before rmcp sees the request, by the same `AuthUser::identify` as the REST API (an ID
//! token, a personal access token, or an OAuth access token from Tasko's authorization
//! server, `http::oauth`); without one the answer is 401 with the `WWW-Authenticate`
//! challenge that points MCP clients at the resource metadata (with
//! `error="invalid_token"` for a token that is expired, revoked or for another resource). DNS-rebinding protection: `Origin` must be
//! `PUBLIC_URL`'s when present, and `Host` must be its host or a loopback name, except behind
//! CloudFront (`ORIGIN_SECRET`), where `Host` is the function URL's and the origin guard
//! already refuses anything that did not come through the distribution.

mod server;
mod tools;

use std::sync::Arc;

use axum::{
    Json, Router,
    extract::{Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::{Next, from_fn_with_state},
    response::{IntoResponse, Response},
    routing::get,
};
use rmcp::transport::{
    StreamableHttpServerConfig, StreamableHttpService,
    streamable_http_server::session::never::NeverSessionManager,
};
use serde_json::json;

pub use server::McpCaller;
use server::TaskoMcp;

use super::{AuthUser, BODY_LIMIT_BYTES};
use crate::{
    domain::{
        Actor,
        oauth::{SCOPE_READ, SCOPE_WRITE},
    },
    error::AppError,
    state::AppState,
};

/// The path of the resource metadata (RFC 9728 §3: under `/.well-known/`).
const RESOURCE_METADATA: &str = "/.well-known/oauth-protected-resource";

/// How `/mcp` is reached.
pub struct McpSite<'a> {
    /// `PUBLIC_URL` (or the listener's own address): the resource and its origin.
    pub public_url: &'a str,
    /// Behind CloudFront: `Host` is the function URL's, not the public host.
    pub behind_proxy: bool,
}

pub fn router(state: &AppState, site: &McpSite<'_>) -> Router<AppState> {
    let files = state.files.clone();
    let public_url: Arc<str> = site.public_url.into();
    let service = StreamableHttpService::new(
        move || Ok(TaskoMcp::new(files.clone(), public_url.clone())),
        Arc::new(NeverSessionManager::default()),
        config(site),
    );
    let challenge = HeaderValue::from_str(&format!(
        "Bearer resource_metadata=\"{}{RESOURCE_METADATA}\"",
        site.public_url
    ))
    .expect("PUBLIC_URL is checked to be a URL");
    let invalid_token = HeaderValue::from_str(&format!(
        "Bearer error=\"invalid_token\", resource_metadata=\"{}{RESOURCE_METADATA}\"",
        site.public_url
    ))
    .expect("PUBLIC_URL is checked to be a URL");
    let auth = McpAuth {
        app: state.clone(),
        challenge,
        invalid_token,
    };
    let metadata = Json(json!({
        "resource": format!("{}/mcp", site.public_url),
        "authorization_servers": [site.public_url],
        "scopes_supported": [SCOPE_READ, SCOPE_WRITE],
        "bearer_methods_supported": ["header"],
        "resource_name": "Tasko",
    }));
    let metadata = get(move || {
        let metadata = metadata.clone();
        async move { ([(header::CACHE_CONTROL, "no-cache")], metadata) }
    });
    Router::new()
        .route_service("/mcp", service)
        .layer(from_fn_with_state(auth, authenticate))
        // RFC 9728 §3.1: clients also ask with the resource's path appended.
        .route(RESOURCE_METADATA, metadata.clone())
        .route(&format!("{RESOURCE_METADATA}/mcp"), metadata)
}

fn config(site: &McpSite<'_>) -> StreamableHttpServerConfig {
    let config = StreamableHttpServerConfig::default()
        .with_legacy_session_mode(false)
        .with_json_response(true)
        .with_max_request_body_bytes(BODY_LIMIT_BYTES)
        .with_allowed_origins([origin_of(site.public_url)]);
    if site.behind_proxy {
        config.disable_allowed_hosts()
    } else {
        // Loopback names cannot be a rebinding: an attacker's page cannot send them.
        let host = site
            .public_url
            .split_once("://")
            .map_or(site.public_url, |(_, rest)| rest);
        config.with_allowed_hosts([host, "localhost", "127.0.0.1", "::1"])
    }
}

/// `scheme://host:port` with the scheme's default port made explicit (rmcp matches an
/// entry without a port against any port).
fn origin_of(public_url: &str) -> String {
    let (scheme, rest) = public_url
        .split_once("://")
        .unwrap_or(("https", public_url));
    let host = rest.split('/').next().unwrap_or(rest);
    let has_port = host
        .rsplit_once(':')
        .is_some_and(|(_, p)| p.parse::<u16>().is_ok())
        && !host.ends_with(']');
    if has_port {
        format!("{scheme}://{host}")
    } else {
        let port = if scheme == "http" { 80 } else { 443 };
        format!("{scheme}://{host}:{port}")
    }
}

#[derive(Clone)]
struct McpAuth {
    app: AppState,
    /// `WWW-Authenticate` of a 401: where the resource metadata is.
    challenge: HeaderValue,
    /// The same for a token that is no longer (or never was) good here.
    invalid_token: HeaderValue,
}

/// Finds the caller (401 with the challenge without a valid token) and hands rmcp the
/// request with the [`McpCaller`] in its extensions.
async fn authenticate(State(auth): State<McpAuth>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    match AuthUser::identify(&parts, &auth.app).await {
        Ok(user) => {
            parts.extensions.insert(caller(&user));
            as_json_error(next.run(Request::from_parts(parts, body)).await).await
        }
        Err(err) => {
            // Read the refused request's body (bounded like every /mcp body): hyper closes a
            // kept-alive connection whose request body was left unread, without a
            // `Connection: close`, so a client's next request on it (the metadata fetch an
            // MCP client's OAuth flow starts with) would fail about half the time.
            let _ = axum::body::to_bytes(body, BODY_LIMIT_BYTES).await;
            let challenge = if matches!(err, AppError::InvalidToken(_)) {
                auth.invalid_token.clone()
            } else {
                auth.challenge.clone()
            };
            let mut response = err.into_response();
            if response.status() == StatusCode::UNAUTHORIZED {
                response
                    .headers_mut()
                    .insert(header::WWW_AUTHENTICATE, challenge);
            }
            response
        }
    }
}

/// rmcp refuses bad transport requests (a foreign `Origin` or `Host`, a wrong `Accept`, too
/// large a body) in plain text; they get the API's JSON error shape like every other 4xx,
/// with rmcp's sentence and its status.
async fn as_json_error(response: Response) -> Response {
    let status = response.status();
    // Plain text, or no type at all (the body limit's answer).
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|t| t.starts_with("text/plain"));
    if !status.is_client_error() || !plain {
        return response;
    }
    let message = match axum::body::to_bytes(response.into_body(), 4096).await {
        Ok(bytes) => String::from_utf8_lossy(&bytes).trim().to_owned(),
        Err(_) => String::new(),
    };
    let error = match status {
        StatusCode::FORBIDDEN => AppError::Forbidden(message),
        StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge(message),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => AppError::UnsupportedMediaType(message),
        StatusCode::NOT_FOUND => AppError::NotFound(message),
        _ => AppError::Invalid(message),
    };
    let mut json = error.into_response();
    *json.status_mut() = status;
    json
}

fn caller(user: &AuthUser) -> McpCaller {
    let actor = match user.actor() {
        // A personal access token's changes carry its name, an OAuth client's its name.
        Some(credential) => Actor::mcp(&credential.name),
        None => Actor::mcp("Signed-in session"),
    };
    McpCaller {
        user: user.id.clone(),
        access: user.access(),
        actor,
        read_only_refusal: user.read_only_refusal(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_allowed_origin_names_its_port() {
        assert_eq!(
            origin_of("https://tasko.example"),
            "https://tasko.example:443"
        );
        assert_eq!(origin_of("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert_eq!(origin_of("http://localhost"), "http://localhost:80");
    }
}
