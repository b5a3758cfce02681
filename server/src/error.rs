//! The one error type of the HTTP API and its mapping to status codes. The code, the public
//! sentence and retryability come from `domain::ErrorKind`, shared with the chat's error
//! events and the action group. Internal causes are logged with their source chain, never
//! sent: the client gets `{error, message}` with a stable code.

use app::wire::{ApiError, chat::ChatEvent};
use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

use crate::{
    domain::{Cause, ErrorKind, InvalidInput},
    store::StoreError,
};

pub type Result<T, E = AppError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Missing, malformed or unverifiable credentials; the reason is logged only.
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    /// An OAuth access token that is unknown, expired, revoked or for another resource:
    /// a 401 whose challenge says `error="invalid_token"` (RFC 6750 §3.1), so an MCP client
    /// refreshes or signs in again. The reason is logged only.
    #[error("invalid token: {0}")]
    InvalidToken(String),
    /// Input that fails validation: the message says what is wrong.
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    NotFound(String),
    /// A stale version or a competing write; nothing was changed.
    #[error("{0}")]
    Conflict(String),
    /// It existed but its time ran out (a plan answered late): the message says what to
    /// do instead.
    #[error("{0}")]
    Expired(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("Too many requests; try again in {retry_after_seconds} s.")]
    TooManyRequests { retry_after_seconds: u64 },
    /// The request may not be served (it did not come through the edge).
    #[error("{0}")]
    Forbidden(String),
    /// The account holds as much as it may; the message says what.
    #[error("{0}")]
    QuotaExceeded(String),
    /// Used up or expired for good: asking again will not help.
    #[error("{0}")]
    Gone(String),
    #[error("internal error")]
    Internal(#[source] Cause),
}

impl AppError {
    pub fn internal(cause: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Internal(Cause::new(cause))
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Unauthorized(_) | Self::InvalidToken(_) => ErrorKind::Unauthorized,
            Self::Invalid(_) => ErrorKind::Invalid,
            Self::NotFound(_) => ErrorKind::NotFound,
            Self::Conflict(_) => ErrorKind::Conflict,
            Self::Expired(_) => ErrorKind::Expired,
            Self::PayloadTooLarge(_) => ErrorKind::PayloadTooLarge,
            Self::UnsupportedMediaType(_) => ErrorKind::UnsupportedMediaType,
            Self::TooManyRequests { .. } => ErrorKind::RateLimited,
            Self::QuotaExceeded(_) => ErrorKind::QuotaExceeded,
            Self::Forbidden(_) => ErrorKind::Forbidden,
            Self::Gone(_) => ErrorKind::Gone,
            Self::Internal(_) => ErrorKind::Internal,
        }
    }

    pub fn status_code(&self) -> StatusCode {
        match self.kind() {
            ErrorKind::Unauthorized => StatusCode::UNAUTHORIZED,
            ErrorKind::Invalid => StatusCode::BAD_REQUEST,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::Conflict => StatusCode::CONFLICT,
            ErrorKind::Expired => StatusCode::GONE,
            ErrorKind::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorKind::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorKind::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            ErrorKind::QuotaExceeded | ErrorKind::Forbidden => StatusCode::FORBIDDEN,
            ErrorKind::Gone => StatusCode::GONE,
            ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            // The assistant's kinds reach clients as chat `error` events, never as an
            // `AppError`; named here so that a new kind needs a decision.
            ErrorKind::AssistantDenied
            | ErrorKind::ModelAuth
            | ErrorKind::ModelNotFound
            | ErrorKind::UpstreamBusy
            | ErrorKind::UpstreamFailed
            | ErrorKind::UpstreamUnreachable
            | ErrorKind::ModelUnreachable
            | ErrorKind::UpstreamCut
            | ErrorKind::TooManyRounds
            | ErrorKind::NotSaved => StatusCode::BAD_GATEWAY,
        }
    }

    pub fn public_message(&self) -> String {
        match self.kind().fixed_message() {
            Some(fixed) => fixed.to_owned(),
            None => self.to_string(),
        }
    }

    /// Logs what the client will not see: internal causes (with their chain) as errors,
    /// rejected credentials with their reason.
    pub fn log(&self) {
        match self {
            Self::Internal(cause) => tracing::error!(%cause, "request failed"),
            Self::Unauthorized(cause) | Self::InvalidToken(cause) => {
                tracing::info!(%cause, "rejected credentials")
            }
            other => tracing::debug!(error = %other, "client error"),
        }
    }

    /// The chat's `error` event for this error (SSE and WebSocket alike).
    pub fn to_chat_event(&self) -> ChatEvent {
        self.log();
        ChatEvent::Error {
            code: self.kind().code().into(),
            message: self.public_message(),
            retryable: self.kind().retryable(),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        let invalid_token = matches!(self, Self::InvalidToken(_));
        let status = self.status_code();
        let body = ApiError {
            error: self.kind().code().into(),
            message: self.public_message(),
        };
        let mut response = (status, Json(body)).into_response();
        if let Self::TooManyRequests {
            retry_after_seconds,
        } = self
        {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_seconds));
        }
        if status == StatusCode::UNAUTHORIZED {
            let challenge = if invalid_token {
                "Bearer error=\"invalid_token\""
            } else {
                "Bearer"
            };
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(challenge),
            );
        }
        response
    }
}

impl From<InvalidInput> for AppError {
    fn from(err: InvalidInput) -> Self {
        Self::Invalid(err.0)
    }
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => Self::NotFound("No todo with that id.".into()),
            StoreError::VersionConflict { current } => Self::Conflict(format!(
                "This todo was changed elsewhere (now at version {current}); {}",
                "reload it and try again."
            )),
            StoreError::AlreadyExists => Self::Conflict("That item already exists.".into()),
            StoreError::Changed => Self::Conflict(
                "This item was changed at the same time; reload it and try again.".into(),
            ),
            StoreError::LimitReached => Self::QuotaExceeded(
                "That would pass what one account can hold; delete some first.".into(),
            ),
            StoreError::NameTaken => {
                Self::Conflict("You already have a list with that name.".into())
            }
            backend @ StoreError::Backend(_) => Self::internal(backend),
        }
    }
}
