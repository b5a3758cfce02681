//! What one account may hold, so a shared server cannot be filled by one user (or one
//! script). Checked against the store before each create, so every instance sees the same
//! counts. Configured with `MAX_TODOS_PER_USER`, `MAX_FILES_PER_USER` and
//! `MAX_STORED_BYTES_PER_USER`.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quotas {
    /// Todos one user may have.
    pub todos: usize,
    /// Files one user may have (attached, waiting in the chat, or uploading).
    pub files: usize,
    /// Bytes all of one user's files may take together.
    pub stored_bytes: u64,
}

impl Default for Quotas {
    fn default() -> Self {
        Self {
            todos: 5_000,
            files: 500,
            stored_bytes: 1024 * 1024 * 1024,
        }
    }
}
