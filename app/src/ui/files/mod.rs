//! Files on todos and in the chat: uploads ([`uploads`]: declare, send with progress,
//! complete), drag-and-drop targets, the file picker, a todo's file list with its uploads
//! in progress.

mod drop_zone;
mod todo_files;
mod upload_progress;
pub mod uploads;

pub use drop_zone::{DragHighlight, DropZone, FilePicker};
pub use todo_files::TodoFiles;
pub use upload_progress::UploadProgress;
