//! What one account may hold, so a shared server cannot be filled by one user (or one
//! script). Counted by the store in the same transaction as each create (and restore), so
//! every instance sees the same counts and concurrent creates cannot pass them. Configured with `MAX_TODOS_PER_USER`, `MAX_FILES_PER_USER`,
//! `MAX_STORED_BYTES_PER_USER` and `MAX_LISTS_PER_USER`.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quotas {
    /// Live todos one user may have; also how many deleted ones wait for a restore.
    pub todos: usize,
    /// Files one user may have (attached, waiting in the chat, or uploading).
    pub files: usize,
    /// Bytes all of one user's files may take together.
    pub stored_bytes: u64,
    /// Lists one user may create (the Inbox is not counted).
    pub lists: usize,
}

impl Default for Quotas {
    fn default() -> Self {
        Self {
            todos: 5_000,
            files: 500,
            stored_bytes: 1024 * 1024 * 1024,
            lists: 300,
        }
    }
}
