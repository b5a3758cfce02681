//! Tasko's shared crate.
//!
//! - [`wire`]: the JSON types exchanged by browser, server and outside clients (always built).
//! - [`words`]: what plain text means (due dates, quick add), shared by the browser's quick
//!   add and the server's assistant (always built).
//! - [`chat_fold`]: how a reply is built from its streamed events (tool cards, text,
//!   confirmation), shared by the server's transcript and the browser's chat (always built).
//! - [`reorder`]: moving an item of an ordered sequence, and the `order` numbers that must
//!   change for it (the sidebar's lists, the checklist's steps; always built).
//! - [`offline_queue`]: the changes made offline, shown on top of the server's list and
//!   replayed in order (versions rebased, lost answers told from conflicts; always built).
//! - the Leptos UI (feature `csr`): one folder per feature under `ui/`, the browser-side
//!   clients for the API and for the Cognito protocol, and the signed-in session.
//!
//! Invariant: nothing here names an AWS type; the UI talks to Cognito through its public
//! JSON protocol only, so the same code works against the local identity provider.

pub mod chat_fold;
pub mod offline_queue;
pub mod reorder;
pub mod todo_views;
pub mod wire;
pub mod words;

#[cfg(any(feature = "markdown", feature = "csr"))]
pub mod markdown;

#[cfg(feature = "csr")]
mod ui;
#[cfg(feature = "csr")]
pub use ui::App;
