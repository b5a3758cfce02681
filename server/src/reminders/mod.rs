//! Reminders that reach the user (issue 27), a service above todos (and Web Push):
//!
//! - the todo keeps its reminders and its next due moment (`Todo::remind_at`, set by
//!   `todos::service` on every write); both stores index live todos by it in the same write;
//! - [`Reminders::sweep`] (`sweep.rs`) takes what is due from that index, claims each in one
//!   conditional write (so of any number of instances exactly one sends it), moves the todo
//!   to its next reminder, records the notification (the in-app bell) and an action token,
//!   and hands the payload to Web Push. The local server sweeps every few seconds
//!   (`REMINDER_SWEEP_SECS`); on AWS an EventBridge Scheduler schedule invokes the function
//!   every minute with a scheduled event that sweeps and returns;
//! - `actions.rs`: what a notification's buttons do (`POST /api/push/actions`: the token is
//!   the credential, single use per action);
//! - `notifications.rs`: the bell's list (`GET /api/notifications`);
//! - `payload.rs`: the words of a notification ("Due today at 09:00").
//!
//! Nothing here is kept in process memory: claims, tokens and notifications are Store
//! entries with an expiry.

mod actions;
mod notifications;
mod payload;
mod sweep;

use std::{sync::Arc, time::Duration};

use app::wire::push::PushPayload;
use async_trait::async_trait;

use crate::{
    domain::{Cause, Clock, UserId},
    store::Store,
};

pub use actions::ActionError;
pub use sweep::SweepReport;

/// How long a sent reminder stays in the bell's list.
pub const NOTIFICATION_TTL: Duration = Duration::from_secs(30 * 24 * 3600);
/// How long a notification's buttons work.
pub const ACTION_TOKEN_TTL: Duration = Duration::from_secs(7 * 24 * 3600);
/// How late a reminder may still be sent: a sweep looks this far back. One due while no
/// sweep ran for longer (the server down, a todo restored after its reminder's time) is
/// not sent late.
pub const LOOKBACK: Duration = Duration::from_secs(15 * 60);

/// What Web Push made of one payload.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Delivered {
    /// Accepted by the browser's push service.
    pub sent: usize,
    /// Subscriptions the push service said are gone (404/410), now removed.
    pub gone: usize,
    /// Refused or unreachable this time.
    pub failed: usize,
}

/// The seam to Web Push: sends a payload to every browser the user subscribed (the push
/// service, `push::PushService::deliver`, implements it).
#[async_trait]
pub trait PushDelivery: Send + Sync + 'static {
    async fn deliver(&self, user: &UserId, payload: &PushPayload) -> Result<Delivered, Cause>;
}

/// The reminders service: one per process, holding nothing another instance needs.
pub struct Reminders {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    /// `None`: reminders reach the in-app list only (no Web Push configured).
    push: Option<Arc<dyn PushDelivery>>,
    /// At most this many reminders are handled at once by one sweep.
    concurrency: usize,
}

impl Reminders {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Self {
        Self {
            store,
            clock,
            push: None,
            concurrency: 32,
        }
    }

    /// Sends reminders by Web Push too.
    pub fn with_push(mut self, push: Arc<dyn PushDelivery>) -> Self {
        self.push = Some(push);
        self
    }

    pub fn now(&self) -> jiff::Timestamp {
        self.clock.now()
    }

    /// Sweeps every `every` until the process ends (the local server; Lambda sweeps on
    /// its scheduled event instead). A failed sweep is logged; the next one tries again.
    pub async fn run_every(self: Arc<Self>, every: Duration) {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match self.sweep(self.now()).await {
                Ok(report) if report.due > 0 => tracing::info!(?report, "reminders swept"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %Cause::new(e), "reminder sweep failed"),
            }
        }
    }
}

/// Web Push delivers reminders: the push service is the seam's implementation.
#[async_trait]
impl PushDelivery for crate::push::PushService {
    async fn deliver(&self, user: &UserId, payload: &PushPayload) -> Result<Delivered, Cause> {
        let report = crate::push::PushService::deliver(self, user, payload)
            .await
            .map_err(Cause::new)?;
        Ok(Delivered {
            sent: report.sent,
            gone: report.gone,
            failed: report.failed,
        })
    }
}
