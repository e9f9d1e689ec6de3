//! The built `spacetrace` binary, run as a user would run it.

use std::process::{Command, Output};

const DEFAULT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/default.json");

fn spacetrace(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_spacetrace")).args(args).output().expect("the spacetrace binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("output is UTF-8")
}

#[test]
fn check_passes_the_default_scenario() {
    let o = spacetrace(&["check", DEFAULT]);
    let out = text(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}{}", text(&o.stderr));
    assert!(out.contains("Diagnostics: 0 errors, 0 warnings"), "{out}");
    assert!(out.contains("\u{2714} q-warehouse"), "{out}");
    assert!(out.contains("\u{2714} PASS"), "{out}");
    assert!(o.stderr.is_empty());
}

#[test]
fn ask_a_blocked_question_exits_three() {
    let o = spacetrace(&["ask", DEFAULT, "--from", "api/worker", "--to", "host:warehouse", "--port", "5432"]);
    let out = text(&o.stdout);
    assert_eq!(o.status.code(), Some(3), "{out}{}", text(&o.stderr));
    assert!(
        out.starts_with("From worker.1 of acme-api to warehouse-db (10.100.1.5), TCP 5432\n\u{2716} BLOCKED\n"),
        "{out}"
    );
    assert!(out.contains("Blocked by PEER-ROUTE"), "{out}");
    assert!(!out.ends_with("\n\n"), "one trailing newline: {out:?}");
}

#[test]
fn ask_json_parses_and_bad_usage_exits_two() {
    let o = spacetrace(&["ask", DEFAULT, "--from", "api/worker", "--to", "host:warehouse", "--port", "5432", "--json"]);
    assert_eq!(o.status.code(), Some(3));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON on standard output");
    assert_eq!(v["verdict"], "blocked");

    let o = spacetrace(&["ask", DEFAULT, "--from", "host:nope", "--to", "localhost", "--port", "1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert!(text(&o.stderr).contains("valid VPC hosts: warehouse (warehouse-db)"));
}

#[test]
fn a_dash_reads_the_scenario_from_standard_input() {
    use std::io::Write as _;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_spacetrace"))
        .args(["matrix", "-", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the spacetrace binary runs");
    let scenario = std::fs::read(DEFAULT).expect("the default scenario is readable");
    child.stdin.take().expect("stdin is piped").write_all(&scenario).expect("the scenario is written");
    let o = child.wait_with_output().expect("spacetrace finishes");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON on standard output");
    assert!(v["cells"].as_array().is_some_and(|rows| !rows.is_empty()));
}

#[test]
fn a_missing_file_is_one_message_and_exit_two() {
    let o = spacetrace(&["check", "/nonexistent/lab.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert_eq!(text(&o.stderr), "spacetrace check: cannot read \u{201c}/nonexistent/lab.json\u{201d}: no such file\n");
}
