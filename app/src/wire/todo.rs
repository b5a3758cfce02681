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
    /// The todo's list (the Inbox's id for a todo in the Inbox): always present.
    pub list_id: String,
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
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_due: Option<String>,
    /// One of the user's lists; the Inbox if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_id: Option<String>,
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
    /// Moves the todo to this list (the Inbox's id moves it to the Inbox).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed: Option<bool>,
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
    fn unknown_fields_are_rejected() {
        assert!(serde_json::from_str::<NewTodo>(r#"{"title":"a","owner":"bob"}"#).is_err());
        assert!(serde_json::from_str::<TodoPatch>(r#"{"version":1,"userId":"x"}"#).is_err());
    }

    #[test]
    fn a_patch_without_a_version_is_rejected() {
        assert!(serde_json::from_str::<TodoPatch>(r#"{"title":"a"}"#).is_err());
    }
}
