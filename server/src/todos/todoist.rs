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
//! malformed (not UTF-8 text, no `CONTENT` column, more than [`IMPORT_MAX_TODOS`] rows, no
//! task at all) refuses the whole import.

use app::words::{quick_add::QuickAdd, tags};
use jiff::{Timestamp, civil::Date};

use super::{
    lists,
    transfer::{
        self, EXPORT_VERSION, ExportList, IMPORT_MAX_TODOS, ImportDocument, ImportError,
        ImportSubtask, ImportTodo, Imported, RowNote,
    },
};
use crate::{
    domain::{
        DueDate, ListName, Quotas, UserId, label::LABELS_PER_TODO, repeat::ParsedRepeat,
        subtask::SUBTASKS_PER_TODO, todo::NOTES_MAX_CHARS, todo_list::LIST_NAME_MAX_CHARS,
    },
    store::{Store, StoreError},
};

/// The new list's name when the request names none.
pub const DEFAULT_LIST_NAME: &str = "Todoist import";

/// The columns read, by their header.
#[derive(Default)]
struct Columns {
    kind: Option<usize>,
    content: usize,
    description: Option<usize>,
    priority: Option<usize>,
    indent: Option<usize>,
    date: Option<usize>,
    date_lang: Option<usize>,
    deadline: Option<usize>,
}

impl Columns {
    fn find(headers: &csv::StringRecord) -> Result<Self, ImportError> {
        let at = |name: &str| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
        };
        let Some(content) = at("CONTENT") else {
            let found: Vec<&str> = headers.iter().take(12).collect();
            return Err(invalid(format!(
                "the file has no CONTENT column, so it is not a Todoist CSV export (its first \
                 line reads: {})",
                found.join(", ")
            )));
        };
        Ok(Self {
            kind: at("TYPE"),
            content,
            description: at("DESCRIPTION"),
            priority: at("PRIORITY"),
            indent: at("INDENT"),
            date: at("DATE"),
            date_lang: at("DATE_LANG"),
            deadline: at("DEADLINE"),
        })
    }
}

fn invalid(problem: String) -> ImportError {
    ImportError::Invalid(vec![problem])
}

/// One task being built: the todo, and the line it started on.
struct Pending {
    line: u64,
    todo: ImportTodo,
}

/// What the rows have made so far.
#[derive(Default)]
struct Reading {
    done: Vec<Pending>,
    current: Option<Pending>,
    /// The label of the section the rows are in.
    section: Option<String>,
    skipped: Vec<RowNote>,
    adjusted: Vec<RowNote>,
}

impl Reading {
    fn skip(&mut self, line: u64, reason: impl Into<String>) {
        self.skipped.push(RowNote {
            line,
            reason: reason.into(),
        });
    }

    fn adjust(&mut self, line: u64, reason: impl Into<String>) {
        self.adjusted.push(RowNote {
            line,
            reason: reason.into(),
        });
    }

    fn finish_current(&mut self) {
        if let Some(task) = self.current.take() {
            self.done.push(task);
        }
    }
}

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

/// The rows, read into todos (not yet checked) and the rows skipped or adjusted.
fn read(text: &str, today: Date) -> Result<Reading, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let columns = Columns::find(
        reader
            .headers()
            .map_err(|e| invalid(format!("the file is not CSV: {e}")))?,
    )?;
    let mut reading = Reading::default();
    let mut rows = 0usize;
    let mut lines = LineCounter::default();
    for record in reader.records() {
        let record = record.map_err(|e| invalid(format!("the file is not CSV: {e}")))?;
        let line = record
            .position()
            .map_or(0, |p| lines.line_of(text, p.byte() as usize));
        let cell = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("").trim();
        // Todoist writes an empty row after every task.
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        rows += 1;
        if rows > IMPORT_MAX_TODOS {
            return Err(ImportError::TooMany(format!(
                "The file has more than {IMPORT_MAX_TODOS} rows; one import takes at most \
                 {IMPORT_MAX_TODOS}."
            )));
        }
        let content = cell(Some(columns.content));
        match cell(columns.kind).to_ascii_lowercase().as_str() {
            "task" | "" => task(&mut reading, &columns, &cell, line, content, today),
            "section" => {
                reading.finish_current();
                reading.section = section_label(content);
                if reading.section.is_none() {
                    reading.adjust(
                        line,
                        format!(
                            "the section “{content}” makes no label (letters, digits, - and _): \
                             its tasks are imported without one"
                        ),
                    );
                }
            }
            "note" => note(&mut reading, line, content),
            other => reading.skip(
                line,
                format!("TYPE “{other}” is none of task, section, note"),
            ),
        }
    }
    reading.finish_current();
    Ok(reading)
}

/// The line a record starts on, from its byte offset. (The csv crate's own line number is
/// one short after a CRLF, and its offset then points at the `\n` before the record: both
/// cases count the same here.) Offsets only grow, so the counting is linear.
#[derive(Default)]
struct LineCounter {
    byte: usize,
    newlines: u64,
}

impl LineCounter {
    fn line_of(&mut self, text: &str, byte: usize) -> u64 {
        let end = (byte + 1).min(text.len());
        if end > self.byte {
            let seen = &text.as_bytes()[self.byte..end];
            self.newlines += seen.iter().filter(|&&b| b == b'\n').count() as u64;
            self.byte = end;
        }
        self.newlines + 1
    }
}

/// A `note` row: appended to the notes of the task above (a sub-task's parent's).
fn note(reading: &mut Reading, line: u64, content: &str) {
    if content.is_empty() {
        return reading.skip(line, "an empty note");
    }
    let Some(task) = reading.current.as_mut() else {
        return reading.skip(line, "a note with no task above it");
    };
    let content = one_line_ending(content);
    let notes = &mut task.todo.notes;
    let joined = if notes.is_empty() {
        content
    } else {
        format!("{notes}\n\n{content}")
    };
    if joined.chars().count() > NOTES_MAX_CHARS {
        return reading.skip(
            line,
            format!("the task's notes would pass {NOTES_MAX_CHARS} characters"),
        );
    }
    *notes = joined;
}

/// A `task` row: a new todo, or (indented under a task) a step of its checklist.
fn task<'r>(
    reading: &mut Reading,
    columns: &Columns,
    cell: &dyn Fn(Option<usize>) -> &'r str,
    line: u64,
    content: &str,
    today: Date,
) {
    let indent = match cell(columns.indent) {
        "" => 1,
        raw => raw.parse::<u32>().unwrap_or(1).max(1),
    };
    if content.is_empty() {
        if indent == 1 {
            // Its sub-tasks and notes must not land on the task before it.
            reading.finish_current();
        }
        return reading.skip(line, "a task with no CONTENT");
    }
    if indent > 1 {
        if let Some(parent) = reading.current.as_mut() {
            if parent.todo.subtasks.len() >= SUBTASKS_PER_TODO {
                return reading.skip(
                    line,
                    format!("the task above has {SUBTASKS_PER_TODO} sub-tasks, the most a checklist holds"),
                );
            }
            parent.todo.subtasks.push(ImportSubtask {
                title: content.to_owned(),
                done: false,
            });
            let dropped: Vec<&str> = [
                ("its date", cell(columns.date)),
                ("its description", cell(columns.description)),
            ]
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(what, _)| *what)
            .collect();
            if !dropped.is_empty() {
                reading.adjust(
                    line,
                    format!(
                        "a sub-task is a step of the checklist: {} not kept",
                        dropped.join(" and ")
                    ),
                );
            }
            return;
        }
        reading.adjust(line, "a sub-task with no task above it: imported as a task");
    }
    reading.finish_current();
    let label_marks: Vec<tags::Tag> = tags::find_tags(content, &[])
        .into_iter()
        .filter(|t| t.kind == tags::TagKind::Label)
        .collect();
    let mut labels: Vec<String> = Vec::new();
    for mark in &label_marks {
        if !labels.contains(&mark.value) {
            labels.push(mark.value.clone());
        }
    }
    let title = if label_marks.is_empty() {
        content.to_owned()
    } else {
        tags::without_tags(content, &label_marks)
    };
    // A title of labels only keeps its words.
    let title = if title.trim().is_empty() {
        content.to_owned()
    } else {
        title.trim().to_owned()
    };
    if let Some(section) = &reading.section
        && !labels.contains(section)
        && labels.len() < LABELS_PER_TODO
    {
        labels.push(section.clone());
    }
    let priority = match cell(columns.priority) {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(p @ 1..=4) => Some(p),
            _ => {
                reading.adjust(
                    line,
                    format!("PRIORITY “{raw}” is not 1 to 4: imported without a priority"),
                );
                None
            }
        },
    };
    let mut todo = ImportTodo {
        title,
        description: one_line_ending(cell(columns.description)),
        labels,
        priority,
        ..ImportTodo::default()
    };
    let date = cell(columns.date);
    let lang = cell(columns.date_lang);
    if !date.is_empty() {
        if !lang.is_empty() && !lang.eq_ignore_ascii_case("en") {
            reading.adjust(
                line,
                format!("the date “{date}” is in language “{lang}”; Tasko reads English dates, so it was left out"),
            );
        } else if let Some(when) = read_date(date, today) {
            todo.date_due = Some(DueDate::from_date(when.date).to_iso());
            todo.due_time = when.time;
            todo.repeat = when.repeat.map(app::wire::RepeatInput::Text);
        } else {
            reading.adjust(
                line,
                format!("the date “{date}” was not understood: imported without a due date"),
            );
        }
    }
    let deadline = cell(columns.deadline);
    if !deadline.is_empty() {
        reading.adjust(
            line,
            format!("the deadline “{deadline}” is not kept (a todo has one due date)"),
        );
    }
    reading.current = Some(Pending { line, todo });
}

/// Text with Windows line ends (inside quotes, a CSV keeps them) as plain `\n`.
fn one_line_ending(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// A section's name as a label: lower case, runs of other characters as one `-`.
fn section_label(name: &str) -> Option<String> {
    let mut label = String::new();
    for c in name.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '_' {
            label.push(c);
        } else if !label.ends_with('-') {
            label.push('-');
        }
    }
    let label: String = label
        .trim_matches('-')
        .chars()
        .take(tags::LABEL_MAX_CHARS)
        .collect();
    let label = label.trim_end_matches('-').to_owned();
    tags::is_label(&label).then_some(label)
}

/// A DATE cell understood.
#[derive(Debug, PartialEq, Eq)]
struct When {
    date: Date,
    /// `HH:MM`.
    time: Option<String>,
    /// The repeat rule's words ("every monday"): the API reads them into an RRULE.
    repeat: Option<String>,
}

/// Reads a DATE cell ("tomorrow", "Dec 3 5pm", "every monday at 9am", "2026-12-03") with
/// quick add's reading of a line: all of it must be date, time or rule. A rule with no date
/// starts on its first date from today; a time alone is today's.
fn read_date(text: &str, today: Date) -> Option<When> {
    // Quick add keeps at least one word as the title: give it one.
    let line = format!("x {text}");
    let read = QuickAdd::read(&line, today).ok()?;
    if read.title != "x" || !read.tags.is_empty() {
        return None;
    }
    let repeat = read.repeat.map(|(_, words)| words);
    let date = match (read.date_due, &repeat) {
        (Some(date), _) => date,
        (None, Some(words)) => ParsedRepeat::parse(words).ok()?.rule.first_from(today)?,
        (None, None) if read.time.is_some() => today,
        (None, None) => return None,
    };
    Some(When {
        date,
        time: read.time.map(|(t, _)| app::words::times::to_hhmm(t)),
        repeat,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const TODAY: Date = date(2026, 12, 2); // a Wednesday

    #[test]
    fn dates_times_and_rules_are_read_as_quick_add_reads_them() {
        let when = |t| read_date(t, TODAY);
        assert_eq!(when("tomorrow").unwrap().date, date(2026, 12, 3));
        let dec3 = when("Dec 3 5pm").unwrap();
        assert_eq!(
            (dec3.date, dec3.time.as_deref()),
            (date(2026, 12, 3), Some("17:00"))
        );
        let monday = when("every monday").unwrap();
        assert_eq!(monday.date, date(2026, 12, 7));
        assert_eq!(monday.repeat.as_deref(), Some("every monday"));
        assert_eq!(when("2027-01-15").unwrap().date, date(2027, 1, 15));
        assert_eq!(when("at 9am").unwrap().date, TODAY);
        assert_eq!(when("whenever I feel like it"), None);
        assert_eq!(when("@label"), None);
    }

    #[test]
    fn rows_are_numbered_by_the_line_they_start_on_with_lf_or_crlf() {
        for text in [
            "CONTENT\nA\n\"two\nlines\"\nB\n",
            "CONTENT\r\nA\r\n\"two\r\nlines\"\r\nB\r\n",
        ] {
            let reading = read(text, TODAY).unwrap();
            let lines: Vec<u64> = reading.done.iter().map(|t| t.line).collect();
            assert_eq!(lines, [2, 3, 5], "{text:?}");
        }
    }

    #[test]
    fn sub_tasks_of_a_skipped_task_do_not_join_the_task_before_it() {
        let text = "TYPE,CONTENT,INDENT\ntask,First,1\ntask,,1\ntask,Orphan step,2\n";
        let reading = read(text, TODAY).unwrap();
        let titles: Vec<&str> = reading.done.iter().map(|t| t.todo.title.as_str()).collect();
        assert_eq!(titles, ["First", "Orphan step"]);
        assert!(reading.done[0].todo.subtasks.is_empty());
        let lines: Vec<u64> = reading.skipped.iter().map(|n| n.line).collect();
        assert_eq!(lines, [3]);
        assert_eq!(reading.adjusted[0].line, 4);
    }

    #[test]
    fn sections_become_labels_when_they_can() {
        assert_eq!(section_label("Next week!").as_deref(), Some("next-week"));
        assert_eq!(section_label("Groceries 🛒").as_deref(), Some("groceries"));
        assert_eq!(section_label("🛒"), None);
    }
}
