//! Invariant: the engine (and the command-line tool, the canvas geometry, the importer, the edits,
//! the files and the charts over it) depend on nothing web-specific, on any target. They must
//! build and test natively and for wasm32 without a browser. The one exception is plotters (the
//! charts' SVG backend), which itself depends on wasm-bindgen and web-sys when built for wasm32:
//! the charts crate is checked without it on every target, and with it natively.

use std::process::Command;

const FORBIDDEN: &[&str] =
    &["leptos", "web-sys", "js-sys", "wasm-bindgen", "gloo", "tachys", "reactive_graph", "trunk"];

/// The package's normal and build dependencies for `target` (`all`, or the host when `None`),
/// leaving out `prune` and what only it brings.
fn dependencies_for(package: &str, target: Option<&str>, prune: Option<&str>) -> Vec<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command.args(["tree", "--package", package, "--edges", "normal,build", "--prefix", "none", "--format", "{p}"]);
    if let Some(target) = target {
        command.args(["--target", target]);
    }
    if let Some(prune) = prune {
        command.args(["--prune", prune]);
    }
    let out = command.current_dir(env!("CARGO_MANIFEST_DIR")).output().expect("cargo tree runs");
    assert!(out.status.success(), "cargo tree failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .collect()
}

fn assert_no_web(package: &str) {
    assert_no_web_in(package, dependencies_for(package, Some("all"), None));
}

fn assert_no_web_in(package: &str, deps: Vec<String>) {
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

#[test]
fn files_have_no_web_dependency() {
    assert_no_web("spacetrace-files");
}

#[test]
fn charts_have_no_web_dependency_but_plotters_own_on_wasm32() {
    assert_no_web_in("spacetrace-charts", dependencies_for("spacetrace-charts", Some("all"), Some("plotters")));
    assert_no_web_in("spacetrace-charts", dependencies_for("spacetrace-charts", None, None));
    // The pruned tree still holds the crate's own dependencies, and the host tree holds plotters.
    assert!(dependencies_for("spacetrace-charts", None, None).iter().any(|d| d == "plotters"));
}
