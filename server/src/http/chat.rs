//! /api/chat: a turn as Server-Sent Events over POST, stop, new chat, history, and the
//! WebSocket transport (authenticated by a single-use ticket, never by a JWT in the URL).

use std::convert::Infallible;

use app::wire::chat::{
    ChatEvent, ChatHistory, ChatRequest, ConversationList, UndoRequest, WsTicket,
};
use axum::{
    Json, Router,
    extract::{
        State,
        ws::{Message, WebSocket, WebSocketUpgrade, rejection::WebSocketUpgradeRejection},
    },
    http::StatusCode,
    response::{
        IntoResponse, Response,
        sse::{Event, KeepAlive, Sse},
    },
    routing::{get, post},
};
use serde::Deserialize;
use tokio_stream::{StreamExt, wrappers::ReceiverStream};

use super::{
    AuthUser,
    json::{ApiJson, ApiPath, ApiQuery, PageParams},
};
use crate::{
    chat::ChatError,
    domain::{ChangeId, ConnectionId, ConnectionRecord, ConversationId, UserId},
    error::{AppError, Result},
    state::AppState,
    tools::changes::UndoError,
};

/// `websockets: false` (on Lambda): the WebSocket routes answer a JSON error naming SSE.
pub fn router(websockets: bool) -> Router<AppState> {
    let chat = Router::new()
        .route("/chat", post(chat))
        .route("/chat/stop", post(stop))
        .route("/chat/new", post(new_chat))
        .route("/chat/history", get(history))
        .route("/chat/conversations", get(conversations))
        .route(
            "/chat/conversations/{session_id}",
            get(conversation).delete(delete_conversation),
        )
        .route(
            "/chat/conversations/{session_id}/continue",
            post(continue_conversation),
        )
        .route("/chat/undo", post(undo));
    if websockets {
        chat.route("/chat/ticket", post(ticket))
            .route("/chat/ws", get(websocket))
    } else {
        chat.route("/chat/ticket", post(no_websockets))
            .route("/chat/ws", get(no_websockets))
    }
}

async fn no_websockets() -> AppError {
    AppError::Invalid(
        "WebSockets are not available on this deployment; use POST /api/chat (Server-Sent Events)."
            .into(),
    )
}

fn sse_event(event: &ChatEvent) -> Event {
    let data = serde_json::to_string(event).unwrap_or_else(|_| "{}".into());
    Event::default().event(event.name()).data(data)
}

async fn chat(
    user: AuthUser,
    State(state): State<AppState>,
    ApiJson(request): ApiJson<ChatRequest>,
) -> Result<Response> {
    let turn = state.chat.start_turn(user.id, request).await?;
    let stream =
        ReceiverStream::new(turn.events).map(|event| Ok::<_, Infallible>(sse_event(&event)));
    let mut response = Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response();
    // Proxies must not buffer the stream.
    response.headers_mut().insert(
        "x-accel-buffering",
        axum::http::HeaderValue::from_static("no"),
    );
    Ok(response)
}

async fn stop(user: AuthUser, State(state): State<AppState>) -> Result<Json<serde_json::Value>> {
    let stopped = state.chat.stop(&user.id).await?;
    Ok(Json(serde_json::json!({ "stopped": stopped })))
}

async fn new_chat(
    user: AuthUser,
    State(state): State<AppState>,
) -> Result<Json<serde_json::Value>> {
    let session = state.chat.new_session(&user.id).await?;
    Ok(Json(serde_json::json!({ "sessionId": session.session_id })))
}

async fn history(user: AuthUser, State(state): State<AppState>) -> Result<Json<ChatHistory>> {
    Ok(Json(state.chat.history(&user.id).await?))
}

/// Conversations per page unless `limit` says otherwise (1 to 100).
const CONVERSATIONS_PER_PAGE: usize = 20;

async fn conversations(
    user: AuthUser,
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<ConversationList>> {
    let limit = params.limit_or(CONVERSATIONS_PER_PAGE)?;
    let list = state
        .chat
        .conversations(&user.id, params.next.as_deref(), limit)
        .await?;
    Ok(Json(list))
}

async fn conversation(
    user: AuthUser,
    State(state): State<AppState>,
    ApiPath(session_id): ApiPath<String>,
) -> Result<Json<ChatHistory>> {
    let id = ConversationId::parse(&session_id)?;
    Ok(Json(state.chat.conversation(&user.id, id).await?))
}

async fn continue_conversation(
    user: AuthUser,
    State(state): State<AppState>,
    ApiPath(session_id): ApiPath<String>,
) -> Result<Json<ChatHistory>> {
    let id = ConversationId::parse(&session_id)?;
    let history = state.chat.continue_conversation(&user.id, id).await?;
    Ok(Json(history))
}

async fn delete_conversation(
    user: AuthUser,
    State(state): State<AppState>,
    ApiPath(session_id): ApiPath<String>,
) -> Result<StatusCode> {
    let id = ConversationId::parse(&session_id)?;
    state.chat.delete_conversation(&user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `200` with the todo as it is again (a plan's set: `{"todos": [...]}`), `204` for an
/// undone add, `409` if the todo changed
/// since (or it was undone already), `404` for an unknown change or another user's.
async fn undo(
    user: AuthUser,
    State(state): State<AppState>,
    ApiJson(request): ApiJson<UndoRequest>,
) -> Result<Response> {
    let change_id = ChangeId::parse(&request.change_id)?;
    let undone = state
        .chat
        .undo_change(&user.id, change_id)
        .await
        .map_err(|e| match e {
            UndoError::NotFound(m) => AppError::NotFound(m),
            UndoError::Conflict(m) => AppError::Conflict(m),
            UndoError::QuotaExceeded(m) => AppError::QuotaExceeded(m),
            UndoError::Backend(e) => e.into(),
        })?;
    super::activity::undone_answer(&state, &user, undone).await
}

async fn ticket(user: AuthUser, State(state): State<AppState>) -> Result<Json<WsTicket>> {
    Ok(Json(WsTicket {
        ticket: state.chat.tickets.issue(user.id).await?,
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WsParams {
    ticket: String,
}

async fn websocket(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<WsParams>,
    upgrade: std::result::Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response> {
    // Checked before the ticket is redeemed: a plain GET does not use it up.
    let upgrade = upgrade.map_err(|rejection| {
        AppError::Invalid(format!(
            "This endpoint takes WebSocket connections only ({}).",
            rejection.body_text()
        ))
    })?;
    let user = state
        .chat
        .tickets
        .redeem(&params.ticket)
        .await?
        .ok_or_else(|| AppError::Unauthorized("unknown, used or expired ticket".into()))?;
    Ok(upgrade
        .max_message_size(64 * 1024)
        // tungstenite's defaults (128 KiB to read into, 128 KiB to gather writes in) made an
        // idle socket cost 134 KiB; chat frames are small and each event is sent at once.
        .read_buffer_size(4 * 1024)
        .write_buffer_size(0)
        .on_upgrade(move |socket| serve_socket(socket, user, state)))
}

impl From<ChatError> for AppError {
    fn from(err: ChatError) -> Self {
        match err {
            ChatError::Invalid(m) => Self::Invalid(m),
            ChatError::TooLong(m) => Self::PayloadTooLarge(m),
            ChatError::RateLimited {
                retry_after_seconds,
            } => Self::TooManyRequests {
                retry_after_seconds,
            },
            ChatError::Busy => Self::Conflict(err.to_string()),
            ChatError::NothingToReplace(m) => Self::Conflict(m),
            ChatError::NotFound => Self::NotFound(err.to_string()),
            ChatError::Store(e) => e.into(),
        }
    }
}

async fn send(socket: &mut WebSocket, event: &ChatEvent) -> bool {
    let text = serde_json::to_string(event).unwrap_or_else(|_| "{}".into());
    socket.send(Message::Text(text.into())).await.is_ok()
}

/// One socket: each client frame is a `ChatRequest`; the turn's events go back as frames.
/// The connection is recorded in the store while open.
async fn serve_socket(mut socket: WebSocket, user: UserId, state: AppState) {
    let session_id = match state.chat.current_session(&user).await {
        Ok((session, _)) => session.session_id,
        Err(e) => {
            tracing::error!(error = %e, "websocket: no session");
            return;
        }
    };
    let record = ConnectionRecord {
        connection_id: ConnectionId::new(),
        owner: user.clone(),
        session_id,
        connected_at: state.chat.current_time().as_second(),
    };
    if let Err(e) = state.store.put_connection(&record).await {
        tracing::error!(error = %e, "websocket: connection not recorded");
        return;
    }
    while let Some(Ok(message)) = socket.recv().await {
        let text = match message {
            Message::Text(text) => text,
            Message::Close(_) => break,
            _ => continue,
        };
        let request = match serde_json::from_str::<ChatRequest>(&text) {
            Ok(request) => request,
            Err(e) => {
                let event = AppError::Invalid(format!("Not a chat request: {e}")).to_chat_event();
                if !send(&mut socket, &event).await {
                    break;
                }
                continue;
            }
        };
        match state.chat.start_turn(user.clone(), request).await {
            Ok(mut turn) => {
                while let Some(event) = turn.events.recv().await {
                    if !send(&mut socket, &event).await {
                        break;
                    }
                }
            }
            Err(e) => {
                if !send(&mut socket, &AppError::from(e).to_chat_event()).await {
                    break;
                }
            }
        }
    }
    if let Err(e) = state.store.delete_connection(record.connection_id).await {
        tracing::error!(error = %e, "websocket: connection record not deleted");
    }
}
