//! Invariant: the engine (and the command-line tool, the canvas geometry and the edits over it) depend on nothing web-specific, on
//! any target. They must build and test natively and for wasm32 without a browser.

use std::process::Command;

const FORBIDDEN: &[&str] =
    &["leptos", "web-sys", "js-sys", "wasm-bindgen", "gloo", "tachys", "reactive_graph", "trunk"];

fn dependencies(package: &str) -> Vec<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "tree",
            "--package",
            package,
            "--target",
            "all",
            "--edges",
            "normal,build",
            "--prefix",
            "none",
            "--format",
            "{p}",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(out.status.success(), "cargo tree failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .collect()
}

fn assert_no_web(package: &str) {
    let deps = dependencies(package);
    assert!(deps.iter().any(|d| d == "ipnet"), "cargo tree output looks wrong for {package}: {deps:?}");
    let web: Vec<&String> = deps.iter().filter(|d| FORBIDDEN.iter().any(|f| d.starts_with(f))).collect();
    assert!(web.is_empty(), "{package} must not depend on web crates, but depends on {web:?}");
}

#[test]
fn engine_has_no_web_dependency() {
    assert_no_web("spacetrace-engine");
}

#[test]
fn cli_has_no_web_dependency() {
    assert_no_web("spacetrace-cli");
}

#[test]
fn canvas_geometry_has_no_web_dependency() {
    assert_no_web("spacetrace-canvas");
}

#[test]
fn importer_has_no_web_dependency() {
    assert_no_web("spacetrace-import");
}

#[test]
fn edits_have_no_web_dependency() {
    assert_no_web("spacetrace-edit");
}
