//! Lists on DynamoDB: table `lists`, partition key `owner`, sort key `id`. One partition per
//! user holds, beside each other (one Query lists them):
//! - each list (`id`: its UUID; the attributes of [`TodoList`]);
//! - one name claim per list (`id`: `name#<the name in lower case>`, `listId`), written with
//!   `attribute_not_exists(id)` in the same transaction as the list, so of two lists given
//!   one name at once (two instances, one user) exactly one is written;
//! - the quota's counter `#count` (`lists_held`: the lists but the Inbox), changed in the
//!   same transaction as each create and delete (`counted.rs`).

use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem};

use super::{
    DynamoStore, Item, MUST_BE_AT_VERSION, MUST_BE_NEW, backend,
    counted::{COUNTER_ID, is_counter},
    s,
};
use crate::{
    domain::{ListId, TodoList, UserId},
    store::StoreError,
};

const NAME_PREFIX: &str = "name#";

/// Deletes a name claim only if it is this list's (a missing one is no obstacle).
const CLAIM_IS_THE_LISTS: &str = "attribute_not_exists(id) OR listId = :list";

/// Tries before a write that raced another gives up.
const TRIES: usize = 3;

fn claim_id(list: &TodoList) -> String {
    format!("{NAME_PREFIX}{}", list.name.key())
}

fn n(value: impl ToString) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

fn is_list(item: &Item) -> bool {
    !is_counter(item)
        && !item
            .get("id")
            .and_then(|id| id.as_s().ok())
            .is_some_and(|id| id.starts_with(NAME_PREFIX))
}

fn list_item(list: &TodoList) -> Result<Item, StoreError> {
    Ok(super::to_item(
        &serde_json::to_value(list).map_err(backend)?,
    ))
}

fn list_from(item: &Item) -> Result<TodoList, StoreError> {
    serde_json::from_value(super::from_item(item)).map_err(backend)
}

impl DynamoStore {
    fn claim(&self, list: &TodoList) -> Result<TransactWriteItem, StoreError> {
        let item = Item::from([
            ("owner".to_owned(), s(list.owner.as_str())),
            ("id".to_owned(), s(&claim_id(list))),
            ("listId".to_owned(), s(&list.id.to_string())),
        ]);
        self.put(&self.lists, item, MUST_BE_NEW, &[])
    }

    fn unclaim(&self, list: &TodoList) -> Result<TransactWriteItem, StoreError> {
        self.delete(
            &self.lists,
            &list.owner,
            &claim_id(list),
            CLAIM_IS_THE_LISTS,
            &[(":list", s(&list.id.to_string()))],
        )
    }

    /// The owner's counter: `None` if it does not exist yet.
    async fn lists_held(&self, owner: &UserId) -> Result<Option<i64>, StoreError> {
        let counter = self.get_owned(&self.lists, owner, COUNTER_ID).await?;
        Ok(counter.map(|item| super::number(&item, "lists_held").unwrap_or(0)))
    }

    /// Creates the owner's missing counter from the lists there (`counted.rs`).
    async fn count_lists(&self, owner: &UserId) -> Result<(), StoreError> {
        self.why_failed(&self.lists, owner, true, |_| false)
            .await
            .map(|_| ())
    }

    pub(super) async fn lists_of(&self, owner: &UserId) -> Result<Vec<TodoList>, StoreError> {
        let items = self.query_owner(&self.lists, None, owner).await?;
        items.iter().filter(|i| is_list(i)).map(list_from).collect()
    }

    pub(super) async fn list_of(&self, owner: &UserId, id: ListId) -> Result<TodoList, StoreError> {
        self.get_owned(&self.lists, owner, id)
            .await?
            .map_or(Err(StoreError::NotFound), |item| list_from(&item))
    }

    pub(super) async fn create_list_counted(
        &self,
        list: &TodoList,
        max_lists: usize,
    ) -> Result<(), StoreError> {
        if !list.inbox {
            // A list at the quota, or a counter still to be made, needs no doomed transaction.
            match self.lists_held(&list.owner).await? {
                None => self.count_lists(&list.owner).await?,
                Some(held) if held >= max_lists as i64 => return Err(StoreError::LimitReached),
                Some(_) => {}
            }
        }
        for _ in 0..TRIES {
            let mut items = vec![
                self.put(&self.lists, list_item(list)?, MUST_BE_NEW, &[])?,
                self.claim(list)?,
            ];
            if !list.inbox {
                items.push(self.count(
                    &self.lists,
                    &list.owner,
                    "ADD lists_held :one",
                    "attribute_exists(lists_held) AND lists_held < :max",
                    &[(":one", n(1)), (":max", n(max_lists))],
                )?);
            }
            if self.transact(items).await? {
                return Ok(());
            }
            // Which condition failed: read what they read.
            if self
                .get_owned(&self.lists, &list.owner, list.id)
                .await?
                .is_some()
            {
                return Err(StoreError::AlreadyExists);
            }
            let claimed = self
                .get_owned(&self.lists, &list.owner, claim_id(list))
                .await?;
            if claimed.is_some() {
                return Err(StoreError::NameTaken);
            }
            if !list.inbox {
                match self.lists_held(&list.owner).await? {
                    None => self.count_lists(&list.owner).await?,
                    Some(held) if held >= max_lists as i64 => {
                        return Err(StoreError::LimitReached);
                    }
                    // A claim freed meanwhile: try again.
                    Some(_) => {}
                }
            }
        }
        Err(StoreError::Changed)
    }

    pub(super) async fn update_list_checked(
        &self,
        list: &TodoList,
        expected_version: u64,
    ) -> Result<(), StoreError> {
        let current = self.list_of(&list.owner, list.id).await?;
        if current.version != expected_version {
            return Err(StoreError::VersionConflict {
                current: current.version,
            });
        }
        let at = [(":expected", n(expected_version))];
        let mut items = vec![self.put(&self.lists, list_item(list)?, MUST_BE_AT_VERSION, &at)?];
        let renamed = claim_id(&current) != claim_id(list);
        if renamed {
            items.push(self.unclaim(&current)?);
            items.push(self.claim(list)?);
        }
        if self.transact(items).await? {
            return Ok(());
        }
        match self.list_of(&list.owner, list.id).await {
            Ok(now) if now.version != expected_version => Err(StoreError::VersionConflict {
                current: now.version,
            }),
            Ok(_) if renamed => Err(StoreError::NameTaken),
            Ok(_) => Err(StoreError::Changed),
            Err(e) => Err(e),
        }
    }

    pub(super) async fn delete_list_counted(
        &self,
        owner: &UserId,
        id: ListId,
    ) -> Result<(), StoreError> {
        for _ in 0..TRIES {
            let current = self.list_of(owner, id).await?;
            let at = [(":expected", n(current.version))];
            let mut items = vec![
                self.delete(&self.lists, owner, &id.to_string(), MUST_BE_AT_VERSION, &at)?,
                self.unclaim(&current)?,
            ];
            if !current.inbox {
                items.push(self.count(
                    &self.lists,
                    owner,
                    "ADD lists_held :one",
                    "attribute_exists(lists_held)",
                    &[(":one", n(-1))],
                )?);
            }
            if self.transact(items).await? {
                return Ok(());
            }
            if !current.inbox && self.lists_held(owner).await?.is_none() {
                self.count_lists(owner).await?;
            }
            // Otherwise the list changed meanwhile: read it again.
        }
        Err(StoreError::Changed)
    }
}
