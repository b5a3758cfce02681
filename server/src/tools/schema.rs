//! The one definition of the tool schema: [`Tool`] names every tool, and [`Tool::spec`]
//! gives its name, parameters and description. The typed calls (`ToolCall`), the Bedrock
//! return-control path, the action-group Lambda, the FunctionSchema in infra/, the OpenAI
//! tools and the MCP server's tools (`http/mcp`) all come from here; no tool name is written anywhere else.

/// Every tool. Adding one is a compile error until it has a spec, a parser and a handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tool {
    GetTodos,
    GetTodo,
    AddTodo,
    UpdateTodo,
    AddTodoNotes,
    CompleteTodo,
    ReopenTodo,
    DeleteTodo,
    ListTodoFiles,
    AddTodoFile,
    DeleteTodoFile,
    ListLists,
    CreateList,
    AddSubtasks,
    SetSubtaskDone,
    SetTodoDetails,
    SetReminders,
    ProposePlan,
}

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
    pub tool: Tool,
    pub name: &'static str,
    /// A human-readable name, for clients that show tools to people (MCP's `title`).
    pub title: &'static str,
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

/// A list as a model knows it: by the name the user says or by the id listLists gave.
const LIST: ParamSpec = p(
    "list",
    false,
    "One of the user's lists, by name (any case) or id (from listLists). An unknown name is \
     refused: ask the user before createList.",
);

/// The table: one spec per tool, in the order agents are shown them.
const TOOLS: &[ToolSpec] = &[
    ToolSpec {
        tool: Tool::GetTodos,
        name: "getTodos",
        title: "List todos",
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
                "Only todos whose title, description, notes, labels or steps contain these words; \
                 the marks @label, p1 to p4 and #list filter by label, priority and list.",
            ),
            LIST,
        ],
    },
    ToolSpec {
        tool: Tool::GetTodo,
        name: "getTodo",
        title: "Show a todo",
        description: "Get one todo with its description and notes.",
        params: &[TODO_ID],
    },
    ToolSpec {
        tool: Tool::AddTodo,
        name: "addTodo",
        title: "Add a todo",
        description: "Create a todo (in the Inbox unless a list is named).",
        params: &[
            p("title", true, "Short title, 1 to 200 characters."),
            p("description", false, "Longer description."),
            p("dateDue", false, "Due date, YYYY-MM-DD."),
            LIST,
            p(
                "details",
                false,
                "Quick-add marks: p1 to p4 (priority, 1 highest), @label, a time ('at 5pm', \
                 '9:30'), a repeat rule ('every monday', 'every 2 weeks after completion'), \
                 #list, reminders ('!1h' before the due time, '!due' at it, '!tomorrow 9am'); \
                 e.g. 'p1 @phone every monday at 9am !due'.",
            ),
        ],
    },
    ToolSpec {
        tool: Tool::UpdateTodo,
        name: "updateTodo",
        title: "Edit a todo",
        description: "Change a todo's title, description or due date, or move it to another list.",
        params: &[
            TODO_ID,
            p("title", false, "New title."),
            p("description", false, "New description."),
            p(
                "dateDue",
                false,
                "New due date, YYYY-MM-DD, or 'none' to remove it.",
            ),
            LIST,
        ],
    },
    ToolSpec {
        tool: Tool::AddTodoNotes,
        name: "addTodoNotes",
        title: "Add notes to a todo",
        description: "Append notes to a todo.",
        params: &[
            TODO_ID,
            p("notes", true, "Text to append to the todo's notes."),
        ],
    },
    ToolSpec {
        tool: Tool::CompleteTodo,
        name: "completeTodo",
        title: "Complete a todo",
        description: "Mark a todo as completed.",
        params: &[TODO_ID],
    },
    ToolSpec {
        tool: Tool::ReopenTodo,
        name: "reopenTodo",
        title: "Reopen a todo",
        description: "Mark a completed todo as open again.",
        params: &[TODO_ID],
    },
    ToolSpec {
        tool: Tool::DeleteTodo,
        name: "deleteTodo",
        title: "Delete a todo",
        description: "Delete a todo. Destructive: the user must confirm first.",
        params: &[TODO_ID],
    },
    ToolSpec {
        tool: Tool::ListTodoFiles,
        name: "listTodoFiles",
        title: "List a todo's files",
        description: "List the files attached to a todo.",
        params: &[TODO_ID],
    },
    ToolSpec {
        tool: Tool::AddTodoFile,
        name: "addTodoFile",
        title: "Attach a file",
        description: "Attach a file the user uploaded to a todo.",
        params: &[TODO_ID, p("fileId", true, "The id of the uploaded file.")],
    },
    ToolSpec {
        tool: Tool::DeleteTodoFile,
        name: "deleteTodoFile",
        title: "Remove a file",
        description: "Remove a file from a todo.",
        params: &[TODO_ID, p("fileId", true, "The id of the attached file.")],
    },
    ToolSpec {
        tool: Tool::ListLists,
        name: "listLists",
        title: "List lists",
        description: "List the user's lists (the Inbox first) with their ids and open todo counts.",
        params: &[],
    },
    ToolSpec {
        tool: Tool::CreateList,
        name: "createList",
        title: "Create a list",
        description: "Create a list. Only when the user asked for a new list: never to file a \
                      todo under a name that is not one of their lists.",
        params: &[p(
            "name",
            true,
            "The list's name, 1 to 60 characters, unlike the user's other lists.",
        )],
    },
    ToolSpec {
        tool: Tool::AddSubtasks,
        name: "addSubtasks",
        title: "Add steps",
        description: "Append steps to a todo's checklist.",
        params: &[
            TODO_ID,
            p(
                "steps",
                true,
                "The steps' titles, one per line (or separated by ';'), in order.",
            ),
        ],
    },
    ToolSpec {
        tool: Tool::SetSubtaskDone,
        name: "setSubtaskDone",
        title: "Check off a step",
        description: "Check or uncheck one step of a todo's checklist.",
        params: &[
            TODO_ID,
            p(
                "subtask",
                true,
                "The step's id (from getTodo) or its position, 1 for the first.",
            ),
            p(
                "done",
                false,
                "true (default) to check it, false to uncheck it.",
            ),
        ],
    },
    ToolSpec {
        tool: Tool::SetTodoDetails,
        name: "setTodoDetails",
        title: "Set a todo's details",
        description: "Set a todo's priority, labels, time of day or repeat rule (only the \
                      ones given change).",
        params: &[
            TODO_ID,
            p("priority", false, "1 (highest) to 4 (none, the default)."),
            p(
                "labels",
                false,
                "'errands, phone' replaces the labels ('none' removes them all); '+phone' \
                 adds one and '-phone' removes one, keeping the others.",
            ),
            p(
                "dueTime",
                false,
                "Time of day, HH:MM (24-hour), on the due date; 'none' removes it.",
            ),
            p(
                "repeat",
                false,
                "A rule in words ('every monday', 'every weekday', 'every 2 weeks after \
                 completion', 'every month on the last day') or an RRULE; 'none' stops \
                 repeating.",
            ),
        ],
    },
    ToolSpec {
        tool: Tool::SetReminders,
        name: "setReminders",
        title: "Set reminders",
        description: "Set, add or remove a todo's reminders (at most 5): a push notification \
                      some time before its due date and time, at the due time, or at a \
                      moment. getTodo shows the ones it has.",
        params: &[
            TODO_ID,
            p(
                "reminders",
                true,
                "Comma-separated, in words the user's time zone reads: '30m before', '1h \
                 before', '2 days before', 'at the due time' (these need a due date), \
                 'tomorrow 9am', 'friday at 5pm', '9am' (on the due date), 'in 20 minutes', \
                 or an RFC 3339 moment. This replaces the set; '+1h before' adds one and \
                 '-at the due time' removes one, keeping the others; 'none' removes them all.",
            ),
        ],
    },
    ToolSpec {
        tool: Tool::ProposePlan,
        name: "proposePlan",
        title: "Propose a plan",
        description: "Propose many changes at once as one plan card: the user unticks what they \
                      do not want, may change dates, and applies the rest as one change they can \
                      undo. Use it for requests about many todos (sort out the overdue ones, \
                      move a day's todos, clear the completed ones, break a todo into steps) \
                      instead of making the changes yourself. Nothing changes until the user \
                      applies it.",
        params: &[
            p(
                "summary",
                true,
                "One sentence saying what the plan does, e.g. 'Spread 8 overdue todos over 3 \
                 days, at most 3 a day'.",
            ),
            p(
                "items",
                true,
                "A JSON array of at most 50 changes, each {\"tool\": addTodo, updateTodo, \
                 addTodoNotes, completeTodo, reopenTodo, deleteTodo, addSubtasks, \
                 setSubtaskDone or setTodoDetails, \"arguments\": that tool's parameters as \
                 strings, \"text\": one sentence for the user, e.g. 'Move *Call the bank* to \
                 Wed, Dec 2'}.",
            ),
        ],
    },
];

impl ToolSpec {
    /// The parameters as a JSON Schema object: the OpenAI tools' `parameters` and the MCP
    /// tools' `inputSchema` (no other parameter is accepted).
    pub fn input_schema(&self) -> serde_json::Value {
        let properties: serde_json::Map<String, serde_json::Value> = self
            .params
            .iter()
            .map(|p| {
                let kind = match p.kind {
                    ParamKind::String => "string",
                    ParamKind::Boolean => "boolean",
                };
                (
                    p.name.to_owned(),
                    serde_json::json!({"type": kind, "description": p.description}),
                )
            })
            .collect();
        let required: Vec<&str> = self
            .params
            .iter()
            .filter(|p| p.required)
            .map(|p| p.name)
            .collect();
        serde_json::json!({
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": false,
        })
    }
}

impl Tool {
    pub const ALL: [Tool; 18] = [
        Tool::GetTodos,
        Tool::GetTodo,
        Tool::AddTodo,
        Tool::UpdateTodo,
        Tool::AddTodoNotes,
        Tool::CompleteTodo,
        Tool::ReopenTodo,
        Tool::DeleteTodo,
        Tool::ListTodoFiles,
        Tool::AddTodoFile,
        Tool::DeleteTodoFile,
        Tool::ListLists,
        Tool::CreateList,
        Tool::AddSubtasks,
        Tool::SetSubtaskDone,
        Tool::SetTodoDetails,
        Tool::SetReminders,
        Tool::ProposePlan,
    ];

    pub fn spec(self) -> &'static ToolSpec {
        TOOLS
            .iter()
            .find(|spec| spec.tool == self)
            .expect("every tool has a spec (tested)")
    }

    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// The tool a model (or an action-group event) names; `None` for an unknown name.
    pub fn from_name(name: &str) -> Option<Tool> {
        Tool::ALL.into_iter().find(|tool| tool.name() == name)
    }

    /// Tools that only read: what a read-only access token may call (MCP's `readOnlyHint`).
    /// A match, so a new tool must say which it is.
    pub fn reads_only(self) -> bool {
        match self {
            Tool::GetTodos | Tool::GetTodo | Tool::ListTodoFiles | Tool::ListLists => true,
            Tool::AddTodo
            | Tool::UpdateTodo
            | Tool::AddTodoNotes
            | Tool::CompleteTodo
            | Tool::ReopenTodo
            | Tool::DeleteTodo
            | Tool::AddTodoFile
            | Tool::DeleteTodoFile
            | Tool::CreateList
            | Tool::AddSubtasks
            | Tool::SetSubtaskDone
            | Tool::SetTodoDetails
            | Tool::SetReminders
            | Tool::ProposePlan => false,
        }
    }

    /// Destructive tools: agents run them only after the user's structured confirmation
    /// (MCP's `destructiveHint`, which clients use to ask their user).
    pub fn needs_confirmation(self) -> bool {
        matches!(self, Tool::DeleteTodo | Tool::DeleteTodoFile)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_tool_takes_an_identity_parameter() {
        for tool in Tool::ALL.map(Tool::spec) {
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
        let names: Vec<_> = Tool::ALL.iter().map(|t| t.name()).collect();
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
            "listLists",
            "createList",
            "addSubtasks",
            "setSubtaskDone",
            "setTodoDetails",
            "setReminders",
            "proposePlan",
        ] {
            assert_eq!(
                names.iter().filter(|n| **n == expected).count(),
                1,
                "{expected}"
            );
        }
        assert_eq!(names.len(), 18);
    }

    /// Bedrock Agents' "Parameters per function" quota (default 5): a function with more
    /// is refused when the action group is created, so filters are folded before that.
    #[test]
    fn no_tool_has_more_parameters_than_bedrock_accepts() {
        for spec in Tool::ALL.map(Tool::spec) {
            assert!(spec.params.len() <= 5, "{} has too many", spec.name);
        }
    }

    /// Bedrock's limits on a function's texts (API `Function.description`: 1,200
    /// characters; `ParameterDetail.description`: 500).
    #[test]
    fn every_description_fits_bedrocks_limits() {
        for spec in Tool::ALL.map(Tool::spec) {
            assert!(spec.description.chars().count() <= 1200, "{}", spec.name);
            for param in spec.params {
                assert!(
                    param.description.chars().count() <= 500,
                    "{}.{}",
                    spec.name,
                    param.name
                );
            }
        }
    }

    #[test]
    fn every_tool_has_exactly_one_spec() {
        assert_eq!(TOOLS.len(), Tool::ALL.len());
        for tool in Tool::ALL {
            assert_eq!(TOOLS.iter().filter(|spec| spec.tool == tool).count(), 1);
        }
    }

    #[test]
    fn every_tool_is_found_by_its_name() {
        for tool in Tool::ALL {
            assert_eq!(Tool::from_name(tool.name()), Some(tool));
        }
        assert_eq!(Tool::from_name("dropTables"), None);
    }
}
