//! The local identity provider's RS256 signing key: generated once, kept in DATA_DIR (mode
//! 0600, written atomically) so tokens stay valid across restarts, published as a JWKS.

use std::path::Path;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{DecodingKey, EncodingKey};
use rsa::{
    RsaPrivateKey,
    pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding},
    traits::PublicKeyParts,
};
use sha2::{Digest, Sha256};

pub const KEY_FILE: &str = "idp-signing-key.pem";
const KEY_BITS: usize = 2048;

pub struct SigningKey {
    pub kid: String,
    pub encoding: EncodingKey,
    /// The matching public key, for checking our own access tokens (GlobalSignOut).
    pub decoding: DecodingKey,
    /// Public modulus and exponent, base64url: the JWKS entry.
    n: String,
    e: String,
}

impl SigningKey {
    pub fn load_or_create(data_dir: &Path) -> std::io::Result<Self> {
        let path = data_dir.join(KEY_FILE);
        let pem = match std::fs::read_to_string(&path) {
            Ok(pem) => pem,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let pem = generate_pem()?;
                write_private(data_dir, &path, &pem)?;
                pem
            }
            Err(e) => return Err(e),
        };
        Self::from_pem(&pem)
    }

    pub fn from_pem(pem: &str) -> std::io::Result<Self> {
        let invalid = |e: String| std::io::Error::new(std::io::ErrorKind::InvalidData, e);
        let key = RsaPrivateKey::from_pkcs8_pem(pem).map_err(|e| invalid(e.to_string()))?;
        let encoding =
            EncodingKey::from_rsa_pem(pem.as_bytes()).map_err(|e| invalid(e.to_string()))?;
        let n_bytes = key.n().to_bytes_be();
        let kid = URL_SAFE_NO_PAD.encode(&Sha256::digest(&n_bytes)[..12]);
        let n = URL_SAFE_NO_PAD.encode(&n_bytes);
        let e = URL_SAFE_NO_PAD.encode(key.e().to_bytes_be());
        let decoding =
            DecodingKey::from_rsa_components(&n, &e).map_err(|e| invalid(e.to_string()))?;
        Ok(Self {
            kid,
            encoding,
            decoding,
            n,
            e,
        })
    }

    pub fn jwks(&self) -> serde_json::Value {
        serde_json::json!({ "keys": [{
            "kty": "RSA", "alg": "RS256", "use": "sig",
            "kid": self.kid, "n": self.n, "e": self.e,
        }]})
    }
}

/// A new PKCS#8 PEM private key.
pub fn generate_pem() -> std::io::Result<String> {
    let key = RsaPrivateKey::new(&mut rand::rngs::OsRng, KEY_BITS)
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    let pem = key
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(pem.to_string())
}

/// Writes a private key file readable by its owner only (mode 0600), atomically (a temp
/// file, synced, renamed): a crash leaves the old file or the new one, never half of it.
/// Also the push service's VAPID key.
pub fn write_private(dir: &Path, path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    std::fs::create_dir_all(dir)?;
    let tmp = path.with_extension("tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&tmp)?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()?;
    std::fs::rename(&tmp, path)
}
