//! Files attached to todos (issue 5, in progress): the domain values checked before anything
//! is stored, and the `BlobStore` trait with its local-folder implementation. Not yet wired
//! into the HTTP API or the tools, which still answer "not available yet".

pub mod blob;
pub mod domain;
