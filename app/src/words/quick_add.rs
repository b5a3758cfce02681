//! Quick add: a todo line ("call mom friday", "pay rent on the 1st") read as a title and
//! the due date it ends with. The browser runs this on every keystroke (the chip and Enter
//! use the same reading); the assistant's "add ..." reads its text the same way.
//!
//! Todoist's marks anywhere in the line (`#list`, `@label`, `p1`–`p4`, see [`super::tags`])
//! are taken out of the title first, then a repeat rule ("every saturday", see
//! [`super::repeat`]) and a time of day ("at 5pm", "9:30", see [`super::times`]) wherever
//! they stand, then the trailing date.
//!
//! A line is at most what a todo can be: a title of [`TITLE_MAX_CHARS`] plus its date
//! words ([`LINE_MAX_CHARS`] in all). Longer text is refused with a sentence before any
//! parsing, and the parse itself is linear, so no input makes it slow.

use jiff::civil::{Date, Time};

use super::{
    dates::{friendly, split_trailing_date},
    reminders::{self, MAX_REMINDERS, When},
    repeat::{self, Repeat},
    tags::{Tag, TagKind, find_tags, without_tags},
    times,
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
    /// The repeat rule and its words as typed (what a dismissed chip keeps).
    pub repeat: Option<(Repeat, String)>,
    /// The time of day and its words as typed.
    pub time: Option<(Time, String)>,
    /// The reminders ("!30m", "remind me at 9am tomorrow"), each with its words as typed,
    /// in the order typed; at most [`MAX_REMINDERS`] (more stay words of the title).
    pub reminders: Vec<(When, String)>,
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
        // Reminders first: "!tomorrow 9am" holds a date and a time of its own.
        let mut rest = rest;
        let mut reminders = Vec::new();
        while reminders.len() < MAX_REMINDERS {
            let (left, found) = take_phrase(
                &rest,
                kept,
                reminders::starts_reminder,
                reminders::MAX_WORDS,
                |p| reminders::parse(p, today),
            );
            let Some(found) = found else { break };
            reminders.push(found);
            rest = left;
        }
        // Taken last one first.
        reminders.reverse();
        let (rest, repeat) = take_phrase(
            &rest,
            kept,
            |w| REPEAT_STARTS.contains(&w.to_lowercase().as_str()),
            repeat::MAX_WORDS,
            repeat::parse,
        );
        let (rest, time) = take_phrase(
            &rest,
            kept,
            |_| true,
            times::MAX_WORDS,
            |p| times::parse(p).filter(|_| is_time_phrase(p)),
        );
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
            repeat,
            time,
            reminders,
        })
    }

    /// The first reminder that counts from a due date the line does not give (a repeat rule
    /// gives one: the server starts it on its first day), with the sentence that says so.
    pub fn undated_reminder(&self) -> Option<String> {
        if self.date_due.is_some() || self.repeat.is_some() || self.time.is_some() {
            return None;
        }
        let (_, words) = self.reminders.iter().find(|(w, _)| w.needs_due_date())?;
        Some(format!(
            "“{words}” reminds before the due date, and this todo has none: add a date \
             (“tomorrow 5pm”), or remind at a moment instead (“!tomorrow 9am”)."
        ))
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

/// Words a repeat rule starts with.
const REPEAT_STARTS: &[&str] = &[
    "every", "every!", "each", "daily", "weekly", "monthly", "yearly", "annually",
];

/// A phrase that reads as a time only when it says so: "at 9", "5pm", "9:30", "tonight"
/// ("morning" or "noon" alone stay words of the title: "read the morning paper").
fn is_time_phrase(phrase: &str) -> bool {
    let lower = phrase.to_lowercase();
    lower.starts_with("at ")
        || lower.starts_with('@')
        || lower == "tonight"
        || lower.chars().any(|c| c.is_ascii_digit())
}

/// The longest phrase of at most `max_words` words (outside quotes) that `read` accepts,
/// starting at a word `starts` accepts, taken out of `text`; the last one found wins.
/// Phrases whose words are in `kept` stay. Linear: `max_words` tries per word.
fn take_phrase<T>(
    text: &str,
    kept: &[String],
    starts: impl Fn(&str) -> bool,
    max_words: usize,
    read: impl Fn(&str) -> Option<T>,
) -> (String, Option<(T, String)>) {
    if text.contains(['"', '“', '”']) {
        return (text.to_owned(), None);
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut found: Option<(usize, usize, T, String)> = None;
    for start in 0..words.len() {
        // Inside the phrase already found ("at 5pm", then "5pm"): not a new one.
        if found.as_ref().is_some_and(|(_, end, ..)| start < *end) {
            continue;
        }
        if !starts(words[start]) {
            continue;
        }
        for end in (start + 1..=(start + max_words).min(words.len())).rev() {
            let phrase = words[start..end].join(" ");
            if kept.contains(&phrase) {
                continue;
            }
            if let Some(value) = read(&phrase) {
                found = Some((start, end, value, phrase));
                break;
            }
        }
    }
    match found {
        // The title keeps at least one word.
        Some((start, end, value, phrase)) if end - start < words.len() => {
            let mut rest: Vec<&str> = words[..start].to_vec();
            rest.extend_from_slice(&words[end..]);
            (rest.join(" "), Some((value, phrase)))
        }
        _ => (text.to_owned(), None),
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
    fn a_repeat_rule_and_a_time_anywhere_in_the_line() {
        let found = QuickAdd::read("water plants every saturday #home @garden p2", TODAY).unwrap();
        assert_eq!(found.title, "water plants");
        let (rule, words) = found.repeat.clone().unwrap();
        assert_eq!(
            (rule.describe().as_str(), words.as_str()),
            ("every Saturday", "every saturday")
        );
        assert_eq!(found.list(), Some("home"));
        let found = QuickAdd::read("call mom tomorrow at 5pm", TODAY).unwrap();
        assert_eq!(found.title, "call mom");
        assert_eq!(found.date_due, Some(date(2026, 11, 26)));
        assert_eq!(
            found.time.map(|(t, _)| times::to_hhmm(t)).as_deref(),
            Some("17:00")
        );
        let found = QuickAdd::read("stand-up every weekday 9:30", TODAY).unwrap();
        assert_eq!(found.title, "stand-up");
        assert_eq!(found.time.unwrap().0, Time::constant(9, 30, 0, 0));
        // Words that only look like times stay in the title; a dismissed rule stays too.
        let found = QuickAdd::read("read the morning paper", TODAY).unwrap();
        assert_eq!(
            (found.title.as_str(), found.time),
            ("read the morning paper", None)
        );
        let kept = QuickAdd::read_keeping("every day counts", TODAY, &["every day".into()]);
        assert_eq!(kept.unwrap().repeat, None);
        let alone = QuickAdd::read("daily", TODAY).unwrap();
        assert_eq!((alone.title.as_str(), alone.repeat), ("daily", None));
    }

    #[test]
    fn reminders_anywhere_in_the_line() {
        // (line, title, due date, the reminders' chips, their words as typed)
        type Case<'a> = (
            &'a str,
            &'a str,
            Option<&'a str>,
            &'a [&'a str],
            &'a [&'a str],
        );
        let cases: &[Case] = &[
            (
                "dentist friday 3pm !1h",
                "dentist",
                Some("2026-11-27"),
                &["1 h before"],
                &["!1h"],
            ),
            (
                "dentist !30m friday 3pm !due",
                "dentist",
                Some("2026-11-27"),
                &["30 min before", "at the due time"],
                &["!30m", "!due"],
            ),
            (
                "call mom !tomorrow 9am",
                "call mom",
                None,
                &["Thu, Nov 26 (tomorrow) 09:00"],
                &["!tomorrow 9am"],
            ),
            (
                "pay rent on the 1st remind me the day before",
                "pay rent",
                Some("2026-12-01"),
                &["1 day before"],
                &["remind me the day before"],
            ),
            (
                "dentist friday 3pm remind me an hour before @health",
                "dentist",
                Some("2026-11-27"),
                &["1 h before"],
                &["remind me an hour before"],
            ),
            (
                "call mom remind me at 9am tomorrow",
                "call mom",
                None,
                &["Thu, Nov 26 (tomorrow) 09:00"],
                &["remind me at 9am tomorrow"],
            ),
            (
                "remind me to call mom",
                "remind me to call mom",
                None,
                &[],
                &[],
            ),
            (
                "fix the !important bug",
                "fix the !important bug",
                None,
                &[],
                &[],
            ),
            (
                "say \"!30m\" out loud",
                "say \"!30m\" out loud",
                None,
                &[],
                &[],
            ),
        ];
        for (line, title, due, chips, words) in cases {
            let found = QuickAdd::read(line, TODAY).unwrap();
            assert_eq!(found.title, *title, "{line}");
            assert_eq!(
                found.date_due.map(|d| d.to_string()).as_deref(),
                *due,
                "{line}"
            );
            let shown: Vec<String> = found
                .reminders
                .iter()
                .map(|(w, _)| w.describe(TODAY))
                .collect();
            assert_eq!(shown, *chips, "{line}");
            let typed: Vec<&str> = found.reminders.iter().map(|(_, s)| s.as_str()).collect();
            assert_eq!(typed, *words, "{line}");
        }
        // At most five; a dismissed one stays in the title as typed.
        let found = QuickAdd::read("x !1m !2m !3m !4m !5m !6m", TODAY).unwrap();
        assert_eq!((found.title.as_str(), found.reminders.len()), ("x !1m", 5));
        let kept = QuickAdd::read_keeping("sell !1h tickets", TODAY, &["!1h".into()]).unwrap();
        assert_eq!(
            (kept.title.as_str(), kept.reminders.len()),
            ("sell !1h tickets", 0)
        );
    }

    #[test]
    fn a_reminder_before_no_date_gets_a_sentence() {
        let found = QuickAdd::read("call mom !30m", TODAY).unwrap();
        let sentence = found.undated_reminder().unwrap();
        assert!(sentence.contains("“!30m”"), "{sentence}");
        for fine in [
            "call mom !30m friday",
            "call mom !30m at 5pm",
            "water plants every monday !due",
            "call mom !9am",
            "call mom",
        ] {
            let found = QuickAdd::read(fine, TODAY).unwrap();
            assert_eq!(found.undated_reminder(), None, "{fine}");
        }
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
