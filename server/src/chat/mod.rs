//! The chat: per-user sessions (30-minute sliding window, kept in the Store with their
//! transcript and the agent's memory), turns run against an `Agent` with their events relayed
//! as they happen, stop / new chat, a per-user rate limit, and the WebSocket's tickets.

mod lease;
mod running;
mod service;
mod turn;

pub use service::{ChatError, ChatLimits, ChatService, LEASE_SECONDS, TurnStream};
