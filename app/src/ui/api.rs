//! The todo API client. Every call carries the ID token; a 401 gets one refresh-and-retry,
//! after which the session is over and the user is sent to sign in.

use gloo_net::http::{Request, RequestBuilder, Response};

use super::{
    auth::session::Auth,
    http::{Authorized, authorized, error_message},
};
use crate::wire::{
    NewTodo, Todo, TodoPatch,
    file::{DownloadLink, FileInfo, NewUpload, UploadStarted},
};

#[derive(Debug, Clone)]
pub enum ApiFailure {
    /// The session ended; the sign-in page already says so.
    SignedOut,
    /// Someone else changed the item first (HTTP 409).
    Conflict(String),
    /// The server refused the request; the message says why.
    Rejected(String),
    /// No such thing (HTTP 404), or not any more; the server's sentence.
    NotFound(String),
    /// The server could not take it now (HTTP 502, 503, 504, 429, 408): the same request
    /// may work later (a 500 is a refusal: sent again, it would fail again). Changes to
    /// todos wait in the offline queue and are sent again.
    Unavailable(String),
    Network(String),
}

impl ApiFailure {
    /// Sending the same request again later may work: the server was not reached, or
    /// could not take it now.
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Network(_) | Self::Unavailable(_))
    }
}

impl std::fmt::Display for ApiFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::SignedOut => f.write_str("You are signed out."),
            Self::Conflict(m) | Self::Rejected(m) | Self::NotFound(m) | Self::Unavailable(m) => {
                f.write_str(m)
            }
            Self::Network(m) => write!(f, "The server could not be reached ({m})."),
        }
    }
}

/// How long a request may wait for the server's answer (its headers) before it is given up.
const ANSWER_WITHIN: std::time::Duration = std::time::Duration::from_secs(20);

#[derive(Clone, Copy)]
pub(super) enum Verb {
    Get,
    Post,
    Patch,
    Delete,
}

pub(super) async fn send(
    auth: Auth,
    verb: Verb,
    path: &str,
    body: Option<String>,
) -> Result<Response, ApiFailure> {
    let body = body.map(|json| ("application/json", json));
    send_with(auth, verb, path, body, None).await
}

/// `send` with the body's content type given and an `If-None-Match` header; a `304`
/// answer is returned like a success.
async fn send_with(
    auth: Auth,
    verb: Verb,
    path: &str,
    body: Option<(&'static str, String)>,
    if_none_match: Option<&str>,
) -> Result<Response, ApiFailure> {
    let url = auth.absolute_url(path);
    // A request with no answer in this long is given up (a dead connection can keep one
    // open for minutes): it fails as "not reached", so a change waits in the offline queue
    // and is sent again, instead of holding the changes behind it.
    let controller = web_sys::AbortController::new().ok();
    let give_up = controller.clone().and_then(|controller| {
        leptos::prelude::set_timeout_with_handle(move || controller.abort(), ANSWER_WITHIN).ok()
    });
    let request = |bearer: String| {
        let mut builder: RequestBuilder = match verb {
            Verb::Get => Request::get(&url),
            Verb::Post => Request::post(&url),
            Verb::Patch => Request::patch(&url),
            Verb::Delete => Request::delete(&url),
        }
        .header("Authorization", &bearer)
        .abort_signal(controller.as_ref().map(|c| c.signal()).as_ref());
        if let Some(tag) = if_none_match {
            builder = builder.header("If-None-Match", tag);
        }
        let body = body.clone();
        async move {
            match body {
                Some((kind, text)) => {
                    builder
                        .header("Content-Type", kind)
                        .body(text)?
                        .send()
                        .await
                }
                None => builder.send().await,
            }
        }
    };
    let answer = authorized(auth, request, Response::status).await;
    if let Some(give_up) = give_up {
        give_up.clear();
    }
    let response = match answer {
        Authorized::Answered(response) => response,
        Authorized::Failed(e) => return Err(ApiFailure::Network(e.to_string())),
        Authorized::SignedOut => return Err(ApiFailure::SignedOut),
    };
    if response.ok() || response.status() == 304 {
        return Ok(response);
    }
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    let message = error_message(&body, || format!("The server answered HTTP {status}."));
    Err(match status {
        409 => ApiFailure::Conflict(message),
        404 => ApiFailure::NotFound(message),
        408 | 429 | 502..=504 => ApiFailure::Unavailable(message),
        _ => ApiFailure::Rejected(message),
    })
}

pub(super) fn decode_failure(e: gloo_net::Error) -> ApiFailure {
    ApiFailure::Rejected(format!("The server's answer could not be read ({e})."))
}

/// The list if it differs from the one tagged `etag` (with its new tag), `None` if not.
pub async fn list_todos_if_changed(
    auth: Auth,
    etag: Option<String>,
) -> Result<Option<Fetched<Vec<Todo>>>, ApiFailure> {
    fetch_if_changed(auth, "/api/todos", etag).await
}

/// A list the server sent: the values, its `ETag`, and the JSON text as it came (what the
/// browser keeps for offline use).
pub struct Fetched<T> {
    pub value: T,
    pub etag: Option<String>,
    pub json: String,
}

async fn fetch_if_changed<T: serde::de::DeserializeOwned>(
    auth: Auth,
    path: &str,
    etag: Option<String>,
) -> Result<Option<Fetched<T>>, ApiFailure> {
    let response = send_with(auth, Verb::Get, path, None, etag.as_deref()).await?;
    if response.status() == 304 {
        return Ok(None);
    }
    let etag = response.headers().get("etag");
    let json = response.text().await.map_err(decode_failure)?;
    let value = serde_json::from_str(&json).map_err(|e| ApiFailure::Rejected(e.to_string()))?;
    Ok(Some(Fetched { value, etag, json }))
}

/// The todos whose title, description or notes hold every word of `q`, in `sort` order
/// (`created` or `due`): the server's filter, the assistant's too.
pub async fn search_todos(auth: Auth, q: &str, sort: &str) -> Result<Vec<Todo>, ApiFailure> {
    let path = format!(
        "/api/todos?q={}&sort={sort}",
        String::from(js_sys::encode_uri_component(q))
    );
    send(auth, Verb::Get, &path, None)
        .await?
        .json()
        .await
        .map_err(decode_failure)
}

/// Brings back a todo deleted within the restore window.
pub async fn restore_todo(auth: Auth, id: &str) -> Result<Todo, ApiFailure> {
    let path = format!("/api/todos/{id}/restore");
    send(auth, Verb::Post, &path, None)
        .await?
        .json()
        .await
        .map_err(decode_failure)
}

pub async fn get_todo(auth: Auth, id: &str) -> Result<Todo, ApiFailure> {
    let path = format!("/api/todos/{id}");
    send(auth, Verb::Get, &path, None)
        .await?
        .json()
        .await
        .map_err(decode_failure)
}

pub async fn create_todo(auth: Auth, input: &NewTodo) -> Result<Todo, ApiFailure> {
    send(auth, Verb::Post, "/api/todos", Some(to_json(input)?))
        .await?
        .json()
        .await
        .map_err(decode_failure)
}

pub async fn update_todo(auth: Auth, id: &str, patch: &TodoPatch) -> Result<Todo, ApiFailure> {
    let path = format!("/api/todos/{id}");
    send(auth, Verb::Patch, &path, Some(to_json(patch)?))
        .await?
        .json()
        .await
        .map_err(decode_failure)
}

pub async fn delete_todo(auth: Auth, id: &str, version: u64) -> Result<(), ApiFailure> {
    let path = format!("/api/todos/{id}?version={version}");
    send(auth, Verb::Delete, &path, None).await.map(|_| ())
}

pub async fn chat_history(auth: Auth) -> Result<crate::wire::chat::ChatHistory, ApiFailure> {
    send(auth, Verb::Get, "/api/chat/history", None)
        .await?
        .json()
        .await
        .map_err(decode_failure)
}

pub async fn chat_stop(auth: Auth) -> Result<(), ApiFailure> {
    send(auth, Verb::Post, "/api/chat/stop", None)
        .await
        .map(|_| ())
}

pub async fn chat_new(auth: Auth) -> Result<(), ApiFailure> {
    send(auth, Verb::Post, "/api/chat/new", None)
        .await
        .map(|_| ())
}

/// A page of past conversations, newest first (`next`: the cursor of the page after).
pub async fn chat_conversations(
    auth: Auth,
    next: Option<&str>,
) -> Result<crate::wire::chat::ConversationList, ApiFailure> {
    let path = match next {
        Some(cursor) => format!("/api/chat/conversations?next={}", encode_component(cursor)),
        None => "/api/chat/conversations".to_owned(),
    };
    send(auth, Verb::Get, &path, None)
        .await?
        .json()
        .await
        .map_err(decode_failure)
}

pub async fn chat_conversation(
    auth: Auth,
    session_id: &str,
) -> Result<crate::wire::chat::ChatHistory, ApiFailure> {
    let path = format!("/api/chat/conversations/{}", encode_component(session_id));
    send(auth, Verb::Get, &path, None)
        .await?
        .json()
        .await
        .map_err(decode_failure)
}

/// Makes a past conversation the current one; its transcript.
pub async fn chat_continue(
    auth: Auth,
    session_id: &str,
) -> Result<crate::wire::chat::ChatHistory, ApiFailure> {
    let path = format!(
        "/api/chat/conversations/{}/continue",
        encode_component(session_id)
    );
    send(auth, Verb::Post, &path, None)
        .await?
        .json()
        .await
        .map_err(decode_failure)
}

pub async fn chat_delete_conversation(auth: Auth, session_id: &str) -> Result<(), ApiFailure> {
    let path = format!("/api/chat/conversations/{}", encode_component(session_id));
    send(auth, Verb::Delete, &path, None).await.map(|_| ())
}

/// Undoes what a tool card did: the todo as it is again (`None` for an undone add).
pub async fn chat_undo(auth: Auth, change_id: &str) -> Result<Option<Todo>, ApiFailure> {
    let body = to_json(&crate::wire::chat::UndoRequest {
        change_id: change_id.to_owned(),
    })?;
    let response = send(auth, Verb::Post, "/api/chat/undo", Some(body)).await?;
    if response.status() == 204 {
        return Ok(None);
    }
    response.json().await.map(Some).map_err(decode_failure)
}

/// `POST /api/chat/plan`: applies the chosen items of a plan card (none: discards it).
pub async fn plan_answer(
    auth: Auth,
    request: &crate::wire::plan::PlanRequest,
) -> Result<crate::wire::plan::PlanApplied, ApiFailure> {
    let response = send(auth, Verb::Post, "/api/chat/plan", Some(to_json(request)?)).await?;
    response.json().await.map_err(decode_failure)
}

/// `GET /api/chat/plan/{planId}`: a plan's card as it is now (one opened by its link).
pub async fn plan_card(
    auth: Auth,
    plan_id: &str,
) -> Result<crate::wire::plan::PlanCard, ApiFailure> {
    let path = format!("/api/chat/plan/{}", encode_component(plan_id));
    let response = send(auth, Verb::Get, &path, None).await?;
    response.json().await.map_err(decode_failure)
}

/// `POST /api/chat/undo` of a plan's change: the whole set back (its answer, the todos as
/// they are again, is not needed: the list reloads).
pub async fn plan_undo(auth: Auth, change_id: &str) -> Result<(), ApiFailure> {
    let body = to_json(&crate::wire::chat::UndoRequest {
        change_id: change_id.to_owned(),
    })?;
    send(auth, Verb::Post, "/api/chat/undo", Some(body)).await?;
    Ok(())
}

pub(super) fn encode_component(text: &str) -> String {
    js_sys::encode_uri_component(text).into()
}

fn to_json(value: &impl serde::Serialize) -> Result<String, ApiFailure> {
    serde_json::to_string(value).map_err(|e| ApiFailure::Rejected(e.to_string()))
}

/// `GET /api/export`: the export document's text, as the server wrote it.
pub async fn export_document(auth: Auth) -> Result<String, ApiFailure> {
    send(auth, Verb::Get, "/api/export", None)
        .await?
        .text()
        .await
        .map_err(decode_failure)
}

/// `POST /api/import`: an export document (`application/json`) or a Todoist CSV
/// (`text/csv`), as the file's text.
pub async fn import_file(
    auth: Auth,
    content_type: &'static str,
    text: String,
) -> Result<crate::wire::transfer::Imported, ApiFailure> {
    send_with(
        auth,
        Verb::Post,
        "/api/import",
        Some((content_type, text)),
        None,
    )
    .await?
    .json()
    .await
    .map_err(decode_failure)
}

/// `POST /api/files`: the server checks size, type and todo before any byte is sent.
pub async fn begin_upload(auth: Auth, input: &NewUpload) -> Result<UploadStarted, ApiFailure> {
    send(auth, Verb::Post, "/api/files", Some(to_json(input)?))
        .await?
        .json()
        .await
        .map_err(decode_failure)
}

pub async fn complete_upload(auth: Auth, file_id: &str) -> Result<FileInfo, ApiFailure> {
    let path = format!("/api/files/{file_id}/complete");
    send(auth, Verb::Post, &path, None)
        .await?
        .json()
        .await
        .map_err(decode_failure)
}

pub async fn todo_files(auth: Auth, todo_id: &str) -> Result<Vec<FileInfo>, ApiFailure> {
    let path = format!("/api/todos/{todo_id}/files");
    send(auth, Verb::Get, &path, None)
        .await?
        .json()
        .await
        .map_err(decode_failure)
}

pub async fn delete_file(auth: Auth, file_id: &str) -> Result<(), ApiFailure> {
    let path = format!("/api/files/{file_id}");
    send(auth, Verb::Delete, &path, None).await.map(|_| ())
}

/// A short-lived URL that downloads the file.
pub async fn download_link(auth: Auth, file_id: &str) -> Result<String, ApiFailure> {
    let path = format!("/api/files/{file_id}/download");
    let link: DownloadLink = send(auth, Verb::Post, &path, None)
        .await?
        .json()
        .await
        .map_err(decode_failure)?;
    Ok(auth.absolute_url(&link.url))
}

/// The user's lists (the Inbox first, then in their order) if they differ from the ones
/// tagged `etag` (with their new tag), `None` if not: as the todo poll.
pub async fn list_lists_if_changed(
    auth: Auth,
    etag: Option<String>,
) -> Result<Option<Fetched<Vec<crate::wire::TodoList>>>, ApiFailure> {
    fetch_if_changed(auth, "/api/lists", etag).await
}

pub async fn create_list(auth: Auth, name: &str) -> Result<crate::wire::TodoList, ApiFailure> {
    let input = crate::wire::NewList {
        name: name.to_owned(),
        color: None,
    };
    send(auth, Verb::Post, "/api/lists", Some(to_json(&input)?))
        .await?
        .json()
        .await
        .map_err(decode_failure)
}

/// Deletes a list; its todos move to the Inbox (`delete_todos`: they are deleted instead,
/// restorable like any deleted todo).
pub async fn delete_list(
    auth: Auth,
    id: &str,
    delete_todos: bool,
) -> Result<crate::wire::ListDeleted, ApiFailure> {
    let todos = if delete_todos { "delete" } else { "move" };
    let path = format!("/api/lists/{id}?todos={todos}");
    send(auth, Verb::Delete, &path, None)
        .await?
        .json()
        .await
        .map_err(decode_failure)
}

/// Tells the server the browser's time zone when the stored one differs (what it decides
/// without a request in hand, such as the day a repeating todo was done, uses it).
pub async fn sync_time_zone(auth: Auth, zone: &str) -> Result<(), ApiFailure> {
    let me: crate::wire::Me = send(auth, Verb::Get, "/api/me", None)
        .await?
        .json()
        .await
        .map_err(decode_failure)?;
    if me.time_zone.as_deref() == Some(zone) {
        return Ok(());
    }
    let patch = crate::wire::MePatch {
        time_zone: zone.to_owned(),
    };
    send(auth, Verb::Patch, "/api/me", Some(to_json(&patch)?))
        .await
        .map(|_| ())
}

/// Changes a list (here: its place, `order`); the list as it is now.
pub async fn update_list(
    auth: Auth,
    id: &str,
    patch: &crate::wire::ListPatch,
) -> Result<crate::wire::TodoList, ApiFailure> {
    let path = format!("/api/lists/{}", encode_component(id));
    send(auth, Verb::Patch, &path, Some(to_json(patch)?))
        .await?
        .json()
        .await
        .map_err(decode_failure)
}

/// Renames a label on every todo that has it.
pub async fn rename_label(auth: Auth, from: &str, to: &str) -> Result<(), ApiFailure> {
    let path = format!("/api/labels/{}", encode_component(from));
    let body = crate::wire::LabelRename {
        name: to.to_owned(),
    };
    send(auth, Verb::Patch, &path, Some(to_json(&body)?))
        .await
        .map(|_| ())
}

// The token and activity calls read their answers as JSON values, not as the typed
// `wire::access` structs: those structs' decoders would add to the wasm for a few fields
// read once (the server serializes the typed structs; `Value`'s decoder is here anyway).

/// `GET /api/tokens`: the user's personal access tokens (never their secrets).
pub async fn access_tokens(auth: Auth) -> Result<Vec<serde_json::Value>, ApiFailure> {
    let mut list: serde_json::Value = send(auth, Verb::Get, "/api/tokens", None)
        .await?
        .json()
        .await
        .map_err(decode_failure)?;
    Ok(match list["tokens"].take() {
        serde_json::Value::Array(tokens) => tokens,
        _ => Vec::new(),
    })
}

/// Mints a token (`access`: "read" or "write"); the answer (`{id, name, access, token}`)
/// is the only place its secret ever appears.
pub async fn create_access_token(
    auth: Auth,
    name: &str,
    access: &str,
) -> Result<serde_json::Value, ApiFailure> {
    let body = serde_json::json!({ "name": name, "access": access }).to_string();
    send(auth, Verb::Post, "/api/tokens", Some(body))
        .await?
        .json()
        .await
        .map_err(decode_failure)
}

pub async fn revoke_access_token(auth: Auth, id: &str) -> Result<(), ApiFailure> {
    let path = format!("/api/tokens/{}", encode_component(id));
    send(auth, Verb::Delete, &path, None).await.map(|_| ())
}

/// A page of the activity log, newest first: `{activity: [...], next?}`.
pub async fn activity(auth: Auth, next: Option<&str>) -> Result<serde_json::Value, ApiFailure> {
    let path = match next {
        Some(cursor) => format!("/api/activity?next={}", encode_component(cursor)),
        None => "/api/activity".to_owned(),
    };
    send(auth, Verb::Get, &path, None)
        .await?
        .json()
        .await
        .map_err(decode_failure)
}

/// Undoes one change of the activity log (a `409` says the todo changed since).
pub async fn activity_undo(auth: Auth, change_id: &str) -> Result<(), ApiFailure> {
    let body = to_json(&crate::wire::chat::UndoRequest {
        change_id: change_id.to_owned(),
    })?;
    send(auth, Verb::Post, "/api/activity/undo", Some(body))
        .await
        .map(|_| ())
}

// Reminders by Web Push (issue 27). Answers are read as JSON values, like the token calls:
// a few fields read once.

/// `GET /api/push/key`: the server's VAPID public key (base64url).
pub async fn push_key(auth: Auth) -> Result<String, ApiFailure> {
    let key: serde_json::Value = send(auth, Verb::Get, "/api/push/key", None)
        .await?
        .json()
        .await
        .map_err(decode_failure)?;
    key["publicKey"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| ApiFailure::Rejected("The server has no push key.".into()))
}

/// `POST /api/push/subscriptions` with the browser's `PushSubscription.toJSON()` as it is.
pub async fn add_push_subscription(
    auth: Auth,
    subscription_json: String,
) -> Result<(), ApiFailure> {
    send(
        auth,
        Verb::Post,
        "/api/push/subscriptions",
        Some(subscription_json),
    )
    .await
    .map(|_| ())
}

/// `DELETE /api/push/subscriptions`: this browser's endpoint is forgotten.
pub async fn remove_push_subscription(auth: Auth, endpoint: &str) -> Result<(), ApiFailure> {
    let body = serde_json::json!({ "endpoint": endpoint }).to_string();
    send(auth, Verb::Delete, "/api/push/subscriptions", Some(body))
        .await
        .map(|_| ())
}

/// `GET /api/notifications`: the last reminders sent, newest first
/// (`{id, todoId, title, body, at}` each).
pub async fn notifications(auth: Auth) -> Result<Vec<serde_json::Value>, ApiFailure> {
    let mut answer: serde_json::Value = send(auth, Verb::Get, "/api/notifications", None)
        .await?
        .json()
        .await
        .map_err(decode_failure)?;
    Ok(match answer["notifications"].take() {
        serde_json::Value::Array(list) => list,
        _ => Vec::new(),
    })
}
