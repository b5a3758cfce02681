//! A title: what a todo (and each of its subtasks) is called, one visible line.

use serde::{Deserialize, Serialize};

use super::{input::InvalidInput, text};

/// One number for the server and the browser's quick add.
pub const TITLE_MAX_CHARS: usize = app::words::quick_add::TITLE_MAX_CHARS;

/// Trimmed, 1 to 200 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TodoTitle(String);

impl TodoTitle {
    /// Invisible format characters are dropped first (see `text`), so "not empty" and "one
    /// line" hold for what a reader sees.
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        let visible = text::visible(raw);
        let title = visible.trim();
        if !text::shows_something(title) {
            return Err(InvalidInput("The title must not be empty.".into()));
        }
        let chars = title.chars().count();
        if chars > TITLE_MAX_CHARS {
            return Err(InvalidInput(format!(
                "The title is {chars} characters long; the limit is {TITLE_MAX_CHARS}."
            )));
        }
        if title.chars().any(char::is_control) {
            return Err(InvalidInput(
                "The title must be a single line of text.".into(),
            ));
        }
        Ok(Self(title.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_is_trimmed_and_bounded() {
        assert_eq!(
            TodoTitle::parse("  Buy milk \n").unwrap().as_str(),
            "Buy milk"
        );
        assert!(TodoTitle::parse("   ").is_err());
        assert!(TodoTitle::parse(&"x".repeat(200)).is_ok());
        let err = TodoTitle::parse(&"x".repeat(201)).unwrap_err();
        assert!(err.0.contains("201"), "{err}");
    }

    #[test]
    fn a_title_counts_characters_not_bytes() {
        assert!(TodoTitle::parse(&"é".repeat(200)).is_ok());
    }

    #[test]
    fn a_title_cannot_span_lines() {
        assert!(TodoTitle::parse("one\ntwo").is_err());
        assert!(TodoTitle::parse("one\u{2028}two").is_err());
        assert!(TodoTitle::parse("one\u{2029}two").is_err());
    }
}
