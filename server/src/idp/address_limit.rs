//! Password operations (sign-up, sign-in) per client address: a token bucket of
//! `per_minute` attempts, refilled continuously. In memory: the local IdP is one process.
//! (Everyone together is bounded by the hasher's queue.)

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use jiff::Timestamp;

use crate::domain::Clock;

pub struct AddressLimit {
    per_minute: u32,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
    clock: Arc<dyn Clock>,
}

struct Bucket {
    tokens: f64,
    at: Timestamp,
}

/// Seconds from `from` to `to`, never negative.
fn seconds_between(from: Timestamp, to: Timestamp) -> f64 {
    to.duration_since(from).as_secs_f64().max(0.0)
}

impl AddressLimit {
    pub fn new(per_minute: u32, clock: Arc<dyn Clock>) -> Self {
        Self {
            per_minute: per_minute.max(1),
            buckets: Mutex::new(HashMap::new()),
            clock,
        }
    }

    /// Takes one attempt for `address`; `Err` holds how long until the next one is allowed.
    pub fn take(&self, address: IpAddr) -> Result<(), Duration> {
        self.take_at(address, self.clock.now())
    }

    fn take_at(&self, address: IpAddr, now: Timestamp) -> Result<(), Duration> {
        let capacity = f64::from(self.per_minute);
        let per_second = capacity / 60.0;
        let mut buckets = self.buckets.lock().expect("address limit lock");
        // Bound the map: a bucket that has refilled completely says nothing.
        if buckets.len() > 10_000 {
            buckets.retain(|_, b| seconds_between(b.at, now) * per_second < capacity);
        }
        let bucket = buckets.entry(address).or_insert(Bucket {
            tokens: capacity,
            at: now,
        });
        let refill = seconds_between(bucket.at, now) * per_second;
        bucket.tokens = (bucket.tokens + refill).min(capacity);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - bucket.tokens) / per_second))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_its_allowance_then_waits_for_the_refill() {
        let limit = AddressLimit::new(3, Arc::new(crate::domain::SystemClock));
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        let start: Timestamp = "2026-12-05T10:00:00Z".parse().unwrap();
        for _ in 0..3 {
            assert!(limit.take_at(a, start).is_ok());
        }
        let wait = limit.take_at(a, start).unwrap_err();
        assert!(wait <= Duration::from_secs(20), "{wait:?}");
        assert!(
            limit.take_at(b, start).is_ok(),
            "other addresses are not affected"
        );
        assert!(limit.take_at(a, start + Duration::from_secs(21)).is_ok());
    }
}
