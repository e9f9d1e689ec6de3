//! The example scenarios in `scenarios/`: each must check, every saved question must meet its
//! expectation, and what the product says about them (diagnostics and traces) is kept as one
//! snapshot per scenario. The snapshots are the product's explanations: read them when they change.
//!
//! Update with `INSTA_UPDATE=always cargo test -p spacetrace-engine --test fixtures`, then review.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use spacetrace_engine::lab;
use spacetrace_engine::{Severity, check_text, render};

fn scenario_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios")
}

/// Every `scenarios/*.json`, sorted by name.
fn scenario_files() -> Vec<PathBuf> {
    let dir = scenario_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

/// Check one scenario: returns its snapshot text and every problem found. A scenario passes as
/// `spacetrace check` passes it: every error is one its configuration expectations expect, and
/// every expectation holds (the lines are the engine's, as `check` prints them).
fn check_scenario(path: &Path) -> (String, Vec<String>) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let checked = check_text(&text);
    let report = lab::report(&checked);
    let mut problems = Vec::new();
    let mut out = String::new();

    let _ = writeln!(out, "# {}", checked.model.name);
    let _ = writeln!(out, "\n## Diagnostics\n");
    if checked.diagnostics.is_empty() {
        let _ = writeln!(out, "None.");
    }
    for (d, expected) in report.diagnostics.iter().zip(&report.expected) {
        let severity = match (d.severity, expected) {
            (Severity::Error, true) => "expected error",
            (Severity::Error, false) => "error",
            (Severity::Warning, _) => "warning",
        };
        let rules: Vec<&str> = d.rules.iter().map(|r| r.as_str()).collect();
        let tag = if rules.is_empty() { String::new() } else { format!(" [{}]", rules.join(", ")) };
        let _ = writeln!(out, "- {severity}{tag}: {}", render::diagnostic_with_location(d));
        if d.severity == Severity::Error && !expected {
            problems.push(format!("error: {}", render::diagnostic_with_location(d)));
        }
    }
    if !report.configuration.is_empty() {
        let _ = writeln!(out, "\n## Configuration expectations\n");
        for c in &report.configuration {
            let line = render::graded_configuration(c);
            let _ = writeln!(out, "{}", line.text(0));
            if !c.held() {
                problems.push(line.text(0));
            }
        }
    }

    if report.questions.is_empty() {
        problems.push("no saved questions".to_owned());
    }
    for g in &report.questions {
        let _ = writeln!(out, "\n## {}: {}\n", g.id, g.name);
        match &g.expect {
            Some(e) => {
                let rules: Vec<&str> = e.rules.iter().map(|r| r.as_str()).collect();
                let _ = writeln!(out, "Expected: {} citing {}", render::verdict(e.verdict), rules.join(", "));
            }
            None => problems.push(format!("{}: no expectation", g.id)),
        }
        if let Some(t) = &g.trace {
            let _ = write!(out, "{}", render::trace(&checked.model, t));
        }
        if !g.passed() {
            problems.push(render::graded_question(&checked.model, g).text(0));
        }
    }
    if !report.passed() {
        problems.push(render::grade_summary(&report));
    }
    (out, problems)
}

#[test]
fn every_scenario_checks_meets_its_expectations_and_reads_as_recorded() {
    let files = scenario_files();
    assert!(files.len() >= 9, "expected the example scenarios in {}", scenario_dir().display());
    let mut problems = Vec::new();
    for path in &files {
        let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
        let (snapshot, found) = check_scenario(path);
        problems.extend(found.into_iter().map(|p| format!("{name}.json: {p}")));
        insta::assert_snapshot!(name, snapshot);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
