//! Tasko's OAuth 2.1 authorization server on HTTP (issue 26): the metadata (RFC 8414), the
//! browser's authorization request, the token, registration and revocation endpoints that
//! MCP clients call (answering RFC 6749's error JSON, never the API's), and the signed-in
//! user's side under `/api/oauth` (the consent page's request and answer, the connected
//! apps). The work is `oauth::OAuthServer`'s; these files only translate.

mod authorize;
mod consent;
mod register;
mod token;

use axum::{
    Json, Router,
    extract::State,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde_json::json;

use crate::{
    domain::oauth::{OAuthErrorCode, SCOPE_READ, SCOPE_WRITE},
    oauth::OAuthError,
    state::AppState,
};

/// `/.well-known/oauth-authorization-server` and `/oauth/*` (outside `/api`: their paths
/// and error shapes are the protocol's).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/.well-known/oauth-authorization-server", get(metadata))
        .route("/oauth/authorize", get(authorize::authorize))
        .route("/oauth/token", post(token::token))
        .route("/oauth/revoke", post(token::revoke))
        .route("/oauth/register", post(register::register))
}

/// The signed-in user's routes, nested under `/api`.
pub fn api_router() -> Router<AppState> {
    consent::router()
}

/// RFC 8414 metadata: where everything is and what this server supports.
async fn metadata(State(state): State<AppState>) -> impl IntoResponse {
    let issuer = &state.oauth.site().issuer;
    let body = json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/oauth/authorize"),
        "token_endpoint": format!("{issuer}/oauth/token"),
        "registration_endpoint": format!("{issuer}/oauth/register"),
        "revocation_endpoint": format!("{issuer}/oauth/revoke"),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["none"],
        "revocation_endpoint_auth_methods_supported": ["none"],
        "scopes_supported": [SCOPE_READ, SCOPE_WRITE],
        "client_id_metadata_document_supported": true,
        "authorization_response_iss_parameter_supported": true,
    });
    ([(header::CACHE_CONTROL, "no-cache")], Json(body))
}

/// An OAuth error as its RFC says: `{"error", "error_description"}`, 400 (401 for
/// `invalid_client`, 429 for too many registrations), never cached.
fn protocol_error(error: OAuthError) -> Response {
    let (status, code, description) = match &error {
        OAuthError::Protocol { code, description } => {
            let status = if *code == OAuthErrorCode::InvalidClient {
                StatusCode::UNAUTHORIZED
            } else {
                StatusCode::BAD_REQUEST
            };
            (status, *code, description.clone())
        }
        OAuthError::TooManyRequests => (
            StatusCode::TOO_MANY_REQUESTS,
            OAuthErrorCode::TemporarilyUnavailable,
            "Too many registrations from this address; try again in a minute.".to_owned(),
        ),
        OAuthError::Store(e) => {
            tracing::error!(error = %e, "OAuth request failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                OAuthErrorCode::ServerError,
                "Something went wrong on our side; try again.".to_owned(),
            )
        }
    };
    let mut response = (
        status,
        Json(json!({ "error": code.as_str(), "error_description": description })),
    )
        .into_response();
    no_store(&mut response);
    if status == StatusCode::TOO_MANY_REQUESTS {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
    }
    response
}

/// Token answers and errors are never cached (RFC 6749 §5.1).
fn no_store(response: &mut Response) {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
}

/// A form body (`application/x-www-form-urlencoded`, as RFC 6749 requires), read into `T`.
fn read_form<T: serde::de::DeserializeOwned>(
    headers: &axum::http::HeaderMap,
    body: &[u8],
) -> Result<T, OAuthError> {
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    if !form {
        return Err(OAuthError::new(
            OAuthErrorCode::InvalidRequest,
            "The body must be application/x-www-form-urlencoded.",
        ));
    }
    serde_urlencoded::from_bytes(body).map_err(|e| {
        OAuthError::new(
            OAuthErrorCode::InvalidRequest,
            format!("The form could not be read ({e}); each parameter may appear once."),
        )
    })
}
