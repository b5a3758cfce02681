//! The local identity provider: the embedded stand-in for a Cognito user pool. It speaks the
//! user-pool JSON protocol (POST /idp with `X-Amz-Target`), so the browser and AWS SDKs
//! (boto3 with `endpoint_url=.../idp`) use it unchanged, and it issues RS256 tokens with
//! Cognito's claims, published at `<issuer>/.well-known/jwks.json`.

mod address_limit;
mod codes;
mod confirmation;
mod directory;
mod dispatch;
mod hashing;
mod keys;
mod lockout;
mod password;
mod protocol;
mod tokens;

pub use dispatch::router;
pub use keys::{KEY_FILE, SigningKey, generate_pem, write_private};

use std::{path::Path, sync::Arc};

use directory::Directory;

use crate::domain::Clock;

#[derive(Debug, Clone)]
pub struct IdpSettings {
    /// `iss` of every token: `<public url>/idp/<pool id>`, like Cognito's
    /// `https://cognito-idp.<region>.amazonaws.com/<pool id>`.
    pub issuer: String,
    pub user_pool_id: String,
    pub client_id: String,
    pub token_lifetime_seconds: i64,
    /// Sign-ups and sign-ins one client address may make per minute.
    pub attempts_per_minute: u32,
    /// `IDP_REQUIRE_CONFIRMATION=1`: sign-ups wait for the emailed code, as with Cognito
    /// (the code goes to the log). Off by default: one command, no email.
    pub require_confirmation: bool,
}

pub struct LocalIdp {
    settings: IdpSettings,
    key: SigningKey,
    directory: Directory,
    lockout: lockout::Lockout,
    /// Password hashing on a thread per core with a bounded queue (the global limit).
    hasher: hashing::Hasher,
    address_limit: address_limit::AddressLimit,
    /// "Now" for codes, tokens, lockouts and the address limit.
    clock: Arc<dyn Clock>,
}

impl LocalIdp {
    pub fn open(
        data_dir: &Path,
        settings: IdpSettings,
        clock: Arc<dyn Clock>,
    ) -> std::io::Result<Self> {
        let key = SigningKey::load_or_create(data_dir)?;
        let directory = Directory::open(data_dir).map_err(std::io::Error::other)?;
        Ok(Self {
            address_limit: address_limit::AddressLimit::new(
                settings.attempts_per_minute,
                clock.clone(),
            ),
            settings,
            key,
            directory,
            lockout: lockout::Lockout::new(clock.clone()),
            hasher: hashing::Hasher::for_this_machine(),
            clock,
        })
    }

    /// Now on the IdP's clock, in Unix milliseconds (the unit its records keep).
    fn now_ms(&self) -> i64 {
        self.clock.now().as_millisecond()
    }

    pub fn settings(&self) -> &IdpSettings {
        &self.settings
    }
}
