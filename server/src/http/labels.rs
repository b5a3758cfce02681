//! /api/labels: the labels the caller's todos use, with counts, and renaming one on every
//! todo (`todos::labels`). Labels live on todos, so another user's labels are never seen.

use axum::{Json, Router, extract::State, routing::get};

use app::wire::{LabelCount, LabelRename};

use super::{
    AuthUser,
    activity::note,
    json::{ApiJson, ApiPath},
};
use crate::{
    domain::{InvalidInput, Label},
    error::{AppError, Result},
    state::AppState,
    todos::labels,
    tools::changes::Change,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/labels", get(list))
        .route("/labels/{name}", axum::routing::patch(rename))
}

/// `GET /api/labels`: `[{"name", "count"}]` by name, counting live todos.
async fn list(user: AuthUser, State(state): State<AppState>) -> Result<Json<Vec<LabelCount>>> {
    let records = state.files.todo_records(&user.id).await?;
    Ok(Json(labels::counts(&records)))
}

/// `PATCH /api/labels/{name}` `{"name": "new"}`: the renamed label with its count; 404 if
/// no live todo has `name`.
async fn rename(
    user: AuthUser,
    State(state): State<AppState>,
    ApiPath(name): ApiPath<String>,
    ApiJson(body): ApiJson<LabelRename>,
) -> Result<Json<LabelCount>> {
    let named = |field: &str, e: InvalidInput| AppError::Invalid(format!("{field}: {}", e.0));
    let from = Label::parse(&name).map_err(|e| named("The label in the address", e))?;
    let to = Label::parse(&body.name).map_err(|e| named("name", e))?;
    let at = state.files.now();
    match labels::rename(state.store.as_ref(), &user.id, &from, &to, at).await? {
        Some(renamed) => {
            let label = renamed.label;
            note(&state, &user, || Change::LabelRenamed {
                from: from.as_str().to_owned(),
                to: to.as_str().to_owned(),
                todos: renamed.todos,
            })
            .await;
            Ok(Json(label))
        }
        None => Err(AppError::NotFound(format!(
            "None of your todos has the label '{}'.",
            from.as_str()
        ))),
    }
}
