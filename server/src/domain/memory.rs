//! What an agent remembers between turns of one chat session, stored with the session so a
//! reload or reconnect resumes it.

use serde::{Deserialize, Serialize};

use super::{
    ids::{ChangeId, FileId, TodoId},
    model_memory::ModelMemory,
};

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
    pub chat_files: Vec<FileId>,
    /// A destructive action waiting for the user's confirmation.
    #[serde(default)]
    pub pending: Option<PendingAction>,
    /// An instruction waiting for the user to pick among candidates (serialized intent).
    #[serde(default)]
    pub awaiting_choice: Option<serde_json::Value>,
    /// The change records of this conversation's tool calls, newest last: what "undo that"
    /// takes back.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recent_changes: Vec<ChangeId>,
    /// The LocalAgent's last action and the changes it made (what "no, I meant the other
    /// one" redoes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_action: Option<serde_json::Value>,
    /// What the model-backed agents (Bedrock, OpenAI) remember, typed; its fields sit
    /// beside these in the saved JSON, as they always did.
    #[serde(flatten)]
    pub model: ModelMemory,
}

/// Changes "undo" can reach back to in one conversation.
pub const RECENT_CHANGES: usize = 20;

impl AgentMemory {
    /// Remembers a change a tool call made (the oldest is forgotten beyond `RECENT_CHANGES`).
    pub fn remember_change(&mut self, change_id: ChangeId) {
        self.recent_changes.push(change_id);
        if self.recent_changes.len() > RECENT_CHANGES {
            self.recent_changes.remove(0);
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingAction {
    pub action_id: String,
    pub prompt: String,
    /// Todos to delete once confirmed.
    pub delete: Vec<TodoId>,
    /// Files to delete once confirmed.
    #[serde(default)]
    pub delete_files: Vec<PendingFileDelete>,
}

/// A file to remove from a todo once the user confirms. (Sessions saved before this type
/// existed hold `[todo, file]` pairs; serde reads a struct from such a sequence too.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingFileDelete {
    pub todo: TodoId,
    pub file: FileId,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A session saved before the model's memory was typed reads with it in `model`.
    #[test]
    fn a_saved_memory_reads_the_model_fields_into_model() {
        let memory: AgentMemory = serde_json::from_value(serde_json::json!({
            "last_list": [],
            "model_messages": [{"role": "user", "content": "hello"}],
            "seeded_epoch": 3,
        }))
        .unwrap();
        assert_eq!(memory.model.seeded_epoch, 3);
        assert!(memory.model.messages[0].is_user());
        let back = serde_json::to_value(&memory).unwrap();
        assert_eq!(back["model_messages"][0]["content"], "hello");
    }

    #[test]
    fn a_pending_file_delete_reads_the_older_pair_form() {
        let (todo, file) = (TodoId::new(), FileId::new());
        let pair: PendingFileDelete =
            serde_json::from_value(serde_json::json!([todo, file])).unwrap();
        assert_eq!(pair, PendingFileDelete { todo, file });
    }
}
