//! `POST /action-group`: the Bedrock action-group contract over HTTP, for tests and for
//! hosting the action group outside Lambda. Session attributes in the body carry identity, so
//! the caller must present `ACTION_GROUP_SECRET` (constant-time compared).

use axum::{Json, Router, body::Bytes, extract::State, http::HeaderMap, routing::post};

use crate::{
    action_group::{FunctionEvent, FunctionResponse, handle},
    error::{AppError, Result},
    state::AppState,
};

pub const SECRET_HEADER: &str = "x-tasko-action-group-secret";

pub fn router() -> Router<AppState> {
    Router::new().route("/action-group", post(invoke))
}

/// Equal inputs give equal digests; comparing digests takes the same time whatever differs.
/// The secret is checked before the body is read: unauthenticated callers learn nothing.
async fn invoke(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<FunctionResponse>> {
    let expected = state
        .action_group_secret
        .as_ref()
        .ok_or_else(|| AppError::NotFound("No such API endpoint.".into()))?;
    let given = headers
        .get(SECRET_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !expected.matches(given) {
        return Err(AppError::Unauthorized("bad action-group secret".into()));
    }
    let event: FunctionEvent = serde_json::from_slice(&body)
        .map_err(|e| AppError::Invalid(format!("Not an action-group event: {e}")))?;
    Ok(Json(handle(&state.files, event).await))
}
