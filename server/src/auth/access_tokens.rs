//! Personal access tokens (`/api/tokens`): minting (32 random bytes after
//! [`TOKEN_PREFIX`], shown once; only the SHA-256 is stored), listing, revoking, and
//! checking a request's Bearer value. The Store is read on every request made with a token
//! (one consistent point read), so a revoke stops it at once on every instance. Its
//! `last_used_at` is written at most once a minute: a conditional write every instance
//! makes only when the value it just read is older than that.

use std::sync::Arc;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jiff::SignedDuration;
use rand::RngCore;

use crate::{
    domain::{
        Access, AccessToken, AccessTokenId, Clock, InvalidInput, TokenHash, TokenName, UserId,
        access_token::{TOKEN_PREFIX, TOKENS_PER_USER},
    },
    store::{Store, StoreError},
};

/// How stale `last_used_at` may get before a request writes it again.
pub const LAST_USED_EVERY: SignedDuration = SignedDuration::from_secs(60);

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error(transparent)]
    Invalid(#[from] InvalidInput),
    #[error("{0}")]
    LimitReached(String),
    #[error("No such token.")]
    NotFound,
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for TokenError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            StoreError::LimitReached => Self::LimitReached(format!(
                "You have {TOKENS_PER_USER} access tokens, the most one account may hold; revoke one first."
            )),
            other => Self::Store(other),
        }
    }
}

pub struct AccessTokens {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
}

/// Whether a Bearer value is a personal access token (and never a JWT for the verifier).
pub fn is_access_token(bearer: &str) -> bool {
    bearer.starts_with(TOKEN_PREFIX)
}

impl AccessTokens {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        Self { store, clock }
    }

    /// Mints a token for `owner`; returns it as stored and its secret (never kept).
    pub async fn create(
        &self,
        owner: &UserId,
        name: &str,
        access: &str,
    ) -> Result<(AccessToken, String), TokenError> {
        let (name, access) = (TokenName::parse(name)?, Access::parse(access)?);
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let secret = format!("{TOKEN_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
        let token = AccessToken {
            id: AccessTokenId::new(),
            owner: owner.clone(),
            name,
            access,
            hash: TokenHash::of(&secret),
            created_at: self.clock.now(),
            last_used_at: None,
        };
        self.store
            .create_access_token(&token, TOKENS_PER_USER)
            .await?;
        Ok((token, secret))
    }

    pub async fn list(&self, owner: &UserId) -> Result<Vec<AccessToken>, TokenError> {
        Ok(self.store.list_access_tokens(owner).await?)
    }

    pub async fn revoke(&self, owner: &UserId, id: AccessTokenId) -> Result<(), TokenError> {
        Ok(self.store.delete_access_token(owner, id).await?)
    }

    /// The live token with this secret, `None` for an unknown or revoked one. Notes its use.
    pub async fn verify(&self, secret: &str) -> Result<Option<AccessToken>, StoreError> {
        let hash = TokenHash::of(secret);
        let Some(token) = self.store.find_access_token(&hash).await? else {
            return Ok(None);
        };
        let now = self.clock.now();
        let fresh_after = now - LAST_USED_EVERY;
        if token.last_used_at.is_none_or(|t| t < fresh_after) {
            // Best effort: a failed note of use must not refuse the request.
            if let Err(e) = self.store.touch_access_token(&hash, now, fresh_after).await {
                tracing::warn!(error = %e, "token's last use not noted");
            }
        }
        Ok(Some(token))
    }
}
