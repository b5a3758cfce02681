//! What an agent remembers between turns of one chat session, stored with the session so a
//! reload or reconnect resumes it.

use serde::{Deserialize, Serialize};

use super::{dialogue::LocalMemory, ids::ChangeId, model_memory::ModelMemory};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentMemory {
    /// The LocalAgent's dialogue (its fields sit at the top level of the stored JSON; boxed
    /// so that a running turn, which holds the memory, stays small).
    #[serde(flatten, default)]
    pub local: Box<LocalMemory>,
    /// The change records of this conversation's tool calls, newest last: what "undo that"
    /// takes back.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recent_changes: Vec<ChangeId>,
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
    fn a_session_saved_before_the_typed_dialogue_still_loads() {
        let change = ChangeId::new();
        let old = serde_json::json!({
            "last_list": [crate::domain::TodoId::new()],
            "awaiting_choice": {"Complete": {"Text": "call"}},
            "last_action": {"intent": {"Complete": {"Text": "call"}}, "changes": ["x"]},
            "pending": {"action_id": "a", "prompt": "Delete?", "delete": []},
            "recent_changes": [change],
        });
        let memory: AgentMemory = serde_json::from_value(old).unwrap();
        assert_eq!(memory.local.last_list.len(), 1);
        assert!(memory.local.awaiting.is_none());
        assert_eq!(memory.recent_changes, vec![change]);
        let again: AgentMemory =
            serde_json::from_value(serde_json::to_value(&memory).unwrap()).unwrap();
        assert_eq!(again, memory);
    }
}
