//! The turns running on this instance, one per user, each with the signal that stops it.
//! A turn holds a [`RunningTurn`] for as long as it runs; dropping it, on whichever path the
//! turn ends (refused before it started, finished, or its task gone), frees the user for the
//! next one. The lease (`lease.rs`) makes the same rule hold across instances.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use tokio::sync::Notify;

use crate::domain::UserId;

type Turns = Arc<Mutex<HashMap<UserId, Arc<Notify>>>>;

#[derive(Default)]
pub struct RunningTurns(Turns);

impl RunningTurns {
    /// Registers a turn for `user`; `None` while one runs for them here.
    pub fn start(&self, user: &UserId) -> Option<RunningTurn> {
        let mut turns = self.0.lock().expect("running lock");
        if turns.contains_key(user) {
            return None;
        }
        let stop = Arc::new(Notify::new());
        turns.insert(user.clone(), stop.clone());
        Some(RunningTurn {
            turns: self.0.clone(),
            user: user.clone(),
            stop,
        })
    }

    /// Tells the user's turn running here to stop; `false` if none runs here.
    pub fn stop(&self, user: &UserId) -> bool {
        match self.0.lock().expect("running lock").get(user) {
            Some(stop) => {
                stop.notify_one();
                true
            }
            None => false,
        }
    }
}

/// One user's running turn: while it lives, no other turn of theirs starts here.
pub struct RunningTurn {
    turns: Turns,
    user: UserId,
    stop: Arc<Notify>,
}

impl RunningTurn {
    /// Notified when the turn is asked to stop (here, or by the lease keeper for a stop
    /// requested on another instance).
    pub fn stop_signal(&self) -> &Notify {
        &self.stop
    }
}

impl Drop for RunningTurn {
    fn drop(&mut self) {
        let mut turns = self.turns.lock().expect("running lock");
        // Only this turn's own entry (never a later turn's).
        if turns
            .get(&self.user)
            .is_some_and(|s| Arc::ptr_eq(s, &self.stop))
        {
            turns.remove(&self.user);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_runs_one_turn_until_it_is_dropped() {
        let turns = RunningTurns::default();
        let user = UserId::from_verified_sub("u1");
        let first = turns.start(&user).expect("free");
        assert!(turns.start(&user).is_none(), "one turn at a time");
        assert!(turns.start(&UserId::from_verified_sub("u2")).is_some());
        assert!(turns.stop(&user));
        drop(first);
        assert!(!turns.stop(&user), "dropping the turn frees the user");
        assert!(turns.start(&user).is_some());
    }
}
