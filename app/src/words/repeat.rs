//! Repeat rules in plain English ("every monday", "every 2 weeks", "every month on the last
//! day", "every 3 days after completion") read into a small typed [`Repeat`], and written
//! back as readable text ([`Rule::describe`]) that reads again as the same rule. Shared by
//! the browser (quick add shows what it understood, with no recurrence crate in the wasm)
//! and the server, which turns a [`Rule`] into an RFC 5545 RRULE and computes occurrences.
//!
//! Understood (case-insensitive; commas are spaces; "each" is "every"):
//! - `daily`, `weekly`, `monthly`, `yearly` (`annually`); `every day|week|month|year`;
//!   `every N days|weeks|months|years` (N in digits or words up to twelve; `other` is 2).
//! - Weekdays: `every monday`, `every mon, wed and fri`, `every mondays`, `every weekday`
//!   (Monday to Friday), `every weekend`, `every other tuesday`, `every 2 weeks on monday`,
//!   `every week on monday and thursday`.
//! - Days of the month: `every 1st`, `every 15th (of the month)`, `every last day (of the
//!   month)`, `every month on the 15th`, `every 2 months on the last day`. A day 29–31
//!   falls on the last day of shorter months (what a calendar user means by "the 31st").
//! - Days of the year: `every year on mar 3`, `every year on march 3rd`, `every 3 march`,
//!   `every mar 3`. Feb 29 falls on Feb 28 in common years.
//! - `after completion` at the end (or `every!`, Todoist's spelling): the next date counts
//!   from the day the todo is completed instead of its due date.
//!
//! Cost: a rule is at most [`MAX_WORDS`] words; longer text is not a rule, read no further.

use jiff::civil::{Date, Weekday};

use super::dates::{day_of_month, month, number, weekday};

/// The most words a rule has ("every 2 weeks on mon tue wed thu and fri after completion").
pub const MAX_WORDS: usize = 16;
/// The largest interval ("every 365 days"): more is a typing mistake.
pub const MAX_INTERVAL: u16 = 365;
/// "every weekday".
pub const WORKDAYS: [Weekday; 5] = [
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
];
const WEEKEND: [Weekday; 2] = [Weekday::Saturday, Weekday::Sunday];
const MONTH_ABBREVIATIONS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frequency {
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

/// When a todo comes back: every `interval` days, weeks, months or years, on these weekdays
/// (weekly), this day of the month (monthly, yearly; -1 is the last day) and this month
/// (yearly). Empty parts mean "the due date's".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub frequency: Frequency,
    pub interval: u16,
    /// Monday first, no repeats.
    pub weekdays: Vec<Weekday>,
    pub month_day: Option<i8>,
    pub month: Option<i8>,
}

/// A rule and where its next date counts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repeat {
    pub rule: Rule,
    /// Counts from the completion day (Todoist's `every!`), not from the due date.
    pub after_completion: bool,
}

impl Rule {
    pub fn every(frequency: Frequency, interval: u16) -> Self {
        Self {
            frequency,
            interval,
            weekdays: Vec::new(),
            month_day: None,
            month: None,
        }
    }

    /// Whether the parts fit together; the sentence says what does not. Every rule the
    /// server keeps passed this, whichever way it arrived (words or an RRULE).
    pub fn check(&self) -> Result<(), &'static str> {
        if !(1..=MAX_INTERVAL).contains(&self.interval) {
            return Err("the interval must be from 1 to 365");
        }
        if !self.weekdays.is_empty() && self.frequency != Frequency::Weekly {
            return Err("weekdays go with a weekly rule");
        }
        if let Some(day) = self.month_day {
            if !matches!(self.frequency, Frequency::Monthly | Frequency::Yearly) {
                return Err("a day of the month goes with a monthly or yearly rule");
            }
            if day != -1 && !(1..=31).contains(&day) {
                return Err("a day of the month is 1 to 31, or -1 for the last day");
            }
        }
        match (self.month, self.frequency) {
            // RFC 5545 would repeat it in every month: a monthly rule said as a yearly one.
            (None, Frequency::Yearly) if self.month_day.is_some() => {
                Err("a yearly day of the month needs its month")
            }
            (None, _) => Ok(()),
            (Some(_), f) if f != Frequency::Yearly => Err("a month goes with a yearly rule"),
            (Some(m), _) if !(1..=12).contains(&m) => Err("a month is 1 to 12"),
            (Some(_), _) if self.month_day.is_none() => Err("a month needs a day of the month"),
            // A leap year holds every day a month can have.
            (Some(m), _) => match self.month_day {
                Some(d) if d > 0 && Date::new(2024, m, d).is_err() => {
                    Err("that month has no such day")
                }
                _ => Ok(()),
            },
        }
    }

    /// Readable English that [`parse`] reads as this rule again.
    pub fn describe(&self) -> String {
        let unit = match self.frequency {
            Frequency::Daily => "day",
            Frequency::Weekly => "week",
            Frequency::Monthly => "month",
            Frequency::Yearly => "year",
        };
        let every = if self.interval == 1 {
            format!("every {unit}")
        } else {
            format!("every {} {unit}s", self.interval)
        };
        if !self.weekdays.is_empty() {
            let days = if self.weekdays == WORKDAYS {
                "weekday".to_owned()
            } else if self.weekdays == WEEKEND {
                "weekend".to_owned()
            } else {
                list(
                    &self
                        .weekdays
                        .iter()
                        .map(|d| day_name(*d))
                        .collect::<Vec<_>>(),
                )
            };
            return if self.interval == 1 {
                format!("every {days}")
            } else {
                format!("{every} on {days}")
            };
        }
        match (self.month, self.month_day) {
            (Some(m), Some(-1)) => format!("{every} on the last day of {}", month_name(m)),
            (Some(m), Some(d)) => format!("{every} on {} {d}", month_name(m)),
            (None, Some(-1)) => format!("{every} on the last day"),
            (None, Some(d)) => format!("{every} on the {}", ordinal(d)),
            _ => every,
        }
    }
}

impl Repeat {
    pub fn describe(&self) -> String {
        let rule = self.rule.describe();
        if self.after_completion {
            format!("{rule} after completion")
        } else {
            rule
        }
    }
}

fn day_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Monday => "Monday",
        Weekday::Tuesday => "Tuesday",
        Weekday::Wednesday => "Wednesday",
        Weekday::Thursday => "Thursday",
        Weekday::Friday => "Friday",
        Weekday::Saturday => "Saturday",
        Weekday::Sunday => "Sunday",
    }
}

fn month_name(month: i8) -> &'static str {
    MONTH_ABBREVIATIONS[(month.clamp(1, 12) - 1) as usize]
}

/// "Monday", "Monday and Thursday", "Monday, Wednesday and Friday".
fn list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd, 23rd, 31st.
pub fn ordinal(day: i8) -> String {
    let suffix = match (day % 10, day % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{day}{suffix}")
}

/// Reads a whole phrase as a repeat rule; `None` if it is not (only) one.
pub fn parse(phrase: &str) -> Option<Repeat> {
    let cleaned = phrase.trim().to_lowercase().replace(',', " ");
    let mut words: Vec<&str> = Vec::new();
    for word in cleaned.split_whitespace() {
        if words.len() == MAX_WORDS {
            return None;
        }
        words.push(word);
    }
    let mut after_completion = false;
    if let [rest @ .., "after", "completion"] = words.as_slice() {
        words = rest.to_vec();
        after_completion = true;
    }
    let rule = match words.as_slice() {
        ["daily"] => Rule::every(Frequency::Daily, 1),
        ["weekly"] => Rule::every(Frequency::Weekly, 1),
        ["monthly"] => Rule::every(Frequency::Monthly, 1),
        ["yearly" | "annually"] => Rule::every(Frequency::Yearly, 1),
        ["every!", rest @ ..] => {
            after_completion = true;
            every(rest)?
        }
        ["every" | "each", rest @ ..] => every(rest)?,
        _ => return None,
    };
    rule.check().ok()?;
    Some(Repeat {
        rule,
        after_completion,
    })
}

/// What follows "every".
fn every(words: &[&str]) -> Option<Rule> {
    let (interval, rest) = match words {
        ["other", rest @ ..] => (2, rest),
        [first, rest @ ..] if !matches!(*first, "a" | "an") => match number(first) {
            Some(n) => (u16::try_from(n).ok()?, rest),
            None => (1, words),
        },
        _ => (1, words),
    };
    if let Some(rule) = unit(interval, rest) {
        return Some(rule);
    }
    // "every monday", "every other tuesday", "every weekday".
    if let Some(days) = weekdays(rest) {
        return Some(Rule {
            weekdays: days,
            ..Rule::every(Frequency::Weekly, interval)
        });
    }
    // "every 15th", "every last day of the month" (a leading number is a day here, not an
    // interval: "every 3 march").
    if let Some(day) = month_day(strip_of_month(words)) {
        return Some(Rule {
            month_day: Some(day),
            ..Rule::every(Frequency::Monthly, 1)
        });
    }
    // "every mar 3", "every 3 march".
    let (m, d) = month_and_day(words)?;
    Some(Rule {
        month: Some(m),
        month_day: Some(d),
        ..Rule::every(Frequency::Yearly, 1)
    })
}

/// "day", "2 weeks on monday", "month on the last day", "year on mar 3".
fn unit(interval: u16, words: &[&str]) -> Option<Rule> {
    let (frequency, rest) = match words {
        [word, rest @ ..] => {
            let frequency = match word.trim_end_matches('s') {
                "day" => Frequency::Daily,
                "week" => Frequency::Weekly,
                "month" => Frequency::Monthly,
                "year" => Frequency::Yearly,
                _ => return None,
            };
            (frequency, rest)
        }
        [] => return None,
    };
    let rule = Rule::every(frequency, interval);
    let details = match rest {
        [] => return Some(rule),
        ["on", details @ ..] => details,
        _ => return None,
    };
    match frequency {
        Frequency::Daily => None,
        Frequency::Weekly => Some(Rule {
            weekdays: weekdays(details)?,
            ..rule
        }),
        Frequency::Monthly => Some(Rule {
            month_day: Some(month_day(details)?),
            ..rule
        }),
        Frequency::Yearly => {
            let (m, d) = month_and_day(details)?;
            Some(Rule {
                month: Some(m),
                month_day: Some(d),
                ..rule
            })
        }
    }
}

/// "monday", "mon wed and fri", "mondays", "weekday", "weekend": Monday first, no repeats.
fn weekdays(words: &[&str]) -> Option<Vec<Weekday>> {
    match words {
        ["weekday" | "weekdays"] => return Some(WORKDAYS.to_vec()),
        ["weekend" | "weekends"] => return Some(WEEKEND.to_vec()),
        [] => return None,
        _ => {}
    }
    let mut days = Vec::new();
    for (i, word) in words.iter().enumerate() {
        // "and" only between two days.
        if *word == "and" && i > 0 && i + 1 < words.len() {
            continue;
        }
        let day = day_word(word).or_else(|| day_word(word.strip_suffix('s')?))?;
        days.push(day);
    }
    days.sort_by_key(|d| d.to_monday_zero_offset());
    days.dedup();
    Some(days)
}

/// A weekday; after "every" the short names that are also English words ("wed", "sat",
/// "sun") can only be days.
fn day_word(word: &str) -> Option<Weekday> {
    match word {
        "wed" => Some(Weekday::Wednesday),
        "sat" => Some(Weekday::Saturday),
        "sun" => Some(Weekday::Sunday),
        other => weekday(other),
    }
}

/// "the 15th", "15th", "1st", "day 15", "the last day", "last day", "last".
fn month_day(words: &[&str]) -> Option<i8> {
    let words = match words {
        ["the", rest @ ..] => rest,
        other => other,
    };
    match words {
        ["last" | "last-day"] | ["last", "day"] => Some(-1),
        ["day", day] => day.parse().ok().filter(|d| (1..=31).contains(d)),
        // An ordinal, so "every 3" is not a day.
        [day] if day.ends_with(|c: char| c.is_alphabetic()) => day_of_month(day),
        _ => None,
    }
}

/// "15th of the month", "last day of every month" without the month.
fn strip_of_month<'a, 'w>(words: &'a [&'w str]) -> &'a [&'w str] {
    match words {
        [rest @ .., "of", "the" | "every" | "each", "month"] => rest,
        other => other,
    }
}

/// "mar 3", "march 3rd", "3 march", "the 3rd of march", "the last day of feb".
fn month_and_day(words: &[&str]) -> Option<(i8, i8)> {
    let words = match words {
        ["the", rest @ ..] => rest,
        other => other,
    };
    let (m, d) = match words {
        ["last", "day", "of", m] => (month(m)?, -1),
        [m, d] if month(m).is_some() => (month(m)?, day_of_month(d)?),
        [d, m] | [d, "of", m] => (month(m)?, day_of_month(d)?),
        _ => return None,
    };
    if d > 0 {
        Date::new(2024, m, d).ok()?;
    }
    Some((m, d))
}

#[cfg(test)]
mod tests;
