//! The canvas's geometry, derived from a scenario document: where each region, card and gate is
//! drawn, how peerings and VPNs are routed between regions, and where an answered question's path
//! stops, hop by hop. Pure data in, pure data out: no browser, no clock, deterministic, so native
//! tests can check what a person would look for (no overlaps, no line through an unrelated
//! region, a visible stop for every hop).
//!
//! - [`layout`] places regions in layers that read in the direction traffic flows (the internet,
//!   then Heroku, then AWS VPCs and remote networks); a region the user dragged keeps its place.
//! - [`gates`](Gate) are the components a trace passes through (DNS, router, trusted-IP filter,
//!   NAT gateway, private network, route tables, ACLs, security groups, firewalls, egress), drawn
//!   as small chips under a region's header.
//! - [`route`] finds orthogonal routes around regions for edges and the path.
//! - [`path`] turns a trace into numbered stops and routed segments.

pub mod connectivity;
pub mod path;
pub mod place;
pub mod route;
pub mod view;

use spacetrace_engine::doc::{Document, Generation, Listen, PeeringStatus, Protocol, TunnelStatus};

pub use path::{PathView, Stop, StopTarget, path};

/// The canvas IDs of the two regions that are not document objects.
pub const INTERNET: &str = "@internet";
pub const COMMON_RUNTIME: &str = "@common-runtime";

/// A region's width, in canvas units.
pub const REGION_W: f64 = 240.0;
/// The height of a region's header (title and subtitle).
pub const HEADER_H: f64 = 44.0;
/// Padding inside a region.
pub const PAD: f64 = 14.0;
/// A card's width.
pub const CARD_W: f64 = REGION_W - 2.0 * PAD;
/// Space between cards.
pub const CARD_GAP: f64 = 6.0;
/// A folded card's height: its title row.
pub const FOLDED_CARD_H: f64 = 28.0;
/// A gate chip's height, and the room a row of chips takes.
pub const GATE_H: f64 = 22.0;
pub const GATE_ROW: f64 = 25.0;
/// The radius of a path stop's marker (the blocking one is larger).
pub const STOP_R: f64 = 11.0;
pub const BLOCK_R: f64 = 13.0;
/// The most characters of an edge's label drawn on the canvas (the rest is in its tooltip).
pub const LABEL_CHARS: usize = 13;
/// Room kept around everything when the view fits it (canvas units, each side).
pub const FIT_PAD: f64 = 16.0;
/// Smallest font size on the canvas (canvas units); the stylesheet keeps to it.
pub const MIN_FONT: f64 = 13.0;

/// The part of a card the text occupies starts this far right of the card's left edge (the stop
/// marker sits on the edge itself, clear of the text).
pub const CARD_TEXT_X: f64 = 16.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionKind {
    Internet,
    CommonRuntime,
    Cedar,
    CedarShield,
    Fir,
    Vpc,
    Remote,
}

impl RegionKind {
    /// A space's kind: its generation, and Shield for Cedar.
    pub fn of_space(generation: Generation, shield: bool) -> Self {
        match (generation, shield) {
            (Generation::Fir, _) => Self::Fir,
            (Generation::Cedar, true) => Self::CedarShield,
            (Generation::Cedar, false) => Self::Cedar,
        }
    }

    pub fn class(self) -> &'static str {
        match self {
            Self::Internet => "internet",
            Self::CommonRuntime => "cr",
            Self::Cedar | Self::CedarShield => "cedar",
            Self::Fir => "fir",
            Self::Vpc => "vpc",
            Self::Remote => "remote",
        }
    }

    /// The kind in a few words, for a region's subtitle.
    pub fn short(self) -> &'static str {
        match self {
            Self::Cedar => "Cedar space",
            Self::CedarShield => "Shield space",
            Self::Fir => "Fir space",
            other => other.label(),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Internet => "Internet",
            Self::CommonRuntime => "Common Runtime",
            Self::Cedar => "Cedar Private Space",
            Self::CedarShield => "Cedar Shield Space",
            Self::Fir => "Fir Private Space",
            Self::Vpc => "AWS VPC",
            Self::Remote => "Remote network (VPN)",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardKind {
    App,
    Addon,
    Host,
    RemoteHost,
    Client,
    Service,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    pub id: String,
    pub kind: CardKind,
    /// The object's whole name (the title is cut to fit).
    pub name: String,
    pub title: String,
    /// Lines drawn under the title (process types, address, CIDR…); none when the canvas is
    /// folded.
    pub lines: Vec<String>,
    /// Every line of detail, drawn or not (for a tooltip and a screen reader).
    pub detail: Vec<String>,
    pub x: f64,
    pub y: f64,
    pub h: f64,
    /// Marks drawn after the title (for example "internal").
    pub badge: Option<&'static str>,
}

impl Card {
    /// Where a path stop for this card sits: on its left edge, level with the title, so it never
    /// covers the card's text.
    pub fn slot(&self) -> (f64, f64) {
        (self.x, self.y + 18.0)
    }

    /// The box the card's text occupies.
    pub fn text_box(&self) -> Rect {
        Rect { x: self.x + CARD_TEXT_X - 2.0, y: self.y + 4.0, w: CARD_W - CARD_TEXT_X - 4.0, h: self.h - 8.0 }
    }
}

/// The kinds of component a trace passes through that are drawn as a gate chip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GateKind {
    /// The public internet (in the Internet region).
    Internet,
    Dns,
    TrustedIps,
    Router,
    Nat,
    PrivateNetwork,
    RouteTable,
    NetworkAcl,
    SecurityGroup,
    Firewall,
    /// A VPC's or remote network's way out to the internet.
    Egress,
}

impl GateKind {
    pub fn class(self) -> &'static str {
        match self {
            Self::Internet => "internet",
            Self::Dns => "dns",
            Self::TrustedIps => "trusted",
            Self::Router => "router",
            Self::Nat => "nat",
            Self::PrivateNetwork => "private",
            Self::RouteTable => "route-table",
            Self::NetworkAcl => "acl",
            Self::SecurityGroup => "sg",
            Self::Firewall => "firewall",
            Self::Egress => "egress",
        }
    }

    /// What the gate is, for a screen reader and a tooltip.
    pub fn label(self) -> &'static str {
        match self {
            Self::Internet => "The public internet",
            Self::Dns => "DNS",
            Self::TrustedIps => "Trusted-IP filter",
            Self::Router => "Heroku router",
            Self::Nat => "NAT gateway (stable outbound IPs)",
            Self::PrivateNetwork => "The space's private network",
            Self::RouteTable => "Route table",
            Self::NetworkAcl => "Network ACL",
            Self::SecurityGroup => "Security group",
            Self::Firewall => "Firewall",
            Self::Egress => "Internet egress",
        }
    }
}

/// A component drawn as a chip under a region's header.
#[derive(Debug, Clone, PartialEq)]
pub struct Gate {
    /// Unique on the canvas: a route table's, ACL's, security group's or firewall's own ID, or
    /// `<region>:<kind>` for the platform's components.
    pub id: String,
    pub region: String,
    pub kind: GateKind,
    pub label: String,
    /// What selecting the gate selects: the object itself, or the region that configures it.
    pub select: String,
    pub x: f64,
    pub y: f64,
    pub w: f64,
}

impl Gate {
    /// Where a path stop for this gate sits: the round slot at the chip's left end.
    pub fn slot(&self) -> (f64, f64) {
        (self.x + GATE_H / 2.0, self.y + GATE_H / 2.0)
    }

    /// The box the chip's label occupies.
    pub fn text_box(&self) -> Rect {
        Rect { x: self.x + GATE_H + 2.0, y: self.y + 2.0, w: self.w - GATE_H - 4.0, h: GATE_H - 4.0 }
    }

    pub fn rect(&self) -> Rect {
        Rect { x: self.x, y: self.y, w: self.w, h: GATE_H }
    }
}

/// The smallest box (x0, y0, x1, y1) holding every point, if there is any.
pub(crate) fn bounding(points: impl Iterator<Item = (f64, f64)>) -> Option<(f64, f64, f64, f64)> {
    points.fold(None, |b, (x, y)| {
        let (x0, y0, x1, y1) = b.unwrap_or((x, y, x, y));
        Some((x0.min(x), y0.min(y), x1.max(x), y1.max(y)))
    })
}

/// An axis-aligned box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn intersects(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }

    pub fn contains(&self, p: (f64, f64)) -> bool {
        p.0 >= self.x && p.0 <= self.x + self.w && p.1 >= self.y && p.1 <= self.y + self.h
    }

    pub fn grow(&self, by: f64) -> Rect {
        Rect { x: self.x - by, y: self.y - by, w: self.w + 2.0 * by, h: self.h + 2.0 * by }
    }

    /// Does the segment from `a` to `b` pass through the inside of this box?
    pub fn crossed_by(&self, a: (f64, f64), b: (f64, f64)) -> bool {
        // Liang–Barsky clipping against the open box.
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let mut t0: f64 = 0.0;
        let mut t1: f64 = 1.0;
        for (p, q) in
            [(-dx, a.0 - self.x), (dx, self.x + self.w - a.0), (-dy, a.1 - self.y), (dy, self.y + self.h - a.1)]
        {
            if p == 0.0 {
                if q <= 0.0 {
                    return false;
                }
            } else {
                let r = q / p;
                if p < 0.0 {
                    t0 = t0.max(r);
                } else {
                    t1 = t1.min(r);
                }
            }
        }
        t1 - t0 > 1e-9
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    pub id: String,
    pub kind: RegionKind,
    /// The region's whole name (the title is cut to fit).
    pub name: String,
    pub title: String,
    pub subtitle: String,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub cards: Vec<Card>,
    /// Placed by the person (dragged), not by the automatic layout.
    pub pinned: bool,
}

impl Region {
    pub fn rect(&self) -> Rect {
        Rect { x: self.x, y: self.y, w: self.w, h: self.h }
    }

    pub fn centre(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    pub fn contains(&self, x: f64, y: f64) -> bool {
        self.rect().contains((x, y))
    }

    /// Where a path stop for the region itself sits: the right end of its header.
    pub fn slot(&self) -> (f64, f64) {
        (self.x + self.w - 20.0, self.y + HEADER_H / 2.0)
    }

    /// The box the header's text occupies.
    pub fn text_box(&self) -> Rect {
        Rect { x: self.x + 12.0, y: self.y + 4.0, w: self.w - 56.0, h: HEADER_H - 8.0 }
    }
}

/// A peering or VPN drawn between two regions, routed around every other region.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub id: String,
    pub from: String,
    pub to: String,
    /// The full label (for a screen reader and a tooltip).
    pub label: String,
    /// The label as drawn, cut to fit the channel between regions.
    pub short: String,
    pub vpn: bool,
    pub faded: bool,
    /// The route, as an orthogonal polyline from `from`'s border to `to`'s.
    pub points: Vec<(f64, f64)>,
    /// The label's box.
    pub label_box: Rect,
    /// Where a path stop for this edge sits, clear of the label.
    pub slot: (f64, f64),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Layout {
    pub regions: Vec<Region>,
    pub gates: Vec<Gate>,
    pub edges: Vec<Edge>,
}

impl Layout {
    pub fn region(&self, id: &str) -> Option<&Region> {
        self.regions.iter().find(|r| r.id == id)
    }

    pub fn card(&self, id: &str) -> Option<&Card> {
        self.regions.iter().flat_map(|r| r.cards.iter()).find(|c| c.id == id)
    }

    pub fn gate(&self, id: &str) -> Option<&Gate> {
        self.gates.iter().find(|g| g.id == id)
    }

    pub fn edge(&self, id: &str) -> Option<&Edge> {
        self.edges.iter().find(|e| e.id == id)
    }

    /// The region holding a card or a gate, or the region itself.
    pub fn region_of(&self, id: &str) -> Option<&Region> {
        if let Some(g) = self.gate(id) {
            return self.region(&g.region);
        }
        self.regions.iter().find(|r| r.id == id || r.cards.iter().any(|c| c.id == id))
    }

    /// The bounding box of everything, for fitting the view.
    pub fn bounds(&self) -> (f64, f64, f64, f64) {
        let regions = self.regions.iter().flat_map(|r| [(r.x, r.y), (r.x + r.w, r.y + r.h)]);
        let edges = self.edges.iter().flat_map(|e| {
            let b = e.label_box;
            e.points.iter().copied().chain([(b.x, b.y), (b.x + b.w, b.y + b.h)])
        });
        if self.regions.is_empty() {
            return (0.0, 0.0, 800.0, 600.0);
        }
        bounding(regions.chain(edges)).unwrap_or((0.0, 0.0, 800.0, 600.0))
    }

    /// Every box of text drawn on the canvas that a mark must not cover: region headers, card
    /// text, gate labels and edge labels.
    pub fn text_boxes(&self) -> Vec<Rect> {
        let mut out: Vec<Rect> = Vec::new();
        for r in &self.regions {
            out.push(r.text_box());
            out.extend(r.cards.iter().map(Card::text_box));
        }
        out.extend(self.gates.iter().map(Gate::text_box));
        out.extend(self.edges.iter().map(|e| e.label_box));
        out
    }
}

fn protocol_name(p: Protocol) -> &'static str {
    if p == Protocol::Udp { "udp" } else { "tcp" }
}

fn ports(list: &[Listen]) -> String {
    list.iter().map(|l| format!("{}/{}", l.port, protocol_name(l.protocol))).collect::<Vec<_>>().join(", ")
}

/// About how wide a line of proportional text is, in canvas units, at `size` (font-size), for
/// the widest common system font (DejaVu Sans, Debian's default): boxes sized with it hold their
/// text in any browser.
pub fn text_width(s: &str, size: f64, bold: bool) -> f64 {
    let em: f64 = s
        .chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | 'I' => 0.32,
            ' ' | 'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' | '/' => 0.42,
            'm' | 'w' => 0.9,
            'M' | 'W' | '@' | '%' => 0.95,
            'A'..='Z' => 0.74,
            '0'..='9' => 0.64,
            'a'..='z' => 0.6,
            _ if c.is_ascii() => 0.6,
            // Symbols and icons, other scripts.
            _ => 1.0,
        })
        .sum();
    em * size * if bold { 1.1 } else { 1.0 }
}

/// Cut proportional text to fit `max` canvas units at `size`, with an ellipsis.
pub fn fit_width(s: &str, max: f64, size: f64, bold: bool) -> String {
    if text_width(s, size, bold) <= max {
        return s.to_owned();
    }
    let mut out = String::new();
    for c in s.chars() {
        out.push(c);
        if text_width(&out, size, bold) + 0.9 * size > max {
            out.pop();
            break;
        }
    }
    out.push('\u{2026}');
    out
}

/// Cut text to at most `max` characters, with an ellipsis.
pub fn fit(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        s.chars().take(max.saturating_sub(1)).collect::<String>() + "\u{2026}"
    }
}

/// A VPC host's or remote host's card: its address, and the ports it listens on if any.
fn host_card(id: &str, name: &str, address: &str, listen: &[Listen], kind: CardKind) -> CardSpec {
    let line = if listen.is_empty() { address.to_owned() } else { format!("{address} : {}", ports(listen)) };
    (id.to_owned(), kind, name.to_owned(), vec![line], None)
}

/// The room a card's line of detail has, in canvas units at 13.
const LINE_ROOM: f64 = CARD_W - CARD_TEXT_X - 8.0;

/// An app's process types, as many to a line as fit ("web ×2 · worker ×1"), so a card stays
/// short; one that does not fit alone is cut when the card is placed.
fn process_lines(a: &spacetrace_engine::doc::App) -> Vec<String> {
    if a.process_types.is_empty() {
        return vec!["no process types".into()];
    }
    let mut lines: Vec<String> = Vec::new();
    for p in &a.process_types {
        let extra = if p.ports.is_empty() { String::new() } else { format!(" : {}", ports(&p.ports)) };
        let item = format!("{} \u{00d7}{}{extra}", p.name, p.dynos);
        match lines.last_mut() {
            Some(line) if text_width(&format!("{line} \u{00b7} {item}"), 13.0, false) <= LINE_ROOM => {
                line.push_str(" \u{00b7} ");
                line.push_str(&item);
            }
            _ => lines.push(item),
        }
    }
    lines
}

/// A card before placement: ID, kind, title, lines, badge.
type CardSpec = (String, CardKind, String, Vec<String>, Option<&'static str>);
/// A gate before placement: ID, kind, label, what selecting it selects.
type GateSpec = (String, GateKind, String, String);

/// A region before placement: what it holds and how tall it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub id: String,
    pub kind: RegionKind,
    pub title: String,
    pub subtitle: String,
    pub position: Option<(f64, f64)>,
    cards: Vec<CardSpec>,
    gates: Vec<GateSpec>,
    /// Cards show their titles only: see [`layout`].
    folded: bool,
}

impl Block {
    /// A card's height: a title row, and a row per line of detail; folded, the title alone.
    fn card_height(lines: usize) -> f64 {
        if lines == 0 { FOLDED_CARD_H } else { 25.0 + 17.0 * lines as f64 }
    }

    /// The lines a card draws.
    fn drawn(&self, lines: &[String]) -> usize {
        if self.folded { 0 } else { lines.len() }
    }

    /// The gates' rows: (index of first gate in each row, x offsets and widths).
    fn gate_rows(&self) -> Vec<Vec<(usize, f64, f64)>> {
        let mut rows: Vec<Vec<(usize, f64, f64)>> = Vec::new();
        let mut x = PAD;
        for (i, g) in self.gates.iter().enumerate() {
            let w = gate_width(&g.2);
            if rows.is_empty() || x + w > REGION_W - PAD + 0.5 {
                rows.push(Vec::new());
                x = PAD;
            }
            if let Some(row) = rows.last_mut() {
                row.push((i, x, w));
            }
            x += w + 5.0;
        }
        rows
    }

    /// The region's height once laid out.
    pub fn height(&self) -> f64 {
        let mut y = HEADER_H + self.gate_rows().len() as f64 * GATE_ROW;
        if !self.gates.is_empty() {
            y += 4.0;
        }
        for c in &self.cards {
            y += Self::card_height(self.drawn(&c.3)) + CARD_GAP;
        }
        (y + 10.0 - CARD_GAP).max(HEADER_H + 40.0)
    }

    /// Lay the block out at (x, y).
    fn place(&self, x: f64, y: f64, pinned: bool, gates: &mut Vec<Gate>) -> Region {
        let mut r = Region {
            id: self.id.clone(),
            kind: self.kind,
            name: self.title.clone(),
            title: fit_width(&self.title, REGION_W - 14.0 - 48.0, 16.5, true),
            subtitle: fit_width(&self.subtitle, REGION_W - 14.0 - 32.0, 13.0, false),
            x,
            y,
            w: REGION_W,
            h: self.height(),
            cards: Vec::new(),
            pinned,
        };
        let mut cy = y + HEADER_H;
        for row in self.gate_rows() {
            for (i, gx, w) in row {
                let (id, kind, label, select) = &self.gates[i];
                gates.push(Gate {
                    id: id.clone(),
                    region: self.id.clone(),
                    kind: *kind,
                    label: label.clone(),
                    select: select.clone(),
                    x: x + gx,
                    y: cy,
                    w,
                });
            }
            cy += GATE_ROW;
        }
        if !self.gates.is_empty() {
            cy += 4.0;
        }
        for (id, kind, title, lines, badge) in &self.cards {
            // The title follows an icon; a badge takes the right end.
            let room = CARD_W - CARD_TEXT_X - 8.0 - 20.0 - badge.map_or(0.0, |b| text_width(b, 13.0, true) + 8.0);
            let name = title.clone();
            let title = fit_width(title, room, 15.0, true);
            let detail = lines.clone();
            let lines: Vec<String> = lines.iter().take(self.drawn(lines)).map(|l| fit(l, 24)).collect();
            let h = Self::card_height(lines.len());
            r.cards.push(Card {
                id: id.clone(),
                kind: *kind,
                name,
                title,
                lines,
                detail,
                x: x + PAD,
                y: cy,
                h,
                badge: *badge,
            });
            cy += h + CARD_GAP;
        }
        r
    }
}

/// How wide a gate chip with this label is: the stop's slot, the label, a little room.
pub fn gate_width(label: &str) -> f64 {
    GATE_H + 2.0 + text_width(label, 13.0, false) + 6.0
}

fn gate(id: String, kind: GateKind, label: impl Into<String>, select: &str) -> GateSpec {
    (id, kind, fit_width(&label.into(), 110.0, 13.0, false), select.to_owned())
}

fn pos(p: Option<spacetrace_engine::doc::Position>) -> Option<(f64, f64)> {
    p.map(|p| (p.x, p.y)).filter(|p| p.0.is_finite() && p.1.is_finite())
}

/// The regions of a document, before placement, in document order.
pub fn blocks(doc: &Document) -> Vec<Block> {
    let mut out = Vec::new();
    let nothing = doc.common_runtime_apps.is_empty()
        && doc.spaces.is_empty()
        && doc.vpcs.is_empty()
        && doc.remote_networks.is_empty()
        && doc.internet_clients.is_empty()
        && doc.external_services.is_empty();
    // The Internet: clients and external services, and the public internet every public hostname,
    // NAT gateway and egress leads to. Drawn whenever there is anything at all.
    if !nothing {
        let mut cards: Vec<CardSpec> = Vec::new();
        for c in &doc.internet_clients {
            cards.push((c.id.clone(), CardKind::Client, c.name.clone(), vec![c.cidr.clone()], None));
        }
        for s in &doc.external_services {
            let mut lines = vec![format!("{} : {}", s.hostname, ports(&s.ports))];
            if let Some(a) = &s.allowlist {
                lines.push(format!("allows {}", if a.is_empty() { "nobody".to_owned() } else { a.join(", ") }));
            }
            cards.push((s.id.clone(), CardKind::Service, s.name.clone(), lines, None));
        }
        out.push(Block {
            id: INTERNET.into(),
            kind: RegionKind::Internet,
            title: "Internet".into(),
            subtitle: "Public addresses".into(),
            position: pos(doc.layout.internet),
            folded: false,
            cards,
            gates: vec![gate(format!("{INTERNET}:net"), GateKind::Internet, "Internet", INTERNET)],
        });
    }
    if !doc.common_runtime_apps.is_empty() {
        let cards = doc
            .common_runtime_apps
            .iter()
            .map(|a| (a.id.clone(), CardKind::App, a.name.clone(), process_lines(a), None));
        out.push(Block {
            id: COMMON_RUNTIME.into(),
            kind: RegionKind::CommonRuntime,
            title: "Common Runtime".into(),
            subtitle: "Apps outside any space".into(),
            position: pos(doc.layout.common_runtime),
            folded: false,
            cards: cards.collect(),
            gates: vec![
                gate(format!("{COMMON_RUNTIME}:dns"), GateKind::Dns, "DNS", COMMON_RUNTIME),
                gate(format!("{COMMON_RUNTIME}:router"), GateKind::Router, "Router", COMMON_RUNTIME),
            ],
        });
    }
    for s in &doc.spaces {
        let kind = RegionKind::of_space(s.generation, s.shield);
        let mut cards: Vec<CardSpec> = s
            .apps
            .iter()
            .map(|a| {
                let badge = a.internal_routing.then_some("internal");
                (a.id.clone(), CardKind::App, a.name.clone(), process_lines(a), badge)
            })
            .collect();
        cards.extend(s.addons.iter().map(|a| {
            let kind = format!("{:?}", a.kind).to_lowercase();
            (a.id.clone(), CardKind::Addon, a.name.clone(), vec![kind], None)
        }));
        let g = |k: GateKind, label: &str, suffix: &str| gate(format!("{}:{suffix}", s.id), k, label, &s.id);
        out.push(Block {
            id: s.id.clone(),
            kind,
            title: s.name.clone(),
            subtitle: format!("{} \u{00b7} {}", kind.short(), s.cidr.as_deref().unwrap_or("10.0.0.0/16")),
            position: pos(s.position),
            folded: false,
            cards,
            gates: vec![
                // Two rows: the public side (name, router, the way out), then the trusted-IP filter
                // and the private network.
                g(GateKind::Dns, "DNS", "dns"),
                g(GateKind::Router, "Router", "router"),
                g(GateKind::Nat, "NAT", "nat"),
                g(GateKind::TrustedIps, "Trusted", "trusted"),
                g(GateKind::PrivateNetwork, "Private", "private"),
            ],
        });
    }
    for v in &doc.vpcs {
        let cards = v.hosts.iter().map(|h| host_card(&h.id, &h.name, &h.address, &h.ports, CardKind::Host)).collect();
        let mut gates: Vec<GateSpec> = Vec::new();
        gates.extend(v.route_tables.iter().map(|t| gate(t.id.clone(), GateKind::RouteTable, &t.name, &t.id)));
        gates.extend(v.network_acls.iter().map(|a| gate(a.id.clone(), GateKind::NetworkAcl, &a.name, &a.id)));
        gates.extend(v.security_groups.iter().map(|g| gate(g.id.clone(), GateKind::SecurityGroup, &g.name, &g.id)));
        gates.push(gate(format!("{}:egress", v.id), GateKind::Egress, "Egress", &v.id));
        out.push(Block {
            id: v.id.clone(),
            kind: RegionKind::Vpc,
            title: v.name.clone(),
            subtitle: format!("AWS VPC \u{00b7} {}", v.primary_cidr),
            position: pos(v.position),
            folded: false,
            cards,
            gates,
        });
    }
    for n in &doc.remote_networks {
        let cards =
            n.hosts.iter().map(|h| host_card(&h.id, &h.name, &h.address, &h.ports, CardKind::RemoteHost)).collect();
        let mut gates: Vec<GateSpec> = Vec::new();
        if let Some(f) = &n.firewall {
            let id = f.id_in(&n.id);
            let name = if f.name.is_empty() { "Firewall".to_owned() } else { f.name.clone() };
            gates.push(gate(id, GateKind::Firewall, name, &n.id));
        }
        gates.push(gate(format!("{}:egress", n.id), GateKind::Egress, "Egress", &n.id));
        out.push(Block {
            id: n.id.clone(),
            kind: RegionKind::Remote,
            title: n.name.clone(),
            subtitle: format!("Remote \u{00b7} {}", n.cidrs.join(", ")),
            position: pos(n.position),
            folded: false,
            cards,
            gates,
        });
    }
    out
}

/// The peerings and VPNs of a document, before routing: (id, from, to, label, vpn, faded).
/// An edge before routing: ID, from, to, label, VPN, faded.
type EdgeSpec = (String, String, String, String, bool, bool);

fn edge_specs(doc: &Document) -> Vec<EdgeSpec> {
    let mut out = Vec::new();
    for p in &doc.peerings {
        let status = match p.status {
            PeeringStatus::Active => "",
            PeeringStatus::PendingAcceptance => " (pending)",
            PeeringStatus::Deleted => " (deleted)",
        };
        let faded = p.status != PeeringStatus::Active;
        out.push((p.id.clone(), p.space.clone(), p.vpc.clone(), format!("{}{status}", p.id), false, faded));
    }
    for p in &doc.vpc_peerings {
        let faded = p.status != PeeringStatus::Active;
        out.push((p.id.clone(), p.vpc.clone(), p.peer_vpc.clone(), p.id.clone(), false, faded));
    }
    for v in &doc.vpns {
        let down = v.tunnel_status == TunnelStatus::Down;
        let label = format!("{}{}", v.name, if down { " (down)" } else { "" });
        out.push((v.id.clone(), v.space.clone(), v.remote_network.clone(), label, true, down));
    }
    out
}

/// The scale at which the automatic layout of `blocks` (wherever regions were dragged) fits a
/// laptop's canvas.
fn automatic_scale(blocks: &[Block], links: &[(String, String, f64)]) -> f64 {
    let free: Vec<Block> = blocks.iter().cloned().map(|b| Block { position: None, ..b }).collect();
    let placed = place::place(&free, links, None);
    let corners = free.iter().zip(&placed).flat_map(|(b, p)| [(p.0, p.1), (p.0 + REGION_W, p.1 + b.height())]);
    let (x0, y0, x1, y1) = bounding(corners).unwrap_or_default();
    place::scale_for(x1 - x0, y1 - y0)
}

/// A network too dense for its text to read at 12 px on a laptop's canvas folds its cards to
/// their titles (the detail stays in each card's tooltip, its screen-reader label and the
/// inspector), when that makes the text larger. The choice depends on the document's contents
/// alone, not on where regions were dragged or the window, so a drag never folds or unfolds.
fn fold_if_dense(blocks: Vec<Block>, links: &[(String, String, f64)]) -> Vec<Block> {
    if !blocks.iter().any(|b| b.cards.iter().any(|c| !c.3.is_empty())) {
        return blocks;
    }
    let open = automatic_scale(&blocks, links);
    if open >= place::GOAL {
        return blocks;
    }
    let folded: Vec<Block> = blocks.iter().cloned().map(|b| Block { folded: true, ..b }).collect();
    if automatic_scale(&folded, links) > open + 1e-3 { folded } else { blocks }
}

fn links(specs: &[EdgeSpec]) -> Vec<(String, String, f64)> {
    specs.iter().map(|s| (s.1.clone(), s.2.clone(), route::label_width(&fit(&s.3, LABEL_CHARS), s.4))).collect()
}

/// Whether the document's canvas folds its cards (see [`fold_if_dense`]): a question of the
/// document alone, so the app can keep the answer while a region is dragged.
pub fn folds(doc: &Document) -> bool {
    let blocks = blocks(doc);
    let links = links(&edge_specs(doc));
    fold_if_dense(blocks, &links).first().is_some_and(|b| b.folded)
}

/// Lay out a document. `offset` moves one region (an ongoing drag) without changing the document.
pub fn layout(doc: &Document, offset: Option<(&str, f64, f64)>) -> Layout {
    layout_with(doc, offset, folds(doc))
}

/// [`layout`] with the folding already decided ([`folds`] of the same document).
pub fn layout_with(doc: &Document, offset: Option<(&str, f64, f64)>, folded: bool) -> Layout {
    prepare_with(doc, folded).layout(offset)
}

/// What a drag cannot change: the document's regions, edges and automatic places, worked out
/// once per edit so that each pointer move of a drag only settles, places and routes.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    blocks: Vec<Block>,
    specs: Vec<EdgeSpec>,
    automatic: Vec<Option<(f64, f64)>>,
}

/// Prepare a document's layout, folding decided as [`folds`] does.
pub fn prepare(doc: &Document) -> Prepared {
    prepare_with(doc, folds(doc))
}

fn prepare_with(doc: &Document, folded: bool) -> Prepared {
    let blocks: Vec<Block> = blocks(doc).into_iter().map(|b| Block { folded, ..b }).collect();
    let specs = edge_specs(doc);
    let automatic = place::automatic(&blocks, &links(&specs));
    Prepared { blocks, specs, automatic }
}

impl Prepared {
    /// The layout, with one region moved by `offset` (an ongoing drag): the same as
    /// [`layout_with`] of the document this was prepared from.
    pub fn layout(&self, offset: Option<(&str, f64, f64)>) -> Layout {
        let placed = place::settle(&self.blocks, &self.automatic, offset);
        let mut out = Layout::default();
        for (b, (x, y, pinned)) in self.blocks.iter().zip(placed) {
            let r = b.place(x, y, pinned, &mut out.gates);
            out.regions.push(r);
        }
        out.edges = route::edges(&out, self.specs.clone());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crossing_a_box() {
        let r = Rect { x: 0.0, y: 0.0, w: 10.0, h: 10.0 };
        assert!(r.crossed_by((-5.0, 5.0), (15.0, 5.0)));
        assert!(!r.crossed_by((-5.0, 15.0), (15.0, 15.0)));
        assert!(!r.crossed_by((-5.0, 10.0), (15.0, 10.0)), "running along the border is outside");
        assert!(r.crossed_by((5.0, 5.0), (5.0, 6.0)), "inside");
        assert!(!r.crossed_by((11.0, 0.0), (11.0, 10.0)));
    }

    #[test]
    fn fitting_text() {
        assert_eq!(fit("abcdef", 4), "abc\u{2026}");
        assert_eq!(fit("abc", 4), "abc");
    }
}
