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
/// Conditional writes that lose a race are retried this often.
const ATTEMPTS: usize = 8;

fn key(user: &UserId) -> String {
    format!("turn:{}", user.as_str())
}

fn stop_requested(body: &serde_json::Value) -> bool {
    body["stop"].as_bool().unwrap_or(false)
}

/// What a look at the lease found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeaseCheck {
    /// The turn must end.
    pub stop: bool,
    /// Somebody reads the reply as it is saved: save it often.
    pub followed: bool,
}

impl LeaseCheck {
    const STOP: Self = Self {
        stop: true,
        followed: false,
    };
}

/// How long one look at a running reply counts as following it.
const FOLLOWED_SECONDS: i64 = 5;

fn followed_until(body: &serde_json::Value) -> i64 {
    body["followedUntil"].as_i64().unwrap_or(0)
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

    /// Looks at the lease (renewing it when due): whether the turn must end (a stop was
    /// requested, or the lease was lost, which means the same) and whether somebody follows
    /// the reply from its saved copy (a reload, another tab, on any instance).
    pub async fn check(&mut self, store: &dyn Store) -> Result<LeaseCheck, StoreError> {
        let now = unix_seconds();
        let Some(current) = store.get_entry(&self.entry.key, now).await? else {
            return Ok(LeaseCheck::STOP);
        };
        if current.body["turn"] != self.entry.body["turn"] || stop_requested(&current.body) {
            return Ok(LeaseCheck::STOP);
        }
        let followed = followed_until(&current.body) > now;
        if (current.expires_at - now) * 3 < self.seconds * 2 {
            let renewed = current.next(current.body.clone(), now + self.seconds);
            match store.put_entry(&renewed, Some(current.version), now).await {
                Ok(()) => self.entry = renewed,
                // Changed meanwhile (a stop request, a follower): seen on the next look.
                Err(StoreError::Changed) => {}
                Err(e) => return Err(e),
            }
        } else {
            self.entry = current;
        }
        Ok(LeaseCheck {
            stop: false,
            followed,
        })
    }

    /// Returns when the lease may have changed (a stop, a follower: at once on the embedded
    /// store, within its poll on DynamoDB) or after `within`; [`Lease::check`] says what.
    pub async fn changed(&self, store: &dyn Store, within: Duration) {
        store
            .entry_changed(&self.entry.key, Some(self.entry.version), within)
            .await;
    }

    /// How long until the lease is due for renewal.
    pub fn renewal_in(&self) -> Duration {
        let due = self.entry.expires_at - self.seconds * 2 / 3 + 1;
        Duration::from_secs(u64::try_from(due - unix_seconds()).unwrap_or(0))
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

/// Tells the instance running the user's turn (any instance) that somebody follows its
/// reply from the Store, so it saves the reply often for the next few seconds. Written only
/// when the last word is running out: a page polling every second costs a write every few
/// seconds. `false` if no turn is running.
pub async fn follow(store: &dyn Store, user: &UserId) -> Result<bool, StoreError> {
    mark_running_turn(store, user, |body, now| {
        if followed_until(body) - now > FOLLOWED_SECONDS / 2 {
            return false;
        }
        body["followedUntil"] = json!(now + FOLLOWED_SECONDS);
        true
    })
    .await
}

/// Asks the instance running the user's turn (any instance) to stop it; `false` if none
/// is running.
pub async fn request_stop(store: &dyn Store, user: &UserId) -> Result<bool, StoreError> {
    mark_running_turn(store, user, |body, _| {
        if stop_requested(body) {
            return false;
        }
        body["stop"] = json!(true);
        true
    })
    .await
}

/// Changes the running turn's lease body from any instance (a conditional write, retried
/// when it races the running instance's renewal); `mark` says whether there is anything to
/// write. `false` if no turn is running.
async fn mark_running_turn(
    store: &dyn Store,
    user: &UserId,
    mark: impl Fn(&mut serde_json::Value, i64) -> bool,
) -> Result<bool, StoreError> {
    for _ in 0..ATTEMPTS {
        let now = unix_seconds();
        let Some(current) = store.get_entry(&key(user), now).await? else {
            return Ok(false);
        };
        let mut body = current.body.clone();
        if !mark(&mut body, now) {
            return Ok(true);
        }
        let marked = current.next(body, current.expires_at);
        match store.put_entry(&marked, Some(current.version), now).await {
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
        let check = lease.check(store.as_ref()).await.unwrap();
        assert_eq!(
            check,
            LeaseCheck {
                stop: false,
                followed: false
            }
        );
        assert!(follow(store.as_ref(), &user).await.unwrap());
        assert!(lease.check(store.as_ref()).await.unwrap().followed);
        assert!(request_stop(store.as_ref(), &user).await.unwrap());
        assert!(lease.check(store.as_ref()).await.unwrap().stop);
        lease.release(store.as_ref()).await;
        assert!(!request_stop(store.as_ref(), &user).await.unwrap());
        assert!(!follow(store.as_ref(), &user).await.unwrap());
        Lease::acquire(store.as_ref(), &user, LEASE_SECONDS)
            .await
            .unwrap();
    }
}
