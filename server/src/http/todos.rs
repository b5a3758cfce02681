//! /api/todos: the todo API. Every handler takes `AuthUser`, and every lookup goes through
//! the caller's own id, so another user's todo answers exactly like a missing one (404).

use axum::{
    Json, Router,
    extract::{Path, State},
    http::{StatusCode, header},
    response::IntoResponse,
    routing::get,
};
use serde::Deserialize;

use app::wire::{NewTodo, Todo as WireTodo, TodoPatch};

use super::{
    AuthUser,
    json::{ApiJson, ApiQuery},
};
use crate::{
    domain::TodoId,
    error::{AppError, Result},
    state::AppState,
    todos::{service, service::TodoError},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/todos", get(list).post(create))
        .route("/todos/{id}", get(show).patch(update).delete(remove))
}

impl From<TodoError> for AppError {
    fn from(err: TodoError) -> Self {
        match err {
            TodoError::Invalid(e) => e.into(),
            TodoError::Store(e) => e.into(),
            quota @ TodoError::QuotaExceeded(_) => Self::QuotaExceeded(quota.to_string()),
        }
    }
}

async fn list(user: AuthUser, State(state): State<AppState>) -> Result<Json<Vec<WireTodo>>> {
    let todos = state.store.list_todos(&user.id).await?;
    Ok(Json(todos.iter().map(|t| t.to_wire()).collect()))
}

async fn create(
    user: AuthUser,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<NewTodo>,
) -> Result<impl IntoResponse> {
    let max_todos = state.files.quotas().todos;
    let todo = service::create(state.store.as_ref(), &user.id, input, max_todos).await?;
    let location = format!("/api/todos/{}", todo.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(todo.to_wire()),
    ))
}

async fn show(
    user: AuthUser,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<WireTodo>> {
    let todo = state.store.get_todo(&user.id, TodoId::parse(&id)?).await?;
    Ok(Json(todo.to_wire()))
}

async fn update(
    user: AuthUser,
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<TodoPatch>,
) -> Result<Json<WireTodo>> {
    let todo = service::update(state.store.as_ref(), &user.id, TodoId::parse(&id)?, patch).await?;
    Ok(Json(todo.to_wire()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeleteParams {
    /// When given, the delete happens only if the todo is still at this version.
    version: Option<u64>,
}

async fn remove(
    user: AuthUser,
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(params): ApiQuery<DeleteParams>,
) -> Result<StatusCode> {
    // The todo's files and their bytes go with it.
    state
        .files
        .delete_todo(&user.id, TodoId::parse(&id)?, params.version)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
