//! `POST /api/push/actions` (a notification's "Done" / "Snooze 1 h", answered by the
//! service worker without the app: the action token is the credential, so no
//! Authorization header is read) and `GET /api/notifications` (the in-app bell's list).

use app::wire::push::{Notifications, PushAction};
use axum::{
    Json, Router,
    extract::State,
    http::StatusCode,
    routing::{get, post},
};

use super::{AuthUser, json::ApiJson};
use crate::{
    error::{AppError, Result},
    reminders::ActionError,
    state::AppState,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/push/actions", post(act))
        .route("/notifications", get(list))
}

impl From<ActionError> for AppError {
    fn from(err: ActionError) -> Self {
        match err {
            gone @ ActionError::Gone => AppError::Gone(gone.to_string()),
            ActionError::Todo(e) => e.into(),
        }
    }
}

async fn act(
    State(state): State<AppState>,
    ApiJson(action): ApiJson<PushAction>,
) -> Result<StatusCode> {
    state.reminders.act(&action).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn list(user: AuthUser, State(state): State<AppState>) -> Result<Json<Notifications>> {
    Ok(Json(state.reminders.notifications(&user.id).await?))
}
