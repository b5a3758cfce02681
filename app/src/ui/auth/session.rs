//! The signed-in session. Tokens live in localStorage so a reload keeps the user signed in;
//! the ID token is refreshed shortly before it expires; when refreshing is refused the user
//! returns to the sign-in page with a message saying why.

use std::time::Duration;

use leptos::{prelude::*, task::spawn_local};
use serde::{Deserialize, Serialize};

use super::cognito::{self, CognitoFailure};
use crate::ui::browser::{jwt_claims, local_storage, now_ms};
use crate::wire::{RuntimeConfig, cognito::AuthenticationResult};

const STORAGE_KEY: &str = "tasko.session";
pub const EXPIRED_NOTICE: &str = "Your session has expired. Please sign in again.";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub id_token: String,
    pub access_token: String,
    pub refresh_token: String,
    pub email: String,
    pub issued_at_ms: f64,
    pub expires_at_ms: f64,
}

impl Session {
    /// Refresh this long before expiry: a fifth of the lifetime, at most five minutes.
    fn refresh_margin_ms(&self) -> f64 {
        ((self.expires_at_ms - self.issued_at_ms) / 5.0).clamp(0.0, 300_000.0)
    }

    fn refresh_due_at_ms(&self) -> f64 {
        self.expires_at_ms - self.refresh_margin_ms()
    }

    fn from_result(result: AuthenticationResult, refresh_token: String) -> Self {
        let now = now_ms();
        // As the server does: `email`, else an email-shaped `cognito:username`.
        let claims = jwt_claims(&result.id_token).unwrap_or_default();
        let text = |key: &str| {
            claims
                .get(key)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned()
        };
        let email = match text("email") {
            e if e.is_empty() && text("cognito:username").contains('@') => text("cognito:username"),
            e => e,
        };
        Self {
            id_token: result.id_token,
            access_token: result.access_token,
            refresh_token,
            email,
            issued_at_ms: now,
            expires_at_ms: now + result.expires_in as f64 * 1000.0,
        }
    }
}

/// How a sign-up ended: signed in, or waiting for the code sent to (masked) address.
pub enum SignUp {
    SignedIn,
    CodeSent(String),
}

#[derive(Clone, Copy)]
pub struct Auth {
    session: RwSignal<Option<Session>>,
    /// A message for the sign-in page (why the user is there).
    pub notice: RwSignal<Option<String>>,
    config: StoredValue<RuntimeConfig>,
    /// Bumped whenever the session changes, so stale refresh timers do nothing.
    generation: StoredValue<u64>,
}

impl Auth {
    pub fn new(config: RuntimeConfig) -> Self {
        Self {
            session: RwSignal::new(None),
            notice: RwSignal::new(None),
            config: StoredValue::new(config),
            generation: StoredValue::new(0),
        }
    }

    pub fn api_base_url(&self) -> String {
        self.config
            .with_value(|c| c.api_base_url.trim_end_matches('/').to_owned())
    }

    /// A URL the server gave: a path (`/api/...`, `/files/...`) is on the API's origin;
    /// anything else (a presigned S3 URL) is already absolute.
    pub fn absolute_url(&self, url: &str) -> String {
        if url.starts_with('/') {
            format!("{}{url}", self.api_base_url())
        } else {
            url.to_owned()
        }
    }

    pub fn is_signed_in(&self) -> bool {
        self.session.with(Option::is_some)
    }

    pub fn email(&self) -> String {
        self.session
            .with(|s| s.as_ref().map(|s| s.email.clone()).unwrap_or_default())
    }

    /// The signed-in user's `sub` (from the ID token, which the server verifies): what the
    /// data kept on this browser for offline use is filed under.
    pub fn user_key(&self) -> Option<String> {
        let token = self
            .session
            .with_untracked(|s| s.as_ref().map(|s| s.id_token.clone()))?;
        jwt_claims(&token)?.get("sub")?.as_str().map(str::to_owned)
    }

    /// Restores a stored session (page load), refreshing it first if it is about to expire.
    pub fn resume(self) {
        let Some(stored) = local_storage()
            .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
            .and_then(|json| serde_json::from_str::<Session>(&json).ok())
        else {
            return;
        };
        self.install(stored);
    }

    fn install(self, session: Session) {
        if let Some(storage) = local_storage()
            && let Ok(json) = serde_json::to_string(&session)
        {
            let _ = storage.set_item(STORAGE_KEY, &json);
        }
        let delay = (session.refresh_due_at_ms() - now_ms()).max(0.0);
        self.session.set(Some(session));
        self.schedule_refresh(delay);
    }

    fn schedule_refresh(self, delay_ms: f64) {
        let generation = self.generation.with_value(|g| g + 1);
        self.generation.set_value(generation);
        set_timeout(
            move || {
                if self.generation.get_value() == generation {
                    spawn_local(async move {
                        let _ = self.refresh_now().await;
                    });
                }
            },
            Duration::from_millis(delay_ms as u64),
        );
    }

    pub async fn sign_in(self, email: &str, password: &str) -> Result<(), CognitoFailure> {
        let config = self.config.get_value();
        let result = cognito::sign_in(&config.cognito, email.trim(), password).await?;
        let refresh_token = result.refresh_token.clone().unwrap_or_default();
        self.notice.set(None);
        self.install(Session::from_result(result, refresh_token));
        Ok(())
    }

    /// Creates the account and signs in, unless the pool wants the emailed code first.
    pub async fn sign_up(self, email: &str, password: &str) -> Result<SignUp, CognitoFailure> {
        let config = self.config.get_value();
        let answer = cognito::sign_up(&config.cognito, email.trim(), password).await?;
        match answer.code_delivery_details {
            Some(details) if !answer.user_confirmed => Ok(SignUp::CodeSent(details.destination)),
            _ => self
                .sign_in(email, password)
                .await
                .map(|()| SignUp::SignedIn),
        }
    }

    /// Confirms the sign-up with the emailed code, then signs in if the password is known
    /// (it is unless the page was reloaded in between). `true` when signed in.
    pub async fn confirm_sign_up(
        self,
        email: &str,
        code: &str,
        password: &str,
    ) -> Result<bool, CognitoFailure> {
        let config = self.config.get_value();
        cognito::confirm_sign_up(&config.cognito, email.trim(), code.trim()).await?;
        if password.is_empty() {
            return Ok(false);
        }
        self.sign_in(email, password).await.map(|()| true)
    }

    pub async fn resend_code(self, email: &str) -> Result<String, CognitoFailure> {
        let config = self.config.get_value();
        cognito::resend_confirmation_code(&config.cognito, email.trim()).await
    }

    pub async fn forgot_password(self, email: &str) -> Result<String, CognitoFailure> {
        let config = self.config.get_value();
        cognito::forgot_password(&config.cognito, email.trim()).await
    }

    /// Sets the new password with the emailed code, then signs in with it.
    pub async fn reset_password(
        self,
        email: &str,
        code: &str,
        password: &str,
    ) -> Result<(), CognitoFailure> {
        let config = self.config.get_value();
        cognito::confirm_forgot_password(&config.cognito, email.trim(), code.trim(), password)
            .await?;
        self.sign_in(email, password).await
    }

    /// Exchanges the refresh token for new ID and access tokens. A refused refresh ends the
    /// session (with a notice); a network failure keeps it and tries again shortly.
    pub async fn refresh_now(self) -> Result<(), CognitoFailure> {
        let Some(current) = self.session.get_untracked() else {
            return Err(CognitoFailure {
                kind: String::new(),
                message: "Not signed in.".into(),
            });
        };
        let config = self.config.get_value();
        match cognito::refresh(&config.cognito, &current.refresh_token).await {
            Ok(result) => {
                // Signed out (or another refresh won) while this one was in flight.
                let still_current = self.session.with_untracked(|s| {
                    s.as_ref()
                        .is_some_and(|s| s.refresh_token == current.refresh_token)
                });
                if !still_current {
                    return Ok(());
                }
                self.install(Session::from_result(result, current.refresh_token));
                Ok(())
            }
            Err(failure) if failure.is_not_authorized() => {
                self.expire();
                Err(failure)
            }
            Err(failure) => {
                self.schedule_refresh(15_000.0);
                Err(failure)
            }
        }
    }

    /// The ID token for an API call, refreshed first if it expires within 30 seconds.
    pub async fn id_token(self) -> Option<String> {
        let session = self.session.get_untracked()?;
        if session.expires_at_ms - now_ms() < 30_000.0 {
            self.refresh_now().await.ok()?;
        }
        self.session
            .with_untracked(|s| s.as_ref().map(|s| s.id_token.clone()))
    }

    fn clear(self) -> Option<Session> {
        self.generation.update_value(|g| *g += 1);
        if let Some(storage) = local_storage() {
            let _ = storage.remove_item(STORAGE_KEY);
        }
        let previous = self.session.get_untracked();
        self.session.set(None);
        previous
    }

    /// The session is no longer valid: back to sign-in, saying so.
    pub fn expire(self) {
        if self.clear().is_some() {
            self.notice.set(Some(EXPIRED_NOTICE.into()));
        }
    }

    /// Signs out here and revokes the refresh tokens at the identity provider.
    pub fn sign_out(self) {
        if let Some(session) = self.clear() {
            let config = self.config.get_value();
            spawn_local(async move {
                let _ = cognito::global_sign_out(&config.cognito, &session.access_token).await;
            });
        }
        self.notice.set(Some("You have signed out.".into()));
    }
}
