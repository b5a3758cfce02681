//! A list of todos: its name, its color and its place among the owner's lists, each parsed
//! once from untrusted input. Every user has an Inbox (`inbox: true`, its id derived from the
//! owner: [`ListId::inbox_of`]) that cannot be renamed or deleted; a todo without a list is
//! in it.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::{
    ids::{ListId, UserId},
    input::{InvalidInput, excerpt},
    text,
};

pub const LIST_NAME_MAX_CHARS: usize = 60;

/// The Inbox's name (taken: no other list may be called "inbox" in any case).
pub const INBOX_NAME: &str = "Inbox";

/// `order` values accepted from clients: far more places than 300 lists need, and exact
/// in a browser's numbers.
pub const ORDER_LIMIT: i64 = 1_000_000_000;

/// Trimmed, 1 to 60 visible characters, one line; invisible characters dropped as in titles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ListName(String);

impl ListName {
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        let visible = text::visible(raw);
        let name = visible.trim();
        if !text::shows_something(name) {
            return Err(InvalidInput("The list name must not be empty.".into()));
        }
        let chars = name.chars().count();
        if chars > LIST_NAME_MAX_CHARS {
            return Err(InvalidInput(format!(
                "The list name is {chars} characters long; the limit is {LIST_NAME_MAX_CHARS}."
            )));
        }
        if name.chars().any(char::is_control) {
            return Err(InvalidInput(
                "The list name must be a single line of text.".into(),
            ));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What uniqueness compares: two names with the same key are the same name
    /// ("Work" and "WORK").
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

/// The fixed palette a list's color comes from (named, so the UI picks the shades).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ListColor {
    Red,
    Orange,
    Yellow,
    Green,
    Teal,
    Blue,
    Purple,
    Pink,
    Brown,
    Grey,
}

pub const PALETTE: [ListColor; 10] = [
    ListColor::Red,
    ListColor::Orange,
    ListColor::Yellow,
    ListColor::Green,
    ListColor::Teal,
    ListColor::Blue,
    ListColor::Purple,
    ListColor::Pink,
    ListColor::Brown,
    ListColor::Grey,
];

impl ListColor {
    pub fn name(self) -> &'static str {
        match self {
            Self::Red => "red",
            Self::Orange => "orange",
            Self::Yellow => "yellow",
            Self::Green => "green",
            Self::Teal => "teal",
            Self::Blue => "blue",
            Self::Purple => "purple",
            Self::Pink => "pink",
            Self::Brown => "brown",
            Self::Grey => "grey",
        }
    }

    /// One of the palette's names, in any case.
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        let wanted = raw.trim().to_lowercase();
        PALETTE
            .into_iter()
            .find(|color| color.name() == wanted)
            .ok_or_else(|| {
                let names: Vec<&str> = PALETTE.iter().map(|c| c.name()).collect();
                InvalidInput(format!(
                    "color must be one of {}; '{}' is not.",
                    names.join(", "),
                    excerpt(raw, 40)
                ))
            })
    }

    /// The color a new list gets when none is asked for: the palette in turn, by how many
    /// lists the owner has (the Inbox included), so neighbours differ.
    pub fn default_for(lists_held: usize) -> Self {
        PALETTE[lists_held % PALETTE.len()]
    }
}

/// A list's place among the owner's lists (lower first; the Inbox is always first).
pub fn parse_order(raw: i64) -> Result<i64, InvalidInput> {
    if (-ORDER_LIMIT..=ORDER_LIMIT).contains(&raw) {
        Ok(raw)
    } else {
        Err(InvalidInput(format!(
            "order must be a whole number from -{ORDER_LIMIT} to {ORDER_LIMIT}."
        )))
    }
}

/// A list as stored, addressed by (owner, id) like a todo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TodoList {
    pub owner: UserId,
    pub id: ListId,
    pub name: ListName,
    pub color: ListColor,
    pub order: i64,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inbox: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Starts at 1, one more on every change; stores write conditionally on it.
    pub version: u64,
}

impl TodoList {
    /// `owner`'s Inbox as first written (always the same id: see [`ListId::inbox_of`]).
    pub fn inbox(owner: &UserId, at: Timestamp) -> Self {
        Self {
            owner: owner.clone(),
            id: ListId::inbox_of(owner),
            name: ListName(INBOX_NAME.to_owned()),
            color: ListColor::Grey,
            order: 0,
            inbox: true,
            created_at: at,
            updated_at: at,
            version: 1,
        }
    }

    /// The list on the wire, with `count` open todos in it.
    pub fn to_wire(&self, count: usize) -> app::wire::TodoList {
        app::wire::TodoList {
            id: self.id.to_string(),
            name: self.name.as_str().to_owned(),
            color: self.color.name().to_owned(),
            order: self.order,
            inbox: self.inbox,
            count,
        }
    }
}

/// The order lists are shown in: the Inbox first, then by `order`, ties in creation order
/// (ids are UUIDv7).
pub fn sort_for_listing(lists: &mut [TodoList]) {
    lists.sort_by_key(|list| (!list.inbox, list.order, list.id));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_name_is_trimmed_bounded_and_one_line() {
        assert_eq!(ListName::parse("  Home \n").unwrap().as_str(), "Home");
        assert!(ListName::parse(&"é".repeat(60)).is_ok());
        let long = ListName::parse(&"x".repeat(61)).unwrap_err().0;
        assert!(long.contains("61") && long.contains("60"), "{long}");
        assert!(ListName::parse("a\nb").is_err());
        assert!(ListName::parse("a\u{2028}b").is_err());
    }

    #[test]
    fn invisible_characters_neither_count_nor_stay_in_a_list_name() {
        for empty in ["", "   ", "\u{200B}", "\u{FEFF} \u{200D}"] {
            let message = ListName::parse(empty).unwrap_err().0;
            assert_eq!(message, "The list name must not be empty.");
        }
        assert_eq!(
            ListName::parse("\u{202E}Work\u{202C}").unwrap().as_str(),
            "Work"
        );
        // 60 visible characters and zero-width spaces between them fit.
        assert!(ListName::parse(&"ab\u{200B}".repeat(30)).is_ok());
    }

    #[test]
    fn names_differing_only_in_case_have_one_key() {
        let key = |raw| ListName::parse(raw).unwrap().key();
        assert_eq!(key("Work"), key("WORK"));
        assert_eq!(key("Straße"), key("STRAßE"));
        assert_ne!(key("Work"), key("Works"));
    }

    #[test]
    fn colors_come_from_the_palette_by_name() {
        assert_eq!(ListColor::parse(" Blue ").unwrap(), ListColor::Blue);
        for color in PALETTE {
            assert_eq!(ListColor::parse(color.name()).unwrap(), color);
        }
        let message = ListColor::parse("#ff0000").unwrap_err().0;
        assert!(
            message.starts_with("color must be one of red, orange,") && message.contains("#ff0000"),
            "{message}"
        );
    }

    #[test]
    fn the_default_color_goes_round_the_palette() {
        assert_eq!(ListColor::default_for(0), PALETTE[0]);
        assert_eq!(ListColor::default_for(3), PALETTE[3]);
        assert_eq!(ListColor::default_for(PALETTE.len() + 1), PALETTE[1]);
    }

    #[test]
    fn an_order_is_bounded() {
        assert_eq!(parse_order(-5).unwrap(), -5);
        assert!(parse_order(ORDER_LIMIT).is_ok());
        assert!(parse_order(ORDER_LIMIT + 1).is_err());
        assert!(parse_order(i64::MIN).is_err());
    }

    #[test]
    fn the_inbox_comes_first_then_the_order_then_creation() {
        let owner = UserId::from_verified_sub("ann");
        let at = Timestamp::UNIX_EPOCH;
        let list = |name: &str, order| TodoList {
            id: ListId::new(),
            name: ListName::parse(name).unwrap(),
            order,
            inbox: false,
            ..TodoList::inbox(&owner, at)
        };
        let (b, a, c) = (list("b", 2), list("a", 1), list("c", 2));
        let mut inbox = TodoList::inbox(&owner, at);
        inbox.order = 50;
        let mut lists = vec![c.clone(), b.clone(), inbox.clone(), a.clone()];
        sort_for_listing(&mut lists);
        assert_eq!(lists, vec![inbox, a, b, c]);
    }
}
