//! Todos: the domain values (parsed once at the edge, then trusted) and the operations the
//! HTTP API (and, later, the assistant's tools) perform on them.

pub mod domain;
pub mod service;

pub use domain::{Todo, TodoId, UserId};
