//! `/api/tokens`: personal access tokens. Only a signed-in session manages them (403 for a
//! request made with a token: one token minting another would outlive its revocation and
//! could turn read into write). The secret is in the `201` answer only.

use axum::{
    Json, Router,
    extract::State,
    http::StatusCode,
    response::IntoResponse,
    routing::{delete, get},
};

use app::wire::access::{AccessTokenInfo, AccessTokenList, CreatedAccessToken, NewAccessToken};

use super::{
    AuthUser,
    json::{ApiJson, ApiPath},
};
use crate::{
    auth::access_tokens::TokenError,
    domain::{AccessToken, AccessTokenId, rfc3339},
    error::{AppError, Result},
    state::AppState,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/tokens", get(list).post(create))
        .route("/tokens/{id}", delete(revoke))
}

impl From<TokenError> for AppError {
    fn from(e: TokenError) -> Self {
        match e {
            TokenError::Invalid(invalid) => invalid.into(),
            TokenError::LimitReached(message) => AppError::QuotaExceeded(message),
            TokenError::NotFound => AppError::NotFound("No such access token.".into()),
            TokenError::Store(e) => e.into(),
        }
    }
}

fn info(token: &AccessToken) -> AccessTokenInfo {
    AccessTokenInfo {
        id: token.id.to_string(),
        name: token.name.as_str().to_owned(),
        access: token.access.as_str().to_owned(),
        created_at: rfc3339(token.created_at),
        last_used_at: token.last_used_at.map(rfc3339),
    }
}

async fn create(
    user: AuthUser,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<NewAccessToken>,
) -> Result<impl IntoResponse> {
    user.require_session()?;
    let (token, secret) = state
        .access_tokens
        .create(&user.id, &input.name, &input.access)
        .await?;
    let created = CreatedAccessToken {
        id: token.id.to_string(),
        name: token.name.as_str().to_owned(),
        access: token.access.as_str().to_owned(),
        token: secret,
    };
    Ok((StatusCode::CREATED, Json(created)))
}

async fn list(user: AuthUser, State(state): State<AppState>) -> Result<Json<AccessTokenList>> {
    user.require_session()?;
    let tokens = state.access_tokens.list(&user.id).await?;
    Ok(Json(AccessTokenList {
        tokens: tokens.iter().map(info).collect(),
    }))
}

async fn revoke(
    user: AuthUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode> {
    user.require_session()?;
    let id = AccessTokenId::parse(&id)?;
    state.access_tokens.revoke(&user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
