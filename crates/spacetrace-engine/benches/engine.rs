//! Engine benchmarks: one question (full trace and verdict only), checking the default scenario,
//! and the all-pairs matrix of generated scenarios with about 100 and 1,000 endpoints (by classes,
//! as `Matrix::new` builds it, and for comparison every pair on its own, `Matrix::plain`), and the
//! matrix diff after an edit of the 100-endpoint scenario (the diff alone, and with the edited
//! document's matrix, as the wasm figure `matrix_diff_100`).
//!
//! `cargo bench -p spacetrace-engine` (or `cargo xtask bench`, which also runs the wasm figures
//! and prints a summary against the targets). Figures are printed, never asserted.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use spacetrace_engine::diff::diff_matrices;
use spacetrace_engine::matrix::Matrix;
use spacetrace_engine::{Query, check, check_text, evaluate, outcome, parse_document, synth};

const DEFAULT: &str = include_str!("../../../scenarios/default.json");
/// The default scenario's peering question: the API's worker to the warehouse database.
const PEERING_QUESTION: &str = "q-warehouse";

fn peering_question() -> (spacetrace_engine::model::Model, Query) {
    let checked = check_text(DEFAULT);
    let query = checked
        .questions
        .iter()
        .find(|q| q.id == PEERING_QUESTION)
        .and_then(|q| q.query)
        .expect("the default scenario asks q-warehouse");
    (checked.model, query)
}

fn questions(c: &mut Criterion) {
    let (model, query) = peering_question();
    let mut group = c.benchmark_group("engine");
    group.throughput(Throughput::Elements(1));
    group.warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    group.bench_function("question_full_trace", |b| b.iter(|| evaluate(black_box(&model), black_box(&query))));
    group.bench_function("question_outcome", |b| b.iter(|| outcome(black_box(&model), black_box(&query))));
    group.finish();
}

fn checking(c: &mut Criterion) {
    let doc = parse_document(DEFAULT).expect("the default scenario parses");
    let mut group = c.benchmark_group("engine");
    group.warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    group.bench_function("check_default_scenario", |b| b.iter(|| check(black_box(&doc))));
    // Reading the text into a document (through the JSON tree: one reader, for the bundle's size).
    group.bench_function("read_default_scenario", |b| b.iter(|| parse_document(black_box(DEFAULT)).is_ok()));
    group.finish();
}

fn matrices(c: &mut Criterion) {
    let mut group = c.benchmark_group("engine");
    for (name, endpoints, seconds) in [("matrix_100", 100, 4), ("matrix_1000", 1000, 8)] {
        let checked = check(&synth::scenario(endpoints));
        let cells = Matrix::new(&checked.model).cells.len();
        group.throughput(Throughput::Elements(cells as u64));
        group.warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(seconds));
        if endpoints >= 1000 {
            // Each iteration takes a good fraction of a second: few samples, equal sizes.
            group.sample_size(10).sampling_mode(SamplingMode::Flat);
        } else {
            group.sample_size(50).sampling_mode(SamplingMode::Auto);
        }
        group.bench_function(name, |b| b.iter(|| Matrix::new(black_box(&checked.model))));
        if endpoints >= 1000 {
            group.bench_function("matrix_1000_plain", |b| b.iter(|| Matrix::plain(black_box(&checked.model))));
        }
    }
    group.finish();
}

/// What the app does after an edit, as the wasm bench `matrix_diff_100` times it: the generated
/// 100-endpoint scenario, edited (the first space's first process scaled to no dynos, a new
/// trusted range), its matrix rebuilt and compared with the matrix from before the edit.
fn edited_100() -> (spacetrace_engine::Checked, spacetrace_engine::Checked) {
    let doc = synth::scenario(100);
    let mut edited = doc.clone();
    if let Some(space) = edited.spaces.first_mut() {
        if let Some(p) = space.apps.first_mut().and_then(|a| a.process_types.first_mut()) {
            p.dynos = 0;
        }
        space.trusted_ip_ranges.get_or_insert_with(Vec::new).push("198.51.100.0/24".into());
    }
    (check(&doc), check(&edited))
}

fn diffs(c: &mut Criterion) {
    let (before, after) = edited_100();
    let (bm, am) = (Matrix::new(&before.model), Matrix::new(&after.model));
    let mut group = c.benchmark_group("engine");
    group.throughput(Throughput::Elements(bm.cells.len() as u64));
    group.warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    group.bench_function("diff_100", |b| {
        b.iter(|| diff_matrices(black_box(&before.model), &bm, black_box(&after.model), &am))
    });
    group.bench_function("matrix_diff_100", |b| {
        b.iter(|| {
            let m = Matrix::new(black_box(&after.model));
            diff_matrices(black_box(&before.model), &bm, black_box(&after.model), &m)
        })
    });
    group.finish();
}

criterion_group!(benches, questions, checking, matrices, diffs);
criterion_main!(benches);
