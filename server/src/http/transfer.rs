//! `GET /api/export` and `POST /api/import`: the user's data in and out (the work is in
//! `todos::transfer` and `todos::todoist`). The import takes a bigger body than the rest of
//! the API ([`IMPORT_BODY_LIMIT`]): an export document (`application/json`) or a Todoist
//! CSV export (`text/csv`, the file's bytes as the body, into a new list named by `?list=`).

use axum::{
    Json, Router,
    body::Bytes,
    extract::{DefaultBodyLimit, Query, State},
    http::{HeaderMap, HeaderValue, header},
    response::IntoResponse,
    routing::{get, post},
};

use super::{AuthUser, activity::note};
use crate::{
    error::{AppError, Result},
    state::AppState,
    todos::{
        todoist,
        transfer::{self, ImportDocument, ImportError, Imported},
    },
    tools::changes::Change,
};

/// `POST /api/import?list=<name>`: the new list of a CSV import.
#[derive(Debug, serde::Deserialize)]
struct ImportQuery {
    list: Option<String>,
}

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

/// `POST /api/import`: an export document (`application/json`) or a Todoist CSV export
/// (`text/csv`; `application/csv` too).
async fn import(
    user: AuthUser,
    State(state): State<AppState>,
    query: std::result::Result<Query<ImportQuery>, axum::extract::rejection::QueryRejection>,
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
    let csv = match kind.as_str() {
        "application/json" => false,
        "text/csv" | "application/csv" => true,
        _ => {
            return Err(AppError::UnsupportedMediaType(
                "Send an export document with Content-Type: application/json, or a Todoist \
                 CSV export with Content-Type: text/csv."
                    .into(),
            ));
        }
    };
    let Query(query) =
        query.map_err(|e| AppError::Invalid(format!("The query is invalid: {e}")))?;
    let body = body.map_err(|_| {
        AppError::PayloadTooLarge(format!(
            "The import is larger than {} MiB.",
            IMPORT_BODY_LIMIT / (1024 * 1024)
        ))
    })?;
    let quotas = state.files.quotas();
    let (store, at) = (state.store.as_ref(), state.files.now());
    if csv {
        let imported =
            todoist::import_csv(store, &user.id, &body, query.list.as_deref(), &quotas, at).await?;
        note_import(&state, &user, &imported).await;
        return Ok(Json(imported));
    }
    let doc: ImportDocument = serde_json::from_slice(&body).map_err(|e| {
        AppError::Invalid(format!(
            "The document is not an export document (line {}, column {}): {e}",
            e.line(),
            e.column()
        ))
    })?;
    let imported = transfer::import(store, &user.id, doc, &quotas, at).await?;
    note_import(&state, &user, &imported).await;
    Ok(Json(imported))
}

async fn note_import(state: &AppState, user: &AuthUser, imported: &Imported) {
    note(state, user, || Change::Imported {
        todos: imported.todos,
        lists: imported.lists,
    })
    .await;
}
