//! Quick add: a todo line ("call mom friday", "pay rent on the 1st") read as a title and
//! the due date it ends with. The browser runs this on every keystroke (the chip and Enter
//! use the same reading); the assistant's "add ..." reads its text the same way.
//!
//! Todoist's marks anywhere in the line (`#list`, `@label`, `p1`–`p4`, see [`super::tags`])
//! are taken out of the title first.
//!
//! A line is at most what a todo can be: a title of [`TITLE_MAX_CHARS`] plus its date
//! words ([`LINE_MAX_CHARS`] in all). Longer text is refused with a sentence before any
//! parsing, and the parse itself is linear, so no input makes it slow.

use jiff::civil::Date;

use super::{
    dates::{friendly, split_trailing_date},
    tags::{Tag, TagKind, find_tags, without_tags},
};

/// A todo title's limit (the server's `TodoTitle` checks the same number).
pub const TITLE_MAX_CHARS: usize = 200;

/// A quick-add line's limit: a whole title plus room for the longest date words
/// (" due by the end of next month" and the like).
pub const LINE_MAX_CHARS: usize = TITLE_MAX_CHARS + 60;

/// What a quick-add line means.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QuickAdd {
    /// The title without the date words (all of the text when it names no date).
    pub title: String,
    /// The due date understood.
    pub date_due: Option<Date>,
    /// The due date as the chip shows it: "Fri, Nov 27".
    pub label: Option<String>,
    /// The marks found (`#list`, `@label`, `p1`), in the order typed: one chip each.
    pub tags: Vec<Tag>,
}

/// Why a line cannot be added as it is: a sentence for the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TooLong(pub String);

impl QuickAdd {
    /// Reads `text` as a title and a trailing due date, relative to `today` (the user's).
    pub fn read(text: &str, today: Date) -> Result<Self, TooLong> {
        Self::read_keeping(text, today, &[])
    }

    /// As [`Self::read`], with the marks whose source is in `kept` left in the title (chips
    /// the user dismissed).
    pub fn read_keeping(text: &str, today: Date, kept: &[String]) -> Result<Self, TooLong> {
        let chars = text.trim().chars().count();
        if chars > LINE_MAX_CHARS {
            return Err(TooLong(format!(
                "That is {chars} characters; a todo line takes at most {LINE_MAX_CHARS} \
                 (a title of up to {TITLE_MAX_CHARS} and its date)."
            )));
        }
        let tags = find_tags(text, kept);
        let rest = if tags.is_empty() {
            text.to_owned()
        } else {
            without_tags(text, &tags)
        };
        let (title, date_due) = split_quick_add(&rest, today);
        let title_chars = title.chars().count();
        if title_chars > TITLE_MAX_CHARS {
            return Err(TooLong(format!(
                "The title is {title_chars} characters long; the limit is {TITLE_MAX_CHARS}."
            )));
        }
        Ok(Self {
            title,
            date_due,
            label: date_due.map(|d| friendly(d, today)),
            tags,
        })
    }

    /// The list named by the last `#list` mark (its name as typed).
    pub fn list(&self) -> Option<&str> {
        self.tags
            .iter()
            .rfind(|t| t.kind == TagKind::List)
            .map(|t| t.value.as_str())
    }

    /// The labels marked, each once, in the order typed.
    pub fn labels(&self) -> Vec<String> {
        let mut labels: Vec<String> = Vec::new();
        for tag in self.tags.iter().filter(|t| t.kind == TagKind::Label) {
            if !labels.contains(&tag.value) {
                labels.push(tag.value.clone());
            }
        }
        labels
    }

    /// The priority of the last `p1`–`p4` mark.
    pub fn priority(&self) -> Option<u8> {
        self.tags
            .iter()
            .rfind(|t| t.kind == TagKind::Priority)
            .and_then(|t| t.value.parse().ok())
    }
}

/// The title and the date a text ends with, as the assistant reads "add <text>". Words in
/// quotes stay literal: the date must come after the last quote. Linear in the text.
pub fn split_quick_add(text: &str, today: Date) -> (String, Option<Date>) {
    let text = text.trim();
    let quotes = ['"', '“', '”'];
    // After the last quote (curly quotes are three bytes long).
    let literal_end = text
        .char_indices()
        .rev()
        .find(|(_, c)| quotes.contains(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let (literal, rest) = text.split_at(literal_end);
    // At least one word must stay as the title.
    let padded = if literal.trim().is_empty() {
        rest.to_owned()
    } else {
        format!("x {rest}")
    };
    match split_trailing_date(&padded, today) {
        (_, None) => (text.to_owned(), None),
        (head, Some(date)) => {
            let head = if literal.trim().is_empty() {
                head
            } else {
                format!("{literal}{}", head.strip_prefix('x').unwrap_or(&head))
            };
            (head.trim().to_owned(), Some(date))
        }
    }
}

/// Phrasings the add box and the assistant's "add ..." both read, with the title and due
/// date (relative to Wednesday 2026-11-25) each must give: one table for both test suites.
pub const QUICK_ADD_CASES: &[(&str, &str, Option<&str>)] = &[
    ("call mom friday", "call mom", Some("2026-11-27")),
    ("pay rent on the 1st", "pay rent", Some("2026-12-01")),
    ("buy milk tomorrow", "buy milk", Some("2026-11-26")),
    (
        "Renew passport by next Friday",
        "Renew passport",
        Some("2026-12-04"),
    ),
    (
        "book flights in 2 weeks",
        "book flights",
        Some("2026-12-09"),
    ),
    ("dentist on March 5", "dentist", Some("2027-03-05")),
    (
        "file taxes end of the month",
        "file taxes",
        Some("2026-11-30"),
    ),
    ("Read chapter 5", "Read chapter 5", None),
    ("water the plants", "water the plants", None),
    (
        "watch \"friday night lights\"",
        "watch \"friday night lights\"",
        None,
    ),
    (
        "read \"the 1st of may\" monday",
        "read \"the 1st of may\"",
        Some("2026-11-30"),
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    // Wednesday, 25 November 2026.
    const TODAY: Date = date(2026, 11, 25);

    #[test]
    fn quick_add_reads_the_shared_cases() {
        for (text, title, due) in QUICK_ADD_CASES {
            let found = QuickAdd::read(text, TODAY).unwrap();
            assert_eq!(found.title, *title, "{text}");
            assert_eq!(
                found.date_due.map(|d| d.to_string()).as_deref(),
                *due,
                "{text}"
            );
            assert_eq!(found.label.is_some(), due.is_some(), "{text}");
        }
        let found = QuickAdd::read("call mom friday", TODAY).unwrap();
        assert_eq!(found.label.as_deref(), Some("Fri, Nov 27"));
    }

    #[test]
    fn marks_leave_the_title_and_the_date() {
        let found = QuickAdd::read("pay rent #home @bills p1 friday", TODAY).unwrap();
        assert_eq!(found.title, "pay rent");
        assert_eq!(found.date_due, Some(date(2026, 11, 27)));
        assert_eq!(found.list(), Some("home"));
        assert_eq!(found.labels(), ["bills"]);
        assert_eq!(found.priority(), Some(1));
        let found = QuickAdd::read("@a buy milk @b @a p3 p2", TODAY).unwrap();
        assert_eq!(found.title, "buy milk");
        assert_eq!(found.labels(), ["a", "b"]);
        assert_eq!(found.priority(), Some(2));
        let kept = QuickAdd::read_keeping("tweet #rustlang", TODAY, &["#rustlang".into()]);
        assert_eq!(kept.unwrap().title, "tweet #rustlang");
    }

    #[test]
    fn curly_quotes_keep_their_words_literal() {
        // Found by `make fuzz`: a curly quote is three bytes, and the cut after it panicked.
        let found = QuickAdd::read("read “the 1st of may” monday", TODAY).unwrap();
        assert_eq!(found.title, "read “the 1st of may”");
        assert_eq!(found.date_due, Some(date(2026, 11, 30)));
        let found = QuickAdd::read("watch “friday”", TODAY).unwrap();
        assert_eq!(
            (found.title.as_str(), found.date_due),
            ("watch “friday”", None)
        );
    }

    #[test]
    fn a_line_longer_than_a_todo_is_refused_with_a_sentence() {
        let long = "word ".repeat(5_000);
        let TooLong(message) = QuickAdd::read(&long, TODAY).unwrap_err();
        assert!(message.contains("at most 260"), "{message}");
        // A title of 200 characters and a date fits; 201 characters of title does not.
        let title = "a".repeat(TITLE_MAX_CHARS);
        let found = QuickAdd::read(&format!("{title} due by next friday"), TODAY).unwrap();
        assert_eq!(found.title, title);
        assert!(found.date_due.is_some());
        let TooLong(message) = QuickAdd::read(&format!("{title}b tomorrow"), TODAY).unwrap_err();
        assert!(message.contains("201 characters"), "{message}");
    }
}
