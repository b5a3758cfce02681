//! Ids, each its own type: a file id where a todo id is expected does not compile.

use serde::{Deserialize, Serialize};

use super::input::{InvalidInput, excerpt};

/// The verified subject of a token. Only the auth layer constructs it from a verified token
/// (and the action group from the session attribute our server set).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(String);

impl UserId {
    /// Callers must have verified `sub` (token signature, issuer, audience).
    pub fn from_verified_sub(sub: impl Into<String>) -> Self {
        Self(sub.into())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Ids are UUIDv7: unguessable enough for URLs, and sorted by creation time as keys.
macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(uuid::Uuid);

        impl $name {
            pub fn new() -> Self {
                Self(uuid::Uuid::now_v7())
            }

            /// The id's 16 bytes (for digests; its text form is `Display`).
            pub fn as_bytes(&self) -> &[u8; 16] {
                self.0.as_bytes()
            }

            /// Parses an id from a URL, a request or a tool call.
            pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
                uuid::Uuid::try_parse(raw.trim()).map(Self).map_err(|_| {
                    let quoted = excerpt(raw, 60);
                    InvalidInput(format!("'{quoted}' is not a {} id.", $what))
                })
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }
    };
}

uuid_id!(
    /// A todo's id.
    TodoId,
    "todo"
);
uuid_id!(
    /// A sent reminder's id, as the in-app list shows it (UUIDv7: newest last as a key).
    NotificationId,
    "notification"
);

uuid_id!(
    /// A subtask's id (server-minted when the item is added to its todo's checklist).
    SubtaskId,
    "subtask"
);
uuid_id!(
    /// A file's id (its record and its blob).
    FileId,
    "file"
);
uuid_id!(
    /// A chat conversation's id (sessions saved before ids were typed hold UUIDv4s, which
    /// parse the same).
    ConversationId,
    "conversation"
);
uuid_id!(
    /// A change record's id: what "undo" and `POST /api/chat/undo` name.
    ChangeId,
    "change"
);
uuid_id!(
    /// A plan card's id: what `POST /api/chat/plan` answers.
    PlanId,
    "plan"
);
uuid_id!(
    /// A personal access token's id (what `DELETE /api/tokens/{id}` names; never the secret).
    AccessTokenId,
    "token"
);
uuid_id!(
    /// A list's id (the Inbox's is derived from its owner: [`ListId::inbox_of`]).
    ListId,
    "list"
);
uuid_id!(
    /// A live-sync connection's id (server-minted, one per WebSocket).
    ConnectionId,
    "connection"
);

uuid_id!(
    /// An OAuth grant's id: one client's access to one user's todos (what
    /// `DELETE /api/oauth/grants/{id}` names; its tokens' family).
    GrantId,
    "grant"
);

impl ListId {
    /// The id of `owner`'s Inbox: the same on every instance and every call (a UUIDv8 made
    /// from a digest of the owner), so two instances creating it at once write the same
    /// record and one of them finds it taken, never two Inboxes.
    pub fn inbox_of(owner: &UserId) -> Self {
        use sha2::{Digest, Sha256};
        let digest = Sha256::new()
            .chain_update(b"tasko-inbox\0")
            .chain_update(owner.as_str().as_bytes())
            .finalize();
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&digest[..16]);
        Self(uuid::Builder::from_custom_bytes(bytes).into_uuid())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_reject_anything_but_uuids() {
        assert!(TodoId::parse("../../etc/passwd").is_err());
        let id = TodoId::new();
        assert_eq!(TodoId::parse(&id.to_string()).unwrap(), id);
    }

    #[test]
    fn a_bad_id_names_its_kind() {
        assert_eq!(TodoId::parse("x").unwrap_err().0, "'x' is not a todo id.");
        assert_eq!(FileId::parse("x").unwrap_err().0, "'x' is not a file id.");
        assert_eq!(ListId::parse("x").unwrap_err().0, "'x' is not a list id.");
    }

    #[test]
    fn an_inbox_id_is_the_same_for_its_owner_and_differs_between_owners() {
        let (ann, bob) = (
            UserId::from_verified_sub("ann"),
            UserId::from_verified_sub("bob"),
        );
        assert_eq!(ListId::inbox_of(&ann), ListId::inbox_of(&ann));
        assert_ne!(ListId::inbox_of(&ann), ListId::inbox_of(&bob));
        let id = ListId::inbox_of(&ann);
        assert_eq!(ListId::parse(&id.to_string()).unwrap(), id);
    }
}
