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
    domain::{ChangeId, Todo, rfc3339},
    error::{AppError, Result},
    state::AppState,
    tools::changes::{self, Change, UndoError, Undone},
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
    undone_answer(&state, &user, undone).await
}

/// What an undo answers (here and `POST /api/chat/undo`): `200` with the todo as it is
/// again, `204` for a todo removed again, `200` with the list of an undone list change,
/// `200` with the todos an undone label rename gave the label back to.
pub(super) async fn undone_answer(
    state: &AppState,
    user: &AuthUser,
    undone: Undone,
) -> Result<Response> {
    Ok(match undone {
        Undone::Restored(todo) => Json(todo.to_wire()).into_response(),
        Undone::Removed { .. } => StatusCode::NO_CONTENT.into_response(),
        Undone::List(list) => {
            let todos = state.files.todo_records(&user.id).await?;
            let open = (todos.iter())
                .filter(|t| t.is_live() && !t.completed && t.list_id == Some(list.id))
                .count();
            Json(list.to_wire(open)).into_response()
        }
        Undone::Relabelled { todos, .. } => {
            Json(todos.iter().map(Todo::to_wire).collect::<Vec<_>>()).into_response()
        }
        Undone::Set(todos) => Json(app::wire::plan::UndoneTodos {
            todos: todos.iter().map(|t| t.to_wire()).collect(),
        })
        .into_response(),
    })
}

/// Records a change made with a personal access token for the activity log (the user's own
/// session leaves none; `change` is only made for a token's). The change is made: a failed
/// record only leaves it out of the log.
pub(super) async fn note(state: &AppState, user: &AuthUser, change: impl FnOnce() -> Change) {
    let Some(actor) = user.actor() else {
        return;
    };
    if let Err(e) = changes::record(&state.files, &user.id, None, change(), actor).await {
        tracing::warn!(error = %e, "change record not written");
    }
}
