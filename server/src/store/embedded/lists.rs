//! Lists in the embedded store: table `lists`, (owner sub, list id) -> JSON of
//! [`TodoList`]. A name's uniqueness and the list quota are checked inside the write
//! transaction by reading the owner's lists (at most the quota and the Inbox): redb runs one
//! write transaction at a time, so no other write can come between the check and the commit.

use redb::{ReadableTable, TableDefinition};

use super::{EmbeddedStore, OwnedTable, backend, decode, encode, list_owned, read_owned};
use crate::{
    domain::{ListId, TodoList, UserId},
    store::StoreError,
};

/// (owner sub, list id) -> JSON of [`TodoList`].
pub(super) const LISTS: TableDefinition<(&str, &str), &[u8]> = TableDefinition::new("lists");

/// The owner's lists in `table`, read inside a write transaction.
fn held(table: &OwnedTable<'_>, owner: &str) -> Result<Vec<TodoList>, StoreError> {
    let mut lists = Vec::new();
    for entry in table.range((owner, "")..).map_err(backend)? {
        let (key, value) = entry.map_err(backend)?;
        if key.value().0 != owner {
            break;
        }
        lists.push(decode(value.value())?);
    }
    Ok(lists)
}

/// `NameTaken` if a list other than `list` has its name.
fn name_free(list: &TodoList, others: &[TodoList]) -> Result<(), StoreError> {
    let key = list.name.key();
    if others
        .iter()
        .any(|other| other.id != list.id && other.name.key() == key)
    {
        return Err(StoreError::NameTaken);
    }
    Ok(())
}

/// Writes `list` (removes the list at (owner, `id`) for `None`) in one durable transaction
/// if `check` accepts the stored one and the owner's lists as they are now.
fn change_list(
    db: &redb::Database,
    owner: &str,
    id: &str,
    new: Option<&TodoList>,
    check: impl FnOnce(Option<&TodoList>, &[TodoList]) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let txn = db.begin_write().map_err(backend)?;
    {
        let mut table = txn.open_table(LISTS).map_err(backend)?;
        let lists = held(&table, owner)?;
        let current = lists.iter().find(|list| list.id.to_string() == id);
        check(current, &lists)?;
        match new {
            Some(list) => {
                table
                    .insert((owner, id), encode(list)?.as_slice())
                    .map_err(backend)?;
            }
            None => {
                table.remove((owner, id)).map_err(backend)?;
            }
        }
    }
    txn.commit().map_err(backend)
}

impl EmbeddedStore {
    pub(super) async fn lists_of(&self, owner: &UserId) -> Result<Vec<TodoList>, StoreError> {
        let owner = owner.as_str().to_owned();
        self.blocking(move |db| list_owned(db, LISTS, &owner)).await
    }

    pub(super) async fn list_of(&self, owner: &UserId, id: ListId) -> Result<TodoList, StoreError> {
        let owner = owner.as_str().to_owned();
        self.blocking(move |db| read_owned(db, LISTS, &owner, &id.to_string()))
            .await
    }

    pub(super) async fn create_list_checked(
        &self,
        list: &TodoList,
        max_lists: usize,
    ) -> Result<(), StoreError> {
        let list = list.clone();
        self.blocking(move |db| {
            let (owner, id) = (list.owner.as_str(), list.id.to_string());
            change_list(db, owner, &id, Some(&list), |current, lists| {
                if current.is_some() {
                    return Err(StoreError::AlreadyExists);
                }
                name_free(&list, lists)?;
                let others = lists.iter().filter(|held| !held.inbox).count();
                if !list.inbox && others >= max_lists {
                    return Err(StoreError::LimitReached);
                }
                Ok(())
            })
        })
        .await
    }

    pub(super) async fn update_list_checked(
        &self,
        list: &TodoList,
        expected_version: u64,
    ) -> Result<(), StoreError> {
        let list = list.clone();
        self.blocking(move |db| {
            let (owner, id) = (list.owner.as_str(), list.id.to_string());
            change_list(db, owner, &id, Some(&list), |current, lists| {
                let current = current.ok_or(StoreError::NotFound)?;
                if current.version != expected_version {
                    return Err(StoreError::VersionConflict {
                        current: current.version,
                    });
                }
                name_free(&list, lists)
            })
        })
        .await
    }

    pub(super) async fn delete_list_record(
        &self,
        owner: &UserId,
        id: ListId,
    ) -> Result<(), StoreError> {
        let owner = owner.as_str().to_owned();
        self.blocking(move |db| {
            change_list(db, &owner, &id.to_string(), None, |current, _| {
                current.map(|_| ()).ok_or(StoreError::NotFound)
            })
        })
        .await
    }
}
