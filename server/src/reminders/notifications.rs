//! The bell's list (`GET /api/notifications`): the reminders sent to the user, newest
//! first, as the sweep recorded them (Store entries kept [`NOTIFICATION_TTL`](super::NOTIFICATION_TTL)).

use app::wire::push::{Notification, Notifications};

use super::Reminders;
use crate::{domain::UserId, store::StoreError};

/// How many the list shows.
pub const LISTED: usize = 20;

impl Reminders {
    /// The user's last [`LISTED`] notifications, newest first.
    pub async fn notifications(&self, owner: &UserId) -> Result<Notifications, StoreError> {
        let entries = self
            .store
            .list_notifications(owner, LISTED, self.now())
            .await?;
        let notifications = entries
            .into_iter()
            // Written by the sweep only; one that does not read is skipped, not an error.
            .filter_map(|e| serde_json::from_value::<Notification>(e.body).ok())
            .collect();
        Ok(Notifications { notifications })
    }
}
