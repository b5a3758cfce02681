//! The assistant's chat sidebar.

mod chat_panel;
mod message_bubble;

pub use chat_panel::ChatPanel;
