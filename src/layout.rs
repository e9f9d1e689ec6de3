//! Canvas geometry, derived from the document: where each region and card is drawn. Regions
//! (the Internet, the Common Runtime, spaces, VPCs, remote networks) have positions; the cards
//! inside them are stacked in document order, so a new object always lands in a free spot.

use spacetrace_engine::doc::{Document, Generation, Position};

use crate::edit::{COMMON_RUNTIME, INTERNET};

pub const REGION_W: f64 = 250.0;
pub const HEADER_H: f64 = 46.0;
pub const PAD: f64 = 12.0;
pub const CARD_W: f64 = REGION_W - 2.0 * PAD;
pub const CARD_GAP: f64 = 8.0;

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
    pub title: String,
    /// Lines under the title (process types, address, CIDR…).
    pub lines: Vec<String>,
    pub x: f64,
    pub y: f64,
    pub h: f64,
    /// Marks drawn after the title (for example "internal").
    pub badge: Option<&'static str>,
}

impl Card {
    pub fn centre(&self) -> (f64, f64) {
        (self.x + CARD_W / 2.0, self.y + self.h / 2.0)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    pub id: String,
    pub kind: RegionKind,
    pub title: String,
    pub subtitle: String,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub cards: Vec<Card>,
}

impl Region {
    pub fn centre(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    pub fn contains(&self, x: f64, y: f64) -> bool {
        x >= self.x && x <= self.x + self.w && y >= self.y && y <= self.y + self.h
    }

    /// Does a box come near this region? Side by side, regions keep room for an edge and its label.
    fn overlaps(&self, x: f64, y: f64, w: f64, h: f64) -> bool {
        const GAP_X: f64 = 110.0;
        const GAP_Y: f64 = 40.0;
        x < self.x + self.w + GAP_X && self.x < x + w + GAP_X && y < self.y + self.h + GAP_Y && self.y < y + h + GAP_Y
    }
}

/// A peering or VPN drawn between two regions.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub id: String,
    pub from: String,
    pub to: String,
    pub label: String,
    pub vpn: bool,
    pub faded: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Layout {
    pub regions: Vec<Region>,
    pub edges: Vec<Edge>,
    /// Objects drawn as part of a region (route tables, security groups, ACLs, firewalls): ID → region ID.
    pub aliases: Vec<(String, String)>,
}

impl Layout {
    pub fn region(&self, id: &str) -> Option<&Region> {
        self.regions.iter().find(|r| r.id == id)
    }

    pub fn card(&self, id: &str) -> Option<&Card> {
        self.regions.iter().flat_map(|r| r.cards.iter()).find(|c| c.id == id)
    }

    /// Where an object is marked on the canvas: a card's centre, or a region's header.
    pub fn anchor(&self, id: &str) -> Option<(f64, f64)> {
        // A region (or a part of it: its filter, gateway, route table…) is marked at the right
        // end of its header, clear of its title and cards.
        let header = |r: &Region| (r.x + r.w - 26.0, r.y + HEADER_H / 2.0);
        self.card(id).map(Card::centre).or_else(|| self.region(id).map(header)).or_else(|| {
            let owner = self.aliases.iter().find(|(a, _)| a == id).map(|(_, r)| r.as_str())?;
            self.region(owner).map(header)
        })
    }

    /// The region holding a card, or the region itself.
    pub fn region_of(&self, id: &str) -> Option<&Region> {
        self.regions.iter().find(|r| r.id == id || r.cards.iter().any(|c| c.id == id))
    }

    /// A free spot for a new region of about this size, scanning left to right, top to bottom.
    pub fn free_spot(&self, w: f64, h: f64) -> Position {
        let mut y = 20.0;
        while y < 4000.0 {
            let mut x = 300.0;
            while x < 1400.0 {
                if !self.regions.iter().any(|r| r.overlaps(x, y, w, h)) {
                    return Position { x, y };
                }
                x += 40.0;
            }
            y += 40.0;
        }
        Position { x: 300.0, y: 20.0 }
    }

    /// The bounding box of everything, for fitting the view.
    pub fn bounds(&self) -> (f64, f64, f64, f64) {
        let mut b = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for r in &self.regions {
            b.0 = b.0.min(r.x);
            b.1 = b.1.min(r.y);
            b.2 = b.2.max(r.x + r.w);
            b.3 = b.3.max(r.y + r.h);
        }
        if self.regions.is_empty() { (0.0, 0.0, 800.0, 600.0) } else { b }
    }
}

fn card_height(lines: usize) -> f64 {
    30.0 + 18.0 * lines as f64
}

/// Cut a line to what fits on a card.
fn fit(s: String, max: usize) -> String {
    if s.chars().count() <= max { s } else { s.chars().take(max - 1).collect::<String>() + "\u{2026}" }
}

/// A card to stack: ID, kind, title, lines, badge.
type CardSpec = (String, CardKind, String, Vec<String>, Option<&'static str>);

fn stack(region: &mut Region, cards: Vec<CardSpec>) {
    let mut y = region.y + HEADER_H;
    for (id, kind, title, lines, badge) in cards {
        let title = fit(title, if badge.is_some() { 18 } else { 25 });
        let lines: Vec<String> = lines.into_iter().map(|l| fit(l, 27)).collect();
        let h = card_height(lines.len());
        region.cards.push(Card { id, kind, title, lines, x: region.x + PAD, y, h, badge });
        y += h + CARD_GAP;
    }
    region.h = (y - region.y + PAD - CARD_GAP).max(HEADER_H + 40.0);
}

fn ports(list: &[spacetrace_engine::doc::Listen]) -> String {
    list.iter()
        .map(|l| {
            format!("{}/{}", l.port, if l.protocol == spacetrace_engine::doc::Protocol::Udp { "udp" } else { "tcp" })
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Lay out a document. `offset` moves one region (an ongoing drag) without changing the document.
pub fn layout(doc: &Document, offset: Option<(&str, f64, f64)>) -> Layout {
    let mut out = Layout::default();
    // Regions without a position stack down the left edge.
    let auto_y = std::cell::Cell::new(20.0);
    let place = |id: &str, p: Option<Position>, h_hint: f64| {
        let p = p.unwrap_or_else(|| {
            let p = Position { x: 20.0, y: auto_y.get() };
            auto_y.set(auto_y.get() + h_hint + 20.0);
            p
        });
        match offset {
            Some((o, dx, dy)) if o == id => (p.x + dx, p.y + dy),
            _ => (p.x, p.y),
        }
    };

    // The Internet: clients and external services.
    if !doc.internet_clients.is_empty() || !doc.external_services.is_empty() {
        let (x, y) = place(INTERNET, doc.layout.internet, 200.0);
        let mut r = Region {
            id: INTERNET.into(),
            kind: RegionKind::Internet,
            title: "Internet".into(),
            subtitle: String::new(),
            x,
            y,
            w: REGION_W,
            h: 0.0,
            cards: Vec::new(),
        };
        let mut cards = Vec::new();
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
        stack(&mut r, cards);
        auto_y.set(auto_y.get().max(r.y + r.h + 20.0));
        out.regions.push(r);
    }

    // The Common Runtime.
    if !doc.common_runtime_apps.is_empty() {
        let (x, y) = place(COMMON_RUNTIME, doc.layout.common_runtime, 120.0);
        let mut r = Region {
            id: COMMON_RUNTIME.into(),
            kind: RegionKind::CommonRuntime,
            title: "Common Runtime".into(),
            subtitle: String::new(),
            x,
            y,
            w: REGION_W,
            h: 0.0,
            cards: Vec::new(),
        };
        let cards = doc
            .common_runtime_apps
            .iter()
            .map(|a| (a.id.clone(), CardKind::App, a.name.clone(), process_lines(a), None))
            .collect();
        stack(&mut r, cards);
        out.regions.push(r);
    }

    for s in &doc.spaces {
        let (x, y) = place(&s.id, s.position, 200.0);
        let kind = match (s.generation, s.shield) {
            (Generation::Fir, _) => RegionKind::Fir,
            (Generation::Cedar, true) => RegionKind::CedarShield,
            (Generation::Cedar, false) => RegionKind::Cedar,
        };
        let mut r = Region {
            id: s.id.clone(),
            kind,
            title: s.name.clone(),
            subtitle: format!("{} \u{00b7} {}", kind.label(), s.cidr.as_deref().unwrap_or("10.0.0.0/16")),
            x,
            y,
            w: REGION_W,
            h: 0.0,
            cards: Vec::new(),
        };
        let mut cards: Vec<_> = s
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
        stack(&mut r, cards);
        out.regions.push(r);
    }

    for v in &doc.vpcs {
        let (x, y) = place(&v.id, v.position, 160.0);
        let mut r = Region {
            id: v.id.clone(),
            kind: RegionKind::Vpc,
            title: v.name.clone(),
            subtitle: format!("AWS VPC \u{00b7} {}", v.primary_cidr),
            x,
            y,
            w: REGION_W,
            h: 0.0,
            cards: Vec::new(),
        };
        let cards = v
            .hosts
            .iter()
            .map(|h| {
                (
                    h.id.clone(),
                    CardKind::Host,
                    h.name.clone(),
                    vec![format!("{} : {}", h.address, ports(&h.ports))],
                    None,
                )
            })
            .collect();
        stack(&mut r, cards);
        for id in v
            .route_tables
            .iter()
            .map(|x| &x.id)
            .chain(v.security_groups.iter().map(|x| &x.id))
            .chain(v.network_acls.iter().map(|x| &x.id))
            .chain(v.subnets.iter().map(|x| &x.id))
        {
            out.aliases.push((id.clone(), v.id.clone()));
        }
        out.regions.push(r);
    }

    for n in &doc.remote_networks {
        let (x, y) = place(&n.id, n.position, 140.0);
        let mut r = Region {
            id: n.id.clone(),
            kind: RegionKind::Remote,
            title: n.name.clone(),
            subtitle: format!("Remote network \u{00b7} {}", n.cidrs.join(", ")),
            x,
            y,
            w: REGION_W,
            h: 0.0,
            cards: Vec::new(),
        };
        let cards = n
            .hosts
            .iter()
            .map(|h| {
                (
                    h.id.clone(),
                    CardKind::RemoteHost,
                    h.name.clone(),
                    vec![format!("{} : {}", h.address, ports(&h.ports))],
                    None,
                )
            })
            .collect();
        stack(&mut r, cards);
        let firewall =
            n.firewall.as_ref().map(|f| if f.id.is_empty() { format!("{}-firewall", n.id) } else { f.id.clone() });
        if let Some(f) = firewall {
            out.aliases.push((f, n.id.clone()));
        }
        out.regions.push(r);
    }

    for p in &doc.peerings {
        let status = match p.status {
            spacetrace_engine::doc::PeeringStatus::Active => "",
            spacetrace_engine::doc::PeeringStatus::PendingAcceptance => " (pending)",
            spacetrace_engine::doc::PeeringStatus::Deleted => " (deleted)",
        };
        out.edges.push(Edge {
            id: p.id.clone(),
            from: p.space.clone(),
            to: p.vpc.clone(),
            label: format!("{}{status}", p.id),
            vpn: false,
            faded: p.status != spacetrace_engine::doc::PeeringStatus::Active,
        });
    }
    for p in &doc.vpc_peerings {
        out.edges.push(Edge {
            id: p.id.clone(),
            from: p.vpc.clone(),
            to: p.peer_vpc.clone(),
            label: p.id.clone(),
            vpn: false,
            faded: p.status != spacetrace_engine::doc::PeeringStatus::Active,
        });
    }
    for v in &doc.vpns {
        let down = v.tunnel_status == spacetrace_engine::doc::TunnelStatus::Down;
        out.edges.push(Edge {
            id: v.id.clone(),
            from: v.space.clone(),
            to: v.remote_network.clone(),
            label: format!("{}{}", v.name, if down { " (down)" } else { "" }),
            vpn: true,
            faded: down,
        });
    }
    out
}

fn process_lines(a: &spacetrace_engine::doc::App) -> Vec<String> {
    if a.process_types.is_empty() {
        return vec!["no process types".into()];
    }
    a.process_types
        .iter()
        .map(|p| {
            let extra = if p.ports.is_empty() { String::new() } else { format!(" : {}", ports(&p.ports)) };
            format!("{} \u{00d7}{}{extra}", p.name, p.dynos)
        })
        .collect()
}
