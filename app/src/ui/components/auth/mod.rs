//! Signing up and signing in.

mod auth_page;

pub use auth_page::AuthPage;
