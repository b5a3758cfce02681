//! The changes made while the server cannot be reached (issue 28): queued in order, shown
//! at once (marked not yet synced), kept in IndexedDB with the list, and replayed in order
//! when the server answers again. A replayed change the server refuses because the todo
//! changed elsewhere becomes a [`Conflict`] the user settles (mine or theirs); nothing is
//! overwritten without them seeing it. The rules are `app::offline_queue`'s (pure, tested
//! on the host); this is their use by the page.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::TodoState;
use crate::{
    offline_queue::{self, Change, Difference},
    ui::{api, api::ApiFailure, offline},
    wire::Todo,
};

/// A replayed change the server's todo does not allow as it was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Conflict {
    pub change: Change,
    /// The todo as the server has it now; `None`: deleted elsewhere.
    pub theirs: Option<Todo>,
    pub differences: Vec<Difference>,
}

/// How a conflict is settled.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Settle {
    /// My change on their version (a deleted todo is restored first; a delete is made).
    Mine,
    /// Their todo as it is (my change is dropped).
    Theirs,
}

/// How a "not now" from the server (502-504, 408, 429) is said, until the queue is empty.
const STILL_WAITING: &str = "Your changes are waiting:";

const QUEUE: &str = "queue";
const CONFLICTS: &str = "conflicts";

/// A new todo's id, chosen here so that sending its create twice makes it once: a UUIDv7
/// (RFC 9562) like the server's, so the list's order by id stays the order of creation.
pub fn new_id() -> String {
    thread_local! {
        static LAST: std::cell::Cell<(u64, u16)> = const { std::cell::Cell::new((0, 0)) };
    }
    let now = js_sys::Date::now() as u64;
    // Within one millisecond, the 12 bits after the time count up (RFC 9562 method 1).
    let (ms, counter) = LAST.with(|last| {
        let (ms, counter) = last.get();
        let next = if now <= ms {
            (ms, (counter + 1) & 0x0fff)
        } else {
            (now, (js_sys::Math::random() * 1024.0) as u16)
        };
        last.set(next);
        next
    });
    let random: String = (0..15)
        .map(|_| char::from_digit((js_sys::Math::random() * 16.0) as u32 % 16, 16).unwrap_or('0'))
        .collect();
    let variant =
        char::from_digit(8 + (js_sys::Math::random() * 4.0) as u32 % 4, 16).unwrap_or('8');
    let time = format!("{:012x}", ms & 0xffff_ffff_ffff);
    format!(
        "{}-{}-7{:03x}-{variant}{}-{}",
        &time[0..8],
        &time[8..12],
        counter,
        &random[0..3],
        &random[3..15]
    )
}

pub(super) fn now_iso() -> String {
    js_sys::Date::new_0().to_iso_string().into()
}

impl TodoState {
    /// Changes are waiting: a new one waits behind them (order is kept).
    pub(super) fn waiting(&self) -> bool {
        self.queue.with_untracked(|q| !q.is_empty())
    }

    /// Whether `id` has a change not yet on the server.
    pub fn unsynced(&self, id: &str) -> bool {
        self.queue.with(|q| q.iter().any(|c| c.todo_id() == id))
    }

    fn is_editing(&self, id: &str) -> bool {
        self.editing.with_untracked(|e| e.as_deref() == Some(id))
    }

    /// Queues `change`, shows it at once (the row being edited: when its edit ends, so the
    /// edit is not lost with its row) and keeps the queue.
    pub(super) fn enqueue(self, change: Change) {
        if !self.is_editing(change.todo_id()) {
            self.todos.update(|list| {
                let changes = std::slice::from_ref(&change);
                *list = offline_queue::shown(std::mem::take(list), changes, "");
            });
        }
        self.queue.update(|q| q.push(change));
        self.keep();
    }

    /// Queues `change` before the changes to the same todo already waiting (it was made
    /// before them: sent, it could not reach the server), and shows the todo again with
    /// all of them on top in that order.
    pub(super) fn enqueue_before_later(self, change: Change) {
        let id = change.todo_id().to_owned();
        self.queue.update(|q| {
            let at = q.iter().position(|c| c.todo_id() == id).unwrap_or(q.len());
            q.insert(at, change);
        });
        if !self.is_editing(&id) {
            self.show_queued_on(&id);
        }
        self.keep();
    }

    /// Shows todo `id` with every change queued for it on top, in order (each change sets
    /// what it sets: applied again, the last one's values show).
    pub(super) fn show_queued_on(self, id: &str) {
        let later: Vec<Change> = self
            .queue
            .with_untracked(|q| q.iter().filter(|c| c.todo_id() == id).cloned().collect());
        if later.is_empty() {
            return;
        }
        self.todos.update(|list| {
            if let Some(at) = list.iter().position(|t| t.id == id) {
                // One mark per queued change, as `with_queue` gives: the row's key stays
                // what the next poll's list has.
                let mut base = list[at].clone();
                let unmarked = base.updated_at.trim_end_matches('~').len();
                base.updated_at.truncate(unmarked);
                let shown = offline_queue::shown(vec![base], &later, "");
                match shown.into_iter().next() {
                    Some(todo) => list[at] = todo,
                    None => {
                        list.remove(at);
                    }
                }
            }
        });
    }

    /// The server's list with the waiting changes on top.
    pub(super) fn with_queue(&self, todos: Vec<Todo>) -> Vec<Todo> {
        self.queue.with_untracked(|q| {
            if q.is_empty() {
                todos
            } else {
                offline_queue::shown(todos, q, "")
            }
        })
    }

    pub(super) fn keep(self) {
        let Some(user) = self.auth.user_key() else {
            return;
        };
        let queue = self.queue.with_untracked(serde_json::to_string);
        let conflicts = self.conflicts.with_untracked(serde_json::to_string);
        if let (Ok(queue), Ok(conflicts)) = (queue, conflicts) {
            offline::save(user.clone(), QUEUE, queue);
            offline::save(user, CONFLICTS, conflicts);
        }
    }

    /// The queue and the conflicts kept for `user` (at open, before the list is shown).
    pub(super) async fn load_queue(self, user: &str) {
        if let Some(json) = offline::load(user, QUEUE).await
            && let Ok(queue) = serde_json::from_str::<Vec<Change>>(&json)
        {
            self.queue.set(queue);
        }
        if let Some(json) = offline::load(user, CONFLICTS).await
            && let Ok(conflicts) = serde_json::from_str::<Vec<Conflict>>(&json)
        {
            self.conflicts.set(conflicts);
        }
    }

    /// Sends the waiting changes in order, once at a time; stops at the first that cannot
    /// reach the server (the rest wait for the next try).
    pub fn flush(self) {
        // An edit still out gives the version the changes to its todo are sent on: its
        // answer flushes.
        if !self.waiting()
            || self.flushing.get_value()
            || self.sending.with_value(|s| !s.is_empty())
        {
            return;
        }
        self.flushing.set_value(true);
        self.spawn(async move {
            while let Some(change) = self.queue.with_untracked(|q| q.first().cloned()) {
                let answer = self.replay_one(&change).await;
                self.replays.update_value(|n| *n += 1);
                match answer {
                    Ok(moved) => {
                        self.unqueue(&change);
                        // The changes made after it, on what it showed, follow it.
                        if let (Change::Update { patch, before }, Some(to)) = (&change, moved) {
                            self.queue.update(|q| {
                                offline_queue::rebase(q, &before.id, patch.version, to);
                            });
                        }
                        self.keep();
                        if let Change::Delete { id, .. } = &change {
                            self.deletes_sent
                                .update_value(|s| s.retain(|sent| sent != id));
                            // Undone while it was being sent: brought back now it is deleted.
                            if let Some(todo) = self.take_undone_in_flight(id) {
                                self.restore_quietly(todo.id);
                            }
                        }
                    }
                    Err(()) => {
                        // Not answered: an Undo meanwhile takes it out of the queue, and
                        // restores it in case it reached the server all the same.
                        if let Change::Delete { id, .. } = &change
                            && let Some(todo) = self.take_undone_in_flight(id)
                        {
                            self.unqueue(&change);
                            self.keep();
                            self.restore_quietly(todo.id.clone());
                            self.put_back(todo);
                        }
                        break;
                    }
                }
            }
            self.flushing.set_value(false);
            if !self.waiting() {
                if self
                    .error
                    .with_untracked(|e| e.as_deref().is_some_and(|e| e.starts_with(STILL_WAITING)))
                {
                    self.error.set(None);
                }
                // The server's list, whole, now that it has everything.
                self.reload();
            }
        });
    }

    /// Takes `change` out of the queue, by identity: an Undo may have taken others out
    /// while it was being sent.
    fn unqueue(self, change: &Change) {
        self.queue.update(|q| {
            if let Some(at) = q.iter().position(|c| c == change) {
                q.remove(at);
            }
        });
    }

    fn take_undone_in_flight(self, id: &str) -> Option<Todo> {
        self.undone_in_flight.try_update_value(|undone| {
            let at = undone.iter().position(|t| t.id == id)?;
            Some(undone.remove(at))
        })?
    }

    /// One change sent: `Ok` with the todo's version after it (an update that was
    /// applied), `Err` when it could not reach the server (it stays queued).
    async fn replay_one(self, change: &Change) -> Result<Option<u64>, ()> {
        let auth = self.auth;
        let answer = match change {
            Change::Create { input, .. } => api::create_todo(auth, input).await.map(Some),
            Change::Update { patch, before } => {
                match api::update_todo(auth, &before.id, patch).await {
                    Ok(todo) => Ok(Some(todo)),
                    Err(ApiFailure::Conflict(_)) => {
                        match api::get_todo(auth, &before.id).await {
                            // Its answer was lost the first time: it is there.
                            Ok(now) if offline_queue::already_applied(&now, patch) => Ok(Some(now)),
                            Ok(now) => {
                                self.conflict(change, Some(now));
                                Ok(None)
                            }
                            Err(ApiFailure::NotFound(_)) => {
                                self.conflict(change, None);
                                Ok(None)
                            }
                            Err(e) => Err(e),
                        }
                    }
                    Err(ApiFailure::NotFound(_)) => {
                        self.conflict(change, None);
                        Ok(None)
                    }
                    Err(e) => Err(e),
                }
            }
            Change::Delete { id, version } => {
                match api::delete_todo(auth, id, *version).await {
                    // Gone already (deleted elsewhere, or this delete's answer was lost).
                    Ok(()) | Err(ApiFailure::NotFound(_)) => {
                        self.todos.update(|l| l.retain(|t| &t.id != id));
                        Ok(None)
                    }
                    Err(ApiFailure::Conflict(_)) => match api::get_todo(auth, id).await {
                        Ok(now) => {
                            self.conflict(change, Some(now));
                            Ok(None)
                        }
                        Err(ApiFailure::NotFound(_)) => Ok(None),
                        Err(e) => Err(e),
                    },
                    Err(e) => Err(e),
                }
            }
        };
        match answer {
            Ok(Some(todo)) => {
                let version = todo.version;
                self.put(todo);
                Ok(Some(version))
            }
            Ok(None) => Ok(None),
            // Not reached, or not taken now (5xx, 429): it stays queued for the next try.
            Err(ApiFailure::SignedOut) => Err(()),
            Err(e) if e.is_transient() => {
                if matches!(e, ApiFailure::Unavailable(_)) {
                    self.error.set(Some(format!(
                        "{STILL_WAITING} {e} They are sent again shortly."
                    )));
                }
                Err(())
            }
            // Refused for what it is (a value the server does not take): said, and dropped.
            Err(refused) => {
                self.error.set(Some(format!(
                    "A change made offline was not kept: {refused}"
                )));
                Ok(None)
            }
        }
    }

    /// The server's todo in the list, in place or added.
    pub(super) fn put(self, todo: Todo) {
        // The row being edited is made again when it changes, and the edit with it: an
        // answer to this page's own change waits for the edit's end (`end_edit`).
        if self
            .editing
            .with_untracked(|e| e.as_deref() == Some(todo.id.as_str()))
        {
            self.held_for_edit.set_value(Some(todo));
            return;
        }
        self.todos
            .update(|list| match list.iter_mut().find(|t| t.id == todo.id) {
                Some(slot) => *slot = todo,
                None => list.push(todo),
            });
    }

    fn conflict(self, change: &Change, theirs: Option<Todo>) {
        let differences = match (change, &theirs) {
            (Change::Update { patch, before }, Some(now)) => {
                offline_queue::differences(before, patch, now)
            }
            _ => vec![],
        };
        // Shown as the server has it until the user chooses.
        match &theirs {
            Some(now) => self.put(now.clone()),
            None => {
                let id = change.todo_id().to_owned();
                self.todos.update(|l| l.retain(|t| t.id != id));
            }
        }
        self.conflicts.update(|c| {
            c.push(Conflict {
                change: change.clone(),
                theirs,
                differences,
            })
        });
        self.keep();
    }

    /// Settles conflict `at` as the user chose.
    pub fn settle(self, at: usize, choice: Settle) {
        let Some(conflict) = self.conflicts.with_untracked(|c| c.get(at).cloned()) else {
            return;
        };
        self.spawn(async move {
            let auth = self.auth;
            let done = match (choice, &conflict.change, &conflict.theirs) {
                (Settle::Theirs, ..) => Ok(()),
                (Settle::Mine, Change::Update { patch, .. }, Some(theirs)) => {
                    api::update_todo(auth, &theirs.id, &offline_queue::keep_mine(patch, theirs))
                        .await
                        .map(|todo| self.put(todo))
                }
                (Settle::Mine, Change::Update { patch, before }, None) => {
                    match api::restore_todo(auth, &before.id).await {
                        Ok(restored) => api::update_todo(
                            auth,
                            &before.id,
                            &offline_queue::keep_mine(patch, &restored),
                        )
                        .await
                        .map(|todo| self.put(todo)),
                        Err(e) => Err(e),
                    }
                }
                (Settle::Mine, Change::Delete { id, .. }, Some(theirs)) => {
                    api::delete_todo(auth, id, theirs.version).await.map(|()| {
                        self.todos.update(|l| l.retain(|t| &t.id != id));
                    })
                }
                (Settle::Mine, ..) => Ok(()),
            };
            match done {
                Ok(()) => {
                    self.conflicts.update(|c| {
                        if at < c.len() {
                            c.remove(at);
                        }
                    });
                    self.keep();
                    self.reload();
                }
                Err(e) => self.error.set(Some(e.to_string())),
            }
        });
    }
}
