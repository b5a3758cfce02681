//! Todo operations shared by the HTTP API and the assistant's tools: wire input parsed into
//! domain values first, then written through the `Store`. (Deleting a todo takes its files
//! with it, so the one way to delete is `files::Files::delete_todo`.) Lists (`lists`) too.

pub mod list_bodies;
pub mod lists;
pub mod service;
