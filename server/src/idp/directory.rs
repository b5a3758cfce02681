//! The local identity provider's user directory: users by email, and refresh tokens by the
//! SHA-256 of the token (the token itself is never stored). redb in DATA_DIR, durable on
//! commit, like the main store.

use std::{path::Path, sync::Arc};

use redb::{Database, ReadableTable, TableDefinition};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::domain::Cause;

/// Lower-cased email -> JSON of [`UserRecord`].
const USERS: TableDefinition<&str, &[u8]> = TableDefinition::new("users");
/// Hex SHA-256 of a refresh token -> JSON of [`RefreshRecord`].
const REFRESH_TOKENS: TableDefinition<&str, &[u8]> = TableDefinition::new("refresh_tokens");
/// sub -> lower-cased email, to find a user from a verified access token.
const SUBS: TableDefinition<&str, &str> = TableDefinition::new("subs");
/// One record, rewritten for every code operation on an email with no account: the same
/// write and commit a user's change costs, so the time taken does not tell who has one.
const DECOY: TableDefinition<&str, &[u8]> = TableDefinition::new("decoy");

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UserRecord {
    pub sub: String,
    pub email: String,
    pub password_hash: String,
    pub created_at: i64,
    /// GlobalSignOut time (Unix ms): refresh tokens issued up to it are void.
    #[serde(default)]
    pub signed_out_at: Option<i64>,
    /// Whether the email was confirmed with a code. Users created before confirmation
    /// existed were auto-confirmed, hence the default.
    #[serde(default = "confirmed_by_default")]
    pub confirmed: bool,
    /// The one outstanding code (sign-up confirmation or password reset), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<CodeRecord>,
    /// When (Unix ms) recent wrong guesses at this user's codes were made, whatever code
    /// they were for: a new code must not bring a fresh allowance (see `codes.rs`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub wrong_code_guesses: Vec<i64>,
}

impl UserRecord {
    /// What a code operation works on when there is no account: unconfirmed, no code.
    fn decoy(email: &str) -> Self {
        Self {
            sub: String::new(),
            email: email.to_owned(),
            password_hash: String::new(),
            created_at: 0,
            signed_out_at: None,
            confirmed: false,
            code: None,
            wrong_code_guesses: Vec::new(),
        }
    }
}

fn confirmed_by_default() -> bool {
    true
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CodePurpose {
    ConfirmSignUp,
    ResetPassword,
}

/// A code sent to the user: only its digest is kept, with a deadline and a count of wrong
/// guesses (a six-digit code must not be guessable by trying).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CodeRecord {
    pub purpose: CodePurpose,
    pub digest: String,
    /// Unix ms.
    pub expires_at: i64,
    pub failed_attempts: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RefreshRecord {
    pub sub: String,
    pub client_id: String,
    /// Unix ms.
    pub issued_at: i64,
    pub expires_at: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum DirectoryError {
    #[error("user exists")]
    UserExists,
    #[error("directory backend failed")]
    Backend(#[source] Cause),
}

fn backend(e: impl std::error::Error + Send + Sync + 'static) -> DirectoryError {
    DirectoryError::Backend(Cause::new(e))
}

pub fn token_digest(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[derive(Clone)]
pub struct Directory {
    db: Arc<Database>,
}

impl Directory {
    pub fn open(data_dir: &Path) -> Result<Self, DirectoryError> {
        std::fs::create_dir_all(data_dir).map_err(backend)?;
        let db = Database::create(data_dir.join("identity.redb")).map_err(backend)?;
        let txn = db.begin_write().map_err(backend)?;
        txn.open_table(USERS).map_err(backend)?;
        txn.open_table(REFRESH_TOKENS).map_err(backend)?;
        txn.open_table(SUBS).map_err(backend)?;
        txn.open_table(DECOY).map_err(backend)?;
        txn.commit().map_err(backend)?;
        Ok(Self { db: Arc::new(db) })
    }

    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Database) -> Result<T, DirectoryError> + Send + 'static,
    ) -> Result<T, DirectoryError> {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || work(&db))
            .await
            .map_err(backend)?
    }

    pub async fn create_user(&self, user: UserRecord) -> Result<(), DirectoryError> {
        self.blocking(move |db| {
            let txn = db.begin_write().map_err(backend)?;
            {
                let mut users = txn.open_table(USERS).map_err(backend)?;
                if users.get(user.email.as_str()).map_err(backend)?.is_some() {
                    return Err(DirectoryError::UserExists);
                }
                let json = serde_json::to_vec(&user).map_err(backend)?;
                users
                    .insert(user.email.as_str(), json.as_slice())
                    .map_err(backend)?;
                let mut subs = txn.open_table(SUBS).map_err(backend)?;
                subs.insert(user.sub.as_str(), user.email.as_str())
                    .map_err(backend)?;
            }
            txn.commit().map_err(backend)
        })
        .await
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<UserRecord>, DirectoryError> {
        let email = email.to_owned();
        self.blocking(move |db| {
            let txn = db.begin_read().map_err(backend)?;
            let users = txn.open_table(USERS).map_err(backend)?;
            let found = users.get(email.as_str()).map_err(backend)?;
            found
                .map(|v| serde_json::from_slice(v.value()).map_err(backend))
                .transpose()
        })
        .await
    }

    pub async fn user_by_sub(&self, sub: &str) -> Result<Option<UserRecord>, DirectoryError> {
        let sub = sub.to_owned();
        let email = self
            .blocking(move |db| {
                let txn = db.begin_read().map_err(backend)?;
                let subs = txn.open_table(SUBS).map_err(backend)?;
                Ok(subs
                    .get(sub.as_str())
                    .map_err(backend)?
                    .map(|v| v.value().to_owned()))
            })
            .await?;
        match email {
            Some(email) => self.user_by_email(&email).await,
            None => Ok(None),
        }
    }

    pub async fn store_refresh_token(
        &self,
        token: &str,
        record: RefreshRecord,
    ) -> Result<(), DirectoryError> {
        let digest = token_digest(token);
        self.blocking(move |db| {
            let txn = db.begin_write().map_err(backend)?;
            {
                let mut table = txn.open_table(REFRESH_TOKENS).map_err(backend)?;
                let json = serde_json::to_vec(&record).map_err(backend)?;
                table
                    .insert(digest.as_str(), json.as_slice())
                    .map_err(backend)?;
            }
            txn.commit().map_err(backend)
        })
        .await
    }

    pub async fn refresh_token(
        &self,
        token: &str,
    ) -> Result<Option<RefreshRecord>, DirectoryError> {
        let digest = token_digest(token);
        self.blocking(move |db| {
            let txn = db.begin_read().map_err(backend)?;
            let table = txn.open_table(REFRESH_TOKENS).map_err(backend)?;
            let found = table.get(digest.as_str()).map_err(backend)?;
            found
                .map(|v| serde_json::from_slice(v.value()).map_err(backend))
                .transpose()
        })
        .await
    }

    /// GlobalSignOut: every refresh token issued to `sub` up to `at` stops working.
    pub async fn sign_out_everywhere(&self, sub: &str, at: i64) -> Result<(), DirectoryError> {
        let Some(user) = self.user_by_sub(sub).await? else {
            return Ok(());
        };
        self.update_user(&user.email, move |user| user.signed_out_at = Some(at))
            .await
            .map(|_| ())
    }

    /// Changes a user's record in one write transaction (read, change, write), so that
    /// concurrent requests (two guesses of a code) cannot both act on the same old record.
    /// `None` if there is no such user; `change` decides, from the record, what to answer.
    pub async fn update_user<R: Send + 'static>(
        &self,
        email: &str,
        change: impl FnOnce(&mut UserRecord) -> R + Send + 'static,
    ) -> Result<Option<R>, DirectoryError> {
        self.update_or_decoy(email, move |user, exists| exists.then(|| change(user)))
            .await
    }

    /// Like `update_user`, but an email with no account costs the same: `change` runs on a
    /// decoy record (`exists` is false) and that record is written and committed too (to a
    /// table of its own). For the code operations, whose timing must not tell who has an
    /// account.
    pub async fn update_or_decoy<R: Send + 'static>(
        &self,
        email: &str,
        change: impl FnOnce(&mut UserRecord, bool) -> R + Send + 'static,
    ) -> Result<R, DirectoryError> {
        let email = email.to_owned();
        self.blocking(move |db| {
            let txn = db.begin_write().map_err(backend)?;
            let answer = {
                let mut users = txn.open_table(USERS).map_err(backend)?;
                let found: Option<UserRecord> = users
                    .get(email.as_str())
                    .map_err(backend)?
                    .map(|v| serde_json::from_slice(v.value()).map_err(backend))
                    .transpose()?;
                let exists = found.is_some();
                let mut user = found.unwrap_or_else(|| UserRecord::decoy(&email));
                let answer = change(&mut user, exists);
                let json = serde_json::to_vec(&user).map_err(backend)?;
                if exists {
                    users
                        .insert(email.as_str(), json.as_slice())
                        .map_err(backend)?;
                } else {
                    let mut decoy = txn.open_table(DECOY).map_err(backend)?;
                    decoy.insert("", json.as_slice()).map_err(backend)?;
                }
                answer
            };
            txn.commit().map_err(backend)?;
            Ok(answer)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error;

    use super::*;

    /// A backend failure keeps the error it came from (for the log), not a copy of its text.
    #[test]
    fn a_backend_failure_keeps_its_source() {
        let failure = backend(std::io::Error::other("disk full"));
        assert_eq!(failure.source().unwrap().to_string(), "disk full");
    }
}
