//! The local IdP's operations in Cognito's JSON protocol (sign-up, sign-in, sign-out, the
//! published keys) and the protocol's shapes every operation shares: errors as Cognito
//! names them, request parsing, the client and username checks. Requests reach them
//! through `dispatch.rs`.

use std::sync::Arc;

use axum::{
    Json,
    extract::{Path, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, Validation};
use rand::RngCore;
use serde::de::DeserializeOwned;

use app::wire::cognito::{
    AuthenticationResult, CONTENT_TYPE, CognitoError, GlobalSignOutRequest, InitiateAuthRequest,
    InitiateAuthResponse, SignUpRequest, SignUpResponse,
};

use super::{
    LocalIdp, codes,
    directory::{CodePurpose, DirectoryError, RefreshRecord, UserRecord},
    password,
    tokens::{self, Subject},
};

const REFRESH_TOKEN_DAYS: i64 = 30;

/// A Cognito-shaped error: HTTP 400 (500 for our own failures) with `__type`.
pub(super) struct IdpError {
    kind: &'static str,
    message: String,
}

pub(super) fn fail(kind: &'static str, message: impl Into<String>) -> IdpError {
    IdpError {
        kind,
        message: message.into(),
    }
}

/// Cognito's answer when a client (or everyone together) asks too often.
pub(super) fn busy() -> IdpError {
    fail(
        "TooManyRequestsException",
        "Too many requests; try again in a few seconds.",
    )
}

pub(super) fn internal(cause: impl std::fmt::Display) -> IdpError {
    tracing::error!(%cause, "local IdP failure");
    fail("InternalErrorException", "Internal error.")
}

impl IntoResponse for IdpError {
    fn into_response(self) -> Response {
        let status = if self.kind == "InternalErrorException" {
            StatusCode::INTERNAL_SERVER_ERROR
        } else {
            StatusCode::BAD_REQUEST
        };
        let body = serde_json::to_vec(&CognitoError {
            kind: self.kind.into(),
            message: self.message,
        })
        .unwrap_or_default();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
        headers.insert("x-amzn-errortype", HeaderValue::from_static(self.kind));
        response
    }
}

pub(super) fn amz_json(body: &impl serde::Serialize) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    ([(header::CONTENT_TYPE, CONTENT_TYPE)], bytes).into_response()
}

pub(super) fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, IdpError> {
    serde_json::from_slice(body).map_err(|e| fail("InvalidParameterException", e.to_string()))
}

pub(super) fn check_client(idp: &LocalIdp, client_id: &str) -> Result<(), IdpError> {
    if client_id == idp.settings.client_id {
        Ok(())
    } else {
        Err(fail(
            "ResourceNotFoundException",
            format!("User pool client {client_id} does not exist."),
        ))
    }
}

/// Usernames are email addresses, compared case-insensitively.
pub(super) fn normalize_email(raw: &str) -> Result<String, IdpError> {
    let email = raw.trim().to_lowercase();
    let valid = email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && matches!(email.split_once('@'), Some((local, domain))
            if !local.is_empty() && domain.contains('.') && !domain.contains('@')
                && !domain.starts_with('.') && !domain.ends_with('.'));
    if valid {
        Ok(email)
    } else {
        Err(fail(
            "InvalidParameterException",
            "Username should be an email.",
        ))
    }
}

pub(super) async fn sign_up(idp: &LocalIdp, body: &[u8]) -> Result<Response, IdpError> {
    let request: SignUpRequest = parse(body)?;
    check_client(idp, &request.client_id)?;
    let email = normalize_email(&request.username)?;
    if let Some(attr) = request.user_attributes.iter().find(|a| a.name == "email")
        && attr.value.trim().to_lowercase() != email
    {
        return Err(fail(
            "InvalidParameterException",
            "The email attribute must match the username.",
        ));
    }
    password::check_policy(&request.password).map_err(|m| fail("InvalidPasswordException", m))?;
    let password_hash = idp
        .hasher
        .hash(request.password)
        .await
        .map_err(|_| busy())?
        .map_err(internal)?;
    let sub = uuid::Uuid::new_v4().to_string();
    let now = idp.now_ms();
    // A real pool sends a code and waits for it; the local one, by default, confirms at once.
    let code = idp
        .settings
        .require_confirmation
        .then(|| codes::issue(CodePurpose::ConfirmSignUp, now));
    let user = UserRecord {
        sub: sub.clone(),
        email: email.clone(),
        password_hash,
        created_at: now,
        signed_out_at: None,
        confirmed: code.is_none(),
        code: code.as_ref().map(|(_, record)| record.clone()),
        wrong_code_guesses: Vec::new(),
    };
    match idp.directory.create_user(user).await {
        Ok(()) => Ok(amz_json(&SignUpResponse {
            user_confirmed: code.is_none(),
            user_sub: sub,
            code_delivery_details: code.map(|(digits, _)| {
                codes::deliver(&email, CodePurpose::ConfirmSignUp, &digits);
                codes::delivery_details(&email)
            }),
        })),
        Err(DirectoryError::UserExists) => Err(fail(
            "UsernameExistsException",
            "An account with the given email already exists.",
        )),
        Err(e) => Err(internal(e)),
    }
}

pub(super) async fn initiate_auth(idp: &LocalIdp, body: &[u8]) -> Result<Response, IdpError> {
    let request: InitiateAuthRequest = parse(body)?;
    check_client(idp, &request.client_id)?;
    let param = |name: &str| {
        request
            .auth_parameters
            .get(name)
            .filter(|v| !v.is_empty())
            .cloned()
            .ok_or_else(|| {
                fail(
                    "InvalidParameterException",
                    format!("Missing required parameter {name}"),
                )
            })
    };
    match request.auth_flow.as_str() {
        "USER_PASSWORD_AUTH" => {
            let (username, pass) = (param("USERNAME")?, param("PASSWORD")?);
            let key = username.trim().to_lowercase();
            if !idp.lockout.begin_attempt(&key) {
                return Err(fail("NotAuthorizedException", "Password attempts exceeded"));
            }
            let user = match normalize_email(&username) {
                Ok(email) => idp
                    .directory
                    .user_by_email(&email)
                    .await
                    .map_err(internal)?,
                Err(_) => None,
            };
            let stored = user.as_ref().map(|u| u.password_hash.clone());
            let Ok(ok) = idp.hasher.verify(pass, stored).await else {
                idp.lockout.abandoned(&key);
                return Err(busy());
            };
            let user = match user {
                Some(user) if ok => user,
                // The attempt was counted when it began.
                _ => {
                    return Err(fail(
                        "NotAuthorizedException",
                        "Incorrect username or password.",
                    ));
                }
            };
            idp.lockout.succeeded(&key);
            // As Cognito: the password is checked first, so this says nothing to a guesser.
            if !user.confirmed {
                return Err(fail("UserNotConfirmedException", "User is not confirmed."));
            }
            let now = idp.now_ms();
            let refresh_token = new_refresh_token();
            let record = RefreshRecord {
                sub: user.sub.clone(),
                client_id: request.client_id.clone(),
                issued_at: now,
                expires_at: now + REFRESH_TOKEN_DAYS * 86_400_000,
            };
            idp.directory
                .store_refresh_token(&refresh_token, record)
                .await
                .map_err(internal)?;
            let subject = Subject {
                sub: &user.sub,
                email: &user.email,
                client_id: &request.client_id,
                auth_time: now / 1000,
            };
            respond_with_tokens(idp, &subject, Some(refresh_token))
        }
        "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => {
            let token = param("REFRESH_TOKEN")?;
            let invalid = || fail("NotAuthorizedException", "Invalid Refresh Token.");
            let record = idp
                .directory
                .refresh_token(&token)
                .await
                .map_err(internal)?
                .ok_or_else(invalid)?;
            if record.expires_at <= idp.now_ms() || record.client_id != request.client_id {
                return Err(invalid());
            }
            let user = idp
                .directory
                .user_by_sub(&record.sub)
                .await
                .map_err(internal)?
                .ok_or_else(invalid)?;
            if user.signed_out_at.is_some_and(|at| record.issued_at <= at) {
                return Err(fail(
                    "NotAuthorizedException",
                    "Refresh Token has been revoked",
                ));
            }
            let subject = Subject {
                sub: &user.sub,
                email: &user.email,
                client_id: &request.client_id,
                auth_time: record.issued_at / 1000,
            };
            respond_with_tokens(idp, &subject, None)
        }
        other => Err(fail(
            "InvalidParameterException",
            format!("Initiate Auth method not supported: {other}"),
        )),
    }
}

fn new_refresh_token() -> String {
    let mut bytes = [0u8; 48];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn respond_with_tokens(
    idp: &LocalIdp,
    subject: &Subject<'_>,
    refresh_token: Option<String>,
) -> Result<Response, IdpError> {
    let lifetime = idp.settings.token_lifetime_seconds;
    let minted = tokens::mint(
        &idp.key,
        &idp.settings.issuer,
        subject,
        idp.now_ms() / 1000,
        lifetime,
    )
    .map_err(internal)?;
    Ok(amz_json(&InitiateAuthResponse {
        authentication_result: AuthenticationResult {
            access_token: minted.access_token,
            id_token: minted.id_token,
            refresh_token,
            expires_in: lifetime as u64,
            token_type: "Bearer".into(),
        },
        challenge_parameters: Default::default(),
    }))
}

#[derive(serde::Deserialize)]
struct AccessClaims {
    sub: String,
    token_use: String,
}

pub(super) async fn global_sign_out(idp: &LocalIdp, body: &[u8]) -> Result<Response, IdpError> {
    let request: GlobalSignOutRequest = parse(body)?;
    let invalid = || fail("NotAuthorizedException", "Invalid Access Token");
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_issuer(&[&idp.settings.issuer]);
    validation.validate_aud = false;
    let claims =
        jsonwebtoken::decode::<AccessClaims>(&request.access_token, &idp.key.decoding, &validation)
            .map_err(|_| invalid())?
            .claims;
    if claims.token_use != "access" {
        return Err(invalid());
    }
    idp.directory
        .sign_out_everywhere(&claims.sub, idp.now_ms())
        .await
        .map_err(internal)?;
    Ok(amz_json(&serde_json::json!({})))
}

pub(super) async fn jwks(State(idp): State<Arc<LocalIdp>>, Path(pool): Path<String>) -> Response {
    if pool != idp.settings.user_pool_id {
        return StatusCode::NOT_FOUND.into_response();
    }
    (
        [(header::CACHE_CONTROL, "public, max-age=300")],
        Json(idp.key.jwks()),
    )
        .into_response()
}

pub(super) async fn openid_configuration(
    State(idp): State<Arc<LocalIdp>>,
    Path(pool): Path<String>,
) -> Response {
    if pool != idp.settings.user_pool_id {
        return StatusCode::NOT_FOUND.into_response();
    }
    let issuer = &idp.settings.issuer;
    Json(serde_json::json!({
        "issuer": issuer,
        "jwks_uri": format!("{issuer}/.well-known/jwks.json"),
        "id_token_signing_alg_values_supported": ["RS256"],
        "subject_types_supported": ["public"],
        "response_types_supported": ["token"],
    }))
    .into_response()
}
