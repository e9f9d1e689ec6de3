//! Files in the browser: the scenario exported as a JSON download, and downloads of any text or
//! picture. What to do with a file that came in, the exported text and the file names are
//! `spacetrace-files`'s (pure Rust, where native tests reach them).

use spacetrace_engine::doc::Document;
pub use spacetrace_files::{Incoming, classify, classify_bytes, classify_text, export_text, file_stem, too_large};
use wasm_bindgen::JsCast;

/// Offer `blob` as a download named `name`.
pub fn download_blob(blob: &web_sys::Blob, name: &str) -> Result<(), String> {
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(|_| "The browser refused the download.")?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("No document.")?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a").map_err(|_| "No link.")?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.set_hidden(true);
    if let Some(body) = document.body() {
        let _ = body.append_child(&a);
    }
    a.click();
    a.remove();
    // Let the download start before the URL goes.
    gloo_timers::callback::Timeout::new(10_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}

/// Offer `text` as a download of type `mime` named `name`.
pub fn download_text(text: &str, mime: &str, name: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "The browser refused the download.")?;
    download_blob(&blob, name)
}

/// Export the scenario as `<name>.json`.
pub fn export_json(doc: &Document) -> Result<(), String> {
    download_text(&export_text(doc), "application/json", &format!("{}.json", file_stem(&doc.name)))
}
