//! Time, on one crate (jiff) for the whole server: timestamps are `jiff::Timestamp` (UTC),
//! calendar days `jiff::civil::Date`, lengths `std::time::Duration` / `jiff::SignedDuration`.
//!
//! "Now" comes from one [`Clock`], built once at startup and handed to every service that
//! decides something by time (trash and restore windows, the rate limit, leases, tickets,
//! change records, token expiry, sign-in lockouts). Tests hand in a [`ManualClock`] and move
//! it instead of sleeping. Only measurements of elapsed time for logs may read
//! `std::time::Instant` directly.

use std::sync::Mutex;

use jiff::{SignedDuration, Timestamp};

/// Where "now" comes from.
pub trait Clock: Send + Sync + 'static {
    /// The current time, in whole milliseconds (so it survives a round trip through any
    /// store unchanged).
    fn now(&self) -> Timestamp;
}

/// The real time.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        whole_milliseconds(Timestamp::now())
    }
}

/// A clock tests move by hand: frozen at a chosen instant ([`ManualClock::at`]) or following
/// the real time ([`ManualClock::running`]), and in both cases shifted by what
/// [`ManualClock::advance`] added.
#[derive(Debug)]
pub struct ManualClock {
    /// `None`: the real time.
    frozen_at: Option<Timestamp>,
    offset: Mutex<SignedDuration>,
}

impl ManualClock {
    /// Stands still at `at` until advanced.
    pub fn at(at: Timestamp) -> Self {
        Self {
            frozen_at: Some(whole_milliseconds(at)),
            offset: Mutex::new(SignedDuration::ZERO),
        }
    }

    /// Follows the real time until advanced, then runs that much ahead of it.
    pub fn running() -> Self {
        Self {
            frozen_at: None,
            offset: Mutex::new(SignedDuration::ZERO),
        }
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: impl TryInto<SignedDuration>) {
        let by = by.try_into().ok().expect("a duration the clock can add");
        let mut offset = self.offset.lock().unwrap_or_else(|e| e.into_inner());
        *offset = offset.checked_add(by).expect("a clock advance in range");
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        let base = self.frozen_at.unwrap_or_else(|| SystemClock.now());
        let offset = *self.offset.lock().unwrap_or_else(|e| e.into_inner());
        whole_milliseconds(base.checked_add(offset).expect("a clock in range"))
    }
}

fn whole_milliseconds(at: Timestamp) -> Timestamp {
    Timestamp::from_millisecond(at.as_millisecond()).expect("the time is in range")
}

/// `at + by`, saturating at the end of time (a configured window cannot overflow).
pub fn after(at: Timestamp, by: std::time::Duration) -> Timestamp {
    SignedDuration::try_from(by)
        .ok()
        .and_then(|by| at.checked_add(by).ok())
        .unwrap_or(Timestamp::MAX)
}

/// How long from `now` until `at`; zero if it has passed.
pub fn until(now: Timestamp, at: Timestamp) -> std::time::Duration {
    std::time::Duration::try_from(at.duration_since(now)).unwrap_or_default()
}

/// RFC 3339 in UTC with as many fraction digits as needed, e.g. `2026-03-05T10:00:00.5Z`.
pub fn rfc3339(at: Timestamp) -> String {
    at.to_string()
}

/// An IANA time zone the user named (`Europe/Berlin`); what "today" means for them.
pub fn time_zone(name: &str) -> Result<jiff::tz::TimeZone, super::InvalidInput> {
    jiff::tz::TimeZone::get(name).map_err(|_| {
        super::InvalidInput(format!(
            "Unknown time zone '{}'; use an IANA name such as Europe/Berlin.",
            name.chars().take(60).collect::<String>()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_has_whole_milliseconds() {
        assert_eq!(SystemClock.now().subsec_nanosecond() % 1_000_000, 0);
    }

    #[test]
    fn a_manual_clock_stands_still_until_advanced() {
        let start: Timestamp = "2026-03-05T10:00:00Z".parse().unwrap();
        let clock = ManualClock::at(start);
        assert_eq!(clock.now(), start);
        clock.advance(std::time::Duration::from_secs(90));
        assert_eq!(clock.now(), "2026-03-05T10:01:30Z".parse().unwrap());
    }

    #[test]
    fn a_running_manual_clock_runs_ahead_by_what_was_added() {
        let clock = ManualClock::running();
        clock.advance(SignedDuration::from_hours(1));
        let ahead = clock.now().duration_since(SystemClock.now());
        assert!(ahead > SignedDuration::from_mins(59), "{ahead:?}");
    }

    #[test]
    fn windows_saturate_and_never_go_negative() {
        let at: Timestamp = "2026-03-05T10:00:00Z".parse().unwrap();
        assert_eq!(after(at, std::time::Duration::MAX), Timestamp::MAX);
        assert_eq!(
            until(at, at - SignedDuration::from_secs(5)),
            std::time::Duration::ZERO
        );
        assert_eq!(
            until(at, after(at, std::time::Duration::from_secs(5))),
            std::time::Duration::from_secs(5)
        );
    }

    #[test]
    fn timestamps_format_as_rfc3339_utc() {
        let at: Timestamp = "2026-03-05T10:00:00.250Z".parse().unwrap();
        assert_eq!(rfc3339(at), "2026-03-05T10:00:00.25Z");
        assert_eq!(rfc3339(at).parse::<Timestamp>().unwrap(), at);
    }
}
