//! Shared state with an expiry: what one request leaves for another, on any instance
//! (single-use tickets, rate-limit windows, and next the running turn's lease and stop
//! flag). A small JSON body under a key, a version for conditional writes, and the time
//! after which it no longer exists: expired entries read as absent in every store, whether
//! or not the store has removed them yet.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// `<kind>:<id>`, e.g. `ticket:<random>` or `turns:<user>`.
    pub key: String,
    pub body: serde_json::Value,
    /// 1 when created, one more on every write; writes are conditional on it.
    pub version: u64,
    /// When the entry is gone (whole seconds; stored as Unix seconds, as DynamoDB's TTL
    /// attribute wants).
    #[serde(with = "jiff::fmt::serde::timestamp::second::required")]
    pub expires_at: Timestamp,
}

impl Entry {
    /// A first version, gone at `expires_at` (on a whole second, as stored).
    pub fn new(key: impl Into<String>, body: serde_json::Value, expires_at: Timestamp) -> Self {
        Self {
            key: key.into(),
            body,
            version: 1,
            expires_at: whole_second(expires_at),
        }
    }

    pub fn is_live(&self, now: Timestamp) -> bool {
        self.expires_at > now
    }

    /// The next version of this entry with `body`, expiring at `expires_at`.
    pub fn next(&self, body: serde_json::Value, expires_at: Timestamp) -> Self {
        Self {
            key: self.key.clone(),
            body,
            version: self.version + 1,
            expires_at: whole_second(expires_at),
        }
    }
}

/// Entries expire on whole seconds, their stored form (so an entry reads the same before
/// and after a round trip through any store).
fn whole_second(at: Timestamp) -> Timestamp {
    Timestamp::from_second(at.as_second()).unwrap_or(at)
}
