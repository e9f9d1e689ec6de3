//! Print a generated scenario of about N endpoints as JSON (the benchmarks' networks):
//! `cargo run -q -p spacetrace-engine --example synth -- 100 > net.json`.

fn main() {
    let n = std::env::args().nth(1).and_then(|a| a.parse::<usize>().ok()).unwrap_or(100);
    let doc = spacetrace_engine::synth::scenario(n);
    match serde_json::to_string_pretty(&doc) {
        Ok(text) => println!("{text}"),
        Err(e) => {
            eprintln!("synth: {e}");
            std::process::exit(1);
        }
    }
}
