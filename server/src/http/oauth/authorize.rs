//! `GET /oauth/authorize`: the browser arrives from the client. A valid request is stored
//! and the browser sent on to the consent page (`303 /connect?request=<id>`); an error
//! before the redirect URI is trusted is a 400 answered here (JSON, like every API error),
//! one after it goes back to the client by redirect.

use axum::{
    extract::{Query, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

use crate::{
    error::AppError,
    oauth::{AuthorizeParams, RedirectError},
    state::AppState,
};

pub async fn authorize(
    State(state): State<AppState>,
    query: Result<Query<AuthorizeParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(params)) = query else {
        return AppError::Invalid(
            "The authorization request's parameters could not be read; each may appear once."
                .into(),
        )
        .into_response();
    };
    match state.oauth.authorize(params).await {
        Ok(id) => see_other(&format!("/connect?request={id}")),
        Err(RedirectError::Refused(why)) => AppError::Invalid(why).into_response(),
        Err(RedirectError::ToClient(to)) => see_other(&to),
        Err(RedirectError::Store(e)) => AppError::from(e).into_response(),
    }
}

fn see_other(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(location) => (
            StatusCode::SEE_OTHER,
            [
                (header::LOCATION, location),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
        )
            .into_response(),
        Err(_) => {
            AppError::Invalid("The redirect URI cannot be used in a header.".into()).into_response()
        }
    }
}
