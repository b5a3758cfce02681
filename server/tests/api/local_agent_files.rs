//! The LocalAgent and files: attaching what was dropped into the chat by talking, listing a
//! todo's files, removing one after confirmation. Each case asserts what the store holds.

use app::wire::chat::{ChatEvent, ToolStatus};

use crate::local_agent::seeded;

#[tokio::test]
async fn a_dropped_file_is_attached_to_the_todo_named() {
    for phrasing in [
        "attach this to my dentist appointment todo",
        "Please attach this file to the dentist appointment.",
        "add this to book dentist",
        "put the pdf on my dentist appointment",
        "attach it to the one about the dentist",
        "attach to dentist appointment",
        "save this file to my dentst appointment todo",
    ] {
        let mut h = seeded().await;
        let dentist = h.todo("Book dentist appointment").await.unwrap().id;
        let file = h.upload("x-ray.pdf", None).await;
        h.attachments = vec![file];
        let reply = h.say(phrasing).await;
        assert_eq!(
            h.file_names(dentist).await,
            vec!["x-ray.pdf"],
            "{phrasing}: {}",
            reply.text
        );
        assert!(
            reply
                .text
                .contains("Attached “x\\-ray\\.pdf” to **Book dentist appointment**"),
            "{phrasing}: {}",
            reply.text
        );
        assert_eq!(reply.tools(), vec!["addTodoFile"], "{phrasing}");
    }
}

#[tokio::test]
async fn it_can_be_attached_in_a_later_message_by_position() {
    let mut h = seeded().await;
    let file = h.upload("lease.pdf", None).await;
    h.attachments = vec![file];
    let asked = h.say("here you go").await;
    assert!(
        asked.text.contains("Which todo should I attach it to?"),
        "{}",
        asked.text
    );
    h.say("list my open todos").await;
    let reply = h.say("attach it to the second one").await;
    // The second open todo, oldest first: "Book dentist appointment".
    let dentist = h.todo("Book dentist appointment").await.unwrap().id;
    assert_eq!(
        h.file_names(dentist).await,
        vec!["lease.pdf"],
        "{}",
        reply.text
    );
    let again = h.say("attach it to pay rent").await;
    assert!(again.text.contains("no file to attach"), "{}", again.text);
}

#[tokio::test]
async fn an_ambiguous_todo_is_asked_about_before_attaching() {
    let mut h = seeded().await;
    h.seed("Book dentist cleaning", None, false).await;
    let file = h.upload("x-ray.pdf", None).await;
    h.attachments = vec![file];
    let ask = h.say("attach this to the dentist todo").await;
    assert!(ask.text.contains("Which one do you mean?"), "{}", ask.text);
    assert!(
        h.store.list_files(&h.user).await.unwrap()[0]
            .todo_id
            .is_none()
    );
    let reply = h.say("the second one").await;
    let cleaning = h.todo("Book dentist cleaning").await.unwrap().id;
    assert_eq!(
        h.file_names(cleaning).await,
        vec!["x-ray.pdf"],
        "{}",
        reply.text
    );
}

#[tokio::test]
async fn nothing_is_attached_without_a_file_or_to_a_missing_todo() {
    let mut h = seeded().await;
    let reply = h.say("attach this to buy milk").await;
    assert!(reply.text.contains("no file to attach"), "{}", reply.text);
    let file = h.upload("receipt.pdf", None).await;
    h.attachments = vec![file];
    let reply = h.say("attach this to the one about kangaroos").await;
    assert!(reply.tools().is_empty(), "{}", reply.text);
    assert!(
        h.store.list_files(&h.user).await.unwrap()[0]
            .todo_id
            .is_none()
    );
}

#[tokio::test]
async fn another_users_file_cannot_be_attached_even_from_memory() {
    let mut h = seeded().await;
    let mallory = server::domain::UserId::from_verified_sub("mallory");
    let theirs = h.upload_for(&mallory, "theirs.pdf", None).await;
    // Even if the id got into this user's memory, the tool looks it up under this user.
    h.memory.local.chat_files = vec![theirs.id];
    let reply = h.say("attach it to buy milk").await;
    let milk = h.todo("Buy milk").await.unwrap().id;
    assert!(h.file_names(milk).await.is_empty(), "{}", reply.text);
    assert!(reply.text.contains("No such file"), "{}", reply.text);
    let still: Vec<_> = h.store.list_files(&mallory).await.unwrap();
    assert_eq!(still[0].todo_id, None);
}

#[tokio::test]
async fn a_todos_files_are_listed_with_escaped_names() {
    let mut h = seeded().await;
    let dentist = h.todo("Book dentist appointment").await.unwrap().id;
    h.upload("x-ray.pdf", Some(dentist)).await;
    h.upload("<b>*bold*</b>.png", Some(dentist)).await;
    for phrasing in [
        "what files are on my dentist appointment?",
        "show the attachments of book dentist",
        "list the files for the dentist appointment",
    ] {
        let reply = h.say(phrasing).await;
        assert!(
            reply.text.contains("has 2 files"),
            "{phrasing}: {}",
            reply.text
        );
        assert!(reply.text.contains("x\\-ray\\.pdf"), "{}", reply.text);
        assert!(
            reply.text.contains("\\<b\\>\\*bold\\*\\</b\\>\\.png"),
            "{}",
            reply.text
        );
        assert_eq!(reply.tools(), vec!["listTodoFiles"]);
    }
    let none = h.say("what files are on buy milk").await;
    assert!(none.text.contains("has no files"), "{}", none.text);
}

#[tokio::test]
async fn a_file_is_removed_only_after_confirmation() {
    let mut h = seeded().await;
    let dentist = h.todo("Book dentist appointment").await.unwrap().id;
    h.upload("x-ray.pdf", Some(dentist)).await;
    h.upload("referral.pdf", Some(dentist)).await;
    for phrasing in [
        "remove the file x-ray.pdf from my dentist appointment",
        "delete the attachment x-ray from book dentist",
        "detach x-ray.pdf from the dentist todo",
        "delete x-ray.pdf",
    ] {
        let ask = h.say(phrasing).await;
        assert!(ask.confirm_id().is_some(), "{phrasing}: {}", ask.text);
        assert_eq!(
            h.file_names(dentist).await.len(),
            2,
            "removed before confirmation"
        );
        let cancelled = h.answer(&ask, false).await;
        assert!(
            cancelled.text.contains("nothing was deleted"),
            "{}",
            cancelled.text
        );
    }
    let ask = h
        .say("remove the file x-ray.pdf from my dentist appointment")
        .await;
    let done = h.answer(&ask, true).await;
    assert!(
        done.text.contains("Removed the file “x\\-ray\\.pdf”"),
        "{}",
        done.text
    );
    assert_eq!(h.file_names(dentist).await, vec!["referral.pdf"]);
    let which = h
        .say("delete the file kangaroo.pdf from book dentist")
        .await;
    assert!(which.confirm_id().is_none());
    assert!(which.text.contains("no file called"), "{}", which.text);
}

#[tokio::test]
async fn deleting_a_todo_by_talking_is_undoable_with_its_files() {
    let mut h = seeded().await;
    let dentist = h.todo("Book dentist appointment").await.unwrap().id;
    h.upload("x-ray.pdf", Some(dentist)).await;
    let ask = h.say("delete the dentist appointment").await;
    let done = h.answer(&ask, true).await;
    assert!(h.todo("Book dentist appointment").await.is_none());
    // The card carries the id its Undo restores.
    let undoable = done.events.iter().find_map(|e| match e {
        ChatEvent::Tool {
            status: ToolStatus::Succeeded,
            deleted_todo_id,
            ..
        } => deleted_todo_id.clone(),
        _ => None,
    });
    assert_eq!(undoable, Some(dentist.to_string()));
    // While the todo is deleted its files are out of reach, by name too.
    let which = h.say("delete x-ray.pdf").await;
    assert!(which.confirm_id().is_none(), "{}", which.text);
    assert!(which.text.contains("no file called"), "{}", which.text);
    let restored = h.files.restore_todo(&h.user, dentist).await.unwrap();
    assert_eq!(restored.title.as_str(), "Book dentist appointment");
    assert_eq!(h.file_names(dentist).await, vec!["x-ray.pdf"]);
}

#[tokio::test]
async fn one_of_several_dropped_files_is_attached_by_its_name() {
    let mut h = seeded().await;
    let xray = h.upload("x-ray.pdf", None).await;
    let referral = h.upload("Referral.pdf", None).await;
    h.attachments = vec![xray, referral];
    let asked = h.say("two files for you").await;
    assert!(
        asked.text.contains("“x\\-ray\\.pdf”, “Referral\\.pdf”"),
        "{}",
        asked.text
    );
    let unknown = h.say("attach nothing.pdf to buy milk").await;
    assert!(unknown.text.contains("No file called"), "{}", unknown.text);
    let reply = h.say("attach referral.pdf to buy milk").await;
    let milk = h.todo("Buy milk").await.unwrap().id;
    assert_eq!(
        h.file_names(milk).await,
        vec!["Referral.pdf"],
        "{}",
        reply.text
    );
    // "it" is now the one left.
    h.say("attach it to the dentist appointment").await;
    let dentist = h.todo("Book dentist appointment").await.unwrap().id;
    assert_eq!(h.file_names(dentist).await, vec!["x-ray.pdf"]);
}
