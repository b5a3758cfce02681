//! The local IdP's Cognito protocol: errors in Cognito's shape, refresh, global sign-out.
//! (boto3 drives the same protocol in tests/idp_boto3.py.)

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{CLIENT_ID, PASSWORD, spawn_app};

async fn error_type(response: reqwest::Response) -> (u16, String, String) {
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    (
        status,
        body["__type"].as_str().unwrap_or("").into(),
        body["message"].as_str().unwrap_or("").into(),
    )
}

#[tokio::test]
async fn sign_up_enforces_the_password_policy_and_unique_emails() {
    let app = spawn_app().await;
    let (status, kind, message) =
        error_type(app.sign_up("weak@example.com", "password").await).await;
    assert_eq!((status, kind.as_str()), (400, "InvalidPasswordException"));
    assert!(message.contains("uppercase"), "{message}");

    assert_eq!(app.sign_up("dup@example.com", PASSWORD).await.status(), 200);
    let (status, kind, _) = error_type(app.sign_up("DUP@example.com", PASSWORD).await).await;
    assert_eq!((status, kind.as_str()), (400, "UsernameExistsException"));

    let (_, kind, _) = error_type(app.sign_up("not-an-email", PASSWORD).await).await;
    assert_eq!(kind, "InvalidParameterException");
}

#[tokio::test]
async fn wrong_passwords_and_unknown_users_get_the_same_answer() {
    let app = spawn_app().await;
    app.new_user("known@example.com").await;
    let wrong = error_type(app.sign_in("known@example.com", "Wr0ng-Password").await).await;
    let unknown = error_type(app.sign_in("nobody@example.com", PASSWORD).await).await;
    assert_eq!(
        wrong,
        (
            400,
            "NotAuthorizedException".into(),
            "Incorrect username or password.".into()
        )
    );
    assert_eq!(unknown, wrong);
}

#[tokio::test]
async fn an_unknown_client_id_is_refused() {
    let app = spawn_app().await;
    let response = app
        .idp(
            "SignUp",
            json!({"ClientId": "evil", "Username": "e@example.com", "Password": PASSWORD}),
        )
        .await;
    assert_eq!(error_type(response).await.1, "ResourceNotFoundException");
}

#[tokio::test]
async fn a_refresh_token_yields_fresh_tokens_until_global_sign_out() {
    let app = spawn_app().await;
    let tokens = app.new_user("refresh@example.com").await;
    let refresh = tokens.refresh_token.clone().unwrap();
    let refresh_call = || {
        app.idp(
            "InitiateAuth",
            json!({"ClientId": CLIENT_ID, "AuthFlow": "REFRESH_TOKEN_AUTH",
                   "AuthParameters": {"REFRESH_TOKEN": refresh}}),
        )
    };
    let refreshed: Value = refresh_call().await.json().await.unwrap();
    let result = &refreshed["AuthenticationResult"];
    assert!(result.get("RefreshToken").is_none());
    let new_id = result["IdToken"].as_str().unwrap();
    assert_ne!(new_id, tokens.id_token);
    assert_eq!(
        app.api(Method::GET, "/api/me", new_id, None).await.status(),
        200
    );

    let signed_out = app
        .idp("GlobalSignOut", json!({"AccessToken": tokens.access_token}))
        .await;
    assert_eq!(signed_out.status(), 200);
    let (status, kind, _) = error_type(refresh_call().await).await;
    assert_eq!((status, kind.as_str()), (400, "NotAuthorizedException"));

    // A new sign-in after the sign-out works again.
    let again = app.sign_in("refresh@example.com", PASSWORD).await;
    assert_eq!(again.status(), 200);
}

#[tokio::test]
async fn global_sign_out_needs_an_access_token_not_an_id_token() {
    let app = spawn_app().await;
    let tokens = app.new_user("so@example.com").await;
    let response = app
        .idp("GlobalSignOut", json!({"AccessToken": tokens.id_token}))
        .await;
    assert_eq!(error_type(response).await.1, "NotAuthorizedException");
}

#[tokio::test]
async fn a_garbage_refresh_token_is_not_authorized() {
    let app = spawn_app().await;
    let response = app
        .idp(
            "InitiateAuth",
            json!({"ClientId": CLIENT_ID, "AuthFlow": "REFRESH_TOKEN_AUTH",
                                    "AuthParameters": {"REFRESH_TOKEN": "nope"}}),
        )
        .await;
    assert_eq!(error_type(response).await.1, "NotAuthorizedException");
}

#[tokio::test]
async fn unknown_operations_and_wrong_content_types_are_refused() {
    let app = spawn_app().await;
    let response = app.idp("AdminDeleteUser", json!({})).await;
    assert_eq!(error_type(response).await.1, "UnknownOperationException");
    let form = app
        .client
        .post(format!("{}/idp", app.address))
        .header("x-amz-target", "AWSCognitoIdentityProviderService.SignUp")
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(error_type(form).await.1, "SerializationException");
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_username_for_a_while() {
    let app = spawn_app().await;
    app.new_user("locked@example.com").await;
    for _ in 0..5 {
        let (_, kind, message) =
            error_type(app.sign_in("locked@example.com", "Wr0ng-Password").await).await;
        assert_eq!(
            (kind.as_str(), message.as_str()),
            ("NotAuthorizedException", "Incorrect username or password.")
        );
    }
    let (status, kind, message) =
        error_type(app.sign_in("LOCKED@example.com", PASSWORD).await).await;
    assert_eq!(
        (status, kind.as_str(), message.as_str()),
        (400, "NotAuthorizedException", "Password attempts exceeded")
    );
    assert_eq!(
        app.sign_in("other@example.com", PASSWORD).await.status(),
        400,
        "unknown user"
    );
    let fresh = app.new_user("fine@example.com").await;
    assert!(!fresh.id_token.is_empty(), "the lock is per username");
}

#[tokio::test]
async fn a_burst_of_concurrent_wrong_guesses_checks_at_most_five() {
    let app = crate::helpers::spawn_app_with(&[("IDP_ATTEMPTS_PER_MINUTE", "1000")]).await;
    app.new_user("burst@example.com").await;
    let wrong: Vec<String> = (0..29).map(|i| format!("Wr0ng-Guess-{i}")).collect();
    let guesses: Vec<_> = wrong
        .iter()
        .map(|password| app.sign_in("burst@example.com", password))
        .chain([app.sign_in("burst@example.com", PASSWORD)])
        .collect();
    let answers = futures_util::future::join_all(guesses).await;
    let mut checked = 0;
    let mut signed_in = 0;
    for answer in answers {
        if answer.status() == 200 {
            signed_in += 1;
            continue;
        }
        let (_, kind, message) = error_type(answer).await;
        match message.as_str() {
            "Incorrect username or password." => checked += 1,
            "Password attempts exceeded" => assert_eq!(kind, "NotAuthorizedException"),
            _ => assert_eq!(kind, "TooManyRequestsException", "{message}"),
        }
    }
    assert!(
        checked + signed_in <= 5,
        "{checked} wrong passwords checked, {signed_in} sign-ins"
    );
    assert!(
        signed_in == 0 || checked < 5,
        "the right password got through after five wrong ones"
    );
}

#[tokio::test]
async fn one_client_address_gets_a_bounded_number_of_password_attempts() {
    let app = crate::helpers::spawn_app_with(&[("IDP_ATTEMPTS_PER_MINUTE", "4")]).await;
    app.new_user("limited@example.com").await; // a sign-up and a sign-in: two attempts
    for _ in 0..2 {
        let (_, kind, _) = error_type(app.sign_in("limited@example.com", "Wr0ng-Pass").await).await;
        assert_eq!(kind, "NotAuthorizedException");
    }
    let (status, kind, message) =
        error_type(app.sign_in("limited@example.com", PASSWORD).await).await;
    assert_eq!(
        (status, kind.as_str()),
        (400, "TooManyRequestsException"),
        "{message}"
    );
    let (_, kind, _) = error_type(app.sign_up("another@example.com", PASSWORD).await).await;
    assert_eq!(kind, "TooManyRequestsException", "sign-ups count too");
}

/// Guessing a sign-up code is guessing like any other: `ConfirmSignUp` takes from the same
/// per-address allowance as sign-ins and password resets.
#[tokio::test]
async fn confirm_sign_up_counts_against_the_client_address_limit() {
    let app = crate::helpers::spawn_app_with(&[
        ("IDP_ATTEMPTS_PER_MINUTE", "3"),
        ("IDP_REQUIRE_CONFIRMATION", "1"),
    ])
    .await;
    let guess = |code: &str| {
        app.idp(
            "ConfirmSignUp",
            json!({"ClientId": CLIENT_ID, "Username": "guessed@example.com", "ConfirmationCode": code}),
        )
    };
    for code in ["000001", "000002", "000003"] {
        let (_, kind, _) = error_type(guess(code).await).await;
        assert_ne!(kind, "TooManyRequestsException");
    }
    let (status, kind, _) = error_type(guess("000004").await).await;
    assert_eq!((status, kind.as_str()), (400, "TooManyRequestsException"));
}
