//! A plan's types: its steps, how tool outcomes become a reply (`Then`, rendered by
//! `after`), and what the turn leaves as the last command.

use jiff::civil::Date;

use crate::domain::{
    ChangeId, FileId, TodoId,
    dialogue::{Command, Detail},
};
use crate::tools::{ToolCall, proposals::Draft};

/// One step of a plan.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Say(String),
    /// Tool calls, then the reply their outcomes make.
    Run {
        calls: Vec<ToolCall>,
        then: Then,
    },
    Confirm {
        action_id: String,
        prompt: String,
    },
    /// Take back the conversation's most recent change.
    Undo,
    /// Take back these changes quietly (a correction of which todo was meant).
    Retract(Vec<ChangeId>),
    /// Propose many changes as one plan card; nothing changes until the user applies it.
    Propose {
        summary: String,
        drafts: Vec<Draft>,
    },
}

/// How the outcomes of a `Run` become a reply.
#[derive(Debug, Clone, PartialEq)]
pub enum Then {
    Listed {
        phrase: String,
        filtered: bool,
    },
    Counted {
        phrase: String,
    },
    Shown,
    Asked(Detail),
    Added {
        due: Option<Date>,
        /// The list it was added to (its name), when not the Inbox.
        list: Option<String>,
        /// A sentence after the reply (a `#mark` that names none of the user's lists).
        note: Option<String>,
    },
    Renamed {
        old: String,
    },
    DueSet {
        title: String,
        due: Option<Date>,
    },
    Described {
        title: String,
    },
    Noted {
        title: String,
    },
    Marked {
        completed: bool,
        titles: Vec<String>,
        already: Vec<String>,
    },
    Shifted {
        title: String,
        from: Date,
        to: Date,
        days: i64,
    },
    Deleted {
        todos: Vec<TodoId>,
    },
    Attached {
        title: String,
        todo: TodoId,
        files: Vec<FileId>,
    },
    FilesListed {
        title: String,
    },
    FileToDelete {
        name: String,
    },
    /// The open todos read: those with reminders, and their reminders.
    Reminders,
    /// One sentence per call, said when it succeeds (an empty one says nothing); a refusal
    /// is said with the todo's title.
    Changed {
        titles: Vec<String>,
        lines: Vec<String>,
    },
}

/// What the turn leaves as the last command.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// This command, with the changes the turn makes.
    Command(Command),
    /// The turn's changes belong to the last command (a confirmed delete).
    Extend,
    Clear,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub steps: Vec<Step>,
    pub record: Record,
}
