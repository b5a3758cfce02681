//! Authentication of API requests: one verifier for ID tokens from the local identity
//! provider and from Cognito (same claims, same JWKS protocol), and the extractor that turns a
//! verified token into the request's user.

mod extractor;
mod verifier;

pub use extractor::AuthUser;
pub use verifier::{AuthError, Identity, TokenVerifier, VerifierConfig};
