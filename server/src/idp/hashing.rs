//! The password hasher: argon2id (19 MiB of memory per hash, tens of milliseconds on
//! purpose) on a fixed set of threads, one per core, fed by a bounded queue.
//!
//! Why not the blocking pool and `Argon2::hash_password`: the pool grows to hundreds of
//! threads under a burst of sign-ins, and every hash allocates its 19 MiB afresh, which the
//! allocator keeps (measured: +19 MiB of resident memory per hash, even on one thread), so
//! 40 concurrent attempts left the process at 1.8 GiB. Here each thread allocates its
//! argon2 memory once and reuses it, at most `threads` hashes run at once, and a burst
//! beyond the queue is refused at once (`Busy`) instead of waiting: memory stays at
//! `threads` × 19 MiB whatever unauthenticated callers do.

use std::sync::{
    Arc, Mutex,
    mpsc::{Receiver, SyncSender, TrySendError, sync_channel},
};

use argon2::{
    Algorithm, Argon2, Block, Params, PasswordHash, Version,
    password_hash::{Output, SaltString, rand_core::OsRng},
};
use tokio::sync::oneshot;

/// Too many hashes are waiting already; the caller should answer "try again later".
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the password hasher is busy")]
pub struct Busy;

enum Job {
    Hash {
        password: String,
        reply: oneshot::Sender<Result<String, String>>,
    },
    Verify {
        password: String,
        stored: Option<String>,
        reply: oneshot::Sender<bool>,
    },
}

pub struct Hasher {
    jobs: SyncSender<Job>,
}

impl Hasher {
    /// `threads` hashing threads (they end when the `Hasher` is dropped) and room for
    /// `queue` waiting jobs.
    pub fn new(threads: usize, queue: usize) -> Self {
        let (jobs, receiver) = sync_channel(queue);
        let receiver = Arc::new(Mutex::new(receiver));
        for n in 0..threads.max(1) {
            let receiver = receiver.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("password-hasher-{n}"))
                .spawn(move || work(&receiver));
            if let Err(e) = spawned {
                tracing::error!(error = %e, "password hasher thread not started");
            }
        }
        Self { jobs }
    }

    /// One thread per core, and a queue of eight jobs per thread.
    pub fn for_this_machine() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self::new(cores, cores * 8)
    }

    fn submit(&self, job: Job) -> Result<(), Busy> {
        match self.jobs.try_send(job) {
            Ok(()) => Ok(()),
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => Err(Busy),
        }
    }

    /// A PHC-format argon2id hash of `password` with a fresh salt.
    pub async fn hash(&self, password: String) -> Result<Result<String, String>, Busy> {
        let (reply, answer) = oneshot::channel();
        self.submit(Job::Hash { password, reply })?;
        Ok(answer
            .await
            .unwrap_or_else(|_| Err("hasher stopped".into())))
    }

    /// Checks `password` against `stored`; with no stored hash (unknown user) it still does
    /// the same work against a dummy, so response time does not reveal which usernames exist.
    pub async fn verify(&self, password: String, stored: Option<String>) -> Result<bool, Busy> {
        let (reply, answer) = oneshot::channel();
        self.submit(Job::Verify {
            password,
            stored,
            reply,
        })?;
        Ok(answer.await.unwrap_or(false))
    }
}

fn work(receiver: &Mutex<Receiver<Job>>) {
    // This thread's argon2 memory, allocated once.
    let mut memory = vec![Block::default(); Params::default().block_count()];
    loop {
        // The lock is held only while taking a job, not while hashing.
        let job = match receiver.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => return,
        };
        match job {
            Ok(Job::Hash { password, reply }) => {
                let _ = reply.send(hash_with(&mut memory, &password));
            }
            Ok(Job::Verify {
                password,
                stored,
                reply,
            }) => {
                let _ = reply.send(verify_with(&mut memory, &password, stored.as_deref()));
            }
            // Every sender is gone: the identity provider was dropped.
            Err(_) => return,
        }
    }
}

/// argon2id with the default parameters (m = 19 MiB, t = 2, p = 1) into `out`.
fn argon2id_into(
    memory: &mut Vec<Block>,
    params: Params,
    version: Version,
    password: &str,
    salt: &[u8],
    out: &mut [u8],
) -> Result<(), String> {
    if memory.len() < params.block_count() {
        // A stored hash with a larger memory cost than ours: grow for it.
        memory.resize(params.block_count(), Block::default());
    }
    Argon2::new(Algorithm::Argon2id, version, params)
        .hash_password_into_with_memory(password.as_bytes(), salt, out, &mut memory[..])
        .map_err(|e| e.to_string())
}

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`), as argon2's own
/// `hash_password` writes it, so either side can verify the other's hashes.
fn hash_with(memory: &mut Vec<Block>, password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    let mut raw_salt = [0u8; 64];
    let raw_salt = salt.decode_b64(&mut raw_salt).map_err(|e| e.to_string())?;
    let params = Params::default();
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    argon2id_into(
        memory,
        params.clone(),
        Version::V0x13,
        password,
        raw_salt,
        &mut out,
    )?;
    let hash = Output::new(&out).map_err(|e| e.to_string())?;
    Ok(format!(
        "$argon2id$v=19$m={},t={},p={}${}${hash}",
        params.m_cost(),
        params.t_cost(),
        params.p_cost(),
        salt.as_str()
    ))
}

fn verify_with(memory: &mut Vec<Block>, password: &str, stored: Option<&str>) -> bool {
    let checked = stored.and_then(|stored| {
        let parsed = PasswordHash::new(stored).ok()?;
        let expected = parsed.hash?;
        let params = Params::try_from(&parsed).ok()?;
        let version = parsed
            .version
            .map_or(Ok(Version::V0x13), Version::try_from)
            .ok()?;
        let mut raw_salt = [0u8; 64];
        let raw_salt = parsed.salt?.decode_b64(&mut raw_salt).ok()?;
        let mut out = vec![0u8; expected.len()];
        argon2id_into(memory, params, version, password, raw_salt, &mut out).ok()?;
        // Output compares in constant time.
        Some(Output::new(&out).ok()? == expected)
    });
    match checked {
        Some(matches) => matches,
        None => {
            // Unknown user (or an unreadable hash): the same work, so timing says nothing.
            let _ = hash_with(memory, password);
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_only_its_own_password() {
        let hasher = Hasher::new(1, 4);
        let hashed = hasher.hash("Secret-Pass-1".into()).await.unwrap().unwrap();
        assert!(hashed.starts_with("$argon2id$"));
        assert!(
            hasher
                .verify("Secret-Pass-1".into(), Some(hashed.clone()))
                .await
                .unwrap()
        );
        assert!(
            !hasher
                .verify("Secret-Pass-2".into(), Some(hashed))
                .await
                .unwrap()
        );
        assert!(!hasher.verify("Secret-Pass-1".into(), None).await.unwrap());
    }

    #[test]
    fn hashes_are_compatible_with_argon2s_own_format_both_ways() {
        use argon2::{PasswordHasher, PasswordVerifier};
        let mut memory = Vec::new();
        let ours = hash_with(&mut memory, "Secret-Pass-1").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            Argon2::default()
                .verify_password(b"Secret-Pass-1", &parsed)
                .is_ok()
        );
        let salt = SaltString::generate(&mut OsRng);
        let theirs = Argon2::default()
            .hash_password(b"Secret-Pass-1", &salt)
            .unwrap()
            .to_string();
        assert!(verify_with(&mut memory, "Secret-Pass-1", Some(&theirs)));
        assert!(!verify_with(&mut memory, "Secret-Pass-2", Some(&theirs)));
        assert!(!verify_with(
            &mut memory,
            "Secret-Pass-1",
            Some("not a hash")
        ));
    }

    #[tokio::test]
    async fn a_burst_beyond_the_queue_is_refused_at_once() {
        let hasher = Arc::new(Hasher::new(1, 2));
        let attempts: Vec<_> = (0..12)
            .map(|_| {
                let hasher = hasher.clone();
                tokio::spawn(async move { hasher.verify("Wrong-Pass-1".into(), None).await })
            })
            .collect();
        let mut busy = 0;
        for attempt in attempts {
            if attempt.await.unwrap() == Err(Busy) {
                busy += 1;
            }
        }
        // One running, two waiting: at least nine of twelve are refused without hashing.
        assert!(busy >= 9, "{busy} refused");
    }
}
