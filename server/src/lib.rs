//! Tasko's server: an axum service, in layers whose arrows point down (a tidy test in
//! `tests/api/tidy.rs` checks):
//!
//! - [`domain`] (bottom; imports nothing from the crate): ids, values, the records stored,
//!   time, error kinds.
//! - [`store`]: the `Store` trait and its implementations (embedded redb, DynamoDB).
//! - services: [`todos`] (operations), [`files`] (uploads, blobs, the cascade delete),
//!   [`tickets`] (single-use tickets), [`tools`] (the tool schema, typed calls, execution),
//!   [`action_group`] (the Bedrock action-group contract), [`agent`] (the `Agent` trait, the
//!   LocalAgent, Bedrock), [`chat`] (sessions and turns), [`auth`] (ID-token verification),
//!   [`idp`] (the local, Cognito-compatible identity provider), [`oauth`] (the OAuth 2.1
//!   authorization server for MCP clients), [`config`] (settings), [`reminders`] (due
//!   reminders swept, claimed once, sent; the bell; the push actions), [`push`] (Web Push:
//!   the VAPID key, browser subscriptions, delivery).
//! - http: [`http`] (routes, the `AuthUser` extractor, cross-cutting layers), [`error`] (the
//!   API error and its status codes), [`state`] (what handlers share).
//! - [`startup`] (top): `Application::build` wires it all and binds the listener.

pub mod action_group;
pub mod agent;
pub mod auth;
pub mod chat;
pub mod config;
pub mod domain;
pub mod error;
pub mod files;
pub mod http;
pub mod idp;
pub mod oauth;
pub mod push;
pub mod reminders;
pub mod serve;
pub mod startup;
pub mod state;
pub mod store;
pub mod tickets;
pub mod todos;
pub mod tools;

/// Installs the log subscriber; `filter` is a `tracing_subscriber` directive such as `info`.
pub fn init_tracing(filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();
}
