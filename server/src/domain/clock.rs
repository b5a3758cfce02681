//! Time, on one crate (jiff) for the whole server: timestamps are `jiff::Timestamp` (UTC),
//! calendar days `jiff::civil::Date`.

use jiff::Timestamp;

/// Whole milliseconds, so a timestamp survives a round trip through any store unchanged.
pub fn now() -> Timestamp {
    Timestamp::from_millisecond(Timestamp::now().as_millisecond())
        .expect("the current time is in range")
}

/// Seconds since the Unix epoch, now (expiry attributes, connection times).
pub fn unix_seconds() -> i64 {
    Timestamp::now().as_second()
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
        assert_eq!(now().subsec_nanosecond() % 1_000_000, 0);
    }

    #[test]
    fn timestamps_format_as_rfc3339_utc() {
        let at: Timestamp = "2026-03-05T10:00:00.250Z".parse().unwrap();
        assert_eq!(rfc3339(at), "2026-03-05T10:00:00.25Z");
        assert_eq!(rfc3339(at).parse::<Timestamp>().unwrap(), at);
    }
}
