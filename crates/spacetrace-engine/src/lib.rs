//! Spacetrace's engine: pure Rust, no I/O, no clock, no randomness and no web dependency.
//!
//! Everything here returns data. Prose for people is produced in one place, [`render`].
//! Functions never panic on user input; bad input becomes a [`Diagnostic`].

// Diagnostics are plain data returned by value; their size is not a concern on these paths.
#![allow(clippy::result_large_err)]

pub mod cidr;
pub mod diagnostics;
pub mod doc;
pub mod model;
pub mod render;
pub mod rules;

pub use cidr::{AddressCount, CidrInfo, PrivateRange, describe_cidr};
pub use diagnostics::{Diagnostic, DiagnosticKind, Severity};
pub use rules::RuleId;
