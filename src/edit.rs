//! Edits live in the `spacetrace-edit` crate, where native tests reach them; this module names
//! them for the app.

pub use spacetrace_edit::{COMMON_RUNTIME, Edit, INTERNET, NewObject, Object, all_ids, apply_edit, connection};
