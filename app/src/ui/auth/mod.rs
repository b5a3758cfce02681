//! Signing up, signing in and staying signed in: the user-pool protocol client
//! ([`cognito`]), the session ([`session`]: storage, refresh before expiry, expiry) and the
//! sign-in page ([`AuthPage`]: one form per screen, built from [`parts`] around a shared
//! [`flow`]).

mod auth_page;
pub mod cognito;
mod confirm;
mod flow;
mod parts;
mod reset;
pub mod session;
mod sign_in;
mod sign_up;

pub use auth_page::AuthPage;
