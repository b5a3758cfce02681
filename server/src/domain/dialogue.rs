//! The LocalAgent's dialogue, typed: the one command shape every sentence is read into
//! ([`Command`]: a verb, the todos it is about, its arguments), and what the agent remembers
//! between turns ([`LocalMemory`]: the last list, what "it" means, the question it waits an
//! answer to, the last command and the changes it made). Stored with the chat session inside
//! `AgentMemory`; every field has a default so older saved sessions still load.

use app::words::lexicon::State;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::ids::{ChangeId, FileId, TodoId};

/// What a command does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verb {
    List,
    /// "how many todos are overdue?"
    Count,
    Show,
    Add,
    Rename,
    /// Set the due date (`args.due`), or clear it (`None`).
    SetDue,
    /// Move the due date by `args.days`.
    ShiftDue,
    SetDescription,
    AddNote,
    Complete,
    Reopen,
    Delete,
    Undo,
    /// A question about one detail of one todo.
    Ask(Detail),
    ListFiles,
    AttachFile,
    DeleteFile,
    /// Move the todos to the list named `args.list`.
    MoveToList,
    /// Set `args.priority`, or move it by `args.priority_change` (+1 lower, -1 higher).
    SetPriority,
    /// Repeat by `args.repeat` (words), or stop repeating (`None`).
    SetRepeat,
    /// Append `args.steps` to the checklist.
    AddSteps,
    /// Check (or, with `args.uncheck`, uncheck) the step `args.step`.
    CheckStep,
    /// Change the labels: `args.labels` in `setTodoDetails`' form ("+x", "-x").
    SetLabels,
    /// Set the time of day `args.time` (HH:MM).
    SetTime,
    /// Add the reminder `args.reminder` (a quick-add mark such as "!60m"); without one, the
    /// last command's reminder ("remind me about that one too") or one at the due time.
    SetReminders,
    /// Remove every reminder of the todos.
    ClearReminders,
    /// "what reminders do I have?"
    ListReminders,
}

/// What a question asks about one todo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Detail {
    Due,
    Done,
    Notes,
    Description,
}

/// Words that point at todos, unresolved (resolution needs the user's todos and memory).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reference {
    /// "it", "that one" (false) or "them", "those" (true).
    Pronoun {
        plural: bool,
    },
    /// "the second one" (1-based); 0 means "the last one".
    Position(usize),
    /// "the first two".
    FirstN(usize),
    All,
    /// "all completed", "the done ones".
    AllCompleted,
    /// Words that should match a title ("the one about ansible"); "X and Y" may name two.
    Text(String),
    /// Exact todos, once the user has chosen among candidates.
    Ids(Vec<TodoId>),
}

/// Which todos a listing asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListQuery {
    pub state: Option<State>,
    pub due_from: Option<Date>,
    pub due_to: Option<Date>,
    pub text: Option<String>,
    /// The date or text part as the user put it ("due this week", "matching “x”"), markdown.
    pub label: String,
    /// A list the words name ("on my groceries list", "in #work", "in work"); boxed, as
    /// most listings name none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list: Option<Box<ListName>>,
}

/// A list as a sentence names it, before it is matched with the user's lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListName {
    pub name: String,
    /// Said as a list ("#work", "the work list"): an unknown name is answered with the
    /// user's lists. Otherwise ("what's left in work?") an unknown name is just words.
    pub explicit: bool,
}

/// A step of a checklist as a sentence names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepPick {
    /// From 1; 0 is the last step.
    Position(usize),
    /// Words of its title ("mark 'buy paint' as done").
    Title(String),
}

/// A command's arguments; each verb reads the ones it needs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Args {
    /// The title (add, rename), the description, the note, or the file name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// An added todo's description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The due date (add, set due; `None` with `SetDue` clears it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Date>,
    /// Days to move a due date by (negative: earlier).
    #[serde(default)]
    pub days: i64,
    #[serde(default)]
    pub query: ListQuery,
    /// The organizing verbs' arguments (boxed: most commands have none).
    #[serde(default, flatten)]
    pub fields: Box<FieldArgs>,
}

/// The arguments of the organizing verbs (lists, priority, repeat, steps, labels, times).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldArgs {
    /// A list's name (move to a list, add to a list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list: Option<ListName>,
    /// 1 (highest) to 4 (none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<u8>,
    /// "lower the priority": +1; "raise it": -1.
    #[serde(default)]
    pub priority_change: i8,
    /// A repeat rule in words ("every Monday"); `None` with `SetRepeat` stops repeating.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat: Option<String>,
    /// Steps to add, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<StepPick>,
    /// `CheckStep` unchecks.
    #[serde(default)]
    pub uncheck: bool,
    /// An added todo's quick-add marks (p1, @label, "at 5pm", "every monday"), as typed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    /// Labels to change, in `setTodoDetails`' form ("+errands", "-phone").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<String>,
    /// A time of day, HH:MM.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// A reminder as quick add's mark ("!60m", "!due", "!2026-11-26 09:00").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder: Option<String>,
}

/// One instruction: the shape every sentence is read into. A correction replaces one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Command {
    pub verb: Verb,
    pub target: Option<Reference>,
    #[serde(default)]
    pub args: Args,
}

impl Command {
    pub fn new(verb: Verb, target: Option<Reference>) -> Self {
        Self {
            verb,
            target,
            args: Args::default(),
        }
    }

    pub fn with(mut self, change: impl FnOnce(&mut Args)) -> Self {
        change(&mut self.args);
        self
    }
}

/// A destructive action waiting for the user's confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingAction {
    pub action_id: String,
    pub prompt: String,
    /// Todos to delete once confirmed.
    pub delete: Vec<TodoId>,
    /// Files to delete once confirmed.
    #[serde(default)]
    pub delete_files: Vec<PendingFileDelete>,
}

/// A file to remove from a todo once the user confirms. (Sessions saved before this type
/// existed hold `[todo, file]` pairs; serde reads a struct from such a sequence too.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingFileDelete {
    pub todo: TodoId,
    pub file: FileId,
}

/// The question the agent asked and waits an answer to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Awaiting {
    /// "Which one do you mean?": the command, to run on the todo chosen.
    Choice(Command),
    /// "Delete X?": yes or no (a button or typed).
    Confirm(PendingAction),
}

/// The last command and the changes it made: what "no, I meant the other one" takes back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastAction {
    pub command: Command,
    #[serde(default)]
    pub changes: Vec<ChangeId>,
}

/// What the LocalAgent remembers between turns.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalMemory {
    /// The todos of the last list shown, in order ("the second one").
    #[serde(default)]
    pub last_list: Vec<TodoId>,
    /// The todos the conversation is about ("it", "that one", "them").
    #[serde(default)]
    pub last_referenced: Vec<TodoId>,
    /// Files the user dropped into this chat that are not attached yet, newest last: what
    /// "attach this" and "attach it" mean.
    #[serde(default)]
    pub chat_files: Vec<FileId>,
    /// The question waiting for an answer. (A new key: the untyped `pending` and
    /// `awaiting_choice` of older sessions are not read back.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub awaiting: Option<Awaiting>,
    /// The last command and its changes (a new key for the same reason).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_command: Option<LastAction>,
}

impl LocalMemory {
    /// The confirmation waiting, if that is what the agent waits for.
    pub fn pending(&self) -> Option<&PendingAction> {
        match &self.awaiting {
            Some(Awaiting::Confirm(p)) => Some(p),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pending_file_delete_reads_the_older_pair_form() {
        let (todo, file) = (TodoId::new(), FileId::new());
        let pair: PendingFileDelete =
            serde_json::from_value(serde_json::json!([todo, file])).unwrap();
        assert_eq!(pair, PendingFileDelete { todo, file });
    }
}
