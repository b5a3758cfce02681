//! Labels across a user's todos: the list with counts (`GET /api/labels`) and renaming one
//! on every live todo that has it (`PATCH /api/labels/{name}`). A label has no record of its
//! own, so a rename is one versioned write per todo, each like an edit.

use std::collections::{BTreeMap, BTreeSet};

use app::wire::LabelCount;
use serde::{Deserialize, Serialize};

use super::service::TodoError;
use crate::{
    domain::{Label, Labels, Todo, TodoId, UserId, label::LABELS_PER_USER},
    store::{Store, StoreError},
};

/// How often a rename reads a todo again when an edit got in between its read and write.
const RENAME_ATTEMPTS: usize = 3;

/// The labels the owner's live todos use, by name, with how many todos use each.
pub fn counts(todos: &[Todo]) -> Vec<LabelCount> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for label in todos
        .iter()
        .filter(|t| t.is_live())
        .flat_map(|t| t.labels.iter())
    {
        *counts.entry(label.as_str()).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(name, count)| LabelCount {
            name: name.to_owned(),
            count,
        })
        .collect()
}

pub async fn list(store: &dyn Store, owner: &UserId) -> Result<Vec<LabelCount>, TodoError> {
    Ok(counts(&store.list_todo_records_shared(owner).await?))
}

/// One todo a rename wrote: its id, its version after the write, and, where `to` was on it
/// already (the two merged), the places `from` and `to` had before. Written as a short
/// array: a rename's change record lists every todo it touched (an undo puts them back).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relabelled(pub TodoId, pub u64, pub Option<(usize, usize)>);

impl Relabelled {
    /// The labels the todo had before the rename, from those it has after it.
    pub fn labels_before(&self, after: &Labels, from: &Label, to: &Label) -> Labels {
        let mut names = after.to_strings();
        match self.2 {
            // `from` was replaced by `to` where it stood.
            None => {
                for name in &mut names {
                    if name == to.as_str() {
                        from.as_str().clone_into(name);
                    }
                }
            }
            // A merge kept one `to` at the first of the two places: take it out and put
            // both back where they were, the earlier place first.
            Some((was_from, was_to)) => {
                names.retain(|name| name != to.as_str());
                let mut places = [(was_from, from), (was_to, to)];
                places.sort_by_key(|(at, _)| *at);
                for (at, label) in places {
                    names.insert(at.min(names.len()), label.as_str().to_owned());
                }
            }
        }
        Labels::parse(&names).unwrap_or_else(|_| after.clone())
    }
}

/// What a rename did: the label with its count, and each todo it wrote.
#[derive(Debug)]
pub struct Renamed {
    pub label: LabelCount,
    pub todos: Vec<Relabelled>,
}

/// Renames `from` to `to` on every live todo of the owner that has it (one more version
/// each; where `to` is there already the two merge). `None` if no live todo has `from`.
/// Todos are written one by one: a failure part-way leaves the others renamed, and asking
/// again finishes the rest.
pub async fn rename(
    store: &dyn Store,
    owner: &UserId,
    from: &Label,
    to: &Label,
    at: jiff::Timestamp,
) -> Result<Option<Renamed>, TodoError> {
    let todos = store.list_todos(owner).await?;
    let mut used: BTreeSet<&Label> = todos.iter().flat_map(|t| t.labels.iter()).collect();
    if !used.remove(from) {
        return Ok(None);
    }
    // A rename never adds a label to the account (it replaces one, or merges two), so this
    // only refuses when concurrent writes have already passed the quota.
    if used.insert(to) && used.len() > LABELS_PER_USER {
        return Err(TodoError::LabelQuotaExceeded(to.as_str().to_owned()));
    }
    let mut written = Vec::new();
    if from != to {
        for todo in todos.iter().filter(|t| t.labels.contains(from)) {
            written.extend(rename_on(store, todo.clone(), from, to, at).await?);
        }
    }
    // Every todo that had either name has the new one now (a concurrent edit aside).
    let count = todos
        .iter()
        .filter(|t| t.labels.contains(from) || t.labels.contains(to))
        .count();
    Ok(Some(Renamed {
        label: LabelCount {
            name: to.as_str().to_owned(),
            count,
        },
        todos: written,
    }))
}

/// One todo's rename, read again and retried when it changed since it was read; a todo
/// deleted meanwhile (or no longer carrying the label) is left alone (`None`).
async fn rename_on(
    store: &dyn Store,
    mut todo: Todo,
    from: &Label,
    to: &Label,
    at: jiff::Timestamp,
) -> Result<Option<Relabelled>, TodoError> {
    for _ in 0..RENAME_ATTEMPTS {
        if !todo.labels.contains(from) {
            return Ok(None);
        }
        let expected = todo.version;
        let place = |wanted: &Label| todo.labels.iter().position(|l| l == wanted);
        let merged_at = place(from).zip(place(to));
        todo.labels = todo.labels.renamed(from, to);
        todo.version += 1;
        todo.updated_at = at;
        match store.update_todo(&todo, expected).await {
            Ok(()) => return Ok(Some(Relabelled(todo.id, todo.version, merged_at))),
            Err(StoreError::VersionConflict { .. } | StoreError::Changed) => {
                todo = match store.get_todo(&todo.owner, todo.id).await {
                    Ok(current) => current,
                    Err(StoreError::NotFound) => return Ok(None),
                    Err(e) => return Err(e.into()),
                };
            }
            Err(StoreError::NotFound) => return Ok(None),
            Err(e) => return Err(e.into()),
        }
    }
    Err(StoreError::Changed.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        domain::{Labels, TodoTitle},
        store::embedded::EmbeddedStore,
    };

    async fn stored(store: &dyn Store, labels: &[&str]) -> Todo {
        let input = app::wire::NewTodo {
            title: "Call".into(),
            labels: Some(labels.iter().map(|l| (*l).to_owned()).collect()),
            ..Default::default()
        };
        let owner = UserId::from_verified_sub("renamer");
        crate::todos::service::create(store, &owner, input, 10, jiff::Timestamp::UNIX_EPOCH)
            .await
            .unwrap()
    }

    fn label(name: &str) -> Label {
        Label::parse(name).unwrap()
    }

    #[tokio::test]
    async fn what_a_rename_wrote_gives_back_the_labels_as_they_were() {
        let dir = tempfile::tempdir().unwrap();
        let store = EmbeddedStore::open(dir.path()).unwrap();
        let (from, to) = (label("errand"), label("errands"));
        for before in [
            &["errand"][..],
            &["town", "errand", "x"],
            &["errand", "errands", "town"],
            &["errand", "town", "errands"],
            &["errands", "town", "errand"],
        ] {
            let todo = stored(&store, before).await;
            let at = jiff::Timestamp::UNIX_EPOCH;
            let wrote = rename_on(&store, todo.clone(), &from, &to, at)
                .await
                .unwrap()
                .unwrap();
            let after = store.get_todo(&todo.owner, todo.id).await.unwrap();
            assert_eq!((wrote.0, wrote.1), (todo.id, after.version));
            assert!(!after.labels.contains(&from), "{before:?}");
            assert_eq!(
                wrote.labels_before(&after.labels, &from, &to),
                todo.labels,
                "{before:?}"
            );
        }
    }

    #[tokio::test]
    async fn a_rename_racing_an_edit_reads_again_and_keeps_the_edit() {
        let dir = tempfile::tempdir().unwrap();
        let store = EmbeddedStore::open(dir.path()).unwrap();
        let read = stored(&store, &["phone", "home"]).await;
        // An edit lands between the rename's read and its write.
        let mut edited = read.clone();
        edited.title = TodoTitle::parse("Call mom").unwrap();
        edited.version = 2;
        store.update_todo(&edited, 1).await.unwrap();

        let at = jiff::Timestamp::UNIX_EPOCH;
        rename_on(&store, read.clone(), &label("phone"), &label("calls"), at)
            .await
            .unwrap();
        let now = store.get_todo(&read.owner, read.id).await.unwrap();
        assert_eq!(now.title.as_str(), "Call mom");
        assert_eq!(
            now.labels,
            Labels::parse(&["calls".into(), "home".into()]).unwrap()
        );
        assert_eq!(now.version, 3);
    }

    #[tokio::test]
    async fn a_rename_leaves_a_todo_deleted_meanwhile_alone() {
        let dir = tempfile::tempdir().unwrap();
        let store = EmbeddedStore::open(dir.path()).unwrap();
        let read = stored(&store, &["phone"]).await;
        let until = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(60);
        store
            .trash_todo(&read.owner, read.id, None, until)
            .await
            .unwrap();
        let at = jiff::Timestamp::UNIX_EPOCH;
        rename_on(&store, read.clone(), &label("phone"), &label("calls"), at)
            .await
            .unwrap();
        let record = store.get_todo_record(&read.owner, read.id).await.unwrap();
        assert_eq!(
            record.labels, read.labels,
            "a deleted todo keeps what it had"
        );
        assert_eq!(record.version, 2);
    }
}
