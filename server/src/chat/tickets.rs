//! Single-use WebSocket tickets: obtained over an authenticated POST, valid 30 seconds, so
//! the JWT never appears in a URL.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use rand::RngCore;

use crate::todos::UserId;

pub const TICKET_TTL: Duration = Duration::from_secs(30);

#[derive(Default)]
pub struct Tickets {
    issued: Mutex<HashMap<String, (UserId, Instant)>>,
}

impl Tickets {
    pub fn issue(&self, user: UserId) -> String {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let ticket = URL_SAFE_NO_PAD.encode(bytes);
        let mut issued = self.issued.lock().expect("tickets lock");
        issued.retain(|_, (_, at)| at.elapsed() < TICKET_TTL);
        issued.insert(ticket.clone(), (user, Instant::now()));
        ticket
    }

    /// The ticket's user, once: a second redemption, or one after 30 s, fails.
    pub fn redeem(&self, ticket: &str) -> Option<UserId> {
        let (user, at) = self.issued.lock().expect("tickets lock").remove(ticket)?;
        (at.elapsed() < TICKET_TTL).then_some(user)
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
    fn a_ticket_expires_after_30_seconds() {
        let tickets = Tickets::default();
        let t = tickets.issue(UserId::from_verified_sub("u"));
        tickets.backdate(&t, Duration::from_secs(31));
        assert_eq!(tickets.redeem(&t), None);
    }
}
