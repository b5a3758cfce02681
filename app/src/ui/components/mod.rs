//! UI components, one per file, grouped by feature.

pub mod auth;
pub mod chat;
pub mod files;
pub mod todos;
