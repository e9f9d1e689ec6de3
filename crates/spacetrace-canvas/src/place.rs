//! Where regions go: a small layered layout that reads in the direction traffic flows.
//!
//! Layer 0 is the internet, layer 1 Heroku (the Common Runtime, then each space), layer 2 the AWS
//! VPCs and remote networks attached to a space, layer 3 and beyond the VPCs reached only through
//! other VPCs. Within a layer, regions keep document order (Heroku) or follow the spaces they are
//! attached to (AWS and remote), so edges run mostly straight across; a layer taller than
//! [`MAX_COLUMN_H`] continues in a second column. Regions the person dragged keep their place and
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
/// A column grows to about this height before the layer continues in another column.
pub const MAX_COLUMN_H: f64 = 660.0;
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
            *c = c.max(w + 16.0);
        }
    }

    // Stack each layer's automatic regions in columns, left to right.
    let mut x = 0.0;
    for (l, layer) in order.iter().enumerate() {
        let auto: Vec<usize> = layer.iter().copied().filter(|&i| !pinned[i]).collect();
        if auto.is_empty() {
            continue;
        }
        let mut y = 0.0;
        for i in auto {
            if y > 0.0 && y + heights[i] > MAX_COLUMN_H {
                x += crate::REGION_W + SUB_GAP;
                y = 0.0;
            }
            // Flow around regions the person placed.
            while let Some(p) = pinned_rects.iter().find(|p| p.intersects(&rect((x, y), i))) {
                y = p.y + p.h;
            }
            at[i] = Some((x, y));
            y += heights[i] + V_GAP;
        }
        x += crate::REGION_W + channel[l];
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
