//! `spacetrace import FILE…`: Heroku CLI and AWS CLI JSON output into one scenario, written to
//! standard output; the importer's warnings go to standard error. The reading, recognising and
//! mapping are `spacetrace_import`'s, and so are the words of every warning and problem.

use spacetrace_import::{Input, MAX_FILE_BYTES, MAX_FILES, render};

use crate::args::Spec;
use crate::scenario::{Unreadable, read_text};
use crate::text::quoted;
use crate::{BAD_USAGE, Output, help};

const SPEC: Spec = Spec { command: "spacetrace import", values: &[], flags: &[] };

pub fn run(args: &[String]) -> Output {
    let parsed = match SPEC.parse(args) {
        Ok(p) => p,
        Err(e) => return Output::usage(e, help::IMPORT),
    };
    if parsed.help {
        return Output::ok(help::IMPORT);
    }
    if parsed.positionals.is_empty() {
        return Output::usage("spacetrace import: name at least one FILE", help::IMPORT);
    }
    if parsed.positionals.iter().filter(|p| *p == "-").count() > 1 {
        return Output::usage("spacetrace import: - (standard input) can be given once", help::IMPORT);
    }
    if parsed.positionals.len() > MAX_FILES {
        let problem = spacetrace_import::Problem::TooManyFiles { count: parsed.positionals.len(), max: MAX_FILES };
        return Output::err(BAD_USAGE, format!("spacetrace import: {}", render::problem(&problem)));
    }
    let mut texts = Vec::with_capacity(parsed.positionals.len());
    let mut unreadable = Vec::new();
    for path in &parsed.positionals {
        match read_text(path, MAX_FILE_BYTES) {
            Ok(text) => texts.push((path.as_str(), text)),
            Err(Unreadable::TooLarge(bytes)) => {
                let problem = spacetrace_import::Problem::TooLarge { bytes, max: MAX_FILE_BYTES };
                unreadable.push(format!("spacetrace import: {}: {}", quoted(path), render::problem(&problem)));
            }
            Err(Unreadable::Other(why)) => {
                unreadable.push(format!("spacetrace import: cannot read {}: {why}", quoted(path)))
            }
        }
    }
    if !unreadable.is_empty() {
        return Output::err(BAD_USAGE, unreadable.join("\n"));
    }
    let inputs: Vec<Input<'_>> = texts
        .iter()
        .map(|(path, text)| Input { name: if *path == "-" { "standard input" } else { path }, text })
        .collect();
    match spacetrace_import::import(&inputs) {
        Err(e) => Output::err(
            BAD_USAGE,
            e.problems
                .iter()
                .map(|p| format!("spacetrace import: {}", render::file_problem(p)))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        Ok(imported) => {
            let out = match serde_json::to_string_pretty(&imported.document) {
                Ok(json) => json,
                Err(e) => return Output::err(BAD_USAGE, format!("spacetrace import: {e}")),
            };
            let mut err: Vec<String> =
                imported.warnings.iter().map(|w| format!("warning: {}", render::warning(w))).collect();
            let count = imported.warnings.len();
            err.push(format!(
                "spacetrace import: {} {}: {}; {count} {}",
                imported.files.len(),
                if imported.files.len() == 1 { "file" } else { "files" },
                render::summary(&imported.document),
                if count == 1 { "warning" } else { "warnings" }
            ));
            Output { code: crate::OK, out, err: err.join("\n") }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::tests::{DEFAULT, run_words, temp_file};
    use crate::{BAD_USAGE, OK, help};

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spacetrace-import/tests/fixtures");

    #[test]
    fn help_and_usage() {
        assert_eq!(run_words(&["import", "--help"]).out, help::IMPORT);
        assert_eq!(run_words(&["help", "import"]).out, help::IMPORT);
        let o = run_words(&["import"]);
        assert_eq!(o.code, BAD_USAGE);
        assert!(o.err.starts_with("spacetrace import: name at least one FILE"), "{}", o.err);
        assert_eq!(run_words(&["import", "-", "-"]).code, BAD_USAGE);
    }

    #[test]
    fn a_space_imports_with_warnings_on_standard_error() {
        let space = format!("{FIXTURES}/heroku/spaces-info.json");
        let vpn = format!("{FIXTURES}/heroku/spaces-vpn-info.json");
        let o = run_words(&["import", &space, &vpn]);
        assert_eq!(o.code, OK, "{}", o.err);
        let doc = spacetrace_engine::parse_document(&o.out).expect("a scenario on standard output");
        assert_eq!(doc.spaces[0].name, "acme-prod");
        assert_eq!(doc.vpns.len(), 1);
        assert!(o.err.contains("pre-shared key"), "{}", o.err);
        assert!(!o.out.contains("fixture-psk"), "a secret was written");
        assert!(o.err.ends_with("2 files: 1 space, 0 apps, 0 VPCs (0 subnets, 0 security groups, 0 hosts), 0 space peerings, 0 VPC peerings, 1 VPN connection; 2 warnings"), "{}", o.err);
    }

    #[test]
    fn unreadable_unrecognised_and_scenario_files_exit_two() {
        let o = run_words(&["import", "/nonexistent/vpcs.json"]);
        assert_eq!(o.code, BAD_USAGE);
        assert_eq!(o.err, "spacetrace import: cannot read \u{201c}/nonexistent/vpcs.json\u{201d}: no such file");
        let notes = temp_file("notes.json", br#"{"hello": "world"}"#);
        let o = run_words(&["import", &notes]);
        assert_eq!(o.code, BAD_USAGE);
        assert!(
            o.err.contains("notes.json") && o.err.contains("a JSON object with the key \u{201c}hello\u{201d}"),
            "{}",
            o.err
        );
        assert!(o.out.is_empty());
        let o = run_words(&["import", DEFAULT]);
        assert_eq!(o.code, BAD_USAGE);
        assert!(o.err.contains("It is a Spacetrace scenario already"), "{}", o.err);
    }
}
