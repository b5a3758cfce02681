//! Plans of the reminder verbs: adding a reminder to a todo ("remind me about the dentist an
//! hour before", and "that one too" with the last reminder again), removing a todo's
//! reminders, and listing the todos that have some. What is already so, and what cannot be
//! (a "before" for a todo without a date), is said without a call.

use app::{
    wire::Reminder,
    words::reminders::{self, MAX_REMINDERS, When},
};

use super::{Planner, Then};
use crate::{
    agent::local::{reply, resolve::Prefer},
    domain::{
        StatusFilter, TodoQuery,
        dialogue::{Command, Verb},
    },
    tools::{ToolCall, reminders::ReminderEdit},
};

/// How a reply says when: "1 h before it's due", "when it's due", "on Thu, Nov 26 at 09:00".
pub fn when_words(when: When, today: jiff::civil::Date) -> String {
    match when {
        When::Before(0) => "when it's due".into(),
        When::Before(minutes) => format!("{} before it's due", reminders::duration(minutes)),
        When::At {
            date: Some(date),
            time,
        } => format!(
            "on {} at {}",
            reply::friendly(date, today),
            app::words::times::to_hhmm(time)
        ),
        When::At { date: None, time } => {
            format!("at {}", app::words::times::to_hhmm(time))
        }
        When::In(minutes) => format!("in {}", reminders::duration(minutes)),
    }
}

impl Planner<'_> {
    /// The reminder verbs' plans.
    pub(super) fn reminders(&mut self, command: &Command) {
        match command.verb {
            Verb::SetReminders => self.set_reminder(command),
            Verb::ClearReminders => self.clear_reminders(command),
            Verb::ListReminders => self.run(
                ToolCall::GetTodos {
                    query: TodoQuery {
                        status: StatusFilter::Open,
                        ..TodoQuery::default()
                    },
                    list: None,
                },
                Then::Reminders,
            ),
            _ => {}
        }
    }

    /// The reminder said, or the last command's ("remind me about that one too"), or one at
    /// the due time.
    fn reminder_meant(&self, command: &Command) -> String {
        command
            .args
            .fields
            .reminder
            .clone()
            .or_else(|| {
                let last = &self.memory.last_command.as_ref()?.command;
                (last.verb == Verb::SetReminders)
                    .then(|| last.args.fields.reminder.clone())
                    .flatten()
            })
            .unwrap_or_else(|| When::Before(0).to_mark())
    }

    fn set_reminder(&mut self, command: &Command) {
        let Some(todo) = self.one(command) else {
            return;
        };
        let today = self.world.today;
        let mark = self.reminder_meant(command);
        let Some(when) = reminders::parse_mark(&mark, today) else {
            return;
        };
        let title = reply::title(&todo);
        if when.needs_due_date() && todo.date_due.is_none() {
            return self.say(format!(
                "{title} has no due date, so there is nothing to remind you before. Give it \
                 one first (“move it to friday”), or name a moment: “remind me about it \
                 tomorrow at 9am”."
            ));
        }
        let has = crate::tools::reminders::of(&todo);
        if let When::Before(minutes) = when
            && has.contains(&Reminder::BeforeMinutes(minutes))
        {
            return self.say(format!(
                "{title} already reminds you {}.",
                when_words(when, today)
            ));
        }
        if has.len() >= MAX_REMINDERS {
            return self.say(format!(
                "{title} already has {MAX_REMINDERS} reminders, the most a todo can have. \
                 Remove them first (“remove the reminders from it”)."
            ));
        }
        let call = ToolCall::SetReminders {
            todo: todo.id,
            reminders: ReminderEdit::Adjust {
                add: vec![mark],
                remove: vec![],
            },
        };
        let line = format!("I'll remind you about {title} {}.", when_words(when, today));
        self.steps.push(super::Step::Run {
            calls: vec![call],
            then: Then::Changed {
                titles: vec![title],
                lines: vec![line],
            },
        });
    }

    fn clear_reminders(&mut self, command: &Command) {
        let Some(todos) = self.targets(command, Prefer::Any, true) else {
            return;
        };
        self.memory.last_referenced = todos.iter().map(|t| t.id).collect();
        let (mut calls, mut titles, mut lines) = (vec![], vec![], vec![]);
        for todo in &todos {
            let title = reply::title(todo);
            if crate::tools::reminders::of(todo).is_empty() {
                self.say(format!("{title} has no reminders."));
                continue;
            }
            calls.push(ToolCall::SetReminders {
                todo: todo.id,
                reminders: ReminderEdit::Replace(vec![]),
            });
            lines.push(format!("Removed the reminders from {title}."));
            titles.push(title);
        }
        if !calls.is_empty() {
            self.steps.push(super::Step::Run {
                calls,
                then: Then::Changed { titles, lines },
            });
        }
    }
}
