//! Push subscriptions on DynamoDB, in the owner's partition of `lists`: `id` =
//! `#push#<endpoint key>` holding the subscription's fields, beside the counter `#pushes`
//! (`held`), updated in the same transaction as a new subscription or a removal, so the
//! limit holds under races. Their `#` ids keep them out of the lists' listing and counting,
//! as the tokens' index is (`dynamodb/tokens.rs`). A user's subscriptions are one Query.

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
    /// Replaces a subscription that is there; `false` if it is not (any more).
    async fn replace_subscription(&self, item: Item) -> Result<bool, StoreError> {
        self.put_if(&self.lists, item, MUST_EXIST, None).await
    }

    pub(super) async fn save_subscription(
        &self,
        subscription: &PushSubscription,
        max_held: usize,
    ) -> Result<bool, StoreError> {
        let owner = &subscription.owner;
        let item = subscription_item(subscription)?;
        let id = item_id(&subscription.key());
        // A canceled transaction may be a race (the same browser subscribing twice at once,
        // or a conflict with another write of the counter): read again and retry.
        for _ in 0..TRIES {
            if self.get_owned(&self.lists, owner, &id).await?.is_some()
                && self.replace_subscription(item.clone()).await?
            {
                return Ok(false);
            }
            let counter = self.get_owned(&self.lists, owner, COUNTER).await?;
            if counter.and_then(|c| number(&c, "held")).unwrap_or(0) >= max_held as i64 {
                return Err(StoreError::LimitReached);
            }
            let items = vec![
                self.put(&self.lists, item.clone(), MUST_BE_NEW, &[])?,
                self.held_counter(owner, COUNTER, 1, Some(max_held)),
            ];
            if self.transact(items).await? {
                return Ok(true);
            }
        }
        Err(StoreError::Changed)
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
        let items = vec![
            self.delete(&self.lists, owner, &item_id(endpoint), MUST_EXIST, &[])?,
            self.held_counter(owner, COUNTER, -1, None),
        ];
        // A failed condition: there was none (or another request removed it first).
        self.transact(items).await
    }
}
