//! What every request to our API shares: the ID token attached, one refresh-and-retry on
//! 401 (after which the session is over and the sign-in page says so), and the sentence to
//! show when the server refuses.

use std::future::Future;

use super::auth::session::Auth;
use crate::wire::ApiError;

/// How an authorized request ended.
pub enum Authorized<R, E> {
    /// The server answered (any status but 401).
    Answered(R),
    /// The request could not be sent (network, browser).
    Failed(E),
    /// No valid session, even after a refresh: the user has to sign in.
    SignedOut,
}

/// Sends a request built by `send` with `Authorization: Bearer <ID token>` (the header
/// value is its argument). A 401 refreshes the tokens once and sends again; a second 401
/// ends the session.
pub async fn authorized<R, E, Fut>(
    auth: Auth,
    mut send: impl FnMut(String) -> Fut,
    status: impl Fn(&R) -> u16,
) -> Authorized<R, E>
where
    Fut: Future<Output = Result<R, E>>,
{
    for attempt in 0..2 {
        let Some(token) = auth.id_token().await else {
            return Authorized::SignedOut;
        };
        let response = match send(format!("Bearer {token}")).await {
            Ok(response) => response,
            Err(e) => return Authorized::Failed(e),
        };
        if status(&response) != 401 {
            return Authorized::Answered(response);
        }
        if attempt > 0 || auth.refresh_now().await.is_err() {
            break;
        }
    }
    auth.expire();
    Authorized::SignedOut
}

/// The server's own sentence from an error body (`{error, message}`), or `fallback`.
pub fn error_message(body: &str, fallback: impl FnOnce() -> String) -> String {
    serde_json::from_str::<ApiError>(body)
        .map(|e| e.message)
        .unwrap_or_else(|_| fallback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_servers_sentence_wins_over_the_fallback() {
        let body = r#"{"error":"conflict","message":"Changed elsewhere."}"#;
        assert_eq!(
            error_message(body, || "HTTP 409".into()),
            "Changed elsewhere."
        );
        assert_eq!(error_message("<html>", || "HTTP 502".into()), "HTTP 502");
    }
}
