//! Todoist's quick-add marks, anywhere in a line: `#list`, `@label` and `p1`–`p4`. Read
//! in the browser on every keystroke (each one becomes a chip) and by the assistant; words
//! in quotes are never marks. Linear in the line.

/// What a mark sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TagKind {
    /// `#home`: the list (by name, case-insensitive; the browser offers to create an unknown
    /// one).
    List,
    /// `@errands`: a label.
    Label,
    /// `p1` (highest) … `p4` (none).
    Priority,
}

/// One mark found in a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag {
    pub kind: TagKind,
    /// The list's name as typed, the label lower-cased, or the priority's digit.
    pub value: String,
    /// The mark as typed ("#Home", "P2"): what a dismissed chip keeps literal.
    pub source: String,
    /// Byte span of the mark in the line.
    pub start: usize,
    pub end: usize,
}

/// A label's longest form (the server's `Label` checks the same rule).
pub const LABEL_MAX_CHARS: usize = 40;

/// Lower-case letters, digits, `-` and `_`, 1 to [`LABEL_MAX_CHARS`] characters.
pub fn is_label(word: &str) -> bool {
    let count = word.chars().count();
    (1..=LABEL_MAX_CHARS).contains(&count)
        && word
            .chars()
            .all(|c| (c.is_alphanumeric() && !c.is_uppercase()) || c == '-' || c == '_')
}

/// What a word outside quotes marks, if anything. Trailing sentence punctuation is not part
/// of a mark ("… #home." is the list "home").
fn mark(word: &str) -> Option<(TagKind, String, usize)> {
    let core = word.trim_end_matches([',', '.', '!', '?', ';', ':']);
    let mut chars = core.chars();
    let first = chars.next()?;
    let rest = chars.as_str();
    match first {
        // "#1" is a number, not a list: a list mark names something.
        '#' if rest.chars().any(char::is_alphabetic)
            && rest
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_') =>
        {
            Some((TagKind::List, rest.to_owned(), core.len()))
        }
        '@' if is_label(&rest.to_lowercase()) => {
            Some((TagKind::Label, rest.to_lowercase(), core.len()))
        }
        'p' | 'P' if matches!(rest, "1" | "2" | "3" | "4") => {
            Some((TagKind::Priority, rest.to_owned(), core.len()))
        }
        _ => None,
    }
}

/// The marks of `line` outside quotes, in order, except those whose source is in `kept`
/// (chips the user dismissed: their words stay in the title as typed).
pub fn find_tags(line: &str, kept: &[String]) -> Vec<Tag> {
    let mut tags = Vec::new();
    let mut quoted = false;
    let mut word_start = None;
    let finish = |start: usize, end: usize, quoted: bool, tags: &mut Vec<Tag>| {
        if quoted {
            return;
        }
        let word = &line[start..end];
        if let Some((kind, value, len)) = mark(word) {
            let source = word[..len].to_owned();
            if !kept.contains(&source) {
                tags.push(Tag {
                    kind,
                    value,
                    source,
                    start,
                    end: start + len,
                });
            }
        }
    };
    for (i, c) in line.char_indices() {
        if matches!(c, '"' | '“' | '”') {
            if let Some(start) = word_start.take() {
                finish(start, i, quoted, &mut tags);
            }
            quoted = !quoted;
        } else if c.is_whitespace() {
            if let Some(start) = word_start.take() {
                finish(start, i, quoted, &mut tags);
            }
        } else if word_start.is_none() {
            word_start = Some(i);
        }
    }
    if let Some(start) = word_start {
        finish(start, line.len(), quoted, &mut tags);
    }
    tags
}

/// `line` without its marks, spaces between the remaining words made single.
pub fn without_tags(line: &str, tags: &[Tag]) -> String {
    let mut out = String::with_capacity(line.len());
    let mut at = 0;
    for tag in tags {
        out.push_str(&line[at..tag.start]);
        at = tag.end;
    }
    out.push_str(&line[at..]);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(line: &str) -> Vec<(TagKind, String)> {
        find_tags(line, &[])
            .into_iter()
            .map(|t| (t.kind, t.value))
            .collect()
    }

    #[test]
    fn marks_anywhere_in_the_line() {
        assert_eq!(
            kinds("water plants every saturday #home @garden p2"),
            [
                (TagKind::List, "home".into()),
                (TagKind::Label, "garden".into()),
                (TagKind::Priority, "2".into()),
            ]
        );
        assert_eq!(
            kinds("P1 @Errands buy milk #Shopping."),
            [
                (TagKind::Priority, "1".into()),
                (TagKind::Label, "errands".into()),
                (TagKind::List, "Shopping".into()),
            ]
        );
    }

    #[test]
    fn what_is_not_a_mark() {
        for line in [
            "fix issue #42",
            "email bob@example.com",
            "buy p5 paper",
            "read \"#home and @garden p1\"",
            "a @ sign and a # sign",
            "@Bad!label",
        ] {
            assert_eq!(kinds(line), [], "{line}");
        }
    }

    #[test]
    fn the_title_keeps_the_other_words() {
        let line = "water  plants #home every saturday @garden";
        let tags = find_tags(line, &[]);
        assert_eq!(without_tags(line, &tags), "water plants every saturday");
        assert_eq!(&line[tags[0].start..tags[0].end], "#home");
    }

    #[test]
    fn a_dismissed_chip_keeps_its_words() {
        let line = "call the #1 fan #work p1";
        let tags = find_tags(line, &["#work".to_owned()]);
        assert_eq!(tags.len(), 1);
        assert_eq!(without_tags(line, &tags), "call the #1 fan #work");
    }

    #[test]
    fn labels_follow_the_rule() {
        assert!(is_label("errands"));
        assert!(is_label("phone-calls_2"));
        assert!(is_label("été"));
        assert!(!is_label(""));
        assert!(!is_label("Errands"));
        assert!(!is_label("two words"));
        assert!(!is_label(&"x".repeat(41)));
    }
}
