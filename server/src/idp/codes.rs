//! One-time codes: the six digits Cognito emails for confirming a sign-up and for resetting
//! a password. The local IdP has no mail to send, so each code is written to the server log
//! (target `server::idp::codes`), which is where a developer or a test reads it.
//!
//! Only a digest is stored. A code dies when it is used, when it expires, or after
//! [`MAX_FAILED_ATTEMPTS`] wrong guesses: a million possibilities are not many if guessing
//! is free.

use rand::Rng;

use super::directory::{CodePurpose, CodeRecord, token_digest};

pub const MAX_FAILED_ATTEMPTS: u32 = 5;
/// Cognito's lifetimes: a sign-up code lasts 24 hours, a password-reset code one hour.
const CONFIRM_LIFETIME_MS: i64 = 24 * 3_600_000;
const RESET_LIFETIME_MS: i64 = 3_600_000;

/// A new code: the digits for the user and the record to keep.
pub fn issue(purpose: CodePurpose, now_ms: i64) -> (String, CodeRecord) {
    let code = format!("{:06}", rand::rngs::OsRng.gen_range(0..1_000_000u32));
    let lifetime = match purpose {
        CodePurpose::ConfirmSignUp => CONFIRM_LIFETIME_MS,
        CodePurpose::ResetPassword => RESET_LIFETIME_MS,
    };
    let record = CodeRecord {
        purpose,
        digest: token_digest(&code),
        expires_at: now_ms + lifetime,
        failed_attempts: 0,
    };
    (code, record)
}

#[derive(Debug, PartialEq, Eq)]
pub enum CodeCheck {
    Accepted,
    /// Wrong digits; the code stays usable (until too many of these).
    Mismatch,
    /// No usable code of this purpose: never sent, used, expired or guessed at too often.
    Expired,
}

/// Checks `given` against the user's outstanding code and updates the record: a match
/// consumes the code, a mismatch counts, the last allowed mismatch voids it.
pub fn check(
    slot: &mut Option<CodeRecord>,
    purpose: CodePurpose,
    given: &str,
    now_ms: i64,
) -> CodeCheck {
    let Some(record) = slot.as_mut().filter(|r| r.purpose == purpose) else {
        return CodeCheck::Expired;
    };
    if record.expires_at <= now_ms || record.failed_attempts >= MAX_FAILED_ATTEMPTS {
        *slot = None;
        return CodeCheck::Expired;
    }
    if constant_time_eq(
        token_digest(given.trim()).as_bytes(),
        record.digest.as_bytes(),
    ) {
        *slot = None;
        return CodeCheck::Accepted;
    }
    record.failed_attempts += 1;
    if record.failed_attempts >= MAX_FAILED_ATTEMPTS {
        *slot = None;
    }
    CodeCheck::Mismatch
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Where Cognito says the code went, masked as it does: `j***@e***`.
pub fn masked_destination(email: &str) -> String {
    let (local, domain) = email.split_once('@').unwrap_or((email, ""));
    let first = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
    format!("{}***@{}***", first(local), first(domain))
}

/// The stand-in for the email Cognito would send.
pub fn deliver(email: &str, purpose: CodePurpose, code: &str) {
    tracing::info!(
        target: "server::idp::codes",
        email,
        purpose = ?purpose,
        code,
        "verification code (the local IdP's stand-in for an email)"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_works_once_and_dies_after_five_wrong_guesses_or_its_deadline() {
        let (code, record) = issue(CodePurpose::ConfirmSignUp, 0);
        assert_eq!(code.len(), 6);
        let mut slot = Some(record.clone());
        assert_eq!(
            check(&mut slot, CodePurpose::ResetPassword, &code, 1),
            CodeCheck::Expired
        );
        let mut slot = Some(record.clone());
        assert_eq!(
            check(&mut slot, CodePurpose::ConfirmSignUp, &code, 1),
            CodeCheck::Accepted
        );
        assert_eq!(
            check(&mut slot, CodePurpose::ConfirmSignUp, &code, 1),
            CodeCheck::Expired
        );

        let wrong = if code == "000000" { "000001" } else { "000000" };
        let mut slot = Some(record.clone());
        for _ in 0..MAX_FAILED_ATTEMPTS {
            assert_eq!(
                check(&mut slot, CodePurpose::ConfirmSignUp, wrong, 1),
                CodeCheck::Mismatch
            );
        }
        assert_eq!(
            check(&mut slot, CodePurpose::ConfirmSignUp, &code, 1),
            CodeCheck::Expired
        );

        let mut slot = Some(record);
        assert_eq!(
            check(
                &mut slot,
                CodePurpose::ConfirmSignUp,
                &code,
                CONFIRM_LIFETIME_MS
            ),
            CodeCheck::Expired
        );
    }

    #[test]
    fn destinations_are_masked_like_cognitos() {
        assert_eq!(masked_destination("jane@example.com"), "j***@e***");
    }
}
