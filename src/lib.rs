//! Spacetrace's browser app (Leptos 0.8, client-side rendering).
//!
//! The app never decides anything about networks itself: it holds the document and the session,
//! asks `spacetrace_engine` for every answer, and shows what `spacetrace_engine::render` says.

pub mod app;
pub mod authoring;
pub mod canvas;
pub mod charts;
pub mod cidr_probe;
pub mod commands;
pub mod connectivity;
pub mod diagnostics;
pub mod edit;
pub mod examples;
pub mod export;
pub mod fields;
pub mod files;
pub mod import;
pub mod inspector;
pub mod layout;
pub mod lessons;
pub mod lines;
pub mod listen;
pub mod menu;
pub mod palette;
pub mod persist;
pub mod question;
pub mod share;
pub mod store;
pub mod tabs;
pub mod walk;
pub mod whatif;

pub use app::App;
pub use cidr_probe::CidrProbe;
