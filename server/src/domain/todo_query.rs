//! Which todos a listing shows and in what order: the filters of `GET /api/todos` and of the
//! assistant's `getTodos` tool, one implementation for both.

use super::{DueDate, InvalidInput, Todo};

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
}

impl TodoSort {
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        match raw.to_lowercase().as_str() {
            "created" => Ok(Self::Created),
            "due" => Ok(Self::Due),
            _ => Err(InvalidInput("sort must be due or created.".into())),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TodoQuery {
    pub status: StatusFilter,
    pub due_from: Option<DueDate>,
    pub due_to: Option<DueDate>,
    /// Words that must all occur (case-insensitively) in the title, description or notes.
    pub text: Option<String>,
    pub sort: TodoSort,
}

impl TodoQuery {
    /// The matching todos, in the query's order. `todos` come from the store oldest first.
    pub fn apply(&self, todos: Vec<Todo>, today: DueDate) -> Vec<Todo> {
        let mut keep = self.matcher(today);
        let mut matching: Vec<Todo> = todos.into_iter().filter(|t| keep(t)).collect();
        self.order(&mut matching);
        matching
    }

    /// `apply` over borrowed todos (a shared, cached list is filtered without copies).
    pub fn apply_to<'a>(&self, todos: &'a [Todo], today: DueDate) -> Vec<&'a Todo> {
        let mut keep = self.matcher(today);
        let mut matching: Vec<&Todo> = todos.iter().filter(|t| keep(t)).collect();
        self.order(&mut matching);
        matching
    }

    fn matcher(&self, today: DueDate) -> impl FnMut(&Todo) -> bool + '_ {
        let words: Vec<String> = self
            .text
            .as_deref()
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        move |todo| todo.is_live() && self.keeps(todo, today) && contains_all(todo, &words)
    }

    fn order<T: std::borrow::Borrow<Todo>>(&self, matching: &mut [T]) {
        if self.sort == TodoSort::Due {
            // Stable: equal dates (and all undated todos) keep their creation order.
            matching.sort_by_key(|todo| {
                let todo = todo.borrow();
                (todo.date_due.is_none(), todo.date_due)
            });
        }
    }

    fn keeps(&self, todo: &Todo, today: DueDate) -> bool {
        let state = match self.status {
            StatusFilter::All => true,
            StatusFilter::Open => !todo.completed,
            StatusFilter::Completed => todo.completed,
            StatusFilter::Overdue => !todo.completed && todo.date_due.is_some_and(|d| d < today),
        };
        let within = |bound: Option<DueDate>, ok: fn(DueDate, DueDate) -> bool| {
            bound.is_none_or(|bound| todo.date_due.is_some_and(|d| ok(d, bound)))
        };
        state && within(self.due_from, |d, from| d >= from) && within(self.due_to, |d, to| d <= to)
    }
}

fn contains_all(todo: &Todo, words: &[String]) -> bool {
    if words.is_empty() {
        return true;
    }
    let fields = [
        todo.title.as_str().to_lowercase(),
        todo.description.as_str().to_lowercase(),
        todo.notes.as_str().to_lowercase(),
    ];
    words
        .iter()
        .all(|word| fields.iter().any(|field| field.contains(word.as_str())))
}
