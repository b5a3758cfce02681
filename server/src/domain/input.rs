//! The error every parser of untrusted input returns.

/// Parse failures carry the sentence the client will read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidInput(pub String);

/// At most `max` characters of `raw`, for quoting untrusted input back in a message.
pub fn excerpt(raw: &str, max: usize) -> String {
    raw.chars().take(max).collect()
}
