//! Time importing a generated account (`spacetrace_import::sample::account`) natively and print
//! one line, `import 2,000 objects: N ms (native)`, which `cargo xtask bench` shows:
//! `cargo run -q --release -p spacetrace-import --example bench_import -- 2000`.
//!
//! The time covers what the app and the CLI call: parsing each file's JSON text, recognising it,
//! reading and merging into one document. Generating the files is not timed. The median of 21
//! runs is printed. The same import in WebAssembly is timed by `crates/spacetrace-bench-wasm`
//! (`import_2000`).

use std::time::Instant;

use spacetrace_import::{Input, import, sample};

fn main() {
    let objects = std::env::args().nth(1).and_then(|a| a.parse::<usize>().ok()).unwrap_or(2_000);
    let files = sample::account(objects);
    let inputs: Vec<Input<'_>> = files.iter().map(|(n, t)| Input { name: n, text: t }).collect();
    let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
    let mut times: Vec<f64> = (0..21)
        .map(|_| {
            let start = Instant::now();
            let imported = import(&inputs);
            let elapsed = start.elapsed().as_secs_f64() * 1e3;
            std::hint::black_box(imported.map(|i| i.document.vpcs.len()).unwrap_or_default());
            elapsed
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    println!("import {} objects: {median:.1} ms (native)", thousands(objects));
    println!(
        "  {} files, {:.1} MiB of JSON; median of {} runs, fastest {:.1} ms",
        files.len(),
        bytes as f64 / (1024.0 * 1024.0),
        times.len(),
        times[0]
    );
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
