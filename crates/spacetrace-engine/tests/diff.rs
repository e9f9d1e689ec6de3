//! The matrix diff against a brute-force comparison, on generated documents: a scenario from
//! `spacetrace_engine::synth`, and a second one made from it by a list of generated edits
//! (objects removed, added and reordered; routes, rules, ports, peerings and tunnels changed).
//!
//! The brute force builds, for each document, a map from (source reference, service reference)
//! to the outcome of every answered cell, computing the references per cell, and compares the
//! two maps pair by pair. The diff must list exactly the pairs the maps disagree on, each with
//! the right kind of change.
//!
//! Runs are reproducible: the seed is fixed unless `PROPTEST_RNG_SEED` is set, and the case
//! count holds unless `PROPTEST_CASES` is set.

use std::collections::BTreeMap;

use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use spacetrace_engine::diff::{Change, MatrixDiff, diff, diff_matrices, first_difference};
use spacetrace_engine::doc::{Document, Listen, PeeringStatus, Protocol, TunnelStatus};
use spacetrace_engine::matrix::Matrix;
use spacetrace_engine::model::Model;
use spacetrace_engine::refs::{protocol_ref, service_ref, src_ref};
use spacetrace_engine::trace::Outcome;
use spacetrace_engine::{Verdict, check, synth};

fn config(cases: u32) -> ProptestConfig {
    let base = ProptestConfig::default();
    let cases = if std::env::var_os("PROPTEST_CASES").is_some() { base.cases } else { cases };
    let rng_seed =
        if std::env::var_os("PROPTEST_RNG_SEED").is_some() { base.rng_seed } else { RngSeed::Fixed(0xd1ff_0001) };
    ProptestConfig { cases, rng_seed, failure_persistence: None, ..base }
}

type Pair = (String, String);

/// Every answered pair of a model's matrix, by references built per cell; a repeated pair keeps
/// its first cell.
fn pairs(model: &Model) -> BTreeMap<Pair, Outcome> {
    let m = Matrix::new(model);
    let mut out = BTreeMap::new();
    for (r, src) in m.sources.iter().enumerate() {
        for (c, svc) in m.services.iter().enumerate() {
            if let Some(o) = m.cell(r, c) {
                out.entry((src_ref(model, *src), service_ref(model, svc))).or_insert(o);
            }
        }
    }
    out
}

/// Where each pair of a model's matrix first is (row, column), by references built per cell;
/// every cell counts here, answered or not.
fn cells_by_reference(model: &Model, m: &Matrix) -> BTreeMap<Pair, (usize, usize)> {
    let mut out = BTreeMap::new();
    for (r, src) in m.sources.iter().enumerate() {
        for (c, svc) in m.services.iter().enumerate() {
            out.entry((src_ref(model, *src), service_ref(model, svc))).or_insert((r, c));
        }
    }
    out
}

fn brute_force(before: &Model, after: &Model) -> BTreeMap<Pair, Change> {
    let b = pairs(before);
    let a = pairs(after);
    let mut out = BTreeMap::new();
    for key in b.keys().chain(a.keys()) {
        let change = match (b.get(key), a.get(key)) {
            (Some(_), None) => Change::Removed,
            (None, Some(_)) => Change::Added,
            (Some(x), Some(y)) if x == y => continue,
            (Some(x), Some(y)) => match (x.verdict, y.verdict) {
                (Verdict::Blocked, Verdict::Connected) => Change::Opened,
                (Verdict::Connected, Verdict::Blocked) => Change::Closed,
                _ => Change::Changed,
            },
            (None, None) => continue,
        };
        out.insert(key.clone(), change);
    }
    out
}

fn listed(d: &MatrixDiff) -> Result<BTreeMap<Pair, Change>, TestCaseError> {
    let mut out = BTreeMap::new();
    for c in &d.changes {
        let key = (c.source.clone(), format!("{} {}/{}", c.destination, protocol_ref(c.protocol), c.port));
        prop_assert!(out.insert(key.clone(), c.change).is_none(), "{key:?} is listed twice");
    }
    Ok(out)
}

/// One edit, read from three generated numbers.
fn edit(doc: &mut Document, kind: u8, a: usize, b: usize) {
    fn at<T>(v: &[T], i: usize) -> Option<usize> {
        (!v.is_empty()).then(|| i % v.len())
    }
    match kind % 14 {
        0 => {
            if let Some(i) = at(&doc.internet_clients, a) {
                doc.internet_clients.remove(i);
            }
        }
        1 => {
            if let Some(i) = at(&doc.external_services, a) {
                doc.external_services.remove(i);
            }
        }
        2 => {
            if let Some(v) = at(&doc.vpcs, a)
                && let Some(h) = at(&doc.vpcs[v].hosts, b)
            {
                doc.vpcs[v].hosts.remove(h);
            }
        }
        3 => {
            if let Some(v) = at(&doc.vpcs, a) {
                for t in &mut doc.vpcs[v].route_tables {
                    if let Some(r) = at(&t.routes, b) {
                        t.routes.remove(r);
                    }
                }
            }
        }
        4 => {
            if let Some(v) = at(&doc.vpcs, a) {
                for g in &mut doc.vpcs[v].security_groups {
                    if let Some(r) = at(&g.inbound, b) {
                        g.inbound.remove(r);
                    }
                }
            }
        }
        5 => {
            if let Some(v) = at(&doc.vpcs, a) {
                for h in &mut doc.vpcs[v].hosts {
                    h.ports.push(Listen { protocol: Protocol::Tcp, port: [22, 443, 5432, 8080][b % 4] });
                }
            }
        }
        6 => {
            if let Some(s) = at(&doc.spaces, a)
                && let Some(x) = at(&doc.spaces[s].apps, b)
            {
                doc.spaces[s].apps.remove(x);
            }
        }
        7 => {
            if let Some(p) = at(&doc.peerings, a) {
                doc.peerings[p].status = [PeeringStatus::Active, PeeringStatus::PendingAcceptance][b % 2];
            }
        }
        8 => {
            if let Some(i) = at(&doc.internet_clients, a) {
                let mut c = doc.internet_clients[i].clone();
                c.id = format!("{}-copy-{b}", c.id);
                c.cidr = ["0.0.0.0/0", "203.0.113.7/32", "198.51.100.0/24"][b % 3].into();
                doc.internet_clients.push(c);
            }
        }
        9 => {
            if let Some(s) = at(&doc.spaces, a) {
                doc.spaces[s].trusted_ip_ranges =
                    [None, Some(vec![]), Some(vec!["0.0.0.0/0".to_owned()])][b % 3].clone();
            }
        }
        10 => {
            doc.internet_clients.reverse();
            doc.external_services.reverse();
            if let Some(k) = at(&doc.spaces, a) {
                doc.spaces.rotate_left(k);
            }
        }
        11 => {
            if let Some(v) = at(&doc.vpns, a) {
                doc.vpns[v].tunnel_status = [TunnelStatus::Up, TunnelStatus::Down][b % 2];
            }
        }
        12 => {
            if let Some(s) = at(&doc.spaces, a) {
                for app in &mut doc.spaces[s].apps {
                    if let Some(p) = at(&app.process_types, b) {
                        app.process_types[p].dynos = (b % 2) as u32;
                    }
                }
            }
        }
        _ => {
            if let Some(s) = at(&doc.spaces, a)
                && let Some(x) = at(&doc.spaces[s].addons, b)
            {
                doc.spaces[s].addons[x].port = Some([5432, 6379, 9096][b % 3]);
            }
        }
    }
}

fn edited(endpoints: usize, edits: &[(u8, usize, usize)]) -> (Document, Document) {
    let before = synth::scenario(endpoints);
    let mut after = before.clone();
    for (kind, a, b) in edits {
        edit(&mut after, *kind, *a, *b);
    }
    (before, after)
}

fn edits() -> impl Strategy<Value = Vec<(u8, usize, usize)>> {
    proptest::collection::vec((any::<u8>(), any::<usize>(), any::<usize>()), 0..6)
}

proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn the_diff_lists_exactly_the_pairs_that_changed(endpoints in 1usize..40, edits in edits()) {
        let (before, after) = edited(endpoints, &edits);
        let (b, a) = (check(&before).model, check(&after).model);
        let d = diff(&b, &a);
        prop_assert_eq!(listed(&d)?, brute_force(&b, &a));
        prop_assert_eq!(d.summary().total(), d.changes.len());
        // The other way round, every change is mirrored.
        let back = diff(&a, &b);
        prop_assert_eq!(back.changes.len(), d.changes.len());
        prop_assert_eq!(back.summary().opened, d.summary().closed);
        prop_assert_eq!(back.summary().added, d.summary().removed);
        // Same input, same output.
        prop_assert_eq!(&diff(&b, &a), &d);
    }

    #[test]
    fn every_change_in_both_documents_says_where_the_traces_part(
        endpoints in 1usize..30,
        edits in edits(),
    ) {
        let (before, after) = edited(endpoints, &edits);
        let (b, a) = (check(&before).model, check(&after).model);
        let (bm, am) = (Matrix::new(&b), Matrix::new(&a));
        let (b_cells, a_cells) = (cells_by_reference(&b, &bm), cells_by_reference(&a, &am));
        let d = diff_matrices(&b, &bm, &a, &am);
        prop_assert_eq!(&d, &diff(&b, &a));
        for c in &d.changes {
            prop_assert_eq!(c.before, c.before_cell.and_then(|x| bm.cell(x.row, x.column)));
            prop_assert_eq!(c.after, c.after_cell.and_then(|x| am.cell(x.row, x.column)));
            // The cells are the pair's first cells, found by references built per cell.
            let key = (c.source.clone(), format!("{} {}/{}", c.destination, protocol_ref(c.protocol), c.port));
            prop_assert_eq!(c.before_cell.is_some(), b_cells.contains_key(&key), "{:?}", c);
            prop_assert_eq!(c.after_cell.is_some(), a_cells.contains_key(&key), "{:?}", c);
            if let Some(x) = c.before_cell {
                prop_assert_eq!(Some(&(x.row, x.column)), b_cells.get(&key));
            }
            if let Some(x) = c.after_cell {
                prop_assert_eq!(Some(&(x.row, x.column)), a_cells.get(&key));
            }
            let first = c.first_difference(&b, &bm, &a, &am);
            match c.change {
                Change::Added | Change::Removed => prop_assert!(first.is_none()),
                _ => {
                    // The same as comparing the two full traces of the pair.
                    let (x, y) = (c.before_cell.unwrap(), c.after_cell.unwrap());
                    let traces = (bm.trace(&b, x.row, x.column), am.trace(&a, y.row, y.column));
                    let (Some(bt), Some(at)) = traces else {
                        return Err(TestCaseError::fail(format!("no trace for {c:?}")));
                    };
                    prop_assert_eq!(&first, &first_difference(&bt, &at));
                    prop_assert!(first.is_some(), "{c:?}");
                    let first = first.unwrap();
                    prop_assert!(first.before != first.after, "{c:?}");
                }
            }
        }
    }

    #[test]
    fn a_document_against_itself_has_no_changes(endpoints in 1usize..40, edits in edits()) {
        let (_, after) = edited(endpoints, &edits);
        let m = check(&after).model;
        prop_assert!(diff(&m, &m).is_empty());
    }
}
