//! Client ID Metadata Documents: a client whose `client_id` is an https URL is described by
//! the JSON document at that URL (draft-ietf-oauth-client-id-metadata-document, which MCP
//! clients such as VS Code use instead of registering). Fetching a URL a stranger names is
//! a server-side request forgery waiting to happen, so it is done with care:
//!
//! - https only, a path, no credentials, no fragment, no dot segments;
//! - the host is resolved first and every address must be public (no private, loopback,
//!   link-local, metadata, CGNAT, documentation or multicast address), and the request is
//!   then made to the address that was checked (reqwest's `resolve`), so a second DNS
//!   answer cannot point it elsewhere; no redirects are followed;
//! - 5 seconds in all, 64 KiB at most;
//! - the document's `client_id` must equal the URL.
//!
//! The one exception: a server on this computer (`PUBLIC_URL` unset or loopback) may fetch
//! from loopback and private addresses and over plain http, so a client running beside it
//! (a test, a developer's tool) can be used. A deployed server never does.

use std::{
    net::{IpAddr, Ipv4Addr, SocketAddr},
    time::Duration,
};

use url::Url;

use super::OAuthError;
use crate::domain::oauth::{
    OAuthClient, OAuthErrorCode, REDIRECT_URIS_MAX, check_client_name, check_redirect_uri,
};

/// The whole fetch (resolving included) must end within this.
const FETCH_TIMEOUT: Duration = Duration::from_secs(5);
/// Largest document read.
const MAX_DOCUMENT_BYTES: usize = 64 * 1024;

fn refused(why: impl Into<String>) -> OAuthError {
    OAuthError::new(OAuthErrorCode::InvalidClient, why)
}

/// Whether a `client_id` names a metadata document (rather than a registered client).
pub fn is_document_url(client_id: &str) -> bool {
    client_id.starts_with("https://") || client_id.starts_with("http://")
}

/// The URL, if it may name a metadata document at all (before any network use).
pub fn check_document_url(raw: &str, local: bool) -> Result<Url, OAuthError> {
    let url = Url::parse(raw).map_err(|_| refused("The client_id is not a valid URL."))?;
    let loopback = url
        .host()
        .as_ref()
        .is_some_and(crate::domain::oauth::is_loopback_host);
    match url.scheme() {
        "https" => {}
        "http" if local && loopback => {}
        _ => return Err(refused("A client_id URL must use https.")),
    }
    if url.host().is_none() {
        return Err(refused("A client_id URL must name a host."));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refused("A client_id URL must not carry credentials."));
    }
    if url.fragment().is_some() {
        return Err(refused("A client_id URL must not have a fragment."));
    }
    if url.path() == "/" || raw.contains("/./") || raw.contains("/../") {
        return Err(refused(
            "A client_id URL must have a path without dot segments.",
        ));
    }
    if raw.len() > 2000 {
        return Err(refused("A client_id URL is at most 2000 characters long."));
    }
    Ok(url)
}

/// Whether an address may be fetched from by a deployed server: a public unicast address,
/// never one of this network's or the cloud's own (169.254.169.254 is link-local).
pub fn is_public_address(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_v4(v4);
            }
            let segments = v6.segments();
            // NAT64 (64:ff9b::/96) reaches the IPv4 address in its last 32 bits.
            if segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
                let o = v6.octets();
                return is_public_v4(Ipv4Addr::new(o[12], o[13], o[14], o[15]));
            }
            !(v6.is_unspecified()
                || v6.is_loopback()
                || v6.is_multicast()
                || (segments[0] & 0xfe00) == 0xfc00 // unique local, AWS's fd00:ec2::254 too
                || (segments[0] & 0xffc0) == 0xfe80 // link-local
                || (segments[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
                || (segments[0] == 0x2001 && segments[1] == 0x0db8) // documentation
                || segments[..6] == [0, 0, 0, 0, 0, 0]) // IPv4-compatible, deprecated
        }
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (18..20).contains(&b)) // benchmarking
        || a >= 240) // reserved
}

/// The addresses `url`'s host resolves to, all of them allowed, or why not.
async fn resolve_allowed(url: &Url, local: bool) -> Result<Vec<SocketAddr>, OAuthError> {
    let host = url.host_str().unwrap_or_default();
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let port = url.port_or_known_default().unwrap_or(443);
    let addresses: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|_| refused("The client_id URL's host does not resolve."))?
        .collect();
    if addresses.is_empty() {
        return Err(refused("The client_id URL's host does not resolve."));
    }
    if !local && addresses.iter().any(|a| !is_public_address(a.ip())) {
        return Err(refused(
            "The client_id URL's host resolves to a private or reserved address.",
        ));
    }
    Ok(addresses)
}

/// Fetches and reads the document at `url` (see the module's rules).
pub async fn fetch(url: &Url, local: bool) -> Result<OAuthClient, OAuthError> {
    let work = async {
        let addresses = resolve_allowed(url, local).await?;
        let host = url.host_str().unwrap_or_default().to_owned();
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            // A proxy from the environment would resolve the host itself, past the check.
            .no_proxy()
            .https_only(!local)
            .resolve_to_addrs(&host, &addresses)
            .timeout(FETCH_TIMEOUT)
            .build()
            .map_err(|_| refused("The client's metadata document could not be fetched."))?;
        let mut response = client
            .get(url.clone())
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(|_| refused("The client's metadata document could not be fetched."))?;
        if response.status() != reqwest::StatusCode::OK {
            return Err(refused(format!(
                "The client's metadata document answered {} (200 expected; redirects are not followed).",
                response.status().as_u16()
            )));
        }
        if response
            .content_length()
            .is_some_and(|n| n > MAX_DOCUMENT_BYTES as u64)
        {
            return Err(too_large());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|_| refused("The client's metadata document could not be read."))?
        {
            if body.len() + chunk.len() > MAX_DOCUMENT_BYTES {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        read_document(url.as_str(), &body)
    };
    tokio::time::timeout(FETCH_TIMEOUT, work)
        .await
        .map_err(|_| refused("The client's metadata document took longer than 5 s."))?
}

fn too_large() -> OAuthError {
    refused("The client's metadata document is larger than 64 KiB.")
}

/// `host[:port]` as the consent screen shows it.
pub fn site_of(url: &Url) -> String {
    let host = url.host_str().unwrap_or(url.scheme());
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    }
}

/// The client a document describes (no network: the rules on its content).
pub fn read_document(url: &str, body: &[u8]) -> Result<OAuthClient, OAuthError> {
    let document: serde_json::Value = serde_json::from_slice(body)
        .map_err(|_| refused("The client's metadata document is not JSON."))?;
    let field = |name: &str| document.get(name).and_then(serde_json::Value::as_str);
    if field("client_id") != Some(url) {
        return Err(refused(
            "The metadata document's client_id is not the URL it was fetched from.",
        ));
    }
    if let Some(method) = document.get("token_endpoint_auth_method")
        && method.as_str() != Some("none")
    {
        return Err(refused(
            "Tasko serves public clients only: token_endpoint_auth_method must be \"none\".",
        ));
    }
    let parsed = Url::parse(url).map_err(|_| refused("The client_id is not a valid URL."))?;
    let name = match field("client_name") {
        Some(name) => check_client_name(name).map_err(|e| refused(e.0))?,
        None => site_of(&parsed),
    };
    let uris = document
        .get("redirect_uris")
        .and_then(serde_json::Value::as_array)
        .filter(|uris| !uris.is_empty() && uris.len() <= REDIRECT_URIS_MAX)
        .ok_or_else(|| {
            refused(format!(
                "The metadata document must list 1 to {REDIRECT_URIS_MAX} redirect_uris."
            ))
        })?;
    let mut redirect_uris = Vec::with_capacity(uris.len());
    for uri in uris {
        let uri = uri
            .as_str()
            .ok_or_else(|| refused("Every redirect URI must be a string."))?;
        check_redirect_uri(uri).map_err(|e| refused(e.0))?;
        redirect_uris.push(uri.to_owned());
    }
    let logo_uri = field("logo_uri")
        .filter(|l| l.len() <= 2000 && Url::parse(l).is_ok_and(|u| u.scheme() == "https"))
        .map(str::to_owned);
    Ok(OAuthClient {
        id: url.to_owned(),
        name,
        site: site_of(&parsed),
        logo_uri,
        redirect_uris,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_unicast_addresses_may_be_fetched_from() {
        for public in [
            "93.184.215.14",
            "2606:2800:21f:cb07:6820:80da:af6b:8b2c",
            "1.1.1.1",
        ] {
            assert!(is_public_address(public.parse().unwrap()), "{public}");
        }
        for private in [
            "10.0.0.1",
            "172.16.5.4",
            "192.168.1.1",
            "127.0.0.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "192.0.2.1",
            "198.18.0.1",
            "240.0.0.1",
            "::1",
            "::",
            "fd00:ec2::254",
            "fe80::1",
            "ff02::1",
            "2001:db8::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a9fe:a9fe",
            "::127.0.0.1",
        ] {
            assert!(!is_public_address(private.parse().unwrap()), "{private}");
        }
    }

    #[test]
    fn a_document_url_is_https_with_a_path_unless_the_server_is_local() {
        assert!(check_document_url("https://app.example/client.json", false).is_ok());
        for bad in [
            "http://app.example/client.json",
            "https://app.example/",
            "https://app.example",
            "https://user:pw@app.example/c.json",
            "https://app.example/c.json#x",
            "https://app.example/a/../c.json",
            "ftp://app.example/c.json",
            "http://127.0.0.1:8080/c.json",
        ] {
            assert!(check_document_url(bad, false).is_err(), "{bad}");
        }
        // A local server may use a client beside it over http on loopback, nothing else.
        assert!(check_document_url("http://127.0.0.1:8080/c.json", true).is_ok());
        assert!(check_document_url("http://app.example/c.json", true).is_err());
    }

    #[tokio::test]
    async fn a_deployed_server_refuses_hosts_that_resolve_to_private_addresses() {
        for url in [
            "https://127.0.0.1/c.json",
            "https://localhost/c.json",
            "https://[::1]/c.json",
        ] {
            let url = Url::parse(url).unwrap();
            let refusal = resolve_allowed(&url, false).await.unwrap_err();
            assert!(refusal.to_string().contains("private"), "{refusal}");
            assert!(resolve_allowed(&url, true).await.is_ok(), "local: {url}");
        }
    }

    #[test]
    fn a_document_names_itself_and_lists_its_redirect_uris() {
        let url = "https://app.example/client.json";
        let good = serde_json::json!({
            "client_id": url, "client_name": "Example App",
            "redirect_uris": ["http://127.0.0.1/callback", "https://app.example/cb"],
            "logo_uri": "https://app.example/logo.png", "token_endpoint_auth_method": "none"
        });
        let client = read_document(url, good.to_string().as_bytes()).unwrap();
        assert_eq!(
            (
                client.name.as_str(),
                client.site.as_str(),
                client.redirect_uris.len()
            ),
            ("Example App", "app.example", 2)
        );
        assert_eq!(
            client.logo_uri.as_deref(),
            Some("https://app.example/logo.png")
        );
        let with = |change: serde_json::Value| {
            let mut doc = good.clone();
            for (k, v) in change.as_object().unwrap() {
                doc[k] = v.clone();
            }
            read_document(url, doc.to_string().as_bytes())
        };
        assert!(
            with(serde_json::json!({"client_id": "https://evil.example/client.json"})).is_err()
        );
        assert!(with(serde_json::json!({"redirect_uris": []})).is_err());
        assert!(with(serde_json::json!({"redirect_uris": ["http://evil.example/cb"]})).is_err());
        assert!(
            with(serde_json::json!({"token_endpoint_auth_method": "client_secret_basic"})).is_err()
        );
        assert!(with(serde_json::json!({"client_name": "a\nb"})).is_err());
        let no_logo = with(serde_json::json!({"logo_uri": "javascript:alert(1)"})).unwrap();
        assert_eq!(no_logo.logo_uri, None);
        assert!(read_document(url, b"not json").is_err());
    }
}
