//! Change records in the embedded store: table `changes`, (owner sub, change id) -> JSON of
//! the record's [`Entry`]. Ids are UUIDv7, so an owner's range read backwards is newest
//! first. Expired records found by a listing are removed by it (one write, only then), so
//! the table holds about the retention's worth of changes.

use redb::TableDefinition;

use super::{EmbeddedStore, backend, change_owned, decode};
use crate::{
    domain::{ChangeId, Entry, UserId},
    store::StoreError,
};
use jiff::Timestamp;

/// (owner sub, change id) -> JSON of [`Entry`].
pub(super) const CHANGES: TableDefinition<(&str, &str), &[u8]> = TableDefinition::new("changes");

/// Sorts after every id (ids are hex digits and hyphens).
const AFTER_EVERY_ID: &str = "~";

impl EmbeddedStore {
    pub(super) async fn change_of(
        &self,
        owner: &UserId,
        id: ChangeId,
        now: Timestamp,
    ) -> Result<Option<Entry>, StoreError> {
        let (owner, id) = (owner.as_str().to_owned(), id.to_string());
        self.blocking(move |db| {
            let txn = db.begin_read().map_err(backend)?;
            let table = txn.open_table(CHANGES).map_err(backend)?;
            let found = table.get((owner.as_str(), id.as_str())).map_err(backend)?;
            let entry: Option<Entry> = found.map(|v| decode(v.value())).transpose()?;
            Ok(entry.filter(|e| e.is_live(now)))
        })
        .await
    }

    pub(super) async fn put_change_checked(
        &self,
        owner: &UserId,
        id: ChangeId,
        entry: &Entry,
        expected: Option<u64>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let (owner, id, entry) = (owner.as_str().to_owned(), id.to_string(), entry.clone());
        self.blocking(move |db| {
            change_owned(
                db,
                CHANGES,
                &owner,
                &id,
                Some(&entry),
                |current: Option<Entry>| match (current.filter(|c| c.is_live(now)), expected) {
                    (None, None) => Ok(()),
                    (Some(current), Some(version)) if current.version == version => Ok(()),
                    _ => Err(StoreError::Changed),
                },
            )
        })
        .await
    }

    pub(super) async fn changes_of(
        &self,
        owner: &UserId,
        before: Option<ChangeId>,
        limit: usize,
        now: Timestamp,
    ) -> Result<Vec<Entry>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let owner = owner.as_str().to_owned();
        let before = before.map_or_else(|| AFTER_EVERY_ID.to_owned(), |id| id.to_string());
        self.blocking(move |db| {
            let (mut live, mut expired) = (Vec::new(), Vec::new());
            {
                let txn = db.begin_read().map_err(backend)?;
                let table = txn.open_table(CHANGES).map_err(backend)?;
                let range = table
                    .range((owner.as_str(), "")..(owner.as_str(), before.as_str()))
                    .map_err(backend)?;
                for row in range.rev() {
                    let (key, value) = row.map_err(backend)?;
                    let entry: Entry = decode(value.value())?;
                    if !entry.is_live(now) {
                        expired.push(key.value().1.to_owned());
                        continue;
                    }
                    live.push(entry);
                    if live.len() >= limit {
                        break;
                    }
                }
            }
            if !expired.is_empty() {
                let txn = db.begin_write().map_err(backend)?;
                {
                    let mut table = txn.open_table(CHANGES).map_err(backend)?;
                    for id in &expired {
                        table
                            .remove((owner.as_str(), id.as_str()))
                            .map_err(backend)?;
                    }
                }
                txn.commit().map_err(backend)?;
            }
            Ok(live)
        })
        .await
    }
}
