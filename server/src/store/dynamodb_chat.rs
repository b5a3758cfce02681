//! Conversations on DynamoDB, within its 400 KB item limit whatever a conversation's
//! length: the conversation item (`<prefix>chat_conversations`, key `owner` + `sessionId`)
//! holds the metadata, the agent's memory and the ordered list of its messages' content
//! hashes in `body`, and beside it what the list shows (`title`, `updatedAt`,
//! `messageCount`); each message is its own item in `<prefix>chat_messages` (key
//! `sessionId` + `hash`). A save writes only the messages that are new or changed and
//! deletes the ones no longer listed; a load reads the list, then the messages in batches.
//! The local secondary index `updated-index` (`owner` + `updatedAt`, projecting only the
//! list's attributes) answers "newest first" and "the latest one" with one Query, read
//! consistently (an LSI allows it, a GSI would not).
//!
//! A conversation item expires (TTL `expiresAt`) a year after its last use (an empty one when
//! it stops being current). Message items expire 30 days after their conversation would;
//! the list records when each was written, and a save rewrites a message whose expiry is less
//! than 23 days ahead of the conversation's, so a conversation kept loses nothing, and one
//! removed leaves nothing behind for long.

use std::collections::{HashMap, HashSet};

use app::wire::chat::ChatMessage;
use aws_sdk_dynamodb::{
    Client,
    types::{AttributeValue, DeleteRequest, KeysAndAttributes, PutRequest, WriteRequest},
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::StoreError;
use crate::domain::{
    AgentMemory, Cause, ChatSession, ChatSummary, ConversationCursor, ConversationId,
    ConversationPage, LastTurn, UserId,
};

/// The index that lists a user's conversations by last use.
pub const UPDATED_INDEX: &str = "updated-index";
/// The attributes it carries besides the keys.
pub const UPDATED_INDEX_ATTRIBUTES: [&str; 3] = ["title", "messageCount", "expiresAt"];

fn backend(err: impl std::error::Error + Send + Sync + 'static) -> StoreError {
    StoreError::Backend(Cause::new(err))
}

fn s(value: &str) -> AttributeValue {
    AttributeValue::S(value.to_owned())
}

/// The session item's body: the session without its messages, which are listed by hash.
#[derive(Serialize, Deserialize)]
struct SessionHead {
    owner: UserId,
    session_id: ConversationId,
    expires_at: i64,
    #[serde(default)]
    updated_at_ms: i64,
    time_zone: String,
    memory: AgentMemory,
    messages: Vec<Listed>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_turn: Option<LastTurn>,
    #[serde(default)]
    agent_epoch: u32,
}

/// A message of the session: its hash, and when its item expires.
#[derive(Clone, Serialize, Deserialize)]
struct Listed {
    hash: String,
    expires_at: i64,
}

/// Message items outlive their session's expiry by this much...
const MESSAGE_MARGIN_SECONDS: i64 = 30 * 24 * 60 * 60;
/// ...and are rewritten when less than this is left.
const REFRESH_BELOW_SECONDS: i64 = 23 * 24 * 60 * 60;

/// A message's key within its session: its content's digest (equal messages share one).
fn hash(message: &ChatMessage) -> Result<(String, String), StoreError> {
    let json = serde_json::to_string(message).map_err(backend)?;
    let digest = Sha256::digest(json.as_bytes());
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    Ok((hex, json))
}

pub struct Sessions<'a> {
    pub client: &'a Client,
    pub sessions: &'a str,
    pub messages: &'a str,
}

impl Sessions<'_> {
    async fn head(
        &self,
        owner: &UserId,
        id: ConversationId,
    ) -> Result<Option<SessionHead>, StoreError> {
        let found = self
            .client
            .get_item()
            .table_name(self.sessions)
            .key("owner", s(owner.as_str()))
            .key("sessionId", s(&id.to_string()))
            .consistent_read(true)
            .send()
            .await
            .map_err(backend)?;
        let Some(body) = found
            .item()
            .and_then(|item| item.get("body"))
            .and_then(|b| b.as_s().ok())
        else {
            return Ok(None);
        };
        serde_json::from_str(body).map(Some).map_err(backend)
    }

    /// The conversation used last (one item of the index, then the conversation).
    pub async fn latest(&self, owner: &UserId) -> Result<Option<ChatSession>, StoreError> {
        let page = self
            .client
            .query()
            .table_name(self.sessions)
            .index_name(UPDATED_INDEX)
            .key_condition_expression("#o = :o")
            .expression_attribute_names("#o", "owner")
            .expression_attribute_values(":o", s(owner.as_str()))
            .scan_index_forward(false)
            .limit(1)
            .consistent_read(true)
            .send()
            .await
            .map_err(backend)?;
        match page
            .items()
            .first()
            .and_then(|item| item.get("sessionId"))
            .and_then(|v| v.as_s().ok())
        {
            Some(id) => {
                let id = ConversationId::parse(id).map_err(backend)?;
                self.load(owner, id).await
            }
            None => Ok(None),
        }
    }

    /// A page of the owner's conversations with messages, newest first.
    pub async fn list(
        &self,
        owner: &UserId,
        after: Option<ConversationCursor>,
        limit: usize,
        now: jiff::Timestamp,
    ) -> Result<ConversationPage, StoreError> {
        let mut start = after.map(|cursor| {
            HashMap::from([
                ("owner".to_owned(), s(owner.as_str())),
                ("sessionId".to_owned(), s(&cursor.session_id.to_string())),
                (
                    "updatedAt".to_owned(),
                    AttributeValue::N(cursor.updated_at_ms.to_string()),
                ),
            ])
        });
        let mut found: Vec<ChatSummary> = Vec::new();
        // One more than asked for: whether a next page exists, without an empty last page.
        while found.len() <= limit {
            let want = i32::try_from(limit + 1 - found.len()).unwrap_or(i32::MAX);
            let page = self
                .client
                .query()
                .table_name(self.sessions)
                .index_name(UPDATED_INDEX)
                .key_condition_expression("#o = :o")
                // TTL deletes within days, not at once: expired items are skipped here.
                .filter_expression("messageCount > :zero AND expiresAt > :now")
                .expression_attribute_names("#o", "owner")
                .expression_attribute_values(":o", s(owner.as_str()))
                .expression_attribute_values(":zero", AttributeValue::N("0".into()))
                .expression_attribute_values(":now", AttributeValue::N(now.as_second().to_string()))
                .scan_index_forward(false)
                .limit(want)
                .set_exclusive_start_key(start.take())
                .consistent_read(true)
                .send()
                .await
                .map_err(backend)?;
            found.extend(page.items().iter().filter_map(summary_from));
            match page.last_evaluated_key() {
                Some(key) if !key.is_empty() => start = Some(key.clone()),
                _ => break,
            }
        }
        let more = found.len() > limit;
        found.truncate(limit);
        Ok(ConversationPage {
            next: found.last().filter(|_| more).map(ConversationCursor::after),
            conversations: found,
        })
    }

    /// Removes the conversation, then its messages; `NotFound` if there is none.
    pub async fn delete(&self, owner: &UserId, id: ConversationId) -> Result<(), StoreError> {
        let Some(head) = self.head(owner, id).await? else {
            return Err(StoreError::NotFound);
        };
        let id = &id.to_string();
        self.client
            .delete_item()
            .table_name(self.sessions)
            .key("owner", s(owner.as_str()))
            .key("sessionId", s(id))
            .send()
            .await
            .map_err(backend)?;
        let mut deletes = Vec::new();
        for hash in head
            .messages
            .iter()
            .map(|m| &m.hash)
            .collect::<HashSet<_>>()
        {
            let delete = DeleteRequest::builder()
                .key("sessionId", s(id))
                .key("hash", s(hash))
                .build()
                .map_err(backend)?;
            deletes.push(WriteRequest::builder().delete_request(delete).build());
        }
        self.write_all(deletes).await
    }

    pub async fn load(
        &self,
        owner: &UserId,
        id: ConversationId,
    ) -> Result<Option<ChatSession>, StoreError> {
        let Some(head) = self.head(owner, id).await? else {
            return Ok(None);
        };
        let session_id = head.session_id.to_string();
        let mut bodies: HashMap<String, ChatMessage> = HashMap::new();
        let unique: Vec<&String> = head
            .messages
            .iter()
            .map(|m| &m.hash)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        for batch in unique.chunks(100) {
            let keys: Vec<HashMap<String, AttributeValue>> = batch
                .iter()
                .map(|h| {
                    HashMap::from([
                        ("sessionId".to_owned(), s(&session_id)),
                        ("hash".to_owned(), s(h)),
                    ])
                })
                .collect();
            let mut request = Some(
                KeysAndAttributes::builder()
                    .set_keys(Some(keys))
                    .consistent_read(true)
                    .build()
                    .map_err(backend)?,
            );
            while let Some(keys) = request.take() {
                let answer = self
                    .client
                    .batch_get_item()
                    .request_items(self.messages, keys)
                    .send()
                    .await
                    .map_err(backend)?;
                for item in answer
                    .responses()
                    .and_then(|r| r.get(self.messages))
                    .into_iter()
                    .flatten()
                {
                    let (Some(h), Some(body)) = (
                        item.get("hash").and_then(|v| v.as_s().ok()),
                        item.get("body").and_then(|v| v.as_s().ok()),
                    ) else {
                        continue;
                    };
                    bodies.insert(h.clone(), serde_json::from_str(body).map_err(backend)?);
                }
                // DynamoDB may answer part of a batch; the rest is asked again.
                request = answer
                    .unprocessed_keys()
                    .and_then(|u| u.get(self.messages))
                    .filter(|k| !k.keys().is_empty())
                    .cloned();
            }
        }
        let messages = head
            .messages
            .iter()
            .filter_map(|m| bodies.get(&m.hash).cloned())
            .collect();
        Ok(Some(ChatSession {
            owner: head.owner,
            session_id: head.session_id,
            expires_at: head.expires_at,
            updated_at_ms: head.updated_at_ms,
            time_zone: head.time_zone,
            messages,
            memory: head.memory,
            last_turn: head.last_turn,
            agent_epoch: head.agent_epoch,
        }))
    }

    pub async fn save(&self, session: &ChatSession) -> Result<(), StoreError> {
        let session_id = session.session_id.to_string();
        // hash -> expiry of its item, as last written.
        let before: HashMap<String, i64> =
            match self.head(&session.owner, session.session_id).await? {
                Some(head) => head
                    .messages
                    .into_iter()
                    .map(|m| (m.hash, m.expires_at))
                    .collect(),
                _ => HashMap::new(),
            };
        let purge_at = session.purge_at().as_second();
        let fresh_expiry = purge_at + MESSAGE_MARGIN_SECONDS;
        let mut listed: Vec<Listed> = Vec::with_capacity(session.messages.len());
        let mut writes = Vec::new();
        let mut written: HashMap<String, i64> = HashMap::new();
        for message in &session.messages {
            let (h, json) = hash(message)?;
            let expiry = match (written.get(&h), before.get(&h)) {
                (Some(expiry), _) => *expiry,
                (None, Some(expiry)) if expiry - purge_at >= REFRESH_BELOW_SECONDS => *expiry,
                _ => {
                    let put = PutRequest::builder()
                        .item("sessionId", s(&session_id))
                        .item("hash", s(&h))
                        .item("body", AttributeValue::S(json))
                        .item("expiresAt", AttributeValue::N(fresh_expiry.to_string()))
                        .build()
                        .map_err(backend)?;
                    writes.push(WriteRequest::builder().put_request(put).build());
                    fresh_expiry
                }
            };
            written.insert(h.clone(), expiry);
            listed.push(Listed {
                hash: h,
                expires_at: expiry,
            });
        }
        // New messages first, then the list naming them: a reader never sees a name whose
        // message is missing. Messages no longer listed go last.
        self.write_all(writes).await?;
        let head = SessionHead {
            owner: session.owner.clone(),
            session_id: session.session_id,
            expires_at: session.expires_at,
            updated_at_ms: session.updated_at_ms,
            time_zone: session.time_zone.clone(),
            memory: session.memory.clone(),
            messages: listed,
            last_turn: session.last_turn.clone(),
            agent_epoch: session.agent_epoch,
        };
        let body = serde_json::to_string(&head).map_err(backend)?;
        self.client
            .put_item()
            .table_name(self.sessions)
            .item("owner", s(session.owner.as_str()))
            .item("sessionId", s(&session_id))
            .item("expiresAt", AttributeValue::N(purge_at.to_string()))
            .item(
                "updatedAt",
                AttributeValue::N(session.updated_at_ms.to_string()),
            )
            .item("title", s(&session.title()))
            .item(
                "messageCount",
                AttributeValue::N(session.messages.len().to_string()),
            )
            .item("body", AttributeValue::S(body))
            .send()
            .await
            .map_err(backend)?;
        let mut deletes = Vec::new();
        for gone in before.keys().filter(|h| !written.contains_key(*h)) {
            let delete = DeleteRequest::builder()
                .key("sessionId", s(&session_id))
                .key("hash", s(gone))
                .build()
                .map_err(backend)?;
            deletes.push(WriteRequest::builder().delete_request(delete).build());
        }
        self.write_all(deletes).await
    }

    /// BatchWriteItem in batches of 25, retrying what DynamoDB leaves unprocessed.
    async fn write_all(&self, requests: Vec<WriteRequest>) -> Result<(), StoreError> {
        for batch in requests.chunks(25) {
            let mut pending = batch.to_vec();
            for _ in 0..8 {
                if pending.is_empty() {
                    break;
                }
                let answer = self
                    .client
                    .batch_write_item()
                    .request_items(self.messages, pending)
                    .send()
                    .await
                    .map_err(backend)?;
                pending = answer
                    .unprocessed_items()
                    .and_then(|u| u.get(self.messages))
                    .cloned()
                    .unwrap_or_default();
            }
            if !pending.is_empty() {
                return Err(StoreError::Backend(Cause::msg(
                    "chat messages not written: DynamoDB kept refusing",
                )));
            }
        }
        Ok(())
    }
}

/// A line of the list, from the index's projection.
fn summary_from(item: &HashMap<String, AttributeValue>) -> Option<ChatSummary> {
    let number = |key: &str| item.get(key)?.as_n().ok()?.parse::<i64>().ok();
    Some(ChatSummary {
        session_id: ConversationId::parse(item.get("sessionId")?.as_s().ok()?).ok()?,
        title: item
            .get("title")
            .and_then(|v| v.as_s().ok())
            .cloned()
            .unwrap_or_default(),
        updated_at_ms: number("updatedAt")?,
        message_count: usize::try_from(number("messageCount")?).ok()?,
        purge_at: number("expiresAt")?,
    })
}
