//! Token verification: a real IdP token works; every member of the bad-token set is a 401.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use reqwest::Method;
use rsa::pkcs8::{DecodePrivateKey, EncodePublicKey};
use serde_json::{Value, json};

use crate::helpers::{CLIENT_ID, spawn_app, test_key_pem};

fn b64(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

async fn me_status(app: &crate::helpers::TestApp, token: &str) -> u16 {
    app.api(Method::GET, "/api/me", token, None)
        .await
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_token_from_the_local_idp_identifies_its_user() {
    let app = spawn_app().await;
    let token = app.token_for("Ann@Example.com").await;
    let response = app.api(Method::GET, "/api/me", &token, None).await;
    assert_eq!(response.status(), 200);
    let me: Value = response.json().await.unwrap();
    assert_eq!(me["email"], "ann@example.com");
    assert!(!me["sub"].as_str().unwrap().is_empty());
}

#[tokio::test]
async fn local_id_tokens_carry_cognitos_claims() {
    let app = spawn_app().await;
    let token = app.token_for("claims@example.com").await;
    let payload = token.split('.').nth(1).unwrap();
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    assert_eq!(claims["iss"], app.issuer);
    assert_eq!(claims["aud"], CLIENT_ID);
    assert_eq!(claims["token_use"], "id");
    assert_eq!(claims["email"], "claims@example.com");
    assert_eq!(claims["cognito:username"], claims["sub"]);
    for claim in ["exp", "iat", "jti", "auth_time"] {
        assert!(!claims[claim].is_null(), "{claim} missing");
    }
    let header: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(token.split('.').next().unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(header["alg"], "RS256");
    assert_eq!(header["kid"], app.kid());
}

#[tokio::test]
async fn the_jwks_is_published_under_the_issuer() {
    let app = spawn_app().await;
    let jwks: Value = app
        .client
        .get(format!("{}/.well-known/jwks.json", app.issuer))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(jwks["keys"][0]["kid"], app.kid());
    assert_eq!(jwks["keys"][0]["kty"], "RSA");
    assert!(jwks["keys"][0].get("d").is_none(), "private part leaked");
}

#[tokio::test]
async fn a_forged_token_with_good_claims_is_accepted_so_the_bad_set_below_is_meaningful() {
    let app = spawn_app().await;
    let token = app.forge(app.good_claims("sub-1"));
    assert_eq!(me_status(&app, &token).await, 200);
}

#[tokio::test]
async fn every_bad_token_is_rejected_with_401() {
    let app = spawn_app().await;
    let now = jiff::Timestamp::now().as_second();
    let spoil = |f: &dyn Fn(&mut Value)| {
        let mut claims = app.good_claims("sub-1");
        f(&mut claims);
        app.forge(claims)
    };
    let good = app.forge(app.good_claims("sub-1"));
    let mut parts: Vec<&str> = good.split('.').collect();

    let mut tampered_claims = app.good_claims("sub-1");
    tampered_claims["sub"] = json!("someone-else");
    let tampered_payload = b64(&tampered_claims);
    parts[1] = &tampered_payload;
    let tampered = parts.join(".");

    let alg_none = format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "typ": "JWT", "kid": app.kid()})),
        b64(&app.good_claims("sub-1"))
    );

    let public_pem = rsa::RsaPrivateKey::from_pkcs8_pem(test_key_pem())
        .unwrap()
        .to_public_key()
        .to_public_key_pem(rsa::pkcs8::LineEnding::LF)
        .unwrap();
    let mut hs_header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    hs_header.kid = Some(app.kid());
    let hs256_with_public_key = jsonwebtoken::encode(
        &hs_header,
        &app.good_claims("sub-1"),
        &jsonwebtoken::EncodingKey::from_secret(public_pem.as_bytes()),
    )
    .unwrap();

    let other_key =
        jsonwebtoken::EncodingKey::from_rsa_pem(server::idp::generate_pem().unwrap().as_bytes())
            .unwrap();
    let mut unknown_header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    unknown_header.kid = Some("not-our-key".into());
    let unknown_kid =
        jsonwebtoken::encode(&unknown_header, &app.good_claims("sub-1"), &other_key).unwrap();
    let mut same_kid_header = unknown_header.clone();
    same_kid_header.kid = Some(app.kid());
    let our_kid_other_key =
        jsonwebtoken::encode(&same_kid_header, &app.good_claims("sub-1"), &other_key).unwrap();

    let cases: Vec<(&str, String)> = vec![
        (
            "expired",
            spoil(&|c| {
                c["exp"] = json!(now - 3600);
                c["iat"] = json!(now - 7200);
            }),
        ),
        ("not yet valid", spoil(&|c| c["nbf"] = json!(now + 3600))),
        (
            "wrong iss",
            spoil(&|c| c["iss"] = json!("https://cognito-idp.us-east-1.amazonaws.com/other")),
        ),
        ("wrong aud", spoil(&|c| c["aud"] = json!("another-client"))),
        (
            "token_use=access",
            spoil(&|c| c["token_use"] = json!("access")),
        ),
        (
            "no exp",
            spoil(&|c| {
                c.as_object_mut().unwrap().remove("exp");
            }),
        ),
        ("alg none", alg_none),
        ("HS256 signed with the public key", hs256_with_public_key),
        ("unknown kid", unknown_kid),
        ("our kid, another key", our_kid_other_key),
        ("tampered payload", tampered),
        ("garbage", "garbage".into()),
        ("three garbage parts", "a.b.c".into()),
        ("empty", String::new()),
    ];
    for (name, token) in cases {
        let response = app.api(Method::GET, "/api/todos", &token, None).await;
        assert_eq!(response.status(), 401, "{name} was not rejected");
        assert_eq!(response.headers()["www-authenticate"], "Bearer", "{name}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], "unauthorized", "{name}");
    }
}

#[tokio::test]
async fn requests_without_a_bearer_token_are_401() {
    let app = spawn_app().await;
    let url = format!("{}/api/todos", app.address);
    assert_eq!(app.client.get(&url).send().await.unwrap().status(), 401);
    let basic = app
        .client
        .get(&url)
        .header("authorization", "Basic YTpi")
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), 401);
}

#[tokio::test]
async fn unknown_kids_refetch_the_jwks_at_most_once_a_minute() {
    let app = spawn_app().await;
    let token = app.token_for("kids@example.com").await;
    assert_eq!(me_status(&app, &token).await, 200);
    assert_eq!(app.app_verifier.jwks_fetches(), 1);
    let other_key = jsonwebtoken::EncodingKey::from_rsa_pem(test_key_pem().as_bytes()).unwrap();
    for i in 0..5 {
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
        header.kid = Some(format!("rotated-{i}"));
        let forged = jsonwebtoken::encode(&header, &app.good_claims("x"), &other_key).unwrap();
        assert_eq!(me_status(&app, &forged).await, 401);
    }
    assert_eq!(
        app.app_verifier.jwks_fetches(),
        1,
        "unknown kids caused refetches"
    );
    assert_eq!(me_status(&app, &token).await, 200);
}

#[tokio::test]
async fn a_verified_token_is_remembered_and_a_tampered_one_is_still_checked() {
    let app = spawn_app().await;
    let token = app.token_for("remembered@example.com").await;
    let before = app.app_verifier.signature_checks();
    for _ in 0..20 {
        assert_eq!(me_status(&app, &token).await, 200);
    }
    assert_eq!(
        app.app_verifier.signature_checks() - before,
        1,
        "one full check for twenty requests"
    );
    // Another signature on the same claims is another token: checked, and refused.
    let (signed, signature) = token.rsplit_once('.').unwrap();
    let mut bytes = URL_SAFE_NO_PAD.decode(signature).unwrap();
    bytes[0] ^= 1;
    let tampered = format!("{signed}.{}", URL_SAFE_NO_PAD.encode(bytes));
    assert_eq!(me_status(&app, &tampered).await, 401);
    assert_eq!(app.app_verifier.signature_checks() - before, 2);
    assert_eq!(me_status(&app, &token).await, 200);
}

#[tokio::test]
async fn tokens_expire_and_the_jwks_refetch_interval_passes_on_the_apps_clock() {
    let app = spawn_app().await;
    let token = app.token_for("clocked@example.com").await;
    assert_eq!(me_status(&app, &token).await, 200);
    let other_key = jsonwebtoken::EncodingKey::from_rsa_pem(test_key_pem().as_bytes()).unwrap();
    let unknown_kid = |kid: &str| {
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
        header.kid = Some(kid.to_owned());
        jsonwebtoken::encode(&header, &app.good_claims("x"), &other_key).unwrap()
    };
    assert_eq!(me_status(&app, &unknown_kid("rotated-a")).await, 401);
    assert_eq!(app.app_verifier.jwks_fetches(), 1);
    app.clock.advance(61);
    assert_eq!(me_status(&app, &unknown_kid("rotated-b")).await, 401);
    assert_eq!(
        app.app_verifier.jwks_fetches(),
        2,
        "a minute later an unknown kid may refetch"
    );
    // The IdP's tokens live an hour (and 10 s of leeway), also for a remembered token.
    app.clock.advance(3600 + 11 - 61);
    assert_eq!(me_status(&app, &token).await, 401, "an expired token");
}
