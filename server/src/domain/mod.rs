//! The bottom layer: values, ids and the records the store keeps. It imports nothing else
//! from this crate (a tidy test checks), so every other module may depend on it and it
//! can never take part in a cycle.
//!
//! - [`ids`]: `UserId` (only from a verified token), `TodoId`, `FileId`, each its own type.
//! - [`input`]: `InvalidInput`, the sentence a parse failure carries to the client.
//! - [`clock`]: the one `Clock` every service reads "now" from, and timestamps (jiff).
//! - [`todo`]: a todo and its values (`BoundedText`, `DueDate`); [`title`]: `TodoTitle`
//!   (todos' and subtasks'); [`label`], [`priority`], [`subtask`]: how a todo is organized.
//!   [`todo_list`]: a list of todos (`ListName`, `ListColor`, the Inbox).
//!   [`schedule`]: its time of day and completion days; [`repeat`]: its repeat rule (RRULE,
//!   next dates); [`reminder`]: its reminders and when each is due; [`profile`]: a user's settings (time zone).
//! - [`file`], [`file_values`]: a file's record and the values checked before an upload.
//! - [`chat`], [`memory`]: a chat session (transcript and the agent's memory), WebSocket
//!   connection records; [`conversation`]: the list of a user's conversations;
//!   [`dialogue`]: the LocalAgent's typed commands and memory; [`model_memory`]: what the
//!   Bedrock and OpenAI agents remember, typed.
//! - [`access_token`]: personal access tokens (a name, read or write access, only a
//!   digest of the secret); [`activity`]: who made a change (the assistant, an MCP client,
//!   a token); [`oauth`]: the OAuth authorization server's records (clients, requests,
//!   codes, grants, token digests) and values (PKCE, redirect URIs, scopes).
//! - [`push`]: a browser's Web Push subscription (its endpoint and keys).

pub mod access_token;
pub mod activity;
pub mod cause;
pub mod chat;
pub mod clock;
pub mod conversation;
pub mod dialogue;
pub mod entry;
pub mod error_kind;
pub mod file;
pub mod file_values;
pub mod ids;
pub mod input;
pub mod label;
pub mod memory;
pub mod model_memory;
pub mod oauth;
pub mod priority;
pub mod profile;
pub mod push;
pub mod quota;
pub mod reminder;
pub mod repeat;
pub mod schedule;
pub mod subtask;
pub mod text;
pub mod title;
pub mod todo;
pub mod todo_list;
pub mod todo_query;

pub use access_token::{Access, AccessToken, TokenHash, TokenName};
pub use activity::{Actor, ActorKind};
pub use cause::Cause;
pub use chat::{ChatSession, ConnectionRecord, LastTurn};
pub use clock::{Clock, ManualClock, SystemClock, rfc3339};
pub use conversation::{ChatSummary, ConversationCursor, ConversationPage};
pub use dialogue::{LocalMemory, PendingAction, PendingFileDelete};
pub use entry::Entry;
pub use error_kind::ErrorKind;
pub use file::FileRecord;
pub use ids::{
    AccessTokenId, ChangeId, ConnectionId, ConversationId, FileId, GrantId, ListId, NotificationId,
    PlanId, SubtaskId, TodoId, UserId,
};
pub use input::InvalidInput;
pub use label::{Label, Labels};
pub use memory::AgentMemory;
pub use priority::Priority;
pub use profile::{Profile, ZoneName};
pub use push::{EndpointKey, PushSubscription};
pub use quota::Quotas;
pub use reminder::{DueReminder, Reminder, ReminderClaim, Reminders};
pub use repeat::{ParsedRepeat, RepeatRule};
pub use schedule::{Completions, DueTime};
pub use subtask::{Subtask, Subtasks};
pub use todo::{BoundedText, DueDate, Todo, TodoTitle};
pub use todo_list::{ListColor, ListName, TodoList};
pub use todo_query::{ListFilter, SearchWords, StatusFilter, TodoQuery, TodoSort};
