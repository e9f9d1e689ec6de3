//! The connectivity view's model: the engine's matrix with its rows (sources) and columns
//! (destination services) grouped by the network that holds each end, in the canvas's order
//! and colours; the filters a person sets; the summary (counts, blocking rules ranked); the
//! counts by pair of networks the heatmap draws; a cell's element ID and the line that describes
//! it; where a diff's changes show. Pure data, tested natively; the app draws it.

use std::collections::HashMap;

use spacetrace_engine::diff::{Change, MatrixDiff, PairChange};
use spacetrace_engine::doc::Verdict;
use spacetrace_engine::matrix::Matrix;
use spacetrace_engine::model::Model;
use spacetrace_engine::refs::protocol_ref;
use spacetrace_engine::trace::Outcome;
use spacetrace_engine::{Checked, Dst, RuleId, Src, render};

use crate::{COMMON_RUNTIME, INTERNET, RegionKind};

/// The network an end belongs to: the canvas region that holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Network {
    /// The region's ID on the canvas (`@internet`, `@common-runtime`, a space's, VPC's or
    /// remote network's ID).
    pub region: String,
    pub kind: RegionKind,
    pub name: String,
    /// Where the canvas puts it: the internet, the Common Runtime, spaces, VPCs, remote networks,
    /// each in document order.
    order: (u8, usize),
}

fn internet() -> Network {
    Network { region: INTERNET.into(), kind: RegionKind::Internet, name: "Internet".into(), order: (0, 0) }
}

fn space(m: &Model, s: usize) -> Network {
    let sp = &m.spaces[s];
    Network {
        region: sp.id.clone(),
        kind: RegionKind::of_space(sp.generation, sp.shield),
        name: sp.name.clone(),
        order: (2, s),
    }
}

fn app_network(m: &Model, a: spacetrace_engine::model::AppIx) -> Network {
    match m.app(a).space {
        Some(s) => space(m, s.ix()),
        None => Network {
            region: COMMON_RUNTIME.into(),
            kind: RegionKind::CommonRuntime,
            name: "Common Runtime".into(),
            order: (1, 0),
        },
    }
}

fn vpc(m: &Model, v: usize) -> Network {
    let x = &m.vpcs[v];
    Network { region: x.id.clone(), kind: RegionKind::Vpc, name: x.name.clone(), order: (3, v) }
}

fn remote(m: &Model, r: usize) -> Network {
    let x = &m.remotes[r];
    Network { region: x.id.clone(), kind: RegionKind::Remote, name: x.name.clone(), order: (4, r) }
}

/// The network a source is in.
pub fn src_network(m: &Model, src: Src) -> Network {
    match src {
        Src::Dyno { app, .. } => app_network(m, app),
        Src::Host(h) => vpc(m, m.host(h).vpc.ix()),
        Src::RemoteHost(h) => remote(m, m.remote_host(h).remote.ix()),
        Src::Client(_) => internet(),
    }
}

/// The network a destination is in.
pub fn dst_network(m: &Model, dst: Dst) -> Network {
    match dst {
        Dst::Hostname(app) | Dst::Discovery { app, .. } | Dst::DynoAddress { app, .. } => app_network(m, app),
        Dst::Addon(a) => space(m, m.addon(a).space.ix()),
        Dst::Host(h) => vpc(m, m.host(h).vpc.ix()),
        Dst::RemoteHost(h) => remote(m, m.remote_host(h).remote.ix()),
        Dst::External(_) | Dst::Localhost => internet(),
    }
}

/// Consecutive rows or columns of one network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub network: Network,
    /// Indexes into the matrix's sources or services, in the matrix's order.
    pub members: Vec<usize>,
}

fn grouped(networks: Vec<Network>) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for (i, n) in networks.into_iter().enumerate() {
        match out.iter_mut().find(|g| g.network.region == n.region) {
            Some(g) => g.members.push(i),
            None => out.push(Group { network: n, members: vec![i] }),
        }
    }
    out.sort_by_key(|g| g.network.order);
    out
}

/// The matrix's rows, grouped by network in the canvas's order.
pub fn row_groups(m: &Model, matrix: &Matrix) -> Vec<Group> {
    grouped(matrix.sources.iter().map(|s| src_network(m, *s)).collect())
}

/// The matrix's columns, grouped by network in the canvas's order.
pub fn column_groups(m: &Model, matrix: &Matrix) -> Vec<Group> {
    grouped(matrix.services.iter().map(|s| dst_network(m, s.dst)).collect())
}

/// What a cell shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CellVerdict {
    Connected,
    Blocked,
    /// Spacetrace does not model the pair (neither end on Heroku).
    Unmodelled,
}

impl CellVerdict {
    pub fn of(cell: Option<Outcome>) -> Self {
        match cell.map(|o| o.verdict) {
            Some(Verdict::Connected) => Self::Connected,
            Some(Verdict::Blocked) => Self::Blocked,
            None => Self::Unmodelled,
        }
    }

    /// The value of the cell's `data-verdict`, and the word a filter uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Connected => "connected",
            Self::Blocked => "blocked",
            Self::Unmodelled => "unmodelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Connected, Self::Blocked, Self::Unmodelled].into_iter().find(|v| v.as_str() == s)
    }

    /// The mark drawn in the cell, so a verdict never rests on colour alone.
    pub fn mark(self) -> &'static str {
        match self {
            Self::Connected => "\u{2714}",
            Self::Blocked => "\u{2716}",
            Self::Unmodelled => "\u{00b7}",
        }
    }
}

/// What the person narrowed the view to. `None` shows everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// The source network (a region ID).
    pub from: Option<String>,
    /// The destination network (a region ID).
    pub to: Option<String>,
    pub verdict: Option<CellVerdict>,
    pub rule: Option<RuleId>,
}

impl Filter {
    /// Does a cell match the verdict and rule filters?
    pub fn matches(&self, cell: Option<Outcome>) -> bool {
        self.verdict.is_none_or(|v| CellVerdict::of(cell) == v)
            && self.rule.is_none_or(|r| cell.and_then(|o| o.blocked_by) == Some(r))
    }

    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// The rows and columns a filter leaves: those in the chosen networks that hold at least one
/// matching cell. Groups left empty are dropped.
pub fn visible(m: &Model, matrix: &Matrix, filter: &Filter) -> (Vec<Group>, Vec<Group>) {
    let keep_group = |g: &Group, want: &Option<String>| want.as_ref().is_none_or(|w| *w == g.network.region);
    let rows: Vec<Group> = row_groups(m, matrix).into_iter().filter(|g| keep_group(g, &filter.from)).collect();
    let columns: Vec<Group> = column_groups(m, matrix).into_iter().filter(|g| keep_group(g, &filter.to)).collect();
    if filter.verdict.is_none() && filter.rule.is_none() {
        return (rows, columns);
    }
    let all_rows: Vec<usize> = rows.iter().flat_map(|g| g.members.iter().copied()).collect();
    let all_columns: Vec<usize> = columns.iter().flat_map(|g| g.members.iter().copied()).collect();
    let row_has = |r: usize| all_columns.iter().any(|&c| filter.matches(matrix.cell(r, c)));
    let column_has = |c: usize| all_rows.iter().any(|&r| filter.matches(matrix.cell(r, c)));
    let prune = |groups: Vec<Group>, keep: &dyn Fn(usize) -> bool| -> Vec<Group> {
        groups
            .into_iter()
            .map(|g| Group { members: g.members.into_iter().filter(|&i| keep(i)).collect(), ..g })
            .filter(|g| !g.members.is_empty())
            .collect()
    };
    (prune(rows, &row_has), prune(columns, &column_has))
}

/// The counts of each verdict and the blocking rules, most cells first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub connected: usize,
    pub blocked: usize,
    pub unmodelled: usize,
    /// Each rule that blocks some cell, with how many; most first, then by rule ID.
    pub rules: Vec<(RuleId, usize)>,
}

pub fn summary(matrix: &Matrix) -> Summary {
    let (connected, blocked, unmodelled) = matrix.counts();
    let mut rules: Vec<(RuleId, usize)> = Vec::new();
    for rule in matrix.cells.iter().filter_map(|c| c.and_then(|o| o.blocked_by)) {
        match rules.iter_mut().find(|(r, _)| *r == rule) {
            Some((_, n)) => *n += 1,
            None => rules.push((rule, 1)),
        }
    }
    rules.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.as_str().cmp(b.0.as_str())));
    Summary { connected, blocked, unmodelled, rules }
}

/// The rows (or columns) of groups, in order.
pub fn flat(groups: &[Group]) -> Vec<usize> {
    groups.iter().flat_map(|g| g.members.iter().copied()).collect()
}

/// One block of the heatmap: the pairs from one network to another.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Block {
    pub connected: usize,
    pub blocked: usize,
    pub unmodelled: usize,
}

impl Block {
    /// The share of connected pairs among the modelled ones, if any is modelled.
    pub fn share(&self) -> Option<f64> {
        let modelled = self.connected + self.blocked;
        (modelled > 0).then(|| self.connected as f64 / modelled as f64)
    }
}

/// The matrix by network: the row groups, the column groups and each block's counts.
pub fn blocks(model: &Model, m: &Matrix) -> (Vec<Group>, Vec<Group>, Vec<Vec<Block>>) {
    let rows = row_groups(model, m);
    let columns = column_groups(model, m);
    let table = rows
        .iter()
        .map(|rg| {
            columns
                .iter()
                .map(|cg| {
                    let mut b = Block::default();
                    for &r in &rg.members {
                        for &c in &cg.members {
                            match CellVerdict::of(m.cell(r, c)) {
                                CellVerdict::Connected => b.connected += 1,
                                CellVerdict::Blocked => b.blocked += 1,
                                CellVerdict::Unmodelled => b.unmodelled += 1,
                            }
                        }
                    }
                    b
                })
                .collect()
        })
        .collect();
    (rows, columns, table)
}

/// The element ID of a cell of the grid.
pub fn cell_id(row: usize, column: usize) -> String {
    format!("mx-{row}-{column}")
}

/// The (row, column) of a cell element's ID.
pub fn parse_cell_id(id: &str) -> Option<(usize, usize)> {
    let mut parts = id.strip_prefix("mx-")?.split('-');
    let row = parts.next()?.parse().ok()?;
    let column = parts.next()?.parse().ok()?;
    Some((row, column))
}

/// One line about a cell: its question and its answer, with the blocking rule.
pub fn describe(checked: &Checked, m: &Matrix, row: usize, column: usize) -> String {
    let model = &checked.model;
    let (Some(src), Some(svc)) = (m.sources.get(row), m.services.get(column)) else { return String::new() };
    let question = format!(
        "{} \u{2192} {}, {} {}",
        render::src_label(model, *src),
        render::dst_label(model, svc.dst),
        protocol_ref(svc.protocol).to_uppercase(),
        svc.port
    );
    let cell = m.cell(row, column);
    let answer = match (CellVerdict::of(cell), cell.and_then(|o| o.blocked_by)) {
        (CellVerdict::Connected, _) => "connected".to_owned(),
        (CellVerdict::Blocked, Some(rule)) => format!("blocked by {}: {}", rule.as_str(), rule.info().summary),
        (CellVerdict::Blocked, None) => "blocked".to_owned(),
        (CellVerdict::Unmodelled, _) => "not modelled (neither end is on Heroku)".to_owned(),
    };
    format!("{question}: {answer}")
}

/// Where each change of a diff shows in the current matrix.
pub fn cell_marks(d: &MatrixDiff) -> HashMap<(usize, usize), Change> {
    d.changes.iter().filter_map(|c| c.after_cell.map(|at| ((at.row, at.column), c.change))).collect()
}

/// "api/worker → host:warehouse (TCP 5432)": a changed pair, for the list of changes.
pub fn change_line(c: &PairChange) -> String {
    format!("{} \u{2192} {} ({})", c.source, c.destination, render::port(c.protocol, c.port))
}

#[cfg(test)]
mod tests {
    use super::*;
    use spacetrace_engine::check_text;

    fn default() -> spacetrace_engine::Checked {
        check_text(include_str!("../../../scenarios/default.json"))
    }

    #[test]
    fn groups_follow_the_canvas_order_and_hold_every_row_and_column_once() {
        let c = default();
        let m = Matrix::new(&c.model);
        let rows = row_groups(&c.model, &m);
        let columns = column_groups(&c.model, &m);
        let mut seen: Vec<usize> = rows.iter().flat_map(|g| g.members.clone()).collect();
        seen.sort_unstable();
        assert_eq!(seen, (0..m.sources.len()).collect::<Vec<_>>());
        let mut seen: Vec<usize> = columns.iter().flat_map(|g| g.members.clone()).collect();
        seen.sort_unstable();
        assert_eq!(seen, (0..m.services.len()).collect::<Vec<_>>());
        // The internet's clients come first, as on the canvas; then Heroku, then AWS.
        assert_eq!(rows[0].network.region, INTERNET);
        let kinds: Vec<RegionKind> = rows.iter().map(|g| g.network.kind).collect();
        let space =
            kinds.iter().position(|k| matches!(k, RegionKind::Cedar | RegionKind::CedarShield | RegionKind::Fir));
        let vpc = kinds.iter().position(|k| *k == RegionKind::Vpc);
        assert!(space.is_some() && vpc.is_some() && space < vpc, "{kinds:?}");
        // Every region appears once.
        for (i, g) in rows.iter().enumerate() {
            assert!(rows[i + 1..].iter().all(|o| o.network.region != g.network.region));
        }
    }

    #[test]
    fn filters_keep_exactly_the_matching_rows_and_columns() {
        let c = default();
        let m = Matrix::new(&c.model);
        let s = summary(&m);
        let (rule, n) = s.rules[0];
        let f = Filter { rule: Some(rule), ..Filter::default() };
        let (rows, columns) = visible(&c.model, &m, &f);
        let rows: Vec<usize> = rows.iter().flat_map(|g| g.members.clone()).collect();
        let columns: Vec<usize> = columns.iter().flat_map(|g| g.members.clone()).collect();
        let shown = rows.iter().flat_map(|&r| columns.iter().map(move |&c| (r, c)));
        assert_eq!(shown.filter(|&(r, c)| f.matches(m.cell(r, c))).count(), n, "every cell the rule blocks is shown");
        for r in 0..m.sources.len() {
            let any = (0..m.services.len()).any(|c| f.matches(m.cell(r, c)));
            assert_eq!(rows.contains(&r), any, "row {r}");
        }
        // A network filter keeps that network's rows only.
        let net = row_groups(&c.model, &m)[1].network.region.clone();
        let (rows, _) = visible(&c.model, &m, &Filter { from: Some(net.clone()), ..Filter::default() });
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].network.region, net);
        // Nothing matches: nothing shown.
        let none = Filter { verdict: Some(CellVerdict::Connected), rule: Some(rule), ..Filter::default() };
        assert_eq!(visible(&c.model, &m, &none), (Vec::new(), Vec::new()));
    }

    #[test]
    fn the_summary_counts_every_cell_and_ranks_rules() {
        let c = default();
        let m = Matrix::new(&c.model);
        let s = summary(&m);
        assert_eq!(s.connected + s.blocked + s.unmodelled, m.cells.len());
        assert_eq!(s.rules.iter().map(|(_, n)| n).sum::<usize>(), s.blocked);
        assert!(s.rules.windows(2).all(|w| w[0].1 >= w[1].1));
        for v in [CellVerdict::Connected, CellVerdict::Blocked, CellVerdict::Unmodelled] {
            assert_eq!(CellVerdict::parse(v.as_str()), Some(v));
        }
    }

    #[test]
    fn cell_ids_round_trip() {
        assert_eq!(cell_id(12, 340), "mx-12-340");
        assert_eq!(parse_cell_id(&cell_id(12, 340)), Some((12, 340)));
        assert_eq!(parse_cell_id(&cell_id(0, 0)), Some((0, 0)));
        assert_eq!(parse_cell_id("mx-1"), None);
        assert_eq!(parse_cell_id("mx-a-1"), None);
        assert_eq!(parse_cell_id("other"), None);
    }

    #[test]
    fn blocks_count_every_cell_once_by_network() {
        let c = default();
        let m = Matrix::new(&c.model);
        let (rows, columns, table) = blocks(&c.model, &m);
        assert_eq!(rows, row_groups(&c.model, &m));
        assert_eq!(columns, column_groups(&c.model, &m));
        assert_eq!(table.len(), rows.len());
        let s = summary(&m);
        let sum = |f: fn(&Block) -> usize| table.iter().flatten().map(f).sum::<usize>();
        assert_eq!(
            (sum(|b| b.connected), sum(|b| b.blocked), sum(|b| b.unmodelled)),
            (s.connected, s.blocked, s.unmodelled)
        );
        for (rg, line) in rows.iter().zip(&table) {
            assert_eq!(line.len(), columns.len());
            for (cg, b) in columns.iter().zip(line) {
                assert_eq!(b.connected + b.blocked + b.unmodelled, rg.members.len() * cg.members.len());
            }
        }
        assert_eq!(Block { connected: 1, blocked: 3, unmodelled: 9 }.share(), Some(0.25));
        assert_eq!(Block { connected: 0, blocked: 0, unmodelled: 2 }.share(), None);
        assert_eq!(flat(&rows).len(), m.sources.len());
    }

    #[test]
    fn a_cell_is_described_by_its_question_and_answer() {
        let c = default();
        let m = Matrix::new(&c.model);
        let blocked = (0..m.sources.len())
            .flat_map(|r| (0..m.services.len()).map(move |k| (r, k)))
            .find(|&(r, k)| m.cell(r, k).and_then(|o| o.blocked_by).is_some())
            .expect("the default example blocks some pair");
        let rule = m.cell(blocked.0, blocked.1).and_then(|o| o.blocked_by).unwrap();
        let line = describe(&c, &m, blocked.0, blocked.1);
        let src = render::src_label(&c.model, m.sources[blocked.0]);
        assert!(line.starts_with(&format!("{src} \u{2192} ")), "{line}");
        assert!(line.ends_with(&format!(": blocked by {}: {}", rule.as_str(), rule.info().summary)), "{line}");
        let connected = (0..m.sources.len())
            .flat_map(|r| (0..m.services.len()).map(move |k| (r, k)))
            .find(|&(r, k)| CellVerdict::of(m.cell(r, k)) == CellVerdict::Connected)
            .expect("the default example connects some pair");
        assert!(describe(&c, &m, connected.0, connected.1).ends_with(": connected"));
        assert_eq!(describe(&c, &m, m.sources.len(), 0), "");
    }

    #[test]
    fn changes_are_marked_where_they_show_now() {
        let c = default();
        let m = Matrix::new(&c.model);
        // The same network without its peerings: some pairs close.
        let mut doc = spacetrace_engine::parse_document(include_str!("../../../scenarios/default.json")).unwrap();
        doc.peerings.clear();
        let after = spacetrace_engine::check(&doc);
        let am = Matrix::new(&after.model);
        let d = spacetrace_engine::diff::diff_matrices(&c.model, &m, &after.model, &am);
        assert!(!d.changes.is_empty(), "removing the peerings changes some pair");
        let marks = cell_marks(&d);
        assert_eq!(marks.len(), d.changes.iter().filter(|x| x.after_cell.is_some()).count());
        for x in &d.changes {
            if let Some(at) = x.after_cell {
                assert_eq!(marks.get(&(at.row, at.column)), Some(&x.change));
            }
            let line = change_line(x);
            assert!(line.starts_with(&format!("{} \u{2192} {} (", x.source, x.destination)), "{line}");
        }
    }
}
