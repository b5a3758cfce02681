//! Files attached to todos: where the bytes live ([`blob`]: a local folder, or [`s3`]), and
//! the operations the HTTP API and the assistant's tools share ([`service`]). The record and
//! the values checked before an upload are in `domain::file` and `domain::file_values`.

pub mod blob;
pub mod s3;
pub mod service;
pub mod trash;

pub use service::{FileError, Files};
