//! Todo operations shared by the HTTP API and the assistant's tools: wire input parsed into
//! domain values first, then written through the `Store`. (Deleting a todo takes its files
//! with it, so the one way to delete is `files::Files::delete_todo`.) `labels` works on a
//! user's labels across their todos; `lists` on their lists; `transfer` is the export and
//! its import, `todoist` the import of a Todoist CSV export.

pub mod labels;
pub mod list_bodies;
pub mod list_tags;
pub mod lists;
pub mod service;
pub mod todoist;
pub mod transfer;
