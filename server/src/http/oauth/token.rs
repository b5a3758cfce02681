//! `POST /oauth/token` (the authorization code and refresh token grants) and
//! `POST /oauth/revoke` (RFC 7009): form bodies in, RFC 6749 JSON out.

use axum::{
    Json,
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use serde_json::json;

use super::{no_store, protocol_error, read_form};
use crate::{
    domain::oauth::OAuthErrorCode,
    oauth::{OAuthError, TokenForm},
    state::AppState,
};

pub async fn token(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let form: TokenForm = match read_form(&headers, &body) {
        Ok(form) => form,
        Err(e) => return protocol_error(e),
    };
    match state.oauth.exchange(form).await {
        Ok(issued) => {
            let mut response = Json(json!({
                "access_token": issued.access_token,
                "token_type": "Bearer",
                "expires_in": issued.expires_in,
                "refresh_token": issued.refresh_token,
                "scope": issued.scope,
            }))
            .into_response();
            no_store(&mut response);
            response
        }
        Err(e) => protocol_error(e),
    }
}

#[derive(Debug, Deserialize)]
struct RevokeForm {
    token: Option<String>,
    // `token_type_hint` is read and not needed: the prefix tells the kind.
    #[allow(dead_code)]
    token_type_hint: Option<String>,
    client_id: Option<String>,
}

pub async fn revoke(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let form: RevokeForm = match read_form(&headers, &body) {
        Ok(form) => form,
        Err(e) => return protocol_error(e),
    };
    let Some(token) = form.token.filter(|t| !t.is_empty()) else {
        return protocol_error(OAuthError::new(
            OAuthErrorCode::InvalidRequest,
            "`token` is required.",
        ));
    };
    match state
        .oauth
        .revoke_token(&token, form.client_id.as_deref())
        .await
    {
        Ok(()) => {
            let mut response = StatusCode::OK.into_response();
            no_store(&mut response);
            response
        }
        Err(e) => protocol_error(e),
    }
}
