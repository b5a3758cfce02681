//! The LocalAgent's organizing verbs against a real store, one whole turn each: lists,
//! priority, repeat rules, steps, adding with quick-add marks, labels and times. Every case
//! checks the todo afterwards, and "undo that" takes the whole last action back.

use app::wire::{NewList, TodoPatch};
use server::{
    domain::{ListId, Todo},
    todos::{lists, service},
};

use crate::agent_harness::{Harness, due};

/// Makes the list `name` (setup, not under test).
async fn list(h: &Harness, name: &str) -> ListId {
    let input = NewList {
        name: name.into(),
        color: None,
    };
    lists::create(h.store.as_ref(), &h.user, input, 300, h.files.now())
        .await
        .unwrap()
        .id
}

/// Changes the todo called `title` (setup, not under test).
async fn patch(h: &Harness, title: &str, mut patch: TodoPatch) {
    let todo = h.todo(title).await.unwrap();
    patch.version = todo.version;
    service::update(h.store.as_ref(), &h.user, todo.id, patch, h.files.now())
        .await
        .unwrap();
}

async fn the(h: &Harness, title: &str) -> Todo {
    h.todo(title).await.expect(title)
}

fn labels(todo: &Todo) -> Vec<String> {
    todo.labels.to_strings()
}

#[tokio::test]
async fn a_list_is_shown_by_its_name_and_an_unknown_one_gets_the_users_lists() {
    let mut h = Harness::new();
    let groceries = list(&h, "Groceries").await;
    h.seed("Buy milk", None, false).await;
    h.seed("Call the bank", None, false).await;
    patch(
        &h,
        "Buy milk",
        TodoPatch {
            list_id: Some(groceries.to_string()),
            ..Default::default()
        },
    )
    .await;
    for phrase in [
        "what's on my groceries list?",
        "what's left in groceries?",
        "show me the groceries list",
        "list everything in #groceries",
    ] {
        let reply = h.say(phrase).await;
        assert!(
            reply.text.contains("**Buy milk**") && !reply.text.contains("Call the bank"),
            "{phrase}: {}",
            reply.text
        );
        assert!(reply.text.contains("in **Groceries**"), "{}", reply.text);
    }
    let all = h.say("what's on my list?").await;
    assert!(all.text.contains("Buy milk") && all.text.contains("Call the bank"));
    let unknown = h.say("what's on my camping list?").await;
    assert_eq!(
        unknown.text,
        "You have no list named “camping”. Your lists are **Inbox** and **Groceries**."
    );
    assert!(unknown.tools().is_empty());
}

#[tokio::test]
async fn moving_to_a_list_files_every_todo_named_and_undo_brings_them_back() {
    let mut h = Harness::new();
    let work = list(&h, "Work").await;
    let groceries = list(&h, "Groceries").await;
    h.seed("Call the bank", None, false).await;
    h.seed("Buy milk", None, false).await;
    h.seed("Buy eggs", None, false).await;

    let reply = h.say("move the bank call to work").await;
    assert_eq!(reply.text, "Moved **Call the bank** to **Work**.");
    assert_eq!(the(&h, "Call the bank").await.list_id, Some(work));

    let reply = h.say("move milk and eggs to groceries").await;
    assert_eq!(reply.tools(), ["updateTodo", "updateTodo"]);
    for title in ["Buy milk", "Buy eggs"] {
        assert_eq!(the(&h, title).await.list_id, Some(groceries), "{title}");
    }
    h.say("undo that").await;
    for title in ["Buy milk", "Buy eggs"] {
        assert_ne!(the(&h, title).await.list_id, Some(groceries), "{title}");
    }
    assert_eq!(the(&h, "Call the bank").await.list_id, Some(work));

    let refused = h.say("put it in my camping list").await;
    assert!(
        refused
            .text
            .starts_with("You have no list named “camping”.")
    );
    assert!(refused.tools().is_empty());
}

#[tokio::test]
async fn priority_is_set_raised_and_lowered_and_undone() {
    let mut h = Harness::new();
    h.seed("Call the bank", None, false).await;
    let reply = h.say("make the bank call urgent").await;
    assert!(
        reply.text.contains("priority 1 (the highest)"),
        "{}",
        reply.text
    );
    assert_eq!(the(&h, "Call the bank").await.priority.get(), 1);
    h.say("lower the priority of it").await;
    assert_eq!(the(&h, "Call the bank").await.priority.get(), 2);
    h.say("undo that").await;
    assert_eq!(the(&h, "Call the bank").await.priority.get(), 1);
    h.say("the bank call is not important").await;
    assert_eq!(the(&h, "Call the bank").await.priority.get(), 4);
}

#[tokio::test]
async fn a_repeat_rule_is_set_and_stopped() {
    let mut h = Harness::new();
    h.seed("Water the plants", Some("2026-11-30"), false).await;
    let reply = h.say("make water the plants repeat every monday").await;
    assert!(reply.text.contains("now repeats"), "{}", reply.text);
    let todo = the(&h, "Water the plants").await;
    let rule = todo.repeat.as_ref().expect("a rule");
    assert!(rule.rrule().contains("FREQ=WEEKLY"), "{}", rule.rrule());
    let reply = h.say("stop repeating it").await;
    assert_eq!(reply.text, "**Water the plants** no longer repeats.");
    assert!(the(&h, "Water the plants").await.repeat.is_none());
    h.say("undo that").await;
    assert!(the(&h, "Water the plants").await.repeat.is_some());
}

#[tokio::test]
async fn steps_are_added_checked_and_unchecked() {
    let mut h = Harness::new();
    h.seed("Call the bank", None, false).await;
    let reply = h
        .say("add steps to the bank call: find the card, call and ask about fees")
        .await;
    assert!(
        reply.text.starts_with("Added 3 steps to **Call the bank**"),
        "{}",
        reply.text
    );
    let steps = |t: &Todo| -> Vec<(String, bool)> {
        t.subtasks
            .iter()
            .map(|s| (s.title.as_str().to_owned(), s.done))
            .collect()
    };
    assert_eq!(
        steps(&the(&h, "Call the bank").await),
        [
            ("Find the card".to_owned(), false),
            ("Call".to_owned(), false),
            ("Ask about fees".to_owned(), false)
        ]
    );
    let reply = h.say("check off the first step").await;
    assert_eq!(
        reply.text,
        "Checked “Find the card” of **Call the bank** (1 of 3 done)."
    );
    h.say("mark 'ask about fees' as done in the bank call")
        .await;
    let done: Vec<bool> = steps(&the(&h, "Call the bank").await)
        .into_iter()
        .map(|(_, d)| d)
        .collect();
    assert_eq!(done, [true, false, true]);
    h.say("uncheck the last step of the bank call").await;
    let done: Vec<bool> = steps(&the(&h, "Call the bank").await)
        .into_iter()
        .map(|(_, d)| d)
        .collect();
    assert_eq!(done, [true, false, false]);
}

#[tokio::test]
async fn adding_reads_quick_add_marks_and_a_list_named_in_words() {
    let mut h = Harness::new();
    let home = list(&h, "Home").await;
    let groceries = list(&h, "Groceries").await;

    let reply = h.say("add pay rent every 1st #home p1").await;
    let rent = the(&h, "Pay rent").await;
    assert_eq!(rent.list_id, Some(home));
    assert_eq!(rent.priority.get(), 1);
    assert!(
        rent.repeat
            .as_ref()
            .unwrap()
            .rrule()
            .contains("FREQ=MONTHLY")
    );
    assert!(
        reply.text.starts_with("Added **Pay rent** to **Home**")
            && reply.text.contains("priority 1"),
        "{}",
        reply.text
    );

    h.say("remind me to call mom tomorrow at 5pm @phone").await;
    let mom = the(&h, "Call mom").await;
    assert_eq!(due(&mom).as_deref(), Some("2026-11-26"));
    assert_eq!(mom.due_time.map(|t| t.to_hhmm()).as_deref(), Some("17:00"));
    assert_eq!(labels(&mom), ["phone"]);

    h.say("add buy milk to groceries").await;
    assert_eq!(the(&h, "Buy milk").await.list_id, Some(groceries));
    h.say("add go to school").await;
    assert!(the(&h, "Go to school").await.list_id.is_none());
    let reply = h.say("add call the plumber #camping").await;
    assert!(
        reply.text.contains("“#camping” stayed in the title"),
        "{}",
        reply.text
    );
    assert!(the(&h, "Call the plumber #camping").await.list_id.is_none());
}

#[tokio::test]
async fn labels_and_times_are_changed_one_at_a_time() {
    let mut h = Harness::new();
    h.seed("Call the bank", None, false).await;
    h.seed("Book dentist appointment", Some("2026-12-04"), false)
        .await;
    h.say("label the bank call with errands").await;
    h.say("add the phone label to it").await;
    assert_eq!(
        labels(&the(&h, "Call the bank").await),
        ["errands", "phone"]
    );
    let reply = h.say("remove the errands label from the bank call").await;
    assert_eq!(
        reply.text,
        "Removed the label @errands from **Call the bank**."
    );
    assert_eq!(labels(&the(&h, "Call the bank").await), ["phone"]);

    h.say("move the dentist to 14:30").await;
    let dentist = the(&h, "Book dentist appointment").await;
    assert_eq!(
        dentist.due_time.map(|t| t.to_hhmm()).as_deref(),
        Some("14:30")
    );
    assert_eq!(due(&dentist).as_deref(), Some("2026-12-04"));
    // An undated todo gets today for its time; undo takes both back.
    h.say("set the bank call for 9am").await;
    let bank = the(&h, "Call the bank").await;
    assert_eq!(due(&bank).as_deref(), Some("2026-11-25"));
    assert_eq!(bank.due_time.map(|t| t.to_hhmm()).as_deref(), Some("09:00"));
    h.say("undo that").await;
    let bank = the(&h, "Call the bank").await;
    assert!(bank.date_due.is_none() && bank.due_time.is_none());
}

#[tokio::test]
async fn overdue_counts_a_time_earlier_today() {
    let mut h = Harness::new();
    h.seed("Morning call", Some("2026-11-25"), false).await;
    h.seed("Later", Some("2026-11-26"), false).await;
    patch(
        &h,
        "Morning call",
        TodoPatch {
            due_time: Some(Some("00:00".into())),
            ..Default::default()
        },
    )
    .await;
    // Today is the harness's Nov 25; any time of day now is after 00:00 on it.
    let reply = h.say("what's overdue?").await;
    assert!(reply.text.contains("**Morning call**"), "{}", reply.text);
    assert!(!reply.text.contains("Later"), "{}", reply.text);
}
