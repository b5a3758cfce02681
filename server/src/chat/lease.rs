//! The running turn of a user, as a lease in the Store (an entry `turn:<sub>` with a 30 s
//! expiry, renewed while the turn runs): one running turn per user on every instance, and
//! a stop requested on any instance reaches the one running it. If that instance dies, the
//! lease runs out and the user can chat again.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use serde_json::json;

use crate::{
    domain::{
        Clock, Entry, UserId,
        clock::{after, until},
    },
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
const FOLLOWED: SignedDuration = SignedDuration::from_secs(5);

/// Until when somebody follows the reply (stored as Unix seconds).
fn followed_until(body: &serde_json::Value) -> Timestamp {
    Timestamp::from_second(body["followedUntil"].as_i64().unwrap_or(0)).unwrap_or_default()
}

/// A held lease: the instance running the turn keeps it.
pub struct Lease {
    entry: Entry,
    /// Its lifetime without renewal; renewed when less than two thirds are left.
    lifetime: Duration,
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
        clock: &dyn Clock,
        user: &UserId,
        lifetime: Duration,
    ) -> Result<Self, LeaseError> {
        let now = clock.now();
        let entry = Entry::new(
            key(user),
            json!({ "turn": uuid::Uuid::new_v4().to_string(), "stop": false }),
            after(now, lifetime),
        );
        match store.put_entry(&entry, None, now).await {
            Ok(()) => Ok(Self { entry, lifetime }),
            Err(StoreError::Changed) => Err(LeaseError::Busy),
            Err(e) => Err(e.into()),
        }
    }

    /// Looks at the lease (renewing it when due): whether the turn must end (a stop was
    /// requested, or the lease was lost, which means the same) and whether somebody follows
    /// the reply from its saved copy (a reload, another tab, on any instance).
    pub async fn check(
        &mut self,
        store: &dyn Store,
        clock: &dyn Clock,
    ) -> Result<LeaseCheck, StoreError> {
        let now = clock.now();
        let Some(current) = store.get_entry(&self.entry.key, now).await? else {
            return Ok(LeaseCheck::STOP);
        };
        if current.body["turn"] != self.entry.body["turn"] || stop_requested(&current.body) {
            return Ok(LeaseCheck::STOP);
        }
        let followed = followed_until(&current.body) > now;
        if until(now, current.expires_at) * 3 < self.lifetime * 2 {
            let renewed = current.next(current.body.clone(), after(now, self.lifetime));
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

    /// How long until the lease is due for renewal (on `clock`).
    pub fn renewal_in(&self, clock: &dyn Clock) -> Duration {
        let left = until(clock.now(), self.entry.expires_at);
        (left + Duration::from_secs(1)).saturating_sub(self.lifetime * 2 / 3)
    }

    /// Gives the lease up (the turn ended).
    pub async fn release(self, store: &dyn Store, clock: &dyn Clock) {
        for _ in 0..ATTEMPTS {
            let now = clock.now();
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
pub async fn is_running(
    store: &dyn Store,
    clock: &dyn Clock,
    user: &UserId,
) -> Result<bool, StoreError> {
    Ok(store.get_entry(&key(user), clock.now()).await?.is_some())
}

/// Tells the instance running the user's turn (any instance) that somebody follows its
/// reply from the Store, so it saves the reply often for the next few seconds. Written only
/// when the last word is running out: a page polling every second costs a write every few
/// seconds. `false` if no turn is running.
pub async fn follow(
    store: &dyn Store,
    clock: &dyn Clock,
    user: &UserId,
) -> Result<bool, StoreError> {
    mark_running_turn(store, clock, user, |body, now| {
        if followed_until(body).duration_since(now) > FOLLOWED / 2 {
            return false;
        }
        let until = now.checked_add(FOLLOWED).unwrap_or(now);
        body["followedUntil"] = json!(until.as_second());
        true
    })
    .await
}

/// Asks the instance running the user's turn (any instance) to stop it; `false` if none
/// is running.
pub async fn request_stop(
    store: &dyn Store,
    clock: &dyn Clock,
    user: &UserId,
) -> Result<bool, StoreError> {
    mark_running_turn(store, clock, user, |body, _| {
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
    clock: &dyn Clock,
    user: &UserId,
    mark: impl Fn(&mut serde_json::Value, Timestamp) -> bool,
) -> Result<bool, StoreError> {
    for _ in 0..ATTEMPTS {
        let now = clock.now();
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
    use crate::{domain::ManualClock, store::embedded::EmbeddedStore};

    const LIFETIME: Duration = Duration::from_secs(LEASE_SECONDS as u64);

    #[tokio::test]
    async fn one_lease_per_user_a_stop_reaches_it_and_release_frees_it() {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<dyn Store> = Arc::new(EmbeddedStore::open(dir.path()).unwrap());
        let clock = ManualClock::running();
        let user = UserId::from_verified_sub("u");
        let mut lease = Lease::acquire(store.as_ref(), &clock, &user, LIFETIME)
            .await
            .unwrap();
        assert!(matches!(
            Lease::acquire(store.as_ref(), &clock, &user, LIFETIME).await,
            Err(LeaseError::Busy)
        ));
        let check = lease.check(store.as_ref(), &clock).await.unwrap();
        assert_eq!(
            check,
            LeaseCheck {
                stop: false,
                followed: false
            }
        );
        assert!(follow(store.as_ref(), &clock, &user).await.unwrap());
        assert!(lease.check(store.as_ref(), &clock).await.unwrap().followed);
        assert!(request_stop(store.as_ref(), &clock, &user).await.unwrap());
        assert!(lease.check(store.as_ref(), &clock).await.unwrap().stop);
        lease.release(store.as_ref(), &clock).await;
        assert!(!request_stop(store.as_ref(), &clock, &user).await.unwrap());
        assert!(!follow(store.as_ref(), &clock, &user).await.unwrap());
        Lease::acquire(store.as_ref(), &clock, &user, LIFETIME)
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn a_lease_not_renewed_runs_out_on_the_clock() {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<dyn Store> = Arc::new(EmbeddedStore::open(dir.path()).unwrap());
        let clock = ManualClock::at("2026-12-05T10:00:00Z".parse().unwrap());
        let user = UserId::from_verified_sub("u");
        let lease = Lease::acquire(store.as_ref(), &clock, &user, LIFETIME)
            .await
            .unwrap();
        assert_eq!(lease.renewal_in(&clock), Duration::from_secs(11));
        clock.advance(Duration::from_secs(29));
        assert!(is_running(store.as_ref(), &clock, &user).await.unwrap());
        clock.advance(Duration::from_secs(1));
        assert!(!is_running(store.as_ref(), &clock, &user).await.unwrap());
        Lease::acquire(store.as_ref(), &clock, &user, LIFETIME)
            .await
            .unwrap();
    }
}
