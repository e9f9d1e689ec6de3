//! Where regions go: a small layered layout that reads in the direction traffic flows.
//!
//! Layer 0 is the internet, layer 1 Heroku (the Common Runtime, then each space), layer 2 the AWS
//! VPCs and remote networks attached to a space, layer 3 and beyond the VPCs reached only through
//! other VPCs. Within a layer, regions keep document order (Heroku) or follow the spaces they are
//! attached to (AWS and remote), so edges run mostly straight across; a layer taller than
//! the picture can show continues in more columns (chosen so that
//! everything fits a laptop's canvas at the largest scale). Regions the person dragged keep their place and
//! the automatic ones flow around them; a last pass pushes down anything that would overlap.
//!
//! The layout depends only on the document, never on the window, so a resize moves nothing, and
//! an edit moves only what it must (a new region is appended to its layer).

use crate::{Block, RegionKind};

/// Room between layers with no edge between them (the answered path still runs here).
pub const CHANNEL: f64 = 56.0;
/// Room between two columns of one layer.
pub const SUB_GAP: f64 = 64.0;
/// Room between two regions of a column.
pub const V_GAP: f64 = 40.0;
/// The canvas the layout aims to fill at the largest scale: a 1280x800 screen's, in pixels.
pub const TARGET: (f64, f64) = (896.0, 636.0);
/// The smallest gap kept between any two regions, so a line can always pass.
pub const MIN_GAP: f64 = 40.0;

fn layer_of(blocks: &[Block], links: &[(String, String, f64)]) -> Vec<usize> {
    let index = |id: &str| blocks.iter().position(|b| b.id == id);
    let mut layer: Vec<Option<usize>> = blocks
        .iter()
        .map(|b| match b.kind {
            RegionKind::Internet => Some(0),
            RegionKind::CommonRuntime | RegionKind::Cedar | RegionKind::CedarShield | RegionKind::Fir => Some(1),
            RegionKind::Vpc | RegionKind::Remote => None,
        })
        .collect();
    // Breadth first from the spaces: one layer further per peering or VPN.
    let mut frontier: Vec<usize> = (0..blocks.len()).filter(|&i| layer[i] == Some(1)).collect();
    let mut depth = 1;
    while !frontier.is_empty() && depth < 4 {
        depth += 1;
        let mut next = Vec::new();
        for (a, b, _) in links {
            let (Some(ia), Some(ib)) = (index(a), index(b)) else { continue };
            for (from, to) in [(ia, ib), (ib, ia)] {
                if frontier.contains(&from) && layer[to].is_none() {
                    layer[to] = Some(depth);
                    next.push(to);
                }
            }
        }
        next.sort_unstable();
        frontier = next;
    }
    layer.into_iter().map(|l| l.unwrap_or(2)).collect()
}

/// Place blocks: (x, y, pinned) for each, in the blocks' order.
pub fn place(
    blocks: &[Block],
    links: &[(String, String, f64)],
    offset: Option<(&str, f64, f64)>,
) -> Vec<(f64, f64, bool)> {
    settle(blocks, &automatic(blocks, links), offset)
}

/// Where each block goes before a drag is applied and overlaps are settled: the place the person
/// gave it, or the layered layout's. It depends on the document alone, so a drag computes it once
/// (see [`settle`]).
pub fn automatic(blocks: &[Block], links: &[(String, String, f64)]) -> Vec<Option<(f64, f64)>> {
    let layers = layer_of(blocks, links);
    let heights: Vec<f64> = blocks.iter().map(Block::height).collect();
    let mut at: Vec<Option<(f64, f64)>> = blocks.iter().map(|b| b.position).collect();
    let pinned: Vec<bool> = at.iter().map(Option::is_some).collect();
    let rect = |p: (f64, f64), i: usize| crate::Rect { x: p.0, y: p.1, w: crate::REGION_W, h: heights[i] };
    let pinned_rects: Vec<crate::Rect> =
        (0..blocks.len()).filter_map(|i| at[i].map(|p| rect(p, i).grow(MIN_GAP))).collect();

    // The order of each layer's automatic regions.
    let max_layer = layers.iter().copied().max().unwrap_or(0);
    let mut order: Vec<Vec<usize>> = vec![Vec::new(); max_layer + 1];
    for (i, l) in layers.iter().enumerate() {
        order[*l].push(i);
    }
    for l in 2..=max_layer {
        let (before, rest) = order.split_at_mut(l);
        let previous = &before[l - 1];
        let rank = |i: usize| -> (u8, f64, usize) {
            let ranks: Vec<f64> = links
                .iter()
                .filter_map(|(a, b, _)| {
                    let other = if *a == blocks[i].id {
                        b
                    } else if *b == blocks[i].id {
                        a
                    } else {
                        return None;
                    };
                    previous.iter().position(|&j| blocks[j].id == *other).map(|p| p as f64)
                })
                .collect();
            if ranks.is_empty() { (1, 0.0, i) } else { (0, ranks.iter().sum::<f64>() / ranks.len() as f64, i) }
        };
        rest[0].sort_by(|&a, &b| rank(a).partial_cmp(&rank(b)).unwrap_or(std::cmp::Ordering::Equal));
    }

    // The channel after each layer is wide enough for the labels of the edges that run in it.
    let index = |id: &str| blocks.iter().position(|b| b.id == id);
    let mut channel = vec![CHANNEL; max_layer + 1];
    for (a, b, w) in links {
        let (Some(a), Some(b)) = (index(a), index(b)) else { continue };
        let (la, lb) = (layers[a].min(layers[b]), layers[a].max(layers[b]));
        for c in channel.iter_mut().take(lb.max(la + 1)).skip(la) {
            *c = c.max((w + 16.0).ceil());
        }
    }

    // How many columns each layer takes: whatever lets the whole picture fit a laptop's canvas
    // at the largest scale (the layout never depends on the actual window, so a resize moves
    // nothing).
    // The plan counts the regions the person placed too, so a new region joins its layer's
    // column wherever the others were put.
    let plan = best_plan(&order, &heights, &channel);

    // Stack the automatic regions column by column, left to right.
    let mut x = 0.0;
    for (column, gap) in plan {
        let mut y = 0.0;
        for i in column.into_iter().filter(|&i| !pinned[i]) {
            // Flow around regions the person placed.
            while let Some(p) = pinned_rects.iter().find(|p| p.intersects(&rect((x, y), i))) {
                y = p.y + p.h;
            }
            at[i] = Some((x, y));
            y += heights[i] + V_GAP;
        }
        x += crate::REGION_W + gap;
    }
    at
}

/// Move the dragged block by its offset, then push down whatever would overlap: (x, y, pinned)
/// for each block, from the places [`automatic`] gave.
pub fn settle(
    blocks: &[Block],
    automatic: &[Option<(f64, f64)>],
    offset: Option<(&str, f64, f64)>,
) -> Vec<(f64, f64, bool)> {
    let mut at = automatic.to_vec();
    let heights: Vec<f64> = blocks.iter().map(Block::height).collect();
    let pinned: Vec<bool> = blocks.iter().map(|b| b.position.is_some()).collect();
    let rect = |p: (f64, f64), i: usize| crate::Rect { x: p.0, y: p.1, w: crate::REGION_W, h: heights[i] };

    // The region being dragged follows the pointer.
    let dragged = offset.and_then(|(id, dx, dy)| {
        let i = blocks.iter().position(|b| b.id == id)?;
        let p = at[i]?;
        at[i] = Some((p.0 + dx, p.1 + dy));
        Some(i)
    });

    // Nothing overlaps: settle the dragged region, then the pinned ones top to bottom, then the
    // rest; each moves down past whatever it would overlap.
    let mut settle: Vec<usize> = dragged.into_iter().collect();
    let mut pinned_order: Vec<usize> = (0..blocks.len()).filter(|&i| pinned[i] && Some(i) != dragged).collect();
    pinned_order.sort_by(|&a, &b| {
        let (pa, pb) = (at[a].unwrap_or_default(), at[b].unwrap_or_default());
        (pa.1, pa.0, a).partial_cmp(&(pb.1, pb.0, b)).unwrap_or(std::cmp::Ordering::Equal)
    });
    settle.extend(pinned_order);
    settle.extend((0..blocks.len()).filter(|&i| !pinned[i] && Some(i) != dragged));
    let mut done: Vec<crate::Rect> = Vec::new();
    for i in settle {
        let mut p = at[i].unwrap_or_default();
        // Each move goes below one settled region, so this ends after at most `done.len()` moves.
        for _ in 0..=done.len() {
            match done.iter().find(|d| d.grow(MIN_GAP - 0.5).intersects(&rect(p, i))) {
                Some(d) => p.1 = d.y + d.h + MIN_GAP,
                None => break,
            }
        }
        at[i] = Some(p);
        done.push(rect(p, i));
    }
    at.into_iter().zip(pinned).map(|(p, pinned)| (p.unwrap_or_default().0, p.unwrap_or_default().1, pinned)).collect()
}

/// Split a layer's regions, in order, into `k` columns (fewer if there are fewer regions), the
/// tallest column as short as it can be. Among equally short splits, earlier columns hold more.
fn split(layer: &[usize], heights: &[f64], k: usize) -> Vec<Vec<usize>> {
    let n = layer.len();
    let k = k.clamp(1, n.max(1));
    if n == 0 {
        return Vec::new();
    }
    // prefix[i]: the height of the first i regions stacked with a gap after each.
    let mut prefix = vec![0.0; n + 1];
    for (j, &i) in layer.iter().enumerate() {
        prefix[j + 1] = prefix[j] + heights[i] + V_GAP;
    }
    let column = |a: usize, b: usize| prefix[b] - prefix[a] - V_GAP;
    // best[c][j]: the shortest tallest column splitting the first j regions into c columns,
    // and where the last column starts.
    let mut best = vec![vec![(f64::INFINITY, 0usize); n + 1]; k + 1];
    best[0][0] = (0.0, 0);
    for c in 1..=k {
        for j in c..=n {
            for start in (c - 1..j).rev() {
                let tallest = best[c - 1][start].0.max(column(start, j));
                if tallest < best[c][j].0 - 1e-9 {
                    best[c][j] = (tallest, start);
                }
            }
        }
    }
    let mut cuts = vec![n];
    let mut j = n;
    for c in (1..=k).rev() {
        j = best[c][j].1;
        cuts.push(j);
    }
    cuts.reverse();
    cuts.windows(2).map(|w| layer[w[0]..w[1]].to_vec()).collect()
}

/// Columns, each with the gap after it.
type Plan = Vec<(Vec<usize>, f64)>;

/// The ways to lay out a group of consecutive layers: each layer in columns of its own, or the
/// layers one after another sharing columns (the internet above the Common Runtime and the
/// spaces; VPCs reached through VPCs under the VPCs they are reached through).
fn group_plans(
    layers: &[Vec<usize>],
    range: std::ops::RangeInclusive<usize>,
    heights: &[f64],
    channel: &[f64],
) -> Vec<(Plan, bool)> {
    let present: Vec<usize> = range.filter(|&l| layers.get(l).is_some_and(|x| !x.is_empty())).collect();
    let Some(&last) = present.last() else { return vec![(Vec::new(), false)] };
    // Separate layers: every combination of 1 to 3 columns per layer.
    let mut plans: Vec<Plan> = vec![Vec::new()];
    for &l in &present {
        let mut next = Vec::new();
        for plan in &plans {
            for k in 1..=layers[l].len().min(3) {
                let cols = split(&layers[l], heights, k);
                let n = cols.len();
                let mut p = plan.clone();
                p.extend(
                    cols.into_iter().enumerate().map(|(c, col)| (col, if c + 1 == n { channel[l] } else { SUB_GAP })),
                );
                next.push(p);
            }
        }
        plans = next;
    }
    let mut plans: Vec<(Plan, bool)> = plans.into_iter().map(|p| (p, false)).collect();
    // Shared columns.
    if present.len() > 1 {
        let seq: Vec<usize> = present.iter().flat_map(|&l| layers[l].iter().copied()).collect();
        for k in 1..=seq.len().min(4) {
            let cols = split(&seq, heights, k);
            let n = cols.len();
            plans.push((
                cols.into_iter()
                    .enumerate()
                    .map(|(c, col)| (col, if c + 1 == n { channel[last] } else { SUB_GAP }))
                    .collect(),
                true,
            ));
        }
    }
    plans
}

/// The scale at which a picture of `w` by `h` units fits [`TARGET`] (with Fit's margins).
pub fn scale_for(w: f64, h: f64) -> f64 {
    let pad = 2.0 * crate::FIT_PAD;
    (TARGET.0 / (w + pad)).min(TARGET.1 / (h + pad))
}

/// The smallest scale at which canvas text still reads at 12 px (text is at least
/// [`crate::MIN_FONT`] units).
pub const GOAL: f64 = 12.0 / crate::MIN_FONT;

/// The plan that shows everything at the largest scale on [`TARGET`]: each layer in columns of
/// its own, or the internet above Heroku, or chained VPCs under their peers. Only when none of
/// those reaches [`GOAL`] may every layer share one sequence of columns (the VPCs under the
/// last spaces), which reads less plainly. At about the same scale, fewer columns win, then the
/// plainer plan.
fn best_plan(layers: &[Vec<usize>], heights: &[f64], channel: &[f64]) -> Plan {
    let top = layers.len().saturating_sub(1);
    let heroku = group_plans(layers, 0..=1.min(top), heights, channel);
    let aws = if top >= 2 { group_plans(layers, 2..=top, heights, channel) } else { vec![(Vec::new(), false)] };
    let grouped = heroku.iter().flat_map(|(a, sa)| {
        aws.iter().map(move |(b, sb)| (a.iter().chain(b.iter()).cloned().collect::<Plan>(), u8::from(*sa || *sb)))
    });
    // (reaches the goal, plainness, scale, columns)
    let mut best: Option<(bool, u8, f64, usize, Plan)> = None;
    let consider = |best: &mut Option<(bool, u8, f64, usize, Plan)>, plan: Plan, level: u8| {
        let w: f64 =
            plan.iter().map(|(_, gap)| crate::REGION_W + gap).sum::<f64>() - plan.last().map_or(0.0, |(_, gap)| *gap);
        let h =
            plan.iter().map(|(c, _)| c.iter().map(|&i| heights[i] + V_GAP).sum::<f64>() - V_GAP).fold(0.0f64, f64::max);
        let scale = scale_for(w, h);
        let goal = scale >= GOAL;
        let better = match &*best {
            None => true,
            Some((g, l, s, n, _)) => {
                if goal != *g {
                    goal
                } else if goal && (level == 2) != (*l == 2) {
                    level < *l
                } else {
                    scale > s + 1e-3 || (scale > s - 1e-3 && (plan.len() < *n || (plan.len() == *n && level < *l)))
                }
            }
        };
        if better {
            *best = Some((goal, level, scale, plan.len(), plan));
        }
    };
    for (plan, level) in grouped {
        consider(&mut best, plan, level);
    }
    // Every layer in one run of columns, only when nothing plainer reads at 12 px.
    if top >= 2 && !best.as_ref().is_some_and(|b| b.0) {
        for (plan, shared) in group_plans(layers, 0..=top, heights, channel) {
            if shared {
                consider(&mut best, plan, 2);
            }
        }
    }
    best.map(|b| b.4).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tallest(cols: &[Vec<usize>], heights: &[f64]) -> f64 {
        cols.iter().map(|c| c.iter().map(|&i| heights[i] + V_GAP).sum::<f64>() - V_GAP).fold(0.0, f64::max)
    }

    #[test]
    fn a_split_keeps_order_and_makes_the_tallest_column_as_short_as_it_can_be() {
        let heights = [247.0, 145.0, 204.0, 136.0, 204.0, 136.0, 204.0, 220.0];
        let layer: Vec<usize> = (0..heights.len()).collect();
        for k in 1..=4 {
            let cols = split(&layer, &heights, k);
            assert_eq!(cols.len(), k);
            assert_eq!(cols.concat(), layer, "every region once, in order");
            // No other cut into k columns is better (checked by trying them all).
            let mut best = f64::INFINITY;
            for mask in 0u32..(1 << (heights.len() - 1)) {
                if mask.count_ones() as usize != k - 1 {
                    continue;
                }
                let mut cols: Vec<Vec<usize>> = vec![vec![0]];
                for i in 1..heights.len() {
                    if mask & (1 << (i - 1)) != 0 {
                        cols.push(Vec::new());
                    }
                    if let Some(c) = cols.last_mut() {
                        c.push(i);
                    }
                }
                best = best.min(tallest(&cols, &heights));
            }
            assert!((tallest(&cols, &heights) - best).abs() < 1e-9, "{k} columns");
        }
        assert_eq!(split(&layer[..2], &heights, 3).len(), 2, "never an empty column");
        assert!(split(&[], &heights, 2).is_empty());
    }
}
