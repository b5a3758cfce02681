//! At least six phrasings per verb: polite wrappers, typos in verbs, dates before and after
//! the task, emoji and quoted titles, questions about counts and states, several todos in
//! one sentence, states said in the negative, a field set after a colon.

use jiff::civil::date;

use super::*;
use crate::agent::local::plan::{Record, Then};
use crate::domain::{StatusFilter, dialogue::Detail};

/// Each phrasing's plan must satisfy `check`; returns how many were checked.
fn table(memory: &LocalMemory, phrasings: &[&str], check: impl Fn(&Plan) -> bool) -> usize {
    table_in(&TODOS, memory, phrasings, check)
}

/// As [`table`], over other todos.
pub(super) fn table_in(
    todos: &[crate::domain::Todo],
    memory: &LocalMemory,
    phrasings: &[&str],
    check: impl Fn(&Plan) -> bool,
) -> usize {
    for phrase in phrasings {
        let (plan, _) = run_with(todos, memory, phrase);
        assert!(check(&plan), "{phrase}: {plan:#?}");
    }
    assert!(phrasings.len() >= 6);
    phrasings.len()
}

fn one_call(plan: &Plan, ok: impl Fn(&ToolCall) -> bool) -> bool {
    matches!(calls(plan).as_slice(), [call] if ok(call))
}

fn status(plan: &Plan) -> Option<StatusFilter> {
    match calls(plan).as_slice() {
        [ToolCall::GetTodos { query: q, .. }] => Some(q.status),
        _ => None,
    }
}

#[test]
fn list() {
    let m = memory();
    table(
        &m,
        &[
            "list my todos",
            "could you please show me all my tasks",
            "what's on my list?",
            "lsit my todso",
            "todos",
            "what do I have next week",
        ],
        |p| status(p) == Some(StatusFilter::All),
    );
    table(
        &m,
        &[
            "which ones aren't finished?",
            "what is not done yet",
            "list my unfinished tasks",
            "show my open todos due this week",
            "what's left to do",
            "which todos are still open?",
        ],
        |p| status(p) == Some(StatusFilter::Open),
    );
    table(
        &m,
        &[
            "which todos are overdue?",
            "show overdue todos",
            "what is late",
            "anything past due?",
            "list overdue",
            "what's overdue please",
        ],
        |p| status(p) == Some(StatusFilter::Overdue),
    );
}

#[test]
fn count() {
    let m = memory();
    let counted = |p: &Plan| {
        matches!(
            p.steps.as_slice(),
            [Step::Run {
                then: Then::Counted { .. },
                ..
            }]
        )
    };
    table(
        &m,
        &[
            "how many todos are overdue?",
            "how many tasks do I have",
            "could you tell me how many todos are completed",
            "how many are still open?",
            "how many todos are not done",
            "how many things are due this week",
        ],
        counted,
    );
    let (p, _) = run(&m, "how many todos are overdue?");
    assert_eq!(status(&p), Some(StatusFilter::Overdue));
    let (p, _) = run(&m, "how many todos are not done");
    assert_eq!(status(&p), Some(StatusFilter::Open));
}

#[test]
fn show_and_questions() {
    let m = memory();
    let dentist = id("Book dentist appointment");
    let get = |then: fn(&Then) -> bool| move |p: &Plan| matches!(p.steps.as_slice(), [Step::Run { calls, then: t }] if calls == &vec![ToolCall::GetTodo { todo: dentist }] && then(t));
    table(
        &m,
        &[
            "show me the dentist one",
            "tell me about the dentist appointment",
            "details of book dentist",
            "open the dentist todo",
            "could you show me the dentist appointment please",
            "shwo the dentist one",
            "show it",
            "show me the second one",
        ],
        get(|t| *t == Then::Shown),
    );
    table(
        &m,
        &[
            "when is the dentist appointment due",
            "when's the dentist one due?",
            "what's the due date of the dentist appointment",
            "when is it due",
            "by when is the dentist one",
            "what day is the dentist appointment due",
        ],
        get(|t| *t == Then::Asked(Detail::Due)),
    );
    table(
        &m,
        &[
            "is the dentist one done?",
            "is it done yet",
            "did I finish the dentist appointment?",
            "have I completed the dentist one",
            "was the dentist appointment finished",
            "is the dentist one complete already",
        ],
        get(|t| *t == Then::Asked(Detail::Done)),
    );
    table(
        &m,
        &[
            "what are the notes on the dentist one",
            "show me the notes on the dentist appointment",
            "does the dentist one have notes",
            "what's the description of the dentist one",
            "what is the dentist appointment about",
            "read me the description of the dentist one",
        ],
        get(|t| matches!(t, Then::Asked(Detail::Notes | Detail::Description))),
    );
}

#[test]
fn add() {
    let m = memory();
    for (phrase, title, due) in [
        ("add buy bread", "Buy bread", None),
        (
            "please add call the bank on Friday",
            "Call the bank",
            Some(date(2026, 11, 27)),
        ),
        (
            "could you add 🎂 bake a cake for Anna tomorrow",
            "🎂 bake a cake for Anna",
            Some(date(2026, 11, 26)),
        ),
        (
            "on friday, call the plumber",
            "Call the plumber",
            Some(date(2026, 11, 27)),
        ),
        (
            "add “Read Chapter 5” tomorrow",
            "Read Chapter 5",
            Some(date(2026, 11, 26)),
        ),
        ("i need to renew my passport", "Renew my passport", None),
        (
            "in 2 days: pick up the parcel",
            "Pick up the parcel",
            Some(date(2026, 11, 27)),
        ),
        ("ad call the plumber", "Call the plumber", None),
        (
            "create a todo to water the plants next friday",
            "Water the plants",
            Some(date(2026, 12, 4)),
        ),
    ] {
        let (p, _) = run(&m, phrase);
        let expected = ToolCall::AddTodo {
            title: title.into(),
            description: None,
            date_due: due.map(|d: jiff::civil::Date| d.to_string()),
            list: None,
            details: None,
        };
        assert_eq!(calls(&p), vec![expected], "{phrase}");
    }
}

fn updates(
    p: &Plan,
    title: &str,
    check: impl Fn(&Option<String>, &Option<String>, &Option<Option<String>>) -> bool,
) -> bool {
    one_call(
        p,
        |c| matches!(c, ToolCall::UpdateTodo { todo, title: t, description: d, date_due: due, .. } if *todo == id(title) && check(t, d, due)),
    )
}

#[test]
fn rename() {
    let m = memory();
    table(
        &m,
        &[
            "rename buy milk to Oat milk",
            "change the title of buy milk to Oat milk",
            "could you rename the milk one to Oat milk please",
            "renmae buy milk to Oat milk",
            "retitle buy milk as Oat milk",
            "title of buy milk: Oat milk",
            "rename buy milk to \"Oat milk\"",
            "call the milk one “Oat milk”",
            "the milk todo's title should be Oat milk",
            "change buy milk’s name to Oat milk",
        ],
        |p| updates(p, "Buy milk", |t, _, _| t.as_deref() == Some("Oat milk")),
    );
}

#[test]
fn set_shift_and_clear_due() {
    let m = memory();
    let on = |d: jiff::civil::Date| Some(Some(d.to_string()));
    table(
        &m,
        &[
            "move learn ansible to next monday",
            "postpone learn ansible to November 30",
            "learn ansible is now due friday",
            "make learn ansible due friday",
            "could you please reschedule the ansible one to end of the month",
            "set the deadline of learn ansible to 2026-12-24",
            "mvoe learn ansible to friday",
            "the ansible todo's due date should be friday",
            "change learn ansible’s deadline to friday",
        ],
        |p| {
            updates(p, "Learn ansible", |_, _, due| {
                due.as_ref().is_some_and(|d| d.is_some())
            })
        },
    );
    let (p, _) = run(&m, "make learn ansible due friday");
    assert!(updates(&p, "Learn ansible", |_, _, due| *due
        == on(date(2026, 11, 27))));
    table(
        &m,
        &[
            "push the dentist one back two days",
            "postpone the dentist appointment by 2 days",
            "move the dentist one 2 days later",
            "could you push it back two days please",
            "delay the dentist one by 2 days",
            "shift the dentist appointment 2 days later",
        ],
        |p| {
            updates(p, "Book dentist appointment", |_, _, due| {
                *due == on(date(2026, 12, 6))
            })
        },
    );
    table(
        &m,
        &[
            "bring the dentist one forward a day",
            "move the dentist appointment a day earlier",
            "pull the dentist one forward 1 day",
            "move the dentist one up 1 day",
            "move it one day earlier",
            "bring it forward a day",
        ],
        |p| {
            updates(p, "Book dentist appointment", |_, _, due| {
                *due == on(date(2026, 12, 3))
            })
        },
    );
    table(
        &m,
        &[
            "remove the due date from learn ansible",
            "clear the deadline of learn ansible",
            "could you remove the date from the ansible one",
            "move learn ansible to no date",
            "unset the due date for learn ansible",
            "set the due date of learn ansible to none",
        ],
        |p| updates(p, "Learn ansible", |_, _, due| *due == Some(None)),
    );
}

#[test]
fn describe_and_note() {
    let m = memory();
    table(
        &m,
        &[
            "set the description of the dentist one to bring the insurance card",
            "description of dentist: bring the insurance card",
            "describe the dentist one as bring the insurance card",
            "could you set the description of the dentist appointment to bring the insurance card",
            "add a description to the dentist one: bring the insurance card",
            "change the description for book dentist to bring the insurance card",
            "the description of the dentist appointment: bring the insurance card",
            "set the dentist todo's description to bring the insurance card",
            "the dentist appointment’s description should be bring the insurance card",
            "book dentist's description: bring the insurance card",
            "the description of the dentist one should be bring the insurance card",
        ],
        |p| {
            updates(p, "Book dentist appointment", |_, d, _| {
                d.as_deref() == Some("bring the insurance card")
            })
        },
    );
    let noted = |p: &Plan| {
        one_call(
            p,
            |c| matches!(c, ToolCall::AddTodoNotes { todo, notes } if *todo == id("Book dentist appointment") && notes == "bring the x-rays"),
        )
    };
    table(
        &m,
        &[
            "add a note to the dentist todo: bring the x-rays",
            "note on the dentist one: bring the x-rays",
            "add a note to it saying bring the x-rays",
            "please add a note to the dentist appointment: bring the x-rays",
            "append a note to book dentist, bring the x-rays",
            "add “bring the x-rays” to the dentist one",
            "write a note on the dentist one: bring the x-rays",
        ],
        noted,
    );
}

#[test]
fn complete_and_reopen() {
    let m = memory();
    let completes = |titles: &'static [&'static str]| {
        move |p: &Plan| {
            calls(p)
                == titles
                    .iter()
                    .map(|t| ToolCall::CompleteTodo { todo: id(t) })
                    .collect::<Vec<_>>()
        }
    };
    table(
        &m,
        &[
            "mark the ansible one as done",
            "complete learn ansible",
            "check off learn ansible",
            "tick off the one about ansible",
            "done with the ansible one",
            "learn ansible is done",
            "could you please mark learn ansibel as completed",
            "compelte learn ansible",
            "i finished learn ansible",
            "kindly mark learn ansible done for me",
        ],
        completes(&["Learn ansible"]),
    );
    table(
        &m,
        &[
            "complete learn ansible and buy milk",
            "mark learn ansible and buy milk as done",
            "could you complete the ansible one and the milk one",
            "check off learn ansible, buy milk",
            "i finished learn ansible and buy milk",
            "compelte learn ansible and buy milk",
        ],
        completes(&["Learn ansible", "Buy milk"]),
    );
    table(
        &m,
        &[
            "mark the first two as done",
            "complete the first two",
            "tick off the first two",
            "finish the first two",
            "the first two are done",
            "could you complete the first 2",
        ],
        completes(&["Learn ansible", "Book dentist appointment"]),
    );
    let reopens = |p: &Plan| {
        calls(p)
            == vec![ToolCall::ReopenTodo {
                todo: id("Call mom"),
            }]
    };
    table(
        &m,
        &[
            "reopen call mom",
            "mark call mom as not done",
            "uncheck the one about mom",
            "mark call mom as incomplete",
            "undo call mom",
            "call mom isn't done after all",
            "could you reopen call mom please",
            "reopne call mom",
            "mark call mom as unfinished",
            "call mom isn't done actually",
            "actually call mom isn't finished",
        ],
        reopens,
    );
}

#[test]
fn delete_asks_once_for_all_its_todos() {
    let m = memory();
    let asks = |title: &'static str| {
        move |p: &Plan| {
            calls(p).is_empty()
                && matches!(p.steps.last(), Some(Step::Confirm { prompt, .. }) if prompt.contains(title))
        }
    };
    table(
        &m,
        &[
            "delete the one about ansible",
            "remove learn ansible",
            "get rid of the first one",
            "could you delete the ansible one please",
            "delte the ansible one",
            "erase learn ansible",
            "trash learn ansible",
            "plese delte the ansible one",
            "pleaes remove learn ansible",
        ],
        asks("Learn ansible"),
    );
    table(
        &m,
        &[
            "delete learn ansible and buy milk",
            "remove learn ansible & buy milk",
            "could you delete learn ansible and the milk one",
            "get rid of learn ansible, buy milk",
            "delte learn ansible and buy milk",
            "erase learn ansible and buy milk",
        ],
        |p| {
            calls(p).is_empty()
                && p.steps
                    .iter()
                    .filter(|s| matches!(s, Step::Confirm { .. }))
                    .count()
                    == 1
                && text(p).contains("Delete these 2 todos")
        },
    );
    let (_, after) = run(&m, "delete all completed todos");
    assert!(
        matches!(after.awaiting, Some(Awaiting::Confirm(ref c)) if c.delete == vec![id("Call mom")])
    );
}

#[test]
fn undo() {
    let m = memory();
    table(
        &m,
        &[
            "undo that",
            "revert that",
            "take back the last change",
            "undo what you just did",
            "please undo the last thing you did",
            "undo it",
            "undo",
            "could you undo that please",
        ],
        |p| p.steps == vec![Step::Undo],
    );
}

#[test]
fn files() {
    let m = memory();
    let dentist = id("Book dentist appointment");
    table(
        &m,
        &[
            "attach this to my dentist appointment todo",
            "attach it to the dentist one",
            "please attach the file to the dentist appointment",
            "add this to the dentist appointment",
            "put the pdf on book dentist",
            "save the scan under the dentist one",
            "attach it to the second one",
        ],
        |p| {
            one_call(
                p,
                |c| matches!(c, ToolCall::AddTodoFile { todo, .. } if *todo == dentist),
            )
        },
    );
    let lists = |then: fn(&Then) -> bool| move |p: &Plan| matches!(p.steps.as_slice(), [Step::Run { calls, then: t }] if calls == &vec![ToolCall::ListTodoFiles { todo: dentist }] && then(t));
    table(
        &m,
        &[
            "what files are on the dentist appointment",
            "list the files of book dentist",
            "show the attachments of book dentist",
            "any attachments on the dentist appointment?",
            "files for the dentist one",
            "could you list the files on the dentist one please",
        ],
        lists(|t| matches!(t, Then::FilesListed { .. })),
    );
    table(
        &m,
        &[
            "remove the file x-ray.pdf from my dentist appointment",
            "delete the attachment from book dentist",
            "detach x-ray.pdf from the dentist one",
            "delete the file from the dentist appointment",
            "could you remove the attachment x-ray from book dentist",
            "get rid of the file on the dentist one",
        ],
        lists(|t| matches!(t, Then::FileToDelete { .. })),
    );
}

#[test]
fn small_talk_answers_and_choices() {
    let m = memory();
    table(
        &m,
        &[
            "help",
            "what can you do?",
            "?",
            "could you help",
            "examples",
            "help me",
        ],
        |p| calls(p).is_empty() && text(p).contains("I can list"),
    );
    table(
        &m,
        &[
            "hi",
            "hello tasko",
            "good morning",
            "hey",
            "hiya",
            "hello there",
        ],
        |p| text(p).starts_with("Hi!"),
    );
    table(
        &m,
        &[
            "thanks!",
            "thank you",
            "thx",
            "cheers",
            "thanks a lot",
            "thank you so much",
        ],
        |p| text(p) == "You're welcome!",
    );
    let (_, pending) = run(&m, "delete buy milk");
    table(
        &pending,
        &[
            "yes",
            "yes please",
            "sure, go ahead",
            "ok",
            "do it",
            "confirm",
        ],
        |p| {
            calls(p)
                == vec![ToolCall::DeleteTodo {
                    todo: id("Buy milk"),
                }]
                && p.record == Record::Extend
        },
    );
    table(
        &pending,
        &["no", "cancel", "nope", "never mind", "no thanks", "don't"],
        |p| calls(p).is_empty() && text(p).contains("nothing was deleted"),
    );
    table(&m, &["yes", "no", "ok", "sure", "nope", "cancel"], |p| {
        text(p).contains("nothing waiting")
    });
    let waiting = waiting_choice(complete_call());
    table(
        &waiting,
        &[
            "the second one",
            "second",
            "the 2nd one",
            "number 2",
            "the last one",
            "the one about rent",
            "pay rent",
        ],
        |p| {
            calls(p)
                == vec![ToolCall::CompleteTodo {
                    todo: id("Pay rent"),
                }]
        },
    );
}

#[test]
fn corrections_replace_one_field_of_the_last_command() {
    let mut m = memory();
    m.last_command = Some(crate::domain::dialogue::LastAction {
        command: Command::new(Verb::SetDue, Some(Reference::Text("dentist".into()))),
        changes: vec![],
    });
    let friday = Some(Some(date(2026, 11, 27).to_string()));
    table(
        &m,
        &[
            "no, friday",
            "actually make it friday",
            "sorry, I meant friday",
            "no wait, due friday",
            "oops, it should be friday",
            "make that friday instead",
            "actually no, friday",
        ],
        |p| updates(p, "Book dentist appointment", |_, _, due| *due == friday),
    );
    table(
        &m,
        &[
            "actually call it Dentist at 9",
            "no, call it Dentist at 9",
            "sorry, I meant \"Dentist at 9\"",
            "it should be called Dentist at 9",
            "oops, I meant Dentist at 9",
            "name it Dentist at 9",
        ],
        |p| {
            updates(p, "Book dentist appointment", |t, _, _| {
                t.as_deref() == Some("Dentist at 9")
            })
        },
    );
    table(
        &m,
        &[
            "no, I meant the ansible one",
            "sorry, the one about ansible",
            "not that one, the ansible one",
            "wrong one, I meant the ansible one",
            "no, the ansible one",
            "oops, I meant the ansible one",
            "actually no, I meant the ansible one",
            "no no, the ansible one",
        ],
        |p| updates(p, "Learn ansible", |_, _, due| due.is_some()),
    );
}

#[test]
fn sentences_that_set_fields_or_ask_never_create() {
    let m = memory();
    for phrase in [
        "set the description of the dentist one: bring the insurance card",
        "description of dentist: bring the insurance card",
        "make the description of buy milk oat milk",
        "add the description of buy milk to oat",
        "new description for the dentist one: bring card",
        "the title of buy milk: oat milk",
        "how many todos are overdue?",
        "is the dentist one done?",
        "what is due friday?",
        "which ones aren't finished?",
        "could you set the notes of buy milk to organic",
        "when is the thing about taxes due",
    ] {
        let (p, _) = run(&m, phrase);
        assert!(!creates(&p), "{phrase}: {p:#?}");
    }
}

#[test]
fn a_long_message_is_read_to_the_end() {
    let m = memory();
    let long = format!("add {}", "very long words and more ".repeat(160));
    assert!(long.len() >= 4_000);
    let (p, _) = run(&m, &long);
    assert_eq!(calls(&p).len(), 1);
    let (p, _) = run(&m, &format!("complete {}", "to the one to ".repeat(300)));
    assert!(!creates(&p));
}

#[test]
fn this_week_on_a_weekend_is_the_week_coming() {
    use crate::agent::local::parse::Said;
    let due_to = |today: jiff::civil::Date| match parse("list my todos due this week", today, false)
    {
        Said::Command(c) => c.args.query.due_to,
        other => panic!("{other:?}"),
    };
    // Wednesday: this calendar week, to Sunday.
    assert_eq!(due_to(date(2026, 11, 25)), Some(date(2026, 11, 29)));
    // Saturday and Sunday: through the next Sunday, so Monday's todos are in.
    assert_eq!(due_to(date(2026, 12, 5)), Some(date(2026, 12, 13)));
    assert_eq!(due_to(date(2026, 12, 6)), Some(date(2026, 12, 13)));
}
