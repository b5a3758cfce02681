//! Settings: the account's own panel, opened from the top bar. Today it holds "Your data":
//! the export download and the import of an export document or a Todoist CSV.

mod data_transfer;
pub mod settings_panel;
