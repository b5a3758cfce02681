//! Typed tool calls. A model (or an action-group event) names a tool and fills string
//! parameters; [`ToolCall::parse`] turns them into one of these once, with the schema's
//! names, so execution works on checked values and the LocalAgent builds calls without
//! writing a tool or parameter name.

use std::collections::BTreeMap;

use super::{reminders::ReminderEdit, schema::Tool};
use app::todo_views::SearchMarks;

use crate::domain::{
    DueDate, FileId, InvalidInput, Label, Priority, SearchWords, StatusFilter, TodoId, TodoQuery,
};

/// One call of one tool, its parameters parsed. Text fields stay text: the todo service
/// parses them (with the same messages as the HTTP API).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ToolCall {
    /// `list` is a name or id, resolved against the user's lists when the call runs.
    GetTodos {
        query: TodoQuery,
        list: Option<String>,
    },
    GetTodo {
        todo: TodoId,
    },
    AddTodo {
        title: String,
        description: Option<String>,
        date_due: Option<String>,
        /// A list's name or id, resolved when the call runs (the Inbox if absent).
        list: Option<String>,
        /// Quick-add marks (`p1 @phone every monday at 9am #home`), read when the call runs
        /// (relative to the user's today) by the words layer the browser's quick add uses.
        details: Option<String>,
    },
    UpdateTodo {
        todo: TodoId,
        title: Option<String>,
        description: Option<String>,
        /// `Some(None)` removes the due date.
        date_due: Option<Option<String>>,
        /// Moves the todo to this list (a name or id, resolved when the call runs).
        list: Option<String>,
    },
    AddTodoNotes {
        todo: TodoId,
        notes: String,
    },
    CompleteTodo {
        todo: TodoId,
    },
    ReopenTodo {
        todo: TodoId,
    },
    DeleteTodo {
        todo: TodoId,
    },
    ListTodoFiles {
        todo: TodoId,
    },
    AddTodoFile {
        todo: TodoId,
        file: FileId,
    },
    DeleteTodoFile {
        todo: TodoId,
        file: FileId,
    },
    ListLists,
    /// The name stays text: the list service parses it (same messages as the HTTP API).
    CreateList {
        name: String,
    },
    /// Titles stay text: the todo service parses them as the checklist's.
    AddSubtasks {
        todo: TodoId,
        steps: Vec<String>,
    },
    SetSubtaskDone {
        todo: TodoId,
        subtask: SubtaskRef,
        done: bool,
    },
    /// Only the fields given change; `Some(None)` removes the time or stops repeating.
    SetTodoDetails {
        todo: TodoId,
        priority: Option<Priority>,
        labels: Option<LabelEdit>,
        due_time: Option<Option<String>>,
        /// Words or an RRULE: the todo service parses it (the same messages as the API).
        repeat: Option<Option<String>>,
    },
    /// The reminders' words are read when the call runs (against the user's today and
    /// time zone).
    SetReminders {
        todo: TodoId,
        reminders: ReminderEdit,
    },
    /// Many changes proposed as one plan card; each item is checked when proposed
    /// (`tools::proposals`), so one that does not parse is dropped, not the whole plan.
    ProposePlan {
        summary: String,
        items: Vec<ProposedCall>,
    },
}

/// One change of a `proposePlan` call as a model writes it: a tool, its parameters as
/// strings, and the sentence the card shows.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct ProposedCall {
    pub tool: String,
    #[serde(default, deserialize_with = "string_values")]
    pub arguments: BTreeMap<String, String>,
    #[serde(default)]
    pub text: String,
}

/// Parameters as strings whatever JSON a model wrote them as (numbers, booleans); null is
/// absent.
fn string_values<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, String>, D::Error> {
    let raw: BTreeMap<String, serde_json::Value> = serde::Deserialize::deserialize(d)?;
    Ok(raw
        .into_iter()
        .filter_map(|(k, v)| match v {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) => Some((k, s)),
            other => Some((k, other.to_string())),
        })
        .collect())
}

/// How `setTodoDetails` changes the labels: the whole set, or some added and some removed
/// (so a model need not read and rewrite the set to add one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelEdit {
    Replace(Vec<Label>),
    Adjust { add: Vec<Label>, remove: Vec<Label> },
}

impl LabelEdit {
    /// "errands, phone" (the set), "+phone, -errands" (changes), "none" (no labels).
    /// A leading `@` is dropped, as quick add writes labels.
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        if ["none", "null", "clear"].contains(&raw.trim().to_lowercase().as_str()) {
            return Ok(Self::Replace(vec![]));
        }
        let items: Vec<&str> = raw
            .split([',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        let label = |s: &str| Label::parse(s.trim_start_matches('@'));
        let signed = items.iter().filter(|s| s.starts_with(['+', '-'])).count();
        if signed == 0 {
            return Ok(Self::Replace(
                items.into_iter().map(label).collect::<Result<_, _>>()?,
            ));
        }
        if signed != items.len() {
            return Err(InvalidInput(
                "labels: either name the whole set ('errands, phone') or only changes \
                 ('+phone, -errands'), not both."
                    .into(),
            ));
        }
        let (mut add, mut remove) = (Vec::new(), Vec::new());
        for item in items {
            match item.split_at(1) {
                ("+", name) => add.push(label(name)?),
                (_, name) => remove.push(label(name)?),
            }
        }
        Ok(Self::Adjust { add, remove })
    }
}

/// `p1`..`p4` or `1`..`4` (a model writes either).
fn priority(raw: &str) -> Result<Priority, InvalidInput> {
    let digits = raw.trim().trim_start_matches(['p', 'P']);
    match digits.parse::<i64>() {
        Ok(n) => Priority::parse(n),
        Err(_) => Err(InvalidInput(format!(
            "priority must be 1, 2, 3 or 4 (1 is the highest, 4 means none); '{}' is not.",
            raw.chars().take(20).collect::<String>()
        ))),
    }
}

/// "none" (any case) and its synonyms: the field is to be removed.
fn removes(raw: &str) -> bool {
    ["none", "null", "clear", "never", "no"].contains(&raw.to_lowercase().as_str())
}

/// `getTodos`'s text: the search marks (`@label`, `p1`, `#list`) read by the browser's
/// search rules ([`SearchMarks`]) and the words left; the first `#list` is the list.
fn search(query: &mut TodoQuery, raw: &str) -> Result<Option<String>, InvalidInput> {
    let marks = SearchMarks::parse(raw);
    query.text = SearchWords::parse(&marks.words)?;
    query.labels = marks
        .labels
        .iter()
        .map(|l| Label::parse(l))
        .collect::<Result<_, _>>()?;
    query.priorities = marks
        .priorities
        .iter()
        .map(|p| Priority::parse(i64::from(*p)))
        .collect::<Result<_, _>>()?;
    Ok(marks.lists.into_iter().next())
}

/// A step as a model names it: its id, or its position counted from 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubtaskRef {
    Id(String),
    Position(usize),
}

/// String parameters as a model filled them in, read through the tool's spec.
struct Params<'a> {
    tool: Tool,
    raw: &'a BTreeMap<String, String>,
}

impl Params<'_> {
    /// As given, untrimmed and possibly empty ("" clears a description).
    fn untrimmed(&self, name: &str) -> Option<&String> {
        debug_assert!(
            self.tool.spec().params.iter().any(|p| p.name == name),
            "{} has no parameter {name}",
            self.tool.name()
        );
        self.raw.get(name)
    }

    /// A parameter, trimmed; blank counts as absent.
    fn get(&self, name: &str) -> Option<&str> {
        self.untrimmed(name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    fn text(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_owned)
    }

    fn required(&self, name: &str) -> String {
        self.text(name).unwrap_or_default()
    }

    fn date(&self, name: &str) -> Result<Option<DueDate>, InvalidInput> {
        self.get(name).map(DueDate::parse).transpose()
    }

    fn todo(&self) -> Result<TodoId, InvalidInput> {
        TodoId::parse(self.get("todoId").unwrap_or_default())
    }

    fn file(&self) -> Result<FileId, InvalidInput> {
        FileId::parse(self.get("fileId").unwrap_or_default())
    }
}

impl ToolCall {
    pub fn tool(&self) -> Tool {
        match self {
            Self::GetTodos { .. } => Tool::GetTodos,
            Self::GetTodo { .. } => Tool::GetTodo,
            Self::AddTodo { .. } => Tool::AddTodo,
            Self::UpdateTodo { .. } => Tool::UpdateTodo,
            Self::AddTodoNotes { .. } => Tool::AddTodoNotes,
            Self::CompleteTodo { .. } => Tool::CompleteTodo,
            Self::ReopenTodo { .. } => Tool::ReopenTodo,
            Self::DeleteTodo { .. } => Tool::DeleteTodo,
            Self::ListTodoFiles { .. } => Tool::ListTodoFiles,
            Self::AddTodoFile { .. } => Tool::AddTodoFile,
            Self::DeleteTodoFile { .. } => Tool::DeleteTodoFile,
            Self::ListLists => Tool::ListLists,
            Self::CreateList { .. } => Tool::CreateList,
            Self::AddSubtasks { .. } => Tool::AddSubtasks,
            Self::SetSubtaskDone { .. } => Tool::SetSubtaskDone,
            Self::SetTodoDetails { .. } => Tool::SetTodoDetails,
            Self::SetReminders { .. } => Tool::SetReminders,
            Self::ProposePlan { .. } => Tool::ProposePlan,
        }
    }

    /// The call a model asked for by name, or the sentence that tells it what is wrong (an
    /// unknown tool, a missing parameter, an id or date that does not parse).
    pub fn parse(name: &str, raw: &BTreeMap<String, String>) -> Result<Self, InvalidInput> {
        let tool = Tool::from_name(name)
            .ok_or_else(|| InvalidInput(format!("There is no tool called {name}.")))?;
        let params = Params { tool, raw };
        for param in tool.spec().params.iter().filter(|p| p.required) {
            if params.get(param.name).is_none() {
                return Err(InvalidInput(format!(
                    "{} needs the parameter {}.",
                    tool.name(),
                    param.name
                )));
            }
        }
        Ok(match tool {
            Tool::GetTodos => {
                let mut query = TodoQuery {
                    due_from: params.date("dueFrom")?,
                    due_to: params.date("dueTo")?,
                    status: params
                        .get("status")
                        .map(StatusFilter::parse)
                        .transpose()?
                        .unwrap_or_default(),
                    ..Default::default()
                };
                let marked = match params.get("text") {
                    Some(text) => search(&mut query, text)?,
                    None => None,
                };
                Self::GetTodos {
                    query,
                    list: params.text("list").or(marked),
                }
            }
            Tool::GetTodo => Self::GetTodo {
                todo: params.todo()?,
            },
            Tool::AddTodo => Self::AddTodo {
                title: params.required("title"),
                description: params.text("description"),
                date_due: params.text("dateDue"),
                list: params.text("list"),
                details: params.text("details"),
            },
            Tool::UpdateTodo => Self::UpdateTodo {
                todo: params.todo()?,
                title: params.text("title"),
                description: params.untrimmed("description").cloned(),
                date_due: params
                    .get("dateDue")
                    .map(|d| match d.to_lowercase().as_str() {
                        "none" | "null" | "clear" => None,
                        _ => Some(d.to_owned()),
                    }),
                list: params.text("list"),
            },
            Tool::AddTodoNotes => Self::AddTodoNotes {
                todo: params.todo()?,
                notes: params.required("notes"),
            },
            Tool::CompleteTodo => Self::CompleteTodo {
                todo: params.todo()?,
            },
            Tool::ReopenTodo => Self::ReopenTodo {
                todo: params.todo()?,
            },
            Tool::DeleteTodo => Self::DeleteTodo {
                todo: params.todo()?,
            },
            Tool::ListTodoFiles => Self::ListTodoFiles {
                todo: params.todo()?,
            },
            Tool::AddTodoFile => Self::AddTodoFile {
                todo: params.todo()?,
                file: params.file()?,
            },
            Tool::DeleteTodoFile => Self::DeleteTodoFile {
                todo: params.todo()?,
                file: params.file()?,
            },
            Tool::ListLists => Self::ListLists,
            Tool::CreateList => Self::CreateList {
                name: params.required("name"),
            },
            Tool::AddSubtasks => Self::AddSubtasks {
                todo: params.todo()?,
                steps: params
                    .required("steps")
                    .split(['\n', ';'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
            },
            Tool::SetSubtaskDone => {
                let subtask = params.required("subtask");
                Self::SetSubtaskDone {
                    todo: params.todo()?,
                    subtask: match subtask.parse::<usize>() {
                        Ok(0) => {
                            return Err(InvalidInput(
                                "subtask: positions start at 1 for the first step.".into(),
                            ));
                        }
                        Ok(n) => SubtaskRef::Position(n),
                        Err(_) => SubtaskRef::Id(subtask),
                    },
                    done: match params.get("done").map(str::to_lowercase).as_deref() {
                        None | Some("true" | "yes") => true,
                        Some("false" | "no") => false,
                        Some(_) => {
                            return Err(InvalidInput("done must be true or false.".into()));
                        }
                    },
                }
            }
            Tool::SetTodoDetails => {
                let cleared = |name| {
                    params
                        .get(name)
                        .map(|v| (!removes(v)).then(|| v.to_owned()))
                };
                let call = Self::SetTodoDetails {
                    todo: params.todo()?,
                    priority: params.get("priority").map(priority).transpose()?,
                    labels: params.get("labels").map(LabelEdit::parse).transpose()?,
                    due_time: cleared("dueTime"),
                    repeat: cleared("repeat"),
                };
                if let Self::SetTodoDetails {
                    priority: None,
                    labels: None,
                    due_time: None,
                    repeat: None,
                    ..
                } = call
                {
                    return Err(InvalidInput(
                        "setTodoDetails needs at least one of priority, labels, dueTime or \
                         repeat."
                            .into(),
                    ));
                }
                call
            }
            Tool::SetReminders => Self::SetReminders {
                todo: params.todo()?,
                reminders: ReminderEdit::parse(&params.required("reminders"))?,
            },
            Tool::ProposePlan => {
                // A model may send the array itself or the array as a string.
                let raw = params.required("items");
                let items: Vec<ProposedCall> = serde_json::from_str(&raw).map_err(|e| {
                    InvalidInput(format!(
                        "items must be a JSON array of {{\"tool\", \"arguments\", \"text\"}} \
                         objects ({e})."
                    ))
                })?;
                if items.is_empty() {
                    return Err(InvalidInput("items: propose at least one change.".into()));
                }
                Self::ProposePlan {
                    summary: params.required("summary"),
                    items,
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn every_tool_parses_from_its_spec_parameters() {
        let (todo, file) = (TodoId::new().to_string(), FileId::new().to_string());
        for tool in Tool::ALL {
            let filled: Vec<(&str, &str)> = tool
                .spec()
                .params
                .iter()
                .map(|p| {
                    let value = match p.name {
                        "todoId" => todo.as_str(),
                        "fileId" => file.as_str(),
                        "dueFrom" | "dueTo" | "dateDue" => "2026-03-05",
                        "status" => "open",
                        "subtask" => "1",
                        "done" => "true",
                        "priority" => "2",
                        "reminders" => "1h before",
                        "items" => r#"[{"tool": "completeTodo", "arguments": {"todoId": "x"}}]"#,
                        _ => "text",
                    };
                    (p.name, value)
                })
                .collect();
            let call = ToolCall::parse(tool.name(), &raw(&filled)).unwrap();
            assert_eq!(call.tool(), tool);
        }
    }

    #[test]
    fn a_missing_parameter_or_a_bad_value_is_refused_with_a_sentence() {
        let refused =
            |name, pairs: &[(&str, &str)]| ToolCall::parse(name, &raw(pairs)).unwrap_err().0;
        assert_eq!(
            refused("getTodo", &[]),
            "getTodo needs the parameter todoId."
        );
        assert_eq!(
            refused("getTodo", &[("todoId", "42")]),
            "'42' is not a todo id."
        );
        assert_eq!(refused("nope", &[]), "There is no tool called nope.");
        assert_eq!(
            refused("getTodos", &[("status", "later")]),
            "status must be all, open, completed or overdue."
        );
        let todo = TodoId::new().to_string();
        assert_eq!(
            refused("addTodoFile", &[("todoId", &todo), ("fileId", "x")]),
            "'x' is not a file id."
        );
    }

    #[test]
    fn a_due_date_of_none_clears_it() {
        let todo = TodoId::new();
        let call = ToolCall::parse(
            "updateTodo",
            &raw(&[("todoId", &todo.to_string()), ("dateDue", "none")]),
        )
        .unwrap();
        assert!(matches!(
            call,
            ToolCall::UpdateTodo {
                date_due: Some(None),
                ..
            }
        ));
    }

    #[test]
    fn set_todo_details_reads_priority_labels_time_and_rule() {
        let todo = TodoId::new().to_string();
        let call = |pairs: &[(&str, &str)]| {
            let mut all = vec![("todoId", todo.as_str())];
            all.extend_from_slice(pairs);
            ToolCall::parse("setTodoDetails", &raw(&all))
        };
        let label = |s: &str| Label::parse(s).unwrap();
        let Ok(ToolCall::SetTodoDetails {
            priority,
            labels,
            due_time,
            repeat,
            ..
        }) = call(&[
            ("priority", "p1"),
            ("labels", "@Errands, phone"),
            ("dueTime", "none"),
            ("repeat", "every monday"),
        ])
        else {
            panic!("parses")
        };
        assert_eq!(priority, Some(Priority::parse(1).unwrap()));
        assert_eq!(
            labels,
            Some(LabelEdit::Replace(vec![label("errands"), label("phone")]))
        );
        assert_eq!(due_time, Some(None));
        assert_eq!(repeat, Some(Some("every monday".into())));
        let Ok(ToolCall::SetTodoDetails { labels, repeat, .. }) =
            call(&[("labels", "+phone -errands"), ("repeat", "None")])
        else {
            panic!("parses")
        };
        assert_eq!(
            labels,
            Some(LabelEdit::Adjust {
                add: vec![label("phone")],
                remove: vec![label("errands")]
            })
        );
        assert_eq!(repeat, Some(None));
        let refused = |pairs: &[(&str, &str)]| call(pairs).unwrap_err().0;
        assert_eq!(
            refused(&[]),
            "setTodoDetails needs at least one of priority, labels, dueTime or repeat."
        );
        assert!(refused(&[("priority", "5")]).starts_with("priority must be 1, 2, 3 or 4"));
        assert!(refused(&[("priority", "urgent")]).contains("'urgent' is not"));
        assert!(refused(&[("labels", "+phone, errands")]).starts_with("labels: either"));
    }

    #[test]
    fn the_search_text_reads_label_priority_and_list_marks() {
        let call =
            ToolCall::parse("getTodos", &raw(&[("text", "p1 call @phone #Work bank")])).unwrap();
        let ToolCall::GetTodos { query, list } = call else {
            panic!("getTodos")
        };
        assert_eq!(query.labels, vec![Label::parse("phone").unwrap()]);
        assert_eq!(query.priorities, vec![Priority::parse(1).unwrap()]);
        assert_eq!(list.as_deref(), Some("work"));
        assert_eq!(
            query.text.as_ref().map(|t| t.words().to_vec()),
            Some(vec!["call".to_owned(), "bank".to_owned()])
        );
        // A list named as the parameter wins over a mark.
        let call = ToolCall::parse("getTodos", &raw(&[("text", "#work"), ("list", "Home")]));
        assert!(
            matches!(call, Ok(ToolCall::GetTodos { list: Some(l), query }) if l == "Home" && query.text.is_none())
        );
    }
}
