//! A todo's files in its detail view: the list with download and delete, a drop zone and a
//! picker for new ones, a progress bar per upload. The list is fetched again whenever the
//! assistant changed todos, so a file attached by talking shows up without a reload.

use leptos::{prelude::*, task::spawn_local};

use super::{
    DropZone, FilePicker, UploadProgress,
    uploads::{Upload, UploadState, start_download},
};
use crate::{
    ui::{api, auth::session::Auth, todos::state::TodoState},
    wire::file::{FileInfo, human_size},
};

#[component]
pub fn TodoFiles(todo_id: String) -> impl IntoView {
    let auth = expect_context::<Auth>();
    let todos = expect_context::<TodoState>();
    let owner = Owner::current().expect("a component has an owner");
    let todo_id = StoredValue::new(todo_id);
    // `None` until the first answer.
    let files = RwSignal::new(None::<Vec<FileInfo>>);
    let problem = RwSignal::new(None::<String>);
    let uploads = RwSignal::new(Vec::<Upload>::new());

    let load = move || {
        spawn_local(async move {
            match api::todo_files(auth, &todo_id.get_value()).await {
                Ok(list) => {
                    files.try_set(Some(list));
                }
                Err(e) => {
                    problem.try_set(Some(e.to_string()));
                }
            }
        })
    };
    Effect::new(move |_| {
        todos.files_revision.track();
        load();
    });

    let on_files = UnsyncCallback::new(move |picked: Vec<web_sys::File>| {
        problem.set(None);
        for file in picked {
            let upload =
                Upload::start(&owner, auth, file, Some(todo_id.get_value()), move |done| {
                    if matches!(done.state.get_untracked(), UploadState::Done(_)) {
                        uploads.try_update(|list| list.retain(|u| u.key != done.key));
                        load();
                    }
                });
            uploads.update(|list| list.push(upload));
        }
    });
    let dismiss =
        UnsyncCallback::new(move |key: u64| uploads.update(|list| list.retain(|u| u.key != key)));
    let download = move |file: FileInfo| {
        spawn_local(async move {
            match api::download_link(auth, &file.file_id).await {
                Ok(url) => start_download(&url),
                Err(e) => {
                    problem.try_set(Some(e.to_string()));
                }
            }
        })
    };
    let remove = move |file: FileInfo| {
        spawn_local(async move {
            match api::delete_file(auth, &file.file_id).await {
                Ok(()) => {
                    files.try_update(|list| {
                        if let Some(list) = list {
                            list.retain(|f| f.file_id != file.file_id);
                        }
                    });
                }
                Err(e) => {
                    problem.try_set(Some(e.to_string()));
                }
            }
        })
    };

    view! {
        <section class="todo-files" aria-labelledby="files-heading">
            <h4 id="files-heading">"Files"</h4>
            <DropZone on_files hint="Drop to attach">
                <ul class="file-list" aria-label="Attached files">
                    {move || match files.get() {
                        None => view! { <li class="muted">"Loading files…"</li> }.into_any(),
                        Some(list) if list.is_empty() && uploads.with(Vec::is_empty) => {
                            view! {
                                <li class="muted">
                                    "No files yet. Drop files here or choose them."
                                </li>
                            }
                                .into_any()
                        }
                        Some(list) => {
                            list.into_iter()
                                .map(|file| {
                                    let name = file.name.clone();
                                    let (for_download, for_delete) = (file.clone(), file.clone());
                                    view! {
                                        <li class="file">
                                            <span class="file-name">{name.clone()}</span>
                                            <span class="file-size">{human_size(file.size)}</span>
                                            <button
                                                type="button"
                                                class="link"
                                                aria-label=format!("Download {name}")
                                                on:click=move |_| download(for_download.clone())
                                            >
                                                "Download"
                                            </button>
                                            <button
                                                type="button"
                                                class="icon destroy"
                                                aria-label=format!("Delete {name}")
                                                on:click=move |_| remove(for_delete.clone())
                                            >
                                                "×"
                                            </button>
                                        </li>
                                    }
                                })
                                .collect_view()
                                .into_any()
                        }
                    }}
                    <For
                        each=move || uploads.get()
                        key=|upload| upload.key
                        children=move |upload| {
                            view! { <UploadProgress upload on_dismiss=dismiss /> }
                        }
                    />
                </ul>
                <FilePicker on_files label="Attach files" />
            </DropZone>
            {move || {
                problem
                    .get()
                    .map(|p| {
                        view! {
                            <p class="error" role="alert">
                                {p}
                            </p>
                        }
                    })
            }}
        </section>
    }
}
