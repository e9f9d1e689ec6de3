//! The answered path on the canvas: one numbered stop per hop of the trace, at the place that hop
//! happens (a card, a gate, an edge, or a region's header), joined by routes that cross only the
//! regions holding their ends. The path ends where the trace ends: at the blocking hop, if any.

use spacetrace_engine::trace::{ComponentKind, Hop, Trace, Verdict};

use crate::route::Grid;
use crate::{COMMON_RUNTIME, INTERNET, Layout};

/// What a stop marks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StopTarget {
    Card(String),
    Gate(String),
    Edge(String),
    Region(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stop {
    /// The hop's number in the trace (1-based), as the trace view numbers it.
    pub hop: usize,
    pub x: f64,
    pub y: f64,
    pub blocked: bool,
    pub target: StopTarget,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PathView {
    pub verdict: Verdict,
    pub stops: Vec<Stop>,
    /// One orthogonal polyline from each stop to the next.
    pub segments: Vec<Vec<(f64, f64)>>,
}

/// Where a hop happens on the canvas, if the layout draws it.
fn target(l: &Layout, hop: &Hop) -> Option<StopTarget> {
    let c = &hop.component;
    let id = c.id.as_str();
    let card = || l.card(id).map(|_| StopTarget::Card(id.to_owned()));
    let gate = |g: String| l.gate(&g).map(|_| StopTarget::Gate(g));
    let region = |r: &str| l.region(r).map(|_| StopTarget::Region(r.to_owned()));
    // The gate of this kind in the region holding an app (its space, or the Common Runtime).
    let app_gate = |suffix: &str| {
        let r = l.region_of(id)?;
        gate(format!("{}:{suffix}", r.id))
    };
    match c.kind {
        ComponentKind::Dyno
        | ComponentKind::InternetClient
        | ComponentKind::VpcHost
        | ComponentKind::RemoteHost
        | ComponentKind::Addon
        | ComponentKind::ExternalService => card(),
        ComponentKind::Dns => app_gate("dns"),
        ComponentKind::Router => app_gate("router"),
        ComponentKind::TrustedIpFilter => gate(format!("{id}:trusted")).or_else(|| region(id)),
        ComponentKind::PrivateNetwork => gate(format!("{id}:private")).or_else(|| region(id)),
        ComponentKind::NatGateway => gate(format!("{id}:nat")).or_else(|| region(id)),
        ComponentKind::Internet => {
            if id.is_empty() {
                gate(format!("{INTERNET}:net"))
            } else {
                gate(format!("{id}:egress")).or_else(|| region(id))
            }
        }
        ComponentKind::Peering | ComponentKind::VpnTunnel => {
            l.edge(id).map(|_| StopTarget::Edge(id.to_owned())).or_else(|| region(id))
        }
        ComponentKind::RouteTable
        | ComponentKind::NetworkAcl
        | ComponentKind::SecurityGroup
        | ComponentKind::RemoteFirewall => gate(id.to_owned()).or_else(|| region(id)),
    }
}

fn point(l: &Layout, t: &StopTarget) -> Option<(f64, f64)> {
    match t {
        StopTarget::Card(id) => l.card(id).map(crate::Card::slot),
        StopTarget::Gate(id) => l.gate(id).map(crate::Gate::slot),
        StopTarget::Edge(id) => l.edge(id).map(|e| e.slot),
        StopTarget::Region(id) => l.region(id).map(crate::Region::slot),
    }
}

/// The region a stop lies in, as an index into the layout's regions.
fn region_index(l: &Layout, t: &StopTarget) -> Option<usize> {
    let id = match t {
        StopTarget::Card(id) | StopTarget::Gate(id) | StopTarget::Region(id) => id,
        StopTarget::Edge(_) => return None,
    };
    let r = l.region_of(id)?;
    l.regions.iter().position(|x| x.id == r.id)
}

/// The path of a trace over a layout.
pub fn path(l: &Layout, trace: &Trace) -> PathView {
    let last = trace.blocked_at.map(|b| b.hop).unwrap_or(usize::MAX);
    let hops: Vec<&Hop> = trace.hops.iter().take(last.saturating_add(1)).collect();
    let mut targets: Vec<Option<StopTarget>> = hops.iter().map(|h| target(l, h)).collect();
    // A hop whose component is not drawn (for example the security groups of a host that has
    // none) is marked at the region of its nearest neighbour that is, so no hop goes unmarked.
    for i in 0..targets.len() {
        if targets[i].is_none() {
            let near = (1..targets.len()).find_map(|d| {
                let after = targets.get(i + d).and_then(Option::as_ref);
                let before = i.checked_sub(d).and_then(|j| targets.get(j)).and_then(Option::as_ref);
                after.or(before).and_then(|t| region_index(l, t))
            });
            let fallback = near
                .map(|k| l.regions[k].id.clone())
                .or_else(|| l.region(COMMON_RUNTIME).or(l.regions.first()).map(|r| r.id.clone()));
            targets[i] = fallback.map(StopTarget::Region);
        }
    }
    let mut stops: Vec<Stop> = Vec::new();
    let text = if targets.iter().flatten().enumerate().any(|(i, t)| targets.iter().flatten().take(i).any(|o| o == t)) {
        l.text_boxes()
    } else {
        Vec::new()
    };
    for (i, t) in targets.into_iter().enumerate() {
        let Some(t) = t else { continue };
        let Some((x0, y0)) = point(l, &t) else { continue };
        // The blocking stop's marker is larger than a numbered one: on a chip's slot or a card's
        // edge it grows leftwards, out of the chip or card, so it keeps clear of the name.
        let blocked = trace.blocked_at.is_some_and(|b| b.hop == i);
        let x0 = match t {
            StopTarget::Gate(_) | StopTarget::Card(_) if blocked => x0 - (crate::BLOCK_R - crate::STOP_R) - 1.0,
            _ => x0,
        };
        // Two hops at one place: the later stop sits just below the earlier one, or, where that
        // would cover text (a folded card is short), beside it.
        let again = stops.iter().filter(|s| s.target == t).count() as f64;
        let step = again * (2.0 * crate::STOP_R + 3.0);
        let (x, y) = if again == 0.0 {
            (x0, y0)
        } else {
            let r = crate::BLOCK_R;
            let free = |&(x, y): &(f64, f64)| {
                let b = crate::Rect { x: x - r, y: y - r, w: 2.0 * r, h: 2.0 * r };
                !text.iter().any(|t| t.intersects(&b))
                    && !stops.iter().any(|s| {
                        let apart = crate::STOP_R + r;
                        (s.x - x).abs() < apart && (s.y - y).abs() < apart
                    })
            };
            let options = [(x0, y0 + step), (x0 - step, y0), (x0, y0 - step)];
            options.iter().copied().find(free).unwrap_or(options[0])
        };
        stops.push(Stop { hop: i + 1, x, y, blocked, target: t });
    }
    let mut grid = Grid::new(&l.regions, &stops.iter().map(|s| (s.x, s.y)).collect::<Vec<_>>());
    let segments = stops
        .windows(2)
        .map(|w| {
            let (a, b) = (&w[0], &w[1]);
            let allowed: Vec<usize> =
                [region_index(l, &a.target), region_index(l, &b.target)].into_iter().flatten().collect();
            grid.route((a.x, a.y), (b.x, b.y), &allowed).unwrap_or_else(|| vec![(a.x, a.y), (b.x, b.y)])
        })
        .collect();
    PathView { verdict: trace.verdict, stops, segments }
}
