//! Cognito's default password policy. (Hashing is in `hashing.rs`.)

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
}
