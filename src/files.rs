//! Files: export the scenario as JSON, and decide what to do with a scenario that came in (a file
//! chosen or dropped, which `import.rs` reads and recognises first, or a link). Bad input never touches the open scenario: it is refused with a
//! sentence that names the problem, or offered with its diagnostics.
//!
//! The limit is the engine's `MAX_DOCUMENT_BYTES` (4 MiB): a larger file is refused by its size,
//! before it is read. Deep nesting is refused by the JSON parser's recursion limit.

use spacetrace_engine::check::MAX_DOCUMENT_BYTES;
use spacetrace_engine::diagnostics::{Diagnostic, DiagnosticKind};
use spacetrace_engine::doc::Document;
use spacetrace_engine::{Severity, check, parse_document, render};
use wasm_bindgen::JsCast;

/// What to do with a document that came in from a file or a link.
#[derive(Debug, Clone, PartialEq)]
pub enum Incoming {
    /// A usable scenario, with no error: open it.
    Open(Document),
    /// A scenario with errors: show them and let the person open what is usable, or not.
    Offer(Document, Vec<Diagnostic>),
    /// Not a scenario this Spacetrace can open: the sentence says why.
    Refuse(String),
}

/// The refusal for a file of `bytes` bytes, when it is over the limit.
pub fn too_large(bytes: usize) -> Option<String> {
    (bytes > MAX_DOCUMENT_BYTES).then(|| {
        render::diagnostic(&Diagnostic::error(DiagnosticKind::DocumentTooLarge { bytes, max: MAX_DOCUMENT_BYTES }))
    })
}

/// Classify a file's bytes.
pub fn classify_bytes(bytes: &[u8]) -> Incoming {
    if let Some(refusal) = too_large(bytes.len()) {
        return Incoming::Refuse(refusal);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => classify_text(text),
        Err(_) => Incoming::Refuse(
            "This file is not text: a Spacetrace scenario is a JSON text file (UTF-8), as made by \u{201c}Export JSON\u{201d}."
                .into(),
        ),
    }
}

/// Classify JSON text (a leading byte-order mark is ignored).
pub fn classify_text(text: &str) -> Incoming {
    match parse_document(text.strip_prefix('\u{feff}').unwrap_or(text)) {
        Ok(doc) => classify(doc),
        Err(d) => Incoming::Refuse(render::diagnostic(&d)),
    }
}

/// Classify a parsed document: another format version is refused; errors are offered.
pub fn classify(doc: Document) -> Incoming {
    let checked = check(&doc);
    if let Some(d) = checked.diagnostics.iter().find(|d| matches!(d.kind, DiagnosticKind::UnsupportedVersion { .. })) {
        return Incoming::Refuse(render::diagnostic(d));
    }
    if checked.errors().next().is_none() {
        return Incoming::Open(doc);
    }
    let mut diagnostics = checked.diagnostics.clone();
    diagnostics.sort_by_key(|d| d.severity != Severity::Error);
    Incoming::Offer(doc, diagnostics)
}

/// The scenario as an exported file: pretty JSON with a final newline.
pub fn export_text(doc: &Document) -> String {
    let mut text = spacetrace_engine::doc::to_pretty_json(doc);
    text.push('\n');
    text
}

/// A file name from the scenario name: lower-case letters, digits and hyphens.
pub fn file_stem(name: &str) -> String {
    let mut stem = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            stem.push(c);
        } else if !stem.ends_with('-') && !stem.is_empty() {
            stem.push('-');
        }
        if stem.len() >= 60 {
            break;
        }
    }
    let stem = stem.trim_end_matches('-');
    if stem.is_empty() { "scenario".into() } else { stem.into() }
}

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
