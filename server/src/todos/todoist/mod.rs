//! A Todoist CSV export ("Export as template" → CSV) imported into a new list, through the
//! same all-or-nothing write as an export document (`transfer::import`).
//!
//! Todoist's documented template columns are read by name (any order, any case; a UTF-8
//! BOM, CRLF and quoted newlines are fine): `TYPE` (task, section, note), `CONTENT`,
//! `DESCRIPTION`, `PRIORITY` (1 = p1, the highest, … 4 = p4; Tasko numbers them the same),
//! `INDENT` (1 a task, 2 or more a sub-task of the task above: Tasko's subtasks are one flat
//! checklist, so deeper indents flatten into it) and `DATE` (natural language, read by the
//! same `app::words` as quick add: dates, times of day, repeat rules). `@label` marks in
//! `CONTENT` become labels; a section becomes a label on the tasks under it; a note is
//! appended to the notes of the task above. `AUTHOR`, `RESPONSIBLE`, `TIMEZONE`,
//! `DURATION`, `DURATION_UNIT` and `DEADLINE_LANG` are read past; a `DEADLINE` is reported
//! (Tasko has one date per todo).
//!
//! A row that cannot be imported (an empty task, a note with no task above, an unknown
//! TYPE, a title too long ...) is skipped and reported with its line; the file itself being
//! malformed (not UTF-8 text, no `CONTENT` column, more than `IMPORT_MAX_TODOS` rows, no
//! task at all) refuses the whole import.

mod rows;
#[cfg(test)]
mod tests;

use jiff::Timestamp;

use self::rows::{Reading, invalid, read};
use super::{
    lists,
    transfer::{self, EXPORT_VERSION, ExportList, ImportDocument, ImportError, Imported, RowNote},
};
use crate::{
    domain::{ListName, Quotas, UserId, todo_list::LIST_NAME_MAX_CHARS},
    store::{Store, StoreError},
};

/// The new list's name when the request names none.
pub const DEFAULT_LIST_NAME: &str = "Todoist import";

/// Imports the Todoist CSV in `body` into a new list named `list` (or
/// [`DEFAULT_LIST_NAME`]; " (2)", " (3)" ... added if the name is taken).
pub async fn import_csv(
    store: &dyn Store,
    owner: &UserId,
    body: &[u8],
    list: Option<&str>,
    quotas: &Quotas,
    at: Timestamp,
) -> Result<Imported, ImportError> {
    let text = std::str::from_utf8(body).map_err(|e| {
        invalid(format!(
            "the file is not UTF-8 text (byte {} is not), so it is not a Todoist CSV export",
            e.valid_up_to()
        ))
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let wanted = ListName::parse(list.unwrap_or(DEFAULT_LIST_NAME))
        .map_err(|e| invalid(format!("list: {}", e.0)))?;
    let zone = store.get_profile(owner).await?.zone();
    let today = at.to_zoned(zone).date();
    let reading = read(text, today)?;
    let Reading {
        done,
        skipped,
        adjusted,
        ..
    } = reading;
    let mut todos = Vec::with_capacity(done.len());
    let mut skipped = skipped;
    for task in done {
        match transfer::check_todo(owner, &task.todo, at) {
            Ok(()) => todos.push(task.todo),
            Err(reason) => {
                let steps = task.todo.subtasks.len();
                let reason = match steps {
                    0 => reason,
                    1 => format!("{reason} (its sub-task was not imported either)"),
                    n => format!("{reason} (its {n} sub-tasks were not imported either)"),
                };
                skipped.push(RowNote {
                    line: task.line,
                    reason,
                });
            }
        }
    }
    skipped.sort_by_key(|n| n.line);
    if todos.is_empty() {
        return Err(invalid(format!(
            "the file holds no task that can be imported ({} rows skipped{})",
            skipped.len(),
            skipped
                .first()
                .map(|n| format!("; line {}: {}", n.line, n.reason))
                .unwrap_or_default()
        )));
    }
    let name = free_name(store, owner, &wanted, at).await?;
    let doc = ImportDocument {
        version: EXPORT_VERSION,
        lists: vec![ExportList {
            id: "todoist".into(),
            name: name.clone(),
            color: None,
            order: 0,
            inbox: false,
        }],
        todos: todos
            .into_iter()
            .map(|mut t| {
                t.list_id = Some("todoist".into());
                t
            })
            .collect(),
    };
    let mut imported = transfer::import(store, owner, doc, quotas, at).await?;
    imported.list = Some(name);
    imported.skipped = skipped;
    imported.adjusted = adjusted;
    Ok(imported)
}

/// `wanted`, or the first of "wanted (2)", "wanted (3)" ... that no list of the owner has.
async fn free_name(
    store: &dyn Store,
    owner: &UserId,
    wanted: &ListName,
    at: Timestamp,
) -> Result<String, ImportError> {
    let existing = lists::all(store, owner, at)
        .await
        .map_err(|e| ImportError::Store(StoreError::Backend(crate::domain::Cause::new(e))))?;
    let taken: std::collections::HashSet<String> = existing.iter().map(|l| l.name.key()).collect();
    let base = wanted.as_str();
    // One more than the lists held always finds a free name.
    for n in 1..=existing.len() + 1 {
        let candidate = if n == 1 {
            base.to_owned()
        } else {
            let suffix = format!(" ({n})");
            let room = LIST_NAME_MAX_CHARS.saturating_sub(suffix.chars().count());
            let stem: String = base.chars().take(room).collect();
            format!("{}{suffix}", stem.trim_end())
        };
        if let Ok(name) = ListName::parse(&candidate)
            && !taken.contains(&name.key())
        {
            return Ok(name.as_str().to_owned());
        }
    }
    Err(invalid(format!("list: no free name like “{base}” is left")))
}
