//! Reminders delivered by Web Push: the VAPID key, the browser's subscription, the actions a
//! notification's buttons send, and the in-app list of sent reminders (issue 27).

use serde::{Deserialize, Serialize};

/// `GET /api/push/key`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PushKey {
    /// The VAPID public key: an uncompressed P-256 point, base64url without padding.
    pub public_key: String,
}

/// `POST /api/push/subscriptions`: the browser's `PushSubscription.toJSON()` as it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PushSubscriptionInput {
    pub endpoint: String,
    /// Milliseconds since the epoch, or null (browsers send null).
    #[serde(default)]
    pub expiration_time: Option<f64>,
    pub keys: PushKeys,
}

/// The subscription's keys, base64url as the browser gives them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushKeys {
    pub p256dh: String,
    pub auth: String,
}

/// `DELETE /api/push/subscriptions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushUnsubscribe {
    pub endpoint: String,
}

/// What a notification's button does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PushActionKind {
    /// Completes the todo (its next occurrence, for a repeating one).
    Done,
    /// Adds an `at` reminder one hour from now.
    Snooze,
}

/// `POST /api/push/actions` (no Authorization header: the token is the credential).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PushAction {
    pub action_token: String,
    pub action: PushActionKind,
}

/// The payload of one push message (encrypted with aes128gcm on the way).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PushPayload {
    /// Always `"reminder"` for now.
    pub kind: String,
    pub todo_id: String,
    pub title: String,
    /// A line such as "Due today at 09:00".
    pub body: String,
    /// Where a click opens the app: `/?todo=<todoId>`.
    pub url: String,
    /// For `POST /api/push/actions`.
    pub action_token: String,
}

/// One sent reminder, for the in-app bell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Notification {
    pub id: String,
    pub todo_id: String,
    pub title: String,
    pub body: String,
    /// When it was sent, RFC 3339 UTC.
    pub at: String,
}

/// `GET /api/notifications`: the last 20, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notifications {
    pub notifications: Vec<Notification>,
}
