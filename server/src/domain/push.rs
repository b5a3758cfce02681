//! A browser's Web Push subscription (issue 27): the push service's URL that takes messages
//! for that browser (`endpoint`) and the keys the messages are encrypted to. Whether the
//! server may send to the endpoint (https, public addresses) is the push service's guard,
//! which needs the network; the keys are checked there too (they are curve points).

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::ids::UserId;

/// Browsers (endpoints) one user may subscribe: a person's phones, laptops and profiles.
pub const SUBSCRIPTIONS_PER_USER: usize = 20;

/// A subscription as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushSubscription {
    pub owner: UserId,
    /// The push service's URL for this browser, as the browser gave it.
    pub endpoint: String,
    /// The browser's P-256 public key (uncompressed point), base64url: what a message is
    /// encrypted to (RFC 8291 `ua_public`).
    pub p256dh: String,
    /// The browser's 16-byte authentication secret, base64url (RFC 8291 `auth_secret`).
    pub auth: String,
    /// When the push service says the subscription ends; `None` (what browsers send) for
    /// no set end.
    #[serde(default)]
    pub expires_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

impl PushSubscription {
    /// Its key within the owner's subscriptions.
    pub fn key(&self) -> EndpointKey {
        EndpointKey::of(&self.endpoint)
    }

    /// Whether the push service's end for it has passed at `now`.
    pub fn expired(&self, now: Timestamp) -> bool {
        self.expires_at.is_some_and(|end| end <= now)
    }
}

/// The SHA-256 of an endpoint URL, in lower-case hex: a subscription's key, short and of a
/// fixed length whatever the URL (push services' URLs run to hundreds of characters).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EndpointKey(String);

impl EndpointKey {
    pub fn of(endpoint: &str) -> Self {
        let digest = Sha256::digest(endpoint.as_bytes());
        Self(digest.iter().map(|b| format!("{b:02x}")).collect())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endpoints_key_is_its_sha256_in_hex() {
        let key = EndpointKey::of("https://push.example/abc");
        assert_eq!(key.as_str().len(), 64);
        assert_eq!(key, EndpointKey::of("https://push.example/abc"));
        assert_ne!(key, EndpointKey::of("https://push.example/abd"));
    }

    #[test]
    fn a_subscription_expires_only_when_it_has_an_end_that_passed() {
        let now: Timestamp = "2026-12-06T09:00:00Z".parse().unwrap();
        let mut subscription = PushSubscription {
            owner: UserId::from_verified_sub("ann"),
            endpoint: "https://push.example/abc".into(),
            p256dh: String::new(),
            auth: String::new(),
            expires_at: None,
            created_at: now,
        };
        assert!(!subscription.expired(now));
        subscription.expires_at = Some(now);
        assert!(subscription.expired(now));
        subscription.expires_at = Some("2026-12-06T09:00:01Z".parse().unwrap());
        assert!(!subscription.expired(now));
    }
}
