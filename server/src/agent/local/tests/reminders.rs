//! The reminder phrases, several phrasings each (through `verbs::table_in`): a reminder on a
//! todo, a new todo with one, a repeating todo reminded at each occurrence, removing them,
//! listing them, and the follow-up "that one too". Over the shared fixtures (the dentist is
//! due Fri, Dec 4; milk has no date).

use super::{verbs::table_in, *};
use crate::{
    agent::local::plan::{self, Then},
    tools::reminders::ReminderEdit,
};

fn table(memory: &LocalMemory, phrasings: &[&str], check: impl Fn(&Plan) -> bool) -> usize {
    table_in(&TODOS, memory, phrasings, check)
}

/// The plan's one `setReminders` call adding `mark` to `title`.
fn adds(plan: &Plan, title: &str, mark: &str) -> bool {
    matches!(
        calls(plan).as_slice(),
        [ToolCall::SetReminders {
            todo,
            reminders: ReminderEdit::Adjust { add, remove },
        }] if *todo == id(title) && add == &[mark.to_owned()] && remove.is_empty()
    )
}

/// The plan's one `addTodo` call: its title, due date and details.
fn added(plan: &Plan) -> Option<(String, Option<String>, Option<String>)> {
    match calls(plan).as_slice() {
        [
            ToolCall::AddTodo {
                title,
                date_due,
                details,
                ..
            },
        ] => Some((title.clone(), date_due.clone(), details.clone())),
        _ => None,
    }
}

#[test]
fn a_reminder_on_a_todo() {
    let m = LocalMemory::default();
    let n = table(
        &m,
        &[
            "remind me about the dentist an hour before",
            "remind me about the dentist 1 hour before",
            "remind me about the dentist one hour before it's due",
            "Remind me about the dentist appointment 1h before.",
            "please remind me of the dentist an hour before",
            "can you remind me about the dentist an hour earlier?",
            "remind me an hour before about the dentist",
            "remind me 60 minutes before about the dentist one",
            "set a reminder for the dentist an hour before",
            "add a reminder 1h before to the dentist",
        ],
        |p| adds(p, "Book dentist appointment", "!60m"),
    );
    assert_eq!(n, 10);
    let (p, _) = run(&m, "remind me about the dentist an hour before");
    assert_eq!(
        text(&p),
        "",
        "the line is said once the call succeeds, not before"
    );
    let Step::Run { then, .. } = &p.steps[0] else {
        panic!("runs")
    };
    assert!(
        matches!(then, Then::Changed { lines, .. } if lines == &["I'll remind you about **Book dentist appointment** 1 h before it's due.".to_owned()]),
        "{then:?}"
    );
}

#[test]
fn other_moments_and_the_due_time() {
    let m = LocalMemory::default();
    for (phrase, mark) in [
        ("remind me about the dentist at the due time", "!due"),
        ("remind me about the dentist when it's due", "!due"),
        ("remind me about the dentist", "!due"),
        ("remind me about the dentist the day before", "!1440m"),
        ("remind me about the dentist 30 minutes before", "!30m"),
        (
            "remind me about the dentist tomorrow at 9am",
            "!2026-11-26 09:00",
        ),
        (
            "remind me at 9am tomorrow about the dentist",
            "!2026-11-26 09:00",
        ),
        ("remind me about the dentist in 20 minutes", "!in 20m"),
    ] {
        let (p, _) = run(&m, phrase);
        assert!(
            adds(&p, "Book dentist appointment", mark),
            "{phrase}: {:?}",
            p.steps
        );
    }
}

#[test]
fn a_reminder_before_no_date_is_explained() {
    let (p, _) = run(
        &LocalMemory::default(),
        "remind me about buy milk an hour before",
    );
    assert!(calls(&p).is_empty());
    assert!(
        text(&p).starts_with("**Buy milk** has no due date"),
        "{}",
        text(&p)
    );
    // A moment needs no date.
    let (p, _) = run(
        &LocalMemory::default(),
        "remind me about buy milk tomorrow at 9am",
    );
    assert!(adds(&p, "Buy milk", "!2026-11-26 09:00"), "{:?}", p.steps);
}

/// Runs `text` and records its command as the executor does (what "that one too" reads).
fn turn(memory: &LocalMemory, text: &str) -> LocalMemory {
    let (plan, mut memory) = run(memory, text);
    if let plan::Record::Command(command) = plan.record {
        memory.last_command = Some(crate::domain::dialogue::LastAction {
            command,
            changes: vec![],
        });
    }
    memory
}

#[test]
fn that_one_too_repeats_the_last_reminder() {
    let m = turn(
        &LocalMemory::default(),
        "remind me about the dentist an hour before",
    );
    for phrase in [
        "remind me about pay rent too",
        "also remind me about pay rent",
        "remind me of the rent one as well",
    ] {
        let (p, _) = run(&m, phrase);
        assert!(adds(&p, "Pay rent", "!60m"), "{phrase}: {:?}", p.steps);
    }
    // "it" after a listing: the todo last named.
    let m = LocalMemory {
        last_referenced: vec![id("Pay rent")],
        ..LocalMemory::default()
    };
    let (p, _) = run(&m, "remind me about it 2 days before");
    assert!(adds(&p, "Pay rent", "!2880m"), "{:?}", p.steps);
    let (p, _) = run(&m, "remind me about that one too");
    assert!(adds(&p, "Pay rent", "!due"), "{:?}", p.steps);
}

#[test]
fn a_new_todo_with_a_reminder() {
    let m = LocalMemory::default();
    let tomorrow = Some("2026-11-26".to_owned());
    let n = table(
        &m,
        &[
            "remind me at 9am tomorrow to call mom",
            "remind me tomorrow at 9am to call mom",
            "Remind me tomorrow at 9 to call mom",
            "please remind me at 9:00 tomorrow to call mom",
            "remind me to call mom tomorrow at 9am",
            "remind me to call mom at 9am tomorrow",
        ],
        |p| {
            added(p).is_some_and(|(title, due, details)| {
                title == "Call mom"
                    && due == tomorrow
                    && details.is_some_and(|d| d.ends_with("!due") && d.contains('9'))
            })
        },
    );
    assert_eq!(n, 6);
    // Without a date: a reminder at the next such time, the todo undated.
    let (p, _) = run(&m, "remind me at 5pm to call the plumber");
    assert_eq!(
        added(&p),
        Some(("Call the plumber".into(), None, Some("!17:00".into())))
    );
    // "in 20 minutes".
    let (p, _) = run(&m, "remind me in 20 minutes to take the cake out");
    assert_eq!(
        added(&p),
        Some(("Take the cake out".into(), None, Some("!in 20m".into())))
    );
    // A date before the words reminds at the due time too.
    let (p, _) = run(&m, "tomorrow remind me to call the vet");
    assert_eq!(
        added(&p),
        Some(("Call the vet".into(), tomorrow.clone(), Some("!due".into())))
    );
    // A plain "remind me to …" without a date adds without a reminder.
    let (p, _) = run(&m, "remind me to call mom");
    assert_eq!(added(&p), Some(("Call mom".into(), None, None)));
}

#[test]
fn a_repeating_todo_reminded_at_each_occurrence() {
    let m = LocalMemory::default();
    let n = table(
        &m,
        &[
            "remind me every monday to water the plants",
            "Remind me every Monday to water the plants",
            "please remind me each monday to water the plants",
            "remind me to water the plants every monday",
            "could you remind me every monday to water the plants",
            "remind me every monday to water the plants, thanks",
        ],
        |p| {
            added(p).is_some_and(|(title, _, details)| {
                title == "Water the plants"
                    && details.is_some_and(|d| {
                        d.to_lowercase().contains("every monday") && d.ends_with("!due")
                    })
            })
        },
    );
    assert_eq!(n, 6);
    let (p, _) = run(&m, "remind me every weekday at 8:30 to stretch");
    assert_eq!(
        added(&p),
        Some((
            "Stretch".into(),
            None,
            Some("every weekday at 08:30 !due".into())
        ))
    );
}

#[test]
fn removing_reminders() {
    let m = LocalMemory::default();
    // The fixtures have none, so each phrasing says so without a call.
    let n = table(
        &m,
        &[
            "remove the reminders from the dentist todo",
            "delete the reminder on the dentist appointment",
            "clear all reminders for the dentist",
            "turn off the reminders for the dentist",
            "don't remind me about the dentist anymore",
            "stop reminding me about the dentist",
            "cancel the dentist's reminders",
        ],
        |p| calls(p).is_empty() && text(p) == "**Book dentist appointment** has no reminders.",
    );
    assert_eq!(n, 7);
}

#[test]
fn listing_reminders() {
    let m = LocalMemory::default();
    let n = table(
        &m,
        &[
            "what reminders do I have",
            "what reminders do I have?",
            "which reminders have I set",
            "show my reminders",
            "list all reminders",
            "my reminders",
            "reminders",
            "do I have any reminders?",
            "what will you remind me about?",
        ],
        |p| {
            matches!(
                p.steps.as_slice(),
                [Step::Run { calls, then: Then::Reminders }]
                    if matches!(calls.as_slice(), [ToolCall::GetTodos { .. }])
            )
        },
    );
    assert_eq!(n, 9);
}

#[test]
fn put_it_in_a_list_named_without_the_word_list() {
    let about_milk = LocalMemory {
        last_referenced: vec![id("Buy milk")],
        ..LocalMemory::default()
    };
    let groceries = list_id("Groceries").to_string();
    let n = table(
        &about_milk,
        &[
            "put it in groceries",
            "put it in Groceries",
            "put it into groceries",
            "put it under groceries",
            "put buy milk in groceries",
            "please put it in groceries",
        ],
        |p| {
            matches!(
                calls(p).as_slice(),
                [ToolCall::UpdateTodo { todo, list: Some(l), .. }] if *todo == id("Buy milk") && *l == groceries
            )
        },
    );
    assert_eq!(n, 6);
    // Not one of the lists: with a file waiting, the file goes onto that todo.
    let waiting = memory();
    let (p, _) = run(&waiting, "put it in the dentist one");
    assert!(
        matches!(calls(&p).as_slice(), [ToolCall::AddTodoFile { todo, .. }] if *todo == id("Book dentist appointment")),
        "{:?}",
        p.steps
    );
    let (p, _) = run(&waiting, "put this in the dentist one");
    assert!(
        matches!(calls(&p).as_slice(), [ToolCall::AddTodoFile { .. }]),
        "{:?}",
        p.steps
    );
    // Without a file, a name that is no list is said so.
    let (p, _) = run(&about_milk, "put it in camping");
    assert!(calls(&p).is_empty());
    assert!(
        text(&p).starts_with("You have no list named “camping”."),
        "{}",
        text(&p)
    );
}

#[test]
fn grammar_gaps_closed() {
    // "label X urgent" adds a label.
    let m = LocalMemory::default();
    let (p, _) = run(&m, "label the dentist urgent");
    assert!(
        matches!(
            calls(&p).as_slice(),
            [ToolCall::SetTodoDetails { todo, labels: Some(crate::tools::call::LabelEdit::Adjust { add, .. }), .. }]
                if *todo == id("Book dentist appointment") && add.len() == 1 && add[0].as_str() == "urgent"
        ),
        "{:?}",
        p.steps
    );
}
