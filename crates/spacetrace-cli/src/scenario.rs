//! Reading a scenario file: the CLI does the I/O, the engine does the checking. Anything that
//! stops a file from being a scenario at all becomes one message (exit code 2).

use std::io::Read;

use spacetrace_engine::check::MAX_DOCUMENT_BYTES;
use spacetrace_engine::doc::Document;
use spacetrace_engine::{Checked, Diagnostic, DiagnosticKind, check, parse_document, render};

use crate::text::quoted;

/// Read `path` (`-` is standard input) and check it. `Err` is a message for standard error.
pub fn load(command: &str, path: &str) -> Result<Checked, String> {
    load_document(command, path).map(|(_, checked)| checked)
}

/// [`load`], keeping the document too (to apply fixes to it).
pub fn load_document(command: &str, path: &str) -> Result<(Document, Checked), String> {
    let text = read(path).map_err(|why| format!("{command}: cannot read {}: {why}", quoted(path)))?;
    let (document, checked) = match parse_document(&text) {
        Ok(doc) => {
            let checked = check(&doc);
            (doc, checked)
        }
        Err(d) => (Document::default(), Checked { diagnostics: vec![d], ..Checked::default() }),
    };
    let fatal = checked.diagnostics.iter().find(|d| {
        matches!(
            d.kind,
            DiagnosticKind::NotJson { .. }
                | DiagnosticKind::DocumentTooLarge { .. }
                | DiagnosticKind::UnsupportedVersion { .. }
        )
    });
    match fatal {
        Some(d) => Err(format!("{command}: {}: {}", quoted(path), render::diagnostic(d))),
        None => Ok((document, checked)),
    }
}

/// The file's text, at most [`MAX_DOCUMENT_BYTES`] long.
fn read(path: &str) -> Result<String, String> {
    read_text(path, MAX_DOCUMENT_BYTES).map_err(|e| match e {
        Unreadable::TooLarge(bytes) => too_large(bytes),
        Unreadable::Other(why) => why,
    })
}

/// Why a file could not be read.
pub enum Unreadable {
    /// Longer than the limit: its size in bytes (at least the limit plus one).
    TooLarge(usize),
    /// Missing, a directory, not UTF-8…: the reason, for a message.
    Other(String),
}

/// The text of `path` (`-` is standard input), at most `max` bytes long.
pub fn read_text(path: &str, max: usize) -> Result<String, Unreadable> {
    let other = |why: String| Unreadable::Other(why);
    let limit = max as u64 + 1;
    let mut bytes = Vec::new();
    let mut size_hint = None;
    let result = if path == "-" {
        std::io::stdin().lock().take(limit).read_to_end(&mut bytes)
    } else {
        let file = std::fs::File::open(path).map_err(|e| other(io_reason(&e)))?;
        size_hint = file.metadata().ok().filter(|m| m.is_file()).map(|m| m.len() as usize);
        if size_hint.is_some_and(|n| n > max) {
            return Err(Unreadable::TooLarge(size_hint.unwrap_or_default()));
        }
        file.take(limit).read_to_end(&mut bytes)
    };
    result.map_err(|e| other(io_reason(&e)))?;
    if bytes.len() > max {
        return Err(Unreadable::TooLarge(size_hint.unwrap_or(bytes.len()).max(bytes.len())));
    }
    String::from_utf8(bytes)
        .map_err(|e| other(format!("it is not UTF-8 text (invalid byte at offset {})", e.utf8_error().valid_up_to())))
}

fn too_large(bytes: usize) -> String {
    render::diagnostic(&Diagnostic::error(DiagnosticKind::DocumentTooLarge { bytes, max: MAX_DOCUMENT_BYTES }))
}

fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as E;
    match e.kind() {
        E::NotFound => "no such file".to_owned(),
        E::PermissionDenied => "permission denied".to_owned(),
        E::IsADirectory => "it is a directory".to_owned(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{DEFAULT, temp_file};

    #[test]
    fn the_default_scenario_loads() {
        let checked = load("spacetrace check", DEFAULT).unwrap();
        assert!(!checked.model.apps.is_empty());
    }

    #[test]
    fn unreadable_files_say_why() {
        let e = load("spacetrace check", "/nonexistent/scenario.json").unwrap_err();
        assert_eq!(e, "spacetrace check: cannot read \u{201c}/nonexistent/scenario.json\u{201d}: no such file");
        let dir = env!("CARGO_MANIFEST_DIR");
        let e = load("spacetrace check", dir).unwrap_err();
        assert!(e.contains("cannot read") && e.contains("directory"), "{e}");
    }

    #[test]
    fn malformed_oversized_and_binary_files_give_one_message() {
        let bad = temp_file("malformed.json", b"{ \"version\": 1, ");
        let e = load("spacetrace ask", &bad).unwrap_err();
        assert!(e.contains("This is not a Spacetrace scenario") && e.contains("line 1"), "{e}");
        assert_eq!(e.lines().count(), 1, "{e}");

        let big = temp_file("big.json", &vec![b' '; MAX_DOCUMENT_BYTES + 10]);
        let e = load("spacetrace ask", &big).unwrap_err();
        assert!(e.contains("Spacetrace opens scenarios of up to 4.0 MiB"), "{e}");

        let binary = temp_file("binary.json", &[b'{', 0xff, 0xfe, b'}']);
        let e = load("spacetrace ask", &binary).unwrap_err();
        assert!(e.contains("not UTF-8 text (invalid byte at offset 1)"), "{e}");

        let future = temp_file("v9.json", b"{\"version\": 9}");
        let e = load("spacetrace ask", &future).unwrap_err();
        assert!(e.contains("format version 9"), "{e}");
    }
}
