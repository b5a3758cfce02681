//! The sweep: what is due, from the store's time index, each taken by one conditional
//! write (`Store::claim_reminder`: sent at most once per reminder however many instances
//! sweep), then delivered. Run by the local server's loop and by the Lambda function on
//! its scheduled event, with the same code.

use futures_util::{StreamExt, stream};
use jiff::{SignedDuration, Timestamp};

use super::{ACTION_TOKEN_TTL, Delivered, LOOKBACK, NOTIFICATION_TTL, Reminders, actions, payload};
use crate::{
    domain::{Cause, DueReminder, Entry, NotificationId, ReminderClaim},
    store::StoreError,
};

/// Due reminders read from the index at a time.
const BATCH: usize = 500;
/// Batches one sweep reads at most (a bound, should the index keep answering).
const ROUNDS: usize = 100;
/// How long a claim outlives its reminder: longer than any sweep looks back, so the same
/// reminder can never be claimed twice.
const CLAIM_TTL: SignedDuration = SignedDuration::from_hours(24);

/// What one sweep did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Reminders the index answered as due.
    pub due: usize,
    /// Claimed by this sweep: recorded, and handed to Web Push.
    pub sent: usize,
    /// Taken by another sweep, or changed since the index was read: not sent here.
    pub skipped: usize,
    /// Failed (logged); still due for the next sweep unless its claim was written.
    pub failed: usize,
    /// What Web Push made of the sent ones, added up.
    pub delivered: Delivered,
}

enum Outcome {
    Sent(Delivered),
    Skipped,
}

fn seconds(duration: std::time::Duration) -> SignedDuration {
    SignedDuration::try_from(duration).unwrap_or(SignedDuration::ZERO)
}

impl Reminders {
    /// Sends every reminder due at `now` (and up to [`LOOKBACK`] before it) that no sweep
    /// has sent yet.
    pub async fn sweep(&self, now: Timestamp) -> Result<SweepReport, StoreError> {
        let since = now.checked_sub(seconds(LOOKBACK)).unwrap_or(now);
        let mut report = SweepReport::default();
        for _ in 0..ROUNDS {
            let due = self.store.due_reminders(since, now, BATCH).await?;
            let read = due.len();
            let outcomes: Vec<Result<Outcome, StoreError>> = stream::iter(due)
                .map(|reminder| self.take(reminder, now))
                .buffer_unordered(self.concurrency)
                .collect()
                .await;
            report.due += read;
            for outcome in outcomes {
                match outcome {
                    Ok(Outcome::Sent(delivered)) => {
                        report.sent += 1;
                        report.delivered.sent += delivered.sent;
                        report.delivered.gone += delivered.gone;
                        report.delivered.failed += delivered.failed;
                    }
                    Ok(Outcome::Skipped) => report.skipped += 1,
                    Err(e) => {
                        report.failed += 1;
                        tracing::warn!(error = %Cause::new(e), "a reminder could not be taken");
                    }
                }
            }
            // A short batch was all there is; what it moved to a moment already due is
            // read by the next sweep, seconds later.
            if read < BATCH {
                break;
            }
        }
        Ok(report)
    }

    /// Claims one due reminder and, if this sweep got it, delivers it.
    async fn take(&self, due: DueReminder, now: Timestamp) -> Result<Outcome, StoreError> {
        let todo = match self.store.get_todo_record(&due.owner, due.todo).await {
            Ok(todo) => todo,
            Err(StoreError::NotFound) => return Ok(Outcome::Skipped),
            Err(e) => return Err(e),
        };
        // The index may lag the todo (DynamoDB's GSI): the todo is what counts.
        if todo.indexed_reminder() != Some(due.at) {
            return Ok(Outcome::Skipped);
        }
        let zone = self.store.get_profile(&due.owner).await?.zone();
        let next = todo.next_reminder(&zone, due.at);
        let body = payload::due_line(&todo, &zone, now);
        let later = |by: SignedDuration| now.checked_add(by).unwrap_or(now);
        let (token, token_entry) = actions::mint(&todo, later(seconds(ACTION_TOKEN_TTL)));
        let id = NotificationId::new();
        let note = payload::notification(id, &todo, &body, now);
        let claim = ReminderClaim {
            claim: Entry::new(
                format!(
                    "reminder:{}:{}:{}",
                    due.owner.as_str(),
                    due.todo,
                    due.at.as_millisecond()
                ),
                serde_json::json!({}),
                later(CLAIM_TTL),
            ),
            token: token_entry,
            notification: Entry::new(
                id.to_string(),
                serde_json::to_value(&note).unwrap_or_default(),
                later(seconds(NOTIFICATION_TTL)),
            ),
            next,
            due,
        };
        if !self.store.claim_reminder(&claim, now).await? {
            return Ok(Outcome::Skipped);
        }
        let Some(push) = &self.push else {
            return Ok(Outcome::Sent(Delivered::default()));
        };
        let message = payload::push_payload(&todo, &body, &token);
        match push.deliver(&claim.due.owner, &message).await {
            Ok(delivered) => Ok(Outcome::Sent(delivered)),
            Err(cause) => {
                // Claimed and recorded (the bell shows it); only the push failed.
                tracing::warn!(%cause, "a reminder's push failed");
                Ok(Outcome::Sent(Delivered {
                    failed: 1,
                    ..Delivered::default()
                }))
            }
        }
    }
}
