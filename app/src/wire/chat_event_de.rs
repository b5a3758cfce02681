//! Reading a [`ChatEvent`] by hand: one flat struct of every variant's fields, then the
//! variant its `type` names. The same JSON as serde's internally tagged form, which buffers
//! the event and expands a deserializer per variant (20 KB of the browser's wasm, the
//! largest function in it, for seven small events).

use serde::{Deserialize, Deserializer, de::Error};

use super::{
    chat::{ChatEvent, ToolStatus, Usage},
    plan::{PlanCard, PlanItem},
};

const TYPES: &[&str] = &[
    "session",
    "chunk",
    "tool",
    "todos_changed",
    "confirm",
    "plan",
    "done",
    "error",
];

/// Every field any event has; the `type` says which must be present.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Fields {
    #[serde(rename = "type")]
    kind: String,
    session_id: Option<String>,
    resumed: Option<bool>,
    text: Option<String>,
    name: Option<String>,
    status: Option<ToolStatus>,
    summary: Option<String>,
    deleted_todo_id: Option<String>,
    change_id: Option<String>,
    ids: Option<Vec<String>>,
    action_id: Option<String>,
    prompt: Option<String>,
    plan_id: Option<String>,
    items: Option<Vec<PlanItem>>,
    notes: Option<Vec<String>>,
    usage: Option<Usage>,
    code: Option<String>,
    message: Option<String>,
    retryable: Option<bool>,
}

/// The field, or serde's own "missing field" error naming it.
fn needed<T, E: Error>(value: Option<T>, field: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(field))
}

impl<'de> Deserialize<'de> for ChatEvent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let f = Fields::deserialize(deserializer)?;
        Ok(match f.kind.as_str() {
            "session" => Self::Session {
                session_id: needed(f.session_id, "sessionId")?,
                resumed: needed(f.resumed, "resumed")?,
            },
            "chunk" => Self::Chunk {
                text: needed(f.text, "text")?,
            },
            "tool" => Self::Tool {
                name: needed(f.name, "name")?,
                status: needed(f.status, "status")?,
                summary: needed(f.summary, "summary")?,
                deleted_todo_id: f.deleted_todo_id,
                change_id: f.change_id,
            },
            "todos_changed" => Self::TodosChanged {
                ids: needed(f.ids, "ids")?,
            },
            "confirm" => Self::Confirm {
                action_id: needed(f.action_id, "actionId")?,
                prompt: needed(f.prompt, "prompt")?,
            },
            "plan" => Self::Plan(Box::new(PlanCard {
                plan_id: needed(f.plan_id, "planId")?,
                summary: needed(f.summary, "summary")?,
                items: needed(f.items, "items")?,
                notes: f.notes.unwrap_or_default(),
                result: None,
            })),
            "done" => Self::Done {
                usage: needed(f.usage, "usage")?,
            },
            "error" => Self::Error {
                code: needed(f.code, "code")?,
                message: needed(f.message, "message")?,
                retryable: needed(f.retryable, "retryable")?,
            },
            other => return Err(D::Error::unknown_variant(other, TYPES)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events() -> Vec<ChatEvent> {
        vec![
            ChatEvent::Session {
                session_id: "s1".into(),
                resumed: true,
            },
            ChatEvent::Chunk { text: "hi".into() },
            ChatEvent::Tool {
                name: "createTodo".into(),
                status: ToolStatus::Started,
                summary: "Adding".into(),
                deleted_todo_id: None,
                change_id: Some("c1".into()),
            },
            ChatEvent::TodosChanged {
                ids: vec!["t1".into()],
            },
            ChatEvent::Confirm {
                action_id: "a1".into(),
                prompt: "Delete?".into(),
            },
            ChatEvent::Plan(Box::new(PlanCard {
                plan_id: "p1".into(),
                summary: "Spread 1 overdue todo".into(),
                items: vec![PlanItem {
                    item_id: "i1".into(),
                    text: "Move *Pay rent* to Wed Dec 2".into(),
                    tool: "updateTodo".into(),
                    arguments: [("dateDue".to_owned(), "2026-12-02".to_owned())].into(),
                }],
                notes: vec!["Dropped: no such todo.".into()],
                result: None,
            })),
            ChatEvent::Done {
                usage: Usage::default(),
            },
            ChatEvent::Error {
                code: "busy".into(),
                message: "Busy.".into(),
                retryable: true,
            },
        ]
    }

    #[test]
    fn every_event_reads_back_as_written() {
        for event in events() {
            let json = serde_json::to_string(&event).unwrap();
            assert_eq!(serde_json::from_str::<ChatEvent>(&json).unwrap(), event);
        }
        assert_eq!(TYPES.len(), events().len());
        for (event, name) in events().iter().zip(TYPES) {
            assert_eq!(event.name(), *name);
        }
    }

    #[test]
    fn a_missing_field_or_unknown_type_is_refused_by_name() {
        let missing = serde_json::from_str::<ChatEvent>(r#"{"type":"session","resumed":true}"#);
        assert!(missing.unwrap_err().to_string().contains("sessionId"));
        let unknown = serde_json::from_str::<ChatEvent>(r#"{"type":"nope"}"#);
        assert!(unknown.unwrap_err().to_string().contains("nope"));
        assert!(serde_json::from_str::<ChatEvent>(r#"{"text":"hi"}"#).is_err());
        // Fields of other events are ignored, as before.
        let chunk: ChatEvent =
            serde_json::from_str(r#"{"type":"chunk","text":"hi","extra":1}"#).unwrap();
        assert_eq!(chunk, ChatEvent::Chunk { text: "hi".into() });
    }
}
