//! `AuthUser`: the extractor every protected handler takes. A request without a valid
//! `Authorization: Bearer <ID token>` never reaches the handler (401).

use std::sync::Arc;

use axum::{
    extract::{FromRef, FromRequestParts},
    http::{header, request::Parts},
};

use crate::{
    auth::{AuthError, Identity, TokenVerifier},
    domain::UserId,
    error::AppError,
};

#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: UserId,
    pub identity: Identity,
}

impl<S> FromRequestParts<S> for AuthUser
where
    Arc<TokenVerifier>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let verifier = Arc::<TokenVerifier>::from_ref(state);
        let value = parts
            .headers
            .get(header::AUTHORIZATION)
            .ok_or_else(|| AppError::Unauthorized("no Authorization header".into()))?
            .to_str()
            .map_err(|_| AppError::Unauthorized("Authorization header is not text".into()))?;
        let token = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .ok_or_else(|| AppError::Unauthorized("not a Bearer token".into()))?
            .trim();
        let identity = verifier.verify(token).await.map_err(|e| match e {
            AuthError::Invalid(why) => AppError::Unauthorized(why),
            unavailable @ AuthError::KeysUnavailable(_) => AppError::internal(unavailable),
        })?;
        Ok(Self {
            id: UserId::from_verified_sub(&identity.sub),
            identity,
        })
    }
}
