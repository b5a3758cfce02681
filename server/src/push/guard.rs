//! The endpoint guard. A push endpoint is a URL a user supplies and the server POSTs to, so
//! it must not become a way into the server's own network: only https on public addresses.
//! Checked when the browser subscribes (the URL, then every address its host resolves to)
//! and again at every send, where the addresses are resolved by [`GuardedResolver`], the
//! HTTP client's only resolver: the connection goes to an address it checked, with no
//! second lookup a rebinding DNS server could answer differently. Redirects are never
//! followed (the client is built so), so no other URL is ever reached.
//!
//! `PUSH_ALLOW_LOOPBACK=1` (tests and local stand-ins only) also accepts loopback addresses,
//! over https or http; http only with a literal loopback address as the host, so no name can
//! resolve an http endpoint elsewhere. Nothing else (private, link-local...) is ever accepted.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::{
    Url,
    dns::{Addrs, Name, Resolve, Resolving},
};

use crate::domain::InvalidInput;

/// Longest endpoint accepted, in bytes (push services' URLs are a few hundred).
pub const ENDPOINT_MAX_BYTES: usize = 2048;

/// How long a subscription's host may take to resolve (a send is bounded by the client's
/// own timeout).
const LOOKUP_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// What may be reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndpointGuard {
    /// `PUSH_ALLOW_LOOPBACK`.
    pub allow_loopback: bool,
}

fn refused(why: &str) -> InvalidInput {
    InvalidInput(format!("`endpoint` {why}."))
}

impl EndpointGuard {
    /// Whether the server may connect to `ip`.
    pub fn allows(self, ip: IpAddr) -> bool {
        is_public(ip) || (self.allow_loopback && is_loopback(ip))
    }

    /// The URL's own rules: https (http only for a literal loopback address under the test
    /// flag), a host, no user name or password, at most [`ENDPOINT_MAX_BYTES`]; a host that
    /// is an address is judged here (a name is judged by [`Self::check_resolved`] and, at
    /// every send, by [`GuardedResolver`]).
    pub fn check_url(self, raw: &str) -> Result<Url, InvalidInput> {
        if raw.len() > ENDPOINT_MAX_BYTES {
            return Err(refused(&format!(
                "is longer than {ENDPOINT_MAX_BYTES} bytes"
            )));
        }
        let url = Url::parse(raw).map_err(|_| refused("is not a URL"))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(refused("must not carry a user name or password"));
        }
        let literal = match url.host() {
            Some(url::Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
            Some(url::Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
            Some(url::Host::Domain(_)) => None,
            None => return Err(refused("has no host")),
        };
        match url.scheme() {
            "https" => {}
            "http" if self.allow_loopback && literal.is_some_and(is_loopback) => {}
            _ => return Err(refused("must be an https URL")),
        }
        if let Some(ip) = literal
            && !self.allows(ip)
        {
            return Err(refused("must be on a public address"));
        }
        Ok(url)
    }

    /// Every address the URL's host resolves to must be allowed (a host that is an address
    /// was judged by [`Self::check_url`]).
    pub async fn check_resolved(self, url: &Url) -> Result<(), InvalidInput> {
        let Some(url::Host::Domain(name)) = url.host() else {
            return Ok(());
        };
        let addresses = tokio::time::timeout(LOOKUP_TIMEOUT, lookup(name))
            .await
            .ok()
            .and_then(Result::ok)
            .ok_or_else(|| refused("has a host name that does not resolve"))?;
        self.all_allowed(&addresses)
            .map_err(|_| refused("must be on a public address"))
    }

    fn all_allowed(self, addresses: &[SocketAddr]) -> Result<(), Unreachable> {
        if !addresses.is_empty() && addresses.iter().all(|a| self.allows(a.ip())) {
            Ok(())
        } else {
            Err(Unreachable)
        }
    }
}

async fn lookup(name: &str) -> std::io::Result<Vec<SocketAddr>> {
    // The port is the URL's, set by the client; 0 here only fills the pair.
    Ok(tokio::net::lookup_host((name, 0)).await?.collect())
}

/// A host that resolved to an address the guard refuses (or to none).
#[derive(Debug, thiserror::Error)]
#[error("the push endpoint's host resolves to an address the server may not reach")]
pub struct Unreachable;

/// The HTTP client's resolver: resolves as the system does, then refuses the whole host if
/// any address is not allowed (a host with one private address among public ones is a
/// host the server may not reach).
#[derive(Debug, Clone, Copy)]
pub struct GuardedResolver(pub EndpointGuard);

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let guard = self.0;
        Box::pin(async move {
            let addresses = lookup(name.as_str()).await?;
            guard.all_allowed(&addresses)?;
            Ok(Box::new(addresses.into_iter()) as Addrs)
        })
    }
}

/// Loopback, also written as an IPv4-mapped IPv6 address.
pub fn is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    }
}

/// An address on the public internet: not loopback, private, shared (CGNAT), link-local
/// (the cloud metadata service among them), multicast, broadcast, unspecified, reserved or
/// for documentation. IPv6 must be global unicast (2000::/3), and the forms that carry an
/// IPv4 address (mapped, NAT64, 6to4) are judged by that address.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    let refused = a == 0 // "this network", 0.0.0.0 among it
        || a == 10
        || a == 127
        || a >= 224 // multicast, reserved, broadcast
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || (a == 169 && b == 254) // link-local, 169.254.169.254 (metadata) among it
        || (a == 172 && (16..32).contains(&b))
        || (a == 192 && b == 168)
        || (a == 192 && b == 0 && (c == 0 || c == 2)) // IETF assignments, TEST-NET-1
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || (a == 198 && b == 51 && c == 100) // TEST-NET-2
        || (a == 203 && b == 0 && c == 113); // TEST-NET-3
    !refused
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let s = ip.segments();
    // NAT64 (64:ff9b::/96) reaches the IPv4 address in its last 32 bits.
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return is_public_v4(Ipv4Addr::from(u128::from(ip) as u32));
    }
    // 6to4 (2002::/16) reaches the IPv4 address in bits 16..48.
    if s[0] == 0x2002 {
        return is_public_v4(Ipv4Addr::from(
            ((u128::from(ip) >> 80) & 0xffff_ffff) as u32,
        ));
    }
    let global_unicast = s[0] & 0xe000 == 0x2000;
    // 2001::/23: IETF protocol assignments (Teredo among them); 2001:db8::/32: documentation.
    let special = s[0] == 0x2001 && (s[1] < 0x0200 || s[1] == 0x0db8);
    global_unicast && !special
}

#[cfg(test)]
mod tests {
    use super::*;

    const STRICT: EndpointGuard = EndpointGuard {
        allow_loopback: false,
    };
    const TESTING: EndpointGuard = EndpointGuard {
        allow_loopback: true,
    };

    #[test]
    fn only_public_addresses_are_public() {
        let table: &[(&str, bool)] = &[
            ("8.8.8.8", true),
            ("142.250.74.110", true),
            ("172.32.0.1", true),
            ("100.128.0.1", true),
            ("2a00:1450:4001:80e::200a", true),
            ("2600:1f18::1", true),
            ("::ffff:8.8.8.8", true),
            ("64:ff9b::808:808", true),
            ("2002:808:808::1", true),
            // Loopback, private, shared, link-local, metadata.
            ("127.0.0.1", false),
            ("127.255.255.254", false),
            ("10.0.0.1", false),
            ("172.16.0.1", false),
            ("172.31.255.255", false),
            ("192.168.1.1", false),
            ("100.64.0.1", false),
            ("100.127.255.255", false),
            ("169.254.169.254", false),
            ("169.254.0.1", false),
            // Unspecified, this network, multicast, reserved, broadcast, documentation.
            ("0.0.0.0", false),
            ("0.1.2.3", false),
            ("224.0.0.1", false),
            ("239.255.255.250", false),
            ("240.0.0.1", false),
            ("255.255.255.255", false),
            ("192.0.0.8", false),
            ("192.0.2.1", false),
            ("198.18.0.1", false),
            ("198.51.100.7", false),
            ("203.0.113.9", false),
            // IPv6: loopback, unspecified, unique local (the EC2 metadata address among
            // them), link-local, multicast, documentation, Teredo.
            ("::1", false),
            ("::", false),
            ("fd00:ec2::254", false),
            ("fc00::1", false),
            ("fe80::1", false),
            ("ff02::1", false),
            ("2001:db8::1", false),
            ("2001::1", false),
            // IPv4 inside IPv6: mapped, NAT64, 6to4, each judged by its IPv4 address.
            ("::ffff:127.0.0.1", false),
            ("::ffff:169.254.169.254", false),
            ("::ffff:10.1.2.3", false),
            ("64:ff9b::a9fe:a9fe", false),
            ("2002:a9fe:a9fe::1", false),
            ("2002:7f00:1::", false),
            // The deprecated IPv4-compatible form is not global unicast.
            ("::127.0.0.1", false),
        ];
        for (text, public) in table {
            let ip: IpAddr = text.parse().unwrap();
            assert_eq!(is_public(ip), *public, "{text}");
            assert_eq!(STRICT.allows(ip), *public, "{text}");
        }
    }

    #[test]
    fn the_test_flag_adds_loopback_and_nothing_else() {
        for text in ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"] {
            let ip: IpAddr = text.parse().unwrap();
            assert!(TESTING.allows(ip) && !STRICT.allows(ip), "{text}");
        }
        for text in [
            "10.0.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "fd00:ec2::254",
            "0.0.0.0",
        ] {
            assert!(!TESTING.allows(text.parse().unwrap()), "{text}");
        }
    }

    #[test]
    fn an_endpoint_must_be_https_with_a_host_and_no_credentials() {
        let table: &[(&str, bool, bool)] = &[
            // (endpoint, accepted strictly, accepted with the test flag)
            ("https://fcm.googleapis.com/fcm/send/abc", true, true),
            (
                "https://updates.push.services.mozilla.com/wpush/v2/x",
                true,
                true,
            ),
            ("https://8.8.8.8/push", true, true),
            ("https://[2a00:1450:4001:80e::200a]/push", true, true),
            ("http://fcm.googleapis.com/fcm/send/abc", false, false),
            ("ftp://push.example/x", false, false),
            ("https://user:pw@push.example/x", false, false),
            ("https://user@push.example/x", false, false),
            ("not a url", false, false),
            ("https://", false, false),
            ("file:///etc/passwd", false, false),
            ("https://10.0.0.1/x", false, false),
            ("https://169.254.169.254/latest/meta-data", false, false),
            ("https://[fd00:ec2::254]/", false, false),
            ("https://[::ffff:169.254.169.254]/", false, false),
            ("https://0.0.0.0/", false, false),
            ("https://2130706433/", false, true), // 127.0.0.1 written as a number
            // Loopback: only with the flag, over http or https; http only as an address.
            ("https://127.0.0.1:8443/push", false, true),
            ("http://127.0.0.1:8080/push", false, true),
            ("http://[::1]:8080/push", false, true),
            ("http://localhost:8080/push", false, false),
            ("http://10.0.0.1/push", false, false),
            ("http://192.168.0.10:8080/push", false, false),
        ];
        for (endpoint, strict, testing) in table {
            assert_eq!(STRICT.check_url(endpoint).is_ok(), *strict, "{endpoint}");
            assert_eq!(TESTING.check_url(endpoint).is_ok(), *testing, "{endpoint}");
        }
        let long = format!("https://push.example/{}", "a".repeat(ENDPOINT_MAX_BYTES));
        assert!(STRICT.check_url(&long).is_err());
    }

    #[tokio::test]
    async fn the_clients_resolver_gives_only_addresses_it_allows() {
        let name = || "localhost".parse::<Name>().unwrap();
        assert!(GuardedResolver(STRICT).resolve(name()).await.is_err());
        let found: Vec<SocketAddr> = GuardedResolver(TESTING)
            .resolve(name())
            .await
            .unwrap()
            .collect();
        assert!(!found.is_empty());
        assert!(found.iter().all(|a| is_loopback(a.ip())), "{found:?}");
    }

    #[tokio::test]
    async fn a_name_is_judged_by_every_address_it_resolves_to() {
        let url = Url::parse("https://localhost:8443/push").unwrap();
        assert!(STRICT.check_resolved(&url).await.is_err());
        assert!(TESTING.check_resolved(&url).await.is_ok());
        let unknown = Url::parse("https://no-such-host.invalid/push").unwrap();
        assert!(TESTING.check_resolved(&unknown).await.is_err());
        assert!(STRICT.all_allowed(&[]).is_err());
        let mixed = ["8.8.8.8:443", "10.0.0.1:443"].map(|a| a.parse().unwrap());
        assert!(STRICT.all_allowed(&mixed).is_err());
    }
}
