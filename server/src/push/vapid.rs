//! The server's VAPID key (RFC 8292): a P-256 key pair. Browsers subscribe with its public
//! half (`GET /api/push/key`), and push services accept a message only with a token signed
//! by the private half. It must outlive the process (a new key orphans every subscription):
//! locally `DATA_DIR/vapid-private.pem` (PKCS#8, mode 0600), made at first start; on AWS a
//! SecureString parameter read at start (`ssm.rs`). The private key is never logged.

use std::path::Path;

use jiff::{SignedDuration, Timestamp};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use p256::{
    SecretKey,
    elliptic_curve::sec1::ToEncodedPoint,
    pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding},
};
use reqwest::Url;
use serde::Serialize;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

/// The key's file in DATA_DIR.
pub const KEY_FILE: &str = "vapid-private.pem";

/// How long a token is valid: RFC 8292 allows at most 24 hours; a few hours keep a leaked
/// request from being replayed for long while leaving room for clock skew.
pub const TOKEN_LIFETIME: SignedDuration = SignedDuration::from_hours(12);

#[derive(Debug, thiserror::Error)]
pub enum VapidKeyError {
    #[error("the VAPID key is not a P-256 private key in PKCS#8 PEM")]
    NotAKey,
    #[error("the VAPID key file could not be read or written")]
    File(#[source] std::io::Error),
}

pub struct VapidKey {
    signing: EncodingKey,
    /// The public key as browsers take it: the uncompressed point, base64url.
    public_key: String,
}

impl std::fmt::Debug for VapidKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VapidKey")
            .field("public_key", &self.public_key)
            .finish_non_exhaustive()
    }
}

#[derive(Serialize)]
struct Claims<'a> {
    aud: &'a str,
    exp: i64,
    sub: &'a str,
}

impl VapidKey {
    /// The key in `data_dir`, made there first if there is none.
    pub fn load_or_create(data_dir: &Path) -> Result<Self, VapidKeyError> {
        let path = data_dir.join(KEY_FILE);
        let pem = match std::fs::read_to_string(&path) {
            Ok(pem) => pem,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let pem = generate_pem();
                crate::idp::write_private(data_dir, &path, &pem).map_err(VapidKeyError::File)?;
                pem
            }
            Err(e) => return Err(VapidKeyError::File(e)),
        };
        Self::from_pem(&pem)
    }

    pub fn from_pem(pem: &str) -> Result<Self, VapidKeyError> {
        let secret = SecretKey::from_pkcs8_pem(pem.trim()).map_err(|_| VapidKeyError::NotAKey)?;
        let signing =
            EncodingKey::from_ec_pem(pem.trim().as_bytes()).map_err(|_| VapidKeyError::NotAKey)?;
        let point = secret.public_key().to_encoded_point(false);
        Ok(Self {
            signing,
            public_key: URL_SAFE_NO_PAD.encode(point.as_bytes()),
        })
    }

    /// The uncompressed public point, base64url without padding (`applicationServerKey`).
    pub fn public_key(&self) -> &str {
        &self.public_key
    }

    /// The `Authorization` header of a message to `endpoint`: `vapid t=<JWT>, k=<key>`, the
    /// token ES256-signed for the endpoint's origin, expiring [`TOKEN_LIFETIME`] after `now`,
    /// naming `subject` (a `mailto:` or `https:` contact).
    pub fn authorization(
        &self,
        endpoint: &Url,
        subject: &str,
        now: Timestamp,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        let audience = endpoint.origin().ascii_serialization();
        let claims = Claims {
            aud: &audience,
            exp: (now + TOKEN_LIFETIME).as_second(),
            sub: subject,
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::ES256), &claims, &self.signing)?;
        Ok(format!("vapid t={token}, k={}", self.public_key))
    }
}

/// A new VAPID private key, PKCS#8 PEM (also what `tasko-server vapid-key` prints for
/// `make deploy` to store).
pub fn generate_pem() -> String {
    let secret = SecretKey::random(&mut rand::rngs::OsRng);
    secret
        .to_pkcs8_pem(LineEnding::LF)
        .expect("a fresh P-256 key encodes")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{DecodingKey, Validation};

    #[test]
    fn a_token_is_es256_for_the_endpoints_origin_and_verifies_with_the_public_key() {
        let key = VapidKey::from_pem(&generate_pem()).unwrap();
        let now: Timestamp = "2026-12-06T09:00:00Z".parse().unwrap();
        let endpoint = Url::parse("https://push.example:8443/send/abc?x=1").unwrap();
        let header = key
            .authorization(&endpoint, "mailto:ops@tasko.example", now)
            .unwrap();
        let (token, k) = header
            .strip_prefix("vapid t=")
            .unwrap()
            .split_once(", k=")
            .unwrap();
        assert_eq!(k, key.public_key());

        let point = URL_SAFE_NO_PAD.decode(k).unwrap();
        assert_eq!((point.len(), point[0]), (65, 4), "uncompressed P-256");
        let (x, y) = (
            URL_SAFE_NO_PAD.encode(&point[1..33]),
            URL_SAFE_NO_PAD.encode(&point[33..]),
        );
        let decoding = DecodingKey::from_ec_components(&x, &y).unwrap();
        let mut validation = Validation::new(Algorithm::ES256);
        validation.set_audience(&["https://push.example:8443"]);
        validation.validate_exp = false;
        let claims = jsonwebtoken::decode::<serde_json::Value>(token, &decoding, &validation)
            .unwrap()
            .claims;
        assert_eq!(claims["sub"], "mailto:ops@tasko.example");
        assert_eq!(claims["exp"], now.as_second() + 12 * 3600);

        let other = VapidKey::from_pem(&generate_pem()).unwrap();
        let foreign = other.authorization(&endpoint, "mailto:x@y.z", now).unwrap();
        let foreign_token = foreign["vapid t=".len()..].split(", k=").next().unwrap();
        assert!(
            jsonwebtoken::decode::<serde_json::Value>(foreign_token, &decoding, &validation)
                .is_err()
        );
    }

    #[test]
    fn the_default_port_is_not_part_of_the_audience() {
        let key = VapidKey::from_pem(&generate_pem()).unwrap();
        let now = Timestamp::UNIX_EPOCH;
        let header = key
            .authorization(
                &Url::parse("https://fcm.googleapis.com:443/fcm/send/x").unwrap(),
                "https://tasko.example",
                now,
            )
            .unwrap();
        let token = header["vapid t=".len()..].split(", k=").next().unwrap();
        let payload = token.split('.').nth(1).unwrap();
        let claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
        assert_eq!(claims["aud"], "https://fcm.googleapis.com");
    }

    #[test]
    fn the_key_is_made_once_with_owner_only_permissions_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let first = VapidKey::load_or_create(dir.path()).unwrap();
        let again = VapidKey::load_or_create(dir.path()).unwrap();
        assert_eq!(first.public_key(), again.public_key());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(!format!("{first:?}").contains("PRIVATE"));
    }

    #[test]
    fn anything_but_a_p256_pkcs8_key_is_refused() {
        assert!(VapidKey::from_pem("not a key").is_err());
        assert!(VapidKey::from_pem(&crate::idp::generate_pem().unwrap()).is_err());
    }
}
