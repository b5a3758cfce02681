//! Push subscriptions on DynamoDB, in the owner's partition of `lists`: `id` =
//! `#push#<endpoint key>` holding the subscription's fields, beside the counter `#pushes`
//! (`held`), updated in the same transaction as a new subscription or a removal, so the
//! limit holds under races. Their `#` ids keep them out of the lists' listing and counting,
//! as the tokens' index is (`dynamodb/tokens.rs`). A user's subscriptions are one Query.
//!
//! An endpoint is one browser, so it has one holder: in `entries`, `key` =
//! `pushendpoint:<endpoint key>` with its `owner` (no `expiresAt`: the TTL never removes
//! it), written in the same transaction as the subscription, on the condition that the
//! holder is still the one read; a save for another owner removes the previous holder's
//! subscription (and moves their counter) in that transaction too.

use aws_sdk_dynamodb::types::{Delete, Put, TransactWriteItem};

use super::{DynamoStore, Item, MUST_BE_NEW, MUST_EXIST, backend, from_item, number, s, to_item};
use crate::{
    domain::{EndpointKey, PushSubscription, UserId},
    store::StoreError,
};

const ID_PREFIX: &str = "#push#";
const COUNTER: &str = "#pushes";
/// Tries of a save that keeps meeting concurrent writes.
const TRIES: usize = 3;

fn item_id(key: &EndpointKey) -> String {
    format!("{ID_PREFIX}{}", key.as_str())
}

fn holder_key(key: &EndpointKey) -> aws_sdk_dynamodb::types::AttributeValue {
    s(&format!("pushendpoint:{}", key.as_str()))
}

fn subscription_item(subscription: &PushSubscription) -> Result<Item, StoreError> {
    let mut item = to_item(&serde_json::to_value(subscription).map_err(backend)?);
    item.insert("id".into(), s(&item_id(&subscription.key())));
    Ok(item)
}

fn is_subscription(item: &Item) -> bool {
    item.get("id")
        .and_then(|id| id.as_s().ok())
        .is_some_and(|id| id.starts_with(ID_PREFIX))
}

fn subscription_from(item: &Item) -> Result<PushSubscription, StoreError> {
    serde_json::from_value(from_item(item)).map_err(backend)
}

impl DynamoStore {
    pub(super) async fn save_subscription(
        &self,
        subscription: &PushSubscription,
        max_held: usize,
    ) -> Result<bool, StoreError> {
        let owner = &subscription.owner;
        let key = subscription.key();
        let item = subscription_item(subscription)?;
        let id = item_id(&key);
        // A canceled transaction may be a race (the same browser subscribing twice at once,
        // another user taking the browser, or a conflict with another write of the
        // counter): read again and retry.
        for _ in 0..TRIES {
            let holder = self.endpoint_holder(&key).await?;
            let mut writes = vec![self.hold_endpoint(&key, owner, holder.as_ref())?];
            if let Some(previous) = holder.filter(|previous| previous != owner)
                && self.get_owned(&self.lists, &previous, &id).await?.is_some()
            {
                writes.push(self.delete(&self.lists, &previous, &id, MUST_EXIST, &[])?);
                writes.push(self.held_counter(&previous, COUNTER, -1, None));
            }
            if self.get_owned(&self.lists, owner, &id).await?.is_some() {
                writes.push(self.put(&self.lists, item.clone(), MUST_EXIST, &[])?);
                if self.transact(writes).await? {
                    return Ok(false);
                }
                continue;
            }
            let counter = self.get_owned(&self.lists, owner, COUNTER).await?;
            if counter.and_then(|c| number(&c, "held")).unwrap_or(0) >= max_held as i64 {
                return Err(StoreError::LimitReached);
            }
            writes.push(self.put(&self.lists, item.clone(), MUST_BE_NEW, &[])?);
            writes.push(self.held_counter(owner, COUNTER, 1, Some(max_held)));
            if self.transact(writes).await? {
                return Ok(true);
            }
        }
        Err(StoreError::Changed)
    }

    /// Who holds the endpoint now, read consistently.
    async fn endpoint_holder(&self, key: &EndpointKey) -> Result<Option<UserId>, StoreError> {
        let found = self
            .client
            .get_item()
            .table_name(&self.entries)
            .key("key", holder_key(key))
            .consistent_read(true)
            .send()
            .await
            .map_err(backend)?;
        Ok(found
            .item()
            .and_then(|item| item.get("owner")?.as_s().ok())
            .map(|owner| UserId::from_verified_sub(owner.as_str())))
    }

    /// `owner` takes the endpoint, if its holder is still `seen`.
    fn hold_endpoint(
        &self,
        key: &EndpointKey,
        owner: &UserId,
        seen: Option<&UserId>,
    ) -> Result<TransactWriteItem, StoreError> {
        let item = Item::from([
            ("key".to_owned(), holder_key(key)),
            ("owner".to_owned(), s(owner.as_str())),
        ]);
        let put = Put::builder()
            .table_name(&self.entries)
            .set_item(Some(item));
        let put = match seen {
            Some(seen) => put
                .condition_expression("#o = :seen")
                .expression_attribute_names("#o", "owner")
                .expression_attribute_values(":seen", s(seen.as_str())),
            None => put
                .condition_expression("attribute_not_exists(#k)")
                .expression_attribute_names("#k", "key"),
        };
        Ok(TransactWriteItem::builder()
            .put(put.build().map_err(backend)?)
            .build())
    }

    pub(super) async fn subscription_at(
        &self,
        endpoint: &EndpointKey,
    ) -> Result<Option<PushSubscription>, StoreError> {
        let Some(owner) = self.endpoint_holder(endpoint).await? else {
            return Ok(None);
        };
        self.get_owned(&self.lists, &owner, item_id(endpoint))
            .await?
            .as_ref()
            .map(subscription_from)
            .transpose()
    }

    pub(super) async fn subscriptions_of(
        &self,
        owner: &UserId,
    ) -> Result<Vec<PushSubscription>, StoreError> {
        let items = self.query_owner(&self.lists, None, owner).await?;
        items
            .iter()
            .filter(|item| is_subscription(item))
            .map(subscription_from)
            .collect()
    }

    pub(super) async fn forget_subscription(
        &self,
        owner: &UserId,
        endpoint: &EndpointKey,
    ) -> Result<bool, StoreError> {
        // The endpoint's holder goes too, unless another owner took it meanwhile.
        let release = Delete::builder()
            .table_name(&self.entries)
            .key("key", holder_key(endpoint))
            .condition_expression("attribute_not_exists(#k) OR #o = :me")
            .expression_attribute_names("#k", "key")
            .expression_attribute_names("#o", "owner")
            .expression_attribute_values(":me", s(owner.as_str()))
            .build()
            .map_err(backend)?;
        let items = vec![
            self.delete(&self.lists, owner, &item_id(endpoint), MUST_EXIST, &[])?,
            self.held_counter(owner, COUNTER, -1, None),
            TransactWriteItem::builder().delete(release).build(),
        ];
        // A failed condition: there was none (or another request removed it first).
        self.transact(items).await
    }
}
