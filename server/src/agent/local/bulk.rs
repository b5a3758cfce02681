//! Requests about many todos at once, which the LocalAgent answers with a plan card rather
//! than acting: spreading the overdue todos over the coming days, moving a day's todos to
//! another day, clearing the completed ones, moving a list's todos to another list,
//! planning a week, and adding dictated steps. Read here into a [`BulkAsk`] before the phrase table (whose
//! verbs act on one todo or a few named ones); `plan` turns it into the card's items.
//!
//! The reading is by words, not by fixed sentences: a request is one of these when it has
//! the kind's action word and the words saying it is about many todos ("everything",
//! "all", "overdue", "completed", a list of steps after a colon), so "sort out my overdue
//! stuff", "I'm swamped, spread my late tasks out" and "reschedule everything I missed,
//! at most 2 a day" are all the same ask. A listing ("show my overdue todos") never is.

use app::words::dates;
use jiff::civil::Date;

/// Todos a day unless the user says otherwise ("at most 2 a day").
pub const DEFAULT_PER_DAY: usize = 3;
/// The highest daily limit read ("at most 40 a day" is no plan).
const MAX_PER_DAY: usize = 20;

/// Where a bulk move takes its todos from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Day(Date),
    Overdue,
}

/// One request about many todos.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkAsk {
    /// Spread the open overdue todos over the days from today, at most `per_day` a day
    /// (counting what is due there already), by priority then due date.
    SpreadOverdue { per_day: usize },
    /// Move every open todo of `from` to the day `to`.
    MoveDay { from: Source, to: Date },
    /// Delete the completed todos (restorable for the restore window).
    ClearCompleted,
    /// Plan the seven days from `from`: the overdue todos placed, the days over
    /// `per_day` relieved, the undated high-priority todos given a day.
    PlanWeek { from: Date, per_day: usize },
    /// Move the todos of the list named `from` to the list named `to` (names as said).
    MoveList { from: String, to: String },
    /// Add dictated steps to the todo `parent` names (as its checklist), or as todos of
    /// their own (`as_todos`, or when no todo is called that).
    Steps {
        parent: String,
        steps: Vec<String>,
        as_todos: bool,
    },
}

/// Words that always mean the overdue todos.
const OVERDUE: &[&str] = &["overdue", "past-due", "backlog"];
/// Words that mean them when they describe todos ("my late tasks", "everything I
/// missed"), not in a title ("pay the late fee").
const LATE: &[&str] = &["late", "missed", "slipped", "behind", "lapsed"];
const NOUNS: &[&str] = &[
    "todos",
    "todo",
    "tasks",
    "task",
    "stuff",
    "items",
    "things",
    "ones",
    "work",
    "deadlines",
];
const SORT_VERBS: &[&str] = &[
    "sort",
    "spread",
    "reschedule",
    "replan",
    "re-plan",
    "plan",
    "fix",
    "deal",
    "catch",
    "redistribute",
    "distribute",
    "organize",
    "organise",
    "tidy",
    "rearrange",
    "untangle",
    "triage",
    "handle",
    "space",
    "schedule",
    "rebalance",
    "shuffle",
    "reorganize",
    "reorganise",
    "manage",
    "help",
    "juggle",
    "spread",
    "stagger",
    "even",
    "clean",
    "sorted",
    "reshuffle",
];
const MOVE_VERBS: &[&str] = &[
    "spread",
    "distribute",
    "move",
    "push",
    "shift",
    "reschedule",
    "postpone",
    "bump",
    "defer",
    "carry",
    "roll",
    "slide",
    "punt",
    "delay",
    "transfer",
    "put",
    "send",
    "take",
    "drag",
    "reassign",
    "relocate",
];
const MANY: &[&str] = &[
    "everything",
    "all",
    "every",
    "whole",
    "entire",
    "rest",
    "each",
    "anything",
];
/// Plural nouns: with a day named, "my todos" are that day's ("move my todos from today to
/// tomorrow").
const PLURALS: &[&str] = &["todos", "tasks", "items", "things", "to-dos", "stuff"];
const CLEAR_VERBS: &[&str] = &[
    "clear",
    "clean",
    "tidy",
    "purge",
    "archive",
    "wipe",
    "sweep",
    "declutter",
    "prune",
];
const FINISHED: &[&str] = &[
    "completed",
    "finished",
    "done",
    "ticked",
    "checked",
    "complete",
];
const LISTING: &[&str] = &[
    "list", "show", "what", "what's", "whats", "which", "how", "count", "tell", "give", "do",
    "are", "is", "any",
];
const STEP_KINDS: &[&str] = &[
    "steps",
    "subtasks",
    "sub-tasks",
    "tasks",
    "todos",
    "to-dos",
    "parts",
    "pieces",
    "stages",
    "chunks",
    "checklist",
    "items",
    "actions",
];
const SPLIT_VERBS: &[&str] = &[
    "break",
    "split",
    "divide",
    "chop",
    "decompose",
    "turn",
    "cut",
    "plan",
    "organize",
    "organise",
    "make",
];

/// The message's words, lower case, apostrophes straightened, punctuation kept apart
/// from words only where it ends them.
fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .replace(['’', '‘'], "'")
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
                .to_owned()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

fn has(words: &[String], set: &[&str]) -> bool {
    words.iter().any(|w| set.contains(&w.as_str()))
}

/// Reads a request about many todos; `None` when the message is something else.
pub fn read(message: &str, today: Date) -> Option<BulkAsk> {
    let text = message.trim();
    if text.len() > 2_000 {
        return None;
    }
    let all = words(text);
    let listing = all.first().is_some_and(|w| LISTING.contains(&w.as_str()));
    if let Some(steps) = steps(text) {
        return Some(steps);
    }
    if listing {
        return None;
    }
    if let Some(moved) = bulk_move(text, &all, today) {
        return Some(moved);
    }
    if overdue(text, &all) && (has(&all, SORT_VERBS) || swamped(&all)) {
        return Some(BulkAsk::SpreadOverdue {
            per_day: per_day(&all).unwrap_or(DEFAULT_PER_DAY),
        });
    }
    if has(&all, CLEAR_VERBS) && finished(&all) {
        return Some(BulkAsk::ClearCompleted);
    }
    week(&all, today).map(|from| BulkAsk::PlanWeek {
        from,
        per_day: per_day(&all).unwrap_or(DEFAULT_PER_DAY),
    })
}

const WEEK_VERBS: &[&str] = &[
    "plan",
    "organize",
    "organise",
    "schedule",
    "arrange",
    "map",
    "balance",
    "sort",
    "lay",
    "structure",
    "prepare",
    "prep",
    "line",
    "block",
    "rebalance",
    "fix",
    "tidy",
    "straighten",
    "set",
];

/// "plan my week", "help me organize the coming week", "sort out next week, at most 4 a
/// day", "plan the next 7 days": a week-planning verb followed closely by the week (only
/// small words between, so "plan the party for next week" is not one). Answers the day
/// the week starts: today, or next Monday for "next week".
fn week(words: &[String], today: Date) -> Option<Date> {
    const BETWEEN: &[&str] = &[
        "my",
        "the",
        "this",
        "our",
        "out",
        "up",
        "me",
        "whole",
        "entire",
        "coming",
        "upcoming",
        "for",
        "of",
        "rest",
        "next",
        "following",
        "a",
        "over",
    ];
    // "add plan my week", "remind me to plan my week": a todo called that.
    if words.first().is_some_and(|w| {
        [
            "add", "create", "new", "remind", "todo", "note", "rename", "call",
        ]
        .contains(&w.as_str())
    }) {
        return None;
    }
    words
        .iter()
        .enumerate()
        .filter(|(_, w)| WEEK_VERBS.contains(&w.as_str()))
        .find_map(|(verb, _)| {
            let after = &words[verb + 1..];
            let end = after.iter().position(|w| !BETWEEN.contains(&w.as_str()))?;
            let next = after[..end]
                .last()
                .is_some_and(|w| w == "next" || w == "following");
            let said = after[end].as_str();
            let seven_days =
                ["7", "seven"].contains(&said) && after.get(end + 1).is_some_and(|w| w == "days");
            if !["week", "week's"].contains(&said) && !seven_days {
                return None;
            }
            if next && !seven_days {
                // Next week starts on Monday.
                let ahead = 8 - i64::from(today.weekday().to_monday_one_offset());
                return today.checked_add(jiff::Span::new().days(ahead)).ok();
            }
            Some(today)
        })
}

/// Whether the message is about the overdue todos.
fn overdue(text: &str, words: &[String]) -> bool {
    has(words, OVERDUE)
        || text.to_lowercase().contains("past due")
        || words.iter().enumerate().any(|(i, w)| {
            LATE.contains(&w.as_str())
                && (words[i + 1..]
                    .iter()
                    .take(2)
                    .any(|n| NOUNS.contains(&n.as_str()))
                    || i + 1 == words.len()
                    || (i > 0
                        && [
                            "i",
                            "i've",
                            "that's",
                            "what's",
                            "everything",
                            "is",
                            "are",
                            "i'm",
                            "im",
                            "fallen",
                            "falling",
                            "way",
                            "so",
                            "running",
                            "got",
                        ]
                        .contains(&words[i - 1].as_str())))
        })
}

/// "I'm swamped", "I'm drowning in overdue stuff": a cry for the overdue plan.
fn swamped(words: &[String]) -> bool {
    has(
        words,
        &["swamped", "drowning", "overwhelmed", "buried", "snowed"],
    )
}

/// The completed todos named as a group ("completed", "what I finished", "the done ones").
fn finished(words: &[String]) -> bool {
    words.iter().enumerate().any(|(i, w)| {
        FINISHED.contains(&w.as_str())
            && !(w == "done"
                && i > 0
                && ["when", "once", "i'm", "im", "be"].contains(&words[i - 1].as_str()))
    })
}

fn count(word: &str) -> Option<usize> {
    if ["a", "an"].contains(&word) {
        return None;
    }
    dates::number(word).and_then(|n| usize::try_from(n).ok())
}

/// The daily limit said ("at most 2 a day", "3 per day", "max four daily", "two each day").
fn per_day(words: &[String]) -> Option<usize> {
    const FILLER: &[&str] = &[
        "a", "per", "each", "every", "todos", "todo", "tasks", "task", "items", "things", "of",
        "them",
    ];
    let at = words
        .iter()
        .position(|w| ["day", "daily", "day's"].contains(&w.as_str()))?;
    words[..at]
        .iter()
        .rev()
        .take(5)
        .find(|w| !FILLER.contains(&w.as_str()))
        .and_then(|w| count(w))
        .filter(|n| (1..=MAX_PER_DAY).contains(n))
}

/// Where the words after a move's "to" start: the last " to " / " until " / " onto ".
fn target_split(text: &str) -> Option<(String, String)> {
    let lower = text.to_lowercase().replace(['’', '‘'], "'");
    let lower = lower.trim_end_matches(['.', '!', '?', ' ']);
    [" to ", " until ", " till ", " onto ", " into "]
        .iter()
        .filter_map(|m| lower.rfind(m).map(|i| (i, m.len())))
        .max_by_key(|(i, _)| *i)
        .map(|(i, n)| (lower[..i].to_owned(), lower[i + n..].trim().to_owned()))
}

/// The day a move takes its todos from: "from today", "due monday", "today's", "on friday".
fn source_day(head: &str, today: Date) -> Option<Date> {
    for marker in ["from ", "due ", "on ", "for ", "of "] {
        if let Some(i) = head.rfind(marker) {
            let rest = strip_nouns(&head[i + marker.len()..]);
            if let Some(date) = dates::parse(&rest, today) {
                return Some(date);
            }
        }
    }
    head.split_whitespace().find_map(|w| {
        let day = w.strip_suffix("'s")?;
        dates::parse(day, today)
    })
}

/// Drops the nouns that end a phrase ("friday's todos" → "friday").
fn strip_nouns(phrase: &str) -> String {
    let mut words: Vec<&str> = phrase.split_whitespace().collect();
    while words.last().is_some_and(|w| {
        [
            "todos", "todo", "tasks", "task", "items", "stuff", "things", "list", "ones",
        ]
        .contains(w)
    }) {
        words.pop();
    }
    words
        .iter()
        .map(|w| w.strip_suffix("'s").unwrap_or(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A list's name as said ("my work list" → "work", "#errands" → "errands").
fn list_name(phrase: &str) -> String {
    let mut words: Vec<&str> = phrase.split_whitespace().collect();
    while words
        .first()
        .is_some_and(|w| ["the", "my", "our", "list", "in", "on"].contains(w))
    {
        words.remove(0);
    }
    let joined = strip_nouns(&words.join(" "));
    let joined = joined
        .strip_suffix(" list")
        .unwrap_or(&joined)
        .trim_start_matches('#');
    joined.trim().to_owned()
}

/// "move everything from today to tomorrow", "push all my overdue todos to friday",
/// "move all todos from work to home".
fn bulk_move(text: &str, all: &[String], today: Date) -> Option<BulkAsk> {
    let verb = all.iter().position(|w| MOVE_VERBS.contains(&w.as_str()))?;
    let rest = &all[verb + 1..];
    let many = has(rest, MANY)
        || rest.iter().any(|w| {
            w.strip_suffix("'s")
                .is_some_and(|d| dates::parse(d, today).is_some())
        });
    let late = overdue(text, rest);
    // "move my todos from today to tomorrow": plural todos with a day named.
    let plural = has(rest, PLURALS);
    if !many && !late && !plural {
        return None;
    }
    let Some((head, target)) = target_split(text) else {
        // "reschedule all my overdue tasks": the spread.
        return late.then(|| BulkAsk::SpreadOverdue {
            per_day: per_day(all).unwrap_or(DEFAULT_PER_DAY),
        });
    };
    if let Some(to) = dates::parse(&strip_nouns(&target), today) {
        if overdue(&head, &words(&head)) {
            return Some(BulkAsk::MoveDay {
                from: Source::Overdue,
                to,
            });
        }
        // "push everything to tomorrow": today's (only when "everything" was said).
        let from = source_day(&head, today).or(many.then_some(today))?;
        return Some(BulkAsk::MoveDay {
            from: Source::Day(from),
            to,
        });
    }
    if late {
        // "move my overdue tasks to the next few days".
        return Some(BulkAsk::SpreadOverdue {
            per_day: per_day(all).unwrap_or(DEFAULT_PER_DAY),
        });
    }
    if !many && !plural {
        return None;
    }
    let from = ["from ", " in ", " on "].iter().find_map(|m| {
        let i = head.rfind(m)?;
        Some(list_name(&head[i + m.len()..]))
    });
    let from = from
        .or_else(|| {
            head.split_whitespace()
                .find_map(|w| w.strip_suffix("'s").map(str::to_owned))
        })
        .or_else(|| {
            // "move all my groceries todos to errands": the words before the noun.
            let said: Vec<&str> = head
                .split_whitespace()
                .skip(verb + 1)
                .filter(|w| !MANY.contains(w) && !["my", "the", "of", "our"].contains(w))
                .collect();
            Some(strip_nouns(&said.join(" ")))
        })?;
    let to = list_name(&target);
    (!from.is_empty() && !to.is_empty()).then_some(BulkAsk::MoveList { from, to })
}

/// "break the kitchen renovation into steps: demolish, order cabinets, paint",
/// "here are the steps for the move: pack; hire a van; clean", "split X into todos: a, b
/// and c".
fn steps(text: &str) -> Option<BulkAsk> {
    let (head, list) = match text.split_once(':') {
        Some((head, list)) => (head.trim(), list.trim()),
        None => {
            // "break X into steps a, b, c" without the colon.
            let lower = text.to_lowercase();
            let kind = STEP_KINDS.iter().find_map(|k| {
                let marker = format!(" into {k} ");
                lower.find(&marker).map(|i| i + marker.len())
            })?;
            (&text[..kind], text[kind..].trim())
        }
    };
    let head_words = words(head);
    // The kind of pieces ("steps", "todos"); without one, "break X down: a, b" still is.
    let kind_at = head_words
        .iter()
        .rposition(|w| STEP_KINDS.contains(&w.as_str()));
    let strong = head_words
        .iter()
        .any(|w| ["break", "split", "divide", "chop", "decompose"].contains(&w.as_str()));
    if kind_at.is_none() && !(strong && text.contains(':')) {
        return None;
    }
    // "steps for X: a, b" without these words is the phrase table's (steps added at once).
    let splitting = has(&head_words, SPLIT_VERBS)
        || head_words
            .first()
            .is_some_and(|w| ["here", "here's", "heres"].contains(&w.as_str()));
    if !splitting {
        return None;
    }
    let steps = step_list(list);
    if steps.len() < 2 && !list.contains('\n') {
        return None;
    }
    let kind = kind_at.map_or("steps", |at| head_words[at].as_str());
    let as_todos = ["tasks", "todos", "to-dos", "items", "actions"].contains(&kind)
        && !head_words.iter().any(|w| w == "subtasks");
    // The parent: the words between the verb and "into", or after "for" / "of".
    let parent = parent_words(&head_words)?;
    (!steps.is_empty()).then_some(BulkAsk::Steps {
        parent,
        steps,
        as_todos,
    })
}

fn parent_words(head: &[String]) -> Option<String> {
    const DROP: &[&str] = &[
        "the", "my", "a", "an", "down", "up", "out", "please", "these",
    ];
    let into = head.iter().position(|w| w == "into" || w == "in");
    let verb = head.iter().position(|w| SPLIT_VERBS.contains(&w.as_str()));
    let span: &[String] = match (verb, into) {
        (Some(v), Some(i)) if v < i => &head[v + 1..i],
        // "break down the kitchen renovation: ...".
        (Some(v), None) if !head[v + 1..].iter().any(|w| w == "for" || w == "of") => &head[v + 1..],
        _ => {
            let of = head
                .iter()
                .rposition(|w| ["for", "of", "to"].contains(&w.as_str()))?;
            &head[of + 1..]
        }
    };
    let parent: Vec<&str> = span
        .iter()
        .map(String::as_str)
        .filter(|w| !DROP.contains(w))
        .collect();
    (!parent.is_empty()).then(|| parent.join(" "))
}

/// The steps of a dictated list: split on new lines, `;`, `,`, "then" and a last "and";
/// numbering ("1.", "2)") and "first", "then", "finally" dropped.
pub fn step_list(list: &str) -> Vec<String> {
    let mut out = Vec::new();
    let separated = list
        .replace(" and then ", ";")
        .replace(", then ", ";")
        .replace(" then ", ";")
        .replace(", and ", ";")
        .replace(" and ", ";");
    for piece in separated.split(['\n', ';', ',']) {
        let mut piece = piece.trim().trim_end_matches(['.', '!']).trim();
        piece = piece
            .trim_start_matches(|c: char| {
                c.is_ascii_digit() || c == '.' || c == ')' || c == '-' || c == '*' || c == '•'
            })
            .trim();
        for lead in [
            "first ", "firstly ", "next ", "finally ", "lastly ", "then ",
        ] {
            if piece.to_lowercase().starts_with(lead) {
                piece = piece[lead.len()..].trim();
            }
        }
        if !piece.is_empty() && piece.chars().count() <= 200 {
            out.push(piece.to_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        jiff::civil::date(2026, 12, 2) // a Wednesday
    }

    fn read_all(phrases: &[&str]) -> Vec<Option<BulkAsk>> {
        phrases.iter().map(|p| read(p, today())).collect()
    }

    #[test]
    fn many_ways_of_asking_to_sort_out_the_overdue_todos() {
        for phrase in [
            "sort out my overdue todos",
            "I'm swamped, sort out my overdue stuff",
            "please spread my overdue tasks over the next days",
            "reschedule everything that's overdue",
            "help me catch up on my late todos",
            "can you deal with the overdue ones?",
            "fix my backlog of overdue items",
            "triage my overdue todos",
            "redistribute the overdue tasks",
            "I'm overwhelmed with late stuff",
            "organise what's past due",
            "plan my overdue todos",
            "reschedule all my overdue tasks",
            "move my overdue tasks to the next few days",
            "I've fallen behind, sort my todos out",
            "could you spread out my late items?",
            "distribute the overdue todos across the week",
        ] {
            assert_eq!(
                read(phrase, today()),
                Some(BulkAsk::SpreadOverdue { per_day: 3 }),
                "{phrase}"
            );
        }
    }

    #[test]
    fn the_daily_limit_is_read_in_words_or_digits() {
        for (phrase, n) in [
            ("sort out my overdue todos, at most 2 a day", 2),
            ("spread my overdue tasks, max four per day", 4),
            (
                "reschedule overdue stuff with no more than 1 todo each day",
                1,
            ),
            ("sort out my overdue todos: 5 a day", 5),
            ("sort out my overdue todos, two daily", 2),
        ] {
            assert_eq!(
                read(phrase, today()),
                Some(BulkAsk::SpreadOverdue { per_day: n }),
                "{phrase}"
            );
        }
        // Beyond the limit: the default.
        assert_eq!(
            read("sort out my overdue todos, 90 a day", today()),
            Some(BulkAsk::SpreadOverdue { per_day: 3 })
        );
    }

    #[test]
    fn moving_a_days_todos_to_another_day() {
        let tomorrow = jiff::civil::date(2026, 12, 3);
        let friday = jiff::civil::date(2026, 12, 4);
        for (phrase, from, to) in [
            ("move everything from today to tomorrow", today(), tomorrow),
            ("push all of today's todos to tomorrow", today(), tomorrow),
            ("move all my todos due friday to tomorrow", friday, tomorrow),
            ("reschedule everything due today to friday", today(), friday),
            ("shift tomorrow's tasks to friday", tomorrow, friday),
            (
                "postpone all of today's stuff until tomorrow",
                today(),
                tomorrow,
            ),
            ("bump everything on friday to tomorrow", friday, tomorrow),
            ("move my todos from today to tomorrow", today(), tomorrow),
            ("move today's tasks to friday", today(), friday),
            ("push everything to tomorrow", today(), tomorrow),
        ] {
            assert_eq!(
                read(phrase, today()),
                Some(BulkAsk::MoveDay {
                    from: Source::Day(from),
                    to
                }),
                "{phrase}"
            );
        }
        assert_eq!(
            read("move all my overdue todos to friday", today()),
            Some(BulkAsk::MoveDay {
                from: Source::Overdue,
                to: friday
            })
        );
    }

    #[test]
    fn clearing_the_completed_todos() {
        for phrase in [
            "clear completed todos",
            "clean up what I finished",
            "clear out the done ones",
            "tidy up my finished tasks",
            "archive completed items",
            "purge everything I've completed",
            "sweep away the checked ones",
        ] {
            assert_eq!(
                read(phrase, today()),
                Some(BulkAsk::ClearCompleted),
                "{phrase}"
            );
        }
    }

    #[test]
    fn moving_a_lists_todos() {
        for (phrase, from, to) in [
            (
                "move all todos from groceries to errands",
                "groceries",
                "errands",
            ),
            ("move everything in my work list to home", "work", "home"),
            (
                "transfer all the tasks from Shopping to the Inbox",
                "shopping",
                "inbox",
            ),
            ("move all of work's todos to personal", "work", "personal"),
            (
                "put everything from #errands into groceries",
                "errands",
                "groceries",
            ),
            (
                "move all my groceries todos to errands",
                "groceries",
                "errands",
            ),
            (
                "move everything from the work list to the home list",
                "work",
                "home",
            ),
        ] {
            assert_eq!(
                read(phrase, today()),
                Some(BulkAsk::MoveList {
                    from: from.into(),
                    to: to.into()
                }),
                "{phrase}"
            );
        }
    }

    #[test]
    fn dictated_steps_as_subtasks_or_todos() {
        let kitchen = |as_todos| {
            Some(BulkAsk::Steps {
                parent: "kitchen renovation".into(),
                steps: vec!["demolish".into(), "order cabinets".into(), "paint".into()],
                as_todos,
            })
        };
        for phrase in [
            "break the kitchen renovation into steps: demolish, order cabinets, paint",
            "split the kitchen renovation into subtasks: demolish; order cabinets; paint",
            "Break down the kitchen renovation into steps: first demolish, then order cabinets and paint",
            "here are the steps for the kitchen renovation: demolish, order cabinets and then paint",
            "break the kitchen renovation into steps demolish, order cabinets, paint",
            "here are the steps for the kitchen renovation:\n1. demolish\n2. order cabinets\n3. paint",
            "break down the kitchen renovation: demolish, order cabinets, paint",
            "split up the kitchen renovation into these steps: demolish, order cabinets, paint",
        ] {
            assert_eq!(read(phrase, today()), kitchen(false), "{phrase}");
        }
        for phrase in [
            "break the kitchen renovation into todos: demolish, order cabinets, paint",
            "split the kitchen renovation into tasks: demolish, order cabinets, paint",
        ] {
            assert_eq!(read(phrase, today()), kitchen(true), "{phrase}");
        }
    }

    #[test]
    fn planning_a_week() {
        let monday = jiff::civil::date(2026, 12, 7);
        for (phrase, from, per_day) in [
            ("plan my week", today(), 3),
            ("Plan the week", today(), 3),
            ("help me plan out my week", today(), 3),
            ("can you organize the coming week for me?", today(), 3),
            ("sort out my week, at most 4 a day", today(), 4),
            ("plan the next 7 days", today(), 3),
            ("schedule my whole week, two per day", today(), 2),
            ("map out the rest of my week", today(), 3),
            ("please balance my week", today(), 3),
            ("plan next week", monday, 3),
            ("help me prepare for the following week", monday, 3),
            ("I'm busy, can you set up and plan my week?", today(), 3),
        ] {
            assert_eq!(
                read(phrase, today()),
                Some(BulkAsk::PlanWeek { from, per_day }),
                "{phrase}"
            );
        }
        for phrase in [
            "plan the party for next week",
            "schedule the dentist for next week",
            "what's on my plate this week?",
            "list my todos due this week",
            "move the report to next week",
            "add plan my week",
            "remind me to plan my week on sunday",
        ] {
            assert!(
                !matches!(read(phrase, today()), Some(BulkAsk::PlanWeek { .. })),
                "{phrase}"
            );
        }
    }

    #[test]
    fn single_todo_commands_and_listings_are_not_bulk_asks() {
        for phrase in [
            "show my overdue todos",
            "what's overdue?",
            "list completed todos",
            "move the dentist one to friday",
            "move it to tomorrow",
            "delete all completed todos",
            "break the bank call into find the card, call, ask about fees",
            "add call mom tomorrow",
            "how many todos are overdue",
            "mark it as done",
            "move milk and eggs to groceries",
            "move the two dentist todos to friday",
            "remind me to take the trash out late tonight",
            "fix the late fee",
            "add these steps to the bank call: find the card, call",
        ] {
            assert_eq!(read(phrase, today()), None, "{phrase}");
        }
        assert!(
            read_all(&["undo that", "thanks"])
                .iter()
                .all(Option::is_none)
        );
    }
}
