//! Change records on DynamoDB: items in `chat_conversations`, partition key `owner`, sort
//! key `sessionId` = `#change#<change id>`, with `body` (JSON), `version` (N, every write
//! conditional on it) and `expiresAt` (N, the table's TTL attribute). That table is already
//! partitioned by owner with a TTL, so the activity log is one Query (ids are UUIDv7:
//! newest first is the key order backwards) and no table is added; the items have no
//! `updatedAt`, so they are outside `updated-index`, which is all the conversation list
//! and "the latest conversation" read. Expiry is checked on every read and condition.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use jiff::Timestamp;

use super::{DynamoStore, Item, backend, number, s};
use crate::{
    domain::{ChangeId, Entry, UserId},
    store::StoreError,
};

const PREFIX: &str = "#change#";
/// Sorts after every `#change#<id>` (ids are hex digits and hyphens).
const AFTER_EVERY_ID: &str = "#change#~";

fn n(value: impl ToString) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

fn sort_key(id: ChangeId) -> String {
    format!("{PREFIX}{id}")
}

fn entry_from(item: &Item) -> Result<Entry, StoreError> {
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

impl DynamoStore {
    pub(super) async fn change_of(
        &self,
        owner: &UserId,
        id: ChangeId,
        now: Timestamp,
    ) -> Result<Option<Entry>, StoreError> {
        let found = self
            .client
            .get_item()
            .table_name(&self.chat_conversations)
            .key("owner", s(owner.as_str()))
            .key("sessionId", s(&sort_key(id)))
            .consistent_read(true)
            .send()
            .await
            .map_err(backend)?;
        let Some(item) = found.item() else {
            return Ok(None);
        };
        let entry = entry_from(item)?;
        Ok(entry.is_live(now).then_some(entry))
    }

    pub(super) async fn put_change_checked(
        &self,
        owner: &UserId,
        id: ChangeId,
        entry: &Entry,
        expected: Option<u64>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let body = serde_json::to_string(&entry.body).map_err(backend)?;
        let mut values = HashMap::from([(":now".to_owned(), n(now.as_second()))]);
        let condition = match expected {
            None => "attribute_not_exists(sessionId) OR expiresAt <= :now",
            Some(version) => {
                values.insert(":v".into(), n(version));
                "version = :v AND expiresAt > :now"
            }
        };
        let item = Item::from([
            ("owner".to_owned(), s(owner.as_str())),
            ("sessionId".to_owned(), s(&sort_key(id))),
            ("body".to_owned(), AttributeValue::S(body)),
            ("version".to_owned(), n(entry.version)),
            ("expiresAt".to_owned(), n(entry.expires_at.as_second())),
        ]);
        let written = self
            .put_when(&self.chat_conversations, item, condition, Some(values))
            .await?;
        if written {
            Ok(())
        } else {
            Err(StoreError::Changed)
        }
    }

    pub(super) async fn changes_of(
        &self,
        owner: &UserId,
        before: Option<ChangeId>,
        limit: usize,
        now: Timestamp,
    ) -> Result<Vec<Entry>, StoreError> {
        let upper = before.map_or_else(|| AFTER_EVERY_ID.to_owned(), sort_key);
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
                .expression_attribute_values(":hi", s(&upper))
                .scan_index_forward(false)
                .consistent_read(true)
                .set_limit(self.page_limit)
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(backend)?;
            for item in page.items() {
                let entry = entry_from(item)?;
                // BETWEEN includes its bounds: the cursor's own record came on the last page.
                let is_cursor = item.get("sessionId").and_then(|v| v.as_s().ok()) == Some(&upper);
                if !is_cursor && entry.is_live(now) && found.len() < limit {
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
