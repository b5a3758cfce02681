//! Dropping files: `DragHighlight` tracks a drag over an element (enter and leave fire for
//! every child, hence the depth count) so it can be highlighted; `DropZone` wraps content in
//! such a target; `FilePicker` is the keyboard- and touch-friendly way to choose files.

use leptos::{ev::DragEvent, html, prelude::*};

use crate::ui::files::uploads::files_of;

#[derive(Clone, Copy)]
pub struct DragHighlight {
    pub active: RwSignal<bool>,
    depth: StoredValue<i32>,
}

impl DragHighlight {
    pub fn new() -> Self {
        Self {
            active: RwSignal::new(false),
            depth: StoredValue::new(0),
        }
    }

    fn carries_files(ev: &DragEvent) -> bool {
        ev.data_transfer().is_some_and(|dt| {
            dt.types()
                .iter()
                .any(|t| t.as_string().as_deref() == Some("Files"))
        })
    }

    pub fn enter(&self, ev: DragEvent) {
        if Self::carries_files(&ev) {
            ev.prevent_default();
            self.depth.update_value(|d| *d += 1);
            self.active.set(true);
        }
    }

    pub fn over(&self, ev: DragEvent) {
        if Self::carries_files(&ev) {
            // Without this the browser would open the file instead of dropping it here.
            ev.prevent_default();
            if let Some(dt) = ev.data_transfer() {
                dt.set_drop_effect("copy");
            }
        }
    }

    pub fn leave(&self, _ev: DragEvent) {
        self.depth.update_value(|d| *d = (*d - 1).max(0));
        if self.depth.get_value() == 0 {
            self.active.set(false);
        }
    }

    /// The dropped files (empty when the drop carried none).
    pub fn drop(&self, ev: DragEvent) -> Vec<web_sys::File> {
        ev.prevent_default();
        self.depth.set_value(0);
        self.active.set(false);
        files_of(ev.data_transfer().and_then(|dt| dt.files()))
    }
}

impl Default for DragHighlight {
    fn default() -> Self {
        Self::new()
    }
}

#[component]
pub fn DropZone(
    on_files: UnsyncCallback<Vec<web_sys::File>>,
    /// Said inside the zone while files are dragged over it.
    hint: &'static str,
    children: Children,
) -> impl IntoView {
    let drag = DragHighlight::new();
    view! {
        <div
            class="drop-zone"
            class:dragging=move || drag.active.get()
            on:dragenter=move |ev| drag.enter(ev)
            on:dragover=move |ev| drag.over(ev)
            on:dragleave=move |ev| drag.leave(ev)
            on:drop=move |ev| {
                let files = drag.drop(ev);
                if !files.is_empty() {
                    on_files.run(files);
                }
            }
        >
            {children()}
            <div class="drop-hint" aria-hidden="true">
                {hint}
            </div>
        </div>
    }
}

#[component]
pub fn FilePicker(
    on_files: UnsyncCallback<Vec<web_sys::File>>,
    label: &'static str,
    /// A paperclip icon instead of the label (which stays the accessible name).
    #[prop(optional)]
    icon: bool,
) -> impl IntoView {
    let input = NodeRef::<html::Input>::new();
    view! {
        <input
            type="file"
            multiple
            class="visually-hidden"
            tabindex="-1"
            aria-hidden="true"
            node_ref=input
            on:change=move |_| {
                if let Some(el) = input.get_untracked() {
                    let files = files_of(el.files());
                    el.set_value("");
                    if !files.is_empty() {
                        on_files.run(files);
                    }
                }
            }
        />
        <button
            type="button"
            class="picker"
            aria-label=label
            on:click=move |_| {
                if let Some(el) = input.get_untracked() {
                    el.click();
                }
            }
        >
            {if icon {
                view! {
                    <svg
                        viewBox="0 0 24 24"
                        width="18"
                        height="18"
                        aria-hidden="true"
                        class="paperclip"
                    >
                        <path d="M21 11.5l-8.6 8.6a5.5 5.5 0 0 1-7.8-7.8l9.2-9.2a3.7 3.7 0 0 1 5.2 5.2l-9.2 9.2a1.8 1.8 0 0 1-2.6-2.6l8.5-8.5"></path>
                    </svg>
                }
                    .into_any()
            } else {
                label.into_any()
            }}
        </button>
    }
}
