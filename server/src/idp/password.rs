//! Passwords: Cognito's default policy, and argon2id hashes (memory-hard), computed on the
//! blocking pool because each one costs tens of milliseconds on purpose.

use argon2::{
    Argon2, PasswordHash, PasswordHasher, PasswordVerifier,
    password_hash::{SaltString, rand_core::OsRng},
};

/// Cognito's default user-pool policy: 8+ characters with a lower- and upper-case letter, a
/// digit and a symbol. The message lists what is missing, as Cognito does.
pub fn check_policy(password: &str) -> Result<(), String> {
    let mut missing = Vec::new();
    if password.chars().count() < 8 {
        missing.push("Password not long enough");
    }
    if password.chars().count() > 256 {
        missing.push("Password too long");
    }
    if !password.chars().any(|c| c.is_lowercase()) {
        missing.push("Password must have lowercase characters");
    }
    if !password.chars().any(|c| c.is_uppercase()) {
        missing.push("Password must have uppercase characters");
    }
    if !password.chars().any(|c| c.is_ascii_digit()) {
        missing.push("Password must have numeric characters");
    }
    if !password
        .chars()
        .any(|c| !c.is_alphanumeric() && !c.is_whitespace())
    {
        missing.push("Password must have symbol characters");
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "Password did not conform with policy: {}",
            missing.join("; ")
        ))
    }
}

pub async fn hash(password: String) -> Result<String, String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())?
}

/// Checks `password` against `stored_hash`; with no stored hash (unknown user) it still does
/// the same work against a dummy, so response time does not reveal which usernames exist.
pub async fn verify(password: String, stored_hash: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let argon = Argon2::default();
        match stored_hash.as_deref().map(PasswordHash::new) {
            Some(Ok(parsed)) => argon.verify_password(password.as_bytes(), &parsed).is_ok(),
            _ => {
                let salt = SaltString::generate(&mut OsRng);
                let _ = argon.hash_password(password.as_bytes(), &salt);
                false
            }
        }
    })
    .await
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_accepts_a_strong_password_and_names_what_a_weak_one_lacks() {
        assert!(check_policy("Correct-Horse-9").is_ok());
        let err = check_policy("short").unwrap_err();
        assert!(err.contains("not long enough"), "{err}");
        assert!(err.contains("uppercase"), "{err}");
        assert!(err.contains("numeric"), "{err}");
        assert!(err.contains("symbol"), "{err}");
    }

    #[tokio::test]
    async fn a_hash_verifies_only_its_own_password() {
        let hashed = hash("Secret-Pass-1".into()).await.unwrap();
        assert!(hashed.starts_with("$argon2id$"));
        assert!(verify("Secret-Pass-1".into(), Some(hashed.clone())).await);
        assert!(!verify("Secret-Pass-2".into(), Some(hashed)).await);
        assert!(!verify("Secret-Pass-1".into(), None).await);
    }
}
