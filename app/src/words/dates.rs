//! Natural due dates ("tomorrow", "next Friday", "in 3 days", "on March 5", "end of the
//! month"), resolved against today's date in the user's time zone. Shared by the browser's
//! quick add (in wasm) and the server's assistant.
//!
//! Rules: a bare weekday ("friday", "this friday") is the next such day, today included;
//! "next friday" is the Friday of next week (weeks start on Monday); a month and day without
//! a year is the next such date, today included.
//!
//! Cost: linear in the input. A date phrase is at most [`DATE_MAX_WORDS`] words after its
//! leading fillers ("due on the"), so [`parse`] stops reading at once past that, and
//! [`split_trailing_date`] only tries the last few words as a date, whatever the text's length.

use jiff::{
    Span,
    civil::{Date, Weekday},
};

const WEEKDAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Monday),
    ("tuesday", Weekday::Tuesday),
    ("wednesday", Weekday::Wednesday),
    ("thursday", Weekday::Thursday),
    ("friday", Weekday::Friday),
    ("saturday", Weekday::Saturday),
    ("sunday", Weekday::Sunday),
];

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Full names, and only the abbreviations that are not also English words ("sun", "sat", "wed").
pub(super) fn weekday(word: &str) -> Option<Weekday> {
    let word = word.trim_end_matches('.');
    let full = match word {
        "mon" => "monday",
        "tue" | "tues" => "tuesday",
        "thu" | "thur" | "thurs" => "thursday",
        "fri" => "friday",
        other => other,
    };
    WEEKDAYS
        .iter()
        .find(|(name, _)| *name == full)
        .map(|(_, d)| *d)
}

pub(super) fn month(word: &str) -> Option<i8> {
    let word = word.trim_end_matches('.');
    if word.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(word))
        .map(|i| i as i8 + 1)
}

pub fn number(word: &str) -> Option<i64> {
    const WORDS: [&str; 13] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    match word {
        "a" | "an" => Some(1),
        "couple" => Some(2),
        "few" => Some(3),
        _ => word
            .parse()
            .ok()
            .or_else(|| WORDS.iter().position(|w| *w == word).map(|i| i as i64)),
    }
}

pub(super) fn day_of_month(word: &str) -> Option<i8> {
    let digits = word
        .trim_end_matches("st")
        .trim_end_matches("nd")
        .trim_end_matches("rd")
        .trim_end_matches("th");
    digits.parse::<i8>().ok().filter(|d| (1..=31).contains(d))
}

pub fn monday_of_week(day: Date) -> Date {
    days(day.weekday().to_monday_zero_offset().into())
        .and_then(|back| day.checked_sub(back).ok())
        .unwrap_or(day)
}

fn next_weekday(today: Date, target: Weekday) -> Date {
    let ahead =
        (target.to_monday_zero_offset() - today.weekday().to_monday_zero_offset()).rem_euclid(7);
    add(today, days(ahead.into())).unwrap_or(today)
}

fn add(today: Date, span: Option<Span>) -> Option<Date> {
    today.checked_add(span?).ok()
}

/// `n` days. Spans are made with jiff's `try_` constructors: its panicking ones (`ToSpan`)
/// bring the formatting of every jiff error into the browser's download (about 60 KB).
fn days(n: i64) -> Option<Span> {
    Span::new().try_days(n).ok()
}

fn months(n: i64) -> Option<Span> {
    Span::new().try_months(n).ok()
}

/// The next date with this month and day, today included.
fn upcoming(today: Date, month: i8, day: i8) -> Option<Date> {
    let this_year = Date::new(today.year(), month, day).ok()?;
    if this_year >= today {
        Some(this_year)
    } else {
        Date::new(today.year() + 1, month, day).ok()
    }
}

/// Words a date phrase may start with that carry no date ("due on the 5th").
const LEADING_FILLERS: [&str; 10] = [
    "on", "by", "due", "for", "before", "at", "the", "until", "till", "this",
];

/// The most words a date phrase has once its leading fillers are gone ("march 5 of this
/// month").
pub const DATE_MAX_WORDS: usize = 5;

/// The most leading fillers read before a date ("due on the 5th" has three).
const FILLERS_MAX: usize = 4;

/// Parses a whole phrase as a date; `None` if it is not (only) a date.
pub fn parse(phrase: &str, today: Date) -> Option<Date> {
    let cleaned = phrase.trim().to_lowercase().replace(',', " ");
    let all: Vec<&str> = cleaned.split_whitespace().collect();
    let mut start = 0;
    while start + 1 < all.len()
        && start < FILLERS_MAX
        && LEADING_FILLERS.contains(&all[start])
        && !(all[start] == "this" && ["week", "weekend", "month", "year"].contains(&all[start + 1]))
    {
        start += 1;
    }
    let words = &all[start..];
    if words.len() > DATE_MAX_WORDS {
        return None;
    }
    let text = words.join(" ");
    match text.as_str() {
        "today" | "tonight" | "now" => return Some(today),
        "tomorrow" | "tmrw" | "tmr" => return add(today, days(1)),
        "day after tomorrow" => return add(today, days(2)),
        "yesterday" => return today.checked_sub(days(1)?).ok(),
        "next week" => return add(monday_of_week(today), days(7)),
        "this weekend" | "weekend" => return Some(next_weekday(today, Weekday::Saturday)),
        "end of the week" | "end of week" | "end of this week" | "this week" => {
            return add(monday_of_week(today), days(6));
        }
        "end of next week" => return add(monday_of_week(today), days(13)),
        "end of the month" | "end of month" | "end of this month" | "this month" => {
            return Some(today.last_of_month());
        }
        "next month" => return add(today.first_of_month(), months(1)),
        "end of next month" => {
            return add(today.first_of_month(), months(1)).map(|d| d.last_of_month());
        }
        "end of the year" | "end of year" | "this year" => {
            return Date::new(today.year(), 12, 31).ok();
        }
        "next year" => return Date::new(today.year() + 1, 1, 1).ok(),
        _ => {}
    }
    if let Some(date) = iso(&text) {
        return Some(date);
    }
    match words {
        [day] if weekday(day).is_some() => Some(next_weekday(today, weekday(day)?)),
        ["next", day] if weekday(day).is_some() => {
            let monday = add(monday_of_week(today), days(7))?;
            add(monday, days(weekday(day)?.to_monday_zero_offset().into()))
        }
        ["in", n, unit] | ["in", "a", n, unit] if number(n).is_some() => {
            let n = number(n)?;
            add(today, span(n, unit))
        }
        ["in", unit] => add(today, span(1, unit)),
        [n, unit, "from", "now"] => add(today, span(number(n)?, unit)),
        [m, d] | [m, d, "of", "this", "month"]
            if month(m).is_some() && day_of_month(d).is_some() =>
        {
            upcoming(today, month(m)?, day_of_month(d)?)
        }
        [d, m] | [d, "of", m] if month(m).is_some() && day_of_month(d).is_some() => {
            upcoming(today, month(m)?, day_of_month(d)?)
        }
        [m, d, y] if month(m).is_some() && day_of_month(d).is_some() => {
            Date::new(y.parse().ok()?, month(m)?, day_of_month(d)?).ok()
        }
        [d, m, y] if month(m).is_some() && day_of_month(d).is_some() => {
            Date::new(y.parse().ok()?, month(m)?, day_of_month(d)?).ok()
        }
        [d] if d.len() > 2 && day_of_month(d).is_some() && d.chars().any(|c| c.is_alphabetic()) => {
            // "the 5th": this month, or next month once it has passed.
            let day = day_of_month(d)?;
            let this_month = Date::new(today.year(), today.month(), day).ok();
            match this_month {
                Some(date) if date >= today => Some(date),
                _ => {
                    let next = add(today.first_of_month(), months(1))?;
                    Date::new(next.year(), next.month(), day).ok()
                }
            }
        }
        _ => None,
    }
}

/// `YYYY-MM-DD`, read by hand: jiff's general parser costs the browser's download more
/// than the rest of this grammar.
fn iso(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| {
        b[r.clone()]
            .iter()
            .all(u8::is_ascii_digit)
            .then(|| text[r].parse::<i16>().ok())
            .flatten()
    };
    Date::new(digits(0..4)?, digits(5..7)? as i8, digits(8..10)? as i8).ok()
}

/// `YYYY-MM-DD`, as the API takes due dates (formatted by hand, as [`iso`] reads them).
pub fn to_iso(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

fn span(n: i64, unit: &str) -> Option<Span> {
    match unit.trim_end_matches('s') {
        "day" => days(n),
        "week" => Span::new().try_weeks(n).ok(),
        "month" => months(n),
        "year" => Span::new().try_years(n).ok(),
        _ => None,
    }
}

/// Splits "buy milk tomorrow" / "call mom on next friday" into the text before the date and
/// the date, taking the longest trailing phrase that is a date. Only the last
/// `DATE_MAX_WORDS + FILLERS_MAX` words are tried, so the cost is linear in the text.
pub fn split_trailing_date(text: &str, today: Date) -> (String, Option<Date>) {
    let words: Vec<&str> = text.split_whitespace().collect();
    let first = words
        .len()
        .saturating_sub(DATE_MAX_WORDS + FILLERS_MAX)
        .max(1);
    for start in first..words.len() {
        if let Some(date) = parse(&words[start..].join(" "), today) {
            let mut head = &words[..start];
            while let Some((last, rest)) = head.split_last() {
                if ["due", "by", "on", "for", "before", "until", "is", ","]
                    .contains(&last.to_lowercase().as_str())
                {
                    head = rest;
                } else {
                    break;
                }
            }
            return (head.join(" ").trim_end_matches(',').to_owned(), Some(date));
        }
    }
    (text.to_owned(), None)
}

/// "Tue, Dec 1" (with the year when it is not this year's).
pub fn friendly(date: Date, today: Date) -> String {
    let weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        [date.weekday().to_monday_zero_offset() as usize];
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][date.month() as usize - 1];
    let relative = if date == today {
        " (today)"
    } else if Some(date) == add(today, days(1)) {
        " (tomorrow)"
    } else {
        ""
    };
    if date.year() == today.year() {
        format!("{weekday}, {month} {}{relative}", date.day())
    } else {
        format!(
            "{weekday}, {month} {}, {}{relative}",
            date.day(),
            date.year()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    // Wednesday, 25 November 2026.
    const TODAY: Date = date(2026, 11, 25);

    #[test]
    fn relative_days() {
        assert_eq!(parse("today", TODAY), Some(TODAY));
        assert_eq!(parse("tomorrow", TODAY), Some(date(2026, 11, 26)));
        assert_eq!(
            parse("the day after tomorrow", TODAY),
            Some(date(2026, 11, 27))
        );
        assert_eq!(parse("in 3 days", TODAY), Some(date(2026, 11, 28)));
        assert_eq!(parse("in two weeks", TODAY), Some(date(2026, 12, 9)));
        assert_eq!(parse("in a month", TODAY), Some(date(2026, 12, 25)));
        assert_eq!(parse("3 days from now", TODAY), Some(date(2026, 11, 28)));
    }

    #[test]
    fn weekdays() {
        assert_eq!(parse("friday", TODAY), Some(date(2026, 11, 27)));
        assert_eq!(parse("on Friday", TODAY), Some(date(2026, 11, 27)));
        assert_eq!(parse("wednesday", TODAY), Some(TODAY));
        assert_eq!(parse("next friday", TODAY), Some(date(2026, 12, 4)));
        assert_eq!(parse("next monday", TODAY), Some(date(2026, 11, 30)));
        assert_eq!(parse("this weekend", TODAY), Some(date(2026, 11, 28)));
        assert_eq!(parse("next week", TODAY), Some(date(2026, 11, 30)));
    }

    #[test]
    fn calendar_dates() {
        assert_eq!(parse("on March 5", TODAY), Some(date(2027, 3, 5)));
        assert_eq!(parse("December 3rd", TODAY), Some(date(2026, 12, 3)));
        assert_eq!(parse("5 march 2027", TODAY), Some(date(2027, 3, 5)));
        assert_eq!(parse("2026-12-24", TODAY), Some(date(2026, 12, 24)));
        assert_eq!(parse("the 28th", TODAY), Some(date(2026, 11, 28)));
        assert_eq!(parse("the 3rd", TODAY), Some(date(2026, 12, 3)));
        assert_eq!(parse("end of the month", TODAY), Some(date(2026, 11, 30)));
        assert_eq!(parse("end of next month", TODAY), Some(date(2026, 12, 31)));
        assert_eq!(parse("next month", TODAY), Some(date(2026, 12, 1)));
    }

    #[test]
    fn non_dates_are_not_dates() {
        for text in ["milk", "chapter 5", "5", "may be", "the report", "monkey"] {
            assert_eq!(parse(text, TODAY), None, "{text}");
        }
    }

    #[test]
    fn a_trailing_date_is_split_from_the_title() {
        assert_eq!(
            split_trailing_date("buy milk tomorrow", TODAY),
            ("buy milk".into(), Some(date(2026, 11, 26)))
        );
        assert_eq!(
            split_trailing_date("Call mom due next Friday", TODAY),
            ("Call mom".into(), Some(date(2026, 12, 4)))
        );
        assert_eq!(
            split_trailing_date("Read chapter 5", TODAY),
            ("Read chapter 5".into(), None)
        );
        assert_eq!(
            split_trailing_date("pay rent by the end of the month", TODAY),
            ("pay rent".into(), Some(date(2026, 11, 30)))
        );
    }
}
