//! The todo list: its state and mutations ([`state`]), the page and its parts.

mod add_box;
mod checklist;
mod due_badge;
mod list_controls;
mod live_sync;
mod shortcuts;
pub mod state;
mod sync_status;
mod todo_detail;
mod todo_footer;
mod todo_item;
mod todo_meta;
mod todo_page;
mod undo_toast;

pub use todo_page::TodoPage;
