//! Every phrasing and mark the reminder words understand, in tables, what they refuse, and
//! property tests: descriptions are stable, no text panics, every length reads back.

use jiff::civil::{date, time};

use super::*;

// Wednesday, 25 November 2026.
const TODAY: Date = date(2026, 11, 25);

fn at(date: Option<Date>, hour: i8, minute: i8) -> When {
    When::At {
        date,
        time: time(hour, minute, 0, 0),
    }
}

const TOMORROW: Option<Date> = Some(date(2026, 11, 26));
const FRIDAY: Option<Date> = Some(date(2026, 11, 27));

#[test]
fn marks() {
    for (mark, expected) in [
        ("!30m", When::Before(30)),
        ("!30min", When::Before(30)),
        ("!90min", When::Before(90)),
        ("!1h", When::Before(60)),
        ("!2h", When::Before(120)),
        ("!2d", When::Before(2_880)),
        ("!1w", When::Before(10_080)),
        ("!4w", When::Before(40_320)),
        ("!due", When::Before(0)),
        ("!0", When::Before(0)),
        ("!9am", at(None, 9, 0)),
        ("!14:30", at(None, 14, 30)),
        ("!5:30pm", at(None, 17, 30)),
        ("!tomorrow", at(TOMORROW, 9, 0)),
        ("!tomorrow 9am", at(TOMORROW, 9, 0)),
        ("!Tomorrow 9AM", at(TOMORROW, 9, 0)),
        ("!fri 5pm", at(FRIDAY, 17, 0)),
        ("!friday 5 pm", at(FRIDAY, 17, 0)),
        ("!next friday 8:15", at(Some(date(2026, 12, 4)), 8, 15)),
        ("!tonight", at(Some(TODAY), 20, 0)),
        ("!2026-12-24 18:00", at(Some(date(2026, 12, 24)), 18, 0)),
        ("!in 20m", When::In(20)),
        ("!in 2 hours", When::In(120)),
    ] {
        assert_eq!(parse_mark(mark, TODAY), Some(expected), "{mark}");
        assert_eq!(parse(mark, TODAY), Some(expected), "{mark}");
    }
}

#[test]
fn what_is_not_a_mark() {
    for text in [
        "!",
        "!!",
        "! 30m",
        "!!30m",
        "!important",
        "!now",
        "!1",
        "!5w",
        "!99999999999m",
        "!30x",
        "30m",
        "!tomorrow 9am sharp please",
        "!m",
        "!h30",
    ] {
        assert_eq!(parse_mark(text, TODAY), None, "{text}");
    }
}

#[test]
fn phrases() {
    for (phrase, expected) in [
        ("remind me 1h before", When::Before(60)),
        ("remind me an hour before", When::Before(60)),
        ("Remind me 1 hour before", When::Before(60)),
        ("remind me 30 minutes before", When::Before(30)),
        ("remind me ten minutes before", When::Before(10)),
        ("remind me half an hour before", When::Before(30)),
        ("remind me 2 days before", When::Before(2_880)),
        ("remind me a week before", When::Before(10_080)),
        ("remind me 15 min before it's due", When::Before(15)),
        ("remind me 10 minutes earlier", When::Before(10)),
        ("remind me the day before", When::Before(1_440)),
        ("remind me a day before", When::Before(1_440)),
        ("remind me at the due time", When::Before(0)),
        ("remind me when it's due", When::Before(0)),
        ("remind me when it’s due", When::Before(0)),
        ("remind me at 9am tomorrow", at(TOMORROW, 9, 0)),
        ("remind me tomorrow at 9", at(TOMORROW, 9, 0)),
        ("remind me tomorrow at 9am", at(TOMORROW, 9, 0)),
        ("remind me on friday at 5pm", at(FRIDAY, 17, 0)),
        ("remind me friday 5:30 pm", at(FRIDAY, 17, 30)),
        ("remind me tomorrow morning", at(TOMORROW, 9, 0)),
        ("remind me tomorrow", at(TOMORROW, 9, 0)),
        ("remind me at 9", at(None, 9, 0)),
        ("remind me at noon", at(None, 12, 0)),
        ("remind me tonight", at(Some(TODAY), 20, 0)),
        ("remind me in 20 minutes", When::In(20)),
        ("remind me in an hour", When::In(60)),
        ("reminder 1h before", When::Before(60)),
    ] {
        assert_eq!(parse_phrase(phrase, TODAY), Some(expected), "{phrase}");
        assert_eq!(parse(phrase, TODAY), Some(expected), "{phrase}");
        // The assistant's slot is what follows "remind me".
        if let Some(rest) = phrase.to_lowercase().strip_prefix("remind me ") {
            assert_eq!(parse_when(rest, TODAY), Some(expected), "{rest}");
        }
    }
}

#[test]
fn what_is_not_a_phrase() {
    for text in [
        "remind me",
        "remind me to call mom",
        "remind me about the dentist",
        "remind me 5 weeks before",
        "remind me soon",
        "remind me before",
        "remind me in 0 minutes",
        "remind you 1h before",
        "call mom 1h before",
        "remind me at 9am tomorrow and then again on friday at 5pm please",
    ] {
        assert_eq!(parse_phrase(text, TODAY), None, "{text}");
    }
}

#[test]
fn a_reminder_resolves_against_the_due_date_and_now() {
    let now = date(2026, 11, 25).at(10, 0, 0, 0);
    let due = Some(date(2026, 11, 27));
    for (when, due, expected) in [
        (When::Before(30), due, Resolved::Before(30)),
        (
            at(None, 8, 0),
            due,
            Resolved::At(date(2026, 11, 27).at(8, 0, 0, 0)),
        ),
        // No date: the next such time, today while it is ahead, else tomorrow.
        (
            at(None, 11, 0),
            None,
            Resolved::At(date(2026, 11, 25).at(11, 0, 0, 0)),
        ),
        (
            at(None, 9, 0),
            None,
            Resolved::At(date(2026, 11, 26).at(9, 0, 0, 0)),
        ),
        (
            at(TOMORROW, 9, 0),
            due,
            Resolved::At(date(2026, 11, 26).at(9, 0, 0, 0)),
        ),
        (
            When::In(90),
            None,
            Resolved::At(date(2026, 11, 25).at(11, 30, 0, 0)),
        ),
    ] {
        assert_eq!(when.resolve(due, now), Some(expected), "{when:?}");
    }
}

#[test]
fn chips_say_what_was_understood() {
    for (when, shown) in [
        (When::Before(0), "at the due time"),
        (When::Before(30), "30 min before"),
        (When::Before(60), "1 h before"),
        (When::Before(90), "1 h 30 min before"),
        (When::Before(1_440), "1 day before"),
        (When::Before(2_880), "2 days before"),
        (When::Before(10_080), "1 week before"),
        (at(None, 9, 0), "09:00"),
        (at(TOMORROW, 9, 0), "Thu, Nov 26 (tomorrow) 09:00"),
        (When::In(20), "in 20 min"),
    ] {
        assert_eq!(when.describe(TODAY), shown);
    }
}

#[test]
fn starts() {
    assert!(starts_reminder("!30m"));
    assert!(starts_reminder("Remind"));
    assert!(!starts_reminder("!"));
    assert!(!starts_reminder("reminders"));
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Every length a mark can carry reads back, in each unit it divides into.
        #[test]
        fn every_length_reads_back(minutes in 1u32..=MAX_BEFORE_MINUTES) {
            prop_assert_eq!(parse_mark(&format!("!{minutes}m"), TODAY), Some(When::Before(minutes)));
            let phrase = format!("remind me {minutes} minutes before");
            prop_assert_eq!(parse_phrase(&phrase, TODAY), Some(When::Before(minutes)));
            if minutes % 60 == 0 {
                prop_assert_eq!(parse_mark(&format!("!{}h", minutes / 60), TODAY), Some(When::Before(minutes)));
            }
        }

        /// Every reminder's mark reads back as the same reminder.
        #[test]
        fn every_mark_reads_back(
            kind in 0u8..4,
            minutes in 0u32..=MAX_BEFORE_MINUTES,
            day in 0i32..800,
            hour in 0i8..24,
            minute in 0i8..60,
        ) {
            let date = TODAY.checked_add(jiff::Span::new().days(day)).unwrap();
            let when = match kind {
                0 => When::Before(minutes),
                1 => at(None, hour, minute),
                2 => at(Some(date), hour, minute),
                _ => When::In(minutes.max(1)),
            };
            prop_assert_eq!(parse_mark(&when.to_mark(), TODAY), Some(when), "{}", when.to_mark());
        }

        /// Any time of day reads back from a mark.
        #[test]
        fn every_time_reads_back(hour in 0i8..24, minute in 0i8..60) {
            let mark = format!("!{hour:02}:{minute:02}");
            prop_assert_eq!(parse_mark(&mark, TODAY), Some(at(None, hour, minute)));
        }

        /// The grammar's own words in any order: read or refused, never a panic, never a
        /// "before" past four weeks.
        #[test]
        fn any_words_are_read_only_as_valid_reminders(
            text in "(!|remind|me|at|the|due|time|before|in|an|a|hour|hours|minutes|day|week|[0-9]{1,6}|[0-9]{1,3}[mhdw]|9am|14:30|tomorrow|friday|next|on|when|it's| ){0,14}"
        ) {
            for found in [parse(&text, TODAY), parse_when(&text, TODAY)].into_iter().flatten() {
                if let When::Before(m) | When::In(m) = found {
                    prop_assert!(m <= MAX_BEFORE_MINUTES, "{:?} gave {:?}", text, found);
                }
                let _ = found.describe(TODAY);
            }
        }

        #[test]
        fn arbitrary_unicode_never_panics(text in "\\PC{0,80}") {
            let _ = parse(&text, TODAY);
            let _ = parse_when(&text, TODAY);
            let _ = parse_mark(&format!("!{text}"), TODAY);
        }
    }
}
