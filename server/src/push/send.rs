//! One message to one browser (RFC 8030): the payload encrypted to the browser's keys with
//! aes128gcm (RFC 8291, by `web-push-native`), a VAPID `Authorization` (RFC 8292), `TTL`
//! and `Urgency`, POSTed to the endpoint by a client that resolves through the guard and
//! never follows a redirect, within [`SEND_TIMEOUT`], reading at most
//! [`RESPONSE_MAX_BYTES`] of the answer.

use std::{sync::Arc, time::Duration};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use reqwest::{Url, header::HeaderValue};
use web_push_native::{Auth, WebPushBuilder, p256::PublicKey};

use super::guard::{EndpointGuard, GuardedResolver};
use crate::domain::{Cause, InvalidInput};

/// The whole exchange with a push service, connecting included.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// How much of a push service's answer is read (it is only logged).
pub const RESPONSE_MAX_BYTES: usize = 4096;
/// How long a push service keeps a message for a browser that is offline: a reminder
/// arriving hours late is noise, not help.
pub const MESSAGE_TTL: Duration = Duration::from_secs(4 * 60 * 60);
/// Largest payload (the JSON before encryption): RFC 8291 leaves 3993 of a push message's
/// 4096 bytes for it, and push services refuse larger messages.
pub const PAYLOAD_MAX_BYTES: usize = 3993;
/// Reminders are time-sensitive: push services may wake a sleeping device for them.
const URGENCY: &str = "high";

/// What became of one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The push service took it (2xx; RFC 8030 answers 201).
    Sent,
    /// The subscription no longer exists (404, 410): forget it.
    Gone,
    /// Anything else: too many requests (429), the service's failure (5xx), a refusal, no
    /// answer in time, an address the guard refused.
    Failed,
}

/// The HTTP client every message goes through: the guard's resolver, no redirects, no
/// proxy from the environment (a proxy would resolve the host itself, unguarded).
pub fn client(guard: EndpointGuard) -> reqwest::Client {
    reqwest::Client::builder()
        .dns_resolver(Arc::new(GuardedResolver(guard)))
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(SEND_TIMEOUT)
        .connect_timeout(SEND_TIMEOUT / 2)
        .build()
        .expect("the push client's settings are valid")
}

/// A browser's keys, checked: `p256dh` a point on P-256, `auth` 16 bytes.
pub struct BrowserKeys {
    public: PublicKey,
    auth: Auth,
}

impl BrowserKeys {
    pub fn parse(p256dh: &str, auth: &str) -> Result<Self, InvalidInput> {
        let bytes = |text: &str| URL_SAFE_NO_PAD.decode(text.trim_end_matches('='));
        let public = bytes(p256dh)
            .ok()
            .and_then(|b| PublicKey::from_sec1_bytes(&b).ok())
            .ok_or_else(|| {
                InvalidInput("`keys.p256dh` must be a P-256 public key in base64url.".into())
            })?;
        let auth = bytes(auth)
            .ok()
            .filter(|b| b.len() == 16)
            .map(|b| Auth::clone_from_slice(&b))
            .ok_or_else(|| InvalidInput("`keys.auth` must be 16 bytes in base64url.".into()))?;
        Ok(Self { public, auth })
    }
}

/// Sends `body` to `endpoint` with the `authorization` header made for it; what became of
/// it, with what to log when it failed.
pub async fn send(
    client: &reqwest::Client,
    endpoint: &Url,
    keys: &BrowserKeys,
    authorization: &str,
    body: &[u8],
) -> (Outcome, Option<Cause>) {
    let request = match build(endpoint, keys, authorization, body) {
        Ok(request) => request,
        Err(cause) => return (Outcome::Failed, Some(cause)),
    };
    let mut response = match client.execute(request).await {
        Ok(response) => response,
        Err(e) => return (Outcome::Failed, Some(Cause::new(e))),
    };
    let status = response.status();
    let mut answer = Vec::new();
    while answer.len() < RESPONSE_MAX_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => answer.extend_from_slice(&chunk),
            _ => break,
        }
    }
    answer.truncate(RESPONSE_MAX_BYTES);
    match status.as_u16() {
        200..=299 => (Outcome::Sent, None),
        404 | 410 => (Outcome::Gone, None),
        _ => {
            let said = String::from_utf8_lossy(&answer);
            let cause = Cause::msg(format!("the push service answered {status}: {said}"));
            (Outcome::Failed, Some(cause))
        }
    }
}

fn build(
    endpoint: &Url,
    keys: &BrowserKeys,
    authorization: &str,
    body: &[u8],
) -> Result<reqwest::Request, Cause> {
    let uri = endpoint.as_str().parse().map_err(Cause::new)?;
    let request = WebPushBuilder::new(uri, keys.public, keys.auth)
        .with_valid_duration(MESSAGE_TTL)
        .build(body.to_vec())
        .map_err(Cause::new)?;
    let mut request = reqwest::Request::try_from(request).map_err(Cause::new)?;
    let headers = request.headers_mut();
    headers.insert(
        reqwest::header::AUTHORIZATION,
        HeaderValue::from_str(authorization).map_err(Cause::new)?,
    );
    headers.insert("urgency", HeaderValue::from_static(URGENCY));
    Ok(request)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 8291's example subscription keys (section 5).
    const UA_PUBLIC: &str =
        "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    const AUTH: &str = "BTBZMqHH6r4Tts7J_aSIgg";

    #[test]
    fn browser_keys_must_be_a_curve_point_and_sixteen_bytes() {
        assert!(BrowserKeys::parse(UA_PUBLIC, AUTH).is_ok());
        // Padded base64url, as some browsers send it, is read the same.
        assert!(BrowserKeys::parse(UA_PUBLIC, &format!("{AUTH}==")).is_ok());
        let not_on_the_curve = format!("BA{}", &UA_PUBLIC[2..]);
        for (p256dh, auth) in [
            ("", AUTH),
            ("not base64!", AUTH),
            (&not_on_the_curve[..], AUTH),
            (&UA_PUBLIC[..40], AUTH),
            (UA_PUBLIC, ""),
            (UA_PUBLIC, "BTBZMqHH6r4Tts7J"),
            (UA_PUBLIC, "BTBZMqHH6r4Tts7J_aSIgg_aSIgg"),
        ] {
            assert!(BrowserKeys::parse(p256dh, auth).is_err(), "{p256dh} {auth}");
        }
    }

    /// The send-time check: a name resolving to a refused address is never connected to,
    /// even though something listens there.
    #[tokio::test]
    async fn a_message_never_reaches_a_refused_address_behind_a_name() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let endpoint = Url::parse(&format!("https://localhost:{port}/push")).unwrap();
        let keys = BrowserKeys::parse(UA_PUBLIC, AUTH).unwrap();
        let strict = client(EndpointGuard {
            allow_loopback: false,
        });
        let (outcome, cause) = send(&strict, &endpoint, &keys, "vapid t=x, k=y", b"hi").await;
        assert_eq!(outcome, Outcome::Failed);
        assert!(cause.is_some());
        assert!(listener.accept().is_err(), "no connection was made");
    }

    #[test]
    fn a_message_carries_the_encrypted_body_and_the_web_push_headers() {
        let keys = BrowserKeys::parse(UA_PUBLIC, AUTH).unwrap();
        let endpoint = Url::parse("https://push.example/send/abc").unwrap();
        let request = build(&endpoint, &keys, "vapid t=x, k=y", b"hello").unwrap();
        let header = |name: &str| request.headers()[name].to_str().unwrap().to_owned();
        assert_eq!(request.method(), reqwest::Method::POST);
        assert_eq!(request.url(), &endpoint);
        assert_eq!(header("content-encoding"), "aes128gcm");
        assert_eq!(header("ttl"), MESSAGE_TTL.as_secs().to_string());
        assert_eq!(header("urgency"), "high");
        assert_eq!(header("authorization"), "vapid t=x, k=y");
        let body = request.body().and_then(|b| b.as_bytes()).unwrap();
        // Salt (16), record size (4), key id length (1), the server's key (65), then the
        // record: the 5 bytes, a delimiter and the 16-byte tag.
        assert_eq!(body.len(), 16 + 4 + 1 + 65 + 5 + 1 + 16);
        assert!(!body.windows(5).any(|w| w == b"hello"));
    }
}
