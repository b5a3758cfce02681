//! The one definition of the tool schema. The LocalAgent calls these names; the Bedrock
//! return-control path, the action-group Lambda and the FunctionSchema in infra/ are checked
//! against this table.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    String,
    Boolean,
}

#[derive(Debug, Clone, Copy)]
pub struct ParamSpec {
    pub name: &'static str,
    pub kind: ParamKind,
    pub required: bool,
    pub description: &'static str,
}

#[derive(Debug, Clone, Copy)]
pub struct ToolSpec {
    pub name: &'static str,
    pub description: &'static str,
    pub params: &'static [ParamSpec],
}

const fn p(name: &'static str, required: bool, description: &'static str) -> ParamSpec {
    ParamSpec {
        name,
        kind: ParamKind::String,
        required,
        description,
    }
}

const TODO_ID: ParamSpec = p("todoId", true, "The id of the todo (from getTodos).");

pub const TOOLS: &[ToolSpec] = &[
    ToolSpec {
        name: "getTodos",
        description: "List the user's todos, optionally filtered.",
        params: &[
            p(
                "status",
                false,
                "all (default), open, completed or overdue.",
            ),
            p(
                "dueFrom",
                false,
                "Only todos due on or after this date (YYYY-MM-DD).",
            ),
            p(
                "dueTo",
                false,
                "Only todos due on or before this date (YYYY-MM-DD).",
            ),
            p(
                "text",
                false,
                "Only todos whose title, description or notes contain this text.",
            ),
        ],
    },
    ToolSpec {
        name: "getTodo",
        description: "Get one todo with its description and notes.",
        params: &[TODO_ID],
    },
    ToolSpec {
        name: "addTodo",
        description: "Create a todo.",
        params: &[
            p("title", true, "Short title, 1 to 200 characters."),
            p("description", false, "Longer description."),
            p("dateDue", false, "Due date, YYYY-MM-DD."),
        ],
    },
    ToolSpec {
        name: "updateTodo",
        description: "Change a todo's title, description or due date.",
        params: &[
            TODO_ID,
            p("title", false, "New title."),
            p("description", false, "New description."),
            p(
                "dateDue",
                false,
                "New due date, YYYY-MM-DD, or 'none' to remove it.",
            ),
        ],
    },
    ToolSpec {
        name: "addTodoNotes",
        description: "Append notes to a todo.",
        params: &[
            TODO_ID,
            p("notes", true, "Text to append to the todo's notes."),
        ],
    },
    ToolSpec {
        name: "completeTodo",
        description: "Mark a todo as completed.",
        params: &[TODO_ID],
    },
    ToolSpec {
        name: "reopenTodo",
        description: "Mark a completed todo as open again.",
        params: &[TODO_ID],
    },
    ToolSpec {
        name: "deleteTodo",
        description: "Delete a todo. Destructive: the user must confirm first.",
        params: &[TODO_ID],
    },
    ToolSpec {
        name: "listTodoFiles",
        description: "List the files attached to a todo.",
        params: &[TODO_ID],
    },
    ToolSpec {
        name: "addTodoFile",
        description: "Attach a file the user uploaded to a todo.",
        params: &[TODO_ID, p("fileId", true, "The id of the uploaded file.")],
    },
    ToolSpec {
        name: "deleteTodoFile",
        description: "Remove a file from a todo.",
        params: &[TODO_ID, p("fileId", true, "The id of the attached file.")],
    },
];

pub fn find(name: &str) -> Option<&'static ToolSpec> {
    TOOLS.iter().find(|t| t.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_tool_takes_an_identity_parameter() {
        for tool in TOOLS {
            for param in tool.params {
                let name = param.name.to_lowercase();
                assert!(
                    !["userid", "user", "owner", "email", "username"].contains(&name.as_str()),
                    "{} has identity parameter {}",
                    tool.name,
                    param.name
                );
            }
        }
    }

    #[test]
    fn the_seed_functions_and_the_new_ones_are_all_defined_once() {
        let names: Vec<_> = TOOLS.iter().map(|t| t.name).collect();
        for expected in [
            "getTodos",
            "getTodo",
            "addTodo",
            "updateTodo",
            "addTodoNotes",
            "completeTodo",
            "reopenTodo",
            "deleteTodo",
            "listTodoFiles",
            "addTodoFile",
            "deleteTodoFile",
        ] {
            assert_eq!(
                names.iter().filter(|n| **n == expected).count(),
                1,
                "{expected}"
            );
        }
        assert_eq!(names.len(), 11);
    }
}
