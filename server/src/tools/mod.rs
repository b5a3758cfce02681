//! The action group: the app's operations as tools for an agent. [`schema`] defines them
//! once (names, parameters, descriptions); [`call`] parses a named call into a typed one;
//! [`execute`] runs it for the signed-in user (`lists` holds the list tools and
//! resolves a list a model names; `details` sets priority, labels, time and repeat rule and
//! reads `addTodo`'s quick-add marks; [`reminders`] reads `setReminders`' words with the
//! user's zone; `outcome` is what both give back); [`changes`] records what a call changed so it
//! can be undone; [`proposals`] keeps plan cards (many calls proposed at once; `arguments`
//! writes a call back as a model writes one) and [`plans`] applies the chosen ones as one
//! change. Identity is never a parameter: the caller
//! passes the verified user, and parameters that name a user are ignored.

mod arguments;
pub mod call;
pub mod changes;
mod details;
mod execute;
mod lists;
mod outcome;
pub mod plans;
pub mod proposals;
pub mod reminders;
pub mod schema;

pub use call::ToolCall;
pub use execute::{describe_file, execute};
pub use outcome::{ToolFailure, ToolOutcome, ToolScope};
pub use schema::Tool;
