//! `GET /api/me`: the identity the server verified, for clients to check a token.

use axum::{Json, Router, routing::get};

use app::wire::Me;

use super::AuthUser;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/me", get(me))
}

async fn me(user: AuthUser) -> Json<Me> {
    Json(Me {
        sub: user.identity.sub,
        email: user.identity.email,
    })
}
