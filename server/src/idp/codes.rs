//! One-time codes: the six digits Cognito emails for confirming a sign-up and for resetting
//! a password. The local IdP has no mail to send, so each code is written to the server log
//! (target `server::idp::codes`), which is where a developer or a test reads it.
//!
//! Only a digest is stored. A code dies when it is used, when it expires, or after
//! [`MAX_FAILED_ATTEMPTS`] wrong guesses: a million possibilities are not many if guessing
//! is free. Asking for a new code must not bring five fresh guesses without end, so an
//! account also takes at most [`MAX_WRONG_GUESSES_PER_WINDOW`] wrong guesses in
//! [`GUESS_WINDOW_MS`], whatever code they were at (counted in the user's record, so the
//! count survives new codes and restarts); beyond that no code is checked until the
//! oldest guess leaves the window.

use app::wire::cognito::CodeDeliveryDetails;
use rand::Rng;

use super::directory::{CodePurpose, CodeRecord, UserRecord, token_digest};

pub const MAX_FAILED_ATTEMPTS: u32 = 5;
/// Two codes' worth of guesses an hour: ten in a million per hour at most for a guesser,
/// and room for a user who mistypes one code and then a second.
pub const MAX_WRONG_GUESSES_PER_WINDOW: usize = 10;
pub const GUESS_WINDOW_MS: i64 = 3_600_000;
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
    /// The account's wrong guesses for this window are used up: nothing was checked.
    TooManyGuesses,
}

/// Checks `given` against the user's outstanding code and updates the record: a match
/// consumes the code (and forgives earlier wrong guesses), a mismatch counts against the
/// code and the account, the last allowed mismatch voids the code.
pub fn check(user: &mut UserRecord, purpose: CodePurpose, given: &str, now_ms: i64) -> CodeCheck {
    // Computed first, whatever the record holds: every check costs the same.
    let given = token_digest(given.trim());
    let recent = &mut user.wrong_code_guesses;
    recent.retain(|at| now_ms - at < GUESS_WINDOW_MS);
    if recent.len() >= MAX_WRONG_GUESSES_PER_WINDOW {
        return CodeCheck::TooManyGuesses;
    }
    let slot = &mut user.code;
    let Some(record) = slot.as_mut().filter(|r| r.purpose == purpose) else {
        return CodeCheck::Expired;
    };
    if record.expires_at <= now_ms || record.failed_attempts >= MAX_FAILED_ATTEMPTS {
        *slot = None;
        return CodeCheck::Expired;
    }
    if constant_time_eq(given.as_bytes(), record.digest.as_bytes()) {
        *slot = None;
        recent.clear();
        return CodeCheck::Accepted;
    }
    record.failed_attempts += 1;
    if record.failed_attempts >= MAX_FAILED_ATTEMPTS {
        *slot = None;
    }
    recent.push(now_ms);
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

/// Where a code went, as Cognito says it (`j***@e***`, by email).
pub fn delivery_details(email: &str) -> CodeDeliveryDetails {
    CodeDeliveryDetails {
        destination: masked_destination(email),
        delivery_medium: "EMAIL".into(),
        attribute_name: "email".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user_with(record: CodeRecord) -> UserRecord {
        UserRecord {
            sub: "sub".into(),
            email: "a@example.com".into(),
            password_hash: String::new(),
            created_at: 0,
            signed_out_at: None,
            confirmed: false,
            code: Some(record),
            wrong_code_guesses: Vec::new(),
        }
    }

    fn wrong_for(code: &str) -> &'static str {
        if code == "000000" { "000001" } else { "000000" }
    }

    #[test]
    fn a_code_works_once_and_dies_after_five_wrong_guesses_or_its_deadline() {
        let (code, record) = issue(CodePurpose::ConfirmSignUp, 0);
        assert_eq!(code.len(), 6);
        let mut user = user_with(record.clone());
        assert_eq!(
            check(&mut user, CodePurpose::ResetPassword, &code, 1),
            CodeCheck::Expired
        );
        assert_eq!(
            check(&mut user, CodePurpose::ConfirmSignUp, &code, 1),
            CodeCheck::Accepted
        );
        assert_eq!(
            check(&mut user, CodePurpose::ConfirmSignUp, &code, 1),
            CodeCheck::Expired
        );

        let mut user = user_with(record.clone());
        for _ in 0..MAX_FAILED_ATTEMPTS {
            assert_eq!(
                check(&mut user, CodePurpose::ConfirmSignUp, wrong_for(&code), 1),
                CodeCheck::Mismatch
            );
        }
        assert_eq!(
            check(&mut user, CodePurpose::ConfirmSignUp, &code, 1),
            CodeCheck::Expired
        );

        let mut user = user_with(record);
        assert_eq!(
            check(
                &mut user,
                CodePurpose::ConfirmSignUp,
                &code,
                CONFIRM_LIFETIME_MS
            ),
            CodeCheck::Expired
        );
    }

    #[test]
    fn new_codes_do_not_renew_the_accounts_guesses_until_the_window_passes() {
        let (first, record) = issue(CodePurpose::ConfirmSignUp, 0);
        let mut user = user_with(record);
        let mut code = first;
        let mut guesses = 0;
        while guesses < MAX_WRONG_GUESSES_PER_WINDOW {
            if user.code.is_none() {
                let (digits, record) = issue(CodePurpose::ConfirmSignUp, 0);
                (code, user.code) = (digits, Some(record));
            }
            assert_eq!(
                check(&mut user, CodePurpose::ConfirmSignUp, wrong_for(&code), 10),
                CodeCheck::Mismatch
            );
            guesses += 1;
        }
        let (code, record) = issue(CodePurpose::ConfirmSignUp, 20);
        user.code = Some(record);
        assert_eq!(
            check(&mut user, CodePurpose::ConfirmSignUp, &code, 30),
            CodeCheck::TooManyGuesses,
            "not checked, not even the right code"
        );
        assert!(user.code.is_some(), "the code itself stays");
        assert_eq!(
            check(
                &mut user,
                CodePurpose::ConfirmSignUp,
                &code,
                10 + GUESS_WINDOW_MS
            ),
            CodeCheck::Accepted
        );
        assert!(user.wrong_code_guesses.is_empty(), "success forgives");
    }

    #[test]
    fn destinations_are_masked_like_cognitos() {
        assert_eq!(masked_destination("jane@example.com"), "j***@e***");
    }
}
