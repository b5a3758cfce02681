//! Failed sign-ins per username: after five within 15 minutes, further attempts are refused
//! without checking the password (as Cognito does), so a password cannot be guessed at the
//! speed argon2 allows. In memory: the local IdP is one process with its own directory.
//!
//! An attempt is counted when it starts, atomically with the check, and forgiven only when
//! it succeeds: concurrent guesses cannot all pass the check before any failure is recorded.

use std::{
    collections::{HashMap, VecDeque},
    sync::{Arc, Mutex},
};

use jiff::{SignedDuration, Timestamp};

use crate::domain::Clock;

const MAX_FAILURES: usize = 5;
const WINDOW: SignedDuration = SignedDuration::from_mins(15);

pub struct Lockout {
    failures: Mutex<HashMap<String, VecDeque<Timestamp>>>,
    clock: Arc<dyn Clock>,
}

impl Lockout {
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Self {
            failures: Mutex::default(),
            clock,
        }
    }

    /// Starts an attempt: `false` if the username is locked (the password must not be
    /// checked). Otherwise the attempt already counts as a failure until `succeeded`.
    pub fn begin_attempt(&self, username: &str) -> bool {
        let now = self.clock.now();
        let gone = |at: &Timestamp| now.duration_since(*at) > WINDOW;
        let mut failures = self.failures.lock().expect("lockout lock");
        // Bound the map: forget usernames whose failures have all expired.
        if failures.len() > 10_000 {
            failures.retain(|_, recent| recent.back().is_some_and(|at| !gone(at)));
        }
        let recent = failures.entry(username.to_owned()).or_default();
        while recent.front().is_some_and(gone) {
            recent.pop_front();
        }
        if recent.len() >= MAX_FAILURES {
            return false;
        }
        recent.push_back(now);
        true
    }

    /// The attempt was not made after all (the server was too busy to check it).
    pub fn abandoned(&self, username: &str) {
        if let Some(recent) = self
            .failures
            .lock()
            .expect("lockout lock")
            .get_mut(username)
        {
            recent.pop_back();
        }
    }

    /// The password was right: earlier failures are forgiven.
    pub fn succeeded(&self, username: &str) {
        self.failures.lock().expect("lockout lock").remove(username);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ManualClock;

    #[test]
    fn five_failures_lock_a_username_and_success_clears_it() {
        let lockout = Lockout::new(Arc::new(ManualClock::running()));
        for _ in 0..5 {
            assert!(lockout.begin_attempt("a@example.com"));
        }
        assert!(!lockout.begin_attempt("a@example.com"));
        assert!(lockout.begin_attempt("b@example.com"));
        lockout.succeeded("a@example.com");
        assert!(lockout.begin_attempt("a@example.com"));
    }

    #[test]
    fn attempts_in_flight_count_before_they_fail() {
        let lockout = Lockout::new(Arc::new(ManualClock::running()));
        let admitted = std::thread::scope(|scope| {
            let attempts: Vec<_> = (0..30)
                .map(|_| scope.spawn(|| lockout.begin_attempt("a@example.com")))
                .collect();
            attempts
                .into_iter()
                .map(|a| a.join().unwrap_or(false))
                .filter(|admitted| *admitted)
                .count()
        });
        assert_eq!(admitted, 5);
    }

    #[test]
    fn a_lock_ends_fifteen_minutes_after_the_failures() {
        let clock = Arc::new(ManualClock::at("2026-12-05T10:00:00Z".parse().unwrap()));
        let lockout = Lockout::new(clock.clone());
        for _ in 0..5 {
            assert!(lockout.begin_attempt("a@example.com"));
        }
        clock.advance(WINDOW);
        assert!(!lockout.begin_attempt("a@example.com"), "still inside");
        clock.advance(SignedDuration::from_millis(1));
        assert!(lockout.begin_attempt("a@example.com"));
    }
}
