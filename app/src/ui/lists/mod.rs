//! Lists: the user's lists ([`state`]: loaded once and by live sync, counts from the todos
//! in hand) and the sidebar that shows, switches and reorders them ([`sidebar`], with its
//! [`list_links`] and the labels' [`label_links`]).

pub mod label_links;
pub mod list_links;
pub mod sidebar;
pub mod state;
