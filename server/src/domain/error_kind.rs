//! `ErrorKind`: what a client is told about a failure, decided in one place for every
//! surface (the JSON API, the chat's `error` events, the action group's answers): a stable
//! code, whether retrying may help, and the fixed sentence for kinds whose details are
//! never shown (credentials, internal causes). No other module writes a code: a new kind of
//! failure is a new variant here (`tests/api/tidy.rs` checks).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    Unauthorized,
    Invalid,
    NotFound,
    Conflict,
    /// It existed, but its time ran out (a plan answered after its deadline).
    Expired,
    PayloadTooLarge,
    UnsupportedMediaType,
    RateLimited,
    /// The account holds as much as it may (todos, files, bytes).
    QuotaExceeded,
    /// Not served this way (a request that bypassed the edge).
    Forbidden,
    /// Used up or expired for good (a notification's action token).
    Gone,
    Internal,
    // The assistant's own failures (the chat's `error` events), most from its upstream: the
    // Bedrock agent or the model server behind `AGENT=openai`.
    /// The assistant is not allowed to run (Bedrock refused our role).
    AssistantDenied,
    /// The model server refused our credentials (`OPENAI_API_KEY`).
    ModelAuth,
    /// The model server does not have the configured model.
    ModelNotFound,
    /// The upstream is busy (throttled, a quota of its own).
    UpstreamBusy,
    /// The upstream failed while answering.
    UpstreamFailed,
    /// The Bedrock agent could not be reached.
    UpstreamUnreachable,
    /// The model server could not be reached.
    ModelUnreachable,
    /// The model's streamed answer was cut off.
    UpstreamCut,
    /// The assistant took more steps (tool rounds) than a turn may.
    TooManyRounds,
    /// The reply was written but could not be saved.
    NotSaved,
}

impl ErrorKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Unauthorized => "unauthorized",
            Self::Invalid => "invalid_request",
            Self::NotFound => "not_found",
            Self::Conflict => "conflict",
            Self::Expired => "expired",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::RateLimited => "rate_limited",
            Self::QuotaExceeded => "quota_exceeded",
            Self::Forbidden => "forbidden",
            Self::Gone => "action_expired",
            Self::Internal => "internal",
            Self::AssistantDenied => "access_denied",
            Self::ModelAuth => "model_auth",
            Self::ModelNotFound => "model_not_found",
            Self::UpstreamBusy => "throttled",
            Self::UpstreamFailed => "upstream_error",
            Self::UpstreamUnreachable => "upstream_unavailable",
            Self::ModelUnreachable => "model_unavailable",
            Self::UpstreamCut => "upstream_cut",
            Self::TooManyRounds => "too_many_rounds",
            Self::NotSaved => "not_saved",
        }
    }

    /// Waiting and trying again may succeed (a limit, a competing turn, our own failure).
    pub fn retryable(self) -> bool {
        matches!(
            self,
            Self::RateLimited
                | Self::Conflict
                | Self::Internal
                | Self::UpstreamBusy
                | Self::UpstreamFailed
                | Self::UpstreamUnreachable
                | Self::ModelUnreachable
                | Self::UpstreamCut
                | Self::NotSaved
        )
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

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: &[ErrorKind] = &[
        ErrorKind::Unauthorized,
        ErrorKind::Invalid,
        ErrorKind::NotFound,
        ErrorKind::Conflict,
        ErrorKind::Expired,
        ErrorKind::PayloadTooLarge,
        ErrorKind::UnsupportedMediaType,
        ErrorKind::RateLimited,
        ErrorKind::QuotaExceeded,
        ErrorKind::Forbidden,
        ErrorKind::Gone,
        ErrorKind::Internal,
        ErrorKind::AssistantDenied,
        ErrorKind::ModelAuth,
        ErrorKind::ModelNotFound,
        ErrorKind::UpstreamBusy,
        ErrorKind::UpstreamFailed,
        ErrorKind::UpstreamUnreachable,
        ErrorKind::ModelUnreachable,
        ErrorKind::UpstreamCut,
        ErrorKind::TooManyRounds,
        ErrorKind::NotSaved,
    ];

    #[test]
    fn every_kind_has_its_own_code() {
        let codes: std::collections::BTreeSet<_> = ALL.iter().map(|k| k.code()).collect();
        assert_eq!(codes.len(), ALL.len());
    }
}
