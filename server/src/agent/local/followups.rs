//! Follow-ups people say right after an action or about one todo: corrections ("no, friday",
//! "actually call it dentist appointment", "I meant the milk one"), "it's not done after all",
//! questions about a todo's details ("when is the dentist one due?", "is it done?", "what are
//! the notes on X?") and relative moves of a due date ("push it back two days", "move the
//! dentist one a week earlier").

use std::sync::LazyLock;

use jiff::civil::Date;
use regex_lite::Regex;
use serde::{Deserialize, Serialize};

use super::{
    dates,
    intent::{Intent, Reference, reference},
};

/// What a correction changes about the action just taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Correction {
    /// The due date (`None`: no date after all).
    Due(Option<Date>),
    /// The title.
    Title(String),
    /// Which todo was meant: the last action again, on this one instead.
    Target(Reference),
}

/// What a question asks about one todo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Detail {
    Due,
    Done,
    Notes,
    Description,
}

fn re(pattern: &str) -> Regex {
    Regex::new(&format!("(?i)^(?:{pattern})$")).expect("follow-up patterns are valid")
}

macro_rules! patterns {
    ($($name:ident = $pattern:expr;)*) => {
        $(static $name: LazyLock<Regex> = LazyLock::new(|| re($pattern));)*
    };
}

patterns! {
    NOT_DONE_IS = r"(?:it|that|this|that one|this one|(.+?))(?:'s| is| was|’s) (?:not|actually not) (?:done|finished|complete|completed)(?: yet)?(?: after all)?";
    NOT_DONE_ISNT = r"(?:it|that|this|that one|this one|(.+?)) (?:isn't|wasn't|isnt|wasnt|isn’t|wasn’t) (?:done|finished|complete|completed)(?: yet)?(?: after all)?";
    NOT_DONE_DIDNT = r"(?:i )?(?:didn't|did not|haven't|have not|havent|didnt|didn’t|haven’t) (?:actually )?(?:finish|finished|complete|completed|do|done) (?:it|that|that one|this one|(.+?))(?: yet)?(?: after all)?";
    NOT_DONE_SHORT = r"(?:not|still not) (?:done|finished|complete|completed)(?: yet)?(?: after all)?";
    ASK_DUE = r"(?:when(?: is|'s| was| are)|what(?: is|'s) the (?:due date|deadline|date) (?:of|for|on)|what day is|by when (?:is|do i need to do)) (.+?)(?: due)?";
    ASK_DONE = r"(?:is|was|are) (.+?) (?:done|finished|complete|completed)(?: yet| already)?|(?:did i|have i) (?:already )?(?:finish|finished|complete|completed|do|done) (.+?)(?: yet| already)?";
    ASK_NOTES = r"what(?: are|'re| is|'s| do)? (?:the )?notes? (?:on|of|for|in|say(?:s)? (?:on|for|about)?) (.+)|(?:show|read|tell) (?:me )?(?:the )?notes (?:on|of|for) (.+)|what notes (?:do i have |are there )?(?:on|for) (.+)|does (.+?) have (?:any )?notes";
    ASK_DESCRIPTION = r"what(?: is|'s) (?:the )?description (?:of|for|on) (.+)|(?:show|read|tell) (?:me )?(?:the )?description (?:of|for|on) (.+)|what(?: is|'s) (.+?) about";
    SHIFT = r"(move|push|postpone|delay|bring|pull|shift|put off|set back|reschedule)(?: (back|forward|up|out|ahead))? (.+?)(?: (back|forward|up|out|ahead))? (?:by )?(a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+) (days?|weeks?)(?: (later|earlier|sooner|back|forward|ahead|out))?";
    CALL_IT = r"(?:call it|name it|title it|rename it(?: to)?|(?:it|that) should be called|the title should be|i meant to (?:call it|write))\s+(.+)";
}

/// Words that open a correction or a change of mind: "no, ...", "actually ...".
static CHANGE_OF_MIND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:no wait|no sorry|not that one|wrong one|no|nope|nah|sorry|oops|wait|actually|hmm|err|oh|ah)[,!.]*\s+")
        .expect("valid")
});

/// Words that lead into what was meant: "I meant ...", "make it ...".
static MEANT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:i meant|i mean|i said|make (?:it|that)|change (?:it|that) to|(?:it|that) should be|should be)\s+")
        .expect("valid")
});

fn amount(word: &str) -> Option<i64> {
    const WORDS: [&str; 11] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    match word {
        "a" | "an" => Some(1),
        _ => WORDS
            .iter()
            .position(|w| *w == word)
            .map(|n| n as i64)
            .or_else(|| word.parse().ok()),
    }
}

/// "push it back two days" -> (it, +2); "bring the dentist one forward a week" -> (.., -7).
fn shift(lower: &str) -> Option<Intent> {
    let c = SHIFT.captures(lower)?;
    let n = amount(&c[5])?;
    let days = if c[6].starts_with("week") { n * 7 } else { n };
    let direction_words: Vec<&str> = [c.get(2), c.get(4), c.get(7)]
        .into_iter()
        .flatten()
        .map(|m| m.as_str())
        .collect();
    let earlier = direction_words
        .iter()
        .any(|w| ["forward", "up", "earlier", "sooner"].contains(w))
        || (["bring", "pull"].contains(&&c[1]) && !direction_words.contains(&"back"));
    Some(Intent::ShiftDue {
        target: reference(&c[3]),
        days: if earlier { -days } else { days },
    })
}

fn ask(lower: &str) -> Option<Intent> {
    let first_group = |c: regex_lite::Captures<'_>| {
        (1..c.len())
            .find_map(|i| c.get(i))
            .map(|m| reference(m.as_str()))
    };
    for (pattern, detail) in [
        (&*ASK_NOTES, Detail::Notes),
        (&*ASK_DESCRIPTION, Detail::Description),
        (&*ASK_DUE, Detail::Due),
        (&*ASK_DONE, Detail::Done),
    ] {
        if let Some(target) = pattern.captures(lower).and_then(first_group) {
            // "what is due tomorrow" lists; it does not ask about a todo called "due tomorrow".
            if let Reference::Text(words) = &target
                && (words.is_empty()
                    || ["what", "anything", "everything", "something"].contains(&words.as_str()))
            {
                continue;
            }
            return Some(Intent::Ask { target, detail });
        }
    }
    None
}

fn not_done(lower: &str) -> Option<Intent> {
    for pattern in [
        &*NOT_DONE_IS,
        &*NOT_DONE_ISNT,
        &*NOT_DONE_DIDNT,
        &*NOT_DONE_SHORT,
    ] {
        if let Some(c) = pattern.captures(lower) {
            let subject = c.get(1).map_or("it", |m| m.as_str().trim());
            return Some(Intent::Reopen(reference(subject)));
        }
    }
    None
}

/// Whether a phrase points at a todo ("the dentist one", "the one about milk").
fn pointing(phrase: &str) -> bool {
    let words = phrase.split_whitespace().count();
    words <= 6
        && (phrase.starts_with("the ")
            || phrase.ends_with(" one")
            || phrase.ends_with(" todo")
            || phrase.ends_with(" task")
            || phrase.contains("one about"))
}

/// A correction of the action just taken, from the words after "no," / "actually" /
/// "I meant" (`lead`: one of the latter was said).
fn correction(rest: &str, lead: bool, today: Date) -> Option<Correction> {
    let rest = rest.trim();
    let rest = rest
        .strip_suffix(" instead")
        .unwrap_or(rest)
        .trim_matches(['"', '“', '”', ' ']);
    let lower = rest.to_lowercase();
    if let Some(c) = CALL_IT.captures(&lower) {
        let title = c.get(1)?.as_str();
        // The title in the user's own case, when lower-casing kept the length.
        let title = if lower.len() == rest.len() {
            &rest[rest.len() - title.len()..]
        } else {
            title
        };
        return Some(Correction::Title(
            title.trim_matches(['"', '“', '”', ' ']).to_owned(),
        ));
    }
    if ["no date", "no due date", "none", "never", "no deadline"].contains(&lower.as_str()) {
        return Some(Correction::Due(None));
    }
    if let Some(date) = dates::parse(&lower, today) {
        return Some(Correction::Due(Some(date)));
    }
    if pointing(&lower) {
        return Some(Correction::Target(reference(rest)));
    }
    lead.then(|| Correction::Title(rest.to_owned()))
}

/// The follow-up the message is, if any. `plain` parses words as an ordinary instruction:
/// "no, delete it" is an instruction after "no", not a correction.
pub fn parse(text: &str, today: Date, plain: impl Fn(&str) -> Intent) -> Option<Intent> {
    let mut rest = text;
    let mut changed_mind = false;
    if let Some(m) = CHANGE_OF_MIND.find(rest) {
        rest = &rest[m.end()..];
        changed_mind = true;
    }
    let mut lead = false;
    if CALL_IT.is_match(&rest.to_lowercase()) {
        return correction(rest, true, today).map(Intent::Correct);
    }
    if let Some(m) = MEANT.find(rest) {
        rest = &rest[m.end()..];
        lead = true;
    }
    let lower = rest.to_lowercase();
    if changed_mind || lead {
        let instruction = plain(rest);
        let ordinary = !matches!(
            instruction,
            Intent::Unknown | Intent::Show(_) | Intent::List(_) | Intent::Choose(_)
        );
        // "no, delete it" or "actually mark it done": an instruction of its own.
        if ordinary {
            return Some(instruction);
        }
        if let Some(correction) = correction(rest, lead, today) {
            return Some(Intent::Correct(correction));
        }
        if changed_mind {
            return Some(instruction);
        }
    }
    if CALL_IT.is_match(&lower) {
        return correction(rest, true, today).map(Intent::Correct);
    }
    not_done(&lower)
        .or_else(|| shift(&lower))
        .or_else(|| ask(&lower))
}
