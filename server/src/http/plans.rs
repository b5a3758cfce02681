//! `POST /api/chat/plan`: the answer to a plan card. The chosen items are checked again
//! and applied as one change (`tools::plans`); `{"apply": []}` discards the plan.
//! `200 {"changeId", "applied", "refused"}`; `400` for items or dates the plan does not
//! have, `404` for an unknown plan or another user's, `409` when it was answered already,
//! `410` after its deadline. `GET /api/chat/plan/{planId}`: the card as it is now (with
//! its answer once answered), for a plan no chat shows (an MCP client's, opened by its
//! link); `404` for an unknown plan or another user's, `410` unanswered past its deadline.

use app::wire::plan::{PlanApplied, PlanCard, PlanRequest};
use axum::{
    Json, Router,
    extract::{Path, State},
    routing::{get, post},
};

use super::{AuthUser, json::ApiJson};
use crate::{
    error::{AppError, Result},
    state::AppState,
    tools::plans::{self, PlanError},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/chat/plan", post(answer))
        .route("/chat/plan/{plan_id}", get(card))
}

impl From<PlanError> for AppError {
    fn from(err: PlanError) -> Self {
        match err {
            PlanError::Invalid(m) => Self::Invalid(m),
            PlanError::NotFound(m) => Self::NotFound(m),
            PlanError::Conflict(m) => Self::Conflict(m),
            PlanError::Expired(m) => Self::Expired(m),
            PlanError::Backend(e) => e.into(),
        }
    }
}

async fn answer(
    user: AuthUser,
    State(state): State<AppState>,
    ApiJson(request): ApiJson<PlanRequest>,
) -> Result<Json<PlanApplied>> {
    let answered = plans::answer(&state.files, &user.id, &request).await?;
    Ok(Json(answered.result))
}

async fn card(
    user: AuthUser,
    State(state): State<AppState>,
    Path(plan_id): Path<String>,
) -> Result<Json<PlanCard>> {
    Ok(Json(plans::card(&state.files, &user.id, &plan_id).await?))
}
