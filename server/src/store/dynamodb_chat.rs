//! Chat sessions on DynamoDB, within its 400 KB item limit whatever the conversation's
//! length: the session item (`<prefix>chat_sessions`, key `owner`) holds the metadata, the
//! agent's memory and the ordered list of its messages' content hashes; each message is
//! its own item in `<prefix>chat_messages` (key `sessionId` + `hash`). A save writes only
//! the messages that are new or changed and deletes the ones no longer listed; a load
//! reads the list, then the messages in batches.
//!
//! Message items expire (TTL `expiresAt`) 30 days after the session would; the list records
//! when each was written, and a save rewrites a message whose expiry is less than 23 days
//! ahead of the session's, so a conversation kept alive loses nothing, and one abandoned
//! (or replaced by a new chat) leaves nothing behind for long.

use std::collections::{HashMap, HashSet};

use app::wire::chat::ChatMessage;
use aws_sdk_dynamodb::{
    Client,
    types::{AttributeValue, DeleteRequest, KeysAndAttributes, PutRequest, WriteRequest},
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::StoreError;
use crate::domain::{AgentMemory, Cause, ChatSession, UserId};

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
    session_id: String,
    expires_at: i64,
    time_zone: String,
    memory: AgentMemory,
    messages: Vec<Listed>,
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
    async fn head(&self, owner: &UserId) -> Result<Option<SessionHead>, StoreError> {
        let found = self
            .client
            .get_item()
            .table_name(self.sessions)
            .key("owner", s(owner.as_str()))
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

    pub async fn load(&self, owner: &UserId) -> Result<Option<ChatSession>, StoreError> {
        let Some(head) = self.head(owner).await? else {
            return Ok(None);
        };
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
                        ("sessionId".to_owned(), s(&head.session_id)),
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
            time_zone: head.time_zone,
            messages,
            memory: head.memory,
        }))
    }

    pub async fn save(&self, session: &ChatSession) -> Result<(), StoreError> {
        // hash -> expiry of its item, as last written.
        let before: HashMap<String, i64> = match self.head(&session.owner).await? {
            Some(head) if head.session_id == session.session_id => head
                .messages
                .into_iter()
                .map(|m| (m.hash, m.expires_at))
                .collect(),
            _ => HashMap::new(),
        };
        let fresh_expiry = session.expires_at + MESSAGE_MARGIN_SECONDS;
        let mut listed: Vec<Listed> = Vec::with_capacity(session.messages.len());
        let mut writes = Vec::new();
        let mut written: HashMap<String, i64> = HashMap::new();
        for message in &session.messages {
            let (h, json) = hash(message)?;
            let expiry = match (written.get(&h), before.get(&h)) {
                (Some(expiry), _) => *expiry,
                (None, Some(expiry)) if expiry - session.expires_at >= REFRESH_BELOW_SECONDS => {
                    *expiry
                }
                _ => {
                    let put = PutRequest::builder()
                        .item("sessionId", s(&session.session_id))
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
            session_id: session.session_id.clone(),
            expires_at: session.expires_at,
            time_zone: session.time_zone.clone(),
            memory: session.memory.clone(),
            messages: listed,
        };
        let body = serde_json::to_string(&head).map_err(backend)?;
        self.client
            .put_item()
            .table_name(self.sessions)
            .item("owner", s(session.owner.as_str()))
            .item("sessionId", s(&session.session_id))
            .item(
                "expiresAt",
                AttributeValue::N(session.expires_at.to_string()),
            )
            .item("body", AttributeValue::S(body))
            .send()
            .await
            .map_err(backend)?;
        let mut deletes = Vec::new();
        for gone in before.keys().filter(|h| !written.contains_key(*h)) {
            let delete = DeleteRequest::builder()
                .key("sessionId", s(&session.session_id))
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
