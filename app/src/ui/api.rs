//! The todo API client. Every call carries the ID token; a 401 gets one refresh-and-retry,
//! after which the session is over and the user is sent to sign in.

use gloo_net::http::{Request, RequestBuilder, Response};

use super::session::Auth;
use crate::wire::{
    ApiError, NewTodo, Todo, TodoPatch,
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
    Network(String),
}

impl std::fmt::Display for ApiFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::SignedOut => f.write_str("You are signed out."),
            Self::Conflict(m) | Self::Rejected(m) => f.write_str(m),
            Self::Network(m) => write!(f, "The server could not be reached ({m})."),
        }
    }
}

#[derive(Clone, Copy)]
enum Verb {
    Get,
    Post,
    Patch,
    Delete,
}

async fn send(
    auth: Auth,
    verb: Verb,
    path: &str,
    body: Option<String>,
) -> Result<Response, ApiFailure> {
    let url = format!("{}{path}", auth.api_base_url());
    for attempt in 0..2 {
        let token = auth.id_token().await.ok_or(ApiFailure::SignedOut)?;
        let builder: RequestBuilder = match verb {
            Verb::Get => Request::get(&url),
            Verb::Post => Request::post(&url),
            Verb::Patch => Request::patch(&url),
            Verb::Delete => Request::delete(&url),
        }
        .header("Authorization", &format!("Bearer {token}"));
        let network = |e: gloo_net::Error| ApiFailure::Network(e.to_string());
        let response = match &body {
            Some(json) => {
                builder
                    .header("Content-Type", "application/json")
                    .body(json.clone())
                    .map_err(network)?
                    .send()
                    .await
            }
            None => builder.send().await,
        }
        .map_err(network)?;
        match response.status() {
            401 if attempt == 0 && auth.refresh_now().await.is_ok() => continue,
            401 => {
                auth.expire();
                return Err(ApiFailure::SignedOut);
            }
            status if response.ok() => {
                let _ = status;
                return Ok(response);
            }
            status => {
                let message = response
                    .json::<ApiError>()
                    .await
                    .map(|e| e.message)
                    .unwrap_or_else(|_| format!("The server answered HTTP {status}."));
                return Err(if status == 409 {
                    ApiFailure::Conflict(message)
                } else {
                    ApiFailure::Rejected(message)
                });
            }
        }
    }
    Err(ApiFailure::SignedOut)
}

fn decode_failure(e: gloo_net::Error) -> ApiFailure {
    ApiFailure::Rejected(format!("The server's answer could not be read ({e})."))
}

pub async fn list_todos(auth: Auth) -> Result<Vec<Todo>, ApiFailure> {
    send(auth, Verb::Get, "/api/todos", None)
        .await?
        .json()
        .await
        .map_err(decode_failure)
}

pub async fn create_todo(auth: Auth, input: &NewTodo) -> Result<Todo, ApiFailure> {
    let body = serde_json::to_string(input).map_err(|e| ApiFailure::Rejected(e.to_string()))?;
    send(auth, Verb::Post, "/api/todos", Some(body))
        .await?
        .json()
        .await
        .map_err(decode_failure)
}

pub async fn update_todo(auth: Auth, id: &str, patch: &TodoPatch) -> Result<Todo, ApiFailure> {
    let body = serde_json::to_string(patch).map_err(|e| ApiFailure::Rejected(e.to_string()))?;
    let path = format!("/api/todos/{id}");
    send(auth, Verb::Patch, &path, Some(body))
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

fn to_json(value: &impl serde::Serialize) -> Result<String, ApiFailure> {
    serde_json::to_string(value).map_err(|e| ApiFailure::Rejected(e.to_string()))
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
    Ok(if link.url.starts_with('/') {
        format!("{}{}", auth.api_base_url(), link.url)
    } else {
        link.url
    })
}
