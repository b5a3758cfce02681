//! The file API: declare an upload (`POST /api/files`), send its bytes (to S3 with the
//! presigned request, or `PUT /api/files/{id}/content` locally), complete it, then list,
//! attach, download and delete. Every lookup goes through the caller's own id: another
//! user's file or todo answers 404, exactly like a missing one.

use axum::{
    Json, Router,
    body::Body,
    extract::{DefaultBodyLimit, State},
    http::{HeaderMap, StatusCode, header},
    response::IntoResponse,
    routing::{get, post, put},
};
use futures_util::{StreamExt, TryStreamExt};

use app::wire::file::{AttachFile, DownloadLink, FileInfo, NewUpload, UploadStarted, UploadTarget};

use super::{
    AuthUser,
    activity::note,
    json::{ApiJson, ApiPath},
};
use crate::{
    domain::{FileId, FileRecord, TodoId, file_values::content_disposition},
    error::{AppError, Result},
    files::{
        FileError,
        service::{DownloadSource, UploadDestination, UploadRequest},
    },
    state::AppState,
    tools::changes::Change,
};

/// Routes under /api.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/files", post(begin_upload))
        .route(
            "/files/{id}/content",
            // The body is streamed to storage and limited to the declared size instead.
            put(receive).layer(DefaultBodyLimit::disable()),
        )
        .route("/files/{id}/complete", post(complete))
        .route("/files/{id}", get(show).delete(remove))
        .route("/files/{id}/download", post(download_link))
        .route("/todos/{id}/files", get(list_for_todo).post(attach))
}

/// The single-use download links (no Authorization header: browsers navigate to them).
pub fn download_router() -> Router<AppState> {
    // HEAD is answered without using the ticket up (axum would otherwise run GET for it).
    Router::new().route(
        "/files/download/{ticket}",
        get(download).head(download_head),
    )
}

impl From<FileError> for AppError {
    fn from(err: FileError) -> Self {
        match err {
            FileError::Invalid(m) => Self::Invalid(m),
            FileError::NotFound(m) => Self::NotFound(m.into()),
            FileError::TooLarge(m) => Self::PayloadTooLarge(m),
            FileError::UnsupportedType(m) => Self::UnsupportedMediaType(m),
            FileError::Conflict(m) => Self::Conflict(m),
            FileError::QuotaExceeded(m) => Self::QuotaExceeded(m),
            FileError::Backend(m) => Self::Internal(m),
        }
    }
}

async fn begin_upload(
    user: AuthUser,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<NewUpload>,
) -> Result<impl IntoResponse> {
    let (record, destination) = state
        .files
        .begin_upload(
            &user.id,
            UploadRequest {
                name: &input.name,
                size: input.size,
                content_type: &input.content_type,
                todo_id: input.todo_id.as_deref(),
            },
        )
        .await?;
    let upload = match destination {
        UploadDestination::Presigned(request) => UploadTarget {
            method: request.method,
            url: request.url,
            headers: request.headers,
            needs_auth: false,
        },
        UploadDestination::Server => UploadTarget {
            method: "PUT".into(),
            url: format!("/api/files/{}/content", record.id),
            headers: vec![("Content-Type".into(), record.content_type.clone())],
            needs_auth: true,
        },
    };
    Ok((
        StatusCode::CREATED,
        Json(UploadStarted {
            file: record.to_wire(),
            upload,
        }),
    ))
}

async fn receive(
    user: AuthUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<FileInfo>> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let id = FileId::parse(&id)?;
    // A Content-Length that disagrees with the declaration is refused before reading a byte.
    if let (Some(length), Ok(record)) = (declared, state.files.record(&user.id, id).await)
        && length != record.size
    {
        let message = format!(
            "The upload has {length} bytes; {} were declared.",
            record.size
        );
        return Err(if length > record.size {
            AppError::PayloadTooLarge(message)
        } else {
            AppError::Invalid(message)
        });
    }
    let stream = body
        .into_data_stream()
        .map_err(std::io::Error::other)
        .boxed();
    let record = state.files.receive(&user.id, id, stream).await?;
    Ok(Json(record.to_wire()))
}

async fn complete(
    user: AuthUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<FileInfo>> {
    let id = FileId::parse(&id)?;
    // Only the completion that makes a token's upload to a todo visible is logged (an
    // upload to no todo waits for the chat; completing again changes nothing).
    let pending = match user.actor() {
        Some(_) => state.files.record(&user.id, id).await.ok(),
        None => None,
    };
    let file = state.files.complete(&user.id, id).await?;
    if pending.is_some_and(|p| !p.uploaded) && file.todo_id.is_some() {
        note_file(&state, &user, &file, true).await;
    }
    Ok(Json(file.to_wire()))
}

/// Records a token's file change for the activity log, naming the file's todo by title.
async fn note_file(state: &AppState, user: &AuthUser, file: &FileRecord, attached: bool) {
    if user.actor().is_none() {
        return;
    }
    let title = match file.todo_id {
        Some(todo) => (state.store.get_todo(&user.id, todo).await.ok())
            .map(|todo| todo.title.as_str().to_owned()),
        None => None,
    };
    let name = file.name.clone();
    note(state, user, || {
        if attached {
            Change::FileAttached {
                file: name,
                title: title.unwrap_or_default(),
            }
        } else {
            Change::FileDeleted { file: name, title }
        }
    })
    .await;
}

async fn show(
    user: AuthUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<FileInfo>> {
    let id = FileId::parse(&id)?;
    Ok(Json(state.files.get(&user.id, id).await?.to_wire()))
}

async fn remove(
    user: AuthUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode> {
    let file = state
        .files
        .delete(&user.id, FileId::parse(&id)?, None)
        .await?;
    note_file(&state, &user, &file, false).await;
    Ok(StatusCode::NO_CONTENT)
}

async fn list_for_todo(
    user: AuthUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Vec<FileInfo>>> {
    let files = state
        .files
        .list_for_todo(&user.id, TodoId::parse(&id)?)
        .await?;
    Ok(Json(files.iter().map(|f| f.to_wire()).collect()))
}

async fn attach(
    user: AuthUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiJson(input): ApiJson<AttachFile>,
) -> Result<Json<FileInfo>> {
    let todo_id = TodoId::parse(&id)?;
    let file_id = FileId::parse(&input.file_id)?;
    let record = state.files.attach(&user.id, file_id, todo_id).await?;
    note_file(&state, &user, &record, true).await;
    Ok(Json(record.to_wire()))
}

async fn download_link(
    user: AuthUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<impl IntoResponse> {
    let url = match state.files.download(&user.id, FileId::parse(&id)?).await? {
        DownloadSource::Presigned(url) => url,
        DownloadSource::Ticket(ticket) => format!("/files/download/{ticket}"),
    };
    Ok((
        [(header::CACHE_CONTROL, "no-store")],
        Json(DownloadLink { url }),
    ))
}

/// What a download answers with, besides its bytes.
fn download_headers(record: &FileRecord) -> [(header::HeaderName, String); 5] {
    [
        (header::CONTENT_TYPE, record.content_type.clone()),
        (header::CONTENT_LENGTH, record.size.to_string()),
        (
            header::CONTENT_DISPOSITION,
            content_disposition(&record.name),
        ),
        (header::CACHE_CONTROL, "private, no-store".to_owned()),
        // Served from our origin: never let it run as a page, whatever it contains.
        (
            header::CONTENT_SECURITY_POLICY,
            "sandbox; default-src 'none'".to_owned(),
        ),
    ]
}

async fn download(
    State(state): State<AppState>,
    ApiPath(ticket): ApiPath<String>,
) -> Result<impl IntoResponse> {
    let (record, bytes) = state.files.redeem_download(&ticket).await?;
    Ok((download_headers(&record), bytes))
}

async fn download_head(
    State(state): State<AppState>,
    ApiPath(ticket): ApiPath<String>,
) -> Result<impl IntoResponse> {
    let record = state.files.peek_download(&ticket).await?;
    Ok(download_headers(&record))
}
