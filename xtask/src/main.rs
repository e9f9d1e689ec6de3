//! `cargo xtask <task>`: Spacetrace's build tasks. Each task first installs what it is missing
//! (only from the package registries) and skips what is already there at the pinned version.
//!
//! Tasks:
//!   serve        serve the app at http://127.0.0.1:8080 (debug build, live reload)
//!   test         every check: fmt, clippy, native tests, wasm tests in Chromium, release build, end-to-end
//!   dist [URL]   release build into dist/, for a static host; URL is the public path (default /)
//!   setup        only install what is missing

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;
use std::{env, fs};

mod tools;

use tools::Tools;

const USAGE: &str = "usage: cargo xtask <serve | test | dist [PUBLIC_URL] | setup>";

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let root = workspace_root();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(&root),
        Some("test") => test(&root),
        Some("dist") => dist(&root, args.get(1).map(String::as_str).unwrap_or("/"), "dist"),
        Some("setup") => Tools::new(&root).and_then(|t| t.ensure_all()),
        Some(other) => Err(format!("unknown task \u{201c}{other}\u{201d}\n{USAGE}")),
        None => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    // xtask/ sits directly under the workspace root.
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
}

fn serve(root: &Path) -> Result<(), String> {
    let tools = Tools::new(root)?;
    tools.ensure_for_build()?;
    println!("\nServing Spacetrace at http://127.0.0.1:8080 (Ctrl+C stops)\n");
    tools.run(Command::new("trunk").args(["serve", "--address", "127.0.0.1", "--port", "8080"]).current_dir(root))
}

fn dist(root: &Path, public_url: &str, out: &str) -> Result<(), String> {
    let tools = Tools::new(root)?;
    tools.ensure_for_build()?;
    tools.ensure_npm()?;
    tools.run(
        Command::new("trunk").args(["build", "--release", "--public-url", public_url, "--dist", out]).current_dir(root),
    )?;
    report_sizes(&root.join(out))
}

/// A step of the test task, timed.
struct Steps {
    started: Instant,
    done: Vec<(String, f64)>,
}

/// Test counts read from the runners' own summary lines, added up over the whole task.
#[derive(Default, Clone, Copy)]
struct Tally {
    passed: u64,
    failed: u64,
    ignored: u64,
}

impl Tally {
    /// Read one line of output: cargo test's `test result: ok. 3 passed; 0 failed; 1 ignored; …`
    /// or node's TAP summary `# pass 3` / `# fail 0` / `# skipped 0`.
    fn read(&mut self, line: &str) {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("test result: ") {
            for part in rest.split(';') {
                let mut words = part.split_whitespace().rev();
                let (Some(what), Some(n)) = (words.next(), words.next()) else { continue };
                let Ok(n) = n.parse::<u64>() else { continue };
                match what {
                    "passed" => self.passed += n,
                    "failed" => self.failed += n,
                    "ignored" => self.ignored += n,
                    _ => {}
                }
            }
        } else if let Some((what, n)) = line.strip_prefix("# ").and_then(|r| r.split_once(' ')) {
            let Ok(n) = n.trim().parse::<u64>() else { return };
            match what {
                "pass" => self.passed += n,
                "fail" => self.failed += n,
                "skipped" | "todo" => self.ignored += n,
                _ => {}
            }
        }
    }
}

/// Run a test command, echoing its standard output while counting the tests it reports.
fn run_counted(tools: &Tools, cmd: &mut Command, tally: &mut Tally) -> Result<(), String> {
    let before = *tally;
    let result = tools.run_lines(cmd, |line| {
        println!("{line}");
        tally.read(line);
    });
    if result.is_ok() && tally.passed == before.passed {
        return Err("the runner reported no passing test".into());
    }
    result
}

impl Steps {
    fn run(&mut self, name: &str, f: impl FnOnce() -> Result<(), String>) -> Result<(), String> {
        println!("\n\u{25B6} {name}");
        let t = Instant::now();
        let r = f().map_err(|e| format!("{name} failed: {e}"));
        self.done.push((name.to_owned(), t.elapsed().as_secs_f64()));
        r
    }
}

fn test(root: &Path) -> Result<(), String> {
    let mut steps = Steps { started: Instant::now(), done: Vec::new() };
    let tools = Tools::new(root)?;
    steps.run("install what is missing", || tools.ensure_all())?;
    let cargo = |args: &[&str]| {
        let mut c = Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        c.args(args).current_dir(root);
        c
    };
    steps.run("rules file matches the team's shared copy", || rules_in_sync(root))?;
    steps.run("format check", || tools.run(&mut cargo(&["fmt", "--all", "--check"])))?;
    steps.run("clippy (native crates)", || {
        tools.run(&mut cargo(&[
            "clippy",
            "--workspace",
            "--exclude",
            "spacetrace-app",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    steps.run("clippy (app, wasm32)", || {
        tools.run(&mut cargo(&[
            "clippy",
            "-p",
            "spacetrace-app",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    let mut tally = Tally::default();
    steps.run("native tests", || {
        run_counted(&tools, &mut cargo(&["test", "--workspace", "--exclude", "spacetrace-app"]), &mut tally)
    })?;
    steps.run("wasm-bindgen tests in headless Chromium", || {
        let mut c = cargo(&["test", "-p", "spacetrace-app", "--target", "wasm32-unknown-unknown"]);
        c.env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner")
            .env("CHROMEDRIVER", tools::CHROMEDRIVER)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
        run_counted(&tools, &mut c, &mut tally)
    })?;
    steps.run("release build (dist/)", || dist(root, "/", "dist"))?;
    steps.run("release build under a sub-path (dist-subpath/)", || {
        dist(root, "/teaching/spacetrace/", "dist-subpath")
    })?;
    steps.run("end-to-end tests (Playwright, headless Chromium)", || {
        let mut c = Command::new("node");
        c.args(["--test", "--test-concurrency=1", "--test-reporter=tap"]).current_dir(root.join("tests/e2e"));
        run_counted(&tools, &mut c, &mut tally)
    })?;

    println!("\nAll checks passed. Wall time by step:");
    for (name, secs) in &steps.done {
        println!("  {secs:>7.1} s  {name}");
    }
    println!("  {:>7.1} s  total", steps.started.elapsed().as_secs_f64());
    println!("\ntests: {} passed, {} failed, {} skipped", tally.passed, tally.failed, tally.ignored);
    Ok(())
}

/// `docs/platform-rules.md` is the repository's copy of `../shared/docs/platform-rules.md`; the
/// engine's rule catalogue is tested against the copy. Where the shared file is present, they must match.
fn rules_in_sync(root: &Path) -> Result<(), String> {
    let ours = root.join("docs/platform-rules.md");
    let shared = root.join("../shared/docs/platform-rules.md");
    let ours_text = fs::read(&ours).map_err(|e| format!("cannot read {}: {e}", ours.display()))?;
    match fs::read(&shared) {
        Ok(text) if text == ours_text => {
            println!("  \u{2713} docs/platform-rules.md matches ../shared/docs/platform-rules.md");
            Ok(())
        }
        Ok(_) => Err("docs/platform-rules.md differs from ../shared/docs/platform-rules.md: copy the shared file over and update the engine's rule catalogue".into()),
        Err(_) => {
            println!("  (no ../shared/docs/platform-rules.md beside this clone; the engine is tested against docs/platform-rules.md)");
            Ok(())
        }
    }
}

/// Print the sizes of the built wasm, js and css, raw and gzipped (gzip -9 through the system gzip).
fn report_sizes(dist: &Path) -> Result<(), String> {
    let entries = fs::read_dir(dist).map_err(|e| format!("cannot read {}: {e}", dist.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("wasm" | "js" | "css")))
        .collect();
    files.sort();
    println!("Release build sizes in {}:", dist.display());
    for f in files {
        let raw = fs::metadata(&f).map(|m| m.len()).unwrap_or(0);
        let gz = Command::new("gzip")
            .args(["-9", "-c"])
            .arg(&f)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| o.stdout.len().to_string())
            .unwrap_or_else(|| "?".into());
        let name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        println!("  {name:<48} {raw:>9} B raw  {gz:>8} B gzip -9");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Tally;

    #[test]
    fn tally_reads_cargo_and_node_summaries() {
        let mut t = Tally::default();
        for line in [
            "test result: ok. 9 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s",
            "test result: FAILED. 2 passed; 3 failed; 0 ignored; 0 measured; 0 filtered out",
            "# tests 2",
            "# pass 2",
            "# fail 1",
            "# skipped 4",
            "test cidr::tests::passed ... ok",
        ] {
            t.read(line);
        }
        assert_eq!((t.passed, t.failed, t.ignored), (13, 4, 5));
    }
}
