//! Authentication of API requests: one verifier for ID tokens from the local identity
//! provider and from Cognito (same claims, same JWKS protocol). The extractor that turns a
//! verified token into the request's user is `http::AuthUser`. Personal access tokens
//! (`access_tokens`) are the other way in: looked up in the Store by digest.

pub mod access_tokens;
mod verifier;

pub use verifier::{AuthError, Identity, TokenVerifier, VerifierConfig, keys_from_jwks};
