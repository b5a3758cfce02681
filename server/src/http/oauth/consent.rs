//! `/api/oauth/*`: the signed-in user's side. The consent page reads a pending request
//! (`GET /api/oauth/requests/{id}`) and answers it once (`POST`, approve or deny: where the
//! browser goes next); Settings → "Connected apps" lists the user's grants and revokes one
//! (all its tokens stop at once, on every instance). Only a signed-in session may: a token
//! approving grants could widen its own access.

use app::wire::oauth::{
    AuthorizationRequest, ConsentAnswer, ConsentRedirect, GrantClient, GrantInfo, GrantList,
    OAuthClient as WireClient,
};
use axum::{
    Json, Router,
    extract::State,
    http::StatusCode,
    routing::{delete, get},
};

use crate::{
    domain::{GrantId, oauth::Grant, rfc3339},
    error::{AppError, Result},
    http::{
        AuthUser,
        json::{ApiJson, ApiPath},
    },
    oauth::ConsentError,
    state::AppState,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/oauth/requests/{id}", get(request).post(answer))
        .route("/oauth/grants", get(grants))
        .route("/oauth/grants/{id}", delete(revoke))
}

impl From<ConsentError> for AppError {
    fn from(e: ConsentError) -> Self {
        match e {
            ConsentError::NotFound => AppError::NotFound(e.to_string()),
            ConsentError::LimitReached => AppError::QuotaExceeded(e.to_string()),
            ConsentError::Store(e) => e.into(),
        }
    }
}

async fn request(
    user: AuthUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<AuthorizationRequest>> {
    user.require_session()?;
    let pending = state
        .oauth
        .pending(&id)
        .await?
        .ok_or_else(|| AppError::from(ConsentError::NotFound))?;
    Ok(Json(AuthorizationRequest {
        request_id: id,
        client: WireClient {
            id: pending.client.id,
            name: pending.client.name,
            site: pending.client.site,
            logo_uri: pending.client.logo_uri,
        },
        access: pending.access.as_str().to_owned(),
        redirect_uri: pending.redirect_uri,
    }))
}

async fn answer(
    user: AuthUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ApiJson(answer): ApiJson<ConsentAnswer>,
) -> Result<Json<ConsentRedirect>> {
    user.require_session()?;
    let redirect = state.oauth.answer(&user.id, &id, answer.approve).await?;
    Ok(Json(ConsentRedirect { redirect }))
}

fn info(grant: Grant) -> GrantInfo {
    GrantInfo {
        id: grant.id.to_string(),
        client: GrantClient {
            id: grant.client_id,
            name: grant.client_name,
            site: grant.client_site,
        },
        access: grant.access.as_str().to_owned(),
        created_at: rfc3339(grant.created_at),
        last_used_at: grant.last_used_at.map(rfc3339),
    }
}

async fn grants(user: AuthUser, State(state): State<AppState>) -> Result<Json<GrantList>> {
    user.require_session()?;
    let grants = state.oauth.grants(&user.id).await?;
    Ok(Json(GrantList {
        grants: grants.into_iter().map(info).collect(),
    }))
}

async fn revoke(
    user: AuthUser,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode> {
    user.require_session()?;
    let id = GrantId::parse(&id)?;
    match state.oauth.revoke_grant(&user.id, id).await {
        Ok(()) => Ok(StatusCode::NO_CONTENT),
        Err(crate::store::StoreError::NotFound) => {
            Err(AppError::NotFound("No such connected app.".into()))
        }
        Err(e) => Err(e.into()),
    }
}
