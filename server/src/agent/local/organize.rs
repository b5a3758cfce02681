//! The organizing verbs' phrases (lists, priority, repeat rules, checklist steps, labels and
//! times) and the readers of their slots. The phrase table places [`EARLY`] before the
//! verbs they would otherwise be taken for ("check off the first step" is not completing a
//! todo called "first step"; "put it in my groceries list" attaches no file) and [`LATE`]
//! after "add" ("add pay rent every 1st" adds; "the rent every 1st" sets a rule). Rules and
//! times are read by the words layer the browser's quick add uses (`app::words`).

use app::words::{dates, lexicon, repeat, times};
use jiff::civil::Date;

use super::query::reference;
use crate::domain::dialogue::{Command, ListName, StepPick, Verb};

/// How a matched organizing pattern becomes a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Organize {
    /// `{ref}` to the list `{list}`.
    ToList,
    /// As `ToList` ("put it in my groceries list", "put it in groceries"); a name not said
    /// as a list is checked against the user's lists when planned (otherwise it may be a
    /// file going onto a todo: "put it in the dentist one").
    ToNamedList,
    /// `{ref}` gets the priority `{prio}`.
    Priority,
    /// "p1 the dentist": the priority is the first word.
    PriorityFirst,
    Lower,
    Raise,
    /// `{ref}` repeats by `{rule}`.
    Repeat,
    StopRepeat,
    /// `{ref}` gets the steps `{text}`.
    Steps,
    /// `{step}` of `{ref}` (or of "it") is done, or with `Uncheck` not.
    Check,
    Uncheck,
    /// The label `{text}` added to / removed from `{ref}`.
    Label,
    Unlabel,
    /// `{ref}` at the time `{time}`.
    Time,
}

use Organize::*;

const STEP: &str = "steps|subtasks|a_step|a_subtask|the_steps|these_steps|some_steps|the_subtasks|a_checklist|a_few_steps|step|subtask";
const OF: &str = "of|on|in|for|from";
const CHECKED: &str = "done|complete|completed|finished|checked|ticked|ticked_off|checked_off";
const UNCHECKED: &str =
    "not_done|undone|open|unchecked|not_finished|not_complete|incomplete|unfinished|not_checked";

/// Patterns read before the verbs they look like.
pub fn early() -> Vec<(Organize, String)> {
    let p = |o: Organize, s: &str| (o, s.to_owned());
    vec![
        // Steps: before "add" and "complete".
        p(
            Steps,
            &format!("add|put|create|give|attach {STEP} to|on|for|in {{ref}} :|-|, {{text}}"),
        ),
        p(
            Steps,
            &format!("add|put|create {{text}} as|to the? {STEP}|checklist of|to|for|on|in {{ref}}"),
        ),
        p(Steps, "break|split|divide {ref} down|up? into|in {text}"),
        p(
            Steps,
            &format!(
                "{{ref}} needs|has|gets|takes|should_have|will_need the|these|some|a_few|three|two|four? {STEP} :|-|, {{text}}"
            ),
        ),
        p(Steps, &format!("{STEP} for|of|on {{ref}} :|- {{text}}")),
        // Checking a step: before "complete" and "reopen".
        p(
            Uncheck,
            &format!("uncheck|untick|reopen|unmark|uncross {{step}} {OF} {{ref}}"),
        ),
        p(Uncheck, "uncheck|untick|reopen|unmark|uncross {step}"),
        p(
            Uncheck,
            &format!("mark|set|flag {{step}} {OF} {{ref}} as? {UNCHECKED}"),
        ),
        p(
            Uncheck,
            &format!("mark|set|flag {{step}} as? {UNCHECKED} {OF} {{ref}}"),
        ),
        p(Uncheck, &format!("mark|set|flag {{step}} as? {UNCHECKED}")),
        p(
            Check,
            &format!(
                "check_off|tick_off|cross_off|check|tick|cross|complete|finish|do {{step}} off? {OF} {{ref}}"
            ),
        ),
        p(
            Check,
            "check_off|tick_off|cross_off|check|tick|cross|complete|finish {step} off?",
        ),
        p(
            Check,
            &format!("mark|set|flag {{step}} {OF} {{ref}} as? {CHECKED}"),
        ),
        p(
            Check,
            &format!("mark|set|flag {{step}} as? {CHECKED} {OF} {{ref}}"),
        ),
        p(Check, &format!("mark|set|flag {{step}} as? {CHECKED}")),
        p(
            Check,
            &format!("i|i've|i_have? just? finished|completed|did|done {{step}} {OF} {{ref}}"),
        ),
        p(
            Check,
            &format!("{{step}} {OF} {{ref}} is|'s|was|are {CHECKED}"),
        ),
        p(Check, &format!("{{step}} is|'s|was {CHECKED}")),
        // Priority.
        p(
            Lower,
            "lower|decrease|reduce|drop|downgrade the? priority of|for|on {ref}",
        ),
        p(
            Lower,
            "lower|decrease|reduce|drop|downgrade {ref} 's? priority",
        ),
        p(Lower, "deprioritize|deprioritise {ref}"),
        p(Lower, "make {ref} less important|urgent"),
        p(
            Raise,
            "raise|increase|bump|bump_up|upgrade|up the? priority of|for|on {ref}",
        ),
        p(Raise, "raise|increase|bump|upgrade {ref} 's? priority"),
        p(Raise, "make {ref} more important|urgent"),
        p(
            Priority,
            "set|change|make|update|give the? priority of|for|on {ref} to|: {prio}",
        ),
        p(Priority, "set|give|assign|put {prio} on|to|for {ref}"),
        p(Priority, "give|assign {ref} {prio}"),
        p(Priority, "make|mark|set|flag|tag {ref} as|to? {prio}"),
        p(
            Priority,
            "{ref} is|'s|are|should_be|is_now|has now? {prio} now|anymore|any_more?",
        ),
        p(PriorityFirst, "p1|p2|p3|p4|prioritize|prioritise {ref}"),
        p(
            Priority,
            "it's|that's|its|thats {prio} now|anymore|any_more?",
        ),
        // Repeat rules.
        p(StopRepeat, "stop|quit repeating|recurring {ref}"),
        p(StopRepeat, "stop|quit repeating|recurring"),
        p(StopRepeat, "stop {ref} from repeating|recurring"),
        p(
            StopRepeat,
            "don't|do_not|never repeat|recur {ref} again|anymore|any_more?",
        ),
        p(
            StopRepeat,
            "{ref} should_not|shouldn't|must_not|mustn't|won't|doesn't|does_not|need_not|needn't|should_no_longer|no_longer|doesn't_need_to|does_not_need_to repeat|recur|be_repeating|be_recurring anymore|any_more|again?",
        ),
        p(
            StopRepeat,
            "{ref} is_no_longer|isn't|is_not|isn't_repeating|is_not_repeating repeating|recurring? anymore|any_more",
        ),
        p(
            StopRepeat,
            "make|set {ref} not|never repeat|recur anymore|any_more?",
        ),
        p(
            StopRepeat,
            "make|set {ref} one-off|one-time|non-repeating|a_one-off|a_one-time",
        ),
        p(
            StopRepeat,
            "remove|clear|delete|drop|cancel|turn_off the? repeat|recurrence|repetition|repeat_rule|recurring_rule|repeating|schedule from|of|on|for {ref}",
        ),
        p(Repeat, "repeat|recur {ref} {rule}"),
        p(Repeat, "make|set|have|let {ref} repeat|recur {rule}"),
        p(
            Repeat,
            "set|change|make the? repeat|recurrence|repeat_rule|rule of|for|on {ref} to|: {rule}",
        ),
        p(
            Repeat,
            "{ref} should|must|will|needs_to|has_to|is_to? repeat|recur|repeats|recurs|happen|happens|comes|come {rule}",
        ),
        p(Repeat, "make|set {ref} {rule}"),
        // Labels.
        p(
            Unlabel,
            "remove|delete|drop|take_off|clear the? {text} label|tag from|on|of {ref}",
        ),
        p(
            Unlabel,
            "remove|delete|drop|take_off the? label|tag {text} from|on|of {ref}",
        ),
        p(Unlabel, "unlabel|untag {ref} {text}"),
        p(Label, "add|put|give the? label|tag {text} to|on {ref}"),
        p(Label, "add|put|give the|a? {text} label|tag to|on {ref}"),
        p(Label, "label|tag {ref} with|as {text}"),
        p(Label, "label|tag it|this|that|them {text}"),
        // "label the dentist urgent": one label word after the todo.
        p(Label, "label {ref} {label}"),
        // Times: before moving to a list ("move the dentist to 14:30").
        p(
            Time,
            "set|change|update|make the? time of|for|on {ref} to|: {time}",
        ),
        p(
            Time,
            "set|schedule|move|change|reschedule|put|push|shift {ref} for|to|at {time}",
        ),
        p(Time, "{ref} is|should_be|'s at {time}"),
        // Lists: before attaching ("put it in my groceries list").
        p(
            ToList,
            "move|transfer|refile|shift {ref} to|into|in|under|onto|over_to {list}",
        ),
        p(
            ToList,
            "{ref} belongs|goes|belong|should_go|should_be|needs_to_go in|into|to|on|under {list}",
        ),
        p(
            ToNamedList,
            "put|file|place|stick|store {ref} in|into|to|on|under|onto {list}",
        ),
    ]
}

/// Patterns read after "add" (their first slot would take an added title).
pub fn late() -> Vec<(Organize, String)> {
    vec![
        (Repeat, "{ref} {rule}".to_owned()),
        (Time, "{ref} at {time}".to_owned()),
    ]
}

/// Whether `verb` is one of this module's (a sentence that reads as one is never taken as
/// a correction of the last command).
pub fn is_organizing(verb: Verb) -> bool {
    matches!(
        verb,
        Verb::MoveToList
            | Verb::SetPriority
            | Verb::SetRepeat
            | Verb::AddSteps
            | Verb::CheckStep
            | Verb::SetLabels
            | Verb::SetTime
            | Verb::SetReminders
            | Verb::ClearReminders
    )
}

/// Whether words in a todo's place name a file ("this", "the pdf", "x-ray.pdf").
fn names_a_file(target: &str) -> bool {
    let lower = target.trim().to_lowercase();
    let last = lower.split_whitespace().last().unwrap_or_default();
    ["this", "these", "that", "those"].contains(&lower.as_str())
        || [
            "file",
            "files",
            "pdf",
            "image",
            "photo",
            "picture",
            "document",
            "doc",
            "scan",
            "screenshot",
            "attachment",
            "attachments",
            "upload",
        ]
        .contains(&last)
        || last
            .rsplit_once('.')
            .is_some_and(|(stem, ext)| !stem.is_empty() && (1..=5).contains(&ext.len()))
}

/// A priority phrase: 1 (highest) to 4 (none).
pub fn priority(phrase: &str) -> Option<u8> {
    let lower = phrase.trim().to_lowercase();
    let lower = lower
        .strip_prefix("a ")
        .or_else(|| lower.strip_prefix("the "))
        .unwrap_or(&lower);
    let words = lower.trim_end_matches(" now").trim_end_matches(" anymore");
    Some(match words {
        "urgent" | "very urgent" | "super urgent" | "high priority" | "high" | "highest"
        | "highest priority" | "top priority" | "critical" | "important" | "very important"
        | "p1" | "priority 1" | "priority one" | "1" | "asap" | "a priority" | "priority" => 1,
        "p2" | "priority 2" | "priority two" | "medium priority" | "medium" | "2" => 2,
        "p3" | "priority 3" | "priority three" | "low priority" | "low" | "3" => 3,
        "p4"
        | "priority 4"
        | "priority four"
        | "4"
        | "not important"
        | "unimportant"
        | "not urgent"
        | "no priority"
        | "normal"
        | "normal priority"
        | "not a priority"
        | "no longer important"
        | "no longer urgent"
        | "lowest"
        | "lowest priority" => 4,
        _ => return None,
    })
}

/// A repeat rule in words, as the words layer reads it.
pub fn rule(phrase: &str) -> Option<repeat::Repeat> {
    repeat::parse(phrase.trim())
}

/// A time of day phrase ("9am", "at 14:30", "noon"): only when it names one.
pub fn time(phrase: &str) -> Option<jiff::civil::Time> {
    let lower = phrase.trim().to_lowercase();
    let says_time = lower.chars().any(|c| c.is_ascii_digit())
        || ["noon", "midnight", "tonight"]
            .iter()
            .any(|w| lower.contains(w));
    times::parse(&lower).filter(|_| says_time)
}

/// A list as the words name it: "#errands", "my groceries list", "the work list", "work".
/// `None` for words that name no list (a date, "my list", "the list").
pub fn list_name(phrase: &str, today: Date) -> Option<ListName> {
    let trimmed = phrase
        .trim()
        .trim_end_matches(['?', '.', '!', ','])
        .trim_matches(['"', '“', '”', '\'']);
    if let Some(tagged) = trimmed.strip_prefix('#') {
        let name = tagged.trim();
        return (!name.is_empty()).then(|| ListName {
            name: name.to_owned(),
            explicit: true,
        });
    }
    let mut name = trimmed;
    for article in ["my ", "the ", "our ", "your "] {
        if let Some(rest) = name
            .get(..article.len())
            .filter(|head| head.eq_ignore_ascii_case(article))
            .and_then(|_| name.get(article.len()..))
            .filter(|rest| !rest.is_empty())
        {
            name = rest;
        }
    }
    let mut explicit = false;
    for noun in [" list", " project", " folder"] {
        let cut = name.len().saturating_sub(noun.len());
        if let Some(head) = name
            .get(cut..)
            .filter(|tail| tail.eq_ignore_ascii_case(noun))
            .and_then(|_| name.get(..cut))
            .filter(|head| !head.is_empty())
        {
            name = head;
            explicit = true;
        }
    }
    let name = name.trim();
    let lower = name.to_lowercase();
    let plain = !name.is_empty()
        && name.chars().count() <= 60
        && name.split_whitespace().count() <= 4
        && ![
            "list",
            "lists",
            "todo",
            "todos",
            "to-do",
            "todo list",
            "tasks",
            "task",
            "it",
            "them",
            "today",
            "tomorrow",
        ]
        .contains(&lower.as_str())
        && dates::parse(&lower, today).is_none()
        && !lexicon::NO_DATE.contains(&lower.as_str())
        && time(&lower).is_none();
    plain.then(|| ListName {
        name: name.to_owned(),
        explicit,
    })
}

/// The list a listing question names: "#errands", "on my groceries list", "the home list"
/// (said as a list), or "in work" at its end (maybe a list: only a list of that name counts).
pub fn list_words(text: &str, today: Date) -> Option<ListName> {
    let words: Vec<&str> = text
        .split_whitespace()
        .map(|w| w.trim_end_matches(['?', '.', '!', ',']))
        .filter(|w| !w.is_empty())
        .collect();
    if let Some(tagged) = words.iter().find(|w| w.starts_with('#') && w.len() > 1) {
        return list_name(tagged, today);
    }
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    const BEFORE: [&str; 9] = [
        "on", "in", "from", "of", "my", "the", "for", "whole", "entire",
    ];
    if let Some(at) = lower.iter().rposition(|w| w == "list") {
        let start = lower[..at]
            .iter()
            .rposition(|w| BEFORE.contains(&w.as_str()))
            .map_or(0, |i| i + 1);
        if start < at {
            return list_name(&format!("{} list", words[start..at].join(" ")), today);
        }
    }
    let at = lower
        .iter()
        .rposition(|w| ["in", "on", "from", "under"].contains(&w.as_str()))?;
    let rest = words[at + 1..].join(" ");
    list_name(&rest, today).filter(|l| !l.explicit)
}

/// A step as the words name it: "the first step", "step 2", "the last subtask", a quoted
/// title, "the buy paint step".
pub fn step(phrase: &str) -> Option<StepPick> {
    let trimmed = phrase.trim();
    if let Some(quoted) = ['"', '“', '\'']
        .iter()
        .find_map(|q| trimmed.strip_prefix(*q))
        .map(|rest| rest.trim_end_matches(['"', '”', '\'']))
    {
        return (!quoted.trim().is_empty()).then(|| StepPick::Title(quoted.trim().to_owned()));
    }
    let words: Vec<String> = trimmed
        .split_whitespace()
        .map(|w| w.to_lowercase())
        .collect();
    let words: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .filter(|w| !["the", "my", "its", "that", "this"].contains(w))
        .collect();
    if words
        .first()
        .is_some_and(|w| ["off", "of", "on", "in"].contains(w))
    {
        return None;
    }
    let noun = |w: &str| ["step", "subtask", "item", "checklist-item"].contains(&w);
    match words.as_slice() {
        [n, "step" | "subtask" | "item"] => lexicon::ordinal(n).map(StepPick::Position),
        ["step" | "subtask" | "item", n] | ["step" | "subtask" | "item", "number" | "no", n] => {
            lexicon::number(n)
                .filter(|n| *n > 0)
                .map(|n| StepPick::Position(n as usize))
        }
        [title @ .., last] if noun(last) && !title.is_empty() => {
            let title_words = trimmed.split_whitespace().collect::<Vec<_>>();
            let start = title_words.len() - title.len() - 1;
            Some(StepPick::Title(
                title_words[start..title_words.len() - 1].join(" "),
            ))
        }
        _ => None,
    }
}

/// Steps from "a, b and c" (or one per line, or "a; b"), each starting with a capital as
/// an added title does.
pub fn steps(text: &str) -> Vec<String> {
    let text = text.trim().trim_end_matches(['.', '!']);
    let mut parts: Vec<&str> = text
        .split([',', ';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if let Some(last) = parts.pop() {
        for piece in last.split(" and then ").flat_map(|p| p.split(" then ")) {
            parts.extend(piece.split(" and ").map(str::trim));
        }
    }
    parts
        .into_iter()
        .map(|s| {
            s.trim_start_matches("and ")
                .trim_start_matches("then ")
                .trim()
        })
        .filter(|s| !s.is_empty())
        .map(|s| {
            let mut chars = s.chars();
            chars.next().map_or(String::new(), |first| {
                first.to_uppercase().collect::<String>() + chars.as_str()
            })
        })
        .collect()
}

/// A label as the words name it: "errands", "@phone", "the phone" (one word).
pub fn label(phrase: &str) -> Option<String> {
    let trimmed = phrase.trim().trim_matches(['"', '“', '”', '\'']);
    let trimmed = trimmed.strip_prefix("the ").unwrap_or(trimmed);
    let word = trimmed.trim_start_matches('@').to_lowercase();
    (!word.is_empty()
        && word.chars().count() <= 40
        && word
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_'))
    .then_some(word)
}

/// The slots a matched pattern captured (their text as the user wrote it).
#[derive(Default)]
pub struct Slots<'a> {
    pub target: Option<&'a str>,
    pub text: Option<&'a str>,
    pub prio: Option<&'a str>,
    pub rule: Option<&'a str>,
    pub time: Option<&'a str>,
    pub list: Option<&'a str>,
    pub step: Option<&'a str>,
    /// One label word ("label the dentist urgent").
    pub label: Option<&'a str>,
    pub first_word: &'a str,
    pub today: Option<Date>,
}

/// The command a matched organizing pattern makes; `None` when its slots do not hold what
/// the verb needs (the table then tries the next pattern).
pub fn build(organize: Organize, slots: &Slots<'_>) -> Option<Command> {
    // "add go to school" adds; it moves no todo called "add". "the due date of X" names
    // a field, not a todo.
    if slots.target.is_some_and(|t| {
        let first = t
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_lowercase();
        let rest = t.to_lowercase();
        let rest = rest.strip_prefix("the ").unwrap_or(&rest).to_owned();
        ["add", "create", "new", "remind", "todo", "task", "remember"].contains(&first.as_str())
            || lexicon::FIELDS
                .iter()
                .any(|field| rest.starts_with(&format!("{field} ")))
    }) {
        return None;
    }
    let target = slots.target.map(reference);
    let command = |verb| Command::new(verb, target.clone());
    let today = slots.today?;
    Some(match organize {
        ToList | ToNamedList => {
            let list = list_name(slots.list?, today)?;
            // "put this in the dentist one", "put x-ray.pdf in …": files, attached.
            if organize == ToNamedList && !list.explicit && slots.target.is_some_and(names_a_file) {
                return None;
            }
            command(Verb::MoveToList).with(|a| a.fields.list = Some(list))
        }
        Priority => {
            let level = priority(slots.prio?)?;
            command(Verb::SetPriority).with(|a| a.fields.priority = Some(level))
        }
        PriorityFirst => {
            let level = match slots.first_word {
                "prioritize" | "prioritise" => 1,
                word => priority(word)?,
            };
            command(Verb::SetPriority).with(|a| a.fields.priority = Some(level))
        }
        Lower | Raise => command(Verb::SetPriority)
            .with(|a| a.fields.priority_change = if organize == Lower { 1 } else { -1 }),
        Repeat => {
            let rule = rule(slots.rule?)?;
            command(Verb::SetRepeat).with(|a| a.fields.repeat = Some(rule.describe()))
        }
        StopRepeat => command(Verb::SetRepeat),
        Steps => {
            let steps = steps(slots.text?);
            if steps.is_empty() {
                return None;
            }
            command(Verb::AddSteps).with(|a| a.fields.steps = steps)
        }
        Check | Uncheck => {
            let step = step(slots.step?)?;
            command(Verb::CheckStep).with(|a| {
                a.fields.step = Some(step);
                a.fields.uncheck = organize == Uncheck;
            })
        }
        Label | Unlabel => {
            let label = label(slots.text.or(slots.label)?)?;
            let sign = if organize == Label { '+' } else { '-' };
            command(Verb::SetLabels).with(|a| a.fields.labels = Some(format!("{sign}{label}")))
        }
        Time => {
            let time = time(slots.time?)?;
            command(Verb::SetTime).with(|a| a.fields.time = Some(times::to_hhmm(time)))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slot_readers() {
        let today = jiff::civil::date(2026, 11, 25);
        assert_eq!(
            list_name("my groceries list", today),
            Some(ListName {
                name: "groceries".into(),
                explicit: true
            })
        );
        assert_eq!(list_name("my list", today), None);
        assert_eq!(list_name("friday", today), None);
        assert_eq!(list_name("#Home", today).unwrap().name, "Home");
        assert!(!list_name("work", today).unwrap().explicit);
        assert_eq!(step("the first step"), Some(StepPick::Position(1)));
        assert_eq!(step("step 2"), Some(StepPick::Position(2)));
        assert_eq!(step("the last subtask"), Some(StepPick::Position(0)));
        assert_eq!(
            step("'buy paint'"),
            Some(StepPick::Title("buy paint".into()))
        );
        assert_eq!(step("the dentist"), None);
        assert_eq!(steps("a, b and c"), ["A", "B", "C"]);
        assert_eq!(
            steps("buy paint; sand the fence"),
            ["Buy paint", "Sand the fence"]
        );
        assert_eq!(priority("urgent"), Some(1));
        assert_eq!(priority("not important"), Some(4));
        assert_eq!(priority("soon"), None);
        // Any text, whatever its characters, reads or declines without a panic.
        assert_eq!(list_name("ab€ list", today).unwrap().name, "ab€");
        assert!(list_name("İİİİ list", today).is_some());
        assert_eq!(list_name("my€", today).unwrap().name, "my€");
    }
}
