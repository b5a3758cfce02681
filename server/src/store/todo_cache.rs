//! The embedded store's cache of each owner's decoded todos. Reading a list decoded every
//! record's JSON on every request (about half of a list request's time); the cache keeps
//! the decoded list per owner, tagged with a generation that every write to that owner's
//! todos moves on after it commits. A read takes the generation first and stores what it
//! read under it only if no write moved it meanwhile, so a list is never served older than
//! a write acknowledged before the read began. The embedded store is one process by design
//! (redb locks its file), so every write passes here; losing the cache costs a decode.

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
};

use crate::domain::Todo;

/// Owners remembered at most; beyond it the cache starts over.
const MAX_OWNERS: usize = 10_000;

#[derive(Default)]
pub struct TodoCache {
    owners: Mutex<HashMap<String, Cached>>,
    /// Generations come from one counter, so a forgotten owner (generation 0) never meets
    /// a generation it had before.
    next: AtomicU64,
}

struct Cached {
    generation: u64,
    list: Option<Arc<Vec<Todo>>>,
}

impl TodoCache {
    /// The owner's generation now (0 when unknown).
    pub fn generation(&self, owner: &str) -> u64 {
        let owners = self.owners.lock().expect("todo cache lock");
        owners.get(owner).map_or(0, |c| c.generation)
    }

    /// The list read at `generation`, if it is still the current one.
    pub fn get(&self, owner: &str, generation: u64) -> Option<Arc<Vec<Todo>>> {
        let owners = self.owners.lock().expect("todo cache lock");
        let cached = owners.get(owner)?;
        (cached.generation == generation)
            .then(|| cached.list.clone())
            .flatten()
    }

    /// Keeps a list read at `generation`, unless a write moved the generation meanwhile.
    pub fn put(&self, owner: &str, generation: u64, list: Arc<Vec<Todo>>) {
        let mut owners = self.owners.lock().expect("todo cache lock");
        match owners.get_mut(owner) {
            Some(cached) if cached.generation == generation => cached.list = Some(list),
            Some(_) => {}
            None if generation == 0 => {
                if owners.len() >= MAX_OWNERS {
                    owners.clear();
                }
                owners.insert(
                    owner.to_owned(),
                    Cached {
                        generation,
                        list: Some(list),
                    },
                );
            }
            None => {}
        }
    }

    /// After a write to the owner's todos: what was cached is stale.
    pub fn written(&self, owner: &str) {
        let generation = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let mut owners = self.owners.lock().expect("todo cache lock");
        if owners.len() >= MAX_OWNERS && !owners.contains_key(owner) {
            owners.clear();
        }
        owners.insert(
            owner.to_owned(),
            Cached {
                generation,
                list: None,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_overtaken_by_a_write_is_not_kept() {
        let cache = TodoCache::default();
        let before = cache.generation("ann");
        cache.written("ann"); // a write lands while the read runs
        cache.put("ann", before, Arc::new(Vec::new()));
        assert!(cache.get("ann", cache.generation("ann")).is_none());
        let now = cache.generation("ann");
        cache.put("ann", now, Arc::new(Vec::new()));
        assert!(cache.get("ann", now).is_some());
        cache.written("ann");
        assert!(cache.get("ann", now).is_none(), "a write makes it stale");
        assert!(cache.get("bob", 0).is_none());
    }
}
