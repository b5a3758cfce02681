//! `/api/activity`: what anything but the user's own clicks changed in their todos (the
//! assistant, MCP clients, personal access tokens), newest first, with Undo by the chat's
//! rules (`tools::changes`). Pages like the conversation list: `?next=` and `?limit=`.

use axum::{
    Json, Router,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
};

use app::wire::{
    access::{ActivityActor, ActivityEntry, ActivityPage},
    chat::UndoRequest,
};

use super::{
    AuthUser,
    json::{ApiJson, ApiQuery, PageParams},
};
use crate::{
    domain::{ChangeId, rfc3339},
    error::{AppError, Result},
    state::AppState,
    tools::changes::{self, UndoError, Undone},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/activity", get(list))
        .route("/activity/undo", post(undo))
}

/// Entries per page unless `limit` says otherwise (1 to 100).
const PER_PAGE: usize = 20;

async fn list(
    user: AuthUser,
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<ActivityPage>> {
    let limit = params.limit_or(PER_PAGE)?;
    let before = params
        .next
        .as_deref()
        .map(|raw| {
            ChangeId::parse(raw)
                .map_err(|_| AppError::Invalid("`next` is not a cursor this list gave out.".into()))
        })
        .transpose()?;
    let (page, next) = changes::list(&state.files, &user.id, before, limit).await?;
    let activity = page
        .into_iter()
        .map(|a| ActivityEntry {
            change_id: a.change_id.to_string(),
            at: rfc3339(a.at),
            actor: ActivityActor {
                kind: a.actor.kind.as_str().to_owned(),
                name: a.actor.name,
            },
            summary: a.summary,
            undoable: a.undoable,
        })
        .collect();
    Ok(Json(ActivityPage {
        activity,
        next: next.map(|id| id.to_string()),
    }))
}

/// As `POST /api/chat/undo`: `200` with the todo as it is again (a plan's set:
/// `{"todos": [...]}`), `204` for an undone add,
/// `409` if the todo changed since (or it was undone already), `404` for an unknown change
/// or another user's.
async fn undo(
    user: AuthUser,
    State(state): State<AppState>,
    ApiJson(request): ApiJson<UndoRequest>,
) -> Result<Response> {
    let change_id = ChangeId::parse(&request.change_id)?;
    let undone = changes::undo(&state.files, &user.id, change_id)
        .await
        .map_err(|e| match e {
            UndoError::NotFound(m) => AppError::NotFound(m),
            UndoError::Conflict(m) => AppError::Conflict(m),
            UndoError::QuotaExceeded(m) => AppError::QuotaExceeded(m),
            UndoError::Backend(e) => e.into(),
        })?;
    Ok(match undone {
        Undone::Restored(todo) => Json(todo.to_wire()).into_response(),
        Undone::Removed { .. } => StatusCode::NO_CONTENT.into_response(),
        Undone::Set(todos) => Json(app::wire::plan::UndoneTodos {
            todos: todos.iter().map(|t| t.to_wire()).collect(),
        })
        .into_response(),
    })
}
