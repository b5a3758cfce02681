//! The activity log's sentences for changes to lists, labels and imports (a todo's are in
//! `changes::summary`): markdown, every name escaped and emphasized.

use crate::domain::{TodoList, text};

fn named(name: &str) -> String {
    format!("*{}*", text::markdown_escape(name))
}

fn todos(n: usize) -> String {
    format!("{n} todo{}", if n == 1 { "" } else { "s" })
}

/// "Renamed list *Home* to *House*", or what else changed.
pub fn list_edited(before: &TodoList, after: &TodoList) -> String {
    let name = named(after.name.as_str());
    let mut what = Vec::new();
    if before.name != after.name {
        what.push("name");
    }
    if before.color != after.color {
        what.push("color");
    }
    if before.order != after.order {
        what.push("place");
    }
    match what.as_slice() {
        ["name"] => format!("Renamed list {} to {name}", named(before.name.as_str())),
        [] => format!("Edited list {name}"),
        _ => format!("Edited list {name} ({})", what.join(", ")),
    }
}

/// "Renamed label *errand* to *errands* on 4 todos".
pub fn label_renamed(from: &str, to: &str, count: usize) -> String {
    format!(
        "Renamed label {} to {} on {}",
        named(from),
        named(to),
        todos(count)
    )
}

/// "Deleted list *Work*" and what became of its todos.
pub fn list_deleted(name: &str, moved: usize, deleted: usize) -> String {
    let list = named(name);
    match (moved, deleted) {
        (0, 0) => format!("Deleted list {list}"),
        (moved, 0) => format!(
            "Deleted list {list}; its {} went to the Inbox",
            todos(moved)
        ),
        (_, deleted) => format!("Deleted list {list} and its {}", todos(deleted)),
    }
}

/// "Imported 12 todos", and the lists it made.
pub fn imported(count: usize, lists: usize) -> String {
    match lists {
        0 => format!("Imported {}", todos(count)),
        1 => format!("Imported {} into a new list", todos(count)),
        n => format!("Imported {} into {n} new lists", todos(count)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ListColor, ListName, UserId};

    fn list(name: &str) -> TodoList {
        let at = "2026-12-04T10:00:00Z".parse().unwrap();
        TodoList {
            owner: UserId::from_verified_sub("9f1c2d3e-0000-4000-8000-000000000000"),
            id: crate::domain::ListId::new(),
            name: ListName::parse(name).unwrap(),
            color: ListColor::default_for(0),
            order: 1,
            inbox: false,
            created_at: at,
            updated_at: at,
            version: 1,
        }
    }

    #[test]
    fn a_list_change_says_what_changed_on_which_list() {
        let home = list("Home");
        let mut house = home.clone();
        house.name = ListName::parse("House *2*").unwrap();
        assert_eq!(
            list_edited(&home, &house),
            r"Renamed list *Home* to *House \*2\**"
        );
        house.order = 4;
        assert_eq!(
            list_edited(&home, &house),
            r"Edited list *House \*2\** (name, place)"
        );
        assert_eq!(list_edited(&home, &home), "Edited list *Home*");
    }

    #[test]
    fn counts_are_said_in_words() {
        assert_eq!(
            label_renamed("errand", "errands", 4),
            "Renamed label *errand* to *errands* on 4 todos"
        );
        assert_eq!(
            label_renamed("a", "b", 1),
            "Renamed label *a* to *b* on 1 todo"
        );
        assert_eq!(list_deleted("Work", 0, 0), "Deleted list *Work*");
        assert_eq!(
            list_deleted("Work", 3, 0),
            "Deleted list *Work*; its 3 todos went to the Inbox"
        );
        assert_eq!(
            list_deleted("Work", 0, 1),
            "Deleted list *Work* and its 1 todo"
        );
        assert_eq!(imported(12, 0), "Imported 12 todos");
        assert_eq!(imported(12, 1), "Imported 12 todos into a new list");
        assert_eq!(imported(1, 2), "Imported 1 todo into 2 new lists");
    }
}
