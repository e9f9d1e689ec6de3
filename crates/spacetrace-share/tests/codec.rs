//! The share-link codec natively (the app's browser tests cover it in the page too): every
//! example reads back as itself, and no fragment, however damaged, makes the decoder panic
//! (the `share` fuzz target looks further; `docs/fuzzing.md`).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use proptest::prelude::*;
use spacetrace_engine::parse_document;
use spacetrace_share::{PREFIX, ShareError, fragment, payload, read};

const EXAMPLES: [&str; 3] = [
    include_str!("../../../scenarios/default.json"),
    include_str!("../../../scenarios/aws.json"),
    include_str!("../../../scenarios/limits.json"),
];

#[test]
fn examples_read_back_as_themselves() {
    for text in EXAMPLES {
        let doc = parse_document(text).expect("an example reads");
        let back = read(&fragment(&doc)).expect("a share fragment").expect("it reads back");
        assert_eq!(payload(&back), payload(&doc));
    }
}

#[test]
fn a_damaged_stream_is_damaged() {
    let whole = fragment(&parse_document(EXAMPLES[0]).expect("an example reads"));
    let cut = &whole[..whole.len() / 2];
    assert_eq!(read(cut), Some(Err(ShareError::Damaged)));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_fragment_text_reads_or_says_why(text in ".{0,200}") {
        let _ = read(&format!("#{PREFIX}{text}")).map(|r| r.map_err(|e| e.message()));
    }

    #[test]
    fn any_compressed_bytes_read_or_say_why(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let r = read(&format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(&bytes)));
        prop_assert!(r.is_some());
        let _ = r.map(|r| r.map_err(|e| e.message()));
    }
}
