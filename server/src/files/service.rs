//! File operations shared by the HTTP API and the assistant's tools. Every id is looked up
//! under the caller's own key, so another user's file or todo behaves like a missing one.
//!
//! An upload is declared first (`begin_upload`: limits checked, nothing stored but an
//! invisible pending record), then its bytes go to the blob store (through the server, or
//! straight to S3), then it is checked and marked uploaded. Pending records older than the
//! upload window, chat files never attached, and files whose todo is gone are swept on the
//! owner's next upload, so nothing stays orphaned after a crash.

use std::{sync::Arc, time::Duration};

use app::wire::file::human_size;
use jiff::Timestamp;

use super::blob::{BlobError, BlobStore, ByteStream, PresignedRequest};
use crate::{
    domain::{
        Cause, Clock, FileId, FileRecord, InvalidInput, Quotas, TodoId, UserId,
        file::blob_key,
        file_values::{ContentType, FileName, check_size},
    },
    store::{Store, StoreError},
    tickets::Tickets,
};

/// How long a presigned upload URL is valid; a pending upload older than twice this is gone.
pub const UPLOAD_WINDOW: Duration = Duration::from_secs(10 * 60);
/// How long a download link is valid.
pub const DOWNLOAD_WINDOW: Duration = Duration::from_secs(60);
/// A file dropped into the chat and never attached is deleted after this.
pub const UNATTACHED_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    NotFound(&'static str),
    #[error("{0}")]
    TooLarge(String),
    #[error("{0}")]
    UnsupportedType(String),
    #[error("{0}")]
    Conflict(String),
    /// The account holds as many files, or bytes, as it may.
    #[error("{0}")]
    QuotaExceeded(String),
    #[error("file backend failed")]
    Backend(#[source] Cause),
}

impl From<InvalidInput> for FileError {
    fn from(e: InvalidInput) -> Self {
        Self::Invalid(e.0)
    }
}

impl From<StoreError> for FileError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound("No such file."),
            other => Self::Backend(Cause::new(other)),
        }
    }
}

impl From<BlobError> for FileError {
    fn from(e: BlobError) -> Self {
        match e {
            // A record whose bytes are gone (a local blob deleted, S3's NoSuchKey) is a
            // missing file, not a failing backend.
            BlobError::NotFound => Self::NotFound("This file's contents are missing."),
            other => Self::Backend(Cause::new(other)),
        }
    }
}

/// A URL on the storage browsers upload to directly (its origin goes into the CSP); `None`
/// when uploads go to the server. Presigning is local: no request is made.
pub async fn direct_upload_url(blobs: &dyn BlobStore) -> Option<String> {
    let probe = blob_key(&UserId::from_verified_sub("csp-probe"), FileId::new());
    blobs
        .presign_upload(&probe, "text/plain", 1, UPLOAD_WINDOW)
        .await
        .ok()
        .flatten()
        .map(|request| request.url)
}

fn expired_link() -> FileError {
    FileError::NotFound("This download link has expired or was already used.")
}

fn already_uploaded() -> FileError {
    FileError::Conflict("This file was already uploaded.".into())
}

fn attached_elsewhere(file: &FileRecord) -> FileError {
    FileError::Conflict(format!(
        "“{}” is already attached to another todo.",
        file.name
    ))
}

/// A declared upload (the parsed `POST /api/files` body).
pub struct UploadRequest<'a> {
    pub name: &'a str,
    pub size: u64,
    pub content_type: &'a str,
    pub todo_id: Option<&'a str>,
}

/// Where the bytes of a declared upload go.
pub enum UploadDestination {
    /// Straight to storage with this presigned request.
    Presigned(PresignedRequest),
    /// To the server: `PUT /api/files/{id}/content`.
    Server,
}

/// Where a download comes from.
pub enum DownloadSource {
    Presigned(String),
    /// A single-use ticket for `GET /files/download/{ticket}`.
    Ticket(String),
}

pub struct Files {
    store: Arc<dyn Store>,
    blobs: Arc<dyn BlobStore>,
    max_bytes: u64,
    quotas: Quotas,
    restore_window: Duration,
    downloads: Tickets<(UserId, FileId)>,
    /// "Now" for upload windows, sweeps, the trash and every tool that writes a todo.
    clock: Arc<dyn Clock>,
}

fn age(record: &FileRecord, at: Timestamp) -> Duration {
    at.duration_since(record.created_at)
        .try_into()
        .unwrap_or_default()
}

impl Files {
    pub fn new(
        store: Arc<dyn Store>,
        blobs: Arc<dyn BlobStore>,
        max_bytes: u64,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            downloads: Tickets::new(store.clone(), clock.clone(), "download", DOWNLOAD_WINDOW),
            clock,
            store,
            blobs,
            max_bytes,
            quotas: Quotas::default(),
            restore_window: super::trash::RESTORE_WINDOW,
        }
    }

    /// How long a deleted todo can be restored.
    pub fn with_restore_window(mut self, window: Duration) -> Self {
        self.restore_window = window;
        self
    }

    pub fn restore_window(&self) -> Duration {
        self.restore_window
    }

    /// What one account may hold (todos too: every tool and route that creates one has
    /// `Files` at hand).
    pub fn with_quotas(mut self, quotas: Quotas) -> Self {
        self.quotas = quotas;
        self
    }

    pub fn quotas(&self) -> Quotas {
        self.quotas
    }

    /// The current time on the service's clock.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    pub fn clock(&self) -> Arc<dyn Clock> {
        self.clock.clone()
    }

    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    pub fn store_arc(&self) -> Arc<dyn Store> {
        self.store.clone()
    }

    pub fn blobs(&self) -> &dyn BlobStore {
        self.blobs.as_ref()
    }

    pub fn max_bytes(&self) -> u64 {
        self.max_bytes
    }

    /// Checks the declared name, size and type and the todo, then records a pending upload.
    /// Nothing is stored when a check fails.
    pub async fn begin_upload(
        &self,
        owner: &UserId,
        request: UploadRequest<'_>,
    ) -> Result<(FileRecord, UploadDestination), FileError> {
        check_size(request.size, self.max_bytes).map_err(|e| {
            if request.size == 0 {
                FileError::Invalid(e.0)
            } else {
                FileError::TooLarge(e.0)
            }
        })?;
        let content_type = ContentType::parse(request.content_type)
            .map_err(|e| FileError::UnsupportedType(e.0))?;
        let todo_id = match request.todo_id {
            Some(raw) => {
                let id = TodoId::parse(raw)?;
                self.existing_todo(owner, id).await?;
                Some(id)
            }
            None => None,
        };
        self.sweep(owner).await;
        self.check_quota(owner, request.size).await?;
        let record = FileRecord {
            owner: owner.clone(),
            id: FileId::new(),
            todo_id,
            name: FileName::sanitize(request.name).as_str().to_owned(),
            size: request.size,
            content_type: content_type.as_str().to_owned(),
            created_at: self.now(),
            uploaded: false,
        };
        // The check above says why in the usual case; this one is exact under concurrency.
        let quotas = self.quotas;
        match self
            .store
            .create_file_within(&record, quotas.files, quotas.stored_bytes)
            .await
        {
            Ok(()) => {}
            Err(StoreError::LimitReached) => {
                self.check_quota(owner, request.size).await?;
                return Err(FileError::QuotaExceeded(
                    "Your files reached what one account can hold; delete some first.".into(),
                ));
            }
            Err(e) => return Err(e.into()),
        }
        let destination = match self
            .blobs
            .presign_upload(
                &record.blob_key(),
                &record.content_type,
                record.size,
                UPLOAD_WINDOW,
            )
            .await?
        {
            Some(request) => UploadDestination::Presigned(request),
            None => UploadDestination::Server,
        };
        Ok((record, destination))
    }

    /// Takes a declared upload's bytes (the local folder's path), streaming them to storage;
    /// exactly the declared size is accepted, once. The file stays pending until completed.
    pub async fn receive(
        &self,
        owner: &UserId,
        id: FileId,
        body: ByteStream,
    ) -> Result<FileRecord, FileError> {
        let pending = self.record(owner, id).await?;
        if pending.uploaded {
            return Err(already_uploaded());
        }
        // With direct uploads (S3) the bytes never pass through the server, which therefore
        // never buffers a large body for it.
        if self.blobs.takes_direct_uploads() {
            return Err(FileError::Conflict(
                concat!(
                    "This file goes straight to storage: ",
                    "send it to the upload URL from POST /api/files."
                )
                .into(),
            ));
        }
        match self
            .blobs
            .put_stream(&pending.blob_key(), body, pending.size)
            .await
        {
            Ok(()) => {}
            // Another upload of this file got there first: its bytes stay.
            Err(BlobError::AlreadyExists) => return Err(already_uploaded()),
            Err(BlobError::TooLarge) => {
                return Err(FileError::TooLarge(format!(
                    "The upload is larger than the declared {} bytes.",
                    pending.size
                )));
            }
            Err(BlobError::Incomplete) => {
                return Err(FileError::Invalid(format!(
                    "The upload ended before the declared {} bytes.",
                    pending.size
                )));
            }
            Err(e) => return Err(e.into()),
        }
        // Visible only once completed (`complete`), as with direct uploads: bytes that arrive
        // for an upload the user has cancelled never show up, and are swept later.
        Ok(pending)
    }

    /// Flips a pending record to uploaded, conditionally: if `complete` and an upload race,
    /// both are done (the bytes are the same, written once).
    async fn mark_uploaded(&self, pending: FileRecord) -> Result<FileRecord, FileError> {
        let mut record = pending.clone();
        record.uploaded = true;
        match self.store.update_file(&record, &pending).await {
            Ok(()) => Ok(record),
            Err(StoreError::Changed) => {
                let now = self.record(&pending.owner, pending.id).await?;
                if now.uploaded {
                    Ok(now)
                } else {
                    Err(FileError::Conflict(
                        "The file was changed at the same time; try again.".into(),
                    ))
                }
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Marks a declared upload as done once its blob is stored with the declared size.
    /// Idempotent: completing an uploaded file returns it.
    pub async fn complete(&self, owner: &UserId, id: FileId) -> Result<FileRecord, FileError> {
        let record = self.record(owner, id).await?;
        if record.uploaded {
            return Ok(record);
        }
        match self.blobs.size(&record.blob_key()).await {
            Ok(size) if size == record.size => {}
            Ok(size) => {
                // A direct upload of other bytes than declared: drop it, nothing is kept.
                let _ = self.blobs.delete(&record.blob_key()).await;
                return Err(FileError::Invalid(format!(
                    "The stored upload has {size} bytes, not the declared {}.",
                    record.size
                )));
            }
            Err(BlobError::NotFound) => {
                return Err(FileError::Conflict(
                    "The file's bytes have not been uploaded yet.".into(),
                ));
            }
            Err(e) => return Err(e.into()),
        }
        self.mark_uploaded(record).await
    }

    /// An uploaded file of the owner's; pending uploads, other users' files and the files of
    /// a deleted todo (waiting in the trash: only its restore brings them back) are "missing".
    /// Every way to a file (metadata, download, ticket, delete, attach) goes through here.
    pub async fn get(&self, owner: &UserId, id: FileId) -> Result<FileRecord, FileError> {
        let record = self.record(owner, id).await?;
        if !record.uploaded {
            return Err(FileError::NotFound("No such file."));
        }
        if let Some(todo) = record.todo_id {
            match self.store.get_todo(owner, todo).await {
                Ok(_) => {}
                Err(StoreError::NotFound) => return Err(FileError::NotFound("No such file.")),
                Err(e) => return Err(e.into()),
            }
        }
        Ok(record)
    }

    /// The files attached to one of the owner's todos, oldest first.
    pub async fn list_for_todo(
        &self,
        owner: &UserId,
        todo_id: TodoId,
    ) -> Result<Vec<FileRecord>, FileError> {
        self.existing_todo(owner, todo_id).await?;
        Ok(self
            .store
            .list_todo_files(owner, todo_id)
            .await?
            .into_iter()
            .filter(|f| f.uploaded)
            .collect())
    }

    /// Attaches an uploaded file of the owner's to one of the owner's todos. A file belongs
    /// to one todo: attaching it elsewhere is refused rather than silently moved.
    pub async fn attach(
        &self,
        owner: &UserId,
        file_id: FileId,
        todo_id: TodoId,
    ) -> Result<FileRecord, FileError> {
        let current = self.get(owner, file_id).await?;
        self.existing_todo(owner, todo_id).await?;
        match current.todo_id {
            Some(attached) if attached == todo_id => return Ok(current),
            Some(_) => return Err(attached_elsewhere(&current)),
            None => {}
        }
        let mut record = current.clone();
        record.todo_id = Some(todo_id);
        // Conditional on the file still being unattached: of two concurrent attaches to
        // different todos, one wins and the other is told so.
        match self.store.update_file(&record, &current).await {
            Ok(()) => Ok(record),
            Err(StoreError::Changed) => {
                let now = self.get(owner, file_id).await?;
                if now.todo_id == Some(todo_id) {
                    Ok(now)
                } else {
                    Err(attached_elsewhere(&now))
                }
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Deletes the file's bytes, then its record (a crash in between leaves a record whose
    /// delete is simply repeated). With `on_todo`, only if the file is attached to that todo.
    pub async fn delete(
        &self,
        owner: &UserId,
        id: FileId,
        on_todo: Option<TodoId>,
    ) -> Result<FileRecord, FileError> {
        let record = self.get(owner, id).await?;
        if on_todo.is_some_and(|todo| record.todo_id != Some(todo)) {
            return Err(FileError::NotFound(
                "That file is not attached to this todo.",
            ));
        }
        self.remove(&record).await?;
        Ok(record)
    }

    /// A short-lived way to download an uploaded file.
    pub async fn download(&self, owner: &UserId, id: FileId) -> Result<DownloadSource, FileError> {
        let record = self.get(owner, id).await?;
        match self
            .blobs
            .presign_download(
                &record.blob_key(),
                &record.name,
                &record.content_type,
                DOWNLOAD_WINDOW,
            )
            .await?
        {
            Some(url) => Ok(DownloadSource::Presigned(url)),
            None => Ok(DownloadSource::Ticket(
                self.downloads.issue((owner.clone(), record.id)).await?,
            )),
        }
    }

    /// The file a download ticket is for, without using the ticket (HEAD requests).
    pub async fn peek_download(&self, ticket: &str) -> Result<FileRecord, FileError> {
        let Some((owner, id)) = self.downloads.peek(ticket).await? else {
            return Err(expired_link());
        };
        self.get(&owner, id).await
    }

    /// Redeems a download ticket (once) for the file and its bytes.
    pub async fn redeem_download(&self, ticket: &str) -> Result<(FileRecord, Vec<u8>), FileError> {
        let Some((owner, id)) = self.downloads.redeem(ticket).await? else {
            return Err(expired_link());
        };
        let record = self.get(&owner, id).await?;
        let bytes = self.blobs.get(&record.blob_key()).await?;
        Ok((record, bytes))
    }

    /// Removes what no user can reach any more: pending uploads past their window, chat
    /// files never attached, files of deleted todos. Failures are logged, never shown.
    pub async fn sweep(&self, owner: &UserId) {
        if let Err(e) = self.try_sweep(owner).await {
            tracing::warn!(error = %e, "file sweep failed");
        }
    }

    async fn try_sweep(&self, owner: &UserId) -> Result<(), FileError> {
        let files = self.store.list_files(owner).await?;
        if files.is_empty() {
            return Ok(());
        }
        // Deleted todos still waiting for a restore keep their files.
        let todos: std::collections::HashSet<TodoId> = self
            .store
            .list_todo_records(owner)
            .await?
            .iter()
            .map(|t| t.id)
            .collect();
        let at = self.now();
        for file in files {
            let stale = match (file.uploaded, file.todo_id) {
                (false, _) => age(&file, at) > 2 * UPLOAD_WINDOW,
                (true, None) => age(&file, at) > UNATTACHED_LIFETIME,
                (true, Some(todo)) => !todos.contains(&todo),
            };
            if stale {
                self.remove(&file).await?;
            }
        }
        Ok(())
    }

    pub(super) async fn remove(&self, file: &FileRecord) -> Result<(), FileError> {
        self.blobs.delete(&file.blob_key()).await?;
        match self.store.delete_file(&file.owner, file.id).await {
            Ok(()) | Err(StoreError::NotFound) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// The owner's record, uploaded or not (the upload route checks the declared length
    /// against it).
    pub async fn record(&self, owner: &UserId, id: FileId) -> Result<FileRecord, FileError> {
        Ok(self.store.get_file(owner, id).await?)
    }

    /// Counts what the owner holds now (after the sweep), uploading files included, to say
    /// which limit is reached; the store's count at the insert is the exact one.
    async fn check_quota(&self, owner: &UserId, adding: u64) -> Result<(), FileError> {
        let files = self.store.list_files(owner).await?;
        if files.len() >= self.quotas.files {
            return Err(FileError::QuotaExceeded(format!(
                "You have {} files, the most one account can hold; delete some first.",
                files.len()
            )));
        }
        let stored: u64 = files.iter().map(|f| f.size).sum();
        if stored.saturating_add(adding) > self.quotas.stored_bytes {
            return Err(FileError::QuotaExceeded(format!(
                "Your files take {} of the {} one account can hold; delete some first.",
                human_size(stored),
                human_size(self.quotas.stored_bytes)
            )));
        }
        Ok(())
    }

    async fn existing_todo(&self, owner: &UserId, id: TodoId) -> Result<(), FileError> {
        match self.store.get_todo(owner, id).await {
            Ok(_) => Ok(()),
            Err(StoreError::NotFound) => Err(FileError::NotFound("No such todo.")),
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes that are gone (a deleted local blob, S3's NoSuchKey) make a missing file, which
    /// the API answers 404; other blob failures stay backend failures with their cause.
    #[test]
    fn a_missing_blob_is_a_missing_file_not_a_backend_failure() {
        assert!(matches!(
            FileError::from(BlobError::NotFound),
            FileError::NotFound(_)
        ));
        let FileError::Backend(cause) = FileError::from(BlobError::InvalidKey) else {
            panic!("a backend failure");
        };
        assert_eq!(cause.to_string(), "invalid blob key");
    }
}
