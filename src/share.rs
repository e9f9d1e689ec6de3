//! Share links: the codec lives in `crates/spacetrace-share` (pure Rust, so native code such as
//! the fuzz targets can reach it); the app adds the page address in front.

pub use spacetrace_share::*;
