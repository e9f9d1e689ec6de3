//! Generated scenarios for benchmarks and load tests: deterministic (no randomness, no clock), so
//! the same size always gives the same document.
//!
//! [`scenario`] repeats a block of objects, each block a small company's estate: a Cedar space
//! (two apps, the second mostly internally routed, and a data add-on), a Fir space, a Common
//! Runtime app, a VPC peered to the Cedar space (route table, security groups, a network ACL on
//! some, two hosts), an office network reached by VPN, two internet clients and an external
//! service. Blocks vary by their index: some routes, rules, peerings, tunnels and dynos are
//! missing or wrong, so that the all-pairs matrix has both verdicts and many blocking rules.

use crate::doc::*;

/// Sources in one block: 8 dyno process types, 2 VPC hosts, 1 remote host, 2 internet clients.
pub const SOURCES_PER_BLOCK: usize = 13;

/// A scenario with about `endpoints` sources and about as many destination services (a little
/// more: 14 per block against 13 sources). Never checks with an error-severity diagnostic.
pub fn scenario(endpoints: usize) -> Document {
    let blocks = endpoints.div_ceil(SOURCES_PER_BLOCK).max(1);
    let mut doc = Document {
        version: Some(CURRENT_VERSION),
        name: format!("Generated: {blocks} estates, about {endpoints} endpoints"),
        description: "A deterministic scenario for benchmarks: Cedar and Fir spaces, peered VPCs, VPNs, \
                      internet clients and external services, with some configuration missing on purpose."
            .into(),
        ..Document::default()
    };
    for b in 0..blocks {
        block(&mut doc, b, blocks);
    }
    doc
}

fn tcp(port: u16) -> Listen {
    Listen { protocol: Protocol::Tcp, port }
}

fn at(column: usize, row: usize) -> Option<Position> {
    Some(Position { x: 40.0 + 260.0 * column as f64, y: 40.0 + 420.0 * row as f64 })
}

fn process(name: &str, dynos: u32, ports: Vec<Listen>) -> ProcessType {
    ProcessType { name: name.into(), dynos, ports, ..ProcessType::default() }
}

fn sg_rule(protocol: RuleProtocol, ports: &str, cidr: &str) -> SgRule {
    SgRule { protocol, ports: ports.into(), cidr: cidr.into() }
}

fn acl_rule(number: u32, protocol: RuleProtocol, ports: &str, cidr: &str, action: Action) -> AclRule {
    AclRule { number, protocol, ports: ports.into(), cidr: cidr.into(), action }
}

/// Addresses of block `b`, all derived from its index.
struct Plan {
    b: usize,
    /// Second octet of the Cedar space's /16 (10.x.0.0/16, x in 2..=121: clear of 10.1.0.0/16).
    space_octet: usize,
    /// The VPC's /20 inside 10.128.0.0/9: third octet base and second octet.
    vpc_second: usize,
    vpc_third: usize,
    /// The office network's /24: 192.168.x.0/24.
    office: usize,
    /// Public octets for outbound IPs, clients and egress.
    p1: usize,
    p2: usize,
}

impl Plan {
    fn new(b: usize) -> Self {
        let v = b % 2048;
        Self {
            b,
            space_octet: 2 + b % 120,
            vpc_second: 128 + v / 16,
            vpc_third: (v % 16) * 16,
            office: b % 256,
            p1: 1 + (b / 250) % 200,
            p2: b % 250,
        }
    }
    fn space_cidr(&self) -> String {
        format!("10.{}.0.0/16", self.space_octet)
    }
    /// The two default dyno subnets of the space (the /20s at its middle).
    fn dyno_subnets(&self) -> [String; 2] {
        [format!("10.{}.128.0/20", self.space_octet), format!("10.{}.144.0/20", self.space_octet)]
    }
    fn vpc_cidr(&self) -> String {
        format!("10.{}.{}.0/20", self.vpc_second, self.vpc_third)
    }
    fn vpc_subnet(&self, k: usize) -> String {
        format!("10.{}.{}.0/24", self.vpc_second, self.vpc_third + k)
    }
    fn vpc_address(&self, k: usize, host: usize) -> String {
        format!("10.{}.{}.{host}", self.vpc_second, self.vpc_third + k)
    }
    fn secondary_cidr(&self) -> String {
        format!("100.{}.{}.0/24", 64 + (self.b / 256) % 64, self.b % 256)
    }
    fn outbound_ips(&self) -> Vec<String> {
        vec![format!("52.{}.{}.10", self.p1, self.p2), format!("52.{}.{}.11", self.p1, self.p2)]
    }
    fn office_client(&self) -> String {
        format!("81.{}.{}.0/24", self.p1, self.p2)
    }
    fn partner_client(&self) -> String {
        format!("85.{}.{}.0/24", self.p1, self.p2)
    }
    fn office_cidr(&self) -> String {
        format!("192.168.{}.0/24", self.office)
    }
}

fn block(doc: &mut Document, b: usize, blocks: usize) {
    let plan = Plan::new(b);
    let cedar = format!("cedar-{b}");
    let pcx = format!("pcx-{b:09x}");
    let kinds = [AddonKind::Postgres, AddonKind::Redis, AddonKind::Kafka];

    // Internet clients: an office inside the Cedar space's trusted ranges, a partner outside them.
    doc.internet_clients.push(InternetClient {
        id: format!("client-office-{b}"),
        name: format!("Office {b}"),
        cidr: plan.office_client(),
        position: at(0, 2 * b),
        ..InternetClient::default()
    });
    doc.internet_clients.push(InternetClient {
        id: format!("client-partner-{b}"),
        name: format!("Partner {b}"),
        cidr: plan.partner_client(),
        position: at(0, 2 * b + 1),
        ..InternetClient::default()
    });

    // An external service: open, allowlisting the space's outbound IPs, or only one of them.
    let outbound = plan.outbound_ips();
    let allowlist = match b % 3 {
        0 => None,
        1 => Some(outbound.iter().map(|ip| format!("{ip}/32")).collect()),
        _ => Some(vec![format!("{}/32", outbound[0])]),
    };
    doc.external_services.push(ExternalService {
        id: format!("ext-{b}"),
        name: format!("Partner API {b}"),
        hostname: format!("api.partner-{b}.example"),
        ports: vec![tcp(443)],
        allowlist,
        position: at(5, 2 * b),
        ..ExternalService::default()
    });

    // The Cedar space: trusted ranges on two blocks in three, its API and an internal billing app.
    let trusted = (!b.is_multiple_of(3)).then(|| vec![plan.office_client(), format!("203.0.113.{}/32", b % 256)]);
    let billing_web = if b % 5 == 3 { 0 } else { 1 };
    doc.spaces.push(Space {
        id: cedar.clone(),
        name: format!("acme-{b}-prod"),
        generation: Generation::Cedar,
        shield: b % 10 == 7,
        region: "virginia".into(),
        cidr: Some(plan.space_cidr()),
        trusted_ip_ranges: trusted,
        outbound_ips: outbound,
        apps: vec![
            App {
                id: format!("api-{b}"),
                name: format!("acme-{b}-api"),
                web_port: (b % 4 == 2).then_some(3000),
                process_types: vec![process("web", 2, Vec::new()), process("worker", 1, vec![tcp(9000)])],
                position: at(1, 2 * b),
                ..App::default()
            },
            App {
                id: format!("billing-{b}"),
                name: format!("acme-{b}-billing"),
                internal_routing: b % 3 != 1,
                process_types: vec![process("web", billing_web, Vec::new()), process("worker", 1, Vec::new())],
                position: at(1, 2 * b + 1),
                ..App::default()
            },
        ],
        addons: vec![Addon {
            id: format!("db-{b}"),
            name: format!("acme-{b}-db"),
            kind: kinds[b % 3],
            position: at(2, 2 * b),
            ..Addon::default()
        }],
        position: at(1, 2 * b),
        ..Space::default()
    });

    // A Fir space with a shop: no peering, no VPN, no trusted ranges.
    doc.spaces.push(Space {
        id: format!("fir-{b}"),
        name: format!("acme-{b}-fir"),
        generation: Generation::Fir,
        region: "oregon".into(),
        outbound_ips: vec![format!("44.{}.{}.20", plan.p1, plan.p2)],
        apps: vec![App {
            id: format!("shop-{b}"),
            name: format!("acme-{b}-shop"),
            process_types: vec![process("web", 1, Vec::new()), process("worker", 1, Vec::new())],
            position: at(2, 2 * b + 1),
            ..App::default()
        }],
        position: at(2, 2 * b + 1),
        ..Space::default()
    });

    // A Common Runtime app whose worker is scaled down on even blocks.
    doc.common_runtime_apps.push(App {
        id: format!("site-{b}"),
        name: format!("acme-{b}-site"),
        process_types: vec![process("web", 1, Vec::new()), process("worker", (b % 2) as u32, Vec::new())],
        position: at(0, 2 * b),
        ..App::default()
    });

    // The VPC: a route back to the space on most blocks (only to the dyno subnets on some), a
    // database security group admitting one or both dyno subnets, an ACL on one block in three.
    let [dynos_a, dynos_b] = plan.dyno_subnets();
    let mut routes = vec![Route { destination: plan.vpc_cidr(), target: "local".into() }];
    match b % 8 {
        1 => {}
        5 => {
            routes.push(Route { destination: dynos_a.clone(), target: pcx.clone() });
            routes.push(Route { destination: dynos_b.clone(), target: pcx.clone() });
        }
        _ => routes.push(Route { destination: plan.space_cidr(), target: pcx.clone() }),
    }
    if b.is_multiple_of(2) {
        routes.push(Route { destination: "0.0.0.0/0".into(), target: format!("igw-{b}") });
    }
    let db_sources = if b % 6 == 2 { vec![dynos_a.clone()] } else { vec![dynos_a.clone(), dynos_b.clone()] };
    let mut db_inbound: Vec<SgRule> = db_sources.iter().map(|c| sg_rule(RuleProtocol::Tcp, "5432", c)).collect();
    if b % 7 == 3 {
        db_inbound.clear();
    }
    let app_inbound = if b % 5 == 2 { Vec::new() } else { vec![sg_rule(RuleProtocol::Tcp, "443", &plan.space_cidr())] };
    let with_acl = b.is_multiple_of(3);
    let space_cidr = plan.space_cidr();
    let network_acls = if with_acl {
        vec![NetworkAcl {
            id: format!("acl-{b}"),
            name: format!("acl-{b} (database)"),
            inbound: vec![
                acl_rule(100, RuleProtocol::Tcp, "5432", &space_cidr, Action::Allow),
                acl_rule(110, RuleProtocol::Tcp, "1024-65535", &space_cidr, Action::Allow),
                acl_rule(200, RuleProtocol::All, "all", "0.0.0.0/0", Action::Deny),
            ],
            outbound: vec![
                acl_rule(100, RuleProtocol::Tcp, "443", &space_cidr, Action::Allow),
                acl_rule(110, RuleProtocol::Tcp, "1024-65535", &space_cidr, Action::Allow),
            ],
            ..NetworkAcl::default()
        }]
    } else {
        Vec::new()
    };
    // On some blocks the app host sits in a secondary CIDR, which a peering does not carry.
    let secondary = b % 9 == 4;
    let (app_subnet_cidr, app_address) = if secondary {
        let s = plan.secondary_cidr();
        let addr = format!("{}.20", s.trim_end_matches(".0/24"));
        (s, addr)
    } else {
        (plan.vpc_subnet(1), plan.vpc_address(1, 20))
    };
    doc.vpcs.push(Vpc {
        id: format!("vpc-{b}"),
        name: format!("analytics-{b}"),
        region: "us-east-1".into(),
        primary_cidr: plan.vpc_cidr(),
        secondary_cidrs: if secondary { vec![plan.secondary_cidr()] } else { Vec::new() },
        public_egress_ip: b.is_multiple_of(2).then(|| format!("34.{}.{}.1", plan.p1, plan.p2)),
        route_tables: vec![RouteTable {
            id: format!("rtb-{b}"),
            name: format!("rtb-{b} (private)"),
            routes,
            ..RouteTable::default()
        }],
        security_groups: vec![
            SecurityGroup {
                id: format!("sg-db-{b}"),
                name: format!("sg-db-{b}"),
                inbound: db_inbound,
                outbound: Some(vec![sg_rule(RuleProtocol::All, "all", "0.0.0.0/0")]),
                ..SecurityGroup::default()
            },
            SecurityGroup {
                id: format!("sg-app-{b}"),
                name: format!("sg-app-{b}"),
                inbound: app_inbound,
                outbound: Some(vec![sg_rule(RuleProtocol::Tcp, "443", "0.0.0.0/0")]),
                ..SecurityGroup::default()
            },
        ],
        network_acls,
        subnets: vec![
            Subnet {
                id: format!("subnet-db-{b}"),
                name: format!("db-{b}"),
                cidr: plan.vpc_subnet(0),
                route_table: format!("rtb-{b}"),
                network_acl: with_acl.then(|| format!("acl-{b}")),
                ..Subnet::default()
            },
            Subnet {
                id: format!("subnet-app-{b}"),
                name: format!("app-{b}"),
                cidr: app_subnet_cidr,
                route_table: format!("rtb-{b}"),
                network_acl: with_acl.then(|| format!("acl-{b}")),
                ..Subnet::default()
            },
        ],
        hosts: vec![
            Host {
                id: format!("warehouse-{b}"),
                name: format!("warehouse-{b}"),
                subnet: format!("subnet-db-{b}"),
                address: plan.vpc_address(0, 10),
                security_groups: vec![format!("sg-db-{b}")],
                ports: vec![tcp(5432)],
                ..Host::default()
            },
            Host {
                id: format!("reports-{b}"),
                name: format!("reports-{b}"),
                subnet: format!("subnet-app-{b}"),
                address: app_address,
                security_groups: vec![format!("sg-app-{b}")],
                ports: vec![tcp(443)],
                ..Host::default()
            },
        ],
        position: at(3, 2 * b),
        ..Vpc::default()
    });

    // The peering: missing on one block in ten, pending acceptance on one in seven.
    if b % 10 != 9 {
        let status = if b % 7 == 6 { PeeringStatus::PendingAcceptance } else { PeeringStatus::Active };
        doc.peerings.push(Peering {
            id: pcx,
            space: cedar.clone(),
            vpc: format!("vpc-{b}"),
            status,
            ..Peering::default()
        });
    }
    // Some VPCs are peered onwards to the next block's VPC (which the space cannot use).
    if b.is_multiple_of(4) && b + 1 < blocks {
        doc.vpc_peerings.push(VpcPeering {
            id: format!("pcx-vpc-{b:08x}"),
            vpc: format!("vpc-{b}"),
            peer_vpc: format!("vpc-{}", b + 1),
            status: PeeringStatus::Active,
            ..VpcPeering::default()
        });
    }

    // The office network and its VPN: a firewall on odd blocks (admitting the wrong port on some),
    // the tunnel down on one block in five, routable CIDRs that miss the office on one in eight.
    let firewall = (b % 2 == 1).then(|| Firewall {
        id: format!("fw-{b}"),
        name: format!("office-{b} firewall"),
        inbound: vec![FirewallRule {
            protocol: RuleProtocol::Tcp,
            ports: if b % 6 == 5 { "389".into() } else { "636".into() },
            cidr: plan.space_cidr(),
            action: Action::Allow,
        }],
    });
    let gateway = format!("81.{}.{}.1", plan.p1, plan.p2);
    doc.remote_networks.push(RemoteNetwork {
        id: format!("office-{b}"),
        name: format!("Office {b}"),
        cidrs: vec![plan.office_cidr()],
        public_egress_ip: Some(gateway.clone()),
        hosts: vec![RemoteHost {
            id: format!("ldap-{b}"),
            name: format!("ldap-{b}"),
            address: format!("192.168.{}.20", plan.office),
            ports: vec![tcp(636)],
            ..RemoteHost::default()
        }],
        firewall,
        position: at(4, 2 * b),
        ..RemoteNetwork::default()
    });
    doc.vpns.push(Vpn {
        id: format!("vpn-{b}"),
        name: format!("vpn-office-{b}"),
        space: cedar,
        remote_network: format!("office-{b}"),
        customer_gateway: gateway,
        routable_cidrs: vec![if b % 8 == 3 { format!("172.20.{}.0/24", plan.office) } else { plan.office_cidr() }],
        tunnel_status: if b % 5 == 4 { TunnelStatus::Down } else { TunnelStatus::Up },
        ..Vpn::default()
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::check;
    use crate::matrix::Matrix;

    #[test]
    fn generated_scenarios_check_without_errors_and_give_mixed_verdicts() {
        for endpoints in [1, 13, 100, 400] {
            let checked = check(&scenario(endpoints));
            let errors: Vec<_> = checked.errors().collect();
            assert!(errors.is_empty(), "{endpoints} endpoints: {errors:?}");
            let m = Matrix::new(&checked.model);
            let (connected, blocked, _) = m.counts();
            assert!(connected > 0 && blocked > 0, "{endpoints} endpoints: {connected} connected, {blocked} blocked");
            let blocks = endpoints.div_ceil(SOURCES_PER_BLOCK);
            assert_eq!(m.sources.len(), blocks * SOURCES_PER_BLOCK);
            assert!(m.services.len() >= m.sources.len() && m.services.len() <= m.sources.len() * 6 / 5);
        }
    }

    #[test]
    fn generation_is_deterministic_and_varied() {
        assert_eq!(scenario(200), scenario(200));
        let checked = check(&scenario(200));
        let m = Matrix::new(&checked.model);
        let rules: std::collections::BTreeSet<_> = m.cells.iter().flatten().filter_map(|o| o.blocked_by).collect();
        assert!(rules.len() >= 15, "only {} distinct blocking rules: {rules:?}", rules.len());
    }
}
