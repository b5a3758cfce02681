//! A client for the Cognito user-pool JSON protocol. The endpoint comes from config.json:
//! `/idp` for the embedded IdP, `https://cognito-idp.<region>.amazonaws.com/` on AWS.

use gloo_net::http::Request;
use serde::{Serialize, de::DeserializeOwned};

use crate::wire::{
    CognitoConfig,
    cognito::{
        AuthenticationResult, CONTENT_TYPE, CodeDeliveryResponse, CognitoError,
        ConfirmForgotPasswordRequest, ConfirmSignUpRequest, GlobalSignOutRequest,
        InitiateAuthRequest, InitiateAuthResponse, SignUpRequest, SignUpResponse, TARGET_PREFIX,
        UserCodeRequest,
    },
};

/// A failed call: `kind` is Cognito's `__type` (empty for network failures).
#[derive(Debug, Clone)]
pub struct CognitoFailure {
    pub kind: String,
    pub message: String,
}

impl CognitoFailure {
    /// Rejected credentials or tokens, as opposed to a network or service problem.
    pub fn is_not_authorized(&self) -> bool {
        self.kind.ends_with("NotAuthorizedException")
    }
}

async fn call<Req: Serialize, Resp: DeserializeOwned>(
    config: &CognitoConfig,
    operation: &str,
    request: &Req,
) -> Result<Resp, CognitoFailure> {
    let network = |e: gloo_net::Error| CognitoFailure {
        kind: String::new(),
        message: format!("The sign-in service could not be reached ({e})."),
    };
    let body = serde_json::to_string(request).map_err(|e| CognitoFailure {
        kind: String::new(),
        message: e.to_string(),
    })?;
    let response = Request::post(&config.endpoint)
        .header("Content-Type", CONTENT_TYPE)
        .header("X-Amz-Target", &format!("{TARGET_PREFIX}{operation}"))
        .body(body)
        .map_err(network)?
        .send()
        .await
        .map_err(network)?;
    if response.ok() {
        return response.json().await.map_err(network);
    }
    let status = response.status();
    match response.json::<CognitoError>().await {
        Ok(error) => Err(CognitoFailure {
            kind: error.kind.rsplit('#').next().unwrap_or_default().to_owned(),
            message: error.message,
        }),
        Err(_) => Err(CognitoFailure {
            kind: String::new(),
            message: format!("The sign-in service answered HTTP {status}."),
        }),
    }
}

pub async fn sign_up(
    config: &CognitoConfig,
    email: &str,
    password: &str,
) -> Result<SignUpResponse, CognitoFailure> {
    let request = SignUpRequest {
        client_id: config.client_id.clone(),
        username: email.to_owned(),
        password: password.to_owned(),
        user_attributes: vec![crate::wire::cognito::AttributeType {
            name: "email".into(),
            value: email.to_owned(),
        }],
    };
    call(config, "SignUp", &request).await
}

pub async fn sign_in(
    config: &CognitoConfig,
    email: &str,
    password: &str,
) -> Result<AuthenticationResult, CognitoFailure> {
    let request = InitiateAuthRequest {
        auth_flow: "USER_PASSWORD_AUTH".into(),
        client_id: config.client_id.clone(),
        auth_parameters: [
            ("USERNAME".to_owned(), email.to_owned()),
            ("PASSWORD".to_owned(), password.to_owned()),
        ]
        .into(),
    };
    call::<_, InitiateAuthResponse>(config, "InitiateAuth", &request)
        .await
        .map(|r| r.authentication_result)
}

pub async fn refresh(
    config: &CognitoConfig,
    refresh_token: &str,
) -> Result<AuthenticationResult, CognitoFailure> {
    let request = InitiateAuthRequest {
        auth_flow: "REFRESH_TOKEN_AUTH".into(),
        client_id: config.client_id.clone(),
        auth_parameters: [("REFRESH_TOKEN".to_owned(), refresh_token.to_owned())].into(),
    };
    call::<_, InitiateAuthResponse>(config, "InitiateAuth", &request)
        .await
        .map(|r| r.authentication_result)
}

pub async fn global_sign_out(
    config: &CognitoConfig,
    access_token: &str,
) -> Result<(), CognitoFailure> {
    let request = GlobalSignOutRequest {
        access_token: access_token.to_owned(),
    };
    call::<_, serde_json::Value>(config, "GlobalSignOut", &request)
        .await
        .map(|_| ())
}

fn user_code_request(config: &CognitoConfig, email: &str) -> UserCodeRequest {
    UserCodeRequest {
        client_id: config.client_id.clone(),
        username: email.to_owned(),
    }
}

/// Where the code went (masked), for telling the user where to look.
pub async fn resend_confirmation_code(
    config: &CognitoConfig,
    email: &str,
) -> Result<String, CognitoFailure> {
    let request = user_code_request(config, email);
    call::<_, CodeDeliveryResponse>(config, "ResendConfirmationCode", &request)
        .await
        .map(|r| r.code_delivery_details.destination)
}

pub async fn confirm_sign_up(
    config: &CognitoConfig,
    email: &str,
    code: &str,
) -> Result<(), CognitoFailure> {
    let request = ConfirmSignUpRequest {
        client_id: config.client_id.clone(),
        username: email.to_owned(),
        confirmation_code: code.to_owned(),
    };
    call::<_, serde_json::Value>(config, "ConfirmSignUp", &request)
        .await
        .map(|_| ())
}

pub async fn forgot_password(
    config: &CognitoConfig,
    email: &str,
) -> Result<String, CognitoFailure> {
    let request = user_code_request(config, email);
    call::<_, CodeDeliveryResponse>(config, "ForgotPassword", &request)
        .await
        .map(|r| r.code_delivery_details.destination)
}

pub async fn confirm_forgot_password(
    config: &CognitoConfig,
    email: &str,
    code: &str,
    password: &str,
) -> Result<(), CognitoFailure> {
    let request = ConfirmForgotPasswordRequest {
        client_id: config.client_id.clone(),
        username: email.to_owned(),
        confirmation_code: code.to_owned(),
        password: password.to_owned(),
    };
    call::<_, serde_json::Value>(config, "ConfirmForgotPassword", &request)
        .await
        .map(|_| ())
}
