//! The chat: per-user sessions (30-minute sliding window, kept in the Store with their
//! transcript and the agent's memory), turns run against an `Agent` with their events relayed
//! as they happen, stop / new chat, a per-user rate limit, and single-use WebSocket tickets.

mod model;
mod service;
pub mod tickets;

pub use model::{ChatSession, ConnectionRecord, SESSION_TTL_SECONDS};
pub use service::{ChatError, ChatLimits, ChatService, Clock, SystemClock, TurnStream};
