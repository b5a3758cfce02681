//! `/api/labels`: the labels a user's todos use, and renaming one everywhere.

use serde::{Deserialize, Serialize};

/// One label of `GET /api/labels` (and the answer of a rename): how many live todos use it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelCount {
    pub name: String,
    pub count: usize,
}

/// `PATCH /api/labels/{name}`: the label's new name (an existing one merges the two).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LabelRename {
    pub name: String,
}
