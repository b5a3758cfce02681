//! Table tests of the plan cards' planners over generated todo lists: each proposes only
//! the user's todos, no todo twice, exactly the ones its rule picks, and the spread keeps
//! its daily limit (counting what is due on a day already) and its order of urgency.

use std::collections::{BTreeMap, HashSet};

use jiff::{ToSpan, civil::Date};

use super::{LISTS, TODAY, list_id, memory, run_with, todo};
use crate::{
    agent::local::plan::{Plan, Step},
    domain::{DueDate, Priority, Todo, TodoId, TodoList, dialogue::LocalMemory},
    tools::{ToolCall, proposals::Draft},
};

/// A small deterministic generator (no new dependency): the same lists every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below
    }
}

/// `n` todos: due from 20 days ago to 10 days ahead or undated, some completed, any
/// priority, in the Inbox or one of the lists.
fn generated(seed: u64, n: usize) -> Vec<Todo> {
    let mut rng = Lcg(seed);
    (0..n)
        .map(|i| {
            let due = match rng.next(5) {
                0 => None,
                _ => TODAY.checked_add((rng.next(31) as i64 - 20).days()).ok(),
            };
            let mut t = todo(&format!("Todo {i}"), due, rng.next(4) == 0);
            t.priority = Priority::parse(rng.next(4) as i64 + 1).unwrap();
            t.list_id = match rng.next(3) {
                0 => None,
                _ => Some(LISTS[1 + rng.next(LISTS.len() as u64 - 1) as usize].id),
            };
            t
        })
        .collect()
}

fn drafts(plan: &Plan) -> Vec<Draft> {
    plan.steps
        .iter()
        .flat_map(|s| match s {
            Step::Propose { drafts, .. } => drafts.clone(),
            _ => vec![],
        })
        .collect()
}

fn summary(plan: &Plan) -> String {
    plan.steps
        .iter()
        .find_map(|s| match s {
            Step::Propose { summary, .. } => Some(summary.clone()),
            _ => None,
        })
        .unwrap_or_default()
}

/// Each draft's todo, checked to be one of `todos` and named once.
fn targets<'a>(todos: &'a [Todo], drafts: &[Draft]) -> Vec<&'a Todo> {
    let mut seen = HashSet::new();
    drafts
        .iter()
        .map(|d| {
            let id: TodoId = d.call.todo().expect("every item names its todo");
            assert!(seen.insert(id), "a todo twice: {d:?}");
            todos
                .iter()
                .find(|t| t.id == id)
                .unwrap_or_else(|| panic!("not the user's todo: {d:?}"))
        })
        .collect()
}

fn new_date(draft: &Draft) -> Date {
    match &draft.call {
        ToolCall::UpdateTodo {
            date_due: Some(Some(d)),
            ..
        } => d.parse().unwrap(),
        other => panic!("not a move: {other:?}"),
    }
}

fn due(t: &Todo) -> Option<Date> {
    t.date_due.map(DueDate::date)
}

fn fresh() -> LocalMemory {
    memory()
}

#[test]
fn the_overdue_spread_moves_each_overdue_todo_once_and_keeps_the_daily_limit() {
    for seed in 0..40 {
        let todos = generated(seed, 5 + (seed as usize * 7) % 60);
        for cap in [1, 2, 3, 5] {
            let asked = if cap == 3 {
                "sort out my overdue todos".to_owned()
            } else {
                format!("sort out my overdue todos, at most {cap} a day")
            };
            let (plan, _) = run_with(&todos, &fresh(), &asked);
            let drafts = drafts(&plan);
            let moved = targets(&todos, &drafts);
            let overdue: HashSet<TodoId> = todos
                .iter()
                .filter(|t| !t.completed && due(t).is_some_and(|d| d < TODAY))
                .map(|t| t.id)
                .collect();
            let ids: HashSet<TodoId> = moved.iter().map(|t| t.id).collect();
            assert_eq!(
                ids, overdue,
                "seed {seed} cap {cap}: exactly the overdue ones"
            );
            if !drafts.is_empty() {
                assert!(
                    summary(&plan).contains(&format!("at most {cap} a day")),
                    "{}",
                    summary(&plan)
                );
            }
            // The limit per day, counting the open todos due there already.
            let mut load: BTreeMap<Date, usize> = BTreeMap::new();
            for t in todos
                .iter()
                .filter(|t| !t.completed && !overdue.contains(&t.id))
            {
                if let Some(d) = due(t).filter(|d| *d >= TODAY) {
                    *load.entry(d).or_default() += 1;
                }
            }
            let before = load.clone();
            for draft in &drafts {
                let day = new_date(draft);
                assert!(day >= TODAY, "seed {seed}: moved into the past");
                *load.entry(day).or_default() += 1;
            }
            for (day, n) in &load {
                let already = before.get(day).copied().unwrap_or(0);
                assert!(
                    *n <= cap.max(already),
                    "seed {seed} cap {cap}: {n} on {day} ({already} before)"
                );
                if already >= cap {
                    assert_eq!(*n, already, "seed {seed}: nothing added to a full day");
                }
            }
            // Most urgent first: the days never go back as priority, then due date, rise.
            let order: Vec<(u8, Option<Date>)> =
                moved.iter().map(|t| (t.priority.get(), due(t))).collect();
            let mut sorted = order.clone();
            sorted.sort();
            assert_eq!(order, sorted, "seed {seed}: by urgency");
            let days: Vec<Date> = drafts.iter().map(new_date).collect();
            assert!(
                days.windows(2).all(|w| w[0] <= w[1]),
                "seed {seed}: {days:?}"
            );
        }
    }
}

#[test]
fn a_days_move_takes_exactly_its_open_todos() {
    for seed in 0..30 {
        let todos = generated(100 + seed, 40);
        for (asked, from, to) in [
            (
                "move everything from today to tomorrow",
                TODAY,
                TODAY.tomorrow().unwrap(),
            ),
            (
                "push all of tomorrow's todos to friday",
                TODAY.tomorrow().unwrap(),
                crate::agent::local::dates::parse("friday", TODAY).unwrap(),
            ),
        ] {
            let (plan, _) = run_with(&todos, &fresh(), asked);
            let drafts = drafts(&plan);
            let moved: HashSet<TodoId> = targets(&todos, &drafts).iter().map(|t| t.id).collect();
            let expected: HashSet<TodoId> = todos
                .iter()
                .filter(|t| !t.completed && due(t) == Some(from))
                .map(|t| t.id)
                .collect();
            assert_eq!(moved, expected, "seed {seed}: {asked}");
            assert!(drafts.iter().all(|d| new_date(d) == to));
        }
    }
}

#[test]
fn clearing_completed_todos_deletes_exactly_those() {
    for seed in 0..30 {
        let todos = generated(200 + seed, 30);
        let (plan, _) = run_with(&todos, &fresh(), "clean up what I finished");
        let drafts = drafts(&plan);
        let done: HashSet<TodoId> = todos.iter().filter(|t| t.completed).map(|t| t.id).collect();
        let deleted: HashSet<TodoId> = targets(&todos, &drafts).iter().map(|t| t.id).collect();
        assert_eq!(deleted, done, "seed {seed}");
        assert!(
            drafts
                .iter()
                .all(|d| matches!(d.call, ToolCall::DeleteTodo { .. }))
        );
        // Nothing asks a second confirmation: the card is the consent.
        assert!(!plan.steps.iter().any(|s| matches!(s, Step::Confirm { .. })));
    }
}

#[test]
fn a_lists_move_takes_exactly_its_todos_to_the_other_list() {
    let in_list = |t: &Todo, list: &TodoList| {
        t.list_id
            .unwrap_or_else(|| crate::domain::ListId::inbox_of(&t.owner))
            == list.id
    };
    for seed in 0..30 {
        let todos = generated(300 + seed, 30);
        let (plan, _) = run_with(&todos, &fresh(), "move all todos from work to groceries");
        let drafts = drafts(&plan);
        let work = LISTS.iter().find(|l| l.name.as_str() == "Work").unwrap();
        let expected: HashSet<TodoId> = todos
            .iter()
            .filter(|t| in_list(t, work))
            .map(|t| t.id)
            .collect();
        let moved: HashSet<TodoId> = targets(&todos, &drafts).iter().map(|t| t.id).collect();
        assert_eq!(moved, expected, "seed {seed}");
        let groceries = list_id("Groceries").to_string();
        assert!(drafts.iter().all(|d| matches!(
            &d.call,
            ToolCall::UpdateTodo { list: Some(l), .. } if *l == groceries
        )));
    }
    let (plan, _) = run_with(
        &generated(1, 10),
        &fresh(),
        "move all todos from work to nowhere",
    );
    assert!(drafts(&plan).is_empty());
    assert!(
        super::text(&plan).contains("no list called"),
        "{}",
        super::text(&plan)
    );
}

#[test]
fn dictated_steps_go_to_the_named_todo_or_become_todos() {
    let mut todos = generated(7, 10);
    todos.push(todo("Kitchen renovation", None, false));
    let kitchen = todos.last().unwrap().id;
    let (plan, _) = run_with(
        &todos,
        &fresh(),
        "break the kitchen renovation into steps: demolish, order cabinets, paint",
    );
    let drafts = drafts(&plan);
    assert_eq!(drafts.len(), 3);
    assert!(drafts.iter().all(|d| matches!(
        &d.call,
        ToolCall::AddSubtasks { todo, steps } if *todo == kitchen && steps.len() == 1
    )));
    let (plan, _) = run_with(
        &todos,
        &fresh(),
        "split the garden makeover into todos: dig, plant, water",
    );
    let titles: Vec<String> = drafts_of_adds(&plan);
    assert_eq!(titles, ["dig", "plant", "water"]);
}

fn drafts_of_adds(plan: &Plan) -> Vec<String> {
    drafts(plan)
        .into_iter()
        .map(|d| match d.call {
            ToolCall::AddTodo { title, .. } => title,
            other => panic!("not an add: {other:?}"),
        })
        .collect()
}

#[test]
fn nothing_to_propose_is_said_without_a_card() {
    let todos = vec![todo("Fresh", Some(TODAY), false)];
    for asked in ["sort out my overdue todos", "clear completed todos"] {
        let (plan, _) = run_with(&todos, &fresh(), asked);
        assert!(drafts(&plan).is_empty(), "{asked}");
        assert!(!super::text(&plan).is_empty(), "{asked}");
    }
}

#[test]
fn the_weeks_plan_places_each_todo_once_within_its_rules_and_the_daily_limit() {
    let week_end = TODAY.checked_add(6.days()).unwrap();
    for seed in 0..40 {
        let todos = generated(400 + seed, 5 + (seed as usize * 11) % 70);
        for cap in [1, 2, 3, 5] {
            let asked = format!("plan my week, at most {cap} a day");
            let (plan, _) = run_with(&todos, &fresh(), &asked);
            let drafts = drafts(&plan);
            let placed = targets(&todos, &drafts);
            let open = |t: &&Todo| !t.completed;
            // The load each day had, then each move taken off its day and put on its new one.
            let mut load: BTreeMap<Date, usize> = BTreeMap::new();
            for t in todos.iter().filter(open) {
                if let Some(d) = due(t).filter(|d| *d >= TODAY) {
                    *load.entry(d).or_default() += 1;
                }
            }
            let before = load.clone();
            let mut received: BTreeMap<Date, usize> = BTreeMap::new();
            for (t, draft) in placed.iter().zip(&drafts) {
                assert!(!t.completed, "seed {seed}: a completed todo planned");
                let day = new_date(draft);
                assert!(day >= TODAY, "seed {seed}: planned into the past");
                match due(t) {
                    // Undated: only priority 1 and 2, only inside the week.
                    None => {
                        assert!(t.priority.get() <= 2, "seed {seed}: {t:?}");
                        assert!(day <= week_end, "seed {seed}: undated past the week");
                    }
                    Some(d) if d < TODAY => {}
                    // Due in the week: moved only off a day over the limit.
                    Some(d) => {
                        assert!(d <= week_end, "seed {seed}: a todo after the week moved");
                        assert!(before[&d] > cap, "seed {seed} cap {cap}: {d} was not full");
                        *load.get_mut(&d).unwrap() -= 1;
                    }
                }
                assert_ne!(due(t), Some(day), "seed {seed}: a move to the same day");
                *received.entry(day).or_default() += 1;
                *load.entry(day).or_default() += 1;
            }
            // A day that received anything holds no more than the limit.
            for day in received.keys() {
                assert!(
                    load[day] <= cap,
                    "seed {seed} cap {cap}: {} on {day}",
                    load[day]
                );
            }
            // Every overdue todo is placed, every day of the week is relieved to the limit
            // (the horizon is a year: there is always room).
            let overdue = todos
                .iter()
                .filter(open)
                .filter(|t| due(t).is_some_and(|d| d < TODAY))
                .count();
            let placed_overdue = placed
                .iter()
                .filter(|t| due(t).is_some_and(|d| d < TODAY))
                .count();
            assert_eq!(placed_overdue, overdue, "seed {seed} cap {cap}");
            let mut day = TODAY;
            while day <= week_end {
                assert!(
                    load.get(&day).copied().unwrap_or(0) <= cap,
                    "seed {seed} cap {cap}: {day} still over the limit"
                );
                day = day.tomorrow().unwrap();
            }
            if !drafts.is_empty() {
                assert!(summary(&plan).contains(&format!("at most {cap} a day")));
            }
        }
    }
}

#[test]
fn next_weeks_plan_starts_on_monday_and_leaves_this_week_alone() {
    // TODAY is a Wednesday: next week is Mon Nov 30 to Sun Dec 6.
    let monday = jiff::civil::date(2026, 11, 30);
    let mut todos = vec![
        todo("Tomorrow's", TODAY.tomorrow().ok(), false),
        todo("Late", TODAY.yesterday().ok(), false),
    ];
    for i in 0..5 {
        todos.push(todo(&format!("Monday {i}"), Some(monday), false));
    }
    let (plan, _) = run_with(&todos, &fresh(), "plan next week");
    let drafts = drafts(&plan);
    let placed = targets(&todos, &drafts);
    let titles: Vec<&str> = placed.iter().map(|t| t.title.as_str()).collect();
    assert!(!titles.contains(&"Tomorrow's"), "{titles:?}");
    assert!(titles.contains(&"Late"), "{titles:?}");
    assert_eq!(titles.iter().filter(|t| t.starts_with("Monday")).count(), 2);
    assert!(drafts.iter().all(|d| new_date(d) >= monday));
}
