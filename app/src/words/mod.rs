//! The words layer: what plain text means, shared by the browser (compiled to wasm, so quick
//! add reads a line on every keystroke with no round-trip) and the server (the assistant's
//! grammar). Pure functions of text and "today": no clock, no store, no I/O.
//!
//! - [`dates`]: natural due dates ("next friday", "in 3 days"), linear in their input.
//! - [`quick_add`]: a todo line ("call the vet friday") read as a title and a due date.
//! - [`tokens`]: a message as words, quoted titles and punctuation, with their spans.
//! - [`tags`]: Todoist's marks in a line: `#list`, `@label`, `p1`–`p4`.
//! - [`repeat`]: repeat rules ("every monday", "every 3 days after completion") as a typed
//!   rule and back as readable text; [`times`]: times of day ("at 5pm", "9:30", "tonight").
//! - [`reminders`]: quick add's reminder marks ("!30m", "!tomorrow 9am") and the phrases
//!   ("remind me an hour before", "remind me at 9am tomorrow").
//! - [`lexicon`]: the one word list (verbs, numbers, states, polite fillers) and the one
//!   edit distance for typos.

pub mod dates;
pub mod lexicon;
pub mod quick_add;
pub mod reminders;
pub mod repeat;
pub mod tags;
pub mod times;
pub mod tokens;
