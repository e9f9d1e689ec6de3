//! Engine timings in the browser. The measurements live in `tests/browser.rs`, a wasm-bindgen test
//! run in headless Chromium by `cargo xtask bench`:
//!
//! ```text
//! CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner CHROMEDRIVER=/usr/bin/chromedriver \
//!   cargo test --release -p spacetrace-bench-wasm --target wasm32-unknown-unknown -- --nocapture
//! ```
//!
//! `--nocapture` makes the runner print what the test logs. Each figure is one line starting with
//! [`PREFIX`]; nothing is asserted about timings. On other targets this crate is empty.

/// The start of every figure line the browser test prints.
pub const PREFIX: &str = "spacetrace-bench";
