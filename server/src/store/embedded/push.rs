//! Push subscriptions in the embedded store: table `push_subscriptions`, (owner sub, the
//! endpoint's key) -> JSON of [`PushSubscription`]. A save counts the owner's subscriptions in
//! its own write transaction (redb runs one at a time), so the limit holds under races.
//! An endpoint is one browser, so it has one holder (`push_endpoints`: endpoint key -> owner
//! sub): a save for another owner moves it, removing the previous holder's subscription in
//! the same transaction.

use redb::{ReadableTable, TableDefinition};

use super::{EmbeddedStore, backend, decode, encode, list_owned};
use crate::{
    domain::{EndpointKey, PushSubscription, UserId},
    store::StoreError,
};

/// (owner sub, endpoint key) -> JSON of [`PushSubscription`].
pub(super) const PUSH_SUBSCRIPTIONS: TableDefinition<(&str, &str), &[u8]> =
    TableDefinition::new("push_subscriptions");

/// Endpoint key -> the owner sub holding it (at most one per browser).
pub(super) const PUSH_ENDPOINTS: TableDefinition<&str, &str> =
    TableDefinition::new("push_endpoints");

impl EmbeddedStore {
    pub(super) async fn save_subscription(
        &self,
        subscription: &PushSubscription,
        max_held: usize,
    ) -> Result<bool, StoreError> {
        let subscription = subscription.clone();
        self.blocking(move |db| {
            let owner = subscription.owner.as_str();
            let key = subscription.key();
            let txn = db.begin_write().map_err(backend)?;
            let created = {
                let mut table = txn.open_table(PUSH_SUBSCRIPTIONS).map_err(backend)?;
                let mut holders = txn.open_table(PUSH_ENDPOINTS).map_err(backend)?;
                let previous = holders
                    .insert(key.as_str(), owner)
                    .map_err(backend)?
                    .map(|held| held.value().to_owned());
                if let Some(previous) = previous.filter(|previous| previous != owner) {
                    table
                        .remove((previous.as_str(), key.as_str()))
                        .map_err(backend)?;
                }
                let known = table.get((owner, key.as_str())).map_err(backend)?.is_some();
                if !known {
                    let mut held = 0;
                    for row in table.range((owner, "")..).map_err(backend)? {
                        let (row_key, _) = row.map_err(backend)?;
                        if row_key.value().0 != owner {
                            break;
                        }
                        held += 1;
                    }
                    if held >= max_held {
                        return Err(StoreError::LimitReached);
                    }
                }
                table
                    .insert((owner, key.as_str()), encode(&subscription)?.as_slice())
                    .map_err(backend)?;
                !known
            };
            txn.commit().map_err(backend)?;
            Ok(created)
        })
        .await
    }

    pub(super) async fn subscriptions_of(
        &self,
        owner: &UserId,
    ) -> Result<Vec<PushSubscription>, StoreError> {
        let owner = owner.as_str().to_owned();
        self.blocking(move |db| list_owned(db, PUSH_SUBSCRIPTIONS, &owner))
            .await
    }

    pub(super) async fn forget_subscription(
        &self,
        owner: &UserId,
        endpoint: &EndpointKey,
    ) -> Result<bool, StoreError> {
        let (owner, key) = (owner.as_str().to_owned(), endpoint.clone());
        self.blocking(move |db| {
            let txn = db.begin_write().map_err(backend)?;
            let removed = {
                let mut table = txn.open_table(PUSH_SUBSCRIPTIONS).map_err(backend)?;
                let removed = table
                    .remove((owner.as_str(), key.as_str()))
                    .map_err(backend)?
                    .is_some();
                let mut holders = txn.open_table(PUSH_ENDPOINTS).map_err(backend)?;
                let held = holders
                    .get(key.as_str())
                    .map_err(backend)?
                    .is_some_and(|held| held.value() == owner);
                if held {
                    holders.remove(key.as_str()).map_err(backend)?;
                }
                removed
            };
            txn.commit().map_err(backend)?;
            Ok(removed)
        })
        .await
    }

    pub(super) async fn subscription_at(
        &self,
        endpoint: &EndpointKey,
    ) -> Result<Option<PushSubscription>, StoreError> {
        let key = endpoint.clone();
        self.blocking(move |db| {
            let txn = db.begin_read().map_err(backend)?;
            let holders = txn.open_table(PUSH_ENDPOINTS).map_err(backend)?;
            let Some(owner) = holders.get(key.as_str()).map_err(backend)? else {
                return Ok(None);
            };
            let table = txn.open_table(PUSH_SUBSCRIPTIONS).map_err(backend)?;
            let found = table.get((owner.value(), key.as_str())).map_err(backend)?;
            found.map(|value| decode(value.value())).transpose()
        })
        .await
    }
}
