//! Sign-in for outside clients (OAuth 2.1, issue 26): what the consent page and Settings →
//! "Connected apps" read and send. The server serializes these; the browser reads them as
//! JSON values (like `wire::access`) to keep decoders out of the wasm.
//!
//! - `GET /api/oauth/requests/{requestId}` → [`AuthorizationRequest`] (404 when unknown or
//!   expired); `POST` the same path with [`ConsentAnswer`] → [`ConsentRedirect`].
//! - `GET /api/oauth/grants` → [`GrantList`]; `DELETE /api/oauth/grants/{id}` → 204.
//!
//! And two rules of the consent page, host-tested here: [`host_of`] (where the browser will
//! be sent, as shown) and [`redirect_allowed`] (whether the answer's redirect is followed).

use serde::{Deserialize, Serialize};

/// The client an authorization request or a grant names. `name` is the client's own claim
/// and may imitate another's; `site` (the host of its `client_id` URL or of its redirect)
/// is what the consent screen shows beside it so a look-alike cannot hide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OAuthClient {
    /// A registered client's id, or the URL of its Client ID Metadata Document.
    pub id: String,
    pub name: String,
    /// A host name, such as `claude.ai` or `127.0.0.1:33418`.
    pub site: String,
    /// An https logo URL from the client's metadata, or `null`.
    #[serde(default)]
    pub logo_uri: Option<String>,
}

/// A pending authorization request (`/oauth/authorize` stored it; it expires in 10 minutes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthorizationRequest {
    pub request_id: String,
    pub client: OAuthClient,
    /// `"read"` (scope `todos:read`) or `"write"` (read and change, `todos:write`).
    pub access: String,
    /// Exactly the `redirect_uri` the client registered and sent.
    pub redirect_uri: String,
}

/// `POST /api/oauth/requests/{requestId}`: the user's answer (a request is answered once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentAnswer {
    pub approve: bool,
}

/// The answer to a [`ConsentAnswer`]: where the browser goes next, the client's
/// `redirect_uri` with `code`, `state` and `iss` (approved) or `error=access_denied`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentRedirect {
    pub redirect: String,
}

/// One line of `GET /api/oauth/grants`: an app the user connected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GrantInfo {
    pub id: String,
    pub client: GrantClient,
    /// `"read"` or `"write"`.
    pub access: String,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339; `null` until one of its tokens is used.
    pub last_used_at: Option<String>,
}

/// The client of a grant: as [`OAuthClient`] without the logo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantClient {
    pub id: String,
    pub name: String,
    pub site: String,
}

/// `GET /api/oauth/grants`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantList {
    pub grants: Vec<GrantInfo>,
}

/// The host (with its port) of a URI, as a consent screen shows where the browser will be
/// sent: `https://user@app.example:8443/cb?x` → `app.example:8443`. A URI without an
/// authority (`com.example.app:/cb`) gives its scheme and path, so the screen never shows
/// an empty place.
pub fn host_of(uri: &str) -> &str {
    let Some((scheme, rest)) = uri.split_once(':') else {
        return uri;
    };
    let Some(authority) = rest.strip_prefix("//") else {
        // No authority: the whole URI without its query says the most.
        return uri.split(['?', '#']).next().unwrap_or(scheme);
    };
    let authority = authority.split(['/', '?', '#']).next().unwrap_or_default();
    // Userinfo before an `@` is chosen by whoever wrote the URI: never shown as the host.
    authority.rsplit('@').next().unwrap_or(authority)
}

/// Whether the browser may be sent to `redirect`: it must extend the `redirect_uri` the
/// request named (the server appends the code or the error), and never run script.
pub fn redirect_allowed(redirect: &str, redirect_uri: &str) -> bool {
    let scheme = redirect
        .split(':')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let extends = redirect
        .strip_prefix(redirect_uri)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['?', '&', '#']));
    !redirect_uri.is_empty()
        && extends
        && !matches!(
            scheme.as_str(),
            "javascript" | "data" | "vbscript" | "blob" | "file"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_reads_the_contracts_field_names() {
        let json = r#"{"requestId":"r1","client":{"id":"https://app.example/client.json",
            "name":"Example","site":"app.example","logoUri":null},"access":"write",
            "redirectUri":"https://app.example/cb"}"#;
        let request: AuthorizationRequest = serde_json::from_str(json).unwrap();
        assert_eq!(request.client.site, "app.example");
        assert_eq!(request.redirect_uri, "https://app.example/cb");
        let back = serde_json::to_value(&request).unwrap();
        assert_eq!(back["client"]["logoUri"], serde_json::Value::Null);
    }

    #[test]
    fn a_grant_reads_the_contracts_field_names() {
        let json = r#"{"grants":[{"id":"g1","client":{"id":"c","name":"N","site":"s"},
            "access":"read","createdAt":"2026-12-06T07:00:00Z","lastUsedAt":null}]}"#;
        let list: GrantList = serde_json::from_str(json).unwrap();
        assert_eq!(list.grants[0].created_at, "2026-12-06T07:00:00Z");
        assert_eq!(list.grants[0].last_used_at, None);
    }

    #[test]
    fn a_consent_answer_refuses_unknown_fields() {
        assert!(serde_json::from_str::<ConsentAnswer>(r#"{"approve":true,"user":"x"}"#).is_err());
    }

    #[test]
    fn the_host_of_a_uri_is_its_authority_without_userinfo() {
        assert_eq!(host_of("https://app.example/cb?x=1"), "app.example");
        assert_eq!(
            host_of("http://127.0.0.1:33418/callback"),
            "127.0.0.1:33418"
        );
        assert_eq!(
            host_of("https://good.example@evil.example:8443/cb"),
            "evil.example:8443"
        );
        assert_eq!(host_of("https://app.example?x#y"), "app.example");
        assert_eq!(
            host_of("com.example.app:/oauth?x"),
            "com.example.app:/oauth"
        );
        assert_eq!(host_of("no scheme"), "no scheme");
    }

    #[test]
    fn only_an_extension_of_the_requested_redirect_is_followed() {
        let uri = "http://127.0.0.1:5000/cb";
        assert!(redirect_allowed(
            "http://127.0.0.1:5000/cb?code=c&state=s",
            uri
        ));
        assert!(!redirect_allowed("https://evil.example/cb?code=c", uri));
        assert!(!redirect_allowed("http://127.0.0.1:5000/cbx?code=c", uri));
        assert!(!redirect_allowed(
            "javascript:alert(1)//?code=c",
            "javascript:alert(1)//"
        ));
        assert!(!redirect_allowed("anything", ""));
    }
}
