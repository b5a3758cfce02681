//! Who a `client_id` is: a client registered here (RFC 7591 Dynamic Client Registration,
//! for clients that still use it), or the URL of a Client ID Metadata Document (fetched by
//! `metadata_document`, cached in the Store for an hour so a burst of sign-ins fetches it
//! once). Registrations are limited per address and minute (counted in the Store, so on
//! every instance), and a registered client nobody authorizes with is forgotten after a
//! day; one in use is kept 180 days past its last authorization.

use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;

use super::{OAuthError, OAuthServer, metadata_document, random_secret};
use crate::domain::{
    TokenHash,
    oauth::{
        OAuthClient, OAuthErrorCode, REDIRECT_URIS_MAX, check_client_name, check_redirect_uri,
    },
};

/// Registrations one address may make per minute.
pub const REGISTRATIONS_PER_MINUTE: u64 = 10;
/// A fetched metadata document is used this long before it is fetched again.
const DOCUMENT_CACHE: SignedDuration = SignedDuration::from_hours(1);
/// A registered client that never completed an authorization is forgotten after this.
const UNUSED_CLIENT_TTL: SignedDuration = SignedDuration::from_hours(24);

/// `POST /oauth/register`'s body (RFC 7591 §2): what Tasko reads of it. Other metadata is
/// ignored, as §3.1 allows.
#[derive(Debug, Default, Deserialize)]
pub struct Registration {
    #[serde(default)]
    pub redirect_uris: Option<Vec<String>>,
    #[serde(default)]
    pub client_name: Option<String>,
    #[serde(default)]
    pub token_endpoint_auth_method: Option<String>,
    #[serde(default)]
    pub grant_types: Option<Vec<String>>,
    #[serde(default)]
    pub response_types: Option<Vec<String>>,
}

fn bad_metadata(why: impl Into<String>) -> OAuthError {
    OAuthError::new(OAuthErrorCode::InvalidClientMetadata, why)
}

/// The client a registration describes, with a fresh id (no store use).
pub fn registered_client(registration: Registration) -> Result<OAuthClient, OAuthError> {
    let uris = registration
        .redirect_uris
        .filter(|uris| !uris.is_empty())
        .ok_or_else(|| {
            OAuthError::new(
                OAuthErrorCode::InvalidRedirectUri,
                "`redirect_uris` is required.",
            )
        })?;
    if uris.len() > REDIRECT_URIS_MAX {
        return Err(OAuthError::new(
            OAuthErrorCode::InvalidRedirectUri,
            format!("At most {REDIRECT_URIS_MAX} redirect URIs may be registered."),
        ));
    }
    let mut checked = Vec::with_capacity(uris.len());
    for uri in &uris {
        checked.push(
            check_redirect_uri(uri)
                .map_err(|e| OAuthError::new(OAuthErrorCode::InvalidRedirectUri, e.0))?,
        );
    }
    // A client asking for a secret-based method is registered as the public client it is
    // (no secret is issued; PKCE protects the code): RFC 7591 §3.2.1 lets the server
    // replace requested metadata, and clients read the method back from the answer.
    let _ = registration.token_endpoint_auth_method;
    let grants_ok = registration.grant_types.as_ref().is_none_or(|types| {
        types
            .iter()
            .all(|t| t == "authorization_code" || t == "refresh_token")
    });
    if !grants_ok {
        return Err(bad_metadata(
            "`grant_types` may hold \"authorization_code\" and \"refresh_token\" only.",
        ));
    }
    if !registration
        .response_types
        .as_ref()
        .is_none_or(|types| types.iter().all(|t| t == "code"))
    {
        return Err(bad_metadata("`response_types` may hold \"code\" only."));
    }
    // The site shown beside the name is the redirect's host: where the code goes is the
    // one thing about a registered client that is not merely its own claim.
    let site = metadata_document::site_of(&checked[0]);
    let name = match registration.client_name.as_deref() {
        Some(name) => check_client_name(name).map_err(|e| bad_metadata(e.0))?,
        None => site.clone(),
    };
    Ok(OAuthClient {
        id: format!("tc_{}", &random_secret()[..22]),
        name,
        site,
        logo_uri: None,
        redirect_uris: uris,
    })
}

impl OAuthServer {
    /// Registers a client for a caller at `address` (RFC 7591); the client and when.
    pub async fn register(
        &self,
        registration: Registration,
        address: &str,
    ) -> Result<(OAuthClient, Timestamp), OAuthError> {
        let client = registered_client(registration)?;
        let now = self.clock.now();
        if !self
            .records
            .take_registration(address, REGISTRATIONS_PER_MINUTE, now)
            .await?
        {
            return Err(OAuthError::TooManyRequests);
        }
        self.records
            .put_client(&client, now + UNUSED_CLIENT_TTL, now)
            .await?;
        Ok((client, now))
    }

    /// The client `client_id` names, `None` if there is none; a metadata document that
    /// cannot be fetched or read is an `invalid_client` error saying why.
    pub async fn find_client(&self, client_id: &str) -> Result<Option<OAuthClient>, OAuthError> {
        let now = self.clock.now();
        if !metadata_document::is_document_url(client_id) {
            return Ok(self.records.get_client(client_id, now).await?);
        }
        let url = metadata_document::check_document_url(client_id, self.site.local)?;
        let key = TokenHash::of(url.as_str());
        if let Some(client) = self.records.cached_document(&key, now).await? {
            return Ok(Some(client));
        }
        let client = metadata_document::fetch(&url, self.site.local).await?;
        self.records
            .cache_document(&key, &client, now + DOCUMENT_CACHE, now)
            .await?;
        Ok(Some(client))
    }

    /// Keeps a registered client for as long as it is used (metadata documents need not).
    pub(super) async fn keep_client(&self, client_id: &str) -> Result<(), OAuthError> {
        if metadata_document::is_document_url(client_id) {
            return Ok(());
        }
        let keep = crate::domain::oauth::CLIENT_TTL;
        Ok(self
            .records
            .keep_client(client_id, keep, self.clock.now())
            .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registration(uris: &[&str]) -> Registration {
        Registration {
            redirect_uris: Some(uris.iter().map(|u| (*u).to_owned()).collect()),
            client_name: Some("My Editor".into()),
            ..Registration::default()
        }
    }

    #[test]
    fn a_registration_needs_good_redirect_uris_and_a_public_client() {
        let client = registered_client(registration(&["http://127.0.0.1:33418/callback"])).unwrap();
        assert!(client.id.starts_with("tc_"));
        assert_eq!(
            (client.name.as_str(), client.site.as_str()),
            ("My Editor", "127.0.0.1:33418")
        );
        let refused = |r: Registration| match registered_client(r) {
            Err(OAuthError::Protocol { code, .. }) => code,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            refused(registration(&[])),
            OAuthErrorCode::InvalidRedirectUri
        );
        assert_eq!(
            refused(registration(&["http://evil.example/cb"])),
            OAuthErrorCode::InvalidRedirectUri
        );
        assert_eq!(
            refused(registration(&["https://a.example/cb"; 11])),
            OAuthErrorCode::InvalidRedirectUri
        );
        let mut secret = registration(&["https://a.example/cb"]);
        secret.token_endpoint_auth_method = Some("client_secret_basic".into());
        assert!(
            registered_client(secret).is_ok(),
            "registered as a public client"
        );
        let mut implicit = registration(&["https://a.example/cb"]);
        implicit.grant_types = Some(vec!["implicit".into()]);
        assert_eq!(refused(implicit), OAuthErrorCode::InvalidClientMetadata);
        let mut long = registration(&["https://a.example/cb"]);
        long.client_name = Some("x".repeat(101));
        assert_eq!(refused(long), OAuthErrorCode::InvalidClientMetadata);
    }
}
