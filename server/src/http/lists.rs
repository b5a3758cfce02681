//! /api/lists: the user's lists. Every handler takes `AuthUser` and looks ids up under the
//! caller's own id, so another user's list answers exactly like a missing one (404).

use std::collections::HashMap;

use axum::{
    Json, Router,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use app::wire::{ListDeleted, ListPatch, NewList, TodoList as WireList};

use super::{
    AuthUser,
    activity::note,
    json::{ApiJson, ApiPath, ApiQuery},
    todos::if_none_match,
};
use crate::{
    domain::{ListId, Todo, TodoId, TodoList},
    error::{AppError, Result},
    state::AppState,
    todos::lists::{self, ListError},
    tools::changes::Change,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/lists", get(all).post(create))
        .route("/lists/{id}", get(show).patch(update).delete(remove))
}

impl From<ListError> for AppError {
    fn from(err: ListError) -> Self {
        match err {
            ListError::Invalid(e) => e.into(),
            ListError::Store(e) => e.into(),
            missing @ ListError::NotFound => Self::NotFound(missing.to_string()),
            taken @ ListError::NameTaken(_) => Self::Conflict(taken.to_string()),
            quota @ ListError::QuotaExceeded(_) => Self::QuotaExceeded(quota.to_string()),
            ListError::Inbox(sentence) => Self::Invalid(sentence.into()),
        }
    }
}

/// Open (live, not completed) todos per stored list id (`None`: the Inbox).
fn open_counts(todos: &[Todo]) -> HashMap<Option<ListId>, usize> {
    let mut counts = HashMap::new();
    for todo in todos.iter().filter(|t| t.is_live() && !t.completed) {
        *counts.entry(todo.list_id).or_insert(0) += 1;
    }
    counts
}

fn with_count(list: &TodoList, counts: &HashMap<Option<ListId>, usize>) -> WireList {
    let key = (!list.inbox).then_some(list.id);
    list.to_wire(counts.get(&key).copied().unwrap_or(0))
}

async fn counts(state: &AppState, user: &AuthUser) -> Result<HashMap<Option<ListId>, usize>> {
    Ok(open_counts(&state.files.todo_records(&user.id).await?))
}

fn list_id(raw: &str) -> Result<ListId> {
    Ok(ListId::parse(raw)?)
}

/// `GET /api/lists`: the Inbox first, then the user's order, with an `ETag`: the sidebar's
/// poll sends it back as `If-None-Match` and gets `304` and no body while nothing changed.
async fn all(
    user: AuthUser,
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response> {
    let found = lists::all(state.store.as_ref(), &user.id, state.files.now()).await?;
    let counts = counts(&state, &user).await?;
    let shown: Vec<WireList> = found.iter().map(|l| with_count(l, &counts)).collect();
    let etag = format!("\"{}\"", lists_etag(&found, &shown));
    let cache = [
        (header::ETAG, etag.clone()),
        // Private to the user; always revalidated.
        (header::CACHE_CONTROL, "private, no-cache".to_owned()),
        (header::VARY, "Authorization".to_owned()),
    ];
    if if_none_match(&headers, &etag) {
        return Ok((StatusCode::NOT_MODIFIED, cache).into_response());
    }
    Ok((cache, Json(shown)).into_response())
}

/// The lists' `ETag`, from what the body shows of each, in order: its id and version (every
/// change to a list bumps it) and its count of open todos (which moves with the todos, not
/// the list). Equal tags mean equal bodies.
fn lists_etag(lists: &[TodoList], shown: &[WireList]) -> String {
    let mut digest = Sha256::new();
    digest.update(b"lists-v1");
    for (list, wire) in lists.iter().zip(shown) {
        digest.update(list.id.as_bytes());
        digest.update(list.version.to_le_bytes());
        digest.update((wire.count as u64).to_le_bytes());
    }
    digest.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn show(
    user: AuthUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<WireList>> {
    let at = state.files.now();
    let list = lists::get(state.store.as_ref(), &user.id, list_id(&id)?, at).await?;
    Ok(Json(with_count(&list, &counts(&state, &user).await?)))
}

async fn create(
    user: AuthUser,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<NewList>,
) -> Result<impl IntoResponse> {
    let (max, at) = (state.files.quotas().lists, state.files.now());
    let list = lists::create(state.store.as_ref(), &user.id, input, max, at).await?;
    note(&state, &user, || Change::ListCreated {
        name: list.name.as_str().to_owned(),
    })
    .await;
    let location = format!("/api/lists/{}", list.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(list.to_wire(0)),
    ))
}

async fn update(
    user: AuthUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiJson(patch): ApiJson<ListPatch>,
) -> Result<Json<WireList>> {
    let (id, at) = (list_id(&id)?, state.files.now());
    let (before, list) = lists::update(state.store.as_ref(), &user.id, id, patch, at).await?;
    note(&state, &user, || Change::ListEdited {
        before: Box::new(before),
        after: Box::new(list.clone()),
    })
    .await;
    Ok(Json(with_count(&list, &counts(&state, &user).await?)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeleteParams {
    /// `move` (to the Inbox) or `delete` (restorably, like any deleted todo).
    todos: Option<String>,
}

/// What happens to a deleted list's todos: asked every time, never assumed.
enum TheTodos {
    Move,
    Delete,
}

impl DeleteParams {
    fn choice(&self) -> Result<TheTodos> {
        match self.todos.as_deref() {
            Some("move") => Ok(TheTodos::Move),
            Some("delete") => Ok(TheTodos::Delete),
            None => Err(AppError::Invalid(
                "Say what happens to the list's todos: todos=move puts them in the Inbox, \
                 todos=delete deletes them (restorable for a while, like any deleted todo)."
                    .into(),
            )),
            Some(_) => Err(AppError::Invalid("todos must be move or delete.".into())),
        }
    }
}

/// `DELETE /api/lists/{id}?todos=move|delete`: its todos go to the Inbox, then the list,
/// then any todo put in it meanwhile goes to the Inbox too (a failure on the way leaves the
/// todos in the Inbox or the list, never in a list that is gone). With `delete`, the moved
/// todos are then deleted as any todo is (restorable within the restore window, into the
/// Inbox).
async fn remove(
    user: AuthUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiQuery(params): ApiQuery<DeleteParams>,
) -> Result<Json<ListDeleted>> {
    let id = list_id(&id)?;
    let choice = params.choice()?;
    let (store, at) = (state.store.as_ref(), state.files.now());
    lists::get(store, &user.id, id, at).await?;
    let mut moved = lists::move_to_inbox(store, &user.id, id, at).await?;
    let list = lists::delete(store, &user.id, id).await?;
    moved.extend(lists::move_to_inbox(store, &user.id, id, at).await?);
    let ids = |ids: Vec<TodoId>| ids.iter().map(ToString::to_string).collect::<Vec<_>>();
    let moved_ids = moved.iter().map(|t| t.id).collect();
    let answer = match choice {
        TheTodos::Move => ListDeleted {
            moved: ids(moved_ids),
            deleted: Vec::new(),
        },
        TheTodos::Delete => ListDeleted {
            moved: Vec::new(),
            deleted: ids(state.files.delete_todos(&user.id, &moved).await?),
        },
    };
    note(&state, &user, || Change::ListDeleted {
        name: list.name.as_str().to_owned(),
        moved: answer.moved.len(),
        deleted: answer.deleted.len(),
    })
    .await;
    Ok(Json(answer))
}
