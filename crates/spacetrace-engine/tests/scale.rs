//! Documents at the sizes fuzzing reached (issue 13; `docs/fuzzing.md`): checks that stay linear
//! where a scan of everything so far would make them quadratic, and lists cut to their caps
//! (`limits::LIMITS`). Timings are printed, never asserted
//! (`cargo test --release -p spacetrace-engine --test scale -- --nocapture`).

use std::time::Instant;

use spacetrace_engine::diagnostics::DiagnosticKind;
use spacetrace_engine::limits::Collection;
use spacetrace_engine::{Severity, check_text};

/// `apps` apps in one space, each listing `n` process types, every name once, and the last app
/// its first name again.
fn many_process_types(apps: usize, n: usize) -> String {
    let app = |a: usize| {
        let mut processes: Vec<String> = (0..n).map(|i| format!(r#"{{"name": "p{i}", "dynos": 0}}"#)).collect();
        if a + 1 == apps {
            processes.push(r#"{"name": "p0", "dynos": 0}"#.to_owned());
        }
        format!(r#"{{"id": "app{a}", "name": "app{a}", "process_types": [{}]}}"#, processes.join(","))
    };
    let apps: Vec<String> = (0..apps).map(app).collect();
    format!(r#"{{"version": 2, "spaces": [{{"id": "s", "apps": [{}]}}]}}"#, apps.join(","))
}

fn errors(text: &str) -> (Vec<DiagnosticKind>, spacetrace_engine::Checked) {
    let started = Instant::now();
    let checked = check_text(text);
    println!("checked in {:?}", started.elapsed());
    let errors = checked.diagnostics.iter().filter(|d| d.severity == Severity::Error).map(|d| d.kind.clone()).collect();
    (errors, checked)
}

/// 100,000 process types, 99 in each of a thousand apps (one repeated): checked whole, with the
/// one repeated name as the only error.
#[test]
fn a_hundred_thousand_process_types_over_a_thousand_apps_are_checked_whole() {
    let (errors, checked) = errors(&many_process_types(1_000, 99));
    assert_eq!(errors, [DiagnosticKind::DuplicateProcess { name: "p0".to_owned() }]);
    assert_eq!(checked.model.apps.len(), 1_000);
    assert!(checked.model.apps.iter().all(|a| a.processes.len() == 99));
}

/// One app listing 100,000 process types keeps the first 100 (its cap) and says so.
#[test]
fn one_app_with_a_hundred_thousand_process_types_keeps_its_cap() {
    let (errors, checked) = errors(&many_process_types(1, 100_000));
    assert_eq!(errors, [DiagnosticKind::TooManyIn { what: Collection::ProcessTypesPerApp, count: 100_001, max: 100 }]);
    assert_eq!(checked.model.apps[0].processes.len(), 100);
}
