//! `Cause`: what an internal failure came from, kept whole for the logs. Errors that reach
//! a client carry a stable code and a public sentence instead (see `error.rs`); the cause,
//! with its `source()` chain, is only ever logged.

use std::{error::Error, fmt, sync::Arc};

/// An internal failure with its source chain. Cloneable (stores' errors are), and shown
/// with every source: `outer: inner: innermost`.
#[derive(Clone)]
pub struct Cause(Arc<dyn Error + Send + Sync>);

impl Cause {
    pub fn new(error: impl Error + Send + Sync + 'static) -> Self {
        Self(Arc::new(error))
    }

    /// A failure known only by its description (no underlying error value).
    pub fn msg(message: impl Into<String>) -> Self {
        Self(Arc::new(Message(message.into())))
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut source = self.0.source();
        while let Some(inner) = source {
            write!(f, ": {inner}")?;
            source = inner.source();
        }
        Ok(())
    }
}

impl fmt::Debug for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Cause({self})")
    }
}

/// Two causes are equal when they read the same (errors compare in tests by what they say).
impl PartialEq for Cause {
    fn eq(&self, other: &Self) -> bool {
        self.to_string() == other.to_string()
    }
}

impl Eq for Cause {}

/// Display only, so the chain is printed once by `Cause` itself.
impl Error for Cause {}

#[derive(Debug)]
struct Message(String);

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Error for Message {}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("saving failed")]
    struct Outer(#[source] std::io::Error);

    #[test]
    fn a_cause_shows_its_whole_chain() {
        let cause = Cause::new(Outer(std::io::Error::other("disk full")));
        assert_eq!(cause.to_string(), "saving failed: disk full");
    }
}
