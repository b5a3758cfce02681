//! Plans that read or change todos: a listing, a shift of the due date, completing or
//! reopening several at once, and the one confirmation a delete asks for.

use jiff::{ToSpan, civil::Date};

use super::{Planner, Step, Then, status};
use crate::{
    agent::local::{reply, resolve::Prefer},
    domain::{
        DueDate, PendingAction, SearchWords, Todo, TodoQuery,
        dialogue::{Command, Verb},
    },
    tools::ToolCall,
};

impl Planner<'_> {
    pub(super) fn list(&mut self, command: &Command) {
        let query = &command.args.query;
        let (status, word) = status(query);
        // The list named: one of the user's, or (said as a list) a name they do not have.
        let list = match &query.list {
            Some(named) => match self.list_named(&named.name) {
                Some(found) => Some(found.clone()),
                None if named.explicit => return self.no_such_list(&named.name),
                None => None,
            },
            None => None,
        };
        let text = match query.text.as_deref().map(SearchWords::parse).transpose() {
            Ok(text) => text.flatten(),
            Err(e) => return self.say(reply::escape(&e.0)),
        };
        let call = ToolCall::GetTodos {
            query: TodoQuery {
                status,
                due_from: query.due_from.map(DueDate::from_date),
                due_to: query.due_to.map(DueDate::from_date),
                text,
                ..TodoQuery::default()
            },
            list: list.as_ref().map(|l| l.id.to_string()),
        };
        let mut qualifier = if query.label.is_empty() {
            String::new()
        } else {
            format!(" {}", query.label)
        };
        if let Some(list) = &list {
            qualifier = format!(" in **{}**{qualifier}", reply::escape(list.name.as_str()));
        }
        let phrase = format!("{word}todos{qualifier}");
        let then = if command.verb == Verb::Count {
            Then::Counted { phrase }
        } else {
            Then::Listed {
                phrase,
                filtered: !word.is_empty() || !qualifier.is_empty(),
            }
        };
        self.run(call, then);
    }

    pub(super) fn shift(&mut self, todo: &Todo, days: i64) {
        let title = reply::title(todo);
        let Some(due) = todo.date_due.and_then(|d| d.to_iso().parse::<Date>().ok()) else {
            return self.say(format!(
                "{title} has no due date to move; tell me a date instead, like “move it to friday”."
            ));
        };
        let Ok(moved) = due.checked_add(days.days()) else {
            return self.say("That date is out of range.");
        };
        let call = ToolCall::UpdateTodo {
            todo: todo.id,
            title: None,
            description: None,
            date_due: Some(Some(moved.to_string())),
            list: None,
        };
        self.run(
            call,
            Then::Shifted {
                title,
                from: due,
                to: moved,
                days,
            },
        );
    }

    pub(super) fn mark(&mut self, command: &Command, completed: bool) {
        let prefer = if completed {
            Prefer::Open
        } else {
            Prefer::Completed
        };
        let Some(todos) = self.targets(command, prefer, true) else {
            return;
        };
        self.memory.last_referenced = todos.iter().map(|t| t.id).collect();
        let state = if completed {
            "already completed"
        } else {
            "already open"
        };
        let (same, change): (Vec<&Todo>, Vec<&Todo>) =
            todos.iter().partition(|t| t.completed == completed);
        let already: Vec<String> = same
            .iter()
            .map(|t| format!("{} is {state}.", reply::title(t)))
            .collect();
        if change.is_empty() {
            return self.say(already.join("\n"));
        }
        let calls = change
            .iter()
            .map(|t| {
                if completed {
                    ToolCall::CompleteTodo { todo: t.id }
                } else {
                    ToolCall::ReopenTodo { todo: t.id }
                }
            })
            .collect();
        let titles = change.iter().map(|t| reply::title(t)).collect();
        self.steps.push(Step::Run {
            calls,
            then: Then::Marked {
                completed,
                titles,
                already,
            },
        });
    }

    pub(super) fn ask_to_delete(&mut self, todos: Vec<Todo>) {
        let prompt = match todos.as_slice() {
            [one] => format!("Delete {}?", reply::title(one)),
            many => format!(
                "Delete these {} todos: {}?",
                many.len(),
                many.iter().map(reply::title).collect::<Vec<_>>().join(", ")
            ),
        };
        self.memory.last_referenced = todos.iter().map(|t| t.id).collect();
        self.confirm(PendingAction {
            action_id: self.world.action_id.clone(),
            prompt,
            delete: todos.iter().map(|t| t.id).collect(),
            delete_files: vec![],
        });
        let window = &self.world.restore_window;
        let text =
            format!("Please confirm. A deleted todo can be brought back with Undo for {window}.");
        let at = self.steps.len() - 1;
        self.steps.insert(at, Step::Say(text));
    }
}
