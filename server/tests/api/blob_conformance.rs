//! The `BlobStore` conformance suite, written once and run against the local folder and
//! against S3 (moto, through the real SDK client).

use std::time::Duration;

use futures_util::StreamExt;
use server::files::{
    blob::{BlobError, BlobStore, ByteStream, LocalBlobStore, put_bytes},
    s3::S3BlobStore,
};

fn chunks(parts: Vec<&'static [u8]>) -> ByteStream {
    futures_util::stream::iter(parts.into_iter().map(|p| Ok(bytes::Bytes::from_static(p)))).boxed()
}

async fn stores_and_reads_back_the_same_bytes(store: &dyn BlobStore) {
    let bytes: Vec<u8> = (0..=255u8).cycle().take(300_000).collect();
    put_bytes(store, "ab12/0001", bytes.clone()).await.unwrap();
    assert_eq!(store.get("ab12/0001").await.unwrap(), bytes);
    assert_eq!(store.size("ab12/0001").await.unwrap(), 300_000);
}

async fn a_streamed_body_must_have_the_declared_length(store: &dyn BlobStore) {
    store
        .put_stream("ab12/0003", chunks(vec![b"hello ", b"world"]), 11)
        .await
        .unwrap();
    assert_eq!(store.get("ab12/0003").await.unwrap(), b"hello world");
    assert_eq!(
        store
            .put_stream("ab12/0004", chunks(vec![b"hello ", b"world"]), 8)
            .await,
        Err(BlobError::TooLarge)
    );
    assert_eq!(
        store
            .put_stream("ab12/0004", chunks(vec![b"hello"]), 8)
            .await,
        Err(BlobError::Incomplete)
    );
    // Neither refused body left anything behind.
    assert_eq!(store.get("ab12/0004").await, Err(BlobError::NotFound));
    assert_eq!(store.size("ab12/0004").await, Err(BlobError::NotFound));
}

async fn a_blob_is_written_once_and_a_delete_removes_it(store: &dyn BlobStore) {
    put_bytes(store, "ab12/0002", b"first".to_vec())
        .await
        .unwrap();
    assert_eq!(
        put_bytes(store, "ab12/0002", b"second".to_vec()).await,
        Err(BlobError::AlreadyExists)
    );
    assert_eq!(store.get("ab12/0002").await.unwrap(), b"first");
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
        put_bytes(store, "../escape", b"x".to_vec()).await,
        Err(BlobError::InvalidKey)
    );
    assert_eq!(
        store
            .presign_upload("a/../b", "text/plain", 1, Duration::from_secs(60))
            .await,
        Err(BlobError::InvalidKey)
    );
}

async fn says_truly_whether_it_takes_direct_uploads(store: &dyn BlobStore) {
    let presigned = store
        .presign_upload("ab12/0006", "text/plain", 1, Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(store.takes_direct_uploads(), presigned.is_some());
}

async fn conforms(store: &dyn BlobStore) {
    says_truly_whether_it_takes_direct_uploads(store).await;
    stores_and_reads_back_the_same_bytes(store).await;
    a_streamed_body_must_have_the_declared_length(store).await;
    a_blob_is_written_once_and_a_delete_removes_it(store).await;
    unknown_and_malformed_keys_are_refused(store).await;
}

#[tokio::test]
async fn the_local_blob_store_conforms() {
    let dir = tempfile::tempdir().unwrap();
    let store = LocalBlobStore::open(dir.path()).unwrap();
    conforms(&store).await;
    // No temporary files are left behind, also by refused uploads.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("blobs/ab12"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
    // The server takes local uploads itself: nothing to presign.
    assert_eq!(
        store
            .presign_upload("ab12/0001", "text/plain", 1, Duration::from_secs(60))
            .await,
        Ok(None)
    );
}

/// An S3 store on a fresh bucket in moto.
pub async fn s3_store() -> S3BlobStore {
    assert!(
        std::env::var("TASKO_TEST_MOTO").is_ok(),
        "the S3 tests need moto: run them through `make unit` (scripts/with-moto.sh)"
    );
    // The bucket a stack of infra/template.yaml made (infra/tests/test_stack_on_moto.py).
    if let Ok(bucket) = std::env::var("TASKO_STACK_FILES_BUCKET") {
        return S3BlobStore::connect(&bucket).await;
    }
    let bucket = format!("tasko-{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    let store = S3BlobStore::connect(&bucket).await;
    store
        .create_bucket(Some("http://127.0.0.1:3000"))
        .await
        .expect("bucket created in moto");
    store
}

#[tokio::test]
async fn the_s3_blob_store_conforms() {
    conforms(&s3_store().await).await;
}

/// The browser's side of an S3 upload: the presigned PUT with exactly its headers, then a
/// presigned GET that downloads as an attachment.
#[tokio::test]
async fn s3_presigned_requests_cover_one_key_its_type_and_its_length() {
    let store = s3_store().await;
    let upload = store
        .presign_upload("ab12/0005", "application/pdf", 9, Duration::from_secs(600))
        .await
        .unwrap()
        .expect("S3 presigns uploads");
    assert_eq!(upload.method, "PUT");
    assert!(upload.url.contains("/ab12/0005?"), "{}", upload.url);
    // The signature covers the key (in the path), the declared type and the declared length,
    // and expires after ten minutes.
    let signed = upload
        .url
        .split(['?', '&'])
        .find_map(|p| p.strip_prefix("X-Amz-SignedHeaders="))
        .expect("signed headers listed")
        .to_owned();
    assert!(signed.contains("content-length"), "{signed}");
    assert!(signed.contains("content-type"), "{signed}");
    assert!(upload.url.contains("X-Amz-Expires=600"), "{}", upload.url);
    let client = reqwest::Client::new();
    let mut put = client.put(&upload.url).body("%PDF-1.7\n");
    for (name, value) in &upload.headers {
        put = put.header(name, value);
    }
    let response = put.send().await.unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    assert_eq!(store.size("ab12/0005").await.unwrap(), 9);

    let url = store
        .presign_download(
            "ab12/0005",
            "Röntgen \"1\".pdf",
            "application/pdf",
            Duration::from_secs(60),
        )
        .await
        .unwrap()
        .expect("S3 presigns downloads");
    let response = client.get(&url).send().await.unwrap();
    assert!(response.status().is_success());
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(disposition.contains("R%C3%B6ntgen"), "{disposition}");
    assert_eq!(response.bytes().await.unwrap().as_ref(), b"%PDF-1.7\n");
}
