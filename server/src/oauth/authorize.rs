//! The authorization request (`GET /oauth/authorize`) and the user's answer on the consent
//! page (`/api/oauth/requests/{id}`).
//!
//! The order of checks is the spec's (OAuth 2.1 §4.1.2.1): until the client and its
//! `redirect_uri` are known to belong together, an error is answered here (never sent to an
//! unverified URI, which would make Tasko an open redirector); after that, errors go back to
//! the client by redirect with `error=`. A valid request is kept in the Store for 10
//! minutes under a random id the consent page names; the answer takes it (once), and an
//! approval makes the grant and a code bound to everything the token request must repeat.

use serde::Deserialize;
use url::Url;

use super::{OAuthError, OAuthServer, random_secret};
use crate::{
    domain::{
        GrantId, TokenHash, UserId,
        oauth::{
            CODE_TTL, CodeChallenge, CodeRecord, GRANTS_PER_USER, Grant, OAuthErrorCode,
            PendingRequest, REQUEST_TTL, access_from_scope,
        },
    },
    store::StoreError,
};

/// `GET /oauth/authorize`'s query parameters (all optional here; each is checked).
#[derive(Debug, Default, Deserialize)]
pub struct AuthorizeParams {
    pub response_type: Option<String>,
    pub client_id: Option<String>,
    pub redirect_uri: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    pub scope: Option<String>,
    pub state: Option<String>,
    pub resource: Option<String>,
}

/// Why an authorization request was not stored.
#[derive(Debug, thiserror::Error)]
pub enum RedirectError {
    /// Before the redirect URI is trusted: answered to the browser, never redirected.
    #[error("{0}")]
    Refused(String),
    /// After: the client's redirect URI with `error`, `error_description`, `state`, `iss`.
    #[error("redirect with an error")]
    ToClient(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why a consent answer was not taken.
#[derive(Debug, thiserror::Error)]
pub enum ConsentError {
    /// Unknown, expired, or answered already.
    #[error("No such authorization request: it expired or was answered already.")]
    NotFound,
    #[error(
        "You have {GRANTS_PER_USER} connected apps, the most one account may hold; disconnect one in Settings → Connected apps first."
    )]
    LimitReached,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The client's redirect URI with the answer's parameters (and `iss`, RFC 9207, so a
/// client talking to several servers knows which one answered).
fn redirect_with(
    redirect_uri: &str,
    params: &[(&str, &str)],
    state: Option<&str>,
    iss: &str,
) -> String {
    let Ok(mut url) = Url::parse(redirect_uri) else {
        // Checked when the client registered or published it.
        return redirect_uri.to_owned();
    };
    {
        let mut query = url.query_pairs_mut();
        for (k, v) in params {
            query.append_pair(k, v);
        }
        if let Some(state) = state {
            query.append_pair("state", state);
        }
        query.append_pair("iss", iss);
    }
    url.to_string()
}

impl OAuthServer {
    /// Checks an authorization request and stores it; the id for the consent page.
    pub async fn authorize(&self, params: AuthorizeParams) -> Result<String, RedirectError> {
        let client_id = params
            .client_id
            .as_deref()
            .filter(|c| !c.is_empty())
            .ok_or_else(|| RedirectError::Refused("The request has no client_id.".into()))?;
        let client = match self.find_client(client_id).await {
            Ok(Some(client)) => client,
            Ok(None) => {
                return Err(RedirectError::Refused(
                    "Unknown client_id: the app is not registered with Tasko.".into(),
                ));
            }
            Err(OAuthError::Protocol { description, .. }) => {
                return Err(RedirectError::Refused(description));
            }
            Err(OAuthError::Store(e)) => return Err(e.into()),
            Err(OAuthError::TooManyRequests) => {
                return Err(RedirectError::Refused("Too many requests.".into()));
            }
        };
        let redirect_uri = match params.redirect_uri.as_deref() {
            Some(given) if client.allows_redirect(given) => given.to_owned(),
            Some(_) => {
                return Err(RedirectError::Refused(
                    "The redirect_uri is not one this app registered.".into(),
                ));
            }
            // OAuth 2.1 §4.1.1: optional only when the client has exactly one.
            None if client.redirect_uris.len() == 1 => client.redirect_uris[0].clone(),
            None => {
                return Err(RedirectError::Refused(
                    "The request has no redirect_uri.".into(),
                ));
            }
        };
        let state = params.state.clone();
        let fail = |code: OAuthErrorCode, why: &str| {
            RedirectError::ToClient(redirect_with(
                &redirect_uri,
                &[("error", code.as_str()), ("error_description", why)],
                state.as_deref(),
                &self.site.issuer,
            ))
        };
        if params.response_type.as_deref() != Some("code") {
            return Err(fail(
                OAuthErrorCode::UnsupportedResponseType,
                "Tasko answers response_type=code only.",
            ));
        }
        let Some(challenge) = params.code_challenge.as_deref() else {
            return Err(fail(
                OAuthErrorCode::InvalidRequest,
                "PKCE is required: send code_challenge with code_challenge_method=S256.",
            ));
        };
        if params.code_challenge_method.as_deref() != Some("S256") {
            return Err(fail(
                OAuthErrorCode::InvalidRequest,
                "code_challenge_method must be S256 (plain is refused).",
            ));
        }
        let code_challenge = CodeChallenge::parse(challenge)
            .map_err(|e| fail(OAuthErrorCode::InvalidRequest, &e.0))?;
        if let Some(resource) = params.resource.as_deref()
            && resource != self.site.resource
        {
            return Err(fail(
                OAuthErrorCode::InvalidTarget,
                &format!("The only resource here is {}.", self.site.resource),
            ));
        }
        let access = access_from_scope(params.scope.as_deref())
            .map_err(|e| fail(OAuthErrorCode::InvalidScope, &e.0))?;
        if state.as_ref().is_some_and(|s| s.len() > 1000) {
            return Err(fail(
                OAuthErrorCode::InvalidRequest,
                "state is longer than 1000 characters.",
            ));
        }
        let request = PendingRequest {
            client,
            redirect_uri,
            code_challenge,
            state,
            access,
            resource: self.site.resource.clone(),
        };
        let id = random_secret();
        let now = self.clock.now();
        self.records
            .put_request(&id, &request, now + REQUEST_TTL, now)
            .await?;
        Ok(id)
    }

    /// A pending request, for the consent page (`None`: unknown, expired or answered).
    pub async fn pending(&self, id: &str) -> Result<Option<PendingRequest>, StoreError> {
        if id.len() > 100 {
            return Ok(None);
        }
        self.records.get_request(id, self.clock.now()).await
    }

    /// The signed-in user's answer to a request: where the browser goes next (the client's
    /// redirect URI with a code, or with `error=access_denied`). A request is answered once.
    pub async fn answer(
        &self,
        owner: &UserId,
        id: &str,
        approve: bool,
    ) -> Result<String, ConsentError> {
        let now = self.clock.now();
        if id.len() > 100 {
            return Err(ConsentError::NotFound);
        }
        let request = self
            .records
            .take_request(id, now)
            .await?
            .ok_or(ConsentError::NotFound)?;
        let state = request.state.as_deref();
        if !approve {
            return Ok(redirect_with(
                &request.redirect_uri,
                &[
                    ("error", OAuthErrorCode::AccessDenied.as_str()),
                    ("error_description", "The user denied access."),
                ],
                state,
                &self.site.issuer,
            ));
        }
        // The grant exists from now on (listed, revocable), for a minute: redeeming the
        // code moves its end to the refresh token's.
        let grant = Grant {
            id: GrantId::new(),
            client_id: request.client.id.clone(),
            client_name: request.client.name.clone(),
            client_site: request.client.site.clone(),
            access: request.access,
            resource: request.resource.clone(),
            created_at: jiff::Timestamp::from_second(now.as_second()).unwrap_or(now),
            last_used_at: None,
            expires_at: now + CODE_TTL,
        };
        match self
            .records
            .add_grant(owner, &grant, GRANTS_PER_USER, now)
            .await
        {
            Ok(()) => {}
            Err(StoreError::LimitReached) => return Err(ConsentError::LimitReached),
            Err(e) => return Err(e.into()),
        }
        let code = random_secret();
        let record = CodeRecord {
            owner: owner.clone(),
            grant: grant.id,
            client: request.client.clone(),
            redirect_uri: request.redirect_uri.clone(),
            code_challenge: request.code_challenge.clone(),
            access: request.access,
            resource: request.resource.clone(),
        };
        self.records
            .put_code(&TokenHash::of(&code), &record, now + CODE_TTL, now)
            .await?;
        Ok(redirect_with(
            &request.redirect_uri,
            &[("code", &code)],
            state,
            &self.site.issuer,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_adds_its_parameters_state_and_issuer_to_the_redirect() {
        let to = redirect_with(
            "https://app.example/cb?keep=1",
            &[("code", "abc")],
            Some("s t"),
            "https://tasko.example",
        );
        assert_eq!(
            to,
            "https://app.example/cb?keep=1&code=abc&state=s+t&iss=https%3A%2F%2Ftasko.example"
        );
        let native = redirect_with("com.example.app:/cb", &[("error", "denied")], None, "x");
        assert_eq!(native, "com.example.app:/cb?error=denied&iss=x");
    }
}
