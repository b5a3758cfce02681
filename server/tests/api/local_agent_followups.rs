//! The LocalAgent on everyday follow-ups, each in several phrasings: corrections right after
//! an action (the date, the title, which todo), "not done after all", questions about one
//! todo's details, relative moves of a due date, and typos in the command words.

use jiff::civil::{Date, date};

use crate::{agent_harness::Harness, local_agent::seeded};

fn due(todo: &server::domain::Todo) -> Option<Date> {
    todo.date_due.map(|d| d.to_iso().parse().unwrap())
}

async fn due_of(h: &Harness, title: &str) -> Option<Date> {
    due(&h.todo(title).await.unwrap_or_else(|| panic!("no {title}")))
}

async fn titled(h: &Harness, lower_title: &str) -> usize {
    h.todos()
        .await
        .iter()
        .filter(|t| t.title.as_str().to_lowercase() == lower_title)
        .count()
}

#[tokio::test]
async fn a_correction_changes_the_date_just_set() {
    for phrase in [
        "no, friday",
        "actually make it friday",
        "sorry, I meant friday",
        "make that friday instead",
        "no wait, due friday",
        "oops, it should be friday",
    ] {
        let mut h = seeded().await;
        h.say("add water the plants tomorrow").await;
        let reply = h.say(phrase).await;
        assert_eq!(
            due_of(&h, "Water the plants").await,
            Some(date(2026, 11, 27)),
            "{phrase}: {}",
            reply.text
        );
        assert_eq!(titled(&h, "water the plants").await, 1, "{phrase}");
    }
    let mut h = seeded().await;
    h.say("move the dentist one to monday").await;
    h.say("no, tuesday").await;
    assert_eq!(
        due_of(&h, "Book dentist appointment").await,
        Some(date(2026, 12, 1))
    );
    h.say("actually no date").await;
    assert_eq!(due_of(&h, "Book dentist appointment").await, None);
}

#[tokio::test]
async fn a_correction_changes_the_title_just_given() {
    for phrase in [
        "actually call it water the garden",
        "no, call it water the garden",
        "sorry, I meant water the garden",
        "it should be called water the garden",
        "oops, I meant \"water the garden\"",
    ] {
        let mut h = seeded().await;
        h.say("add water the plants").await;
        let reply = h.say(phrase).await;
        assert_eq!(
            titled(&h, "water the garden").await,
            1,
            "{phrase}: {}",
            reply.text
        );
        assert_eq!(titled(&h, "water the plants").await, 0, "{phrase}");
    }
}

#[tokio::test]
async fn a_correction_of_which_todo_moves_the_action_to_the_other_one() {
    for phrase in [
        "no, I meant the ansible one",
        "sorry, the one about ansible",
        "not that one, the ansible one",
        "wrong one, I meant the ansible one",
    ] {
        let mut h = seeded().await;
        h.say("mark the milk one as done").await;
        assert!(h.todo("Buy milk").await.unwrap().completed);
        let reply = h.say(phrase).await;
        assert!(
            !h.todo("Buy milk").await.unwrap().completed,
            "{phrase}: {}",
            reply.text
        );
        assert!(
            h.todo("Learn ansible").await.unwrap().completed,
            "{phrase}: {}",
            reply.text
        );
    }
    // A move, then "the rent one": the dentist appointment keeps its date.
    let mut h = seeded().await;
    h.say("move the dentist one to friday").await;
    h.say("no, I meant the rent one").await;
    assert_eq!(
        due_of(&h, "Book dentist appointment").await,
        Some(date(2026, 12, 4))
    );
    assert_eq!(due_of(&h, "Pay rent").await, Some(date(2026, 11, 27)));
    // A delete waiting for its confirmation is asked again for the other todo.
    let mut h = seeded().await;
    h.say("delete the milk one").await;
    let asked = h.say("no, the ansible one").await;
    let prompt = asked
        .events
        .iter()
        .find_map(|e| match e {
            app::wire::chat::ChatEvent::Confirm { prompt, .. } => Some(prompt.clone()),
            _ => None,
        })
        .expect("asked again");
    assert!(prompt.contains("Learn ansible"), "{prompt}");
    h.answer(&asked, true).await;
    assert!(h.todo("Learn ansible").await.is_none());
    assert!(h.todo("Buy milk").await.is_some());
    // Confirmed, then "I meant the other one": the wrong one comes back.
    let mut h = seeded().await;
    let asked = h.say("delete the milk one").await;
    h.answer(&asked, true).await;
    assert!(h.todo("Buy milk").await.is_none());
    let asked = h.say("no, I meant the ansible one").await;
    assert!(h.todo("Buy milk").await.is_some(), "{}", asked.text);
    h.answer(&asked, true).await;
    assert!(h.todo("Learn ansible").await.is_none());
}

#[tokio::test]
async fn not_done_after_all_reopens_the_todo_just_discussed() {
    for phrase in [
        "actually it's not done",
        "it isn't done after all",
        "oops, that's not finished yet",
        "I didn't finish it after all",
        "not done after all",
        "wait, it's not done yet",
    ] {
        let mut h = seeded().await;
        h.say("mark learn ansible as done").await;
        let reply = h.say(phrase).await;
        assert!(
            !h.todo("Learn ansible").await.unwrap().completed,
            "{phrase}: {}",
            reply.text
        );
    }
    let mut h = seeded().await;
    h.say("call mom isn't done after all").await;
    assert!(!h.todo("Call mom").await.unwrap().completed);
    // "it's done" still completes.
    let mut h = seeded().await;
    h.say("show learn ansible").await;
    h.say("it's done").await;
    assert!(h.todo("Learn ansible").await.unwrap().completed);
}

#[tokio::test]
async fn questions_about_one_todo_are_answered_from_its_data() {
    let mut h = seeded().await;
    for phrase in [
        "when is the dentist appointment due",
        "when's the dentist one due?",
        "what's the due date of the dentist appointment",
    ] {
        let reply = h.say(phrase).await;
        assert!(
            reply.text.contains("is due Fri, Dec 4"),
            "{phrase}: {}",
            reply.text
        );
    }
    let reply = h.say("when is buy milk due").await;
    assert!(reply.text.contains("has no due date"), "{}", reply.text);
    for phrase in [
        "is call mom done",
        "did I finish call mom?",
        "have I completed call mom",
    ] {
        let reply = h.say(phrase).await;
        assert!(reply.text.starts_with("Yes,"), "{phrase}: {}", reply.text);
    }
    let reply = h.say("is the dentist one done").await;
    assert!(reply.text.starts_with("No,"), "{}", reply.text);
    let reply = h.say("is it done yet").await;
    assert!(
        reply.text.starts_with("No,") && reply.text.contains("dentist"),
        "{}",
        reply.text
    );

    h.say("add a note to the dentist one: bring the old scans")
        .await;
    for phrase in [
        "what are the notes on the dentist one",
        "show me the notes on the dentist appointment",
        "does the dentist one have notes",
    ] {
        let reply = h.say(phrase).await;
        assert!(
            reply.text.contains("bring the old scans"),
            "{phrase}: {}",
            reply.text
        );
    }
    let reply = h.say("what are the notes on buy milk").await;
    assert!(reply.text.contains("has no notes"), "{}", reply.text);
    h.say("describe the dentist one as checkup with the new dentist")
        .await;
    for phrase in [
        "what's the description of the dentist one",
        "what is the dentist appointment about",
    ] {
        let reply = h.say(phrase).await;
        assert!(
            reply.text.contains("checkup with the new dentist"),
            "{phrase}: {}",
            reply.text
        );
    }
    // A question changes nothing.
    assert!(!h.todo("Book dentist appointment").await.unwrap().completed);
}

#[tokio::test]
async fn due_dates_move_earlier_or_later_by_days_or_weeks() {
    for (phrase, expected) in [
        ("push the dentist one back two days", date(2026, 12, 6)),
        (
            "postpone the dentist appointment by 2 days",
            date(2026, 12, 6),
        ),
        ("move the dentist one 2 days later", date(2026, 12, 6)),
        ("delay the dentist one by one week", date(2026, 12, 11)),
        ("bring the dentist one forward a day", date(2026, 12, 3)),
        (
            "move the dentist appointment a week earlier",
            date(2026, 11, 27),
        ),
        ("move the dentist one up 3 days", date(2026, 12, 1)),
    ] {
        let mut h = seeded().await;
        let reply = h.say(phrase).await;
        assert_eq!(
            due_of(&h, "Book dentist appointment").await,
            Some(expected),
            "{phrase}: {}",
            reply.text
        );
    }
    let mut h = seeded().await;
    h.say("show the dentist one").await;
    let reply = h.say("push it back a week").await;
    assert_eq!(
        due_of(&h, "Book dentist appointment").await,
        Some(date(2026, 12, 11))
    );
    assert!(reply.text.contains("1 week later"), "{}", reply.text);
    let reply = h.say("push buy milk back 2 days").await;
    assert!(
        reply.text.contains("has no due date to move"),
        "{}",
        reply.text
    );
}

#[tokio::test]
async fn typos_in_command_words_are_understood() {
    let mut h = seeded().await;
    h.say("compelte learn ansible").await;
    assert!(h.todo("Learn ansible").await.unwrap().completed);
    h.say("reopne learn ansible").await;
    assert!(!h.todo("Learn ansible").await.unwrap().completed);
    h.say("mark learn ansible as dnoe").await;
    assert!(h.todo("Learn ansible").await.unwrap().completed);
    let reply = h.say("lsit my todso").await;
    assert!(reply.text.contains("Pay rent"), "{}", reply.text);
    let reply = h.say("shwo the dentist one").await;
    assert!(
        reply.text.contains("Book dentist appointment"),
        "{}",
        reply.text
    );
    h.say("renmae buy milk to buy oat milk").await;
    assert!(h.todo("buy oat milk").await.is_some() || titled(&h, "buy oat milk").await == 1);
    let asked = h.say("delet the rent one").await;
    assert!(asked.confirm_id().is_some(), "{}", asked.text);
    h.answer(&asked, true).await;
    assert!(h.todo("Pay rent").await.is_none());
    h.say("ad call the plumber").await;
    assert_eq!(titled(&h, "call the plumber").await, 1);
}
