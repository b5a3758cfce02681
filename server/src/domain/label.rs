//! Labels: the lower-case words a todo is tagged with (`"labels": ["errands", "phone"]`).
//! A label has no record of its own: it exists while a todo uses it, so renaming one is a
//! change to every todo that has it.

use serde::{Deserialize, Serialize};

use super::input::{InvalidInput, excerpt};

/// The longest label, in characters.
pub const LABEL_MAX_CHARS: usize = 40;
/// The most labels one todo has.
pub const LABELS_PER_TODO: usize = 20;
/// The most distinct labels one user's live todos use together.
pub const LABELS_PER_USER: usize = 500;

/// 1 to 40 characters, each a (lower-case) letter, a digit, `-` or `_`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Label(String);

impl Label {
    /// Trimmed and lower-cased first, so `Errands` and `errands` are one label.
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        let label = raw.trim().to_lowercase();
        let chars = label.chars().count();
        let allowed = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
        if chars == 0 || chars > LABEL_MAX_CHARS || !label.chars().all(allowed) {
            return Err(InvalidInput(format!(
                "'{}' is not a label; a label is 1 to {LABEL_MAX_CHARS} letters, digits, '-' or '_'.",
                excerpt(raw, 60)
            )));
        }
        Ok(Self(label))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Label {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// A todo's labels: distinct, in the order they were first given, at most 20.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Labels(Vec<Label>);

impl Labels {
    /// The `labels` field of a request: each label parsed, repeats dropped (the first one
    /// keeps its place), then bounded. An error names the field and the bad label.
    pub fn parse(raw: &[String]) -> Result<Self, InvalidInput> {
        let mut labels = Vec::new();
        for one in raw {
            let label = Label::parse(one).map_err(|e| InvalidInput(format!("labels: {}", e.0)))?;
            if !labels.contains(&label) {
                labels.push(label);
            }
        }
        if labels.len() > LABELS_PER_TODO {
            return Err(InvalidInput(format!(
                "labels: a todo has at most {LABELS_PER_TODO} labels; {} were given.",
                labels.len()
            )));
        }
        Ok(Self(labels))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Label> {
        self.0.iter()
    }

    pub fn contains(&self, label: &Label) -> bool {
        self.0.contains(label)
    }

    /// These labels with `from` called `to` (where `to` was there already, it stays where
    /// it was and `from` goes: renaming into an existing label merges the two).
    pub fn renamed(&self, from: &Label, to: &Label) -> Self {
        let mut labels = Vec::with_capacity(self.0.len());
        for label in &self.0 {
            let label = if label == from { to } else { label };
            if !labels.contains(label) {
                labels.push(label.clone());
            }
        }
        Self(labels)
    }

    pub fn to_strings(&self) -> Vec<String> {
        self.0.iter().map(|l| l.0.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(raw: &[&str]) -> Vec<String> {
        raw.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn a_label_is_a_lower_case_word_of_letters_digits_dashes_and_underscores() {
        assert_eq!(Label::parse(" Errands ").unwrap().as_str(), "errands");
        for good in ["a", "x-1_y", "einkäufe", "2026", &"l".repeat(40)] {
            assert!(Label::parse(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "  ",
            "two words",
            "#home",
            "@me",
            "a.b",
            "a/b",
            &"l".repeat(41),
        ] {
            let err = Label::parse(bad).unwrap_err().0;
            assert!(err.contains("is not a label"), "{bad}: {err}");
        }
    }

    #[test]
    fn labels_are_lower_cased_and_deduplicated_keeping_the_first_place() {
        let labels = Labels::parse(&strings(&["Phone", "errands", "PHONE", "x"])).unwrap();
        assert_eq!(labels.to_strings(), ["phone", "errands", "x"]);
    }

    #[test]
    fn a_bad_label_is_named_with_its_field() {
        let err = Labels::parse(&strings(&["ok", "not ok"])).unwrap_err().0;
        assert!(err.starts_with("labels: 'not ok' is not a label"), "{err}");
    }

    #[test]
    fn a_todo_has_at_most_twenty_distinct_labels() {
        let twenty: Vec<String> = (0..20).map(|i| format!("l{i}")).collect();
        let mut with_repeats = twenty.clone();
        with_repeats.extend(twenty.iter().map(|l| l.to_uppercase()));
        assert_eq!(Labels::parse(&with_repeats).unwrap().to_strings(), twenty);
        let mut too_many = twenty;
        too_many.push("one-more".into());
        let err = Labels::parse(&too_many).unwrap_err().0;
        assert!(err.contains("at most 20") && err.contains("21"), "{err}");
    }

    #[test]
    fn renaming_into_an_existing_label_merges_them() {
        let labels = Labels::parse(&strings(&["a", "b", "c"])).unwrap();
        let (a, b, z) = (
            Label::parse("a").unwrap(),
            Label::parse("b").unwrap(),
            Label::parse("z").unwrap(),
        );
        assert_eq!(labels.renamed(&a, &z).to_strings(), ["z", "b", "c"]);
        assert_eq!(labels.renamed(&a, &b).to_strings(), ["b", "c"]);
        assert_eq!(labels.renamed(&b, &a).to_strings(), ["a", "c"]);
    }
}
