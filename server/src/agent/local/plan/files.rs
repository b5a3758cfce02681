//! Plans about files: listing a todo's files, attaching the files waiting in the chat, and
//! the confirmation removing one asks for.

use super::{Planner, Step, Then};
use crate::{
    agent::local::reply,
    domain::{
        FileId, FileRecord, PendingAction, PendingFileDelete,
        dialogue::{Awaiting, Command, LocalMemory, Verb},
    },
    tools::ToolCall,
};

impl Planner<'_> {
    pub(super) fn files(&mut self, command: &Command) {
        match command.verb {
            Verb::ListFiles => {
                if command.target.is_none() {
                    let waiting = self.memory.chat_files.len();
                    return self.say(if waiting > 0 {
                        format!(
                            concat!(
                                "{} file(s) from this chat are waiting to be attached. ",
                                "Say “attach it to …”, or ask “what files are on …?”."
                            ),
                            waiting
                        )
                    } else {
                        "Which todo's files? For example “what files are on my dentist appointment?”.".into()
                    });
                }
                if let Some(todo) = self.one(command) {
                    self.run(
                        ToolCall::ListTodoFiles { todo: todo.id },
                        Then::FilesListed {
                            title: reply::title(&todo),
                        },
                    );
                }
            }
            Verb::AttachFile => {
                if self.memory.chat_files.is_empty() {
                    return self.say(concat!(
                        "There is no file to attach yet. ",
                        "Drop a file into the chat, then say “attach it to …”."
                    ));
                }
                let chosen: Vec<FileId> = match command.args.text.as_deref() {
                    None => self.memory.chat_files.clone(),
                    Some(name) => self
                        .world
                        .chat_files
                        .iter()
                        .filter(|f| {
                            self.memory.chat_files.contains(&f.id)
                                && f.name.eq_ignore_ascii_case(name)
                        })
                        .map(|f| f.id)
                        .collect(),
                };
                if chosen.is_empty() {
                    let name = reply::escape(command.args.text.as_deref().unwrap_or_default());
                    return self.say(format!("No file called “{name}” is waiting in this chat. Drop it into the chat first."));
                }
                if let Some(todo) = self.one(command) {
                    let calls = chosen
                        .iter()
                        .map(|file| ToolCall::AddTodoFile {
                            todo: todo.id,
                            file: *file,
                        })
                        .collect();
                    let then = Then::Attached {
                        title: reply::title(&todo),
                        todo: todo.id,
                        files: chosen,
                    };
                    self.steps.push(Step::Run { calls, then });
                }
            }
            _ => {
                let name = command.args.text.clone().unwrap_or_default();
                if command.target.is_some() {
                    if let Some(todo) = self.one(command) {
                        self.run(
                            ToolCall::ListTodoFiles { todo: todo.id },
                            Then::FileToDelete { name },
                        );
                    }
                } else {
                    let steps = file_to_delete(
                        &mut self.memory,
                        self.world.user_files,
                        &name,
                        &self.world.action_id,
                    );
                    self.steps.extend(steps);
                }
            }
        }
    }
}

/// Asks to confirm removing the one file of `candidates` that `name` means (any with no name).
pub fn file_to_delete(
    memory: &mut LocalMemory,
    candidates: &[FileRecord],
    name: &str,
    action_id: &str,
) -> Vec<Step> {
    let wanted = name.to_lowercase();
    let matching: Vec<&FileRecord> = candidates
        .iter()
        .filter(|f| wanted.is_empty() || f.name.to_lowercase().contains(&wanted))
        .collect();
    let quoted = |f: &FileRecord| format!("“{}”", reply::escape(&f.name));
    let file = match matching.as_slice() {
        [one] => *one,
        [] => {
            let what = if name.is_empty() {
                "no files".to_owned()
            } else {
                format!("no file called “{}”", reply::escape(name))
            };
            return vec![Step::Say(format!(
                "I found {what} there, so nothing was removed."
            ))];
        }
        many => {
            let names: Vec<String> = many.iter().map(|f| quoted(f)).collect();
            return vec![Step::Say(format!(
                "Which file do you mean: {}? Say for example “remove the file {} from …”.",
                names.join(", "),
                reply::escape(&many[0].name)
            ))];
        }
    };
    let Some(todo) = file.todo_id else {
        return vec![];
    };
    let prompt = format!("Remove the file {}?", quoted(file));
    memory.awaiting = Some(Awaiting::Confirm(PendingAction {
        action_id: action_id.to_owned(),
        prompt: prompt.clone(),
        delete: vec![],
        delete_files: vec![PendingFileDelete {
            todo,
            file: file.id,
        }],
    }));
    vec![
        Step::Say("Removing a file can't be undone, so please confirm.".into()),
        Step::Confirm {
            action_id: action_id.to_owned(),
            prompt,
        },
    ]
}
