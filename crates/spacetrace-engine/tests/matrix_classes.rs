//! The matrix by classes (`Matrix::new`) against the plain evaluation of every pair
//! (`Matrix::plain`): the same cells, verdict and blocking rule, for every example scenario and
//! for generated documents built to tie unrelated-looking ends together (trusted ranges and
//! allowlists naming other spaces' outbound IPs and clients, security-group rules naming other
//! spaces' dynos, peerings and VPNs across estates in every state, shared CIDRs, Fir and Cedar,
//! Shield, Internal Routing, IPv6, missing dynos and egress).
//!
//! Runs are reproducible: a fixed seed and case count unless `PROPTEST_RNG_SEED` or
//! `PROPTEST_CASES` are set. No failure files are written.

use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use spacetrace_engine::doc::{
    AclRule, Action, Document, Generation, Listen, NetworkAcl, Peering, PeeringStatus, PrefixList, ProcessType,
    Protocol, Route, RuleProtocol, SgRule, TunnelStatus, VpcPeering, Vpn,
};
use spacetrace_engine::matrix::{MAX_CELLS, Matrix};
use spacetrace_engine::{check, check_text, synth};

fn config(cases: u32) -> ProptestConfig {
    let base = ProptestConfig::default();
    let cases = if std::env::var_os("PROPTEST_CASES").is_some() { base.cases } else { cases };
    let rng_seed =
        if std::env::var_os("PROPTEST_RNG_SEED").is_some() { base.rng_seed } else { RngSeed::Fixed(0x0c1a_55e5) };
    ProptestConfig { cases, rng_seed, failure_persistence: None, ..base }
}

/// Fast and plain agree cell for cell; the first disagreement is described.
fn disagreement(doc: &Document) -> Option<String> {
    let checked = check(doc);
    let (fast, plain) = (Matrix::new(&checked.model), Matrix::plain(&checked.model));
    if fast.sources != plain.sources || fast.services != plain.services || fast.cells.len() != plain.cells.len() {
        return Some("different shapes".into());
    }
    let n = plain.services.len();
    plain.cells.iter().zip(&fast.cells).position(|(p, f)| p != f).map(|i| {
        let (row, column) = (i / n, i % n);
        format!(
            "cell {row},{column}: {:?} -> {:?}: plain {:?}, fast {:?}",
            plain.sources[row], plain.services[column], plain.cells[i], fast.cells[i]
        )
    })
}

/// Reads choices from a list of random numbers; past its end every choice reads 0.
struct Gen<'a> {
    data: &'a [u32],
    pos: usize,
}

impl Gen<'_> {
    fn next(&mut self) -> u32 {
        let v = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        v
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { self.next() as usize % n }
    }
    fn chance(&mut self, percent: u32) -> bool {
        self.next() % 100 < percent
    }
    fn pick(&mut self, items: &[String]) -> String {
        if items.is_empty() { String::new() } else { items[self.below(items.len())].clone() }
    }
}

/// Addresses and ranges of the document itself (so that lists name other estates' ends) and a
/// few common ones.
fn pool(doc: &Document) -> (Vec<String>, Vec<String>) {
    let mut cidrs: Vec<String> = [
        "0.0.0.0/0",
        "::/0",
        "10.0.0.0/8",
        "52.0.0.0/8",
        "81.0.0.0/8",
        "34.0.0.0/8",
        "192.168.0.0/16",
        "2001:db8::/32",
        "10.2.128.0/20",
        "10.3.0.0/16",
        "10.2.0.10/32",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut ips: Vec<String> = ["2001:db8::1", "52.1.0.10", "198.51.100.7"].iter().map(|s| s.to_string()).collect();
    for s in &doc.spaces {
        cidrs.extend(s.cidr.clone());
        cidrs.extend(s.trusted_ip_ranges.iter().flatten().cloned());
        for ip in &s.outbound_ips {
            cidrs.push(format!("{ip}/32"));
            cidrs.push(format!("{ip}/24"));
            ips.push(ip.clone());
        }
    }
    for c in &doc.internet_clients {
        cidrs.push(c.cidr.clone());
    }
    for v in &doc.vpcs {
        cidrs.push(v.primary_cidr.clone());
        if let Some(e) = &v.public_egress_ip {
            cidrs.push(format!("{e}/32"));
            ips.push(e.clone());
        }
    }
    for r in &doc.remote_networks {
        cidrs.extend(r.cidrs.iter().cloned());
        if let Some(e) = &r.public_egress_ip {
            cidrs.push(format!("{e}/32"));
            ips.push(e.clone());
        }
    }
    (cidrs, ips)
}

const PORTS: &[&str] = &["all", "443", "5432", "1024-65535", "0-1000", "636", "9000", "3000-5000"];

/// A generated estate (`synth`), then changes that tie its estates to each other.
fn build(data: &[u32]) -> Document {
    let mut g = Gen { data, pos: 0 };
    let endpoints = 1 + g.below(70);
    let mut doc = synth::scenario(endpoints);
    let (cidrs, ips) = pool(&doc);
    let ports: Vec<String> = PORTS.iter().map(|s| s.to_string()).collect();
    let rule_protocol = |g: &mut Gen| [RuleProtocol::All, RuleProtocol::Tcp, RuleProtocol::Udp][g.below(3)];
    let (spaces, vpcs, remotes) = (doc.spaces.len(), doc.vpcs.len(), doc.remote_networks.len());
    let space_ids: Vec<String> = doc.spaces.iter().map(|s| s.id.clone()).collect();
    let vpc_ids: Vec<String> = doc.vpcs.iter().map(|s| s.id.clone()).collect();
    let remote_ids: Vec<String> = doc.remote_networks.iter().map(|s| s.id.clone()).collect();
    let changes = g.below(20);
    for _ in 0..changes {
        match g.below(18) {
            0 => {
                let s = g.below(spaces);
                let n = g.below(4);
                let list = (0..n).map(|_| g.pick(&cidrs)).collect();
                doc.spaces[s].trusted_ip_ranges = if g.chance(20) { None } else { Some(list) };
            }
            1 => {
                let e = g.below(doc.external_services.len());
                let n = g.below(3);
                let list = (0..n).map(|_| g.pick(&cidrs)).collect();
                if let Some(svc) = doc.external_services.get_mut(e) {
                    svc.allowlist = if g.chance(20) { None } else { Some(list) };
                }
            }
            2 | 16 | 17 => {
                // Rules naming some estates' dynos but not others', on every group of a VPC.
                // Two VPCs at once, so that their hosts often look alike but for the rule.
                // Now and then the rule names a prefix list of such ranges, or a security group
                // (which admits no Heroku address), and the groups start from AWS's default
                // outbound rule (no outbound list, format version 2).
                let clear = g.chance(60);
                let omit = g.chance(15);
                let inbound = g.chance(25);
                let no_egress = g.chance(50);
                for _ in 0..2 {
                    let v = g.below(vpcs);
                    let target = if g.chance(20) {
                        let id = format!("pl-{}", doc.prefix_lists.len());
                        let entries = (0..1 + g.below(3)).map(|_| g.pick(&cidrs)).collect();
                        doc.prefix_lists.push(PrefixList { id: id.clone(), entries, ..PrefixList::default() });
                        id
                    } else if g.chance(10) {
                        let groups: Vec<String> = doc.vpcs[v].security_groups.iter().map(|sg| sg.id.clone()).collect();
                        g.pick(&groups)
                    } else {
                        g.pick(&cidrs)
                    };
                    let rule = SgRule { protocol: rule_protocol(&mut g), ports: g.pick(&ports), cidr: target };
                    if no_egress {
                        doc.vpcs[v].public_egress_ip = None;
                    }
                    for sg in &mut doc.vpcs[v].security_groups {
                        if omit {
                            sg.outbound = None;
                        } else if clear {
                            sg.outbound = Some(Vec::new());
                        }
                        if inbound {
                            sg.inbound.push(rule.clone());
                        } else if !omit {
                            sg.outbound.get_or_insert_with(Vec::new).push(rule.clone());
                        }
                    }
                }
            }
            3 => {
                let s = g.below(spaces);
                let space = &mut doc.spaces[s];
                space.generation = if g.chance(50) { Generation::Fir } else { Generation::Cedar };
                space.shield = g.chance(50);
            }
            4 => {
                let s = g.below(spaces);
                let n = g.below(3);
                doc.spaces[s].outbound_ips = (0..n).map(|_| g.pick(&ips)).collect();
            }
            5 => {
                let status =
                    [PeeringStatus::Active, PeeringStatus::PendingAcceptance, PeeringStatus::Deleted][g.below(3)];
                let n = doc.peerings.len();
                doc.peerings.push(Peering {
                    id: format!("pcx-extra-{n}"),
                    space: g.pick(&space_ids),
                    vpc: g.pick(&vpc_ids),
                    status,
                    ..Peering::default()
                });
            }
            6 => {
                let n = doc.vpc_peerings.len();
                doc.vpc_peerings.push(VpcPeering {
                    id: format!("pcx-vpc-extra-{n}"),
                    vpc: g.pick(&vpc_ids),
                    peer_vpc: g.pick(&vpc_ids),
                    status: if g.chance(70) { PeeringStatus::Active } else { PeeringStatus::Deleted },
                    ..VpcPeering::default()
                });
            }
            7 => {
                let n = doc.vpns.len();
                let routable = (0..1 + g.below(2)).map(|_| g.pick(&cidrs)).collect();
                doc.vpns.push(Vpn {
                    id: format!("vpn-extra-{n}"),
                    name: format!("vpn extra {n}"),
                    space: g.pick(&space_ids),
                    remote_network: g.pick(&remote_ids),
                    customer_gateway: g.pick(&ips),
                    routable_cidrs: routable,
                    tunnel_status: if g.chance(70) { TunnelStatus::Up } else { TunnelStatus::Down },
                    ..Vpn::default()
                });
            }
            8 => {
                let c = g.below(doc.internet_clients.len());
                doc.internet_clients[c].cidr = g.pick(&cidrs);
            }
            9 => {
                let v = g.below(vpcs);
                doc.vpcs[v].public_egress_ip = match g.below(3) {
                    0 => None,
                    _ => Some(g.pick(&ips)),
                };
            }
            10 => {
                let r = g.below(remotes);
                doc.remote_networks[r].public_egress_ip = match g.below(3) {
                    0 => None,
                    _ => Some(g.pick(&ips)),
                };
            }
            11 => {
                // Two spaces on one CIDR: equal dyno addresses in different estates.
                let s = g.below(spaces);
                doc.spaces[s].cidr = Some(["10.2.0.0/16", "10.3.0.0/16", "172.20.0.0/16"][g.below(3)].to_owned());
            }
            12 => {
                let s = g.below(spaces);
                let space = &mut doc.spaces[s];
                let a = g.below(space.apps.len());
                if let Some(app) = space.apps.get_mut(a) {
                    app.internal_routing = g.chance(50);
                    app.web_port = g.chance(30).then(|| [443, 5432, 9000][g.below(3)]);
                    let p = g.below(app.process_types.len() + 1);
                    match app.process_types.get_mut(p) {
                        Some(process) => {
                            process.dynos = [0, 1, 2][g.below(3)];
                            if g.chance(40) {
                                process.ports.push(Listen { protocol: Protocol::Tcp, port: 443 });
                            }
                        }
                        None => app.process_types.push(ProcessType {
                            name: "clock".into(),
                            dynos: 1,
                            ports: vec![Listen { protocol: Protocol::Udp, port: 9000 }],
                            ..ProcessType::default()
                        }),
                    }
                }
            }
            13 => {
                let a = g.below(doc.common_runtime_apps.len());
                if let Some(app) = doc.common_runtime_apps.get_mut(a)
                    && let Some(p) = app.process_types.first_mut()
                {
                    p.dynos = g.below(2) as u32;
                    app.internal_routing = g.chance(50);
                }
            }
            14 => {
                let v = g.below(vpcs);
                let vpc = &mut doc.vpcs[v];
                let rule = AclRule {
                    number: [50, 100, 150, 300][g.below(4)],
                    protocol: rule_protocol(&mut g),
                    ports: g.pick(&ports),
                    cidr: g.pick(&cidrs),
                    action: if g.chance(50) { Action::Allow } else { Action::Deny },
                };
                if vpc.network_acls.is_empty() {
                    vpc.network_acls.push(NetworkAcl { id: format!("acl-extra-{v}"), ..NetworkAcl::default() });
                    for s in &mut vpc.subnets {
                        s.network_acl = Some(format!("acl-extra-{v}"));
                    }
                }
                if g.chance(50) {
                    vpc.network_acls[0].inbound.push(rule);
                } else {
                    vpc.network_acls[0].outbound.push(rule);
                }
            }
            _ => {
                let v = g.below(vpcs);
                let target = if g.chance(60) {
                    doc.peerings.get(g.below(doc.peerings.len())).map_or_else(|| "local".into(), |p| p.id.clone())
                } else {
                    "local".into()
                };
                let destination = g.pick(&cidrs);
                if let Some(rt) = doc.vpcs[v].route_tables.first_mut() {
                    rt.routes.push(Route { destination, target });
                }
            }
        }
    }
    doc
}

proptest! {
    #![proptest_config(config(96))]

    #[test]
    fn classes_agree_with_the_plain_evaluation(data in proptest::collection::vec(any::<u32>(), 0..200)) {
        let doc = build(&data);
        if let Some(problem) = disagreement(&doc) {
            prop_assert!(false, "{problem}");
        }
    }
}

#[test]
fn classes_agree_on_every_example_scenario() {
    let mut seen = 0;
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let checked = check_text(&std::fs::read_to_string(&path).unwrap());
            let (fast, plain) = (Matrix::new(&checked.model), Matrix::plain(&checked.model));
            assert_eq!(fast, plain, "{}", path.display());
            assert!(fast.is_complete(&checked.model));
            seen += 1;
        }
    }
    assert!(seen >= 9, "only {seen} scenarios");
}

#[test]
fn classes_agree_on_generated_estates() {
    for endpoints in [13, 100, 400] {
        assert_eq!(disagreement(&synth::scenario(endpoints)), None, "{endpoints} endpoints");
    }
}

/// Regression: 80,000 apps once made the matrix reserve sources × services cells up front
/// (12.8 GB) and abort. The matrix now holds at most `MAX_CELLS`, cut at a whole source. (A space
/// now holds at most 1,000 apps, `limits::LIMITS`: the 80,000 apps are spread over 80 spaces.)
#[test]
fn a_document_with_very_many_apps_does_not_abort() {
    let mut doc = synth::scenario(1);
    let template = doc.spaces[1].clone();
    let app = template.apps[0].clone();
    for k in 0..80 {
        let mut space = template.clone();
        space.id = format!("space-{k}");
        space.name = format!("space-{k}");
        space.apps = (0..1_000)
            .map(|i| {
                let mut a = app.clone();
                a.id = format!("app-{k}-{i}");
                a.name = format!("app-{k}-{i}");
                for p in &mut a.process_types {
                    p.dynos = 0;
                }
                a
            })
            .collect();
        doc.spaces.push(space);
    }
    let checked = check(&doc);
    let m = Matrix::new(&checked.model);
    assert!(m.cells.len() <= MAX_CELLS);
    assert_eq!(m.cells.len(), m.sources.len() * m.services.len());
    assert!(m.services.len() > 160_000 && !m.sources.is_empty());
    assert!(!m.is_complete(&checked.model));
}

/// A host's outbound security-group rule that names one other estate's space and not another's:
/// the two hosts look alike, the two dynos look alike, and only the rule tells the pairs apart.
#[test]
fn an_outbound_rule_naming_another_estate_splits_the_class() {
    // Hosts of VPCs 1 and 3 (no egress, neither peered with block 2) against block 2's dynos.
    let mut doc = synth::scenario(52);
    let targets = [doc.spaces[4].cidr.clone().unwrap(), "192.168.0.0/16".to_owned()];
    for (v, cidr) in [(1, &targets[0]), (3, &targets[1])] {
        for sg in &mut doc.vpcs[v].security_groups {
            sg.outbound = Some(vec![SgRule { protocol: RuleProtocol::All, ports: "all".into(), cidr: cidr.clone() }]);
        }
    }
    doc.vpcs[0].security_groups.iter_mut().for_each(|sg| sg.outbound = Some(Vec::new()));
    assert_eq!(disagreement(&doc), None);
}
