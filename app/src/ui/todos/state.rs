//! The todo list as the page sees it, and every mutation of it. Each mutation goes to the
//! server first and the list takes the server's answer, so what is shown is what is stored.
//! Mutations run through one [`Action`] (its `pending()` is the busy indicator, its
//! `version()` counts the answers), and so do the polls of live sync.

use std::time::Duration;

use leptos::prelude::*;

use crate::ui::{
    api::{self, ApiFailure},
    auth::session::Auth,
    offline,
    owned_task::{spawn_while, while_alive},
};
use crate::{
    offline_queue::{self, Change},
    wire::{NewTodo, Todo, TodoPatch},
};

mod sync;
pub use sync::{Conflict, Settle};

/// How long the "Deleted · Undo" toast stays (the server keeps deleted todos far longer).
const UNDO_TOAST: Duration = Duration::from_secs(6);

/// Todos just deleted from the list, restorable from the toast.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UndoOffer {
    pub ids: Vec<String>,
    /// Deleted while the server could not be reached: their deletes wait in the queue.
    held: Vec<Todo>,
    /// Tells a newer offer from the one a timer was started for.
    serial: u64,
}

#[derive(Clone, Copy)]
pub struct TodoState {
    auth: Auth,
    pub todos: RwSignal<Vec<Todo>>,
    /// True until the first load answers (and during reloads).
    pub loading: RwSignal<bool>,
    /// The last failure, shown until dismissed or until the next success.
    pub error: RwSignal<Option<String>>,
    /// Bumped when the assistant changed todos: views of more than the list (a todo's
    /// files) fetch again.
    pub files_revision: RwSignal<u64>,
    /// The last delete from the list, undoable for a few seconds.
    pub undo: RwSignal<Option<UndoOffer>>,
    /// The todo whose title is being edited in its row: live updates leave it as the edit
    /// started (the save is checked against its version) and set `stale_edit` instead.
    pub editing: RwSignal<Option<String>>,
    pub stale_edit: RwSignal<bool>,
    /// The server's answer to this page's own change of the todo being edited, shown when
    /// the edit ends: shown now, its row would be made again and the edit lost with it.
    held_for_edit: StoredValue<Option<Todo>>,
    /// The list's `ETag`, for the conditional polls of live sync.
    etag: StoredValue<Option<String>>,
    /// What is shown is the list kept on this device, not yet the server's.
    from_device: StoredValue<bool>,
    /// Changes made while the server could not be reached, oldest first (`sync`).
    pub queue: RwSignal<Vec<Change>>,
    /// Replayed changes the todo's changes elsewhere did not allow: the user settles them.
    pub conflicts: RwSignal<Vec<Conflict>>,
    /// The queue is being sent.
    flushing: StoredValue<bool>,
    /// Todos with an edit or a delete sent and not yet answered. A second change to one of
    /// them waits in the queue until the answer gives the version it is sent on, so two
    /// quick edits of a todo never conflict with each other.
    sending: StoredValue<Vec<String>>,
    /// Deletes sent whose answer did not come (they may have reached the server): their
    /// Undo also asks the server to restore.
    deletes_sent: StoredValue<Vec<String>>,
    /// Deletes undone while the queue was sending them: restored once their answer is in.
    undone_in_flight: StoredValue<Vec<Todo>>,
    /// Replayed changes answered: a poll that was out meanwhile is not taken (as for the
    /// page's own mutations).
    replays: StoredValue<u64>,
    /// Every change made here. A poll's answer is dropped if one was in flight or answered
    /// while the poll ran: that change has its own answer, and the next poll sees both.
    mutations: Action<(TodoState, Mutation), ()>,
    /// The polls (a reload, or live sync asking whether the list changed).
    polls: Action<TodoState, ()>,
}

/// A change made here, sent to the server; the list then takes the server's answer.
#[derive(Clone)]
enum Mutation {
    Create(NewTodo),
    /// The patch carries the version the edit started from.
    Update(String, TodoPatch),
    /// The todos as shown (each deleted at the version shown).
    Delete(Vec<Todo>),
    Restore(Vec<String>),
}

impl TodoState {
    pub fn new(auth: Auth) -> Self {
        Self {
            auth,
            todos: RwSignal::new(Vec::new()),
            loading: RwSignal::new(true),
            error: RwSignal::new(None),
            files_revision: RwSignal::new(0),
            undo: RwSignal::new(None),
            editing: RwSignal::new(None),
            stale_edit: RwSignal::new(false),
            held_for_edit: StoredValue::new(None),
            etag: StoredValue::new(None),
            from_device: StoredValue::new(false),
            queue: RwSignal::new(Vec::new()),
            conflicts: RwSignal::new(Vec::new()),
            flushing: StoredValue::new(false),
            sending: StoredValue::new(Vec::new()),
            deletes_sent: StoredValue::new(Vec::new()),
            undone_in_flight: StoredValue::new(Vec::new()),
            replays: StoredValue::new(0),
            mutations: Action::new_local(|(state, change): &(TodoState, Mutation)| {
                let (state, change) = (*state, change.clone());
                while_alive(state.todos, state.send(change))
            }),
            polls: Action::new_local(|state: &TodoState| {
                let state = *state;
                while_alive(state.todos, state.poll())
            }),
        }
    }

    /// Something is being sent or loaded (for `aria-busy`).
    pub fn busy(&self) -> bool {
        self.mutations.pending().get() || self.loading.get()
    }

    pub fn find(&self, id: &str) -> Option<Todo> {
        self.todos
            .with(|list| list.iter().find(|t| t.id == id).cloned())
    }

    fn fail(&self, failure: ApiFailure) {
        match failure {
            ApiFailure::SignedOut => {}
            ApiFailure::Conflict(message) => {
                self.error
                    .set(Some(format!("{message} The list has been reloaded.")));
                self.reload();
            }
            other => self.error.set(Some(other.to_string())),
        }
    }

    /// Runs `work` while the page that holds this list is shown (signed out, it stops).
    fn spawn(self, work: impl Future<Output = ()> + 'static) {
        spawn_while(self.todos, work);
    }

    fn run(self, change: Mutation) {
        self.mutations.dispatch_local((self, change));
    }

    /// Sends one change and takes the server's answer, reporting a failure.
    async fn send(self, change: Mutation) {
        let result = match change {
            Mutation::Create(input) => self.send_create(input).await,
            Mutation::Update(id, patch) => self.send_update(id, patch).await,
            Mutation::Delete(targets) => self.send_delete(targets).await,
            Mutation::Restore(ids) => self.send_restore(ids).await,
        };
        if let Err(failure) = result {
            self.fail(failure);
        }
    }

    /// The assistant changed todos (and maybe their files): fetch both again.
    pub fn changed_elsewhere(self) {
        self.files_revision.update(|r| *r += 1);
        self.reload();
    }

    pub fn reload(self) {
        self.loading.set(true);
        self.etag.set_value(None);
        self.polls.dispatch_local(self);
    }

    /// Live sync: asks whether the list changed (`If-None-Match`; `304` costs no body) and
    /// takes the new one if so. Quiet: no spinner, and a failure waits for the next poll.
    /// Skipped while a change is being sent or a poll is still out.
    pub fn refresh(self) {
        if !self.mutations.pending().get_untracked() && !self.polls.pending().get_untracked() {
            self.polls.dispatch_local(self);
        }
    }

    async fn poll(self) {
        let changes_before = self.mutations.version().get_untracked();
        let replays_before = self.replays.get_value();
        let answer = api::list_todos_if_changed(self.auth, self.etag.get_value()).await;
        let loading = self.loading.get_untracked();
        // A change made here meanwhile has its own answer; the next poll sees both.
        let changed_here = self.mutations.pending().get_untracked()
            || self.mutations.version().get_untracked() != changes_before
            || self.replays.get_value() != replays_before
            || self.flushing.get_value();
        if !changed_here || loading {
            match answer {
                Ok(Some(fetched)) => {
                    if let Some(user) = self.auth.user_key() {
                        let tag = fetched.etag.as_deref();
                        offline::save_tagged(user, offline::TODOS, tag, &fetched.json);
                    }
                    self.etag.set_value(fetched.etag);
                    self.take(self.with_queue(fetched.value));
                    self.back_online();
                }
                Ok(None) => self.back_online(),
                // The list kept on this device is shown: say why it may be behind.
                Err(ApiFailure::Network(_)) if self.from_device.get_value() => {
                    self.error.set(Some(offline::OFFLINE_NOTICE.into()));
                }
                Err(failure) if loading => self.fail(failure),
                Err(_) => {}
            }
        }
        self.loading.set(false);
    }

    /// Opens the list: the one kept on this device for the user first (at once, and
    /// offline), then the server's, which replaces it; asked with the kept list's `ETag`,
    /// so an unchanged list is a 304 without a body.
    pub fn open(self) {
        let Some(user) = self.auth.user_key() else {
            return self.reload();
        };
        self.spawn(async move {
            self.load_queue(&user).await;
            let mut tag = None;
            if let Some(kept) = offline::load(&user, offline::TODOS).await
                && self.todos.with_untracked(Vec::is_empty)
            {
                let (kept_tag, json) = offline::split_tagged(&kept);
                if let Ok(todos) = serde_json::from_str::<Vec<Todo>>(json) {
                    self.from_device.set_value(true);
                    self.todos.set(self.with_queue(todos));
                    tag = kept_tag;
                }
            }
            match tag {
                Some(tag) => {
                    self.loading.set(true);
                    self.etag.set_value(Some(tag));
                    self.polls.dispatch_local(self);
                }
                None => self.reload(),
            }
            self.flush();
        });
    }

    /// The server answered: what is shown is its list, the offline notice goes, and the
    /// changes waiting are sent.
    fn back_online(self) {
        self.from_device.set_value(false);
        self.flush();
        if self
            .error
            .with_untracked(|e| e.as_deref() == Some(offline::OFFLINE_NOTICE))
        {
            self.error.set(None);
        }
    }

    /// Takes the server's list, except for the row being edited, which stays as the edit
    /// started (it says it is stale; its save is checked against the old version).
    fn take(self, mut todos: Vec<Todo>) {
        if let Some(editing) = self.editing.get_untracked()
            && let Some(shown) = self.find(&editing)
        {
            // A version this page's own change gave (an answer held for the edit's end).
            let own = self
                .held_for_edit
                .with_value(|held| held.as_ref().filter(|t| t.id == editing).map(|t| t.version));
            let stale = match todos.iter_mut().find(|t| t.id == editing) {
                // The same version: the row stays as it is shown (its queued changes'
                // marks may differ), so it is not made again under the edit.
                Some(slot) if slot.version == shown.version => {
                    *slot = shown;
                    false
                }
                Some(slot) if Some(slot.version) == own => {
                    self.held_for_edit
                        .set_value(Some(std::mem::replace(slot, shown)));
                    self.etag.set_value(None);
                    false
                }
                Some(slot) => {
                    *slot = shown;
                    true
                }
                // Deleted elsewhere: the row stays until the edit ends, saying so.
                None => {
                    todos.push(shown);
                    todos.sort_by(|a, b| a.id.cmp(&b.id));
                    true
                }
            };
            if stale {
                self.stale_edit.set(true);
                // What is shown is not the tagged list: the next poll must fetch it whole.
                self.etag.set_value(None);
            }
        }
        if self.todos.with_untracked(|now| *now != todos) {
            self.todos.set(todos);
        }
    }

    /// The edit of a row ended (saved or not): what this page's own changes made of the
    /// todo meanwhile (an answer held, changes queued) is shown now, and a save is made on it.
    pub fn end_edit(self) {
        let Some(id) = self.editing.get_untracked() else {
            return;
        };
        self.editing.set(None);
        if let Some(todo) = self.held_for_edit.try_update_value(Option::take).flatten()
            && todo.id == id
        {
            self.put(todo);
        }
        self.show_queued_on(&id);
    }

    /// A row left the page while it was being edited (deleted, filtered out): its edit
    /// ends. Called after the row is gone, perhaps after sign-out.
    pub fn edit_row_gone(self, id: &str) {
        if self
            .editing
            .try_with_untracked(|e| e.as_deref() == Some(id))
            == Some(true)
        {
            self.end_edit();
        }
    }

    pub fn create(self, input: NewTodo) {
        self.run(Mutation::Create(input));
    }

    /// Sends a create with an id chosen here (sent twice, it makes one todo); queued
    /// behind waiting changes, or when the server cannot be reached.
    async fn send_create(self, mut input: NewTodo) -> Result<(), ApiFailure> {
        input.id.get_or_insert_with(sync::new_id);
        if self.waiting() {
            self.enqueue(Change::Create {
                input,
                at: sync::now_iso(),
            });
            self.flush();
            return Ok(());
        }
        match api::create_todo(self.auth, &input).await {
            Ok(todo) => self.put(todo),
            Err(e) if e.is_transient() => self.enqueue(Change::Create {
                input,
                at: sync::now_iso(),
            }),
            Err(e) => return Err(e),
        }
        self.error.set(None);
        Ok(())
    }

    /// Applies `patch` to the item as currently shown (its version is filled in).
    pub fn update(self, id: String, patch: TodoPatch) {
        let Some(current) = self.find(&id) else {
            return;
        };
        self.update_seen(id, current.version, patch);
    }

    /// Applies `patch` only if the item is still at `seen_version`, the version the user's
    /// edit started from; otherwise the server answers 409 and nothing is overwritten.
    pub fn update_seen(self, id: String, seen_version: u64, mut patch: TodoPatch) {
        patch.version = seen_version;
        self.run(Mutation::Update(id, patch));
    }

    async fn send_update(self, id: String, patch: TodoPatch) -> Result<(), ApiFailure> {
        let queue = |patch: TodoPatch| {
            if let Some(before) = self.find(&id) {
                self.enqueue(Change::Update {
                    patch,
                    before: Box::new(before),
                });
            }
        };
        if self.waiting() || self.is_sending(&id) {
            queue(patch);
            self.flush();
            return Ok(());
        }
        let from = patch.version;
        // As shown when sent: a delete queued meanwhile may take the row away.
        let before = self.find(&id);
        self.sending.update_value(|s| s.push(id.clone()));
        let answer = api::update_todo(self.auth, &id, &patch).await;
        self.sent(&id);
        match answer {
            Ok(todo) => self.answered(from, todo),
            Err(e) if e.is_transient() => {
                if let Some(before) = before {
                    self.enqueue_before_later(Change::Update {
                        patch,
                        before: Box::new(before),
                    });
                }
                self.flush();
            }
            Err(e) => {
                // What waited behind it is sent all the same.
                self.flush();
                return Err(e);
            }
        }
        self.error.set(None);
        Ok(())
    }

    fn is_sending(&self, id: &str) -> bool {
        self.sending.with_value(|s| s.iter().any(|x| x == id))
    }

    fn sent(&self, id: &str) {
        self.sending.update_value(|s| {
            if let Some(at) = s.iter().position(|x| x == id) {
                s.remove(at);
            }
        });
    }

    /// The server's answer to an edit sent on version `from`: the changes queued behind it
    /// for the same todo are sent on the answer's version, shown on top of it.
    fn answered(self, from: u64, todo: Todo) {
        let (id, to) = (todo.id.clone(), todo.version);
        if self.waiting() {
            self.queue
                .update(|q| offline_queue::rebase(q, &id, from, to));
            self.keep();
        }
        match self.with_queue(vec![todo]).into_iter().find(|t| t.id == id) {
            Some(shown) => self.put(shown),
            None => self.todos.update(|l| l.retain(|t| t.id != id)),
        }
        self.flush();
    }

    pub fn set_completed(self, id: String, completed: bool) {
        self.update(
            id,
            TodoPatch {
                completed: Some(completed),
                ..Default::default()
            },
        );
    }

    pub fn delete(self, id: String) {
        self.delete_all(vec![id]);
    }

    /// Deletes `ids` (each at the version shown) and offers one Undo for all of them.
    pub fn delete_all(self, ids: Vec<String>) {
        let targets: Vec<Todo> = ids.iter().filter_map(|id| self.find(id)).collect();
        if targets.is_empty() {
            return;
        }
        self.run(Mutation::Delete(targets));
    }

    async fn send_delete(self, targets: Vec<Todo>) -> Result<(), ApiFailure> {
        let mut deleted = Vec::new();
        // Deletes still waiting to be sent: Undo takes them back here.
        let mut held = Vec::new();
        let mut failure = None;
        for todo in targets {
            let queued = Change::Delete {
                id: todo.id.clone(),
                version: todo.version,
            };
            if self.waiting() || self.is_sending(&todo.id) {
                self.enqueue(queued);
                held.push(todo);
                continue;
            }
            self.sending.update_value(|s| s.push(todo.id.clone()));
            let answer = api::delete_todo(self.auth, &todo.id, todo.version).await;
            self.sent(&todo.id);
            match answer {
                Ok(()) => {
                    // Changes made to it while the delete was out have nothing to change.
                    if self.waiting() {
                        self.queue.update(|q| q.retain(|c| c.todo_id() != todo.id));
                        self.keep();
                    }
                    deleted.push(todo.id);
                }
                Err(e) if e.is_transient() => {
                    self.deletes_sent.update_value(|s| s.push(todo.id.clone()));
                    self.enqueue_before_later(queued);
                    held.push(todo);
                }
                Err(e) => failure = Some(e),
            }
        }
        self.flush();
        self.todos
            .update(|list| list.retain(|t| !deleted.contains(&t.id)));
        if !deleted.is_empty() || !held.is_empty() {
            self.offer_undo_of(deleted, held);
        }
        match failure {
            Some(e) => Err(e),
            None => {
                self.error.set(None);
                Ok(())
            }
        }
    }

    /// Shows "Deleted N todos · Undo" for these (deleted elsewhere: a list deleted with them).
    pub fn offer_undo(self, ids: Vec<String>) {
        self.offer_undo_of(ids, Vec::new());
    }

    /// The toast for todos deleted on the server (`ids`) and todos whose delete waits in
    /// the queue (`held`, as they were shown).
    fn offer_undo_of(self, mut ids: Vec<String>, held: Vec<Todo>) {
        let serial = self
            .undo
            .with_untracked(|o| o.as_ref().map_or(0, |o| o.serial))
            + 1;
        ids.extend(held.iter().map(|t| t.id.clone()));
        self.undo.set(Some(UndoOffer { ids, held, serial }));
        set_timeout(
            move || {
                // Signed out meanwhile, the page's state is gone: nothing to hide.
                if self
                    .undo
                    .try_with_untracked(|o| o.as_ref().is_some_and(|o| o.serial == serial))
                    == Some(true)
                {
                    self.undo.set(None);
                }
            },
            UNDO_TOAST,
        );
    }

    /// Brings back what the toast offers, exactly as it was (the server keeps deleted
    /// todos, so this works after a reload or a restart within its restore window).
    pub fn undo(self) {
        let Some(offer) = self.undo.get_untracked() else {
            return;
        };
        self.undo.set(None);
        // A delete still waiting is taken out of the queue: the server never hears of it.
        // The one the queue is sending now is restored once its answer is in.
        let mut on_server = offer.ids;
        for todo in offer.held {
            let in_flight = self.flushing.get_value();
            let mut found = None;
            self.queue.update(|q| {
                found = q
                    .iter()
                    .position(|c| matches!(c, Change::Delete { id, .. } if *id == todo.id));
                if let Some(at) = found
                    && !(in_flight && at == 0)
                {
                    q.remove(at);
                }
            });
            match found {
                Some(0) if in_flight => {
                    on_server.retain(|id| *id != todo.id);
                    self.undone_in_flight.update_value(|u| u.push(todo));
                }
                Some(_) => {
                    on_server.retain(|id| *id != todo.id);
                    if self.deletes_sent.with_value(|s| s.contains(&todo.id)) {
                        // It may have been deleted there, its answer lost.
                        self.restore_quietly(todo.id.clone());
                    }
                    self.put_back(todo);
                }
                None => {}
            }
        }
        self.keep();
        if !on_server.is_empty() {
            self.restore(on_server);
        }
    }

    /// A todo shown again where it was (ids are UUIDv7: their order is creation's).
    pub(super) fn put_back(self, todo: Todo) {
        self.put(todo);
        self.todos
            .update(|list| list.sort_by(|a, b| a.id.cmp(&b.id)));
    }

    /// Restores `id` on the server if it is deleted there; one that is not is left alone.
    pub(super) fn restore_quietly(self, id: String) {
        self.spawn(async move {
            if let Ok(todo) = api::restore_todo(self.auth, &id).await {
                self.put_back(todo);
            }
        });
    }

    /// Restores deleted todos (the toast's Undo, a chat card's Undo) into the list.
    pub fn restore(self, ids: Vec<String>) {
        self.run(Mutation::Restore(ids));
    }

    async fn send_restore(self, ids: Vec<String>) -> Result<(), ApiFailure> {
        let mut failure = None;
        for id in ids {
            match api::restore_todo(self.auth, &id).await {
                Ok(todo) => self.todos.update(|list| {
                    list.retain(|t| t.id != todo.id);
                    list.push(todo);
                    // Ids are UUIDv7: their order is the order of creation.
                    list.sort_by(|a, b| a.id.cmp(&b.id));
                }),
                Err(e) => failure = Some(e),
            }
        }
        self.files_revision.update(|r| *r += 1);
        failure.map_or(Ok(()), Err)
    }

    pub fn set_all_completed(self, completed: bool) {
        let ids: Vec<String> = self.todos.with_untracked(|list| {
            list.iter()
                .filter(|t| t.completed != completed)
                .map(|t| t.id.clone())
                .collect()
        });
        for id in ids {
            self.set_completed(id, completed);
        }
    }

    pub fn clear_completed(self) {
        let ids: Vec<String> = self.todos.with_untracked(|list| {
            list.iter()
                .filter(|t| t.completed)
                .map(|t| t.id.clone())
                .collect()
        });
        self.delete_all(ids);
    }
}
