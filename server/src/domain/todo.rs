//! A todo and its values, which cannot be invalid: each is constructed by parsing untrusted
//! input once.

use jiff::{Timestamp, civil::Date};
use serde::{Deserialize, Serialize};

use super::{
    clock::rfc3339,
    ids::{ListId, TodoId, UserId},
    input::{InvalidInput, excerpt},
    label::Labels,
    priority::Priority,
    reminder::{self, Reminders},
    repeat::RepeatRule,
    schedule::{Completions, DueTime},
    subtask::Subtasks,
    text,
};

pub use super::title::{TITLE_MAX_CHARS, TodoTitle};

pub const DESCRIPTION_MAX_CHARS: usize = 2_000;
pub const NOTES_MAX_CHARS: usize = 10_000;

/// Free text with an upper bound (description, notes). Newlines allowed; other control
/// characters are not, since they only ever arrive by accident or by attack.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct BoundedText(String);

impl BoundedText {
    pub fn parse(raw: &str, field: &str, max_chars: usize) -> Result<Self, InvalidInput> {
        let visible = text::visible(raw);
        let text = visible.trim_end();
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

/// Due dates a todo app means: years outside these are typing mistakes (or probes), and
/// would show inconsistently across the UI and the assistant.
pub const FIRST_YEAR: i16 = 1900;
pub const LAST_YEAR: i16 = 2999;

impl DueDate {
    /// Exactly `YYYY-MM-DD` (four-digit year, two-digit month and day) naming a real day
    /// from 1900-01-01 to 2999-12-31.
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        let date = Self::parse_iso(raw.trim()).ok_or_else(|| {
            InvalidInput(format!(
                "'{}' is not a date; use ISO 8601, for example 2026-03-05.",
                excerpt(raw, 40)
            ))
        })?;
        if !(FIRST_YEAR..=LAST_YEAR).contains(&date.0.year()) {
            return Err(InvalidInput(format!(
                "{} is out of range; due dates are from {FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31.",
                date.to_iso()
            )));
        }
        Ok(date)
    }

    fn parse_iso(raw: &str) -> Option<Self> {
        let b = raw.as_bytes();
        let digits = |range: std::ops::Range<usize>| {
            b[range.clone()]
                .iter()
                .all(u8::is_ascii_digit)
                .then(|| &raw[range])
        };
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year = digits(0..4)?.parse().ok()?;
        let month = digits(5..7)?.parse().ok()?;
        let day = digits(8..10)?.parse().ok()?;
        Date::new(year, month, day).ok().map(Self)
    }

    pub fn from_date(date: Date) -> Self {
        Self(date)
    }

    pub fn date(self) -> Date {
        self.0
    }

    pub fn to_iso(self) -> String {
        self.0.strftime("%Y-%m-%d").to_string()
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
    /// Organizing (issue 25). Absent from records written before them, and left out of a
    /// record while they hold their default, so such records read as no labels, priority 4
    /// (none) and no subtasks.
    #[serde(default, skip_serializing_if = "Labels::is_empty")]
    pub labels: Labels,
    #[serde(default, skip_serializing_if = "Priority::is_none")]
    pub priority: Priority,
    #[serde(default, skip_serializing_if = "Subtasks::is_empty")]
    pub subtasks: Subtasks,
    /// The todo's list; `None` is the owner's Inbox (todos from before lists, and every todo
    /// put in the Inbox: one way to say it, so a filter needs no list of lists).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_id: Option<ListId>,
    // Time of day and repeat rule: each needs a date (the service keeps that so).
    /// A wall-clock time in the user's zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_time: Option<DueTime>,
    /// Stored as its RFC 5545 RRULE text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat: Option<RepeatRule>,
    /// The rule's next date counts from the completion day instead of the due date.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub repeat_after_completion: bool,
    /// The days this repeating todo was done, oldest first (bounded).
    #[serde(default, skip_serializing_if = "Completions::is_empty")]
    pub completions: Completions,
    /// When to remind (issue 27); absent from records written before them.
    #[serde(default, skip_serializing_if = "Reminders::is_empty")]
    pub reminders: Reminders,
    /// The next moment one of `reminders` is due (derived by the service, which knows the
    /// user's zone, on every write that can change it; moved on by the sweep that sends
    /// it). Both stores index live todos by it, in the same write as the todo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remind_at: Option<Timestamp>,
    pub completed: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Starts at 1 and grows by one on every change (deleting and restoring included);
    /// stores write conditionally on it.
    pub version: u64,
    /// Set when the todo was deleted: it is hidden from every listing, lookup and tool, can
    /// be restored until this moment, and is purged (with its files) after it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_until: Option<Timestamp>,
    /// Set (one more version) by the purge of a deleted todo before it removes anything:
    /// from then on it cannot be restored, so a restore and a purge never both succeed, and a
    /// purge left half done is finished by the next one.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub purging: bool,
    /// The text searches match, prepared on the first search (never stored).
    #[serde(skip)]
    pub search: SearchText,
}

/// A todo's title, description, notes, labels and subtask titles in lower case, one line each, made on the first
/// search and kept with the todo: a cached list is searched again without lower-casing its
/// text again. A clone starts without it, since the clone's fields may then change.
#[derive(Default)]
pub struct SearchText(std::sync::OnceLock<Box<str>>);

impl Clone for SearchText {
    fn clone(&self) -> Self {
        Self::default()
    }
}

/// Derived from the fields, so it never makes two todos differ.
impl PartialEq for SearchText {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl Eq for SearchText {}

impl std::fmt::Debug for SearchText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SearchText")
    }
}

impl Todo {
    /// The lower-case text searches match (words never contain the newlines between fields).
    pub fn search_text(&self) -> &str {
        self.search.0.get_or_init(|| {
            let fields = [
                self.title.as_str(),
                self.description.as_str(),
                self.notes.as_str(),
            ];
            let labels = self.labels.iter().map(|l| l.as_str());
            let subtasks = self.subtasks.iter().map(|s| s.title.as_str());
            let parts: Vec<&str> = fields.into_iter().chain(labels).chain(subtasks).collect();
            parts.join("\n").to_lowercase().into_boxed_str()
        })
    }

    /// About how many bytes a search of this todo reads (to decide where a search runs).
    pub fn text_bytes(&self) -> usize {
        let subtasks: usize = self.subtasks.iter().map(|s| s.title.as_str().len()).sum();
        let labels: usize = self.labels.iter().map(|l| l.as_str().len()).sum();
        self.title.as_str().len()
            + self.description.as_str().len()
            + self.notes.as_str().len()
            + subtasks
            + labels
    }

    /// Not deleted (deleted todos wait in the store for a restore or their purge).
    pub fn is_live(&self) -> bool {
        self.deleted_until.is_none()
    }

    /// Deleted, its deadline after `now`, and not claimed by its purge.
    pub fn is_restorable_at(&self, now: Timestamp) -> bool {
        !self.purging && self.deleted_until.is_some_and(|until| until > now)
    }

    /// The first moment after `after` one of its reminders is due, in `zone`; none once it
    /// is completed or deleted.
    pub fn next_reminder(&self, zone: &jiff::tz::TimeZone, after: Timestamp) -> Option<Timestamp> {
        if self.completed || !self.is_live() || self.reminders.is_empty() {
            return None;
        }
        let due = self
            .date_due
            .and_then(|d| reminder::due_moment(d.date(), self.due_time, zone));
        reminder::next_after(&self.reminders, due, after)
    }

    /// The moment the store's time index holds for it: its next reminder while it is live.
    pub fn indexed_reminder(&self) -> Option<Timestamp> {
        self.remind_at.filter(|_| self.is_live())
    }

    /// This todo deleted until `until`, one version on.
    pub fn trashed(mut self, until: Timestamp) -> Self {
        self.deleted_until = Some(until);
        self.version += 1;
        self
    }

    /// This deleted todo back as it was, one version on.
    pub fn restored(mut self) -> Self {
        self.deleted_until = None;
        self.version += 1;
        self
    }

    pub fn to_wire(&self) -> app::wire::Todo {
        self.to_wire_in(ListId::inbox_of(&self.owner))
    }

    /// `to_wire` with the owner's Inbox id given: a list of todos derives it once, not once
    /// per todo (it is a digest of the owner).
    pub fn to_wire_in(&self, inbox: ListId) -> app::wire::Todo {
        app::wire::Todo {
            id: self.id.to_string(),
            title: self.title.as_str().to_owned(),
            description: self.description.as_str().to_owned(),
            notes: self.notes.as_str().to_owned(),
            date_due: self.date_due.map(DueDate::to_iso),
            labels: self.labels.to_strings(),
            priority: self.priority.get(),
            subtasks: self.subtasks.to_wire(),
            list_id: self.list_id.unwrap_or(inbox).to_string(),
            due_time: self.due_time.map(DueTime::to_hhmm),
            repeat: self.repeat.as_ref().map(|rule| app::wire::Repeat {
                rrule: rule.rrule(),
                text: rule.describe(self.repeat_after_completion),
                after_completion: self.repeat_after_completion,
            }),
            completions: self.completions.to_iso(),
            reminders: self.reminders.to_wire(),
            completed: self.completed,
            created_at: rfc3339(self.created_at),
            updated_at: rfc3339(self.updated_at),
            version: self.version,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_do_not_count_and_do_not_stay() {
        for invisible in [
            "\u{200B}",
            "\u{FEFF}",
            "\u{200B}\u{200D}\u{2060}",
            " \u{FEFF} ",
        ] {
            assert!(TodoTitle::parse(invisible).is_err(), "{invisible:?}");
        }
        let title = TodoTitle::parse("\u{202E}gpj.exe\u{202C} invoice").unwrap();
        assert_eq!(title.as_str(), "gpj.exe invoice");
        let notes = BoundedText::parse("a\u{2028}b\u{200B}", "notes", 10).unwrap();
        assert_eq!(notes.as_str(), "a\nb");
    }

    #[test]
    fn due_dates_are_iso_calendar_dates() {
        assert_eq!(DueDate::parse("2026-03-05").unwrap().to_iso(), "2026-03-05");
        assert_eq!(DueDate::parse("1900-01-01").unwrap().to_iso(), "1900-01-01");
        assert_eq!(DueDate::parse("2999-12-31").unwrap().to_iso(), "2999-12-31");
        let far = DueDate::parse("0000-01-01").unwrap_err();
        assert!(far.0.contains("1900-01-01 to 2999-12-31"), "{far}");
        for bad in [
            "2026-02-30",
            "05/03/2026",
            "tomorrow",
            "2026-3-5",
            "",
            "20260305",
            "+002026-03-05",
            "2026-03-05T00:00",
            "-0001-01-01",
            "0000-01-01",
            "1899-12-31",
            "3000-01-01",
            "9999-12-31",
        ] {
            assert!(DueDate::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn the_search_text_holds_labels_and_subtask_titles() {
        let mut todo: Todo = serde_json::from_value(serde_json::json!({
            "owner": "u", "id": TodoId::new(), "title": "Trip", "description": "", "notes": "",
            "date_due": null, "completed": false, "created_at": "2026-01-01T00:00:00Z",
            "updated_at": "2026-01-01T00:00:00Z", "version": 1,
            "labels": ["summer"], "subtasks": [{"id": crate::domain::SubtaskId::new(), "title": "Pack Sunscreen"}]
        }))
        .unwrap();
        let text = todo.search_text().to_owned();
        assert!(
            text.contains("summer") && text.contains("pack sunscreen"),
            "{text}"
        );
        todo.priority = Priority::HIGHEST;
        assert_eq!(todo.to_wire().priority, 1);
        assert_eq!(todo.to_wire().labels, ["summer"]);
    }

    #[test]
    fn a_record_stored_before_times_and_rules_reads_with_none() {
        let old = r#"{"owner":"u","id":"0193a5b2-7c4e-7000-8000-000000000001","title":"Old",
            "description":"","notes":"","date_due":"2026-03-05","completed":false,
            "created_at":"2026-03-01T00:00:00Z","updated_at":"2026-03-01T00:00:00Z","version":4}"#;
        let todo: Todo = serde_json::from_str(old).unwrap();
        assert_eq!(todo.due_time, None);
        assert_eq!(todo.repeat, None);
        assert!(!todo.repeat_after_completion);
        assert!(todo.completions.is_empty());
        let wire = todo.to_wire();
        assert_eq!((wire.due_time, wire.repeat), (None, None));
        assert!(wire.completions.is_empty());
        // And a record without them is written without them (nothing new for old readers).
        let json = serde_json::to_string(&todo).unwrap();
        assert!(
            !json.contains("due_time") && !json.contains("repeat"),
            "{json}"
        );
    }

    #[test]
    fn bounded_text_keeps_newlines_and_refuses_other_controls() {
        assert!(BoundedText::parse("a\nb", "notes", 10).is_ok());
        assert!(BoundedText::parse("a\u{0007}", "notes", 10).is_err());
        assert!(BoundedText::parse(&"n".repeat(11), "notes", 10).is_err());
    }
}
