//! Spacetrace's files, pure Rust with no web dependency, so native tests reach them: what to do
//! with a scenario that came in (a file chosen or dropped, which [`arrival`] recognises first, or
//! a link), the exported JSON and its file name. Bad input never touches the open scenario: it is
//! refused with a sentence that names the problem, or offered with its diagnostics. [`arrival`]
//! tells a scenario from Heroku CLI and AWS CLI output and imports output together
//! (`spacetrace-import`). The app reads the bytes and offers the downloads.
//!
//! The limit is the engine's `MAX_DOCUMENT_BYTES` (4 MiB): a larger file is refused by its size,
//! before it is read. Deep nesting is refused by the JSON parser's recursion limit.

pub mod arrival;

use spacetrace_engine::check::MAX_DOCUMENT_BYTES;
use spacetrace_engine::diagnostics::{Diagnostic, DiagnosticKind};
use spacetrace_engine::doc::Document;
use spacetrace_engine::{Severity, check, parse_document, render};

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

#[cfg(test)]
mod tests {
    use super::*;
    use spacetrace_engine::DiagnosticKind;

    /// The default example, as the app opens it.
    const DEFAULT: &str = include_str!("../../../scenarios/default.json");

    fn load(text: &str) -> Document {
        parse_document(text).expect("the example reads")
    }

    fn refused(incoming: Incoming) -> String {
        match incoming {
            Incoming::Refuse(message) => message,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn bad_files_are_refused_with_a_sentence_that_names_the_problem() {
        let malformed = refused(classify_text("{\"name\": \"x\","));
        assert!(malformed.starts_with("This is not a Spacetrace scenario: EOF while parsing"), "{malformed}");
        let version = refused(classify_text("{\"version\": 3, \"name\": \"From the future\"}"));
        assert!(version.contains("format version 3, but this Spacetrace reads versions 1 and 2 only"), "{version}");
        let deep = format!("{{\"name\": \"deep\", \"x_extra\": {}{}}}", "[".repeat(10_000), "]".repeat(10_000));
        let deep = refused(classify_text(&deep));
        assert!(deep.contains("recursion limit exceeded"), "{deep}");
        let mut big = b"{\"name\": \"big\"".to_vec();
        big.resize(MAX_DOCUMENT_BYTES + 1, b' ');
        big.push(b'}');
        let big = refused(classify_bytes(&big));
        assert!(big.contains("Spacetrace opens scenarios of up to 4.0 MiB"), "{big}");
        let binary = refused(classify_bytes(&[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe]));
        assert!(binary.starts_with("This file is not text"), "{binary}");
        let not_a_scenario = refused(classify_text("[1, 2, 3]"));
        assert!(not_a_scenario.contains("invalid type"), "{not_a_scenario}");
    }

    #[test]
    fn good_files_open_and_partly_valid_files_are_offered_with_errors_first() {
        let text = DEFAULT;
        assert_eq!(classify_text(text), Incoming::Open(load(text)));
        // A byte-order mark (some editors write one) is not a problem.
        assert_eq!(classify_bytes(format!("\u{feff}{text}").as_bytes()), Incoming::Open(load(text)));
        let mut doc = load(text);
        doc.vpcs[0].primary_cidr = "10.300.0.0/16".into();
        doc.extra.insert("x_note".into(), serde_json::Value::Bool(true));
        match classify_text(&export_text(&doc)) {
            Incoming::Offer(offered, diagnostics) => {
                assert_eq!(offered, doc);
                assert!(diagnostics[0].severity == spacetrace_engine::Severity::Error);
                assert!(diagnostics.iter().any(|d| matches!(d.kind, DiagnosticKind::CidrBadAddress { .. })));
                assert!(diagnostics.iter().any(|d| matches!(d.kind, DiagnosticKind::UnknownField { .. })));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn file_names_come_from_scenario_names() {
        assert_eq!(file_stem("Acme: a Cedar space, a peered VPC"), "acme-a-cedar-space-a-peered-vpc");
        assert_eq!(file_stem("<img src=x onerror=alert(1)>"), "img-src-x-onerror-alert-1");
        assert_eq!(file_stem("  ../../"), "scenario");
        assert_eq!(file_stem(""), "scenario");
    }

    #[test]
    fn an_exported_file_is_pretty_json_that_reads_back() {
        let doc = load(DEFAULT);
        let text = export_text(&doc);
        assert!(text.ends_with("}\n"), "a final newline");
        assert!(text.starts_with("{\n  \""), "pretty: {}", &text[..20]);
        assert_eq!(classify_text(&text), Incoming::Open(doc));
    }
}
