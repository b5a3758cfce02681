//! `GET /api/me`: the identity the server verified, for clients to check a token, and the
//! user's settings; `PATCH /api/me`: sets them (the browser sends its time zone whenever it
//! differs from the stored one).

use axum::{Json, Router, extract::State, routing::get};

use app::wire::{Me, MePatch};

use super::{AuthUser, json::ApiJson};
use crate::{
    domain::{Profile, ZoneName},
    error::Result,
    state::AppState,
};

pub fn router() -> Router<AppState> {
    Router::new().route("/me", get(me).patch(update))
}

fn answer(user: AuthUser, profile: Profile) -> Json<Me> {
    Json(Me {
        sub: user.identity.sub,
        email: user.identity.email,
        time_zone: profile.time_zone.map(|z| z.as_str().to_owned()),
    })
}

async fn me(user: AuthUser, State(state): State<AppState>) -> Result<Json<Me>> {
    let profile = state.store.get_profile(&user.id).await?;
    Ok(answer(user, profile))
}

async fn update(
    user: AuthUser,
    State(state): State<AppState>,
    ApiJson(patch): ApiJson<MePatch>,
) -> Result<Json<Me>> {
    let zone = ZoneName::parse(&patch.time_zone)?;
    let mut profile = state.store.get_profile(&user.id).await?;
    profile.time_zone = Some(zone);
    state.store.put_profile(&user.id, &profile).await?;
    Ok(answer(user, profile))
}
