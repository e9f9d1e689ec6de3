//! The validated model: what [`crate::check`] makes of a document. References are typed indices,
//! addresses are parsed, defaults are filled in, and every object here is usable as it is.

use std::net::{IpAddr, Ipv4Addr};

use ipnet::{IpNet, Ipv4Net};
use serde::Serialize;

use crate::capabilities::{self, Feature};
use crate::doc::{Action, AddonKind, Generation, PeeringStatus, Protocol, RuleProtocol};
use crate::rules::RuleId;

macro_rules! index_type {
    ($($(#[$m:meta])* $name:ident),* $(,)?) => {$(
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        pub struct $name(pub u32);
        impl $name {
            pub fn ix(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}

index_type!(
    /// An app, in the Common Runtime or a space.
    AppIx,
    SpaceIx,
    AddonIx,
    VpcIx,
    HostIx,
    PeeringIx,
    VpcPeeringIx,
    RemoteIx,
    RemoteHostIx,
    VpnIx,
    ClientIx,
    ServiceIx,
);

/// An inclusive port range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct PortRange {
    pub lo: u16,
    pub hi: u16,
}

impl PortRange {
    pub const ALL: PortRange = PortRange { lo: 0, hi: u16::MAX };
    /// The ephemeral ports replies go back to.
    pub const EPHEMERAL: PortRange = PortRange { lo: 1024, hi: u16::MAX };

    pub fn single(port: u16) -> Self {
        Self { lo: port, hi: port }
    }

    pub fn contains(self, port: u16) -> bool {
        self.lo <= port && port <= self.hi
    }

    /// Parse `"5432"`, `"1024-65535"` or `"all"`.
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("all") {
            return Some(Self::ALL);
        }
        let digits = |s: &str| -> Option<u16> {
            let s = s.trim();
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            s.parse().ok()
        };
        match t.split_once('-') {
            Some((a, b)) => {
                let (lo, hi) = (digits(a)?, digits(b)?);
                (lo <= hi).then_some(Self { lo, hi })
            }
            None => digits(t).map(Self::single),
        }
    }
}

impl std::fmt::Display for PortRange {
    /// The document syntax: `5432`, `1024-65535` or `all`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if *self == Self::ALL {
            f.write_str("all")
        } else if self.lo == self.hi {
            write!(f, "{}", self.lo)
        } else {
            write!(f, "{}-{}", self.lo, self.hi)
        }
    }
}

/// Does a rule's protocol match a question's?
pub fn protocol_matches(rule: RuleProtocol, p: Protocol) -> bool {
    matches!(
        (rule, p),
        (RuleProtocol::All, _) | (RuleProtocol::Tcp, Protocol::Tcp) | (RuleProtocol::Udp, Protocol::Udp)
    )
}

/// A port something listens on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Port {
    pub protocol: Protocol,
    pub port: u16,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Client {
    pub id: String,
    pub name: String,
    pub cidr: IpNet,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Service {
    pub id: String,
    pub name: String,
    pub hostname: String,
    pub ports: Vec<Port>,
    pub allowlist: Option<Vec<IpNet>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Process {
    pub name: String,
    pub dynos: u32,
    /// Ports besides `$PORT` (web always listens on `$PORT`).
    pub ports: Vec<Port>,
    /// The address of the first dyno (`<name>.1`), when one runs.
    pub address: Option<Ipv4Addr>,
    /// The address the first dyno has once the process runs: `address` when it runs; for a space
    /// process scaled to zero, the one scaling it to one dyno would give it.
    pub address_once_scaled: Option<Ipv4Addr>,
    /// The addresses of the running dynos in order (`<name>.1`, `<name>.2`, …; at most 64 kept).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dyno_addresses: Vec<Ipv4Addr>,
}

impl Process {
    /// Whether `<name>.<n>` can be named: a dyno the formation runs, or `.1` of a process scaled
    /// to zero (which a question may still name, to be told nothing runs).
    pub fn has_dyno(&self, n: u32) -> bool {
        n == 1 || (n >= 1 && n <= self.dynos)
    }

    /// The address of dyno `<name>.<n>` (1-based), when it runs and is known.
    pub fn dyno_address(&self, n: u32) -> Option<Ipv4Addr> {
        if n <= 1 {
            return self.address;
        }
        self.dyno_addresses.get(n as usize - 1).copied()
    }

    pub fn is_web(&self) -> bool {
        self.name == "web"
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct App {
    pub id: String,
    pub name: String,
    /// `None` for a Common Runtime app.
    pub space: Option<SpaceIx>,
    /// Internal Routing as asked for in the document.
    pub internal_routing_requested: bool,
    /// Internal Routing in effect (Cedar space apps only).
    pub internal_routing: bool,
    /// The value of `$PORT`.
    pub web_port: u16,
    /// Whether `web_port` was defaulted (an assumption, labelled as such).
    pub web_port_defaulted: bool,
    pub processes: Vec<Process>,
    /// The private endpoint an internally routed app's hostname resolves to.
    pub ir_endpoint: Option<Ipv4Addr>,
}

impl App {
    pub fn hostname(&self) -> String {
        format!("{}.herokuapp.com", self.name)
    }

    /// A process's DNS service discovery name, `<process>.<app>.app.localspace`.
    pub fn discovery_name(&self, process: &str) -> String {
        format!("{process}.{}.app.localspace", self.name)
    }

    pub fn process(&self, name: &str) -> Option<usize> {
        self.processes.iter().position(|p| p.name == name)
    }

    pub fn web(&self) -> Option<&Process> {
        self.processes.iter().find(|p| p.is_web())
    }

    pub fn web_dynos(&self) -> u32 {
        self.web().map_or(0, |p| p.dynos)
    }

    /// Does process `p` listen on this port? `web` listens on `$PORT` (TCP).
    pub fn listens(&self, p: usize, protocol: Protocol, port: u16) -> bool {
        let Some(proc_) = self.processes.get(p) else { return false };
        (proc_.is_web() && protocol == Protocol::Tcp && port == self.web_port)
            || proc_.ports.iter().any(|l| l.protocol == protocol && l.port == port)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Space {
    pub id: String,
    pub name: String,
    pub generation: Generation,
    pub shield: bool,
    pub region: String,
    pub cidr: Ipv4Net,
    pub dyno_subnets: Vec<Ipv4Net>,
    /// The space CIDR and the unavailable CIDRs: what a peered VPC must not overlap.
    pub reserved: Vec<Ipv4Net>,
    /// Trusted IP ranges in effect (Fir: everything).
    pub trusted: Vec<IpNet>,
    /// Whether the trusted ranges are the default `0.0.0.0/0` (TIP-DEFAULT).
    pub trusted_defaulted: bool,
    /// How many trusted IP ranges the document lists, readable or not (what TIP-LIMIT counts).
    pub trusted_listed: usize,
    pub outbound_ips: Vec<IpAddr>,
    pub apps: Vec<AppIx>,
    pub addons: Vec<AddonIx>,
    pub peerings: Vec<PeeringIx>,
    pub vpns: Vec<VpnIx>,
}

impl Space {
    pub fn is_cedar(&self) -> bool {
        self.generation == Generation::Cedar
    }

    /// The rules that refuse `feature` on this space, or `None` when it offers it
    /// ([`crate::capabilities`]).
    pub fn refusal(&self, feature: Feature) -> Option<&'static [RuleId]> {
        capabilities::refusal(self.generation, self.shield, feature)
    }

    /// The rule that refuses `feature` on this space, or `None` when it offers it.
    pub fn refusing_rule(&self, feature: Feature) -> Option<RuleId> {
        capabilities::refusing_rule(self.generation, self.shield, feature)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Addon {
    pub id: String,
    pub name: String,
    pub space: SpaceIx,
    pub kind: AddonKind,
    pub port: u16,
}

/// Why a route drops the traffic it matches (its state is `blackhole`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Blackhole {
    /// The route's target is `blackhole`.
    Declared,
    /// The route's target names a peering (with a space or between VPCs) that is deleted.
    TargetDeleted,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Route {
    pub destination: Ipv4Net,
    pub target: String,
    /// Set when the route drops what it matches.
    pub blackhole: Option<Blackhole>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RouteTable {
    pub id: String,
    pub name: String,
    pub routes: Vec<Route>,
}

impl RouteTable {
    /// The most specific listed route for `addr`, with its index; the first listed among equals.
    pub fn lookup(&self, addr: Ipv4Addr) -> Option<(usize, &Route)> {
        self.routes
            .iter()
            .enumerate()
            .filter(|(_, r)| r.destination.contains(&addr))
            .max_by_key(|(i, r)| (r.destination.prefix_len(), std::cmp::Reverse(*i)))
    }
}

/// The route that decides where traffic for an address goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteHit<'m> {
    pub destination: Ipv4Net,
    pub target: &'m str,
    /// The route's index in its table; `None` for the `local` route every route table has for
    /// the VPC's CIDR blocks, listed or not.
    pub index: Option<usize>,
    pub blackhole: Option<Blackhole>,
}

/// The other end of traffic a security group filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SgEnd {
    /// An address that belongs to no AWS security group: a dyno, an Internal Routing endpoint.
    /// (Heroku dynos are never members of an AWS security group.)
    Address(IpAddr),
    /// A VPC host (its network interface), a member of the groups it wears.
    Host(HostIx),
}

/// What a security group rule names as the source (inbound) or destination (outbound).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SgPeer {
    /// Addresses in a CIDR block.
    Cidr { cidr: IpNet },
    /// The members of a security group: hosts that wear it, in this VPC or a peered one.
    Group { vpc: VpcIx, group: usize },
    /// The entries of a prefix list (an index into [`Model::prefix_lists`]).
    PrefixList { list: usize },
}

/// How a security group rule matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SgMatch {
    Cidr(IpNet),
    /// The entry `entry` of the prefix list `list`.
    PrefixList {
        list: usize,
        entry: IpNet,
    },
    /// Membership of the group `group` of the VPC `vpc`.
    Group {
        vpc: VpcIx,
        group: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SgRule {
    pub protocol: RuleProtocol,
    pub ports: PortRange,
    pub peer: SgPeer,
}

impl SgRule {
    /// Whether the rule covers this protocol and port, whoever the other end is.
    pub fn covers(&self, protocol: Protocol, port: u16) -> bool {
        protocol_matches(self.protocol, protocol) && self.ports.contains(port)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SecurityGroup {
    pub id: String,
    pub name: String,
    pub inbound: Vec<SgRule>,
    pub outbound: Vec<SgRule>,
    /// The document gave no outbound rules and `outbound` is the rule AWS gives a new group
    /// (all traffic to `0.0.0.0/0`; format version 2).
    pub outbound_default: bool,
}

/// A managed prefix list: named CIDR blocks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrefixList {
    pub id: String,
    pub name: String,
    pub entries: Vec<IpNet>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AclRule {
    pub number: u32,
    pub protocol: RuleProtocol,
    pub ports: PortRange,
    pub cidr: IpNet,
    pub action: Action,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkAcl {
    pub id: String,
    pub name: String,
    /// Sorted by rule number.
    pub inbound: Vec<AclRule>,
    /// Sorted by rule number.
    pub outbound: Vec<AclRule>,
}

/// What a network ACL decides for some traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum AclDecision {
    /// Allowed by the rule with this number.
    Allowed { number: u32 },
    /// Denied by the rule with this number.
    Denied { number: u32 },
    /// No rule matched: the implicit deny at the end of the list.
    ImplicitDeny,
}

/// Evaluate numbered ACL rules (sorted by number) for traffic with `addr` on every port of
/// `ports`: first match wins, port by port, and the traffic is allowed only if every port is. The
/// range is walked in segments whose ports all meet the same rules, so nothing is allocated.
/// An explicit deny names the lowest deny that decides some port; otherwise a port no rule
/// matches gives the implicit deny; otherwise the allow that decides last is named.
pub fn acl_decide(rules: &[AclRule], protocol: Protocol, ports: PortRange, addr: IpAddr) -> AclDecision {
    let applies = |r: &&AclRule| protocol_matches(r.protocol, protocol) && r.cidr.contains(&addr);
    let mut first_deny: Option<u32> = None;
    let mut last_allow: Option<u32> = None;
    let mut unmatched = false;
    let mut p = u32::from(ports.lo);
    let hi = u32::from(ports.hi);
    while p <= hi {
        // The segment [p, end]: no rule boundary falls inside it.
        let mut end = hi;
        for r in rules.iter().filter(applies) {
            let (lo, rhi) = (u32::from(r.ports.lo), u32::from(r.ports.hi));
            if lo > p {
                end = end.min(lo - 1);
            }
            if rhi >= p {
                end = end.min(rhi);
            }
        }
        let port = p as u16;
        match rules.iter().filter(applies).find(|r| r.ports.contains(port)) {
            None => unmatched = true,
            Some(r) if r.action == Action::Deny => first_deny = Some(first_deny.map_or(r.number, |d| d.min(r.number))),
            Some(r) => last_allow = Some(last_allow.map_or(r.number, |a| a.max(r.number))),
        }
        p = end + 1;
    }
    match (first_deny, unmatched, last_allow) {
        (Some(number), _, _) => AclDecision::Denied { number },
        (None, false, Some(number)) => AclDecision::Allowed { number },
        _ => AclDecision::ImplicitDeny,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Subnet {
    pub id: String,
    pub name: String,
    pub cidr: Ipv4Net,
    /// Index into the VPC's route tables; `None` when the document names none that exists and
    /// the VPC has no main route table.
    pub route_table: Option<usize>,
    /// The subnet has no route table of its own and uses the VPC's main route table.
    pub implicit_main: bool,
    /// Index into the VPC's network ACLs; `None` is the default ACL, which allows everything.
    pub network_acl: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Vpc {
    pub id: String,
    pub name: String,
    pub region: String,
    pub primary_cidr: Ipv4Net,
    pub secondary_cidrs: Vec<Ipv4Net>,
    pub public_egress_ip: Option<IpAddr>,
    pub route_tables: Vec<RouteTable>,
    /// Index into `route_tables` of the main route table, if the document names one.
    pub main_route_table: Option<usize>,
    pub security_groups: Vec<SecurityGroup>,
    pub network_acls: Vec<NetworkAcl>,
    pub subnets: Vec<Subnet>,
    pub hosts: Vec<HostIx>,
    pub peerings: Vec<PeeringIx>,
    pub vpc_peerings: Vec<VpcPeeringIx>,
}

impl Vpc {
    /// The VPC's CIDR blocks, primary first: what its `local` route covers.
    pub fn cidrs(&self) -> impl Iterator<Item = Ipv4Net> + '_ {
        std::iter::once(self.primary_cidr).chain(self.secondary_cidrs.iter().copied())
    }

    /// Where the route table `table` sends traffic for `addr`: the most specific route that
    /// contains it, whatever its target (local, a peering, a gateway, a blackhole). Every table
    /// routes the VPC's CIDR blocks `local` whether it lists that route or not; AWS refuses a
    /// listed route as specific as it, so it wins a tie; among listed routes equally specific,
    /// the first listed wins.
    pub fn route(&self, table: usize, addr: Ipv4Addr) -> Option<RouteHit<'_>> {
        let rt = self.route_tables.get(table)?;
        let mut best: Option<RouteHit<'_>> = None;
        for cidr in self.cidrs().filter(|c| c.contains(&addr)) {
            if best.is_none_or(|b| cidr.prefix_len() > b.destination.prefix_len()) {
                best = Some(RouteHit { destination: cidr, target: "local", index: None, blackhole: None });
            }
        }
        if let Some((i, r)) = rt.lookup(addr)
            && best.is_none_or(|b| r.destination.prefix_len() > b.destination.prefix_len())
        {
            best = Some(RouteHit {
                destination: r.destination,
                target: &r.target,
                index: Some(i),
                blackhole: r.blackhole,
            });
        }
        best
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Host {
    pub id: String,
    pub name: String,
    pub vpc: VpcIx,
    /// Index into the VPC's subnets.
    pub subnet: usize,
    pub address: Ipv4Addr,
    /// Indices into the VPC's security groups.
    pub security_groups: Vec<usize>,
    pub ports: Vec<Port>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Peering {
    pub id: String,
    pub space: SpaceIx,
    pub vpc: VpcIx,
    pub status: PeeringStatus,
    /// The configuration rule that stops this peering from carrying traffic, if any.
    pub refused: Option<RuleId>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VpcPeering {
    pub id: String,
    pub vpc: VpcIx,
    pub peer_vpc: VpcIx,
    pub status: PeeringStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FirewallRule {
    pub protocol: RuleProtocol,
    pub ports: PortRange,
    pub cidr: IpNet,
    pub action: Action,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Firewall {
    pub id: String,
    pub name: String,
    pub inbound: Vec<FirewallRule>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Remote {
    pub id: String,
    pub name: String,
    pub cidrs: Vec<IpNet>,
    pub public_egress_ip: Option<IpAddr>,
    pub hosts: Vec<RemoteHostIx>,
    pub firewall: Option<Firewall>,
    pub vpns: Vec<VpnIx>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RemoteHost {
    pub id: String,
    pub name: String,
    pub remote: RemoteIx,
    pub address: IpAddr,
    pub ports: Vec<Port>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Vpn {
    pub id: String,
    pub name: String,
    pub space: SpaceIx,
    pub remote: RemoteIx,
    pub customer_gateway: Option<IpAddr>,
    pub routable_cidrs: Vec<IpNet>,
    pub tunnel_up: bool,
    /// The configuration rule that stops this connection from carrying traffic, if any.
    pub refused: Option<RuleId>,
}

/// A validated model of a scenario.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Model {
    pub name: String,
    pub clients: Vec<Client>,
    pub services: Vec<Service>,
    pub apps: Vec<App>,
    pub spaces: Vec<Space>,
    pub addons: Vec<Addon>,
    pub vpcs: Vec<Vpc>,
    pub hosts: Vec<Host>,
    pub prefix_lists: Vec<PrefixList>,
    pub peerings: Vec<Peering>,
    pub vpc_peerings: Vec<VpcPeering>,
    pub remotes: Vec<Remote>,
    pub remote_hosts: Vec<RemoteHost>,
    pub vpns: Vec<Vpn>,
}

impl Model {
    pub fn app(&self, a: AppIx) -> &App {
        &self.apps[a.ix()]
    }
    pub fn space(&self, s: SpaceIx) -> &Space {
        &self.spaces[s.ix()]
    }
    pub fn vpc(&self, v: VpcIx) -> &Vpc {
        &self.vpcs[v.ix()]
    }
    pub fn host(&self, h: HostIx) -> &Host {
        &self.hosts[h.ix()]
    }
    pub fn peering(&self, p: PeeringIx) -> &Peering {
        &self.peerings[p.ix()]
    }
    pub fn remote(&self, r: RemoteIx) -> &Remote {
        &self.remotes[r.ix()]
    }
    pub fn remote_host(&self, r: RemoteHostIx) -> &RemoteHost {
        &self.remote_hosts[r.ix()]
    }
    pub fn vpn(&self, v: VpnIx) -> &Vpn {
        &self.vpns[v.ix()]
    }
    pub fn addon(&self, a: AddonIx) -> &Addon {
        &self.addons[a.ix()]
    }

    /// Give the internally routed apps of space `s` their private endpoints, in app order: the
    /// first free addresses of the space CIDR outside the dyno subnets (IR-PEER-ROUTE-16),
    /// searched within the CIDR only, so a full or tiny space ends the search.
    pub(crate) fn assign_ir_endpoints(&mut self, s: SpaceIx) {
        let Some(space) = self.spaces.get(s.ix()) else { return };
        let (cidr, subnets, apps) = (space.cidr, space.dyno_subnets.clone(), space.apps.clone());
        let base = u32::from(cidr.network());
        let last = u32::from(cidr.broadcast());
        let mut offset: u32 = 10;
        for a in apps {
            let Some(app) = self.apps.get_mut(a.ix()) else { continue };
            if !app.internal_routing {
                app.ir_endpoint = None;
                continue;
            }
            let mut found = None;
            while let Some(candidate) = base.checked_add(offset).filter(|c| *c < last) {
                let addr = Ipv4Addr::from(candidate);
                match subnets.iter().find(|n| n.contains(&addr)) {
                    // Skip the whole dyno subnet at once.
                    Some(n) => offset = (u32::from(n.broadcast()) - base).saturating_add(1),
                    None => {
                        offset += 1;
                        found = Some(addr);
                        break;
                    }
                }
            }
            app.ir_endpoint = found;
        }
    }

    /// This model with the space app `a` recreated with Internal Routing, as checking the
    /// document so changed would give it (its endpoint, and those of the apps after it).
    pub fn with_internal_routing(&self, a: AppIx) -> Model {
        let mut m = self.clone();
        let Some(app) = m.apps.get_mut(a.ix()) else { return m };
        let Some(s) = app.space else { return m };
        app.internal_routing = true;
        app.internal_routing_requested = true;
        m.assign_ir_endpoints(s);
        m
    }

    /// The peering between a space and a VPC, if one exists (the first, if several).
    pub fn peering_between(&self, s: SpaceIx, v: VpcIx) -> Option<PeeringIx> {
        self.space(s).peerings.iter().copied().find(|p| self.peering(*p).vpc == v)
    }

    /// The VPN between a space and a remote network, if one exists.
    pub fn vpn_between(&self, s: SpaceIx, r: RemoteIx) -> Option<VpnIx> {
        self.space(s).vpns.iter().copied().find(|v| self.vpn(*v).remote == r)
    }

    pub fn find_app(&self, id: &str) -> Option<AppIx> {
        self.apps.iter().position(|a| a.id == id).map(|i| AppIx(i as u32))
    }
    pub fn find_host(&self, id: &str) -> Option<HostIx> {
        self.hosts.iter().position(|a| a.id == id).map(|i| HostIx(i as u32))
    }
    pub fn find_remote_host(&self, id: &str) -> Option<RemoteHostIx> {
        self.remote_hosts.iter().position(|a| a.id == id).map(|i| RemoteHostIx(i as u32))
    }
    pub fn find_client(&self, id: &str) -> Option<ClientIx> {
        self.clients.iter().position(|a| a.id == id).map(|i| ClientIx(i as u32))
    }
    pub fn find_service(&self, id: &str) -> Option<ServiceIx> {
        self.services.iter().position(|a| a.id == id).map(|i| ServiceIx(i as u32))
    }
    pub fn find_addon(&self, id: &str) -> Option<AddonIx> {
        self.addons.iter().position(|a| a.id == id).map(|i| AddonIx(i as u32))
    }

    /// Whether `rule` admits traffic on this protocol and port with `end` at the other side, and
    /// how: a CIDR block or a prefix list entry containing its address, or membership of the
    /// group it names. Only a VPC host is a member of a security group, of the ones it wears.
    pub fn sg_rule_match(&self, rule: &SgRule, protocol: Protocol, port: u16, end: SgEnd) -> Option<SgMatch> {
        if !rule.covers(protocol, port) {
            return None;
        }
        let addr = match end {
            SgEnd::Address(a) => a,
            SgEnd::Host(h) => IpAddr::V4(self.hosts.get(h.ix())?.address),
        };
        match rule.peer {
            SgPeer::Cidr { cidr } => cidr.contains(&addr).then_some(SgMatch::Cidr(cidr)),
            SgPeer::PrefixList { list } => {
                let entry = self.prefix_lists.get(list)?.entries.iter().find(|e| e.contains(&addr))?;
                Some(SgMatch::PrefixList { list, entry: *entry })
            }
            SgPeer::Group { vpc, group } => match end {
                SgEnd::Host(h) => {
                    let host = self.hosts.get(h.ix())?;
                    (host.vpc == vpc && host.security_groups.contains(&group)).then_some(SgMatch::Group { vpc, group })
                }
                SgEnd::Address(_) => None,
            },
        }
    }

    /// The CIDR blocks `rule` admits addresses from, whoever they belong to: its block, or its
    /// prefix list's entries; none for a group, which admits members only.
    pub fn sg_rule_cidrs<'a>(&'a self, rule: &'a SgRule) -> &'a [IpNet] {
        match &rule.peer {
            SgPeer::Cidr { cidr } => std::slice::from_ref(cidr),
            SgPeer::PrefixList { list } => self.prefix_lists.get(*list).map_or(&[], |l| l.entries.as_slice()),
            SgPeer::Group { .. } => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dyno_of_a_process_has_its_own_address() {
        let m = crate::check_text(
            r#"{"version": 2,
                "common_runtime_apps": [{"id": "c", "process_types": [{"name": "web", "dynos": 3}]}],
                "spaces": [{"id": "s", "generation": "cedar", "cidr": "10.0.0.0/16",
                  "apps": [{"id": "a", "process_types": [{"name": "web", "dynos": 3}, {"name": "worker", "dynos": 1}]}]}]}"#,
        )
        .model;
        for app in &m.apps {
            let web = &app.processes[0];
            let all: std::collections::BTreeSet<_> = (1..=3).map(|n| web.dyno_address(n)).collect();
            assert_eq!(all.len(), 3, "{}", app.id);
            assert_eq!(web.dyno_address(1), web.address);
            assert_eq!(web.dyno_address(4), None);
            assert!(web.has_dyno(3) && !web.has_dyno(4) && !web.has_dyno(0));
        }
        // No dyno of web shares the worker's address.
        let space_app = &m.apps[m.find_app("a").unwrap().ix()];
        assert!(!space_app.processes[0].dyno_addresses.contains(&space_app.processes[1].address.unwrap()));
    }

    fn rule(number: u32, ports: &str, cidr: &str, action: Action) -> AclRule {
        AclRule {
            number,
            protocol: RuleProtocol::Tcp,
            ports: PortRange::parse(ports).unwrap(),
            cidr: cidr.parse().unwrap(),
            action,
        }
    }

    #[test]
    fn port_ranges_parse() {
        assert_eq!(PortRange::parse("5432"), Some(PortRange::single(5432)));
        assert_eq!(PortRange::parse(" 1024-65535 "), Some(PortRange::EPHEMERAL));
        assert_eq!(PortRange::parse("ALL"), Some(PortRange::ALL));
        for bad in ["", "-", "80-", "90-80", "+80", "65536", "http"] {
            assert_eq!(PortRange::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn acl_first_match_wins_in_number_order() {
        let addr: IpAddr = "10.0.128.5".parse().unwrap();
        let rules =
            vec![rule(90, "5432", "10.0.0.0/16", Action::Deny), rule(100, "5432", "10.0.0.0/16", Action::Allow)];
        assert_eq!(
            acl_decide(&rules, Protocol::Tcp, PortRange::single(5432), addr),
            AclDecision::Denied { number: 90 }
        );
        assert_eq!(
            acl_decide(&rules[1..], Protocol::Tcp, PortRange::single(5432), addr),
            AclDecision::Allowed { number: 100 }
        );
        assert_eq!(acl_decide(&rules[1..], Protocol::Udp, PortRange::single(5432), addr), AclDecision::ImplicitDeny);
        assert_eq!(acl_decide(&[], Protocol::Tcp, PortRange::single(5432), addr), AclDecision::ImplicitDeny);
    }

    #[test]
    fn acl_ranges_must_be_covered_whole() {
        let addr: IpAddr = "10.0.128.5".parse().unwrap();
        let half = vec![rule(100, "1024-30000", "10.0.0.0/16", Action::Allow)];
        assert_eq!(acl_decide(&half, Protocol::Tcp, PortRange::EPHEMERAL, addr), AclDecision::ImplicitDeny);
        let both = vec![
            rule(100, "1024-30000", "10.0.0.0/16", Action::Allow),
            rule(110, "30001-65535", "0.0.0.0/0", Action::Allow),
        ];
        assert_eq!(acl_decide(&both, Protocol::Tcp, PortRange::EPHEMERAL, addr), AclDecision::Allowed { number: 110 });
        let deny_inside =
            vec![rule(100, "1024-30000", "10.0.0.0/16", Action::Allow), rule(105, "40000", "0.0.0.0/0", Action::Deny)];
        assert_eq!(
            acl_decide(&deny_inside, Protocol::Tcp, PortRange::EPHEMERAL, addr),
            AclDecision::Denied { number: 105 }
        );
    }

    #[test]
    fn longest_prefix_route_wins() {
        let rt = RouteTable {
            id: "rtb".into(),
            name: "rtb".into(),
            routes: vec![
                Route { destination: "10.0.0.0/16".parse().unwrap(), target: "pcx-a".into(), blackhole: None },
                Route { destination: "10.0.128.0/20".parse().unwrap(), target: "pcx-b".into(), blackhole: None },
            ],
        };
        assert_eq!(rt.lookup("10.0.130.1".parse().unwrap()).unwrap().1.target, "pcx-b");
        assert_eq!(rt.lookup("10.0.1.1".parse().unwrap()).unwrap().1.target, "pcx-a");
        assert!(rt.lookup("10.1.0.1".parse().unwrap()).is_none());
    }
}
