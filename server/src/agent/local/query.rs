//! Noun phrases and list questions: the words of a `{ref}` slot read as a [`Reference`]
//! ("it", "the second one", "the first two", "all completed", "the one about X"), and the
//! words of a listing read as a [`ListQuery`] (state, due range, "about X").

use app::words::{dates, lexicon};
use jiff::{
    ToSpan,
    civil::{Date, Weekday},
};

use crate::domain::dialogue::{ListQuery, Reference};

const PRONOUN_ONE: &[&str] = &[
    "it",
    "that",
    "this",
    "that one",
    "this one",
    "the same one",
    "same one",
    "that todo",
    "this todo",
    "that task",
    "this task",
    "the one you mentioned",
    "the one you just mentioned",
    "the one you showed",
    "the one you just added",
    "the one you added",
];
const PRONOUN_MANY: &[&str] = &[
    "them",
    "those",
    "these",
    "them all",
    "all of them",
    "both",
    "both of them",
    "those ones",
    "these ones",
    "those todos",
    "these todos",
    "those tasks",
    "all those",
    "all these",
];
const ALL: &[&str] = &[
    "all",
    "everything",
    "all todos",
    "all tasks",
    "all items",
    "all my todos",
    "all my tasks",
    "all the todos",
    "all the tasks",
    "all of my todos",
    "every todo",
    "every task",
    "my todos",
    "my tasks",
];
const KIND_WORDS: [&str; 7] = ["one", "ones", "todo", "todos", "task", "tasks", "item"];

/// Lower-cased words of a phrase, without punctuation at their ends.
pub fn words(phrase: &str) -> Vec<String> {
    phrase
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| ",.!?;:\"“”".contains(c))
                .to_lowercase()
                .replace('’', "'")
        })
        .filter(|w| !w.is_empty())
        .collect()
}

fn position(words: &[&str]) -> Option<Reference> {
    let mut words = words;
    if let ["the" | "number" | "no" | "#", rest @ ..] = words {
        words = rest;
    }
    let words = match words {
        [w, "one" | "todo" | "task" | "item", rest @ ..] => {
            [std::slice::from_ref(w), rest].concat()
        }
        other => other.to_vec(),
    };
    let words: Vec<&str> = match words.as_slice() {
        [w, "on" | "in" | "from", "the", "list"] => vec![w],
        other => other.to_vec(),
    };
    match words.as_slice() {
        [w] => lexicon::ordinal(w).map(Reference::Position),
        ["first", n] | ["first", n, "ones" | "todos" | "tasks"] => {
            lexicon::number(n).map(|n| Reference::FirstN(n.max(1) as usize))
        }
        _ => None,
    }
}

/// Parses a noun phrase that points at todos.
pub fn reference(phrase: &str) -> Reference {
    let lower = words(phrase);
    let joined = lower.join(" ");
    if PRONOUN_ONE.contains(&joined.as_str()) {
        return Reference::Pronoun { plural: false };
    }
    if PRONOUN_MANY.contains(&joined.as_str()) {
        return Reference::Pronoun { plural: true };
    }
    let refs: Vec<&str> = lower.iter().map(String::as_str).collect();
    if let Some(position) = position(&refs) {
        return position;
    }
    let mut core: Vec<&str> = refs.clone();
    core.retain(|w| !["all", "of", "my", "the"].contains(w));
    if let [state, kind] = core.as_slice()
        && ["completed", "done", "finished"].contains(state)
        && KIND_WORDS.contains(kind)
    {
        return Reference::AllCompleted;
    }
    if refs.first() == Some(&"all")
        && let [state] = core.as_slice()
        && ["completed", "done", "finished"].contains(state)
    {
        return Reference::AllCompleted;
    }
    if ALL.contains(&joined.as_str()) {
        return Reference::All;
    }
    Reference::Text(title_words(phrase))
}

/// Strips the framing around a title: "the one about X", "my X todo", quotes.
pub fn title_words(phrase: &str) -> String {
    let mut s = phrase
        .trim()
        .trim_end_matches(['.', '!', '?', ','])
        .to_owned();
    if let Some(quoted) = s
        .split(['"', '“', '”'])
        .nth(1)
        .filter(|q| !q.trim().is_empty())
    {
        return quoted.trim().to_owned();
    }
    const PREFIXES: [&str; 25] = [
        "the one about ",
        "the one for ",
        "the one with ",
        "the one called ",
        "the one named ",
        "the one ",
        "one about ",
        "the todo about ",
        "the todo for ",
        "the todo called ",
        "the task about ",
        "the task for ",
        "the task called ",
        "the item about ",
        "todo about ",
        "task about ",
        "the todo ",
        "the task ",
        "my todo ",
        "my task ",
        "my ",
        "the ",
        "todo ",
        "task ",
        "about ",
    ];
    let lower = s.to_lowercase();
    if let Some(prefix) = PREFIXES.iter().find(|p| lower.starts_with(*p)) {
        s = s[prefix.len()..].to_owned();
    }
    for suffix in [
        " todo",
        " task",
        " item",
        " one",
        " thing",
        " from the list",
        " from my list",
    ] {
        if s.to_lowercase().ends_with(suffix) && s.len() > suffix.len() {
            s.truncate(s.len() - suffix.len());
        }
    }
    s.trim().to_owned()
}

/// Words of a listing: the state, a due range, "about X".
pub fn list_query(text: &str, today: Date) -> ListQuery {
    let lower_words = words(text);
    let refs: Vec<&str> = lower_words.iter().map(String::as_str).collect();
    let lower = lower_words.join(" ");
    let mut query = ListQuery {
        state: lexicon::state(&refs),
        ..ListQuery::default()
    };
    let has = |w: &str| refs.contains(&w);
    let mut range = |from: Date, to: Date, label: &str| {
        query.due_from = Some(from);
        query.due_to = Some(to);
        query.label = label.to_owned();
    };
    let monday = dates::monday_of_week(today);
    let plus = |d: Date, n: i64| d.checked_add(n.days()).unwrap_or(d);
    if lower.contains("next week") {
        range(plus(monday, 7), plus(monday, 13), "due next week");
    } else if lower.contains("this week") || lower.contains("the week") {
        // On a weekend "this week" is the one coming: what is left of this one would be a
        // day or two, and Monday's todos are what a Saturday's question is about.
        let weekend = matches!(today.weekday(), Weekday::Saturday | Weekday::Sunday);
        let end = if weekend {
            plus(monday, 13)
        } else {
            plus(monday, 6)
        };
        range(monday, end, "due this week");
    } else if lower.contains("next month") {
        let first = today
            .first_of_month()
            .checked_add(1.month())
            .unwrap_or(today);
        range(first, first.last_of_month(), "due next month");
    } else if lower.contains("this month") {
        range(
            today.first_of_month(),
            today.last_of_month(),
            "due this month",
        );
    } else if has("tomorrow") {
        range(plus(today, 1), plus(today, 1), "due tomorrow");
    } else if has("today") || has("tonight") {
        range(today, today, "due today");
    } else if let Some(mut at) = refs
        .iter()
        .position(|w| ["by", "before", "until", "till", "on", "for", "due"].contains(w))
        && let Some(date) = {
            if refs[at] == "due"
                && refs
                    .get(at + 1)
                    .is_some_and(|w| ["by", "before", "until", "till", "on"].contains(w))
            {
                at += 1;
            }
            dates::parse(&refs[at + 1..].join(" "), today)
        }
    {
        let when = dates::friendly(date, today);
        if ["by", "before", "until", "till"].contains(&refs[at]) {
            query.due_to = Some(date);
            query.label = format!("due by {when}");
        } else {
            range(date, date, &format!("due on {when}"));
        }
    }
    if let Some(about) = about(text) {
        let quoted = super::reply::escape(&about);
        query.label = if query.label.is_empty() {
            format!("matching “{quoted}”")
        } else {
            format!("{} matching “{quoted}”", query.label)
        };
        query.text = Some(about);
    }
    query
}

/// "about X", "matching X", "called X": the words a listing searches for (lower-cased).
fn about(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    const MARKERS: [&str; 14] = [
        " about ",
        " matching ",
        " containing ",
        " mentioning ",
        " related to ",
        " regarding ",
        " called ",
        " named ",
        " titled ",
        " with the word ",
        " that says ",
        " that mention ",
        " mention ",
        " with ",
    ];
    let padded = format!(" {lower}");
    let (at, marker) = MARKERS
        .iter()
        .filter(|m| **m != " with ")
        .filter_map(|m| padded.find(m).map(|i| (i, *m)))
        .min_by_key(|(i, _)| *i)?;
    let rest = padded[at + marker.len()..]
        .trim()
        .trim_end_matches(['?', '.', '!'])
        .trim_matches(['"', '“', '”', '\''])
        .trim_end_matches(" todos")
        .trim_end_matches(" tasks")
        .to_owned();
    (!rest.is_empty()).then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        assert_eq!(reference("the second one"), Reference::Position(2));
        assert_eq!(reference("the first two"), Reference::FirstN(2));
        assert_eq!(reference("all completed todos"), Reference::AllCompleted);
        assert_eq!(reference("all the completed ones"), Reference::AllCompleted);
        assert_eq!(reference("that one"), Reference::Pronoun { plural: false });
        assert_eq!(
            reference("the one about Ansible"),
            Reference::Text("Ansible".into())
        );
        assert_eq!(
            reference("my dentist appointment todo"),
            Reference::Text("dentist appointment".into())
        );
    }
}
