//! Bring your real network: Heroku CLI and AWS CLI JSON output read into one Spacetrace scenario.
//!
//! [`import`] takes one or many files (a name and the text), recognises each from its JSON shape
//! ([`detect`]), reads the Heroku outputs (`heroku/`) and the AWS outputs (`aws/`), ties them
//! together ([`merge`]: a space's peering and AWS's peering of the same `pcx-` ID are one
//! peering, instances land in their subnets and groups, the topology's dynos give process types
//! their counts) and returns the engine's [`Document`] with a list of typed [`ImportWarning`]s:
//! everything that bears on connectivity and that the document cannot hold is named, with the
//! file and the JSON path where it was. Secrets (VPN pre-shared keys, AWS customer gateway
//! configurations) are never read into the document. The English for warnings and problems is in
//! [`render`], and nowhere else.
//!
//! No I/O, no clock, no web dependency: the command-line tool and the browser app both hand the
//! text over. Import never panics on arbitrary JSON, and every list it reads is capped.

pub mod detect;
pub(crate) mod draft;
pub(crate) mod json;
pub mod merge;
pub mod render;
pub mod sample;
pub(crate) mod values;
pub mod warnings;

mod aws;
mod heroku;

use serde::Serialize;
use serde_json::Value;
use spacetrace_engine::doc::Document;

pub use detect::{AwsOutput, HerokuOutput, Kind, Shape, detect_value};
pub use warnings::{ImportWarning, What};

use crate::draft::Drafts;
use crate::json::{At, Ctx};
use crate::warnings::Warnings;

/// The largest file the importer reads: 32 MiB of JSON text.
pub const MAX_FILE_BYTES: usize = 32 * 1024 * 1024;
/// The most files one import reads.
pub const MAX_FILES: usize = 200;
/// The most objects read from one list of a file (VPCs, security groups, reservations…), as the
/// engine reads at most 5,000 objects of each top-level list.
pub const MAX_OBJECTS: usize = spacetrace_engine::check::MAX_OBJECTS;
/// The most entries read from a list inside an object (rules, routes, entries, dynos…).
pub const MAX_NESTED: usize = 1_000;
/// The most warnings one import records; past it, one warning counts the rest.
pub const MAX_WARNINGS: usize = 2_000;

/// One file to import: its name (for messages) and its text.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

/// A successful import.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The scenario, format version 2.
    pub document: Document,
    pub warnings: Vec<ImportWarning>,
    /// What each file was recognised as, in the order given.
    pub files: Vec<(String, Kind)>,
}

/// Why one file cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileProblem {
    /// The file's name as given; empty for the import as a whole.
    pub file: String,
    pub problem: Problem,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Problem {
    /// The text is not JSON.
    NotJson { message: String, line: usize, column: usize },
    /// The text is longer than [`MAX_FILE_BYTES`].
    TooLarge { bytes: usize, max: usize },
    /// JSON, but no output the importer reads; what it looks like.
    NotRecognised { shape: Shape },
    /// A Spacetrace scenario: it should be opened, not imported.
    Scenario,
    /// More files than [`MAX_FILES`].
    TooManyFiles { count: usize, max: usize },
    /// No file was given.
    NoFiles,
}

/// Every file that could not be imported (nothing is imported when one cannot be).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportError {
    pub problems: Vec<FileProblem>,
}

impl ImportError {
    /// Whether every problem is a Spacetrace scenario (the app can offer to open it instead).
    pub fn is_only_scenarios(&self) -> bool {
        !self.problems.is_empty() && self.problems.iter().all(|p| p.problem == Problem::Scenario)
    }
}

/// Recognise one file's text.
pub fn detect(text: &str) -> Result<Kind, Problem> {
    let value = parse(text)?;
    detect_value(&value).map_err(|shape| Problem::NotRecognised { shape })
}

fn parse(text: &str) -> Result<Value, Problem> {
    if text.len() > MAX_FILE_BYTES {
        return Err(Problem::TooLarge { bytes: text.len(), max: MAX_FILE_BYTES });
    }
    serde_json::from_str(text).map_err(|e| Problem::NotJson {
        message: e.to_string().split(" at line ").next().unwrap_or_default().to_owned(),
        line: e.line(),
        column: e.column(),
    })
}

/// Import files into one scenario. Every file must be recognised; otherwise nothing is imported
/// and the error names each file that was not, and why.
pub fn import(inputs: &[Input<'_>]) -> Result<Imported, ImportError> {
    let problem = |file: &str, problem| FileProblem { file: file.to_owned(), problem };
    if inputs.is_empty() {
        return Err(ImportError { problems: vec![problem("", Problem::NoFiles)] });
    }
    if inputs.len() > MAX_FILES {
        return Err(ImportError {
            problems: vec![problem("", Problem::TooManyFiles { count: inputs.len(), max: MAX_FILES })],
        });
    }
    let mut parsed = Vec::with_capacity(inputs.len());
    let mut problems = Vec::new();
    for input in inputs {
        match parse(input.text) {
            Err(p) => problems.push(problem(input.name, p)),
            Ok(value) => match detect_value(&value) {
                Ok(Kind::Scenario) => problems.push(problem(input.name, Problem::Scenario)),
                Ok(kind) => parsed.push((input.name, kind, value)),
                Err(shape) => problems.push(problem(input.name, Problem::NotRecognised { shape })),
            },
        }
    }
    if !problems.is_empty() {
        return Err(ImportError { problems });
    }

    let mut warnings = Warnings::default();
    let mut drafts = Drafts::default();
    for (name, kind, value) in &parsed {
        let mut ctx = Ctx { file: name, warnings: &mut warnings };
        let root = At::root(value);
        match kind {
            Kind::Heroku(output) => heroku::read(*output, &root, &mut ctx, &mut drafts),
            Kind::Aws(sections) => aws::read(sections, &root, &mut ctx, &mut drafts),
            Kind::EmptyList => ctx.warn(String::new(), What::EmptyOutput),
            Kind::Scenario => {}
        }
    }
    let names: Vec<&str> = parsed.iter().map(|(n, _, _)| *n).collect();
    let document = merge::merge(drafts, &names, &mut warnings);
    Ok(Imported {
        document,
        warnings: warnings.into_vec(),
        files: parsed.into_iter().map(|(n, k, _)| (n.to_owned(), k)).collect(),
    })
}
