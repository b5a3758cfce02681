//! What a notification's buttons do (`POST /api/push/actions`). The request has no
//! Authorization header (a service worker answers the click, perhaps with no tab open): the
//! action token from the payload is the credential. It is 32 random bytes; only its
//! SHA-256 is stored (an entry `push-action:<hex digest>`), tied to the user, the todo and
//! the occurrence it reminded of, for [`ACTION_TOKEN_TTL`](super::ACTION_TOKEN_TTL); each
//! action works once (a conditional write records it).

use app::wire::{
    Reminder as WireReminder, TodoPatch,
    push::{PushAction, PushActionKind},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jiff::{SignedDuration, Timestamp};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::Reminders;
use crate::{
    domain::{Entry, Reminder, Todo, TodoId, UserId, reminder::REMINDERS_MAX, rfc3339},
    store::StoreError,
    todos::service::{self, TodoError},
};

const KEY_PREFIX: &str = "push-action:";
/// How far a snooze moves the reminder.
const SNOOZE: SignedDuration = SignedDuration::from_hours(1);
/// Tries of an action's todo write against concurrent edits.
const TRIES: usize = 3;

/// What an action token allows, as stored (its key is the token's digest).
#[derive(Debug, Serialize, Deserialize)]
struct Grant {
    owner: UserId,
    todo: TodoId,
    /// The due date of the occurrence reminded of (`YYYY-MM-DD`), if the todo had one:
    /// "Done" completes that occurrence, not a later one.
    due: Option<String>,
    /// The actions already taken.
    #[serde(default)]
    used: Vec<PushActionKind>,
}

#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    /// Unknown, expired, or this action already taken.
    #[error("This reminder's button has expired or was used already.")]
    Gone,
    #[error(transparent)]
    Todo(#[from] TodoError),
}

impl From<StoreError> for ActionError {
    fn from(err: StoreError) -> Self {
        Self::Todo(err.into())
    }
}

fn entry_key(token: &str) -> String {
    format!("{KEY_PREFIX}{:x}", Sha256::digest(token.as_bytes()))
}

/// A new token for a reminder of `todo`: the secret for the payload, and its entry.
pub(super) fn mint(todo: &Todo, expires_at: Timestamp) -> (String, Entry) {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let grant = Grant {
        owner: todo.owner.clone(),
        todo: todo.id,
        due: todo.date_due.map(|d| d.to_iso()),
        used: Vec::new(),
    };
    let body = serde_json::to_value(&grant).unwrap_or_default();
    let entry = Entry::new(entry_key(&token), body, expires_at);
    (token, entry)
}

impl Reminders {
    /// Takes a notification's action: `Done` completes the occurrence reminded of,
    /// `Snooze` adds a reminder an hour from now. `Gone` for an unknown, expired or used
    /// token; an action on a todo since deleted or already done changes nothing.
    pub async fn act(&self, action: &PushAction) -> Result<(), ActionError> {
        let now = self.now();
        let key = entry_key(&action.action_token);
        let entry = self
            .store
            .get_entry(&key, now)
            .await?
            .ok_or(ActionError::Gone)?;
        let mut grant: Grant =
            serde_json::from_value(entry.body.clone()).map_err(|_| ActionError::Gone)?;
        if grant.used.contains(&action.action) {
            return Err(ActionError::Gone);
        }
        grant.used.push(action.action);
        let body = serde_json::to_value(&grant).unwrap_or_default();
        match self
            .store
            .put_entry(
                &entry.next(body, entry.expires_at),
                Some(entry.version),
                now,
            )
            .await
        {
            Ok(()) => {}
            // Taken by a concurrent click (or expired meanwhile).
            Err(StoreError::Changed) => return Err(ActionError::Gone),
            Err(e) => return Err(e.into()),
        }
        for _ in 0..TRIES {
            let todo = match self.store.get_todo(&grant.owner, grant.todo).await {
                Ok(todo) => todo,
                Err(StoreError::NotFound) => return Ok(()),
                Err(e) => return Err(e.into()),
            };
            let Some(patch) = patch_for(action.action, &grant, &todo, now) else {
                return Ok(());
            };
            match service::update(self.store.as_ref(), &grant.owner, todo.id, patch, now).await {
                Ok(_) => return Ok(()),
                Err(TodoError::Store(StoreError::VersionConflict { .. })) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(StoreError::Changed.into())
    }
}

/// The change an action makes to `todo` as it is now; `None` when there is nothing to do
/// (done already, or the occurrence reminded of is past).
fn patch_for(
    action: PushActionKind,
    grant: &Grant,
    todo: &Todo,
    now: Timestamp,
) -> Option<TodoPatch> {
    let base = TodoPatch {
        version: todo.version,
        ..TodoPatch::default()
    };
    match action {
        PushActionKind::Done => {
            let same_occurrence = todo.date_due.map(|d| d.to_iso()) == grant.due;
            (!todo.completed && same_occurrence).then_some(TodoPatch {
                completed: Some(true),
                ..base
            })
        }
        PushActionKind::Snooze => {
            let at = now.checked_add(SNOOZE).ok()?;
            Some(TodoPatch {
                reminders: Some(snoozed(todo, now, at)),
                ..base
            })
        }
    }
}

/// The todo's reminders with one more at `at`: moments already past are dropped, and the
/// oldest give way when the todo has as many as it may hold.
fn snoozed(todo: &Todo, now: Timestamp, at: Timestamp) -> Vec<WireReminder> {
    let mut kept: Vec<WireReminder> = todo
        .reminders
        .iter()
        .filter(|r| !matches!(r, Reminder::At(t) if *t <= now))
        .map(|r| match r {
            Reminder::At(t) => WireReminder::At(rfc3339(*t)),
            Reminder::BeforeMinutes(m) => WireReminder::BeforeMinutes(*m),
        })
        .collect();
    let over = (kept.len() + 1).saturating_sub(REMINDERS_MAX);
    kept.drain(..over);
    kept.push(WireReminder::At(rfc3339(
        Timestamp::from_second(at.as_second()).unwrap_or(at),
    )));
    kept
}
