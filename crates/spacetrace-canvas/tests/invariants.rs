//! What a person looks for on the canvas, checked on every example scenario and on generated
//! ones: regions never overlap; no edge or path segment passes through a region that holds
//! neither of its ends; every hop of every answer has a stop, numbered as in the trace, that
//! covers no text and no other stop; edge labels are never hidden; the layout fits a projector.

use spacetrace_canvas::{Layout, PathView, Rect, StopTarget, layout, path};
use spacetrace_engine::check::check;
use spacetrace_engine::doc::Document;
use spacetrace_engine::matrix::Matrix;
use spacetrace_engine::{evaluate, parse_document};

fn examples() -> Vec<(String, Document)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    let mut out: Vec<(String, Document)> = std::fs::read_dir(&dir)
        .expect("scenarios/")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).expect("readable");
            (e.file_name().to_string_lossy().into_owned(), parse_document(&text).expect("parses"))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(out.len() >= 9, "every example is checked");
    out
}

/// No position anywhere: everything placed by the automatic layout.
fn unpinned(mut d: Document) -> Document {
    d.layout.internet = None;
    d.layout.common_runtime = None;
    d.spaces.iter_mut().for_each(|s| s.position = None);
    d.vpcs.iter_mut().for_each(|v| v.position = None);
    d.remote_networks.iter_mut().for_each(|r| r.position = None);
    d
}

/// A generated network of `regions` regions: the internet, the Common Runtime, and whole estates
/// of the benchmark generator (spaces, peered VPCs, VPN-connected offices), cut to size.
pub fn generated(regions: usize) -> Document {
    let mut d = unpinned(spacetrace_engine::synth::scenario(200));
    while count(&d) > regions {
        if d.remote_networks.len() >= d.vpcs.len() && !d.remote_networks.is_empty() {
            let r = d.remote_networks.pop().map(|r| r.id).unwrap_or_default();
            d.vpns.retain(|v| v.remote_network != r);
        } else if d.vpcs.len() >= d.spaces.len() / 2 && !d.vpcs.is_empty() {
            let v = d.vpcs.pop().map(|v| v.id).unwrap_or_default();
            d.peerings.retain(|p| p.vpc != v);
            d.vpc_peerings.retain(|p| p.vpc != v && p.peer_vpc != v);
        } else {
            let s = d.spaces.pop().map(|s| s.id).unwrap_or_default();
            d.peerings.retain(|p| p.space != s);
            d.vpns.retain(|v| v.space != s);
        }
    }
    d.questions.clear();
    d.internet_clients.truncate(3);
    d.external_services.truncate(2);
    d.common_runtime_apps.truncate(2);
    d
}

fn count(d: &Document) -> usize {
    2 + d.spaces.len() + d.vpcs.len() + d.remote_networks.len()
}

fn assert_no_overlap(name: &str, l: &Layout) {
    for (i, a) in l.regions.iter().enumerate() {
        for b in &l.regions[i + 1..] {
            assert!(!a.rect().intersects(&b.rect()), "{name}: regions {} and {} overlap", a.id, b.id);
        }
    }
}

/// Does a polyline pass through the inside of a region other than `allowed`?
fn crossing<'a>(l: &'a Layout, pts: &[(f64, f64)], allowed: &[&str]) -> Option<&'a str> {
    l.regions.iter().filter(|r| !allowed.contains(&r.id.as_str())).find_map(|r| {
        let inner = r.rect().grow(-0.5);
        pts.windows(2).any(|w| inner.crossed_by(w[0], w[1])).then_some(r.id.as_str())
    })
}

fn assert_edges(name: &str, l: &Layout) {
    for e in &l.edges {
        assert!(e.points.len() >= 2, "{name}: edge {} has a route", e.id);
        for w in e.points.windows(2) {
            let straight = (w[0].0 - w[1].0).abs() < 0.01 || (w[0].1 - w[1].1).abs() < 0.01;
            assert!(straight, "{name}: edge {} runs only across and down: {:?}", e.id, e.points);
        }
        assert_eq!(crossing(l, &e.points, &[]), None, "{name}: edge {} passes through a region", e.id);
        // The label is visible: it covers no region, gate or other label.
        for r in &l.regions {
            assert!(!e.label_box.intersects(&r.rect()), "{name}: the label of {} is hidden by {}", e.id, r.id);
        }
        for g in &l.gates {
            assert!(!e.label_box.intersects(&g.rect()), "{name}: the label of {} covers gate {}", e.id, g.id);
        }
        for o in &l.edges {
            if o.id != e.id {
                assert!(!e.label_box.intersects(&o.label_box), "{name}: labels of {} and {} overlap", e.id, o.id);
            }
        }
    }
}

fn stop_box(x: f64, y: f64, blocked: bool) -> Rect {
    let r = if blocked { spacetrace_canvas::BLOCK_R } else { spacetrace_canvas::STOP_R };
    Rect { x: x - r, y: y - r, w: 2.0 * r, h: 2.0 * r }
}

fn assert_path(name: &str, l: &Layout, p: &PathView, hops: usize, what: &str) {
    // One stop per hop, numbered as in the trace.
    assert_eq!(p.stops.iter().map(|s| s.hop).collect::<Vec<_>>(), (1..=hops).collect::<Vec<_>>(), "{name}: {what}");
    assert_eq!(p.segments.len(), hops.saturating_sub(1));
    let text = l.text_boxes();
    for (i, s) in p.stops.iter().enumerate() {
        let b = stop_box(s.x, s.y, s.blocked);
        // The blocking marker, the one a room looks for, keeps 2 units of room from any text, so
        // it never touches a name.
        let m = if s.blocked { 2.0 } else { 0.0 };
        let room = Rect { x: b.x - m, y: b.y - m, w: b.w + 2.0 * m, h: b.h + 2.0 * m };
        for t in &text {
            assert!(!room.intersects(t), "{name}: {what}: stop {} at {:?} covers text {t:?}", s.hop, s.target);
        }
        for o in &p.stops[i + 1..] {
            assert!(
                !b.intersects(&stop_box(o.x, o.y, o.blocked)),
                "{name}: {what}: stops {} and {} overlap",
                s.hop,
                o.hop
            );
        }
    }
    let owner = |t: &StopTarget| -> Option<String> {
        match t {
            StopTarget::Card(id) | StopTarget::Gate(id) | StopTarget::Region(id) => {
                l.region_of(id).map(|r| r.id.clone())
            }
            StopTarget::Edge(_) => None,
        }
    };
    for (k, seg) in p.segments.iter().enumerate() {
        let ends: Vec<String> =
            [owner(&p.stops[k].target), owner(&p.stops[k + 1].target)].into_iter().flatten().collect();
        let allowed: Vec<&str> = ends.iter().map(String::as_str).collect();
        assert_eq!(crossing(l, seg, &allowed), None, "{name}: {what}: segment {} passes through a region", k + 1);
    }
}

/// Every question the matrix can ask, plus the saved ones.
fn check_all_paths(name: &str, d: &Document, l: &Layout) -> usize {
    let checked = check(d);
    let m = Matrix::new(&checked.model);
    let mut asked = 0;
    for row in 0..m.sources.len() {
        for column in 0..m.services.len() {
            let Some(t) = m.trace(&checked.model, row, column) else { continue };
            let p = path(l, &t);
            let hops = t.blocked_at.map(|b| b.hop + 1).unwrap_or(t.hops.len());
            let kinds: Vec<String> =
                t.hops.iter().map(|h| format!("{:?}/{}", h.component.kind, h.component.id)).collect();
            assert_path(name, l, &p, hops, &format!("question {row}x{column} {kinds:?}"));
            asked += 1;
        }
    }
    for (i, q) in checked.questions.iter().enumerate() {
        if let Some(q) = &q.query {
            let t = evaluate(&checked.model, q);
            let p = path(l, &t);
            let hops = t.blocked_at.map(|b| b.hop + 1).unwrap_or(t.hops.len());
            assert_path(name, l, &p, hops, &format!("saved question {i}"));
            asked += 1;
        }
    }
    asked
}

#[test]
fn every_example_lays_out_truthfully() {
    for (name, d) in examples() {
        for (variant, d) in [("as saved", d.clone()), ("tidied", unpinned(d))] {
            let name = format!("{name} ({variant})");
            let l = layout(&d, None);
            assert_no_overlap(&name, &l);
            assert_edges(&name, &l);
            let asked = check_all_paths(&name, &d, &l);
            assert!(asked > 0, "{name}: some question was asked");
        }
    }
}

#[test]
fn generated_networks_of_twelve_regions_and_more() {
    for n in [6, 12, 16] {
        let d = generated(n);
        assert_eq!(d.spaces.len() + d.vpcs.len() + d.remote_networks.len() + 2, n);
        let name = format!("generated {n}");
        let l = layout(&d, None);
        assert_eq!(l.regions.len(), n);
        assert_no_overlap(&name, &l);
        assert_edges(&name, &l);
        check_all_paths(&name, &d, &l);
    }
}

#[test]
fn traffic_reads_left_to_right() {
    let (_, d) = examples().into_iter().find(|(n, _)| n == "default.json").expect("default");
    let l = layout(&unpinned(d.clone()), None);
    let x = |id: &str| l.region(id).map(|r| r.x).expect(id);
    let space = &d.spaces[0].id;
    assert!(x(spacetrace_canvas::INTERNET) < x(spacetrace_canvas::COMMON_RUNTIME));
    assert!(x(spacetrace_canvas::COMMON_RUNTIME) <= x(space));
    for v in &d.vpcs {
        assert!(x(space) < x(&v.id), "VPCs come after the space");
    }
    for r in &d.remote_networks {
        assert!(x(space) < x(&r.id), "remote networks come after the space");
    }
}

#[test]
fn a_dragged_region_stays_and_the_others_flow_around_it() {
    let (_, d) = examples().into_iter().find(|(n, _)| n == "default.json").expect("default");
    let mut d = unpinned(d);
    let before = layout(&d, None);
    // Put the VPC right where the space is: it stays, the space moves out of its way.
    let space = before.region(&d.spaces[0].id).expect("space").clone();
    d.vpcs[0].position = Some(spacetrace_engine::doc::Position { x: space.x, y: space.y });
    let after = layout(&d, None);
    let vpc = after.region(&d.vpcs[0].id).expect("vpc");
    assert_eq!((vpc.x, vpc.y), (space.x, space.y));
    assert!(vpc.pinned);
    assert_no_overlap("dragged", &after);
    assert_edges("dragged", &after);
}

#[test]
fn an_edit_does_not_reshuffle_the_picture() {
    let (_, d) = examples().into_iter().find(|(n, _)| n == "default.json").expect("default");
    let d = unpinned(d);
    let before = layout(&d, None);
    // A new VPC joins the end of its layer; everything else stays where it was.
    let mut more = d.clone();
    let mut v = d.vpcs[0].clone();
    v.id = "vpc-new".into();
    v.hosts.clear();
    more.vpcs.push(v);
    let after = layout(&more, None);
    for r in &before.regions {
        let a = after.region(&r.id).expect("still there");
        assert_eq!((a.x, a.y), (r.x, r.y), "{} did not move", r.id);
    }
    // A new host makes its VPC taller; the regions above it and beside it stay.
    let mut taller = d.clone();
    let mut h = d.vpcs[0].hosts[0].clone();
    h.id = "host-new".into();
    taller.vpcs[0].hosts.push(h);
    let after = layout(&taller, None);
    for r in before.regions.iter().filter(|r| r.x != before.region(&d.vpcs[0].id).map(|v| v.x).unwrap_or(-1.0)) {
        let a = after.region(&r.id).expect("still there");
        assert_eq!((a.x, a.y), (r.x, r.y), "{} did not move", r.id);
    }
}

#[test]
fn a_blocked_answer_ends_at_its_block() {
    let (_, d) = examples().into_iter().find(|(n, _)| n == "default.json").expect("default");
    let checked = check(&d);
    let l = layout(&d, None);
    let m = Matrix::new(&checked.model);
    let mut seen = 0;
    for row in 0..m.sources.len() {
        for column in 0..m.services.len() {
            let Some(t) = m.trace(&checked.model, row, column) else { continue };
            let Some(b) = t.blocked_at else { continue };
            let p = path(&l, &t);
            let last = p.stops.last().expect("a stop");
            assert!(last.blocked && last.hop == b.hop + 1);
            assert_eq!(p.stops.iter().filter(|s| s.blocked).count(), 1);
            seen += 1;
        }
    }
    assert!(seen > 0);
}

/// For scenarios of up to eight regions, everything fits a 1280x800 screen's canvas with text
/// of at least 12 px (dense ones fold their cards to titles); the browser test measures the real
/// thing.
#[test]
fn small_networks_fit_a_laptop_screen_at_readable_size() {
    // The canvas at 1280x800: the window less the side panel, the top bar and the strips.
    const CANVAS: (f64, f64) = (896.0, 636.0);
    const PAD: f64 = 2.0 * spacetrace_canvas::FIT_PAD;
    let mut all: Vec<(String, Document)> = examples().into_iter().map(|(n, d)| (n, unpinned(d))).collect();
    all.extend((3..=8).map(|n| (format!("generated {n}"), generated(n))));
    for (name, d) in all {
        let l = layout(&d, None);
        if l.regions.len() > 8 {
            continue;
        }
        let (x0, y0, x1, y1) = l.bounds();
        let scale = (CANVAS.0 / (x1 - x0 + PAD)).min(CANVAS.1 / (y1 - y0 + PAD));
        let px = spacetrace_canvas::MIN_FONT * scale;
        println!("{name}: {px:.2} px ({:.0}x{:.0} units, {} regions)", x1 - x0, y1 - y0, l.regions.len());
        assert!(px >= 12.0, "{name}: smallest text {px:.1} px ({:.0}x{:.0} units)", x1 - x0, y1 - y0);
    }
}

/// Regions dragged absurdly far apart (a hand-edited file, a hostile link) coarsen the routing
/// grid instead of making it huge: the layout stays bounded in time and memory, nothing overlaps
/// and every hop still has its stop. (Lines are only approximate at such distances.)
#[test]
fn regions_placed_very_far_apart_lay_out_in_bounded_time() {
    let (_, mut d) = examples().into_iter().find(|(n, _)| n == "default.json").expect("default");
    d.vpcs[0].position = Some(spacetrace_engine::doc::Position { x: 4.0e6, y: 3.0e6 });
    d.remote_networks[0].position = Some(spacetrace_engine::doc::Position { x: -2.0e6, y: 5.0e5 });
    let l = layout(&d, None);
    assert_no_overlap("far apart", &l);
    assert_eq!(l.edges.len(), 2);
    let checked = check(&d);
    for q in checked.questions.iter().filter_map(|q| q.query.as_ref()) {
        let t = evaluate(&checked.model, q);
        let hops = t.blocked_at.map(|b| b.hop + 1).unwrap_or(t.hops.len());
        assert_eq!(path(&l, &t).stops.len(), hops);
    }
}

/// A network too dense to read at 12 px folds its cards to their titles, keeping every line of
/// detail for the tooltip; one that reads well does not. Dragging a region never folds or
/// unfolds the picture, and neither does where regions were put.
#[test]
fn dense_networks_fold_their_cards_and_a_drag_never_changes_that() {
    let folded = |l: &Layout| l.regions.iter().flat_map(|r| &r.cards).all(|c| c.lines.is_empty());
    let open = |l: &Layout| l.regions.iter().flat_map(|r| &r.cards).any(|c| !c.lines.is_empty());
    let dense = generated(8);
    let l = layout(&dense, None);
    assert!(folded(&l), "generated 8 folds");
    assert!(l.regions.iter().flat_map(|r| &r.cards).any(|c| !c.detail.is_empty()), "detail is kept");
    let far = l.regions[1].id.clone();
    assert!(folded(&layout(&dense, Some((far.as_str(), 3000.0, 2000.0)))), "a drag does not unfold");
    // Every example of up to eight regions reads at 12 px with its detail shown.
    for (name, d) in examples() {
        let l = layout(&unpinned(d.clone()), None);
        if l.regions.len() > 8 {
            continue;
        }
        assert!(open(&l), "{name} shows its detail");
        for c in l.regions.iter().flat_map(|r| &r.cards) {
            assert_eq!(c.lines.len(), c.detail.len(), "{name}: {} draws every line", c.id);
        }
        // Dragged far away, a region does not fold the rest.
        let id = l.regions.last().map(|r| r.id.clone()).unwrap_or_default();
        assert!(open(&layout(&d, Some((id.as_str(), 5000.0, 4000.0)))), "{name}: a drag does not fold");
    }
}

#[test]
fn a_prepared_layout_is_the_layout_of_its_document_for_every_drag() {
    let mut docs = examples();
    docs.push(("generated 12".into(), generated(12)));
    docs.push(("generated 12, unpinned".into(), unpinned(generated(12))));
    for (name, d) in docs {
        let prepared = spacetrace_canvas::prepare(&d);
        assert_eq!(prepared.layout(None), layout(&d, None), "{name}: no drag");
        let ids: Vec<String> = layout(&d, None).regions.iter().map(|r| r.id.clone()).collect();
        for (k, id) in ids.iter().enumerate() {
            let (dx, dy) = (37.0 * k as f64 - 120.0, 250.0 - 61.0 * k as f64);
            assert_eq!(
                prepared.layout(Some((id, dx, dy))),
                layout(&d, Some((id, dx, dy))),
                "{name}: {id} dragged by ({dx}, {dy})"
            );
        }
    }
}
