//! Authentication of API requests: one verifier for ID tokens from the local identity
//! provider and from Cognito (same claims, same JWKS protocol). The extractor that turns a
//! verified token into the request's user is `http::AuthUser`.

mod verifier;

pub use verifier::{AuthError, Identity, TokenVerifier, VerifierConfig, keys_from_jwks};
