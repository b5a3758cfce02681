//! A user's conversations as a list: each one's title, when it was last used, and the cursor
//! that pages through them newest first (the same cursor on both stores).

use super::{ids::ConversationId, input::InvalidInput};

/// A conversation unused for this long is removed (DynamoDB's TTL; the embedded store drops
/// it when the owner's list is read).
pub const CONVERSATION_RETENTION_SECONDS: i64 = 365 * 24 * 60 * 60;
/// Longest title kept, in characters (cut at a word).
const TITLE_MAX_CHARS: usize = 80;

/// One line of `GET /api/chat/conversations`, as stored beside the conversation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ChatSummary {
    pub session_id: ConversationId,
    pub title: String,
    /// Unix milliseconds of the last message (or of "continue").
    pub updated_at_ms: i64,
    pub message_count: usize,
    /// Unix seconds after which it is gone.
    pub purge_at: i64,
}

/// A page of the list, newest first; `next` continues after its last line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationPage {
    pub conversations: Vec<ChatSummary>,
    pub next: Option<ConversationCursor>,
}

/// Where a page ends: the last line's (updated, id). Lines strictly older come next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationCursor {
    pub updated_at_ms: i64,
    pub session_id: ConversationId,
}

impl ConversationCursor {
    pub fn after(summary: &ChatSummary) -> Self {
        Self {
            updated_at_ms: summary.updated_at_ms,
            session_id: summary.session_id,
        }
    }

    /// `<ms>.<session id>`: opaque to clients, checked when it comes back.
    pub fn encode(&self) -> String {
        format!("{}.{}", self.updated_at_ms, self.session_id)
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        let bad = || InvalidInput("`next` is not a cursor this list gave out.".into());
        let (ms, id) = raw.split_once('.').ok_or_else(bad)?;
        let updated_at_ms = ms.parse::<i64>().map_err(|_| bad())?;
        let session_id = ConversationId::parse(id).map_err(|_| bad())?;
        Ok(Self {
            updated_at_ms,
            session_id,
        })
    }

    /// Whether `summary` sorts after this cursor (newest first, ties by id descending).
    pub fn precedes(&self, summary: &ChatSummary) -> bool {
        (summary.updated_at_ms, summary.session_id) < (self.updated_at_ms, self.session_id)
    }
}

/// The title of a conversation: its first message's first line, cut at a word.
pub fn title_from(first_message: &str) -> String {
    let line = first_message
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let line: String = line.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= TITLE_MAX_CHARS {
        return line;
    }
    let cut: String = line.chars().take(TITLE_MAX_CHARS - 1).collect();
    let at_word = match cut.rfind(' ') {
        Some(space) if space > TITLE_MAX_CHARS / 2 => &cut[..space],
        _ => cut.as_str(),
    };
    format!("{}…", at_word.trim_end())
}

/// Newest first; equal times by id, so pages never skip or repeat a line. (An id's order is
/// its text's order, which is what DynamoDB sorts by.)
pub fn newest_first(list: &mut [ChatSummary]) {
    list.sort_by_key(|s| std::cmp::Reverse((s.updated_at_ms, s.session_id)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_is_the_first_line_cut_at_a_word() {
        assert_eq!(title_from("\n  list my   todos \nplease"), "list my todos");
        let long = "remind me ".repeat(20);
        let title = title_from(&long);
        assert!(title.ends_with("remind…"), "{title}");
        assert!(title.chars().count() <= TITLE_MAX_CHARS);
    }

    #[test]
    fn a_cursor_round_trips_and_refuses_anything_else() {
        let id = ConversationId::new();
        let cursor = ConversationCursor {
            updated_at_ms: 1_700_000_000_123,
            session_id: id,
        };
        assert_eq!(ConversationCursor::parse(&cursor.encode()).unwrap(), cursor);
        for bad in ["", "12", "x.y", "12.not-a-uuid", "12.a.b"] {
            assert!(ConversationCursor::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ids_sort_as_their_text_does() {
        let mut ids: Vec<ConversationId> = (0..50).map(|_| ConversationId::new()).collect();
        ids.extend(
            (0..50).map(|_| ConversationId::parse(&uuid::Uuid::new_v4().to_string()).unwrap()),
        );
        let mut by_text = ids.clone();
        by_text.sort_by_key(|id| id.to_string());
        ids.sort();
        assert_eq!(ids, by_text);
    }
}
