//! `AuthUser`: the extractor every protected handler takes. A request without a valid
//! `Authorization: Bearer <ID token>`, `Bearer tasko_pat_...` (a personal access token) or
//! `Bearer tasko_oat_...` (an OAuth access token an MCP client got) never reaches the
//! handler (401). A token is told apart by its prefix, so it never reaches the JWT
//! verifier; it is looked up in the Store on every request (a revoke acts at once on every
//! instance). An OAuth token minted for another resource, or one that is unknown, expired
//! or revoked, is a 401 with `WWW-Authenticate: Bearer error="invalid_token"`. A read-only
//! token gets 403 on anything but GET and HEAD, here, before any handler runs.

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
    domain::{Access, AccessTokenId, Actor, GrantId, UserId, oauth::ACCESS_TOKEN_PREFIX},
    error::AppError,
    oauth::{AccessCheck, OAuthServer},
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
    /// An OAuth access token of a connected app (an MCP client).
    OAuth {
        grant: GrantId,
        client_name: String,
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
            Via::OAuth { client_name, .. } => Some(Actor::mcp(client_name)),
        }
    }

    /// Managing tokens needs a signed-in session: a token that could mint tokens could
    /// outlive its own revocation, or turn read-only access into read-write.
    pub fn require_session(&self) -> Result<(), AppError> {
        match self.via {
            Via::Session => Ok(()),
            Via::Token { .. } | Via::OAuth { .. } => Err(AppError::Forbidden(
                "Access tokens and connected apps are managed from a signed-in session (Settings), not with an access token."
                    .into(),
            )),
        }
    }
}

impl<S> FromRequestParts<S> for AuthUser
where
    Arc<TokenVerifier>: FromRef<S>,
    Arc<AccessTokens>: FromRef<S>,
    Arc<OAuthServer>: FromRef<S>,
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
        Arc<OAuthServer>: FromRef<S>,
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
        if token.starts_with(ACCESS_TOKEN_PREFIX) {
            return by_oauth_token(token, state).await;
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
            Via::Token { access, .. } | Via::OAuth { access, .. } => *access,
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
            Via::OAuth {
                client_name,
                access: Access::Read,
                ..
            } => Some(format!(
                "“{client_name}” was connected with read-only access: it can read but not change anything. Connect it again and allow changes."
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

async fn by_oauth_token<S>(secret: &str, state: &S) -> Result<AuthUser, AppError>
where
    Arc<OAuthServer>: FromRef<S>,
{
    let oauth = Arc::<OAuthServer>::from_ref(state);
    let record = match oauth.verify_access(secret).await? {
        AccessCheck::Valid(record) => record,
        AccessCheck::Invalid => {
            return Err(AppError::InvalidToken(
                "unknown, expired or revoked OAuth access token".into(),
            ));
        }
        AccessCheck::OtherResource => {
            return Err(AppError::InvalidToken(
                "OAuth access token minted for another resource".into(),
            ));
        }
    };
    Ok(AuthUser {
        id: record.owner.clone(),
        identity: Identity {
            sub: record.owner.as_str().to_owned(),
            email: String::new(),
        },
        via: Via::OAuth {
            grant: record.grant,
            client_name: record.client_name,
            access: record.access,
        },
    })
}
