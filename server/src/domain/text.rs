//! Invisible characters in user text. Unicode's format characters (category Cf: zero-width
//! spaces, the byte-order mark, bidirectional overrides such as U+202E that make
//! "gpj.exe" read as "exe.jpg") and its line and paragraph separators (Zl U+2028, Zp U+2029)
//! would let a "one-line" title span lines, an "empty" title look non-empty, or a name read
//! differently from what it is. Parsers strip the format characters and treat the
//! separators as line breaks. ZWJ and ZWNJ stay: emoji sequences and several scripts
//! (Persian, the Indic ones) need them, and alone they do not make text non-empty.

/// Unicode 15.1's Cf ranges.
const FORMAT: &[(char, char)] = &[
    ('\u{00AD}', '\u{00AD}'),
    ('\u{0600}', '\u{0605}'),
    ('\u{061C}', '\u{061C}'),
    ('\u{06DD}', '\u{06DD}'),
    ('\u{070F}', '\u{070F}'),
    ('\u{0890}', '\u{0891}'),
    ('\u{08E2}', '\u{08E2}'),
    ('\u{180E}', '\u{180E}'),
    ('\u{200B}', '\u{200F}'),
    ('\u{202A}', '\u{202E}'),
    ('\u{2060}', '\u{2064}'),
    ('\u{2066}', '\u{206F}'),
    ('\u{FEFF}', '\u{FEFF}'),
    ('\u{FFF9}', '\u{FFFB}'),
    ('\u{110BD}', '\u{110BD}'),
    ('\u{110CD}', '\u{110CD}'),
    ('\u{13430}', '\u{1343F}'),
    ('\u{1BCA0}', '\u{1BCA3}'),
    ('\u{1D173}', '\u{1D17A}'),
    ('\u{E0001}', '\u{E0001}'),
    ('\u{E0020}', '\u{E007F}'),
];

const ZERO_WIDTH_NON_JOINER: char = '\u{200C}';
const ZERO_WIDTH_JOINER: char = '\u{200D}';

/// Unicode general category Cf.
pub fn is_format(c: char) -> bool {
    FORMAT.iter().any(|(from, to)| (*from..=*to).contains(&c))
}

/// Line and paragraph separators (Zl, Zp): line breaks in all but name.
pub fn is_line_separator(c: char) -> bool {
    matches!(c, '\u{2028}' | '\u{2029}')
}

/// `raw` without format characters (joiners kept), separators turned into `\n`.
pub fn visible(raw: &str) -> String {
    raw.chars()
        .filter(|c| !is_format(*c) || matches!(*c, ZERO_WIDTH_JOINER | ZERO_WIDTH_NON_JOINER))
        .map(|c| if is_line_separator(c) { '\n' } else { c })
        .collect()
}

/// Whether `text` shows anything: a character that is not white space and not a joiner.
pub fn shows_something(text: &str) -> bool {
    text.chars()
        .any(|c| !c.is_whitespace() && !is_format(c) && !is_line_separator(c))
}

/// Backslash-escapes markdown syntax so user text renders literally in a reply.
pub fn markdown_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\`*_{}[]()#+-.!<>|~&".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidi_overrides_zero_width_spaces_and_the_bom_are_format_characters() {
        for c in [
            '\u{202E}', '\u{202A}', '\u{2066}', '\u{200B}', '\u{FEFF}', '\u{00AD}',
        ] {
            assert!(is_format(c), "{c:?}");
        }
        for c in ['a', ' ', 'é', '\u{2028}', '😀'] {
            assert!(!is_format(c), "{c:?}");
        }
    }

    #[test]
    fn visible_text_keeps_joiners_and_breaks_lines_at_separators() {
        assert_eq!(visible("a\u{202E}b\u{200B}c"), "abc");
        assert_eq!(visible("one\u{2028}two"), "one\ntwo");
        let family = "👨\u{200D}👩\u{200D}👧";
        assert_eq!(visible(family), family);
    }

    #[test]
    fn only_invisible_characters_show_nothing() {
        assert!(!shows_something("\u{200B}\u{FEFF}\u{200D} "));
        assert!(shows_something("\u{200B}x"));
    }
}
