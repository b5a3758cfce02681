//! `POST /oauth/register`: Dynamic Client Registration (RFC 7591) for public clients.
//! JSON in (at most 16 KiB), 201 with the client's id out; limited per address and minute.

use std::net::SocketAddr;

use axum::{
    Json,
    body::Bytes,
    extract::{ConnectInfo, State},
    http::{Extensions, HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde_json::json;

use super::{no_store, protocol_error};
use crate::{
    domain::oauth::OAuthErrorCode,
    oauth::{OAuthError, Registration},
    state::AppState,
};

/// A registration is a few URIs and a name; anything larger is not one.
const MAX_REGISTRATION_BYTES: usize = 16 * 1024;

/// The caller's address: the peer's, or on Lambda (no socket of ours) the last
/// `X-Forwarded-For` entry, the one CloudFront itself added.
fn client_address(extensions: &Extensions, headers: &HeaderMap) -> String {
    if let Some(ConnectInfo(peer)) = extensions.get::<ConnectInfo<SocketAddr>>() {
        return peer.ip().to_string();
    }
    headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .map_or_else(|| "unknown".to_owned(), |a| a.trim().to_owned())
}

pub async fn register(
    State(state): State<AppState>,
    extensions: Extensions,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if body.len() > MAX_REGISTRATION_BYTES {
        return protocol_error(OAuthError::new(
            OAuthErrorCode::InvalidClientMetadata,
            "A registration is at most 16 KiB of JSON.",
        ));
    }
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/json"));
    if !json {
        return protocol_error(OAuthError::new(
            OAuthErrorCode::InvalidClientMetadata,
            "The body must be application/json.",
        ));
    }
    let registration: Registration = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return protocol_error(OAuthError::new(
                OAuthErrorCode::InvalidClientMetadata,
                format!("The registration could not be read: {e}."),
            ));
        }
    };
    let address = client_address(&extensions, &headers);
    match state.oauth.register(registration, &address).await {
        Ok((client, issued_at)) => {
            let issued_at = issued_at.as_second();
            let mut response = (
                StatusCode::CREATED,
                Json(json!({
                    "client_id": client.id,
                    "client_id_issued_at": issued_at,
                    "client_name": client.name,
                    "redirect_uris": client.redirect_uris,
                    "grant_types": ["authorization_code", "refresh_token"],
                    "response_types": ["code"],
                    "token_endpoint_auth_method": "none",
                })),
            )
                .into_response();
            no_store(&mut response);
            response
        }
        Err(e) => protocol_error(e),
    }
}
