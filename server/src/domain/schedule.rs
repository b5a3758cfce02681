//! A todo's time of day ([`DueTime`]) and the days a repeating todo was done
//! ([`Completions`]): values parsed once, stored as short strings so both stores keep them
//! as plain attributes.

use jiff::civil::{Date, Time};
use serde::{Deserialize, Serialize};

use super::input::{InvalidInput, excerpt};

/// A wall-clock time of day, `HH:MM` (24-hour), in the user's time zone; a todo has one only
/// with a due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DueTime(Time);

impl DueTime {
    /// Exactly `HH:MM`, 00:00 to 23:59.
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        app::words::times::from_hhmm(raw).map(Self).ok_or_else(|| {
            InvalidInput(format!(
                "dueTime: '{}' is not a time; use HH:MM (24-hour), for example 09:30 or 17:00.",
                excerpt(raw, 20)
            ))
        })
    }

    pub fn time(self) -> Time {
        self.0
    }

    pub fn to_hhmm(self) -> String {
        app::words::times::to_hhmm(self.0)
    }
}

impl Serialize for DueTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hhmm())
    }
}

impl<'de> Deserialize<'de> for DueTime {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// The days a repeating todo was completed, oldest first: the last [`Completions::MAX`].
/// Stored as one string of ISO dates separated by spaces.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Completions(Vec<Date>);

impl Completions {
    /// Enough for a year of weekly todos; older days are let go.
    pub const MAX: usize = 50;

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn days(&self) -> &[Date] {
        &self.0
    }

    /// Adds `day`, letting the oldest go past [`Self::MAX`].
    pub fn record(&mut self, day: Date) {
        self.0.push(day);
        let over = self.0.len().saturating_sub(Self::MAX);
        self.0.drain(..over);
    }

    pub fn to_iso(&self) -> Vec<String> {
        self.0
            .iter()
            .map(|d| d.strftime("%Y-%m-%d").to_string())
            .collect()
    }
}

impl Serialize for Completions {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_iso().join(" "))
    }
}

impl<'de> Deserialize<'de> for Completions {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        let mut days = Completions::default();
        for day in raw.split_whitespace() {
            // Written by `serialize` only: ISO days.
            days.record(day.parse().map_err(serde::de::Error::custom)?);
        }
        Ok(days)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_times_are_hh_mm() {
        assert_eq!(DueTime::parse("09:30").unwrap().to_hhmm(), "09:30");
        let err = DueTime::parse("9:30").unwrap_err();
        assert!(err.0.starts_with("dueTime:"), "{err}");
        assert!(DueTime::parse("24:00").is_err());
    }

    #[test]
    fn completions_keep_the_last_fifty_days_and_store_as_one_string() {
        let mut days = Completions::default();
        let start = jiff::civil::date(2026, 1, 1);
        for i in 0..60 {
            days.record(start.checked_add(jiff::Span::new().days(i)).unwrap());
        }
        assert_eq!(days.days().len(), Completions::MAX);
        assert_eq!(days.days()[0], jiff::civil::date(2026, 1, 11));
        let json = serde_json::to_string(&days).unwrap();
        assert!(json.starts_with("\"2026-01-11 2026-01-12"), "{json}");
        assert_eq!(serde_json::from_str::<Completions>(&json).unwrap(), days);
    }
}
