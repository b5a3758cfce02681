//! `/api/push`: the VAPID public key browsers subscribe with, and the browsers a user
//! allowed to show reminders (`push::PushService`). The key is public (it is in every
//! subscription), so it needs no sign-in; subscriptions are the signed-in user's.

use axum::{
    Json, Router,
    extract::State,
    http::StatusCode,
    routing::{get, post},
};

use serde::Deserialize;

use app::wire::push::{PushKey, PushSubscriptionInput, PushUnsubscribe};

use super::{AuthUser, json::ApiJson};
use crate::{
    error::{AppError, Result},
    push::PushError,
    state::AppState,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/push/key", get(key))
        .route("/push/subscriptions", post(subscribe).delete(unsubscribe))
        .route("/push/subscriptions/renew", post(renew))
}

impl From<PushError> for AppError {
    fn from(e: PushError) -> Self {
        match e {
            PushError::Invalid(invalid) => invalid.into(),
            PushError::LimitReached(message) => AppError::QuotaExceeded(message),
            PushError::Store(e) => e.into(),
        }
    }
}

async fn key(State(state): State<AppState>) -> Json<PushKey> {
    Json(PushKey {
        public_key: state.push.public_key().to_owned(),
    })
}

/// 201 for a new browser, 200 for one already subscribed (its keys are replaced).
async fn subscribe(
    user: AuthUser,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<PushSubscriptionInput>,
) -> Result<StatusCode> {
    let created = state.push.subscribe(&user.id, &input).await?;
    Ok(if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    })
}

/// `POST /api/push/subscriptions/renew`: sent by the service worker, which has no session,
/// when the browser replaced its subscription; the old subscription's `keys.auth` proves
/// the sender holds it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PushRenewal {
    old_endpoint: String,
    old_auth: String,
    subscription: PushSubscriptionInput,
}

/// 200 when the new subscription took the old one's place; 404 when no one holds the old
/// endpoint with that secret (nothing changed).
async fn renew(
    State(state): State<AppState>,
    ApiJson(input): ApiJson<PushRenewal>,
) -> Result<StatusCode> {
    let renewed = state
        .push
        .renew(&input.old_endpoint, &input.old_auth, &input.subscription)
        .await?;
    if renewed {
        Ok(StatusCode::OK)
    } else {
        Err(AppError::NotFound(
            "No browser holds that subscription with that secret.".into(),
        ))
    }
}

/// 204 whether or not the browser was subscribed: either way it no longer is.
async fn unsubscribe(
    user: AuthUser,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<PushUnsubscribe>,
) -> Result<StatusCode> {
    state.push.unsubscribe(&user.id, &input.endpoint).await?;
    Ok(StatusCode::NO_CONTENT)
}
