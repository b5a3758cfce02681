//! `GET /api/export` and `POST /api/import`: the user's data in and out (the work is in
//! `todos::transfer`). The import takes a bigger body than the rest of the API
//! ([`IMPORT_BODY_LIMIT`]), and only JSON.

use axum::{
    Json, Router,
    body::Bytes,
    extract::{DefaultBodyLimit, State},
    http::{HeaderMap, HeaderValue, header},
    response::IntoResponse,
    routing::{get, post},
};

use super::AuthUser;
use crate::{
    error::{AppError, Result},
    state::AppState,
    todos::transfer::{self, ImportDocument, ImportError, Imported},
};

/// An import's body: 2 MiB (thousands of todos).
pub const IMPORT_BODY_LIMIT: usize = 2 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new().route("/export", get(export)).route(
        "/import",
        post(import).layer(DefaultBodyLimit::max(IMPORT_BODY_LIMIT)),
    )
}

impl From<ImportError> for AppError {
    fn from(err: ImportError) -> Self {
        match err {
            invalid @ ImportError::Invalid(_) => Self::Invalid(invalid.to_string()),
            ImportError::Quota(sentence) => Self::QuotaExceeded(sentence),
            ImportError::TooMany(sentence) => Self::PayloadTooLarge(sentence),
            ImportError::Store(e) => e.into(),
        }
    }
}

/// The document, as a download named by the day (UTC).
async fn export(user: AuthUser, State(state): State<AppState>) -> Result<impl IntoResponse> {
    let at = state.files.now();
    let doc = transfer::export(state.store.as_ref(), &user.id, at).await?;
    let day = at.strftime("%Y-%m-%d");
    let disposition = format!("attachment; filename=\"tasko-export-{day}.json\"");
    let disposition = HeaderValue::from_str(&disposition).map_err(AppError::internal)?;
    Ok(([(header::CONTENT_DISPOSITION, disposition)], Json(doc)))
}

/// `POST /api/import`: an export document (`application/json`).
async fn import(
    user: AuthUser,
    State(state): State<AppState>,
    headers: HeaderMap,
    body: std::result::Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Json<Imported>> {
    let kind = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let kind = kind
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if kind != "application/json" {
        return Err(AppError::UnsupportedMediaType(
            "Send an export document with Content-Type: application/json.".into(),
        ));
    }
    let body = body.map_err(|_| {
        AppError::PayloadTooLarge(format!(
            "The import is larger than {} MiB.",
            IMPORT_BODY_LIMIT / (1024 * 1024)
        ))
    })?;
    let doc: ImportDocument = serde_json::from_slice(&body).map_err(|e| {
        AppError::Invalid(format!(
            "The document is not an export document (line {}, column {}): {e}",
            e.line(),
            e.column()
        ))
    })?;
    let quotas = state.files.quotas();
    let imported = transfer::import(
        state.store.as_ref(),
        &user.id,
        doc,
        &quotas,
        state.files.now(),
    )
    .await?;
    Ok(Json(imported))
}
