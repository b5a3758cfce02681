//! Times of day in plain English ("at 5pm", "9:30", "17:00", "9 am", "noon", "tonight"),
//! and the `HH:MM` form the API uses. Shared by the browser's quick add and the server.
//!
//! Understood (case-insensitive, an optional leading `at` or `@`):
//! - 12-hour times: `5pm`, `5 pm`, `5:30pm`, `5.30 p.m.`, `12am` (midnight), `12pm` (noon).
//! - 24-hour times: `9:30`, `09:30`, `17:00`, `0:05`.
//! - A bare hour only after `at` (`at 9` is 09:00, `at 17` is 17:00): alone, "9" is a number.
//! - `noon` (12:00), `midnight` (00:00), `morning` (09:00), `tonight` and `evening` (20:00).
//!
//! Cost: a time is at most [`MAX_WORDS`] words; longer text is not read.

use jiff::civil::Time;

/// "at 5:30 p.m." is three words ("@" counts as "at").
pub const MAX_WORDS: usize = 3;

/// Exactly `HH:MM`, 24-hour (00:00 to 23:59): the API's form.
pub fn from_hhmm(raw: &str) -> Option<Time> {
    let b = raw.as_bytes();
    if b.len() != 5
        || b[2] != b':'
        || !b
            .iter()
            .enumerate()
            .all(|(i, c)| i == 2 || c.is_ascii_digit())
    {
        return None;
    }
    let hour: i8 = raw[..2].parse().ok()?;
    let minute: i8 = raw[3..].parse().ok()?;
    Time::new(hour, minute, 0, 0).ok()
}

/// The API's `HH:MM` of a time (seconds dropped).
pub fn to_hhmm(time: Time) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

/// Reads a whole phrase as a time of day; `None` if it is not (only) one.
pub fn parse(phrase: &str) -> Option<Time> {
    let cleaned = phrase
        .trim()
        .to_lowercase()
        .replace("a.m.", "am")
        .replace("p.m.", "pm");
    let cleaned = match cleaned.strip_prefix('@') {
        Some(rest) => format!("at {rest}"),
        None => cleaned,
    };
    let mut words: Vec<&str> = Vec::new();
    for word in cleaned.split_whitespace() {
        if words.len() == MAX_WORDS {
            return None;
        }
        words.push(word);
    }
    let (after_at, words) = match words.as_slice() {
        ["at", rest @ ..] => (true, rest),
        other => (false, other),
    };
    match words {
        ["noon" | "midday"] => Time::new(12, 0, 0, 0).ok(),
        ["midnight"] => Time::new(0, 0, 0, 0).ok(),
        ["morning"] if !after_at => Time::new(9, 0, 0, 0).ok(),
        ["tonight" | "evening"] if !after_at => Time::new(20, 0, 0, 0).ok(),
        other => parse_clock(other, after_at),
    }
}

/// "5pm", "5 pm", "5:30pm", "9:30", "17" (only after "at").
fn parse_clock(words: &[&str], after_at: bool) -> Option<Time> {
    let (clock, meridiem) = match words {
        [one] => split_meridiem(one),
        [clock, "am" | "pm"] => (*clock, Some(words[1] == "pm")),
        _ => return None,
    };
    let (hour, minute) = match clock.split_once([':', '.']) {
        Some((h, m)) if m.len() == 2 => (number(h)?, number(m)?),
        Some(_) => return None,
        // A bare number is an hour only with "am"/"pm" or after "at".
        None if meridiem.is_some() || after_at => (number(clock)?, 0),
        None => return None,
    };
    let hour = match meridiem {
        Some(pm) if (1..=12).contains(&hour) => hour % 12 + if pm { 12 } else { 0 },
        Some(_) => return None,
        None => hour,
    };
    Time::new(hour, minute, 0, 0).ok()
}

/// "5pm" -> ("5", Some(true)); "9:30" -> ("9:30", None).
fn split_meridiem(word: &str) -> (&str, Option<bool>) {
    if let Some(clock) = word.strip_suffix("am") {
        (clock, Some(false))
    } else if let Some(clock) = word.strip_suffix("pm") {
        (clock, Some(true))
    } else {
        (word, None)
    }
}

/// One or two ASCII digits.
fn number(digits: &str) -> Option<i8> {
    if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hhmm(phrase: &str) -> Option<String> {
        parse(phrase).map(to_hhmm)
    }

    #[test]
    fn twelve_hour_times() {
        for (phrase, expected) in [
            ("5pm", "17:00"),
            ("at 5pm", "17:00"),
            ("5 PM", "17:00"),
            ("9am", "09:00"),
            ("5:30pm", "17:30"),
            ("at 5.30 p.m.", "17:30"),
            ("12am", "00:00"),
            ("12pm", "12:00"),
            ("@9am", "09:00"),
        ] {
            assert_eq!(hhmm(phrase).as_deref(), Some(expected), "{phrase}");
        }
        for bad in ["13pm", "0am", "5:3pm", "5:60pm"] {
            assert_eq!(hhmm(bad), None, "{bad}");
        }
    }

    #[test]
    fn twenty_four_hour_times() {
        for (phrase, expected) in [
            ("9:30", "09:30"),
            ("09:30", "09:30"),
            ("17:00", "17:00"),
            ("at 0:05", "00:05"),
            ("at 9", "09:00"),
            ("at 17", "17:00"),
        ] {
            assert_eq!(hhmm(phrase).as_deref(), Some(expected), "{phrase}");
        }
        for bad in ["24:00", "9:5", "9", "17", "123:00", "at 24", "9:30:00"] {
            assert_eq!(hhmm(bad), None, "{bad}");
        }
    }

    #[test]
    fn named_times() {
        assert_eq!(hhmm("noon").as_deref(), Some("12:00"));
        assert_eq!(hhmm("at midnight").as_deref(), Some("00:00"));
        assert_eq!(hhmm("tonight").as_deref(), Some("20:00"));
        assert_eq!(hhmm("morning").as_deref(), Some("09:00"));
        assert_eq!(hhmm("at tonight"), None);
    }

    #[test]
    fn other_text_is_not_a_time() {
        for text in ["", "at", "buy milk", "5 apples", "at 5 pm sharp", "pm"] {
            assert_eq!(hhmm(text), None, "{text:?}");
        }
    }

    #[test]
    fn hhmm_is_strict() {
        assert_eq!(from_hhmm("09:05").map(to_hhmm).as_deref(), Some("09:05"));
        assert_eq!(from_hhmm("23:59").map(to_hhmm).as_deref(), Some("23:59"));
        for bad in [
            "9:05",
            "24:00",
            "12:60",
            "12:5",
            "12-30",
            " 12:30",
            "12:30 ",
            "+1:30",
            "١٢:٣٠",
        ] {
            assert_eq!(from_hhmm(bad), None, "{bad}");
        }
    }
}

/// Property tests: every time of day reads back from the API's form and from the 12-hour
/// forms people type; no text makes `parse` panic.
#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn every_time_reads_back_from_hhmm(hour in 0i8..24, minute in 0i8..60) {
            let time = Time::new(hour, minute, 0, 0).unwrap();
            let hhmm = to_hhmm(time);
            prop_assert_eq!(from_hhmm(&hhmm), Some(time));
            prop_assert_eq!(parse(&hhmm), Some(time), "{}", hhmm);
            let at = format!("at {hhmm}");
            prop_assert_eq!(parse(&at), Some(time), "{}", at);
        }

        #[test]
        fn every_time_reads_back_from_twelve_hour_forms(hour in 0i8..24, minute in 0i8..60, spaced in any::<bool>(), dotted in any::<bool>()) {
            let time = Time::new(hour, minute, 0, 0).unwrap();
            let twelve = match hour % 12 { 0 => 12, h => h };
            let suffix = match (hour < 12, dotted) {
                (true, false) => "am",
                (false, false) => "pm",
                (true, true) => "a.m.",
                (false, true) => "p.m.",
            };
            let gap = if spaced { " " } else { "" };
            let text = format!("{twelve}:{minute:02}{gap}{suffix}");
            prop_assert_eq!(parse(&text), Some(time), "{}", text);
            if minute == 0 {
                let text = format!("{twelve}{gap}{suffix}");
                prop_assert_eq!(parse(&text), Some(time), "{}", text);
            }
        }

        #[test]
        fn hhmm_accepts_nothing_but_valid_times(text in "[0-9:]{0,6}") {
            if let Some(time) = from_hhmm(&text) {
                prop_assert_eq!(to_hhmm(time), text);
            }
        }

        #[test]
        fn arbitrary_text_never_panics(text in "\\PC{0,40}") {
            let _ = parse(&text);
            let _ = from_hhmm(&text);
        }
    }
}
