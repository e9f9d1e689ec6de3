//! The example scenarios of `scenarios/`, compiled in by the `spacetrace-edit` crate (where native
//! tests reach them); this module names them for the app.

pub use spacetrace_edit::examples::*;
