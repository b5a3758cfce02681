//! Typos in command words: "delet the milk one", "compelte it", "mark it as dnoe", "lsit my
//! todso". Only the words that carry the command are corrected (the first word, the state
//! word after "as", and the list words), each to the one command word a single edit away
//! (an insertion, a deletion, a substitution or two swapped letters); titles are never
//! touched, and a word that is a known word already, or is one edit from two command words,
//! stays as it is.

/// Words that start a command.
const VERBS: &[&str] = &[
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

/// First words that are fine as they are (one edit from a verb, but meant).
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
    "last", "mask", "fist", "lost", "lust",
];

/// The state words after "as" ("mark it as done").
const STATES: &[&str] = &[
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
const LIST_WORDS: &[&str] = &[
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

/// Edit distance with adjacent swaps counted as one edit (optimal string alignment).
fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// The one word of `vocabulary` a single edit from `word`, if `word` is not a word already.
fn correct(word: &str, vocabulary: &[&'static str]) -> Option<&'static str> {
    let lower = word.to_lowercase();
    if lower.chars().count() < 2
        || !lower.chars().all(char::is_alphabetic)
        || vocabulary.contains(&lower.as_str())
        || KNOWN.contains(&lower.as_str())
        || VERBS.contains(&lower.as_str())
    {
        return None;
    }
    let near: Vec<&'static str> = vocabulary
        .iter()
        .copied()
        .filter(|candidate| distance(&lower, candidate) == 1)
        .collect();
    match near.as_slice() {
        [only] => Some(*only),
        _ => None,
    }
}

/// `text` with its command words spelled right.
pub fn fix_command_words(text: &str) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    let Some(first) = words.first() else {
        return text.to_owned();
    };
    let mut fixed: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
    let verb = correct(first, VERBS);
    if let Some(verb) = verb {
        fixed[0] = verb.to_owned();
    }
    let command = fixed[0].to_lowercase();
    // An added todo's title is the user's own text: only the command word is checked.
    let adding = matches!(command.as_str(), "add" | "create" | "schedule" | "remind");
    if !adding {
        for i in 1..fixed.len() {
            let after_as = fixed[i - 1].eq_ignore_ascii_case("as");
            let last = i + 1 == fixed.len();
            let vocabulary = if after_as || (last && command == "mark") {
                STATES
            } else {
                LIST_WORDS
            };
            let looks_listy =
                after_as || last || matches!(command.as_str(), "list" | "show" | "what" | "which");
            if looks_listy && let Some(word) = correct(&fixed[i], vocabulary) {
                fixed[i] = word.to_owned();
            }
        }
    }
    fixed.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_words_are_corrected() {
        for (typed, meant) in [
            ("delet the milk one", "delete the milk one"),
            ("dleete the milk one", "delete the milk one"),
            ("compelte it", "complete it"),
            ("mark it as dnoe", "mark it as done"),
            ("marl it as done", "mark it as done"),
            ("remvoe the dentist todo", "remove the dentist todo"),
            ("lsit my todso", "list my todos"),
            ("shwo the dentist one", "show the dentist one"),
            ("ad buy milk", "add buy milk"),
            ("reopne it", "reopen it"),
            ("renmae it to call dad", "rename it to call dad"),
            ("postpnoe it to friday", "postpone it to friday"),
            ("lits overdue", "list overdue"),
        ] {
            assert_eq!(fix_command_words(typed), meant, "{typed}");
        }
    }

    #[test]
    fn titles_and_real_words_are_left_alone() {
        for text in [
            "add buy mlik",
            "add dleete old photos",
            "get my todos",
            "is the dentist one done",
            "i finished the dentist one",
            "hi",
            "no",
            "mark the sad story one as done",
            "what is due tomorrow",
            "show me tomorrow",
        ] {
            assert_eq!(fix_command_words(text), text, "{text}");
        }
    }
}
