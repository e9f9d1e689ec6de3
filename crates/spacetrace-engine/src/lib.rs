//! Spacetrace's engine: pure Rust, no I/O, no clock, no randomness and no web dependency.
//!
//! A scenario [`doc::Document`] is checked ([`check::check`]) into a validated [`model::Model`]
//! plus diagnostics; a [`query::Query`] against the model is evaluated ([`eval::evaluate`]) into a
//! [`trace::Trace`]: data, never prose. Prose for people is produced in one place, [`render`].
//! Functions never panic on user input; bad input becomes a [`Diagnostic`], and `blocked` is a
//! verdict, not an error.

// Diagnostics are plain data returned by value; their size is not a concern on these paths.
#![allow(clippy::result_large_err)]

pub mod apply;
pub mod capabilities;
pub mod check;
pub mod cidr;
mod classes;
pub mod commands;
pub mod diagnostics;
pub mod diff;
pub mod doc;
pub mod eval;
pub mod lab;
pub mod lesson;
pub mod limits;
pub mod matrix;
pub mod model;
pub mod plan;
pub mod policy;
pub mod query;
mod read;
pub mod refs;
pub mod render;
pub mod rules;
pub mod synth;
pub mod trace;
pub mod walk;

pub use check::{Checked, check, check_text, parse_document};
pub use cidr::{AddressCount, CidrInfo, PrivateRange, describe_cidr};
pub use diagnostics::{Diagnostic, DiagnosticKind, Severity};
pub use eval::{evaluate, outcome};
pub use query::{Dst, Query, Src};
pub use rules::RuleId;
pub use trace::{Trace, Verdict};
