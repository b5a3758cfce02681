use serde::{Deserialize, Deserializer, Serialize};

/// A todo as the API returns it. Dates: `dateDue` is `YYYY-MM-DD`; timestamps are RFC 3339 UTC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Todo {
    pub id: String,
    pub title: String,
    pub description: String,
    pub notes: String,
    pub date_due: Option<String>,
    /// Lower-case words, distinct, in the order given (issue 25: labels, priority, subtasks).
    #[serde(default)]
    pub labels: Vec<String>,
    /// 1 (highest) to 4 (none).
    #[serde(default = "no_priority")]
    pub priority: u8,
    /// The checklist inside the todo, in order.
    #[serde(default)]
    pub subtasks: Vec<Subtask>,
    /// The todo's list (the Inbox's id for a todo in the Inbox): always present in the
    /// server's answers (empty when read from a todo saved before lists).
    #[serde(default)]
    pub list_id: String,
    /// `HH:MM` (24-hour) in the user's time zone, or null; only with `dateDue`.
    #[serde(default)]
    pub due_time: Option<String>,
    /// The repeat rule, or null.
    #[serde(default)]
    pub repeat: Option<Repeat>,
    /// The days a repeating todo was completed (`YYYY-MM-DD`), oldest first, the last 50.
    #[serde(default)]
    pub completions: Vec<String>,
    /// When to remind (at most 5); empty when none (and in todos saved before reminders).
    #[serde(default)]
    pub reminders: Vec<Reminder>,
    pub completed: bool,
    pub created_at: String,
    pub updated_at: String,
    /// Optimistic-concurrency version: send it back on update; a stale one is refused (409).
    pub version: u64,
}

/// `POST /api/todos`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewTodo {
    /// A client-chosen id (a UUID): sending the same create again (a queue replayed after a
    /// flaky reconnect) answers the todo made the first time instead of making a second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_due: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<Vec<String>>,
    /// Absent (or null): 4, none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<i64>,
    /// Items without ids; each gets one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtasks: Option<Vec<SubtaskInput>>,
    /// One of the user's lists; the Inbox if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_id: Option<String>,
    pub due_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat: Option<RepeatInput>,
    /// At most 5; absent: none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminders: Option<Vec<Reminder>>,
}

/// `PATCH /api/todos/{id}`: only the fields present change. `dateDue: null` clears the date,
/// which is why it is a double option (absent vs. null).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TodoPatch {
    /// The version the client last saw; required so no edit silently overwrites another.
    pub version: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub date_due: Option<Option<String>>,
    /// Replaces the todo's labels (`[]` removes them all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<i64>,
    /// Replaces the checklist: items keep their ids, items without one are new, the order
    /// is the array's, and items left out are removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtasks: Option<Vec<SubtaskInput>>,
    /// Moves the todo to this list (the Inbox's id moves it to the Inbox).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_id: Option<String>,
    /// `null` clears the time (clearing the date clears it too).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub due_time: Option<Option<String>>,
    /// `null` stops repeating.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub repeat: Option<Option<RepeatInput>>,
    /// Replaces the todo's reminders (`[]` removes them all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminders: Option<Vec<Reminder>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed: Option<bool>,
}

/// One reminder of a todo: `{"at": "<RFC 3339>"}` (an explicit moment, fires once) or
/// `{"beforeMinutes": N}` (N minutes before the due date and time, 0 = at it, following each
/// occurrence of a repeating todo; a dated todo without a time counts from 09:00 local).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(
    rename_all = "camelCase",
    expecting = "a reminder: {\"at\": \"<RFC 3339>\"} or {\"beforeMinutes\": N}"
)]
pub enum Reminder {
    /// An RFC 3339 moment (`2026-03-05T09:00:00Z`, any offset).
    At(String),
    /// Minutes before the due time (0 = at the due time).
    BeforeMinutes(u32),
}

/// One item of a todo's checklist, as the API returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Subtask {
    pub id: String,
    pub title: String,
    pub done: bool,
}

/// One item of a checklist sent on create or in a PATCH: without `id` it is a new item; a
/// [`Subtask`] read from the API is one too, so a checklist read and sent back is unchanged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SubtaskInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub title: String,
    #[serde(default)]
    pub done: bool,
}

fn no_priority() -> u8 {
    4
}

/// A todo's repeat rule as the API returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Repeat {
    /// RFC 5545, `RRULE:` prefix included (`RRULE:FREQ=WEEKLY;BYDAY=MO`).
    pub rrule: String,
    /// Readable English ("every Monday"); ignored when sent back.
    #[serde(default)]
    pub text: String,
    /// The next date counts from the completion day instead of the due date.
    #[serde(default)]
    pub after_completion: bool,
}

/// `repeat` in a request: words ("every monday", "every 2 weeks after completion"), an RRULE
/// (`RRULE:FREQ=WEEKLY;BYDAY=MO`), or the object a todo is read with (so a todo read and
/// written back unchanged keeps its rule). Sent as the string or the object itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum RepeatInput {
    Text(String),
    Rule(Repeat),
}

/// Read by the JSON's own type (a string or an object) rather than serde's `untagged`, which
/// buffers the value and tries each variant: the same answers, a type error that says what
/// was expected, and no buffered-content reader in the wasm (the offline queue reads patches).
impl<'de> Deserialize<'de> for RepeatInput {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextOrRule;
        impl<'de> serde::de::Visitor<'de> for TextOrRule {
            type Value = RepeatInput;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a repeat rule: words such as \"every monday\", an RRULE, the object a todo is read with, or null",
                )
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<RepeatInput, E> {
                Ok(RepeatInput::Text(text.to_owned()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<RepeatInput, A::Error> {
                Repeat::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(RepeatInput::Rule)
            }
        }
        deserializer.deserialize_any(TextOrRule)
    }
}

/// A field that is present (even as `null`) becomes `Some(..)`; an absent one stays `None`.
fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_date_due_leaves_the_date_alone_and_null_clears_it() {
        let absent: TodoPatch = serde_json::from_str(r#"{"version":1}"#).unwrap();
        assert_eq!(absent.date_due, None);
        let null: TodoPatch = serde_json::from_str(r#"{"version":1,"dateDue":null}"#).unwrap();
        assert_eq!(null.date_due, Some(None));
        let set: TodoPatch =
            serde_json::from_str(r#"{"version":1,"dateDue":"2026-03-05"}"#).unwrap();
        assert_eq!(set.date_due, Some(Some("2026-03-05".into())));
    }

    #[test]
    fn repeat_is_words_an_rrule_the_response_object_or_null() {
        let text: TodoPatch =
            serde_json::from_str(r#"{"version":1,"repeat":"every monday"}"#).unwrap();
        assert_eq!(
            text.repeat,
            Some(Some(RepeatInput::Text("every monday".into())))
        );
        let object: TodoPatch = serde_json::from_str(
            r#"{"version":1,"repeat":{"rrule":"RRULE:FREQ=DAILY","text":"every day","afterCompletion":true}}"#,
        )
        .unwrap();
        assert!(matches!(
            object.repeat,
            Some(Some(RepeatInput::Rule(Repeat {
                after_completion: true,
                ..
            })))
        ));
        let null: TodoPatch = serde_json::from_str(r#"{"version":1,"repeat":null}"#).unwrap();
        assert_eq!(null.repeat, Some(None));
        let err = serde_json::from_str::<TodoPatch>(r#"{"version":1,"repeat":5}"#).unwrap_err();
        assert!(err.to_string().contains("a repeat rule"), "{err}");
        // An object is read as the rule it must be: what is missing is named.
        let err = serde_json::from_str::<TodoPatch>(r#"{"version":1,"repeat":{"text":"x"}}"#)
            .unwrap_err();
        assert!(err.to_string().contains("rrule"), "{err}");
        // Through a JSON value (the MCP and Bedrock tools' arguments) as through text.
        let value = serde_json::json!({"version": 1, "repeat": {"rrule": "RRULE:FREQ=DAILY"}});
        let from_value: TodoPatch = serde_json::from_value(value).unwrap();
        assert!(matches!(
            from_value.repeat,
            Some(Some(RepeatInput::Rule(Repeat {
                after_completion: false,
                ..
            })))
        ));
    }

    #[test]
    fn unknown_fields_are_rejected() {
        assert!(serde_json::from_str::<NewTodo>(r#"{"title":"a","owner":"bob"}"#).is_err());
        assert!(serde_json::from_str::<TodoPatch>(r#"{"version":1,"userId":"x"}"#).is_err());
    }

    #[test]
    fn a_todo_from_before_labels_reads_with_none_and_priority_four() {
        let old = r#"{"id":"x","title":"t","description":"","notes":"","dateDue":null,
            "completed":false,"createdAt":"","updatedAt":"","version":1}"#;
        let todo: Todo = serde_json::from_str(old).unwrap();
        assert!(todo.labels.is_empty() && todo.subtasks.is_empty());
        assert_eq!(todo.priority, 4);
    }

    #[test]
    fn a_subtask_read_back_is_valid_input() {
        let read = Subtask {
            id: "0193c5a0-0000-7000-8000-000000000000".into(),
            title: "step".into(),
            done: true,
        };
        let input: SubtaskInput =
            serde_json::from_value(serde_json::to_value(&read).unwrap()).unwrap();
        assert_eq!(input.id.as_deref(), Some(read.id.as_str()));
        assert!(input.done);
        assert!(serde_json::from_str::<SubtaskInput>(r#"{"title":"a","x":1}"#).is_err());
    }

    #[test]
    fn reminders_are_an_at_moment_or_minutes_before() {
        let patch: TodoPatch = serde_json::from_str(
            r#"{"version":1,"reminders":[{"at":"2026-03-05T09:00:00Z"},{"beforeMinutes":30}]}"#,
        )
        .unwrap();
        assert_eq!(
            patch.reminders,
            Some(vec![
                Reminder::At("2026-03-05T09:00:00Z".into()),
                Reminder::BeforeMinutes(30)
            ])
        );
        assert_eq!(
            serde_json::to_string(&patch.reminders.unwrap()).unwrap(),
            r#"[{"at":"2026-03-05T09:00:00Z"},{"beforeMinutes":30}]"#
        );
        for bad in [
            r#"[{"beforeMinutes":-1}]"#,
            r#"[{"in":5}]"#,
            r#"[{"at":"x","beforeMinutes":5}]"#,
        ] {
            assert!(serde_json::from_str::<Vec<Reminder>>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_patch_without_a_version_is_rejected() {
        assert!(serde_json::from_str::<TodoPatch>(r#"{"title":"a"}"#).is_err());
    }
}
