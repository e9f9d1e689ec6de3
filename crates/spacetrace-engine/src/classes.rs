//! The all-pairs matrix by classes: evaluate one question per class of pairs that no rule in the
//! model can tell apart, and copy its outcome to the others.
//!
//! Two ends are **related** when the walk between them could read anything that ties one to the
//! other:
//!
//! - they sit in the same **network**: the connected part of the graph of spaces, VPCs and remote
//!   networks joined by peerings, VPC peerings and VPN connections, whatever their state (so a
//!   dyno and any app, add-on, host or remote host its space could reach or name are related, and
//!   so are two dynos of one app, a dyno and its own app, and a host and its own VPC); a Common
//!   Runtime app and an external service are networks of their own;
//! - or a CIDR narrower than `/0` on one side contains an address of the other: a Cedar space's
//!   trusted range or an external service's allowlist containing a source's public address
//!   (outbound IPs, VPC or remote egress, client range), or a VPC host's outbound security-group
//!   rule (its CIDR block, or an entry of the prefix list it names) containing the address a
//!   destination is reached at (a dyno's, an Internal Routing endpoint). A rule naming a security
//!   group ties nothing: no Heroku address is a member.
//!
//! Related pairs are evaluated one by one. For every other pair the walk can only read what the
//! **row key** of the source and the **column key** of the destination below record: with no
//! peering or VPN between their networks it stops at the peering or VPN hop, and every address
//! test left is against a `/0` range, which only an address's family answers. So one evaluated
//! pair per (row key, column key) gives every such cell, exactly as the plain evaluation would.
//! `tests/matrix_classes.rs` checks this cell for cell against [`crate::matrix::Matrix::plain`].

use std::collections::BTreeMap;
use std::net::IpAddr;

use ipnet::IpNet;

use crate::doc::{Generation, Protocol, RuleProtocol};
use crate::eval::outcome;
use crate::model::{Model, PortRange, SpaceIx};
use crate::query::{Dst, Query, Src};
use crate::trace::Outcome;

use crate::matrix::ServiceEnd;

/// The plain evaluation of one cell.
pub(crate) fn plain_cell(model: &Model, src: Src, svc: &ServiceEnd) -> Option<Outcome> {
    Query::new(src, svc.dst, svc.protocol, svc.port).ok().map(|q| outcome(model, &q))
}

/// Which kind of space an app runs in, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Runtime {
    Common,
    Space(Generation),
    /// A space index outside the model (never made by the checker).
    Unknown,
}

/// An address family, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Family {
    None,
    V4,
    V6,
}

fn family(addr: Option<IpAddr>) -> Family {
    match addr {
        None => Family::None,
        Some(IpAddr::V4(_)) => Family::V4,
        Some(IpAddr::V6(_)) => Family::V6,
    }
}

/// What a source shows unrelated destinations.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum RowKey {
    Dyno {
        exists: bool,
        dynos: bool,
        runtime: Runtime,
        address: bool,
        /// Outbound IPs: any at all, any IPv4, any IPv6.
        outbound: (bool, bool, bool),
    },
    /// `outbound` is the protocols and ports of the outbound security-group rules open to
    /// `0.0.0.0/0`, in order.
    Host {
        outbound: Vec<(RuleProtocol, PortRange)>,
        egress: Family,
    },
    Remote {
        egress: Family,
    },
    Client {
        net: Family,
    },
    /// A source index outside the model.
    Unknown,
}

/// What a destination shows unrelated sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum ColKind {
    Hostname {
        runtime: Runtime,
        internal: bool,
        endpoint: bool,
        web: bool,
        /// The space's trusted ranges hold `0.0.0.0/0`, `::/0`.
        open: (bool, bool),
    },
    Dyno {
        runtime: Runtime,
        exists: bool,
        dynos: bool,
        address: bool,
        listens: bool,
    },
    Addon {
        listens: bool,
    },
    Host {
        listens: bool,
    },
    Remote {
        listens: bool,
    },
    /// `allowlist`: none, or whether it holds `0.0.0.0/0`, `::/0`.
    External {
        listens: bool,
        allowlist: Option<(bool, bool)>,
    },
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct ColKey {
    protocol: Protocol,
    port: u16,
    kind: ColKind,
}

/// Union-find over spaces, VPCs and remote networks.
struct Networks {
    parent: Vec<u32>,
    vpcs: usize,
    remotes: usize,
}

impl Networks {
    fn find(&mut self, mut x: u32) -> u32 {
        while let Some(&p) = self.parent.get(x as usize) {
            if p == x {
                break;
            }
            let gp = self.parent.get(p as usize).copied().unwrap_or(p);
            if let Some(slot) = self.parent.get_mut(x as usize) {
                *slot = gp;
            }
            x = p;
        }
        x
    }
    fn union(&mut self, a: Option<u32>, b: Option<u32>) {
        if let (Some(a), Some(b)) = (a, b) {
            let (ra, rb) = (self.find(a), self.find(b));
            if ra != rb {
                let (lo, hi) = (ra.min(rb), ra.max(rb));
                self.parent[hi as usize] = lo;
            }
        }
    }
    fn space(&self, s: usize) -> Option<u32> {
        (s < self.parent.len() - self.vpcs - self.remotes).then_some(s as u32)
    }
    fn vpc(&self, v: usize) -> Option<u32> {
        (v < self.vpcs).then(|| (self.parent.len() - self.vpcs - self.remotes + v) as u32)
    }
    fn remote(&self, r: usize) -> Option<u32> {
        (r < self.remotes).then(|| (self.parent.len() - self.remotes + r) as u32)
    }
}

/// The network of every space, VPC and remote network: ids below `m.spaces + m.vpcs + m.remotes`.
/// Common Runtime apps and external services get ids above.
struct Homes {
    net: Networks,
    apps: u32,
    base: u32,
}

impl Homes {
    fn new(m: &Model) -> Self {
        let (s, v, r) = (m.spaces.len(), m.vpcs.len(), m.remotes.len());
        let mut net = Networks { parent: (0..(s + v + r) as u32).collect(), vpcs: v, remotes: r };
        for p in &m.peerings {
            let (a, b) = (net.space(p.space.ix()), net.vpc(p.vpc.ix()));
            net.union(a, b);
        }
        for (si, space) in m.spaces.iter().enumerate() {
            for p in &space.peerings {
                if let Some(p) = m.peerings.get(p.ix()) {
                    let (a, b) = (net.space(si), net.vpc(p.vpc.ix()));
                    net.union(a, b);
                }
            }
            for x in &space.vpns {
                if let Some(x) = m.vpns.get(x.ix()) {
                    let (a, b) = (net.space(si), net.remote(x.remote.ix()));
                    net.union(a, b);
                }
            }
        }
        for p in &m.vpc_peerings {
            let (a, b) = (net.vpc(p.vpc.ix()), net.vpc(p.peer_vpc.ix()));
            net.union(a, b);
        }
        for (vi, vpc) in m.vpcs.iter().enumerate() {
            for p in &vpc.peerings {
                if let Some(p) = m.peerings.get(p.ix()) {
                    let (a, b) = (net.vpc(vi), net.space(p.space.ix()));
                    net.union(a, b);
                }
            }
            for p in &vpc.vpc_peerings {
                if let Some(p) = m.vpc_peerings.get(p.ix()) {
                    let (a, b, c) = (net.vpc(vi), net.vpc(p.vpc.ix()), net.vpc(p.peer_vpc.ix()));
                    net.union(a, b);
                    net.union(a, c);
                }
            }
        }
        for x in &m.vpns {
            let (a, b) = (net.space(x.space.ix()), net.remote(x.remote.ix()));
            net.union(a, b);
        }
        for (ri, remote) in m.remotes.iter().enumerate() {
            for x in &remote.vpns {
                if let Some(x) = m.vpns.get(x.ix()) {
                    let (a, b) = (net.remote(ri), net.space(x.space.ix()));
                    net.union(a, b);
                }
            }
        }
        let base = (s + v + r) as u32;
        Self { net, apps: m.apps.len() as u32, base }
    }

    fn of(&mut self, id: Option<u32>) -> Option<u32> {
        id.map(|i| self.net.find(i))
    }
    fn space(&mut self, s: SpaceIx) -> Option<u32> {
        let id = self.net.space(s.ix());
        self.of(id)
    }
    fn app(&mut self, m: &Model, a: usize) -> Option<u32> {
        match m.apps.get(a)?.space {
            Some(s) => self.space(s),
            None => Some(self.base + a as u32),
        }
    }
    fn vpc(&mut self, v: usize) -> Option<u32> {
        let id = self.net.vpc(v);
        self.of(id)
    }
    fn remote(&mut self, r: usize) -> Option<u32> {
        let id = self.net.remote(r);
        self.of(id)
    }
    fn service(&self, e: usize) -> u32 {
        self.base + self.apps + e as u32
    }
}

/// CIDRs narrower than `/0`, each with the networks (homes) it ties to what it contains.
#[derive(Default)]
struct CidrIndex {
    by_net: BTreeMap<IpNet, Vec<u32>>,
    /// Prefix lengths present, per family (IPv4, IPv6).
    lengths: [Vec<u8>; 2],
}

impl CidrIndex {
    fn add(&mut self, cidr: IpNet, home: u32) {
        if cidr.prefix_len() == 0 {
            return;
        }
        let net = cidr.trunc();
        let f = usize::from(matches!(net, IpNet::V6(_)));
        if !self.lengths[f].contains(&net.prefix_len()) {
            self.lengths[f].push(net.prefix_len());
        }
        let homes = self.by_net.entry(net).or_default();
        if !homes.contains(&home) {
            homes.push(home);
        }
    }

    /// The homes of every indexed CIDR that contains `net`.
    fn containing(&self, net: IpNet, out: &mut Vec<u32>) {
        let f = usize::from(matches!(net, IpNet::V6(_)));
        for &len in &self.lengths[f] {
            if len > net.prefix_len() {
                continue;
            }
            if let Ok(key) = IpNet::new(net.addr(), len).map(|n| n.trunc())
                && let Some(homes) = self.by_net.get(&key)
            {
                out.extend_from_slice(homes);
            }
        }
    }
}

/// Interns keys in order of first appearance (deterministic, no hashing).
fn intern<K: Ord + Clone>(map: &mut BTreeMap<K, u32>, key: &K) -> u32 {
    if let Some(&id) = map.get(key) {
        return id;
    }
    let id = map.len() as u32;
    map.insert(key.clone(), id);
    id
}

fn is_v4_everything(n: &IpNet) -> bool {
    matches!(n, IpNet::V4(n) if n.prefix_len() == 0)
}
fn is_v6_everything(n: &IpNet) -> bool {
    matches!(n, IpNet::V6(n) if n.prefix_len() == 0)
}

fn runtime(m: &Model, space: Option<SpaceIx>) -> Runtime {
    match space {
        None => Runtime::Common,
        Some(s) => m.spaces.get(s.ix()).map_or(Runtime::Unknown, |s| Runtime::Space(s.generation)),
    }
}

fn col_key(m: &Model, svc: &ServiceEnd) -> ColKey {
    let (protocol, port) = (svc.protocol, svc.port);
    let kind = match svc.dst {
        Dst::Hostname(b) => match m.apps.get(b.ix()) {
            Some(app) => {
                let trusted = app.space.and_then(|s| m.spaces.get(s.ix())).map(|s| s.trusted.as_slice()).unwrap_or(&[]);
                ColKind::Hostname {
                    runtime: runtime(m, app.space),
                    internal: app.internal_routing,
                    endpoint: app.ir_endpoint.is_some(),
                    web: app.web_dynos() > 0,
                    open: (trusted.iter().any(is_v4_everything), trusted.iter().any(is_v6_everything)),
                }
            }
            None => ColKind::Other,
        },
        Dst::DynoAddress { app: b, process } => match m.apps.get(b.ix()) {
            Some(app) => {
                let p = app.processes.get(process);
                ColKind::Dyno {
                    runtime: runtime(m, app.space),
                    exists: p.is_some(),
                    dynos: p.is_some_and(|p| p.dynos > 0),
                    // A process scaled to zero is reached, from a VPC host, at the address it
                    // gets once scaled.
                    address: p.is_some_and(|p| p.address_once_scaled.is_some()),
                    listens: app.listens(process, protocol, port),
                }
            }
            None => ColKind::Other,
        },
        Dst::Addon(x) => match m.addons.get(x.ix()) {
            Some(addon) => ColKind::Addon { listens: protocol == Protocol::Tcp && port == addon.port },
            None => ColKind::Other,
        },
        Dst::Host(h) => match m.hosts.get(h.ix()) {
            Some(host) => {
                ColKind::Host { listens: host.ports.iter().any(|l| l.protocol == protocol && l.port == port) }
            }
            None => ColKind::Other,
        },
        Dst::RemoteHost(r) => match m.remote_hosts.get(r.ix()) {
            Some(rh) => ColKind::Remote { listens: rh.ports.iter().any(|l| l.protocol == protocol && l.port == port) },
            None => ColKind::Other,
        },
        Dst::External(e) => match m.services.get(e.ix()) {
            Some(s) => ColKind::External {
                listens: s.ports.iter().any(|l| l.protocol == protocol && l.port == port),
                allowlist: s
                    .allowlist
                    .as_ref()
                    .map(|l| (l.iter().any(is_v4_everything), l.iter().any(is_v6_everything))),
            },
            None => ColKind::Other,
        },
        Dst::Discovery { .. } | Dst::Localhost => ColKind::Other,
    };
    ColKey { protocol, port, kind }
}

/// The address a host's outbound security groups are asked about for this destination.
fn col_target(m: &Model, dst: Dst) -> Option<IpAddr> {
    match dst {
        Dst::DynoAddress { app, process } => {
            m.apps.get(app.ix())?.processes.get(process)?.address_once_scaled.map(IpAddr::V4)
        }
        Dst::Hostname(b) => m.apps.get(b.ix())?.ir_endpoint.map(IpAddr::V4),
        _ => None,
    }
}

/// A source's key, its own network, and the public addresses (as nets) other ends may list.
fn row_key(m: &Model, homes: &mut Homes, src: Src, public: &mut Vec<IpNet>) -> (RowKey, Option<u32>) {
    public.clear();
    match src {
        Src::Dyno { app, process } => {
            let Some(a) = m.apps.get(app.ix()) else { return (RowKey::Unknown, None) };
            let p = a.processes.get(process);
            let outbound: &[IpAddr] = match a.space {
                Some(s) => m.spaces.get(s.ix()).map_or(&[], |s| s.outbound_ips.as_slice()),
                None => &[],
            };
            public.extend(outbound.iter().map(|ip| IpNet::from(*ip)));
            let key = RowKey::Dyno {
                exists: p.is_some(),
                dynos: p.is_some_and(|p| p.dynos > 0),
                runtime: runtime(m, a.space),
                address: p.is_some_and(|p| p.address.is_some()),
                outbound: (
                    !outbound.is_empty(),
                    outbound.iter().any(IpAddr::is_ipv4),
                    outbound.iter().any(IpAddr::is_ipv6),
                ),
            };
            (key, homes.app(m, app.ix()))
        }
        Src::Host(h) => {
            let Some(host) = m.hosts.get(h.ix()) else { return (RowKey::Unknown, None) };
            let Some(vpc) = m.vpcs.get(host.vpc.ix()) else { return (RowKey::Unknown, None) };
            // Every `0.0.0.0/0` a rule admits, its own or a prefix list entry; a rule naming a
            // group admits no Heroku address.
            let outbound = host
                .security_groups
                .iter()
                .filter_map(|g| vpc.security_groups.get(*g))
                .flat_map(|g| g.outbound.iter())
                .flat_map(|r| m.sg_rule_cidrs(r).iter().filter(|c| is_v4_everything(c)).map(|_| (r.protocol, r.ports)))
                .collect();
            public.extend(vpc.public_egress_ip.map(IpNet::from));
            let key = RowKey::Host { outbound, egress: family(vpc.public_egress_ip) };
            (key, homes.vpc(host.vpc.ix()))
        }
        Src::RemoteHost(r) => {
            let Some(rh) = m.remote_hosts.get(r.ix()) else { return (RowKey::Unknown, None) };
            let egress = m.remotes.get(rh.remote.ix()).and_then(|x| x.public_egress_ip);
            public.extend(egress.map(IpNet::from));
            (RowKey::Remote { egress: family(egress) }, homes.remote(rh.remote.ix()))
        }
        Src::Client(c) => {
            let Some(client) = m.clients.get(c.ix()) else { return (RowKey::Unknown, None) };
            public.push(client.cidr);
            let net = match client.cidr {
                IpNet::V4(_) => Family::V4,
                IpNet::V6(_) => Family::V6,
            };
            (RowKey::Client { net }, None)
        }
    }
}

/// Cells, row by row, for `sources` × `services`, appended to `cells`.
pub(crate) fn fill(model: &Model, sources: &[Src], services: &[ServiceEnd], cells: &mut Vec<Option<Outcome>>) {
    let m = model;
    let mut homes = Homes::new(m);

    // Lists that tie a source's public addresses to a destination's network.
    let mut public_lists = CidrIndex::default();
    for (si, space) in m.spaces.iter().enumerate() {
        if let Some(home) = homes.space(SpaceIx(si as u32)) {
            for t in &space.trusted {
                public_lists.add(*t, home);
            }
        }
    }
    for (e, service) in m.services.iter().enumerate() {
        let home = homes.service(e);
        for n in service.allowlist.iter().flatten() {
            public_lists.add(*n, home);
        }
    }

    // Columns: key, network, grouped by network.
    let mut col_ids: BTreeMap<ColKey, u32> = BTreeMap::new();
    let mut col_class: Vec<u32> = Vec::with_capacity(services.len());
    let mut col_home: Vec<Option<u32>> = Vec::with_capacity(services.len());
    for svc in services {
        col_class.push(intern(&mut col_ids, &col_key(m, svc)));
        let home = match svc.dst {
            Dst::Hostname(b) | Dst::DynoAddress { app: b, .. } | Dst::Discovery { app: b, .. } => homes.app(m, b.ix()),
            Dst::Addon(x) => m.addons.get(x.ix()).and_then(|a| homes.space(a.space)),
            Dst::Host(h) => m.hosts.get(h.ix()).and_then(|h| homes.vpc(h.vpc.ix())),
            Dst::RemoteHost(r) => m.remote_hosts.get(r.ix()).and_then(|r| homes.remote(r.remote.ix())),
            Dst::External(e) => Some(homes.service(e.ix())),
            Dst::Localhost => None,
        };
        col_home.push(home);
    }
    let mut by_home: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for (c, home) in col_home.iter().enumerate() {
        if let Some(h) = home {
            by_home.entry(*h).or_default().push(c as u32);
        }
    }

    // Rows: key and the networks each is related to.
    let mut row_ids: BTreeMap<RowKey, u32> = BTreeMap::new();
    let mut row_class: Vec<u32> = Vec::with_capacity(sources.len());
    let mut related: Vec<Vec<u32>> = Vec::with_capacity(sources.len());
    let mut public = Vec::new();
    // Outbound security-group CIDRs of host rows, tied to the row.
    let mut sg_lists = CidrIndex::default();
    for (r, src) in sources.iter().enumerate() {
        let (key, home) = row_key(m, &mut homes, *src, &mut public);
        row_class.push(intern(&mut row_ids, &key));
        let mut mine: Vec<u32> = home.into_iter().collect();
        for net in &public {
            public_lists.containing(*net, &mut mine);
        }
        related.push(mine);
        if let Src::Host(h) = src
            && let Some(host) = m.hosts.get(h.ix())
            && let Some(vpc) = m.vpcs.get(host.vpc.ix())
        {
            for g in host.security_groups.iter().filter_map(|g| vpc.security_groups.get(*g)) {
                for rule in &g.outbound {
                    for cidr in m.sg_rule_cidrs(rule) {
                        sg_lists.add(*cidr, r as u32);
                    }
                }
            }
        }
    }
    if !sg_lists.by_net.is_empty() {
        let mut rows = Vec::new();
        for (c, svc) in services.iter().enumerate() {
            let (Some(addr), Some(home)) = (col_target(m, svc.dst), col_home[c]) else { continue };
            rows.clear();
            sg_lists.containing(IpNet::from(addr), &mut rows);
            for &r in &rows {
                if let Some(list) = related.get_mut(r as usize) {
                    list.push(home);
                }
            }
        }
    }

    // One outcome per (row key, column key) of unrelated pairs, found as they come.
    let n_cols = col_ids.len();
    let mut table: Vec<Option<Option<Outcome>>> = vec![None; row_ids.len().saturating_mul(n_cols)];
    let mut stamp: Vec<u32> = vec![0; services.len()];
    // Once every column class of a row class is known, the row of unrelated outcomes is copied
    // whole and only the related cells are evaluated.
    let mut templates: Vec<Option<Vec<Option<Outcome>>>> = vec![None; row_ids.len()];
    for (r, src) in sources.iter().enumerate() {
        let mark = r as u32 + 1;
        let list = &mut related[r];
        list.sort_unstable();
        list.dedup();
        let rc = row_class[r] as usize;
        if let Some(template) = &templates[rc] {
            let start = cells.len();
            cells.extend_from_slice(template);
            for home in list.iter() {
                for &c in by_home.get(home).map_or(&[][..], Vec::as_slice) {
                    if let (Some(cell), Some(svc)) = (cells.get_mut(start + c as usize), services.get(c as usize)) {
                        *cell = plain_cell(m, *src, svc);
                    }
                }
            }
            continue;
        }
        for home in list.iter() {
            for &c in by_home.get(home).map_or(&[][..], Vec::as_slice) {
                stamp[c as usize] = mark;
            }
        }
        let base = rc * n_cols;
        for (c, svc) in services.iter().enumerate() {
            let cell = if stamp[c] == mark {
                plain_cell(m, *src, svc)
            } else {
                let slot = &mut table[base + col_class[c] as usize];
                match slot {
                    Some(o) => *o,
                    None => {
                        let o = plain_cell(m, *src, svc);
                        *slot = Some(o);
                        o
                    }
                }
            };
            cells.push(cell);
        }
        let row = &table[base..base + n_cols];
        if row.iter().all(Option::is_some) {
            templates[rc] = Some(col_class.iter().map(|cc| row[*cc as usize].flatten()).collect());
        }
    }
}
