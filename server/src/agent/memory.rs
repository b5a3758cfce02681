//! What an agent remembers between turns of one chat session, stored with the session so a
//! reload or reconnect resumes it.

use serde::{Deserialize, Serialize};

use crate::todos::TodoId;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentMemory {
    /// The todos of the last list shown, in order ("the second one").
    #[serde(default)]
    pub last_list: Vec<TodoId>,
    /// The todos the conversation is about ("it", "that one", "them").
    #[serde(default)]
    pub last_referenced: Vec<TodoId>,
    /// Files the user dropped into this chat that are not attached yet, newest last: what
    /// "attach this" and "attach it" mean.
    #[serde(default)]
    pub chat_files: Vec<TodoId>,
    /// A destructive action waiting for the user's confirmation.
    #[serde(default)]
    pub pending: Option<PendingAction>,
    /// An instruction waiting for the user to pick among candidates (serialized intent).
    #[serde(default)]
    pub awaiting_choice: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingAction {
    pub action_id: String,
    pub prompt: String,
    /// Todos to delete once confirmed.
    pub delete: Vec<TodoId>,
    /// Files to delete once confirmed: (todo, file).
    #[serde(default)]
    pub delete_files: Vec<(TodoId, TodoId)>,
}
