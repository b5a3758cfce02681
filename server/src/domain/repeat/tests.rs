//! The rule's parsing, its RRULE text, and its dates over weekdays, month ends, Feb 29 and
//! the DST weekends (dates are civil days, so a DST change never moves one).

use jiff::civil::{Date, date};

use super::*;

fn words(text: &str) -> ParsedRepeat {
    ParsedRepeat::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn rrule(text: &str) -> RepeatRule {
    RepeatRule::from_rrule(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// The dates `rule` gives, each counted from the one before, starting after `from`.
fn walk(rule: &RepeatRule, from: Date, steps: usize) -> Vec<String> {
    let mut day = from;
    (0..steps)
        .map(|_| {
            day = rule.next_after(day).expect("a next date");
            day.to_string()
        })
        .collect()
}

#[test]
fn words_become_rrules() {
    for (text, expected) in [
        ("every monday", "RRULE:FREQ=WEEKLY;BYDAY=MO"),
        ("every 2 weeks", "RRULE:FREQ=WEEKLY;INTERVAL=2"),
        ("every weekday", "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
        ("daily", "RRULE:FREQ=DAILY"),
        (
            "every month on the last day",
            "RRULE:FREQ=MONTHLY;BYMONTHDAY=-1",
        ),
        ("every 1st", "RRULE:FREQ=MONTHLY;BYMONTHDAY=1"),
        (
            "every 31st",
            "RRULE:FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1",
        ),
        (
            "every year on Mar 3",
            "RRULE:FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=3",
        ),
        ("every monday and thursday", "RRULE:FREQ=WEEKLY;BYDAY=MO,TH"),
    ] {
        let parsed = words(text);
        assert_eq!(parsed.rule.rrule(), expected, "{text}");
        assert!(!parsed.after_completion, "{text}");
    }
    let every_bang = words("every 3 days after completion");
    assert!(every_bang.after_completion);
    assert_eq!(every_bang.rule.rrule(), "RRULE:FREQ=DAILY;INTERVAL=3");
    assert_eq!(
        every_bang.rule.describe(true),
        "every 3 days after completion"
    );
}

#[test]
fn rrules_read_back_as_they_print() {
    for text in [
        "RRULE:FREQ=WEEKLY;BYDAY=MO",
        "RRULE:FREQ=DAILY;INTERVAL=3",
        "RRULE:FREQ=MONTHLY;BYMONTHDAY=-1",
        "RRULE:FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1",
        "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1",
    ] {
        assert_eq!(rrule(text).rrule(), text);
    }
    // Lower case, no prefix, parts in any order, WKST=MO: the same rule.
    assert_eq!(
        rrule("byday=th,mo;freq=weekly;wkst=MO").rrule(),
        "RRULE:FREQ=WEEKLY;BYDAY=MO,TH"
    );
    // A plain day 29–31 is read as "that day, or the month's last".
    assert_eq!(
        rrule("RRULE:FREQ=MONTHLY;BYMONTHDAY=30").rrule(),
        "RRULE:FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1"
    );
    assert_eq!(
        rrule("FREQ=WEEKLY;BYDAY=MO").describe(false),
        "every Monday"
    );
}

#[test]
fn rules_outside_what_tasko_keeps_are_refused_with_a_sentence() {
    for (text, says) in [
        ("RRULE:FREQ=HOURLY", "daily at most"),
        ("RRULE:FREQ=DAILY;COUNT=3", "COUNT is not kept"),
        ("RRULE:FREQ=WEEKLY;BYDAY=1MO", "BYDAY"),
        ("RRULE:FREQ=MONTHLY;BYSETPOS=-1", "BYSETPOS"),
        ("RRULE:FREQ=DAILY;FREQ=WEEKLY", "twice"),
        ("RRULE:INTERVAL=2", "FREQ"),
        (
            "RRULE:FREQ=DAILY;BYDAY=MO",
            "weekdays go with a weekly rule",
        ),
        ("RRULE:FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31", "no such day"),
        ("RRULE:FREQ=DAILY;INTERVAL=0", "interval"),
        ("RRULE:FREQ", "not a rule"),
        ("every blursday", "not a rule Tasko understands"),
    ] {
        let err = ParsedRepeat::parse(text).unwrap_err();
        assert!(err.0.starts_with("repeat: "), "{text}: {err}");
        assert!(err.0.contains(says), "{text}: {err}");
    }
}

#[test]
fn weekly_rules_go_to_the_next_listed_day() {
    // 2026-12-07 is a Monday.
    let monday = words("every monday").rule;
    assert_eq!(
        walk(&monday, date(2026, 12, 7), 2),
        ["2026-12-14", "2026-12-21"]
    );
    assert_eq!(walk(&monday, date(2026, 12, 9), 1), ["2026-12-14"]);
    let weekdays = words("every weekday").rule;
    assert_eq!(
        walk(&weekdays, date(2026, 12, 10), 3),
        ["2026-12-11", "2026-12-14", "2026-12-15"]
    );
    let two_weeks = words("every 2 weeks").rule;
    assert_eq!(
        walk(&two_weeks, date(2026, 12, 9), 2),
        ["2026-12-23", "2027-01-06"]
    );
    let mon_thu = words("every monday and thursday").rule;
    assert_eq!(
        walk(&mon_thu, date(2026, 12, 7), 3),
        ["2026-12-10", "2026-12-14", "2026-12-17"]
    );
}

#[test]
fn dst_weekends_move_no_date() {
    // Europe/Berlin moves its clocks on 2026-03-29 and 2026-10-25; dates are civil days,
    // so daily and weekly rules step over those Sundays like any other.
    let daily = words("daily").rule;
    assert_eq!(
        walk(&daily, date(2026, 3, 28), 3),
        ["2026-03-29", "2026-03-30", "2026-03-31"]
    );
    assert_eq!(
        walk(&daily, date(2026, 10, 24), 2),
        ["2026-10-25", "2026-10-26"]
    );
    let sunday = words("every sunday").rule;
    assert_eq!(
        walk(&sunday, date(2026, 3, 22), 2),
        ["2026-03-29", "2026-04-05"]
    );
    assert_eq!(
        walk(&sunday, date(2026, 10, 18), 2),
        ["2026-10-25", "2026-11-01"]
    );
}

#[test]
fn month_ends_fall_on_the_last_day_of_shorter_months() {
    // "monthly" set on Jan 31 keeps to the month's end; it does not drift to the 28th.
    let monthly = words("monthly").rule.anchored(date(2026, 1, 31));
    assert_eq!(monthly.describe(false), "every month on the 31st");
    assert_eq!(
        walk(&monthly, date(2026, 1, 31), 4),
        ["2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31"]
    );
    assert_eq!(walk(&monthly, date(2028, 1, 31), 1), ["2028-02-29"]);
    let last = words("every month on the last day").rule;
    assert_eq!(
        walk(&last, date(2026, 1, 31), 3),
        ["2026-02-28", "2026-03-31", "2026-04-30"]
    );
    let thirtieth = words("every month on the 30th").rule;
    assert_eq!(
        walk(&thirtieth, date(2026, 1, 30), 2),
        ["2026-02-28", "2026-03-30"]
    );
    // Counted from a completion day (not anchored): a month after Jan 31 is Feb 28 too.
    let after = words("monthly after completion").rule;
    assert_eq!(after.next_after(date(2026, 1, 31)), Some(date(2026, 2, 28)));
}

#[test]
fn feb_29_comes_back_on_feb_28_in_common_years() {
    let yearly = words("yearly").rule.anchored(date(2028, 2, 29));
    assert_eq!(yearly.describe(false), "every year on Feb 29");
    assert_eq!(
        walk(&yearly, date(2028, 2, 29), 4),
        ["2029-02-28", "2030-02-28", "2031-02-28", "2032-02-29"]
    );
    let march = words("every year on mar 3").rule;
    assert_eq!(
        walk(&march, date(2026, 1, 1), 2),
        ["2026-03-03", "2027-03-03"]
    );
}

#[test]
fn after_completion_counts_from_the_given_day() {
    let rule = words("every 3 days after completion").rule;
    assert_eq!(rule.next_after(date(2026, 12, 5)), Some(date(2026, 12, 8)));
}

#[test]
fn the_first_date_is_the_first_day_the_rule_falls_on() {
    // From Wednesday 2026-12-09.
    let today = date(2026, 12, 9);
    assert_eq!(
        words("every 2 weeks on monday").rule.first_from(today),
        Some(date(2026, 12, 14))
    );
    assert_eq!(words("every wednesday").rule.first_from(today), Some(today));
    assert_eq!(words("every 3 days").rule.first_from(today), Some(today));
    assert_eq!(
        words("every 1st").rule.first_from(today),
        Some(date(2027, 1, 1))
    );
}

#[test]
fn no_date_is_looked_for_past_the_year_2999() {
    let rule = words("every 365 days").rule;
    assert_eq!(rule.next_after(date(2999, 6, 1)), None);
}

#[test]
fn stored_rules_are_their_rrule_text() {
    let rule = words("every monday").rule;
    let json = serde_json::to_string(&rule).unwrap();
    assert_eq!(json, "\"RRULE:FREQ=WEEKLY;BYDAY=MO\"");
    assert_eq!(serde_json::from_str::<RepeatRule>(&json).unwrap(), rule);
    assert!(serde_json::from_str::<RepeatRule>("\"every monday\"").is_err());
}

/// Property tests over generated RRULEs: what is kept is written back as the same rule, and
/// every next date is later, on one of the rule's days, and the first such day of its step.
mod properties {
    use jiff::ToSpan;
    use proptest::prelude::*;

    use super::*;

    const CODES: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

    fn any_rrule() -> impl Strategy<Value = String> {
        let day = prop_oneof![Just(-1i8), 1i8..=31];
        (0u8..6, 1u16..=12, 1u8..128, day, 1i8..=12).prop_map(|(shape, n, mask, day, month)| {
            let days: Vec<&str> = (0..7)
                .filter(|i| mask & (1 << i) != 0)
                .map(|i| CODES[i])
                .collect();
            match shape {
                0 => format!("RRULE:FREQ=DAILY;INTERVAL={n}"),
                1 => format!("RRULE:FREQ=WEEKLY;INTERVAL={n}"),
                2 => format!("RRULE:FREQ=WEEKLY;INTERVAL={n};BYDAY={}", days.join(",")),
                3 => format!("RRULE:FREQ=MONTHLY;INTERVAL={n}"),
                4 => format!("RRULE:FREQ=MONTHLY;INTERVAL={n};BYMONTHDAY={day}"),
                _ => format!("RRULE:FREQ=YEARLY;BYMONTH={month};BYMONTHDAY={day}"),
            }
        })
    }

    fn any_day() -> impl Strategy<Value = Date> {
        (2000i16..2100, 1i8..=12, 1i8..=31)
            .prop_map(|(y, m, d)| Date::new(y, m, d.min(28)).unwrap())
    }

    fn last_day(day: Date) -> Date {
        day.last_of_month()
    }

    /// Whether `day` is one the anchored rule falls on (ignoring the interval).
    fn on_rule(rule: &Rule, day: Date) -> bool {
        let weekday_ok = rule.weekdays.is_empty() || rule.weekdays.contains(&day.weekday());
        let month_ok = rule.month.is_none_or(|m| m == day.month());
        let day_ok = match rule.month_day {
            None => true,
            Some(-1) => day == last_day(day),
            Some(d) if d > last_day(day).day() => day == last_day(day),
            Some(d) => day.day() == d,
        };
        weekday_ok && month_ok && day_ok
    }

    proptest! {
        #[test]
        fn a_kept_rule_is_written_back_as_itself(text in any_rrule()) {
            let Ok(rule) = RepeatRule::from_rrule(&text) else {
                // Only a day a month never has (Apr 31) is refused.
                prop_assert!(text.contains("FREQ=YEARLY"), "{} refused", text);
                return Ok(());
            };
            let written = rule.rrule();
            prop_assert_eq!(RepeatRule::from_rrule(&written).map(|r| r.rule().clone()).ok(), Some(rule.rule().clone()), "{} -> {}", text, written);
        }

        #[test]
        fn the_next_date_is_later_and_on_the_rule(text in any_rrule(), from in any_day()) {
            let Ok(rule) = RepeatRule::from_rrule(&text) else { return Ok(()) };
            let next = rule.next_after(from).expect("a next date");
            prop_assert!(next > from, "{} from {}: {}", text, from, next);
            let anchored = rule.clone().anchored(from);
            prop_assert!(on_rule(anchored.rule(), next), "{} from {}: {}", text, from, next);
            let interval = i64::from(rule.rule().interval);
            match rule.rule().frequency {
                Frequency::Daily => prop_assert_eq!(next, from + interval.days()),
                Frequency::Weekly if rule.rule().weekdays.is_empty() => {
                    prop_assert_eq!(next, from + (7 * interval).days());
                }
                // Within one step of the interval: no occurrence is skipped.
                Frequency::Weekly => prop_assert!(next <= from + (7 * interval).days()),
                Frequency::Monthly => prop_assert!(next <= from + (interval + 1).months()),
                Frequency::Yearly => prop_assert!(next <= from + 1.year().months(1)),
            }
        }
    }
}
