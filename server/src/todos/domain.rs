//! Domain values that cannot be invalid: each is constructed by parsing untrusted input once.

use serde::{Deserialize, Serialize};
use time::{
    Date, OffsetDateTime, format_description::well_known::Rfc3339, macros::format_description,
};

pub const TITLE_MAX_CHARS: usize = 200;
pub const DESCRIPTION_MAX_CHARS: usize = 2_000;
pub const NOTES_MAX_CHARS: usize = 10_000;

/// Parse failures carry the sentence the client will read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidInput(pub String);

/// The verified subject of a token. Only the auth layer constructs it from a verified token.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(String);

impl UserId {
    /// Callers must have verified `sub` (token signature, issuer, audience).
    pub fn from_verified_sub(sub: impl Into<String>) -> Self {
        Self(sub.into())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Todo ids are UUIDv7: unguessable enough for URLs and sorted by creation time as keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TodoId(uuid::Uuid);

impl TodoId {
    pub fn new() -> Self {
        Self(uuid::Uuid::now_v7())
    }
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        uuid::Uuid::try_parse(raw)
            .map(Self)
            .map_err(|_| InvalidInput(format!("'{}' is not a todo id.", truncate(raw, 60))))
    }
}

impl Default for TodoId {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Display for TodoId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

/// Trimmed, 1 to 200 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TodoTitle(String);

impl TodoTitle {
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        let title = raw.trim();
        if title.is_empty() {
            return Err(InvalidInput("The title must not be empty.".into()));
        }
        let chars = title.chars().count();
        if chars > TITLE_MAX_CHARS {
            return Err(InvalidInput(format!(
                "The title is {chars} characters long; the limit is {TITLE_MAX_CHARS}."
            )));
        }
        if title.chars().any(char::is_control) {
            return Err(InvalidInput(
                "The title must be a single line of text.".into(),
            ));
        }
        Ok(Self(title.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Free text with an upper bound (description, notes). Newlines allowed; other control
/// characters are not, since they only ever arrive by accident or by attack.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct BoundedText(String);

impl BoundedText {
    pub fn parse(raw: &str, field: &str, max_chars: usize) -> Result<Self, InvalidInput> {
        let text = raw.trim_end();
        let chars = text.chars().count();
        if chars > max_chars {
            return Err(InvalidInput(format!(
                "The {field} is {chars} characters long; the limit is {max_chars}."
            )));
        }
        if text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
        {
            return Err(InvalidInput(format!(
                "The {field} contains control characters."
            )));
        }
        Ok(Self(text.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A calendar date, `YYYY-MM-DD` (ISO 8601), without a time zone: the day the user means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DueDate(Date);

const ISO_DATE: &[time::format_description::BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]");

impl DueDate {
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        Date::parse(raw.trim(), ISO_DATE).map(Self).map_err(|_| {
            InvalidInput(format!(
                "'{}' is not a date; use ISO 8601, for example 2026-03-05.",
                truncate(raw, 40)
            ))
        })
    }
    pub fn to_iso(self) -> String {
        self.0
            .format(ISO_DATE)
            .expect("a Date always formats as YYYY-MM-DD")
    }
}

impl Serialize for DueDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_iso())
    }
}

impl<'de> Deserialize<'de> for DueDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// A todo as stored. `owner` is part of its key in every store: lookups always go through it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Todo {
    pub owner: UserId,
    pub id: TodoId,
    pub title: TodoTitle,
    pub description: BoundedText,
    pub notes: BoundedText,
    pub date_due: Option<DueDate>,
    pub completed: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// Starts at 1 and grows by one on every change; stores write conditionally on it.
    pub version: u64,
}

impl Todo {
    pub fn to_wire(&self) -> app::wire::Todo {
        app::wire::Todo {
            id: self.id.to_string(),
            title: self.title.as_str().to_owned(),
            description: self.description.as_str().to_owned(),
            notes: self.notes.as_str().to_owned(),
            date_due: self.date_due.map(DueDate::to_iso),
            completed: self.completed,
            created_at: rfc3339(self.created_at),
            updated_at: rfc3339(self.updated_at),
            version: self.version,
        }
    }
}

pub fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&Rfc3339)
        .expect("UTC timestamps always format as RFC 3339")
}

/// Whole milliseconds, so a timestamp survives a round trip through any store unchanged.
pub fn now() -> OffsetDateTime {
    let now = OffsetDateTime::now_utc();
    now.replace_nanosecond(now.nanosecond() / 1_000_000 * 1_000_000)
        .expect("a truncated nanosecond is in range")
}

fn truncate(raw: &str, max: usize) -> String {
    raw.chars().take(max).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_is_trimmed_and_bounded() {
        assert_eq!(
            TodoTitle::parse("  Buy milk \n").unwrap().as_str(),
            "Buy milk"
        );
        assert!(TodoTitle::parse("   ").is_err());
        assert!(TodoTitle::parse(&"x".repeat(200)).is_ok());
        let err = TodoTitle::parse(&"x".repeat(201)).unwrap_err();
        assert!(err.0.contains("201"), "{err}");
    }

    #[test]
    fn a_title_counts_characters_not_bytes() {
        assert!(TodoTitle::parse(&"é".repeat(200)).is_ok());
    }

    #[test]
    fn a_title_cannot_span_lines() {
        assert!(TodoTitle::parse("one\ntwo").is_err());
    }

    #[test]
    fn due_dates_are_iso_calendar_dates() {
        assert_eq!(DueDate::parse("2026-03-05").unwrap().to_iso(), "2026-03-05");
        for bad in ["2026-02-30", "05/03/2026", "tomorrow", "2026-3-5", ""] {
            assert!(DueDate::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn bounded_text_keeps_newlines_and_refuses_other_controls() {
        assert!(BoundedText::parse("a\nb", "notes", 10).is_ok());
        assert!(BoundedText::parse("a\u{0007}", "notes", 10).is_err());
        assert!(BoundedText::parse(&"n".repeat(11), "notes", 10).is_err());
    }

    #[test]
    fn todo_ids_reject_anything_but_uuids() {
        assert!(TodoId::parse("../../etc/passwd").is_err());
        let id = TodoId::new();
        assert_eq!(TodoId::parse(&id.to_string()).unwrap(), id);
    }
}
