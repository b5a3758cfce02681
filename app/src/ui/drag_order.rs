//! Drag and drop to reorder the rows of one list (HTML5 drag events): which row is dragged,
//! which row it is over (highlighted), and, on a drop, the move. Only a drag that started on
//! a row of the same list is accepted, so files dragged in, or a row of another list, fall
//! through to whatever else handles them. The move buttons beside the rows stay the
//! keyboard's and screen readers' way.

use leptos::{ev::DragEvent, prelude::*};

#[derive(Clone, Copy)]
pub struct DragOrder {
    /// The index of the row being dragged.
    dragged: RwSignal<Option<usize>>,
    /// The index of the row under the pointer, to highlight where it would land.
    over: RwSignal<Option<usize>>,
}

impl DragOrder {
    pub fn new() -> Self {
        Self {
            dragged: RwSignal::new(None),
            over: RwSignal::new(None),
        }
    }

    pub fn start(&self, index: usize, label: &str, ev: &DragEvent) {
        if let Some(dt) = ev.data_transfer() {
            // Some browsers start no drag without data.
            let _ = dt.set_data("text/plain", label);
            dt.set_effect_allowed("move");
        }
        self.dragged.set(Some(index));
    }

    pub fn over(&self, index: usize, ev: &DragEvent) {
        if self.dragged.get_untracked().is_none() {
            return;
        }
        // Accepting the drop here is what lets it happen at all.
        ev.prevent_default();
        if let Some(dt) = ev.data_transfer() {
            dt.set_drop_effect("move");
        }
        if self.over.get_untracked() != Some(index) {
            self.over.set(Some(index));
        }
    }

    /// The move a drop onto row `index` asks for: `(from, to)`, `None` for none.
    pub fn drop(&self, index: usize, ev: &DragEvent) -> Option<(usize, usize)> {
        let from = self.dragged.get_untracked()?;
        ev.prevent_default();
        ev.stop_propagation();
        self.end();
        (from != index).then_some((from, index))
    }

    pub fn end(&self) {
        self.dragged.set(None);
        self.over.set(None);
    }

    /// Whether row `index` is the one a drop would land on (and not the dragged row itself).
    pub fn is_target(&self, index: usize) -> bool {
        self.over.get() == Some(index) && self.dragged.get() != Some(index)
    }
}

impl Default for DragOrder {
    fn default() -> Self {
        Self::new()
    }
}
