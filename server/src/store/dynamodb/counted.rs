//! Exact quotas on DynamoDB: one counter item per owner beside their records, `#count` in
//! the `todos` table (`live`: the live todos), in the `files` table (`files`, `bytes`) and
//! in the `lists` table (`lists_held`: the lists but the Inbox).
//! Every write that changes what a quota counts is one `TransactWriteItems` with the
//! counter's update, so concurrent creates cannot pass a quota together.
//!
//! A counter that does not exist yet (data written before counters) makes every counted
//! write fail its condition; the first one to notice counts the records and creates the
//! counter conditionally, then writes again. Nothing counted can change while it counts,
//! since those writes all need the counter.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, Delete, Put, TransactWriteItem, Update};

use super::{DynamoStore, Item, backend, s};
use crate::{
    domain::{FileRecord, Todo, TodoId, UserId},
    store::{Store, StoreError},
};

/// The sort key of an owner's counter item (never a todo or file id: those are UUIDs).
pub const COUNTER_ID: &str = "#count";

/// Tries before a counted write gives up (each retry follows the counter's creation).
const TRIES: usize = 3;

/// The counter, or another of the owner's bookkeeping items beside their records (the
/// profile, `#profile`): every such id starts with `#`, which no record id does.
pub fn is_counter(item: &Item) -> bool {
    item.get("id")
        .and_then(|id| id.as_s().ok())
        .is_some_and(|id| id.starts_with('#'))
}

/// A counter's number (`0` when absent).
fn counted(counter: &Item, key: &str) -> i64 {
    super::number(counter, key).unwrap_or(0)
}

fn n(value: impl ToString) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

fn values(pairs: &[(&str, AttributeValue)]) -> HashMap<String, AttributeValue> {
    pairs
        .iter()
        .map(|(key, value)| ((*key).to_owned(), value.clone()))
        .collect()
}

/// What failed in a canceled transaction, found by reading again.
pub(super) enum Failed {
    /// The record's own condition: the caller says what that means.
    Record,
    /// The counter was missing (created now), or it has room after all (it was created
    /// by another writer meanwhile, or a concurrent transaction conflicted): write again.
    Retry,
    /// The counter's limit.
    Limit,
}

impl DynamoStore {
    /// Runs the writes as one transaction; `false` if a condition failed (nothing written).
    pub(super) async fn transact(&self, items: Vec<TransactWriteItem>) -> Result<bool, StoreError> {
        match self
            .client
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await
        {
            Ok(_) => Ok(true),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|e| e.is_transaction_canceled_exception()) =>
            {
                Ok(false)
            }
            Err(e) => Err(backend(e)),
        }
    }

    pub(super) fn put(
        &self,
        table: &str,
        item: Item,
        condition: &str,
        bound: &[(&str, AttributeValue)],
    ) -> Result<TransactWriteItem, StoreError> {
        let put = Put::builder()
            .table_name(table)
            .set_item(Some(item))
            .condition_expression(condition)
            .set_expression_attribute_values((!bound.is_empty()).then(|| values(bound)))
            .build()
            .map_err(backend)?;
        Ok(TransactWriteItem::builder().put(put).build())
    }

    pub(super) fn delete(
        &self,
        table: &str,
        owner: &UserId,
        id: &str,
        condition: &str,
        bound: &[(&str, AttributeValue)],
    ) -> Result<TransactWriteItem, StoreError> {
        let delete = Delete::builder()
            .table_name(table)
            .key("owner", s(owner.as_str()))
            .key("id", s(id))
            .condition_expression(condition)
            .set_expression_attribute_values((!bound.is_empty()).then(|| values(bound)))
            .build()
            .map_err(backend)?;
        Ok(TransactWriteItem::builder().delete(delete).build())
    }

    /// `update` (an `ADD`) of the owner's counter in `table`, if `condition` holds.
    pub(super) fn count(
        &self,
        table: &str,
        owner: &UserId,
        update: &str,
        condition: &str,
        bound: &[(&str, AttributeValue)],
    ) -> Result<TransactWriteItem, StoreError> {
        let update = Update::builder()
            .table_name(table)
            .key("owner", s(owner.as_str()))
            .key("id", s(COUNTER_ID))
            .update_expression(update)
            .condition_expression(condition)
            .set_expression_attribute_values(Some(values(bound)))
            .build()
            .map_err(backend)?;
        Ok(TransactWriteItem::builder().update(update).build())
    }

    /// After a canceled transaction whose record condition held (`record_ok`): is the
    /// counter missing (then it is created) or at its limit?
    /// `at_limit` reads the counter as it is now: a counter that exists is not proof of the
    /// limit, since the transaction may have failed before another writer created it (the
    /// first writes of a new owner, at once), or on a conflict with another transaction.
    pub(super) async fn why_failed(
        &self,
        table: &str,
        owner: &UserId,
        record_ok: bool,
        at_limit: impl Fn(&Item) -> bool,
    ) -> Result<Failed, StoreError> {
        if !record_ok {
            return Ok(Failed::Record);
        }
        if let Some(counter) = self.get_owned(table, owner, COUNTER_ID).await? {
            return Ok(if at_limit(&counter) {
                Failed::Limit
            } else {
                Failed::Retry
            });
        }
        let items = self.query_owner(table, None, owner).await?;
        let records = items.iter().filter(|item| !is_counter(item));
        let mut counter = Item::from([
            ("owner".to_owned(), s(owner.as_str())),
            ("id".to_owned(), s(COUNTER_ID)),
        ]);
        if table == self.todos {
            let live = records
                .filter(|item| !item.contains_key("deleted_until"))
                .count();
            counter.insert("live".into(), n(live));
        } else if table == self.lists {
            // Lists other than the Inbox (name claims have no `name`).
            let lists = records
                .filter(|item| item.contains_key("name") && !item.contains_key("inbox"))
                .count();
            counter.insert("lists_held".into(), n(lists));
        } else {
            let (mut files, mut bytes) = (0u64, 0u64);
            for item in records {
                files += 1;
                bytes =
                    bytes.saturating_add(super::number(item, "size").unwrap_or(0).max(0) as u64);
            }
            counter.insert("files".into(), n(files));
            counter.insert("bytes".into(), n(bytes));
        }
        // Another writer may have created it meanwhile, from the same records: either is right.
        self.put_when(table, counter, "attribute_not_exists(id)", None)
            .await?;
        Ok(Failed::Retry)
    }

    pub(super) async fn create_todo_counted(
        &self,
        todo: &Todo,
        max_live: usize,
    ) -> Result<(), StoreError> {
        for _ in 0..TRIES {
            let mut items = vec![self.put(
                &self.todos,
                super::todo_item(todo)?,
                super::MUST_BE_NEW,
                &[],
            )?];
            if todo.is_live() {
                items.push(self.count(
                    &self.todos,
                    &todo.owner,
                    "ADD live :one",
                    "attribute_exists(live) AND live < :max",
                    &[(":one", n(1)), (":max", n(max_live))],
                )?);
            }
            if self.transact(items).await? {
                return Ok(());
            }
            let fresh = self
                .get_owned(&self.todos, &todo.owner, todo.id)
                .await?
                .is_none();
            let full = |c: &Item| counted(c, "live") >= max_live as i64;
            match self
                .why_failed(&self.todos, &todo.owner, fresh, full)
                .await?
            {
                Failed::Record => return Err(StoreError::AlreadyExists),
                Failed::Limit => return Err(StoreError::LimitReached),
                Failed::Retry => {}
            }
        }
        Err(StoreError::Changed)
    }

    /// Writes `changed` (the record at `current`'s version, one version on) with `delta` on
    /// the live count (`+1` checked against `max_live`), or deletes the record (`None`).
    async fn change_live(
        &self,
        current: &Todo,
        changed: Option<&Todo>,
        delta: i64,
        max_live: usize,
    ) -> Result<(), StoreError> {
        let at = [(":expected", n(current.version))];
        for _ in 0..TRIES {
            let record = match changed {
                Some(todo) => self.put(
                    &self.todos,
                    super::todo_item(todo)?,
                    super::MUST_BE_AT_VERSION,
                    &at,
                )?,
                None => self.delete(
                    &self.todos,
                    &current.owner,
                    &current.id.to_string(),
                    super::MUST_BE_AT_VERSION,
                    &at,
                )?,
            };
            let counter = if delta > 0 {
                self.count(
                    &self.todos,
                    &current.owner,
                    "ADD live :delta",
                    "attribute_exists(live) AND live < :max",
                    &[(":delta", n(delta)), (":max", n(max_live))],
                )?
            } else {
                self.count(
                    &self.todos,
                    &current.owner,
                    "ADD live :delta",
                    "attribute_exists(live)",
                    &[(":delta", n(delta))],
                )?
            };
            if self.transact(vec![record, counter]).await? {
                return Ok(());
            }
            let unchanged =
                self.current_version(&current.owner, current.id).await? == Some(current.version);
            let full = |c: &Item| delta > 0 && counted(c, "live") >= max_live as i64;
            match self
                .why_failed(&self.todos, &current.owner, unchanged, full)
                .await?
            {
                Failed::Record => {
                    return Err(self
                        .explain_failed_condition(&current.owner, current.id)
                        .await);
                }
                Failed::Limit => return Err(StoreError::LimitReached),
                Failed::Retry => {}
            }
        }
        Err(StoreError::Changed)
    }

    pub(super) async fn trash_counted(
        &self,
        owner: &UserId,
        id: TodoId,
        expected: Option<u64>,
        until: jiff::Timestamp,
    ) -> Result<Todo, StoreError> {
        let current = self.get_todo_record(owner, id).await?;
        if !current.is_live() {
            return Err(StoreError::NotFound);
        }
        if expected.is_some_and(|expected| expected != current.version) {
            return Err(StoreError::VersionConflict {
                current: current.version,
            });
        }
        let trashed = current.clone().trashed(until);
        self.change_live(&current, Some(&trashed), -1, usize::MAX)
            .await?;
        Ok(trashed)
    }

    pub(super) async fn restore_counted(
        &self,
        owner: &UserId,
        id: TodoId,
        now: jiff::Timestamp,
        max_live: usize,
    ) -> Result<Todo, StoreError> {
        let current = self.get_todo_record(owner, id).await?;
        if !current.is_restorable_at(now) {
            return Err(StoreError::NotFound);
        }
        let restored = current.clone().restored();
        match self
            .change_live(&current, Some(&restored), 1, max_live)
            .await
        {
            Ok(()) => Ok(restored),
            // Restored, or claimed by its purge, meanwhile.
            Err(StoreError::VersionConflict { .. }) => Err(StoreError::NotFound),
            Err(e) => Err(e),
        }
    }

    pub(super) async fn delete_counted(
        &self,
        owner: &UserId,
        id: TodoId,
        expected: Option<u64>,
    ) -> Result<(), StoreError> {
        let current = self.get_todo_record(owner, id).await?;
        if expected.is_some_and(|expected| expected != current.version) {
            return Err(StoreError::VersionConflict {
                current: current.version,
            });
        }
        if current.is_live() {
            return self.change_live(&current, None, -1, usize::MAX).await;
        }
        // A deleted todo's purge: the live count stays.
        if self
            .delete_if(
                &self.todos,
                owner,
                id,
                super::MUST_BE_AT_VERSION,
                Some(current.version),
            )
            .await?
        {
            Ok(())
        } else {
            Err(self.explain_failed_condition(owner, id).await)
        }
    }

    pub(super) async fn create_file_counted(
        &self,
        file: &FileRecord,
        max_files: usize,
        max_bytes: u64,
    ) -> Result<(), StoreError> {
        let Some(room) = max_bytes.checked_sub(file.size) else {
            return Err(StoreError::LimitReached);
        };
        for _ in 0..TRIES {
            let items = vec![
                self.put(
                    &self.files,
                    super::file_item(file)?,
                    super::MUST_BE_NEW,
                    &[],
                )?,
                self.count(
                    &self.files,
                    &file.owner,
                    "ADD files :one, bytes :size",
                    "attribute_exists(files) AND files < :max AND bytes <= :room",
                    &[
                        (":one", n(1)),
                        (":size", n(file.size)),
                        (":max", n(max_files)),
                        (":room", n(room)),
                    ],
                )?,
            ];
            if self.transact(items).await? {
                return Ok(());
            }
            let fresh = self
                .get_owned(&self.files, &file.owner, file.id)
                .await?
                .is_none();
            let full = |c: &Item| {
                counted(c, "files") >= max_files as i64 || counted(c, "bytes") > room as i64
            };
            match self
                .why_failed(&self.files, &file.owner, fresh, full)
                .await?
            {
                Failed::Record => return Err(StoreError::AlreadyExists),
                Failed::Limit => return Err(StoreError::LimitReached),
                Failed::Retry => {}
            }
        }
        Err(StoreError::Changed)
    }

    pub(super) async fn delete_file_counted(
        &self,
        owner: &UserId,
        id: crate::domain::FileId,
    ) -> Result<(), StoreError> {
        let item = self
            .get_owned(&self.files, owner, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let size = super::number(&item, "size").unwrap_or(0).max(0);
        for _ in 0..TRIES {
            let items = vec![
                self.delete(&self.files, owner, &id.to_string(), super::MUST_EXIST, &[])?,
                self.count(
                    &self.files,
                    owner,
                    "ADD files :one, bytes :size",
                    "attribute_exists(files)",
                    &[(":one", n(-1)), (":size", n(-size))],
                )?,
            ];
            if self.transact(items).await? {
                return Ok(());
            }
            let there = self.get_owned(&self.files, owner, id).await?.is_some();
            match self
                .why_failed(&self.files, owner, there, |_| false)
                .await?
            {
                Failed::Record => return Err(StoreError::NotFound),
                Failed::Limit | Failed::Retry => {}
            }
        }
        Err(StoreError::Changed)
    }
}
