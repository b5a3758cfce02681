//! The list's views (All, Active, Completed, Today, Overdue, Upcoming), its two orders and
//! its address (`#/today?q=dentist`): pure functions, tested on the host. The dates are the
//! user's own calendar days, `YYYY-MM-DD`, compared as text (ISO dates order as text).
//! "Overdue" means what the server's `status=overdue&timeZone=` means: open and due before
//! today, or due today at a time already past.

use crate::{
    wire::Todo,
    words::tags::{TagKind, find_tags, without_tags},
};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum View {
    #[default]
    All,
    Active,
    Completed,
    /// Open, due today.
    Today,
    /// Open, due before today.
    Overdue,
    /// Open, due in the next seven days (after today).
    Upcoming,
}

/// The user's calendar now: today, the last day of "upcoming" (today + 7), and the time of
/// day (`HH:MM`, which a todo due today at a time is overdue after).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Calendar {
    pub today: String,
    pub week_end: String,
    pub now: String,
}

impl View {
    pub const ALL: [View; 6] = [
        Self::All,
        Self::Active,
        Self::Completed,
        Self::Today,
        Self::Overdue,
        Self::Upcoming,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Self::All => "",
            Self::Active => "active",
            Self::Completed => "completed",
            Self::Today => "today",
            Self::Overdue => "overdue",
            Self::Upcoming => "upcoming",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::All => "All",
            Self::Active => "Active",
            Self::Completed => "Completed",
            Self::Today => "Today",
            Self::Overdue => "Overdue",
            Self::Upcoming => "Upcoming",
        }
    }

    pub fn admits(self, todo: &Todo, calendar: &Calendar) -> bool {
        let (today, week_end) = (calendar.today.as_str(), calendar.week_end.as_str());
        let due = todo.date_due.as_deref();
        let open = !todo.completed;
        let past_its_time = due == Some(today)
            && todo
                .due_time
                .as_deref()
                .is_some_and(|t| t < calendar.now.as_str());
        match self {
            Self::All => true,
            Self::Active => open,
            Self::Completed => todo.completed,
            Self::Today => open && due == Some(today),
            Self::Overdue => open && (due.is_some_and(|d| d < today) || past_its_time),
            Self::Upcoming => open && due.is_some_and(|d| d > today && d <= week_end),
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Order {
    /// Oldest first, as the server lists.
    #[default]
    Created,
    /// Earliest due first, undated last; ties keep their creation order.
    Due,
    /// Priority 1 first; within a priority as `Due` (the server's `sort=priority`).
    Priority,
}

impl Order {
    pub fn as_param(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Due => "due",
            Self::Priority => "priority",
        }
    }

    pub fn parse(raw: &str) -> Self {
        match raw {
            "due" => Self::Due,
            "priority" => Self::Priority,
            _ => Self::Created,
        }
    }

    /// Sorts `todos` (given oldest first).
    pub fn sort(self, todos: &mut [Todo]) {
        let due = |t: &Todo| (t.date_due.is_none(), t.date_due.clone());
        match self {
            Self::Created => {}
            Self::Due => todos.sort_by_key(due),
            Self::Priority => todos.sort_by_key(|t| (t.priority, due(t))),
        }
    }
}

/// Whether `todo` is in the list `id` (`inbox`: that list is the Inbox, which also holds a
/// todo read without a list id). One rule for the sidebar's counts, the list shown and the
/// search's `#list`.
pub fn in_list(todo: &Todo, id: &str, inbox: bool) -> bool {
    todo.list_id == id || (inbox && todo.list_id.is_empty())
}

/// The labels the todos use, by name, each with how many open todos have it (a label only
/// completed todos use is there with 0: it exists while any todo uses it, as
/// `GET /api/labels` says).
pub fn label_counts(todos: &[Todo]) -> Vec<(String, usize)> {
    // A sorted Vec rather than a BTreeMap: one less collection in the wasm.
    let mut counts: Vec<(String, usize)> = Vec::new();
    for todo in todos {
        for label in &todo.labels {
            let at = match counts.binary_search_by(|(name, _)| name.as_str().cmp(label)) {
                Ok(at) => at,
                Err(at) => {
                    counts.insert(at, (label.clone(), 0));
                    at
                }
            };
            counts[at].1 += usize::from(!todo.completed);
        }
    }
    counts
}

/// The marks a search may hold (`#list`, `@label`, `p1`), read with quick add's rules, and
/// the words left for the server's text search.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchMarks {
    /// List names (case-insensitive); a todo in any of them.
    pub lists: Vec<String>,
    /// Labels; a todo must have all of them.
    pub labels: Vec<String>,
    /// Priorities; a todo with any of them.
    pub priorities: Vec<u8>,
    /// The search words without the marks.
    pub words: String,
}

impl SearchMarks {
    pub fn parse(query: &str) -> Self {
        let tags = find_tags(query, &[]);
        let mut marks = Self {
            words: without_tags(query, &tags),
            ..Self::default()
        };
        for tag in tags {
            match tag.kind {
                TagKind::List => marks.lists.push(tag.value.to_lowercase()),
                TagKind::Label => marks.labels.push(tag.value),
                TagKind::Priority => marks.priorities.extend(tag.value.parse::<u8>().ok()),
            }
        }
        marks
    }

    /// Whether `todo` has the marks; `list_name` names the list a todo is in.
    pub fn admits(&self, todo: &Todo, list_name: impl Fn(&Todo) -> Option<String>) -> bool {
        self.labels.iter().all(|l| todo.labels.contains(l))
            && (self.priorities.is_empty() || self.priorities.contains(&todo.priority))
            && (self.lists.is_empty()
                || list_name(todo).is_some_and(|name| self.lists.contains(&name.to_lowercase())))
    }
}

/// Where the list is: its view and its search words, as in `#/today?q=dentist%20card`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListRoute {
    pub view: View,
    pub query: String,
    /// The list shown (its id), or every list.
    pub list: Option<String>,
}

impl ListRoute {
    /// From the part of the URL after `#/` (unknown views read as All).
    pub fn parse(route: &str) -> Self {
        let (path, params) = route.split_once('?').unwrap_or((route, ""));
        let view = View::ALL
            .into_iter()
            .find(|v| v.slug() == path.trim_end_matches('/'))
            .unwrap_or(View::All);
        let param = |name: &str| {
            params
                .split('&')
                .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
                .map(decode_component)
        };
        Self {
            view,
            query: param("q").unwrap_or_default(),
            list: param("list").filter(|l| !l.is_empty()),
        }
    }

    /// The `#/...` address.
    pub fn to_hash(&self) -> String {
        let mut hash = format!("#/{}", self.view.slug());
        let mut params = Vec::new();
        if let Some(list) = &self.list {
            params.push(format!("list={}", encode_component(list)));
        }
        if !self.query.trim().is_empty() {
            params.push(format!("q={}", encode_component(&self.query)));
        }
        if !params.is_empty() {
            hash.push('?');
            hash.push_str(&params.join("&"));
        }
        hash
    }
}

fn encode_component(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

fn decode_component(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                match text
                    .get(i + 1..i + 3)
                    .and_then(|hex| u8::from_str_radix(hex, 16).ok())
                {
                    Some(byte) => {
                        out.push(byte);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn todo(title: &str, due: Option<&str>, completed: bool) -> Todo {
        Todo {
            id: title.into(),
            title: title.into(),
            description: String::new(),
            notes: String::new(),
            date_due: due.map(str::to_owned),
            labels: Vec::new(),
            priority: 4,
            subtasks: Vec::new(),
            list_id: String::new(),
            due_time: None,
            repeat: None,
            completions: Vec::new(),
            reminders: Vec::new(),
            completed,
            created_at: String::new(),
            updated_at: String::new(),
            version: 1,
        }
    }

    #[test]
    fn labels_are_counted_by_their_open_todos() {
        let labelled = |title: &str, labels: &[&str], completed: bool| Todo {
            labels: labels.iter().map(|l| l.to_string()).collect(),
            ..todo(title, None, completed)
        };
        let todos = [
            labelled("a", &["home", "phone"], false),
            labelled("b", &["home"], false),
            labelled("c", &["errands"], true),
            labelled("d", &[], false),
        ];
        assert_eq!(
            label_counts(&todos),
            [
                ("errands".into(), 0),
                ("home".into(), 2),
                ("phone".into(), 1)
            ]
        );
    }

    #[test]
    fn views_split_open_todos_by_their_day() {
        let calendar = Calendar {
            today: "2026-11-26".into(),
            week_end: "2026-12-03".into(),
            now: "10:00".into(),
        };
        let todos = [
            todo("late", Some("2026-11-20"), false),
            todo("done late", Some("2026-11-20"), true),
            todo("now", Some("2026-11-26"), false),
            todo("soon", Some("2026-11-27"), false),
            todo("week end", Some("2026-12-03"), false),
            todo("later", Some("2026-12-04"), false),
            todo("someday", None, false),
        ];
        let shown = |view: View| -> Vec<&str> {
            todos
                .iter()
                .filter(|t| view.admits(t, &calendar))
                .map(|t| t.title.as_str())
                .collect()
        };
        assert_eq!(shown(View::Overdue), ["late"]);
        assert_eq!(shown(View::Today), ["now"]);
        assert_eq!(shown(View::Upcoming), ["soon", "week end"]);
        assert_eq!(shown(View::Completed), ["done late"]);
        assert_eq!(shown(View::Active).len(), 6);
        assert_eq!(shown(View::All).len(), 7);
    }

    #[test]
    fn a_todo_due_today_at_nine_is_overdue_at_ten() {
        let calendar = |now: &str| Calendar {
            today: "2026-11-26".into(),
            week_end: "2026-12-03".into(),
            now: now.into(),
        };
        let mut nine = todo("nine", Some("2026-11-26"), false);
        nine.due_time = Some("09:00".into());
        assert!(!View::Overdue.admits(&nine, &calendar("08:59")));
        assert!(View::Overdue.admits(&nine, &calendar("10:00")));
        assert!(View::Today.admits(&nine, &calendar("10:00")));
        nine.completed = true;
        assert!(!View::Overdue.admits(&nine, &calendar("10:00")));
    }

    #[test]
    fn due_order_puts_undated_last_and_keeps_ties_in_creation_order() {
        let mut todos = vec![
            todo("a", None, false),
            todo("b", Some("2026-12-01"), false),
            todo("c", Some("2026-11-01"), false),
            todo("d", Some("2026-12-01"), false),
        ];
        Order::Due.sort(&mut todos);
        let titles: Vec<_> = todos.iter().map(|t| t.title.as_str()).collect();
        assert_eq!(titles, ["c", "b", "d", "a"]);
        assert_eq!(Order::parse("due"), Order::Due);
        assert_eq!(Order::parse("nonsense"), Order::Created);
    }

    #[test]
    fn priority_order_puts_p1_first_then_by_date() {
        let mut todos = vec![
            todo("none", Some("2026-11-01"), false),
            todo("p2 undated", None, false),
            todo("p2 dated", Some("2026-12-01"), false),
            todo("p1", None, false),
        ];
        todos[1].priority = 2;
        todos[2].priority = 2;
        todos[3].priority = 1;
        Order::Priority.sort(&mut todos);
        let titles: Vec<_> = todos.iter().map(|t| t.title.as_str()).collect();
        assert_eq!(titles, ["p1", "p2 dated", "p2 undated", "none"]);
        assert_eq!(Order::parse("priority"), Order::Priority);
    }

    #[test]
    fn search_marks_filter_and_leave_the_words() {
        let marks = SearchMarks::parse("@errands dentist p1 p2 #Home");
        assert_eq!(marks.words, "dentist");
        assert_eq!(marks.labels, ["errands"]);
        assert_eq!(marks.priorities, [1, 2]);
        assert_eq!(marks.lists, ["home"]);
        let mut t = todo("a", None, false);
        let home = |_: &Todo| Some("HOME".to_owned());
        assert!(!marks.admits(&t, home));
        t.labels = vec!["errands".into(), "phone".into()];
        t.priority = 2;
        assert!(marks.admits(&t, home));
        assert!(!marks.admits(&t, |_| Some("Work".into())));
        t.priority = 3;
        assert!(!marks.admits(&t, home));
        assert!(SearchMarks::parse("dentist").admits(&t, |_| None));
    }

    #[test]
    fn a_todo_without_a_list_id_is_in_the_inbox_only() {
        let mut t = todo("a", None, false);
        assert!(in_list(&t, "inbox-id", true));
        assert!(!in_list(&t, "work-id", false));
        t.list_id = "work-id".into();
        assert!(in_list(&t, "work-id", false));
        assert!(!in_list(&t, "inbox-id", true));
    }

    #[test]
    fn routes_carry_the_view_and_the_search_words() {
        let route = ListRoute {
            view: View::Today,
            query: "dentist & café".into(),
            list: None,
        };
        let hash = route.to_hash();
        assert_eq!(hash, "#/today?q=dentist%20%26%20caf%C3%A9");
        assert_eq!(ListRoute::parse(hash.trim_start_matches("#/")), route);
        assert_eq!(ListRoute::parse("").view, View::All);
        assert_eq!(ListRoute::parse("overdue").view, View::Overdue);
        assert_eq!(ListRoute::parse("upcoming/").view, View::Upcoming);
        assert_eq!(ListRoute::parse("bogus?q=x").view, View::All);
        assert_eq!(ListRoute::parse("?q=50%").query, "50%");
        assert_eq!(
            ListRoute {
                view: View::All,
                query: "  ".into(),
                list: None,
            }
            .to_hash(),
            "#/"
        );
        let in_list = ListRoute {
            view: View::Active,
            query: "milk".into(),
            list: Some("0193-abc".into()),
        };
        assert_eq!(in_list.to_hash(), "#/active?list=0193-abc&q=milk");
        assert_eq!(ListRoute::parse("active?list=0193-abc&q=milk"), in_list);
        assert_eq!(ListRoute::parse("?quick=1&q=x").query, "x");
    }
}
