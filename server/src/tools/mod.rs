//! The action group: the app's operations as tools for an agent. [`schema`] defines them
//! once (names, parameters, descriptions); [`execute`] runs a call for the signed-in user.
//! Identity is never a parameter: the caller passes the verified user, and parameters that
//! name a user are ignored.

mod execute;
pub mod schema;

pub use execute::{ToolCall, ToolFailure, ToolOutcome, describe_file, execute};
