//! The verdict-only path (`outcome`, what the matrix asks of every pair) allocates nothing: no
//! trace, no names, no fix lists. A counting allocator watches this thread while every pair of
//! the example scenarios and of a generated one, on its services' ports and on a few others
//! (router ports, closed ports), is answered.

#[path = "support/examples.rs"]
mod examples;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use spacetrace_engine::doc::Protocol;
use spacetrace_engine::matrix::{services, sources};
use spacetrace_engine::model::Model;
use spacetrace_engine::{Query, check, check_text, evaluate, outcome, synth};

struct Counting;

thread_local! {
    static WATCHING: Cell<bool> = const { Cell::new(false) };
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn note_allocation() {
    // `try_with`: the thread's locals may be gone while it ends.
    let _ = WATCHING.try_with(|w| {
        if w.get() {
            let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        }
    });
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note_allocation();
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note_allocation();
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note_allocation();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// How many allocations `f` makes on this thread.
fn allocations(f: impl FnOnce()) -> usize {
    ALLOCATIONS.with(|n| n.set(0));
    WATCHING.with(|w| w.set(true));
    f();
    WATCHING.with(|w| w.set(false));
    ALLOCATIONS.with(Cell::get)
}

/// Every question of a model: each source against each service, on the service's port, on 443,
/// on 80 and on a port nothing listens on.
fn questions(m: &Model) -> Vec<Query> {
    let mut out = Vec::new();
    for src in sources(m) {
        for s in services(m) {
            for (protocol, port) in
                [(s.protocol, s.port), (Protocol::Tcp, 443), (Protocol::Tcp, 80), (Protocol::Udp, 9)]
            {
                if let Ok(q) = Query::new(src, s.dst, protocol, port) {
                    out.push(q);
                }
            }
        }
    }
    out
}

fn models() -> Vec<Model> {
    let files = examples::example_files();
    let mut models: Vec<Model> =
        files.iter().map(|f| check_text(&std::fs::read_to_string(f).expect("a readable scenario")).model).collect();
    models.push(check(&synth::scenario(60)).model);
    models
}

#[test]
fn the_verdict_only_path_allocates_nothing() {
    let mut asked = 0;
    let mut blocked = 0;
    for m in models() {
        for q in questions(&m) {
            let mut verdict = None;
            let n = allocations(|| verdict = Some(outcome(&m, &q)));
            assert_eq!(n, 0, "outcome allocated {n} times for {q:?}: {}", spacetrace_engine::render::question(&m, &q));
            asked += 1;
            blocked += usize::from(verdict.and_then(|o| o.blocked_by).is_some());
        }
    }
    // Both kinds of answer were watched, many times over.
    assert!(asked > 1000 && blocked > 100 && blocked < asked, "{asked} asked, {blocked} blocked");
}

#[test]
fn the_counter_sees_the_full_trace_allocate() {
    let m = check(&synth::scenario(10)).model;
    let q = questions(&m).into_iter().next().expect("a question");
    assert!(allocations(|| drop(evaluate(&m, &q))) > 0);
}
