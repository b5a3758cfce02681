//! Plans about many todos at once ([`BulkAsk`]): each becomes a plan card's items, one
//! typed tool call per todo with the sentence the card shows; nothing is changed until the
//! user applies the card. Pure: the todos and lists are the world given. The schedules are
//! public functions so table tests can check their rules (no todo twice, only the user's
//! todos, the daily limit kept) over generated todo lists.

use std::collections::HashMap;

use jiff::{ToSpan, civil::Date};

use super::{Planner, Step};
use crate::{
    agent::local::{
        bulk::{BulkAsk, Source},
        reply,
        resolve::{Prefer, Resolved, resolve},
    },
    domain::{ListId, Todo, TodoList, dialogue::Reference},
    tools::{ToolCall, proposals::Draft},
};

/// Days a spread looks ahead before it stops (a limit of 1 and a year of todos).
const HORIZON_DAYS: i32 = 366;

fn due(todo: &Todo) -> Option<Date> {
    todo.date_due.map(|d| d.date())
}

fn overdue(todo: &Todo, today: Date) -> bool {
    !todo.completed && due(todo).is_some_and(|d| d < today)
}

/// The open overdue todos, most urgent first: by priority (1 first), then the oldest due
/// date, then the oldest todo.
pub fn overdue_by_urgency(todos: &[Todo], today: Date) -> Vec<&Todo> {
    let mut late: Vec<&Todo> = todos.iter().filter(|t| overdue(t, today)).collect();
    late.sort_by_key(|t| (t.priority.get(), due(t), t.id));
    late
}

/// Spreads the overdue todos over the days from `today`: each, most urgent first, on the
/// first day holding fewer than `per_day` open todos (those due there already count).
/// Returns each moved todo with its new day.
pub fn spread_overdue(todos: &[Todo], today: Date, per_day: usize) -> Vec<(&Todo, Date)> {
    let per_day = per_day.max(1);
    let mut load: HashMap<Date, usize> = HashMap::new();
    for todo in todos.iter().filter(|t| !t.completed) {
        if let Some(day) = due(todo).filter(|d| *d >= today) {
            *load.entry(day).or_default() += 1;
        }
    }
    let mut moved = Vec::new();
    let mut day = today;
    let last = today.checked_add(HORIZON_DAYS.days()).unwrap_or(today);
    for todo in overdue_by_urgency(todos, today) {
        while load.get(&day).copied().unwrap_or(0) >= per_day && day < last {
            day = day.tomorrow().unwrap_or(day);
        }
        if load.get(&day).copied().unwrap_or(0) >= per_day {
            break;
        }
        *load.entry(day).or_default() += 1;
        moved.push((todo, day));
    }
    moved
}

/// Why the week's plan gives a todo a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeekReason {
    /// Open and past its due date.
    Overdue,
    /// Due on a day of the week holding more than the limit, and among the least urgent.
    FullDay,
    /// No due date, priority 1 or 2.
    Undated,
}

/// The week's plan from `from` (seven days): the overdue todos (due before `today`), most urgent first, on the
/// first day from `from` with room (past the week when it is full); then each day over
/// `per_day` relieved of its least urgent todos, which go to the first day with room (an
/// earlier one when there is, so a deadline is kept); then the undated priority 1 and 2
/// todos, most urgent first, on days of the week with room left (none when it is full).
/// A day has room while it holds fewer than `per_day` open todos.
pub fn plan_week(
    todos: &[Todo],
    today: Date,
    from: Date,
    per_day: usize,
) -> Vec<(&Todo, Date, WeekReason)> {
    let per_day = per_day.max(1);
    let week_end = from.checked_add(6.days()).unwrap_or(from);
    let last = from.checked_add(HORIZON_DAYS.days()).unwrap_or(from);
    let open: Vec<&Todo> = todos.iter().filter(|t| !t.completed).collect();
    let mut load: HashMap<Date, usize> = HashMap::new();
    for todo in &open {
        if let Some(day) = due(todo).filter(|d| *d >= from) {
            *load.entry(day).or_default() += 1;
        }
    }
    let mut planned = Vec::new();
    let room =
        |load: &HashMap<Date, usize>, day: Date| load.get(&day).copied().unwrap_or(0) < per_day;
    let first_free = |load: &HashMap<Date, usize>, until: Date| {
        let mut day = from;
        while day <= until {
            if room(load, day) {
                return Some(day);
            }
            day = day.tomorrow().ok()?;
        }
        None
    };
    for todo in overdue_by_urgency(todos, today) {
        let Some(day) = first_free(&load, last) else {
            break;
        };
        *load.entry(day).or_default() += 1;
        planned.push((todo, day, WeekReason::Overdue));
    }
    let mut day = from;
    while day <= week_end {
        let mut there: Vec<&Todo> = open
            .iter()
            .copied()
            .filter(|t| due(t) == Some(day))
            .collect();
        // Least urgent last: they are the ones moved.
        there.sort_by_key(|t| (t.priority.get(), t.id));
        for todo in there.into_iter().skip(per_day) {
            let Some(to) = first_free(&load, last) else {
                break;
            };
            *load.entry(day).or_default() -= 1;
            *load.entry(to).or_default() += 1;
            planned.push((todo, to, WeekReason::FullDay));
        }
        let Ok(next) = day.tomorrow() else { break };
        day = next;
    }
    let mut undated: Vec<&Todo> = open
        .iter()
        .copied()
        .filter(|t| due(t).is_none() && t.priority.get() <= 2)
        .collect();
    undated.sort_by_key(|t| (t.priority.get(), t.id));
    for todo in undated {
        let Some(day) = first_free(&load, week_end) else {
            break;
        };
        *load.entry(day).or_default() += 1;
        planned.push((todo, day, WeekReason::Undated));
    }
    planned
}

/// The todos a move takes: the open ones due on the day (or overdue), not already on `to`.
pub fn day_move(todos: &[Todo], from: Source, to: Date, today: Date) -> Vec<&Todo> {
    todos
        .iter()
        .filter(|t| !t.completed && due(t) != Some(to))
        .filter(|t| match from {
            Source::Day(day) => due(t) == Some(day),
            Source::Overdue => overdue(t, today),
        })
        .collect()
}

/// The list a name means: the user's own, any case, "inbox" for the Inbox.
fn named_list<'a>(lists: &'a [TodoList], name: &str) -> Option<&'a TodoList> {
    let name = name.trim().to_lowercase();
    lists
        .iter()
        .find(|l| l.name.as_str().to_lowercase() == name)
        .or_else(|| lists.iter().find(|l| l.inbox && name == "inbox"))
}

/// Whether `todo` is in `list` (a todo stored without one is in the Inbox).
fn in_list(todo: &Todo, list: &TodoList) -> bool {
    todo.list_id
        .unwrap_or_else(|| ListId::inbox_of(&todo.owner))
        == list.id
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// `*Title*`, escaped: how a card names a todo.
fn named(todo: &Todo) -> String {
    format!("*{}*", reply::escape(todo.title.as_str()))
}

fn move_to(todo: &Todo, to: Date, today: Date) -> Draft {
    let from = due(todo)
        .map(|d| format!(" from {}", reply::friendly(d, today)))
        .unwrap_or_default();
    Draft {
        text: format!(
            "Move {}{from} to {}",
            named(todo),
            reply::friendly(to, today)
        ),
        call: ToolCall::UpdateTodo {
            todo: todo.id,
            title: None,
            description: None,
            date_due: Some(Some(to.to_string())),
            list: None,
        },
    }
}

impl Planner<'_> {
    /// The card for `ask`, or the sentence saying there is nothing to propose.
    pub(super) fn bulk(&mut self, ask: BulkAsk) {
        let today = self.world.today;
        let todos = self.world.todos;
        let proposal = match ask {
            BulkAsk::SpreadOverdue { per_day } => {
                let moved = spread_overdue(todos, today, per_day);
                let days = {
                    let mut days: Vec<Date> = moved.iter().map(|(_, d)| *d).collect();
                    days.dedup();
                    days.len()
                };
                let summary = format!(
                    "Spread {} over {}, at most {per_day} a day (counting what is due there \
                     already; say “at most 2 a day” for another limit).",
                    plural(moved.len(), "overdue todo"),
                    plural(days, "day"),
                );
                let drafts = moved
                    .into_iter()
                    .map(|(t, d)| move_to(t, d, today))
                    .collect();
                Ok((
                    summary,
                    drafts,
                    "You have no overdue todos, so there is nothing to spread.",
                ))
            }
            BulkAsk::MoveDay { from, to } => {
                let moving = day_move(todos, from, to, today);
                let what = match from {
                    Source::Day(day) => format!("due {}", reply::friendly(day, today)),
                    Source::Overdue => "overdue".into(),
                };
                let summary = format!(
                    "Move {} {what} to {}.",
                    plural(moving.len(), "open todo"),
                    reply::friendly(to, today)
                );
                let drafts = moving.into_iter().map(|t| move_to(t, to, today)).collect();
                Ok((
                    summary,
                    drafts,
                    "There are no open todos to move from that day.",
                ))
            }
            BulkAsk::ClearCompleted => {
                let done: Vec<&Todo> = todos.iter().filter(|t| t.completed).collect();
                let summary = format!(
                    "Delete {} (each can be restored for {}).",
                    plural(done.len(), "completed todo"),
                    self.world.restore_window
                );
                let drafts = done
                    .into_iter()
                    .map(|t| Draft {
                        text: format!("Delete {} (completed)", named(t)),
                        call: ToolCall::DeleteTodo { todo: t.id },
                    })
                    .collect();
                Ok((summary, drafts, "You have no completed todos to clear."))
            }
            BulkAsk::PlanWeek { from, per_day } => Ok(self.week(from, per_day)),
            BulkAsk::MoveList { from, to } => self.list_move(&from, &to),
            BulkAsk::Steps {
                parent,
                steps,
                as_todos,
            } => Ok(self.steps_of(&parent, steps, as_todos)),
        };
        match proposal {
            Ok((_, drafts, nothing)) if drafts.is_empty() => self.say(nothing),
            Ok((summary, drafts, _)) => self.steps.push(Step::Propose { summary, drafts }),
            Err(sentence) => self.say(sentence),
        }
    }

    fn week(&mut self, from: Date, per_day: usize) -> (String, Vec<Draft>, &'static str) {
        let today = self.world.today;
        let planned = plan_week(self.world.todos, today, from, per_day);
        let count = |reason| planned.iter().filter(|(_, _, r)| *r == reason).count();
        let parts: Vec<String> = [
            (WeekReason::Overdue, "overdue todo", "placed"),
            (WeekReason::FullDay, "todo", "moved off full days"),
            (
                WeekReason::Undated,
                "undated high-priority todo",
                "given a day",
            ),
        ]
        .into_iter()
        .filter(|(reason, ..)| count(*reason) > 0)
        .map(|(reason, noun, done)| format!("{} {done}", plural(count(reason), noun)))
        .collect();
        let end = from.checked_add(6.days()).unwrap_or(from);
        let summary = format!(
            "Plan {} to {}, at most {per_day} a day (counting what is due there already): {}.",
            reply::friendly(from, today),
            reply::friendly(end, today),
            parts.join(", ")
        );
        let drafts = planned
            .into_iter()
            .map(|(todo, day, reason)| match reason {
                WeekReason::Undated => Draft {
                    text: format!(
                        "Schedule {} (priority {}) for {}",
                        named(todo),
                        todo.priority.get(),
                        reply::friendly(day, today)
                    ),
                    ..move_to(todo, day, today)
                },
                _ => move_to(todo, day, today),
            })
            .collect();
        (
            summary,
            drafts,
            "Your week is in order already: nothing overdue, no day over the limit and no \
             undated high-priority todo, so there is nothing to change.",
        )
    }

    fn list_move(
        &mut self,
        from: &str,
        to: &str,
    ) -> Result<(String, Vec<Draft>, &'static str), String> {
        let lists = self.world.lists;
        let unknown = |name: &str| {
            format!(
                "You have no list called “{}”, so I changed nothing.",
                reply::escape(name)
            )
        };
        let source = named_list(lists, from).ok_or_else(|| unknown(from))?;
        let target = named_list(lists, to).ok_or_else(|| unknown(to))?;
        if source.id == target.id {
            return Err("Those are the same list, so there is nothing to move.".into());
        }
        let moving: Vec<&Todo> = self
            .world
            .todos
            .iter()
            .filter(|t| in_list(t, source))
            .collect();
        let to_name = reply::escape(target.name.as_str());
        let summary = format!(
            "Move {} from {} to {to_name}.",
            plural(moving.len(), "todo"),
            reply::escape(source.name.as_str())
        );
        let drafts = moving
            .into_iter()
            .map(|t| Draft {
                text: format!("Move {} to {to_name}", named(t)),
                call: ToolCall::UpdateTodo {
                    todo: t.id,
                    title: None,
                    description: None,
                    date_due: None,
                    list: Some(target.id.to_string()),
                },
            })
            .collect();
        Ok((summary, drafts, "That list has no todos to move."))
    }

    /// Steps as the checklist of the todo `parent` names (one item per step, so each can be
    /// unticked), or as todos of their own when asked or when no todo is called that.
    fn steps_of(
        &mut self,
        parent: &str,
        steps: Vec<String>,
        as_todos: bool,
    ) -> (String, Vec<Draft>, &'static str) {
        let reference = Reference::Text(parent.to_owned());
        let found = match resolve(&reference, self.world.todos, &self.memory, Prefer::Open) {
            Resolved::Found(found) if found.len() == 1 => found.into_iter().next(),
            _ => None,
        };
        let nothing = "I found no steps in that message.";
        match found {
            Some(todo) if !as_todos => {
                let summary = format!("Add {} to {}.", plural(steps.len(), "step"), named(&todo));
                let drafts = steps
                    .into_iter()
                    .map(|step| Draft {
                        text: format!(
                            "Add the step *{}* to {}",
                            reply::escape(&step),
                            named(&todo)
                        ),
                        call: ToolCall::AddSubtasks {
                            todo: todo.id,
                            steps: vec![step],
                        },
                    })
                    .collect();
                (summary, drafts, nothing)
            }
            found => {
                let list = found
                    .as_ref()
                    .and_then(|t| t.list_id)
                    .map(|id| id.to_string());
                let summary = format!(
                    "Add {} for {}.",
                    plural(steps.len(), "todo"),
                    reply::escape(parent)
                );
                let drafts = steps
                    .into_iter()
                    .map(|step| Draft {
                        text: format!("Add the todo *{}*", reply::escape(&step)),
                        call: ToolCall::AddTodo {
                            title: step,
                            description: Some(format!("A step of: {parent}")),
                            date_due: None,
                            list: list.clone(),
                            details: None,
                        },
                    })
                    .collect();
                (summary, drafts, nothing)
            }
        }
    }
}
