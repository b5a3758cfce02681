//! Tasko's server: an axum service.
//!
//! Layout:
//! - [`config`]: settings from environment variables.
//! - [`startup`]: `Application::build` wires stores, identity and router; binds the listener.
//! - [`http`]: routes (`/api/*`, `/config.json`, static frontend) and cross-cutting layers.
//! - [`auth`]: ID-token verification (JWKS cache) and the `AuthUser` extractor.
//! - [`idp`]: the local, Cognito-compatible identity provider (embedded default).
//! - [`todos`]: domain values and operations; [`store`]: the `Store` trait and its
//!   implementations.
//! - [`chat`]: chat sessions and turns; [`agent`]: the `Agent` trait and the LocalAgent;
//!   [`tools`]: the action group (the tool schema and its execution); [`action_group`]: the
//!   Bedrock action-group contract over the same tools.
//! - [`error`]: the one API error type and its status codes.

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
