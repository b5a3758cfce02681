//! The one lexicon of the assistant's words: verbs (and the one edit distance that forgives
//! their typos), number words and ordinals, "no date" words, question subjects, polite
//! wrappers and fillers that carry no meaning, and state words (negatives included: "not
//! done", "unfinished", "still open"). Everything here is a word list or a pure function of
//! words; the grammar that combines them lives in the server.

use serde::{Deserialize, Serialize};

/// A todo's state as the user names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum State {
    Open,
    Completed,
    Overdue,
}

/// Words that open a command: what a typo in the first word is corrected to.
pub const VERBS: &[&str] = &[
    "add",
    "create",
    "delete",
    "remove",
    "erase",
    "complete",
    "finish",
    "mark",
    "rename",
    "move",
    "reschedule",
    "postpone",
    "show",
    "list",
    "reopen",
    "undo",
    "attach",
    "describe",
    "change",
    "update",
    "set",
    "display",
    "find",
    "uncheck",
    "push",
    "revert",
    "clear",
    "schedule",
    "remind",
    "view",
    "open",
    "read",
    "what",
    "which",
    "when",
    "check",
    "delay",
];

/// Words that are fine as typed although one edit from a verb.
const KNOWN: &[&str] = &[
    "get", "i", "is", "it", "my", "no", "yes", "ok", "hi", "hey", "the", "and", "did", "do",
    "does", "how", "new", "make", "put", "tick", "cross", "close", "flag", "tell", "give", "help",
    "here", "this", "that", "not", "was", "has", "have", "had", "are", "can", "any", "all", "sure",
    "keep", "go", "look", "note", "notes", "write", "append", "shift", "bring", "pull", "drop",
    "trash", "scrap", "discard", "retitle", "restore", "wait", "oops", "sorry", "actually", "then",
    "thanks", "thx", "cheers", "nope", "yep", "yeah", "cancel", "confirm", "abort", "never",
    "good", "great", "perfect", "remember", "todo", "task", "item", "one", "due", "whats",
    "what's", "when's", "its", "it's", "that's", "just", "also", "so", "hm", "hmm", "well", "err",
    "um", "please", "can't", "cant", "dont", "don't", "done", "see", "reset", "mad", "sad", "lit",
    "last", "mask", "fist", "lost", "lust", "were", "wear", "where", "on", "in", "to", "at", "by",
    "lets", "let's", "mine", "dad", "mom",
];

/// State words a typo is corrected to after "as" ("mark it as dnoe").
pub const STATE_WORDS: &[&str] = &[
    "done",
    "complete",
    "completed",
    "finished",
    "open",
    "incomplete",
    "undone",
    "pending",
];

/// Words of listings ("lsit my todso due tomorow").
pub const LIST_WORDS: &[&str] = &[
    "todos",
    "tasks",
    "overdue",
    "tomorrow",
    "today",
    "week",
    "month",
    "completed",
    "open",
];

/// Edit distance with two swapped neighbours counted as one edit (optimal string alignment),
/// giving up (returning `max + 1`) as soon as it must exceed `max`: O(len · (2·max + 1)).
pub fn distance(a: &str, b: &str, max: usize) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > max {
        return max + 1;
    }
    let big = max + 1;
    let mut rows = vec![vec![big; b.len() + 1]; a.len() + 1];
    for (j, cell) in rows[0].iter_mut().enumerate().take(max + 1) {
        *cell = j;
    }
    for i in 1..=a.len() {
        if i <= max {
            rows[i][0] = i;
        }
        let (lo, hi) = (i.saturating_sub(max).max(1), (i + max).min(b.len()));
        let mut best_in_row = big;
        for j in lo..=hi {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = d.min(big);
            best_in_row = best_in_row.min(rows[i][j]);
        }
        if best_in_row > max {
            return big;
        }
    }
    rows[a.len()][b.len()].min(big)
}

/// The one word of `vocabulary` a single edit from `word`, when `word` is not a word already
/// (known, a verb, or in `vocabulary`) and only one candidate is that close.
pub fn correct(word: &str, vocabulary: &[&'static str]) -> Option<&'static str> {
    if word.chars().count() < 2
        || !word.chars().all(char::is_alphabetic)
        || vocabulary.contains(&word)
        || KNOWN.contains(&word)
        || VERBS.contains(&word)
    {
        return None;
    }
    let mut near = vocabulary.iter().filter(|v| distance(word, v, 1) == 1);
    match (near.next(), near.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

/// Polite wrappers and fillers before a command: dropped, they mean nothing.
pub const OPENERS: &[&str] = &[
    "could you please",
    "can you please",
    "would you please",
    "will you please",
    "please",
    "pls",
    "kindly",
    "could you",
    "can you",
    "would you",
    "will you",
    "i'd like you to",
    "i would like you to",
    "i want you to",
    "i need you to",
    "would you mind",
    "hey tasko",
    "hey",
    "ok so",
    "ok",
    "okay",
    "now",
    "and",
    "also",
    "then",
    "tasko",
    "so",
    "just",
    "go ahead and",
    "quickly",
];

/// Polite wrappers after a command.
pub const CLOSERS: &[&str] = &[
    "please",
    "pls",
    "for me",
    "thanks",
    "thank you",
    "if you can",
    "if you could",
    "if possible",
    "thx",
    "now",
    "actually",
];

/// Ways to say "no date".
pub const NO_DATE: &[&str] = &[
    "none",
    "nothing",
    "no date",
    "no due date",
    "never",
    "no deadline",
    "no date at all",
];

/// Subjects that make a sentence a question rather than name a todo ("what is due friday").
pub const QUESTION_SUBJECTS: &[&str] = &[
    "what",
    "which",
    "anything",
    "something",
    "what else",
    "everything",
    "which ones",
    "what todos",
    "which todos",
    "which tasks",
    "what tasks",
    "how many",
    "nothing",
];

/// Words that name a todo field ("the description of X: …" sets a field, never adds).
pub const FIELDS: &[&str] = &[
    "description",
    "notes",
    "note",
    "title",
    "name",
    "due date",
    "deadline",
    "date",
    "reminders",
    "reminder",
];

/// 1 for "first", 2 for "second" …, 0 for "last"; "3rd" and "3" too.
pub fn ordinal(word: &str) -> Option<usize> {
    const WORDS: [&str; 10] = [
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
        "tenth",
    ];
    if word == "last" {
        return Some(0);
    }
    if let Some(i) = WORDS.iter().position(|w| *w == word) {
        return Some(i + 1);
    }
    word.trim_end_matches(|c: char| c.is_alphabetic())
        .parse()
        .ok()
        .filter(|n| *n > 0 && word.chars().next().is_some_and(|c| c.is_ascii_digit()))
}

/// "two" -> 2, "a" -> 1, "3" -> 3 (see [`super::dates::number`]).
pub fn number(word: &str) -> Option<i64> {
    super::dates::number(word)
}

/// The state a phrase names, negatives first: "not done", "isn't finished", "unfinished",
/// "still open" are open; "done" is completed; "overdue", "late", "past due" are overdue.
pub fn state(words: &[&str]) -> Option<State> {
    const DONE: [&str; 5] = ["done", "finished", "complete", "completed", "closed"];
    const NOT: [&str; 8] = [
        "not", "isn't", "aren't", "wasn't", "weren't", "isnt", "arent", "never",
    ];
    const OPEN: [&str; 12] = [
        "open",
        "pending",
        "incomplete",
        "unfinished",
        "remaining",
        "left",
        "active",
        "outstanding",
        "undone",
        "uncompleted",
        "todo",
        "unchecked",
    ];
    let has = |w: &str| words.contains(&w);
    let negated_done = words
        .windows(2)
        .any(|p| NOT.contains(&p[0]) && DONE.contains(&p[1]))
        || words.windows(3).any(|p| {
            NOT.contains(&p[0]) && ["yet", "been"].contains(&p[1]) && DONE.contains(&p[2])
        });
    if has("overdue") || has("late") || words.windows(2).any(|p| p == ["past", "due"]) {
        Some(State::Overdue)
    } else if negated_done
        || OPEN.iter().any(|w| has(w))
        || words.windows(2).any(|p| p == ["to", "do"])
    {
        Some(State::Open)
    } else if DONE.iter().any(|w| has(w)) {
        Some(State::Completed)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_distance_counts_swaps_as_one_edit() {
        assert_eq!(distance("delte", "delete", 2), 1);
        assert_eq!(distance("compelte", "complete", 2), 1);
        assert_eq!(distance("dleete", "delete", 2), 1);
        assert_eq!(distance("dlete", "delta", 2), 2);
        assert_eq!(distance("milk", "mild", 1), 1);
        assert_eq!(distance("abcdef", "uvwxyz", 2), 3);
        assert_eq!(distance("same", "same", 0), 0);
    }

    #[test]
    fn typos_in_verbs_are_corrected_and_words_are_not() {
        assert_eq!(correct("delte", VERBS), Some("delete"));
        assert_eq!(correct("compelte", VERBS), Some("complete"));
        assert_eq!(correct("renmae", VERBS), Some("rename"));
        assert_eq!(correct("dnoe", STATE_WORDS), Some("done"));
        assert_eq!(correct("is", VERBS), None);
        assert_eq!(correct("make", VERBS), None);
    }

    #[test]
    fn states_read_negatives_first() {
        let s = |t: &str| state(&t.split(' ').collect::<Vec<_>>());
        assert_eq!(s("which ones aren't finished"), Some(State::Open));
        assert_eq!(s("what is not done yet"), Some(State::Open));
        assert_eq!(s("unfinished todos"), Some(State::Open));
        assert_eq!(s("list completed todos"), Some(State::Completed));
        assert_eq!(s("how many are overdue"), Some(State::Overdue));
        assert_eq!(s("my todos"), None);
    }

    #[test]
    fn ordinals_and_numbers() {
        assert_eq!(ordinal("second"), Some(2));
        assert_eq!(ordinal("3rd"), Some(3));
        assert_eq!(ordinal("last"), Some(0));
        assert_eq!(ordinal("rd"), None);
        assert_eq!(number("two"), Some(2));
    }
}
