//! Property tests for the engine: generated scenario documents (valid, half-valid and broken),
//! questions over them, and the invariants every answer must keep.
//!
//! Documents are built from a stream of random numbers ([`Gen`]): every choice reads the next
//! number, and a stream that runs out reads zeros, which always make the simplest choice (no
//! object, the first item of a list, "no" to every chance). Shrinking the stream therefore
//! shrinks the document.
//!
//! Runs are reproducible: the seed is fixed unless `PROPTEST_RNG_SEED` is set, and the case
//! counts below hold unless `PROPTEST_CASES` is set (for a longer hunt, for example
//! `PROPTEST_CASES=5000 PROPTEST_RNG_SEED=7 cargo test -p spacetrace-engine --test properties`).
//! No failure files are written.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::mpsc;
use std::time::Duration;

use ipnet::Ipv4Net;
use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use serde_json::{Map, Value};
use spacetrace_engine::check::{Checked, MAX_TRUSTED_RANGES};
use spacetrace_engine::doc::{
    self, AclRule, Action, Addon, AddonKind, App, Document, Expectation, ExternalService, Extra, Firewall,
    FirewallRule, Generation, Host, InternetClient, Layout, Listen, NetworkAcl, Peering, PeeringStatus, Position,
    PrefixList, ProcessType, Protocol, Question, RemoteHost, RemoteNetwork, Route, RouteTable, RuleProtocol,
    SecurityGroup, SgRule, Space, Subnet, TunnelStatus, Vpc, VpcPeering, Vpn,
};
use spacetrace_engine::lab::grade;
use spacetrace_engine::matrix::Matrix;
use spacetrace_engine::model::{AclDecision, Model, PortRange, acl_decide};
use spacetrace_engine::trace::{Decision, Trace};
use spacetrace_engine::{Dst, Query, Src, Verdict, check, check_text, evaluate, outcome, render};

const DEFAULT_SCENARIO: &str = include_str!("../../../scenarios/default.json");
const FORMAT_DOC: &str = include_str!("../../../docs/scenario-format.md");

/// A fixed seed and a fixed number of cases, unless the environment asks for others.
fn config(cases: u32) -> ProptestConfig {
    let base = ProptestConfig::default();
    let cases = if std::env::var_os("PROPTEST_CASES").is_some() { base.cases } else { cases };
    let rng_seed =
        if std::env::var_os("PROPTEST_RNG_SEED").is_some() { base.rng_seed } else { RngSeed::Fixed(0x5ace_7ace) };
    ProptestConfig { cases, rng_seed, failure_persistence: None, max_shrink_iters: 4096, ..base }
}

// ----- the choice stream --------------------------------------------------------------------

/// Reads choices from a list of random numbers; past its end every choice reads 0.
struct Gen<'a> {
    data: &'a [u32],
    pos: usize,
    /// A tidy document is built the way its owner meant it: one Cedar space, active peerings,
    /// routes and rules that mostly let traffic through. Untidy ones are anything goes.
    tidy: bool,
}

impl<'a> Gen<'a> {
    fn new(data: &'a [u32]) -> Self {
        Self { data, pos: 0, tidy: false }
    }

    fn next(&mut self) -> u32 {
        let v = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        v
    }

    /// A number in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        let v = self.next() as usize;
        if n == 0 { 0 } else { v % n }
    }

    /// A count in `0..=max`.
    fn count(&mut self, max: usize) -> usize {
        self.below(max + 1)
    }

    /// True with the given chance in percent; a zero reads false.
    fn chance(&mut self, percent: u32) -> bool {
        self.next() % 100 >= 100 - percent.min(100)
    }

    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }

    fn text(&mut self, items: &[&str]) -> String {
        self.pick(items).to_owned()
    }
}

// ----- pools of values, some of them broken ----------------------------------------------------

const NAMES: &[&str] = &["api", "billing", "", "web shop", "Ω-team", "worker-pool", "x"];
const SPACE_CIDRS: &[&str] = &["10.0.0.0/16", "10.2.0.0/16", "172.20.0.0/16", "192.168.0.0/16"];
/// Space CIDRs the platform would not offer, or that are not CIDRs at all.
const ODD_SPACE_CIDRS: &[&str] = &["10.0.0.0/20", "10.0.0.0/24", "bad", "::/0", "10.3.7.0/16", " 10.2.0.0/16 ", ""];
const DYNO_SUBNETS: &[&str] =
    &["10.0.128.0/20", "10.0.144.0/20", "10.0.0.0/20", "10.2.128.0/20", "10.0.128.0/24", "bad", "172.20.16.0/20"];
const UNAVAILABLE: &[&str] = &["10.1.0.0/16", "172.17.0.0/16", "10.100.0.0/16", "nope"];
const TRUSTED: &[&str] = &[
    "198.51.100.0/24",
    "203.0.113.0/24",
    "0.0.0.0/0",
    "52.1.2.3/32",
    "34.200.10.20/32",
    "198.51.100.10/32",
    "::/0",
    "10.0.0.0/8",
    "bad",
    "198.51.100.7/24",
];
const PUBLIC_IPS: &[&str] = &["52.1.2.3", "52.1.2.4", "34.200.10.20", "198.51.100.10", "bad", "2001:db8::1", ""];
const CLIENT_CIDRS: &[&str] = &[
    "0.0.0.0/0",
    "198.51.100.0/24",
    "203.0.113.7/32",
    "52.1.2.3/32",
    "34.200.10.20/32",
    "2001:db8::/32",
    "bad",
    "198.51.100.0",
];
const VPC_CIDRS: &[&str] = &[
    "10.100.0.0/16",
    "10.101.0.0/16",
    "172.31.0.0/16",
    "192.168.0.0/16",
    "10.0.0.0/16",
    "10.1.0.0/16",
    "52.0.0.0/16",
    "10.0.0.0/8",
    "bad",
    "2001:db8::/48",
];
const SECONDARY_CIDRS: &[&str] = &["10.200.0.0/16", "100.64.0.0/16", "bad"];
const RULE_CIDRS: &[&str] = &[
    "10.0.128.0/20",
    "10.0.144.0/20",
    "10.0.0.0/16",
    "10.2.0.0/16",
    "172.20.0.0/16",
    "0.0.0.0/0",
    "10.100.0.0/16",
    "10.0.0.0/8",
    "192.168.10.0/24",
    "::/0",
    "bad",
];
/// What a security group rule may name besides a CIDR block (see `prefix_lists` and `vpc`).
const REFERENCES: &[&str] = &["sg-0-0", "sg-0-1", "sg-1-0", "sg-ghost", "pl-0", "pl-1", "pl-ghost"];
const PORT_RANGES: &[&str] =
    &["all", "5432", "1024-65535", "0-65535", "80-443", "5000", "9000-9100", "636", "bad", "90-80", "", " 22 "];
const ACL_NUMBERS: &[u32] = &[100, 110, 120, 90, 200, 1, 32766, 0, 50];
const PORTS: &[u16] = &[80, 443, 5000, 5432, 6379, 9000, 9096, 636, 22, 0, 8080];
const REMOTE_CIDRS: &[&str] = &["192.168.10.0/24", "172.25.0.0/16", "10.0.0.0/16", "10.0.0.0/8", "bad", "fd00::/8"];
const REMOTE_ADDRESSES: &[&str] = &["192.168.10.20", "172.25.3.4", "10.0.5.5", "fd00::5", "bad"];

fn random_ipv4(g: &mut Gen) -> String {
    let v = g.next();
    Ipv4Addr::from(v).to_string()
}

fn random_cidr(g: &mut Gen) -> String {
    let addr = random_ipv4(g);
    let prefix = g.below(35);
    format!("{addr}/{prefix}")
}

/// A CIDR from the pool, or now and then any address with any prefix (up to /34, so sometimes bad).
fn cidr_from(g: &mut Gen, pool: &[&str]) -> String {
    if g.chance(8) { random_cidr(g) } else { g.text(pool) }
}

fn cidr_list(g: &mut Gen, pool: &[&str], max: usize) -> Vec<String> {
    (0..g.count(max)).map(|_| cidr_from(g, pool)).collect()
}

fn port(g: &mut Gen) -> u16 {
    if g.chance(5) { g.next() as u16 } else { g.pick(PORTS) }
}

fn protocol(g: &mut Gen) -> Protocol {
    if g.chance(15) { Protocol::Udp } else { Protocol::Tcp }
}

fn rule_protocol(g: &mut Gen) -> RuleProtocol {
    g.pick(&[RuleProtocol::Tcp, RuleProtocol::Tcp, RuleProtocol::All, RuleProtocol::Udp])
}

fn port_range(g: &mut Gen) -> String {
    if g.chance(5) {
        let (a, b) = (g.next() as u16, g.next() as u16);
        format!("{}-{}", a.min(b), a.max(b))
    } else {
        g.text(PORT_RANGES)
    }
}

fn listens(g: &mut Gen, max: usize) -> Vec<Listen> {
    (0..g.count(max)).map(|_| Listen { protocol: protocol(g), port: port(g) }).collect()
}

/// A count in `1..=max` nine times in ten, else 0.
fn some(g: &mut Gen, max: usize) -> usize {
    if g.chance(10) { 0 } else { 1 + g.below(max) }
}

/// An ID: usually the one given, now and then a duplicate or nothing at all.
fn id(g: &mut Gen, base: String) -> String {
    match g.below(60) {
        1 => "dup".to_owned(),
        2 => String::new(),
        _ => base,
    }
}

/// A reference to one of `ids`, or now and then to nothing that exists.
fn reference(g: &mut Gen, ids: &[String]) -> String {
    if ids.is_empty() || g.chance(5) { "ghost".to_owned() } else { g.pick(ids) }
}

fn position(g: &mut Gen) -> Option<Position> {
    // Small dyadic values: they survive a JSON round trip exactly.
    g.chance(30).then(|| Position { x: g.below(4000) as f64 / 4.0, y: -(g.below(800) as f64) })
}

fn json_value(g: &mut Gen, depth: usize) -> Value {
    match g.below(if depth == 0 { 5 } else { 7 }) {
        0 => Value::Null,
        1 => Value::Bool(g.chance(50)),
        2 => Value::from(i64::from(g.next() as i32)),
        3 => Value::from(g.below(64) as f64 / 8.0),
        4 => Value::from(g.text(&["", "kept", "ünïcödé", "{\"not\": \"parsed\"}", "10.0.0.0/16"])),
        5 => Value::Array((0..g.count(3)).map(|_| json_value(g, depth - 1)).collect()),
        _ => {
            let mut m = Map::new();
            for i in 0..g.count(3) {
                m.insert(format!("k{i}"), json_value(g, depth - 1));
            }
            Value::Object(m)
        }
    }
}

/// Fields this version does not know, now and then.
fn extra(g: &mut Gen) -> Extra {
    let mut e = Extra::new();
    if g.chance(12) {
        for i in 0..=g.count(1) {
            e.insert(format!("x_future_{i}"), json_value(g, 2));
        }
    }
    e
}

// ----- documents ------------------------------------------------------------------------------

/// IDs of what has been built so far, for references.
#[derive(Default)]
struct Ids {
    spaces: Vec<String>,
    /// (app ID, its process names)
    apps: Vec<(String, Vec<String>)>,
    addons: Vec<String>,
    vpcs: Vec<String>,
    hosts: Vec<String>,
    /// (peering ID, the VPC ID it names, the CIDR of the space it names)
    peerings: Vec<(String, String, String)>,
    /// Each space's CIDR as written, or the default when it has none.
    space_cidrs: Vec<String>,
    remotes: Vec<String>,
    remote_hosts: Vec<String>,
    clients: Vec<String>,
    services: Vec<String>,
    apps_made: usize,
}

fn app(g: &mut Gen, ids: &mut Ids) -> App {
    let k = ids.apps_made;
    ids.apps_made += 1;
    let mut process_types = Vec::new();
    for i in 0..g.count(3) {
        let name = if i == 0 && !g.chance(25) { "web".to_owned() } else { g.text(&["worker", "web", "clock", ""]) };
        let dynos = match g.below(20) {
            0 => g.next(),
            1..=3 if !g.tidy => 0,
            _ => g.pick(&[1, 1, 2, 3, 64]),
        };
        process_types.push(ProcessType { name, dynos, ports: listens(g, 2), extra: extra(g) });
    }
    let app = App {
        id: id(g, format!("app{k}")),
        name: if g.chance(10) { g.text(NAMES) } else { format!("acme-app{k}") },
        internal_routing: g.chance(25),
        web_port: g.chance(20).then(|| g.pick(&[5000, 3000, 0, 8080, 443])),
        process_types,
        position: position(g),
        extra: extra(g),
    };
    ids.apps.push((app.id.clone(), app.process_types.iter().map(|p| p.name.clone()).collect()));
    app
}

fn space(g: &mut Gen, s: usize, ids: &mut Ids) -> Space {
    let cidr = match g.below(10) {
        0..=3 => None,
        4..=7 => Some(g.text(SPACE_CIDRS)),
        8 => Some(g.text(&["10.0.0.0/16"])),
        _ => Some(g.text(ODD_SPACE_CIDRS)),
    };
    let trusted_ip_ranges = if g.chance(60) {
        let max = if g.chance(4) { MAX_TRUSTED_RANGES + 3 } else { 4 };
        Some(cidr_list(g, TRUSTED, max))
    } else {
        None
    };
    let space = Space {
        id: id(g, format!("space{s}")),
        name: g.text(NAMES),
        generation: if !g.tidy && g.chance(25) { Generation::Fir } else { Generation::Cedar },
        shield: g.chance(15),
        region: g.text(&["virginia", "dublin", ""]),
        cidr,
        dyno_subnets: g.chance(15).then(|| cidr_list(g, DYNO_SUBNETS, 3)),
        unavailable_cidrs: g.chance(10).then(|| cidr_list(g, UNAVAILABLE, 2)),
        trusted_ip_ranges,
        outbound_ips: (0..g.count(2)).map(|_| if g.chance(5) { random_ipv4(g) } else { g.text(PUBLIC_IPS) }).collect(),
        apps: (0..g.count(3)).map(|_| app(g, ids)).collect(),
        addons: (0..g.count(2))
            .map(|_| {
                let n = ids.addons.len();
                let addon = Addon {
                    id: id(g, format!("addon{n}")),
                    name: g.text(NAMES),
                    kind: g.pick(&[AddonKind::Postgres, AddonKind::Redis, AddonKind::Kafka]),
                    port: g.chance(15).then(|| g.pick(&[5432, 0, 6380])),
                    position: position(g),
                    extra: extra(g),
                };
                ids.addons.push(addon.id.clone());
                addon
            })
            .collect(),
        position: position(g),
        extra: extra(g),
    };
    ids.spaces.push(space.id.clone());
    ids.space_cidrs.push(space.cidr.clone().unwrap_or_else(|| "10.0.0.0/16".to_owned()));
    space
}

/// The first /24s of a VPC's primary CIDR, when it has room for them.
fn subnet_of(primary: &str, j: usize) -> Option<Ipv4Net> {
    let net: Ipv4Net = primary.parse().ok()?;
    if net.prefix_len() > 24 {
        return None;
    }
    net.subnets(24).ok()?.nth(j)
}

fn vpc(g: &mut Gen, v: usize, vpc_id: String, ids: &mut Ids) -> Vpc {
    let primary_cidr = if g.tidy { g.text(&VPC_CIDRS[..4]) } else { cidr_from(g, VPC_CIDRS) };
    let own = ids.peerings.iter().filter(|(_, to, _)| *to == vpc_id);
    let own_peerings: Vec<String> = own.clone().map(|(p, _, _)| p.clone()).collect();
    let peered_cidrs: Vec<String> = own.map(|(_, _, c)| c.clone()).collect();
    let route_targets: Vec<String> = ids
        .peerings
        .iter()
        .map(|(p, _, _)| p.clone())
        .chain(["local".to_owned(), "igw-1".to_owned(), "pcx-ghost".to_owned(), "blackhole".to_owned()])
        .collect();
    let mut route_destinations: Vec<&str> = vec!["10.0.0.0/16", "10.0.128.0/20", "10.0.144.0/20", "10.0.0.0/8"];
    route_destinations.extend(["0.0.0.0/0", "10.2.0.0/16", "172.20.0.0/16", "192.168.0.0/16", "bad"]);
    let route_tables: Vec<RouteTable> = (0..some(g, 2))
        .map(|j| RouteTable {
            id: id(g, format!("rtb-{v}-{j}")),
            name: g.text(NAMES),
            routes: (0..some(g, 3))
                .map(|_| Route {
                    destination: match g.below(8) {
                        0 => primary_cidr.clone(),
                        1..=4 if !peered_cidrs.is_empty() => g.pick(&peered_cidrs),
                        _ if g.tidy && !peered_cidrs.is_empty() => g.pick(&peered_cidrs),
                        1..=5 if !ids.space_cidrs.is_empty() => g.pick(&ids.space_cidrs),
                        _ => cidr_from(g, &route_destinations),
                    },
                    target: if !own_peerings.is_empty() && g.chance(if g.tidy { 95 } else { 70 }) {
                        g.pick(&own_peerings)
                    } else {
                        g.pick(&route_targets)
                    },
                })
                .collect(),
            extra: extra(g),
        })
        .collect();
    // A third of the rules are the ones a careful engineer writes: everything from a peered space.
    let mut wide: Vec<&str> = peered_cidrs.iter().map(String::as_str).collect();
    wide.extend(["10.0.0.0/8", "0.0.0.0/0"]);
    // Now and then a rule names a security group (of this VPC, another one, or none) or a prefix
    // list (declared or not).
    let sg_rule = |g: &mut Gen| {
        if g.chance(if g.tidy { 70 } else { 35 }) {
            SgRule { protocol: RuleProtocol::All, ports: "all".to_owned(), cidr: g.text(&wide) }
        } else if g.chance(15) {
            SgRule { protocol: rule_protocol(g), ports: port_range(g), cidr: g.text(REFERENCES) }
        } else {
            SgRule { protocol: rule_protocol(g), ports: port_range(g), cidr: cidr_from(g, RULE_CIDRS) }
        }
    };
    let security_groups: Vec<SecurityGroup> = (0..some(g, 2))
        .map(|j| SecurityGroup {
            id: id(g, format!("sg-{v}-{j}")),
            name: g.text(NAMES),
            inbound: (0..some(g, 3)).map(|_| sg_rule(g)).collect(),
            outbound: if g.tidy && g.chance(80) {
                Some(vec![SgRule {
                    protocol: RuleProtocol::All,
                    ports: "all".to_owned(),
                    cidr: "0.0.0.0/0".to_owned(),
                }])
            } else if g.chance(15) {
                None
            } else {
                Some((0..g.count(2)).map(|_| sg_rule(g)).collect())
            },
            extra: extra(g),
        })
        .collect();
    let acl_rule = |g: &mut Gen| {
        let number = if g.chance(5) { g.next() } else { g.pick(ACL_NUMBERS) };
        if g.chance(if g.tidy { 70 } else { 35 }) {
            AclRule {
                number,
                protocol: RuleProtocol::All,
                ports: "all".to_owned(),
                cidr: g.text(&wide),
                action: Action::Allow,
            }
        } else {
            AclRule {
                number,
                protocol: rule_protocol(g),
                ports: port_range(g),
                cidr: cidr_from(g, RULE_CIDRS),
                action: if g.chance(25) { Action::Deny } else { Action::Allow },
            }
        }
    };
    let network_acls: Vec<NetworkAcl> = (0..usize::from(g.chance(if g.tidy { 70 } else { 40 }))
        + usize::from(g.chance(10)))
        .map(|j| NetworkAcl {
            id: id(g, format!("acl-{v}-{j}")),
            name: g.text(NAMES),
            inbound: (0..g.count(3)).map(|_| acl_rule(g)).collect(),
            outbound: (0..g.count(3)).map(|_| acl_rule(g)).collect(),
            extra: extra(g),
        })
        .collect();
    let rt_ids: Vec<String> = route_tables.iter().map(|r| r.id.clone()).collect();
    let acl_ids: Vec<String> = network_acls.iter().map(|a| a.id.clone()).collect();
    let sg_ids: Vec<String> = security_groups.iter().map(|s| s.id.clone()).collect();
    let subnets: Vec<Subnet> = (0..some(g, 2))
        .map(|j| Subnet {
            id: id(g, format!("subnet-{v}-{j}")),
            name: g.text(NAMES),
            cidr: match subnet_of(&primary_cidr, j) {
                Some(n) if !g.chance(15) => n.to_string(),
                _ => cidr_from(g, &["10.100.1.0/24", "10.200.1.0/24", "172.31.1.0/24", "192.168.1.0/24", "bad"]),
            },
            // Now and then none: the main route table, if the VPC names one.
            route_table: if g.chance(10) { String::new() } else { reference(g, &rt_ids) },
            network_acl: g.chance(if g.tidy { 85 } else { 60 }).then(|| reference(g, &acl_ids)),
            extra: extra(g),
        })
        .collect();
    let subnet_ids: Vec<String> = subnets.iter().map(|s| s.id.clone()).collect();
    let hosts: Vec<Host> = (0..g.count(3))
        .map(|_| {
            let k = ids.hosts.len();
            let which = g.below(subnets.len().max(1));
            let address = match subnets.get(which).and_then(|s| s.cidr.parse::<Ipv4Net>().ok()) {
                Some(n) if !g.chance(15) => {
                    Ipv4Addr::from(u32::from(n.network()).saturating_add(5 + g.below(4) as u32)).to_string()
                }
                _ => {
                    if g.chance(20) {
                        random_ipv4(g)
                    } else {
                        g.text(&["10.100.1.5", "10.200.1.4", "172.31.1.10", "bad", "::1", ""])
                    }
                }
            };
            let host = Host {
                id: id(g, format!("host{k}")),
                name: g.text(NAMES),
                subnet: if g.chance(5) {
                    reference(g, &[])
                } else {
                    subnet_ids.get(which).cloned().unwrap_or_default()
                },
                address,
                security_groups: (0..some(g, 2)).map(|_| reference(g, &sg_ids)).collect(),
                ports: listens(g, 2),
                position: position(g),
                extra: extra(g),
            };
            ids.hosts.push(host.id.clone());
            host
        })
        .collect();
    let vpc = Vpc {
        id: vpc_id,
        name: g.text(NAMES),
        region: g.text(&["us-east-1", ""]),
        primary_cidr,
        secondary_cidrs: cidr_list(g, SECONDARY_CIDRS, 1),
        public_egress_ip: g.chance(60).then(|| g.text(PUBLIC_IPS)),
        main_route_table: g.chance(30).then(|| reference(g, &rt_ids)),
        route_tables,
        security_groups,
        network_acls,
        subnets,
        hosts,
        position: position(g),
        extra: extra(g),
    };
    ids.vpcs.push(vpc.id.clone());
    vpc
}

fn remote(g: &mut Gen, r: usize, ids: &mut Ids) -> RemoteNetwork {
    let cidrs = cidr_list(g, REMOTE_CIDRS, 2);
    let hosts = (0..g.count(2))
        .map(|_| {
            let k = ids.remote_hosts.len();
            let address = match cidrs.first().and_then(|c| c.parse::<Ipv4Net>().ok()) {
                Some(n) if !g.chance(20) => {
                    Ipv4Addr::from(u32::from(n.network()).saturating_add(20 + g.below(3) as u32)).to_string()
                }
                _ => g.text(REMOTE_ADDRESSES),
            };
            let host = RemoteHost {
                id: id(g, format!("rhost{k}")),
                name: g.text(NAMES),
                address,
                ports: listens(g, 2),
                extra: extra(g),
            };
            ids.remote_hosts.push(host.id.clone());
            host
        })
        .collect();
    let firewall = g.chance(40).then(|| Firewall {
        id: g.text(&["", "fw-hq"]),
        name: g.text(&["", "edge firewall"]),
        inbound: (0..g.count(3))
            .map(|_| FirewallRule {
                protocol: rule_protocol(g),
                ports: port_range(g),
                cidr: cidr_from(g, RULE_CIDRS),
                action: if g.chance(30) { Action::Deny } else { Action::Allow },
            })
            .collect(),
    });
    let network = RemoteNetwork {
        id: id(g, format!("remote{r}")),
        name: g.text(NAMES),
        cidrs,
        public_egress_ip: g.chance(50).then(|| g.text(PUBLIC_IPS)),
        hosts,
        firewall,
        position: position(g),
        extra: extra(g),
    };
    ids.remotes.push(network.id.clone());
    network
}

fn question(g: &mut Gen, i: usize, ids: &Ids) -> Question {
    let dyno = |g: &mut Gen| {
        if ids.apps.is_empty() {
            return ("ghost".to_owned(), "web".to_owned());
        }
        let (app, procs) = g.pick(&ids.apps);
        let process = if procs.is_empty() || g.chance(5) { "ghost".to_owned() } else { g.pick(&procs) };
        (app, process)
    };
    let from = match g.below(4) {
        0 => {
            let (app, process) = dyno(g);
            doc::From::Dyno { app, process }
        }
        1 => doc::From::Host(reference(g, &ids.hosts)),
        2 => doc::From::RemoteHost(reference(g, &ids.remote_hosts)),
        _ => doc::From::Client(reference(g, &ids.clients)),
    };
    let app_ids: Vec<String> = ids.apps.iter().map(|(a, _)| a.clone()).collect();
    let to = match g.below(8) {
        0 => doc::To::Hostname(reference(g, &app_ids)),
        1 => {
            let (app, process) = dyno(g);
            doc::To::Discovery { app, process }
        }
        2 => {
            let (app, process) = dyno(g);
            doc::To::DynoAddress { app, process }
        }
        3 => doc::To::Localhost,
        4 => doc::To::Addon(reference(g, &ids.addons)),
        5 => doc::To::Host(reference(g, &ids.hosts)),
        6 => doc::To::RemoteHost(reference(g, &ids.remote_hosts)),
        _ => doc::To::External(reference(g, &ids.services)),
    };
    Question {
        id: id(g, format!("q{i}")),
        name: g.text(&["", "a question"]),
        from,
        to,
        protocol: protocol(g),
        port: g.chance(90).then(|| port(g)),
        expect: g.chance(50).then(|| Expectation {
            verdict: if g.chance(50) { doc::Verdict::Blocked } else { doc::Verdict::Connected },
            rules: (0..g.count(2)).map(|_| g.text(&["PEER-ROUTE", "TIP-FILTER", "NOT-A-RULE", "PS-ROUTER"])).collect(),
        }),
    }
}

/// A whole scenario document, mostly sensible, sometimes broken in every way the format allows.
fn build_document(g: &mut Gen) -> Document {
    let mut ids = Ids::default();
    g.tidy = g.tidy || g.chance(40);
    let mut d = Document {
        version: match g.below(25) {
            0 => None,
            1 => Some(2),
            _ => Some(1),
        },
        name: g.text(NAMES),
        description: g.text(&["", "generated"]),
        extra: extra(g),
        ..Document::default()
    };
    d.internet_clients = (0..g.count(3))
        .map(|i| InternetClient {
            id: id(g, format!("client{i}")),
            name: g.text(NAMES),
            cidr: cidr_from(g, CLIENT_CIDRS),
            position: position(g),
            extra: extra(g),
        })
        .collect();
    ids.clients = d.internet_clients.iter().map(|c| c.id.clone()).collect();
    d.external_services = (0..g.count(2))
        .map(|i| ExternalService {
            id: id(g, format!("service{i}")),
            name: g.text(NAMES),
            hostname: g.text(&["api.partner.example", ""]),
            ports: listens(g, 2),
            allowlist: g.chance(60).then(|| cidr_list(g, &["52.1.2.3/32", "52.1.2.0/24", "0.0.0.0/0", "bad"], 3)),
            position: position(g),
            extra: extra(g),
        })
        .collect();
    ids.services = d.external_services.iter().map(|s| s.id.clone()).collect();
    d.common_runtime_apps = (0..g.count(2)).map(|_| app(g, &mut ids)).collect();
    d.prefix_lists = (0..g.count(2))
        .map(|i| PrefixList {
            id: id(g, format!("pl-{i}")),
            name: g.text(NAMES),
            entries: cidr_list(g, RULE_CIDRS, 3),
            extra: extra(g),
        })
        .collect();
    let n_spaces = if g.tidy { 1 } else { some(g, 3) };
    d.spaces = (0..n_spaces).map(|s| space(g, s, &mut ids)).collect();
    // VPC IDs come first, so that peerings can name them and route tables their peerings.
    let vpc_ids: Vec<String> = (0..some(g, 3)).map(|v| id(g, format!("vpc{v}"))).collect();
    // Now and then many peerings on the first space, past the limit.
    let crowded = g.chance(6);
    let n_peerings = match (crowded, g.tidy) {
        (true, _) => 6 + g.count(1),
        (false, true) => vpc_ids.len(),
        (false, false) => some(g, 3),
    };
    // Mostly one peering per space and VPC, pair by pair, as AWS allows; now and then any pair.
    let (ns, nv) = (ids.spaces.len().max(1), vpc_ids.len().max(1));
    d.peerings = (0..n_peerings)
        .map(|i| Peering {
            id: id(g, format!("pcx-{i}")),
            space: match ids.spaces.first() {
                Some(first) if crowded => first.clone(),
                Some(_) if !g.chance(20) => ids.spaces[i % ns].clone(),
                _ => reference(g, &ids.spaces),
            },
            vpc: if crowded || vpc_ids.is_empty() || g.chance(20) {
                reference(g, &vpc_ids)
            } else {
                vpc_ids[(i / ns) % nv].clone()
            },
            status: match g.below(10) {
                0 | 1 if !g.tidy => PeeringStatus::PendingAcceptance,
                2 if !g.tidy => PeeringStatus::Deleted,
                _ => PeeringStatus::Active,
            },
            extra: extra(g),
        })
        .collect();
    ids.peerings = d
        .peerings
        .iter()
        .map(|p| {
            let space = ids.spaces.iter().position(|s| *s == p.space);
            let cidr = space.map_or_else(|| "10.0.0.0/16".to_owned(), |s| ids.space_cidrs[s].clone());
            (p.id.clone(), p.vpc.clone(), cidr)
        })
        .collect();
    d.vpcs = vpc_ids.into_iter().enumerate().map(|(v, vid)| vpc(g, v, vid, &mut ids)).collect();
    d.vpc_peerings = (0..usize::from(g.chance(20)))
        .map(|i| VpcPeering {
            id: id(g, format!("vpcx-{i}")),
            vpc: reference(g, &ids.vpcs),
            peer_vpc: reference(g, &ids.vpcs),
            status: if g.chance(80) { PeeringStatus::Active } else { PeeringStatus::Deleted },
            extra: extra(g),
        })
        .collect();
    d.remote_networks = (0..g.count(2)).map(|r| remote(g, r, &mut ids)).collect();
    d.vpns = (0..g.count(2))
        .map(|i| Vpn {
            id: id(g, format!("vpn{i}")),
            name: g.text(NAMES),
            space: reference(g, &ids.spaces),
            remote_network: reference(g, &ids.remotes),
            customer_gateway: g.text(&["198.51.100.1", "", "bad"]),
            routable_cidrs: cidr_list(g, REMOTE_CIDRS, 2),
            tunnel_status: if g.chance(80) { TunnelStatus::Up } else { TunnelStatus::Down },
            extra: extra(g),
        })
        .collect();
    d.questions = (0..g.count(3)).map(|i| question(g, i, &ids)).collect();
    d.layout = Layout { internet: position(g), common_runtime: position(g) };
    d
}

fn document() -> impl Strategy<Value = Document> {
    proptest::collection::vec(any::<u32>(), 0..2000).prop_map(|data| build_document(&mut Gen::new(&data)))
}

/// A tidy document (see [`Gen::tidy`]).
fn tidy_document() -> impl Strategy<Value = Document> {
    proptest::collection::vec(any::<u32>(), 0..2000).prop_map(|data| {
        let mut g = Gen::new(&data);
        g.tidy = true;
        build_document(&mut g)
    })
}

/// A document, tidy three times in four, and a second stream of choices for a change to it.
fn document_and_change() -> impl Strategy<Value = (Document, Vec<u32>)> {
    (prop_oneof![1 => document(), 2 => tidy_document()], proptest::collection::vec(any::<u32>(), 8))
}

// ----- invariants -------------------------------------------------------------------------------

/// A question the engine is known to answer without a blocking step (see `engine_bug_*` below):
/// from a VPC host to the address of a Cedar space process scaled to zero dynos.
fn known_bug_unscaled_dyno_from_host(model: &Model, q: &Query) -> bool {
    let (Src::Host(_), Dst::DynoAddress { app, process }) = (q.src(), q.dst()) else { return false };
    let app = model.app(app);
    let cedar = app.space.is_some_and(|s| model.space(s).is_cedar());
    cedar && app.processes.get(process).is_some_and(|p| p.dynos == 0)
}

/// Everything wrong with a trace's shape, as sentences; empty when it is well formed.
/// `source_hop_must_cite` also asks the first hop (where the connection starts) to cite a rule.
fn trace_problems(t: &Trace, source_hop_must_cite: bool) -> Vec<String> {
    let mut out = Vec::new();
    if t.hops.is_empty() {
        out.push("no hops".to_owned());
    }
    for (i, hop) in t.hops.iter().enumerate() {
        if hop.steps.is_empty() && (i > 0 || source_hop_must_cite) {
            out.push(format!("hop {i} ({:?} {:?}) cites no rule", hop.component.kind, hop.component.id));
        }
    }
    let blocks: Vec<(usize, usize)> = t
        .hops
        .iter()
        .enumerate()
        .flat_map(|(h, hop)| hop.steps.iter().enumerate().map(move |(s, step)| (h, s, step.decision)))
        .filter(|(_, _, d)| *d == Decision::Block)
        .map(|(h, s, _)| (h, s))
        .collect();
    match t.verdict {
        Verdict::Connected => {
            if !blocks.is_empty() || t.blocked_at.is_some() {
                out.push(format!("connected, yet blocked at {:?} / {blocks:?}", t.blocked_at));
            }
            if !t.suggestions.is_empty() {
                out.push("connected, yet suggests changes".to_owned());
            }
            if t.seen_as.is_none() {
                out.push("connected without saying what the destination sees".to_owned());
            }
        }
        Verdict::Blocked => {
            match t.blocking_step() {
                None => out.push(format!("blocked, but blocked_at {:?} names no step", t.blocked_at)),
                Some(step) => {
                    if step.decision != Decision::Block {
                        out.push(format!("blocked_at names a {:?} step", step.decision));
                    }
                    if !t.suggestions.iter().any(|s| s.rule == step.rule) {
                        out.push(format!("no suggestion answers the blocking rule {}", step.rule));
                    }
                }
            }
            if t.suggestions.is_empty() {
                out.push("blocked without a suggestion".to_owned());
            }
            let last = t.hops.len().checked_sub(1).map(|h| (h, t.hops[h].steps.len().saturating_sub(1)));
            if blocks.len() != 1 || t.blocked_at.map(|b| (b.hop, b.step)) != last {
                out.push(format!("the walk went on past its block: blocks at {blocks:?}, last step {last:?}"));
            }
            if t.seen_as.is_some() {
                out.push("blocked, yet says what the destination sees".to_owned());
            }
        }
    }
    out
}

/// Every cell of the matrix with its query.
fn cells(m: &Matrix) -> impl Iterator<Item = (usize, usize, Query)> + '_ {
    (0..m.sources.len())
        .flat_map(move |r| (0..m.services.len()).map(move |c| (r, c)))
        .filter_map(|(r, c)| m.query(r, c).map(|q| (r, c, q)))
}

/// Cells connected before and blocked after a change.
fn lost_connections(before: &Matrix, after: &Matrix) -> Vec<String> {
    assert_eq!(before.sources, after.sources, "the change must not add or remove sources");
    assert_eq!(before.services, after.services, "the change must not add or remove services");
    cells(before)
        .filter(|(r, c, _)| {
            before.cell(*r, *c).is_some_and(|o| o.verdict == Verdict::Connected)
                && after.cell(*r, *c).is_some_and(|o| o.verdict == Verdict::Blocked)
        })
        .map(|(r, c, q)| format!("{q:?}: now blocked by {:?}", after.cell(r, c).and_then(|o| o.blocked_by)))
        .collect()
}

fn matrix(doc: &Document) -> (Checked, Matrix) {
    let checked = check(doc);
    let m = Matrix::new(&checked.model);
    (checked, m)
}

/// Evaluate, render and grade everything a checked document offers; panics are the failure.
fn exercise(checked: &Checked) {
    for d in &checked.diagnostics {
        let _ = render::diagnostic_with_location(d);
    }
    let m = Matrix::new(&checked.model);
    let _ = m.counts();
    for (r, c, q) in cells(&m) {
        let t = m.trace(&checked.model, r, c).expect("a cell with a query has a trace");
        assert_eq!(t.query, q);
        let _ = render::trace(&checked.model, &t);
    }
    for g in grade(checked) {
        if let Some(t) = &g.trace {
            let _ = render::trace(&checked.model, t);
        }
    }
}

// ----- monotonicity -----------------------------------------------------------------------------
//
// Each property either adds an allow to a generated document, or takes one of its own allows
// away and adds it back (so that the allows a tidy document is made of are tested too): in both
// cases `smaller` lacks the allow that `larger` has, and nothing connected in `smaller` may be
// blocked in `larger`.

/// Nothing connected in `smaller` is blocked in `larger`.
fn assert_monotone(smaller: &Document, larger: &Document) -> Result<(), TestCaseError> {
    let lost = lost_connections(&matrix(smaller).1, &matrix(larger).1);
    prop_assert!(lost.is_empty(), "{:#?}", lost);
    Ok(())
}

/// A security group rule that allows a lot, or one from the pools.
fn new_sg_rule(g: &mut Gen) -> SgRule {
    if g.chance(40) {
        SgRule { protocol: RuleProtocol::All, ports: "all".to_owned(), cidr: "0.0.0.0/0".to_owned() }
    } else {
        SgRule {
            protocol: rule_protocol(g),
            ports: g.text(&["all", "5432", "0-65535", "1024-65535", "5000", "443"]),
            cidr: g.text(&[
                "0.0.0.0/0",
                "10.0.0.0/16",
                "10.0.128.0/20",
                "10.100.0.0/16",
                "10.0.0.0/8",
                "pl-0",
                "sg-0-0",
            ]),
        }
    }
}

/// An ACL allow rule with this number that allows a lot, or one from the pools.
fn new_acl_allow(g: &mut Gen, number: u32) -> AclRule {
    if g.chance(40) {
        AclRule {
            number,
            protocol: RuleProtocol::All,
            ports: "all".to_owned(),
            cidr: "0.0.0.0/0".to_owned(),
            action: Action::Allow,
        }
    } else {
        AclRule {
            number,
            protocol: rule_protocol(g),
            ports: g.text(&["all", "5432", "1024-65535", "0-65535", "5000", "443", "2000-3000"]),
            cidr: g.text(&["0.0.0.0/0", "10.0.0.0/16", "10.0.128.0/20", "10.100.0.0/16", "10.0.0.0/8"]),
            action: Action::Allow,
        }
    }
}

/// Pick mostly from `preferred` (where a change matters), else from `all`.
fn pick_preferring<T: Clone>(g: &mut Gen, preferred: &[T], all: &[T]) -> Option<T> {
    if !preferred.is_empty() && g.chance(80) {
        Some(g.pick(preferred))
    } else if !all.is_empty() {
        Some(g.pick(all))
    } else {
        None
    }
}

/// The peerings a route may be added for, as (peering, VPC index in the document, space CIDR):
/// the only peering between its space and VPC (with several, which one carries the traffic is
/// the engine's choice), when no other space peered with the same VPC overlaps its CIDR (that
/// space would really lose its route: AWS behaviour, not a monotonicity failure).
fn routable_peerings(doc: &Document) -> Vec<(String, usize, String)> {
    let checked = check(doc);
    let model = &checked.model;
    model
        .peerings
        .iter()
        .filter(|peering| {
            let space = model.space(peering.space);
            let only = space.peerings.iter().filter(|q| model.peering(**q).vpc == peering.vpc).count() == 1;
            let overlapping = model.spaces.iter().enumerate().any(|(i, other)| {
                i != peering.space.ix()
                    && (other.cidr.contains(&space.cidr) || space.cidr.contains(&other.cidr))
                    && other.peerings.iter().any(|q| model.peering(*q).vpc == peering.vpc)
            });
            only && !overlapping
        })
        .filter_map(|peering| {
            let vpc = doc.vpcs.iter().position(|d| d.id == model.vpc(peering.vpc).id)?;
            Some((peering.id.clone(), vpc, model.space(peering.space).cidr.to_string()))
        })
        .collect()
}

proptest! {
    #![proptest_config(config(256))]

    /// Adding an allow rule to a security group never blocks what was connected.
    #[test]
    fn adding_a_security_group_rule_never_blocks((doc, change) in document_and_change()) {
        let g = &mut Gen::new(&change);
        let groups: Vec<(usize, usize)> = doc
            .vpcs
            .iter()
            .enumerate()
            .flat_map(|(v, vpc)| (0..vpc.security_groups.len()).map(move |s| (v, s)))
            .collect();
        // Mostly a group some host wears, where the change can matter.
        let worn: Vec<(usize, usize)> = groups
            .iter()
            .copied()
            .filter(|(v, s)| {
                let vpc = &doc.vpcs[*v];
                vpc.hosts.iter().any(|h| h.security_groups.contains(&vpc.security_groups[*s].id))
            })
            .collect();
        let Some((v, s)) = pick_preferring(g, &worn, &groups) else { return Ok(()) };
        let inbound = g.chance(50);
        // A group with no outbound list is written out as what it means first: the rule AWS
        // gives a new group (version 2) or nothing (version 1).
        let mut doc = doc;
        let default = if doc.omitted_outbound_allows_all() { vec![SecurityGroup::default_outbound_rule()] } else { Vec::new() };
        doc.vpcs[v].security_groups[s].outbound.get_or_insert(default);
        let mut other = doc.clone();
        let group = &mut other.vpcs[v].security_groups[s];
        let rules = if inbound { &mut group.inbound } else { group.outbound.get_or_insert_with(Vec::new) };
        if g.chance(50) && !rules.is_empty() {
            rules.remove(g.below(rules.len()));
            assert_monotone(&other, &doc)?;
        } else {
            rules.push(new_sg_rule(g));
            assert_monotone(&doc, &other)?;
        }
    }

    /// Adding an allow rule to a network ACL, numbered before every other rule in its
    /// direction, never blocks what was connected.
    #[test]
    fn adding_a_first_network_acl_allow_never_blocks((doc, change) in document_and_change()) {
        let g = &mut Gen::new(&change);
        let acls: Vec<(usize, usize)> = doc
            .vpcs
            .iter()
            .enumerate()
            .flat_map(|(v, vpc)| (0..vpc.network_acls.len()).map(move |a| (v, a)))
            .collect();
        // Mostly an ACL some subnet uses, where the change can matter.
        let used: Vec<(usize, usize)> = acls
            .iter()
            .copied()
            .filter(|(v, a)| {
                let vpc = &doc.vpcs[*v];
                vpc.subnets.iter().any(|s| s.network_acl.as_ref() == Some(&vpc.network_acls[*a].id))
            })
            .collect();
        let Some((v, a)) = pick_preferring(g, &used, &acls) else { return Ok(()) };
        let inbound = g.chance(50);
        let mut other = doc.clone();
        let acl = &mut other.vpcs[v].network_acls[a];
        let rules = if inbound { &mut acl.inbound } else { &mut acl.outbound };
        let min = rules.iter().map(|r| r.number).min();
        // The rule numbered strictly before every other one, if it allows.
        let first = rules
            .iter()
            .position(|r| Some(r.number) == min && r.action == Action::Allow)
            .filter(|_| rules.iter().filter(|r| Some(r.number) == min).count() == 1);
        match first {
            Some(i) if g.chance(50) => {
                rules.remove(i);
                assert_monotone(&other, &doc)?;
            }
            _ => {
                let number = match min {
                    None => 100,
                    Some(0) => return Ok(()),
                    Some(n) => n - 1,
                };
                rules.push(new_acl_allow(g, number));
                assert_monotone(&doc, &other)?;
            }
        }
    }

    /// Adding a trusted IP range to a space that lists its own never blocks what was connected.
    /// (A space that lists none trusts 0.0.0.0/0 by default, and listing one replaces that: not
    /// an addition.)
    #[test]
    fn adding_a_trusted_range_never_blocks((doc, change) in document_and_change()) {
        let g = &mut Gen::new(&change);
        let listed: Vec<usize> =
            doc.spaces.iter().enumerate().filter(|(_, s)| s.trusted_ip_ranges.is_some()).map(|(i, _)| i).collect();
        if listed.is_empty() {
            return Ok(());
        }
        let s = g.pick(&listed);
        let mut other = doc.clone();
        let ranges = other.spaces[s].trusted_ip_ranges.get_or_insert_with(Vec::new);
        if g.chance(50) && !ranges.is_empty() {
            ranges.remove(g.below(ranges.len()));
            assert_monotone(&other, &doc)?;
        } else {
            ranges.push(cidr_from(g, TRUSTED));
            assert_monotone(&doc, &other)?;
        }
    }

    /// Adding a route for the space CIDR through the peering (the one the space and the VPC
    /// use) to a VPC route table never blocks what was connected.
    #[test]
    fn adding_a_peering_route_never_blocks((doc, change) in document_and_change()) {
        let g = &mut Gen::new(&change);
        let candidates = routable_peerings(&doc);
        if candidates.is_empty() {
            return Ok(());
        }
        let (peering, v, cidr) = g.pick(&candidates);
        let tables = doc.vpcs[v].route_tables.len();
        if tables == 0 {
            return Ok(());
        }
        let mut other = doc.clone();
        let routes = &mut other.vpcs[v].route_tables[g.below(tables)].routes;
        let wanted = Route { destination: cidr, target: peering };
        match routes.iter().position(|r| *r == wanted) {
            Some(i) if g.chance(50) => {
                routes.remove(i);
                assert_monotone(&other, &doc)?;
            }
            _ => {
                routes.push(wanted);
                assert_monotone(&doc, &other)?;
            }
        }
    }
}

// ----- determinism, round trips, no panics ------------------------------------------------------

proptest! {
    #![proptest_config(config(128))]

    /// The same document checked and evaluated twice gives identical diagnostics, models,
    /// traces and JSON.
    #[test]
    fn evaluation_is_deterministic(doc in document()) {
        let (a, b) = (check(&doc), check(&doc.clone()));
        prop_assert_eq!(&a.diagnostics, &b.diagnostics);
        prop_assert_eq!(&a.model, &b.model);
        prop_assert_eq!(&a.questions, &b.questions);
        let (ma, mb) = (Matrix::new(&a.model), Matrix::new(&b.model));
        prop_assert_eq!(&ma, &mb);
        prop_assert_eq!(serde_json::to_string(&ma).unwrap(), serde_json::to_string(&mb).unwrap());
        for (r, c, _) in cells(&ma) {
            let (ta, tb) = (ma.trace(&a.model, r, c).unwrap(), mb.trace(&b.model, r, c).unwrap());
            prop_assert_eq!(serde_json::to_string(&ta).unwrap(), serde_json::to_string(&tb).unwrap());
            prop_assert_eq!(ta, tb);
        }
        prop_assert_eq!(
            serde_json::to_string(&a.diagnostics).unwrap(),
            serde_json::to_string(&b.diagnostics).unwrap()
        );
    }

    /// A document survives a JSON round trip unchanged, fields this version does not know
    /// included; each unknown top-level field is reported once as a warning.
    #[test]
    fn documents_round_trip_through_json(doc in document()) {
        let text = serde_json::to_string(&doc).unwrap();
        let back: Document = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(&back, &doc);
        let pretty = serde_json::to_string_pretty(&doc).unwrap();
        prop_assert_eq!(&serde_json::from_str::<Document>(&pretty).unwrap(), &doc);
        let value = serde_json::to_value(&doc).unwrap();
        for key in doc.extra.keys() {
            prop_assert!(value.get(key).is_some(), "unknown field {} lost", key);
        }
        if doc.version == Some(1) {
            let checked = check(&back);
            for key in doc.extra.keys() {
                let warned = checked.diagnostics.iter().filter(|d| {
                    matches!(&d.kind, spacetrace_engine::DiagnosticKind::UnknownField { name } if name == key)
                        && d.location.as_ref().is_some_and(|l| l.kind == spacetrace_engine::diagnostics::ObjectKind::Document)
                });
                prop_assert_eq!(warned.count(), 1, "unknown field {} warned once", key);
            }
        }
    }

    /// Evaluating every pair of a generated document, rendering every trace and diagnostic and
    /// grading every saved question never panics.
    #[test]
    fn generated_documents_never_panic(doc in document()) {
        exercise(&check(&doc));
        exercise(&check_text(&serde_json::to_string(&doc).unwrap()));
    }

    /// Every question the matrix asks survives the trip to document form (how the app saves
    /// it) and back.
    #[test]
    fn questions_round_trip_through_document_form(doc in document()) {
        let (checked, m) = matrix(&doc);
        for (_, _, q) in cells(&m) {
            let (from, to) = q.to_doc(&checked.model);
            prop_assert_eq!(Query::from_doc(&checked.model, &from, &to, q.protocol(), q.port()), Ok(q));
        }
    }

    /// The matrix's verdict-only outcome agrees with the full trace for every pair.
    #[test]
    fn matrix_outcomes_match_full_traces(doc in document()) {
        let (checked, m) = matrix(&doc);
        for (r, c, q) in cells(&m) {
            if known_bug_unscaled_dyno_from_host(&checked.model, &q) {
                continue;
            }
            let t = m.trace(&checked.model, r, c).unwrap();
            let o = m.cell(r, c).unwrap();
            prop_assert_eq!(o, outcome(&checked.model, &q));
            prop_assert_eq!(o.verdict, t.verdict, "{:?}", q);
            prop_assert_eq!(o.blocked_by, t.blocking_step().map(|s| s.rule), "{:?}", q);
        }
    }

    /// Every trace is well formed: each hop after the source cites a rule; a blocked trace
    /// stops at exactly one Block step, which `blocked_at` names, with a suggestion answering
    /// its rule; a connected one says what the destination sees and suggests nothing.
    #[test]
    fn traces_are_well_formed(doc in document()) {
        let (checked, m) = matrix(&doc);
        for (r, c, q) in cells(&m) {
            if known_bug_unscaled_dyno_from_host(&checked.model, &q) {
                continue;
            }
            let t = m.trace(&checked.model, r, c).unwrap();
            let problems = trace_problems(&t, false);
            prop_assert!(problems.is_empty(), "{:?}: {:#?}\n{}", q, problems, render::trace(&checked.model, &t));
        }
        for q in checked.questions.iter().filter_map(|q| q.query) {
            if known_bug_unscaled_dyno_from_host(&checked.model, &q) {
                continue;
            }
            let t = evaluate(&checked.model, &q);
            let problems = trace_problems(&t, false);
            prop_assert!(problems.is_empty(), "{:?}: {:#?}\n{}", q, problems, render::trace(&checked.model, &t));
        }
    }
}

// ----- arbitrary input --------------------------------------------------------------------------

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1.0e6f64..1.0e6).prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
        prop_oneof![Just("10.0.0.0/16"), Just("active"), Just("fir"), Just("all"), Just("web"), Just("1")]
            .prop_map(|s| Value::String(s.to_owned())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec((key(), inner), 0..6).prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// Keys from the format (so that parsing gets somewhere) and a few others.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(vec![
            "version", "name", "id", "spaces", "apps", "vpcs", "peerings", "hosts", "cidr", "process_types",
            "internet_clients", "external_services", "common_runtime_apps", "remote_networks", "vpns",
            "questions", "from", "to", "port", "ports", "dyno", "client", "hostname", "routes", "subnets",
            "security_groups", "network_acls", "trusted_ip_ranges", "generation", "status", "protocol",
        ])
        .prop_map(str::to_owned),
        1 => "[a-z_]{0,8}",
    ]
}

/// The default scenario with a few of its values replaced, removed or duplicated.
fn mutated_default() -> impl Strategy<Value = String> {
    proptest::collection::vec((proptest::collection::vec(any::<u32>(), 1..8), arbitrary_json(), 0u8..4), 1..5).prop_map(
        |edits| {
            let mut value: Value = serde_json::from_str(DEFAULT_SCENARIO).unwrap();
            for (path, replacement, how) in edits {
                mutate(&mut value, &path, replacement, how);
            }
            serde_json::to_string(&value).unwrap()
        },
    )
}

/// Walk down `path` (each number picks a child) and replace, remove or duplicate what is there.
fn mutate(value: &mut Value, path: &[u32], replacement: Value, how: u8) {
    let (first, rest) = match path.split_first() {
        Some(x) => x,
        None => {
            *value = replacement;
            return;
        }
    };
    let stop = rest.is_empty();
    match value {
        Value::Object(map) if !map.is_empty() => {
            let key = map.keys().nth(*first as usize % map.len()).cloned().unwrap_or_default();
            if stop && how == 1 {
                map.remove(&key);
            } else if let Some(child) = map.get_mut(&key) {
                mutate(child, if stop { &[] } else { rest }, replacement, how);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            let i = *first as usize % items.len();
            if stop && how == 1 {
                items.remove(i);
            } else if stop && how == 2 {
                let copy = items[i].clone();
                items.push(copy);
            } else {
                mutate(&mut items[i], if stop { &[] } else { rest }, replacement, how);
            }
        }
        other => *other = replacement,
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// Any text at all gives a result, never a panic.
    #[test]
    fn arbitrary_text_never_panics(text in prop_oneof![
        ".{0,200}",
        "[\\[\\]{}\":,0-9a-z. /-]{0,200}",
        (0usize..DEFAULT_SCENARIO.len()).prop_map(|n| {
            let cut = (0..=n).rev().find(|i| DEFAULT_SCENARIO.is_char_boundary(*i)).unwrap_or(0);
            DEFAULT_SCENARIO[..cut].to_owned()
        }),
    ]) {
        exercise(&check_text(&text));
    }

    /// Any JSON value gives a result, never a panic.
    #[test]
    fn arbitrary_json_never_panics(value in arbitrary_json()) {
        exercise(&check_text(&value.to_string()));
        let wrapped = serde_json::json!({ "version": 1, "spaces": [value.clone()], "vpcs": [value] });
        exercise(&check_text(&wrapped.to_string()));
    }

    /// Pretty JSON (exported scenarios, lessons) is the compact JSON indented: byte for byte what
    /// serde_json's own pretty printer writes, whatever the value.
    #[test]
    fn pretty_json_is_serde_jsons_pretty_json(value in arbitrary_json()) {
        prop_assert_eq!(spacetrace_engine::doc::to_pretty_json(&value), serde_json::to_string_pretty(&value).unwrap());
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// The default scenario with random edits gives a result, never a panic.
    #[test]
    fn mutated_default_scenario_never_panics(text in mutated_default()) {
        exercise(&check_text(&text));
    }
}

// ----- network ACLs against a port-by-port reference ---------------------------------------------

/// First match wins, port by port: the traffic is allowed only if every port in `ports` is.
fn acl_reference(
    rules: &[spacetrace_engine::model::AclRule],
    p: Protocol,
    ports: PortRange,
    addr: IpAddr,
) -> AclDecision {
    let mut last_allow: Option<usize> = None;
    let mut first_deny: Option<usize> = None;
    let mut unmatched = false;
    for port in ports.lo..=ports.hi {
        let hit = rules.iter().position(|r| {
            spacetrace_engine::model::protocol_matches(r.protocol, p)
                && r.ports.contains(port)
                && r.cidr.contains(&addr)
        });
        match hit {
            None => unmatched = true,
            Some(i) if rules[i].action == Action::Deny => first_deny = Some(first_deny.map_or(i, |d| d.min(i))),
            Some(i) => last_allow = Some(last_allow.map_or(i, |a| a.max(i))),
        }
    }
    // The explicit deny that decides first names the rule; then the implicit deny; only a range
    // whose every port some rule allows is allowed, by the rule that decided last.
    match (first_deny, unmatched, last_allow) {
        (Some(d), _, _) => AclDecision::Denied { number: rules[d].number },
        (None, true, _) | (None, false, None) => AclDecision::ImplicitDeny,
        (None, false, Some(a)) => AclDecision::Allowed { number: rules[a].number },
    }
}

fn acl_case(
    max_rules: usize,
) -> impl Strategy<Value = (Vec<spacetrace_engine::model::AclRule>, Protocol, PortRange, IpAddr)> {
    let range = prop_oneof![
        3 => (1024u16..=65535).prop_map(PortRange::single),
        2 => (0u16..=65535, 0u16..=65535).prop_map(|(a, b)| PortRange { lo: a.min(b), hi: a.max(b) }),
        1 => Just(PortRange::ALL),
    ];
    let rule = (
        prop_oneof![Just(RuleProtocol::Tcp), Just(RuleProtocol::Udp), Just(RuleProtocol::All)],
        range,
        proptest::sample::select(vec!["10.0.0.0/16", "10.0.128.0/20", "0.0.0.0/0", "192.168.0.0/16"]),
        prop_oneof![4 => Just(Action::Allow), 1 => Just(Action::Deny)],
    );
    let query_ports = prop_oneof![
        Just(PortRange::EPHEMERAL),
        (0u16..=65535).prop_map(PortRange::single),
        (1024u16..=65535).prop_map(PortRange::single),
    ];
    (
        proptest::collection::vec(rule, 0..=max_rules),
        prop_oneof![Just(Protocol::Tcp), Just(Protocol::Udp)],
        query_ports,
        proptest::sample::select(vec!["10.0.130.4", "10.0.3.3", "192.168.1.1", "8.8.8.8"]),
    )
        .prop_map(|(rules, p, ports, addr)| {
            let rules = rules
                .into_iter()
                .enumerate()
                .map(|(i, (protocol, ports, cidr, action))| spacetrace_engine::model::AclRule {
                    number: 10 * (i as u32 + 1),
                    protocol,
                    ports,
                    cidr: cidr.parse().unwrap(),
                    action,
                })
                .collect();
            (rules, p, ports, addr.parse().unwrap())
        })
}

/// Many single-port allows (each splits the ephemeral range once more), then one wide allow.
fn acl_fragmenting_case() -> impl Strategy<Value = (Vec<spacetrace_engine::model::AclRule>, Protocol, PortRange, IpAddr)>
{
    (proptest::collection::btree_set(1025u16..=65534, 12..=24), 1024u16..=65535).prop_map(|(singles, wide)| {
        let allow = |number: u32, ports: PortRange| spacetrace_engine::model::AclRule {
            number,
            protocol: RuleProtocol::Tcp,
            ports,
            cidr: "0.0.0.0/0".parse().unwrap(),
            action: Action::Allow,
        };
        let mut rules: Vec<_> =
            singles.into_iter().enumerate().map(|(i, p)| allow(i as u32 + 1, PortRange::single(p))).collect();
        rules.push(allow(1000, PortRange { lo: 1024, hi: wide }));
        (rules, Protocol::Tcp, PortRange::EPHEMERAL, "10.0.130.4".parse().unwrap())
    })
}

proptest! {
    #![proptest_config(config(64))]

    /// `acl_decide` agrees with first-match-wins evaluated port by port (up to 15 rules).
    #[test]
    fn acl_decisions_match_a_port_by_port_reference((rules, p, ports, addr) in acl_case(15)) {
        prop_assert_eq!(acl_decide(&rules, p, ports, addr), acl_reference(&rules, p, ports, addr));
    }

    /// The same with more rules than `acl_decide` keeps track of.
    #[test]
    fn acl_decisions_match_a_port_by_port_reference_with_many_rules(
        (rules, p, ports, addr) in prop_oneof![acl_case(40), acl_fragmenting_case()]
    ) {
        prop_assert_eq!(acl_decide(&rules, p, ports, addr), acl_reference(&rules, p, ports, addr));
    }

    /// The strict forms of the trace properties, without skipping the known bug, and asking the
    /// source hop to cite a rule too.
    #[test]
    fn matrix_outcomes_match_full_traces_strict(doc in document()) {
        let (checked, m) = matrix(&doc);
        for (r, c, q) in cells(&m) {
            let t = m.trace(&checked.model, r, c).unwrap();
            let o = m.cell(r, c).unwrap();
            prop_assert_eq!(o.blocked_by, t.blocking_step().map(|s| s.rule), "{:?}", q);
            let problems = trace_problems(&t, false);
            prop_assert!(problems.is_empty(), "{:?}: {:#?}\n{}", q, problems, render::trace(&checked.model, &t));
        }
    }
}

// ----- the engine bugs, as plain examples -------------------------------------------------------

/// A scenario with one VPC host peered with a space whose app runs its `worker` at zero dynos.
fn unscaled_worker_scenario() -> Document {
    serde_json::from_value(serde_json::json!({
        "version": 1,
        "spaces": [{
            "id": "s", "outbound_ips": ["52.1.2.3"],
            "apps": [{ "id": "api", "process_types": [
                { "name": "web", "dynos": 1 },
                { "name": "worker", "dynos": 0, "ports": [{ "protocol": "tcp", "port": 9000 }] }
            ]}]
        }],
        "vpcs": [{
            "id": "v", "primary_cidr": "10.100.0.0/16",
            "route_tables": [{ "id": "rtb", "routes": [{ "destination": "10.0.0.0/16", "target": "pcx" }] }],
            "security_groups": [{ "id": "sg", "inbound": [], "outbound": [{ "protocol": "all", "ports": "all", "cidr": "0.0.0.0/0" }] }],
            "subnets": [{ "id": "sn", "cidr": "10.100.1.0/24", "route_table": "rtb" }],
            "hosts": [{ "id": "h", "subnet": "sn", "address": "10.100.1.5", "security_groups": ["sg"] }]
        }],
        "peerings": [{ "id": "pcx", "space": "s", "vpc": "v", "status": "active" }],
        "questions": [{ "id": "q", "from": { "host": "h" }, "to": { "dyno_address": { "app": "api", "process": "worker" } }, "port": 9000 }]
    }))
    .unwrap()
}

#[test]
fn the_unscaled_worker_scenario_checks_cleanly() {
    let checked = check(&unscaled_worker_scenario());
    assert_eq!(checked.errors().count(), 0, "{:#?}", checked.diagnostics);
    assert!(checked.questions[0].query.is_some());
}

#[test]
fn regression_host_to_unscaled_dyno_has_a_blocking_step() {
    let checked = check(&unscaled_worker_scenario());
    let q = checked.questions[0].query.unwrap();
    let t = evaluate(&checked.model, &q);
    assert_eq!(t.verdict, Verdict::Blocked);
    let problems = trace_problems(&t, false);
    assert!(problems.is_empty(), "{problems:#?}\n{}", render::trace(&checked.model, &t));
    assert_eq!(outcome(&checked.model, &q).blocked_by, t.blocking_step().map(|s| s.rule));
}

#[test]
fn regression_acl_with_many_fragments_is_not_allowed() {
    let rule = |number: u32, ports: PortRange| spacetrace_engine::model::AclRule {
        number,
        protocol: RuleProtocol::Tcp,
        ports,
        cidr: "0.0.0.0/0".parse().unwrap(),
        action: Action::Allow,
    };
    // Sixteen single ports split 1024-65535 into seventeen pieces; then 1024-17000 is allowed.
    let mut rules: Vec<_> = (0..16u16).map(|i| rule(u32::from(i) + 1, PortRange::single(2000 + 1000 * i))).collect();
    rules.push(rule(100, PortRange { lo: 1024, hi: 17000 }));
    let addr: IpAddr = "10.0.130.4".parse().unwrap();
    // Ports 17001-65535 match no rule: the implicit deny applies.
    assert_eq!(acl_reference(&rules, Protocol::Tcp, PortRange::EPHEMERAL, addr), AclDecision::ImplicitDeny);
    assert_eq!(acl_decide(&rules, Protocol::Tcp, PortRange::EPHEMERAL, addr), AclDecision::ImplicitDeny);
}

/// Checking must finish: a Cedar space whose CIDR is the last /20 of the address space, with an
/// internally routed app. The /20 is all dyno subnet, so there is no room for an endpoint.
#[test]
fn internal_routing_endpoint_search_terminates() {
    let doc: Document = serde_json::from_value(serde_json::json!({
        "version": 1,
        "spaces": [{ "id": "s", "cidr": "255.255.240.0/20", "apps": [{ "id": "a", "internal_routing": true }] }]
    }))
    .unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let checked = check(&doc);
        let _ = tx.send(checked.model.apps[0].ir_endpoint);
    });
    let endpoint = rx.recv_timeout(Duration::from_secs(10)).expect("check returned within 10 s");
    assert_eq!(endpoint, None);
}

/// The Internal Routing endpoint lies inside the space CIDR (PS-CIDRS, IR-PRIVATE-DNS) whenever
/// the space has room outside its dyno subnets.
#[test]
fn internal_routing_endpoints_lie_in_the_space_cidr() {
    for cidr in ["10.0.0.0/16", "172.20.0.0/16", "10.0.0.0/19", "192.168.0.0/16"] {
        let doc: Document = serde_json::from_value(serde_json::json!({
            "version": 1,
            "spaces": [{ "id": "s", "cidr": cidr, "apps": [
                { "id": "a", "internal_routing": true, "process_types": [{ "name": "web", "dynos": 1 }] },
                { "id": "b", "internal_routing": true, "process_types": [{ "name": "web", "dynos": 1 }] }
            ]}]
        }))
        .unwrap();
        let checked = check(&doc);
        let space = &checked.model.spaces[0];
        for app in &checked.model.apps {
            let e = app.ir_endpoint.expect("an internally routed app has an endpoint");
            assert!(space.cidr.contains(&e), "{cidr}: {e} outside the space");
            assert!(!space.dyno_subnets.iter().any(|n| n.contains(&e)), "{cidr}: {e} inside a dyno subnet");
        }
    }
}

/// A space that destroyed its peering with a VPC and made a new one: the old one, listed first,
/// is `deleted`, the new one `active`, and the route table names the new one.
#[test]
fn a_deleted_peering_listed_first_does_not_hide_the_active_one() {
    let doc: Document = serde_json::from_value(serde_json::json!({
        "version": 1,
        "spaces": [{ "id": "s", "outbound_ips": ["52.1.2.3"], "apps": [{ "id": "api", "process_types": [{ "name": "web", "dynos": 1 }] }] }],
        "vpcs": [{
            "id": "v", "primary_cidr": "10.100.0.0/16",
            "route_tables": [{ "id": "rtb", "routes": [{ "destination": "10.0.0.0/16", "target": "pcx-new" }] }],
            "security_groups": [{ "id": "sg", "inbound": [{ "protocol": "tcp", "ports": "5432", "cidr": "10.0.0.0/16" }] }],
            "subnets": [{ "id": "sn", "cidr": "10.100.1.0/24", "route_table": "rtb" }],
            "hosts": [{ "id": "db", "subnet": "sn", "address": "10.100.1.5", "security_groups": ["sg"], "ports": [{ "protocol": "tcp", "port": 5432 }] }]
        }],
        "peerings": [
            { "id": "pcx-old", "space": "s", "vpc": "v", "status": "deleted" },
            { "id": "pcx-new", "space": "s", "vpc": "v", "status": "active" }
        ],
        "questions": [{ "id": "q", "from": { "dyno": { "app": "api", "process": "web" } }, "to": { "host": "db" }, "port": 5432 }]
    }))
    .unwrap();
    let checked = check(&doc);
    assert_eq!(checked.errors().count(), 0, "{:#?}", checked.diagnostics);
    let t = evaluate(&checked.model, &checked.questions[0].query.unwrap());
    assert_eq!(t.verdict, Verdict::Connected, "{}", render::trace(&checked.model, &t));
}

/// `::/0` holds every IPv6 address and no IPv4 one: a Common Runtime dyno (IPv4, and never
/// admissible by an allowlist anyway, CR-OUTBOUND) is not admitted by it.
#[test]
fn regression_ipv6_everything_does_not_admit_ipv4_sources() {
    let doc: Document = serde_json::from_value(serde_json::json!({
        "version": 1,
        "common_runtime_apps": [{ "id": "cr", "process_types": [{ "name": "web", "dynos": 1 }] }],
        "external_services": [{ "id": "ext", "ports": [{ "protocol": "tcp", "port": 443 }], "allowlist": ["::/0"] }],
        "spaces": [{
            "id": "s", "trusted_ip_ranges": ["::/0"], "outbound_ips": ["52.1.2.3"],
            "apps": [{ "id": "api", "process_types": [{ "name": "web", "dynos": 1 }] }]
        }],
        "questions": [
            { "id": "to-space", "from": { "dyno": { "app": "cr", "process": "web" } }, "to": { "hostname": "api" }, "port": 443 },
            { "id": "to-ext", "from": { "dyno": { "app": "cr", "process": "web" } }, "to": { "external": "ext" }, "port": 443 }
        ]
    }))
    .unwrap();
    let checked = check(&doc);
    for q in &checked.questions {
        let t = evaluate(&checked.model, &q.query.unwrap());
        assert_eq!(t.verdict, Verdict::Blocked, "{}", render::trace(&checked.model, &t));
    }
}

/// The complete example in `docs/scenario-format.md` checks with no error and one warning (its
/// unknown field, kept), and its questions get the answers they expect.
#[test]
fn the_format_example_checks_and_answers_as_documented() {
    let marker = "<!-- example -->\n```json\n";
    let start = FORMAT_DOC.find(marker).expect("the format page has its example") + marker.len();
    let end = start + FORMAT_DOC[start..].find("\n```").expect("the example block ends");
    let text = &FORMAT_DOC[start..end];
    let checked = check_text(text);
    let rendered: Vec<String> = checked.diagnostics.iter().map(render::diagnostic_with_location).collect();
    assert_eq!(checked.errors().count(), 0, "{rendered:#?}");
    assert_eq!(checked.diagnostics.len(), 1, "{rendered:#?}");
    assert!(matches!(
        &checked.diagnostics[0].kind,
        spacetrace_engine::DiagnosticKind::UnknownField { name } if name == "x_owner"
    ));
    for g in grade(&checked) {
        let shown = g.trace.as_ref().map(|t| render::trace(&checked.model, t)).unwrap_or_default();
        assert!(g.passed(), "{}: {:?}\n{shown}", g.id, g.mismatches);
    }
    let doc: Document = serde_json::from_str(text).unwrap();
    assert_eq!(doc.extra.get("x_owner"), Some(&Value::from("docs")));
    assert_eq!(serde_json::from_str::<Document>(&serde_json::to_string(&doc).unwrap()).unwrap(), doc);
}

// ----- AWS as it behaves: routes, security group references, prefix lists (format version 2) -----

/// A Cedar space (`web.1` at 10.0.128.4, `worker.1` at 10.0.144.4) peered with a VPC whose
/// database host wears `sg-db` (Postgres from the space CIDR) and whose app host wears `sg-app`;
/// the VPC is peered with a second VPC, `far`, in the same region, whose subnet uses its main
/// route table. Format version 2.
fn aws_doc() -> Value {
    serde_json::json!({
        "version": 2,
        "name": "aws",
        "spaces": [{
            "id": "s", "outbound_ips": ["52.1.2.3"],
            "apps": [{ "id": "api", "process_types": [
                { "name": "web", "dynos": 1 },
                { "name": "worker", "dynos": 1, "ports": [{ "port": 9000 }] }
            ] }]
        }],
        "prefix_lists": [{ "id": "pl-dynos", "name": "web dynos", "entries": ["10.0.128.0/20"] }],
        "vpcs": [
            {
                "id": "v", "region": "us-east-1", "primary_cidr": "10.100.0.0/16",
                "route_tables": [{ "id": "rtb", "routes": [{ "destination": "10.0.0.0/16", "target": "pcx" }] }],
                "security_groups": [
                    { "id": "sg-db", "inbound": [{ "protocol": "tcp", "ports": "5432", "cidr": "10.0.0.0/16" }] },
                    { "id": "sg-app", "inbound": [] }
                ],
                "subnets": [{ "id": "sn", "cidr": "10.100.1.0/24", "route_table": "rtb" }],
                "hosts": [
                    { "id": "db", "subnet": "sn", "address": "10.100.1.5", "security_groups": ["sg-db"], "ports": [{ "port": 5432 }] },
                    { "id": "app", "subnet": "sn", "address": "10.100.1.6", "security_groups": ["sg-app"], "ports": [{ "port": 8080 }] }
                ]
            },
            {
                "id": "far", "region": "us-east-1", "primary_cidr": "10.150.0.0/16",
                "route_tables": [{ "id": "rtb-far", "routes": [] }],
                "main_route_table": "rtb-far",
                "security_groups": [{ "id": "sg-far", "inbound": [] }],
                "subnets": [{ "id": "far-sn", "cidr": "10.150.1.0/24" }],
                "hosts": [{ "id": "far-host", "subnet": "far-sn", "address": "10.150.1.9", "security_groups": ["sg-far"] }]
            }
        ],
        "peerings": [{ "id": "pcx", "space": "s", "vpc": "v", "status": "active" }],
        "vpc_peerings": [{ "id": "pcx-far", "vpc": "v", "peer_vpc": "far", "status": "active" }]
    })
}

fn web() -> Value {
    serde_json::json!({ "dyno": { "app": "api", "process": "web" } })
}

fn worker() -> Value {
    serde_json::json!({ "dyno": { "app": "api", "process": "worker" } })
}

fn dyno_address(process: &str) -> Value {
    serde_json::json!({ "dyno_address": { "app": "api", "process": process } })
}

fn host(id: &str) -> Value {
    serde_json::json!({ "host": id })
}

/// Ask one question of a document given as JSON: the checked document and the answer.
fn answer(doc: &Value, from: Value, to: Value, port: u16) -> (Checked, Trace) {
    let mut doc = doc.clone();
    doc["questions"] = serde_json::json!([{ "id": "q", "from": from, "to": to, "port": port }]);
    let checked = check_text(&doc.to_string());
    let q = checked.questions[0].query.expect("the question can be asked");
    let t = evaluate(&checked.model, &q);
    (checked, t)
}

/// The same question after applying `fix` to the document.
fn answer_after(doc: &Value, fix: &spacetrace_engine::trace::Fix, from: Value, to: Value, port: u16) -> Trace {
    let document: Document = serde_json::from_value(doc.clone()).unwrap();
    let changed = spacetrace_engine::apply::apply(&document, fix).expect("the fix applies");
    answer(&serde_json::to_value(&changed).unwrap(), from, to, port).1
}

fn blocked_by(t: &Trace) -> Option<spacetrace_engine::RuleId> {
    t.blocking_step().map(|s| s.rule)
}

fn shown(checked: &Checked, t: &Trace) -> String {
    render::trace(&checked.model, t)
}

/// The longest prefix wins whatever the route's kind: a /20 to a VPN gateway beats the /8 to the
/// peering for the dyno subnet it covers, and only for it. The suggested fix points that /20 at
/// the peering (an added /16 would lose to it) and, applied, connects.
#[test]
fn longest_prefix_match_picks_the_most_specific_route_across_kinds() {
    use spacetrace_engine::trace::{Detail, Fix};
    let mut doc = aws_doc();
    doc["vpcs"][0]["route_tables"][0]["routes"] = serde_json::json!([
        { "destination": "0.0.0.0/0", "target": "nat-1" },
        { "destination": "10.0.0.0/8", "target": "pcx" },
        { "destination": "10.0.128.0/20", "target": "vgw-office" }
    ]);
    let (checked, t) = answer(&doc, worker(), host("db"), 5432);
    assert_eq!(t.verdict, Verdict::Connected, "{}", shown(&checked, &t));
    let (checked, t) = answer(&doc, web(), host("db"), 5432);
    assert_eq!(blocked_by(&t), Some(spacetrace_engine::RuleId::PeerRoute), "{}", shown(&checked, &t));
    let step = t.blocking_step().unwrap();
    assert!(
        matches!(&step.detail, Detail::Route { matched: Some(m), target: Some(target), .. }
            if m.to_string() == "10.0.128.0/20" && target == "vgw-office"),
        "{:?}",
        step.detail
    );
    let fix = &t.suggestions[0].fix;
    assert_eq!(
        *fix,
        Fix::ReplaceRoute {
            route_table: "rtb".into(),
            destination: "10.0.128.0/20".parse().unwrap(),
            target: "pcx".into()
        }
    );
    assert_eq!(answer_after(&doc, fix, web(), host("db"), 5432).verdict, Verdict::Connected);
    // Adding the whole space CIDR would not have been enough: the /20 still wins.
    let add =
        Fix::AddRoute { route_table: "rtb".into(), destination: "10.0.0.0/16".parse().unwrap(), target: "pcx".into() };
    assert_eq!(
        blocked_by(&answer_after(&doc, &add, web(), host("db"), 5432)),
        Some(spacetrace_engine::RuleId::PeerRoute)
    );
    // Only a less specific route to elsewhere: adding the space CIDR wins.
    doc["vpcs"][0]["route_tables"][0]["routes"] =
        serde_json::json!([{ "destination": "0.0.0.0/0", "target": "nat-1" }]);
    let (_, t) = answer(&doc, web(), host("db"), 5432);
    assert_eq!(t.suggestions[0].fix, add);
    assert_eq!(answer_after(&doc, &add, web(), host("db"), 5432).verdict, Verdict::Connected);
}

/// Every route table routes the VPC's own blocks `local`, listed or not, and that route wins a
/// tie; a more specific listed route beats it.
#[test]
fn the_local_route_always_exists_for_the_vpc_cidrs() {
    let mut doc = aws_doc();
    doc["vpcs"][0]["secondary_cidrs"] = serde_json::json!(["10.200.0.0/16"]);
    doc["vpcs"][0]["route_tables"][0]["routes"] = serde_json::json!([
        { "destination": "10.100.0.0/16", "target": "pcx" },
        { "destination": "10.100.7.0/24", "target": "igw-1" },
        { "destination": "10.0.0.0/16", "target": "pcx" }
    ]);
    let checked = check_text(&doc.to_string());
    let vpc = &checked.model.vpcs[0];
    let hit =
        |a: &str| vpc.route(0, a.parse().unwrap()).map(|h| (h.destination.to_string(), h.target.to_owned(), h.index));
    assert_eq!(hit("10.100.1.5"), Some(("10.100.0.0/16".into(), "local".into(), None)));
    assert_eq!(hit("10.200.3.3"), Some(("10.200.0.0/16".into(), "local".into(), None)));
    assert_eq!(hit("10.100.7.9"), Some(("10.100.7.0/24".into(), "igw-1".into(), Some(1))));
    assert_eq!(hit("10.0.128.4"), Some(("10.0.0.0/16".into(), "pcx".into(), Some(2))));
    assert_eq!(hit("192.0.2.1"), None);
}

/// A route to `blackhole`, or to a peering that was deleted, drops the traffic at the route
/// table, citing PEER-ROUTE; the fix replaces the blackhole (a route as specific as it could not
/// win) and connects, in both directions.
#[test]
fn a_blackhole_route_blocks_and_replacing_it_connects() {
    use spacetrace_engine::model::Blackhole;
    use spacetrace_engine::trace::{Detail, Fix};
    let mut declared = aws_doc();
    declared["vpcs"][0]["route_tables"][0]["routes"] =
        serde_json::json!([{ "destination": "10.0.0.0/16", "target": "blackhole" }]);
    let mut deleted = aws_doc();
    deleted["vpcs"][0]["route_tables"][0]["routes"] =
        serde_json::json!([{ "destination": "10.0.0.0/16", "target": "pcx-old" }]);
    deleted["peerings"] = serde_json::json!([
        { "id": "pcx-old", "space": "s", "vpc": "v", "status": "deleted" },
        { "id": "pcx", "space": "s", "vpc": "v", "status": "active" }
    ]);
    for (doc, cause) in [(declared, Blackhole::Declared), (deleted, Blackhole::TargetDeleted)] {
        // sg-db allows nothing out: give it the default outbound rule (version 2: no list).
        for (from, to, port) in [(web(), host("db"), 5432), (host("db"), dyno_address("web"), 5000)] {
            let (checked, t) = answer(&doc, from.clone(), to.clone(), port);
            assert_eq!(checked.errors().count(), 0, "{:#?}", checked.diagnostics);
            assert_eq!(blocked_by(&t), Some(spacetrace_engine::RuleId::PeerRoute), "{}", shown(&checked, &t));
            let step = t.blocking_step().unwrap();
            assert!(
                matches!(&step.detail, Detail::Route { blackhole: Some(c), .. } if *c == cause),
                "{:?}",
                step.detail
            );
            let fix = Fix::ReplaceRoute {
                route_table: "rtb".into(),
                destination: "10.0.0.0/16".parse().unwrap(),
                target: "pcx".into(),
            };
            assert_eq!(t.suggestions[0].fix, fix);
            let after = answer_after(&doc, &fix, from, to, port);
            assert_ne!(blocked_by(&after), Some(spacetrace_engine::RuleId::PeerRoute));
        }
    }
}

/// A subnet associated with no route table uses the VPC's main one (and the answer says so);
/// with no main route table named, it has none, as in version 1.
#[test]
fn the_main_route_table_serves_subnets_without_one() {
    use spacetrace_engine::trace::{Decision, Detail};
    let mut doc = aws_doc();
    doc["vpcs"][0]["subnets"][0]["route_table"] = Value::from("");
    doc["vpcs"][0]["main_route_table"] = Value::from("rtb");
    let (checked, t) = answer(&doc, web(), host("db"), 5432);
    assert_eq!(checked.diagnostics, Vec::new());
    assert_eq!(t.verdict, Verdict::Connected, "{}", shown(&checked, &t));
    let note = t.hops.iter().flat_map(|h| &h.steps).find(|s| matches!(s.detail, Detail::MainRouteTable { .. }));
    assert_eq!(note.map(|s| (s.rule, s.decision)), Some((spacetrace_engine::RuleId::PeerRoute, Decision::Note)));
    // An explicit association wins over the main table.
    doc["vpcs"][0]["route_tables"] = serde_json::json!([
        { "id": "rtb", "routes": [{ "destination": "10.0.0.0/16", "target": "pcx" }] },
        { "id": "rtb-empty", "routes": [] }
    ]);
    doc["vpcs"][0]["subnets"][0]["route_table"] = Value::from("rtb-empty");
    let (checked, t) = answer(&doc, web(), host("db"), 5432);
    assert_eq!(blocked_by(&t), Some(spacetrace_engine::RuleId::PeerRoute), "{}", shown(&checked, &t));
    // No main route table: no route table at all.
    doc["vpcs"][0]["subnets"][0]["route_table"] = Value::from("");
    doc["vpcs"][0].as_object_mut().unwrap().remove("main_route_table");
    let (checked, t) = answer(&doc, web(), host("db"), 5432);
    assert_eq!(checked.errors().count(), 1, "{:#?}", checked.diagnostics);
    assert!(matches!(t.blocking_step().unwrap().detail, Detail::NoRouteTable { .. }));
}

/// A rule naming a security group admits the hosts that wear it, in its VPC or a VPC peered with
/// it in the same region, and nothing else: no other host, and never a dyno.
#[test]
fn a_rule_naming_a_security_group_admits_its_members_and_no_one_else() {
    use spacetrace_engine::model::{SgEnd, SgMatch};
    use spacetrace_engine::trace::{Detail, Fix};
    let mut doc = aws_doc();
    doc["vpcs"][0]["security_groups"][0]["inbound"] = serde_json::json!([
        { "protocol": "tcp", "ports": "5432", "cidr": "sg-app" },
        { "protocol": "tcp", "ports": "5432", "cidr": "sg-far" }
    ]);
    let (checked, t) = answer(&doc, web(), host("db"), 5432);
    assert_eq!(checked.diagnostics, Vec::new());
    let m = &checked.model;
    let rules = &m.vpcs[0].security_groups[0].inbound;
    let end = |id: &str| SgEnd::Host(m.find_host(id).unwrap());
    let admits = |rule: usize, e: SgEnd| m.sg_rule_match(&rules[rule], Protocol::Tcp, 5432, e);
    assert!(matches!(admits(0, end("app")), Some(SgMatch::Group { .. })));
    assert_eq!(admits(0, end("db")), None);
    assert_eq!(admits(0, end("far-host")), None);
    assert!(matches!(admits(1, end("far-host")), Some(SgMatch::Group { .. })));
    assert_eq!(admits(1, end("app")), None);
    assert_eq!(m.sg_rule_match(&rules[0], Protocol::Tcp, 5433, end("app")), None);
    let dyno = IpAddr::V4(m.apps[0].processes[0].address.unwrap());
    assert_eq!(admits(0, SgEnd::Address(dyno)), None);
    // So the dyno is blocked, the answer says why, and the fix admits the dyno subnets.
    assert_eq!(blocked_by(&t), Some(spacetrace_engine::RuleId::PeerSecurityGroup), "{}", shown(&checked, &t));
    assert!(matches!(&t.blocking_step().unwrap().detail, Detail::SecurityGroup { referenced, .. }
        if *referenced == ["sg-app".to_owned(), "sg-far".to_owned()]));
    assert!(shown(&checked, &t).contains("nothing on Heroku is a member of an AWS security group"));
    assert!(matches!(&t.suggestions[0].fix, Fix::AddSecurityGroupRule { cidrs, .. } if cidrs.len() == 2));
}

/// A security group a rule cannot name is a diagnostic naming it and listing the IDs it could
/// name, and the rule is left out: an unknown ID, a VPC not peered, a peering across regions. A
/// VPC whose region is not given is taken to be in the same region.
#[test]
fn a_rule_naming_a_group_it_cannot_reference_is_a_diagnostic() {
    use spacetrace_engine::diagnostics::{DiagnosticKind, ReferenceKind, ReferenceProblem};
    let with = |doc: &Value| {
        let checked = check_text(&doc.to_string());
        let found: Vec<(ReferenceProblem, Vec<String>)> = checked
            .diagnostics
            .iter()
            .filter_map(|d| match &d.kind {
                DiagnosticKind::BadRuleReference { kind: ReferenceKind::SecurityGroup, problem, valid, .. } => {
                    Some((problem.clone(), valid.clone()))
                }
                _ => None,
            })
            .collect();
        (checked, found)
    };
    let mut doc = aws_doc();
    doc["vpcs"][0]["security_groups"][0]["inbound"] =
        serde_json::json!([{ "protocol": "tcp", "ports": "5432", "cidr": "sg-0abc123" }]);
    let (checked, found) = with(&doc);
    let valid = vec!["sg-db".to_owned(), "sg-app".to_owned(), "sg-far".to_owned()];
    assert_eq!(found, vec![(ReferenceProblem::Unknown, valid.clone())]);
    assert!(checked.model.vpcs[0].security_groups[0].inbound.is_empty());
    let text = render::diagnostic_with_location(&checked.diagnostics[0]);
    assert!(text.contains("sg-0abc123") && text.contains("sg-db, sg-app and sg-far"), "{text}");
    assert!(!text.contains("prefix length"), "{text}");
    // Across regions.
    doc["vpcs"][0]["security_groups"][0]["inbound"] =
        serde_json::json!([{ "protocol": "tcp", "ports": "5432", "cidr": "sg-far" }]);
    doc["vpcs"][1]["region"] = Value::from("eu-west-1");
    let (_, found) = with(&doc);
    let other = ReferenceProblem::OtherRegion { vpc: "far".into(), region: "eu-west-1".into() };
    assert_eq!(found, vec![(other, vec!["sg-db".to_owned(), "sg-app".to_owned()])]);
    // No region given: the same region.
    doc["vpcs"][1]["region"] = Value::from("");
    assert_eq!(with(&doc).1, Vec::new());
    // Not peered (the VPC peering is deleted).
    doc["vpc_peerings"][0]["status"] = Value::from("deleted");
    assert_eq!(with(&doc).1, vec![(ReferenceProblem::NotPeered { vpc: "far".into() }, valid[..2].to_vec())]);
}

/// A rule naming a prefix list admits the addresses of its entries, and says so; an unknown
/// prefix list is a diagnostic listing the declared ones.
#[test]
fn a_rule_naming_a_prefix_list_admits_its_entries() {
    use spacetrace_engine::diagnostics::{DiagnosticKind, ReferenceKind};
    use spacetrace_engine::trace::{Detail, SgVia};
    let mut doc = aws_doc();
    doc["vpcs"][0]["security_groups"][0]["inbound"] =
        serde_json::json!([{ "protocol": "tcp", "ports": "5432", "cidr": "pl-dynos" }]);
    let (checked, t) = answer(&doc, web(), host("db"), 5432);
    assert_eq!(checked.diagnostics, Vec::new());
    assert_eq!(t.verdict, Verdict::Connected, "{}", shown(&checked, &t));
    let sg = t.hops.iter().flat_map(|h| &h.steps).find(|s| matches!(s.detail, Detail::SecurityGroup { .. })).unwrap();
    assert!(matches!(&sg.detail, Detail::SecurityGroup { via: Some(SgVia::PrefixList { id, entry, .. }), .. }
        if id == "pl-dynos" && entry.to_string() == "10.0.128.0/20"));
    // worker.1 is in the other dyno subnet, which the list does not hold.
    let (checked, t) = answer(&doc, worker(), host("db"), 5432);
    assert_eq!(blocked_by(&t), Some(spacetrace_engine::RuleId::PeerSecurityGroup), "{}", shown(&checked, &t));
    doc["vpcs"][0]["security_groups"][0]["inbound"][0]["cidr"] = Value::from("pl-nope");
    let checked = check_text(&doc.to_string());
    assert!(matches!(&checked.diagnostics[..], [d] if matches!(&d.kind,
        DiagnosticKind::BadRuleReference { kind: ReferenceKind::PrefixList, reference, valid, .. }
            if reference == "pl-nope" && *valid == ["pl-dynos".to_owned()])));
}

/// From version 2, a security group given no outbound rules allows all outbound traffic, as AWS
/// creates it; an empty list allows nothing; version 1 reads a missing list as empty, and
/// upgrading a version 1 document keeps that meaning.
#[test]
fn a_security_group_without_outbound_rules_allows_all_outbound_from_version_2() {
    use spacetrace_engine::trace::{Detail, SgVia};
    let doc = aws_doc();
    let ask = |doc: &Value| answer(doc, host("db"), dyno_address("web"), 5000);
    let (checked, t) = ask(&doc);
    assert_eq!(t.verdict, Verdict::Connected, "{}", shown(&checked, &t));
    assert!(
        t.hops
            .iter()
            .flat_map(|h| &h.steps)
            .any(|s| matches!(&s.detail, Detail::SecurityGroup { via: Some(SgVia::DefaultOutbound), .. }))
    );
    let mut empty = doc.clone();
    empty["vpcs"][0]["security_groups"][0]["outbound"] = serde_json::json!([]);
    assert_eq!(blocked_by(&ask(&empty).1), Some(spacetrace_engine::RuleId::PeerSecurityGroup));
    let mut v1 = doc.clone();
    v1["version"] = Value::from(1);
    assert_eq!(blocked_by(&ask(&v1).1), Some(spacetrace_engine::RuleId::PeerSecurityGroup));
    let upgraded = serde_json::from_value::<Document>(v1).unwrap().upgraded();
    assert_eq!(upgraded.version, Some(2));
    assert_eq!(
        blocked_by(&ask(&serde_json::to_value(&upgraded).unwrap()).1),
        Some(spacetrace_engine::RuleId::PeerSecurityGroup)
    );
}

/// Versions 1 and 2 are read; another is refused, naming both.
#[test]
fn versions_1_and_2_are_read_and_others_refused() {
    for v in [1, 2] {
        let checked = check_text(&format!("{{\"version\": {v}}}"));
        assert_eq!(checked.diagnostics, Vec::new(), "version {v}");
    }
    let checked = check_text("{\"version\": 3}");
    let text = render::diagnostic(&checked.diagnostics[0]);
    assert!(text.contains("format version 3, but this Spacetrace reads versions 1 and 2 only"), "{text}");
}

/// Whether `hit` is where `vpc`'s route table `table` sends `addr`, by a plain reading of the
/// rules: the longest prefix among the listed routes and the local route of each VPC block; on a
/// tie, the local route, then the first listed.
fn reference_route(
    vpc: &spacetrace_engine::model::Vpc,
    table: usize,
    addr: Ipv4Addr,
) -> Option<(Ipv4Net, String, Option<usize>)> {
    let mut candidates: Vec<(u8, usize, Ipv4Net, String, Option<usize>)> = Vec::new();
    for (k, c) in std::iter::once(vpc.primary_cidr).chain(vpc.secondary_cidrs.iter().copied()).enumerate() {
        if c.contains(&addr) {
            candidates.push((c.prefix_len(), k, c, "local".into(), None));
        }
    }
    for (i, r) in vpc.route_tables[table].routes.iter().enumerate() {
        if r.destination.contains(&addr) {
            candidates.push((r.destination.prefix_len(), 1000 + i, r.destination, r.target.clone(), Some(i)));
        }
    }
    candidates.sort_by_key(|c| (std::cmp::Reverse(c.0), c.1));
    candidates.into_iter().next().map(|(_, _, d, t, i)| (d, t, i))
}

proptest! {
    #![proptest_config(config(128))]

    /// The route a table picks for an address is the one the plain reading of longest-prefix
    /// match picks, for dyno addresses, endpoints, hosts and a few others.
    #[test]
    fn route_lookup_matches_a_longest_prefix_reference(doc in document()) {
        let checked = check(&doc);
        let m = &checked.model;
        let mut addrs: Vec<Ipv4Addr> = m.apps.iter().flat_map(|a| a.processes.iter().filter_map(|p| p.address)).collect();
        addrs.extend(m.apps.iter().filter_map(|a| a.ir_endpoint));
        addrs.extend(m.hosts.iter().map(|h| h.address));
        addrs.extend(["10.0.0.1", "10.100.1.5", "10.200.1.1", "192.168.10.20"].iter().map(|a| a.parse::<Ipv4Addr>().unwrap()));
        for vpc in &m.vpcs {
            for table in 0..vpc.route_tables.len() {
                for addr in &addrs {
                    let ours = vpc.route(table, *addr).map(|h| (h.destination, h.target.to_owned(), h.index));
                    prop_assert_eq!(ours, reference_route(vpc, table, *addr), "{} in {}", addr, vpc.route_tables[table].id);
                }
            }
        }
    }

    /// A suggested route fix keeps its promise: applied, the route table it changes no longer
    /// blocks the question (the changed or added route wins by longest-prefix match).
    #[test]
    fn applied_route_fixes_win_by_longest_prefix(doc in document()) {
        use spacetrace_engine::RuleId;
        use spacetrace_engine::trace::{ComponentKind, Fix};
        let (checked, m) = matrix(&doc);
        for (r, c, q) in cells(&m) {
            let Some(o) = m.cell(r, c) else { continue };
            if !matches!(o.blocked_by, Some(RuleId::PeerRoute | RuleId::IrPeerRoute16)) {
                continue;
            }
            let t = m.trace(&checked.model, r, c).unwrap();
            for s in &t.suggestions {
                let (Fix::AddRoute { route_table, .. } | Fix::ReplaceRoute { route_table, .. }) = &s.fix else { continue };
                let changed = spacetrace_engine::apply::apply(&doc, &s.fix).expect("a route fix applies");
                let after = check(&changed);
                let t2 = evaluate(&after.model, &q);
                let still = t2.hops.iter().filter(|h| h.component.kind == ComponentKind::RouteTable && h.component.id == *route_table)
                    .flat_map(|h| &h.steps)
                    .any(|s| s.decision == Decision::Block);
                prop_assert!(!still, "{:?} did not win:\n{}", s.fix, render::trace(&after.model, &t2));
            }
        }
    }

    /// A version 1 document and the same document upgraded to version 2 answer every pair alike.
    #[test]
    fn upgrading_a_version_1_document_keeps_every_answer(doc in document()) {
        if doc.format_version() != 1 {
            return Ok(());
        }
        let up = doc.upgraded();
        prop_assert_eq!(up.version, Some(2));
        let (a, b) = (matrix(&doc).1, matrix(&up).1);
        prop_assert_eq!(a.cells, b.cells);
    }
}

// ----- a suggested fix keeps its promise (issue 10, item 9) ---------------------------------------

mod support {
    pub mod promise;
}

/// A small VPC with one host (`{id}-host`, listening on TCP 5432, its group open both ways) in a
/// subnet whose route table routes nothing: a place to ask about from a space it is not peered with.
fn bare_vpc(id: &str, cidr: &str) -> Vpc {
    let net: Ipv4Net = cidr.parse().unwrap_or_default();
    let subnet = net.subnets(24.max(net.prefix_len())).ok().and_then(|mut s| s.next()).unwrap_or(net);
    let host = Ipv4Addr::from(u32::from(subnet.network()).saturating_add(5));
    serde_json::from_value(serde_json::json!({
        "id": id, "primary_cidr": cidr,
        "route_tables": [{ "id": format!("{id}-rtb"), "routes": [] }],
        "security_groups": [{
            "id": format!("{id}-sg"),
            "inbound": [{ "protocol": "all", "ports": "all", "cidr": "0.0.0.0/0" }],
            "outbound": [{ "protocol": "all", "ports": "all", "cidr": "0.0.0.0/0" }]
        }],
        "subnets": [{ "id": format!("{id}-sn"), "cidr": subnet.to_string(), "route_table": format!("{id}-rtb") }],
        "hosts": [{
            "id": format!("{id}-host"), "subnet": format!("{id}-sn"), "address": host.to_string(),
            "security_groups": [format!("{id}-sg")], "ports": [{ "protocol": "tcp", "port": 5432 }]
        }]
    }))
    .expect("a VPC")
}

/// Push a generated document into the corners where a suggested fix once broke its promise,
/// each now and then: a space with several outbound IPs; an app whose ID another app (in another
/// space, or in the Common Runtime) also has; a trusted IP list at the limit (19, 20 or 21); a
/// network ACL whose first rule is a deny for the whole space, numbered 0, 1, 32766, or 3 with 1
/// and 2 taken; a space with five peerings and an unpeered VPC besides; and unpeered VPCs that
/// overlap the space or are not private.
fn stress(mut d: Document, g: &mut Gen) -> Document {
    if !d.spaces.is_empty() && g.chance(60) {
        let s = g.below(d.spaces.len());
        let n = 2 + g.below(2);
        d.spaces[s].outbound_ips = (1..=n).map(|i| format!("52.50.1.{i}")).collect();
    }
    let mut apps: Vec<(Option<usize>, usize)> = (0..d.common_runtime_apps.len()).map(|a| (None, a)).collect();
    for (s, space) in d.spaces.iter().enumerate() {
        apps.extend((0..space.apps.len()).map(|a| (Some(s), a)));
    }
    if apps.len() >= 2 && g.chance(40) {
        let (from, to) = (g.pick(&apps), g.pick(&apps));
        if from != to {
            let id = match from {
                (None, a) => d.common_runtime_apps[a].id.clone(),
                (Some(s), a) => d.spaces[s].apps[a].id.clone(),
            };
            match to {
                (None, a) => d.common_runtime_apps[a].id = id,
                (Some(s), a) => d.spaces[s].apps[a].id = id,
            }
        }
    }
    if !d.spaces.is_empty() && g.chance(40) {
        let s = g.below(d.spaces.len());
        let count = MAX_TRUSTED_RANGES - 1 + g.below(3);
        let ranges = d.spaces[s].trusted_ip_ranges.get_or_insert_with(Vec::new);
        ranges.truncate(count);
        while ranges.len() < count {
            ranges.push(format!("192.0.2.{}/32", ranges.len()));
        }
    }
    let acls: Vec<(usize, usize)> =
        d.vpcs.iter().enumerate().flat_map(|(v, vpc)| (0..vpc.network_acls.len()).map(move |a| (v, a))).collect();
    // Mostly an ACL some subnet uses, where the deny can matter.
    let used: Vec<(usize, usize)> = acls
        .iter()
        .copied()
        .filter(|(v, a)| {
            let vpc = &d.vpcs[*v];
            vpc.subnets.iter().any(|s| s.network_acl.as_ref() == Some(&vpc.network_acls[*a].id))
        })
        .collect();
    if let Some((v, a)) = pick_preferring(g, &used, &acls).filter(|_| g.chance(60)) {
        let cidr = g.text(&["0.0.0.0/0", "0.0.0.0/0", "10.0.0.0/8", "10.0.0.0/16", "10.2.0.0/16", "172.20.0.0/16"]);
        let deny = |number: u32, cidr: &str| AclRule {
            number,
            protocol: RuleProtocol::All,
            ports: "all".to_owned(),
            cidr: cidr.to_owned(),
            action: Action::Deny,
        };
        let acl = &mut d.vpcs[v].network_acls[a];
        let rules = if g.chance(50) { &mut acl.inbound } else { &mut acl.outbound };
        rules.retain(|r| r.number > 3 && r.number != 32766);
        match g.below(4) {
            0 => rules.push(deny(0, &cidr)),
            1 => rules.push(deny(1, &cidr)),
            2 => rules.push(deny(32766, &cidr)),
            _ => {
                for n in [1, 2] {
                    rules.push(AclRule { number: n, ports: "1-2".to_owned(), action: Action::Allow, ..deny(n, &cidr) });
                }
                rules.push(deny(3, &cidr));
            }
        }
    }
    if let Some(space) = d.spaces.first().map(|s| s.id.clone())
        && g.chance(30)
    {
        d.peerings.retain(|p| p.space != space);
        for i in 0..6 {
            let id = format!("vpc-full-{i}");
            d.vpcs.push(bare_vpc(&id, &format!("10.{}.0.0/16", 110 + i)));
            if i < 5 {
                d.peerings.push(Peering {
                    id: format!("pcx-full-{i}"),
                    space: space.clone(),
                    vpc: id,
                    status: if g.chance(20) { PeeringStatus::PendingAcceptance } else { PeeringStatus::Active },
                    extra: Default::default(),
                });
            }
        }
    }
    if let Some(space) = d.spaces.first()
        && g.chance(40)
    {
        let overlap = space.cidr.clone().unwrap_or_else(|| "10.0.0.0/16".to_owned());
        d.vpcs.push(bare_vpc("vpc-overlap", &overlap));
        d.vpcs.push(bare_vpc("vpc-public", "52.10.0.0/16"));
    }
    d
}

/// A generated document (tidy half the time) pushed into the corners above.
fn stressed_document() -> impl Strategy<Value = Document> {
    (prop_oneof![document(), tidy_document()], proptest::collection::vec(any::<u32>(), 32))
        .prop_map(|(d, change)| stress(d, &mut Gen::new(&change)))
}

/// What the promise property met, to show the generator reaches every corner.
#[derive(Debug, Default)]
struct Met {
    /// One trusted-range change admitting several outbound IPs at once.
    several_outbound_ips: usize,
    /// An ACL rule that makes room by renumbering.
    acl_renumbered: usize,
    /// A change to an app whose ID the document gives more than one app.
    app_id_held_twice: usize,
    /// Trusted IP ranges at the limit: no single change.
    trusted_full: usize,
    /// A sixth peering refused: no single change.
    peering_limit: usize,
    /// A peering to an overlapping or public VPC refused.
    peering_vpc_refused: usize,
    /// A peering from a host, created with its route.
    peering_with_route: usize,
    /// Recreating an app with Internal Routing.
    internal_routing: usize,
}

impl Met {
    fn count(&mut self, doc: &Document, fix: &spacetrace_engine::trace::Fix) {
        use spacetrace_engine::trace::{Fix, Workaround};
        let app_twice = |id: &str| {
            let cr = doc.common_runtime_apps.iter().filter(|a| a.id == id).count();
            cr + doc.spaces.iter().flat_map(|s| &s.apps).filter(|a| a.id == id).count() > 1
        };
        match fix {
            Fix::AddTrustedRanges { cidrs, .. } if cidrs.len() > 1 => self.several_outbound_ips += 1,
            Fix::AddAclRule { renumber, .. } if !renumber.is_empty() => self.acl_renumbered += 1,
            Fix::ScaleProcess { app, .. } | Fix::ListenOnPort { target: app, process: Some(_), .. }
                if app_twice(app) =>
            {
                self.app_id_held_twice += 1
            }
            Fix::RecreateWithInternalRouting { app } => {
                self.internal_routing += 1;
                if app_twice(app) {
                    self.app_id_held_twice += 1;
                }
            }
            Fix::CreatePeeringWithRoute { .. } => self.peering_with_route += 1,
            Fix::NoConfiguration { workaround: Some(Workaround::FreeTrustedRanges { .. }) } => self.trusted_full += 1,
            Fix::NoConfiguration { workaround: Some(Workaround::RaisePeeringLimit { .. }) } => self.peering_limit += 1,
            Fix::NoConfiguration { workaround: Some(Workaround::RenumberVpc { .. }) } => self.peering_vpc_refused += 1,
            _ => {}
        }
    }
}

/// A suggested fix keeps its promise: applied, every configuration change suggested for a
/// blocked question (every saved question, every pair of the matrix) lets the question connect
/// or block strictly later (a later hop, or a later step of the same hop), and the check of the
/// changed document adds no error; a blocked answer with no such change says that no single
/// change connects it. Over generated documents pushed into the corners where this once failed
/// ([`stress`]), which the test shows it reaches.
#[test]
fn suggested_fixes_keep_their_promise() {
    use proptest::test_runner::TestRunner;
    use std::cell::RefCell;
    let met = RefCell::new(Met::default());
    let mut runner = TestRunner::new(config(256));
    let result = runner.run(&stressed_document(), |doc| {
        let checked = check(&doc);
        let m = Matrix::new(&checked.model);
        let questions = checked.questions.iter().filter_map(|q| q.query).chain(cells(&m).map(|(_, _, q)| q));
        for q in questions {
            if evaluate(&checked.model, &q).verdict == Verdict::Blocked {
                for s in &evaluate(&checked.model, &q).suggestions {
                    met.borrow_mut().count(&doc, &s.fix);
                }
            }
            let problems = support::promise::question_problems(&doc, &checked, &q);
            prop_assert!(problems.is_empty(), "{:?}:\n{}", q, problems.join("\n"));
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let met = met.into_inner();
    let reached = [
        met.several_outbound_ips,
        met.acl_renumbered,
        met.app_id_held_twice,
        met.trusted_full,
        met.peering_limit,
        met.peering_vpc_refused,
        met.peering_with_route,
        met.internal_routing,
    ];
    assert!(reached.iter().all(|n| *n > 0), "a corner the generator does not reach: {met:#?}");
}

// ----- tolerant reading -----------------------------------------------------------------------

/// The format's lists, by key (never an unknown field's, which may hold any JSON).
const LIST_KEYS: &[&str] = &[
    "internet_clients",
    "external_services",
    "common_runtime_apps",
    "spaces",
    "vpcs",
    "prefix_lists",
    "peerings",
    "vpc_peerings",
    "remote_networks",
    "vpns",
    "questions",
    "expect_diagnostics",
    "ports",
    "allowlist",
    "process_types",
    "dyno_subnets",
    "unavailable_cidrs",
    "trusted_ip_ranges",
    "outbound_ips",
    "apps",
    "addons",
    "secondary_cidrs",
    "route_tables",
    "routes",
    "security_groups",
    "inbound",
    "outbound",
    "network_acls",
    "subnets",
    "hosts",
    "entries",
    "cidrs",
    "routable_cidrs",
    "rules",
];

/// JSON pointers to every element of every list of the format in `v` (the objects `firewall` and
/// `expect` are looked into too).
fn list_elements(v: &Value, at: &str, out: &mut Vec<String>) {
    let Value::Object(map) = v else { return };
    for (key, value) in map {
        match value {
            Value::Array(items) if LIST_KEYS.contains(&key.as_str()) => {
                for (i, item) in items.iter().enumerate() {
                    let pointer = format!("{at}/{key}/{i}");
                    list_elements(item, &pointer, out);
                    out.push(pointer);
                }
            }
            Value::Object(_) if key == "firewall" || key == "expect" => {
                list_elements(value, &format!("{at}/{key}"), out)
            }
            _ => {}
        }
    }
}

proptest! {
    #![proptest_config(config(200))]

    /// Corrupting one element of one list (anywhere in the document) leaves that element out,
    /// with one diagnostic, and reads every other element, of that list and of every other, as
    /// it was.
    #[test]
    fn one_unreadable_element_never_drops_the_others(
        doc in document(),
        pick in any::<prop::sample::Index>(),
        corrupt in 0..3u8,
    ) {
        let value = serde_json::to_value(&doc).unwrap();
        let mut pointers = Vec::new();
        list_elements(&value, "", &mut pointers);
        prop_assume!(!pointers.is_empty());
        let pointer = &pointers[pick.index(pointers.len())];
        let mut bad = value.clone();
        *bad.pointer_mut(pointer).unwrap() = match corrupt {
            0 => Value::Bool(true),
            1 => Value::Null,
            _ => serde_json::json!(-5),
        };
        let (parent, index) = pointer.rsplit_once('/').unwrap();
        let mut without = value.clone();
        without.pointer_mut(parent).unwrap().as_array_mut().unwrap().remove(index.parse().unwrap());

        let mut read = spacetrace_engine::parse_document(&bad.to_string()).unwrap();
        let expected = spacetrace_engine::parse_document(&without.to_string()).unwrap();
        prop_assert!(expected.left_out.is_empty());
        prop_assert_eq!(read.left_out.len(), 1, "{}: {:?}", pointer, read.left_out);
        prop_assert!(read.left_out[0].is_error());
        read.left_out.clear();
        prop_assert_eq!(read, expected, "{}", pointer);
    }
}

// ----- every blocker, one plan (issue 10, item 11) --------------------------------------------------

#[path = "support/plan.rs"]
mod plan_support;

/// Every blocked question's plan (every saved question, every pair of the matrix), over generated
/// documents pushed into the corners of the promise property: applied together, its fixes
/// connect the question, or it stops at a step whose answer offers no configuration change (the
/// step no configuration passes); its blockers come in path order, and applying it adds no
/// configuration error (`plan_support::plan_problems`). And plans of several blockers, and plans
/// that get somewhere before they stop, are met.
#[test]
fn plans_connect_or_name_the_step_no_configuration_passes() {
    use proptest::test_runner::TestRunner;
    use spacetrace_engine::plan::{PlanOutcome, plan};
    use std::cell::Cell;
    let (several, partly) = (Cell::new(0), Cell::new(0));
    let mut runner = TestRunner::new(config(64));
    let result = runner.run(&stressed_document(), |doc| {
        let checked = check(&doc);
        let m = Matrix::new(&checked.model);
        let questions = checked.questions.iter().filter_map(|q| q.query).chain(cells(&m).map(|(_, _, q)| q));
        for q in questions {
            if outcome(&checked.model, &q).verdict == Verdict::Connected {
                continue;
            }
            let p = plan(&doc, &q);
            several.set(several.get() + usize::from(p.blockers.len() > 1));
            partly
                .set(partly.get() + usize::from(matches!(p.outcome, PlanOutcome::Stuck { .. }) && !p.fixes.is_empty()));
            let problems = plan_support::plan_problems(&doc, &q);
            prop_assert!(problems.is_empty(), "{:?}:\n{}", q, problems.join("\n"));
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    assert!(
        several.get() > 0 && partly.get() > 0,
        "plans of several blockers: {}, stuck after a fix: {}",
        several.get(),
        partly.get()
    );
}

// ----- lessons ------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(128))]

    /// Lessons made of any document and its questions read back as themselves, and grading
    /// their predictions and challenges (with any answer) on any network never panics; a
    /// challenge passes exactly when every outcome holds and the network has no error.
    #[test]
    fn grading_lessons_never_panics(doc in document(), other in document(), picks in proptest::collection::vec(any::<u32>(), 32)) {
        use spacetrace_engine::lesson::{self, Answer, Challenge, Required, Task, Use};
        let g = &mut Gen::new(&picks);
        let choices: Vec<(String, Use)> = doc
            .questions
            .iter()
            .map(|q| (q.id.clone(), if g.chance(50) { Use::Predict } else { Use::Challenge }))
            .collect();
        let (made, _) = lesson::lesson_from(&doc, "generated", "Generated", &choices);
        let text = made.to_json();
        let (again, _) = lesson::parse_lesson(&text).map_err(|d| TestCaseError::fail(render::lesson_diagnostic(&d)))?;
        for d in lesson::check_lesson(&again) {
            let _ = render::lesson_diagnostic(&d);
        }
        // Every question of the document as an outcome, with any verdict and blocking rule.
        let outcomes: Vec<Required> = doc
            .questions
            .iter()
            .map(|q| Required {
                question: lesson::Ask { from: q.from.clone(), to: q.to.clone(), protocol: q.protocol, port: q.port },
                verdict: if g.chance(50) { Verdict::Blocked } else { Verdict::Connected },
                blocked_by: g.chance(30).then(|| spacetrace_engine::RuleId::ALL[g.below(spacetrace_engine::RuleId::ALL.len())]),
            })
            .collect();
        let challenge = Challenge { id: "c".into(), outcomes, hints: Vec::new() };
        for network in [check(&doc), check(&other)] {
            let r = lesson::grade_challenge(&network, &challenge);
            let _ = render::lesson_challenge_summary(&r);
            for o in &r.outcomes {
                let _ = render::lesson_outcome(o);
            }
            prop_assert_eq!(r.passed(), r.errors.is_empty() && r.held() == r.outcomes.len());
            for (_, t) in again.tasks() {
                if let Task::Predict(p) = t {
                    let answer = Answer {
                        verdict: if g.chance(50) { Verdict::Blocked } else { Verdict::Connected },
                        rule: g.chance(50).then(|| spacetrace_engine::RuleId::ALL[g.below(spacetrace_engine::RuleId::ALL.len())]),
                        component: g.chance(50).then(|| g.text(&["dyno", "route_table", "nonsense"])),
                    };
                    if let Ok(r) = lesson::grade_prediction(&network, p, &answer) {
                        let _ = render::lesson_prediction(&r);
                        // The engine's own answer is always right.
                        let own = lesson::grade_prediction(&network, p, &r.expected).unwrap();
                        prop_assert!(own.right());
                    }
                }
            }
        }
    }

    /// Any text, and any lesson cut short or with a byte changed, reads without panicking.
    #[test]
    fn reading_any_lesson_text_never_panics(cut in 0usize..20_000, at in 0usize..20_000, byte in any::<u8>(), which in 0usize..10) {
        use spacetrace_engine::lesson::{self, COURSE};
        let text = COURSE[which % COURSE.len()].1.as_bytes();
        let mut bytes = text[..cut.min(text.len())].to_vec();
        if !bytes.is_empty() {
            let i = at % bytes.len();
            bytes[i] = byte;
        }
        let text = String::from_utf8_lossy(&bytes);
        if let Ok((l, diags)) = lesson::parse_lesson(&text) {
            for d in diags.iter().chain(&lesson::check_lesson(&l)) {
                let _ = render::lesson_diagnostic(d);
            }
        }
        let _ = lesson::submitted_network(&text);
    }
}
