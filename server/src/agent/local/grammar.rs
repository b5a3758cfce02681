//! The pattern matcher of the phrase table: a pattern is a sequence of literal words
//! (alternatives `a|b`, several words joined `check_off`, optional with a trailing `?`) and
//! slots (`{ref}`, `{date}`, `{text}`, `{num}`, `{unit}`, `{file}`, the organizing
//! verbs' `{prio}`, `{rule}`, `{time}`, `{list}`, `{step}`, `{label}`, and the reminders'
//! `{remind}`), compiled once. Matching
//! is anchored at both ends of the token list; a slot takes the fewest tokens that let the
//! rest match, and every slot's content is checked by its kind (a `{date}` must read as a
//! date). A step budget bounds the search, so even a 4,000-character message costs a few
//! thousand steps per pattern.

use app::words::tokens::{Kind, Token};

/// What a slot holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// Words naming todos ("the dentist one", "it", "the first two").
    Ref,
    /// A date phrase (checked by the caller's `accepts`).
    Date,
    /// Free text (a title, a note): any tokens.
    Text,
    /// A number word ("two", "3", "a").
    Num,
    /// "day(s)" or "week(s)".
    Unit,
    /// A file name ("x-ray.pdf", or quoted).
    File,
    /// One quoted token ("add “bring snacks” to the party one").
    Quote,
    /// A priority ("urgent", "p2", "not important").
    Prio,
    /// A repeat rule ("every monday", "monthly after completion").
    Rule,
    /// A time of day ("9am", "14:30").
    Time,
    /// A list's name ("my groceries list", "#work", "work").
    List,
    /// A checklist step ("the first step", "step 2", a quoted title).
    Step,
    /// When to remind ("an hour before", "at 9am tomorrow", "at the due time").
    Remind,
    /// One label word ("urgent", "@errands").
    Label,
}

#[derive(Debug, Clone)]
enum Element {
    /// Alternatives, each a sequence of words.
    Words {
        alternatives: Vec<Vec<String>>,
        optional: bool,
    },
    Slot(Slot),
}

#[derive(Debug, Clone)]
pub struct Pattern(Vec<Element>);

/// A slot's tokens: `(slot, from, to)`, `to` exclusive.
pub type Captures = Vec<(Slot, usize, usize)>;

impl Pattern {
    /// Compiles the pattern language described in the module doc. Panics on an unknown slot
    /// name: the table is code, and a test compiles all of it.
    pub fn compile(source: &str) -> Self {
        let elements = source
            .split_whitespace()
            .map(|part| match part {
                "{ref}" => Element::Slot(Slot::Ref),
                "{date}" => Element::Slot(Slot::Date),
                "{text}" => Element::Slot(Slot::Text),
                "{num}" => Element::Slot(Slot::Num),
                "{unit}" => Element::Slot(Slot::Unit),
                "{file}" => Element::Slot(Slot::File),
                "{quote}" => Element::Slot(Slot::Quote),
                "{prio}" => Element::Slot(Slot::Prio),
                "{rule}" => Element::Slot(Slot::Rule),
                "{time}" => Element::Slot(Slot::Time),
                "{list}" => Element::Slot(Slot::List),
                "{step}" => Element::Slot(Slot::Step),
                "{remind}" => Element::Slot(Slot::Remind),
                "{label}" => Element::Slot(Slot::Label),
                slot if slot.starts_with('{') => panic!("unknown slot {slot}"),
                words => {
                    let optional = words.ends_with('?') && words.len() > 1;
                    let words = words
                        .strip_suffix('?')
                        .filter(|_| optional)
                        .unwrap_or(words);
                    Element::Words {
                        alternatives: words
                            .split('|')
                            .map(|a| a.split('_').map(str::to_owned).collect())
                            .collect(),
                        optional,
                    }
                }
            })
            .collect();
        Self(elements)
    }

    /// Matches the whole of `tokens`; `accepts` checks a slot's content.
    pub fn matches(
        &self,
        tokens: &[Token],
        accepts: &dyn Fn(Slot, &[Token]) -> bool,
    ) -> Option<Captures> {
        let mut search = Search {
            tokens,
            accepts,
            budget: 4_000,
            captures: Vec::new(),
        };
        search.at(&self.0, 0).then_some(search.captures)
    }
}

struct Search<'a> {
    tokens: &'a [Token],
    accepts: &'a dyn Fn(Slot, &[Token]) -> bool,
    budget: usize,
    captures: Captures,
}

fn fits(slot: Slot, tokens: &[Token]) -> bool {
    let n = tokens.len();
    match slot {
        Slot::Num | Slot::Unit | Slot::File | Slot::Label => n == 1,
        Slot::Quote => n == 1 && tokens[0].kind == Kind::Quoted,
        Slot::Date => (1..=9).contains(&n),
        Slot::Prio | Slot::Time => (1..=4).contains(&n),
        Slot::List | Slot::Step => (1..=6).contains(&n),
        Slot::Rule => (1..=16).contains(&n),
        Slot::Remind => (1..=app::words::reminders::MAX_WORDS).contains(&n),
        Slot::Ref | Slot::Text => n >= 1,
    }
}

impl Search<'_> {
    fn at(&mut self, elements: &[Element], pos: usize) -> bool {
        if self.budget == 0 {
            return false;
        }
        self.budget -= 1;
        let Some((first, rest)) = elements.split_first() else {
            return pos == self.tokens.len();
        };
        match first {
            Element::Words {
                alternatives,
                optional,
            } => {
                for alternative in alternatives {
                    let end = pos + alternative.len();
                    let same = end <= self.tokens.len()
                        && self.tokens[pos..end]
                            .iter()
                            .zip(alternative)
                            .all(|(t, w)| t.kind != Kind::Quoted && t.norm == *w);
                    if same && self.at(rest, end) {
                        return true;
                    }
                }
                *optional && self.at(rest, pos)
            }
            Element::Slot(slot) => {
                let last = rest.is_empty();
                let ends: Box<dyn Iterator<Item = usize>> = if last {
                    Box::new(std::iter::once(self.tokens.len()))
                } else {
                    Box::new(pos + 1..=self.tokens.len())
                };
                for end in ends {
                    let content = &self.tokens[pos..end.max(pos)];
                    if end <= pos || !fits(*slot, content) {
                        if matches!(
                            slot,
                            Slot::Num | Slot::Unit | Slot::File | Slot::Quote | Slot::Label
                        ) && end > pos + 1
                        {
                            break;
                        }
                        continue;
                    }
                    if !(self.accepts)(*slot, content) {
                        if *slot == Slot::Date && end - pos >= 9 {
                            break;
                        }
                        continue;
                    }
                    self.captures.push((*slot, pos, end));
                    if self.at(rest, end) {
                        return true;
                    }
                    self.captures.pop();
                    if self.budget == 0 {
                        return false;
                    }
                }
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use app::words::tokens::tokenize;

    use super::*;

    fn slots(pattern: &str, text: &str) -> Option<Vec<String>> {
        let tokens = tokenize(text);
        let accept = |slot: Slot, t: &[Token]| slot != Slot::Date || t[0].norm == "friday";
        let captures = Pattern::compile(pattern).matches(&tokens, &accept)?;
        Some(
            captures
                .iter()
                .map(|(_, a, b)| app::words::tokens::span(text, &tokens, *a, *b).to_owned())
                .collect(),
        )
    }

    #[test]
    fn slots_take_the_fewest_words_that_let_the_rest_match() {
        assert_eq!(
            slots(
                "rename {ref} to|as {text}",
                "rename the trip to Paris to Rome"
            ),
            Some(vec!["the trip".into(), "Paris to Rome".into()])
        );
        assert_eq!(
            slots("move {ref} to {date}", "move the trip to paris to friday"),
            Some(vec!["the trip to paris".into(), "friday".into()])
        );
        assert_eq!(
            slots("check_off|tick_off the? {ref}", "tick off the taxes"),
            Some(vec!["taxes".into()])
        );
        assert_eq!(slots("add {text}", "add"), None);
    }

    #[test]
    fn a_long_message_stops_within_the_budget() {
        let long = "a ".repeat(2_000);
        assert_eq!(slots("{ref} to {ref} to {ref} zzz", &long), None);
    }
}
