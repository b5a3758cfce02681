//! The assistant's chat: the streaming transport ([`client`]: SSE over POST), the
//! conversation state ([`state`]) and the sidebar's components: the panel
//! (`chat_panel`) and its parts (`chat_header`, `chat_log`, `composer`, `conversation_list`,
//! `message_bubble`, `tool_card`, `plan_card`, `copy`).

mod chat_header;
mod chat_log;
mod chat_panel;
pub mod client;
mod composer;
mod conversation_list;
pub mod copy;
mod message_bubble;
mod plan_card;
pub mod state;
mod tool_card;

pub use chat_panel::ChatPanel;
