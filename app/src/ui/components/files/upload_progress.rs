//! One upload in progress (a progress bar), or its failure with a way to dismiss it.

use leptos::prelude::*;

use crate::ui::uploads::{Upload, UploadState, human_size};

#[component]
pub fn UploadProgress(upload: Upload, on_dismiss: UnsyncCallback<u64>) -> impl IntoView {
    let name = upload.name.get_value();
    let label = format!("Uploading {name}");
    let dismiss_label = format!("Dismiss {name}");
    view! {
        <li class="upload" class:failed=move || matches!(upload.state.get(), UploadState::Failed(_))>
            <span class="file-name">{name}</span>
            {move || match upload.state.get() {
                UploadState::Uploading => view! {
                    <progress max="1" value=move || upload.progress.get() aria-label=label.clone()></progress>
                    <span class="file-size">{move || format!("{:.0}%", upload.progress.get() * 100.0)}</span>
                }
                    .into_any(),
                UploadState::Failed(message) => view! {
                    <span class="error" role="alert">{message}</span>
                    <button
                        type="button"
                        class="icon"
                        aria-label=dismiss_label.clone()
                        on:click=move |_| on_dismiss.run(upload.key)
                    >
                        "×"
                    </button>
                }
                    .into_any(),
                UploadState::Done(info) => view! { <span class="file-size">{human_size(info.size)}</span> }.into_any(),
            }}
        </li>
    }
}
