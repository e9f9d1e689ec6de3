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
    // A blocked answer carries its plan: every blocker, the fixes that connect it, the outcome.
    assert_eq!(v["plan"]["outcome"]["kind"], "connects");
    assert_eq!(v["plan"]["blockers"][0]["step"]["rule"], "PEER-ROUTE");
    assert_eq!(v["plan"]["fixes"][0]["fix"]["kind"], "add_route");
    let o = spacetrace(&[
        "ask",
        DEFAULT,
        "--from",
        "client:office-wifi",
        "--to",
        "hostname:api",
        "--port",
        "443",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON on standard output");
    assert_eq!(v["verdict"], "connected");
    assert!(v.get("plan").is_none(), "a connected answer has no plan");

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

/// A file in the temporary directory, unique to this process and test; removed when dropped.
struct TempFile(std::path::PathBuf);

impl TempFile {
    fn new(name: &str, bytes: &[u8]) -> Self {
        let path = std::env::temp_dir().join(format!("spacetrace-cli-test-{}-{name}", std::process::id()));
        std::fs::write(&path, bytes).expect("the temporary file is written");
        Self(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().expect("a UTF-8 temporary path")
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The default scenario with the route its worker → warehouse trace suggests.
fn default_with_route(name: &str) -> TempFile {
    let mut v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(DEFAULT).expect("the default scenario is readable")).expect("JSON");
    let routes = v["vpcs"][0]["route_tables"][0]["routes"].as_array_mut().expect("a route table");
    routes.push(serde_json::json!({ "destination": "10.0.0.0/16", "target": "pcx-111aaa111" }));
    TempFile::new(name, serde_json::to_string_pretty(&v).expect("JSON").as_bytes())
}

#[test]
fn matrix_csv_is_one_record_per_source_with_crlf() {
    let o = spacetrace(&["matrix", DEFAULT, "--csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    let records: Vec<&str> = out.split_terminator("\r\n").collect();
    assert!(!out.replace("\r\n", "").contains('\n'), "every record ends with CRLF");
    assert!(records[0].starts_with("source,hostname:api tcp/443,"), "{out}");
    let columns = records[0].split(',').count();
    assert!(records.iter().all(|r| r.split(',').count() == columns), "{out}");
    assert!(records.iter().any(|r| r.starts_with("api/worker,") && r.contains(",blocked:PEER-ROUTE,")), "{out}");
    let o = spacetrace(&["matrix", DEFAULT, "--csv", "--json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert!(text(&o.stderr).contains("choose one of --json, --list and --csv"));
}

#[test]
fn diff_of_a_scenario_with_itself_exits_zero() {
    let o = spacetrace(&["diff", DEFAULT, DEFAULT]);
    let out = text(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}{}", text(&o.stderr));
    assert!(out.contains("No pair changed."), "{out}");
    assert!(out.ends_with("Summary: 0 opened, 0 closed, 0 changed, 0 added, 0 removed\n"), "{out}");
}

#[test]
fn diff_lists_opened_pairs_and_exits_one() {
    let after = default_with_route("route.json");
    let o = spacetrace(&["diff", DEFAULT, after.path()]);
    let out = text(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}{}", text(&o.stderr));
    assert!(out.contains("\nopened   api/worker \u{2192} host:warehouse (TCP 5432)\n    before  blocked by PEER-ROUTE\n    after   connected\n    first difference: hop 3, step 1\n"), "{out}");
    assert!(out.contains("\nSummary: 7 opened, 0 closed, 0 changed, 0 added, 0 removed\n"), "{out}");

    // Reversed, the same pairs close.
    let o = spacetrace(&["diff", after.path(), DEFAULT, "--json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON on standard output");
    assert_eq!(v["summary"], serde_json::json!({ "opened": 0, "closed": 7, "changed": 0, "added": 0, "removed": 0 }));
    assert!(v["changes"].as_array().is_some_and(|c| c.iter().all(|c| c["change"] == "closed")));
}

#[test]
fn diff_with_an_unreadable_file_is_one_message_and_exit_two() {
    let o = spacetrace(&["diff", DEFAULT, "/nonexistent/after.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert_eq!(text(&o.stderr), "spacetrace diff: cannot read \u{201c}/nonexistent/after.json\u{201d}: no such file\n");
    let bad = TempFile::new("not-json.json", b"{ nope");
    let o = spacetrace(&["diff", bad.path(), DEFAULT]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert!(text(&o.stderr).contains("This is not a Spacetrace scenario"), "{}", text(&o.stderr));
}

/// A scenario of `apps` Common Runtime apps, one web process each, written to a temporary file.
/// Each app is a source and two services (its hostname and its web port), so 2,050 apps make
/// 2,050 × 4,100 pairs: more than a matrix holds (`MAX_CELLS`, 8,388,608).
fn many_apps(name: &str, apps: usize) -> std::path::PathBuf {
    let apps: Vec<serde_json::Value> = (0..apps)
        .map(|i| serde_json::json!({ "id": format!("app-{i}"), "process_types": [{ "name": "web", "dynos": 1 }] }))
        .collect();
    let doc = serde_json::json!({ "version": 1, "name": "Many apps", "common_runtime_apps": apps });
    let path = std::env::temp_dir().join(format!("spacetrace-cli-{}-{name}", std::process::id()));
    std::fs::write(&path, doc.to_string()).expect("the temporary scenario is written");
    path
}

#[test]
fn diff_names_the_sides_whose_matrices_are_cut() {
    let big = many_apps("many-apps.json", 2050);
    let path = big.to_str().unwrap();
    let o = spacetrace(&["diff", path, path]);
    let out = text(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}{}", text(&o.stderr));
    for side in ["before", "after"] {
        let note = format!(
            "\nThe {side} matrix is cut to the first 2,046 of 2,050 sources (a matrix holds at most 8,388,608 pairs): "
        );
        assert!(out.contains(&note), "{out}");
    }
    assert!(
        out.ends_with("\nNo pair changed.\n\nSummary: 0 opened, 0 closed, 0 changed, 0 added, 0 removed\n"),
        "{out}"
    );

    let o = spacetrace(&["diff", path, path, "--json"]);
    let _ = std::fs::remove_file(&big);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON on standard output");
    for side in ["before", "after"] {
        assert_eq!(v[side]["complete"], false);
        assert_eq!(v[side]["sources_total"], 2050);
    }
    assert_eq!(v["changes"].as_array().map(Vec::len), Some(0));
}
