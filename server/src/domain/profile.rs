//! What the server keeps about a user besides their todos: their time zone (set by the
//! browser), so what it decides without a request in hand (the day a repeating todo was
//! done, "today" for a rule counted from completion) uses the user's calendar.

use serde::{Deserialize, Serialize};

use super::{clock, input::InvalidInput};

/// An IANA time zone name the server's zone database knows ("Europe/Berlin").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ZoneName(String);

impl ZoneName {
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        let name = raw.trim();
        clock::time_zone(name).map_err(|e| InvalidInput(format!("timeZone: {e}")))?;
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The zone; UTC should the database ever lose the name (it was checked when set).
    pub fn zone(&self) -> jiff::tz::TimeZone {
        jiff::tz::TimeZone::get(&self.0).unwrap_or(jiff::tz::TimeZone::UTC)
    }
}

/// One user's settings; a user who never set one has the default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<ZoneName>,
}

impl Profile {
    /// The user's zone, UTC when they never set one.
    pub fn zone(&self) -> jiff::tz::TimeZone {
        self.time_zone
            .as_ref()
            .map_or(jiff::tz::TimeZone::UTC, ZoneName::zone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zone_names_are_iana_names() {
        assert_eq!(
            ZoneName::parse(" Europe/Berlin ").unwrap().as_str(),
            "Europe/Berlin"
        );
        let err = ZoneName::parse("Mars/Olympus").unwrap_err();
        assert!(err.0.starts_with("timeZone: Unknown time zone"), "{err}");
    }
}
