//! AUTH=cognito against moto's Cognito user pools: the same verifier accepts the pool's ID
//! tokens (keys fetched from the configured JWKS URL), and refuses everything else.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::spawn_app_with;

pub struct MotoPool {
    pub endpoint: String,
    pub pool_id: String,
    pub client_id: String,
}

async fn moto(operation: &str, body: Value) -> Value {
    let endpoint = std::env::var("AWS_ENDPOINT_URL").expect("needs moto: run through `make unit`");
    let response = reqwest::Client::new()
        .post(format!("{endpoint}/"))
        .header("content-type", "application/x-amz-json-1.1")
        .header(
            "x-amz-target",
            format!("AWSCognitoIdentityProviderService.{operation}"),
        )
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = response.status();
    let value: Value = response.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{operation}: {status} {value}");
    value
}

/// A user pool with an app client and one confirmed user (password `Corr3ct-Horse!`).
pub async fn pool_with_user(email: &str) -> MotoPool {
    let endpoint = std::env::var("AWS_ENDPOINT_URL").expect("needs moto: run through `make unit`");
    let pool = moto(
        "CreateUserPool",
        json!({"PoolName": format!("tasko-{}", uuid::Uuid::new_v4())}),
    )
    .await;
    let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_owned();
    let client = moto(
        "CreateUserPoolClient",
        json!({"UserPoolId": pool_id, "ClientName": "web",
               "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}),
    )
    .await;
    let client_id = client["UserPoolClient"]["ClientId"]
        .as_str()
        .unwrap()
        .to_owned();
    moto(
        "AdminCreateUser",
        json!({"UserPoolId": pool_id, "Username": email, "MessageAction": "SUPPRESS",
               "UserAttributes": [{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}]}),
    )
    .await;
    moto(
        "AdminSetUserPassword",
        json!({"UserPoolId": pool_id, "Username": email, "Password": "Corr3ct-Horse!", "Permanent": true}),
    )
    .await;
    MotoPool {
        endpoint,
        pool_id,
        client_id,
    }
}

async fn sign_in(pool: &MotoPool, email: &str) -> Value {
    moto(
        "InitiateAuth",
        json!({"ClientId": pool.client_id, "AuthFlow": "USER_PASSWORD_AUTH",
               "AuthParameters": {"USERNAME": email, "PASSWORD": "Corr3ct-Horse!"}}),
    )
    .await["AuthenticationResult"]
        .clone()
}

#[tokio::test]
async fn cognito_id_tokens_are_verified_with_the_pools_jwks() {
    let pool = pool_with_user("cognito-user@example.com").await;
    let jwks = format!("{}/{}/.well-known/jwks.json", pool.endpoint, pool.pool_id);
    let endpoint = format!("{}/", pool.endpoint);
    let app = spawn_app_with(&[
        ("AUTH", "cognito"),
        ("COGNITO_REGION", "us-east-1"),
        ("COGNITO_USER_POOL_ID", &pool.pool_id),
        ("COGNITO_CLIENT_ID", &pool.client_id),
        ("COGNITO_JWKS_URL", &jwks),
        ("COGNITO_ENDPOINT", &endpoint),
    ])
    .await;
    let tokens = sign_in(&pool, "cognito-user@example.com").await;
    let id_token = tokens["IdToken"].as_str().unwrap();
    let me = app.api(Method::GET, "/api/me", id_token, None).await;
    assert_eq!(me.status(), 200);
    let me: Value = me.json().await.unwrap();
    assert_eq!(me["email"], "cognito-user@example.com");

    let todo = app
        .create_todo(id_token, json!({"title": "From Cognito"}))
        .await;
    assert_eq!(todo["title"], "From Cognito");

    let access = app
        .api(
            Method::GET,
            "/api/me",
            tokens["AccessToken"].as_str().unwrap(),
            None,
        )
        .await;
    assert_eq!(
        access.status(),
        401,
        "an access token was accepted as an ID token"
    );

    let other = pool_with_user("other-pool@example.com").await;
    let foreign = sign_in(&other, "other-pool@example.com").await;
    let response = app
        .api(
            Method::GET,
            "/api/me",
            foreign["IdToken"].as_str().unwrap(),
            None,
        )
        .await;
    assert_eq!(
        response.status(),
        401,
        "a token of another pool was accepted"
    );

    let config: Value = app
        .client
        .get(format!("{}/config.json", app.address))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(config["cognito"]["endpoint"], endpoint);
    assert_eq!(config["cognito"]["userPoolId"], pool.pool_id);
    let csp = app
        .client
        .get(format!("{}/config.json", app.address))
        .send()
        .await
        .unwrap();
    let csp = csp.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains(pool.endpoint.as_str()),
        "the browser may not reach the pool: {csp}"
    );
    let local_idp = app
        .client
        .post(format!("{}/idp", app.address))
        .send()
        .await
        .unwrap();
    assert_ne!(
        local_idp.status(),
        200,
        "the local IdP answers in Cognito mode"
    );
}
