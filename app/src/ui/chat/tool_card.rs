//! One tool card in an assistant message: what the assistant did, and for a todo it
//! deleted, Undo (the same restore as the list's toast, while the server keeps the todo).

use leptos::prelude::*;

use crate::{
    ui::todos::state::TodoState,
    wire::chat::{ToolCard, ToolStatus},
};

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
    let undo = card
        .deleted_todo_id
        .filter(|_| card.status == ToolStatus::Succeeded)
        .map(|id| {
            let todos = expect_context::<TodoState>();
            let used = RwSignal::new(false);
            let id = StoredValue::new(id);
            view! {
                <Show
                    when=move || !used.get()
                    fallback=|| view! { <span class="undone">"Restored"</span> }
                >
                    <button
                        type="button"
                        class="link undo"
                        on:click=move |_| {
                            used.set(true);
                            todos.restore(vec![id.get_value()]);
                        }
                    >
                        "Undo"
                    </button>
                </Show>
            }
        });
    view! {
        <li class=format!("tool {status}")>
            <span>{text}</span>
            {undo}
        </li>
    }
}
