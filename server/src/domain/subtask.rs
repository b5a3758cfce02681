//! A todo's checklist: ordered subtasks, each a title (the rules of a todo's title), done or
//! not, with an id the server mints. The API sends the whole list back to change it.

use serde::{Deserialize, Serialize};

use super::{
    ids::SubtaskId,
    input::{InvalidInput, excerpt},
    title::TodoTitle,
};

/// The most subtasks one todo has.
pub const SUBTASKS_PER_TODO: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subtask {
    pub id: SubtaskId,
    pub title: TodoTitle,
    #[serde(default)]
    pub done: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Subtasks(Vec<Subtask>);

impl Subtasks {
    /// The checklist `items` ask for in place of `current` (empty for a new todo): an item
    /// with an id keeps that subtask's id (it must be one of `current`, once), an item
    /// without one is new and gets an id; the order is the items'. Errors name the field
    /// and the item (counted from 1).
    pub fn replace(
        current: &Self,
        items: &[app::wire::SubtaskInput],
    ) -> Result<Self, InvalidInput> {
        if items.len() > SUBTASKS_PER_TODO {
            return Err(InvalidInput(format!(
                "subtasks: a todo has at most {SUBTASKS_PER_TODO} subtasks; {} were given.",
                items.len()
            )));
        }
        let mut list: Vec<Subtask> = Vec::with_capacity(items.len());
        for (n, item) in items.iter().enumerate().map(|(i, item)| (i + 1, item)) {
            let bad = |message: String| InvalidInput(format!("subtasks item {n}: {message}"));
            let id = match item.id.as_deref() {
                None => SubtaskId::new(),
                Some(raw) => {
                    let id = SubtaskId::parse(raw).map_err(|e| bad(e.0))?;
                    if !current.0.iter().any(|s| s.id == id) {
                        return Err(bad(format!(
                            "'{}' is not one of this todo's subtasks (leave the id out to add one).",
                            excerpt(raw, 60)
                        )));
                    }
                    if list.iter().any(|s| s.id == id) {
                        return Err(bad(format!("the id {id} is given twice.")));
                    }
                    id
                }
            };
            let title = TodoTitle::parse(&item.title).map_err(|e| bad(e.0))?;
            list.push(Subtask {
                id,
                title,
                done: item.done,
            });
        }
        Ok(Self(list))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Subtask> {
        self.0.iter()
    }

    /// Every step to do again (a repeating todo's next occurrence).
    pub fn uncheck_all(&mut self) {
        for step in &mut self.0 {
            step.done = false;
        }
    }

    pub fn to_wire(&self) -> Vec<app::wire::Subtask> {
        self.0
            .iter()
            .map(|s| app::wire::Subtask {
                id: s.id.to_string(),
                title: s.title.as_str().to_owned(),
                done: s.done,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::wire::SubtaskInput;

    fn new(title: &str) -> SubtaskInput {
        SubtaskInput {
            id: None,
            title: title.into(),
            done: false,
        }
    }

    fn kept(subtask: &Subtask, title: &str, done: bool) -> SubtaskInput {
        SubtaskInput {
            id: Some(subtask.id.to_string()),
            title: title.into(),
            done,
        }
    }

    #[test]
    fn new_items_get_ids_and_titles_follow_the_todo_title_rules() {
        let list = Subtasks::replace(&Subtasks::default(), &[new(" a "), new("b")]).unwrap();
        let titles: Vec<&str> = list.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["a", "b"]);
        assert_ne!(list.0[0].id, list.0[1].id);
        let err = Subtasks::replace(&list, &[new("ok"), new("  ")])
            .unwrap_err()
            .0;
        assert_eq!(err, "subtasks item 2: The title must not be empty.");
        let err = Subtasks::replace(&list, &[new("one\ntwo")]).unwrap_err().0;
        assert!(err.starts_with("subtasks item 1: "), "{err}");
    }

    #[test]
    fn a_replacement_keeps_ids_reorders_checks_and_removes() {
        let list =
            Subtasks::replace(&Subtasks::default(), &[new("a"), new("b"), new("c")]).unwrap();
        let (a, c) = (&list.0[0], &list.0[2]);
        let next =
            Subtasks::replace(&list, &[kept(c, "C", true), new("d"), kept(a, "a", false)]).unwrap();
        assert_eq!(next.0.len(), 3);
        assert_eq!(
            (next.0[0].id, next.0[0].title.as_str(), next.0[0].done),
            (c.id, "C", true)
        );
        assert_eq!(next.0[2].id, a.id);
        assert!(next.0[1].id != a.id && next.0[1].id != c.id);
    }

    #[test]
    fn unknown_malformed_and_repeated_ids_are_refused() {
        let list = Subtasks::replace(&Subtasks::default(), &[new("a")]).unwrap();
        let stranger = SubtaskInput {
            id: Some(SubtaskId::new().to_string()),
            ..new("x")
        };
        let err = Subtasks::replace(&list, &[stranger]).unwrap_err().0;
        assert!(err.contains("is not one of this todo's subtasks"), "{err}");
        let malformed = SubtaskInput {
            id: Some("nope".into()),
            ..new("x")
        };
        let err = Subtasks::replace(&list, &[malformed]).unwrap_err().0;
        assert_eq!(err, "subtasks item 1: 'nope' is not a subtask id.");
        let a = &list.0[0];
        let err = Subtasks::replace(&list, &[kept(a, "a", false), kept(a, "b", false)])
            .unwrap_err()
            .0;
        assert!(
            err.starts_with("subtasks item 2: the id") && err.contains("twice"),
            "{err}"
        );
    }

    #[test]
    fn a_todo_has_at_most_a_hundred_subtasks() {
        let hundred: Vec<SubtaskInput> = (0..100).map(|i| new(&format!("s{i}"))).collect();
        assert!(Subtasks::replace(&Subtasks::default(), &hundred).is_ok());
        let mut too_many = hundred;
        too_many.push(new("one more"));
        let err = Subtasks::replace(&Subtasks::default(), &too_many)
            .unwrap_err()
            .0;
        assert!(err.contains("at most 100") && err.contains("101"), "{err}");
    }
}
