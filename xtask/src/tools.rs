//! Installing what is missing, at pinned versions, from the package registries only
//! (crates.io through `cargo install`, Debian through `apt-get`, npm through `npm ci`).
//! Whatever is present at the right version is skipped, so a warm run starts in seconds.

use std::ffi::OsString;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::{env, fs};

pub const TRUNK_VERSION: &str = "0.21.14";
pub const WASM_OPT_VERSION: &str = "132";
pub const CARGO_FUZZ_VERSION: &str = "0.13.2";
/// The toolchain cargo-fuzz prefers (libFuzzer's sanitizer flags are nightly-only; without it,
/// the default toolchain with `RUSTC_BOOTSTRAP=1`).
pub const NIGHTLY: &str = "nightly";
/// Debian's Chromium and ChromeDriver; `CHROMIUM` and `CHROMEDRIVER` override them everywhere
/// (the wasm tests, the end-to-end tests, the benchmarks).
const DEFAULT_CHROMIUM: &str = "/usr/bin/chromium";
const DEFAULT_CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The Chromium the tests drive: `CHROMIUM`, or Debian's.
pub fn chromium() -> PathBuf {
    env::var_os("CHROMIUM").filter(|v| !v.is_empty()).map(PathBuf::from).unwrap_or_else(|| DEFAULT_CHROMIUM.into())
}

/// The ChromeDriver the wasm tests use: `CHROMEDRIVER`, or Debian's.
pub fn chromedriver() -> PathBuf {
    env::var_os("CHROMEDRIVER")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| DEFAULT_CHROMEDRIVER.into())
}
const WASM_TARGET: &str = "wasm32-unknown-unknown";

pub struct Tools {
    root: PathBuf,
    path: OsString,
}

impl Tools {
    pub fn new(root: &Path) -> Result<Self, String> {
        let cargo_home = env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
            .unwrap_or_else(|| PathBuf::from(".cargo"));
        // npm's binaryen (wasm-opt) first, then cargo-installed tools, then the rest.
        let mut dirs = vec![root.join("tests/e2e/node_modules/.bin"), cargo_home.join("bin")];
        dirs.extend(env::split_paths(&env::var_os("PATH").unwrap_or_default()));
        let path = env::join_paths(dirs).map_err(|e| format!("cannot build PATH: {e}"))?;
        Ok(Self { root: root.to_path_buf(), path })
    }

    /// Run a command with the tools on PATH; fail with the command line if it fails.
    pub fn run(&self, cmd: &mut Command) -> Result<(), String> {
        let shown = format!("{cmd:?}");
        let status = cmd
            .env("PATH", &self.path)
            .env("TRUNK_SKIP_VERSION_CHECK", "true")
            .status()
            .map_err(|e| format!("could not start {shown}: {e}"))?;
        if status.success() { Ok(()) } else { Err(format!("{shown} exited with {status}")) }
    }

    /// Like [`Tools::run`], handing each line of standard output to `each` as it comes.
    pub fn run_lines(&self, cmd: &mut Command, mut each: impl FnMut(&str)) -> Result<(), String> {
        let shown = format!("{cmd:?}");
        let mut child = cmd
            .env("PATH", &self.path)
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("could not start {shown}: {e}"))?;
        if let Some(out) = child.stdout.take() {
            for line in BufReader::new(out).lines() {
                match line {
                    Ok(line) => each(&line),
                    Err(e) => return Err(format!("reading the output of {shown}: {e}")),
                }
            }
        }
        let status = child.wait().map_err(|e| format!("waiting for {shown}: {e}"))?;
        if status.success() { Ok(()) } else { Err(format!("{shown} exited with {status}")) }
    }

    /// Standard output of a command, trimmed, if it ran and succeeded.
    fn output(&self, program: &str, args: &[&str]) -> Option<String> {
        let out = Command::new(program).args(args).env("PATH", &self.path).output().ok()?;
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
    }

    /// What `trunk build` and `trunk serve` need.
    pub fn ensure_for_build(&self) -> Result<(), String> {
        self.ensure_wasm_target()?;
        self.ensure_trunk()?;
        self.ensure_wasm_bindgen()
    }

    /// Everything the test task needs.
    pub fn ensure_all(&self) -> Result<(), String> {
        self.ensure_for_build()?;
        self.ensure_chromium()?;
        self.ensure_npm()
    }

    /// The Rust target the app and its tests compile for.
    pub fn ensure_wasm_target(&self) -> Result<(), String> {
        let installed = self.output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
        if installed.lines().any(|l| l.trim() == WASM_TARGET) {
            return skip(&format!("Rust target {WASM_TARGET}"));
        }
        self.run(Command::new("rustup").args(["target", "add", WASM_TARGET])).map_err(|e| {
            way_out(
                &format!("the Rust target {WASM_TARGET}"),
                &format!("rustup target add {WASM_TARGET}"),
                &e,
                "install rustup (https://rustup.rs) or add the target with your Rust installation's own tool",
            )
        })
    }

    /// Trunk, which builds and serves the app.
    pub fn ensure_trunk(&self) -> Result<(), String> {
        let want = format!("trunk {TRUNK_VERSION}");
        if self.output("trunk", &["--version"]).as_deref() == Some(want.as_str()) {
            return skip(&want);
        }
        println!("Installing {want} from crates.io (about 9 minutes on 2 cores)\u{2026}");
        let cmd = format!("cargo install --locked trunk --version {TRUNK_VERSION}");
        self.run(Command::new("cargo").args(["install", "--locked", "trunk", "--version", TRUNK_VERSION]))
            .map_err(|e| way_out(&want, &cmd, &e, &format!("run `{cmd}` yourself to see why, or put {want} on PATH")))
    }

    /// wasm-bindgen-cli at Cargo.lock's version (Trunk's and the wasm tests' runner).
    pub fn ensure_wasm_bindgen(&self) -> Result<(), String> {
        let version = self.locked_wasm_bindgen()?;
        self.check_trunk_toml_pin(&version)?;
        let want = format!("wasm-bindgen {version}");
        let have = self.output("wasm-bindgen", &["--version"]);
        let have_runner = self.output("wasm-bindgen-test-runner", &["--version"]);
        let runner_ok = have_runner.as_deref().is_some_and(|v| v.ends_with(&version));
        if have.as_deref() == Some(want.as_str()) && runner_ok {
            return skip(&format!("wasm-bindgen-cli {version}"));
        }
        println!(
            "Installing wasm-bindgen-cli {version} (Cargo.lock's wasm-bindgen) from crates.io (about 3 minutes)\u{2026}"
        );
        // Not --locked: the CLI's own lock file wants a webpki-roots version the registry lacks.
        let cmd = format!("cargo install wasm-bindgen-cli --version ={version}");
        self.run(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &format!("={version}")]))
            .map_err(|e| {
                way_out(
                    &format!("wasm-bindgen-cli {version}"),
                    &cmd,
                    &e,
                    &format!("run `{cmd}` yourself to see why, or put wasm-bindgen and wasm-bindgen-test-runner {version} on PATH"),
                )
            })
    }

    /// The wasm-bindgen version Cargo.lock resolved.
    fn locked_wasm_bindgen(&self) -> Result<String, String> {
        let lock =
            fs::read_to_string(self.root.join("Cargo.lock")).map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
        lock.split("[[package]]")
            .find(|block| block.lines().any(|l| l.trim() == "name = \"wasm-bindgen\""))
            .and_then(|block| {
                block.lines().find_map(|l| l.trim().strip_prefix("version = \"")?.strip_suffix('"').map(str::to_owned))
            })
            .ok_or_else(|| "Cargo.lock has no wasm-bindgen package".to_owned())
    }

    fn check_trunk_toml_pin(&self, version: &str) -> Result<(), String> {
        let trunk =
            fs::read_to_string(self.root.join("Trunk.toml")).map_err(|e| format!("cannot read Trunk.toml: {e}"))?;
        let pinned = trunk
            .lines()
            .find_map(|l| l.trim().strip_prefix("wasm_bindgen = \"")?.strip_suffix('"').map(str::to_owned));
        match pinned {
            Some(p) if p == version => Ok(()),
            Some(p) => Err(format!(
                "Trunk.toml pins wasm-bindgen {p} but Cargo.lock has {version}: set `wasm_bindgen = \"{version}\"` under [tools] in Trunk.toml"
            )),
            None => Err(format!(
                "Trunk.toml must pin `wasm_bindgen = \"{version}\"` under [tools], or Trunk would try to download it"
            )),
        }
    }

    /// Chromium and its ChromeDriver, the same version: `CHROMIUM` and `CHROMEDRIVER` if set
    /// (then nothing is installed), else Debian's, installed with apt-get when missing.
    pub fn ensure_chromium(&self) -> Result<(), String> {
        let (browser, driver) = (chromium(), chromedriver());
        let chosen = env::var_os("CHROMIUM").is_some_and(|v| !v.is_empty())
            || env::var_os("CHROMEDRIVER").is_some_and(|v| !v.is_empty());
        let missing = |p: &Path| !p.exists();
        if chosen && (missing(&browser) || missing(&driver)) {
            return Err(format!(
                "CHROMIUM / CHROMEDRIVER name {} and {}, and {} missing. Way out: point them at a \
                 Chromium and its matching ChromeDriver, or unset them to use Debian's.",
                browser.display(),
                driver.display(),
                if missing(&browser) && missing(&driver) { "both are" } else { "one is" }
            ));
        }
        if missing(&browser) || missing(&driver) {
            println!("Installing Debian's chromium and chromium-driver (about a minute)\u{2026}");
            let is_root = self.output("id", &["-u"]).as_deref() == Some("0");
            let apt = |args: &[&str]| {
                let mut c = if is_root {
                    Command::new("apt-get")
                } else {
                    let mut s = Command::new("sudo");
                    s.args(["-n", "apt-get"]);
                    s
                };
                c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
                c
            };
            let cmd = format!("{}apt-get install chromium chromium-driver", if is_root { "" } else { "sudo " });
            self.run(&mut apt(&["update"]))
                .and_then(|()| {
                    self.run(&mut apt(&["install", "-y", "--no-install-recommends", "chromium", "chromium-driver"]))
                })
                .map_err(|e| {
                    way_out(
                        "Chromium and ChromeDriver (for the browser tests)",
                        &cmd,
                        &e,
                        "install them yourself, or set CHROMIUM and CHROMEDRIVER to a Chromium and its matching ChromeDriver",
                    )
                })?;
        }
        // chromium prints "Chromium 156.0.8078.79 built on Debian…", chromedriver "ChromeDriver 156.0.8078.79 (…)".
        let version = |program: &Path| {
            self.output(&program.to_string_lossy(), &["--version"])
                .and_then(|v| v.split_whitespace().nth(1).map(str::to_owned))
        };
        match (version(&browser), version(&driver)) {
            (Some(a), Some(b)) if a == b => skip(&format!("Chromium and ChromeDriver {a}")),
            (a, b) => Err(format!(
                "Chromium ({}, {}) and ChromeDriver ({}, {}) must be the same version. Way out: \
                 apt-get install --only-upgrade chromium chromium-driver, or set CHROMIUM and CHROMEDRIVER",
                browser.display(),
                a.unwrap_or_else(|| "not working".into()),
                driver.display(),
                b.unwrap_or_else(|| "not working".into())
            )),
        }
    }

    /// A capabilities file for wasm-bindgen-test-runner naming the Chromium to drive (it reads
    /// the path in `WASM_BINDGEN_TEST_WEBDRIVER_JSON`), under `target/`.
    pub fn webdriver_json(&self) -> Result<PathBuf, String> {
        let path = self.root.join("target/webdriver.json");
        let text =
            format!("{{\"goog:chromeOptions\": {{\"binary\": {}}}}}\n", json_string(&chromium().to_string_lossy()));
        fs::create_dir_all(self.root.join("target")).map_err(|e| format!("cannot create target/: {e}"))?;
        fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        Ok(path)
    }

    /// `npm ci` in tests/e2e (playwright-core and binaryen's wasm-opt), unless already done for this lock file.
    pub fn ensure_npm(&self) -> Result<(), String> {
        let dir = self.root.join("tests/e2e");
        let lock = fs::read(dir.join("package-lock.json"))
            .map_err(|e| format!("cannot read tests/e2e/package-lock.json: {e}"))?;
        let stamp = dir.join("node_modules/.spacetrace-installed-lock");
        if fs::read(&stamp).ok().as_deref() == Some(lock.as_slice()) {
            skip("npm packages in tests/e2e")?;
        } else {
            println!("Installing npm packages in tests/e2e (npm ci)\u{2026}");
            self.run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&dir)).map_err(|e| {
                way_out(
                    "the npm packages of tests/e2e (playwright-core, and binaryen's wasm-opt for release builds)",
                    "npm ci (in tests/e2e)",
                    &e,
                    "install Node.js 20 or later with npm, then run `npm ci` in tests/e2e",
                )
            })?;
            fs::write(&stamp, &lock).map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
        }
        let wasm_opt = self.output("wasm-opt", &["--version"]).unwrap_or_default();
        if wasm_opt.contains(&format!("version {WASM_OPT_VERSION}")) {
            Ok(())
        } else {
            Err(format!(
                "the wasm-opt on PATH says \u{201c}{wasm_opt}\u{201d}; expected binaryen {WASM_OPT_VERSION} from tests/e2e/node_modules (never Debian's binaryen)"
            ))
        }
    }
}

impl Tools {
    /// Whether the nightly toolchain is installed (it is never downloaded here: a toolchain comes
    /// from rustup's own site, not a package registry).
    pub fn has_nightly(&self) -> bool {
        self.output("rustup", &["run", NIGHTLY, "rustc", "--version"]).is_some()
    }

    /// cargo-fuzz at its pinned version (from crates.io). It builds with the nightly toolchain
    /// when there is one, else with the default one and `RUSTC_BOOTSTRAP=1` (see `fuzz.rs`).
    pub fn ensure_cargo_fuzz(&self) -> Result<(), String> {
        if self.has_nightly() {
            skip("nightly Rust, for the fuzz targets")?;
        } else {
            println!(
                "  nightly Rust is not installed: the fuzz targets build with the default toolchain and \
                 RUSTC_BOOTSTRAP=1 (for libFuzzer's sanitizer flags)"
            );
        }
        let want = format!("cargo-fuzz {CARGO_FUZZ_VERSION}");
        if self.output("cargo", &["fuzz", "--version"]).as_deref() == Some(want.as_str()) {
            return skip(&want);
        }
        println!("Installing {want} from crates.io (about 3 minutes on 2 cores)\u{2026}");
        let cmd = format!("cargo install --locked cargo-fuzz --version {CARGO_FUZZ_VERSION}");
        self.run(Command::new("cargo").args(["install", "--locked", "cargo-fuzz", "--version", CARGO_FUZZ_VERSION]))
            .map_err(|e| way_out(&want, &cmd, &e, &format!("run `{cmd}` yourself to see why, or put {want} on PATH")))
    }
}

/// A failed install, said so that a person knows what is missing, what was tried, and what to do.
fn way_out(what: &str, command: &str, error: &str, instead: &str) -> String {
    format!("could not install {what}: `{command}` failed ({error}). Way out: {instead}.")
}

/// `s` as a JSON string literal.
fn json_string(s: &str) -> String {
    let mut out = String::from('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn skip(what: &str) -> Result<(), String> {
    println!("  \u{2713} {what}: present");
    Ok(())
}
