//! Push subscriptions in the embedded store: table `push_subscriptions`, (owner sub, the
//! endpoint's key) -> JSON of [`PushSubscription`]. A save counts the owner's subscriptions in
//! its own write transaction (redb runs one at a time), so the limit holds under races.

use redb::{ReadableTable, TableDefinition};

use super::{EmbeddedStore, backend, encode, list_owned};
use crate::{
    domain::{EndpointKey, PushSubscription, UserId},
    store::StoreError,
};

/// (owner sub, endpoint key) -> JSON of [`PushSubscription`].
pub(super) const PUSH_SUBSCRIPTIONS: TableDefinition<(&str, &str), &[u8]> =
    TableDefinition::new("push_subscriptions");

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
                table
                    .remove((owner.as_str(), key.as_str()))
                    .map_err(backend)?
                    .is_some()
            };
            txn.commit().map_err(backend)?;
            Ok(removed)
        })
        .await
    }
}
