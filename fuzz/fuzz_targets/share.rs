//! The share-link decoder: raw bytes as a fragment; as the DEFLATE stream of a fragment; and as
//! scenario JSON packed into a link, which must read back exactly as the same text parses.
#![no_main]

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use libfuzzer_sys::fuzz_target;
use spacetrace_share::PREFIX;

fuzz_target!(|data: &[u8]| {
    spacetrace_fuzz::share_fragment(&String::from_utf8_lossy(data));
    spacetrace_fuzz::share_fragment(&format!("#{PREFIX}{}", URL_SAFE_NO_PAD.encode(data)));
    if let Ok(text) = std::str::from_utf8(data)
        && text.len() <= spacetrace_engine::check::MAX_DOCUMENT_BYTES
    {
        let packed = miniz_oxide::deflate::compress_to_vec(data, 9);
        let fragment = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(packed));
        let read = spacetrace_share::read(&fragment).expect("a fragment with the prefix is a share link");
        match (read, spacetrace_engine::parse_document(text)) {
            (Ok(a), Ok(b)) => {
                assert_eq!(spacetrace_share::payload(&a), spacetrace_share::payload(&b));
                spacetrace_fuzz::document(&a);
            }
            (Err(spacetrace_share::ShareError::Document(a)), Err(b)) => assert_eq!(*a, b),
            (a, b) => panic!("the link reads {a:?}, the text parses {b:?}"),
        }
    }
});
