//! Single-use tickets: obtained over an authenticated POST and valid for seconds, so the JWT
//! never appears in a URL. WebSocket tickets carry the user (30 s); download links carry the
//! user and the file.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use rand::RngCore;

use crate::domain::UserId;

pub const TICKET_TTL: Duration = Duration::from_secs(30);

pub struct Tickets<T = UserId> {
    ttl: Duration,
    issued: Mutex<HashMap<String, (T, Instant)>>,
}

impl Default for Tickets<UserId> {
    fn default() -> Self {
        Self::with_ttl(TICKET_TTL)
    }
}

impl<T> Tickets<T> {
    pub fn with_ttl(ttl: Duration) -> Self {
        Self {
            ttl,
            issued: Mutex::new(HashMap::new()),
        }
    }

    pub fn issue(&self, value: T) -> String {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let ticket = URL_SAFE_NO_PAD.encode(bytes);
        let mut issued = self.issued.lock().expect("tickets lock");
        let ttl = self.ttl;
        issued.retain(|_, (_, at)| at.elapsed() < ttl);
        issued.insert(ticket.clone(), (value, Instant::now()));
        ticket
    }

    /// The ticket's value without using it up (a HEAD before the GET of a download).
    pub fn peek(&self, ticket: &str) -> Option<T>
    where
        T: Clone,
    {
        let issued = self.issued.lock().expect("tickets lock");
        let (value, at) = issued.get(ticket)?;
        (at.elapsed() < self.ttl).then(|| value.clone())
    }

    /// The ticket's value, once: a second redemption, or one after the TTL, fails.
    pub fn redeem(&self, ticket: &str) -> Option<T> {
        let (value, at) = self.issued.lock().expect("tickets lock").remove(ticket)?;
        (at.elapsed() < self.ttl).then_some(value)
    }

    #[cfg(test)]
    fn backdate(&self, ticket: &str, by: Duration) {
        if let Some((_, at)) = self.issued.lock().unwrap().get_mut(ticket) {
            *at -= by;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ticket_works_once() {
        let tickets = Tickets::default();
        let t = tickets.issue(UserId::from_verified_sub("u"));
        assert_eq!(tickets.redeem(&t), Some(UserId::from_verified_sub("u")));
        assert_eq!(tickets.redeem(&t), None);
        assert_eq!(tickets.redeem("made-up"), None);
    }

    #[test]
    fn peeking_does_not_use_a_ticket_up() {
        let tickets = Tickets::default();
        let t = tickets.issue(UserId::from_verified_sub("u"));
        assert_eq!(tickets.peek(&t), Some(UserId::from_verified_sub("u")));
        assert_eq!(tickets.redeem(&t), Some(UserId::from_verified_sub("u")));
        assert_eq!(tickets.peek(&t), None);
    }

    #[test]
    fn a_ticket_expires_after_30_seconds() {
        let tickets = Tickets::default();
        let t = tickets.issue(UserId::from_verified_sub("u"));
        tickets.backdate(&t, Duration::from_secs(31));
        assert_eq!(tickets.redeem(&t), None);
    }
}
