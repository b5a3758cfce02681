//! A todo's priority: 1 (highest) to 4 (none, the default), as Todoist numbers them.

use serde::{Deserialize, Serialize};

use super::input::InvalidInput;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Priority(u8);

impl Priority {
    pub const HIGHEST: Self = Self(1);
    /// No priority: what a todo has unless given one.
    pub const NONE: Self = Self(4);

    /// 1, 2, 3 or 4; anything else is an error naming the field.
    pub fn parse(raw: i64) -> Result<Self, InvalidInput> {
        match u8::try_from(raw) {
            Ok(n @ 1..=4) => Ok(Self(n)),
            _ => Err(InvalidInput(format!(
                "priority must be 1, 2, 3 or 4 (1 is the highest, 4 means none); {raw} is not."
            ))),
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }

    pub fn is_none(&self) -> bool {
        *self == Self::NONE
    }
}

impl Default for Priority {
    fn default() -> Self {
        Self::NONE
    }
}

impl<'de> Deserialize<'de> for Priority {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = i64::deserialize(d)?;
        Self::parse(raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priorities_are_one_to_four_and_four_is_none() {
        for n in 1..=4 {
            assert_eq!(Priority::parse(n).unwrap().get(), n as u8);
        }
        assert_eq!(Priority::default(), Priority::parse(4).unwrap());
        assert!(Priority::default().is_none());
        assert!(!Priority::HIGHEST.is_none());
        for bad in [0, 5, -1, 260, i64::MAX] {
            let err = Priority::parse(bad).unwrap_err().0;
            assert!(
                err.starts_with("priority must be 1, 2, 3 or 4"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn a_stored_priority_is_checked_like_a_sent_one() {
        assert_eq!(
            serde_json::from_str::<Priority>("2").unwrap(),
            Priority::parse(2).unwrap()
        );
        assert!(serde_json::from_str::<Priority>("9").is_err());
    }
}
