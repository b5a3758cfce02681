//! The OAuth authorization server's records, typed, on the Store's entries: every one has
//! an expiry and every change is a conditional write, so they work the same on the embedded
//! store and on DynamoDB (the `entries` table), and any instance may serve any step.
//!
//! Keys (`<kind>:<id>`):
//! - `oauth-request:<id>`: a pending authorization request (10 minutes), taken once.
//! - `oauth-code:<sha256 of the code>`: a code (60 s), taken once by a conditional delete,
//!   so of two instances redeeming it, one wins.
//! - `oauth-grants:<sub>`: the user's grants, all in one entry: one read lists them and
//!   tells a request whether its token's grant still stands; a revoke is one conditional
//!   write; the count (at most 50) is checked in that write.
//! - `oat:<sha256>` / `ort:<sha256>`: access tokens (1 h) and refresh tokens (30 days; a
//!   used one is kept, marked, until it expires, so that its reuse is recognised).
//! - `oauth-client:<id>`: a registered client (180 days after its last authorization).
//! - `oauth-cimd:<sha256 of the URL>`: a fetched Client ID Metadata Document (a cache).
//! - `oauth-register:<address>`: registrations from one address in the current minute.

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use serde::{Serialize, de::DeserializeOwned};

use super::{Store, StoreError};
use crate::domain::{
    Cause, Entry, GrantId, TokenHash, UserId,
    oauth::{AccessRecord, CodeRecord, Grant, OAuthClient, PendingRequest, RefreshRecord},
};

/// Typed access to the OAuth records of one store.
#[derive(Clone)]
pub struct OAuthRecords {
    store: Arc<dyn Store>,
}

/// What presenting a refresh token found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefreshUse {
    /// Live and unused: now marked used (this caller's to rotate).
    Fresh(RefreshRecord),
    /// Already used (or used at this moment by another request): a replay. The record as
    /// it now stands (`used`).
    Reused(RefreshRecord),
    Unknown,
}

/// How many times a read-modify-write of the grants entry is tried against concurrent
/// writers before giving up.
const GRANT_WRITE_TRIES: usize = 5;

fn decode<T: DeserializeOwned>(entry: &Entry) -> Result<T, StoreError> {
    serde_json::from_value(entry.body.clone()).map_err(|e| StoreError::Backend(Cause::new(e)))
}

fn encode<T: Serialize>(value: &T) -> Result<serde_json::Value, StoreError> {
    serde_json::to_value(value).map_err(|e| StoreError::Backend(Cause::new(e)))
}

fn grants_key(owner: &UserId) -> String {
    format!("oauth-grants:{}", owner.as_str())
}

impl OAuthRecords {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { store }
    }

    async fn create<T: Serialize>(
        &self,
        key: String,
        value: &T,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let entry = Entry::new(key, encode(value)?, expires_at);
        self.store.put_entry(&entry, None, now).await
    }

    async fn read<T: DeserializeOwned>(
        &self,
        key: &str,
        now: Timestamp,
    ) -> Result<Option<(Entry, T)>, StoreError> {
        match self.store.get_entry(key, now).await? {
            Some(entry) => {
                let value = decode(&entry)?;
                Ok(Some((entry, value)))
            }
            None => Ok(None),
        }
    }

    /// Reads and deletes an entry at the version read: `None` if it is missing, expired or
    /// taken by someone else meanwhile.
    async fn take<T: DeserializeOwned>(
        &self,
        key: &str,
        now: Timestamp,
    ) -> Result<Option<T>, StoreError> {
        let Some((entry, value)) = self.read(key, now).await? else {
            return Ok(None);
        };
        match self.store.delete_entry(key, entry.version, now).await {
            Ok(()) => Ok(Some(value)),
            Err(StoreError::Changed) => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub async fn put_request(
        &self,
        id: &str,
        request: &PendingRequest,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.create(format!("oauth-request:{id}"), request, expires_at, now)
            .await
    }

    pub async fn get_request(
        &self,
        id: &str,
        now: Timestamp,
    ) -> Result<Option<PendingRequest>, StoreError> {
        Ok(self
            .read(&format!("oauth-request:{id}"), now)
            .await?
            .map(|(_, r)| r))
    }

    /// The request, removed: only one answer (by one user) is ever taken.
    pub async fn take_request(
        &self,
        id: &str,
        now: Timestamp,
    ) -> Result<Option<PendingRequest>, StoreError> {
        self.take(&format!("oauth-request:{id}"), now).await
    }

    pub async fn put_code(
        &self,
        hash: &TokenHash,
        code: &CodeRecord,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.create(
            format!("oauth-code:{}", hash.as_str()),
            code,
            expires_at,
            now,
        )
        .await
    }

    /// The code's record, removed: a code is redeemed once, on whichever instance asks first.
    pub async fn take_code(
        &self,
        hash: &TokenHash,
        now: Timestamp,
    ) -> Result<Option<CodeRecord>, StoreError> {
        self.take(&format!("oauth-code:{}", hash.as_str()), now)
            .await
    }

    /// The user's live grants (oldest first) and the version of their entry.
    async fn grants_entry(
        &self,
        owner: &UserId,
        now: Timestamp,
    ) -> Result<(Option<u64>, Vec<Grant>), StoreError> {
        match self.read::<Vec<Grant>>(&grants_key(owner), now).await? {
            Some((entry, mut grants)) => {
                grants.retain(|g| g.expires_at > now);
                Ok((Some(entry.version), grants))
            }
            None => Ok((None, Vec::new())),
        }
    }

    /// Rewrites the user's grants with `change` (which says whether it changed anything),
    /// from the version read, again on a concurrent change.
    async fn change_grants<R>(
        &self,
        owner: &UserId,
        now: Timestamp,
        mut change: impl FnMut(&mut Vec<Grant>) -> Result<Option<R>, StoreError>,
    ) -> Result<Option<R>, StoreError> {
        for _ in 0..GRANT_WRITE_TRIES {
            let (version, mut grants) = self.grants_entry(owner, now).await?;
            let Some(result) = change(&mut grants)? else {
                return Ok(None);
            };
            // The entry lives as long as its longest-lived grant.
            let expires_at = grants.iter().map(|g| g.expires_at).max().unwrap_or(now);
            let outcome = match (version, grants.is_empty()) {
                (Some(v), true) => self.store.delete_entry(&grants_key(owner), v, now).await,
                (Some(v), false) => {
                    let entry = Entry {
                        key: grants_key(owner),
                        body: encode(&grants)?,
                        version: v + 1,
                        expires_at: Timestamp::from_second(expires_at.as_second())
                            .unwrap_or(expires_at),
                    };
                    self.store.put_entry(&entry, Some(v), now).await
                }
                (None, false) => {
                    let entry = Entry::new(grants_key(owner), encode(&grants)?, expires_at);
                    self.store.put_entry(&entry, None, now).await
                }
                (None, true) => Ok(()),
            };
            match outcome {
                Ok(()) => return Ok(Some(result)),
                Err(StoreError::Changed) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(StoreError::Changed)
    }

    pub async fn list_grants(
        &self,
        owner: &UserId,
        now: Timestamp,
    ) -> Result<Vec<Grant>, StoreError> {
        Ok(self.grants_entry(owner, now).await?.1)
    }

    pub async fn find_grant(
        &self,
        owner: &UserId,
        id: GrantId,
        now: Timestamp,
    ) -> Result<Option<Grant>, StoreError> {
        let grants = self.list_grants(owner, now).await?;
        Ok(grants.into_iter().find(|g| g.id == id))
    }

    /// Adds a grant if the user holds fewer than `max_held`, counted in the same conditional
    /// write. At the limit, the oldest grant of the same client makes room (a client that
    /// signs in again and again must not lock its user out); without one, `LimitReached`.
    pub async fn add_grant(
        &self,
        owner: &UserId,
        grant: &Grant,
        max_held: usize,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let added = self
            .change_grants(owner, now, |grants| {
                if grants.len() >= max_held {
                    let oldest_of_client = grants
                        .iter()
                        .enumerate()
                        .filter(|(_, g)| g.client_id == grant.client_id)
                        .min_by_key(|(_, g)| g.created_at)
                        .map(|(at, _)| at)
                        .ok_or(StoreError::LimitReached)?;
                    grants.remove(oldest_of_client);
                }
                grants.push(grant.clone());
                Ok(Some(()))
            })
            .await?;
        added.ok_or(StoreError::Changed)
    }

    /// Removes a grant; `NotFound` if the user has none with that id. Its tokens stop at
    /// once: every use of one looks its grant up here.
    pub async fn remove_grant(
        &self,
        owner: &UserId,
        id: GrantId,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let removed = self
            .change_grants(owner, now, |grants| {
                let before = grants.len();
                grants.retain(|g| g.id != id);
                Ok((grants.len() < before).then_some(()))
            })
            .await?;
        removed.ok_or(StoreError::NotFound)
    }

    /// Notes a use of the grant at `at` unless one was noted at or after `fresh_after`, and
    /// moves its end to `expires_at` when given (a refresh). `Ok(false)`: nothing written.
    pub async fn touch_grant(
        &self,
        owner: &UserId,
        id: GrantId,
        at: Timestamp,
        fresh_after: Timestamp,
        expires_at: Option<Timestamp>,
    ) -> Result<bool, StoreError> {
        let touched = self
            .change_grants(owner, at, |grants| {
                let Some(grant) = grants.iter_mut().find(|g| g.id == id) else {
                    return Ok(None);
                };
                let stale = grant.last_used_at.is_none_or(|t| t < fresh_after);
                if !stale && expires_at.is_none() {
                    return Ok(None);
                }
                if stale {
                    grant.last_used_at = Timestamp::from_second(at.as_second()).ok();
                }
                if let Some(end) = expires_at {
                    grant.expires_at = end;
                }
                Ok(Some(()))
            })
            .await;
        match touched {
            Ok(found) => Ok(found.is_some()),
            // Another instance wrote meanwhile (maybe this very note): not worth more tries.
            Err(StoreError::Changed) => Ok(false),
            Err(e) => Err(e),
        }
    }

    pub async fn put_access(
        &self,
        hash: &TokenHash,
        record: &AccessRecord,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.create(format!("oat:{}", hash.as_str()), record, expires_at, now)
            .await
    }

    pub async fn get_access(
        &self,
        hash: &TokenHash,
        now: Timestamp,
    ) -> Result<Option<AccessRecord>, StoreError> {
        Ok(self
            .read(&format!("oat:{}", hash.as_str()), now)
            .await?
            .map(|(_, r)| r))
    }

    /// Forgets an access token (RFC 7009 revocation); `Ok(false)` if there was none.
    pub async fn delete_access(
        &self,
        hash: &TokenHash,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        Ok(self
            .take::<AccessRecord>(&format!("oat:{}", hash.as_str()), now)
            .await?
            .is_some())
    }

    pub async fn put_refresh(
        &self,
        hash: &TokenHash,
        record: &RefreshRecord,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.create(format!("ort:{}", hash.as_str()), record, expires_at, now)
            .await
    }

    /// Presents a refresh token: marks a fresh one used (conditionally: of two requests
    /// presenting it at once, one gets `Fresh` and the other `Reused`).
    pub async fn use_refresh(
        &self,
        hash: &TokenHash,
        now: Timestamp,
    ) -> Result<RefreshUse, StoreError> {
        let key = format!("ort:{}", hash.as_str());
        let Some((entry, record)) = self.read::<RefreshRecord>(&key, now).await? else {
            return Ok(RefreshUse::Unknown);
        };
        if record.used {
            return Ok(RefreshUse::Reused(record));
        }
        let used = RefreshRecord {
            used: true,
            ..record.clone()
        };
        let next = entry.next(encode(&used)?, entry.expires_at);
        match self.store.put_entry(&next, Some(entry.version), now).await {
            Ok(()) => Ok(RefreshUse::Fresh(record)),
            Err(StoreError::Changed) => Ok(RefreshUse::Reused(used)),
            Err(e) => Err(e),
        }
    }

    /// A refresh token's record, used or not, without using it.
    pub async fn get_refresh(
        &self,
        hash: &TokenHash,
        now: Timestamp,
    ) -> Result<Option<RefreshRecord>, StoreError> {
        Ok(self
            .read(&format!("ort:{}", hash.as_str()), now)
            .await?
            .map(|(_, r)| r))
    }

    /// Forgets a refresh token (RFC 7009 revocation), used or not; `None` if there was none.
    pub async fn take_refresh(
        &self,
        hash: &TokenHash,
        now: Timestamp,
    ) -> Result<Option<RefreshRecord>, StoreError> {
        self.take(&format!("ort:{}", hash.as_str()), now).await
    }

    /// Stores a newly registered client (`AlreadyExists`-like `Changed` if its id is taken).
    pub async fn put_client(
        &self,
        client: &OAuthClient,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.create(
            format!("oauth-client:{}", client.id),
            client,
            expires_at,
            now,
        )
        .await
    }

    pub async fn get_client(
        &self,
        id: &str,
        now: Timestamp,
    ) -> Result<Option<OAuthClient>, StoreError> {
        Ok(self
            .read(&format!("oauth-client:{id}"), now)
            .await?
            .map(|(_, c)| c))
    }

    /// Keeps a registered client `CLIENT_TTL` past its latest authorization: rewritten when
    /// less than half of `keep_for` is left (a failed race is harmless: another kept it).
    pub async fn keep_client(
        &self,
        id: &str,
        keep_for: SignedDuration,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let key = format!("oauth-client:{id}");
        let Some(entry) = self.store.get_entry(&key, now).await? else {
            return Ok(());
        };
        if entry.expires_at - keep_for / 2 > now {
            return Ok(());
        }
        let next = entry.next(entry.body.clone(), now + keep_for);
        match self.store.put_entry(&next, Some(entry.version), now).await {
            Ok(()) | Err(StoreError::Changed) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// A cached Client ID Metadata Document, by its URL's digest.
    pub async fn cached_document(
        &self,
        url_hash: &TokenHash,
        now: Timestamp,
    ) -> Result<Option<OAuthClient>, StoreError> {
        Ok(self
            .read(&format!("oauth-cimd:{}", url_hash.as_str()), now)
            .await?
            .map(|(_, c)| c))
    }

    /// Caches a fetched document until `expires_at` (a concurrent fetch's copy wins; either
    /// is fine).
    pub async fn cache_document(
        &self,
        url_hash: &TokenHash,
        client: &OAuthClient,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let key = format!("oauth-cimd:{}", url_hash.as_str());
        match self.create(key, client, expires_at, now).await {
            Ok(()) | Err(StoreError::Changed) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Counts one registration from `address` in the current minute; `false` once
    /// `per_minute` were counted (shared by every instance).
    pub async fn take_registration(
        &self,
        address: &str,
        per_minute: u64,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let key = format!("oauth-register:{address}");
        for _ in 0..GRANT_WRITE_TRIES {
            let found = self.store.get_entry(&key, now).await?;
            let count = found
                .as_ref()
                .and_then(|e| e.body["count"].as_u64())
                .unwrap_or(0);
            if count >= per_minute {
                return Ok(false);
            }
            let body = serde_json::json!({ "count": count + 1 });
            let result = match &found {
                Some(entry) => {
                    let next = entry.next(body, entry.expires_at);
                    self.store.put_entry(&next, Some(entry.version), now).await
                }
                None => {
                    let entry = Entry::new(key.clone(), body, now + SignedDuration::from_secs(60));
                    self.store.put_entry(&entry, None, now).await
                }
            };
            match result {
                Ok(()) => return Ok(true),
                Err(StoreError::Changed) => continue,
                Err(e) => return Err(e),
            }
        }
        Ok(false)
    }
}
