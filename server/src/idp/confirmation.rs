//! The code flows of a real user pool, in Cognito's shapes: `ConfirmSignUp` and
//! `ResendConfirmationCode` (a sign-up waits for the emailed code when
//! `IDP_REQUIRE_CONFIRMATION=1`), `ForgotPassword` and `ConfirmForgotPassword`.
//!
//! They do not tell who has an account (a pool with `PreventUserExistenceErrors`, the one
//! the deployment creates, goes most of the way; this goes all of it). Unknown, unconfirmed
//! and confirmed accounts get the same answers: asking for a code always "sends" one (only
//! an account that can use it gets it), and every code that is not accepted, whether
//! wrong, used, expired, voided by guessing or not checked because the account has guessed
//! too often, is the same `CodeMismatchException`. Telling "expired" from "wrong" would
//! tell a known account from an unknown one, which has no code to expire. They also cost
//! the same: an unknown email runs the same steps on a decoy record, written and committed
//! like a real one (`Directory::update_or_decoy`).

use axum::response::Response;

use app::wire::cognito::{
    CodeDeliveryResponse, ConfirmForgotPasswordRequest, ConfirmSignUpRequest, UserCodeRequest,
};

use super::{
    LocalIdp,
    codes::{self, CodeCheck},
    directory::CodePurpose,
    password,
    protocol::{IdpError, amz_json, busy, check_client, fail, internal, normalize_email, parse},
};

/// The one answer for every code that is not accepted (Cognito's words for a wrong code).
fn mismatch() -> IdpError {
    fail(
        "CodeMismatchException",
        "Invalid verification code provided, please try again.",
    )
}

fn accepted(check: CodeCheck, email: &str) -> Result<(), IdpError> {
    match check {
        CodeCheck::Accepted => Ok(()),
        CodeCheck::TooManyGuesses => {
            tracing::info!(email, "code guesses for this account used up for now");
            Err(mismatch())
        }
        CodeCheck::Mismatch | CodeCheck::Expired => Err(mismatch()),
    }
}

pub async fn confirm_sign_up(idp: &LocalIdp, body: &[u8]) -> Result<Response, IdpError> {
    let request: ConfirmSignUpRequest = parse(body)?;
    check_client(idp, &request.client_id)?;
    let email = normalize_email(&request.username)?;
    let now = idp.now_ms();
    let code = request.confirmation_code;
    let check = idp
        .directory
        .update_or_decoy(&email, move |user, exists| {
            // A confirmed user has no sign-up code left: its check fails like a wrong guess.
            let check = codes::check(user, CodePurpose::ConfirmSignUp, &code, now);
            if check == CodeCheck::Accepted && exists {
                user.confirmed = true;
            }
            check
        })
        .await
        .map_err(internal)?;
    accepted(check, &email)?;
    Ok(amz_json(&serde_json::json!({})))
}

/// Answers "a `purpose` code was sent" to whoever asks; only an account for which `usable`
/// holds (given whether it is confirmed) gets one. A code is made either way: the same work.
async fn send_code(
    idp: &LocalIdp,
    body: &[u8],
    purpose: CodePurpose,
    usable: fn(confirmed: bool) -> bool,
) -> Result<Response, IdpError> {
    let request: UserCodeRequest = parse(body)?;
    check_client(idp, &request.client_id)?;
    let email = normalize_email(&request.username)?;
    let now = idp.now_ms();
    let sent = idp
        .directory
        .update_or_decoy(&email, move |user, exists| {
            let (digits, record) = codes::issue(purpose, now);
            (exists && usable(user.confirmed)).then(|| {
                user.code = Some(record);
                digits
            })
        })
        .await
        .map_err(internal)?;
    if let Some(digits) = sent {
        codes::deliver(&email, purpose, &digits);
    }
    Ok(amz_json(&CodeDeliveryResponse {
        code_delivery_details: codes::delivery_details(&email),
    }))
}

/// A new sign-up code replaces the old one; a confirmed account gets none.
pub async fn resend_confirmation_code(idp: &LocalIdp, body: &[u8]) -> Result<Response, IdpError> {
    send_code(idp, body, CodePurpose::ConfirmSignUp, |confirmed| {
        !confirmed
    })
    .await
}

/// Only a confirmed account (its email verified) gets a reset code, as on Cognito.
pub async fn forgot_password(idp: &LocalIdp, body: &[u8]) -> Result<Response, IdpError> {
    send_code(idp, body, CodePurpose::ResetPassword, |confirmed| confirmed).await
}

pub async fn confirm_forgot_password(idp: &LocalIdp, body: &[u8]) -> Result<Response, IdpError> {
    let request: ConfirmForgotPasswordRequest = parse(body)?;
    check_client(idp, &request.client_id)?;
    let email = normalize_email(&request.username)?;
    password::check_policy(&request.password).map_err(|m| fail("InvalidPasswordException", m))?;
    // Hashed before the code is checked, for every account: a code is consumed only
    // together with the change, and an unknown account costs the same hash.
    let password_hash = idp
        .hasher
        .hash(request.password)
        .await
        .map_err(|_| busy())?
        .map_err(internal)?;
    let now = idp.now_ms();
    let code = request.confirmation_code;
    let check = idp
        .directory
        .update_or_decoy(&email, move |user, exists| {
            let check = codes::check(user, CodePurpose::ResetPassword, &code, now);
            if check == CodeCheck::Accepted && exists {
                user.password_hash = password_hash;
                // Whoever knew the old password loses the sessions it opened.
                user.signed_out_at = Some(now);
            }
            check
        })
        .await
        .map_err(internal)?;
    accepted(check, &email)?;
    idp.lockout.succeeded(&email);
    Ok(amz_json(&serde_json::json!({})))
}
