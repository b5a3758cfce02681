//! Reminders on DynamoDB. The time index is a sparse GSI on `todos`, `reminders-index`:
//! partition key `remind_minute` (`YYYY-MM-DDTHH:MM`, UTC), sort key `remind_ms` (N), keys
//! only. A live todo with a next reminder carries both attributes, written by the same
//! `PutItem` (or transaction) as the todo itself, so nothing can leave them behind; a sweep
//! queries the minutes from its lookback to now, one small Query each, never a scan. The
//! index is eventually consistent: what it answers is checked by the claim's conditions on
//! the table itself (`remind_ms = :at`), so a stale answer costs one failed condition.
//!
//! A claim is one `TransactWriteItems`: the todo's `remind_*` moved on (conditional on
//! `remind_ms`), the claim entry in `entries` (created only if absent or expired), the action
//! token in `entries`, and the notification, an item `#notification#<id>` in
//! `chat_conversations` (partitioned by owner, with a TTL, like change records; no
//! `updatedAt`, so outside the conversation list's index).

use std::collections::HashMap;

use aws_sdk_dynamodb::{
    operation::transact_write_items::TransactWriteItemsError,
    types::{AttributeValue, Put, TransactWriteItem, Update},
};
use jiff::{SignedDuration, Timestamp};

use super::{DynamoStore, Item, backend, number, s};
use crate::{
    domain::{DueReminder, Entry, ReminderClaim, TodoId, UserId, reminder::minute_bucket},
    store::StoreError,
};

pub const INDEX: &str = "reminders-index";
pub const MINUTE: &str = "remind_minute";
pub const MS: &str = "remind_ms";

const PREFIX: &str = "#notification#";
/// Sorts after every `#notification#<id>` (ids are hex digits and hyphens).
const AFTER_EVERY_ID: &str = "#notification#~";

fn n(value: impl ToString) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

/// The index's two attributes for a reminder due at `at`.
pub fn index_keys(at: Timestamp) -> [(String, AttributeValue); 2] {
    [
        (MINUTE.to_owned(), s(&minute_bucket(at))),
        (MS.to_owned(), n(at.as_millisecond())),
    ]
}

/// An entry as an `entries` item.
fn entry_item(entry: &Entry) -> Result<Item, StoreError> {
    Ok(Item::from([
        ("key".to_owned(), s(&entry.key)),
        (
            "body".to_owned(),
            s(&serde_json::to_string(&entry.body).map_err(backend)?),
        ),
        ("version".to_owned(), n(entry.version)),
        ("expiresAt".to_owned(), n(entry.expires_at.as_second())),
    ]))
}

fn notification_from(item: &Item) -> Result<Entry, StoreError> {
    let id = item
        .get("sessionId")
        .and_then(|v| v.as_s().ok())
        .and_then(|v| v.strip_prefix(PREFIX))
        .unwrap_or_default();
    let body = item
        .get("body")
        .and_then(|b| b.as_s().ok())
        .map(|b| serde_json::from_str(b))
        .transpose()
        .map_err(backend)?
        .unwrap_or_default();
    Ok(Entry {
        key: id.to_owned(),
        body,
        version: number(item, "version").unwrap_or(0).max(0) as u64,
        expires_at: Timestamp::from_second(number(item, "expiresAt").unwrap_or(0))
            .unwrap_or_default(),
    })
}

/// What failed in a canceled claim, by position: the todo's condition, then the claim's.
enum Refused {
    /// The todo's next reminder is no longer the one claimed.
    Moved,
    /// Another sweep holds the claim.
    Taken,
}

fn refused(error: &TransactWriteItemsError) -> Option<Refused> {
    let TransactWriteItemsError::TransactionCanceledException(canceled) = error else {
        return None;
    };
    let failed = |i: usize| {
        canceled
            .cancellation_reasons()
            .get(i)
            .and_then(|r| r.code())
            == Some("ConditionalCheckFailed")
    };
    if failed(0) {
        Some(Refused::Moved)
    } else if failed(1) {
        Some(Refused::Taken)
    } else {
        None
    }
}

impl DynamoStore {
    pub(super) async fn due_reminders_in(
        &self,
        since: Timestamp,
        now: Timestamp,
        limit: usize,
    ) -> Result<Vec<DueReminder>, StoreError> {
        let mut due = Vec::new();
        let mut minute =
            Timestamp::from_second(since.as_second() - since.as_second().rem_euclid(60))
                .map_err(backend)?;
        while minute <= now && due.len() < limit {
            let mut start = None;
            loop {
                let page = self
                    .client
                    .query()
                    .table_name(&self.todos)
                    .index_name(INDEX)
                    .key_condition_expression("#m = :m AND #ms BETWEEN :lo AND :hi")
                    .expression_attribute_names("#m", MINUTE)
                    .expression_attribute_names("#ms", MS)
                    .expression_attribute_values(":m", s(&minute_bucket(minute)))
                    .expression_attribute_values(":lo", n(since.as_millisecond()))
                    .expression_attribute_values(":hi", n(now.as_millisecond()))
                    .set_limit(self.page_limit)
                    .set_exclusive_start_key(start)
                    .send()
                    .await
                    .map_err(backend)?;
                for item in page.items() {
                    let text = |key: &str| item.get(key).and_then(|v| v.as_s().ok());
                    let found = (
                        text("owner"),
                        text("id").and_then(|id| TodoId::parse(id).ok()),
                        number(item, MS).and_then(|ms| Timestamp::from_millisecond(ms).ok()),
                    );
                    if let (Some(owner), Some(todo), Some(at)) = found
                        && due.len() < limit
                    {
                        due.push(DueReminder {
                            owner: UserId::from_verified_sub(owner.clone()),
                            todo,
                            at,
                        });
                    }
                }
                match page.last_evaluated_key() {
                    Some(key) if !key.is_empty() && due.len() < limit => {
                        start = Some(key.clone());
                    }
                    _ => break,
                }
            }
            minute = minute
                .checked_add(SignedDuration::from_mins(1))
                .map_err(backend)?;
        }
        due.sort_by_key(|d| d.at);
        Ok(due)
    }

    /// The update of the todo's `remind_*` from `claim.due.at` to `claim.next`.
    fn move_reminder(&self, claim: &ReminderClaim) -> Result<Update, StoreError> {
        let due = &claim.due;
        let mut values = HashMap::from([(":at".to_owned(), n(due.at.as_millisecond()))]);
        let mut names = HashMap::from([("#ms".to_owned(), MS.to_owned())]);
        let expression = match claim.next {
            Some(next) => {
                let [(_, minute), (_, ms)] = index_keys(next);
                values.insert(":next".into(), s(&crate::domain::rfc3339(next)));
                values.insert(":minute".into(), minute);
                values.insert(":ms".into(), ms);
                names.insert("#m".into(), MINUTE.to_owned());
                "SET remind_at = :next, #m = :minute, #ms = :ms"
            }
            None => {
                names.insert("#m".into(), MINUTE.to_owned());
                "REMOVE remind_at, #m, #ms"
            }
        };
        Update::builder()
            .table_name(&self.todos)
            .key("owner", s(due.owner.as_str()))
            .key("id", s(&due.todo.to_string()))
            .update_expression(expression)
            .condition_expression("#ms = :at")
            .set_expression_attribute_names(Some(names))
            .set_expression_attribute_values(Some(values))
            .build()
            .map_err(backend)
    }

    pub(super) async fn claim_reminder_in(
        &self,
        claim: &ReminderClaim,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let key_name = HashMap::from([("#k".to_owned(), "key".to_owned())]);
        let claim_put = Put::builder()
            .table_name(&self.entries)
            .set_item(Some(entry_item(&claim.claim)?))
            .condition_expression("attribute_not_exists(#k) OR expiresAt <= :now")
            .set_expression_attribute_names(Some(key_name.clone()))
            .expression_attribute_values(":now", n(now.as_second()))
            .build()
            .map_err(backend)?;
        let token_put = Put::builder()
            .table_name(&self.entries)
            .set_item(Some(entry_item(&claim.token)?))
            .condition_expression("attribute_not_exists(#k)")
            .set_expression_attribute_names(Some(key_name))
            .build()
            .map_err(backend)?;
        let note = &claim.notification;
        let note_item = Item::from([
            ("owner".to_owned(), s(claim.due.owner.as_str())),
            ("sessionId".to_owned(), s(&format!("{PREFIX}{}", note.key))),
            (
                "body".to_owned(),
                s(&serde_json::to_string(&note.body).map_err(backend)?),
            ),
            ("version".to_owned(), n(note.version)),
            ("expiresAt".to_owned(), n(note.expires_at.as_second())),
        ]);
        let note_put = Put::builder()
            .table_name(&self.chat_conversations)
            .set_item(Some(note_item))
            .build()
            .map_err(backend)?;
        let items = vec![
            TransactWriteItem::builder()
                .update(self.move_reminder(claim)?)
                .build(),
            TransactWriteItem::builder().put(claim_put).build(),
            TransactWriteItem::builder().put(token_put).build(),
            TransactWriteItem::builder().put(note_put).build(),
        ];
        let result = self
            .client
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await;
        let error = match result {
            Ok(_) => return Ok(true),
            Err(e) => e,
        };
        match error.as_service_error().and_then(refused) {
            Some(Refused::Moved) => Ok(false),
            Some(Refused::Taken) => {
                // Moved on all the same, so a reminder put back by an edit made before the
                // claim does not stay due; a failed condition means it moved already.
                let update = self.move_reminder(claim)?;
                let moved = self
                    .client
                    .update_item()
                    .table_name(&self.todos)
                    .set_key(Some(update.key().clone()))
                    .update_expression(update.update_expression())
                    .set_condition_expression(update.condition_expression().map(str::to_owned))
                    .set_expression_attribute_names(update.expression_attribute_names().cloned())
                    .set_expression_attribute_values(update.expression_attribute_values().cloned())
                    .send()
                    .await;
                match moved {
                    Ok(_) => Ok(false),
                    Err(e)
                        if e.as_service_error()
                            .is_some_and(|e| e.is_conditional_check_failed_exception()) =>
                    {
                        Ok(false)
                    }
                    Err(e) => Err(backend(e)),
                }
            }
            // A conflict with a concurrent write, or a failure: nothing was written, and the
            // reminder is still due for the next sweep.
            None => Err(backend(error)),
        }
    }

    pub(super) async fn notifications_of(
        &self,
        owner: &UserId,
        limit: usize,
        now: Timestamp,
    ) -> Result<Vec<Entry>, StoreError> {
        let mut found = Vec::new();
        let mut start = None;
        while found.len() < limit {
            let page = self
                .client
                .query()
                .table_name(&self.chat_conversations)
                .key_condition_expression("#o = :o AND sessionId BETWEEN :lo AND :hi")
                .expression_attribute_names("#o", "owner")
                .expression_attribute_values(":o", s(owner.as_str()))
                .expression_attribute_values(":lo", s(PREFIX))
                .expression_attribute_values(":hi", s(AFTER_EVERY_ID))
                .scan_index_forward(false)
                .consistent_read(true)
                .set_limit(self.page_limit)
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(backend)?;
            for item in page.items() {
                let entry = notification_from(item)?;
                if entry.is_live(now) && found.len() < limit {
                    found.push(entry);
                }
            }
            match page.last_evaluated_key() {
                Some(key) if !key.is_empty() => start = Some(key.clone()),
                _ => break,
            }
        }
        Ok(found)
    }
}
