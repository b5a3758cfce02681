//! `AuthUser`: the extractor every protected handler takes. A request without a valid
//! `Authorization: Bearer <ID token>` or `Bearer tasko_pat_...` (a personal access token)
//! never reaches the handler (401). A token is told apart by its prefix, so it never reaches
//! the JWT verifier; it is looked up in the Store on every request (a revoke acts at once on
//! every instance). A read-only token gets 403 on anything but GET and HEAD, here, before
//! any handler runs.

use std::sync::Arc;

use axum::{
    extract::{FromRef, FromRequestParts},
    http::{Method, header, request::Parts},
};

use crate::{
    auth::{
        AuthError, Identity, TokenVerifier,
        access_tokens::{AccessTokens, is_access_token},
    },
    domain::{Access, AccessTokenId, Actor, UserId},
    error::AppError,
};

/// How the request proved who it is.
#[derive(Debug, Clone)]
pub enum Via {
    /// A signed-in session's ID token (the app, or a script with one).
    Session,
    /// A personal access token.
    Token {
        id: AccessTokenId,
        name: String,
        access: Access,
    },
}

#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: UserId,
    pub identity: Identity,
    pub via: Via,
}

impl AuthUser {
    /// Who the activity log names for this request's changes: `None` for the user's own
    /// session (their own clicks are not logged).
    pub fn actor(&self) -> Option<Actor> {
        match &self.via {
            Via::Session => None,
            Via::Token { name, .. } => Some(Actor::token(name)),
        }
    }

    /// Managing tokens needs a signed-in session: a token that could mint tokens could
    /// outlive its own revocation, or turn read-only access into read-write.
    pub fn require_session(&self) -> Result<(), AppError> {
        match self.via {
            Via::Session => Ok(()),
            Via::Token { .. } => Err(AppError::Forbidden(
                "Access tokens are managed from a signed-in session (Settings → Access tokens), not with an access token."
                    .into(),
            )),
        }
    }
}

impl<S> FromRequestParts<S> for AuthUser
where
    Arc<TokenVerifier>: FromRef<S>,
    Arc<AccessTokens>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let user = AuthUser::identify(parts, state).await?;
        user.require_write_access_for(&parts.method)?;
        Ok(user)
    }
}

impl AuthUser {
    /// Who the request's Bearer token names, whatever it asks to do: the REST extractor
    /// adds the read-only check by method, `/mcp` (where every call is a POST) by tool.
    pub async fn identify<S>(parts: &Parts, state: &S) -> Result<Self, AppError>
    where
        Arc<TokenVerifier>: FromRef<S>,
        Arc<AccessTokens>: FromRef<S>,
    {
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
        if is_access_token(token) {
            return by_access_token(token, state).await;
        }
        let verifier = Arc::<TokenVerifier>::from_ref(state);
        let identity = verifier.verify(token).await.map_err(|e| match e {
            AuthError::Invalid(why) => AppError::Unauthorized(why),
            unavailable @ AuthError::KeysUnavailable(_) => AppError::internal(unavailable),
        })?;
        Ok(Self {
            id: UserId::from_verified_sub(&identity.sub),
            identity,
            via: Via::Session,
        })
    }

    /// What the request may do: everything, unless it came with a read-only token.
    pub fn access(&self) -> Access {
        match &self.via {
            Via::Session => Access::Write,
            Via::Token { access, .. } => *access,
        }
    }

    /// The sentence a read-only token's refused write gets (403 on REST, an error on MCP).
    pub fn read_only_refusal(&self) -> Option<String> {
        match &self.via {
            Via::Token {
                name,
                access: Access::Read,
                ..
            } => Some(format!(
                "The access token “{name}” is read-only: it can read but not change anything. Use a read-write token for changes."
            )),
            _ => None,
        }
    }

    /// A read-only token may only GET (and HEAD) on the REST API.
    fn require_write_access_for(&self, method: &Method) -> Result<(), AppError> {
        match self.read_only_refusal() {
            Some(why) if !matches!(*method, Method::GET | Method::HEAD) => {
                Err(AppError::Forbidden(why))
            }
            _ => Ok(()),
        }
    }
}

async fn by_access_token<S>(secret: &str, state: &S) -> Result<AuthUser, AppError>
where
    Arc<AccessTokens>: FromRef<S>,
{
    let tokens = Arc::<AccessTokens>::from_ref(state);
    let token = tokens
        .verify(secret)
        .await?
        .ok_or_else(|| AppError::Unauthorized("unknown or revoked access token".into()))?;
    Ok(AuthUser {
        id: token.owner.clone(),
        identity: Identity {
            sub: token.owner.as_str().to_owned(),
            email: String::new(),
        },
        via: Via::Token {
            id: token.id,
            name: token.name.as_str().to_owned(),
            access: token.access,
        },
    })
}
