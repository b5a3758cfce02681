//! What a chat session stores: the transcript (folded from relayed events), the agent's
//! memory and the sliding expiry; and the record of an open WebSocket connection.

use app::wire::chat::{ChatMessage, ChatRole, PendingConfirm, ToolCard, ToolStatus};
use serde::{Deserialize, Serialize};

use super::{ids::UserId, memory::AgentMemory};

/// Sessions expire this long after their last use.
pub const SESSION_TTL_SECONDS: i64 = 30 * 60;
/// Oldest messages are dropped beyond this, so a session item stays small.
const MAX_MESSAGES: usize = 200;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatSession {
    pub owner: UserId,
    pub session_id: String,
    /// Unix seconds; the session is over after this (a TTL attribute in DynamoDB).
    pub expires_at: i64,
    pub time_zone: String,
    pub messages: Vec<ChatMessage>,
    pub memory: AgentMemory,
}

impl ChatSession {
    pub fn new(owner: UserId, now: i64) -> Self {
        Self {
            owner,
            session_id: uuid::Uuid::new_v4().to_string(),
            expires_at: now + SESSION_TTL_SECONDS,
            time_zone: "UTC".into(),
            messages: Vec::new(),
            memory: AgentMemory::default(),
        }
    }

    pub fn is_live(&self, now: i64) -> bool {
        self.expires_at > now
    }

    pub fn touch(&mut self, now: i64) {
        self.expires_at = now + SESSION_TTL_SECONDS;
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
        files: vec![],
        interrupted: false,
        running: false,
    }
}

/// Folds one relayed event into the reply being recorded for the transcript.
pub fn record(reply: &mut ChatMessage, event: &app::wire::chat::ChatEvent) {
    use app::wire::chat::ChatEvent;
    match event {
        ChatEvent::Chunk { text } => reply.text.push_str(text),
        ChatEvent::Tool {
            name,
            status: ToolStatus::Started,
            summary,
            ..
        } => reply.tools.push(ToolCard {
            name: name.clone(),
            status: ToolStatus::Started,
            summary: summary.clone(),
            deleted_todo_id: None,
        }),
        ChatEvent::Tool {
            name,
            status,
            summary,
            deleted_todo_id,
        } => {
            match reply
                .tools
                .iter_mut()
                .rev()
                .find(|c| c.name == *name && c.status == ToolStatus::Started)
            {
                Some(card) => {
                    card.status = *status;
                    card.summary = summary.clone();
                    card.deleted_todo_id = deleted_todo_id.clone();
                }
                None => reply.tools.push(ToolCard {
                    name: name.clone(),
                    status: *status,
                    summary: summary.clone(),
                    deleted_todo_id: deleted_todo_id.clone(),
                }),
            }
        }
        ChatEvent::Confirm { action_id, prompt } => {
            reply.confirm = Some(PendingConfirm {
                action_id: action_id.clone(),
                prompt: prompt.clone(),
            })
        }
        _ => {}
    }
}

/// A WebSocket connection, recorded while it is open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionRecord {
    pub connection_id: String,
    pub owner: UserId,
    pub session_id: String,
    pub connected_at: i64,
}
