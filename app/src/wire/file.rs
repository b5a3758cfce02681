//! Files attached to todos: what `/api/files` and `/api/todos/{id}/files` send and accept.

use serde::{Deserialize, Serialize};

/// A file's metadata as the API returns it. `todoId` is `null` while a file dropped into the
/// chat waits to be attached. `name` is sanitized for storage but still untrusted text: show
/// it escaped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileInfo {
    pub file_id: String,
    pub todo_id: Option<String>,
    pub name: String,
    /// Bytes.
    pub size: u64,
    pub content_type: String,
    pub created_at: String,
}

/// A file size as people read it ("532 B", "14.2 KiB", "3.1 MiB"): the same in the file
/// list and in the assistant's replies.
pub fn human_size(bytes: u64) -> String {
    match bytes {
        0..1024 => format!("{bytes} B"),
        1024..1_048_576 => format!("{} KiB", tenths(bytes, 1024)),
        _ => format!("{} MiB", tenths(bytes, 1_048_576)),
    }
}

/// `bytes / unit` to one decimal, rounded as `{:.1}` rounds (half to even), in integers:
/// printing a float would bring Rust's float formatting (about 11 KB) into the wasm.
fn tenths(bytes: u64, unit: u64) -> String {
    let scaled = u128::from(bytes) * 10;
    let (mut tenths, rest) = (scaled / u128::from(unit), scaled % u128::from(unit));
    if rest * 2 > u128::from(unit) || (rest * 2 == u128::from(unit) && tenths % 2 == 1) {
        tenths += 1;
    }
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// `POST /api/files`: declares an upload before any byte is sent, so the size limit and the
/// content-type allow-list are checked first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewUpload {
    pub name: String,
    pub size: u64,
    pub content_type: String,
    /// Attach to this todo once uploaded; absent for a file dropped into the chat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub todo_id: Option<String>,
}

/// Where to send the bytes: a presigned S3 PUT, or the server itself
/// (`PUT /api/files/{fileId}/content`, with the Authorization header). Send exactly the
/// listed headers; then `POST /api/files/{fileId}/complete`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadTarget {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    /// The URL is our own API and wants the Authorization header (local uploads).
    pub needs_auth: bool,
}

/// The answer to `POST /api/files` (201).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadStarted {
    pub file: FileInfo,
    pub upload: UploadTarget,
}

/// `POST /api/files/{fileId}/download`: a short-lived URL that returns the bytes as an
/// attachment (a presigned S3 GET, or a single-use link to the server).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DownloadLink {
    pub url: String,
}

/// `POST /api/todos/{id}/files`: attaches a file the user uploaded to the todo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AttachFile {
    pub file_id: String,
}

#[cfg(test)]
mod tests {
    use super::human_size;

    #[test]
    fn sizes_read_in_binary_units() {
        assert_eq!(human_size(44), "44 B");
        assert_eq!(human_size(1023), "1023 B");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(10 * 1024 * 1024), "10.0 MiB");
        // The same text as formatting the quotient as a float to one decimal.
        let float = |bytes: u64| match bytes {
            0..1024 => format!("{bytes} B"),
            1024..1_048_576 => format!("{:.1} KiB", bytes as f64 / 1024.0),
            _ => format!("{:.1} MiB", bytes as f64 / 1_048_576.0),
        };
        for bytes in (0..3_000_000)
            .step_by(7)
            .chain([1126, 1177, 1280, 3840, 1_101_004, u64::MAX])
        {
            assert_eq!(human_size(bytes), float(bytes), "{bytes} bytes");
        }
    }
}
