//! `POST /api/import`'s answer: what an export document or a Todoist CSV brought in, and the
//! CSV rows left out, in words the settings panel shows as they are.

use serde::{Deserialize, Serialize};

/// What was imported.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Imported {
    /// Lists created (lists merged into one of the same name are not counted).
    pub lists: usize,
    pub todos: usize,
    /// The list a Todoist CSV went into (its name, made unique); absent for a document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list: Option<String>,
    /// CSV rows not imported, each with its line and why (a document is taken whole or
    /// refused, so it never has any).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<RowNote>,
    /// CSV rows imported with something left out (a date not understood, a deadline).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adjusted: Vec<RowNote>,
}

/// One line of an imported file and what happened to it, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowNote {
    pub line: u64,
    pub reason: String,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl Imported {
    /// The answer in plain words: what came in, then each row left out or changed.
    pub fn summary(&self) -> Vec<String> {
        let todos = plural(self.todos, "todo", "todos");
        let mut lines = vec![match (&self.list, self.lists) {
            (Some(list), _) => format!("Imported {todos} into the new list “{list}”."),
            (None, 0) => format!("Imported {todos}."),
            (None, n) => format!(
                "Imported {todos} and {}.",
                plural(n, "new list", "new lists")
            ),
        }];
        for (notes, what) in [
            (&self.skipped, "not imported"),
            (&self.adjusted, "imported with changes"),
        ] {
            if notes.is_empty() {
                continue;
            }
            let rows = plural(notes.len(), "row was", "rows were");
            lines.push(format!("{rows} {what}:"));
            lines.extend(
                notes
                    .iter()
                    .map(|n| format!("Line {}: {}.", n.line, n.reason)),
            );
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_says_what_came_in_and_each_row_left_out() {
        let document = Imported {
            lists: 2,
            todos: 3,
            ..Imported::default()
        };
        assert_eq!(document.summary(), ["Imported 3 todos and 2 new lists."]);
        let csv = Imported {
            lists: 1,
            todos: 1,
            list: Some("Todoist import".into()),
            skipped: vec![RowNote {
                line: 2,
                reason: "a note with no task above it".into(),
            }],
            adjusted: vec![RowNote {
                line: 5,
                reason: "the deadline “Dec 24” is not kept".into(),
            }],
        };
        assert_eq!(
            csv.summary(),
            [
                "Imported 1 todo into the new list “Todoist import”.",
                "1 row was not imported:",
                "Line 2: a note with no task above it.",
                "1 row was imported with changes:",
                "Line 5: the deadline “Dec 24” is not kept.",
            ]
        );
    }
}
