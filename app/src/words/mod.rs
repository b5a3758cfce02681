//! The words layer: what plain text means, shared by the browser (compiled to wasm, so quick
//! add reads a line on every keystroke with no round-trip) and the server (the assistant's
//! grammar). Pure functions of text and "today": no clock, no store, no I/O.
//!
//! - [`dates`]: natural due dates ("next friday", "in 3 days"), linear in their input.
//! - [`quick_add`]: a todo line ("call the vet friday") read as a title and a due date.

pub mod dates;
pub mod quick_add;
