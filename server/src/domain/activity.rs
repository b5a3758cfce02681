//! Who made a change the user did not click themselves: the chat's assistant, an MCP
//! client (by its name), or a personal access token (by its name). Every change record
//! names its actor, and the activity log (`GET /api/activity`) shows it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    Assistant,
    Mcp,
    Token,
}

impl ActorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Assistant => "assistant",
            Self::Mcp => "mcp",
            Self::Token => "token",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub kind: ActorKind,
    /// "Assistant", the MCP client's name, or the token's name.
    pub name: String,
}

impl Actor {
    pub fn assistant() -> Self {
        Self {
            kind: ActorKind::Assistant,
            name: "Assistant".into(),
        }
    }

    /// An MCP client, named by the credential it came with (the token's name).
    pub fn mcp(name: &str) -> Self {
        Self {
            kind: ActorKind::Mcp,
            name: name.to_owned(),
        }
    }

    pub fn token(name: &str) -> Self {
        Self {
            kind: ActorKind::Token,
            name: name.to_owned(),
        }
    }
}

/// Change records from before actors were recorded were all the assistant's.
impl Default for Actor {
    fn default() -> Self {
        Self::assistant()
    }
}
