//! Typed tool calls. A model (or an action-group event) names a tool and fills string
//! parameters; [`ToolCall::parse`] turns them into one of these once, with the schema's
//! names, so execution works on checked values and the LocalAgent builds calls without
//! writing a tool or parameter name.

use std::collections::BTreeMap;

use super::schema::Tool;
use crate::domain::{DueDate, FileId, InvalidInput, SearchWords, StatusFilter, TodoId, TodoQuery};

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
            Tool::GetTodos => Self::GetTodos {
                query: TodoQuery {
                    due_from: params.date("dueFrom")?,
                    due_to: params.date("dueTo")?,
                    status: params
                        .get("status")
                        .map(StatusFilter::parse)
                        .transpose()?
                        .unwrap_or_default(),
                    text: params
                        .text("text")
                        .as_deref()
                        .map(SearchWords::parse)
                        .transpose()?
                        .flatten(),
                    list: None,
                    sort: Default::default(),
                    ..Default::default()
                },
                list: params.text("list"),
            },
            Tool::GetTodo => Self::GetTodo {
                todo: params.todo()?,
            },
            Tool::AddTodo => Self::AddTodo {
                title: params.required("title"),
                description: params.text("description"),
                date_due: params.text("dateDue"),
                list: params.text("list"),
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
}
