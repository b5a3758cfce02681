//! Security headers on every response. The Content-Security-Policy allows exactly the WASM
//! app: its own scripts, WebAssembly compilation, and the inline bootstrap script that Trunk
//! writes into index.html, allowed by its SHA-256 hash rather than by 'unsafe-inline'.

use std::{path::Path, sync::Arc};

use app::wire::RuntimeConfig;
use axum::{
    http::{HeaderMap, HeaderName, HeaderValue, header},
    response::Response,
};
use base64::{Engine, engine::general_purpose::STANDARD};
use sha2::{Digest, Sha256};

/// The headers every response carries (unless a handler set its own, as downloads do).
#[derive(Clone)]
pub struct SecurityHeaders(Arc<Vec<(HeaderName, HeaderValue)>>);

impl SecurityHeaders {
    /// `https`: the public URL is https, so browsers are told to stay on https (HSTS); over
    /// plain http (a laptop) the header would be ignored or, worse, pin a dev host.
    pub fn new(csp: &str, https: bool) -> Self {
        let mut headers = vec![
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_str(csp).expect("the CSP is built from header-safe parts"),
            ),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            ),
            (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
            // The app uses none of these; a script injected anyway cannot either.
            (
                HeaderName::from_static("permissions-policy"),
                HeaderValue::from_static(
                    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
                ),
            ),
            // Another origin that opens us (or that we open) gets no handle to this window.
            (
                HeaderName::from_static("cross-origin-opener-policy"),
                HeaderValue::from_static("same-origin"),
            ),
        ];
        if https {
            headers.push((
                header::STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static("max-age=31536000; includeSubDomains"),
            ));
        }
        Self(Arc::new(headers))
    }

    fn apply(&self, headers: &mut HeaderMap) {
        for (name, value) in self.0.iter() {
            if !headers.contains_key(name) {
                headers.insert(name.clone(), value.clone());
            }
        }
    }

    /// For `axum::middleware::map_response`.
    pub async fn add_to(self, mut response: Response) -> Response {
        self.apply(response.headers_mut());
        response
    }
}

/// `direct_origins`: other origins the browser sends to (S3, for presigned uploads).
pub fn content_security_policy(
    dist_dir: &Path,
    config: &RuntimeConfig,
    direct_origins: &[String],
) -> String {
    let index = std::fs::read_to_string(dist_dir.join("index.html")).unwrap_or_default();
    let script_hashes: String = inline_scripts(&index)
        .map(|s| format!(" 'sha256-{}'", sha256_base64(s)))
        .collect();
    // The identity provider may be another origin (Cognito); the browser POSTs to it.
    let idp_origin = origin_of(&config.cognito.endpoint)
        .map(|o| format!(" {o}"))
        .unwrap_or_default();
    let api_origin = origin_of(&config.api_base_url)
        .map(|o| format!(" {o}"))
        .unwrap_or_default();
    let direct: String = direct_origins
        .iter()
        .filter_map(|url| origin_of(url))
        .map(|o| format!(" {o}"))
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{script_hashes}; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; \
         connect-src 'self'{idp_origin}{api_origin}{direct}; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

fn sha256_base64(text: &str) -> String {
    STANDARD.encode(Sha256::digest(text.as_bytes()))
}

/// The bodies of `<script>` elements without a `src` attribute.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (attrs, after) = rest.split_once('>')?;
        let (body, _) = after.split_once("</script>")?;
        (!attrs.contains("src=")).then_some(body)
    })
}

/// `https://host[:port]` of an absolute URL; `None` for relative ones (same origin).
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split('/').next()?;
    let safe = host
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c));
    (safe && !host.is_empty()).then(|| format!("{scheme}://{host}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hsts_only_over_https() {
        let names = |https| {
            let mut headers = HeaderMap::new();
            SecurityHeaders::new("default-src 'self'", https).apply(&mut headers);
            headers
        };
        assert!(names(true).contains_key(header::STRICT_TRANSPORT_SECURITY));
        assert!(!names(false).contains_key(header::STRICT_TRANSPORT_SECURITY));
        assert_eq!(names(false)["cross-origin-opener-policy"], "same-origin");
        assert!(names(false).contains_key("permissions-policy"));
    }

    #[test]
    fn only_inline_scripts_are_hashed() {
        let html = r#"<script src="/a.js"></script><script type="module">init()</script>"#;
        assert_eq!(inline_scripts(html).collect::<Vec<_>>(), vec!["init()"]);
    }

    #[test]
    fn origins_come_from_absolute_urls_only() {
        assert_eq!(origin_of("/idp"), None);
        assert_eq!(
            origin_of("https://cognito-idp.eu-west-1.amazonaws.com/").as_deref(),
            Some("https://cognito-idp.eu-west-1.amazonaws.com")
        );
        assert_eq!(origin_of("https://evil.example; script-src *"), None);
    }
}
