//! `spacetrace import` run as a user would: the fixtures of `spacetrace-import` imported into a
//! scenario, then `check`, `ask` and `matrix` on the result.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn spacetrace(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_spacetrace")).args(args).output().expect("the spacetrace binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("output is UTF-8")
}

fn fixtures() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spacetrace-import/tests/fixtures");
    let mut files: Vec<PathBuf> = ["heroku", "aws"]
        .iter()
        .flat_map(|d| std::fs::read_dir(root.join(d)).unwrap().map(|e| e.unwrap().path()))
        .collect();
    files.sort();
    files.iter().map(|p| p.to_string_lossy().into_owned()).collect()
}

/// The fixtures imported into a scenario file, removed when dropped.
struct Imported {
    path: PathBuf,
    stderr: String,
}

impl Imported {
    fn new(name: &str) -> Self {
        let files = fixtures();
        let mut args = vec!["import"];
        args.extend(files.iter().map(String::as_str));
        let o = spacetrace(&args);
        let stderr = text(&o.stderr);
        assert_eq!(o.status.code(), Some(0), "{stderr}");
        let path = std::env::temp_dir().join(format!("spacetrace-import-{}-{name}.json", std::process::id()));
        std::fs::write(&path, &o.stdout).unwrap();
        Self { path, stderr }
    }

    fn path(&self) -> &str {
        self.path.to_str().unwrap()
    }
}

impl Drop for Imported {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[test]
fn import_writes_a_scenario_and_warns_on_standard_error() {
    let imported = Imported::new("warns");
    let scenario = std::fs::read_to_string(&imported.path).unwrap();
    let v: serde_json::Value = serde_json::from_str(&scenario).expect("JSON on standard output");
    assert_eq!(v["version"], 2);
    assert_eq!(v["spaces"][0]["name"], "acme-prod");
    for secret in ["fixture-psk", "fixture-aws"] {
        assert!(!scenario.contains(secret), "a secret was written");
    }
    let err = &imported.stderr;
    assert!(err.lines().all(|l| l.starts_with("warning: ") || l.starts_with("spacetrace import: ")), "{err}");
    assert!(
        err.contains("route-tables.json\u{201d}, RouteTables[0].Routes[4]: The route to 172.16.0.0/12 goes to"),
        "{err}"
    );
    assert!(err.contains("pre-shared key"), "{err}");
    assert!(err.lines().last().unwrap().starts_with("spacetrace import: 22 files: 1 space, 2 apps, 3 VPCs"), "{err}");
}

#[test]
fn check_ask_and_matrix_work_on_the_imported_scenario() {
    let imported = Imported::new("answers");
    let o = spacetrace(&["check", imported.path()]);
    let out = text(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}{}", text(&o.stderr));
    assert!(out.contains("Diagnostics: 0 errors, 0 warnings"), "{out}");

    let ask = |to: &str, port: &str| {
        spacetrace(&["ask", imported.path(), "--from", "acme-api/worker", "--to", to, "--port", port])
    };
    let o = ask("host:warehouse-db", "5432");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    assert!(text(&o.stdout).contains("pcx-0a1b2c3d4e5f60718 is active"), "{}", text(&o.stdout));
    let o = ask("host:warehouse-db", "22");
    assert_eq!(o.status.code(), Some(3));
    assert!(text(&o.stdout).contains("Blocked by PEER-SECURITY-GROUP"), "{}", text(&o.stdout));
    let o = ask("host:orders-db", "5432");
    assert_eq!(o.status.code(), Some(3));
    assert!(text(&o.stdout).contains("Blocked by PEER-ROUTE"), "{}", text(&o.stdout));

    let o = spacetrace(&["matrix", imported.path(), "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let m: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let services: Vec<&str> = m["services"].as_array().unwrap().iter().filter_map(|s| s["ref"].as_str()).collect();
    // Hosts keep their AWS IDs (ask finds them by name too).
    assert!(services.contains(&"host:i-0a1a1a1a1a1a1a1a1"), "{services:?}");
    assert!(m["cells"].as_array().is_some_and(|c| !c.is_empty()));
}

#[test]
fn a_file_it_does_not_read_exits_two_and_says_what_it_looks_like() {
    let notes = std::env::temp_dir().join(format!("spacetrace-import-{}-notes.json", std::process::id()));
    std::fs::write(&notes, br#"[{"owner": "ops"}]"#).unwrap();
    let space = fixtures().into_iter().find(|f| f.ends_with("spaces-info.json")).unwrap();
    let o = spacetrace(&["import", &space, notes.to_str().unwrap()]);
    let _ = std::fs::remove_file(&notes);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    let err = text(&o.stderr);
    assert!(err.starts_with("spacetrace import: \u{201c}"), "{err}");
    assert!(err.contains("notes.json\u{201d}: It is not an output Spacetrace imports: it is a list of 1 item, the first a JSON object with the key \u{201c}owner\u{201d}."), "{err}");
}
