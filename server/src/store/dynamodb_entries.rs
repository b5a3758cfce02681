//! Entries (shared state with an expiry) on DynamoDB: table `<prefix>entries`, partition key
//! `key`; `body` (JSON), `version` (N) for conditional writes, `expiresAt` (N, the table's
//! TTL attribute). Expiry is checked in every condition and read, so an item DynamoDB's TTL
//! has not removed yet behaves as absent.

use std::collections::HashMap;

use aws_sdk_dynamodb::{Client, error::SdkError, types::AttributeValue};
use jiff::Timestamp;

use super::StoreError;
use crate::domain::{Cause, Entry};

fn backend(err: impl std::error::Error + Send + Sync + 'static) -> StoreError {
    StoreError::Backend(Cause::new(err))
}

fn n(value: impl ToString) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

/// The `entries` table of one store.
pub struct Entries<'a> {
    pub client: &'a Client,
    pub table: &'a str,
}

impl Entries<'_> {
    pub async fn get(&self, key: &str, now: Timestamp) -> Result<Option<Entry>, StoreError> {
        let found = self
            .client
            .get_item()
            .table_name(self.table)
            .key("key", AttributeValue::S(key.to_owned()))
            .consistent_read(true)
            .send()
            .await
            .map_err(backend)?;
        let Some(item) = found.item() else {
            return Ok(None);
        };
        let number = |name: &str| -> Option<i64> { item.get(name)?.as_n().ok()?.parse().ok() };
        let body = item
            .get("body")
            .and_then(|b| b.as_s().ok())
            .map(|b| serde_json::from_str(b))
            .transpose()
            .map_err(backend)?
            .unwrap_or_default();
        let entry = Entry {
            key: key.to_owned(),
            body,
            version: number("version").unwrap_or(0).max(0) as u64,
            expires_at: Timestamp::from_second(number("expiresAt").unwrap_or(0))
                .unwrap_or_default(),
        };
        Ok(entry.is_live(now).then_some(entry))
    }

    pub async fn put(
        &self,
        entry: &Entry,
        expected: Option<u64>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let body = serde_json::to_string(&entry.body).map_err(backend)?;
        let mut values = HashMap::from([(":now".to_owned(), n(now.as_second()))]);
        let mut names = None;
        let condition = match expected {
            None => {
                // `key` is a reserved word in expressions, hence the name placeholder.
                names = Some(HashMap::from([("#k".to_owned(), "key".to_owned())]));
                "attribute_not_exists(#k) OR expiresAt <= :now"
            }
            Some(version) => {
                values.insert(":v".into(), n(version));
                "version = :v AND expiresAt > :now"
            }
        };
        let result = self
            .client
            .put_item()
            .table_name(self.table)
            .item("key", AttributeValue::S(entry.key.clone()))
            .item("body", AttributeValue::S(body))
            .item("version", n(entry.version))
            .item("expiresAt", n(entry.expires_at.as_second()))
            .condition_expression(condition)
            .set_expression_attribute_names(names)
            .set_expression_attribute_values(Some(values))
            .send()
            .await;
        result
            .map(drop)
            .map_err(|e| changed_or_backend(e, |e| e.is_conditional_check_failed_exception()))
    }

    pub async fn delete(&self, key: &str, expected: u64, now: Timestamp) -> Result<(), StoreError> {
        let result = self
            .client
            .delete_item()
            .table_name(self.table)
            .key("key", AttributeValue::S(key.to_owned()))
            .condition_expression("version = :v AND expiresAt > :now")
            .expression_attribute_values(":v", n(expected))
            .expression_attribute_values(":now", n(now.as_second()))
            .send()
            .await;
        result
            .map(drop)
            .map_err(|e| changed_or_backend(e, |e| e.is_conditional_check_failed_exception()))
    }
}

/// A failed condition is `Changed`; anything else a backend failure.
fn changed_or_backend<E, R>(
    error: SdkError<E, R>,
    failed_condition: impl Fn(&E) -> bool,
) -> StoreError
where
    SdkError<E, R>: std::error::Error + Send + Sync + 'static,
{
    if error.as_service_error().is_some_and(failed_condition) {
        StoreError::Changed
    } else {
        backend(error)
    }
}
