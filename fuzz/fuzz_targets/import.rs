//! Heroku CLI and AWS CLI output: raw bytes split into files at U+001E, recognised and imported
//! together; the imported scenario goes through the whole pipeline.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    spacetrace_fuzz::import(&String::from_utf8_lossy(data));
});
