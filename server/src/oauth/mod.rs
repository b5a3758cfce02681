//! Tasko as an OAuth 2.1 authorization server for MCP clients (issue 26): clients
//! (`clients.rs`: Dynamic Client Registration, and Client ID Metadata Documents fetched with
//! care by `metadata_document.rs`), the authorization request and the user's consent
//! (`authorize.rs`), the token endpoint, access-token checks and revocation (`tokens.rs`),
//! and the user's grants (here).
//!
//! Everything lives in the Store with an expiry (`store::oauth`), and nothing is cached in
//! the process: a code is redeemed once on whichever instance asks first, and every request
//! made with an access token reads its record and its grant, so revoking a grant stops its
//! tokens on every instance at once.

mod authorize;
mod clients;
mod metadata_document;
mod tokens;

use std::sync::Arc;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use rand::RngCore;

use crate::{
    domain::{
        Clock, GrantId, UserId,
        oauth::{Grant, OAuthErrorCode},
    },
    store::{Store, StoreError, oauth::OAuthRecords},
};

pub use authorize::{AuthorizeParams, ConsentError, RedirectError};
pub use clients::Registration;
pub use metadata_document::is_public_address;
pub use tokens::{AccessCheck, IssuedTokens, TokenForm};

/// Where this authorization server is and what it protects.
#[derive(Debug, Clone)]
pub struct OAuthSite {
    /// `PUBLIC_URL` (or the server's own origin): the `issuer` and the `iss` of answers.
    pub issuer: String,
    /// `<issuer>/mcp`: the one resource tokens are minted for (RFC 8707).
    pub resource: String,
    /// The server runs on this computer (`PUBLIC_URL` unset or loopback): client metadata
    /// documents may then be fetched from loopback or private addresses, and over http.
    pub local: bool,
}

impl OAuthSite {
    /// The site of a server reached at `public_url`; `configured` says whether `PUBLIC_URL`
    /// was set (unset: the server's own loopback origin, so local), `lambda` whether it runs
    /// on AWS Lambda (never local, whatever its URL says).
    pub fn new(public_url: &str, configured: bool, lambda: bool) -> Self {
        let loopback = url::Url::parse(public_url).ok().is_some_and(|u| {
            u.host()
                .as_ref()
                .is_some_and(crate::domain::oauth::is_loopback_host)
        });
        Self {
            issuer: public_url.to_owned(),
            resource: format!("{public_url}/mcp"),
            local: !lambda && (!configured || loopback),
        }
    }
}

/// An error of the OAuth protocol (RFC 6749 §5.2, RFC 7591 §3.2.2, RFC 7009): its code is
/// the `error` clients read; the description says what is wrong in words.
#[derive(Debug, thiserror::Error)]
pub enum OAuthError {
    #[error("{}: {description}", code.as_str())]
    Protocol {
        code: OAuthErrorCode,
        description: String,
    },
    /// Registrations from one address come faster than allowed.
    #[error("too many registrations")]
    TooManyRequests,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl OAuthError {
    pub fn new(code: OAuthErrorCode, description: impl Into<String>) -> Self {
        Self::Protocol {
            code,
            description: description.into(),
        }
    }
}

/// 32 random bytes, base64url: codes, tokens and ids nobody can guess.
fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub struct OAuthServer {
    records: OAuthRecords,
    clock: Arc<dyn Clock>,
    site: OAuthSite,
}

impl OAuthServer {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, site: OAuthSite) -> Self {
        Self {
            records: OAuthRecords::new(store),
            clock,
            site,
        }
    }

    pub fn site(&self) -> &OAuthSite {
        &self.site
    }

    /// The user's connected apps, oldest first.
    pub async fn grants(&self, owner: &UserId) -> Result<Vec<Grant>, StoreError> {
        self.records.list_grants(owner, self.clock.now()).await
    }

    /// Revokes one of the user's grants and with it all its tokens (every use of a token
    /// reads its grant); `NotFound` for an unknown id or another user's.
    pub async fn revoke_grant(&self, owner: &UserId, id: GrantId) -> Result<(), StoreError> {
        self.records.remove_grant(owner, id, self.clock.now()).await
    }
}
