//! The LocalAgent's reminders against a real store, one whole turn each: a reminder on a
//! todo (several phrasings), the follow-up "that one too", a new todo with a reminder, a
//! repeating one reminded at each occurrence, removing and listing them, and "undo that".
//! Every case checks the todo afterwards.

use app::wire::Reminder;
use server::domain::Todo;

use crate::agent_harness::{Harness, due};

async fn the(h: &Harness, title: &str) -> Todo {
    h.todo(title).await.expect(title)
}

fn reminders(todo: &Todo) -> Vec<Reminder> {
    todo.to_wire().reminders
}

#[tokio::test]
async fn a_reminder_on_a_todo_in_several_phrasings() {
    for phrase in [
        "remind me about the dentist an hour before",
        "Remind me about the dentist appointment 1h before.",
        "please remind me of the dentist 60 minutes before it's due",
        "remind me an hour before about the dentist",
        "set a reminder for the dentist an hour before",
        "add a reminder 1 hour before to the dentist appointment",
    ] {
        let mut h = Harness::new();
        h.seed("Book dentist appointment", Some("2026-12-04"), false)
            .await;
        let reply = h.say(phrase).await;
        assert_eq!(
            reply.text, "I'll remind you about **Book dentist appointment** 1 h before it's due.",
            "{phrase}"
        );
        let dentist = the(&h, "Book dentist appointment").await;
        assert_eq!(
            reminders(&dentist),
            [Reminder::BeforeMinutes(60)],
            "{phrase}"
        );
    }
}

#[tokio::test]
async fn that_one_too_and_what_reminders_do_i_have() {
    let mut h = Harness::new();
    h.seed("Book dentist appointment", Some("2026-12-04"), false)
        .await;
    h.seed("Pay rent", Some("2026-11-30"), false).await;
    h.seed("Buy milk", None, false).await;
    h.say("remind me about the dentist the day before").await;
    let reply = h.say("remind me about pay rent too").await;
    assert_eq!(
        reply.text,
        "I'll remind you about **Pay rent** 1 day before it's due."
    );
    assert_eq!(
        reminders(&the(&h, "Pay rent").await),
        [Reminder::BeforeMinutes(1_440)]
    );
    // A second one on the same todo is added to the first.
    h.say("remind me about it at the due time").await;
    assert_eq!(
        reminders(&the(&h, "Pay rent").await),
        [Reminder::BeforeMinutes(1_440), Reminder::BeforeMinutes(0)]
    );
    let reply = h.say("remind me about it when it's due").await;
    assert_eq!(
        reply.text,
        "**Pay rent** already reminds you when it's due."
    );

    // A "before" needs a date: said, nothing changed.
    let reply = h.say("remind me about the milk an hour before").await;
    assert!(
        reply.text.starts_with("**Buy milk** has no due date"),
        "{}",
        reply.text
    );
    assert!(reminders(&the(&h, "Buy milk").await).is_empty());

    for question in [
        "what reminders do I have",
        "show my reminders",
        "do I have any reminders?",
    ] {
        let reply = h.say(question).await;
        assert!(
            reply.text.starts_with("2 open todos have reminders:"),
            "{question}: {}",
            reply.text
        );
        assert!(
            reply.text.contains("**Book dentist appointment**")
                && reply.text.contains("🔔 1 day before")
                && reply.text.contains("🔔 1 day before, at the due time")
                && !reply.text.contains("Buy milk"),
            "{}",
            reply.text
        );
    }
    // "the first one" is the first of that list.
    h.say("remove the reminders from the first one").await;
    assert!(reminders(&the(&h, "Book dentist appointment").await).is_empty());
}

#[tokio::test]
async fn removing_reminders_and_undoing_it() {
    let mut h = Harness::new();
    h.seed("Book dentist appointment", Some("2026-12-04"), false)
        .await;
    h.say("remind me about the dentist 30 minutes before").await;
    for phrase in [
        "remove the reminders from the dentist todo",
        "stop reminding me about the dentist",
        "don't remind me about the dentist anymore",
        "clear all reminders for the dentist appointment",
    ] {
        let reply = h.say(phrase).await;
        assert_eq!(
            reply.text, "Removed the reminders from **Book dentist appointment**.",
            "{phrase}"
        );
        assert!(reminders(&the(&h, "Book dentist appointment").await).is_empty());
        h.say("undo that").await;
        assert_eq!(
            reminders(&the(&h, "Book dentist appointment").await),
            [Reminder::BeforeMinutes(30)],
            "{phrase}: undone"
        );
    }
    h.say("remove the reminders from the dentist todo").await;
    let reply = h.say("remove the reminders from the dentist todo").await;
    assert_eq!(reply.text, "**Book dentist appointment** has no reminders.");
}

#[tokio::test]
async fn a_new_todo_with_a_reminder_and_a_repeating_one() {
    let mut h = Harness::new();
    let reply = h.say("remind me at 9am tomorrow to call mom").await;
    assert!(
        reply
            .text
            .starts_with("Added **Call mom**, due Thu, Nov 26 (tomorrow), at 09:00.")
            && reply
                .text
                .ends_with("I'll remind you on Thu, Nov 26 (tomorrow) at 09:00."),
        "{}",
        reply.text
    );
    let mom = the(&h, "Call mom").await;
    assert_eq!(due(&mom).as_deref(), Some("2026-11-26"));
    assert_eq!(mom.due_time.map(|t| t.to_hhmm()).as_deref(), Some("09:00"));
    assert_eq!(reminders(&mom), [Reminder::BeforeMinutes(0)]);

    h.say("remind me every monday to water the plants").await;
    let plants = the(&h, "Water the plants").await;
    assert!(plants.repeat.is_some(), "repeats");
    assert_eq!(reminders(&plants), [Reminder::BeforeMinutes(0)]);

    h.say("remind me to call the vet on friday at 5pm").await;
    let vet = the(&h, "Call the vet").await;
    assert_eq!(due(&vet).as_deref(), Some("2026-11-27"));
    assert_eq!(reminders(&vet), [Reminder::BeforeMinutes(0)]);

    // No date anywhere: an `at` reminder, the todo undated.
    h.say("remind me at 5pm to call the plumber").await;
    let plumber = the(&h, "Call the plumber").await;
    assert_eq!(plumber.date_due, None);
    assert!(
        matches!(reminders(&plumber).as_slice(), [Reminder::At(at)] if at.ends_with("T17:00:00Z")),
        "{:?}",
        reminders(&plumber)
    );
    // Quick add's marks through "add".
    h.say("add dentist friday 3pm !1h").await;
    let dentist = the(&h, "Dentist").await;
    assert_eq!(reminders(&dentist), [Reminder::BeforeMinutes(60)]);
}

#[tokio::test]
async fn grammar_gaps_put_it_in_a_list_without_the_word_list() {
    let mut h = Harness::new();
    let groceries = server::todos::lists::create(
        h.store.as_ref(),
        &h.user,
        app::wire::NewList {
            name: "Groceries".into(),
            color: None,
        },
        300,
        h.files.now(),
    )
    .await
    .unwrap()
    .id;
    h.seed("Buy milk", None, false).await;
    h.say("show me buy milk").await;
    let reply = h.say("put it in groceries").await;
    assert_eq!(reply.text, "Moved **Buy milk** to **Groceries**.");
    assert_eq!(the(&h, "Buy milk").await.list_id, Some(groceries));
}

#[tokio::test]
async fn grammar_gaps_label_x_urgent() {
    let mut h = Harness::new();
    h.seed("Book dentist appointment", Some("2026-12-04"), false)
        .await;
    h.say("label the dentist urgent").await;
    let dentist = the(&h, "Book dentist appointment").await;
    assert_eq!(dentist.labels.to_strings(), ["urgent"]);
}
