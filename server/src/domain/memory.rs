//! What an agent remembers between turns of one chat session, stored with the session so a
//! reload or reconnect resumes it.

use serde::{Deserialize, Serialize};

use super::dialogue::LocalMemory;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentMemory {
    /// The LocalAgent's dialogue (its fields sit at the top level of the stored JSON; boxed
    /// so that a running turn, which holds the memory, stays small).
    #[serde(flatten, default)]
    pub local: Box<LocalMemory>,
    /// Bedrock's and OpenAI's request waiting for the user's choice or confirmation.
    #[serde(default)]
    pub awaiting_choice: Option<serde_json::Value>,
    /// The change records of this conversation's tool calls, newest last: what "undo that"
    /// takes back.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recent_changes: Vec<String>,
    /// The conversation as a Chat Completions model sees it (user, assistant with tool
    /// calls, tool results), bounded by the agent (`AGENT=openai`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub model_messages: Vec<serde_json::Value>,
    /// The conversation's `agent_epoch` that an agent with its own memory (Bedrock) was last
    /// given the transcript for.
    #[serde(default)]
    pub seeded_epoch: u32,
}

/// Changes "undo" can reach back to in one conversation.
pub const RECENT_CHANGES: usize = 20;

impl AgentMemory {
    /// Remembers a change a tool call made (the oldest is forgotten beyond `RECENT_CHANGES`).
    pub fn remember_change(&mut self, change_id: String) {
        self.recent_changes.push(change_id);
        if self.recent_changes.len() > RECENT_CHANGES {
            self.recent_changes.remove(0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_saved_before_the_typed_dialogue_still_loads() {
        let old = serde_json::json!({
            "last_list": [crate::domain::TodoId::new()],
            "awaiting_choice": {"Complete": {"Text": "call"}},
            "last_action": {"intent": {"Complete": {"Text": "call"}}, "changes": ["x"]},
            "pending": {"action_id": "a", "prompt": "Delete?", "delete": []},
            "recent_changes": ["c1"],
        });
        let memory: AgentMemory = serde_json::from_value(old).unwrap();
        assert_eq!(memory.local.last_list.len(), 1);
        assert!(memory.local.awaiting.is_none());
        assert_eq!(memory.recent_changes, vec!["c1".to_owned()]);
        let again: AgentMemory =
            serde_json::from_value(serde_json::to_value(&memory).unwrap()).unwrap();
        assert_eq!(again, memory);
    }
}
