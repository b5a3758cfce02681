//! A todo's reminders (issue 27): when to tell the user, parsed once from the wire
//! (`{"at": "<RFC 3339>"}`, `{"beforeMinutes": N}`), and the moment each is due in the
//! user's time zone. A todo keeps the next of those moments (`Todo::remind_at`), which both
//! stores index by time so a sweep finds what is due without reading every todo.

use jiff::{
    SignedDuration, Timestamp,
    civil::{Date, Time},
    tz::TimeZone,
};
use serde::{Deserialize, Serialize};

use super::{
    ids::{TodoId, UserId},
    input::{InvalidInput, excerpt},
    schedule::DueTime,
};

/// The most reminders one todo holds.
pub const REMINDERS_MAX: usize = 5;
/// The furthest before its due time a reminder may be: four weeks.
pub const BEFORE_MINUTES_MAX: u32 = 40_320;
/// What a dated todo without a time of day counts its reminders from, in the user's zone.
pub const DEFAULT_DUE_TIME: Time = Time::constant(9, 0, 0, 0);

/// One reminder as stored (`{"at": ...}` / `{"before_minutes": N}`; both stores keep the
/// list as it serializes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reminder {
    /// An explicit moment: fires once.
    At(Timestamp),
    /// Minutes before the due date and time (0: at it); follows each occurrence of a
    /// repeating todo, since its due date moves when an occurrence is done.
    BeforeMinutes(u32),
}

/// A todo's reminders: at most [`REMINDERS_MAX`], distinct, in the order given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Reminders(Vec<Reminder>);

impl Reminders {
    /// The wire's list, every item checked (errors name `reminders`). Duplicates collapse.
    pub fn parse(raw: &[app::wire::Reminder]) -> Result<Self, InvalidInput> {
        if raw.len() > REMINDERS_MAX {
            return Err(InvalidInput(format!(
                "reminders: {} given; a todo has at most {REMINDERS_MAX}.",
                raw.len()
            )));
        }
        let mut parsed: Vec<Reminder> = Vec::with_capacity(raw.len());
        for item in raw {
            let reminder = match item {
                app::wire::Reminder::At(text) => {
                    let at: Timestamp = text.trim().parse().map_err(|_| {
                        InvalidInput(format!(
                            "reminders: '{}' is not a moment; use RFC 3339 with an offset, \
                             for example 2026-03-05T09:00:00Z.",
                            excerpt(text, 40)
                        ))
                    })?;
                    Reminder::At(whole_seconds(at))
                }
                app::wire::Reminder::BeforeMinutes(minutes) if *minutes > BEFORE_MINUTES_MAX => {
                    return Err(InvalidInput(format!(
                        "reminders: beforeMinutes is at most {BEFORE_MINUTES_MAX} (four weeks); \
                         {minutes} given."
                    )));
                }
                app::wire::Reminder::BeforeMinutes(minutes) => Reminder::BeforeMinutes(*minutes),
            };
            if !parsed.contains(&reminder) {
                parsed.push(reminder);
            }
        }
        Ok(Self(parsed))
    }

    /// From values already checked (the snooze's own reminder, tests).
    pub fn from_values(values: Vec<Reminder>) -> Self {
        let mut kept: Vec<Reminder> = Vec::with_capacity(values.len());
        for value in values {
            if !kept.contains(&value) {
                kept.push(value);
            }
        }
        Self(kept)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Reminder> {
        self.0.iter()
    }

    /// Whether any counts from the due date (and so needs one).
    pub fn needs_date(&self) -> bool {
        self.0
            .iter()
            .any(|r| matches!(r, Reminder::BeforeMinutes(_)))
    }

    /// Refuses reminders before a due date on a todo without one.
    pub fn check_date(&self, has_date: bool) -> Result<(), InvalidInput> {
        if self.needs_date() && !has_date {
            return Err(InvalidInput(
                "reminders: a reminder before the due time (beforeMinutes) needs a due date \
                 (dateDue); remove it or give the todo a date."
                    .into(),
            ));
        }
        Ok(())
    }

    pub fn to_wire(&self) -> Vec<app::wire::Reminder> {
        self.0
            .iter()
            .map(|r| match r {
                Reminder::At(at) => app::wire::Reminder::At(super::clock::rfc3339(*at)),
                Reminder::BeforeMinutes(m) => app::wire::Reminder::BeforeMinutes(*m),
            })
            .collect()
    }
}

/// The moment a todo is due: its date at its time (09:00 without one) in `zone`. A wall
/// time that a DST change skips is taken after the gap, one it repeats at its first
/// occurrence (jiff's "compatible" rule, what calendars do).
pub fn due_moment(date: Date, time: Option<DueTime>, zone: &TimeZone) -> Option<Timestamp> {
    let at = date.to_datetime(time.map_or(DEFAULT_DUE_TIME, DueTime::time));
    at.to_zoned(zone.clone()).ok().map(|z| z.timestamp())
}

/// The first moment after `after` at which one of `reminders` is due, for a todo due at
/// `due` (`None`: no date, so only explicit moments count).
pub fn next_after(
    reminders: &Reminders,
    due: Option<Timestamp>,
    after: Timestamp,
) -> Option<Timestamp> {
    reminders
        .iter()
        .filter_map(|r| match r {
            Reminder::At(at) => Some(*at),
            Reminder::BeforeMinutes(m) => due?
                .checked_sub(SignedDuration::from_mins(i64::from(*m)))
                .ok(),
        })
        .filter(|at| *at > after)
        .min()
}

fn whole_seconds(at: Timestamp) -> Timestamp {
    Timestamp::from_second(at.as_second()).unwrap_or(at)
}

/// One todo whose next reminder is due: what a store's time index answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueReminder {
    pub owner: UserId,
    pub todo: TodoId,
    /// The moment it is due (the todo's `remind_at` when indexed).
    pub at: Timestamp,
}

/// What a sweep writes when it takes a due reminder, in one write: the claim (an entry no
/// other sweep can create again while it lives), the todo's next reminder, the action token
/// the notification's buttons carry, and the notification for the in-app list.
#[derive(Debug, Clone)]
pub struct ReminderClaim {
    pub due: DueReminder,
    /// The todo's reminder after this one (`None`: none left).
    pub next: Option<Timestamp>,
    /// Key `reminder:<owner>:<todo>:<ms>`, version 1: created only if absent.
    pub claim: super::Entry,
    /// Key `push-action:<digest>`: created with the claim.
    pub token: super::Entry,
    /// The notification (its key is its id, a UUIDv7), kept in the owner's list.
    pub notification: super::Entry,
}

/// The minute a moment falls in, `YYYY-MM-DDTHH:MM` (UTC): DynamoDB's index partition.
pub fn minute_bucket(at: Timestamp) -> String {
    at.strftime("%Y-%m-%dT%H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ny() -> TimeZone {
        TimeZone::get("America/New_York").unwrap()
    }

    #[test]
    fn reminders_are_parsed_once_with_errors_naming_reminders() {
        use app::wire::Reminder as W;
        let ok = Reminders::parse(&[
            W::At("2026-03-05T10:00:00+01:00".into()),
            W::BeforeMinutes(30),
            W::BeforeMinutes(30),
        ])
        .unwrap();
        assert_eq!(
            ok.to_wire(),
            vec![W::At("2026-03-05T09:00:00Z".into()), W::BeforeMinutes(30)]
        );
        for bad in [
            vec![W::At("tomorrow".into())],
            vec![W::At("2026-03-05T09:00:00".into())],
            vec![W::BeforeMinutes(40_321)],
            vec![W::BeforeMinutes(1); 6],
        ] {
            let err = Reminders::parse(&bad).unwrap_err();
            assert!(err.0.starts_with("reminders:"), "{err}");
        }
        assert!(Reminders::parse(&[W::BeforeMinutes(40_320)]).is_ok());
        let before = Reminders::parse(&[W::BeforeMinutes(0)]).unwrap();
        assert!(before.check_date(false).is_err());
        assert!(before.check_date(true).is_ok());
    }

    #[test]
    fn nine_local_is_nine_local_on_both_sides_of_a_dst_change() {
        // 2026-03-08: New York springs forward (EST -5 before, EDT -4 after).
        let time = DueTime::parse("09:00").ok();
        let before = due_moment(jiff::civil::date(2026, 3, 7), time, &ny()).unwrap();
        let after = due_moment(jiff::civil::date(2026, 3, 9), time, &ny()).unwrap();
        assert_eq!(before.to_string(), "2026-03-07T14:00:00Z");
        assert_eq!(after.to_string(), "2026-03-09T13:00:00Z");
        // No time: 09:00 local.
        let untimed = due_moment(jiff::civil::date(2026, 11, 2), None, &ny()).unwrap();
        assert_eq!(untimed.to_string(), "2026-11-02T14:00:00Z");
    }

    #[test]
    fn the_next_reminder_is_the_first_after_the_given_moment() {
        let due: Timestamp = "2026-03-05T09:00:00Z".parse().unwrap();
        let reminders = Reminders::from_values(vec![
            Reminder::BeforeMinutes(60),
            Reminder::BeforeMinutes(0),
            Reminder::At("2026-03-01T00:00:00Z".parse().unwrap()),
        ]);
        let early: Timestamp = "2026-02-01T00:00:00Z".parse().unwrap();
        assert_eq!(
            next_after(&reminders, Some(due), early)
                .unwrap()
                .to_string(),
            "2026-03-01T00:00:00Z"
        );
        let eight = "2026-03-05T08:00:00Z".parse().unwrap();
        assert_eq!(next_after(&reminders, Some(due), eight), Some(due));
        assert_eq!(next_after(&reminders, Some(due), due), None);
        // Without a date only the explicit moment counts.
        assert!(next_after(&reminders, None, "2026-03-02T00:00:00Z".parse().unwrap()).is_none());
        assert_eq!(minute_bucket(due), "2026-03-05T09:00");
    }
}
