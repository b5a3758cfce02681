//! Personal access tokens in the embedded store: table `access_tokens`, the secret's digest
//! -> JSON of [`AccessToken`] (what a request looks up), and `access_token_index`, (owner
//! sub, token id) -> digest (what the owner's list and a revoke read). Both are written in
//! one transaction, which also counts the owner's tokens for the limit (redb runs one write
//! transaction at a time).

use jiff::Timestamp;
use redb::{ReadableTable, TableDefinition};

use super::{EmbeddedStore, backend, decode, encode};
use crate::{
    domain::{AccessToken, AccessTokenId, TokenHash, UserId},
    store::StoreError,
};

/// Digest (hex) -> JSON of [`AccessToken`].
pub(super) const ACCESS_TOKENS: TableDefinition<&str, &[u8]> =
    TableDefinition::new("access_tokens");
/// (owner sub, token id) -> digest (hex).
pub(super) const ACCESS_TOKEN_INDEX: TableDefinition<(&str, &str), &str> =
    TableDefinition::new("access_token_index");

/// The owner's (token id, digest) pairs, oldest first (ids are UUIDv7).
fn index_of(
    table: &impl ReadableTable<(&'static str, &'static str), &'static str>,
    owner: &str,
) -> Result<Vec<(String, String)>, StoreError> {
    let mut found = Vec::new();
    for row in table.range((owner, "")..).map_err(backend)? {
        let (key, value) = row.map_err(backend)?;
        if key.value().0 != owner {
            break;
        }
        found.push((key.value().1.to_owned(), value.value().to_owned()));
    }
    Ok(found)
}

impl EmbeddedStore {
    pub(super) async fn create_token_checked(
        &self,
        token: &AccessToken,
        max_held: usize,
    ) -> Result<(), StoreError> {
        let token = token.clone();
        self.blocking(move |db| {
            let (owner, id) = (token.owner.as_str(), token.id.to_string());
            let txn = db.begin_write().map_err(backend)?;
            {
                let mut index = txn.open_table(ACCESS_TOKEN_INDEX).map_err(backend)?;
                let mut tokens = txn.open_table(ACCESS_TOKENS).map_err(backend)?;
                let held = index_of(&index, owner)?;
                if held.iter().any(|(held_id, _)| *held_id == id)
                    || tokens.get(token.hash.as_str()).map_err(backend)?.is_some()
                {
                    return Err(StoreError::AlreadyExists);
                }
                if held.len() >= max_held {
                    return Err(StoreError::LimitReached);
                }
                index
                    .insert((owner, id.as_str()), token.hash.as_str())
                    .map_err(backend)?;
                tokens
                    .insert(token.hash.as_str(), encode(&token)?.as_slice())
                    .map_err(backend)?;
            }
            txn.commit().map_err(backend)
        })
        .await
    }

    pub(super) async fn tokens_of(&self, owner: &UserId) -> Result<Vec<AccessToken>, StoreError> {
        let owner = owner.as_str().to_owned();
        self.blocking(move |db| {
            let txn = db.begin_read().map_err(backend)?;
            let index = txn.open_table(ACCESS_TOKEN_INDEX).map_err(backend)?;
            let tokens = txn.open_table(ACCESS_TOKENS).map_err(backend)?;
            let mut found = Vec::new();
            for (_, hash) in index_of(&index, &owner)? {
                if let Some(value) = tokens.get(hash.as_str()).map_err(backend)? {
                    found.push(decode(value.value())?);
                }
            }
            Ok(found)
        })
        .await
    }

    pub(super) async fn token_by_hash(
        &self,
        hash: &TokenHash,
    ) -> Result<Option<AccessToken>, StoreError> {
        // A point read from redb's cache: inline, as entries are (see `get_entry`).
        let txn = self.db.begin_read().map_err(backend)?;
        let tokens = txn.open_table(ACCESS_TOKENS).map_err(backend)?;
        let found = tokens.get(hash.as_str()).map_err(backend)?;
        found.map(|v| decode(v.value())).transpose()
    }

    pub(super) async fn revoke_token(
        &self,
        owner: &UserId,
        id: AccessTokenId,
    ) -> Result<(), StoreError> {
        let (owner, id) = (owner.as_str().to_owned(), id.to_string());
        self.blocking(move |db| {
            let txn = db.begin_write().map_err(backend)?;
            {
                let mut index = txn.open_table(ACCESS_TOKEN_INDEX).map_err(backend)?;
                let mut tokens = txn.open_table(ACCESS_TOKENS).map_err(backend)?;
                let hash = index
                    .remove((owner.as_str(), id.as_str()))
                    .map_err(backend)?
                    .map(|v| v.value().to_owned())
                    .ok_or(StoreError::NotFound)?;
                tokens.remove(hash.as_str()).map_err(backend)?;
            }
            txn.commit().map_err(backend)
        })
        .await
    }

    pub(super) async fn touch_token(
        &self,
        hash: &TokenHash,
        at: Timestamp,
        fresh_after: Timestamp,
    ) -> Result<bool, StoreError> {
        let hash = hash.clone();
        self.blocking(move |db| {
            let txn = db.begin_write().map_err(backend)?;
            let touched = {
                let mut tokens = txn.open_table(ACCESS_TOKENS).map_err(backend)?;
                let current: Option<AccessToken> = tokens
                    .get(hash.as_str())
                    .map_err(backend)?
                    .map(|v| decode(v.value()))
                    .transpose()?;
                match current {
                    Some(mut token) if token.last_used_at.is_none_or(|t| t < fresh_after) => {
                        token.last_used_at = Some(at);
                        tokens
                            .insert(hash.as_str(), encode(&token)?.as_slice())
                            .map_err(backend)?;
                        true
                    }
                    _ => false,
                }
            };
            txn.commit().map_err(backend)?;
            Ok(touched)
        })
        .await
    }
}
