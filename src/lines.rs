//! Rule lists as lines of text live in the `spacetrace-edit` crate, where native tests reach
//! them; this module names them for the app.

pub use spacetrace_edit::lines::*;
