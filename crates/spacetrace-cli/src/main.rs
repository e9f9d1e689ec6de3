//! `spacetrace`: the command-line face of Spacetrace's engine. Thin by design: it parses
//! arguments, reads files, calls the engine and prints what `spacetrace_engine::render` says.
//! See `help::USAGE` and docs/cli.md.

use std::process::ExitCode;

use spacetrace_engine::{describe_cidr, render};

mod args;
mod ask;
mod check;
mod diff;
mod help;
mod import;
mod lesson;
mod matrix;
mod refs;
mod scenario;
mod text;

/// Exit code: success (check passed, ask connected, diff found no change).
pub const OK: u8 = 0;
/// Exit code: `check` found an error or a question that differs; `cidr` refused a block; `diff`
/// found a pair that changed.
pub const FAILED: u8 = 1;
/// Exit code: bad usage, an unknown reference, or a file that is not a readable scenario.
pub const BAD_USAGE: u8 = 2;
/// Exit code: `ask` answered blocked.
pub const BLOCKED: u8 = 3;

/// What a command line produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub code: u8,
    pub out: String,
    pub err: String,
}

impl Output {
    pub fn ok(out: impl Into<String>) -> Self {
        Self { code: OK, out: out.into(), err: String::new() }
    }

    pub fn err(code: u8, err: impl Into<String>) -> Self {
        Self { code, out: String::new(), err: err.into() }
    }

    /// Bad usage: the message, then the command's help.
    pub fn usage(message: impl AsRef<str>, help: &str) -> Self {
        Self::err(BAD_USAGE, format!("{}\n\n{help}", message.as_ref()))
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let output = run(&args);
    // A closed pipe (`spacetrace matrix FILE | head`) is not an error worth a panic.
    let _ = write_block(&mut std::io::stdout().lock(), &output.out);
    let _ = write_block(&mut std::io::stderr().lock(), &output.err);
    ExitCode::from(output.code)
}

fn write_block(w: &mut impl std::io::Write, text: &str) -> std::io::Result<()> {
    if text.is_empty() {
        return Ok(());
    }
    w.write_all(text.as_bytes())?;
    if !text.ends_with('\n') {
        w.write_all(b"\n")?;
    }
    w.flush()
}

/// Run a command line (the words after `spacetrace`).
fn run(args: &[String]) -> Output {
    let rest = args.get(1..).unwrap_or_default();
    match args.first().map(String::as_str) {
        Some("check") => check::run(rest),
        Some("ask") => ask::run(rest),
        Some("matrix") => matrix::run(rest),
        Some("diff") => diff::run(rest),
        Some("import") => import::run(rest),
        Some("lesson") => lesson::run(rest),
        Some("cidr") => cidr(rest),
        Some("help" | "--help" | "-h") => help_for(rest),
        Some(other) => Output::usage(
            format!(
                "spacetrace: unknown command {}; valid commands: check, ask, matrix, diff, import, lesson, cidr, help",
                text::quoted(other)
            ),
            help::USAGE,
        ),
        None => Output::err(BAD_USAGE, help::USAGE),
    }
}

fn help_for(topic: &[String]) -> Output {
    match topic.first().map(String::as_str) {
        None => Output::ok(help::USAGE),
        Some("check") => Output::ok(help::CHECK),
        Some("ask") => Output::ok(help::ASK),
        Some("matrix") => Output::ok(help::MATRIX),
        Some("diff") => Output::ok(help::DIFF),
        Some("import") => Output::ok(help::IMPORT),
        Some("lesson") => Output::ok(help::LESSON),
        Some("cidr") => Output::ok(help::CIDR),
        Some("help") => Output::ok(help::USAGE),
        Some(other) => Output::usage(
            format!(
                "spacetrace help: no command {}; valid commands: check, ask, matrix, diff, import, lesson, cidr, help",
                text::quoted(other)
            ),
            help::USAGE,
        ),
    }
}

fn cidr(blocks: &[String]) -> Output {
    if blocks.is_empty() {
        return Output::usage("spacetrace cidr: name at least one CIDR block", help::CIDR);
    }
    if blocks.iter().any(|b| b == "--help" || b == "-h") {
        return Output::ok(help::CIDR);
    }
    let mut code = OK;
    let mut out = Vec::new();
    let mut err = Vec::new();
    for block in blocks {
        match describe_cidr(block) {
            Ok(info) => {
                for w in &info.warnings {
                    err.push(format!("warning: {}", render::diagnostic(w)));
                }
                out.push(
                    render::cidr_rows(&info).iter().map(|(k, v)| format!("{k:<9} {v}")).collect::<Vec<_>>().join("\n"),
                );
            }
            Err(d) => {
                code = FAILED;
                err.push(format!("error: {}", render::diagnostic(&d)));
            }
        }
    }
    Output { code, out: out.join("\n\n"), err: err.join("\n") }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The default scenario, as a path.
    pub const DEFAULT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/default.json");

    pub fn default_text() -> String {
        std::fs::read_to_string(DEFAULT).unwrap()
    }

    pub fn default_model() -> spacetrace_engine::model::Model {
        spacetrace_engine::check_text(&default_text()).model
    }

    pub fn run_words(a: &[&str]) -> Output {
        run(&a.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>())
    }

    /// The default scenario edited by `edit`, written to a temporary file; returns its path.
    pub fn edited_default(name: &str, edit: impl FnOnce(&mut serde_json::Value)) -> String {
        let mut v: serde_json::Value = serde_json::from_str(&default_text()).unwrap();
        edit(&mut v);
        temp_file(name, serde_json::to_string_pretty(&v).unwrap().as_bytes())
    }

    /// The saved question with this ID in a scenario document.
    pub fn question<'a>(v: &'a mut serde_json::Value, id: &str) -> &'a mut serde_json::Value {
        let questions = v["questions"].as_array_mut().unwrap();
        questions.iter_mut().find(|q| q["id"] == id).unwrap()
    }

    /// Write a file in the temporary directory, unique to this process and name; returns its path.
    pub fn temp_file(name: &str, bytes: &[u8]) -> String {
        let path = std::env::temp_dir().join(format!("spacetrace-cli-{}-{name}", std::process::id()));
        std::fs::write(&path, bytes).unwrap();
        path.to_string_lossy().into_owned()
    }

    #[test]
    fn describes_a_block() {
        let o = run_words(&["cidr", "10.0.0.0/16"]);
        assert_eq!(o.code, OK);
        assert!(o.out.contains("Network   10.0.0.0/16"), "{}", o.out);
        assert!(o.out.contains("65,536 addresses"), "{}", o.out);
        assert!(o.err.is_empty());
    }

    #[test]
    fn refused_input_exits_one_and_explains() {
        let o = run_words(&["cidr", "10.0.0.0/16", "nonsense"]);
        assert_eq!(o.code, FAILED);
        assert!(o.err.contains("has no prefix length"), "{}", o.err);
        assert_eq!(run_words(&["cidr"]).code, BAD_USAGE);
    }

    #[test]
    fn nonsense_arguments_list_the_valid_commands() {
        let o = run_words(&["frobnicate"]);
        assert_eq!(o.code, BAD_USAGE);
        assert!(o.err.contains("valid commands: check, ask, matrix, diff, import, lesson, cidr, help"), "{}", o.err);
        assert_eq!(run(&[]).code, BAD_USAGE);
        let o = run_words(&["help", "frobnicate"]);
        assert_eq!(o.code, BAD_USAGE);
        assert!(o.err.contains("no command \u{201c}frobnicate\u{201d}"), "{}", o.err);
    }

    #[test]
    fn help_documents_every_command_the_ref_syntax_and_the_exit_codes() {
        for words in [&["help"][..], &["--help"], &["-h"]] {
            let o = run_words(words);
            assert_eq!(o.code, OK);
            assert_eq!(o.out, help::USAGE);
        }
        let usage = help::USAGE;
        for needle in [
            "check FILE",
            "ask FILE --from REF --to REF",
            "matrix FILE",
            "--csv",
            "diff BEFORE AFTER",
            "import FILE...",
            "cidr BLOCK",
            "lesson check LESSON [SOLUTION]",
            "APP/PROCESS",
            "host:NAME",
            "remote:NAME",
            "client:NAME",
            "hostname:APP",
            "discovery:APP/PROCESS",
            "dyno:APP/PROCESS",
            "addon:NAME",
            "external:NAME",
            "localhost",
            "Exit codes:",
            "  3  ask: the connection is blocked",
            "diff: a pair changed",
        ] {
            assert!(usage.contains(needle), "help lacks {needle}");
        }
        for (command, text) in [
            ("check", help::CHECK),
            ("ask", help::ASK),
            ("matrix", help::MATRIX),
            ("diff", help::DIFF),
            ("import", help::IMPORT),
            ("lesson", help::LESSON),
            ("cidr", help::CIDR),
        ] {
            assert_eq!(run_words(&["help", command]).out, text);
            assert_eq!(run_words(&[command, "--help"]).out, text);
            assert!(text.starts_with(&format!("Usage: spacetrace {command}")));
            assert!(text.contains("Exit codes:"));
        }
    }
}
