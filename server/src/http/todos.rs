//! /api/todos: the todo API. Every handler takes `AuthUser`, and every lookup goes through
//! the caller's own id, so another user's todo answers exactly like a missing one (404).

use std::sync::Arc;

use axum::{
    Json, Router,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use app::wire::{NewTodo, Todo as WireTodo, TodoPatch};

use super::{
    AuthUser,
    activity::note,
    json::{ApiJson, ApiPath, ApiQuery},
};
use crate::{
    domain::{
        Cause, DueDate, ListFilter, ListId, SearchWords, StatusFilter, Todo, TodoId, TodoQuery,
        TodoSort, UserId, clock,
        todo_query::{label_filter, priority_filter},
    },
    error::{AppError, Result},
    state::AppState,
    todos::{list_tags::Shown, service, service::TodoError},
    tools::changes::Change,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/todos", get(list).post(create))
        .route("/todos/{id}", get(show).patch(update).delete(remove))
        .route("/todos/{id}/restore", post(restore))
}

impl From<TodoError> for AppError {
    fn from(err: TodoError) -> Self {
        match err {
            TodoError::Invalid(e) => e.into(),
            TodoError::Store(e) => e.into(),
            quota @ (TodoError::QuotaExceeded(_) | TodoError::LabelQuotaExceeded(_)) => {
                Self::QuotaExceeded(quota.to_string())
            }
        }
    }
}

/// `GET /api/todos` parameters: the same filters as the assistant's `getTodos`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ListParams {
    q: Option<String>,
    status: Option<String>,
    due_from: Option<String>,
    due_to: Option<String>,
    sort: Option<String>,
    /// Only the todos of this list (one of the caller's: another's is 404).
    list: Option<String>,
    /// Decides "today" for `overdue`; UTC if absent.
    time_zone: Option<String>,
    /// `1`–`4`, or several: `1,2`.
    priority: Option<String>,
}

/// The repeatable parameter of `GET /api/todos` (todos with all of them); the others are
/// single and read into [`ListParams`].
const LABEL_PARAM: &str = "label";

impl ListParams {
    /// The query string's pairs: `label` may repeat, the rest are [`ListParams`] (unknown
    /// or repeated ones are a 400, as before).
    fn from_pairs(pairs: Vec<(String, String)>) -> Result<(Self, Vec<String>)> {
        let (labels, rest): (Vec<_>, Vec<_>) =
            pairs.into_iter().partition(|(k, _)| k == LABEL_PARAM);
        let invalid = |e: &dyn std::fmt::Display| {
            AppError::Invalid(format!("Failed to deserialize query string: {e}"))
        };
        let mut fields = serde_json::Map::new();
        for (key, value) in rest {
            if fields.contains_key(&key) {
                return Err(invalid(&format!("duplicate field `{key}`")));
            }
            fields.insert(key, value.into());
        }
        let params =
            Self::deserialize(serde_json::Value::Object(fields)).map_err(|e| invalid(&e))?;
        Ok((params, labels.into_iter().map(|(_, v)| v).collect()))
    }

    fn query(&self, owner: &UserId, labels: &[String]) -> Result<TodoQuery> {
        let date = |raw: &Option<String>| raw.as_deref().map(DueDate::parse).transpose();
        Ok(TodoQuery {
            status: self
                .status
                .as_deref()
                .map(StatusFilter::parse)
                .transpose()?
                .unwrap_or_default(),
            due_from: date(&self.due_from)?,
            due_to: date(&self.due_to)?,
            text: self
                .q
                .as_deref()
                .map(SearchWords::parse)
                .transpose()?
                .flatten(),
            list: self
                .list
                .as_deref()
                .map(|raw| ListId::parse(raw).map(|id| ListFilter::of(owner, id)))
                .transpose()?,
            sort: self
                .sort
                .as_deref()
                .map(TodoSort::parse)
                .transpose()?
                .unwrap_or_default(),
            labels: label_filter(labels)?,
            now: None,
            priorities: self
                .priority
                .as_deref()
                .map(priority_filter)
                .transpose()?
                .unwrap_or_default(),
        })
    }
}

/// The list, filtered and ordered as asked, with an `ETag` of its body: a client polling
/// with `If-None-Match` gets `304` and no body while nothing changed.
async fn list(
    user: AuthUser,
    State(state): State<AppState>,
    ApiQuery(pairs): ApiQuery<Vec<(String, String)>>,
    headers: HeaderMap,
) -> Result<Response> {
    let (params, labels) = ListParams::from_pairs(pairs)?;
    let query = params.query(&user.id, &labels)?;
    if let Some(ListFilter::List(id)) = query.list {
        // Only the caller's own lists: another user's id answers like a missing one.
        state
            .store
            .get_list(&user.id, id)
            .await
            .map_err(|e| match e {
                crate::store::StoreError::NotFound => {
                    AppError::NotFound("No list with that id.".into())
                }
                other => other.into(),
            })?;
    }
    let zone = match params.time_zone.as_deref() {
        Some(name) => clock::time_zone(name)?,
        None => jiff::tz::TimeZone::UTC,
    };
    let here = state.chat.current_time().to_zoned(zone);
    let today = DueDate::from_date(here.date());
    // With the caller's zone, a todo due today at an earlier time is overdue too.
    let query = TodoQuery {
        now: params.time_zone.is_some().then(|| here.time()),
        ..query
    };
    let records = state.files.todo_records(&user.id).await?;
    // A poll or reload of the same view over the same records reuses the tag and the
    // positions (`todos/list_tags.rs`: kept by the store's snapshot, not by the owner).
    let key = query.key(today);
    let tags = &state.list_bodies.tags;
    let shown = match tags.get(user.id.as_str(), &records, &key) {
        Some(shown) => shown,
        None => {
            let positions = matching_positions(query, records.clone(), today).await?;
            let tag = list_etag(positions.iter().map(|&i| &records[i]));
            let shown = Arc::new(Shown { tag, positions });
            tags.keep(user.id.as_str(), &records, &key, shown.clone());
            shown
        }
    };
    let tag = &shown.tag;
    let gzip = accepts_gzip(&headers);
    // One tag per encoding: a cache may keep both.
    let etag = if gzip {
        format!("\"{tag}-gz\"")
    } else {
        format!("\"{tag}\"")
    };
    let cache = [
        (header::ETAG, etag.clone()),
        // Private to the user; always revalidated.
        (header::CACHE_CONTROL, "private, no-cache".to_owned()),
        (header::VARY, "Authorization, Accept-Encoding".to_owned()),
    ];
    if if_none_match(&headers, &etag) {
        return Ok((StatusCode::NOT_MODIFIED, cache).into_response());
    }
    let body = state.list_bodies.get_or_make(user.id.as_str(), tag, || {
        let inbox = ListId::inbox_of(&user.id);
        let wire: Vec<WireTodo> = (shown.positions.iter())
            .map(|&i| records[i].to_wire_in(inbox))
            .collect();
        serde_json::to_vec(&wire).map_err(|e| AppError::Internal(Cause::new(e)))
    })?;
    let json = [(header::CONTENT_TYPE, "application/json")];
    // Small lists are not worth compressing; large ones are compressed once per version.
    if gzip && body.json.len() > GZIP_ABOVE_BYTES {
        let encoding = [(header::CONTENT_ENCODING, "gzip")];
        return Ok((cache, json, encoding, body.gzip().clone()).into_response());
    }
    Ok((cache, json, body.json.clone()).into_response())
}

/// A search over more text than this (todos with long notes, thousands of todos) is more
/// than a few milliseconds of CPU: it runs on the blocking pool (bounded), never on a
/// runtime worker, so it cannot hold up other requests.
const SEARCH_INLINE_BYTES: usize = 256 * 1024;

async fn matching_positions(
    query: TodoQuery,
    records: Arc<Vec<Todo>>,
    today: DueDate,
) -> Result<Vec<usize>> {
    let text_bytes = || records.iter().map(Todo::text_bytes).sum::<usize>();
    if query.text.is_none() || text_bytes() <= SEARCH_INLINE_BYTES {
        return Ok(query.matching_positions(&records, today));
    }
    tokio::task::spawn_blocking(move || query.matching_positions(&records, today))
        .await
        .map_err(|e| AppError::Internal(Cause::new(e)))
}

/// Lists up to this size are sent as they are.
const GZIP_ABOVE_BYTES: usize = 2048;

fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';');
            let name = parts.next().unwrap_or_default().trim();
            let refused = parts.any(|p| p.trim().replace(' ', "") == "q=0");
            name.eq_ignore_ascii_case("gzip") && !refused
        })
}

/// The list's `ETag`, from the ids and versions of the todos it shows, in order: every change
/// to a todo's fields bumps its version, so equal tags mean equal bodies, and a poll that
/// answers `304` never serializes the list.
fn list_etag<'t>(todos: impl Iterator<Item = &'t Todo>) -> String {
    let mut digest = Sha256::new();
    digest.update(b"todos-v1");
    for todo in todos {
        digest.update(todo.id.as_bytes());
        digest.update(todo.version.to_le_bytes());
    }
    let hex: String = digest.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    hex
}

/// `If-None-Match` names the current ETag (or is `*`), as RFC 9110 reads it.
pub(super) fn if_none_match(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == etag || tag == "*")
}

async fn create(
    user: AuthUser,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<NewTodo>,
) -> Result<impl IntoResponse> {
    let max_todos = state.files.quotas().todos;
    let at = state.files.now();
    let created =
        service::create_or_replay(state.store.as_ref(), &user.id, input, max_todos, at).await?;
    let todo = created.todo;
    let location = format!("/api/todos/{}", todo.id);
    // A replay (the same client id again) changed nothing: 200 with the todo as it is now.
    if created.replayed {
        return Ok((
            StatusCode::OK,
            [(header::LOCATION, location)],
            Json(todo.to_wire()),
        ));
    }
    note(&state, &user, || Change::Added {
        todo: Box::new(todo.clone()),
    })
    .await;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(todo.to_wire()),
    ))
}

async fn show(
    user: AuthUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<WireTodo>> {
    let todo = state.store.get_todo(&user.id, TodoId::parse(&id)?).await?;
    Ok(Json(todo.to_wire()))
}

async fn update(
    user: AuthUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiJson(patch): ApiJson<TodoPatch>,
) -> Result<Json<WireTodo>> {
    let (id, at) = (TodoId::parse(&id)?, state.files.now());
    // The activity log's "before": read only for changes it shows (a token's). The update
    // is conditional on the version the patch names, so it cannot land on a later one.
    let before = match user.actor() {
        Some(_) => Some(state.store.get_todo(&user.id, id).await?),
        None => None,
    };
    let todo = service::update(state.store.as_ref(), &user.id, id, patch, at).await?;
    if let Some(before) = before {
        note(&state, &user, || Change::Edited {
            before: Box::new(before),
            after: Box::new(todo.clone()),
        })
        .await;
    }
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
    ApiPath(id): ApiPath<String>,
    ApiQuery(params): ApiQuery<DeleteParams>,
) -> Result<StatusCode> {
    // Restorable for the restore window; then its files and their bytes go with it.
    let todo = state
        .files
        .delete_todo(&user.id, TodoId::parse(&id)?, params.version)
        .await?;
    note(&state, &user, || Change::Deleted {
        todo: todo.id,
        version: todo.version,
        title: todo.title.as_str().to_owned(),
    })
    .await;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/todos/{id}/restore`: brings a todo deleted within the restore window back,
/// exactly as it was, with its files; 404 after the window (or for another user's id).
async fn restore(
    user: AuthUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<WireTodo>> {
    let todo = state
        .files
        .restore_todo(&user.id, TodoId::parse(&id)?)
        .await?;
    note(&state, &user, || Change::Restored {
        todo: todo.id,
        version: todo.version,
        title: todo.title.as_str().to_owned(),
    })
    .await;
    Ok(Json(todo.to_wire()))
}
