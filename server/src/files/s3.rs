//! `FILES=s3`: blobs in an S3 bucket. The browser talks to S3 itself with presigned requests:
//! a PUT whose signature covers the one key, the declared content type and the declared
//! length, and a GET that downloads as an attachment. Both expire within minutes.

use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_s3::{
    Client,
    error::SdkError,
    operation::{get_object::GetObjectError, head_object::HeadObjectError},
    presigning::PresigningConfig,
    primitives::ByteStream as S3Body,
    types::{CorsConfiguration, CorsRule},
};

use super::blob::{BlobError, BlobStore, ByteStream, PresignedRequest, check_key, collect_exact};
use crate::domain::{Cause, file_values::content_disposition};

pub struct S3BlobStore {
    client: Client,
    bucket: String,
}

fn backend(e: impl std::error::Error + Send + Sync + 'static) -> BlobError {
    BlobError::Backend(Cause::new(e))
}

fn presigning(ttl: Duration) -> Result<PresigningConfig, BlobError> {
    PresigningConfig::expires_in(ttl).map_err(backend)
}

impl S3BlobStore {
    /// A store on `bucket` with the credentials and region from the environment. With an
    /// endpoint override (a local S3 stand-in) requests use path-style addressing.
    pub async fn connect(bucket: &str) -> Self {
        let config = aws_config::load_from_env().await;
        let path_style = config.endpoint_url().is_some();
        let s3_config = aws_sdk_s3::config::Builder::from(&config)
            .force_path_style(path_style)
            .build();
        Self {
            client: Client::from_conf(s3_config),
            bucket: bucket.to_owned(),
        }
    }

    /// Creates the bucket if missing (`FILES_S3_CREATE_BUCKET=1`, for local use and tests),
    /// with a CORS rule that lets pages from `app_origin` PUT and GET directly.
    pub async fn create_bucket(&self, app_origin: Option<&str>) -> Result<(), BlobError> {
        let exists = self
            .client
            .head_bucket()
            .bucket(&self.bucket)
            .send()
            .await
            .is_ok();
        if !exists {
            self.client
                .create_bucket()
                .bucket(&self.bucket)
                .send()
                .await
                .map_err(backend)?;
        }
        let Some(origin) = app_origin else {
            return Ok(());
        };
        let rule = CorsRule::builder()
            .allowed_origins(origin)
            .allowed_methods("PUT")
            .allowed_methods("GET")
            .allowed_headers("content-type")
            .allowed_headers("if-none-match")
            .max_age_seconds(600)
            .build()
            .map_err(backend)?;
        let cors = CorsConfiguration::builder()
            .cors_rules(rule)
            .build()
            .map_err(backend)?;
        self.client
            .put_bucket_cors()
            .bucket(&self.bucket)
            .cors_configuration(cors)
            .send()
            .await
            .map_err(backend)?;
        Ok(())
    }
}

#[async_trait]
impl BlobStore for S3BlobStore {
    async fn put_stream(
        &self,
        key: &str,
        body: ByteStream,
        expected_len: u64,
    ) -> Result<(), BlobError> {
        check_key(key)?;
        // Bounded by the upload limit; S3 needs the length up front anyway.
        let bytes = collect_exact(body, expected_len).await?;
        let put = self
            .client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_length(expected_len as i64)
            // Written once: S3 refuses (412) when the key exists already.
            .if_none_match("*")
            .body(S3Body::from(bytes))
            .send()
            .await;
        match put {
            Ok(_) => Ok(()),
            Err(e) if e.raw_response().is_some_and(|r| r.status().as_u16() == 412) => {
                Err(BlobError::AlreadyExists)
            }
            Err(e) => Err(backend(e)),
        }
    }

    async fn get(&self, key: &str) -> Result<Vec<u8>, BlobError> {
        check_key(key)?;
        let object = match self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
        {
            Ok(object) => object,
            Err(SdkError::ServiceError(e)) if matches!(e.err(), GetObjectError::NoSuchKey(_)) => {
                return Err(BlobError::NotFound);
            }
            Err(e) => return Err(backend(e)),
        };
        let bytes = object.body.collect().await.map_err(backend)?;
        Ok(bytes.into_bytes().to_vec())
    }

    async fn size(&self, key: &str) -> Result<u64, BlobError> {
        check_key(key)?;
        match self
            .client
            .head_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
        {
            Ok(head) => Ok(head.content_length().unwrap_or(0).max(0) as u64),
            Err(SdkError::ServiceError(e)) if matches!(e.err(), HeadObjectError::NotFound(_)) => {
                Err(BlobError::NotFound)
            }
            Err(e) => Err(backend(e)),
        }
    }

    async fn delete(&self, key: &str) -> Result<(), BlobError> {
        check_key(key)?;
        // S3 answers 204 for a missing key too.
        self.client
            .delete_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
            .map_err(backend)?;
        Ok(())
    }

    fn takes_direct_uploads(&self) -> bool {
        true
    }

    async fn presign_upload(
        &self,
        key: &str,
        content_type: &str,
        len: u64,
        ttl: Duration,
    ) -> Result<Option<PresignedRequest>, BlobError> {
        check_key(key)?;
        let presigned = self
            .client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .content_length(len as i64)
            // Signed, so the browser must send it: a presigned URL cannot replace bytes
            // already stored (a completed file), even while it is still valid.
            .if_none_match("*")
            .presigned(presigning(ttl)?)
            .await
            .map_err(backend)?;
        Ok(Some(PresignedRequest {
            method: presigned.method().to_owned(),
            url: presigned.uri().to_owned(),
            headers: presigned
                .headers()
                // Browsers set these two themselves and refuse to have them set by scripts.
                .filter(|(name, _)| !name.eq_ignore_ascii_case("host"))
                .filter(|(name, _)| !name.eq_ignore_ascii_case("content-length"))
                .map(|(name, value)| (name.to_owned(), value.to_owned()))
                .collect(),
        }))
    }

    async fn presign_download(
        &self,
        key: &str,
        file_name: &str,
        content_type: &str,
        ttl: Duration,
    ) -> Result<Option<String>, BlobError> {
        check_key(key)?;
        let presigned = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .response_content_disposition(content_disposition(file_name))
            .response_content_type(content_type)
            .presigned(presigning(ttl)?)
            .await
            .map_err(backend)?;
        Ok(Some(presigned.uri().to_owned()))
    }
}
