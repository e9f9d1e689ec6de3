//! Documents at the sizes fuzzing reached (issue 13; `docs/fuzzing.md`): checks that stay linear
//! where a scan of everything so far would make them quadratic. Timings are printed, never
//! asserted (`cargo test --release -p spacetrace-engine --test scale -- --nocapture`).

use std::time::Instant;

use spacetrace_engine::diagnostics::DiagnosticKind;
use spacetrace_engine::{Severity, check_text};

/// An app listing `n` process types, every name once, then the first one again.
fn many_process_types(n: usize) -> String {
    let mut processes: Vec<String> = (0..n).map(|i| format!(r#"{{"name": "p{i}", "dynos": 0}}"#)).collect();
    processes.push(r#"{"name": "p0", "dynos": 0}"#.to_owned());
    format!(
        r#"{{"version": 2, "common_runtime_apps": [{{"id": "big", "name": "big", "process_types": [{}]}}]}}"#,
        processes.join(",")
    )
}

#[test]
fn an_app_with_a_hundred_thousand_process_types_is_checked_whole() {
    let n = 100_000;
    let text = many_process_types(n);
    let started = Instant::now();
    let checked = check_text(&text);
    println!("{n} process types checked in {:?}", started.elapsed());
    let errors: Vec<&DiagnosticKind> =
        checked.diagnostics.iter().filter(|d| d.severity == Severity::Error).map(|d| &d.kind).collect();
    assert_eq!(
        errors,
        [&DiagnosticKind::DuplicateProcess { name: "p0".to_owned() }],
        "only the repeated name is an error"
    );
    let app = checked.model.apps.first().expect("the app is checked");
    assert_eq!(app.processes.len(), n, "every distinct process type is kept");
    assert_eq!(app.processes[n - 1].name, format!("p{}", n - 1));
}
