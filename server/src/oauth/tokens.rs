//! The token endpoint (`POST /oauth/token`: the `authorization_code` and `refresh_token`
//! grants for public clients), the check of an access token on every request, and
//! revocation (RFC 7009).
//!
//! Tokens are `tasko_oat_` (access, 1 hour) and `tasko_ort_` (refresh, 30 days) followed by
//! 32 random bytes; only their SHA-256 is stored. A refresh rotates: the token presented is
//! marked used (conditionally, so of two presentations one wins) and a new pair is issued;
//! presenting a used one again means it leaked, and revokes its whole grant, so every token
//! of that family stops. Each use of an access token reads its record and its grant: a
//! revoked grant stops its tokens at once on every instance.

use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;

use super::{OAuthError, OAuthServer, random_secret};
use crate::{
    domain::{
        Access, TokenHash, UserId,
        oauth::{
            ACCESS_TOKEN_PREFIX, ACCESS_TTL, AccessRecord, Grant, OAuthErrorCode,
            REFRESH_TOKEN_PREFIX, REFRESH_TTL, RefreshRecord, access_from_scope, scope_of,
        },
    },
    store::{StoreError, oauth::RefreshUse},
};

/// How stale a grant's `last_used_at` may get before a request writes it again.
const LAST_USED_EVERY: SignedDuration = SignedDuration::from_secs(60);

/// `POST /oauth/token`'s form (RFC 6749 §4.1.3 and §6, RFC 8707's `resource`).
#[derive(Debug, Default, Deserialize)]
pub struct TokenForm {
    pub grant_type: Option<String>,
    pub code: Option<String>,
    pub redirect_uri: Option<String>,
    pub code_verifier: Option<String>,
    pub client_id: Option<String>,
    pub refresh_token: Option<String>,
    pub resource: Option<String>,
    pub scope: Option<String>,
}

/// A successful token response's content.
#[derive(Debug)]
pub struct IssuedTokens {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: i64,
    pub scope: &'static str,
}

/// What a request's OAuth access token is.
#[derive(Debug)]
pub enum AccessCheck {
    /// Live, for this resource, its grant standing.
    Valid(AccessRecord),
    /// Unknown, expired, or its grant revoked.
    Invalid,
    /// Minted for another resource (RFC 8707: not to be accepted here).
    OtherResource,
}

fn required<'a>(value: &'a Option<String>, name: &str) -> Result<&'a str, OAuthError> {
    value.as_deref().filter(|v| !v.is_empty()).ok_or_else(|| {
        OAuthError::new(
            OAuthErrorCode::InvalidRequest,
            format!("`{name}` is required."),
        )
    })
}

fn invalid_grant(why: &str) -> OAuthError {
    OAuthError::new(OAuthErrorCode::InvalidGrant, why)
}

impl OAuthServer {
    /// Answers a token request.
    pub async fn exchange(&self, form: TokenForm) -> Result<IssuedTokens, OAuthError> {
        match required(&form.grant_type, "grant_type")? {
            "authorization_code" => self.redeem_code(&form).await,
            "refresh_token" => self.refresh(&form).await,
            _ => Err(OAuthError::new(
                OAuthErrorCode::UnsupportedGrantType,
                "Tasko issues tokens for authorization_code and refresh_token only.",
            )),
        }
    }

    fn check_resource(&self, form: &TokenForm, bound: &str) -> Result<(), OAuthError> {
        match form.resource.as_deref() {
            Some(resource) if resource != bound => Err(OAuthError::new(
                OAuthErrorCode::InvalidTarget,
                format!("The grant is for {bound}, not {resource}."),
            )),
            _ => Ok(()),
        }
    }

    async fn redeem_code(&self, form: &TokenForm) -> Result<IssuedTokens, OAuthError> {
        let code = required(&form.code, "code")?;
        let client_id = required(&form.client_id, "client_id")?;
        let redirect_uri = required(&form.redirect_uri, "redirect_uri")?;
        let verifier = required(&form.code_verifier, "code_verifier")?;
        let now = self.clock.now();
        // Taken whatever follows: a code is tried once (a wrong verifier burns it).
        let record = self
            .records
            .take_code(&TokenHash::of(code), now)
            .await?
            .ok_or_else(|| invalid_grant("The code is unknown, used or expired."))?;
        if record.client.id != client_id {
            return Err(invalid_grant("The code was issued to another client."));
        }
        if record.redirect_uri != redirect_uri {
            return Err(invalid_grant(
                "The redirect_uri is not the one the code was issued for.",
            ));
        }
        if !record.code_challenge.is_met_by(verifier) {
            return Err(invalid_grant(
                "The code_verifier does not match the code_challenge.",
            ));
        }
        self.check_resource(form, &record.resource)?;
        let grant_end = now + REFRESH_TTL;
        if !self
            .extend_grant(&record.owner, record.grant, grant_end, now)
            .await?
        {
            return Err(invalid_grant("The user revoked this authorization."));
        }
        self.keep_client(&record.client.id).await?;
        let grant = Grant {
            id: record.grant,
            client_id: record.client.id.clone(),
            client_name: record.client.name.clone(),
            client_site: record.client.site.clone(),
            access: record.access,
            resource: record.resource.clone(),
            created_at: now,
            last_used_at: None,
            expires_at: grant_end,
        };
        self.issue(&record.owner, &grant, record.access, now).await
    }

    /// Moves a grant's end (a code redeemed, a refresh); `false` if it is gone.
    async fn extend_grant(
        &self,
        owner: &UserId,
        grant: crate::domain::GrantId,
        end: Timestamp,
        now: Timestamp,
    ) -> Result<bool, OAuthError> {
        if self
            .records
            .touch_grant(owner, grant, now, now, Some(end))
            .await?
        {
            return Ok(true);
        }
        // A concurrent write of the grants entry: written or not, is the grant there?
        Ok(self.records.find_grant(owner, grant, now).await?.is_some())
    }

    async fn refresh(&self, form: &TokenForm) -> Result<IssuedTokens, OAuthError> {
        let token = required(&form.refresh_token, "refresh_token")?;
        let client_id = required(&form.client_id, "client_id")?;
        let now = self.clock.now();
        let record = match self.records.use_refresh(&TokenHash::of(token), now).await? {
            RefreshUse::Fresh(record) => record,
            RefreshUse::Reused(record) => {
                // A rotated token presented again leaked: the whole family goes.
                match self
                    .records
                    .remove_grant(&record.owner, record.grant, now)
                    .await
                {
                    Ok(()) | Err(StoreError::NotFound) => {}
                    Err(e) => return Err(e.into()),
                }
                tracing::warn!(grant = %record.grant, "refresh token reused; grant revoked");
                return Err(invalid_grant(
                    "The refresh token was used before; the authorization is revoked.",
                ));
            }
            RefreshUse::Unknown => {
                return Err(invalid_grant("The refresh token is unknown or expired."));
            }
        };
        let grant = self
            .records
            .find_grant(&record.owner, record.grant, now)
            .await?
            .ok_or_else(|| invalid_grant("The user revoked this authorization."))?;
        if grant.client_id != client_id {
            return Err(invalid_grant(
                "The refresh token was issued to another client.",
            ));
        }
        self.check_resource(form, &grant.resource)?;
        // A refresh may narrow the access (RFC 6749 §6), never widen it.
        let access = match form.scope.as_deref() {
            None => grant.access,
            Some(scope) => {
                let asked = access_from_scope(Some(scope))
                    .map_err(|e| OAuthError::new(OAuthErrorCode::InvalidScope, e.0))?;
                if asked == Access::Write && grant.access == Access::Read {
                    return Err(OAuthError::new(
                        OAuthErrorCode::InvalidScope,
                        "The grant is read-only; todos:write was not granted.",
                    ));
                }
                asked
            }
        };
        let grant_end = now + REFRESH_TTL;
        if !self
            .extend_grant(&record.owner, grant.id, grant_end, now)
            .await?
        {
            return Err(invalid_grant("The user revoked this authorization."));
        }
        self.issue(&record.owner, &grant, access, now).await
    }

    /// Mints an access and a refresh token of `grant`.
    async fn issue(
        &self,
        owner: &UserId,
        grant: &Grant,
        access: Access,
        now: Timestamp,
    ) -> Result<IssuedTokens, OAuthError> {
        let access_token = format!("{ACCESS_TOKEN_PREFIX}{}", random_secret());
        let refresh_token = format!("{REFRESH_TOKEN_PREFIX}{}", random_secret());
        let record = AccessRecord {
            owner: owner.clone(),
            grant: grant.id,
            access,
            resource: grant.resource.clone(),
            client_name: grant.client_name.clone(),
        };
        self.records
            .put_access(
                &TokenHash::of(&access_token),
                &record,
                now + ACCESS_TTL,
                now,
            )
            .await?;
        let refresh = RefreshRecord {
            owner: owner.clone(),
            grant: grant.id,
            used: false,
        };
        self.records
            .put_refresh(
                &TokenHash::of(&refresh_token),
                &refresh,
                now + REFRESH_TTL,
                now,
            )
            .await?;
        Ok(IssuedTokens {
            access_token,
            refresh_token,
            expires_in: ACCESS_TTL.as_secs(),
            scope: scope_of(access),
        })
    }

    /// What a request's `tasko_oat_` Bearer value is worth. Reads the Store every time (no
    /// cache, so a revoke acts at once) and notes the grant's use at most once a minute.
    pub async fn verify_access(&self, secret: &str) -> Result<AccessCheck, StoreError> {
        let now = self.clock.now();
        let Some(record) = self.records.get_access(&TokenHash::of(secret), now).await? else {
            return Ok(AccessCheck::Invalid);
        };
        if record.resource != self.site.resource {
            return Ok(AccessCheck::OtherResource);
        }
        let Some(grant) = self
            .records
            .find_grant(&record.owner, record.grant, now)
            .await?
        else {
            return Ok(AccessCheck::Invalid);
        };
        let fresh_after = now - LAST_USED_EVERY;
        if grant.last_used_at.is_none_or(|t| t < fresh_after) {
            // Best effort: a failed note of use must not refuse the request.
            if let Err(e) = self
                .records
                .touch_grant(&record.owner, grant.id, now, fresh_after, None)
                .await
            {
                tracing::warn!(error = %e, "grant's last use not noted");
            }
        }
        Ok(AccessCheck::Valid(record))
    }

    /// RFC 7009: revokes an access token (that token) or a refresh token (its whole grant,
    /// as §2.1 suggests). Unknown tokens, and tokens of another client when `client_id` is
    /// given, are no error and change nothing (§2.2).
    pub async fn revoke_token(
        &self,
        token: &str,
        client_id: Option<&str>,
    ) -> Result<(), OAuthError> {
        let now = self.clock.now();
        let hash = TokenHash::of(token);
        let of_client = |grant: &Option<Grant>| {
            grant
                .as_ref()
                .is_some_and(|g| client_id.is_none_or(|c| c == g.client_id))
        };
        if token.starts_with(ACCESS_TOKEN_PREFIX) {
            if let Some(record) = self.records.get_access(&hash, now).await? {
                let grant = self
                    .records
                    .find_grant(&record.owner, record.grant, now)
                    .await?;
                if of_client(&grant) {
                    self.records.delete_access(&hash, now).await?;
                }
            }
            return Ok(());
        }
        if token.starts_with(REFRESH_TOKEN_PREFIX)
            && let Some(record) = self.records.get_refresh(&hash, now).await?
        {
            let grant = self
                .records
                .find_grant(&record.owner, record.grant, now)
                .await?;
            if of_client(&grant) {
                self.records.take_refresh(&hash, now).await?;
                match self
                    .records
                    .remove_grant(&record.owner, record.grant, now)
                    .await
                {
                    Ok(()) | Err(StoreError::NotFound) => {}
                    Err(e) => return Err(e.into()),
                }
            }
        }
        Ok(())
    }
}
