//! The organizing verbs, at least six phrasings each (through `verbs::table_in`): showing a
//! list, moving to a list, priority, repeat rules, steps (added and checked), adding with
//! quick-add marks, labels and times. Over their own todos, in the lists of [`LISTS`].

use std::sync::LazyLock;

use jiff::civil::date;

use super::{verbs::table_in, *};
use crate::{
    domain::{Label, ListId, ParsedRepeat, Priority, StatusFilter, Subtasks},
    tools::call::{LabelEdit, SubtaskRef},
};

/// Call the bank (Inbox, priority 2, @phone), the dentist (Work, due Dec 4), milk and eggs,
/// Paint the fence (steps: Buy paint, Sand the fence, Paint it ✓), Water the plants (every
/// Monday).
static TODOS: LazyLock<Vec<Todo>> = LazyLock::new(|| {
    let mut bank = todo("Call the bank", None, false);
    bank.priority = Priority::parse(2).unwrap();
    bank.labels = crate::domain::Labels::parse(&["phone".into()]).unwrap();
    let mut dentist = todo("Book dentist appointment", Some(date(2026, 12, 4)), false);
    dentist.list_id = Some(list_id("Work"));
    let mut fence = todo("Paint the fence", None, false);
    let step = |title: &str, done| app::wire::SubtaskInput {
        id: None,
        title: title.into(),
        done,
    };
    fence.subtasks = Subtasks::replace(
        &Subtasks::default(),
        &[
            step("Buy paint", false),
            step("Sand the fence", false),
            step("Paint it", true),
        ],
    )
    .unwrap();
    let mut plants = todo("Water the plants", Some(date(2026, 11, 30)), false);
    plants.repeat = Some(ParsedRepeat::parse("every monday").unwrap().rule);
    vec![
        bank,
        dentist,
        todo("Buy milk", None, false),
        todo("Buy eggs", None, false),
        fence,
        plants,
    ]
});

fn the(title: &str) -> &'static Todo {
    TODOS.iter().find(|t| t.title.as_str() == title).unwrap()
}

/// "it" is `title`.
fn about(title: &str) -> LocalMemory {
    LocalMemory {
        last_referenced: vec![the(title).id],
        ..LocalMemory::default()
    }
}

fn table(memory: &LocalMemory, phrasings: &[&str], check: impl Fn(&Plan) -> bool) -> usize {
    table_in(&TODOS, memory, phrasings, check)
}

fn plan_of(memory: &LocalMemory, text: &str) -> Plan {
    run_with(&TODOS, memory, text).0
}

fn details_of(call: &ToolCall) -> Option<(TodoId, &ToolCall)> {
    match call {
        ToolCall::SetTodoDetails { todo, .. } => Some((*todo, call)),
        _ => None,
    }
}

/// The plan's one `setTodoDetails` call, on `title`.
fn sets(plan: &Plan, title: &str) -> Option<ToolCall> {
    let calls = calls(plan);
    let [call] = calls.as_slice() else {
        return None;
    };
    let (todo, _) = details_of(call)?;
    (todo == the(title).id).then(|| call.clone())
}

fn listed(plan: &Plan) -> Option<(StatusFilter, Option<String>)> {
    match calls(plan).as_slice() {
        [ToolCall::GetTodos { query, list }] => Some((query.status, list.clone())),
        _ => None,
    }
}

#[test]
fn show_a_list() {
    let m = LocalMemory::default();
    let groceries = Some(list_id("Groceries").to_string());
    let n = table(
        &m,
        &[
            "what's on my groceries list?",
            "what's left in groceries?",
            "show me the groceries list",
            "list everything in #groceries",
            "what's in groceries",
            "could you show my Groceries list please",
            "what do I have on the groceries list",
            "groceries list",
            "whats in my groceries list",
            "what do i have in groceries",
        ],
        |p| listed(p).is_some_and(|(_, list)| list == groceries),
    );
    assert_eq!(n, 10);
    let p = plan_of(&m, "how many todos are in groceries");
    assert!(
        matches!(calls(&p).as_slice(), [ToolCall::GetTodos { list: Some(l), .. }] if Some(l) == groceries.as_ref())
    );
    assert_eq!(
        listed(&plan_of(&m, "what's left in groceries?")).map(|l| l.0),
        Some(StatusFilter::Open)
    );
    let p = plan_of(&m, "what's on my groceries list?");
    assert!(
        matches!(&p.steps[..], [Step::Run { then: crate::agent::local::plan::Then::Listed { phrase, .. }, .. }] if phrase == "todos in **Groceries**"),
        "{p:#?}"
    );
    // "my list" is every todo; an unknown list name is answered with the user's lists.
    assert_eq!(
        listed(&plan_of(&m, "what's on my list?")),
        Some((StatusFilter::All, None))
    );
    let p = plan_of(&m, "what's on my camping list?");
    assert!(calls(&p).is_empty());
    assert_eq!(
        text(&p),
        "You have no list named “camping”. Your lists are **Inbox**, **Work**, **Groceries**, \
         **Home** and **Errands**."
    );
}

fn moves(plan: &Plan, titles: &[&str], list: ListId) -> bool {
    let calls = calls(plan);
    calls.len() == titles.len() && calls.iter().zip(titles).all(|(c, title)| {
        matches!(c, ToolCall::UpdateTodo { todo, list: Some(l), title: None, date_due: None, .. }
                if *todo == the(title).id && *l == list.to_string())
    })
}

#[test]
fn move_to_a_list() {
    let m = about("Call the bank");
    let work = list_id("Work");
    table(
        &m,
        &[
            "move the bank call to work",
            "put it in my work list",
            "call the bank belongs in #work",
            "move call the bank to the work list",
            "could you move it to Work please",
            "file the bank one under the work list",
            "transfer it to #work",
            "it goes in work",
        ],
        |p| moves(p, &["Call the bank"], work),
    );
    let groceries = list_id("Groceries");
    table(
        &m,
        &[
            "move milk and eggs to groceries",
            "put buy milk and buy eggs in the groceries list",
            "milk and eggs belong in #groceries",
            "move the milk and the eggs to Groceries",
            "move buy milk and buy eggs to my groceries list",
            "transfer milk and eggs to groceries",
        ],
        |p| moves(p, &["Buy milk", "Buy eggs"], groceries),
    );
    let p = plan_of(&m, "move the bank call to work");
    assert!(
        matches!(&p.steps[..], [Step::Run { then: crate::agent::local::plan::Then::Changed { lines, .. }, .. }] if lines == &["Moved **Call the bank** to **Work**."])
    );
    let p = plan_of(&m, "move it to camping");
    assert!(calls(&p).is_empty() && text(&p).starts_with("You have no list named “camping”."));
    let p = plan_of(&m, "move the dentist one to work");
    assert!(calls(&p).is_empty());
    assert_eq!(
        text(&p),
        "**Book dentist appointment** is already in **Work**."
    );
}

fn priority_set(plan: &Plan, title: &str, level: u8) -> bool {
    matches!(sets(plan, title), Some(ToolCall::SetTodoDetails { priority: Some(p), labels: None, due_time: None, repeat: None, .. }) if p.get() == level)
}

#[test]
fn priority() {
    let m = about("Call the bank");
    table(
        &m,
        &[
            "make it urgent",
            "mark the bank call as high priority",
            "p1 the bank call",
            "set priority 1 on the bank call",
            "set the priority of the bank call to urgent",
            "the bank call is urgent",
            "give it top priority",
            "prioritize the bank call",
            "raise the priority of the bank call",
            "make it more important",
            "it's urgent",
        ],
        |p| priority_set(p, "Call the bank", 1),
    );
    table(
        &m,
        &[
            "the bank call is not important",
            "make it normal priority",
            "set priority 4 on it",
            "p4 the bank one",
            "call the bank is no longer important",
            "mark it as no priority",
        ],
        |p| priority_set(p, "Call the bank", 4),
    );
    table(
        &m,
        &[
            "lower the priority of the bank call",
            "make it less urgent",
            "deprioritize it",
            "decrease the priority of it",
            "drop the priority of the bank call",
            "set priority 3 on the bank call",
        ],
        |p| priority_set(p, "Call the bank", 3),
    );
    let p = plan_of(&m, "make it urgent");
    assert_eq!(
        match &p.steps[..] {
            [
                Step::Run {
                    then: crate::agent::local::plan::Then::Changed { lines, .. },
                    ..
                },
            ] => lines.clone(),
            _ => vec![],
        },
        ["**Call the bank** now has priority 1 (the highest); it had priority 2."]
    );
    let p = plan_of(&m, "p2 the bank call");
    assert!(calls(&p).is_empty());
    assert_eq!(text(&p), "**Call the bank** already has priority 2.");
    // A question about priorities is not a change.
    assert!(
        calls(&plan_of(&m, "which todos are important?"))
            .iter()
            .all(|c| details_of(c).is_none())
    );
}

#[test]
fn repeat() {
    let m = about("Call the bank");
    let rule = |words: &str| app::words::repeat::parse(words).unwrap().describe();
    let repeats = |words: &'static str| move |p: &Plan| matches!(sets(p, "Call the bank"), Some(ToolCall::SetTodoDetails { repeat: Some(Some(r)), priority: None, .. }) if r == rule(words));
    table(
        &m,
        &[
            "repeat it every monday",
            "make the bank call repeat every monday",
            "the bank call every monday",
            "call the bank should repeat every monday",
            "set the repeat of it to every monday",
            "have it recur every monday",
            "it repeats every monday",
            "make it every monday",
        ],
        repeats("every monday"),
    );
    for (phrase, words) in [
        ("make X repeat every 2 weeks", "every 2 weeks"),
        ("X every weekday", "every weekday"),
        (
            "make it repeat monthly after completion",
            "monthly after completion",
        ),
        ("repeat the bank call every day", "every day"),
        ("make it daily", "daily"),
        (
            "make it repeat every 3 days after completion",
            "every 3 days after completion",
        ),
        (
            "call the bank should recur every month on the last day",
            "every month on the last day",
        ),
    ] {
        let phrase = phrase.replace('X', "the bank call");
        assert!(repeats(words)(&plan_of(&m, &phrase)), "{phrase}");
    }
    let m = about("Water the plants");
    table(
        &m,
        &[
            "stop repeating it",
            "water the plants should not repeat anymore",
            "stop repeating the plants one",
            "don't repeat it anymore",
            "make it not repeat",
            "remove the repeat from water the plants",
            "it shouldn't repeat",
            "stop water the plants from repeating",
            "stop repeating",
        ],
        |p| {
            matches!(
                sets(p, "Water the plants"),
                Some(ToolCall::SetTodoDetails {
                    repeat: Some(None),
                    ..
                })
            )
        },
    );
    let p = plan_of(&about("Call the bank"), "stop repeating it");
    assert!(calls(&p).is_empty());
    assert_eq!(
        text(&p),
        "**Call the bank** doesn't repeat, so there is nothing to stop."
    );
}

#[test]
fn steps_added_and_checked() {
    let m = about("Call the bank");
    let abc = ["Find the card", "Call", "Ask about fees"];
    table(
        &m,
        &[
            "add steps to it: find the card, call and ask about fees",
            "break the bank call into find the card, call, ask about fees",
            "the bank call needs steps: find the card, call and ask about fees",
            "split it into find the card, call and then ask about fees",
            "add find the card, call and ask about fees as steps to the bank call",
            "steps for it: find the card; call; ask about fees",
            "call the bank needs these steps: find the card, call, ask about fees",
        ],
        |p| {
            matches!(calls(p).as_slice(), [ToolCall::AddSubtasks { todo, steps }]
                if *todo == the("Call the bank").id && steps == &abc)
        },
    );
    let fence = the("Paint the fence");
    let step_id = |n: usize| fence.subtasks.iter().nth(n).unwrap().id.to_string();
    let m = about("Paint the fence");
    let checks = |n: usize, done: bool| {
        move |p: &Plan| {
            matches!(calls(p).as_slice(), [ToolCall::SetSubtaskDone { todo, subtask: SubtaskRef::Id(s), done: d }]
                if *todo == fence.id && *s == step_id(n) && *d == done)
        }
    };
    table(
        &m,
        &[
            "check off the first step",
            "tick step 1 of paint the fence",
            "mark 'buy paint' as done in paint the fence",
            "mark the first step as done",
            "check the first step of the fence one",
            "i finished the first step of paint the fence",
            "the first step of the fence one is done",
            "tick off the buy paint step",
            "complete step one",
        ],
        checks(0, true),
    );
    table(
        &m,
        &[
            "uncheck the last step of the fence one",
            "uncheck step 3",
            "mark the last step as not done",
            "untick the third step of paint the fence",
            "mark 'paint it' as not done in the fence one",
            "reopen the last step",
        ],
        checks(2, false),
    );
    let p = plan_of(&m, "tick step 2 of paint the fence");
    assert!(checks(1, true)(&p));
    assert!(
        matches!(&p.steps[..], [Step::Run { then: crate::agent::local::plan::Then::Changed { lines, .. }, .. }]
        if lines == &["Checked “Sand the fence” of **Paint the fence** (2 of 3 done)."])
    );
    let p = plan_of(&m, "check off step 3");
    assert!(calls(&p).is_empty());
    assert_eq!(
        text(&p),
        "“Paint it” of **Paint the fence** is already checked."
    );
    let p = plan_of(&m, "tick step 7");
    assert!(calls(&p).is_empty() && text(&p).starts_with("**Paint the fence** has no such step."));
}

#[test]
fn add_with_marks_in_one_sentence() {
    let m = LocalMemory::default();
    let home = Some(list_id("Home").to_string());
    let groceries = Some(list_id("Groceries").to_string());
    let tomorrow = Some(date(2026, 11, 26).to_string());
    // Phrase, title, list, due date, details.
    type Case<'a> = (
        &'a str,
        &'a str,
        Option<String>,
        Option<String>,
        Option<&'a str>,
    );
    let cases: &[Case] = &[
        (
            "add pay rent every 1st #home p1",
            "Pay rent",
            home.clone(),
            None,
            Some("p1 every 1st"),
        ),
        (
            "remind me to call mom tomorrow at 5pm @phone",
            "Call mom",
            None,
            tomorrow.clone(),
            Some("@phone at 5pm !due"),
        ),
        (
            "add buy milk to groceries",
            "Buy milk",
            groceries.clone(),
            None,
            None,
        ),
        (
            "add buy bread to my groceries list tomorrow",
            "Buy bread",
            groceries.clone(),
            tomorrow.clone(),
            None,
        ),
        (
            "add water the plants every monday",
            "Water the plants",
            None,
            None,
            Some("every monday"),
        ),
        (
            "add file the report p2 @work",
            "File the report",
            None,
            None,
            Some("p2 @work"),
        ),
        ("add go to school", "Go to school", None, None, None),
        (
            "add eggs to my groceries list",
            "Eggs",
            groceries.clone(),
            None,
            None,
        ),
        (
            "please add stretch daily at 7am",
            "Stretch",
            None,
            None,
            Some("daily at 7am"),
        ),
    ];
    for (phrase, title, list, due, details) in cases {
        let p = plan_of(&m, phrase);
        let expected = ToolCall::AddTodo {
            title: (*title).into(),
            description: None,
            date_due: due.clone(),
            list: list.clone(),
            details: details.map(str::to_owned),
        };
        assert_eq!(calls(&p), vec![expected], "{phrase}");
    }
    assert!(cases.len() >= 6);
    // A mark that names none of the user's lists stays words of the title.
    let p = plan_of(&m, "add call the plumber #camping p2");
    assert!(
        matches!(calls(&p).as_slice(), [ToolCall::AddTodo { title, list: None, details: Some(d), .. }]
            if title == "Call the plumber #camping" && d == "p2"),
        "{p:#?}"
    );
}

#[test]
fn labels_and_times() {
    let m = about("Call the bank");
    let label = |s: &str| Label::parse(s).unwrap();
    let labels = |add: &[&str], remove: &[&str]| {
        Some(LabelEdit::Adjust {
            add: add.iter().map(|s| label(s)).collect(),
            remove: remove.iter().map(|s| label(s)).collect(),
        })
    };
    let expect = labels(&["errands"], &[]);
    table(
        &m,
        &[
            "label it errands",
            "tag the bank call with errands",
            "add the errands label to it",
            "label it with @errands",
            "put the errands tag on the bank call",
            "add the label errands to call the bank",
        ],
        |p| matches!(sets(p, "Call the bank"), Some(ToolCall::SetTodoDetails { labels: l, .. }) if l == expect),
    );
    let expect = labels(&[], &["phone"]);
    table(
        &m,
        &[
            "remove the phone label from the bank call",
            "remove the label phone from it",
            "take off the phone tag from the bank call",
            "delete the phone label from it",
            "drop the @phone label from the bank call",
            "untag it phone",
        ],
        |p| matches!(sets(p, "Call the bank"), Some(ToolCall::SetTodoDetails { labels: l, .. }) if l == expect),
    );
    let m = about("Book dentist appointment");
    table(
        &m,
        &[
            "move the dentist to 14:30",
            "set the dentist appointment for 2:30pm",
            "the dentist one is at 14:30",
            "change the time of the dentist appointment to 14:30",
            "reschedule the dentist to 2:30 pm",
            "set the time of it to 14:30",
            "the dentist appointment at 14:30",
        ],
        |p| matches!(sets(p, "Book dentist appointment"), Some(ToolCall::SetTodoDetails { due_time: Some(Some(t)), .. }) if t == "14:30"),
    );
    // An undated todo gets today with its time.
    let p = plan_of(&about("Call the bank"), "set the bank call for 9am");
    assert!(
        matches!(calls(&p).as_slice(), [
        ToolCall::UpdateTodo { date_due: Some(Some(d)), .. },
        ToolCall::SetTodoDetails { due_time: Some(Some(t)), .. },
    ] if d == "2026-11-25" && t == "09:00"),
        "{p:#?}"
    );
}
