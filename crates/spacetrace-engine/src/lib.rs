//! Spacetrace's engine: pure Rust, no I/O, no clock, no randomness and no web dependency.
//!
//! Everything here returns data. Prose for people is produced in one place, [`render`].
//! Functions never panic on user input; bad input becomes a [`Diagnostic`].

pub mod cidr;
pub mod diagnostics;
pub mod render;

pub use cidr::{AddressCount, CidrInfo, PrivateRange, describe_cidr};
pub use diagnostics::{Diagnostic, DiagnosticKind, Severity};
