//! Resolving references to the user's todos: by position in the last list, by conversation
//! memory, or by fuzzy title match ("X and Y" naming two). Only the user's own todos are
//! ever candidates. Pure: the todos and the memory are given.

use super::reply::escape;
use crate::domain::{
    Todo, TodoId,
    dialogue::{LocalMemory, Reference},
};

#[derive(Debug)]
pub enum Resolved {
    Found(Vec<Todo>),
    /// Several todos fit; the user must choose.
    Ambiguous(Vec<Todo>),
    /// Nothing fits; the sentence says why.
    NotFound(String),
}

/// Which todos a verb prefers when a title matches several (completing an open one, say).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prefer {
    Any,
    Open,
    Completed,
}

const STOP_WORDS: [&str; 24] = [
    "the", "a", "an", "one", "about", "my", "todo", "todos", "task", "tasks", "item", "for", "to",
    "with", "that", "this", "of", "on", "in", "and", "please", "called", "named", "is",
];

fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !STOP_WORDS.contains(w))
        .map(str::to_owned)
        .collect()
}

fn word_matches(query: &str, word: &str) -> bool {
    query == word
        || (query.len() >= 4 && word.starts_with(query))
        || (word.len() >= 4 && query.starts_with(word))
        || (query.len() >= 5 && app::words::lexicon::distance(query, word, 1) <= 1)
}

/// How well `query` words fit a todo: title matches count fully, description/notes half.
fn score(query: &[String], todo: &Todo) -> f32 {
    let title = words(todo.title.as_str());
    let body = words(&format!(
        "{} {}",
        todo.description.as_str(),
        todo.notes.as_str()
    ));
    let total: f32 = query
        .iter()
        .map(|q| {
            if title.iter().any(|w| word_matches(q, w)) {
                1.0
            } else if body.iter().any(|w| word_matches(q, w)) {
                0.5
            } else {
                0.0
            }
        })
        .sum();
    total / query.len().max(1) as f32
}

fn by_ids(ids: &[TodoId], todos: &[Todo]) -> Vec<Todo> {
    ids.iter()
        .filter_map(|id| todos.iter().find(|t| t.id == *id).cloned())
        .collect()
}

fn ordinal_name(n: usize) -> String {
    match n {
        1 => "first".into(),
        2 => "second".into(),
        3 => "third".into(),
        n => format!("{n}th"),
    }
}

pub fn resolve(
    reference: &Reference,
    todos: &[Todo],
    memory: &LocalMemory,
    prefer: Prefer,
) -> Resolved {
    match reference {
        Reference::Pronoun { plural } => {
            let mut found = by_ids(&memory.last_referenced, todos);
            if found.is_empty() && *plural {
                found = by_ids(&memory.last_list, todos);
            }
            match found.len() {
                0 => Resolved::NotFound(
                    concat!(
                        "I'm not sure which todo you mean. ",
                        "Name it (“the one about ansible”) or list your todos first."
                    )
                    .into(),
                ),
                1 => Resolved::Found(found),
                _ if *plural => Resolved::Found(found),
                _ => Resolved::Ambiguous(found),
            }
        }
        Reference::Position(n) => {
            let list = by_ids(&memory.last_list, todos);
            if memory.last_list.is_empty() {
                return Resolved::NotFound(
                    "I haven't shown you a list yet. Try “list my todos” first.".into(),
                );
            }
            let picked = if *n == 0 {
                list.last()
            } else {
                list.get(n - 1)
            };
            match picked {
                Some(todo) => Resolved::Found(vec![todo.clone()]),
                None => Resolved::NotFound(format!(
                    "The last list had {} item{}, so there is no {} one.",
                    list.len(),
                    if list.len() == 1 { "" } else { "s" },
                    ordinal_name(*n)
                )),
            }
        }
        Reference::All => {
            if todos.is_empty() {
                Resolved::NotFound("You have no todos.".into())
            } else {
                Resolved::Found(todos.to_vec())
            }
        }
        Reference::AllCompleted => {
            let done: Vec<Todo> = todos.iter().filter(|t| t.completed).cloned().collect();
            if done.is_empty() {
                Resolved::NotFound("You have no completed todos.".into())
            } else {
                Resolved::Found(done)
            }
        }
        Reference::FirstN(n) => {
            if memory.last_list.is_empty() {
                return Resolved::NotFound(
                    "I haven't shown you a list yet. Try “list my todos” first.".into(),
                );
            }
            let list = by_ids(&memory.last_list, todos);
            Resolved::Found(list.into_iter().take(*n).collect())
        }
        Reference::Ids(ids) => {
            let found: Vec<Todo> = todos
                .iter()
                .filter(|t| ids.contains(&t.id))
                .cloned()
                .collect();
            if found.is_empty() {
                Resolved::NotFound("That todo no longer exists.".into())
            } else {
                Resolved::Found(found)
            }
        }
        Reference::Text(text) => several(text, todos, prefer),
    }
}

/// "X and Y", "X, Y": two todos when the whole does not name one and each part does.
fn several(text: &str, todos: &[Todo], prefer: Prefer) -> Resolved {
    let whole = fuzzy(text, todos, prefer);
    let exact = todos
        .iter()
        .any(|t| t.title.as_str().eq_ignore_ascii_case(text.trim()));
    let parts: Vec<&str> = text
        .split(&[',', '&'][..])
        .flat_map(|p| p.split(" and "))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if exact || parts.len() < 2 {
        return whole;
    }
    let mut found: Vec<Todo> = Vec::new();
    for part in parts {
        match fuzzy(&super::query::title_words(part), todos, prefer) {
            Resolved::Found(one) => {
                for todo in one {
                    if !found.iter().any(|f| f.id == todo.id) {
                        found.push(todo);
                    }
                }
            }
            _ => return whole,
        }
    }
    Resolved::Found(found)
}

fn fuzzy(text: &str, todos: &[Todo], prefer: Prefer) -> Resolved {
    let wanted = text.trim().to_lowercase();
    let exact: Vec<Todo> = todos
        .iter()
        .filter(|t| t.title.as_str().to_lowercase() == wanted)
        .cloned()
        .collect();
    if exact.len() == 1 {
        return Resolved::Found(exact);
    }
    let query = words(text);
    if query.is_empty() {
        let quoted = escape(text);
        return Resolved::NotFound(format!("I couldn't tell which todo “{quoted}” means."));
    }
    let scored: Vec<(f32, &Todo)> = todos.iter().map(|t| (score(&query, t), t)).collect();
    let best = scored.iter().map(|(s, _)| *s).fold(0.0_f32, f32::max);
    if best < 0.5 {
        let quoted = escape(text);
        return Resolved::NotFound(format!("I couldn't find a todo matching “{quoted}”."));
    }
    let top: Vec<Todo> = scored
        .iter()
        .filter(|(s, _)| (*s - best).abs() < 1e-6)
        .map(|(_, t)| (*t).clone())
        .collect();
    if top.len() == 1 {
        return Resolved::Found(top);
    }
    let preferred: Vec<Todo> = top
        .iter()
        .filter(|t| match prefer {
            Prefer::Any => false,
            Prefer::Open => !t.completed,
            Prefer::Completed => t.completed,
        })
        .cloned()
        .collect();
    if preferred.len() == 1 {
        return Resolved::Found(preferred);
    }
    Resolved::Ambiguous(top)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_typo_or_a_prefix_still_matches() {
        assert!(word_matches("ansible", "ansibel"));
        assert!(word_matches("dent", "dentist"));
        assert!(word_matches("dentist", "dentist's"));
        assert!(!word_matches("cat", "car"));
        assert!(!word_matches("milk", "mild"));
    }
}
