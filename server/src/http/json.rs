//! Extractors whose rejections are our JSON errors (axum's defaults answer plain text, and
//! 422 where we promise 400).

use axum::{
    Json,
    extract::{
        FromRequest, FromRequestParts, Path, Query, Request,
        path::ErrorKind,
        rejection::{JsonRejection, PathRejection},
    },
    http::{StatusCode, request::Parts},
};
use serde::de::DeserializeOwned;

use crate::{error::AppError, http::BODY_LIMIT_BYTES};

/// `Json<T>` with clear 4xx errors: 415 without a JSON content type, 413 when too large,
/// 400 for syntax errors, wrong types and unknown fields.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(json_error(rejection)),
        }
    }
}

fn json_error(rejection: JsonRejection) -> AppError {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => AppError::UnsupportedMediaType(
            "Send a JSON body with Content-Type: application/json.".into(),
        ),
        JsonRejection::JsonDataError(e) => AppError::Invalid(e.body_text()),
        JsonRejection::JsonSyntaxError(e) => AppError::Invalid(e.body_text()),
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            AppError::PayloadTooLarge(format!(
                "The request body is larger than {} KiB.",
                BODY_LIMIT_BYTES / 1024
            ))
        }
        other => AppError::Invalid(other.body_text()),
    }
}

/// `Query<T>` answering 400 with our error body.
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(value)| Self(value))
            .map_err(|e| AppError::Invalid(e.body_text()))
    }
}

/// `Path<T>` answering 400 with our error body: an id that is not UTF-8 once decoded
/// (`/api/todos/%FF`) is a bad id like any other.
pub struct ApiPath<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(value)| Self(value))
            .map_err(path_error)
    }
}

fn path_error(rejection: PathRejection) -> AppError {
    match rejection {
        PathRejection::FailedToDeserializePathParams(e) => match e.kind() {
            ErrorKind::InvalidUtf8InPathParam { key } => {
                AppError::Invalid(format!("The {key} in the path is not UTF-8 text."))
            }
            _ => AppError::Invalid(e.body_text()),
        },
        // A route without the parameters its handler takes: our mistake, not the client's.
        other => AppError::internal(std::io::Error::other(other.body_text())),
    }
}

/// `?next=&limit=` of a paged list (the conversations, the activity log): `next` is the
/// cursor the previous page gave out, `limit` 1 to 100.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageParams {
    pub next: Option<String>,
    pub limit: Option<usize>,
}

impl PageParams {
    /// The page size asked for, or `default`; a 400 outside 1 to 100.
    pub fn limit_or(&self, default: usize) -> Result<usize, AppError> {
        let limit = self.limit.unwrap_or(default);
        if !(1..=100).contains(&limit) {
            return Err(AppError::Invalid("`limit` must be from 1 to 100.".into()));
        }
        Ok(limit)
    }
}
