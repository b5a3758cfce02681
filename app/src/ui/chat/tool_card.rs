//! One tool card in an assistant message: what the assistant did, and for a call that changed
//! a todo, Undo (`POST /api/chat/undo` with the card's `changeId`; cards stored before change
//! records existed fall back to restoring the todo they deleted).

use leptos::prelude::*;

use leptos::task::spawn_local;

use crate::{
    ui::{api, auth::session::Auth, todos::state::TodoState},
    wire::chat::{ToolCard, ToolStatus},
};

#[derive(Clone, PartialEq)]
enum UndoState {
    Ready,
    Working,
    Done,
    Refused(String),
}

#[component]
fn UndoButton(
    change_id: Option<String>,
    deleted_todo_id: Option<String>,
    undone: bool,
) -> impl IntoView {
    let todos = expect_context::<TodoState>();
    let auth = expect_context::<Auth>();
    let state = RwSignal::new(if undone {
        UndoState::Done
    } else {
        UndoState::Ready
    });
    let target = StoredValue::new((change_id, deleted_todo_id));
    let run = move |_| {
        state.set(UndoState::Working);
        let (change_id, deleted) = target.get_value();
        match change_id {
            Some(id) => spawn_local(async move {
                match api::chat_undo(auth, &id).await {
                    Ok(_) => {
                        state.set(UndoState::Done);
                        todos.changed_elsewhere();
                    }
                    Err(e) => state.set(UndoState::Refused(e.to_string())),
                }
            }),
            None => {
                if let Some(id) = deleted {
                    todos.restore(vec![id]);
                }
                state.set(UndoState::Done);
            }
        }
    };
    move || match state.get() {
        UndoState::Ready => view! {
            <button type="button" class="link undo" on:click=run>
                "Undo"
            </button>
        }
        .into_any(),
        UndoState::Working => view! { <span class="undone">"Undoing…"</span> }.into_any(),
        UndoState::Done => view! { <span class="undone">"Undone"</span> }.into_any(),
        UndoState::Refused(why) => view! {
            <span class="undo-refused" role="alert">
                {why}
            </span>
        }
        .into_any(),
    }
}

fn tool_label(name: &str) -> &'static str {
    match name {
        "getTodos" => "Looking up todos",
        "getTodo" => "Reading a todo",
        "addTodo" => "Adding a todo",
        "updateTodo" => "Updating a todo",
        "addTodoNotes" => "Adding notes",
        "completeTodo" => "Completing a todo",
        "reopenTodo" => "Reopening a todo",
        "deleteTodo" => "Deleting a todo",
        "listTodoFiles" => "Listing files",
        "addTodoFile" => "Attaching a file",
        "deleteTodoFile" => "Removing a file",
        "undo" => "Undoing a change",
        _ => "Working",
    }
}

#[component]
pub fn ToolCardView(card: ToolCard) -> impl IntoView {
    let status = match card.status {
        ToolStatus::Started => "started",
        ToolStatus::Succeeded => "succeeded",
        ToolStatus::Failed => "failed",
    };
    let text = if card.summary.is_empty() {
        format!("{}…", tool_label(&card.name))
    } else {
        card.summary.clone()
    };
    let undoable = card.status == ToolStatus::Succeeded
        && (card.change_id.is_some() || card.deleted_todo_id.is_some());
    let undo = undoable.then(|| {
        view! {
            <UndoButton
                change_id=card.change_id.clone()
                deleted_todo_id=card.deleted_todo_id.clone()
                undone=card.undone
            />
        }
    });
    view! {
        <li class=format!("tool {status}")>
            <span>{text}</span>
            {undo}
        </li>
    }
}
