//! The rows of a Todoist CSV read into import todos: the columns found by name, each row
//! by its TYPE (a task, a sub-task joining the task above, a section's label, a note), the
//! DATE read by quick add's `app::words`, and every row left out or changed noted with the
//! line it starts on. Nothing here touches the store.

use app::words::{quick_add::QuickAdd, tags};
use jiff::civil::Date;

use crate::{
    domain::{
        DueDate, label::LABELS_PER_TODO, repeat::ParsedRepeat, subtask::SUBTASKS_PER_TODO,
        todo::NOTES_MAX_CHARS,
    },
    todos::transfer::{IMPORT_MAX_TODOS, ImportError, ImportSubtask, ImportTodo, RowNote},
};

/// The columns read, by their header.
#[derive(Default)]
pub(super) struct Columns {
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

pub(super) fn invalid(problem: String) -> ImportError {
    ImportError::Invalid(vec![problem])
}

/// One task being built: the todo, and the line it started on.
pub(super) struct Pending {
    pub(super) line: u64,
    pub(super) todo: ImportTodo,
}

/// What the rows have made so far.
#[derive(Default)]
pub(super) struct Reading {
    pub(super) done: Vec<Pending>,
    current: Option<Pending>,
    /// The label of the section the rows are in.
    section: Option<String>,
    pub(super) skipped: Vec<RowNote>,
    pub(super) adjusted: Vec<RowNote>,
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

/// The rows, read into todos (not yet checked) and the rows skipped or adjusted.
pub(super) fn read(text: &str, today: Date) -> Result<Reading, ImportError> {
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
pub(super) fn section_label(name: &str) -> Option<String> {
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
pub(super) struct When {
    pub(super) date: Date,
    /// `HH:MM`.
    pub(super) time: Option<String>,
    /// The repeat rule's words ("every monday"): the API reads them into an RRULE.
    pub(super) repeat: Option<String>,
}

/// Reads a DATE cell ("tomorrow", "Dec 3 5pm", "every monday at 9am", "2026-12-03") with
/// quick add's reading of a line: all of it must be date, time or rule. A rule with no date
/// starts on its first date from today; a time alone is today's.
pub(super) fn read_date(text: &str, today: Date) -> Option<When> {
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
