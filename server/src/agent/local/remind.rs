//! The reminder phrases: "remind me about the dentist an hour before", "remind me at 9am
//! tomorrow to call mom" (a new todo), "remind me every monday to water the plants" (a
//! repeating one), "remove the reminders from the dentist todo", "what reminders do I have",
//! "remind me about that one too". The phrase table places them before "add" ("remind me to
//! …" adds) and "delete" ("remove the reminders from X" deletes nothing). When a reminder
//! is is read by the words layer quick add uses (`app::words::reminders`), and travels as
//! quick add's mark ("!60m"), which the tools read again.

use app::words::{
    reminders::{self, When},
    repeat, times,
};
use jiff::civil::Date;

use super::{add, query::reference};
use crate::domain::dialogue::{Command, Verb};

/// How a matched reminder pattern becomes a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Remind {
    /// `{ref}` gets the reminder `{remind}` (or the last one, or one at the due time).
    Set,
    /// `{ref}`'s reminders go.
    Clear,
    /// The todos with reminders.
    List,
    /// A new todo `{text}` with the reminder `{remind}`.
    AddWith,
    /// A new todo `{text}` repeating by `{rule}` (at `{time}`), reminded at each occurrence.
    AddRepeating,
}

use Remind::*;

const ME: &str = "remind_me|remind_us";
const TOO: &str = "too|as_well|also|again?";
const SET: &str = "set|add|create|put|give|schedule|make";
const A_REMINDER: &str = "a|the|one? reminder";
const REMINDERS: &str =
    "the|all|all_the|my|any|its|their? reminder|reminders|notification|notifications|alert|alerts";

/// The patterns, read before "add" and "delete".
pub fn early() -> Vec<(Remind, String)> {
    let p = |r: Remind, s: String| (r, s);
    vec![
        p(
            List,
            "what|which reminders do_i_have|have_i_set|are_set|are_there|are_coming_up|did_i_set|have_i_got?".into(),
        ),
        p(
            List,
            "show|list|display|view|give_me|tell_me|get me? my|all_my|all|the|all_the? reminders|upcoming_reminders".into(),
        ),
        p(List, "my|upcoming|any? reminders".into()),
        p(List, "do_i_have|are_there|have_i_set any reminders".into()),
        p(
            List,
            "what|what_all will|are you? going_to? remind me of|about".into(),
        ),
        p(List, "what_am_i_being|what_will_i_be reminded of|about".into()),
        p(
            Clear,
            format!("remove|delete|clear|drop|cancel|disable|turn_off|get_rid_of {REMINDERS} from|of|on|for {{ref}}"),
        ),
        p(
            Clear,
            "don't|do_not|stop|never|no_need_to remind|reminding me|us about|of|for {ref} anymore|any_more|again?"
                .into(),
        ),
        p(Clear, "no|no_more reminders|reminder for|on|about {ref}".into()),
        p(
            Clear,
            "remove|delete|clear|drop|cancel|disable|turn_off {ref} 's reminders|reminder".into(),
        ),
        p(AddRepeating, format!("{ME} {{rule}} at {{time}} to {{text}}")),
        p(AddRepeating, format!("{ME} {{rule}} to {{text}}")),
        p(AddWith, format!("{ME} {{remind}} to {{text}}")),
        p(Set, format!("{ME} about|of {{ref}} {{remind}} {TOO}")),
        p(Set, format!("{ME} {{remind}} about|of {{ref}} {TOO}")),
        p(Set, format!("{ME} about|of {{ref}} {TOO}")),
        p(
            Set,
            format!("{SET} {A_REMINDER} for|on|to|about {{ref}} {{remind}} {TOO}"),
        ),
        p(
            Set,
            format!("{SET} {A_REMINDER} {{remind}} for|on|to|about {{ref}} {TOO}"),
        ),
        p(Set, format!("{SET} {A_REMINDER} for|on|to|about {{ref}} {TOO}")),
    ]
}

/// The slots a matched pattern captured (their text as the user wrote it).
pub struct Slots<'a> {
    pub target: Option<&'a str>,
    pub remind: Option<&'a str>,
    pub rule: Option<&'a str>,
    pub time: Option<&'a str>,
    pub text: Option<&'a str>,
    pub today: Date,
}

/// Whether the tokens' words are a reminder's ("an hour before", "at 9am tomorrow"). A
/// possessive split off before a field word ("it" "'s" "due") is joined back.
pub fn accepts(tokens: &[app::words::tokens::Token], today: Date) -> bool {
    let mut words = String::new();
    for token in tokens {
        if !words.is_empty() && !token.norm.starts_with('\'') {
            words.push(' ');
        }
        words.push_str(&token.norm);
    }
    reminders::parse_when(&words, today).is_some()
}

/// The command a matched pattern makes (an add for the adding ones); `None` when its slots
/// do not hold what it needs (the table then tries the next pattern).
pub fn build(remind: Remind, slots: &Slots<'_>) -> Option<Command> {
    let when = slots
        .remind
        .map(|words| reminders::parse_when(words, slots.today));
    let target = slots.target.map(reference);
    Some(match remind {
        List => Command::new(Verb::ListReminders, None),
        Clear => Command::new(Verb::ClearReminders, target),
        Set => Command::new(Verb::SetReminders, target).with(|a| {
            a.fields.reminder = when.flatten().map(When::to_mark);
        }),
        AddWith => add_with(slots.text?, when??, slots.today)?,
        AddRepeating => {
            let rule = repeat::parse(slots.rule?.trim())?.describe();
            let time = match slots.time {
                Some(words) => Some(super::organize::time(words)?),
                None => None,
            };
            let mut add = add::read(slots.text?, slots.today)?;
            let mut details: Vec<String> = add.args.fields.details.take().into_iter().collect();
            details.push(rule);
            if let Some(time) = time {
                details.push(format!("at {}", times::to_hhmm(time)));
            }
            // At each occurrence's time (09:00 without one, as the server counts).
            details.push(When::Before(0).to_mark());
            add.args.fields.details = Some(details.join(" "));
            add.args.fields.reminder = Some(When::Before(0).to_mark());
            add
        }
    })
}

/// "remind me at 9am tomorrow to call mom": the todo is due at that moment and reminds at
/// its due time (as Todoist files "call mom tomorrow 9am"); a time without any date reminds
/// at the next such time and leaves the todo undated; a "before" needs the todo's own date
/// ("remind me an hour before to leave for the dentist friday 3pm").
fn add_with(text: &str, when: When, today: Date) -> Option<Command> {
    let mut add = add::read(text, today)?;
    let mut details: Vec<String> = add.args.fields.details.take().into_iter().collect();
    let reminder = match when {
        When::At { date, time } if date.or(add.args.due).is_some() => {
            add.args.due = date.or(add.args.due);
            details.push(format!("at {}", times::to_hhmm(time)));
            When::Before(0)
        }
        other => other,
    };
    details.push(reminder.to_mark());
    add.args.fields.details = Some(details.join(" "));
    add.args.fields.reminder = Some(when.to_mark());
    Some(add)
}

/// An added todo said with "remind me to …" that has a date (or a rule, or a time, which
/// give one) reminds at its due time, unless its words already set a reminder.
pub fn at_due_time(add: &mut Command) {
    let details = add.args.fields.details.clone().unwrap_or_default();
    let dated = add.args.due.is_some()
        || app::words::quick_add::QuickAdd::read(&format!("x {details}"), jiff::civil::Date::MIN)
            .is_ok_and(|marks| marks.repeat.is_some() || marks.time.is_some());
    let reminded = details.split_whitespace().any(|w| w.starts_with('!'))
        || details.to_lowercase().contains("remind");
    if dated && !reminded {
        let mark = When::Before(0).to_mark();
        add.args.fields.details = Some(format!("{details} {mark}").trim().to_owned());
        add.args.fields.reminder = Some(mark);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reminder_travels_as_its_mark() {
        let today = jiff::civil::date(2026, 11, 25);
        let add = add_with(
            "call mom",
            reminders::parse_when("at 9am tomorrow", today).unwrap(),
            today,
        )
        .unwrap();
        assert_eq!(add.args.text.as_deref(), Some("Call mom"));
        assert_eq!(add.args.due, Some(jiff::civil::date(2026, 11, 26)));
        assert_eq!(add.args.fields.details.as_deref(), Some("at 09:00 !due"));
        let add = add_with(
            "call mom",
            reminders::parse_when("at 9am", today).unwrap(),
            today,
        )
        .unwrap();
        assert_eq!(add.args.due, None);
        assert_eq!(add.args.fields.details.as_deref(), Some("!09:00"));
    }
}
