//! The code flows of a real user pool, in Cognito's shapes: `ConfirmSignUp` and
//! `ResendConfirmationCode` (a sign-up waits for the emailed code when
//! `IDP_REQUIRE_CONFIRMATION=1`), `ForgotPassword` and `ConfirmForgotPassword`.
//!
//! Unknown users get the answers a pool with `PreventUserExistenceErrors` gives (the one the
//! deployment creates): asking for a reset code "succeeds" and a code never matches, so these
//! operations do not tell who has an account.

use axum::response::Response;

use app::wire::cognito::{
    CodeDeliveryDetails, CodeDeliveryResponse, ConfirmForgotPasswordRequest, ConfirmSignUpRequest,
    UserCodeRequest,
};

use super::{
    LocalIdp,
    codes::{self, CodeCheck},
    directory::CodePurpose,
    password,
    protocol::{
        IdpError, amz_json, busy, check_client, fail, internal, normalize_email, now_ms, parse,
    },
};

pub fn delivery_details(email: &str) -> CodeDeliveryDetails {
    CodeDeliveryDetails {
        destination: codes::masked_destination(email),
        delivery_medium: "EMAIL".into(),
        attribute_name: "email".into(),
    }
}

fn mismatch() -> IdpError {
    fail(
        "CodeMismatchException",
        "Invalid verification code provided, please try again.",
    )
}

fn code_failure(check: CodeCheck) -> Result<(), IdpError> {
    match check {
        CodeCheck::Accepted => Ok(()),
        CodeCheck::Mismatch => Err(mismatch()),
        CodeCheck::Expired => Err(fail(
            "ExpiredCodeException",
            "Invalid code provided, please request a code again.",
        )),
    }
}

fn user_not_found() -> IdpError {
    fail(
        "UserNotFoundException",
        "Username/client id combination not found.",
    )
}

pub async fn confirm_sign_up(idp: &LocalIdp, body: &[u8]) -> Result<Response, IdpError> {
    let request: ConfirmSignUpRequest = parse(body)?;
    check_client(idp, &request.client_id)?;
    let email = normalize_email(&request.username)?;
    let now = now_ms();
    let code = request.confirmation_code;
    let outcome = idp
        .directory
        .update_user(&email, move |user| {
            if user.confirmed {
                return Err(fail(
                    "NotAuthorizedException",
                    "User cannot be confirmed. Current status is CONFIRMED",
                ));
            }
            let check = codes::check(&mut user.code, CodePurpose::ConfirmSignUp, &code, now);
            if check == CodeCheck::Accepted {
                user.confirmed = true;
            }
            code_failure(check)
        })
        .await
        .map_err(internal)?;
    outcome.ok_or_else(user_not_found)??;
    Ok(amz_json(&serde_json::json!({})))
}

/// Issues a new `purpose` code to the user named in `body` and "emails" it, unless `refusal`
/// says why this user may not have one. `Ok(None)`: no such user (each caller answers that
/// its own way). Returns the normalized email with the outcome.
async fn send_code(
    idp: &LocalIdp,
    body: &[u8],
    purpose: CodePurpose,
    refusal: fn(confirmed: bool) -> Option<IdpError>,
) -> Result<(String, Option<()>), IdpError> {
    let request: UserCodeRequest = parse(body)?;
    check_client(idp, &request.client_id)?;
    let email = normalize_email(&request.username)?;
    let now = now_ms();
    let outcome = idp
        .directory
        .update_user(&email, move |user| {
            if let Some(refused) = refusal(user.confirmed) {
                return Err(refused);
            }
            let (digits, record) = codes::issue(purpose, now);
            user.code = Some(record);
            Ok(digits)
        })
        .await
        .map_err(internal)?;
    let sent = match outcome.transpose()? {
        Some(digits) => {
            codes::deliver(&email, purpose, &digits);
            Some(())
        }
        None => None,
    };
    Ok((email, sent))
}

fn code_delivered(email: &str) -> Response {
    amz_json(&CodeDeliveryResponse {
        code_delivery_details: delivery_details(email),
    })
}

pub async fn resend_confirmation_code(idp: &LocalIdp, body: &[u8]) -> Result<Response, IdpError> {
    let (email, sent) = send_code(idp, body, CodePurpose::ConfirmSignUp, |confirmed| {
        confirmed.then(|| fail("InvalidParameterException", "User is already confirmed."))
    })
    .await?;
    sent.ok_or_else(user_not_found)?;
    Ok(code_delivered(&email))
}

/// An unknown user gets the same answer as a known one (PreventUserExistenceErrors).
pub async fn forgot_password(idp: &LocalIdp, body: &[u8]) -> Result<Response, IdpError> {
    let (email, _) = send_code(idp, body, CodePurpose::ResetPassword, |confirmed| {
        (!confirmed).then(|| {
            fail(
                "InvalidParameterException",
                "Cannot reset password for the user as there is no registered/verified email or phone_number",
            )
        })
    })
    .await?;
    Ok(code_delivered(&email))
}

pub async fn confirm_forgot_password(idp: &LocalIdp, body: &[u8]) -> Result<Response, IdpError> {
    let request: ConfirmForgotPasswordRequest = parse(body)?;
    check_client(idp, &request.client_id)?;
    let email = normalize_email(&request.username)?;
    password::check_policy(&request.password).map_err(|m| fail("InvalidPasswordException", m))?;
    // Hashed before the code is checked: a code is consumed only together with the change.
    let password_hash = idp
        .hasher
        .hash(request.password)
        .await
        .map_err(|_| busy())?
        .map_err(internal)?;
    let now = now_ms();
    let code = request.confirmation_code;
    let outcome = idp
        .directory
        .update_user(&email, move |user| {
            let check = codes::check(&mut user.code, CodePurpose::ResetPassword, &code, now);
            if check == CodeCheck::Accepted {
                user.password_hash = password_hash;
                // Whoever knew the old password loses the sessions it opened.
                user.signed_out_at = Some(now);
            }
            code_failure(check)
        })
        .await
        .map_err(internal)?;
    outcome.ok_or_else(mismatch)??;
    idp.lockout.succeeded(&email);
    Ok(amz_json(&serde_json::json!({})))
}
