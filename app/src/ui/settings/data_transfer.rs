//! The browser's side of export and import: the export saved as a file through a Blob and
//! an object URL (the request carries the token like every API call, so a plain link could
//! not), and a chosen file read as text and sent with the content type its name says.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::{
    ui::{api, auth::session::Auth, browser},
    wire::transfer::Imported,
};

/// Downloads the user's export as `tasko-export-YYYY-MM-DD.json` (today in their zone).
pub async fn download_export(auth: Auth) -> Result<(), String> {
    let text = api::export_document(auth)
        .await
        .map_err(|e| e.to_string())?;
    let parts = js_sys::Array::of1(&JsValue::from_str(&text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "The browser could not hold the export.".to_owned())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "The browser could not save the export.".to_owned())?;
    let name = format!("tasko-export-{}.json", browser::today_iso());
    let document = browser::window().document().expect("a document");
    if let Ok(anchor) = document.create_element("a")
        && let Ok(anchor) = anchor.dyn_into::<web_sys::HtmlAnchorElement>()
        && let Some(body) = document.body()
    {
        anchor.set_href(&url);
        anchor.set_download(&name);
        let _ = body.append_child(&anchor);
        anchor.click();
        let _ = body.remove_child(&anchor);
    }
    // Freed once the browser has surely read it (revoking at once can cut a download).
    leptos::prelude::set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(10),
    );
    Ok(())
}

/// Sends `file` to `POST /api/import`: a `.csv` (or a file the browser types as CSV) as a
/// Todoist CSV, anything else as an export document.
pub async fn import(auth: Auth, file: web_sys::File) -> Result<Imported, String> {
    let name = file.name().to_ascii_lowercase();
    let kind = if name.ends_with(".csv") || file.type_() == "text/csv" {
        "text/csv"
    } else {
        "application/json"
    };
    let text = JsFuture::from(file.text())
        .await
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| format!("The file “{}” could not be read.", file.name()))?;
    api::import_file(auth, kind, text)
        .await
        .map_err(|e| e.to_string())
}
