//! Lists: the user's lists ([`state`]: loaded once, counts from the todos in hand) and the
//! sidebar that shows and switches them ([`sidebar`]).

pub mod sidebar;
pub mod state;
