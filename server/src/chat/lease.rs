//! The running turn of a user, as a lease in the Store (an entry `turn:<sub>` with a 30 s
//! expiry, renewed while the turn runs): one running turn per user on every instance, and
//! a stop requested on any instance reaches the one running it. If that instance dies, the
//! lease runs out and the user can chat again.

use std::time::Duration;

use serde_json::json;

use crate::{
    domain::{Entry, UserId, clock::unix_seconds},
    store::{Store, StoreError},
};

/// How long a lease lives without renewal, by default: the longest a dead instance blocks
/// its user (`CHAT_TURN_LEASE_SECONDS`).
pub const LEASE_SECONDS: i64 = 30;
/// How often the running instance looks for a stop request (and renews when due).
pub const WATCH_INTERVAL: Duration = Duration::from_millis(250);
/// Conditional writes that lose a race are retried this often.
const ATTEMPTS: usize = 8;

fn key(user: &UserId) -> String {
    format!("turn:{}", user.as_str())
}

fn stop_requested(entry: &Entry) -> bool {
    entry.body["stop"].as_bool().unwrap_or(false)
}

/// A held lease: the instance running the turn keeps it.
pub struct Lease {
    entry: Entry,
    /// Its lifetime without renewal; renewed when less than two thirds are left.
    seconds: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum LeaseError {
    /// Another turn of this user runs (here or on another instance).
    #[error("a turn is running")]
    Busy,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Lease {
    /// Takes the user's lease, unless a live one exists.
    pub async fn acquire(
        store: &dyn Store,
        user: &UserId,
        seconds: i64,
    ) -> Result<Self, LeaseError> {
        let now = unix_seconds();
        let entry = Entry::new(
            key(user),
            json!({ "turn": uuid::Uuid::new_v4().to_string(), "stop": false }),
            now + seconds,
        );
        match store.put_entry(&entry, None, now).await {
            Ok(()) => Ok(Self { entry, seconds }),
            Err(StoreError::Changed) => Err(LeaseError::Busy),
            Err(e) => Err(e.into()),
        }
    }

    /// Renews the lease when due; `true` when a stop was requested (or the lease was lost,
    /// which means the same: this turn must end).
    pub async fn should_stop(&mut self, store: &dyn Store) -> Result<bool, StoreError> {
        let now = unix_seconds();
        let Some(current) = store.get_entry(&self.entry.key, now).await? else {
            return Ok(true);
        };
        if current.body["turn"] != self.entry.body["turn"] || stop_requested(&current) {
            return Ok(true);
        }
        if (current.expires_at - now) * 3 < self.seconds * 2 {
            let renewed = current.next(current.body.clone(), now + self.seconds);
            match store.put_entry(&renewed, Some(current.version), now).await {
                Ok(()) => self.entry = renewed,
                // Changed meanwhile (a stop request): seen on the next look.
                Err(StoreError::Changed) => {}
                Err(e) => return Err(e),
            }
        } else {
            self.entry = current;
        }
        Ok(false)
    }

    /// Gives the lease up (the turn ended).
    pub async fn release(self, store: &dyn Store) {
        for _ in 0..ATTEMPTS {
            let now = unix_seconds();
            let Ok(Some(current)) = store.get_entry(&self.entry.key, now).await else {
                return;
            };
            if current.body["turn"] != self.entry.body["turn"] {
                return;
            }
            match store.delete_entry(&current.key, current.version, now).await {
                Err(StoreError::Changed) => continue,
                Ok(()) | Err(_) => return,
            }
        }
    }
}

/// Whether a turn of the user runs on any instance.
pub async fn is_running(store: &dyn Store, user: &UserId) -> Result<bool, StoreError> {
    Ok(store.get_entry(&key(user), unix_seconds()).await?.is_some())
}

/// Asks the instance running the user's turn (any instance) to stop it; `false` if none
/// is running.
pub async fn request_stop(store: &dyn Store, user: &UserId) -> Result<bool, StoreError> {
    for _ in 0..ATTEMPTS {
        let now = unix_seconds();
        let Some(current) = store.get_entry(&key(user), now).await? else {
            return Ok(false);
        };
        if stop_requested(&current) {
            return Ok(true);
        }
        let mut body = current.body.clone();
        body["stop"] = json!(true);
        let stopped = current.next(body, current.expires_at);
        match store.put_entry(&stopped, Some(current.version), now).await {
            Ok(()) => return Ok(true),
            Err(StoreError::Changed) => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::store::embedded::EmbeddedStore;

    #[tokio::test]
    async fn one_lease_per_user_a_stop_reaches_it_and_release_frees_it() {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<dyn Store> = Arc::new(EmbeddedStore::open(dir.path()).unwrap());
        let user = UserId::from_verified_sub("u");
        let mut lease = Lease::acquire(store.as_ref(), &user, LEASE_SECONDS)
            .await
            .unwrap();
        assert!(matches!(
            Lease::acquire(store.as_ref(), &user, LEASE_SECONDS).await,
            Err(LeaseError::Busy)
        ));
        assert!(!lease.should_stop(store.as_ref()).await.unwrap());
        assert!(request_stop(store.as_ref(), &user).await.unwrap());
        assert!(lease.should_stop(store.as_ref()).await.unwrap());
        lease.release(store.as_ref()).await;
        assert!(!request_stop(store.as_ref(), &user).await.unwrap());
        Lease::acquire(store.as_ref(), &user, LEASE_SECONDS)
            .await
            .unwrap();
    }
}
