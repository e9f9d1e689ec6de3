//! Structure-aware: an example scenario edited structurally (see `Scenario`), then the whole
//! pipeline from its JSON text. With `SPACETRACE_FUZZ_PRINT` set, each input's JSON is printed
//! to standard error (to keep the scenario of a finding).
#![no_main]

use libfuzzer_sys::fuzz_target;
use spacetrace_fuzz::Scenario;

fuzz_target!(|scenario: Scenario| {
    let text = scenario.text();
    if std::env::var_os("SPACETRACE_FUZZ_PRINT").is_some() {
        eprintln!("{text}");
    }
    spacetrace_fuzz::text(&text);
});
