//! Shared by the import tests: the fixtures in `tests/fixtures/`, the real AWS files in the
//! repository's sibling `shared` folder (read in place, never copied), and importing them.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use spacetrace_import::{ImportWarning, Imported, Input, What, import};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// `../../../shared/data/aws` from this crate: `/work/shared/data/aws` beside `/work/main`.
pub fn shared_aws() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/aws")
}

/// The real AWS files' folder, or `None` with the reason printed (the test then skips).
pub fn shared_aws_or_skip(test: &str) -> Option<PathBuf> {
    let dir = shared_aws();
    if dir.join("hybrid-cloud-us-west-2").is_dir() {
        Some(dir)
    } else {
        println!(
            "{test}: skipped: the real AWS files are not at {} (the repository's sibling shared folder)",
            dir.display()
        );
        None
    }
}

/// Every `.json` file of a folder, sorted by name: `(name, text)`.
pub fn files_in(dir: &Path) -> Vec<(String, String)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

pub fn fixture(name: &str) -> (String, String) {
    let path = fixtures().join(name);
    (name.to_owned(), std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

/// Every Heroku fixture, then every AWS fixture.
pub fn all_fixtures() -> Vec<(String, String)> {
    let mut files = files_in(&fixtures().join("heroku"));
    files.extend(files_in(&fixtures().join("aws")));
    files
}

pub fn import_files(files: &[(String, String)]) -> Imported {
    let inputs: Vec<Input<'_>> = files.iter().map(|(n, t)| Input { name: n, text: t }).collect();
    match import(&inputs) {
        Ok(i) => i,
        Err(e) => panic!("import failed: {e:?}"),
    }
}

/// The warnings that match `f`.
pub fn warnings(imported: &Imported, f: impl Fn(&What) -> bool) -> Vec<&ImportWarning> {
    imported.warnings.iter().filter(|w| f(&w.what)).collect()
}
