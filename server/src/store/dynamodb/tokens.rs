//! Personal access tokens on DynamoDB. A request knows only its token's digest, the owner's
//! list knows only the owner, so each token is two items written in one transaction:
//! - in `entries`, `key` = `pat:<sha256 hex>`: the token (`id`, `owner`, `name`, `access`,
//!   `created_at`, `last_used_at` as N seconds), read consistently on every request made
//!   with it; no `expiresAt`, so the TTL never removes it (a token lives until revoked);
//! - in `lists`, the owner's partition, `id` = `#token#<token id>` with its `hash`: what
//!   the list and a revoke find, beside the counter `#tokens` (`held`) updated in the same
//!   transaction (so the limit holds under races). Their `#` ids keep them out of the
//!   lists' listing and counting, as the lists' own counter is.

use aws_sdk_dynamodb::types::{AttributeValue, Delete, Put, TransactWriteItem};
use jiff::Timestamp;

use super::{
    DynamoStore, Item, MUST_BE_NEW, MUST_EXIST, backend, from_item, n, number, s, to_item,
};
use crate::{
    domain::{AccessToken, AccessTokenId, TokenHash, UserId},
    store::StoreError,
};

const INDEX_PREFIX: &str = "#token#";
const COUNTER: &str = "#tokens";

fn lookup_key(hash: &TokenHash) -> AttributeValue {
    s(&format!("pat:{}", hash.as_str()))
}

fn token_from(item: &Item) -> Result<AccessToken, StoreError> {
    serde_json::from_value(from_item(item)).map_err(backend)
}

impl DynamoStore {
    async fn tokens_held(&self, owner: &UserId) -> Result<i64, StoreError> {
        let counter = self.get_owned(&self.lists, owner, COUNTER).await?;
        Ok(counter.and_then(|item| number(&item, "held")).unwrap_or(0))
    }

    pub(super) async fn create_token_counted(
        &self,
        token: &AccessToken,
        max_held: usize,
    ) -> Result<(), StoreError> {
        if self.tokens_held(&token.owner).await? >= max_held as i64 {
            return Err(StoreError::LimitReached);
        }
        let mut lookup = to_item(&serde_json::to_value(token).map_err(backend)?);
        lookup.insert("key".into(), lookup_key(&token.hash));
        let lookup = Put::builder()
            .table_name(&self.entries)
            .set_item(Some(lookup))
            .condition_expression("attribute_not_exists(#k)")
            .expression_attribute_names("#k", "key")
            .build()
            .map_err(backend)?;
        let index = Item::from([
            ("owner".to_owned(), s(token.owner.as_str())),
            ("id".to_owned(), s(&format!("{INDEX_PREFIX}{}", token.id))),
            ("hash".to_owned(), s(token.hash.as_str())),
        ]);
        let items = vec![
            TransactWriteItem::builder().put(lookup).build(),
            self.put(&self.lists, index, MUST_BE_NEW, &[])?,
            self.held_counter(&token.owner, COUNTER, 1, Some(max_held)),
        ];
        if self.transact(items).await? {
            return Ok(());
        }
        // Which condition failed: the limit (a concurrent create got there first) or a
        // taken id or digest.
        if self.tokens_held(&token.owner).await? >= max_held as i64 {
            Err(StoreError::LimitReached)
        } else {
            Err(StoreError::AlreadyExists)
        }
    }

    async fn token_at(&self, hash: &str) -> Result<Option<AccessToken>, StoreError> {
        let found = self
            .client
            .get_item()
            .table_name(&self.entries)
            .key("key", s(&format!("pat:{hash}")))
            .consistent_read(true)
            .send()
            .await
            .map_err(backend)?;
        found.item().map(token_from).transpose()
    }

    pub(super) async fn tokens_of(&self, owner: &UserId) -> Result<Vec<AccessToken>, StoreError> {
        let items = self.query_owner(&self.lists, None, owner).await?;
        let hashes = items.iter().filter_map(|item| {
            let id = item.get("id")?.as_s().ok()?;
            id.starts_with(INDEX_PREFIX)
                .then(|| item.get("hash")?.as_s().ok())
                .flatten()
        });
        // At most the limit's 50 point reads, at once; the order is the index's (oldest first).
        let found = futures_util::future::try_join_all(hashes.map(|h| self.token_at(h))).await?;
        Ok(found.into_iter().flatten().collect())
    }

    pub(super) async fn token_by_hash(
        &self,
        hash: &TokenHash,
    ) -> Result<Option<AccessToken>, StoreError> {
        self.token_at(hash.as_str()).await
    }

    pub(super) async fn revoke_token(
        &self,
        owner: &UserId,
        id: AccessTokenId,
    ) -> Result<(), StoreError> {
        let index_id = format!("{INDEX_PREFIX}{id}");
        let index = self
            .get_owned(&self.lists, owner, &index_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let hash = index
            .get("hash")
            .and_then(|h| h.as_s().ok())
            .ok_or(StoreError::NotFound)?;
        let lookup = Delete::builder()
            .table_name(&self.entries)
            .key("key", s(&format!("pat:{hash}")))
            .build()
            .map_err(backend)?;
        let items = vec![
            self.delete(&self.lists, owner, &index_id, MUST_EXIST, &[])?,
            TransactWriteItem::builder().delete(lookup).build(),
            self.held_counter(owner, COUNTER, -1, None),
        ];
        if self.transact(items).await? {
            Ok(())
        } else {
            // Revoked meanwhile by another request.
            Err(StoreError::NotFound)
        }
    }

    pub(super) async fn touch_token(
        &self,
        hash: &TokenHash,
        at: Timestamp,
        fresh_after: Timestamp,
    ) -> Result<bool, StoreError> {
        let result = self
            .client
            .update_item()
            .table_name(&self.entries)
            .key("key", lookup_key(hash))
            .update_expression("SET last_used_at = :at")
            .condition_expression(
                "attribute_exists(#k) AND (attribute_not_exists(last_used_at) OR last_used_at < :fresh)",
            )
            .expression_attribute_names("#k", "key")
            .expression_attribute_values(":at", n(at.as_second()))
            .expression_attribute_values(":fresh", n(fresh_after.as_second()))
            .send()
            .await;
        match result {
            Ok(_) => Ok(true),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|e| e.is_conditional_check_failed_exception()) =>
            {
                Ok(false)
            }
            Err(e) => Err(backend(e)),
        }
    }
}
