//! A todo's reminders as tools set them: `setReminders`' list of reminders in words ("1h
//! before", "at the due time", "tomorrow 9am") or RFC 3339 moments, read by the words layer
//! the browser's quick add uses (`app::words::reminders`), and turned into the wire's
//! `{"beforeMinutes"}` / `{"at"}` with the user's time zone. The todo service checks what
//! this produces (at most five, a "before" needs a date) as it checks the REST API's.

use app::{
    wire::Reminder,
    words::reminders::{self, MAX_REMINDERS, Resolved, When},
};
use jiff::{
    Timestamp,
    civil::{Date, DateTime},
    tz::TimeZone,
};

use crate::domain::{InvalidInput, Todo};

/// How `setReminders` changes the reminders: the whole set, or some added and some removed
/// (so a model need not read and rewrite the set to add one). Items stay words until the
/// call runs: they are read against the user's today and time zone then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReminderEdit {
    Replace(Vec<String>),
    Adjust {
        add: Vec<String>,
        remove: Vec<String>,
    },
}

impl ReminderEdit {
    /// "1h before, tomorrow 9am" (the set), "+1h before; -at the due time" (changes),
    /// "none" (no reminders). Items are separated by commas, semicolons or lines.
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        if ["none", "null", "clear", "no", "never"].contains(&raw.trim().to_lowercase().as_str()) {
            return Ok(Self::Replace(vec![]));
        }
        let items: Vec<&str> = raw
            .split([',', ';', '\n'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if items.len() > 2 * MAX_REMINDERS {
            return Err(InvalidInput(format!(
                "reminders: a todo has at most {MAX_REMINDERS}."
            )));
        }
        let signed = items.iter().filter(|s| s.starts_with(['+', '-'])).count();
        if signed == 0 {
            return Ok(Self::Replace(
                items.into_iter().map(str::to_owned).collect(),
            ));
        }
        if signed != items.len() {
            return Err(InvalidInput(
                "reminders: either name the whole set ('1h before, tomorrow 9am') or only \
                 changes ('+1h before, -at the due time'), not both."
                    .into(),
            ));
        }
        let (mut add, mut remove) = (Vec::new(), Vec::new());
        for item in items {
            match item.split_at(1) {
                ("+", rest) => add.push(rest.trim().to_owned()),
                (_, rest) => remove.push(rest.trim().to_owned()),
            }
        }
        Ok(Self::Adjust { add, remove })
    }
}

/// A todo's reminders as the API shows them.
pub fn of(todo: &Todo) -> Vec<Reminder> {
    todo.reminders.to_wire()
}

/// Where the user is: what "tomorrow 9am" and "9am" are read against.
pub(super) struct Here {
    pub zone: TimeZone,
    pub now: Timestamp,
    /// The user's today as the caller knows it (what "tomorrow" counts from).
    pub today: Date,
}

impl Here {
    pub fn local(&self) -> DateTime {
        self.now.to_zoned(self.zone.clone()).datetime()
    }

    pub fn today(&self) -> Date {
        self.today
    }
}

/// One item in words or as an RFC 3339 moment, for a todo due on `due`.
fn item(raw: &str, due: Option<Date>, here: &Here) -> Result<Reminder, String> {
    let raw = raw.trim();
    if let Ok(moment) = raw.parse::<Timestamp>() {
        return Ok(Reminder::At(moment.to_string()));
    }
    let when = reminders::parse_when(raw, here.today())
        .or_else(|| reminders::parse(raw, here.today()))
        .ok_or_else(|| {
            format!(
                "reminders: “{}” is not a reminder; say '30m before', '1h before', '2 days \
                 before', 'at the due time', 'tomorrow 9am', 'friday at 5pm', or an RFC 3339 \
                 moment.",
                raw.chars().take(60).collect::<String>()
            )
        })?;
    wire(when, due, here)
}

/// A reminder read from words, as the API takes it.
pub(super) fn wire(when: When, due: Option<Date>, here: &Here) -> Result<Reminder, String> {
    match when.resolve(due, here.local()) {
        Some(Resolved::Before(minutes)) => Ok(Reminder::BeforeMinutes(minutes)),
        Some(Resolved::At(local)) => local
            .to_zoned(here.zone.clone())
            .map(|zoned| Reminder::At(zoned.timestamp().to_string()))
            .map_err(|_| "reminders: that moment does not exist in your time zone.".to_owned()),
        None => Err("reminders: that moment is out of range.".to_owned()),
    }
}

/// Whether two reminders are the same (moments compared as instants, whatever their offset).
fn same(a: &Reminder, b: &Reminder) -> bool {
    match (a, b) {
        (Reminder::At(x), Reminder::At(y)) => {
            match (x.parse::<Timestamp>(), y.parse::<Timestamp>()) {
                (Ok(x), Ok(y)) => x == y,
                _ => x == y,
            }
        }
        _ => a == b,
    }
}

/// The reminders `current` has once `edit` is applied, or the sentence that says why not.
pub(super) fn edited(
    current: &Todo,
    edit: &ReminderEdit,
    here: &Here,
) -> Result<Vec<Reminder>, String> {
    let due = current.date_due.map(|d| d.date());
    let read = |items: &[String]| -> Result<Vec<Reminder>, String> {
        items.iter().map(|raw| item(raw, due, here)).collect()
    };
    let mut result = match edit {
        ReminderEdit::Replace(items) => read(items)?,
        ReminderEdit::Adjust { add, remove } => {
            let (add, remove) = (read(add)?, read(remove)?);
            let mut now = of(current);
            for gone in &remove {
                if !now.iter().any(|r| same(r, gone)) {
                    return Err(format!(
                        "reminders: the todo has no reminder {}.",
                        describe(gone, &here.zone, here.today())
                    ));
                }
                now.retain(|r| !same(r, gone));
            }
            now.extend(add);
            now
        }
    };
    // Each once, in the order given.
    let mut unique: Vec<Reminder> = Vec::with_capacity(result.len());
    for reminder in result.drain(..) {
        if !unique.iter().any(|r| same(r, &reminder)) {
            unique.push(reminder);
        }
    }
    if unique.len() > MAX_REMINDERS {
        return Err(format!(
            "reminders: a todo has at most {MAX_REMINDERS}; this would make {}.",
            unique.len()
        ));
    }
    let counts_from_due = unique
        .iter()
        .any(|r| matches!(r, Reminder::BeforeMinutes(_)));
    if counts_from_due && current.date_due.is_none() {
        return Err(
            "reminders: this todo has no due date, so a reminder before it has nothing to \
             count from; give it a date first, or remind at a moment ('tomorrow 9am')."
                .into(),
        );
    }
    Ok(unique)
}

/// A reminder for people and models: "1 h before", "at the due time", "Thu, Nov 26 09:00"
/// (an `at` moment in the user's zone; the year when it is not `today`'s).
pub fn describe(reminder: &Reminder, zone: &TimeZone, today: Date) -> String {
    match reminder {
        Reminder::BeforeMinutes(minutes) => When::Before(*minutes).describe(today),
        Reminder::At(raw) => match raw.parse::<Timestamp>() {
            Ok(moment) => {
                let local = moment.to_zoned(zone.clone());
                format!(
                    "{} {:02}:{:02}",
                    app::words::dates::friendly(local.date(), today),
                    local.hour(),
                    local.minute()
                )
            }
            Err(_) => raw.clone(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_is_the_set_or_changes_or_none() {
        assert_eq!(
            ReminderEdit::parse("1h before, tomorrow 9am").unwrap(),
            ReminderEdit::Replace(vec!["1h before".into(), "tomorrow 9am".into()])
        );
        assert_eq!(
            ReminderEdit::parse("+1h before; -at the due time").unwrap(),
            ReminderEdit::Adjust {
                add: vec!["1h before".into()],
                remove: vec!["at the due time".into()]
            }
        );
        assert_eq!(
            ReminderEdit::parse("None").unwrap(),
            ReminderEdit::Replace(vec![])
        );
        assert!(
            ReminderEdit::parse("+1h before, 2h before")
                .unwrap_err()
                .0
                .contains("not both")
        );
    }

    #[test]
    fn words_become_the_wire_form_in_the_users_zone() {
        let here = Here {
            zone: TimeZone::get("America/New_York").unwrap(),
            // 10:00 in New York on Wednesday, 25 November 2026.
            now: "2026-11-25T15:00:00Z".parse().unwrap(),
            today: jiff::civil::date(2026, 11, 25),
        };
        let due = Some(jiff::civil::date(2026, 11, 27));
        for (words, expected) in [
            ("1h before", Reminder::BeforeMinutes(60)),
            ("an hour before", Reminder::BeforeMinutes(60)),
            ("!30m", Reminder::BeforeMinutes(30)),
            ("at the due time", Reminder::BeforeMinutes(0)),
            ("tomorrow 9am", Reminder::At("2026-11-26T14:00:00Z".into())),
            (
                "at 9am tomorrow",
                Reminder::At("2026-11-26T14:00:00Z".into()),
            ),
            ("8am", Reminder::At("2026-11-27T13:00:00Z".into())),
            ("in 20 minutes", Reminder::At("2026-11-25T15:20:00Z".into())),
            (
                "2026-12-01T09:00:00+01:00",
                Reminder::At("2026-12-01T08:00:00Z".into()),
            ),
        ] {
            assert_eq!(item(words, due, &here), Ok(expected), "{words}");
        }
        let refused = item("whenever", due, &here).unwrap_err();
        assert!(
            refused.contains("“whenever” is not a reminder"),
            "{refused}"
        );
        let zone = TimeZone::get("America/New_York").unwrap();
        let today = jiff::civil::date(2026, 11, 25);
        assert_eq!(
            describe(&Reminder::At("2026-11-26T14:00:00Z".into()), &zone, today),
            "Thu, Nov 26 (tomorrow) 09:00"
        );
        assert_eq!(
            describe(&Reminder::At("2027-01-04T14:00:00Z".into()), &zone, today),
            "Mon, Jan 4, 2027 09:00"
        );
        assert_eq!(
            describe(&Reminder::BeforeMinutes(90), &zone, today),
            "1 h 30 min before"
        );
    }
}
