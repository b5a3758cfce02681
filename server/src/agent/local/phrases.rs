//! The phrase table: every verb with its patterns (see `grammar` for the pattern language),
//! compiled once. The first pattern that matches the whole sentence decides; `build` turns
//! its slots into the one [`Command`] shape. Conversation (yes / no / help / greetings) has
//! its own small table, read before polite wrappers are dropped.

use std::sync::LazyLock;

use app::words::{dates, lexicon, tokens::Token};
use jiff::civil::Date;

use super::{
    grammar::{Captures, Pattern, Slot},
    organize,
    query::{list_query, reference, title_words},
    remind,
};
use crate::domain::dialogue::{Command, Detail, Reference, Verb};

/// How a matched pattern becomes a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Make {
    Yes,
    No,
    Help,
    Greeting,
    Thanks,
    Undo,
    /// A title correction ("call it X").
    CallIt,
    NotDone,
    Shift,
    Ask(Detail),
    Attach,
    AttachNamed,
    DeleteFile,
    ClearDue,
    Rename,
    Describe,
    Note,
    /// A quoted note before its todo ("add “X” to the party one").
    NoteFirst,
    Move,
    Reopen,
    Complete,
    Delete,
    Add,
    /// A date before an added todo ("tomorrow remind me to call mom").
    AddDated,
    Show,
    Count,
    /// Lists, priority, repeat rules, steps, labels, times (see `organize`).
    Organize(organize::Organize),
    /// Reminders (see `remind`).
    Remind(remind::Remind),
}

const DONE: &str = "done|finished|complete|completed";
const TO: &str = "to|on|onto|with|under|in|into";

fn file_objects() -> String {
    let mut alternatives = ["this", "it", "that", "these", "them", "those"].join("|");
    for det in ["this", "that", "the", "these", "those", "my"] {
        for noun in [
            "file",
            "files",
            "attachment",
            "attachments",
            "pdf",
            "image",
            "photo",
            "picture",
            "document",
            "doc",
            "scan",
            "screenshot",
            "upload",
        ] {
            alternatives.push_str(&format!("|{det}_{noun}"));
        }
    }
    alternatives
}

fn table() -> Vec<(Make, String)> {
    use Make::*;
    let objects = file_objects();
    let file_noun = "file|files|attachment|attachments|document|upload";
    let p = |make: Make, pattern: &str| (make, pattern.to_owned());
    vec![
        p(
            Undo,
            "undo|revert|reverse|take_back|roll_back that|this|it|that_change|this_change|the_last_change|the_latest_change|the_last_thing|the_last_action|the_last_step|the_last_one|my_last_change|your_last_change|what_you_did|what_you_just_did|the_last_thing_you_did|the_last|the_latest|everything_you_just_did?",
        ),
    ]
    .into_iter()
    .chain(
        organize::early()
            .into_iter()
            .map(|(o, source)| (Organize(o), source)),
    )
    .chain(
        remind::early()
            .into_iter()
            .map(|(r, source)| (Remind(r), source)),
    )
    .chain(vec![
        p(Count, "tell_me? how_many {text}"),
        p(Count, "how_many"),
        p(CallIt, "call|name|title it {text}"),
        p(CallIt, "it|that should_be_called {text}"),
        p(CallIt, "the_title_should_be {text}"),
        p(CallIt, "i_meant_to call_it|write {text}"),
        p(
            NotDone,
            &format!(
                "it's|that's|it_is|that_is|it_was|that_was not|actually_not {DONE} yet? after_all?"
            ),
        ),
        p(
            NotDone,
            &format!(
                "{{ref}} isn't|wasn't|isnt|wasnt|is_not|was_not|'s_not {DONE} yet? after_all?"
            ),
        ),
        p(
            NotDone,
            "i? didn't|did_not|haven't|have_not|havent|didnt actually? finish|finished|complete|completed|do|done {ref} yet? after_all?",
        ),
        p(NotDone, &format!("not|still_not {DONE} yet? after_all?")),
        p(
            Shift,
            "move|push|postpone|delay|bring|pull|shift|put_off|set_back|reschedule back|forward|up|out|ahead? {ref} back|forward|up|out|ahead? by? {num} {unit} later|earlier|sooner|back|forward|ahead|out?",
        ),
        p(
            Ask(Detail::Notes),
            "what|what's|what're are|is|do? the? note|notes on|of|for|in {ref}",
        ),
        p(
            Ask(Detail::Notes),
            "what_do the? notes say on|for|about? {ref}",
        ),
        p(
            Ask(Detail::Notes),
            "show|read|tell me? the? notes on|of|for {ref}",
        ),
        p(
            Ask(Detail::Notes),
            "what_notes do_i_have|are_there? on|for {ref}",
        ),
        p(Ask(Detail::Notes), "does {ref} have any? notes"),
        p(
            Ask(Detail::Description),
            "what|what's is? the? description of|for|on {ref}",
        ),
        p(
            Ask(Detail::Description),
            "show|read|tell me? the? description of|for|on {ref}",
        ),
        p(Ask(Detail::Description), "what_is|what's {ref} about"),
        p(
            Ask(Detail::Due),
            "when's|when_is|when_was|when_are|what_day_is {ref} due?",
        ),
        p(
            Ask(Detail::Due),
            "what|what's is? the due_date|deadline|date of|for|on {ref}",
        ),
        p(Ask(Detail::Due), "by_when is|do_i_need_to_do {ref}"),
        p(
            Ask(Detail::Done),
            &format!("is|was|are {{ref}} {DONE} yet|already?"),
        ),
        p(
            Ask(Detail::Done),
            "did_i|have_i already? finish|finished|complete|completed|do|done {ref} yet|already?",
        ),
        p(Attach, &format!("attach {objects}? {TO} {{ref}}")),
        p(
            Attach,
            &format!("add|put|save|file|link|store|upload {objects} {TO} {{ref}}"),
        ),
        p(
            AttachNamed,
            &format!("attach|add|put|save {{file}} {TO} {{ref}}"),
        ),
        p(
            DeleteFile,
            &format!(
                "delete|remove|detach|drop|get_rid_of the|this|that? {file_noun} from|on|of|in {{ref}}"
            ),
        ),
        p(
            DeleteFile,
            &format!(
                "delete|remove|detach|drop|get_rid_of the|this|that? {file_noun} called|named? {{text}} from|on|of|in {{ref}}"
            ),
        ),
        p(
            DeleteFile,
            &format!(
                "delete|remove|detach|drop|get_rid_of the|this|that? {file_noun} called|named? {{text}}"
            ),
        ),
        p(
            DeleteFile,
            &format!("delete|remove|detach|drop|get_rid_of the|this|that? {file_noun}"),
        ),
        p(
            DeleteFile,
            "delete|remove|detach {file} from|on|of|in {ref}",
        ),
        p(DeleteFile, "delete|remove|detach {file}"),
        p(
            ClearDue,
            "remove|clear|delete|drop|unset the? due? date|deadline from|of|on|for {ref}",
        ),
        p(Rename, "rename|retitle {ref} to|as {text}"),
        p(
            Rename,
            "change|set|update|make the? title|name of|for|on {ref} to|: {text}",
        ),
        p(
            Rename,
            "the? title|name of|for {ref} :|should_be|should_now_be|is_now {text}",
        ),
        p(
            Rename,
            "change|set|update|make {ref} 's title|name to|: {text}",
        ),
        p(
            Rename,
            "{ref} 's title|name :|should_be|should_now_be|is_now {text}",
        ),
        p(Rename, "call|name|rename|retitle {ref} {quote}"),
        p(
            Describe,
            "set|change|update|make|write the? description of|for|on {ref} to|as|:|- {text}",
        ),
        p(
            Describe,
            "the? description of|for|on {ref} :|-|should_be|should_now_be|is_now {text}",
        ),
        p(
            Describe,
            "set|change|update|make|write {ref} 's description to|as|:|- {text}",
        ),
        p(
            Describe,
            "{ref} 's description :|-|should_be|should_now_be|is|is_now {text}",
        ),
        p(Describe, "describe {ref} as|: {text}"),
        p(
            Describe,
            "add|put|write|give a|the? description to|on|for {ref} :|,|saying|- {text}",
        ),
        p(
            Note,
            "add|append|put|attach|write a|some|the? note|notes to|on|for {ref} :|,|saying|that_says|with {text}",
        ),
        p(Note, "note|notes on|for|to {ref} : {text}"),
        p(
            NoteFirst,
            "add|append {quote} as_a_note|to_the_notes? to|on {ref}",
        ),
        p(
            Move,
            "move|reschedule|postpone|push|push_back|shift|change|set|update the? due_date|date|deadline? of|for|on? {ref} to|until|till|: {date}",
        ),
        p(Move, "{ref} is|should_be now? due {date}"),
        p(
            Move,
            "move|change|set|update {ref} 's due_date|date|deadline to|: {date}",
        ),
        p(
            Move,
            "{ref} 's due_date|date|deadline :|should_be|is|is_now {date}",
        ),
        p(Move, "make {ref} due {date}"),
        p(Move, "set|change|update {ref} due|due_date to? {date}"),
        p(
            Reopen,
            "mark|set|flag {ref} as? not_done|not_complete|not_completed|not_finished|incomplete|uncompleted|open|undone|active|pending|todo|to_do|unfinished|as_open|not_done_yet",
        ),
        p(
            Reopen,
            "reopen|re-open|uncomplete|unmark|uncheck|undo|restore {ref}",
        ),
        p(
            Complete,
            &format!("mark|set|flag|tick|check {{ref}} as? {DONE}"),
        ),
        p(
            Complete,
            "complete|finish|check_off|tick_off|cross_off|close {ref}",
        ),
        p(
            Complete,
            "i|i've|i_have just? finished|completed|done|did {ref}",
        ),
        p(Complete, &format!("it's|that's {DONE}")),
        p(Complete, &format!("{{ref}} is|'s|was|are {DONE}")),
        p(Complete, "i'm? done_with {ref}"),
        p(
            Delete,
            "delete|remove|erase|trash|drop|get_rid_of|scrap|discard {ref}",
        ),
        p(
            Add,
            "add|create|new|make|put|schedule|remind_me_to|remember_to|i_need_to|i_have_to|i_must|i_should|todo|to-do|task :? {text}",
        ),
        p(
            AddDated,
            "on|by? {date} ,? add|create|remind_me_to|remember_to|i_need_to|i_have_to|i_must|i_should|todo|task :? {text}",
        ),
        p(AddDated, "on|by? {date} ,|: {text}"),
    ])
    .chain(
        organize::late()
            .into_iter()
            .map(|(o, source)| (Organize(o), source)),
    )
    .chain(vec![
        p(
            Show,
            "show|open|display|view|get|read|find|tell_me_about|what's_in|what_is_in|what_about|details_of|details_for|details_on|details_about|more_about|look_at me? {ref}",
        ),
    ])
    .collect()
}

/// The table, compiled once.
pub static TABLE: LazyLock<Vec<(Make, Pattern)>> = LazyLock::new(|| {
    table()
        .into_iter()
        .map(|(make, source)| (make, Pattern::compile(&source)))
        .collect()
});

/// Small talk and answers, matched on the whole message.
pub static CONVERSATION: LazyLock<Vec<(Make, Pattern)>> = LazyLock::new(|| {
    [
        (Make::Yes, "yes|y|yep|yeah|sure|ok|okay|confirm|confirmed|do_it|go_ahead|yes_please|please_do|yes_do_it|yes_go_ahead|sure_go_ahead|ok_do_it|yes_delete_it"),
        (Make::No, "no|n|nope|cancel|don't|dont|do_not|never_mind|nevermind|keep_it|no_thanks|abort|no_don't|no_keep_it|don't_delete_it"),
        (Make::Help, "help|what_can_you_do|how_does_this_work|examples|commands|what_do_you_understand|help_me|what_can_i_say"),
        (Make::Greeting, "hi|hello|hey|hiya|good_morning|good_afternoon|good_evening tasko|there?"),
        (Make::Thanks, "thanks|thank_you|thx|cheers|great_thanks|perfect_thanks|thanks_a_lot|thank_you_so_much|ty|great|perfect|awesome tasko?"),
    ]
    .into_iter()
    .map(|(make, source)| (make, Pattern::compile(source)))
    .collect()
});

fn looks_like_file(token: &Token) -> bool {
    let Some((stem, ext)) = token.norm.rsplit_once('.') else {
        return false;
    };
    !stem.is_empty()
        && (1..=5).contains(&ext.len())
        && ext.chars().all(|c| c.is_ascii_alphanumeric())
        && ext.chars().any(|c| c.is_ascii_alphabetic())
}

/// Whether a slot's tokens are what the slot holds.
pub fn accepts(slot: Slot, tokens: &[Token], today: Date) -> bool {
    let joined = || {
        tokens
            .iter()
            .map(|t| t.norm.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    match slot {
        Slot::Date => {
            let words = joined();
            lexicon::NO_DATE.contains(&words.as_str()) || dates::parse(&words, today).is_some()
        }
        Slot::Num => lexicon::number(&tokens[0].norm).is_some(),
        Slot::Unit => ["day", "days", "week", "weeks"].contains(&tokens[0].norm.as_str()),
        Slot::File => looks_like_file(&tokens[0]),
        // "what is due friday" asks; it does not name a todo called "what".
        Slot::Ref => !lexicon::QUESTION_SUBJECTS.contains(&joined().as_str()),
        Slot::Text | Slot::Quote => true,
        Slot::Prio => organize::priority(&joined()).is_some(),
        Slot::Rule => organize::rule(&joined()).is_some(),
        Slot::Time => organize::time(&joined()).is_some(),
        Slot::List => organize::list_name(&joined(), today).is_some(),
        Slot::Step => {
            (tokens.len() == 1 && tokens[0].kind == app::words::tokens::Kind::Quoted)
                || organize::step(&joined()).is_some()
        }
        Slot::Remind => remind::accepts(tokens, today),
        Slot::Label => {
            tokens[0].kind == app::words::tokens::Kind::Word
                && organize::label(&tokens[0].norm).is_some()
        }
    }
}

/// A matched sentence, for `build`.
pub struct Match<'a> {
    pub text: &'a str,
    pub tokens: &'a [Token],
    pub captures: Captures,
    pub today: Date,
}

impl Match<'_> {
    fn slot(&self, kind: Slot) -> Option<&str> {
        self.captures
            .iter()
            .find(|(slot, _, _)| *slot == kind)
            .map(|(_, from, to)| app::words::tokens::span(self.text, self.tokens, *from, *to))
    }

    fn target(&self) -> Option<Reference> {
        Some(
            self.slot(Slot::Ref)
                .map_or(Reference::Pronoun { plural: false }, reference),
        )
    }

    fn words(&self) -> Vec<&str> {
        self.tokens.iter().map(|t| t.norm.as_str()).collect()
    }
}

/// What a sentence was read as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Read {
    Conversation(Make),
    Command(Command),
    /// "call it X": a new title for what was just discussed.
    Title(String),
    /// Reads as an add, but names a field of a todo: a question, not a new todo.
    Unclear,
}

fn due_of(words: &str, today: Date) -> Option<Date> {
    if lexicon::NO_DATE.contains(&words.to_lowercase().as_str()) {
        None
    } else {
        dates::parse(words, today)
    }
}

pub fn build(make: Make, m: &Match<'_>) -> Option<Read> {
    use Make::*;
    let command = |verb| Command::new(verb, m.target());
    let text = |kind| m.slot(kind).unwrap_or_default().trim().to_owned();
    Some(Read::Command(match make {
        Yes | No | Help | Greeting | Thanks => return Some(Read::Conversation(make)),
        CallIt => {
            return Some(Read::Title(
                text(Slot::Text).trim_matches(['"', '“', '”']).to_owned(),
            ));
        }
        Undo => Command::new(Verb::Undo, None),
        NotDone | Reopen => command(Verb::Reopen),
        Complete => command(Verb::Complete),
        Delete => command(Verb::Delete),
        Show => command(Verb::Show).with(|a| a.text = Some(text(Slot::Ref))),
        Ask(detail) => command(Verb::Ask(detail)),
        Shift => {
            let n = lexicon::number(m.slot(Slot::Num)?)?;
            let days = if m.slot(Slot::Unit)?.starts_with("week") {
                n * 7
            } else {
                n
            };
            let words = m.words();
            let earlier = words
                .iter()
                .any(|w| ["forward", "up", "earlier", "sooner"].contains(w))
                || (["bring", "pull"].contains(&words[0]) && !words.contains(&"back"));
            command(Verb::ShiftDue).with(|a| a.days = if earlier { -days } else { days })
        }
        Attach => command(Verb::AttachFile),
        AttachNamed => command(Verb::AttachFile).with(|a| a.text = Some(text(Slot::File))),
        DeleteFile => Command {
            verb: Verb::DeleteFile,
            target: m.slot(Slot::Ref).map(reference),
            args: Default::default(),
        }
        .with(|a| {
            let name = m
                .slot(Slot::File)
                .or(m.slot(Slot::Text))
                .unwrap_or_default();
            a.text = Some(name.trim().trim_matches(['"', '“', '”', '\'']).to_owned());
        }),
        ClearDue => command(Verb::SetDue),
        Rename => command(Verb::Rename).with(|a| {
            let title = m
                .slot(Slot::Text)
                .or(m.slot(Slot::Quote))
                .unwrap_or_default();
            a.text = Some(title.trim_matches(['"', '“', '”', ' ']).to_owned())
        }),
        Describe => command(Verb::SetDescription).with(|a| a.text = Some(text(Slot::Text))),
        Note => command(Verb::AddNote).with(|a| a.text = Some(text(Slot::Text))),
        NoteFirst => command(Verb::AddNote).with(|a| a.text = Some(text(Slot::Quote))),
        Move => {
            let due = due_of(m.slot(Slot::Date)?, m.today);
            command(Verb::SetDue).with(|a| a.due = due)
        }
        Add | AddDated => {
            let mut add = super::add::read(&text(Slot::Text), m.today)?;
            if make == AddDated {
                add.args.due = add.args.due.or(due_of(m.slot(Slot::Date)?, m.today));
            }
            // "remind me to call mom tomorrow at 5pm" reminds at the due time it gives.
            if m.words().contains(&"remind") {
                remind::at_due_time(&mut add);
            }
            return Some(add_or_doubt(add));
        }
        Count => Command::new(Verb::Count, None).with(|a| {
            a.query = list_query(m.text, m.today);
            a.query.list = organize::list_words(m.text, m.today).map(Box::new);
        }),
        Remind(r) => {
            let target = m.slot(Slot::Ref);
            if target.is_some_and(names_no_todo) {
                return None;
            }
            let slots = remind::Slots {
                target,
                remind: m.slot(Slot::Remind),
                rule: m.slot(Slot::Rule),
                time: m.slot(Slot::Time),
                text: m.slot(Slot::Text),
                today: m.today,
            };
            let command = remind::build(r, &slots)?;
            if command.verb == Verb::Add {
                return Some(add_or_doubt(command));
            }
            command
        }
        Organize(o) => {
            let target = m.slot(Slot::Ref);
            // "which todos are important?" asks; it names no todo.
            if target.is_some_and(names_no_todo) {
                return None;
            }
            // A quoted step keeps its quotes: it is a step's title, whatever its words.
            let quoted_step = m.captures.iter().find_map(|(slot, from, to)| {
                (*slot == Slot::Step
                    && to - from == 1
                    && m.tokens[*from].kind == app::words::tokens::Kind::Quoted)
                    .then(|| format!("“{}”", m.slot(Slot::Step).unwrap_or_default()))
            });
            // "mark 'X' as done" with no todo named completes the todo X, not a step.
            if quoted_step.is_some() && target.is_none() {
                return None;
            }
            let slots = organize::Slots {
                target,
                text: m.slot(Slot::Text),
                prio: m.slot(Slot::Prio),
                rule: m.slot(Slot::Rule),
                time: m.slot(Slot::Time),
                list: m.slot(Slot::List),
                step: quoted_step.as_deref().or(m.slot(Slot::Step)),
                label: m.slot(Slot::Label),
                first_word: m.tokens.first().map_or("", |t| t.norm.as_str()),
                today: Some(m.today),
            };
            organize::build(o, &slots)?
        }
    }))
}

/// Words in a todo's place that ask rather than name one ("which todos", "any").
fn names_no_todo(target: &str) -> bool {
    let first = target
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_lowercase();
    lexicon::QUESTION_SUBJECTS.contains(&first.as_str())
        || ["which", "what", "how", "any", "do", "are", "is"].contains(&first.as_str())
}

/// "A sentence that sets a field of an existing todo never creates a new one": an add whose
/// title starts by naming a field ("the description of X …") is a question instead.
fn add_or_doubt(add: Command) -> Read {
    let title = add.args.text.clone().unwrap_or_default().to_lowercase();
    let title = title.strip_prefix("the ").unwrap_or(&title);
    let names_field = lexicon::FIELDS.iter().any(|field| {
        title.strip_prefix(field).is_some_and(|rest| {
            [" of ", " for ", " on ", " to ", ":"]
                .iter()
                .any(|p| rest.starts_with(p))
        })
    });
    if names_field {
        Read::Unclear
    } else {
        Read::Command(add)
    }
}

/// The reference a bare phrase makes ("the second one"), for an answer to "which one?".
pub fn bare_reference(text: &str) -> Reference {
    let r = reference(text);
    match r {
        Reference::Text(t) => Reference::Text(title_words(&t)),
        other => other,
    }
}
