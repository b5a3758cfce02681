//! Serialized answers of `GET /api/todos`, by ETag. The tag is a digest of the shown todos'
//! ids and versions, so an equal tag means an equal body: a list read again after no change
//! (another tab, a reload, a poll without `If-None-Match`) is sent without serializing it
//! again, and its gzip form is made once. Only each owner's newest few bodies are kept (a
//! body of an older version is not asked for again once the list changed): kept by tag
//! alone, every version ever made stayed until the byte bound, growing the RSS with every
//! write. Bounded by bytes as well; losing it costs a serialization.

use std::{
    collections::{HashMap, VecDeque},
    io::Write,
    sync::{Arc, Mutex, OnceLock},
};

use bytes::Bytes;

/// Bytes kept at most (bodies and their gzip forms); beyond it the cache starts over.
const MAX_BYTES: usize = 32 * 1024 * 1024;
/// Bodies kept per owner: the views and tabs open at once (filters and orders differ).
const PER_OWNER: usize = 4;

#[derive(Default)]
pub struct ListBodies {
    inner: Mutex<Inner>,
    /// The tags (and shown todos) of recent queries, by the snapshot they were computed on.
    pub tags: super::list_tags::ListTags,
}

#[derive(Default)]
struct Inner {
    /// Owner -> (tag, body), newest first.
    owners: HashMap<String, VecDeque<(String, Arc<ListBody>)>>,
    bytes: usize,
}

/// What a body is counted as: it and (later) its gzip form, about a quarter of it.
fn counted(body: &ListBody) -> usize {
    body.json.len() + body.json.len() / 4
}

pub struct ListBody {
    pub json: Bytes,
    gzip: OnceLock<Bytes>,
}

impl ListBody {
    /// The body gzipped (fast level: it is made once per list version and sent many times).
    pub fn gzip(&self) -> &Bytes {
        self.gzip.get_or_init(|| {
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            let _ = encoder.write_all(&self.json);
            Bytes::from(encoder.finish().unwrap_or_default())
        })
    }
}

impl ListBodies {
    /// `owner`'s body tagged `etag`, made by `make` when not kept.
    pub fn get_or_make<E>(
        &self,
        owner: &str,
        etag: &str,
        make: impl FnOnce() -> Result<Vec<u8>, E>,
    ) -> Result<Arc<ListBody>, E> {
        if let Some(kept) = self
            .inner
            .lock()
            .expect("list bodies lock")
            .get(owner, etag)
        {
            return Ok(kept);
        }
        let body = Arc::new(ListBody {
            json: Bytes::from(make()?),
            gzip: OnceLock::new(),
        });
        self.inner
            .lock()
            .expect("list bodies lock")
            .keep(owner, etag, body.clone());
        Ok(body)
    }

    /// Bytes counted now.
    #[cfg(test)]
    fn bytes(&self) -> usize {
        self.inner.lock().expect("list bodies lock").bytes
    }
}

impl Inner {
    fn get(&self, owner: &str, etag: &str) -> Option<Arc<ListBody>> {
        let kept = self.owners.get(owner)?;
        kept.iter()
            .find(|(tag, _)| tag == etag)
            .map(|(_, b)| b.clone())
    }

    fn keep(&mut self, owner: &str, etag: &str, body: Arc<ListBody>) {
        // Two requests may have made the same body at once: keep one.
        if self.get(owner, etag).is_some() {
            return;
        }
        let size = counted(&body);
        if self.bytes + size > MAX_BYTES {
            self.owners.clear();
            self.bytes = 0;
        }
        let kept = self.owners.entry(owner.to_owned()).or_default();
        kept.push_front((etag.to_owned(), body));
        self.bytes += size;
        if kept.len() > PER_OWNER {
            for (_, old) in kept.drain(PER_OWNER..) {
                self.bytes -= counted(&old);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(text: &str) -> Result<Vec<u8>, ()> {
        Ok(text.as_bytes().to_vec())
    }

    #[test]
    fn a_body_is_made_once_per_owner_and_tag() {
        let cache = ListBodies::default();
        let first = cache.get_or_make("ann", "t1", || body("[1]")).unwrap();
        let again = cache
            .get_or_make("ann", "t1", || -> Result<Vec<u8>, ()> {
                panic!("made twice")
            })
            .unwrap();
        assert!(Arc::ptr_eq(&first, &again));
        // Another owner with the same tag gets its own body.
        let other = cache.get_or_make("bob", "t1", || body("[2]")).unwrap();
        assert_eq!(&other.json[..], b"[2]");
    }

    #[test]
    fn only_the_newest_bodies_of_an_owner_are_kept() {
        let cache = ListBodies::default();
        for version in 0..100 {
            let text = format!("[{version:04}]");
            cache
                .get_or_make("ann", &format!("t{version}"), || body(&text))
                .unwrap();
        }
        // Four bodies of six bytes, each counted with a quarter for its gzip form.
        assert_eq!(cache.bytes(), PER_OWNER * (6 + 6 / 4));
        // The newest is still kept, the oldest made again.
        cache
            .get_or_make("ann", "t99", || -> Result<Vec<u8>, ()> {
                panic!("not kept")
            })
            .unwrap();
        let mut made = false;
        cache
            .get_or_make("ann", "t0", || {
                made = true;
                body("[0000]")
            })
            .unwrap();
        assert!(made);
    }
}
