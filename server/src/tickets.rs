//! Single-use tickets: obtained over an authenticated POST and valid for seconds, so the JWT
//! never appears in a URL. WebSocket tickets carry the user (30 s); download links carry the
//! user and the file (60 s).
//!
//! They live in the Store (as entries with an expiry), not in this process: a ticket issued
//! by one instance is redeemed on another, and a redemption is a conditional delete, so a
//! ticket works once across all of them.

use std::{marker::PhantomData, sync::Arc, time::Duration};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use rand::RngCore;
use serde::{Serialize, de::DeserializeOwned};

use crate::{
    domain::{Cause, Clock, Entry, UserId, clock::after},
    store::{Store, StoreError},
};

pub const TICKET_TTL: Duration = Duration::from_secs(30);

pub struct Tickets<T = UserId> {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    /// Part of the key, so a download ticket cannot be used as a WebSocket ticket.
    purpose: &'static str,
    ttl: Duration,
    value: PhantomData<fn() -> T>,
}

impl<T: Serialize + DeserializeOwned> Tickets<T> {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        purpose: &'static str,
        ttl: Duration,
    ) -> Self {
        Self {
            store,
            clock,
            purpose,
            ttl,
            value: PhantomData,
        }
    }

    fn key(&self, ticket: &str) -> String {
        format!("ticket:{}:{ticket}", self.purpose)
    }

    pub async fn issue(&self, value: T) -> Result<String, StoreError> {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let ticket = URL_SAFE_NO_PAD.encode(bytes);
        let body = serde_json::to_value(value).map_err(|e| StoreError::Backend(Cause::new(e)))?;
        let now = self.clock.now();
        let entry = Entry::new(self.key(&ticket), body, after(now, self.ttl));
        self.store.put_entry(&entry, None, now).await?;
        Ok(ticket)
    }

    /// The ticket's value without using it up (a HEAD before the GET of a download).
    pub async fn peek(&self, ticket: &str) -> Result<Option<T>, StoreError> {
        let entry = self
            .store
            .get_entry(&self.key(ticket), self.clock.now())
            .await?;
        Ok(entry.and_then(|e| serde_json::from_value(e.body).ok()))
    }

    /// The ticket's value, once: a second redemption (on any instance), or one after the
    /// TTL, gets `None`.
    pub async fn redeem(&self, ticket: &str) -> Result<Option<T>, StoreError> {
        let now = self.clock.now();
        let key = self.key(ticket);
        let Some(entry) = self.store.get_entry(&key, now).await? else {
            return Ok(None);
        };
        match self.store.delete_entry(&key, entry.version, now).await {
            Ok(()) => Ok(serde_json::from_value(entry.body).ok()),
            // Another redemption took it first (or it just expired).
            Err(StoreError::Changed) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{domain::ManualClock, store::embedded::EmbeddedStore};

    fn store() -> (Arc<dyn Store>, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        (Arc::new(EmbeddedStore::open(dir.path()).unwrap()), dir)
    }

    #[tokio::test]
    async fn a_ticket_works_once() {
        let (store, _dir) = store();
        let tickets = Tickets::new(store, Arc::new(ManualClock::running()), "ws", TICKET_TTL);
        let t = tickets.issue(UserId::from_verified_sub("u")).await.unwrap();
        let u = Some(UserId::from_verified_sub("u"));
        assert_eq!(tickets.peek(&t).await.unwrap(), u);
        assert_eq!(tickets.redeem(&t).await.unwrap(), u);
        assert_eq!(tickets.redeem(&t).await.unwrap(), None);
        assert_eq!(tickets.peek(&t).await.unwrap(), None);
        assert_eq!(tickets.redeem("made-up").await.unwrap(), None);
    }

    #[tokio::test]
    async fn a_ticket_expires_and_serves_only_its_purpose() {
        let (store, _dir) = store();
        let clock = Arc::new(ManualClock::at("2026-12-05T10:00:00Z".parse().unwrap()));
        let tickets = Tickets::new(store.clone(), clock.clone(), "ws", TICKET_TTL);
        let t = tickets.issue(UserId::from_verified_sub("u")).await.unwrap();
        clock.advance(TICKET_TTL - Duration::from_secs(1));
        assert!(tickets.peek(&t).await.unwrap().is_some());
        clock.advance(Duration::from_secs(1));
        assert_eq!(tickets.redeem(&t).await.unwrap(), None);
        let ws = Tickets::<UserId>::new(store.clone(), clock.clone(), "ws", TICKET_TTL);
        let downloads = Tickets::<UserId>::new(store, clock, "download", TICKET_TTL);
        let t = downloads
            .issue(UserId::from_verified_sub("u"))
            .await
            .unwrap();
        assert_eq!(ws.redeem(&t).await.unwrap(), None);
    }
}
