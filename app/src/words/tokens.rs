//! The tokenizer: a message split into words, quoted titles and punctuation, each keeping
//! its span in the original text so that what is cut out of it (a title, a note) keeps the
//! user's case, punctuation and emoji, while matching uses the lower-cased form.
//!
//! Linear in the input: one pass over the characters.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Word,
    /// Text between quotes ("…", “…”, '…'): one token, matched as a title, never as a verb.
    Quoted,
    /// One of `, . ! ? ; :` standing apart from a word.
    Punct,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    /// Lower-cased, with typographic apostrophes made plain (`’` -> `'`): what matching sees.
    pub norm: String,
    /// Byte span in the original text (for a quoted token: the text inside the quotes).
    pub start: usize,
    pub end: usize,
}

const PUNCT: [char; 6] = [',', '.', '!', '?', ';', ':'];
const OPEN_QUOTES: [char; 2] = ['"', '“'];

fn normalize(text: &str) -> String {
    text.to_lowercase().replace(['’', '‘'], "'")
}

fn push(tokens: &mut Vec<Token>, text: &str, kind: Kind, start: usize, end: usize) {
    if start < end {
        tokens.push(Token {
            kind,
            norm: normalize(&text[start..end]),
            start,
            end,
        });
    }
}

/// Splits a word (no whitespace inside) into the word and the punctuation after it:
/// "dentist:" -> "dentist", ":"; "x-ray.pdf" stays whole; "Dr." -> "Dr", ".".
fn push_word(tokens: &mut Vec<Token>, text: &str, start: usize, end: usize) {
    let word = &text[start..end];
    let core = word.trim_end_matches(PUNCT);
    let core_end = start + core.len();
    push(tokens, text, Kind::Word, start, core_end);
    for (offset, c) in word[core.len()..].char_indices() {
        let at = core_end + offset;
        push(tokens, text, Kind::Punct, at, at + c.len_utf8());
    }
}

/// The closing quote for an opening one at `from`, if the text has one.
fn closing(text: &str, open: char, from: usize) -> Option<usize> {
    let rest = &text[from..];
    let found = match open {
        '\'' => rest
            .match_indices('\'')
            // A closing single quote ends a word ("'buy milk'"), unlike "don't".
            .find(|(i, _)| {
                rest[i + 1..]
                    .chars()
                    .next()
                    .is_none_or(|c| c.is_whitespace() || PUNCT.contains(&c))
            })
            .map(|(i, _)| i),
        _ => rest.find(['"', '”']),
    };
    found.map(|i| from + i)
}

pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut word_start: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let at_word_start = word_start.is_none();
        let quote = OPEN_QUOTES.contains(&c) || (c == '\'' && at_word_start);
        if quote
            && at_word_start
            && let Some(close) = closing(text, c, i + c.len_utf8())
        {
            push(&mut tokens, text, Kind::Quoted, i + c.len_utf8(), close);
            let close_len = text[close..].chars().next().map_or(1, char::len_utf8);
            while chars.peek().is_some_and(|(j, _)| *j < close + close_len) {
                chars.next();
            }
            continue;
        }
        if c.is_whitespace() {
            if let Some(start) = word_start.take() {
                push_word(&mut tokens, text, start, i);
            }
        } else if word_start.is_none() {
            word_start = Some(i);
        }
    }
    if let Some(start) = word_start {
        push_word(&mut tokens, text, start, text.len());
    }
    tokens
}

/// The original text from token `from` to token `to` (exclusive), as the user wrote it.
pub fn span<'a>(text: &'a str, tokens: &[Token], from: usize, to: usize) -> &'a str {
    if from >= to || to > tokens.len() {
        return "";
    }
    if to - from == 1 && tokens[from].kind == Kind::Quoted {
        return &text[tokens[from].start..tokens[from].end];
    }
    // A quoted token's span is inside its quotes: widen to include them.
    let open_len = if tokens[from].kind == Kind::Quoted {
        text[..tokens[from].start]
            .chars()
            .next_back()
            .map_or(0, char::len_utf8)
    } else {
        0
    };
    let start = tokens[from].start - open_len;
    let last = &tokens[to - 1];
    let end = if last.kind == Kind::Quoted {
        last.end + text[last.end..].chars().next().map_or(0, char::len_utf8)
    } else {
        last.end
    };
    text[start.min(last.start)..end].trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norms(text: &str) -> Vec<String> {
        tokenize(text).into_iter().map(|t| t.norm).collect()
    }

    #[test]
    fn words_punctuation_and_quotes() {
        assert_eq!(
            norms("Description of dentist: bring the card!"),
            [
                "description",
                "of",
                "dentist",
                ":",
                "bring",
                "the",
                "card",
                "!"
            ]
        );
        assert_eq!(
            norms("add “Read Chapter 5” tomorrow"),
            ["add", "read chapter 5", "tomorrow"]
        );
        assert_eq!(norms("add 'buy milk' don't"), ["add", "buy milk", "don't"]);
        assert_eq!(
            norms("attach x-ray.pdf to it"),
            ["attach", "x-ray.pdf", "to", "it"]
        );
        assert_eq!(norms("it’s done"), ["it's", "done"]);
    }

    #[test]
    fn spans_keep_the_users_text() {
        let text = "add 🎂 Cake for Anna, Dr. Smith";
        let tokens = tokenize(text);
        assert_eq!(
            span(text, &tokens, 1, tokens.len()),
            "🎂 Cake for Anna, Dr. Smith"
        );
        let text = "add “Read Chapter 5” tomorrow";
        let tokens = tokenize(text);
        assert_eq!(span(text, &tokens, 1, 3), "“Read Chapter 5” tomorrow");
        let text = "rename it to \"Taxes\"";
        let tokens = tokenize(text);
        assert_eq!(span(text, &tokens, 3, 4), "Taxes");
    }
}
