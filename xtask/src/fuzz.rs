//! The fuzz targets in `fuzz/` (cargo-fuzz, libFuzzer): a bounded smoke run for
//! `cargo xtask test`, and `cargo xtask fuzz TARGET [SECONDS]` for a long run. Seeds are the
//! example scenarios and the importer's fixtures, read where they are; what a long run adds goes
//! to `fuzz/corpus/TARGET`, crashes to `fuzz/artifacts/TARGET` (both ignored by git). See
//! `docs/fuzzing.md`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::{env, fs};

use crate::tools::{NIGHTLY, Tools};

/// Every fuzz target, in the order the smoke run takes them.
pub const TARGETS: [&str; 4] = ["scenario", "text", "share", "import"];
/// The smoke run's time per target: about 30 seconds in all, after the build.
pub const SMOKE_SECONDS: u32 = 8;
/// A run that takes longer than this on one input is a finding (a hang).
const TIMEOUT_SECONDS: u32 = 20;

/// Where cargo-fuzz builds: `$CARGO_TARGET_DIR/fuzz` when one is set (never the main target
/// itself: other flags and another toolchain), else `fuzz/target`.
fn target_dir(root: &Path) -> PathBuf {
    match env::var_os("CARGO_TARGET_DIR").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir).join("fuzz"),
        None => root.join("fuzz/target"),
    }
}

/// `cargo fuzz` with the nightly toolchain when there is one; else with the default toolchain and
/// `RUSTC_BOOTSTRAP=1`, which lets it take the `-Z` flags cargo-fuzz passes (a machine may have
/// one toolchain only, and none can be downloaded there).
fn cargo_fuzz(tools: &Tools, root: &Path, args: &[&str]) -> Command {
    let mut c = Command::new("cargo");
    if tools.has_nightly() {
        c.arg(format!("+{NIGHTLY}"));
    } else {
        c.env("RUSTC_BOOTSTRAP", "1");
    }
    c.arg("fuzz")
        .args(args)
        .env("CARGO_TARGET_DIR", target_dir(root))
        // The stable toolchain xtask runs under must not leak into the nightly build.
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("RUSTC")
        .env_remove("RUSTDOC")
        .env_remove("CARGO")
        .current_dir(root.join("fuzz"));
    c
}

/// The corpus directories of a target: its own (written to) first, then the seeds (read only).
/// A smoke run starts from the seeds alone, in a fresh directory under the build's target, so
/// that its time does not grow with the corpus of long runs.
fn corpus(root: &Path, target: &str, smoke: bool) -> Result<Vec<PathBuf>, String> {
    let own = if smoke {
        let dir = target_dir(root).join("smoke-corpus").join(target);
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| format!("cannot empty {}: {e}", dir.display()))?;
        }
        dir
    } else {
        root.join("fuzz/corpus").join(target)
    };
    let seeds = root.join("fuzz/corpus").join(format!("{target}-seeds"));
    for dir in [&own, &seeds] {
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let write = |name: &str, bytes: &[u8]| {
        let path = seeds.join(name);
        fs::write(&path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    let mut dirs = vec![own];
    match target {
        // `Scenario` is read with `arbitrary`: a first byte n is example n, unedited.
        "scenario" => {
            for n in 0..10u8 {
                write(&format!("example-{n}"), &[n])?;
            }
            dirs.push(seeds);
        }
        "text" | "share" => dirs.push(root.join("scenarios")),
        "import" => {
            // Each fixture alone, and each CLI's fixtures together as one import.
            for cli in ["aws", "heroku"] {
                let dir = root.join("crates/spacetrace-import/tests/fixtures").join(cli);
                let mut files: Vec<PathBuf> = fs::read_dir(&dir)
                    .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "json"))
                    .collect();
                files.sort();
                let texts: Vec<String> = files.iter().filter_map(|f| fs::read_to_string(f).ok()).collect();
                write(&format!("all-{cli}"), texts.join("\u{1e}").as_bytes())?;
                dirs.push(dir);
            }
            dirs.push(seeds);
        }
        other => return Err(format!("no fuzz target \u{201c}{other}\u{201d}; the targets are {}", TARGETS.join(", "))),
    }
    Ok(dirs)
}

/// Run one target: `seconds` in all, or until stopped (`None`). Fails on a finding.
pub fn run(tools: &Tools, root: &Path, target: &str, seconds: Option<u32>, smoke: bool) -> Result<(), String> {
    let dirs = corpus(root, target, smoke)?;
    let mut c = cargo_fuzz(tools, root, &["run", "-O", target]);
    c.args(&dirs).arg("--");
    if let Some(s) = seconds {
        c.arg(format!("-max_total_time={s}"));
    }
    c.arg(format!("-timeout={TIMEOUT_SECONDS}"));
    if target == "scenario" {
        // Structure-aware inputs are edits: let them be long from the start.
        c.args(["-max_len=4096", "-len_control=0"]);
    }
    tools.run(&mut c).map_err(|e| {
        format!(
            "{e}: the fuzzer found an input that fails (saved under fuzz/artifacts/{target}/; \
             docs/fuzzing.md says how to reproduce and minimise it)"
        )
    })
}

/// The smoke run of `cargo xtask test`: build every target, then each for [`SMOKE_SECONDS`].
pub fn smoke(tools: &Tools, root: &Path) -> Result<(), String> {
    tools.run(&mut cargo_fuzz(tools, root, &["build", "-O"]))?;
    let failed: Vec<String> =
        TARGETS.iter().filter_map(|t| run(tools, root, t, Some(SMOKE_SECONDS), true).err()).collect();
    if failed.is_empty() { Ok(()) } else { Err(failed.join("\n")) }
}

/// `cargo xtask fuzz TARGET [SECONDS]`: a long run of one target (until stopped without SECONDS);
/// `cargo xtask fuzz` alone: the smoke run of `cargo xtask test`.
pub fn long(root: &Path, args: &[String]) -> Result<(), String> {
    let usage = format!("usage: cargo xtask fuzz [{} [SECONDS]]", TARGETS.join(" | "));
    let tools = Tools::new(root)?;
    let Some(target) = args.first() else {
        tools.ensure_cargo_fuzz()?;
        return smoke(&tools, root);
    };
    let seconds = match args.get(1) {
        Some(s) => Some(s.parse::<u32>().map_err(|_| usage.clone())?),
        None => None,
    };
    tools.ensure_cargo_fuzz()?;
    run(&tools, root, target, seconds, false)
}
