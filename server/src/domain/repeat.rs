//! A todo's repeat rule: parsed once from words (`app::words::repeat`) or an RFC 5545 RRULE,
//! stored as its RRULE text, and its next dates computed by the `rrule` crate (no calendar
//! arithmetic here; jiff dates are converted to chrono at this edge only).
//!
//! Calendar choices, each what a calendar user expects:
//! - Rules are about calendar days. Occurrences are computed on dates (each at noon UTC), and a
//!   todo's `dueTime` is a wall-clock time in the user's zone kept as it is: a DST change can
//!   move neither the day nor the time (09:00 stays 09:00 in summer and winter).
//! - A day 29–31 ("every 31st", "monthly" from Jan 31) falls on the last day of shorter
//!   months (Feb 28 or 29, Apr 30): the RRULE says so with RFC 5545's idiom
//!   `BYMONTHDAY=28,29,30,31;BYSETPOS=-1`, so another calendar reads it alike. A plain
//!   `BYMONTHDAY=31` sent in is read the same way (RFC 5545 alone would skip short months).
//! - Yearly on Feb 29 falls on Feb 28 in common years (the same idiom, in February).

use app::words::repeat::{self, Frequency, Rule};
use chrono::{Datelike, TimeZone};
use jiff::civil::{Date, Weekday};

use super::input::{InvalidInput, excerpt};

/// A checked rule: every part fits ([`Rule::check`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepeatRule(Rule);

/// What a request's `repeat` string says: the rule and where its next date counts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedRepeat {
    pub rule: RepeatRule,
    pub after_completion: bool,
}

/// Longer is not a rule (the longest phrase or RRULE we keep is far shorter).
const MAX_CHARS: usize = 200;

/// The last year a date may have (`DueDate`'s range): no occurrence is looked for beyond it.
const LAST_YEAR: i32 = 2999;

fn unknown(raw: &str) -> InvalidInput {
    InvalidInput(format!(
        "repeat: '{}' is not a rule Tasko understands; write it like \"every monday\", \
         \"every 2 weeks\", \"every month on the last day\" or \"every 3 days after \
         completion\", or as an RRULE such as RRULE:FREQ=WEEKLY;BYDAY=MO.",
        excerpt(raw, 60)
    ))
}

fn refused(reason: impl std::fmt::Display) -> InvalidInput {
    InvalidInput(format!("repeat: {reason}."))
}

impl ParsedRepeat {
    /// Words ("every monday", "every 3 days after completion") or an RRULE
    /// (`RRULE:FREQ=WEEKLY;BYDAY=MO`, the prefix optional).
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        let text = raw.trim();
        if text.chars().count() > MAX_CHARS {
            return Err(refused(format_args!(
                "a rule is at most {MAX_CHARS} characters"
            )));
        }
        let upper = text.to_ascii_uppercase();
        if upper.starts_with("RRULE:") || upper.starts_with("FREQ=") {
            return Ok(Self {
                rule: RepeatRule::from_rrule(text)?,
                after_completion: false,
            });
        }
        let words = repeat::parse(text).ok_or_else(|| unknown(raw))?;
        Ok(Self {
            rule: RepeatRule(words.rule),
            after_completion: words.after_completion,
        })
    }
}

impl RepeatRule {
    /// An RRULE value (`RRULE:` prefix optional, case-insensitive) in the parts Tasko keeps:
    /// `FREQ` (DAILY, WEEKLY, MONTHLY, YEARLY), `INTERVAL`, `BYDAY` (plain weekdays),
    /// `BYMONTHDAY` (one day, -1, or the month-end idiom with `BYSETPOS=-1`), `BYMONTH` (one
    /// month), `WKST=MO`.
    pub fn from_rrule(raw: &str) -> Result<Self, InvalidInput> {
        let text = raw.trim().to_ascii_uppercase();
        let body = text.strip_prefix("RRULE:").unwrap_or(&text);
        let mut parts = std::collections::BTreeMap::new();
        for part in body.split(';').filter(|p| !p.is_empty()) {
            let (key, value) = part.split_once('=').ok_or_else(|| unknown(raw))?;
            if parts.insert(key, value).is_some() {
                return Err(refused(format_args!("{key} is given twice")));
            }
        }
        let frequency = match parts.remove("FREQ") {
            Some("DAILY") => Frequency::Daily,
            Some("WEEKLY") => Frequency::Weekly,
            Some("MONTHLY") => Frequency::Monthly,
            Some("YEARLY") => Frequency::Yearly,
            Some("HOURLY" | "MINUTELY" | "SECONDLY") => {
                return Err(refused("a todo repeats daily at most often"));
            }
            _ => {
                return Err(refused(
                    "an RRULE needs FREQ=DAILY, WEEKLY, MONTHLY or YEARLY",
                ));
            }
        };
        let interval = match parts.remove("INTERVAL") {
            None => 1,
            Some(n) => n
                .parse()
                .map_err(|_| refused("INTERVAL must be a number"))?,
        };
        let mut rule = Rule::every(frequency, interval);
        if let Some(days) = parts.remove("BYDAY") {
            rule.weekdays = days
                .split(',')
                .map(weekday_code)
                .collect::<Option<_>>()
                .ok_or_else(|| refused("BYDAY must list weekdays such as MO,TH"))?;
            rule.weekdays.sort_by_key(|d| d.to_monday_zero_offset());
            rule.weekdays.dedup();
        }
        let set_pos = parts.remove("BYSETPOS");
        if let Some(days) = parts.remove("BYMONTHDAY") {
            rule.month_day = Some(month_day(days, set_pos)?);
        } else if set_pos.is_some() {
            return Err(refused("BYSETPOS is kept only with BYMONTHDAY"));
        }
        if let Some(month) = parts.remove("BYMONTH") {
            rule.month = Some(
                month
                    .parse()
                    .map_err(|_| refused("BYMONTH must be one month, 1 to 12"))?,
            );
        }
        if parts.remove("WKST").is_some_and(|start| start != "MO") {
            return Err(refused("weeks start on Monday (WKST=MO)"));
        }
        if let Some(key) = parts.keys().next() {
            return Err(refused(format_args!(
                "{key} is not kept; Tasko keeps FREQ, INTERVAL, BYDAY, BYMONTHDAY and BYMONTH"
            )));
        }
        rule.check().map_err(refused)?;
        Ok(Self(rule))
    }

    pub fn rule(&self) -> &Rule {
        &self.0
    }

    /// The RRULE text, `RRULE:` prefix included, that [`Self::from_rrule`] reads back.
    pub fn rrule(&self) -> String {
        let rule = &self.0;
        let frequency = match rule.frequency {
            Frequency::Daily => "DAILY",
            Frequency::Weekly => "WEEKLY",
            Frequency::Monthly => "MONTHLY",
            Frequency::Yearly => "YEARLY",
        };
        let mut text = format!("RRULE:FREQ={frequency}");
        if rule.interval != 1 {
            text.push_str(&format!(";INTERVAL={}", rule.interval));
        }
        if !rule.weekdays.is_empty() {
            let days: Vec<&str> = rule.weekdays.iter().map(|d| code(*d)).collect();
            text.push_str(&format!(";BYDAY={}", days.join(",")));
        }
        if let Some(month) = rule.month {
            text.push_str(&format!(";BYMONTH={month}"));
        }
        match rule.month_day {
            Some(day @ 29..=31) => {
                let days: Vec<String> = (28..=day).map(|d| d.to_string()).collect();
                text.push_str(&format!(";BYMONTHDAY={};BYSETPOS=-1", days.join(",")));
            }
            Some(day) => text.push_str(&format!(";BYMONTHDAY={day}")),
            None => {}
        }
        text
    }

    /// Readable English ("every Monday", "every 2 weeks after completion").
    pub fn describe(&self, after_completion: bool) -> String {
        repeat::Repeat {
            rule: self.0.clone(),
            after_completion,
        }
        .describe()
    }

    /// This rule with its day (and month) made explicit from `due` when it has none: a
    /// monthly rule set on Jan 31 stays on the month's last days (Feb 28, then Mar 31)
    /// instead of drifting to the 28th once it has passed February.
    pub fn anchored(self, due: Date) -> Self {
        Self(anchor(self.0, due))
    }

    /// The first date of the rule after `from`, counting from `from` (the due date, or the
    /// completion day): `None` if there is none before the year 3000.
    pub fn next_after(&self, from: Date) -> Option<Date> {
        occurrences(&anchor(self.0.clone(), from), from)?.find(|date| *date > from)
    }

    /// The first date of the rule on or after `today` (for a rule given without a due date):
    /// the first day its days fall on, whatever its interval.
    pub fn first_from(&self, today: Date) -> Option<Date> {
        let every_time = Rule {
            interval: 1,
            ..anchor(self.0.clone(), today)
        };
        occurrences(&every_time, today)?.next()
    }
}

/// Fills a missing day (and month) from `start`, as RFC 5545 does from DTSTART, but in
/// Tasko's own terms, so a day 29–31 gets the month-end idiom.
fn anchor(mut rule: Rule, start: Date) -> Rule {
    match rule.frequency {
        Frequency::Monthly if rule.weekdays.is_empty() && rule.month_day.is_none() => {
            rule.month_day = Some(start.day());
        }
        Frequency::Yearly if rule.month_day.is_none() && rule.month.is_none() => {
            rule.month = Some(start.month());
            rule.month_day = Some(start.day());
        }
        _ => {}
    }
    rule
}

/// The rule's dates from `start` on (`start` itself when it is one), via the `rrule` crate.
fn occurrences(rule: &Rule, start: Date) -> Option<impl Iterator<Item = Date>> {
    let mut spec = rrule::RRule::new(match rule.frequency {
        Frequency::Daily => rrule::Frequency::Daily,
        Frequency::Weekly => rrule::Frequency::Weekly,
        Frequency::Monthly => rrule::Frequency::Monthly,
        Frequency::Yearly => rrule::Frequency::Yearly,
    })
    .interval(rule.interval)
    .week_start(rrule::Weekday::Mon);
    if !rule.weekdays.is_empty() {
        spec = spec.by_weekday(
            rule.weekdays
                .iter()
                .map(|d| rrule::NWeekday::Every(chrono_weekday(*d)))
                .collect(),
        );
    }
    if let Some(month) = rule.month {
        let month = chrono::Month::try_from(u8::try_from(month).ok()?).ok()?;
        spec = spec.by_month(&[month]);
    }
    match rule.month_day {
        Some(day @ 29..=31) => spec = spec.by_month_day((28..=day).collect()).by_set_pos(vec![-1]),
        Some(day) => spec = spec.by_month_day(vec![day]),
        None => {}
    }
    let noon = rrule::Tz::UTC
        .with_ymd_and_hms(
            i32::from(start.year()),
            u32::try_from(start.month()).ok()?,
            u32::try_from(start.day()).ok()?,
            12,
            0,
            0,
        )
        .single()?;
    let set = spec.build(noon).ok()?.limit();
    Some(
        set.into_iter()
            .take_while(|at| at.year() <= LAST_YEAR)
            .take(10_000)
            .filter_map(|at| {
                Date::new(
                    i16::try_from(at.year()).ok()?,
                    i8::try_from(at.month()).ok()?,
                    i8::try_from(at.day()).ok()?,
                )
                .ok()
            }),
    )
}

/// Stored as its RRULE text, read back strictly.
impl serde::Serialize for RepeatRule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.rrule())
    }
}

impl<'de> serde::Deserialize<'de> for RepeatRule {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Self::from_rrule(&raw).map_err(serde::de::Error::custom)
    }
}

fn chrono_weekday(day: Weekday) -> rrule::Weekday {
    match day {
        Weekday::Monday => rrule::Weekday::Mon,
        Weekday::Tuesday => rrule::Weekday::Tue,
        Weekday::Wednesday => rrule::Weekday::Wed,
        Weekday::Thursday => rrule::Weekday::Thu,
        Weekday::Friday => rrule::Weekday::Fri,
        Weekday::Saturday => rrule::Weekday::Sat,
        Weekday::Sunday => rrule::Weekday::Sun,
    }
}

const CODES: [(&str, Weekday); 7] = [
    ("MO", Weekday::Monday),
    ("TU", Weekday::Tuesday),
    ("WE", Weekday::Wednesday),
    ("TH", Weekday::Thursday),
    ("FR", Weekday::Friday),
    ("SA", Weekday::Saturday),
    ("SU", Weekday::Sunday),
];

fn weekday_code(code: &str) -> Option<Weekday> {
    CODES.iter().find(|(c, _)| *c == code).map(|(_, d)| *d)
}

fn code(day: Weekday) -> &'static str {
    CODES
        .iter()
        .find(|(_, d)| *d == day)
        .map_or("MO", |(c, _)| c)
}

/// `15`, `-1`, or the month-end idiom `28,29,30,31` with `BYSETPOS=-1` (the last of those
/// days the month has), read as its last day.
fn month_day(days: &str, set_pos: Option<&str>) -> Result<i8, InvalidInput> {
    let bad = || refused("BYMONTHDAY must be one day (1 to 31, or -1 for the last day)");
    let days: Vec<i8> = days
        .split(',')
        .map(|d| d.parse().map_err(|_| bad()))
        .collect::<Result<_, _>>()?;
    match (days.as_slice(), set_pos) {
        ([day], None) => Ok(*day),
        ([28, rest @ ..], Some("-1"))
            if !rest.is_empty()
                && rest.len() <= 3
                && rest.iter().zip(29..).all(|(d, want)| *d == want) =>
        {
            Ok(28 + rest.len() as i8)
        }
        (_, Some(_)) => Err(refused(
            "BYSETPOS is kept only as BYMONTHDAY=28,29,30,31;BYSETPOS=-1 (the month's last days)",
        )),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests;
