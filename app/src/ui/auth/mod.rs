//! Signing up, signing in and staying signed in: the user-pool protocol client
//! ([`cognito`]), the session ([`session`]: storage, refresh before expiry, expiry) and the
//! sign-in page.

mod auth_page;
pub mod cognito;
pub mod session;

pub use auth_page::AuthPage;
