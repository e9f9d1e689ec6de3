//! Spacetrace's browser app (Leptos 0.8, client-side rendering).
//!
//! The app never decides anything about networks itself: it asks `spacetrace_engine` and shows
//! what `spacetrace_engine::render` says.

pub mod app;
pub mod cidr_probe;

pub use app::App;
pub use cidr_probe::CidrProbe;
