//! Import files and print the scenario (standard output) and the warnings (standard error):
//! `cargo run -q -p spacetrace-import --example import -- FILE…`. The command-line tool's
//! `spacetrace import` does the same with exit codes; this is for working on the importer.

fn main() {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    let texts: Vec<(String, String)> =
        paths.iter().map(|p| (p.clone(), std::fs::read_to_string(p).unwrap_or_default())).collect();
    let inputs: Vec<spacetrace_import::Input<'_>> =
        texts.iter().map(|(n, t)| spacetrace_import::Input { name: n, text: t }).collect();
    match spacetrace_import::import(&inputs) {
        Ok(imported) => {
            for w in &imported.warnings {
                eprintln!("warning: {}", spacetrace_import::render::warning(w));
            }
            eprintln!("{}", spacetrace_import::render::summary(&imported.document));
            println!("{}", serde_json::to_string_pretty(&imported.document).unwrap_or_default());
        }
        Err(e) => {
            for p in &e.problems {
                eprintln!("error: {}", spacetrace_import::render::file_problem(p));
            }
            std::process::exit(2);
        }
    }
}
