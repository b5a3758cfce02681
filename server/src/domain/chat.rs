//! What a chat session stores: the transcript (folded from relayed events), the agent's
//! memory and the sliding expiry; and the record of an open WebSocket connection.

use app::wire::chat::{ChatMessage, ChatRole};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::{
    conversation::{CONVERSATION_RETENTION_SECONDS, ChatSummary, title_from},
    ids::{ConnectionId, ConversationId, FileId, UserId},
    memory::AgentMemory,
};

/// A conversation stays the current one this long after its last use; after that a new
/// message starts a new conversation (the old one stays in the list).
pub const SESSION_TTL_SECONDS: i64 = 30 * 60;
/// Oldest messages are dropped beyond this, so a session item stays small.
const MAX_MESSAGES: usize = 200;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatSession {
    pub owner: UserId,
    pub session_id: ConversationId,
    /// Unix seconds; after this the conversation is no longer the current one.
    pub expires_at: i64,
    /// Unix milliseconds of the last message (or "continue"): the list's order. The latest
    /// conversation, if still live, is the current one.
    #[serde(default)]
    pub updated_at_ms: i64,
    pub time_zone: String,
    pub messages: Vec<ChatMessage>,
    pub memory: AgentMemory,
    /// The last turn, if it can be replaced (edit and resend, regenerate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_turn: Option<LastTurn>,
    /// How many turns were replaced: agents that keep their own memory (Bedrock) start a
    /// fresh memory from the transcript when it changes.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub agent_epoch: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// What replacing the last turn needs: the agent's memory from before it. (Its messages are
/// the last user message and everything after it.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LastTurn {
    pub memory_before: AgentMemory,
    /// The files the message carried (a regenerated turn sends them again).
    #[serde(default)]
    pub file_ids: Vec<FileId>,
}

impl ChatSession {
    pub fn new(owner: UserId, now: Timestamp) -> Self {
        Self {
            owner,
            session_id: ConversationId::new(),
            expires_at: now.as_second() + SESSION_TTL_SECONDS,
            updated_at_ms: now.as_second() * 1000,
            time_zone: "UTC".into(),
            messages: Vec::new(),
            memory: AgentMemory::default(),
            last_turn: None,
            agent_epoch: 0,
        }
    }

    /// Marks it used at `now` (never earlier than it was): it moves to the top of the list
    /// and becomes the current conversation.
    pub fn mark_used(&mut self, now: Timestamp) {
        self.updated_at_ms = self.updated_at_ms.max(now.as_millisecond());
        self.touch(now);
    }

    /// Marks it used just after `other` (even within the same millisecond): it becomes the
    /// current one rather than `other`.
    pub fn mark_used_after(&mut self, other: &ChatSession) {
        self.updated_at_ms = self.updated_at_ms.max(other.updated_at_ms + 1);
        self.expires_at = self
            .expires_at
            .max(other.updated_at_ms.div_euclid(1000) + SESSION_TTL_SECONDS);
    }

    /// Its first message's first line.
    pub fn title(&self) -> String {
        self.messages
            .iter()
            .find(|m| m.role == ChatRole::User)
            .map(|m| title_from(&m.text))
            .unwrap_or_default()
    }

    /// When it is removed: a year after its last use; an empty one as soon as it is no
    /// longer current.
    pub fn purge_at(&self) -> Timestamp {
        Timestamp::from_second(self.purge_at_second()).unwrap_or(Timestamp::MAX)
    }

    /// `purge_at` as stored (Unix seconds).
    fn purge_at_second(&self) -> i64 {
        if self.messages.is_empty() {
            self.expires_at
        } else {
            self.updated_at_ms.div_euclid(1000) + CONVERSATION_RETENTION_SECONDS
        }
    }

    pub fn summary(&self) -> ChatSummary {
        ChatSummary {
            session_id: self.session_id,
            title: self.title(),
            updated_at_ms: self.updated_at_ms,
            message_count: self.messages.len(),
            purge_at: self.purge_at_second(),
        }
    }

    /// Removes the last turn (the last user message and what followed it) and puts the
    /// agent's memory back as it was before it; the removed user message is returned.
    /// `None` if the last turn cannot be replaced (it answered a confirmation, or the
    /// conversation has none).
    pub fn take_last_turn(&mut self) -> Option<ChatMessage> {
        let last_turn = self.last_turn.take()?;
        let at = self
            .messages
            .iter()
            .rposition(|m| m.role == ChatRole::User)?;
        let removed = self.messages.drain(at..).next();
        self.memory = last_turn.memory_before;
        self.agent_epoch += 1;
        removed
    }

    pub fn is_live(&self, now: Timestamp) -> bool {
        self.expires_at > now.as_second()
    }

    pub fn touch(&mut self, now: Timestamp) {
        self.expires_at = now.as_second() + SESSION_TTL_SECONDS;
    }

    pub fn push(&mut self, message: ChatMessage) {
        self.messages.push(message);
        if self.messages.len() > MAX_MESSAGES {
            let excess = self.messages.len() - MAX_MESSAGES;
            self.messages.drain(..excess);
        }
    }

    /// Puts the reply being written (or just finished) at the end: it replaces a reply
    /// saved earlier while it was running, else it is appended. An empty finished reply
    /// only removes its running placeholder.
    pub fn put_reply(&mut self, reply: ChatMessage) {
        if self.messages.last().is_some_and(|m| m.running) {
            self.messages.pop();
        }
        let empty = reply.text.is_empty() && reply.tools.is_empty() && reply.confirm.is_none();
        if !empty || reply.running {
            self.push(reply);
        }
    }

    /// A reply left running by an instance that stopped (its lease ran out): interrupted.
    pub fn settle_abandoned_reply(&mut self) {
        if let Some(last) = self.messages.last_mut().filter(|m| m.running) {
            last.running = false;
            last.interrupted = true;
        }
    }

    /// An answered (or superseded) confirmation no longer shows its buttons.
    pub fn clear_pending_confirmations(&mut self) {
        for message in &mut self.messages {
            message.confirm = None;
        }
    }
}

pub fn user_message(text: &str) -> ChatMessage {
    ChatMessage {
        role: ChatRole::User,
        text: text.to_owned(),
        tools: vec![],
        confirm: None,
        plan: None,
        files: vec![],
        interrupted: false,
        running: false,
    }
}

pub fn empty_reply() -> ChatMessage {
    ChatMessage {
        role: ChatRole::Assistant,
        text: String::new(),
        tools: vec![],
        confirm: None,
        plan: None,
        files: vec![],
        interrupted: false,
        running: false,
    }
}

/// Folds one relayed event into the reply being recorded for the transcript (the same fold
/// the browser applies as it shows the reply: `app::chat_fold`).
pub fn record(reply: &mut ChatMessage, event: &app::wire::chat::ChatEvent) {
    reply.record(event);
}

/// A WebSocket connection, recorded while it is open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionRecord {
    pub connection_id: ConnectionId,
    pub owner: UserId,
    pub session_id: ConversationId,
    pub connected_at: i64,
}
