//! One upload: in progress (a progress bar, and a way to cancel it), failed (why, and a way to
//! dismiss it), or done (its size, and a way to remove it from what is about to be sent).

use leptos::prelude::*;

use crate::{
    ui::files::uploads::{Upload, UploadState},
    wire::file::human_size,
};

#[component]
pub fn UploadProgress(upload: Upload, on_dismiss: UnsyncCallback<u64>) -> impl IntoView {
    let name = upload.name.get_value();
    let label = format!("Uploading {name}");
    // One "×" per state; what it says to a screen reader depends on the state.
    let close = move |verb: &str| {
        let label = format!("{verb} {}", upload.name.get_value());
        view! {
            <button
                type="button"
                class="icon"
                aria-label=label
                on:click=move |_| {
                    upload.cancel();
                    on_dismiss.run(upload.key);
                }
            >
                "×"
            </button>
        }
    };
    view! {
        <li
            class="upload"
            class:failed=move || matches!(upload.state.get(), UploadState::Failed(_))
        >
            <span class="file-name">{name}</span>
            {move || match upload.state.get() {
                UploadState::Uploading => {
                    view! {
                        <progress
                            max="100"
                            value=move || percent(upload.progress.get())
                            aria-label=label.clone()
                        ></progress>
                        <span class="file-size">
                            {move || format!("{}%", percent(upload.progress.get()))}
                        </span>
                        {close("Cancel uploading")}
                    }
                        .into_any()
                }
                UploadState::Failed(message) => {
                    view! {
                        {close("Dismiss")}
                        <span class="error" role="alert">
                            {message}
                        </span>
                    }
                        .into_any()
                }
                UploadState::Done(info) => {
                    view! {
                        <span class="file-size">{human_size(info.size)}</span>
                        {close("Remove")}
                    }
                        .into_any()
                }
            }}
        </li>
    }
}

/// Whole percents of a fraction: an integer, since formatting a float would bring Rust's
/// float printing (about 12 KB) into the browser's download for this one bar.
fn percent(fraction: f64) -> u32 {
    (fraction.clamp(0.0, 1.0) * 100.0).round() as u32
}
