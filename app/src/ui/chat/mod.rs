//! The assistant's chat: the streaming transport ([`client`]: SSE over POST), the
//! conversation state ([`state`]) and the sidebar's components.

mod chat_panel;
pub mod client;
mod conversation_list;
mod copy;
mod message_bubble;
pub mod state;
mod tool_card;

pub use chat_panel::ChatPanel;
