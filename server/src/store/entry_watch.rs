//! Who waits for which entry of the embedded store. Every writer of the embedded store is in
//! this process (redb locks its file), so a write can wake the waiters of its key directly
//! and a running turn's keeper need not poll its lease. Losing this map loses nothing: a
//! waiter also wakes when its time is up, and then reads the entry as a poller would.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use tokio::sync::Notify;

#[derive(Default)]
pub struct EntryWatchers {
    by_key: Mutex<HashMap<String, Arc<Notify>>>,
}

impl EntryWatchers {
    /// A watch on `key`, for [`Watch::registered`].
    pub fn watch(&self, key: &str) -> Watch<'_> {
        let notify = self
            .by_key
            .lock()
            .expect("entry watchers")
            .entry(key.to_owned())
            .or_default()
            .clone();
        Watch {
            watchers: self,
            key: key.to_owned(),
            notify,
        }
    }

    /// Wakes everybody watching `key` (after a committed write of it).
    pub fn changed(&self, key: &str) {
        if let Some(notify) = self.by_key.lock().expect("entry watchers").get(key) {
            notify.notify_waiters();
        }
    }
}

pub struct Watch<'a> {
    watchers: &'a EntryWatchers,
    key: String,
    notify: Arc<Notify>,
}

impl Watch<'_> {
    /// The next change, registered now: made before looking at the entry, so a write
    /// committed after that look cannot be missed; awaited afterwards.
    pub fn registered(&self) -> std::pin::Pin<Box<tokio::sync::futures::Notified<'_>>> {
        let mut notified = Box::pin(self.notify.notified());
        notified.as_mut().enable();
        notified
    }
}

impl Drop for Watch<'_> {
    fn drop(&mut self) {
        let mut by_key = self.watchers.by_key.lock().expect("entry watchers");
        // The map's copy and this one: nobody else watches the key.
        if Arc::strong_count(&self.notify) == 2 {
            by_key.remove(&self.key);
        }
    }
}
