fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| "scenarios/default.json".into());
    let text = std::fs::read_to_string(&path).unwrap();
    let checked = spacetrace_engine::check_text(&text);
    for d in &checked.diagnostics {
        println!("{:?}: {}", d.severity, spacetrace_engine::render::diagnostic_with_location(d));
    }
    for g in spacetrace_engine::lab::grade(&checked) {
        println!("== {} {:?}", g.id, g.mismatches);
        if let Some(t) = &g.trace {
            print!("{}", spacetrace_engine::render::trace(&checked.model, t));
        }
    }
}
