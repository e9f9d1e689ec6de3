//! What changed between the matrices of two documents (before and after an edit, or two versions
//! of a scenario file): every pair whose answer differs, and where the two traces first part.
//!
//! A **pair** is a source and a destination service, named by their references
//! ([`crate::refs`]): rows are matched by the source's reference and columns by the destination's
//! reference with the protocol and port, so two documents can be compared even when objects were
//! added, removed or reordered. A pair exists in a document when its matrix answers it (the cell is
//! not "not modelled"). A column a matrix repeats (a port listed twice) is one pair: the first
//! occurrence stands for it.
//!
//! - A pair in both documents whose verdict differs is [`Change::Opened`] (blocked, then
//!   connected) or [`Change::Closed`] (connected, then blocked); blocked in both but by different
//!   rules, [`Change::Changed`]. For these the first step where the two full traces part
//!   ([`StepDifference`]) is found on demand, for one change at a time:
//!   [`PairChange::first_difference`].
//! - A pair answered only after is [`Change::Added`], only before [`Change::Removed`], with its
//!   outcome.
//!
//! The list is ordered: pairs in both documents first, in the order of the after matrix (rows,
//! then columns); then added pairs in the order of the after matrix; then removed pairs in the
//! order of the before matrix. Data only; the CLI and the app lay it out, [`crate::render`] has
//! the words.
//!
//! Cost: references are built once per row and column, rows and columns are matched through hash
//! maps of them, and cells are compared by index without allocating (a row whose columns all match
//! in place is compared whole). No trace is evaluated while diffing: a trace costs far more than a
//! cell, and an edit can change thousands of pairs of which a person looks at a few, so the first
//! difference is computed only when asked for.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};

use serde::Serialize;

use crate::doc::{Protocol, Verdict};
use crate::matrix::Matrix;
use crate::model::Model;
use crate::refs::{dst_ref, src_ref};
use crate::rules::RuleId;
use crate::trace::{Component, Outcome, Step, Trace};

/// How a pair's answer changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Blocked before, connected after.
    Opened,
    /// Connected before, blocked after.
    Closed,
    /// Blocked in both, by different rules.
    Changed,
    /// Answered only after (the pair is new, or was not modelled before).
    Added,
    /// Answered only before.
    Removed,
}

/// A cell of a matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Cell {
    pub row: usize,
    pub column: usize,
}

/// One side of the first difference: the hop's component and the step there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepAt {
    pub component: Component,
    pub step: Step,
}

impl StepAt {
    pub fn rule(&self) -> RuleId {
        self.step.rule
    }
}

/// The first place, in path order, where two traces of the same pair differ: hop `hop`, step
/// `step` (both from 0, as in [`crate::trace::StepRef`]). A side is `None` when its trace has no
/// step there (it ended sooner, or its hop has fewer steps). Steps are the same when their hops
/// pass through the same component (kind and ID) and they cite the same rule with the same
/// decision; the facts they state (addresses, names) are not compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepDifference {
    pub hop: usize,
    pub step: usize,
    pub before: Option<StepAt>,
    pub after: Option<StepAt>,
}

/// A pair whose answer changed: which pair, how, its answers and where it sits in each matrix.
/// Where its two traces first part is not stored (it needs both full traces); ask for it with
/// [`PairChange::first_difference`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PairChange {
    pub change: Change,
    /// The source's reference (`api/worker`).
    pub source: String,
    /// The destination's reference (`host:warehouse`).
    pub destination: String,
    pub protocol: Protocol,
    pub port: u16,
    /// The answer before; `None` when the pair was not answered before.
    pub before: Option<Outcome>,
    /// The answer after; `None` when the pair is not answered after.
    pub after: Option<Outcome>,
    /// Where the pair is in the before matrix, when it is there.
    pub before_cell: Option<Cell>,
    /// Where the pair is in the after matrix, when it is there.
    pub after_cell: Option<Cell>,
}

impl PairChange {
    /// For a pair in both documents whose answer changed (opened, closed or changed), where its
    /// two traces first part; `None` for an added or removed pair. Evaluates the pair's two full
    /// traces: give the models and matrices the diff was computed from.
    pub fn first_difference(
        &self,
        before: &Model,
        before_m: &Matrix,
        after: &Model,
        after_m: &Matrix,
    ) -> Option<StepDifference> {
        match (self.change, self.before_cell, self.after_cell) {
            (Change::Opened | Change::Closed | Change::Changed, Some(bc), Some(ac)) => {
                let bt = before_m.trace(before, bc.row, bc.column)?;
                let at = after_m.trace(after, ac.row, ac.column)?;
                first_difference(&bt, &at)
            }
            _ => None,
        }
    }
}

/// How many pairs changed, by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Summary {
    pub opened: usize,
    pub closed: usize,
    pub changed: usize,
    pub added: usize,
    pub removed: usize,
}

impl Summary {
    pub fn total(&self) -> usize {
        self.opened + self.closed + self.changed + self.added + self.removed
    }
}

/// Every pair that changed between two documents, in the order described in the module.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct MatrixDiff {
    pub changes: Vec<PairChange>,
}

impl MatrixDiff {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for c in &self.changes {
            match c.change {
                Change::Opened => s.opened += 1,
                Change::Closed => s.closed += 1,
                Change::Changed => s.changed += 1,
                Change::Added => s.added += 1,
                Change::Removed => s.removed += 1,
            }
        }
        s
    }
}

/// Compare the matrices of two models (building both).
pub fn diff(before: &Model, after: &Model) -> MatrixDiff {
    diff_matrices(before, &Matrix::new(before), after, &Matrix::new(after))
}

/// How a pair's cells compare; `None` when the answer is the same.
pub fn classify(before: Option<Outcome>, after: Option<Outcome>) -> Option<Change> {
    match (before, after) {
        (None, None) => None,
        (None, Some(_)) => Some(Change::Added),
        (Some(_), None) => Some(Change::Removed),
        (Some(b), Some(a)) if b == a => None,
        (Some(b), Some(a)) => Some(match (b.verdict, a.verdict) {
            (Verdict::Blocked, Verdict::Connected) => Change::Opened,
            (Verdict::Connected, Verdict::Blocked) => Change::Closed,
            // Same verdict, different outcome: blocked by another rule.
            _ => Change::Changed,
        }),
    }
}

/// A small deterministic hasher for the reference maps: the engine reads no randomness, and
/// lookups do not depend on order. Keys are a few hundred short references built from the
/// documents themselves, so speed matters more here than resistance to crafted collisions.
#[derive(Default)]
struct Mix(u64);

impl Mix {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;

    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::K);
    }
}

impl Hasher for Mix {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 59));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u16(&mut self, n: u16) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        // Spread the bits, so that the few the table looks at depend on the whole key.
        let mut x = self.0;
        x ^= x >> 32;
        x = x.wrapping_mul(Self::K);
        x ^ (x >> 29)
    }
}

type Fixed = BuildHasherDefault<Mix>;

/// Where a row or column of one matrix is in the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Match {
    /// A repeat of an earlier row or column of the same matrix: not a pair of its own.
    Repeat,
    /// Only in this matrix.
    Only,
    /// At this index in the other matrix.
    At(usize),
}

/// For each key of `a`, where it is in `b`, and for each key of `b`, where it is in `a` (first
/// occurrences only).
fn matches<K: Hash + Eq>(a: &[K], b: &[K]) -> (Vec<Match>, Vec<Match>) {
    let (a_index, b_index) = (first_index(a), first_index(b));
    (resolve(a, &a_index, &b_index), resolve(b, &b_index, &a_index))
}

fn resolve<K: Hash + Eq>(mine: &[K], own: &HashMap<&K, usize, Fixed>, other: &HashMap<&K, usize, Fixed>) -> Vec<Match> {
    mine.iter()
        .enumerate()
        .map(
            |(i, k)| {
                if own.get(k) != Some(&i) { Match::Repeat } else { other.get(k).map_or(Match::Only, |&j| Match::At(j)) }
            },
        )
        .collect()
}

fn first_index<K: Hash + Eq>(keys: &[K]) -> HashMap<&K, usize, Fixed> {
    let mut map = HashMap::with_capacity_and_hasher(keys.len(), Fixed::default());
    for (i, k) in keys.iter().enumerate() {
        map.entry(k).or_insert(i);
    }
    map
}

/// Keys of a matrix's rows and columns.
struct Keys {
    rows: Vec<String>,
    columns: Vec<(String, Protocol, u16)>,
}

impl Keys {
    fn new(model: &Model, m: &Matrix) -> Self {
        Self {
            rows: m.sources.iter().map(|s| src_ref(model, *s)).collect(),
            columns: m.services.iter().map(|s| (dst_ref(model, s.dst), s.protocol, s.port)).collect(),
        }
    }
}

/// Compare two matrices, each with the model it was built from. No trace is evaluated; see
/// [`PairChange::first_difference`].
pub fn diff_matrices(before: &Model, before_m: &Matrix, after: &Model, after_m: &Matrix) -> MatrixDiff {
    let bk = Keys::new(before, before_m);
    let ak = Keys::new(after, after_m);
    let (a_rows, b_rows) = matches(&ak.rows, &bk.rows);
    let (a_cols, b_cols) = matches(&ak.columns, &bk.columns);
    let (b_width, a_width) = (before_m.services.len(), after_m.services.len());
    // Every column of the after matrix is the same column of the before matrix (the usual case
    // after an edit that adds or removes no service): a row found in both can be compared whole.
    let columns_in_place = a_width == b_width && a_cols.iter().enumerate().all(|(c, m)| *m == Match::At(c));

    let mut both = Vec::new();
    let mut added = Vec::new();
    let mut removed = Vec::new();

    // Every pair of the after matrix: in both documents, or only after.
    for (r, row) in a_rows.iter().enumerate() {
        if *row == Match::Repeat {
            continue;
        }
        let a_row = row_cells(after_m, r);
        let b_row = match *row {
            Match::At(br) => row_cells(before_m, br),
            _ => &[],
        };
        if columns_in_place && matches!(row, Match::At(_)) && a_row.len() == a_width && a_row == b_row {
            continue;
        }
        for (c, column) in a_cols.iter().enumerate() {
            let a = a_row.get(c).copied().flatten();
            match (*row, *column) {
                (_, Match::Repeat) | (Match::Repeat, _) => {}
                (Match::At(br), Match::At(bc)) => {
                    let b = b_row.get(bc).copied().flatten();
                    if b == a {
                        continue;
                    }
                    let at = (Some(Cell { row: br, column: bc }), Some(Cell { row: r, column: c }));
                    match classify(b, a) {
                        None => {}
                        Some(Change::Added) => added.push((Change::Added, b, a, at)),
                        Some(Change::Removed) => removed.push((Change::Removed, b, a, at)),
                        Some(change) => both.push((change, b, a, at)),
                    }
                }
                _ => {
                    if a.is_some() {
                        added.push((Change::Added, None, a, (None, Some(Cell { row: r, column: c }))));
                    }
                }
            }
        }
    }

    // Pairs only before: a row or a column the after matrix lacks.
    let some_column_only_before = b_cols.contains(&Match::Only);
    for (r, row) in b_rows.iter().enumerate() {
        match *row {
            Match::Repeat => continue,
            Match::At(_) if !some_column_only_before => continue,
            _ => {}
        }
        for (c, column) in b_cols.iter().enumerate() {
            let only_before =
                matches!((*row, *column), (Match::Only, Match::At(_) | Match::Only) | (Match::At(_), Match::Only));
            if only_before && let Some(b) = before_m.cell(r, c) {
                removed.push((Change::Removed, Some(b), None, (Some(Cell { row: r, column: c }), None)));
            }
        }
    }
    removed.sort_by_key(|(_, _, _, (b, _))| *b);

    let mut changes = Vec::with_capacity(both.len() + added.len() + removed.len());
    for (change, b, a, (b_cell, a_cell)) in both.into_iter().chain(added).chain(removed) {
        // The references of the pair, from whichever matrix holds it.
        let (source, destination, protocol, port) = match (a_cell, b_cell) {
            (Some(x), _) => pair_key(&ak, x),
            (None, Some(x)) => pair_key(&bk, x),
            (None, None) => continue,
        };
        changes.push(PairChange {
            change,
            source,
            destination,
            protocol,
            port,
            before: b,
            after: a,
            before_cell: b_cell,
            after_cell: a_cell,
        });
    }
    MatrixDiff { changes }
}

/// A row of a matrix's cells: `row_cells(m, r).get(c)` is `m.cell(r, c)`. Shorter than the row
/// (even empty) where the matrix holds fewer cells than its sources and services make.
fn row_cells(m: &Matrix, row: usize) -> &[Option<Outcome>] {
    let width = m.services.len();
    let start = row.saturating_mul(width).min(m.cells.len());
    let end = start.saturating_add(width).min(m.cells.len());
    &m.cells[start..end]
}

fn pair_key(k: &Keys, at: Cell) -> (String, String, Protocol, u16) {
    let source = k.rows.get(at.row).cloned().unwrap_or_default();
    let (destination, protocol, port) = k.columns.get(at.column).cloned().unwrap_or_default();
    (source, destination, protocol, port)
}

/// The first step, in path order, where two traces differ; `None` when they take the same steps.
pub fn first_difference(before: &Trace, after: &Trace) -> Option<StepDifference> {
    let hops = before.hops.len().max(after.hops.len());
    for h in 0..hops {
        let bh = before.hops.get(h);
        let ah = after.hops.get(h);
        let same_component = match (bh, ah) {
            (Some(b), Some(a)) => b.component.kind == a.component.kind && b.component.id == a.component.id,
            _ => false,
        };
        let steps = bh.map_or(0, |x| x.steps.len()).max(ah.map_or(0, |x| x.steps.len()));
        let at = |hop: Option<&crate::trace::Hop>, s: usize| {
            hop.and_then(|x| x.steps.get(s).map(|step| StepAt { component: x.component.clone(), step: step.clone() }))
        };
        if !same_component {
            return Some(StepDifference { hop: h, step: 0, before: at(bh, 0), after: at(ah, 0) });
        }
        for s in 0..steps {
            let bs = bh.and_then(|x| x.steps.get(s));
            let as_ = ah.and_then(|x| x.steps.get(s));
            let same = match (bs, as_) {
                (Some(b), Some(a)) => b.rule == a.rule && b.decision == a.decision,
                _ => false,
            };
            if !same {
                return Some(StepDifference { hop: h, step: s, before: at(bh, s), after: at(ah, s) });
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::apply::apply;
    use crate::check::{check, check_text, parse_document};
    use crate::doc::Document;
    use crate::refs::service_ref;
    use crate::trace::Decision;

    const DEFAULT: &str = include_str!("../../../scenarios/default.json");

    fn default_doc() -> Document {
        parse_document(DEFAULT).unwrap()
    }

    fn model(doc: &Document) -> Model {
        check(doc).model
    }

    /// Brute force: every answered pair of a matrix by its references, computed per cell.
    fn pairs(model: &Model) -> BTreeMap<(String, String), Outcome> {
        let m = Matrix::new(model);
        let mut out = BTreeMap::new();
        for r in 0..m.sources.len() {
            for c in 0..m.services.len() {
                let key = (src_ref(model, m.sources[r]), service_ref(model, &m.services[c]));
                if let Some(o) = m.cell(r, c) {
                    out.entry(key).or_insert(o);
                }
            }
        }
        out
    }

    fn brute_force(before: &Model, after: &Model) -> BTreeMap<(String, String), Change> {
        let b = pairs(before);
        let a = pairs(after);
        let mut out = BTreeMap::new();
        for (k, o) in &b {
            if let Some(change) = classify(Some(*o), a.get(k).copied()) {
                out.insert(k.clone(), change);
            }
        }
        for (k, o) in &a {
            if !b.contains_key(k) {
                out.insert(k.clone(), classify(None, Some(*o)).unwrap());
            }
        }
        out
    }

    fn as_map(d: &MatrixDiff) -> BTreeMap<(String, String), Change> {
        d.changes
            .iter()
            .map(|c| ((c.source.clone(), format!("{} {}/{}", c.destination, proto(c.protocol), c.port)), c.change))
            .collect()
    }

    fn proto(p: Protocol) -> &'static str {
        crate::refs::protocol_ref(p)
    }

    #[test]
    fn a_document_against_itself_has_no_changes() {
        for text in [DEFAULT, include_str!("../../../scenarios/vpn.json"), include_str!("../../../scenarios/fir.json")]
        {
            let m = check_text(text).model;
            let d = diff(&m, &m);
            assert!(d.is_empty(), "{:?}", d.changes.first());
            assert_eq!(d.summary(), Summary::default());
        }
    }

    #[test]
    fn applying_the_suggested_route_opens_exactly_the_pairs_it_should() {
        let doc = default_doc();
        let before = model(&doc);
        let m = Matrix::new(&before);
        let row = m.sources.iter().position(|s| src_ref(&before, *s) == "api/worker").unwrap();
        let column = m.services.iter().position(|s| dst_ref(&before, s.dst) == "host:warehouse").unwrap();
        let trace = m.trace(&before, row, column).unwrap();
        assert_eq!(trace.blocking_step().map(|s| s.rule), Some(RuleId::PeerRoute));
        let fix = &trace.suggestions.iter().find(|s| s.rule == RuleId::PeerRoute).unwrap().fix;
        let after = model(&apply(&doc, fix).unwrap());

        let d = diff(&before, &after);
        assert!(!d.is_empty());
        assert_eq!(as_map(&d), brute_force(&before, &after));
        let change = d
            .changes
            .iter()
            .find(|c| c.source == "api/worker" && c.destination == "host:warehouse" && c.port == 5432)
            .unwrap();
        assert_eq!(change.change, Change::Opened);
        assert_eq!(change.before.and_then(|o| o.blocked_by), Some(RuleId::PeerRoute));
        assert_eq!(change.after.map(|o| o.verdict), Some(Verdict::Connected));
        // The traces part where the route table had no route.
        let am = Matrix::new(&after);
        let first = change.first_difference(&before, &m, &after, &am).unwrap();
        let b = first.before.as_ref().unwrap();
        assert_eq!(b.rule(), RuleId::PeerRoute);
        assert_eq!(b.step.decision, Decision::Block);
        assert_eq!((first.hop, first.step), (trace.blocked_at.unwrap().hop, trace.blocked_at.unwrap().step));
        let a = first.after.as_ref().unwrap();
        assert_ne!((a.rule(), a.step.decision), (b.rule(), b.step.decision));
        // Every reported cell is where the diff says it is.
        for c in &d.changes {
            assert_eq!(c.before, c.before_cell.and_then(|x| m.cell(x.row, x.column)));
            assert_eq!(c.after, c.after_cell.and_then(|x| am.cell(x.row, x.column)));
        }
    }

    #[test]
    fn removing_and_adding_objects_lists_their_pairs_as_removed_and_added() {
        let doc = default_doc();
        let before = model(&doc);
        let mut edited = doc.clone();
        let host = edited.vpcs.iter_mut().find(|v| !v.hosts.is_empty()).unwrap().hosts.remove(0);
        let host_ref = format!("host:{}", host.id);
        let mut client = edited.internet_clients[0].clone();
        client.id = "newcomer".into();
        edited.internet_clients.push(client);
        let after = model(&edited);

        let d = diff(&before, &after);
        assert_eq!(as_map(&d), brute_force(&before, &after));
        let (bm, am) = (Matrix::new(&before), Matrix::new(&after));
        let s = d.summary();
        assert!(s.removed > 0 && s.added > 0, "{s:?}");
        assert_eq!(s.total(), d.changes.len());
        assert!(d.changes.iter().any(|c| c.change == Change::Removed && c.source == host_ref));
        assert!(d.changes.iter().any(|c| c.change == Change::Removed && c.destination == host_ref));
        assert!(d.changes.iter().any(|c| c.change == Change::Added && c.source == "client:newcomer"));
        for c in &d.changes {
            let first = c.first_difference(&before, &bm, &after, &am);
            match c.change {
                Change::Added => assert!(c.before.is_none() && c.after.is_some() && first.is_none()),
                Change::Removed => assert!(c.before.is_some() && c.after.is_none() && first.is_none()),
                _ => assert!(first.is_some()),
            }
        }
        // Pairs in both first, then added, then removed; each group in matrix order.
        let rank = |c: &PairChange| match c.change {
            Change::Added => 1,
            Change::Removed => 2,
            _ => 0,
        };
        assert!(d.changes.windows(2).all(|w| rank(&w[0]) <= rank(&w[1])));
        let removed: Vec<Cell> = d.changes.iter().filter_map(|c| (rank(c) == 2).then_some(c.before_cell?)).collect();
        assert!(removed.windows(2).all(|w| w[0] < w[1]));
        let added: Vec<Cell> = d.changes.iter().filter_map(|c| (rank(c) == 1).then_some(c.after_cell?)).collect();
        assert!(added.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn the_diff_does_not_depend_on_object_order() {
        let doc = default_doc();
        let before = model(&doc);
        let mut reordered = doc.clone();
        reordered.internet_clients.reverse();
        reordered.external_services.reverse();
        let after = model(&reordered);
        assert!(diff(&before, &after).is_empty());
    }

    #[test]
    fn closing_a_pair_and_changing_a_blocking_rule_are_told_apart() {
        assert_eq!(classify(None, None), None);
        let connected = Outcome { verdict: Verdict::Connected, blocked_by: None };
        let route = Outcome { verdict: Verdict::Blocked, blocked_by: Some(RuleId::PeerRoute) };
        let acl = Outcome { verdict: Verdict::Blocked, blocked_by: Some(RuleId::PeerNacl) };
        assert_eq!(classify(Some(route), Some(connected)), Some(Change::Opened));
        assert_eq!(classify(Some(connected), Some(route)), Some(Change::Closed));
        assert_eq!(classify(Some(route), Some(acl)), Some(Change::Changed));
        assert_eq!(classify(Some(route), Some(route)), None);
        assert_eq!(classify(None, Some(route)), Some(Change::Added));
        assert_eq!(classify(Some(connected), None), Some(Change::Removed));
    }

    #[test]
    fn a_repeated_column_is_one_pair() {
        let mut doc = default_doc();
        let before = model(&doc);
        let host = doc.vpcs.iter_mut().flat_map(|v| v.hosts.iter_mut()).find(|h| !h.ports.is_empty()).unwrap();
        let first = host.ports[0];
        host.ports.push(first);
        let after = model(&doc);
        assert_eq!(Matrix::new(&after).services.len(), Matrix::new(&before).services.len() + 1);
        assert!(diff(&before, &after).is_empty());
        assert!(diff(&after, &before).is_empty());
    }

    #[test]
    fn matrices_of_other_models_do_not_panic() {
        let before = check_text(DEFAULT).model;
        let empty = Model::default();
        let d = diff_matrices(&empty, &Matrix::new(&before), &empty, &Matrix::new(&before));
        assert!(d.is_empty());
        let d = diff_matrices(&before, &Matrix::new(&empty), &before, &Matrix::new(&before));
        assert_eq!(d.summary().added, pairs(&before).len());
        assert!(
            d.changes
                .iter()
                .all(|c| c.first_difference(&before, &Matrix::new(&empty), &before, &Matrix::new(&before)).is_none())
        );
    }

    #[test]
    fn a_matrix_missing_cells_has_those_pairs_unanswered() {
        let model = check_text(DEFAULT).model;
        let whole = Matrix::new(&model);
        let mut short = whole.clone();
        let width = short.services.len();
        // Cut inside the second row: its first cells stay, the rest and every later row go.
        short.cells.truncate(width + width / 2);
        let d = diff_matrices(&model, &whole, &model, &short);
        let expected = whole.cells[width + width / 2..].iter().filter(|c| c.is_some()).count();
        assert!(expected > 0);
        assert_eq!(d.summary().removed, expected);
        assert_eq!(d.summary().total(), expected);
        assert!(d.changes.iter().all(|c| c.after_cell.is_some() && c.before_cell.unwrap().row >= 1));
        let back = diff_matrices(&model, &short, &model, &whole);
        assert_eq!(back.summary().added, expected);
        assert_eq!(back.summary().total(), expected);
    }
}
