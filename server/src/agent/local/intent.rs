//! Understanding a message: plain-English phrasings mapped to an [`Intent`] with the
//! references left unresolved ([`Reference`]), so resolution can use the session's memory.

use std::sync::LazyLock;

use app::words::quick_add::LINE_MAX_CHARS;
use jiff::civil::Date;
use regex_lite::Regex;
use serde::{Deserialize, Serialize};

use super::{
    dates,
    followups::{self, Correction, Detail},
    typos,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reference {
    /// "it", "that one" (false) or "them", "those" (true).
    Pronoun {
        plural: bool,
    },
    /// "the second one" (1-based); 0 means "the last one".
    Position(usize),
    All,
    AllCompleted,
    /// Words that should match a title ("the one about ansible").
    Text(String),
    /// Exact todos, once the user has chosen among candidates.
    Ids(Vec<String>),
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListQuery {
    /// open, completed, overdue; None for all.
    pub status: Option<String>,
    pub due_from: Option<Date>,
    pub due_to: Option<Date>,
    pub text: Option<String>,
    /// The date or text part as the user put it ("due this week", "matching “x”").
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Intent {
    Help,
    Greeting,
    Thanks,
    Answer(bool),
    List(ListQuery),
    Show(Reference),
    Add {
        title: String,
        description: Option<String>,
        due: Option<Date>,
    },
    Rename {
        target: Reference,
        title: String,
    },
    SetDue {
        target: Reference,
        due: Option<Date>,
    },
    SetDescription {
        target: Reference,
        text: String,
    },
    AddNote {
        target: Reference,
        text: String,
    },
    Complete(Reference),
    Reopen(Reference),
    Delete(Reference),
    /// Take back the assistant's last change ("undo that", "undo the last change").
    Undo,
    /// A correction right after an action: another date, title or todo.
    Correct(Correction),
    /// A question about one todo's details.
    Ask {
        target: Reference,
        detail: Detail,
    },
    /// Move a due date by a number of days (negative: earlier).
    ShiftDue {
        target: Reference,
        days: i64,
    },
    /// List a todo's files.
    Files {
        target: Option<Reference>,
    },
    /// Attach the files dropped into the chat ("attach this to my dentist todo"), or the
    /// one of them named ("attach x-ray.pdf to ...").
    AttachFile {
        target: Reference,
        name: Option<String>,
    },
    /// Remove a file from a todo; `name` may be empty ("delete the attachment from X").
    DeleteFile {
        name: String,
        target: Option<Reference>,
    },
    /// A bare reference ("the second one"): an answer to "which one do you mean?".
    Choose(Reference),
    Unknown,
}

fn re(pattern: &str) -> Regex {
    Regex::new(&format!("(?i)^{pattern}$")).expect("intent patterns are valid")
}

macro_rules! patterns {
    ($($name:ident = $pattern:expr;)*) => {
        $(static $name: LazyLock<Regex> = LazyLock::new(|| re($pattern));)*
    };
}

patterns! {
    YES = r"(yes|y|yep|yeah|sure|ok|okay|confirm|confirmed|do it|go ahead|yes please|please do)";
    NO = r"(no|n|nope|cancel|don'?t|do not|never ?mind|keep it|no thanks|abort)";
    HELP = r"(help|\?|what can you do|how does this work|examples|commands|what do you understand)";
    GREETING = r"(hi|hello|hey|hiya|good (morning|afternoon|evening))( tasko)?";
    UNDO = r"(?:(?:undo|revert|reverse|take back|roll back)(?: (?:that|this|it|that change|this change|the (?:last|latest) (?:change|thing|action|step|one)|(?:my|your) (?:last|latest) (?:change|action)|what you (?:just )?did|the last thing you did))?(?: (?:please|for me))?|(?:undo|revert) (?:the )?(?:last|latest))";
    THANKS = r"(thanks|thank you|thx|cheers|great,? thanks|perfect,? thanks)";
    ATTACH_VERB = r"attach(?: (?:this|it|that|these|them|those|(?:this|that|the|these|those|my) (?:files?|attachments?|pdf|image|photo|picture|document|doc|scan|screenshot|upload)))? (?:to|on|onto|with|under|in|into) (.+)";
    ATTACH_OTHER = r"(?:add|put|save|file|link|store|upload) (?:this|it|that|these|them|those|(?:this|that|the|these|those|my) (?:files?|attachments?|pdf|image|photo|picture|document|doc|scan|screenshot|upload)) (?:to|on|onto|with|under|in|into) (.+)";
    ATTACH_NAMED = r"(?:attach|add|put|save) ['\x22“]?([^ '\x22“”]+\.[a-z0-9]{1,5})['\x22”]? (?:to|on|onto|with|under|in|into) (.+)";
    DELETE_FILE = r"(?:delete|remove|detach|drop|get rid of) (?:the |this |that )?(?:file|attachment|document|upload)s?(?: (?:called|named))? ?['\x22“]?(.*?)['\x22”]?(?: (?:from|on|of|in) (.+))?";
    DELETE_NAMED_FILE = r"(?:delete|remove|detach) ['\x22“]?([^ '\x22“”]+\.[a-z0-9]{1,5})['\x22”]?(?: (?:from|on|of|in) (.+))?";
    FILES = r".*\b(files|attachments?|attach|attached|(?:the|a|this|that|my) file)\b.*";
    FILES_OF = r".*\b(?:of|on|for|to|from) (.+)";
    CLEAR_DUE = r"(?:remove|clear|delete|drop|unset) (?:the )?(?:due )?(?:date|deadline) (?:from|of|on|for) (.+)";
    RENAME = r"(?:rename|retitle) (.+?) (?:to|as) (.+)";
    RENAME_TITLE = r"(?:change|set|update) (?:the )?(?:title|name) (?:of|for|on) (.+?) to (.+)";
    DESCRIBE = r"(?:set|change|update|make) (?:the )?description (?:of|for|on) (.+?) (?:to|as) (.+)";
    DESCRIBE_AS = r"describe (.+?) as (.+)";
    NOTE = r"(?:add|append|put|attach|write) (?:a |some |the )?notes? (?:to|on|for) (.+?)(?::|,| saying| that says| with)\s*(.+)";
    NOTE_SHORT = r"notes? (?:on|for|to) (.+?):\s*(.+)";
    NOTE_QUOTED = r#"(?:add|append) ["“](.+)["”] (?:as a note |to the notes )?(?:to|on) (.+)"#;
    MOVE = r"(?:move|reschedule|postpone|push|push back|shift|change|set|update) (?:the )?(?:due date |date |deadline )?(?:of |for |on )?(.+?) (?:to|until|till) (.+)";
    DUE_IS = r"(.+?) (?:is|should be)(?: now)? due (.+)";
    MAKE_DUE = r"make (.+?) due (.+)";
    COMPLETE_MARK = r"(?:mark|set|flag|tick|check) (.+?) (?:as )?(?:complete|completed|done|finished)";
    COMPLETE_VERB = r"(?:complete|finish|check off|tick off|cross off|close) (.+)";
    COMPLETE_IDID = r"i(?:'ve| have)? (?:just )?(?:finished|completed|done|did) (.+)";
    COMPLETE_IS = r"(.+?)(?: is|'s|’s) (?:done|finished|complete|completed)";
    COMPLETE_WITH = r"(?:i'?m )?done with (.+)";
    REOPEN_MARK = r"(?:mark|set|flag) (.+?) (?:as )?(?:not done|not complete|not completed|not finished|incomplete|uncompleted|open|undone|active|pending|to ?do)";
    REOPEN_VERB = r"(?:reopen|re-open|uncomplete|unmark|uncheck|undo|restore) (.+)";
    DELETE = r"(?:delete|remove|erase|trash|drop|get rid of|scrap|discard) (.+)";
    ADD = r"(?:add|create|new|make|put|schedule|remind me to|remember to|i need to|i have to|i must|i should|todo:?|to-do:?|task:?)\s+(.+)";
    SHOW = r"(?:show|open|display|view|get|read|find|tell me about|what'?s in|what is in|what about|details (?:of|for|on|about)|more about|look at) (?:me )?(.+)";
    LISTY = r".*\b(todos?|to-dos?|tasks?|items?|list|everything|anything|agenda|stuff|things|due|overdue|late|completed|finished|done|open|pending|remaining|left|today|tomorrow|week|month)\b.*";
    WHAT = r"(?:what|which|any|anything|do i have|have i got|list|show|give|tell)\b.*";
    POSITION = r"(?:the |number |no\.? ?|#)?(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|\d+(?:st|nd|rd|th)?)(?: one| todo| task| item)?(?: (?:on|in|from) the list)?";
    PRONOUN_ONE = r"(it|that|this|that one|this one|the same one|same one|that todo|this todo|that task|this task|the one you (?:just )?(?:mentioned|showed|added))";
    PRONOUN_MANY = r"(them|those|these|them all|all of them|both|both of them|those ones|these ones|those todos|these todos|those tasks|all those|all these)";
    ALL = r"(?:all|everything|all (?:of )?(?:my |the )?(?:todos|tasks|items)|every (?:todo|task)|my (?:todos|tasks))";
    ALL_COMPLETED = r"(?:all )?(?:(?:of )?(?:my |the )?)?(?:completed|done|finished) (?:ones|todos|tasks|items)|all (?:the )?(?:completed|done|finished)(?: ones)?";
    DUE_WHEN = r".*?\b(?:due )?(by|before|until|till|on|for|due) (.+)";
    ABOUT = r".*?\b(?:about|matching|containing|mentioning|related to|regarding|called|named|titled|with the word|that says|that mention|mention) ['\x22“]?(.+?)['\x22”]?";
}

const POLITE_PREFIXES: [&str; 16] = [
    "please ",
    "can you ",
    "could you ",
    "would you ",
    "will you ",
    "hey ",
    "ok ",
    "okay ",
    "now ",
    "and ",
    "also ",
    "then ",
    "tasko ",
    "so ",
    "pls ",
    "kindly ",
];

/// Lower-level cleanup shared by every rule: trims, drops trailing punctuation and polite
/// wrappers ("please", "can you", "for me").
pub fn normalize(text: &str) -> String {
    let mut s: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    loop {
        let before = s.clone();
        s = s.trim_end_matches(['.', '!', '?', ' ']).to_owned();
        let lower = s.to_lowercase();
        if let Some(prefix) = POLITE_PREFIXES.iter().find(|p| lower.starts_with(*p)) {
            s = s[prefix.len()..].trim_start().to_owned();
        }
        for suffix in [" please", " for me", " thanks", " thank you"] {
            if s.to_lowercase().ends_with(suffix) {
                s.truncate(s.len() - suffix.len());
            }
        }
        if s == before {
            return s;
        }
    }
}

fn ordinal(word: &str) -> Option<usize> {
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
        .filter(|n| *n > 0)
}

/// Parses a noun phrase that points at todos.
pub fn reference(phrase: &str) -> Reference {
    let phrase = normalize(phrase);
    let lower = phrase.to_lowercase();
    if PRONOUN_ONE.is_match(&lower) {
        return Reference::Pronoun { plural: false };
    }
    if PRONOUN_MANY.is_match(&lower) {
        return Reference::Pronoun { plural: true };
    }
    if let Some(c) = POSITION.captures(&lower)
        && let Some(n) = ordinal(&c[1].to_lowercase())
    {
        return Reference::Position(n);
    }
    if ALL_COMPLETED.is_match(&lower) {
        return Reference::AllCompleted;
    }
    if ALL.is_match(&lower) {
        return Reference::All;
    }
    Reference::Text(title_words(&phrase))
}

/// Strips the framing around a title: "the one about X", "my X todo", quotes.
fn title_words(phrase: &str) -> String {
    let mut s = phrase.trim().to_owned();
    if let Some(quoted) = s
        .split(['"', '“', '”'])
        .nth(1)
        .filter(|q| !q.trim().is_empty())
    {
        return quoted.trim().to_owned();
    }
    let lower = s.to_lowercase();
    for prefix in [
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
    ] {
        if lower.starts_with(prefix) {
            s = s[prefix.len()..].to_owned();
            break;
        }
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

/// "a new todo:", "task", "a reminder" before the title of an added todo.
static ADD_FRAMING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:a |an )?(?:new )?(?:todo|to-do|task|item|reminder)s?:?\s+").expect("valid")
});

fn add_intent(rest: &str, today: Date) -> Intent {
    let mut rest = rest.trim().to_owned();
    if let Some(m) = ADD_FRAMING.find(&rest) {
        rest = rest[m.end()..].to_owned();
    }
    for prefix in [
        "to ",
        "called ",
        "named ",
        "titled ",
        "for ",
        ": ",
        "that says ",
    ] {
        if rest.to_lowercase().starts_with(prefix) {
            rest = rest[prefix.len()..].to_owned();
            break;
        }
    }
    let mut description = None;
    let lower = rest.to_lowercase();
    for marker in [
        " with the description ",
        " with description ",
        " description: ",
        " described as ",
        " - ",
    ] {
        if let Some(at) = lower.find(marker) {
            description = Some(rest[at + marker.len()..].trim().to_owned());
            rest.truncate(at);
            break;
        }
    }
    for suffix in [
        " to my list",
        " to the list",
        " to my todos",
        " to my todo list",
        " on my list",
    ] {
        if rest.to_lowercase().ends_with(suffix) {
            rest.truncate(rest.len() - suffix.len());
        }
    }
    let (mut title, due) = if rest.chars().count() > LINE_MAX_CHARS {
        // Longer than a todo line can be: not read for a date (the title's limit refuses it).
        (rest.clone(), None)
    } else if let Some(q) = rest.split(['"', '“', '”']).nth(1).filter(|q| !q.is_empty()) {
        let after = rest.rsplit(['"', '“', '”']).next().unwrap_or_default();
        (
            q.to_owned(),
            dates::split_trailing_date(&format!("x {after}"), today).1,
        )
    } else {
        dates::split_trailing_date(&rest, today)
    };
    // The description marker may have come after the date: "add X tomorrow with description Y".
    title = title.trim().trim_end_matches(',').to_owned();
    let mut chars = title.chars();
    if let Some(first) = chars.next() {
        title = first.to_uppercase().collect::<String>() + chars.as_str();
    }
    Intent::Add {
        title,
        description,
        due,
    }
}

fn list_query(lower: &str, today: Date) -> ListQuery {
    use jiff::ToSpan;
    let mut query = ListQuery::default();
    let has = |w: &str| {
        lower
            .split(|c: char| !c.is_alphanumeric() && c != '-')
            .any(|x| x == w)
    };
    if has("overdue") || has("late") || lower.contains("past due") {
        query.status = Some("overdue".into());
    } else if has("completed") || has("finished") || has("done") {
        query.status = Some("completed".into());
    } else if has("open")
        || has("pending")
        || has("incomplete")
        || has("unfinished")
        || has("remaining")
        || has("left")
        || has("active")
        || has("outstanding")
    {
        query.status = Some("open".into());
    }
    let range = |from: Date, to: Date, label: &str, q: &mut ListQuery| {
        q.due_from = Some(from);
        q.due_to = Some(to);
        q.label = if q.label.is_empty() {
            label.to_owned()
        } else {
            format!("{} {label}", q.label)
        };
    };
    let monday = dates::monday_of_week(today);
    if lower.contains("next week") {
        let from = monday.checked_add(7.days()).unwrap_or(today);
        range(
            from,
            from.checked_add(6.days()).unwrap_or(from),
            "due next week",
            &mut query,
        );
    } else if lower.contains("this week") || lower.contains("the week") {
        range(
            monday,
            monday.checked_add(6.days()).unwrap_or(monday),
            "due this week",
            &mut query,
        );
    } else if lower.contains("next month") {
        let first = today
            .first_of_month()
            .checked_add(1.month())
            .unwrap_or(today);
        range(first, first.last_of_month(), "due next month", &mut query);
    } else if lower.contains("this month") {
        range(
            today.first_of_month(),
            today.last_of_month(),
            "due this month",
            &mut query,
        );
    } else if has("tomorrow") {
        let t = today.checked_add(1.day()).unwrap_or(today);
        range(t, t, "due tomorrow", &mut query);
    } else if has("today") || has("tonight") {
        range(today, today, "due today", &mut query);
    } else if let Some(c) = DUE_WHEN.captures(lower) {
        let preposition = c.get(1).map_or("on", |m| m.as_str());
        if let Some(date) = dates::parse(&c[2], today) {
            let when = dates::friendly(date, today);
            if ["by", "before", "until", "till"].contains(&preposition) {
                query.due_to = Some(date);
                query.label = format!("due by {when}");
            } else {
                range(date, date, &format!("due on {when}"), &mut query);
            }
        }
    }
    if let Some(c) = ABOUT.captures(lower) {
        let text = c[1]
            .trim()
            .trim_end_matches(" todos")
            .trim_end_matches(" tasks")
            .to_owned();
        if !text.is_empty() {
            // The label is markdown: the user's words in it are escaped.
            let quoted = super::reply::escape(&text);
            query.label = if query.label.is_empty() {
                format!("matching “{quoted}”")
            } else {
                format!("{} matching “{quoted}”", query.label)
            };
            query.text = Some(text);
        }
    }
    query
}

fn first_match<'a>(patterns: &[&Regex], text: &'a str) -> Option<regex_lite::Captures<'a>> {
    patterns.iter().find_map(|p| p.captures(text))
}

/// Understands one message. `awaiting_choice` says whether the agent just asked "which one?",
/// in which case a message that is only a reference ("the second one") is the answer.
pub fn parse(message: &str, today: Date, awaiting_choice: bool) -> Intent {
    match parse_instruction(message, today) {
        Intent::Unknown if awaiting_choice => Intent::Choose(reference(message)),
        Intent::Show(r)
            if awaiting_choice && !message.to_lowercase().trim_start().starts_with("show") =>
        {
            Intent::Choose(r)
        }
        intent => intent,
    }
}

fn parse_instruction(message: &str, today: Date) -> Intent {
    let text = typos::fix_command_words(&normalize(message));
    let lower = text.to_lowercase();
    if lower.is_empty() {
        return Intent::Unknown;
    }
    // Most specific first: "attach the file to x" is about files, not about adding a todo.
    conversation(&lower)
        .or_else(|| UNDO.is_match(&lower).then_some(Intent::Undo))
        .or_else(|| followups::parse(&text, today, |rest| parse_instruction(rest, today)))
        .or_else(|| about_files(&text, &lower))
        .or_else(|| edit(&text))
        .or_else(|| due_change(&text, today))
        .or_else(|| state_change(&text))
        .or_else(|| add_show_or_list(&text, &lower, today))
        .unwrap_or(Intent::Unknown)
}

/// Answers and small talk: yes / no, help, greetings, thanks.
fn conversation(lower: &str) -> Option<Intent> {
    if YES.is_match(lower) {
        return Some(Intent::Answer(true));
    }
    if NO.is_match(lower) {
        return Some(Intent::Answer(false));
    }
    if HELP.is_match(lower) {
        return Some(Intent::Help);
    }
    if GREETING.is_match(lower) {
        return Some(Intent::Greeting);
    }
    THANKS.is_match(lower).then_some(Intent::Thanks)
}

/// Attaching, listing and removing files.
fn about_files(text: &str, lower: &str) -> Option<Intent> {
    if let Some(c) = first_match(&[&ATTACH_VERB, &ATTACH_OTHER], text) {
        return Some(Intent::AttachFile {
            target: reference(&c[1]),
            name: None,
        });
    }
    if let Some(c) = ATTACH_NAMED.captures(text) {
        return Some(Intent::AttachFile {
            target: reference(&c[2]),
            name: Some(c[1].to_owned()),
        });
    }
    if let Some(c) = first_match(&[&DELETE_FILE, &DELETE_NAMED_FILE], text) {
        return Some(Intent::DeleteFile {
            name: c[1].trim().to_owned(),
            target: c.get(2).map(|m| reference(m.as_str())),
        });
    }
    if FILES.is_match(lower) && !NOTE.is_match(text) {
        let target = FILES_OF.captures(text).map(|c| reference(&c[1]));
        return Some(Intent::Files { target });
    }
    None
}

/// Changing a todo's fields: clearing its date, renaming, describing, adding notes.
fn edit(text: &str) -> Option<Intent> {
    if let Some(c) = CLEAR_DUE.captures(text) {
        return Some(Intent::SetDue {
            target: reference(&c[1]),
            due: None,
        });
    }
    if let Some(c) = first_match(&[&RENAME, &RENAME_TITLE], text) {
        return Some(Intent::Rename {
            target: reference(&c[1]),
            title: c[2].trim_matches(['"', '“', '”', ' ']).to_owned(),
        });
    }
    if let Some(c) = first_match(&[&DESCRIBE, &DESCRIBE_AS], text) {
        return Some(Intent::SetDescription {
            target: reference(&c[1]),
            text: c[2].trim().to_owned(),
        });
    }
    if let Some(c) = first_match(&[&NOTE, &NOTE_SHORT], text) {
        return Some(Intent::AddNote {
            target: reference(&c[1]),
            text: c[2].trim().to_owned(),
        });
    }
    NOTE_QUOTED.captures(text).map(|c| Intent::AddNote {
        target: reference(&c[2]),
        text: c[1].trim().to_owned(),
    })
}

/// Words that look like a subject of "... is due ..." but ask a question instead.
const QUESTION_SUBJECTS: [&str; 6] = [
    "what",
    "which",
    "anything",
    "something",
    "what else",
    "everything",
];

/// "No date" in the user's words.
const NO_DATE: [&str; 5] = ["none", "nothing", "no date", "no due date", "never"];

/// Moving a due date: "move x to friday", "x is due tomorrow", "make x due next week".
fn due_change(text: &str, today: Date) -> Option<Intent> {
    for pattern in [&*MOVE, &*DUE_IS, &*MAKE_DUE] {
        let Some(c) = pattern.captures(text) else {
            continue;
        };
        let subject = c[1].trim().to_lowercase();
        if QUESTION_SUBJECTS.contains(&subject.as_str()) {
            continue;
        }
        let when = c[2].trim().to_lowercase();
        let due = if NO_DATE.contains(&when.as_str()) {
            None
        } else {
            match dates::parse(&when, today) {
                Some(date) => Some(date),
                None => continue,
            }
        };
        return Some(Intent::SetDue {
            target: reference(&c[1]),
            due,
        });
    }
    None
}

/// Reopening, completing and deleting.
fn state_change(text: &str) -> Option<Intent> {
    if let Some(c) = first_match(&[&REOPEN_MARK, &REOPEN_VERB], text) {
        return Some(Intent::Reopen(reference(&c[1])));
    }
    let complete: [&Regex; 5] = [
        &COMPLETE_MARK,
        &COMPLETE_VERB,
        &COMPLETE_IDID,
        &COMPLETE_WITH,
        &COMPLETE_IS,
    ];
    if let Some(c) = first_match(&complete, text)
        && !QUESTION_SUBJECTS.contains(&c[1].trim().to_lowercase().as_str())
    {
        return Some(Intent::Complete(reference(&c[1])));
    }
    DELETE
        .captures(text)
        .map(|c| Intent::Delete(reference(&c[1])))
}

/// Adding a todo, showing one, or listing several.
fn add_show_or_list(text: &str, lower: &str, today: Date) -> Option<Intent> {
    if let Some(c) = ADD.captures(text) {
        return Some(add_intent(&c[1], today));
    }
    if let Some(c) = SHOW.captures(text) {
        let rest = c[1].to_lowercase();
        let r = reference(&c[1]);
        let singular = matches!(
            r,
            Reference::Position(_) | Reference::Pronoun { plural: false }
        ) || rest.contains(" one")
            || rest.ends_with(" todo")
            || rest.ends_with(" task");
        if singular || !LISTY.is_match(&rest) {
            return Some(Intent::Show(r));
        }
        return Some(Intent::List(list_query(lower, today)));
    }
    let listy = LISTY.is_match(lower);
    (listy && (WHAT.is_match(lower) || lower.split_whitespace().count() <= 4))
        .then(|| Intent::List(list_query(lower, today)))
}
