//! The one error type of the HTTP API and its mapping to status codes. Internal causes are
//! logged, never sent: the client gets `{error, message}` with a stable code.

use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

use app::wire::ApiError;

use crate::{chat::ChatError, store::StoreError};

pub type Result<T, E = AppError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Missing, malformed or unverifiable credentials.
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    /// Input that fails validation: the message says what is wrong.
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    NotFound(String),
    /// A stale version or a competing write; nothing was changed.
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("Too many requests; try again in {retry_after_seconds} s.")]
    TooManyRequests { retry_after_seconds: u64 },
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn status_code(&self) -> StatusCode {
        match self {
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Invalid(_) => StatusCode::BAD_REQUEST,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::Unauthorized(_) => "unauthorized",
            Self::Invalid(_) => "invalid_request",
            Self::NotFound(_) => "not_found",
            Self::Conflict(_) => "conflict",
            Self::PayloadTooLarge(_) => "payload_too_large",
            Self::UnsupportedMediaType(_) => "unsupported_media_type",
            Self::TooManyRequests { .. } => "rate_limited",
            Self::Internal(_) => "internal",
        }
    }

    fn public_message(&self) -> String {
        match self {
            // The reason a token failed helps attackers more than users; it is logged instead.
            Self::Unauthorized(_) => "Sign in again: the request has no valid token.".into(),
            Self::Internal(_) => "Something went wrong on our side. Please try again.".into(),
            other => other.to_string(),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status_code();
        match &self {
            Self::Internal(cause) => tracing::error!(%cause, "request failed"),
            Self::Unauthorized(cause) => tracing::info!(%cause, "rejected credentials"),
            other => tracing::debug!(error = %other, "client error"),
        }
        let body = ApiError {
            error: self.code().into(),
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
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => Self::NotFound("No todo with that id.".into()),
            StoreError::VersionConflict { current } => Self::Conflict(format!(
                "This todo was changed elsewhere (now at version {current}); reload it and try again."
            )),
            StoreError::AlreadyExists => Self::Conflict("That item already exists.".into()),
            StoreError::Backend(cause) => Self::Internal(cause),
        }
    }
}

impl From<ChatError> for AppError {
    fn from(err: ChatError) -> Self {
        match err {
            ChatError::Invalid(m) => Self::Invalid(m),
            ChatError::TooLong(m) => Self::PayloadTooLarge(m),
            ChatError::RateLimited {
                retry_after_seconds,
            } => Self::TooManyRequests {
                retry_after_seconds,
            },
            ChatError::Busy => Self::Conflict(err.to_string()),
            ChatError::Store(e) => e.into(),
        }
    }
}
