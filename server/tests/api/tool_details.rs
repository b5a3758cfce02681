//! The tools reach a todo's details: `setTodoDetails` (priority, labels, time, repeat rule),
//! `addTodo`'s quick-add `details`, and `getTodos`' search marks, through the action group
//! (AWS's documented event shape) and checked against what the REST API then reads.

use reqwest::Method;
use serde_json::{Value, json};

use crate::action_group::{app, body, event, invoke};

fn param(name: &str, value: &str) -> Value {
    json!({"name": name, "type": "string", "value": value})
}

fn state(response: &Value) -> &Value {
    &response["response"]["functionResponse"]["responseState"]
}

#[tokio::test]
async fn set_todo_details_sets_and_clears_each_detail_through_the_patch() {
    let app = app().await;
    let token = app.token_for("details@example.com").await;
    let attrs = json!({"taskoUserId": app.sub_of(&token).await, "taskoToday": "2026-11-25"});
    let added: Value = app
        .api(
            Method::POST,
            "/api/todos",
            &token,
            Some(json!({"title": "Call the bank", "dateDue": "2026-11-30"})),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = added["id"].as_str().unwrap().to_owned();
    let read = || async {
        app.api(Method::GET, &format!("/api/todos/{id}"), &token, None)
            .await
            .json::<Value>()
            .await
            .unwrap()
    };

    let all = json!([
        param("todoId", &id),
        param("priority", "1"),
        param("labels", "errands, phone"),
        param("dueTime", "09:30"),
        param("repeat", "every monday"),
    ]);
    let set = invoke(&app, &event("setTodoDetails", all, attrs.clone())).await;
    assert!(state(&set).is_null(), "{set}");
    assert!(
        body(&set).contains("due 2026-11-30 at 09:30, open, priority 1, @errands @phone, repeats"),
        "{}",
        body(&set)
    );
    let now = read().await;
    assert_eq!(now["priority"], 1);
    assert_eq!(now["labels"], json!(["errands", "phone"]));
    assert_eq!(now["dueTime"], "09:30");
    assert!(
        now["repeat"]["rrule"]
            .as_str()
            .unwrap()
            .contains("FREQ=WEEKLY"),
        "{now}"
    );

    // One label added and one removed, the others kept.
    let adjust = json!([param("todoId", &id), param("labels", "+home -phone")]);
    invoke(&app, &event("setTodoDetails", adjust, attrs.clone())).await;
    assert_eq!(read().await["labels"], json!(["errands", "home"]));

    // Stop repeating and clear the time; the rest stays.
    let clear = json!([
        param("todoId", &id),
        param("repeat", "none"),
        param("dueTime", "none")
    ]);
    invoke(&app, &event("setTodoDetails", clear, attrs.clone())).await;
    let now = read().await;
    assert!(now["repeat"].is_null() && now["dueTime"].is_null(), "{now}");
    assert_eq!(now["priority"], 1);

    // Bad input is refused with a sentence and changes nothing.
    let version = now["version"].clone();
    for (name, value, says) in [
        ("priority", "7", "priority must be 1, 2, 3 or 4"),
        (
            "repeat",
            "every blue moon",
            "repeat: 'every blue moon' is not a rule",
        ),
        ("dueTime", "25:99", "dueTime"),
        ("labels", "+ok, plain", "labels: either"),
    ] {
        let bad = json!([param("todoId", &id), param(name, value)]);
        let refused = invoke(&app, &event("setTodoDetails", bad, attrs.clone())).await;
        assert_eq!(state(&refused), "REPROMPT", "{name}");
        assert!(body(&refused).contains(says), "{name}: {}", body(&refused));
    }
    assert_eq!(read().await["version"], version);
}

#[tokio::test]
async fn add_todo_reads_quick_add_details_and_get_todos_reads_search_marks() {
    let app = app().await;
    let token = app.token_for("details-add@example.com").await;
    let attrs = json!({"taskoUserId": app.sub_of(&token).await, "taskoToday": "2026-11-25"});
    invoke(
        &app,
        &event("createList", json!([param("name", "Home")]), attrs.clone()),
    )
    .await;
    let add = json!([
        param("title", "Pay rent"),
        param("details", "p1 @bills every 1st at 9am #home"),
    ]);
    let added = invoke(&app, &event("addTodo", add, attrs.clone())).await;
    assert!(state(&added).is_null(), "{added}");
    let todos: Vec<Value> = app
        .api(Method::GET, "/api/todos", &token, None)
        .await
        .json()
        .await
        .unwrap();
    let lists: Vec<Value> = app
        .api(Method::GET, "/api/lists", &token, None)
        .await
        .json()
        .await
        .unwrap();
    let home = lists.iter().find(|l| l["name"] == "Home").unwrap();
    let rent = &todos[0];
    assert_eq!(rent["title"], "Pay rent");
    assert_eq!(rent["priority"], 1);
    assert_eq!(rent["labels"], json!(["bills"]));
    assert_eq!(rent["dueTime"], "09:00");
    assert_eq!(rent["listId"], home["id"]);
    // The rule's first date from today.
    assert!(rent["dateDue"].as_str().unwrap().ends_with("-01"), "{rent}");
    assert!(
        rent["repeat"]["rrule"]
            .as_str()
            .unwrap()
            .contains("FREQ=MONTHLY")
    );

    // Words that are not marks are refused: nothing is added.
    let bad = json!([
        param("title", "Milk"),
        param("details", "p2 organic please")
    ]);
    let refused = invoke(&app, &event("addTodo", bad, attrs.clone())).await;
    assert_eq!(state(&refused), "REPROMPT");
    assert!(
        body(&refused).contains("“organic please” is not a mark"),
        "{}",
        body(&refused)
    );

    let other = json!([param("title", "Buy stamps")]);
    invoke(&app, &event("addTodo", other, attrs.clone())).await;
    let search = |text: &str| {
        let attrs = attrs.clone();
        let app = &app;
        let text = text.to_owned();
        async move {
            let found = invoke(
                app,
                &event("getTodos", json!([param("text", &text)]), attrs),
            )
            .await;
            body(&found).to_owned()
        }
    };
    for marks in ["@bills", "p1", "#home", "rent p1 @bills #Home"] {
        let found = search(marks).await;
        assert!(
            found.starts_with("1 todo(s)") && found.contains("Pay rent"),
            "{marks}: {found}"
        );
    }
    assert!(search("p2").await.starts_with("0 todo(s)"));
    assert!(search("@phone").await.starts_with("0 todo(s)"));
}
