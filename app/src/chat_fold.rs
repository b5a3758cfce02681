//! How a reply is built from the events streamed for it: written once, for the server (which
//! records the transcript from the events it relays) and for the browser (which shows the
//! same reply as the events arrive), so a reloaded page shows exactly what was streamed.
//!
//! A `tool` event either starts a call (a new card) or reports how a call ended: it then
//! updates the latest card of the same tool still marked started, or, if there is none (the
//! start was not seen), becomes a card of its own.

use crate::wire::chat::{ChatEvent, ChatMessage, PendingConfirm, ToolCard, ToolStatus};

/// The card a `tool` event describes (`None` for any other event).
pub fn tool_card(event: &ChatEvent) -> Option<ToolCard> {
    match event {
        ChatEvent::Tool {
            name,
            status,
            summary,
            deleted_todo_id,
            change_id,
        } => Some(ToolCard {
            name: name.clone(),
            status: *status,
            summary: summary.clone(),
            deleted_todo_id: deleted_todo_id.clone(),
            change_id: change_id.clone(),
            undone: false,
        }),
        _ => None,
    }
}

/// Folds the card of one `tool` event into the cards of a reply (see the module doc).
pub fn fold_tool_card(cards: &mut Vec<ToolCard>, card: ToolCard) {
    if card.status != ToolStatus::Started
        && let Some(started) = cards
            .iter_mut()
            .rev()
            .find(|c| c.name == card.name && c.status == ToolStatus::Started)
    {
        *started = ToolCard {
            undone: started.undone,
            ..card
        };
        return;
    }
    cards.push(card);
}

impl ChatMessage {
    /// Folds one streamed event into this reply: text chunks are appended, tool events
    /// folded into its cards, a confirmation request and a plan card kept. Other events (session, todos
    /// changed, done, error) leave the transcript's message as it is.
    pub fn record(&mut self, event: &ChatEvent) {
        match event {
            ChatEvent::Chunk { text } => self.text.push_str(text),
            ChatEvent::Tool { .. } => {
                if let Some(card) = tool_card(event) {
                    fold_tool_card(&mut self.tools, card);
                }
            }
            ChatEvent::Confirm { action_id, prompt } => {
                self.confirm = Some(PendingConfirm {
                    action_id: action_id.clone(),
                    prompt: prompt.clone(),
                })
            }
            ChatEvent::Plan(card) => self.plan = Some(card.clone()),
            ChatEvent::Session { .. }
            | ChatEvent::TodosChanged { .. }
            | ChatEvent::Done { .. }
            | ChatEvent::Error { .. } => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::chat::{ChatRole, Usage};

    fn tool(name: &str, status: ToolStatus, summary: &str) -> ChatEvent {
        ChatEvent::Tool {
            name: name.into(),
            status,
            summary: summary.into(),
            deleted_todo_id: None,
            change_id: None,
        }
    }

    fn reply() -> ChatMessage {
        ChatMessage {
            role: ChatRole::Assistant,
            text: String::new(),
            tools: vec![],
            confirm: None,
            plan: None,
            files: vec![],
            interrupted: false,
            running: false,
        }
    }

    fn cards(reply: &ChatMessage) -> Vec<(&str, ToolStatus, &str)> {
        reply
            .tools
            .iter()
            .map(|c| (c.name.as_str(), c.status, c.summary.as_str()))
            .collect()
    }

    #[test]
    fn a_finished_call_updates_its_started_card_with_what_it_did() {
        let mut reply = reply();
        reply.record(&tool("add_todo", ToolStatus::Started, "Adding…"));
        reply.record(&ChatEvent::Tool {
            name: "add_todo".into(),
            status: ToolStatus::Succeeded,
            summary: "Added “milk”".into(),
            deleted_todo_id: Some("t1".into()),
            change_id: Some("c1".into()),
        });
        assert_eq!(
            cards(&reply),
            [("add_todo", ToolStatus::Succeeded, "Added “milk”")]
        );
        assert_eq!(reply.tools[0].deleted_todo_id.as_deref(), Some("t1"));
        assert_eq!(reply.tools[0].change_id.as_deref(), Some("c1"));
    }

    #[test]
    fn an_end_goes_to_the_latest_started_card_of_the_same_tool() {
        let mut reply = reply();
        reply.record(&tool("update_todo", ToolStatus::Started, "first"));
        reply.record(&tool("update_todo", ToolStatus::Started, "second"));
        reply.record(&tool("list_todos", ToolStatus::Started, "listing"));
        reply.record(&tool("update_todo", ToolStatus::Failed, "second failed"));
        reply.record(&tool("update_todo", ToolStatus::Succeeded, "first done"));
        assert_eq!(
            cards(&reply),
            [
                ("update_todo", ToolStatus::Succeeded, "first done"),
                ("update_todo", ToolStatus::Failed, "second failed"),
                ("list_todos", ToolStatus::Started, "listing"),
            ]
        );
    }

    #[test]
    fn an_end_without_a_started_card_is_a_card_of_its_own() {
        let mut reply = reply();
        reply.record(&tool("add_todo", ToolStatus::Succeeded, "one"));
        reply.record(&tool("add_todo", ToolStatus::Succeeded, "two"));
        assert_eq!(
            cards(&reply),
            [
                ("add_todo", ToolStatus::Succeeded, "one"),
                ("add_todo", ToolStatus::Succeeded, "two"),
            ]
        );
    }

    #[test]
    fn a_start_never_replaces_a_card() {
        let mut reply = reply();
        reply.record(&tool("delete_todo", ToolStatus::Started, "a"));
        reply.record(&tool("delete_todo", ToolStatus::Started, "b"));
        assert_eq!(reply.tools.len(), 2);
    }

    #[test]
    fn chunks_append_a_confirmation_is_kept_and_other_events_change_nothing() {
        let mut reply = reply();
        reply.record(&ChatEvent::Chunk {
            text: "Sure, ".into(),
        });
        reply.record(&ChatEvent::Chunk {
            text: "done.".into(),
        });
        reply.record(&ChatEvent::Confirm {
            action_id: "a1".into(),
            prompt: "Delete 2 todos?".into(),
        });
        let before = reply.clone();
        reply.record(&ChatEvent::Done {
            usage: Usage::default(),
        });
        reply.record(&ChatEvent::TodosChanged {
            ids: vec!["t1".into()],
        });
        reply.record(&ChatEvent::Error {
            code: "x".into(),
            message: "y".into(),
            retryable: true,
        });
        assert_eq!(reply, before);
        assert_eq!(reply.text, "Sure, done.");
        assert_eq!(
            reply.confirm,
            Some(PendingConfirm {
                action_id: "a1".into(),
                prompt: "Delete 2 todos?".into()
            })
        );
    }
}
