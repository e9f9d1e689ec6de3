//! Canvas geometry lives in the `spacetrace-canvas` crate, where native tests reach it; this
//! module names it for the app.

pub use spacetrace_canvas::*;
