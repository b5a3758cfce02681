//! `ErrorKind`: what a client is told about a failure, decided in one place for every
//! surface (the JSON API, the chat's `error` events, the action group's answers): a stable
//! code, whether retrying may help, and the fixed sentence for kinds whose details are
//! never shown (credentials, internal causes).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    Unauthorized,
    Invalid,
    NotFound,
    Conflict,
    PayloadTooLarge,
    UnsupportedMediaType,
    RateLimited,
    /// The account holds as much as it may (todos, files, bytes).
    QuotaExceeded,
    /// Not served this way (a request that bypassed the edge).
    Forbidden,
    Internal,
}

impl ErrorKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Unauthorized => "unauthorized",
            Self::Invalid => "invalid_request",
            Self::NotFound => "not_found",
            Self::Conflict => "conflict",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::RateLimited => "rate_limited",
            Self::QuotaExceeded => "quota_exceeded",
            Self::Forbidden => "forbidden",
            Self::Internal => "internal",
        }
    }

    /// Waiting and trying again may succeed (a limit, a competing turn, our own failure).
    pub fn retryable(self) -> bool {
        matches!(self, Self::RateLimited | Self::Conflict | Self::Internal)
    }

    /// The sentence shown instead of the error's own text, where that text must stay
    /// private: why a token failed helps attackers more than users, and internal causes are
    /// for the logs.
    pub fn fixed_message(self) -> Option<&'static str> {
        match self {
            Self::Unauthorized => Some("Sign in again: the request has no valid token."),
            Self::Internal => Some(INTERNAL_MESSAGE),
            _ => None,
        }
    }
}

/// What every surface says about an internal failure.
pub const INTERNAL_MESSAGE: &str = "Something went wrong on our side. Please try again.";
