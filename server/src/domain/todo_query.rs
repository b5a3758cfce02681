//! Which todos a listing shows and in what order: the filters of `GET /api/todos` and of the
//! assistant's `getTodos` tool, one implementation for both.
//!
//! A text search is bounded where it is parsed ([`SearchWords`]: a search box's length, a
//! few distinct words), and each word is matched against the todo's prepared lower-case
//! text ([`Todo::search_text`]), so its cost is one substring scan per word per todo.

use std::cmp::Ordering;

use super::{DueDate, InvalidInput, Label, ListId, Priority, Todo, UserId, label::LABELS_PER_TODO};

/// The longest search accepted: longer than any search box line, far shorter than a body.
pub const SEARCH_MAX_CHARS: usize = 200;

/// The most distinct words a search matches (each is one more scan of every todo).
pub const SEARCH_MAX_WORDS: usize = 10;

/// The words of a search, lower-cased and without repeats, within the bounds above.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchWords(Vec<String>);

impl SearchWords {
    /// `None` when the text has no words; an error naming the bounds when it is too big.
    pub fn parse(raw: &str) -> Result<Option<Self>, InvalidInput> {
        let chars = raw.chars().count();
        if chars > SEARCH_MAX_CHARS {
            return Err(InvalidInput(format!(
                "The search is {chars} characters long; the limit is {SEARCH_MAX_CHARS}."
            )));
        }
        let mut words: Vec<String> = Vec::new();
        for word in raw.split_whitespace().map(str::to_lowercase) {
            if !words.contains(&word) {
                words.push(word);
            }
        }
        if words.len() > SEARCH_MAX_WORDS {
            return Err(InvalidInput(format!(
                "The search has {} different words; the limit is {SEARCH_MAX_WORDS}.",
                words.len()
            )));
        }
        Ok((!words.is_empty()).then_some(Self(words)))
    }

    pub fn words(&self) -> &[String] {
        &self.0
    }

    /// The words as one line (what a reply or a tool card shows).
    pub fn to_text(&self) -> String {
        self.0.join(" ")
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum StatusFilter {
    #[default]
    All,
    Open,
    Completed,
    /// Open and due before today (in the user's time zone).
    Overdue,
}

impl StatusFilter {
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        match raw.to_lowercase().as_str() {
            "all" => Ok(Self::All),
            "open" => Ok(Self::Open),
            "completed" => Ok(Self::Completed),
            "overdue" => Ok(Self::Overdue),
            _ => Err(InvalidInput(
                "status must be all, open, completed or overdue.".into(),
            )),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TodoSort {
    /// Oldest first (ids are UUIDv7: creation order), as lists have always come.
    #[default]
    Created,
    /// Earliest due date first, undated last; ties in creation order.
    Due,
    /// Priority 1 first; within a priority as `Due` (dated by date, then undated).
    Priority,
}

impl TodoSort {
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        match raw.to_lowercase().as_str() {
            "created" => Ok(Self::Created),
            "due" => Ok(Self::Due),
            "priority" => Ok(Self::Priority),
            _ => Err(InvalidInput(
                "sort must be due, created or priority.".into(),
            )),
        }
    }

    /// `a` before `b`? `Equal` keeps creation order (the sorts are stable).
    fn compare(self, a: &Todo, b: &Todo) -> Ordering {
        let by_date = |t: &Todo| (t.date_due.is_none(), t.date_due);
        match self {
            Self::Created => Ordering::Equal,
            Self::Due => by_date(a).cmp(&by_date(b)),
            Self::Priority => (a.priority, by_date(a)).cmp(&(b.priority, by_date(b))),
        }
    }
}

/// The `label` filter: each value a label (the error names the parameter), at most as many
/// as a todo can have (more could match nothing).
pub fn label_filter(raw: &[String]) -> Result<Vec<Label>, InvalidInput> {
    let mut labels: Vec<Label> = Vec::new();
    for one in raw {
        let label = Label::parse(one).map_err(|e| InvalidInput(format!("label: {}", e.0)))?;
        if !labels.contains(&label) {
            labels.push(label);
        }
    }
    if labels.len() > LABELS_PER_TODO {
        return Err(InvalidInput(format!(
            "label: at most {LABELS_PER_TODO} labels can be asked for together; {} were.",
            labels.len()
        )));
    }
    Ok(labels)
}

/// The `priority` filter: `1` to `4`, or several separated by commas (`1,2`).
pub fn priority_filter(raw: &str) -> Result<Vec<Priority>, InvalidInput> {
    let bad = || {
        InvalidInput(format!(
            "priority must be 1, 2, 3 or 4, or several separated by commas like 1,2; '{}' is not.",
            super::input::excerpt(raw, 40)
        ))
    };
    let mut priorities = Vec::new();
    for part in raw.split(',') {
        let n: i64 = part.trim().parse().map_err(|_| bad())?;
        let priority = Priority::parse(n).map_err(|_| bad())?;
        if !priorities.contains(&priority) {
            priorities.push(priority);
        }
    }
    Ok(priorities)
}

/// `list=<list id>`: the todos of one list. The Inbox holds the todos stored without a
/// list, so it is told apart from the others once, where the id is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFilter {
    Inbox,
    List(ListId),
}

impl ListFilter {
    /// The filter for `list` of `owner`'s lists (that the list is theirs is the caller's
    /// check: another user's id simply matches none of the owner's todos).
    pub fn of(owner: &UserId, list: ListId) -> Self {
        if list == ListId::inbox_of(owner) {
            Self::Inbox
        } else {
            Self::List(list)
        }
    }

    fn keeps(self, todo: &Todo) -> bool {
        match self {
            Self::Inbox => todo.list_id.is_none(),
            Self::List(id) => todo.list_id == Some(id),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TodoQuery {
    pub status: StatusFilter,
    pub due_from: Option<DueDate>,
    pub due_to: Option<DueDate>,
    /// Words that must all occur (case-insensitively) in the title, description, notes,
    /// labels or subtasks.
    pub text: Option<SearchWords>,
    /// Only the todos of this list.
    pub list: Option<ListFilter>,
    pub sort: TodoSort,
    /// Labels a todo must all have (none: any todo).
    pub labels: Vec<Label>,
    /// Priorities a todo must have one of (none: any priority).
    pub priorities: Vec<Priority>,
    /// The time of day in the user's zone, when the caller knows it: a todo due today at an
    /// earlier time is overdue (without it, only days before today are).
    pub now: Option<jiff::civil::Time>,
}

impl TodoQuery {
    /// The matching todos, in the query's order. `todos` come from the store oldest first.
    pub fn apply(&self, todos: Vec<Todo>, today: DueDate) -> Vec<Todo> {
        let mut keep = self.matcher(today);
        let mut matching: Vec<Todo> = todos.into_iter().filter(|t| keep(t)).collect();
        self.order(&mut matching);
        matching
    }

    /// Positions in `todos` of the matching ones, in the query's order (for a caller that
    /// filters a shared list on another thread).
    pub fn matching_positions(&self, todos: &[Todo], today: DueDate) -> Vec<usize> {
        let mut keep = self.matcher(today);
        let mut matching: Vec<usize> = (0..todos.len()).filter(|&i| keep(&todos[i])).collect();
        if self.sort != TodoSort::Created {
            matching.sort_by(|&a, &b| self.sort.compare(&todos[a], &todos[b]));
        }
        matching
    }

    /// Names everything besides the records that the matching todos depend on: over the
    /// same records, equal keys match the same todos in the same order. The time of day
    /// counts only for `overdue`, so the other views keep one key all day.
    pub fn key(&self, today: DueDate) -> String {
        let now = self.now.filter(|_| self.status == StatusFilter::Overdue);
        let rest = Self {
            now: None,
            ..self.clone()
        };
        format!("{rest:?} {now:?} {today:?}")
    }

    fn matcher(&self, today: DueDate) -> impl FnMut(&Todo) -> bool + '_ {
        let words = self.text.as_ref().map_or(&[][..], SearchWords::words);
        move |todo| todo.is_live() && self.keeps(todo, today) && contains_all(todo, words)
    }

    fn order(&self, matching: &mut [Todo]) {
        if self.sort != TodoSort::Created {
            // Stable: equal keys (and all undated todos) keep their creation order.
            matching.sort_by(|a, b| self.sort.compare(a, b));
        }
    }

    fn keeps(&self, todo: &Todo, today: DueDate) -> bool {
        let state = match self.status {
            StatusFilter::All => true,
            StatusFilter::Open => !todo.completed,
            StatusFilter::Completed => todo.completed,
            StatusFilter::Overdue => {
                let past_its_time = todo.date_due == Some(today)
                    && todo
                        .due_time
                        .zip(self.now)
                        .is_some_and(|(due, now)| due.time() < now);
                !todo.completed && (todo.date_due.is_some_and(|d| d < today) || past_its_time)
            }
        };
        let within = |bound: Option<DueDate>, ok: fn(DueDate, DueDate) -> bool| {
            bound.is_none_or(|bound| todo.date_due.is_some_and(|d| ok(d, bound)))
        };
        let labelled = self.labels.iter().all(|l| todo.labels.contains(l));
        let prioritized = self.priorities.is_empty() || self.priorities.contains(&todo.priority);
        state
            && labelled
            && prioritized
            && within(self.due_from, |d, from| d >= from)
            && within(self.due_to, |d, to| d <= to)
            && self.list.is_none_or(|list| list.keeps(todo))
    }
}

fn contains_all(todo: &Todo, words: &[String]) -> bool {
    if words.is_empty() {
        return true;
    }
    let text = todo.search_text();
    words.iter().all(|word| text.contains(word.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Labels, TodoId, TodoTitle, UserId};

    fn todo(title: &str, priority: i64, due: Option<&str>, labels: &[&str]) -> Todo {
        let labels: Vec<String> = labels.iter().map(|l| (*l).to_owned()).collect();
        Todo {
            owner: UserId::from_verified_sub("u"),
            id: TodoId::new(),
            title: TodoTitle::parse(title).unwrap(),
            description: Default::default(),
            notes: Default::default(),
            date_due: due.map(|d| DueDate::parse(d).unwrap()),
            labels: Labels::parse(&labels).unwrap(),
            priority: Priority::parse(priority).unwrap(),
            subtasks: Default::default(),
            list_id: None,
            due_time: None,
            repeat: None,
            repeat_after_completion: false,
            completions: Default::default(),
            completed: false,
            created_at: jiff::Timestamp::UNIX_EPOCH,
            updated_at: jiff::Timestamp::UNIX_EPOCH,
            version: 1,
            deleted_until: None,
            purging: false,
            reminders: Default::default(),
            remind_at: None,
            search: Default::default(),
        }
    }

    fn titles(query: &TodoQuery, todos: &[Todo]) -> Vec<String> {
        let today = DueDate::parse("2026-12-01").unwrap();
        let applied = query.apply(todos.to_vec(), today);
        let positions = query.matching_positions(todos, today);
        let by_position: Vec<&Todo> = positions.iter().map(|&i| &todos[i]).collect();
        assert_eq!(
            applied.iter().collect::<Vec<_>>(),
            by_position,
            "both paths agree"
        );
        applied
            .iter()
            .map(|t| t.title.as_str().to_owned())
            .collect()
    }

    fn sample() -> Vec<Todo> {
        vec![
            todo("a", 1, Some("2026-12-10"), &["x"]),
            todo("b", 1, None, &["x", "y"]),
            todo("c", 2, Some("2026-12-01"), &["y"]),
            todo("d", 4, Some("2026-11-01"), &[]),
            todo("e", 1, Some("2026-12-05"), &[]),
        ]
    }

    #[test]
    fn the_key_names_the_time_of_day_only_where_it_changes_the_answer() {
        let today = DueDate::parse("2026-12-01").unwrap();
        let at = |status, now: &str| TodoQuery {
            status,
            now: Some(now.parse().unwrap()),
            ..TodoQuery::default()
        };
        let (open, overdue) = (StatusFilter::Open, StatusFilter::Overdue);
        assert_eq!(at(open, "08:00").key(today), at(open, "10:00").key(today));
        assert_ne!(
            at(overdue, "08:00").key(today),
            at(overdue, "10:00").key(today)
        );
        assert_ne!(
            at(open, "08:00").key(today),
            at(overdue, "08:00").key(today)
        );
        let tomorrow = DueDate::parse("2026-12-02").unwrap();
        assert_ne!(
            at(open, "08:00").key(today),
            at(open, "08:00").key(tomorrow)
        );
        let labelled = TodoQuery {
            labels: label_filter(&["home".to_owned()]).unwrap(),
            ..at(open, "08:00")
        };
        assert_ne!(labelled.key(today), at(open, "08:00").key(today));
    }

    #[test]
    fn overdue_counts_a_time_already_past_today_when_the_time_is_known() {
        let today = DueDate::parse("2026-12-01").unwrap();
        let mut nine = todo("nine", 4, Some("2026-12-01"), &[]);
        nine.due_time = Some(crate::domain::DueTime::parse("09:00").unwrap());
        let undated_time = todo("today, no time", 4, Some("2026-12-01"), &[]);
        let overdue = |now: Option<&str>| TodoQuery {
            status: StatusFilter::Overdue,
            now: now.map(|t| t.parse().unwrap()),
            ..TodoQuery::default()
        };
        let todos = vec![nine, undated_time];
        assert_eq!(overdue(None).apply(todos.clone(), today).len(), 0);
        assert_eq!(overdue(Some("08:59")).apply(todos.clone(), today).len(), 0);
        let late = overdue(Some("10:00")).apply(todos, today);
        assert_eq!(late.len(), 1);
        assert_eq!(late[0].title.as_str(), "nine");
    }

    #[test]
    fn sorting_by_priority_puts_1_first_and_undated_last_within_a_priority() {
        let query = TodoQuery {
            sort: TodoSort::parse("Priority").unwrap(),
            ..Default::default()
        };
        assert_eq!(titles(&query, &sample()), ["e", "a", "b", "c", "d"]);
    }

    #[test]
    fn a_label_filter_keeps_todos_with_all_of_its_labels() {
        let query = |raw: &[&str]| TodoQuery {
            labels: label_filter(&raw.iter().map(|l| (*l).to_owned()).collect::<Vec<_>>()).unwrap(),
            ..Default::default()
        };
        assert_eq!(titles(&query(&["x"]), &sample()), ["a", "b"]);
        assert_eq!(titles(&query(&["X", "y"]), &sample()), ["b"]);
        assert!(titles(&query(&["z"]), &sample()).is_empty());
        let err = label_filter(&["a b".into()]).unwrap_err().0;
        assert!(err.starts_with("label: 'a b' is not a label"), "{err}");
    }

    #[test]
    fn a_priority_filter_keeps_any_of_its_priorities() {
        let query = |raw: &str| TodoQuery {
            priorities: priority_filter(raw).unwrap(),
            sort: TodoSort::Due,
            ..Default::default()
        };
        assert_eq!(titles(&query("1, 2"), &sample()), ["c", "e", "a", "b"]);
        assert_eq!(titles(&query("4"), &sample()), ["d"]);
        assert_eq!(priority_filter("2,2,1").unwrap().len(), 2);
        for bad in ["", "0", "5", "1,", "1;2", "one", "1,,2"] {
            let err = priority_filter(bad).unwrap_err().0;
            assert!(
                err.starts_with("priority must be 1, 2, 3 or 4"),
                "{bad}: {err}"
            );
        }
        let err = TodoSort::parse("importance").unwrap_err().0;
        assert_eq!(err, "sort must be due, created or priority.");
    }

    #[test]
    fn a_search_is_bounded_in_length_and_distinct_words() {
        let long = "a".repeat(SEARCH_MAX_CHARS + 1);
        let message = SearchWords::parse(&long).unwrap_err().0;
        assert!(
            message.contains("201 characters") && message.contains("200"),
            "{message}"
        );
        let many = (0..11)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let message = SearchWords::parse(&many).unwrap_err().0;
        assert!(
            message.contains("11 different words") && message.contains("10"),
            "{message}"
        );
    }

    fn todo_in(owner: &UserId, list_id: Option<ListId>) -> Todo {
        let at = jiff::Timestamp::UNIX_EPOCH;
        Todo {
            owner: owner.clone(),
            id: super::super::TodoId::new(),
            title: super::super::TodoTitle::parse("t").unwrap(),
            description: Default::default(),
            notes: Default::default(),
            date_due: None,
            list_id,
            labels: Default::default(),
            priority: Default::default(),
            subtasks: Default::default(),
            due_time: None,
            repeat: None,
            repeat_after_completion: false,
            completions: Default::default(),
            completed: false,
            created_at: at,
            updated_at: at,
            version: 1,
            deleted_until: None,
            purging: false,
            reminders: Default::default(),
            remind_at: None,
            search: Default::default(),
        }
    }

    #[test]
    fn a_list_filter_keeps_that_lists_todos_and_the_inbox_those_without_a_list() {
        let ann = UserId::from_verified_sub("ann");
        let work = ListId::new();
        let todos = vec![
            todo_in(&ann, None),
            todo_in(&ann, Some(work)),
            todo_in(&ann, Some(ListId::new())),
        ];
        let today = DueDate::parse("2026-01-01").unwrap();
        let only = |list: ListId| {
            let query = TodoQuery {
                list: Some(ListFilter::of(&ann, list)),
                ..Default::default()
            };
            query.matching_positions(&todos, today)
        };
        assert_eq!(only(work), vec![1]);
        assert_eq!(only(ListId::inbox_of(&ann)), vec![0]);
        assert_eq!(only(ListId::new()), Vec::<usize>::new());
        assert_eq!(TodoQuery::default().apply(todos, today).len(), 3);
    }

    #[test]
    fn repeated_words_count_once_and_case_does_not_matter() {
        let words = SearchWords::parse(&"Milk milk MILK ".repeat(12))
            .unwrap()
            .unwrap();
        assert_eq!(words.words(), ["milk"]);
        assert_eq!(SearchWords::parse("   ").unwrap(), None);
    }
}
