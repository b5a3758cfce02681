//! Reminders in the embedded store. `reminder_index`: (due moment in ms, owner sub, todo id)
//! -> (), one key per live todo with a next reminder, moved in the same transaction as every
//! write of the todo (`replace_todo` calls [`reindex`]), so a sweep reads what is due as one
//! range. `notifications`: (owner sub, notification id) -> JSON of its [`Entry`] (ids are
//! UUIDv7: an owner's range backwards is newest first); expired ones found by a listing are
//! removed by it.

use jiff::Timestamp;
use redb::{ReadableTable, TableDefinition, WriteTransaction};

use super::{ENTRIES, EmbeddedStore, TODOS, backend, decode, encode};
use crate::{
    domain::{DueReminder, Entry, ReminderClaim, Todo, TodoId, UserId},
    store::StoreError,
};

/// (due moment in ms since the epoch, owner sub, todo id) -> ().
pub(super) const REMINDER_INDEX: TableDefinition<(i64, &str, &str), ()> =
    TableDefinition::new("reminder_index");
/// (owner sub, notification id) -> JSON of [`Entry`].
pub(super) const NOTIFICATIONS: TableDefinition<(&str, &str), &[u8]> =
    TableDefinition::new("notifications");

/// Moves the todo's key in the time index from `old` to `new` (either may be none).
pub(super) fn reindex(
    txn: &WriteTransaction,
    owner: &str,
    id: &str,
    old: Option<Timestamp>,
    new: Option<Timestamp>,
) -> Result<(), StoreError> {
    if old == new {
        return Ok(());
    }
    let mut index = txn.open_table(REMINDER_INDEX).map_err(backend)?;
    if let Some(old) = old {
        index
            .remove((old.as_millisecond(), owner, id))
            .map_err(backend)?;
    }
    if let Some(new) = new {
        index
            .insert((new.as_millisecond(), owner, id), ())
            .map_err(backend)?;
    }
    Ok(())
}

impl EmbeddedStore {
    pub(super) async fn due_reminders_in(
        &self,
        since: Timestamp,
        now: Timestamp,
        limit: usize,
    ) -> Result<Vec<DueReminder>, StoreError> {
        self.blocking(move |db| {
            let txn = db.begin_read().map_err(backend)?;
            let index = txn.open_table(REMINDER_INDEX).map_err(backend)?;
            let (from, to) = (since.as_millisecond(), now.as_millisecond());
            let mut due = Vec::new();
            // Upper bound exclusive at the next millisecond: every key due at `now` is in.
            for row in index
                .range((from, "", "")..(to.saturating_add(1), "", ""))
                .map_err(backend)?
            {
                if due.len() >= limit {
                    break;
                }
                let (key, _) = row.map_err(backend)?;
                let (at, owner, id) = key.value();
                let (Ok(todo), Ok(at)) = (TodoId::parse(id), Timestamp::from_millisecond(at))
                else {
                    continue;
                };
                due.push(DueReminder {
                    owner: UserId::from_verified_sub(owner),
                    todo,
                    at,
                });
            }
            Ok(due)
        })
        .await
    }

    pub(super) async fn claim_reminder_in(
        &self,
        claim: &ReminderClaim,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let (claim, cache) = (claim.clone(), self.todos.clone());
        self.blocking(move |db| {
            let owner = claim.due.owner.as_str();
            let id = claim.due.todo.to_string();
            let txn = db.begin_write().map_err(backend)?;
            let claimed = {
                let mut todos = txn.open_table(TODOS).map_err(backend)?;
                let current: Option<Todo> = todos
                    .get((owner, id.as_str()))
                    .map_err(backend)?
                    .map(|v| decode(v.value()))
                    .transpose()?;
                let Some(mut todo) = current.filter(|t| t.indexed_reminder() == Some(claim.due.at))
                else {
                    // Moved or gone since the index was read: nothing to take.
                    return Ok(false);
                };
                let mut entries = txn.open_table(ENTRIES).map_err(backend)?;
                let taken: Option<Entry> = entries
                    .get(claim.claim.key.as_str())
                    .map_err(backend)?
                    .map(|v| decode(v.value()))
                    .transpose()?;
                let claimed = !taken.is_some_and(|e| e.is_live(now));
                // Moved on either way: a reminder put back by an edit made before the
                // claim must not stay due.
                todo.remind_at = claim.next;
                todos
                    .insert((owner, id.as_str()), encode(&todo)?.as_slice())
                    .map_err(backend)?;
                if claimed {
                    for entry in [&claim.claim, &claim.token] {
                        entries
                            .insert(entry.key.as_str(), encode(entry)?.as_slice())
                            .map_err(backend)?;
                    }
                    let mut notifications = txn.open_table(NOTIFICATIONS).map_err(backend)?;
                    let note = &claim.notification;
                    notifications
                        .insert((owner, note.key.as_str()), encode(note)?.as_slice())
                        .map_err(backend)?;
                }
                claimed
            };
            reindex(&txn, owner, &id, Some(claim.due.at), claim.next)?;
            txn.commit().map_err(backend)?;
            cache.written(owner);
            Ok(claimed)
        })
        .await
    }

    pub(super) async fn notifications_of(
        &self,
        owner: &UserId,
        limit: usize,
        now: Timestamp,
    ) -> Result<Vec<Entry>, StoreError> {
        let owner = owner.as_str().to_owned();
        self.blocking(move |db| {
            let (mut live, mut expired) = (Vec::new(), Vec::new());
            {
                let txn = db.begin_read().map_err(backend)?;
                let table = txn.open_table(NOTIFICATIONS).map_err(backend)?;
                let range = table
                    .range((owner.as_str(), "")..(owner.as_str(), "~"))
                    .map_err(backend)?;
                for row in range.rev() {
                    let (key, value) = row.map_err(backend)?;
                    let entry: Entry = decode(value.value())?;
                    if !entry.is_live(now) {
                        expired.push(key.value().1.to_owned());
                    } else if live.len() < limit {
                        live.push(entry);
                    }
                }
            }
            if !expired.is_empty() {
                let txn = db.begin_write().map_err(backend)?;
                {
                    let mut table = txn.open_table(NOTIFICATIONS).map_err(backend)?;
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
