//! Personal access tokens: a secret a user mints for a script or an outside client, sent as
//! `Authorization: Bearer tasko_pat_...`. Only its SHA-256 is stored ([`TokenHash`]): the
//! secret is 32 random bytes, so a digest without a salt or a slow hash is enough (nobody
//! can guess their way back from it), and it lets a request find its token by one key read.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{
    ids::{AccessTokenId, UserId},
    input::InvalidInput,
    text,
};

/// What every personal access token starts with: how a Bearer value is told apart from a
/// JWT before any verifier sees it (and what secret scanners can look for).
pub const TOKEN_PREFIX: &str = "tasko_pat_";
/// Longest name, in characters.
pub const NAME_MAX_CHARS: usize = 60;
/// Tokens one user may hold.
pub const TOKENS_PER_USER: usize = 50;

/// What a token may do: `read` answers GET requests only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    Read,
    Write,
}

impl Access {
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        match raw {
            "read" => Ok(Self::Read),
            "write" => Ok(Self::Write),
            _ => Err(InvalidInput(
                "`access` must be \"read\" or \"write\".".into(),
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Write => "write",
        }
    }
}

/// A token's name: 1 to 60 visible characters on one line, trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TokenName(String);

impl TokenName {
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        let visible = text::visible(raw);
        let name = visible.trim();
        if !text::shows_something(name) {
            return Err(InvalidInput("The token's name must not be empty.".into()));
        }
        let chars = name.chars().count();
        if chars > NAME_MAX_CHARS {
            return Err(InvalidInput(format!(
                "The token's name is {chars} characters long; the limit is {NAME_MAX_CHARS}."
            )));
        }
        if name.chars().any(char::is_control) {
            return Err(InvalidInput(
                "The token's name must be a single line of text.".into(),
            ));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The SHA-256 of a token's secret, in lower-case hex: the only form the store keeps.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TokenHash(String);

impl TokenHash {
    pub fn of(secret: &str) -> Self {
        let digest = Sha256::digest(secret.as_bytes());
        Self(digest.iter().map(|b| format!("{b:02x}")).collect())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A token as stored: everything but its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessToken {
    pub id: AccessTokenId,
    pub owner: UserId,
    pub name: TokenName,
    pub access: Access,
    pub hash: TokenHash,
    pub created_at: Timestamp,
    /// Whole seconds (DynamoDB compares it in a condition as a number); `None` until used.
    #[serde(default, with = "jiff::fmt::serde::timestamp::second::optional")]
    pub last_used_at: Option<Timestamp>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_one_visible_line_of_at_most_sixty_characters() {
        assert_eq!(
            TokenName::parse("  CI script ").unwrap().as_str(),
            "CI script"
        );
        assert!(TokenName::parse(&"x".repeat(60)).is_ok());
        for bad in ["", "   ", "\u{200B}", "a\nb", &"x".repeat(61)] {
            assert!(TokenName::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn access_is_read_or_write_only() {
        assert_eq!(Access::parse("read").unwrap(), Access::Read);
        assert_eq!(Access::parse("write").unwrap(), Access::Write);
        for bad in ["", "READ", "admin", "readwrite"] {
            assert!(Access::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_hash_is_the_sha256_of_the_secret_in_hex() {
        let hash = TokenHash::of("tasko_pat_abc");
        assert_eq!(hash.as_str().len(), 64);
        assert_eq!(hash, TokenHash::of("tasko_pat_abc"));
        assert_ne!(hash, TokenHash::of("tasko_pat_abd"));
    }
}
