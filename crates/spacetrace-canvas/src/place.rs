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

/// Split a layer's regions, in order, into `k` columns of about equal height.
fn split(layer: &[usize], heights: &[f64], k: usize) -> Vec<Vec<usize>> {
    let total: f64 = layer.iter().map(|&i| heights[i] + V_GAP).sum();
    let target = total / k.max(1) as f64;
    let mut out: Vec<Vec<usize>> = vec![Vec::new()];
    let mut h = 0.0;
    for (n, &i) in layer.iter().enumerate() {
        let left = layer.len() - n;
        let columns_left = k.saturating_sub(out.len());
        let full = h > 0.0 && h + (heights[i] + V_GAP) / 2.0 > target;
        if (full && columns_left > 0)
            || (columns_left >= left && !out.last().is_some_and(Vec::is_empty) && columns_left > 0)
        {
            out.push(Vec::new());
            h = 0.0;
        }
        if let Some(c) = out.last_mut() {
            c.push(i);
        }
        h += heights[i] + V_GAP;
    }
    out.retain(|c| !c.is_empty());
    out
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
) -> Vec<Plan> {
    let present: Vec<usize> = range.filter(|&l| layers.get(l).is_some_and(|x| !x.is_empty())).collect();
    let Some(&last) = present.last() else { return vec![Vec::new()] };
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
    // Shared columns.
    if present.len() > 1 {
        let seq: Vec<usize> = present.iter().flat_map(|&l| layers[l].iter().copied()).collect();
        for k in 1..=seq.len().min(4) {
            let cols = split(&seq, heights, k);
            let n = cols.len();
            plans.push(
                cols.into_iter()
                    .enumerate()
                    .map(|(c, col)| (col, if c + 1 == n { channel[last] } else { SUB_GAP }))
                    .collect(),
            );
        }
    }
    plans
}

/// The plan that shows everything at the largest scale on [`TARGET`]; at about the same scale,
/// the one with fewer columns, then layers in columns of their own.
fn best_plan(layers: &[Vec<usize>], heights: &[f64], channel: &[f64]) -> Plan {
    let top = layers.len().saturating_sub(1);
    let heroku = group_plans(layers, 0..=1.min(top), heights, channel);
    let aws = if top >= 2 { group_plans(layers, 2..=top, heights, channel) } else { vec![Vec::new()] };
    let mut best: Option<(f64, usize, Plan)> = None;
    for a in &heroku {
        for b in &aws {
            let plan: Plan = a.iter().chain(b.iter()).cloned().collect();
            let w: f64 = plan.iter().map(|(_, gap)| crate::REGION_W + gap).sum::<f64>()
                - plan.last().map_or(0.0, |(_, gap)| *gap);
            let h = plan
                .iter()
                .map(|(c, _)| c.iter().map(|&i| heights[i] + V_GAP).sum::<f64>() - V_GAP)
                .fold(0.0f64, f64::max);
            let pad = 2.0 * crate::FIT_PAD;
            let scale = (TARGET.0 / (w + pad)).min(TARGET.1 / (h + pad));
            let better = match &best {
                None => true,
                Some((s, n, _)) => scale > s + 1e-3 || (scale > s - 1e-3 && plan.len() < *n),
            };
            if better {
                best = Some((scale, plan.len(), plan));
            }
        }
    }
    best.map(|b| b.2).unwrap_or_default()
}
