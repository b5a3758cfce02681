//! ID-token verification: RS256 only; issuer, audience (client id), token_use=id, exp/nbf
//! with a small leeway; the key chosen by `kid` from a JWKS fetched over HTTP and cached.
//! An unknown `kid` triggers a refetch, at most once a minute, so a flood of forged kids
//! cannot turn into a flood of requests to the identity provider.
//!
//! A token that verified is remembered until it expires, by its SHA-256 (never the token
//! itself): a browser sends the same token with every request for an hour, and an RS256
//! check costs far more than a hash. Losing the cache only costs a check again.

use std::{
    collections::HashMap,
    sync::{
        Arc, RwLock,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use jiff::{SignedDuration, Timestamp};
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header, jwk::JwkSet};
use serde::Deserialize;

use crate::domain::{Cause, Clock};

const REFETCH_INTERVAL: SignedDuration = SignedDuration::from_secs(60);
const LEEWAY_SECONDS: u64 = 10;
/// Verified tokens remembered at most (about 100 bytes each).
const VERIFIED_CAPACITY: usize = 100_000;

#[derive(Debug, Clone)]
pub struct VerifierConfig {
    /// Expected `iss`: the user pool's issuer URL.
    pub issuer: String,
    /// Expected `aud` of ID tokens: the app client id.
    pub client_id: String,
    /// Where the signing keys are published; configurable apart from the issuer because
    /// local stand-ins serve them elsewhere than the issuer says.
    pub jwks_url: String,
}

/// Who a verified token says the caller is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub sub: String,
    pub email: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("invalid token: {0}")]
    Invalid(String),
    /// The JWKS could not be fetched or read; the cause (kept for the log) says why.
    #[error("identity provider keys unavailable")]
    KeysUnavailable(#[source] Cause),
}

#[derive(Deserialize)]
struct IdClaims {
    sub: String,
    #[serde(default)]
    email: String,
    /// Pools that sign in with the email as username carry it here too (some stand-ins omit
    /// the `email` claim).
    #[serde(default, rename = "cognito:username")]
    username: String,
    token_use: String,
    exp: u64,
    #[serde(default)]
    nbf: Option<u64>,
}

pub struct TokenVerifier {
    config: VerifierConfig,
    http: reqwest::Client,
    keys: RwLock<HashMap<String, DecodingKey>>,
    /// Held while fetching so concurrent misses cause one fetch; remembers when it happened.
    last_fetch: tokio::sync::Mutex<Option<Timestamp>>,
    fetches: AtomicU64,
    signature_checks: AtomicU64,
    /// SHA-256 of a verified token -> who it names and its `exp` (Unix seconds).
    verified: RwLock<HashMap<[u8; 32], (Identity, u64)>>,
    /// "Now" for `exp`, `nbf` and the refetch interval.
    clock: Arc<dyn Clock>,
}

impl TokenVerifier {
    pub fn new(config: VerifierConfig, clock: Arc<dyn Clock>) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .build()
            .expect("a reqwest client with a timeout always builds");
        Self {
            config,
            http,
            keys: RwLock::new(HashMap::new()),
            last_fetch: tokio::sync::Mutex::new(None),
            fetches: AtomicU64::new(0),
            signature_checks: AtomicU64::new(0),
            verified: RwLock::new(HashMap::new()),
            clock,
        }
    }

    /// Unix seconds on the verifier's clock (the unit of `exp` and `nbf`).
    fn unix_now(&self) -> u64 {
        u64::try_from(self.clock.now().as_second()).unwrap_or(0)
    }

    /// How many times the JWKS was fetched (observability, and tests of the rate limit).
    pub fn jwks_fetches(&self) -> u64 {
        self.fetches.load(Ordering::Relaxed)
    }

    /// How many tokens were checked in full (not found among the verified ones).
    pub fn signature_checks(&self) -> u64 {
        self.signature_checks.load(Ordering::Relaxed)
    }

    pub async fn verify(&self, token: &str) -> Result<Identity, AuthError> {
        use sha2::{Digest, Sha256};
        let digest: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        let now = self.unix_now();
        if let Some((identity, exp)) = self
            .verified
            .read()
            .expect("verified lock poisoned")
            .get(&digest)
            && now <= exp + LEEWAY_SECONDS
        {
            return Ok(identity.clone());
        }
        let (identity, exp) = self.verify_signed(token).await?;
        let mut verified = self.verified.write().expect("verified lock poisoned");
        if verified.len() >= VERIFIED_CAPACITY {
            verified.retain(|_, (_, exp)| now <= *exp + LEEWAY_SECONDS);
            if verified.len() >= VERIFIED_CAPACITY {
                verified.clear();
            }
        }
        verified.insert(digest, (identity.clone(), exp));
        Ok(identity)
    }

    /// The full check: signature, issuer, audience, times, token use.
    async fn verify_signed(&self, token: &str) -> Result<(Identity, u64), AuthError> {
        self.signature_checks.fetch_add(1, Ordering::Relaxed);
        let header = decode_header(token).map_err(|e| AuthError::Invalid(e.to_string()))?;
        if header.alg != Algorithm::RS256 {
            return Err(AuthError::Invalid(format!(
                "algorithm {:?} refused",
                header.alg
            )));
        }
        let kid = header
            .kid
            .ok_or_else(|| AuthError::Invalid("no kid".into()))?;
        let key = self.key(&kid).await?;

        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_issuer(&[&self.config.issuer]);
        validation.set_audience(&[&self.config.client_id]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        // Times are checked below, on the verifier's clock rather than the library's.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        let claims = decode::<IdClaims>(token, &key, &validation)
            .map_err(|e| AuthError::Invalid(e.to_string()))?
            .claims;
        let now = self.unix_now();
        if now > claims.exp.saturating_add(LEEWAY_SECONDS) {
            return Err(AuthError::Invalid("token expired".into()));
        }
        if claims
            .nbf
            .is_some_and(|nbf| nbf > now.saturating_add(LEEWAY_SECONDS))
        {
            return Err(AuthError::Invalid("token not yet valid".into()));
        }
        if claims.token_use != "id" {
            return Err(AuthError::Invalid(format!(
                "token_use {} refused",
                claims.token_use
            )));
        }
        if claims.sub.is_empty() {
            return Err(AuthError::Invalid("empty sub".into()));
        }
        let email = if claims.email.is_empty() && claims.username.contains('@') {
            claims.username
        } else {
            claims.email
        };
        Ok((
            Identity {
                sub: claims.sub,
                email,
            },
            claims.exp,
        ))
    }

    fn cached(&self, kid: &str) -> Option<DecodingKey> {
        self.keys
            .read()
            .expect("keys lock poisoned")
            .get(kid)
            .cloned()
    }

    async fn key(&self, kid: &str) -> Result<DecodingKey, AuthError> {
        if let Some(key) = self.cached(kid) {
            return Ok(key);
        }
        let mut last_fetch = self.last_fetch.lock().await;
        // Another request may have fetched while this one waited for the lock.
        if let Some(key) = self.cached(kid) {
            return Ok(key);
        }
        let now = self.clock.now();
        if last_fetch.is_some_and(|at| now.duration_since(at) < REFETCH_INTERVAL) {
            return Err(AuthError::Invalid(format!("unknown kid {kid}")));
        }
        *last_fetch = Some(now);
        let fresh = self.fetch_keys().await?;
        *self.keys.write().expect("keys lock poisoned") = fresh;
        self.cached(kid)
            .ok_or_else(|| AuthError::Invalid(format!("unknown kid {kid}")))
    }

    async fn fetch_keys(&self) -> Result<HashMap<String, DecodingKey>, AuthError> {
        self.fetches.fetch_add(1, Ordering::Relaxed);
        let unavailable = |e: reqwest::Error| AuthError::KeysUnavailable(Cause::new(e));
        let body = self
            .http
            .get(&self.config.jwks_url)
            .send()
            .await
            .map_err(unavailable)?
            .error_for_status()
            .map_err(unavailable)?
            .bytes()
            .await
            .map_err(unavailable)?;
        let keys = keys_from_jwks(&body)?;
        tracing::info!(url = %self.config.jwks_url, keys = keys.len(), "fetched JWKS");
        Ok(keys)
    }
}

/// The usable keys of a JWKS document, by `kid`. Keys we cannot use (no kid, not RSA, bad
/// numbers) are skipped, not fatal; a document that is not a JWKS is `KeysUnavailable`.
pub fn keys_from_jwks(body: &[u8]) -> Result<HashMap<String, DecodingKey>, AuthError> {
    let set: JwkSet =
        serde_json::from_slice(body).map_err(|e| AuthError::KeysUnavailable(Cause::new(e)))?;
    let mut keys = HashMap::new();
    for jwk in &set.keys {
        if let (Some(kid), Ok(key)) = (&jwk.common.key_id, DecodingKey::from_jwk(jwk)) {
            keys.insert(kid.clone(), key);
        }
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use std::error::Error;

    use super::*;

    /// Why the keys could not be read stays an error in the chain (for the log), not text
    /// copied into the message.
    #[test]
    fn a_document_that_is_not_a_jwks_keeps_its_cause() {
        let Err(error) = keys_from_jwks(b"not json") else {
            panic!("not a JWKS");
        };
        assert_eq!(error.to_string(), "identity provider keys unavailable");
        let cause = error.source().expect("the parse error is the source");
        assert!(cause.to_string().contains("expected"), "{cause}");
    }
}
