//! Raw bytes as scenario JSON text (seeded with the examples), through the whole pipeline.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    spacetrace_fuzz::text(&String::from_utf8_lossy(data));
});
