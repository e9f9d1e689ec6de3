//! Orthogonal routes around regions: a shortest path on a coarse grid (A*), with a price on
//! bends, on running inside a region, and on sharing a track with an earlier route, so lines stay
//! few-cornered and apart. Used for peering and VPN edges (which avoid every region) and for the
//! answered path (which may cross only the regions holding its two ends).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::{Edge, Layout, Rect, Region};

/// The grid's cell size, in canvas units.
pub const CELL: f64 = 16.0;
/// How far a route keeps from a region it may not cross (beyond the cell's own half-width).
const MARGIN: f64 = 4.0;
const STEP: u32 = 2;
const INSIDE_STEP: u32 = 3;
const BEND: u32 = 6;
const SHARED: u32 = 5;

/// A grid over the canvas: which region (if any) each cell lies in or next to.
pub struct Grid {
    /// The cell size: [`CELL`], or coarser for regions placed very far apart.
    cell: f64,
    x0: f64,
    y0: f64,
    cols: usize,
    rows: usize,
    owner: Vec<i32>,
    used: Vec<u8>,
    /// The search's working arrays, one entry per state (cell x arriving direction), kept
    /// between routes: an entry counts only when its `seen` stamp is the current search's, so a
    /// route touches only the states it visits instead of clearing the whole grid.
    best: Vec<u32>,
    from: Vec<u32>,
    seen: Vec<u32>,
    search: u32,
}

type Scratch = (Vec<u32>, Vec<u32>, Vec<u32>, u32);

thread_local! {
    /// The search arrays of the last grid, kept for the next (no I/O, no clock: only memory).
    static SCRATCH: std::cell::RefCell<Scratch> = const { std::cell::RefCell::new((Vec::new(), Vec::new(), Vec::new(), 0)) };
}

impl Drop for Grid {
    fn drop(&mut self) {
        let kept = (
            std::mem::take(&mut self.best),
            std::mem::take(&mut self.from),
            std::mem::take(&mut self.seen),
            self.search,
        );
        // A grid far larger than usual does not keep its memory.
        if kept.2.len() <= 400 * 400 * 5 {
            SCRATCH.with(|s| *s.borrow_mut() = kept);
        }
    }
}

impl Grid {
    pub fn new(regions: &[Region], extra: &[(f64, f64)]) -> Grid {
        let corners = regions.iter().flat_map(|r| [(r.x, r.y), (r.x + r.w, r.y + r.h)]);
        let b = crate::bounding(corners.chain(extra.iter().copied())).unwrap_or((0.0, 0.0, 100.0, 100.0));
        // At most about MAX_CELLS cells a side: regions placed very far apart get a coarser grid
        // rather than a huge one, so no document can make routing slow or large.
        const MAX_CELLS: f64 = 360.0;
        let cell = CELL.max((b.2 - b.0).max(b.3 - b.1) / MAX_CELLS).ceil();
        let x0 = ((b.0 / cell).floor() - 4.0) * cell;
        let y0 = ((b.1 / cell).floor() - 4.0) * cell;
        let cols = (((b.2 - x0) / cell).ceil() as usize + 5).min(MAX_CELLS as usize + 10);
        let rows = (((b.3 - y0) / cell).ceil() as usize + 5).min(MAX_CELLS as usize + 10);
        let mut owner = vec![-1i32; cols * rows];
        for (k, r) in regions.iter().enumerate() {
            let g = r.rect().grow(MARGIN);
            let c0 = (((g.x - x0) / cell).floor().max(0.0) as usize).min(cols);
            let c1 = (((g.x + g.w - x0) / cell).ceil().max(0.0) as usize).min(cols);
            let r0 = (((g.y - y0) / cell).floor().max(0.0) as usize).min(rows);
            let r1 = (((g.y + g.h - y0) / cell).ceil().max(0.0) as usize).min(rows);
            for row in r0..r1 {
                for col in c0..c1 {
                    let square = Rect { x: x0 + col as f64 * cell, y: y0 + row as f64 * cell, w: cell, h: cell };
                    if square.intersects(&g) && owner[row * cols + col] == -1 {
                        owner[row * cols + col] = k as i32;
                    }
                }
            }
        }
        let states = cols * rows * 5;
        // The working arrays of the last grid are reused (a drag lays out every frame).
        let (mut best, mut from, mut seen, search) = SCRATCH.with(|s| std::mem::take(&mut *s.borrow_mut()));
        if seen.len() < states {
            best.resize(states, u32::MAX);
            from.resize(states, u32::MAX);
            seen.resize(states, 0);
        }
        Grid { cell, x0, y0, cols, rows, owner, used: vec![0; cols * rows], best, from, seen, search }
    }

    fn cell_of(&self, p: (f64, f64)) -> usize {
        let col = (((p.0 - self.x0) / self.cell).floor().max(0.0) as usize).min(self.cols - 1);
        let row = (((p.1 - self.y0) / self.cell).floor().max(0.0) as usize).min(self.rows - 1);
        row * self.cols + col
    }

    fn centre(&self, cell: usize) -> (f64, f64) {
        let (row, col) = (cell / self.cols, cell % self.cols);
        (self.x0 + (col as f64 + 0.5) * self.cell, self.y0 + (row as f64 + 0.5) * self.cell)
    }

    /// An orthogonal route from `a` to `b`, through free cells and the cells of the regions in
    /// `allowed`; `None` if there is none.
    pub fn route(&mut self, a: (f64, f64), b: (f64, f64), allowed: &[usize]) -> Option<Vec<(f64, f64)>> {
        let (start, goal) = (self.cell_of(a), self.cell_of(b));
        let cost_in = |owner: i32| -> Option<u32> {
            if owner < 0 {
                Some(STEP)
            } else if allowed.contains(&(owner as usize)) {
                Some(INSIDE_STEP)
            } else {
                None
            }
        };
        let (gr, gc) = (goal / self.cols, goal % self.cols);
        let h = |cell: usize| -> u32 {
            let (r, c) = (cell / self.cols, cell % self.cols);
            (r.abs_diff(gr) + c.abs_diff(gc)) as u32 * STEP
        };
        // State: cell * 5 + arriving direction (4 = none).
        self.search = self.search.wrapping_add(1);
        if self.search == 0 {
            self.seen.iter_mut().for_each(|s| *s = 0);
            self.search = 1;
        }
        let stamp = self.search;
        let (best, from, seen) = (&mut self.best, &mut self.from, &mut self.seen);
        let cost = |best: &Vec<u32>, seen: &Vec<u32>, s: usize| if seen[s] == stamp { best[s] } else { u32::MAX };
        let mut heap = BinaryHeap::new();
        let first = start * 5 + 4;
        best[first] = 0;
        from[first] = u32::MAX;
        seen[first] = stamp;
        heap.push(Reverse((h(start), 0u32, first)));
        let mut found = None;
        while let Some(Reverse((_, g, state))) = heap.pop() {
            if g > cost(best, seen, state) {
                continue;
            }
            let (cell, dir) = (state / 5, state % 5);
            if cell == goal {
                found = Some(state);
                break;
            }
            let (row, col) = (cell / self.cols, cell % self.cols);
            for (d, next) in [
                (0, (col + 1 < self.cols).then(|| cell + 1)),
                (1, (col > 0).then(|| cell - 1)),
                (2, (row + 1 < self.rows).then(|| cell + self.cols)),
                (3, (row > 0).then(|| cell - self.cols)),
            ] {
                let Some(next) = next else { continue };
                let step = if next == goal { Some(STEP) } else { cost_in(self.owner[next]) };
                let Some(step) = step else { continue };
                let bend = if dir != 4 && dir != d { BEND } else { 0 };
                let shared = SHARED * self.used[next].min(3) as u32;
                let ng = g + step + bend + shared;
                let ns = next * 5 + d;
                if ng < cost(best, seen, ns) {
                    best[ns] = ng;
                    from[ns] = state as u32;
                    seen[ns] = stamp;
                    heap.push(Reverse((ng + h(next), ng, ns)));
                }
            }
        }
        let mut state = found?;
        let mut cells = vec![state / 5];
        while self.from[state] != u32::MAX {
            state = self.from[state] as usize;
            cells.push(state / 5);
        }
        cells.reverse();
        for &c in &cells {
            self.used[c] = self.used[c].saturating_add(1);
        }
        Some(self.polyline(&cells, a, b))
    }

    /// Corner points of a run of cells, its first and last runs moved onto `a` and `b`.
    fn polyline(&self, cells: &[usize], a: (f64, f64), b: (f64, f64)) -> Vec<(f64, f64)> {
        let mut corners: Vec<(f64, f64)> = Vec::new();
        for (i, &c) in cells.iter().enumerate() {
            let p = self.centre(c);
            let turn = i == 0 || i + 1 == cells.len() || {
                let (prev, next) = (self.centre(cells[i - 1]), self.centre(cells[i + 1]));
                (prev.0 == p.0) != (p.0 == next.0)
            };
            if turn {
                corners.push(p);
            }
        }
        let mut pts = vec![a];
        if corners.len() <= 2 {
            // One straight run: a jog in the middle joins the two ends.
            let (c0, c1) = (corners[0], *corners.last().unwrap_or(&corners[0]));
            if (c0.1 - c1.1).abs() < 0.5 && (c0.0 - c1.0).abs() > 0.5 {
                let mx = (a.0 + b.0) / 2.0;
                pts.extend([(mx, a.1), (mx, b.1)]);
            } else {
                let my = (a.1 + b.1) / 2.0;
                pts.extend([(a.0, my), (b.0, my)]);
            }
        } else {
            // Move the first run onto a's line and the last run onto b's line.
            let last = corners.len() - 1;
            let first_horizontal = (corners[0].1 - corners[1].1).abs() < 0.5;
            let last_horizontal = (corners[last].1 - corners[last - 1].1).abs() < 0.5;
            if first_horizontal {
                corners[1].1 = a.1;
            } else {
                corners[1].0 = a.0;
            }
            if last_horizontal {
                corners[last - 1].1 = b.1;
            } else {
                corners[last - 1].0 = b.0;
            }
            pts.extend(corners[1..last].iter().copied());
        }
        pts.push(b);
        dedup(pts)
    }
}

/// Drop repeated points and points in the middle of a straight run.
pub fn dedup(pts: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(pts.len());
    for p in pts {
        if out.last().is_some_and(|l: &(f64, f64)| (l.0 - p.0).abs() < 0.01 && (l.1 - p.1).abs() < 0.01) {
            continue;
        }
        if out.len() >= 2 {
            let (a, b) = (out[out.len() - 2], out[out.len() - 1]);
            let straight = ((a.0 - b.0).abs() < 0.01 && (b.0 - p.0).abs() < 0.01)
                || ((a.1 - b.1).abs() < 0.01 && (b.1 - p.1).abs() < 0.01);
            if straight {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Left,
    Right,
}

/// Which sides of `a` and `b` an edge between them leaves and enters by.
fn sides(a: &Region, b: &Region) -> (Side, Side) {
    if b.x >= a.x + a.w {
        (Side::Right, Side::Left)
    } else if b.x + b.w <= a.x {
        (Side::Left, Side::Right)
    } else {
        // One above the other: around the right, through the channel.
        (Side::Right, Side::Right)
    }
}

/// Route the peerings and VPNs: (id, from, to, label, vpn, faded).
pub fn edges(l: &Layout, specs: Vec<(String, String, String, String, bool, bool)>) -> Vec<Edge> {
    let index = |id: &str| l.regions.iter().position(|r| r.id == id);
    // Where each edge attaches: spread the edges on one side of a region along it, ordered by
    // where their other end is.
    let ends: Vec<Option<(usize, usize, Side, Side)>> = specs
        .iter()
        .map(|s| {
            let (a, b) = (index(&s.1)?, index(&s.2)?);
            (a != b).then(|| {
                let (sa, sb) = sides(&l.regions[a], &l.regions[b]);
                (a, b, sa, sb)
            })
        })
        .collect();
    let mut attach: Vec<(usize, Side, f64, usize, bool)> = Vec::new(); // region, side, other y, edge, is-from
    for (e, end) in ends.iter().enumerate() {
        if let Some((a, b, sa, sb)) = *end {
            attach.push((a, sa, l.regions[b].centre().1, e, true));
            attach.push((b, sb, l.regions[a].centre().1, e, false));
        }
    }
    let mut port: Vec<[(f64, f64); 2]> = vec![[(0.0, 0.0); 2]; specs.len()];
    let mut groups: Vec<(usize, Side)> = attach.iter().map(|a| (a.0, a.1)).collect();
    groups.sort_by_key(|g| (g.0, g.1 == Side::Right));
    groups.dedup();
    for (region, side) in groups {
        let mut here: Vec<&(usize, Side, f64, usize, bool)> =
            attach.iter().filter(|a| a.0 == region && a.1 == side).collect();
        here.sort_by(|x, y| (x.2, x.3).partial_cmp(&(y.2, y.3)).unwrap_or(std::cmp::Ordering::Equal));
        let r = &l.regions[region];
        let top = r.y + crate::HEADER_H / 2.0;
        let span = r.h - crate::HEADER_H / 2.0;
        for (k, a) in here.iter().enumerate() {
            let y = top + span * (k as f64 + 1.0) / (here.len() as f64 + 1.0);
            // On a cell's centre line, so the route's first run is straight.
            let y = ((y / CELL).floor() + 0.5) * CELL;
            let y = y.clamp(r.y + 8.0, r.y + r.h - 8.0);
            let x = if side == Side::Right { r.x + r.w } else { r.x };
            port[a.3][usize::from(!a.4)] = (x, y);
        }
    }

    let mut grid = Grid::new(&l.regions, &[]);
    let mut out: Vec<Edge> = Vec::new();
    for (e, s) in specs.into_iter().enumerate() {
        let Some((_, _, sa, sb)) = ends[e] else { continue };
        let (pa, pb) = (port[e][0], port[e][1]);
        let out_of = |p: (f64, f64), side: Side| {
            let dx = if side == Side::Right { 1.5 * CELL } else { -1.5 * CELL };
            (p.0 + dx, p.1)
        };
        let (qa, qb) = (out_of(pa, sa), out_of(pb, sb));
        let mid = grid.route(qa, qb, &[]).unwrap_or_else(|| vec![qa, qb]);
        let mut points = vec![pa];
        points.extend(mid);
        points.push(pb);
        let points = dedup(points);
        let short = crate::fit(&s.3, crate::LABEL_CHARS);
        out.push(Edge {
            id: s.0,
            from: s.1,
            to: s.2,
            label: s.3,
            short,
            vpn: s.4,
            faded: s.5,
            points,
            label_box: Rect { x: 0.0, y: 0.0, w: 0.0, h: 0.0 },
            slot: (0.0, 0.0),
        });
    }
    // Labels, then stop slots, each where it covers nothing drawn before it.
    let mut taken: Vec<Rect> = l.regions.iter().map(|r| r.rect().grow(2.0)).collect();
    taken.extend(l.gates.iter().map(|g| g.rect()));
    for e in &mut out {
        let w = label_width(&e.short, e.vpn);
        let h = 24.0;
        let p = place_on(&e.points, 0.5, |c| {
            let r = Rect { x: c.0 - w / 2.0, y: c.1 - h / 2.0, w, h };
            !taken.iter().any(|t| t.intersects(&r))
        });
        e.label_box = Rect { x: p.0 - w / 2.0, y: p.1 - h / 2.0, w, h };
        taken.push(e.label_box.grow(3.0));
    }
    for e in &mut out {
        let d = 2.0 * crate::STOP_R + 6.0;
        let p = place_on(&e.points, 0.2, |c| {
            let r = Rect { x: c.0 - d / 2.0, y: c.1 - d / 2.0, w: d, h: d };
            !taken.iter().any(|t| t.intersects(&r))
        });
        e.slot = p;
        taken.push(Rect { x: p.0 - d / 2.0, y: p.1 - d / 2.0, w: d, h: d });
    }
    out
}

/// How wide an edge's label box is.
pub fn label_width(short: &str, vpn: bool) -> f64 {
    14.0 + 7.8 * short.chars().count() as f64 + if vpn { 18.0 } else { 0.0 }
}

/// Total length of a polyline.
pub fn length(pts: &[(f64, f64)]) -> f64 {
    pts.windows(2).map(|w| (w[1].0 - w[0].0).abs() + (w[1].1 - w[0].1).abs()).sum()
}

/// The point `t` of the way along a polyline (0 to 1).
pub fn point_at(pts: &[(f64, f64)], t: f64) -> (f64, f64) {
    point_at_len(pts, length(pts), t)
}

/// [`point_at`] with the polyline's [`length`] already known.
fn point_at_len(pts: &[(f64, f64)], len: f64, t: f64) -> (f64, f64) {
    let mut left = len * t.clamp(0.0, 1.0);
    for w in pts.windows(2) {
        let seg = (w[1].0 - w[0].0).abs() + (w[1].1 - w[0].1).abs();
        if left <= seg && seg > 0.0 {
            let f = left / seg;
            return (w[0].0 + (w[1].0 - w[0].0) * f, w[0].1 + (w[1].1 - w[0].1) * f);
        }
        left -= seg;
    }
    pts.last().copied().unwrap_or_default()
}

/// The point along a polyline nearest to `t` of the way where `fits` holds, or that point itself.
fn place_on(pts: &[(f64, f64)], t: f64, fits: impl Fn((f64, f64)) -> bool) -> (f64, f64) {
    let len = length(pts);
    if len <= 0.0 {
        return pts.first().copied().unwrap_or_default();
    }
    let steps = (len / 4.0).ceil().max(1.0) as usize;
    let mut candidates: Vec<f64> = (0..=steps).map(|i| i as f64 / steps as f64).collect();
    candidates.sort_by(|a, b| (a - t).abs().partial_cmp(&(b - t).abs()).unwrap_or(std::cmp::Ordering::Equal));
    // The points along the line, nearest to `t` first, each worked out only when it is tried
    // (usually one of the first fits: this runs for every edge on every pointer move of a drag).
    let at = |c: f64| point_at_len(pts, len, c);
    if let Some(p) = candidates.iter().map(|&c| at(c)).find(|p| fits(*p)) {
        return p;
    }
    let on_line: Vec<(f64, f64)> = candidates.into_iter().map(at).collect();
    // Nowhere on the line: the nearest free spot beside it.
    for d in 1..=40 {
        let d = d as f64 * 8.0;
        for p in &on_line {
            for c in [(p.0, p.1 - d), (p.0, p.1 + d), (p.0 - d, p.1), (p.0 + d, p.1)] {
                if fits(c) {
                    return c;
                }
            }
        }
    }
    point_at(pts, t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dedup_keeps_corners_only() {
        let pts = dedup(vec![(0.0, 0.0), (5.0, 0.0), (10.0, 0.0), (10.0, 0.0), (10.0, 5.0)]);
        assert_eq!(pts, vec![(0.0, 0.0), (10.0, 0.0), (10.0, 5.0)]);
    }

    #[test]
    fn point_along() {
        let pts = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)];
        assert_eq!(point_at(&pts, 0.5), (10.0, 0.0));
        assert_eq!(point_at(&pts, 0.75), (10.0, 5.0));
    }

    /// `place_on` as first written: every point along the line worked out before any is tried.
    fn place_on_eagerly(pts: &[(f64, f64)], t: f64, fits: impl Fn((f64, f64)) -> bool) -> (f64, f64) {
        let len = length(pts);
        if len <= 0.0 {
            return pts.first().copied().unwrap_or_default();
        }
        let steps = (len / 4.0).ceil().max(1.0) as usize;
        let mut candidates: Vec<f64> = (0..=steps).map(|i| i as f64 / steps as f64).collect();
        candidates.sort_by(|a, b| (a - t).abs().partial_cmp(&(b - t).abs()).unwrap_or(std::cmp::Ordering::Equal));
        let on_line: Vec<(f64, f64)> = candidates.into_iter().map(|c| point_at(pts, c)).collect();
        if let Some(p) = on_line.iter().copied().find(|p| fits(*p)) {
            return p;
        }
        for d in 1..=40 {
            let d = d as f64 * 8.0;
            for p in &on_line {
                for c in [(p.0, p.1 - d), (p.0, p.1 + d), (p.0 - d, p.1), (p.0 + d, p.1)] {
                    if fits(c) {
                        return c;
                    }
                }
            }
        }
        point_at(pts, t)
    }

    #[test]
    fn labels_land_where_they_did_when_every_point_was_worked_out_first() {
        let lines: [&[(f64, f64)]; 4] = [
            &[(0.0, 0.0), (100.0, 0.0)],
            &[(0.0, 0.0), (37.0, 0.0), (37.0, 90.0), (150.0, 90.0)],
            &[(10.0, 10.0), (10.0, 10.0)],
            &[(5.0, 5.0), (5.0, 61.0), (-40.0, 61.0), (-40.0, 200.0), (12.0, 200.0)],
        ];
        // Boxes that cover nothing, the middle of the lines, all of them (so a spot beside the line
        // is taken), and everything within 1,000 units (so no spot fits).
        let covers: [&[Rect]; 4] = [
            &[],
            &[Rect { x: 20.0, y: -20.0, w: 60.0, h: 140.0 }],
            &[Rect { x: -50.0, y: -5.0, w: 210.0, h: 215.0 }],
            &[Rect { x: -1000.0, y: -1000.0, w: 2000.0, h: 2000.0 }],
        ];
        for pts in lines {
            for taken in covers {
                for t in [0.0, 0.2, 0.5, 0.93, 1.0] {
                    let fits = |c: (f64, f64)| {
                        let r = Rect { x: c.0 - 20.0, y: c.1 - 12.0, w: 40.0, h: 24.0 };
                        !taken.iter().any(|b| b.intersects(&r))
                    };
                    assert_eq!(place_on(pts, t, fits), place_on_eagerly(pts, t, fits), "{pts:?} at {t} with {taken:?}");
                }
            }
        }
    }
}
