//! The calls behind the consent page and Settings → "Connected apps" (all with the
//! signed-in session, like token management). Answers are read as JSON values, as the
//! token calls are, to keep decoders out of the wasm; their shapes are `wire::oauth`.

use serde_json::Value;

use crate::ui::{
    api::{ApiFailure, Verb, decode_failure, encode_component, send},
    auth::session::Auth,
};

/// `GET /api/oauth/requests/{id}`: `{requestId, client: {id, name, site, logoUri},
/// access, redirectUri}`; `ApiFailure::NotFound` when unknown or expired.
pub async fn authorization_request(auth: Auth, id: &str) -> Result<Value, ApiFailure> {
    let path = format!("/api/oauth/requests/{}", encode_component(id));
    send(auth, Verb::Get, &path, None)
        .await?
        .json()
        .await
        .map_err(decode_failure)
}

/// Approves or denies a request (once); where to send the browser next.
pub async fn answer(auth: Auth, id: &str, approve: bool) -> Result<String, ApiFailure> {
    let path = format!("/api/oauth/requests/{}", encode_component(id));
    let body = serde_json::json!({ "approve": approve }).to_string();
    let answer: Value = send(auth, Verb::Post, &path, Some(body))
        .await?
        .json()
        .await
        .map_err(decode_failure)?;
    match answer["redirect"].as_str() {
        Some(redirect) => Ok(redirect.to_owned()),
        None => Err(ApiFailure::Rejected(
            "The server's answer named no place to go back to.".into(),
        )),
    }
}

/// `GET /api/oauth/grants`: the apps the user connected.
pub async fn grants(auth: Auth) -> Result<Vec<Value>, ApiFailure> {
    let mut list: Value = send(auth, Verb::Get, "/api/oauth/grants", None)
        .await?
        .json()
        .await
        .map_err(decode_failure)?;
    Ok(match list["grants"].take() {
        Value::Array(grants) => grants,
        _ => Vec::new(),
    })
}

/// Revokes a grant: its access and refresh tokens stop at once.
pub async fn revoke_grant(auth: Auth, id: &str) -> Result<(), ApiFailure> {
    let path = format!("/api/oauth/grants/{}", encode_component(id));
    send(auth, Verb::Delete, &path, None).await.map(|_| ())
}
