//! Token minting with Cognito's claim shapes, so the one verifier and any Cognito-aware
//! client treat local tokens exactly like Cognito's.

use jsonwebtoken::{Algorithm, Header, encode};
use serde::Serialize;

use super::keys::SigningKey;

#[derive(Serialize)]
struct IdClaims<'a> {
    sub: &'a str,
    email: &'a str,
    email_verified: bool,
    #[serde(rename = "cognito:username")]
    username: &'a str,
    iss: &'a str,
    aud: &'a str,
    token_use: &'static str,
    auth_time: i64,
    iat: i64,
    exp: i64,
    jti: String,
    origin_jti: &'a str,
}

#[derive(Serialize)]
struct AccessClaims<'a> {
    sub: &'a str,
    iss: &'a str,
    client_id: &'a str,
    token_use: &'static str,
    scope: &'static str,
    auth_time: i64,
    iat: i64,
    exp: i64,
    jti: String,
    origin_jti: &'a str,
    username: &'a str,
}

pub struct Minted {
    pub id_token: String,
    pub access_token: String,
}

pub struct Subject<'a> {
    pub sub: &'a str,
    pub email: &'a str,
    pub client_id: &'a str,
    /// When the user typed their password (kept across refreshes, as Cognito does).
    pub auth_time: i64,
}

pub fn mint(
    key: &SigningKey,
    issuer: &str,
    subject: &Subject<'_>,
    now: i64,
    lifetime_seconds: i64,
) -> Result<Minted, jsonwebtoken::errors::Error> {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(key.kid.clone());
    let origin_jti = uuid::Uuid::new_v4().to_string();
    let exp = now + lifetime_seconds;
    let id = IdClaims {
        sub: subject.sub,
        email: subject.email,
        email_verified: true,
        // With email as the sign-in alias, Cognito's username is the sub.
        username: subject.sub,
        iss: issuer,
        aud: subject.client_id,
        token_use: "id",
        auth_time: subject.auth_time,
        iat: now,
        exp,
        jti: uuid::Uuid::new_v4().to_string(),
        origin_jti: &origin_jti,
    };
    let access = AccessClaims {
        sub: subject.sub,
        iss: issuer,
        client_id: subject.client_id,
        token_use: "access",
        scope: "aws.cognito.signin.user.admin",
        auth_time: subject.auth_time,
        iat: now,
        exp,
        jti: uuid::Uuid::new_v4().to_string(),
        origin_jti: &origin_jti,
        username: subject.sub,
    };
    Ok(Minted {
        id_token: encode(&header, &id, &key.encoding)?,
        access_token: encode(&header, &access, &key.encoding)?,
    })
}
