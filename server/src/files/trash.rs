//! Deleting a todo restorably. A delete marks the todo deleted-with-a-deadline in the store
//! (hidden from every listing, lookup and tool, its files untouched); a restore before the
//! deadline brings it back exactly as it was; after the deadline it is purged with its
//! files. Everything is in the store, so a restore works on any instance and after a
//! restart, and a purge left half done is finished by the next one.

use std::{sync::Arc, time::Duration};

use jiff::Timestamp;

use super::Files;
use crate::{
    domain::{Cause, Todo, TodoId, UserId, clock::after},
    store::StoreError,
    todos::service::TodoError,
};

/// How long a deleted todo can be restored unless configured (`RESTORE_WINDOW_SECS`): far
/// longer than the list's six-second Undo toast, so a slow network, the chat's Undo or a
/// restart in between still finds it.
pub const RESTORE_WINDOW: Duration = Duration::from_secs(10 * 60);

impl Files {
    /// Deletes a todo (at `expected_version`, if given) restorably, and purges the owner's
    /// todos whose restore window has closed, and the oldest deleted ones beyond the todo
    /// quota (the trash holds at most that many; a delete is never refused for it). Returns
    /// the todo as it was.
    pub async fn delete_todo(
        &self,
        owner: &UserId,
        id: TodoId,
        expected_version: Option<u64>,
    ) -> Result<Todo, TodoError> {
        let until = after(self.now(), self.restore_window());
        let mut deleted = self
            .store()
            .trash_todo(owner, id, expected_version, until)
            .await?;
        self.purge_after_delete(owner).await;
        deleted.deleted_until = None;
        Ok(deleted)
    }

    /// Deletes each of `todos` restorably, as `delete_todo` does, if it is still at the
    /// version given (a todo changed or deleted since is left alone: what the caller saw is
    /// not what it is). Returns the ids deleted.
    pub async fn delete_todos(
        &self,
        owner: &UserId,
        todos: &[Todo],
    ) -> Result<Vec<TodoId>, TodoError> {
        let mut deleted = Vec::new();
        for todo in todos {
            match self.delete_todo(owner, todo.id, Some(todo.version)).await {
                Ok(_) => deleted.push(todo.id),
                Err(TodoError::Store(
                    StoreError::VersionConflict { .. } | StoreError::NotFound,
                )) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(deleted)
    }

    /// Brings back a todo deleted less than the restore window ago, with its files, unless
    /// the owner holds as many live todos as the quota allows (then it stays deleted).
    pub async fn restore_todo(&self, owner: &UserId, id: TodoId) -> Result<Todo, TodoError> {
        let max = self.quotas().todos;
        match self
            .store()
            .restore_todo_within(owner, id, self.now(), max)
            .await
        {
            Err(StoreError::LimitReached) => Err(TodoError::QuotaExceeded(max)),
            other => Ok(other?),
        }
    }

    /// Every todo record of the owner (deleted ones too: callers filter with
    /// `Todo::is_live`), shared from the store's cache; deleted ones past their deadline found
    /// on the way are purged first.
    pub async fn todo_records(&self, owner: &UserId) -> Result<Arc<Vec<Todo>>, TodoError> {
        let records = self.store().list_todo_records_shared(owner).await?;
        let at = self.now();
        if !records.iter().any(|todo| expired(todo, at)) {
            return Ok(records);
        }
        self.purge(records.iter().filter(|todo| expired(todo, at)))
            .await;
        Ok(self.store().list_todo_records_shared(owner).await?)
    }

    /// The owner's live todos, oldest first; deleted ones past their deadline found on the
    /// way are purged first (they are in the same read).
    pub async fn live_todos(&self, owner: &UserId) -> Result<Vec<Todo>, TodoError> {
        let records = self.store().list_todo_records(owner).await?;
        let at = self.now();
        if records.iter().any(|todo| expired(todo, at)) {
            self.purge(records.iter().filter(|todo| expired(todo, at)))
                .await;
        }
        Ok(records.into_iter().filter(Todo::is_live).collect())
    }

    /// Purges every deleted todo of the owner's whose restore window has closed. Failures
    /// are logged: the next listing or delete tries again.
    pub async fn purge_expired(&self, owner: &UserId) {
        match self.store().list_todo_records(owner).await {
            Ok(records) => {
                let at = self.now();
                self.purge(records.iter().filter(|todo| expired(todo, at)))
                    .await;
            }
            Err(e) => tracing::warn!(error = %e, "listing deleted todos to purge failed"),
        }
    }

    /// After a delete, from one listing: purges the deleted todos whose window has closed,
    /// then the oldest others (earliest deadline first) beyond the todo quota, so the trash
    /// holds at most that many. Failures are logged: the next delete tries again.
    async fn purge_after_delete(&self, owner: &UserId) {
        let records = match self.store().list_todo_records(owner).await {
            Ok(records) => records,
            Err(e) => {
                tracing::warn!(error = %e, "listing deleted todos to purge failed");
                return;
            }
        };
        let at = self.now();
        let (expired, mut waiting): (Vec<Todo>, Vec<Todo>) = records
            .into_iter()
            .filter(|todo| !todo.is_live())
            .partition(|todo| expired(todo, at));
        self.purge(expired.iter()).await;
        let excess = waiting.len().saturating_sub(self.quotas().todos);
        waiting.sort_by_key(|todo| todo.deleted_until);
        self.purge(waiting.iter().take(excess)).await;
    }

    async fn purge(&self, expired: impl Iterator<Item = &Todo>) {
        for todo in expired {
            if let Err(e) = self.purge_one(todo).await {
                tracing::warn!(error = %e, todo = %todo.id, "purging a deleted todo failed");
            }
        }
    }

    /// Claims the record first (it is marked `purging` at the version the purge read, one
    /// more version: a restore from then on is refused, and a restore that got there first
    /// makes the claim fail, so the todo stays with its files), then removes its files, then
    /// the record. A crash in between leaves a claimed record, whose purge the next one
    /// finishes.
    async fn purge_one(&self, todo: &Todo) -> Result<(), TodoError> {
        let mut claimed = todo.clone();
        if !todo.purging {
            claimed.purging = true;
            claimed.version += 1;
            match self.store().update_todo(&claimed, todo.version).await {
                Ok(()) => {}
                // Restored, or claimed by another purge, since it was read.
                Err(StoreError::VersionConflict { .. } | StoreError::NotFound) => return Ok(()),
                Err(e) => return Err(e.into()),
            }
        }
        let attached = self.store().list_todo_files(&todo.owner, todo.id).await?;
        for file in &attached {
            self.remove(file)
                .await
                .map_err(|e| StoreError::Backend(Cause::new(e)))?;
        }
        match self
            .store()
            .delete_todo(&todo.owner, todo.id, Some(claimed.version))
            .await
        {
            Ok(()) | Err(StoreError::NotFound) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}

fn expired(todo: &Todo, at: Timestamp) -> bool {
    todo.deleted_until.is_some_and(|until| until <= at)
}
