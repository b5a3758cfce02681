//! The todo list page and its parts.

mod due_badge;
mod todo_detail;
mod todo_footer;
mod todo_item;
mod todo_page;

pub use todo_page::TodoPage;
