//! The local IdP's one endpoint: `POST /idp` with `X-Amz-Target` naming the operation, as
//! Cognito's JSON protocol has it (content type checked, the per-address limit on the
//! operations that cost a hash, an email or a guess), plus the published keys and OpenID
//! configuration. The operations live in `protocol.rs` and `confirmation.rs`.

use std::{
    convert::Infallible,
    net::{IpAddr, Ipv4Addr, SocketAddr},
    sync::Arc,
};

use axum::{
    Router,
    body::Bytes,
    extract::{ConnectInfo, FromRequestParts, State},
    http::{HeaderMap, header, request::Parts},
    response::{IntoResponse, Response},
    routing::{get, post},
};

use app::wire::cognito::{CONTENT_TYPE, TARGET_PREFIX};

use super::{
    LocalIdp, confirmation,
    protocol::{busy, fail, global_sign_out, initiate_auth, jwks, openid_configuration, sign_up},
};

pub fn router(idp: Arc<LocalIdp>) -> Router {
    Router::new()
        .route("/idp", post(dispatch))
        .route("/idp/", post(dispatch))
        .route("/idp/{pool}/.well-known/jwks.json", get(jwks))
        .route(
            "/idp/{pool}/.well-known/openid-configuration",
            get(openid_configuration),
        )
        .with_state(idp)
}

/// The peer's address, when the server runs with connect info (the real listener does;
/// a router driven directly in a test has none and counts as one unknown client).
struct ClientAddress(IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let address = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip());
        Ok(Self(address))
    }
}

async fn dispatch(
    State(idp): State<Arc<LocalIdp>>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    if !content_type.is_some_and(|ct| ct.starts_with("application/x-amz-json")) {
        return fail(
            "SerializationException",
            format!("Content-Type must be {CONTENT_TYPE}."),
        )
        .into_response();
    }
    let target = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let operation = target.strip_prefix(TARGET_PREFIX).unwrap_or("");
    // Sign-ups, sign-ins and password resets cost a password hash each, sending a code
    // costs an email on Cognito, and every code check is a guess: a client gets a bounded
    // number of all of them.
    let limited = matches!(
        operation,
        "SignUp"
            | "InitiateAuth"
            | "ConfirmSignUp"
            | "ResendConfirmationCode"
            | "ForgotPassword"
            | "ConfirmForgotPassword"
    );
    if limited && idp.address_limit.take(address).is_err() {
        tracing::info!(%address, operation, "identity provider rate limit");
        return busy().into_response();
    }
    let result = match operation {
        "SignUp" => sign_up(&idp, &body).await,
        "InitiateAuth" => initiate_auth(&idp, &body).await,
        "GlobalSignOut" => global_sign_out(&idp, &body).await,
        "ConfirmSignUp" => confirmation::confirm_sign_up(&idp, &body).await,
        "ResendConfirmationCode" => confirmation::resend_confirmation_code(&idp, &body).await,
        "ForgotPassword" => confirmation::forgot_password(&idp, &body).await,
        "ConfirmForgotPassword" => confirmation::confirm_forgot_password(&idp, &body).await,
        _ => Err(fail(
            "UnknownOperationException",
            format!("Unknown operation '{target}'."),
        )),
    };
    result.unwrap_or_else(IntoResponse::into_response)
}
