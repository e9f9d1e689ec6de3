//! Share links: the whole scenario in the URL fragment, so that any static host works and nothing
//! is sent to a server (browsers do not send the fragment).
//!
//! Format 1: `#s1=` followed by the scenario's compact JSON, compressed with raw DEFLATE
//! (level 9) and written in base64url without padding. The codec is pure Rust and knows nothing
//! of the browser; the app adds the page address in front.
//!
//! Limits (see `docs/persistence.md`):
//! - a link is made only when the whole URL is at most [`MAX_LINK_CHARS`] characters; past that,
//!   browsers, chat tools and mail programs may cut it, so the person is told to export a file;
//! - a fragment longer than [`MAX_FRAGMENT_READ`] characters is not read at all;
//! - the decompressed JSON may not exceed the engine's `MAX_DOCUMENT_BYTES` (decompression stops
//!   there, so a small hostile link cannot expand into a huge one).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use spacetrace_engine::check::MAX_DOCUMENT_BYTES;
use spacetrace_engine::doc::Document;
use spacetrace_engine::{Diagnostic, parse_document};

/// What a share fragment starts with (format 1), without the `#`.
pub const PREFIX: &str = "s1=";
/// The longest share link made, counting the whole URL: a length every current browser, and the
/// tools links travel through, keep intact.
pub const MAX_LINK_CHARS: usize = 8_000;
/// The longest fragment read when opening a link (links made elsewhere, with a longer page
/// address, may be a little longer than [`MAX_LINK_CHARS`]).
pub const MAX_FRAGMENT_READ: usize = 64 * 1024;
/// DEFLATE level: the best compression (the documents are small, so the time does not matter).
const LEVEL: u8 = 9;

/// Why a link was not made or not read.
#[derive(Debug, Clone, PartialEq)]
pub enum ShareError {
    /// The link would be `chars` characters long; at most `max` are safe.
    TooLong { chars: usize, max: usize },
    /// The fragment is longer than anything read (`MAX_FRAGMENT_READ`).
    FragmentTooLong { chars: usize, max: usize },
    /// Characters that are not base64url.
    BadCharacters,
    /// The compressed data is damaged or cut short.
    Damaged,
    /// The scenario inside is larger than the engine's limit.
    TooLarge { max: usize },
    /// The scenario inside is not UTF-8 text.
    NotText,
    /// The text inside is not a scenario (the engine's diagnostic).
    Document(Box<Diagnostic>),
}

/// The document as a link's payload: its compact JSON.
pub fn payload(doc: &Document) -> String {
    serde_json::to_string(doc).unwrap_or_default()
}

/// The fragment (without `#`) that carries `doc`.
pub fn fragment(doc: &Document) -> String {
    let compressed = miniz_oxide::deflate::compress_to_vec(payload(doc).as_bytes(), LEVEL);
    format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(compressed))
}

/// The whole link: `base` (the page address without a fragment), `#`, and the fragment.
/// Refused when longer than [`MAX_LINK_CHARS`].
pub fn link(base: &str, doc: &Document) -> Result<String, ShareError> {
    let url = format!("{base}#{}", fragment(doc));
    let chars = url.chars().count();
    if chars > MAX_LINK_CHARS {
        return Err(ShareError::TooLong { chars, max: MAX_LINK_CHARS });
    }
    Ok(url)
}

/// Is this fragment (with or without its `#`) a share link?
pub fn is_share(fragment: &str) -> bool {
    fragment.trim_start_matches('#').starts_with(PREFIX)
}

/// Read a share fragment (with or without its `#`) back into a document. `None` when it is not a
/// share link at all. The document is parsed but not checked: the caller decides what to do
/// with its diagnostics.
pub fn read(fragment: &str) -> Option<Result<Document, ShareError>> {
    let data = fragment.trim_start_matches('#').strip_prefix(PREFIX)?;
    Some(decode(data.trim()))
}

/// Any text packed the way a share link packs a scenario: DEFLATE, then base64url without padding
/// (lesson links use it too, the app's `lessons.rs`).
pub fn pack(text: &str) -> String {
    URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(text.as_bytes(), LEVEL))
}

/// Text packed by [`pack`], with the same limits as a scenario link.
pub fn unpack(data: &str) -> Result<String, ShareError> {
    if data.len() > MAX_FRAGMENT_READ {
        return Err(ShareError::FragmentTooLong { chars: data.len(), max: MAX_FRAGMENT_READ });
    }
    let compressed = URL_SAFE_NO_PAD.decode(data).map_err(|_| ShareError::BadCharacters)?;
    let bytes =
        miniz_oxide::inflate::decompress_to_vec_with_limit(&compressed, MAX_DOCUMENT_BYTES).map_err(|e| {
            match e.status {
                miniz_oxide::inflate::TINFLStatus::HasMoreOutput => ShareError::TooLarge { max: MAX_DOCUMENT_BYTES },
                _ => ShareError::Damaged,
            }
        })?;
    String::from_utf8(bytes).map_err(|_| ShareError::NotText)
}

fn decode(data: &str) -> Result<Document, ShareError> {
    let text = unpack(data)?;
    parse_document(&text).map_err(|d| ShareError::Document(Box::new(d)))
}

impl ShareError {
    /// One sentence for the person. Problems with the scenario itself are the engine's words.
    pub fn message(&self) -> String {
        match self {
            ShareError::TooLong { chars, max } => format!(
                "This scenario is too large for a link: the link would be {} characters long, and links longer than {} characters can be cut off by browsers, chat tools and e-mail. Export it as a JSON file and send the file instead.",
                thousands(*chars),
                thousands(*max)
            ),
            ShareError::FragmentTooLong { chars, max } => format!(
                "This link is {} characters long; Spacetrace reads share links of up to {} characters.",
                thousands(*chars),
                thousands(*max)
            ),
            ShareError::BadCharacters => {
                "This link is damaged: it contains characters a Spacetrace link never has. Ask for the link again, or for the exported file.".into()
            }
            ShareError::Damaged => {
                "This link is damaged or cut short: the scenario in it cannot be unpacked. Ask for the link again, or for the exported file.".into()
            }
            ShareError::TooLarge { max } => format!(
                "The scenario in this link is larger than {} MiB, the most Spacetrace opens.",
                max / (1024 * 1024)
            ),
            ShareError::NotText => "The scenario in this link is not text; the link is damaged.".into(),
            ShareError::Document(d) => spacetrace_engine::render::diagnostic(d),
        }
    }
}

/// 8000 → "8,000".
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
