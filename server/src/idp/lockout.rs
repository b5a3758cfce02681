//! Failed sign-ins per username: after five within 15 minutes, further attempts are refused
//! without checking the password (as Cognito does), so a password cannot be guessed at the
//! speed argon2 allows. In memory, per server instance.

use std::{
    collections::{HashMap, VecDeque},
    sync::Mutex,
    time::{Duration, Instant},
};

const MAX_FAILURES: usize = 5;
const WINDOW: Duration = Duration::from_secs(15 * 60);

#[derive(Default)]
pub struct Lockout {
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl Lockout {
    pub fn is_locked(&self, username: &str) -> bool {
        let mut failures = self.failures.lock().expect("lockout lock");
        let Some(recent) = failures.get_mut(username) else {
            return false;
        };
        while recent.front().is_some_and(|at| at.elapsed() > WINDOW) {
            recent.pop_front();
        }
        recent.len() >= MAX_FAILURES
    }

    pub fn record_failure(&self, username: &str) {
        let mut failures = self.failures.lock().expect("lockout lock");
        // Bound the map: forget usernames whose failures have all expired.
        if failures.len() > 10_000 {
            failures.retain(|_, recent| recent.back().is_some_and(|at| at.elapsed() <= WINDOW));
        }
        failures
            .entry(username.to_owned())
            .or_default()
            .push_back(Instant::now());
    }

    pub fn clear(&self, username: &str) {
        self.failures.lock().expect("lockout lock").remove(username);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_lock_a_username_and_success_clears_it() {
        let lockout = Lockout::default();
        for _ in 0..4 {
            lockout.record_failure("a@example.com");
        }
        assert!(!lockout.is_locked("a@example.com"));
        lockout.record_failure("a@example.com");
        assert!(lockout.is_locked("a@example.com"));
        assert!(!lockout.is_locked("b@example.com"));
        lockout.clear("a@example.com");
        assert!(!lockout.is_locked("a@example.com"));
    }
}
