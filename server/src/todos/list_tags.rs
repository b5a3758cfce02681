//! What a list query showed of one snapshot of an owner's todo records: the ETag and the
//! positions of the shown todos. Computing them filters every record and digests every
//! shown todo's id and version (for 1,000 todos, over half of a gzipped list request's
//! time); a poll or reload asks again about the same snapshot, so the answer is kept.
//!
//! Kept by the snapshot itself (the `Arc` the store handed out), never by the owner alone:
//! the embedded store hands out the same `Arc` until a write to that owner's todos, and a
//! store that does not cache (DynamoDB: another instance may write at any moment) hands out
//! a new one on every read, so nothing here can outlive the records it was computed from.
//! A `Weak` keeps the snapshot's allocation from being reused while it is kept, so a new
//! snapshot never takes an old one's address. The tag is still a digest of what is shown,
//! so every instance gives the same tag for the same todos.

use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex, Weak},
};

use crate::domain::Todo;

/// Owners remembered at most; beyond it the memo starts over.
const MAX_OWNERS: usize = 10_000;
/// Queries kept per owner (views, filters and tabs open at once).
const PER_OWNER: usize = 8;

/// A query's answer over one snapshot: its tag and the positions (in the snapshot) of the
/// todos it shows, in order.
#[derive(Debug, PartialEq, Eq)]
pub struct Shown {
    pub tag: String,
    pub positions: Vec<usize>,
}

#[derive(Default)]
pub struct ListTags {
    owners: Mutex<HashMap<String, VecDeque<Kept>>>,
}

struct Kept {
    records: Weak<Vec<Todo>>,
    query: String,
    shown: Arc<Shown>,
}

impl Kept {
    fn is_of(&self, records: &Arc<Vec<Todo>>, query: &str) -> bool {
        std::ptr::eq(self.records.as_ptr(), Arc::as_ptr(records)) && self.query == query
    }
}

impl ListTags {
    /// What `query` (a key naming everything the answer depends on) showed of `records`,
    /// if it was kept.
    pub fn get(&self, owner: &str, records: &Arc<Vec<Todo>>, query: &str) -> Option<Arc<Shown>> {
        let owners = self.owners.lock().expect("list tags lock");
        owners
            .get(owner)?
            .iter()
            .find(|kept| kept.is_of(records, query))
            .map(|kept| kept.shown.clone())
    }

    /// Keeps what `query` showed of `records`; answers of snapshots no longer held by
    /// anyone (a write replaced them) are dropped on the way.
    pub fn keep(&self, owner: &str, records: &Arc<Vec<Todo>>, query: &str, shown: Arc<Shown>) {
        let mut owners = self.owners.lock().expect("list tags lock");
        if owners.len() >= MAX_OWNERS && !owners.contains_key(owner) {
            owners.clear();
        }
        let kept = owners.entry(owner.to_owned()).or_default();
        kept.retain(|k| k.records.strong_count() > 0 && !k.is_of(records, query));
        kept.push_front(Kept {
            records: Arc::downgrade(records),
            query: query.to_owned(),
            shown,
        });
        kept.truncate(PER_OWNER);
    }

    /// Answers kept for `owner` now.
    #[cfg(test)]
    fn kept(&self, owner: &str) -> usize {
        let owners = self.owners.lock().expect("list tags lock");
        owners.get(owner).map_or(0, VecDeque::len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(tag: &str) -> Arc<Shown> {
        Arc::new(Shown {
            tag: tag.to_owned(),
            positions: vec![0],
        })
    }

    #[test]
    fn an_answer_is_found_only_for_its_snapshot_and_query() {
        let tags = ListTags::default();
        let snapshot = Arc::new(Vec::new());
        tags.keep("ann", &snapshot, "all", shown("t1"));
        assert_eq!(tags.get("ann", &snapshot, "all"), Some(shown("t1")));
        assert_eq!(tags.get("ann", &snapshot, "open"), None, "another query");
        assert_eq!(tags.get("bob", &snapshot, "all"), None, "another owner");
        // Equal content read again is another snapshot: a store that does not cache hands
        // out a new one per read, and those must never meet an old answer.
        let reread = Arc::new(Vec::new());
        assert_eq!(tags.get("ann", &reread, "all"), None);
    }

    #[test]
    fn a_replaced_snapshot_cannot_be_mistaken_for_a_new_one() {
        let tags = ListTags::default();
        let old = Arc::new(Vec::new());
        tags.keep("ann", &old, "all", shown("old"));
        drop(old);
        // Many new snapshots: none may land where the old one was while it is kept.
        for _ in 0..1000 {
            let new = Arc::new(Vec::new());
            assert_eq!(tags.get("ann", &new, "all"), None);
        }
        // Keeping a new answer drops the answers of snapshots nobody holds.
        let new = Arc::new(Vec::new());
        tags.keep("ann", &new, "all", shown("new"));
        assert_eq!(tags.kept("ann"), 1);
    }

    #[test]
    fn only_the_newest_answers_of_an_owner_are_kept() {
        let tags = ListTags::default();
        let snapshot = Arc::new(Vec::new());
        for n in 0..20 {
            tags.keep("ann", &snapshot, &format!("q{n}"), shown(&format!("t{n}")));
        }
        assert_eq!(tags.kept("ann"), PER_OWNER);
        assert_eq!(tags.get("ann", &snapshot, "q19"), Some(shown("t19")));
        assert_eq!(tags.get("ann", &snapshot, "q0"), None);
    }
}
