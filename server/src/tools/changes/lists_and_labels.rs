//! Undoing a change to a list (renamed, recolored, moved) or a label (renamed on every todo
//! that had it), by the rule every undo follows: nothing is put back over a later change.

use std::collections::BTreeSet;

use jiff::Timestamp;

use super::{UndoError, Undone};
use crate::{
    domain::{Label, Todo, TodoList, UserId, label::LABELS_PER_USER},
    store::{Store, StoreError},
    todos::{labels::Relabelled, service::TodoError},
};

/// The list is as `after` left it: the same version, or the same name, color and place
/// (an undo of a later change put them back).
pub fn list_unchanged_since(current: &TodoList, after: &TodoList) -> bool {
    current.version == after.version
        || (current.name == after.name
            && current.color == after.color
            && current.order == after.order)
}

fn list_changed(list: &TodoList) -> UndoError {
    UndoError::Conflict(format!(
        "The list “{}” has changed since, so this was not undone (that would lose the later change).",
        list.name.as_str()
    ))
}

/// Puts the list's name, color and place back as `before` had them.
pub async fn undo_list_edit(
    store: &dyn Store,
    owner: &UserId,
    before: &TodoList,
    after: &TodoList,
    at: Timestamp,
) -> Result<Undone, UndoError> {
    let deleted = || {
        UndoError::Conflict(format!(
            "The list “{}” was deleted since; there is nothing to undo.",
            after.name.as_str()
        ))
    };
    let current = match store.get_list(owner, after.id).await {
        Ok(current) => current,
        Err(StoreError::NotFound) => return Err(deleted()),
        Err(e) => return Err(e.into()),
    };
    if !list_unchanged_since(&current, after) {
        return Err(list_changed(&current));
    }
    let restored = TodoList {
        name: before.name.clone(),
        color: before.color,
        order: before.order,
        version: current.version + 1,
        updated_at: at,
        ..current.clone()
    };
    match store.update_list(&restored, current.version).await {
        Ok(()) => Ok(Undone::List(Box::new(restored))),
        Err(StoreError::NameTaken) => Err(UndoError::Conflict(format!(
            "Another list is named “{}” now, so this list was not renamed back.",
            before.name.as_str()
        ))),
        Err(StoreError::VersionConflict { .. } | StoreError::Changed) => {
            Err(list_changed(&current))
        }
        Err(StoreError::NotFound) => Err(deleted()),
        Err(e) => Err(e.into()),
    }
}

/// Every todo the rename wrote is live and still at the version it left (and there was one).
pub fn relabelled_unchanged(written: &[Relabelled], todos: &[Todo]) -> bool {
    !written.is_empty()
        && written
            .iter()
            .all(|r| (todos.iter()).any(|t| t.id == r.0 && t.is_live() && t.version == r.1))
}

/// Gives the todos the rename wrote their labels back, when none of them changed since.
/// Checked for all before any is written; each write is conditional on the version checked,
/// so an edit landing in between stops the undo there and says so.
pub async fn undo_label_rename(
    store: &dyn Store,
    owner: &UserId,
    from: &str,
    to: &str,
    written: &[Relabelled],
    at: Timestamp,
) -> Result<Undone, UndoError> {
    // Both were labels when the rename was recorded.
    let label = |name: &str| Label::parse(name).map_err(|e| UndoError::Conflict(e.0));
    let (from_label, to_label) = (label(from)?, label(to)?);
    if written.is_empty() {
        return Err(UndoError::Conflict(
            "That rename changed no todo; there is nothing to undo.".into(),
        ));
    }
    let live = store.list_todos(owner).await?;
    let mut found = Vec::with_capacity(written.len());
    for relabelled in written {
        match live.iter().find(|t| t.id == relabelled.0) {
            Some(todo) if todo.version == relabelled.1 => found.push((relabelled, todo)),
            Some(todo) => {
                return Err(UndoError::Conflict(format!(
                    "“{}” has changed since, so the rename was not undone (that would lose the later change).",
                    todo.title.as_str()
                )));
            }
            None => {
                return Err(UndoError::Conflict(
                    "A todo the rename changed was deleted since, so the rename was not undone."
                        .into(),
                ));
            }
        }
    }
    // `from` comes back: within the owner's label quota, as any new label.
    let mut used: BTreeSet<&Label> = live.iter().flat_map(|t| t.labels.iter()).collect();
    if used.insert(&from_label) && used.len() > LABELS_PER_USER {
        return Err(UndoError::QuotaExceeded(
            TodoError::LabelQuotaExceeded(from.to_owned()).to_string(),
        ));
    }
    let mut restored = Vec::with_capacity(found.len());
    for (relabelled, todo) in found {
        let mut back = todo.clone();
        back.labels = relabelled.labels_before(&todo.labels, &from_label, &to_label);
        back.version += 1;
        back.updated_at = at;
        match store.update_todo(&back, todo.version).await {
            Ok(()) => restored.push(back),
            Err(
                StoreError::VersionConflict { .. } | StoreError::Changed | StoreError::NotFound,
            ) => {
                return Err(UndoError::Conflict(format!(
                    "“{}” changed while the rename was being undone: “{from}” is back on {} of its {} todos.",
                    todo.title.as_str(),
                    restored.len(),
                    written.len()
                )));
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(Undone::Relabelled {
        label: from.to_owned(),
        todos: restored,
    })
}
