//! Reminders in words: quick add's `!` marks ("!30m", "!1h", "!2d", "!9am", "!tomorrow 9am")
//! and the phrases people say ("remind me 1h before", "remind me an hour before", "remind me
//! at 9am tomorrow", "remind me at the due time", "remind me the day before"), read into a
//! [`When`]. Shared by the browser's quick add (in wasm) and the server's assistant and
//! tools, so a line means the same wherever it is typed.
//!
//! The marks (one word after `!`, or a date and a time, no space after the `!`):
//! - `!30m`, `!90min`, `!1h`, `!2d`, `!1w`: that long before the due date and time
//!   (`beforeMinutes`; a dated todo without a time counts from 09:00, as the server does).
//! - `!due` (or `!0`): at the due time.
//! - `!9am`, `!14:30`: at that time on the due date (without a date: the next such time).
//! - `!tomorrow`, `!tomorrow 9am`, `!fri 5pm`, `!2026-12-24 18:00`: at that moment (a
//!   date alone: 09:00); `!in 20m`: twenty minutes from now.
//!
//! `!` is Todoist's reminder mark; TickTick's `!` (priority) is `p1`–`p4` here. A word that
//! starts with `!` and reads as none of these ("!important") stays in the title.
//!
//! The phrases start with "remind me" (quick add) or are what follows it (the assistant's
//! slot, [`parse_when`]): "N minutes/hours/days/weeks before", "an hour before", "the day
//! before", "at the due time", "when it's due", "at 9am tomorrow", "tomorrow at 9",
//! "on friday at 5pm", "in 20 minutes" (from now).
//!
//! Cost: a reminder is at most [`MAX_WORDS`] words; longer text is not read further, so
//! every function here is linear in its input.

use jiff::{
    Span,
    civil::{Date, DateTime, Time},
};

use super::{
    dates::{self, friendly, number},
    times,
};

/// A todo's reminders at most (the server checks the same number).
pub const MAX_REMINDERS: usize = 5;
/// The longest "before": four weeks, in minutes (the server checks the same number).
pub const MAX_BEFORE_MINUTES: u32 = 40_320;
/// "remind me at 5:30 pm on the 3rd of december" is ten words.
pub const MAX_WORDS: usize = 10;
/// A date alone ("!tomorrow", "remind me on friday") reminds at this time.
pub const DEFAULT_TIME: Time = Time::constant(9, 0, 0, 0);

/// When a reminder fires, as the words say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Minutes before the due date and time (0: at it): the wire's `beforeMinutes`.
    Before(u32),
    /// At a time of day, on this date or, without one, on the todo's due date (or the next
    /// such time when it has none).
    At { date: Option<Date>, time: Time },
    /// Minutes from now ("in 20 minutes").
    In(u32),
}

/// A reminder's moment in the user's time zone, or minutes before the due time: what the
/// wire's `{"at"}` (once converted with the user's zone) and `{"beforeMinutes"}` carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved {
    Before(u32),
    At(DateTime),
}

impl When {
    /// The moment this means for a todo due on `due`, `now` being the user's local time.
    pub fn resolve(self, due: Option<Date>, now: DateTime) -> Option<Resolved> {
        Some(match self {
            Self::Before(minutes) => Resolved::Before(minutes),
            Self::At {
                date: Some(date),
                time,
            } => Resolved::At(date.to_datetime(time)),
            Self::At { date: None, time } => {
                let day = match due {
                    Some(due) => due,
                    None if now.time() < time => now.date(),
                    None => later(now.date(), 1)?,
                };
                Resolved::At(day.to_datetime(time))
            }
            Self::In(minutes) => {
                // By hand, in days and minutes: jiff's date-time arithmetic would add a
                // large part of jiff to the browser's download for this one sum.
                let of_day = i64::from(now.hour()) * 60 + i64::from(now.minute());
                let total = of_day + i64::from(minutes);
                let day = later(now.date(), total / 1_440)?;
                let left = total % 1_440;
                let time = Time::new((left / 60) as i8, (left % 60) as i8, 0, 0).ok()?;
                Resolved::At(day.to_datetime(time))
            }
        })
    }

    /// The quick-add mark that reads as this again: "!due", "!90m", "!09:00",
    /// "!2026-11-26 09:00", "!in 20m" (what the assistant passes to `addTodo`'s details).
    pub fn to_mark(self) -> String {
        match self {
            Self::Before(0) => "!due".to_owned(),
            Self::Before(minutes) => format!("!{minutes}m"),
            Self::At { date: None, time } => format!("!{}", times::to_hhmm(time)),
            Self::At {
                date: Some(date),
                time,
            } => format!("!{} {}", dates::to_iso(date), times::to_hhmm(time)),
            Self::In(minutes) => format!("!in {minutes}m"),
        }
    }

    /// Whether it counts from the due date (so the todo needs one).
    pub fn needs_due_date(self) -> bool {
        matches!(self, Self::Before(_))
    }

    /// What a chip says: "30 min before", "1 h before", "2 days before", "at the due time",
    /// "Thu, Nov 26 (tomorrow) 09:00", "09:00", "in 20 min".
    pub fn describe(self, today: Date) -> String {
        match self {
            Self::Before(0) => "at the due time".to_owned(),
            Self::Before(minutes) => format!("{} before", duration(minutes)),
            Self::At {
                date: Some(date),
                time,
            } => format!("{} {}", friendly(date, today), times::to_hhmm(time)),
            Self::At { date: None, time } => times::to_hhmm(time),
            Self::In(minutes) => format!("in {}", duration(minutes)),
        }
    }
}

/// `days` days after `date` (a date span, as the dates grammar adds them).
fn later(date: Date, days: i64) -> Option<Date> {
    date.checked_add(Span::new().try_days(days).ok()?).ok()
}

/// "30 min", "1 h", "1 h 30 min", "2 days", "1 week".
pub fn duration(minutes: u32) -> String {
    let plural = |n: u32, one: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {one}s")
        }
    };
    match minutes {
        m if m >= 10_080 && m % 10_080 == 0 => plural(m / 10_080, "week"),
        m if m >= 1_440 && m % 1_440 == 0 => plural(m / 1_440, "day"),
        m if m >= 60 && m % 60 == 0 => format!("{} h", m / 60),
        m if m > 60 => format!("{} h {} min", m / 60, m % 60),
        m => format!("{m} min"),
    }
}

/// Minutes per unit word: "m", "min", "minutes", "h", "hours", "d", "days", "w", "weeks".
fn unit(word: &str) -> Option<u32> {
    Some(match word {
        "m" | "min" | "mins" | "minute" | "minutes" => 1,
        "h" | "hr" | "hrs" | "hour" | "hours" => 60,
        "d" | "day" | "days" => 1_440,
        "w" | "wk" | "wks" | "week" | "weeks" => 10_080,
        _ => return None,
    })
}

/// `n` units in minutes, within the longest "before".
fn minutes(n: i64, per: u32) -> Option<u32> {
    u32::try_from(n)
        .ok()?
        .checked_mul(per)
        .filter(|m| *m <= MAX_BEFORE_MINUTES)
}

/// "30m", "1h", "90min", "2d", "1w" (digits then a unit, one word).
fn compact(word: &str) -> Option<u32> {
    let split = word.find(|c: char| !c.is_ascii_digit())?;
    let (digits, unit_word) = word.split_at(split);
    if digits.is_empty() || digits.len() > 5 {
        return None;
    }
    minutes(digits.parse().ok()?, unit(unit_word)?)
}

/// A length of time: "30m", "30 minutes", "an hour", "half an hour", "2 days", "a week".
fn length(words: &[&str]) -> Option<u32> {
    match words {
        [one] => compact(one),
        ["half", "an", "hour"] | ["half", "hour"] => Some(30),
        ["a", "quarter", "hour"] | ["quarter", "hour"] | ["a", "quarter", "of", "an", "hour"] => {
            Some(15)
        }
        [n, per] => minutes(number(n)?, unit(per)?),
        _ => None,
    }
}

/// Words after a length that make it a "before": "before", "before it's due", "earlier",
/// "ahead", "in advance", "before the due time".
fn before_words(words: &[&str]) -> bool {
    matches!(
        words,
        ["before" | "earlier" | "ahead" | "prior"]
            | ["in", "advance"]
            | ["before", "it" | "due"]
            | ["before", "it's" | "its", "due"]
            | ["before", "it", "is", "due"]
            | ["before", "the", "due" | "deadline"]
            | ["before", "the", "due", "time" | "date"]
            | ["before", "due", "time"]
    )
}

/// "at the due time", "when it's due", "on time": zero minutes before.
fn at_due(words: &[&str]) -> bool {
    matches!(
        words,
        ["at", "the", "due", "time" | "date"]
            | ["at", "due", "time"]
            | ["at", "the", "time"]
            | ["when", "it's" | "its", "due"]
            | ["when", "it", "is", "due"]
            | ["when", "due"]
            | ["on", "time"]
            | ["due"]
            | ["0"]
    )
}

/// A time of day that says it is one ("9am", "at 9", "14:30", "noon", "tonight"); with
/// `loose`, also the words that only mean one beside a date ("tomorrow morning").
fn time_of(words: &[&str], loose: bool) -> Option<Time> {
    let phrase = words.join(" ");
    let says_time = loose
        || words.first() == Some(&"at")
        || phrase.chars().any(|c| c.is_ascii_digit())
        || ["noon", "midnight", "tonight", "midday"].contains(&phrase.as_str());
    times::parse(&phrase).filter(|_| says_time)
}

/// A date and a time in either order, or one of them: "at 9am tomorrow", "tomorrow at 9",
/// "on friday at 5pm", "friday 5pm", "9am", "tomorrow" (at [`DEFAULT_TIME`]).
fn moment(words: &[&str], today: Date) -> Option<When> {
    if words.is_empty() {
        return None;
    }
    if let Some(time) = time_of(words, false) {
        let date = (words == ["tonight"]).then_some(today);
        return Some(When::At { date, time });
    }
    let n = words.len();
    for k in 1..=times::MAX_WORDS.min(n - 1) {
        // The time first ("at 9am tomorrow"), then the date.
        if let (Some(time), Some(date)) = (
            time_of(&words[..k], true),
            dates::parse(&words[k..].join(" "), today),
        ) {
            return Some(When::At {
                date: Some(date),
                time,
            });
        }
        // The date first ("tomorrow at 9am").
        if let (Some(time), Some(date)) = (
            time_of(&words[n - k..], true),
            dates::parse(&words[..n - k].join(" "), today),
        ) {
            return Some(When::At {
                date: Some(date),
                time,
            });
        }
    }
    // "now" is a date word for due dates; a reminder "now" is not one.
    if matches!(words, ["now"]) {
        return None;
    }
    let date = dates::parse(&words.join(" "), today)?;
    Some(When::At {
        date: Some(date),
        time: DEFAULT_TIME,
    })
}

/// The lower-cased words of `phrase` (commas are spaces), or `None` past [`MAX_WORDS`].
fn words_of(phrase: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    for word in phrase
        .split([' ', '\t', '\n', ','])
        .filter(|w| !w.is_empty())
    {
        if words.len() == MAX_WORDS {
            return None;
        }
        words.push(word.to_lowercase().replace('’', "'"));
    }
    Some(words)
}

/// What follows "remind me" ("an hour before", "at 9am tomorrow", "the day before", "at the
/// due time", "in 20 minutes"): the assistant's reminder slot.
pub fn parse_when(phrase: &str, today: Date) -> Option<When> {
    let owned = words_of(phrase)?;
    let words: Vec<&str> = owned.iter().map(String::as_str).collect();
    when(&words, today)
}

fn when(words: &[&str], today: Date) -> Option<When> {
    if at_due(words) {
        return Some(When::Before(0));
    }
    match words {
        ["the" | "a" | "one", "day", "before" | "earlier"] => return Some(When::Before(1_440)),
        ["the" | "a" | "one", "week", "before" | "earlier"] => return Some(When::Before(10_080)),
        ["in", rest @ ..] if !rest.is_empty() => {
            if let Some(m) = length(rest).filter(|m| *m > 0) {
                return Some(When::In(m));
            }
        }
        _ => {}
    }
    // A length and its "before" ("an hour before", "30 minutes before it's due").
    for cut in 1..words.len().min(6) {
        if before_words(&words[cut..]) {
            return length(&words[..cut]).map(When::Before);
        }
    }
    moment(words, today)
}

/// A whole "remind me …" phrase, as quick add reads it in a line.
pub fn parse_phrase(phrase: &str, today: Date) -> Option<When> {
    let owned = words_of(phrase)?;
    let words: Vec<&str> = owned.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["remind", "me" | "us", rest @ ..] | ["reminder", rest @ ..] if !rest.is_empty() => {
            when(rest, today)
        }
        _ => None,
    }
}

/// A quick-add mark: `!30m`, `!1h`, `!due`, `!9am`, `!tomorrow 9am` (see the module doc).
pub fn parse_mark(phrase: &str, today: Date) -> Option<When> {
    let rest = phrase.trim().strip_prefix('!')?;
    if rest.starts_with(char::is_whitespace) || rest.starts_with('!') {
        return None;
    }
    let owned = words_of(rest)?;
    let words: Vec<&str> = owned.iter().map(String::as_str).collect();
    if words.len() > 4 {
        return None;
    }
    match words.as_slice() {
        ["due" | "0"] => Some(When::Before(0)),
        [one] if compact(one).is_some() => compact(one).map(When::Before),
        ["in", rest @ ..] => length(rest).filter(|m| *m > 0).map(When::In),
        _ => moment(&words, today),
    }
}

/// A reminder in a quick-add line: a `!` mark or a "remind me …" phrase.
pub fn parse(phrase: &str, today: Date) -> Option<When> {
    if phrase.trim_start().starts_with('!') {
        parse_mark(phrase, today)
    } else {
        parse_phrase(phrase, today)
    }
}

/// Whether a word may start a reminder in a line (what quick add tries from).
pub fn starts_reminder(word: &str) -> bool {
    (word.starts_with('!') && word.len() > 1) || word.eq_ignore_ascii_case("remind")
}

#[cfg(test)]
mod tests;
