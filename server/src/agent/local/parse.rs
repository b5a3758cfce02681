//! Reading one message: tokens, then polite wrappers and typos in command words dropped or
//! mended (the lexicon), then the phrase table. A message that opens with a change of mind
//! ("no, …", "actually …", "I meant …") is a correction of the last command when it is not
//! an instruction of its own: it replaces one field (the date, the title, or which todo).

use app::words::{
    dates, lexicon,
    tokens::{Kind, Token, span, tokenize},
};
use jiff::civil::Date;

use super::{
    bulk::{self, BulkAsk},
    grammar::Pattern,
    organize,
    phrases::{CONVERSATION, Make, Match, Read, TABLE, accepts, bare_reference, build},
    query::{list_query, reference, words},
};
use crate::domain::dialogue::{Command, Reference, Verb};

/// What one message says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Said {
    Yes,
    No,
    Help,
    Greeting,
    Thanks,
    Command(Command),
    /// A request about many todos at once, answered with a plan card.
    Bulk(BulkAsk),
    /// A correction of the last command.
    Fix(Fix),
    /// A bare reference: the answer to "which one do you mean?".
    Choose(Reference),
    /// Could be read as a write the user did not ask for: ask instead.
    Unclear,
    Unknown,
}

/// The one field a correction replaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fix {
    Due(Option<Date>),
    Title(String),
    Target(Reference),
}

const CHANGE_OF_MIND: &[&str] = &[
    "no wait",
    "no sorry",
    "not that one",
    "wrong one",
    "no",
    "nope",
    "nah",
    "sorry",
    "oops",
    "wait",
    "actually",
    "hmm",
    "err",
    "oh",
    "ah",
];
const MEANT: &[&str] = &[
    "i meant",
    "i mean",
    "i said",
    "make it",
    "make that",
    "change it to",
    "change that to",
    "it should be",
    "that should be",
    "should be",
];

/// The length in tokens of the first of `phrases` that `tokens` start with.
fn starts_with(tokens: &[Token], phrases: &[&str]) -> Option<usize> {
    phrases.iter().find_map(|phrase| {
        let words: Vec<&str> = phrase.split(' ').collect();
        (tokens.len() >= words.len()
            && tokens
                .iter()
                .zip(&words)
                .all(|(t, w)| t.kind == Kind::Word && t.norm == *w))
        .then_some(words.len())
    })
}

fn ends_with(tokens: &[Token], phrases: &[&str]) -> Option<usize> {
    phrases.iter().find_map(|phrase| {
        let words: Vec<&str> = phrase.split(' ').collect();
        (tokens.len() > words.len()
            && tokens[tokens.len() - words.len()..]
                .iter()
                .zip(&words)
                .all(|(t, w)| t.kind == Kind::Word && t.norm == *w))
        .then_some(words.len())
    })
}

fn trim_punct(mut tokens: &[Token]) -> &[Token] {
    while let [
        Token {
            kind: Kind::Punct, ..
        },
        rest @ ..,
    ] = tokens
    {
        tokens = rest;
    }
    while let [
        rest @ ..,
        Token {
            kind: Kind::Punct, ..
        },
    ] = tokens
    {
        tokens = rest;
    }
    tokens
}

/// "plese", "pleaes": a typo of the one polite word said most, never a command's word.
fn misspelt_please(token: &Token) -> bool {
    token.kind == Kind::Word
        && token.norm.starts_with('p')
        && lexicon::correct(&token.norm, &["please"]).is_some()
}

/// "the bank call's description": the possessive split off its todo ("the bank call",
/// "'s") when a field's name follows, so the phrase table can name the todo. "it's",
/// "what's" and a title's own possessives are left alone.
fn split_possessives(text: &str, tokens: Vec<Token>) -> Vec<Token> {
    let mut out = Vec::with_capacity(tokens.len() + 1);
    let mut tokens = tokens.into_iter().peekable();
    while let Some(token) = tokens.next() {
        let field_next = tokens.peek().is_some_and(|next| {
            lexicon::FIELDS
                .iter()
                .any(|field| field.split(' ').next() == Some(next.norm.as_str()))
        });
        let original = &text[token.start..token.end];
        let apostrophe = ["'s", "’s"].iter().find(|s| original.ends_with(*s));
        match apostrophe {
            Some(suffix)
                if token.kind == Kind::Word && field_next && original.len() > suffix.len() =>
            {
                let cut = token.end - suffix.len();
                out.push(Token {
                    kind: Kind::Word,
                    norm: token.norm[..token.norm.len() - 2].to_owned(),
                    start: token.start,
                    end: cut,
                });
                out.push(Token {
                    kind: Kind::Word,
                    norm: "'s".to_owned(),
                    start: cut,
                    end: token.end,
                });
            }
            _ => out.push(token),
        }
    }
    out
}

/// Drops polite wrappers at both ends ("could you please …", "… for me, thanks").
fn unwrap_polite(mut tokens: &[Token]) -> &[Token] {
    loop {
        let before = tokens.len();
        tokens = trim_punct(tokens);
        if let Some(n) = starts_with(tokens, lexicon::OPENERS).filter(|n| *n < tokens.len()) {
            tokens = &tokens[n..];
        } else if tokens.len() > 1 && misspelt_please(&tokens[0]) {
            tokens = &tokens[1..];
        }
        tokens = trim_punct(tokens);
        if let Some(n) = ends_with(tokens, lexicon::CLOSERS) {
            tokens = &tokens[..tokens.len() - n];
        }
        if tokens.len() == before {
            return tokens;
        }
    }
}

/// Mends typos in the words that carry the command: the first word, a state after "as",
/// and the words of a listing. An added todo's title is never touched.
fn mend(tokens: &mut [Token]) {
    let Some(first) = tokens.first_mut() else {
        return;
    };
    if first.kind == Kind::Word
        && let Some(verb) = lexicon::correct(&first.norm, lexicon::VERBS)
    {
        first.norm = verb.to_owned();
    }
    let command = tokens[0].norm.clone();
    if ["add", "create", "schedule", "remind"].contains(&command.as_str()) {
        return;
    }
    for i in 1..tokens.len() {
        let after_as = tokens[i - 1].norm == "as";
        let last = i + 1 == tokens.len();
        let vocabulary = if after_as || (last && command == "mark") {
            lexicon::STATE_WORDS
        } else {
            lexicon::LIST_WORDS
        };
        let listy =
            after_as || last || ["list", "show", "what", "which"].contains(&command.as_str());
        if listy
            && tokens[i].kind == Kind::Word
            && let Some(word) = lexicon::correct(&tokens[i].norm, vocabulary)
        {
            tokens[i].norm = word.to_owned();
        }
    }
}

fn first_match(
    table: &[(Make, Pattern)],
    text: &str,
    tokens: &[Token],
    today: Date,
) -> Option<Read> {
    let accept = |slot, content: &[Token]| accepts(slot, content, today);
    table.iter().find_map(|(make, pattern)| {
        let captures = pattern.matches(tokens, &accept)?;
        build(
            *make,
            &Match {
                text,
                tokens,
                captures,
                today,
            },
        )
    })
}

const LISTY: &[&str] = &[
    "todo",
    "todos",
    "to-do",
    "to-dos",
    "task",
    "tasks",
    "item",
    "items",
    "list",
    "everything",
    "anything",
    "agenda",
    "stuff",
    "things",
    "due",
    "overdue",
    "late",
    "completed",
    "finished",
    "done",
    "open",
    "pending",
    "remaining",
    "left",
    "today",
    "tomorrow",
    "week",
    "month",
    "ones",
    "unfinished",
];
const ASKING: &[&str] = &[
    "what", "what's", "whats", "which", "any", "anything", "do", "have", "list", "show", "give",
    "tell",
];

/// A listing, when nothing more specific matched: list words and a question (or a short
/// phrase such as "open todos").
fn listing(text: &str, tokens: &[Token], today: Date) -> Option<Command> {
    let all = words(text);
    let listy = tokens.iter().any(|t| LISTY.contains(&t.norm.as_str()));
    let asking = tokens
        .first()
        .is_some_and(|t| ASKING.contains(&t.norm.as_str()));
    // "what do I have in groceries?": a question that names a list (maybe) lists it.
    let names_list = asking && organize::list_words(text, today).is_some();
    ((listy && (asking || all.len() <= 4)) || names_list)
        .then(|| Command::new(Verb::List, None).with(|a| a.query = listing_query(text, today)))
}

/// A listing's words, with the list they name ("on my groceries list", "in #work").
fn listing_query(text: &str, today: Date) -> crate::domain::dialogue::ListQuery {
    let mut query = list_query(text, today);
    query.list = organize::list_words(text, today).map(Box::new);
    query
}

/// "show X" lists when X is a listing ("show my open todos") and shows one todo otherwise.
fn show_or_list(command: Command, rest: &str, text: &str, today: Date) -> Command {
    let singular = matches!(
        command.target,
        Some(Reference::Position(_) | Reference::Pronoun { plural: false })
    ) || rest.contains(" one")
        || rest.ends_with(" todo")
        || rest.ends_with(" task");
    let listy = words(rest).iter().any(|w| LISTY.contains(&w.as_str()));
    if singular || !listy {
        command
    } else {
        Command::new(Verb::List, None).with(|a| a.query = listing_query(text, today))
    }
}

/// An instruction (no correction reading).
fn instruction(text: &str, tokens: &[Token], today: Date) -> Said {
    match first_match(&TABLE, text, tokens, today) {
        Some(Read::Conversation(_)) => Said::Unknown,
        Some(Read::Title(title)) => Said::Fix(Fix::Title(title)),
        Some(Read::Unclear) => Said::Unclear,
        Some(Read::Command(command))
            if matches!(command.verb, Verb::Show | Verb::List | Verb::Count)
                && let Some(files) = files_question(text, tokens) =>
        {
            Said::Command(files)
        }
        Some(Read::Command(mut command)) if command.verb == Verb::Show => {
            let rest = command.args.text.take().unwrap_or_default().to_lowercase();
            Said::Command(show_or_list(command, &format!(" {rest}"), text, today))
        }
        Some(Read::Command(command)) => Said::Command(command),
        None => {
            if let Some(files) = files_question(text, tokens) {
                return Said::Command(files);
            }
            listing(text, tokens, today).map_or(Said::Unknown, Said::Command)
        }
    }
}

/// Any message about files that no file pattern took ("what files are on X?").
fn files_question(text: &str, tokens: &[Token]) -> Option<Command> {
    let norms: Vec<&str> = tokens.iter().map(|t| t.norm.as_str()).collect();
    let about_files = norms
        .iter()
        .any(|w| ["files", "attachment", "attachments", "attach", "attached"].contains(w))
        || norms
            .windows(2)
            .any(|p| ["the", "a", "this", "that", "my"].contains(&p[0]) && p[1] == "file");
    if !about_files {
        return None;
    }
    let of = norms
        .iter()
        .rposition(|w| ["of", "on", "for", "to", "from"].contains(w));
    let target = of
        .filter(|i| i + 1 < tokens.len())
        .map(|i| reference(span(text, tokens, i + 1, tokens.len())));
    Some(Command::new(Verb::ListFiles, target))
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

/// A correction from the words after "no," / "actually" / "I meant" (`lead`: "I meant").
fn correction(rest: &str, lead: bool, today: Date) -> Option<Fix> {
    let rest = rest.trim();
    let rest = rest
        .strip_suffix(" instead")
        .unwrap_or(rest)
        .trim_matches(['"', '“', '”', ' ']);
    let lower = rest.to_lowercase();
    if lexicon::NO_DATE.contains(&lower.as_str()) {
        return Some(Fix::Due(None));
    }
    if let Some(date) = dates::parse(&lower, today) {
        return Some(Fix::Due(Some(date)));
    }
    if pointing(&lower) {
        return Some(Fix::Target(reference(rest)));
    }
    lead.then(|| Fix::Title(rest.to_owned()))
}

/// Understands one message. `awaiting_choice`: the agent just asked "which one?", so a bare
/// reference ("the second one") is the answer.
pub fn parse(message: &str, today: Date, awaiting_choice: bool) -> Said {
    if let Some(ask) = bulk::read(message, today) {
        return Said::Bulk(ask);
    }
    let said = parse_message(message, today);
    match said {
        Said::Unknown if awaiting_choice => Said::Choose(bare_reference(message)),
        Said::Command(Command {
            verb: Verb::Show,
            target: Some(r),
            ..
        }) if awaiting_choice && !message.trim_start().to_lowercase().starts_with("show") => {
            Said::Choose(r)
        }
        said => said,
    }
}

fn parse_message(message: &str, today: Date) -> Said {
    if message.trim() == "?" {
        return Said::Help;
    }
    let all = tokenize(message);
    let words_only: Vec<Token> = all
        .iter()
        .filter(|t| t.kind != Kind::Punct)
        .cloned()
        .collect();
    let conversation = |tokens: &[Token]| match first_match(&CONVERSATION, message, tokens, today) {
        Some(Read::Conversation(Make::Yes)) => Some(Said::Yes),
        Some(Read::Conversation(Make::No)) => Some(Said::No),
        Some(Read::Conversation(Make::Help)) => Some(Said::Help),
        Some(Read::Conversation(Make::Greeting)) => Some(Said::Greeting),
        Some(Read::Conversation(Make::Thanks)) => Some(Said::Thanks),
        _ => None,
    };
    if let Some(said) = conversation(&words_only) {
        return said;
    }
    let all = split_possessives(message, all);
    let mut tokens = unwrap_polite(&all).to_vec();
    if tokens.is_empty() {
        return Said::Unknown;
    }
    let plain: Vec<Token> = tokens
        .iter()
        .filter(|t| t.kind != Kind::Punct)
        .cloned()
        .collect();
    if let Some(said) = conversation(&plain) {
        return said;
    }
    mend(&mut tokens);
    let mut rest: &[Token] = &tokens;
    let mut changed_mind = false;
    // "actually no, …": each opener of a change of mind is dropped ("no date" is an answer).
    while let Some(n) = starts_with(rest, CHANGE_OF_MIND)
        .filter(|n| *n < rest.len() && starts_with(rest, lexicon::NO_DATE).is_none())
    {
        rest = trim_punct(&rest[n..]);
        changed_mind = true;
    }
    let direct = instruction(message, rest, today);
    if let Said::Fix(fix) = direct {
        return Said::Fix(fix);
    }
    // "make it urgent", "make it repeat monthly": an organizing verb said in full is that
    // instruction, not a correction of the last command ("make it friday").
    if let Said::Command(command) = &direct
        && organize::is_organizing(command.verb)
    {
        return direct;
    }
    let mut lead = false;
    if let Some(n) = starts_with(rest, MEANT).filter(|n| *n < rest.len()) {
        rest = trim_punct(&rest[n..]);
        lead = true;
    }
    if !(changed_mind || lead) {
        return instruction(message, rest, today);
    }
    let said = instruction(message, rest, today);
    let ordinary = matches!(&said, Said::Command(c) if !matches!(c.verb, Verb::Show | Verb::List | Verb::Count))
        || matches!(said, Said::Fix(_) | Said::Unclear);
    if ordinary {
        return said;
    }
    if let Some(fix) = correction(span(message, rest, 0, rest.len()), lead, today) {
        return Said::Fix(fix);
    }
    if changed_mind { said } else { Said::Unknown }
}
