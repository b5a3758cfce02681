//! Each phrasing the words layer understands, what it refuses, and descriptions that read
//! back as the same rule.

use super::*;

fn rule(text: &str) -> Repeat {
    parse(text).unwrap_or_else(|| panic!("{text:?} not understood"))
}

fn weekly(days: &[Weekday], interval: u16) -> Rule {
    Rule {
        weekdays: days.to_vec(),
        ..Rule::every(Frequency::Weekly, interval)
    }
}

#[test]
fn shorthands_are_every_one_unit() {
    for (text, frequency) in [
        ("daily", Frequency::Daily),
        ("every day", Frequency::Daily),
        ("Each day", Frequency::Daily),
        ("weekly", Frequency::Weekly),
        ("every week", Frequency::Weekly),
        ("monthly", Frequency::Monthly),
        ("every month", Frequency::Monthly),
        ("yearly", Frequency::Yearly),
        ("annually", Frequency::Yearly),
        ("every year", Frequency::Yearly),
    ] {
        assert_eq!(rule(text).rule, Rule::every(frequency, 1), "{text}");
    }
}

#[test]
fn intervals_in_digits_words_and_other() {
    assert_eq!(
        rule("every 2 weeks").rule,
        Rule::every(Frequency::Weekly, 2)
    );
    assert_eq!(
        rule("every three days").rule,
        Rule::every(Frequency::Daily, 3)
    );
    assert_eq!(
        rule("every other month").rule,
        Rule::every(Frequency::Monthly, 2)
    );
    assert_eq!(rule("every 1 year").rule, Rule::every(Frequency::Yearly, 1));
    assert!(parse("every 0 days").is_none());
    assert!(parse("every 366 days").is_none());
    assert!(parse("every -2 days").is_none());
}

#[test]
fn weekdays_alone_in_lists_and_with_intervals() {
    use Weekday::*;
    assert_eq!(rule("every monday").rule, weekly(&[Monday], 1));
    assert_eq!(rule("every Mondays").rule, weekly(&[Monday], 1));
    assert_eq!(
        rule("every monday and thursday").rule,
        weekly(&[Monday, Thursday], 1)
    );
    assert_eq!(
        rule("every fri, mon and wed").rule,
        weekly(&[Monday, Wednesday, Friday], 1)
    );
    assert_eq!(rule("every weekday").rule, weekly(&WORKDAYS, 1));
    assert_eq!(rule("every weekend").rule, weekly(&WEEKEND, 1));
    assert_eq!(rule("every other tuesday").rule, weekly(&[Tuesday], 2));
    assert_eq!(rule("every 2 weeks on monday").rule, weekly(&[Monday], 2));
    assert_eq!(
        rule("every week on monday and thursday").rule,
        weekly(&[Monday, Thursday], 1)
    );
    assert!(parse("every monday and").is_none());
    assert!(parse("every blursday").is_none());
}

#[test]
fn days_of_the_month() {
    let monthly = |day| Rule {
        month_day: Some(day),
        ..Rule::every(Frequency::Monthly, 1)
    };
    assert_eq!(rule("every 1st").rule, monthly(1));
    assert_eq!(rule("every 15th of the month").rule, monthly(15));
    assert_eq!(rule("every month on the 15th").rule, monthly(15));
    assert_eq!(rule("every month on the last day").rule, monthly(-1));
    assert_eq!(rule("every last day of the month").rule, monthly(-1));
    assert_eq!(rule("every 31st").rule, monthly(31));
    assert_eq!(
        rule("every 2 months on the 1st").rule,
        Rule {
            interval: 2,
            ..monthly(1)
        }
    );
    assert!(parse("every 32nd").is_none());
    assert!(parse("every month on the 0th").is_none());
}

#[test]
fn days_of_the_year() {
    let yearly = |m, d| Rule {
        month: Some(m),
        month_day: Some(d),
        ..Rule::every(Frequency::Yearly, 1)
    };
    assert_eq!(rule("every year on Mar 3").rule, yearly(3, 3));
    assert_eq!(rule("every year on march 3rd").rule, yearly(3, 3));
    assert_eq!(rule("every 3 march").rule, yearly(3, 3));
    assert_eq!(rule("every dec 25").rule, yearly(12, 25));
    assert_eq!(rule("every year on feb 29").rule, yearly(2, 29));
    assert!(parse("every year on feb 30").is_none());
    assert!(parse("every year on apr 31").is_none());
}

#[test]
fn after_completion_counts_from_the_day_it_is_done() {
    let repeat = rule("every 3 days after completion");
    assert!(repeat.after_completion);
    assert_eq!(repeat.rule, Rule::every(Frequency::Daily, 3));
    let bang = rule("every! 2 weeks");
    assert!(bang.after_completion);
    assert_eq!(bang.rule, Rule::every(Frequency::Weekly, 2));
    assert!(!rule("every 3 days").after_completion);
    assert!(parse("after completion").is_none());
}

#[test]
fn other_text_is_not_a_rule() {
    for text in [
        "",
        "every",
        "tomorrow",
        "buy milk every monday",
        "every day please",
        "every 3",
        "every week on the 15th",
        "every day on monday",
        &"every ".repeat(40),
    ] {
        assert!(parse(text).is_none(), "{text:?} read as a rule");
    }
}

#[test]
fn descriptions_are_readable_and_read_back() {
    for (text, described) in [
        ("daily", "every day"),
        ("every 2 weeks", "every 2 weeks"),
        ("every weekday", "every weekday"),
        ("every mon and thu", "every Monday and Thursday"),
        ("every fri wed mon", "every Monday, Wednesday and Friday"),
        ("every other monday", "every 2 weeks on Monday"),
        ("every 1st", "every month on the 1st"),
        ("every 22nd", "every month on the 22nd"),
        ("every month on the last day", "every month on the last day"),
        ("every year on march 3rd", "every year on Mar 3"),
        (
            "every year on the last day of february",
            "every year on the last day of Feb",
        ),
        (
            "every 3 days after completion",
            "every 3 days after completion",
        ),
    ] {
        let repeat = rule(text);
        assert_eq!(repeat.describe(), described, "{text}");
        assert_eq!(rule(described), repeat, "{described}");
    }
}

#[test]
fn check_refuses_parts_that_do_not_fit() {
    let mut bad = Rule::every(Frequency::Daily, 1);
    bad.weekdays = vec![Weekday::Monday];
    assert!(bad.check().is_err());
    let mut month_only = Rule::every(Frequency::Yearly, 1);
    month_only.month = Some(3);
    assert!(month_only.check().is_err());
    let mut last_of_feb = month_only.clone();
    last_of_feb.month_day = Some(-1);
    assert!(last_of_feb.check().is_ok());
    assert!(Rule::every(Frequency::Daily, 0).check().is_err());
    let mut day_without_month = Rule::every(Frequency::Yearly, 1);
    day_without_month.month_day = Some(15);
    assert!(day_without_month.check().is_err());
}

/// Property tests: any rule the words layer can hold is written as text that reads back as the
/// same rule, and no text makes `parse` panic or yield a rule `check` refuses.
mod properties {
    use proptest::prelude::*;

    use super::*;

    const DAYS: [Weekday; 7] = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ];

    /// Every shape `check` accepts: weekdays only on weekly rules, a day of the month on
    /// monthly or yearly ones, a month only with a day that month has in a leap year.
    pub(super) fn any_rule() -> impl Strategy<Value = Rule> {
        let interval = prop_oneof![3 => 1u16..=4, 1 => 1u16..=MAX_INTERVAL];
        let day = prop_oneof![Just(-1i8), 1i8..=31];
        (
            0u8..6,
            interval,
            prop::bits::u8::masked(0x7f),
            day,
            1i8..=12,
        )
            .prop_map(|(shape, interval, mask, day, month)| {
                let mut rule = Rule::every(Frequency::Daily, interval);
                match shape {
                    0 => {}
                    1 => rule.frequency = Frequency::Weekly,
                    2 => {
                        rule.frequency = Frequency::Weekly;
                        let days: Vec<Weekday> = (0..7)
                            .filter(|i| mask & (1 << i) != 0)
                            .map(|i| DAYS[i])
                            .collect();
                        rule.weekdays = if days.is_empty() {
                            vec![Weekday::Monday]
                        } else {
                            days
                        };
                    }
                    3 => rule.frequency = Frequency::Monthly,
                    4 => {
                        rule.frequency = Frequency::Monthly;
                        rule.month_day = Some(day);
                    }
                    _ => {
                        rule.frequency = Frequency::Yearly;
                        rule.month = Some(month);
                        let fits = day == -1 || Date::new(2024, month, day).is_ok();
                        rule.month_day = Some(if fits { day } else { -1 });
                    }
                }
                rule
            })
    }

    proptest! {
        #[test]
        fn every_rule_reads_back_from_its_description(rule in any_rule(), after in any::<bool>()) {
            prop_assert!(rule.check().is_ok(), "generated an invalid rule {:?}", rule);
            let repeat = Repeat { rule, after_completion: after };
            let text = repeat.describe();
            prop_assert_eq!(parse(&text), Some(repeat.clone()), "{}", text);
            prop_assert_eq!(parse(&text.to_uppercase()), Some(repeat), "{}", text);
        }

        #[test]
        fn any_text_is_read_without_panic_and_only_as_a_valid_rule(
            text in "(every|each|other|day|week|weekday|month|year|on|the|last|of|after|completion|[0-9]{1,4}|1st|31st|mon|fri|march|feb|29|and|,| ){0,12}"
        ) {
            if let Some(repeat) = parse(&text) {
                prop_assert!(repeat.rule.check().is_ok(), "{:?} gave {:?}", text, repeat);
            }
        }

        #[test]
        fn arbitrary_unicode_never_panics(text in "\\PC{0,80}") {
            let _ = parse(&text);
        }
    }
}
