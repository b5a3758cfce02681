//! Tasko as an OAuth 2.1 authorization server for MCP clients: the values parsed at its
//! edge (PKCE challenges, redirect URIs, scopes, client names) and the records it keeps in
//! the Store (a client, a pending authorization request, a code, a grant, an access or a
//! refresh token's record). Secrets are never stored: codes and tokens are kept by the
//! SHA-256 of their secret ([`super::TokenHash`]), like personal access tokens.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{
    access_token::Access,
    ids::{GrantId, UserId},
    input::{InvalidInput, excerpt},
    text,
};

/// What every OAuth access token starts with (told apart from an ID token or a personal
/// access token before anything else looks at it).
pub const ACCESS_TOKEN_PREFIX: &str = "tasko_oat_";
/// What every refresh token starts with.
pub const REFRESH_TOKEN_PREFIX: &str = "tasko_ort_";
/// A pending authorization request waits this long for the user's answer.
pub const REQUEST_TTL: SignedDuration = SignedDuration::from_mins(10);
/// A code must be redeemed within this (OAuth 2.1 §4.1.2: "a maximum lifetime of 10
/// minutes is RECOMMENDED"; MCP clients redeem at once).
pub const CODE_TTL: SignedDuration = SignedDuration::from_secs(60);
/// An access token's life (`expires_in`).
pub const ACCESS_TTL: SignedDuration = SignedDuration::from_hours(1);
/// A refresh token's life; each refresh issues a new one, so an app in use never meets it.
pub const REFRESH_TTL: SignedDuration = SignedDuration::from_hours(24 * 30);
/// A registered client (RFC 7591) nobody authorized with for this long is forgotten.
pub const CLIENT_TTL: SignedDuration = SignedDuration::from_hours(24 * 180);
/// Connected apps one user may hold.
pub const GRANTS_PER_USER: usize = 50;
/// Redirect URIs one registered client may name.
pub const REDIRECT_URIS_MAX: usize = 10;
/// Longest client name, in characters.
pub const CLIENT_NAME_MAX_CHARS: usize = 100;

pub const SCOPE_READ: &str = "todos:read";
pub const SCOPE_WRITE: &str = "todos:write";

/// The OAuth protocol's error codes (RFC 6749 §4.1.2.1 and §5.2, RFC 7591 §3.2.2, RFC 8707
/// §2): the protocol's own names, what clients read in `error`. Written only here, as the
/// API's codes are only in `ErrorKind` (a tidy test checks both).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OAuthErrorCode {
    AccessDenied,
    InvalidClient,
    InvalidClientMetadata,
    InvalidGrant,
    InvalidRedirectUri,
    InvalidRequest,
    InvalidScope,
    InvalidTarget,
    ServerError,
    TemporarilyUnavailable,
    UnsupportedGrantType,
    UnsupportedResponseType,
}

impl OAuthErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AccessDenied => "access_denied",
            Self::InvalidClient => "invalid_client",
            Self::InvalidClientMetadata => "invalid_client_metadata",
            Self::InvalidGrant => "invalid_grant",
            Self::InvalidRedirectUri => "invalid_redirect_uri",
            Self::InvalidRequest => "invalid_request",
            Self::InvalidScope => "invalid_scope",
            Self::InvalidTarget => "invalid_target",
            Self::ServerError => "server_error",
            Self::TemporarilyUnavailable => "temporarily_unavailable",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::UnsupportedResponseType => "unsupported_response_type",
        }
    }
}

/// What a `scope` parameter asks for: `todos:read` is read access, `todos:write` (with or
/// without `todos:read`) read and write. Without a scope the client asks for what the
/// resource offers, read and write; the consent screen shows it either way.
pub fn access_from_scope(scope: Option<&str>) -> Result<Access, InvalidInput> {
    let Some(scope) = scope.filter(|s| !s.trim().is_empty()) else {
        return Ok(Access::Write);
    };
    let mut access = Access::Read;
    for word in scope.split_whitespace() {
        match word {
            SCOPE_READ => {}
            SCOPE_WRITE => access = Access::Write,
            other => {
                return Err(InvalidInput(format!(
                    "Unknown scope '{}': Tasko offers \"{SCOPE_READ}\" and \"{SCOPE_WRITE}\".",
                    excerpt(other, 40)
                )));
            }
        }
    }
    Ok(access)
}

/// The `scope` a token of this access is granted.
pub fn scope_of(access: Access) -> &'static str {
    match access {
        Access::Read => SCOPE_READ,
        Access::Write => "todos:read todos:write",
    }
}

/// A PKCE S256 `code_challenge`: the unpadded base64url SHA-256 of the verifier, so
/// exactly 43 characters of that alphabet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CodeChallenge(String);

impl CodeChallenge {
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        let base64url = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
        if raw.len() == 43 && raw.chars().all(base64url) {
            Ok(Self(raw.to_owned()))
        } else {
            Err(InvalidInput(
                "`code_challenge` must be the 43-character base64url SHA-256 of the verifier (S256)."
                    .into(),
            ))
        }
    }

    /// Whether `verifier` (43 to 128 unreserved characters, RFC 7636 §4.1) hashes to this.
    pub fn is_met_by(&self, verifier: &str) -> bool {
        let unreserved = |c: char| c.is_ascii_alphanumeric() || "-._~".contains(c);
        if !(43..=128).contains(&verifier.len()) || !verifier.chars().all(unreserved) {
            return false;
        }
        let digest = Sha256::digest(verifier.as_bytes());
        base64url_no_pad(&digest) == self.0
    }
}

/// Unpadded base64url, the encoding PKCE uses (written here: the domain needs no codec).
fn base64url_no_pad(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// Whether a URL host is a loopback name or address (`localhost`, 127.0.0.0/8, `::1`).
pub fn is_loopback_host(host: &url::Host<&str>) -> bool {
    match host {
        url::Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
        url::Host::Ipv4(ip) => ip.is_loopback(),
        url::Host::Ipv6(ip) => ip.is_loopback(),
    }
}

/// A redirect URI a client may register (OAuth 2.1 §2.3.1 and §8.4): `https`, `http` on a
/// loopback host (native apps listening on a port), or a private-use scheme in reverse
/// domain form (`com.example.app:/cb`, RFC 8252 §7.1, which editors such as Cursor use);
/// never a fragment, never a plain `http` host.
pub fn check_redirect_uri(raw: &str) -> Result<url::Url, InvalidInput> {
    let bad = |why: &str| InvalidInput(format!("The redirect URI '{}' {why}", excerpt(raw, 200)));
    let url = url::Url::parse(raw).map_err(|_| bad("is not an absolute URL."))?;
    if url.fragment().is_some() {
        return Err(bad("must not have a fragment (#...)."));
    }
    if raw.len() > 2000 {
        return Err(bad("is longer than 2000 characters."));
    }
    match url.scheme() {
        "https" if url.host().is_some() => Ok(url),
        "http" if url.host().as_ref().is_some_and(is_loopback_host) => Ok(url),
        "http" => Err(bad(
            "uses http on a host that is not loopback; use https (or http://127.0.0.1 for an app on this computer).",
        )),
        scheme if scheme.contains('.') => Ok(url),
        _ => Err(bad(
            "must use https, http on a loopback address, or a private-use scheme such as com.example.app:/callback.",
        )),
    }
}

/// Whether the redirect URI of a request is one the client registered: the same string,
/// except that a loopback `http` URI may be on any port (OAuth 2.1 §8.4.2: a native app
/// gets its port from the system when it listens).
pub fn redirect_uri_matches(registered: &str, given: &str) -> bool {
    if registered == given {
        return true;
    }
    let (Ok(mut a), Ok(mut b)) = (url::Url::parse(registered), url::Url::parse(given)) else {
        return false;
    };
    let loopback =
        |u: &url::Url| u.scheme() == "http" && u.host().as_ref().is_some_and(is_loopback_host);
    if !(loopback(&a) && loopback(&b)) {
        return false;
    }
    let _ = a.set_port(None);
    let _ = b.set_port(None);
    a == b
}

/// A client's name as shown on the consent screen: 1 to 100 visible characters on one line.
pub fn check_client_name(raw: &str) -> Result<String, InvalidInput> {
    let visible = text::visible(raw);
    let name = visible.trim();
    if !text::shows_something(name) {
        return Err(InvalidInput("`client_name` must not be empty.".into()));
    }
    let chars = name.chars().count();
    if chars > CLIENT_NAME_MAX_CHARS {
        return Err(InvalidInput(format!(
            "`client_name` is {chars} characters long; the limit is {CLIENT_NAME_MAX_CHARS}."
        )));
    }
    if name.chars().any(char::is_control) {
        return Err(InvalidInput(
            "`client_name` must be a single line of text.".into(),
        ));
    }
    Ok(name.to_owned())
}

/// A client as the authorization server knows it: registered (RFC 7591) or described by
/// its Client ID Metadata Document (its `id` is then that document's https URL).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OAuthClient {
    pub id: String,
    pub name: String,
    /// The host the user is told the client belongs to: its metadata document's (the
    /// `client_id` URL's host), or for a registered client its first redirect URI's (never a
    /// `client_uri` it merely claims).
    pub site: String,
    pub logo_uri: Option<String>,
    pub redirect_uris: Vec<String>,
}

impl OAuthClient {
    /// The registered redirect URI `given` matches, if any.
    pub fn allows_redirect(&self, given: &str) -> bool {
        self.redirect_uris
            .iter()
            .any(|r| redirect_uri_matches(r, given))
    }
}

/// An authorization request waiting for the user's answer on the consent page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingRequest {
    pub client: OAuthClient,
    pub redirect_uri: String,
    pub code_challenge: CodeChallenge,
    pub state: Option<String>,
    pub access: Access,
    /// The resource the tokens will be bound to (`<PUBLIC_URL>/mcp`).
    pub resource: String,
}

/// What an authorization code stands for until it is redeemed (once, within a minute).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeRecord {
    pub owner: UserId,
    /// The grant the user's approval made (it lives a minute until the code is redeemed).
    pub grant: GrantId,
    pub client: OAuthClient,
    pub redirect_uri: String,
    pub code_challenge: CodeChallenge,
    pub access: Access,
    pub resource: String,
}

/// One client's access to one user's todos: a connected app. Its access and refresh
/// tokens are its family: revoking it (or reusing a rotated refresh token) stops them all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub id: GrantId,
    pub client_id: String,
    pub client_name: String,
    pub client_site: String,
    pub access: Access,
    pub resource: String,
    pub created_at: Timestamp,
    /// Whole seconds; `None` until a token of it is first used.
    #[serde(default, with = "jiff::fmt::serde::timestamp::second::optional")]
    pub last_used_at: Option<Timestamp>,
    /// When its newest refresh token dies: a grant nobody can refresh is gone.
    #[serde(with = "jiff::fmt::serde::timestamp::second::required")]
    pub expires_at: Timestamp,
}

/// An access token's record, under the digest of its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessRecord {
    pub owner: UserId,
    pub grant: GrantId,
    pub access: Access,
    pub resource: String,
    pub client_name: String,
}

/// A refresh token's record, under the digest of its secret. A used one is kept (marked)
/// until it expires, so that its reuse is recognised and revokes the grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefreshRecord {
    pub owner: UserId,
    pub grant: GrantId,
    pub used: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_verifier_meets_its_s256_challenge_only() {
        // RFC 7636 Appendix B.
        let challenge =
            CodeChallenge::parse("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM").unwrap();
        assert!(challenge.is_met_by("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
        assert!(!challenge.is_met_by("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXj"));
        assert!(!challenge.is_met_by("short"));
        for bad in ["", "plain", &"a".repeat(44), &"+".repeat(43)] {
            assert!(CodeChallenge::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn redirect_uris_are_https_loopback_http_or_a_private_scheme() {
        for good in [
            "https://client.example/cb",
            "http://127.0.0.1:33418/callback",
            "http://localhost/cb",
            "http://[::1]:8080/cb",
            "com.example.app:/oauth",
        ] {
            assert!(check_redirect_uri(good).is_ok(), "{good}");
        }
        for bad in [
            "http://client.example/cb",
            "https://client.example/cb#frag",
            "javascript:alert(1)",
            "/relative",
            "data:text/html,x",
        ] {
            assert!(check_redirect_uri(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_redirect_uri_matches_exactly_or_on_another_loopback_port() {
        assert!(redirect_uri_matches(
            "https://a.example/cb",
            "https://a.example/cb"
        ));
        assert!(!redirect_uri_matches(
            "https://a.example/cb",
            "https://a.example/cb/"
        ));
        assert!(!redirect_uri_matches(
            "https://a.example/cb",
            "https://a.example:444/cb"
        ));
        assert!(redirect_uri_matches(
            "http://127.0.0.1/cb",
            "http://127.0.0.1:5555/cb"
        ));
        assert!(!redirect_uri_matches(
            "http://127.0.0.1/cb",
            "http://127.0.0.1:5555/other"
        ));
    }

    #[test]
    fn scopes_map_to_read_or_write() {
        assert_eq!(access_from_scope(Some("todos:read")).unwrap(), Access::Read);
        assert_eq!(
            access_from_scope(Some("todos:read todos:write")).unwrap(),
            Access::Write
        );
        assert_eq!(access_from_scope(None).unwrap(), Access::Write);
        assert!(access_from_scope(Some("admin")).is_err());
    }
}
