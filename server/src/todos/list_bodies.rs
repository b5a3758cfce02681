//! Serialized answers of `GET /api/todos`, by ETag. The tag is a digest of the shown todos'
//! ids and versions, so an equal tag means an equal body: a list read again after no change
//! (another tab, a reload, a poll without `If-None-Match`) is sent without serializing it
//! again, and its gzip form is made once. Bounded by bytes; losing it costs a serialization.

use std::{
    collections::HashMap,
    io::Write,
    sync::{Arc, Mutex, OnceLock},
};

use bytes::Bytes;

/// Bytes kept at most (bodies and their gzip forms); beyond it the cache starts over.
const MAX_BYTES: usize = 32 * 1024 * 1024;

#[derive(Default)]
pub struct ListBodies {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    bodies: HashMap<String, Arc<ListBody>>,
    bytes: usize,
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
    /// The body tagged `etag`, made by `make` when not kept.
    pub fn get_or_make<E>(
        &self,
        etag: &str,
        make: impl FnOnce() -> Result<Vec<u8>, E>,
    ) -> Result<Arc<ListBody>, E> {
        if let Some(body) = self
            .inner
            .lock()
            .expect("list bodies lock")
            .bodies
            .get(etag)
        {
            return Ok(body.clone());
        }
        let body = Arc::new(ListBody {
            json: Bytes::from(make()?),
            gzip: OnceLock::new(),
        });
        let mut inner = self.inner.lock().expect("list bodies lock");
        // A body and (later) its gzip form, about a quarter of it.
        let size = body.json.len() + body.json.len() / 4;
        if inner.bytes + size > MAX_BYTES {
            inner.bodies.clear();
            inner.bytes = 0;
        }
        inner.bytes += size;
        inner.bodies.insert(etag.to_owned(), body.clone());
        Ok(body)
    }
}
