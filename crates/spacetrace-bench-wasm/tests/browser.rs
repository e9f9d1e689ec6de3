//! Engine timings in headless Chromium, measured with `performance.now()` and printed (one line per
//! figure, see the crate docs). Nothing here asserts on time: a slow machine prints slow figures.
#![cfg(target_arch = "wasm32")]

use std::hint::black_box;

use spacetrace_bench_wasm::PREFIX;
use spacetrace_engine::diff::diff_matrices;
use spacetrace_engine::matrix::Matrix;
use spacetrace_engine::{Query, check, check_text, evaluate, outcome, synth};
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Milliseconds from `performance.now()`. Chromium coarsens it (to 0.1 ms without cross-origin
/// isolation), so short work is timed in batches.
fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// Run `f` `warm_up` times, then time `samples` batches of `batch` runs; per-run milliseconds, sorted.
fn measure(warm_up: usize, samples: usize, batch: usize, mut f: impl FnMut()) -> Vec<f64> {
    for _ in 0..warm_up {
        f();
    }
    let mut times: Vec<f64> = (0..samples)
        .map(|_| {
            let start = now();
            for _ in 0..batch {
                f();
            }
            (now() - start) / batch as f64
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times
}

/// One figure line: `spacetrace-bench <name> questions=<n> samples=<n> median_ms=… min_ms=… max_ms=… ns_per_question=…`.
fn report(name: &str, questions: usize, times: &[f64]) {
    let median = times[times.len() / 2];
    let (min, max) = (times[0], times[times.len() - 1]);
    let ns = median * 1e6 / questions as f64;
    console_log!(
        "{PREFIX} {name} questions={questions} samples={} median_ms={median:.6} min_ms={min:.6} max_ms={max:.6} ns_per_question={ns:.1}",
        times.len()
    );
}

fn matrix(name: &str, endpoints: usize, samples: usize, batch: usize) {
    let checked = check(&synth::scenario(endpoints));
    let questions = Matrix::new(&checked.model).cells.len();
    let times = measure(2, samples, batch, || {
        black_box(Matrix::new(black_box(&checked.model)));
    });
    report(name, questions, &times);
}

#[wasm_bindgen_test]
fn questions_on_the_default_scenario() {
    let checked = check_text(include_str!("../../../scenarios/default.json"));
    let query: Query = checked.questions.iter().find(|q| q.id == "q-warehouse").and_then(|q| q.query).unwrap();
    let model = &checked.model;
    let times = measure(1_000, 15, 2_000, || {
        black_box(evaluate(black_box(model), black_box(&query)));
    });
    report("question_full_trace", 1, &times);
    let times = measure(1_000, 15, 20_000, || {
        black_box(outcome(black_box(model), black_box(&query)));
    });
    report("question_outcome", 1, &times);
}

#[wasm_bindgen_test]
fn matrix_100() {
    matrix("matrix_100", 100, 30, 4);
}

#[wasm_bindgen_test]
fn matrix_1000() {
    matrix("matrix_1000", 1000, 9, 1);
}

/// What the app does after an edit: the 100-endpoint matrix of the edited document and its diff
/// against the matrix from before the edit (built once, outside the timing); and the diff alone.
#[wasm_bindgen_test]
fn matrix_diff_100() {
    let doc = synth::scenario(100);
    let mut edited = doc.clone();
    // The edit: the first Cedar space's API scaled to no web dynos, a new trusted range.
    if let Some(space) = edited.spaces.first_mut() {
        if let Some(p) = space.apps.first_mut().and_then(|a| a.process_types.first_mut()) {
            p.dynos = 0;
        }
        space.trusted_ip_ranges.get_or_insert_with(Vec::new).push("198.51.100.0/24".into());
    }
    let before = check(&doc);
    let before_m = Matrix::new(&before.model);
    let after = check(&edited);
    let after_m = Matrix::new(&after.model);
    let questions = before_m.cells.len();
    // The diff alone, both matrices built.
    let times = measure(2, 30, 4, || {
        black_box(diff_matrices(&before.model, &before_m, &after.model, black_box(&after_m)));
    });
    report("diff_100", questions, &times);
    let times = measure(2, 30, 4, || {
        let m = Matrix::new(black_box(&after.model));
        black_box(diff_matrices(&before.model, &before_m, &after.model, &m));
    });
    report("matrix_diff_100", questions, &times);
}

/// The canvas's geometry for one frame of a drag: the layout of the whole network (regions,
/// gates, routed edges) and the answered path over it, as the app recomputes them on every
/// pointer move.
fn canvas(name: &str, doc: &spacetrace_engine::doc::Document) {
    let checked = check(doc);
    let query = checked.questions.iter().find_map(|q| q.query);
    let trace = query.map(|q| evaluate(&checked.model, &q));
    let times = measure(5, 15, 10, || {
        let l = spacetrace_canvas::layout(black_box(doc), Some(("@internet", 3.0, 4.0)));
        if let Some(t) = &trace {
            black_box(spacetrace_canvas::path(&l, t));
        }
        black_box(l);
    });
    report(name, 1, &times);
}

#[wasm_bindgen_test]
fn canvas_frames() {
    let default = spacetrace_engine::parse_document(include_str!("../../../scenarios/default.json")).unwrap();
    canvas("canvas_default", &default);
    let limits = spacetrace_engine::parse_document(include_str!("../../../scenarios/limits.json")).unwrap();
    canvas("canvas_limits", &limits);
}

/// Importing a generated account of 2,000 objects (`spacetrace_import::sample::account`), as the
/// app does when files are dropped: parsing each file's JSON text, recognising it, reading and
/// merging into one document. Generating the files is not timed.
#[wasm_bindgen_test]
fn import_2000() {
    let files = spacetrace_import::sample::account(2_000);
    let inputs: Vec<spacetrace_import::Input<'_>> =
        files.iter().map(|(name, text)| spacetrace_import::Input { name, text }).collect();
    let times = measure(1, 9, 1, || {
        black_box(spacetrace_import::import(black_box(&inputs)).map(|i| i.document.vpcs.len()).unwrap_or_default());
    });
    report("import_2000", 1, &times);
}
