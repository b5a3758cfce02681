//! Web Push (issue 27): the browsers a user allowed to show reminders, and sending to them.
//!
//! - `vapid.rs`: the server's VAPID key pair (DATA_DIR file, or `ssm.rs`: an SSM
//!   SecureString on AWS) and the token each message carries.
//! - `guard.rs`: which endpoints may be reached (https, public addresses; the test flag
//!   adds loopback), checked at subscribe time and, through the client's resolver, at send.
//! - `send.rs`: one message to one browser and what became of it.
//!
//! Subscriptions live in the Store (both stores), at most
//! [`SUBSCRIPTIONS_PER_USER`](crate::domain::push::SUBSCRIPTIONS_PER_USER) a user. The
//! reminders' sweep calls [`PushService::deliver`] for each reminder it claimed.

pub mod guard;
mod send;
mod ssm;
pub mod vapid;

use std::{path::Path, sync::Arc};

use app::wire::push::{PushPayload, PushSubscriptionInput};
use jiff::Timestamp;
use serde::Serialize;

use crate::{
    config::PushSettings,
    domain::{
        Cause, Clock, EndpointKey, InvalidInput, PushSubscription, UserId,
        push::SUBSCRIPTIONS_PER_USER,
    },
    store::{Store, StoreError},
};
use guard::EndpointGuard;
use send::{BrowserKeys, Outcome};
use vapid::VapidKey;

pub use send::{MESSAGE_TTL, PAYLOAD_MAX_BYTES, RESPONSE_MAX_BYTES, SEND_TIMEOUT};

/// What one delivery did, over the user's subscriptions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DeliveryReport {
    /// Taken by the push service.
    pub sent: usize,
    /// Answered 404/410 (or expired, or no longer allowed by the guard): removed.
    pub gone: usize,
    /// Not delivered (429, 5xx, a refusal, no answer in time); the subscription is kept.
    pub failed: usize,
}

impl std::ops::AddAssign for DeliveryReport {
    fn add_assign(&mut self, other: Self) {
        self.sent += other.sent;
        self.gone += other.gone;
        self.failed += other.failed;
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PushError {
    /// The subscription's endpoint or keys are refused; nothing was saved.
    #[error(transparent)]
    Invalid(#[from] InvalidInput),
    /// The user has as many subscriptions as they may.
    #[error("{0}")]
    LimitReached(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why the push service could not start (its key).
#[derive(Debug, thiserror::Error)]
pub enum PushStartError {
    #[error(transparent)]
    Key(#[from] vapid::VapidKeyError),
    #[error(transparent)]
    Parameter(#[from] Cause),
}

pub struct PushService {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    key: VapidKey,
    /// The VAPID token's `sub`: who push services contact about our messages.
    subject: String,
    guard: EndpointGuard,
    /// Resolves through the guard, follows no redirect (`send::client`).
    client: reqwest::Client,
}

/// The contact named when `VAPID_SUBJECT` is unset: the app's own https address, else a
/// local mailbox (push services may refuse that one: set `VAPID_SUBJECT` in production).
pub fn default_subject(public_url: &str) -> String {
    if public_url.starts_with("https://") {
        public_url.to_owned()
    } else {
        "mailto:tasko@localhost".to_owned()
    }
}

impl PushService {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        key: VapidKey,
        subject: String,
        guard: EndpointGuard,
    ) -> Self {
        Self {
            store,
            clock,
            key,
            subject,
            client: send::client(guard),
            guard,
        }
    }

    /// The service the settings describe: the key from the SSM parameter when one is named,
    /// else from (or made in) `data_dir`.
    pub async fn open(
        settings: &PushSettings,
        data_dir: &Path,
        public_url: &str,
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, PushStartError> {
        let key = match &settings.private_key_parameter {
            Some(name) => VapidKey::from_pem(&ssm::read_parameter(name).await?)?,
            None => VapidKey::load_or_create(data_dir)?,
        };
        let subject = settings
            .subject
            .clone()
            .unwrap_or_else(|| default_subject(public_url));
        let guard = EndpointGuard {
            allow_loopback: settings.allow_loopback,
        };
        Ok(Self::new(store, clock, key, subject, guard))
    }

    /// The VAPID public key browsers subscribe with (`GET /api/push/key`).
    pub fn public_key(&self) -> &str {
        self.key.public_key()
    }

    /// Saves a browser's subscription (`PushSubscription.toJSON()`) for `user` after the
    /// guard accepted its endpoint (resolved now) and its keys parsed. `Ok(true)` when it
    /// is new, `Ok(false)` when the browser was known (its keys are replaced).
    pub async fn subscribe(
        &self,
        user: &UserId,
        input: &PushSubscriptionInput,
    ) -> Result<bool, PushError> {
        let url = self.guard.check_url(&input.endpoint)?;
        BrowserKeys::parse(&input.keys.p256dh, &input.keys.auth)?;
        let now = self.clock.now();
        let expires_at = input
            .expiration_time
            .map(|millis| expiration(millis, now))
            .transpose()?;
        self.guard.check_resolved(&url).await?;
        let subscription = PushSubscription {
            owner: user.clone(),
            endpoint: input.endpoint.clone(),
            p256dh: input.keys.p256dh.clone(),
            auth: input.keys.auth.clone(),
            expires_at,
            created_at: now,
        };
        match self
            .store
            .put_push_subscription(&subscription, SUBSCRIPTIONS_PER_USER)
            .await
        {
            Err(StoreError::LimitReached) => Err(PushError::LimitReached(format!(
                "Notifications are on in {SUBSCRIPTIONS_PER_USER} browsers, the most one \
                 account may have; turn them off in one of them first."
            ))),
            other => Ok(other?),
        }
    }

    /// The browser replaced its subscription (`pushsubscriptionchange` in the service
    /// worker, which has no session): the old one's authentication secret is the
    /// credential. The new subscription goes to the old one's holder, through the same checks
    /// as `subscribe`, and the old endpoint is forgotten. `Ok(false)` when no one holds
    /// `old_endpoint` with that secret (nothing changed).
    pub async fn renew(
        &self,
        old_endpoint: &str,
        old_auth: &str,
        input: &PushSubscriptionInput,
    ) -> Result<bool, PushError> {
        if old_endpoint.len() > guard::ENDPOINT_MAX_BYTES {
            return Err(InvalidInput("`oldEndpoint` is too long.".into()).into());
        }
        let old_key = EndpointKey::of(old_endpoint);
        let Some(old) = self.store.push_subscription_at(&old_key).await? else {
            return Ok(false);
        };
        if !same_secret(&old.auth, old_auth) {
            return Ok(false);
        }
        self.subscribe(&old.owner, input).await?;
        if old_key != EndpointKey::of(&input.endpoint) {
            self.store
                .delete_push_subscription(&old.owner, &old_key)
                .await?;
        }
        Ok(true)
    }

    /// Forgets the user's subscription at `endpoint`, if there is one.
    pub async fn unsubscribe(&self, user: &UserId, endpoint: &str) -> Result<(), PushError> {
        if endpoint.len() > guard::ENDPOINT_MAX_BYTES {
            return Err(InvalidInput("`endpoint` is too long.".into()).into());
        }
        self.store
            .delete_push_subscription(user, &EndpointKey::of(endpoint))
            .await?;
        Ok(())
    }

    /// Sends `payload` to every browser of `user`, at once; forgets the subscriptions the
    /// push service says are gone (404, 410), expired ones and ones the guard now refuses.
    /// A payload over [`PAYLOAD_MAX_BYTES`] as JSON is sent to none (all `failed`).
    /// Fails only when the subscriptions cannot be read: a message that was not delivered
    /// is counted in `failed`.
    pub async fn deliver(
        &self,
        user: &UserId,
        payload: &PushPayload,
    ) -> Result<DeliveryReport, StoreError> {
        let subscriptions = self.store.list_push_subscriptions(user).await?;
        let body = serde_json::to_vec(payload).expect("a payload of strings serializes");
        if body.len() > PAYLOAD_MAX_BYTES {
            // Every push service would refuse it; the caller keeps payloads short.
            tracing::error!(bytes = body.len(), "a push payload is too large to send");
            return Ok(DeliveryReport {
                failed: subscriptions.len(),
                ..DeliveryReport::default()
            });
        }
        let now = self.clock.now();
        let outcomes = futures_util::future::join_all(
            subscriptions
                .iter()
                .map(|subscription| self.deliver_one(subscription, &body, now)),
        )
        .await;
        let mut report = DeliveryReport::default();
        for (subscription, outcome) in subscriptions.iter().zip(outcomes) {
            match outcome {
                Outcome::Sent => report.sent += 1,
                Outcome::Failed => report.failed += 1,
                Outcome::Gone => {
                    report.gone += 1;
                    if let Err(e) = self
                        .store
                        .delete_push_subscription(user, &subscription.key())
                        .await
                    {
                        // It will be answered "gone" again next time and removed then.
                        tracing::warn!(cause = %Cause::new(e), "a gone subscription was kept");
                    }
                }
            }
        }
        Ok(report)
    }

    async fn deliver_one(
        &self,
        subscription: &PushSubscription,
        body: &[u8],
        now: Timestamp,
    ) -> Outcome {
        if subscription.expired(now) {
            return Outcome::Gone;
        }
        // Checked again: the rules may have changed since it was saved (the test flag).
        let Ok(url) = self.guard.check_url(&subscription.endpoint) else {
            return Outcome::Gone;
        };
        let keys = match BrowserKeys::parse(&subscription.p256dh, &subscription.auth) {
            Ok(keys) => keys,
            Err(_) => return Outcome::Gone,
        };
        let origin = url.origin().ascii_serialization();
        let authorization = match self.key.authorization(&url, &self.subject, now) {
            Ok(header) => header,
            Err(e) => {
                tracing::error!(cause = %Cause::new(e), "a VAPID token could not be signed");
                return Outcome::Failed;
            }
        };
        let (outcome, cause) = send::send(&self.client, &url, &keys, &authorization, body).await;
        if let Some(cause) = cause {
            // The origin only: the endpoint's path identifies the browser.
            tracing::warn!(%origin, %cause, "a push message was not delivered");
        }
        outcome
    }
}

/// `expirationTime` (milliseconds since the epoch) as a timestamp in the future.
fn expiration(millis: f64, now: Timestamp) -> Result<Timestamp, InvalidInput> {
    let at = (millis.is_finite() && millis.abs() < 1e15)
        .then(|| Timestamp::from_millisecond(millis as i64).ok())
        .flatten()
        .ok_or_else(|| InvalidInput("`expirationTime` must be a time in milliseconds.".into()))?;
    if at <= now {
        return Err(InvalidInput("`expirationTime` has passed.".into()));
    }
    Ok(at)
}

/// Compares two secrets in time independent of where they differ.
fn same_secret(known: &str, given: &str) -> bool {
    known.len() == given.len()
        && known
            .bytes()
            .zip(given.bytes())
            .fold(0u8, |differ, (a, b)| differ | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_expiration_time_must_be_a_future_millisecond_time() {
        let now: Timestamp = "2026-12-06T09:00:00Z".parse().unwrap();
        let later = (now.as_millisecond() + 60_000) as f64;
        assert_eq!(
            expiration(later, now).unwrap(),
            Timestamp::from_millisecond(later as i64).unwrap()
        );
        for bad in [
            now.as_millisecond() as f64,
            0.0,
            f64::NAN,
            f64::INFINITY,
            1e300,
        ] {
            assert!(expiration(bad, now).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_default_contact_is_the_apps_https_address() {
        assert_eq!(
            default_subject("https://tasko.example"),
            "https://tasko.example"
        );
        assert_eq!(
            default_subject("http://127.0.0.1:3000"),
            "mailto:tasko@localhost"
        );
    }

    #[test]
    fn reports_add_up() {
        let mut total = DeliveryReport {
            sent: 1,
            gone: 0,
            failed: 2,
        };
        total += DeliveryReport {
            sent: 3,
            gone: 1,
            failed: 0,
        };
        assert_eq!(
            total,
            DeliveryReport {
                sent: 4,
                gone: 1,
                failed: 2
            }
        );
    }
}
