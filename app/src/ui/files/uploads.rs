//! One file upload from the browser: declare it (`POST /api/files`, where the limits are
//! checked), send the bytes where the server says (our API, or S3 with a presigned PUT) with
//! an XMLHttpRequest, whose upload progress events drive a progress bar, then complete it.

use std::sync::atomic::{AtomicU64, Ordering};

use leptos::{prelude::*, task::spawn_local};
use wasm_bindgen::{JsCast, closure::Closure};
use web_sys::{ProgressEvent, XmlHttpRequest};

use crate::{
    ui::{api, auth::session::Auth, http::error_message},
    wire::file::{FileInfo, NewUpload, UploadTarget},
};

#[derive(Clone, Debug, PartialEq)]
pub enum UploadState {
    Uploading,
    Done(FileInfo),
    Failed(String),
}

/// An upload as the page shows it. `Copy`: every part is a signal.
#[derive(Clone, Copy)]
pub struct Upload {
    pub key: u64,
    pub name: StoredValue<String>,
    /// 0.0 to 1.0.
    pub progress: RwSignal<f64>,
    pub state: RwSignal<UploadState>,
    /// The request sending the bytes, while it runs (to cancel it).
    request: StoredValue<Option<XmlHttpRequest>, LocalStorage>,
}

static NEXT_KEY: AtomicU64 = AtomicU64::new(1);

impl Upload {
    /// Starts uploading `file` (attached to `todo_id` when given). Its signals belong to
    /// `owner`, so they outlive the drop handler that started it; `on_done` runs once it ends.
    pub fn start(
        owner: &Owner,
        auth: Auth,
        file: web_sys::File,
        todo_id: Option<String>,
        on_done: impl Fn(Upload) + 'static,
    ) -> Self {
        let upload = owner.with(|| Self {
            key: NEXT_KEY.fetch_add(1, Ordering::Relaxed),
            name: StoredValue::new(file.name()),
            progress: RwSignal::new(0.0),
            state: RwSignal::new(UploadState::Uploading),
            request: StoredValue::new_local(None),
        });
        spawn_local(async move {
            let outcome = run(auth, &file, todo_id, upload).await;
            upload.request.try_set_value(None);
            let state = match outcome {
                Ok(info) => UploadState::Done(info),
                Err(message) => UploadState::Failed(message),
            };
            // The view that showed it may be gone (a closed detail view): nothing to update.
            if upload.state.try_set(state).is_none() {
                on_done(upload);
            }
        });
        upload
    }

    /// Stops sending the bytes. Nothing becomes visible: the declared upload is never
    /// completed, and the server sweeps it later.
    pub fn cancel(&self) {
        if let Some(Some(request)) = self.request.try_get_value() {
            let _ = request.abort();
        }
    }

    pub fn file(&self) -> Option<FileInfo> {
        match self.state.get_untracked() {
            UploadState::Done(info) => Some(info),
            _ => None,
        }
    }
}

/// Browsers leave the type empty for some files (often `.md`); the server's allow-list
/// decides either way.
fn content_type(file: &web_sys::File) -> String {
    let declared = file.type_();
    if !declared.is_empty() {
        return declared;
    }
    let name = file.name().to_lowercase();
    let extension = name.rsplit('.').next().unwrap_or_default();
    match extension {
        "md" | "markdown" => "text/markdown",
        "txt" | "log" => "text/plain",
        "csv" => "text/csv",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
    .into()
}

async fn run(
    auth: Auth,
    file: &web_sys::File,
    todo_id: Option<String>,
    upload: Upload,
) -> Result<FileInfo, String> {
    let declared = NewUpload {
        name: file.name(),
        size: file.size() as u64,
        content_type: content_type(file),
        todo_id,
    };
    let started = api::begin_upload(auth, &declared)
        .await
        .map_err(|e| e.to_string())?;
    let token = if started.upload.needs_auth {
        Some(auth.id_token().await.ok_or("You are signed out.")?)
    } else {
        None
    };
    let url = auth.absolute_url(&started.upload.url);
    send_bytes(&started.upload, &url, token, file, upload).await?;
    upload.progress.try_set(1.0);
    api::complete_upload(auth, &started.file.file_id)
        .await
        .map_err(|e| e.to_string())
}

fn js_error(e: wasm_bindgen::JsValue) -> String {
    format!("The upload could not start ({e:?}).")
}

async fn send_bytes(
    target: &UploadTarget,
    url: &str,
    token: Option<String>,
    file: &web_sys::File,
    upload: Upload,
) -> Result<(), String> {
    let progress = upload.progress;
    let xhr = XmlHttpRequest::new().map_err(js_error)?;
    upload.request.try_set_value(Some(xhr.clone()));
    xhr.open(&target.method, url).map_err(js_error)?;
    for (name, value) in &target.headers {
        xhr.set_request_header(name, value).map_err(js_error)?;
    }
    if let Some(token) = token {
        xhr.set_request_header("Authorization", &format!("Bearer {token}"))
            .map_err(js_error)?;
    }
    let on_progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |e: ProgressEvent| {
        if e.length_computable() && e.total() > 0.0 {
            progress.try_set(e.loaded() / e.total());
        }
    });
    xhr.upload()
        .map_err(js_error)?
        .set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    // `loadend` fires once, after success, failure or abort alike.
    let finished = js_sys::Promise::new(&mut |resolve, _| xhr.set_onloadend(Some(&resolve)));
    xhr.send_with_opt_blob(Some(file)).map_err(js_error)?;
    let _ = wasm_bindgen_futures::JsFuture::from(finished).await;
    drop(on_progress);
    match xhr.status().unwrap_or(0) {
        200..=299 => Ok(()),
        0 => Err("The upload was interrupted; check your connection and try again.".into()),
        status => {
            let body = xhr.response_text().ok().flatten().unwrap_or_default();
            Err(error_message(&body, || {
                format!("The upload failed (HTTP {status}).")
            }))
        }
    }
}

/// Files from a drop or a file picker.
pub fn files_of(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else {
        return Vec::new();
    };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// Starts a browser download of `url` (a short-lived link from the server).
pub fn start_download(url: &str) {
    let document = crate::ui::browser::window().document().expect("a document");
    if let Ok(anchor) = document.create_element("a")
        && let Ok(anchor) = anchor.dyn_into::<web_sys::HtmlAnchorElement>()
    {
        anchor.set_href(url);
        anchor.set_download("");
        anchor.set_rel("noopener");
        if let Some(body) = document.body() {
            let _ = body.append_child(&anchor);
            anchor.click();
            let _ = body.remove_child(&anchor);
        }
    }
}
