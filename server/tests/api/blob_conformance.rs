//! The `BlobStore` conformance suite, written once; the S3 implementation will run it too.

use server::files::blob::{BlobError, BlobStore, LocalBlobStore};

async fn stores_and_reads_back_the_same_bytes(store: &dyn BlobStore) {
    let bytes: Vec<u8> = (0..=255u8).cycle().take(300_000).collect();
    store.put("ab12/0001", &bytes).await.unwrap();
    assert_eq!(store.get("ab12/0001").await.unwrap(), bytes);
}

async fn a_put_replaces_and_a_delete_removes(store: &dyn BlobStore) {
    store.put("ab12/0002", b"first").await.unwrap();
    store.put("ab12/0002", b"second").await.unwrap();
    assert_eq!(store.get("ab12/0002").await.unwrap(), b"second");
    store.delete("ab12/0002").await.unwrap();
    assert_eq!(store.get("ab12/0002").await, Err(BlobError::NotFound));
    store.delete("ab12/0002").await.unwrap();
}

async fn unknown_and_malformed_keys_are_refused(store: &dyn BlobStore) {
    assert_eq!(store.get("ab12/ffff").await, Err(BlobError::NotFound));
    assert_eq!(
        store.get("../../etc/passwd").await,
        Err(BlobError::InvalidKey)
    );
    assert_eq!(
        store.put("../escape", b"x").await,
        Err(BlobError::InvalidKey)
    );
}

#[tokio::test]
async fn the_local_blob_store_conforms() {
    let dir = tempfile::tempdir().unwrap();
    let store = LocalBlobStore::open(dir.path()).unwrap();
    stores_and_reads_back_the_same_bytes(&store).await;
    a_put_replaces_and_a_delete_removes(&store).await;
    unknown_and_malformed_keys_are_refused(&store).await;
    // No temporary files are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("blobs/ab12"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}
