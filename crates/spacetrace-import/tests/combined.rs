//! Heroku and AWS output of one network imported together: the peering is matched across both
//! sides, and questions across it answer as the real network would.

mod support;

use spacetrace_engine::doc::{self, Document, PeeringStatus, Protocol, TunnelStatus};
use spacetrace_engine::{Query, RuleId, Verdict, check, evaluate};
use spacetrace_import::What;
use spacetrace_import::warnings::{Secret, Thing};
use support::*;

const SPACE_VPC: &str = "vpc-0f1e2d3c4b5a69788";
const ANALYTICS: &str = "vpc-0a1b2c3d4e5f60718";
const PARTNER: &str = "vpc-0b2c3d4e5f6071829";
const SPACE_PEERING: &str = "pcx-0a1b2c3d4e5f60718";

fn vpc<'a>(doc: &'a Document, id: &str) -> &'a doc::Vpc {
    doc.vpcs.iter().find(|v| v.id == id).unwrap_or_else(|| panic!("no VPC {id}"))
}

/// Ask from a process type's first dyno to a host (by name) and return the verdict and the
/// blocking rule.
fn ask(doc: &Document, app: &str, process: &str, host_name: &str, port: u16) -> (Verdict, Option<RuleId>) {
    let checked = check(doc);
    let host = doc.vpcs.iter().flat_map(|v| &v.hosts).find(|h| h.name == host_name).expect("host");
    let q = Query::from_doc(
        &checked.model,
        &doc::From::Dyno { app: app.into(), process: process.into() },
        &doc::To::Host(host.id.clone()),
        Protocol::Tcp,
        port,
    )
    .expect("a question the engine can ask");
    let trace = evaluate(&checked.model, &q);
    (trace.verdict, trace.blocking_step().map(|s| s.rule))
}

#[test]
fn the_space_peering_is_one_peering_across_heroku_and_aws() {
    let imported = import_files(&all_fixtures());
    let doc = &imported.document;
    let p = doc.peerings.iter().find(|p| p.id == SPACE_PEERING).expect("the space's peering");
    assert_eq!(p.space, "acme-prod");
    assert_eq!(p.vpc, ANALYTICS);
    assert_eq!(p.status, PeeringStatus::Active);
    // Heroku's side of the peering is the space, not a VPC of its own.
    assert!(doc.vpcs.iter().all(|v| v.id != SPACE_VPC), "the space's own VPC became a VPC");
    // The failed peering only Heroku lists: read as deleted, to a VPC made from its blocks.
    let failed = doc.peerings.iter().find(|p| p.id == "pcx-0d4e5f60718293a4b").expect("the failed peering");
    assert_eq!(failed.status, PeeringStatus::Deleted);
    assert_eq!(vpc(doc, "vpc-0d4e5f60718293a4b").primary_cidr, "10.60.0.0/16");
    // The Heroku-managed one is a warning, not a peering.
    assert!(doc.peerings.iter().all(|p| p.id != "pcx-0e5f60718293a4b5c"));
    assert_eq!(
        warnings(&imported, |w| matches!(w, What::NotModelled { thing: Thing::HerokuManagedPeering, .. })).len(),
        1
    );
    // The two VPCs' own peering stays a VPC peering.
    assert_eq!(doc.vpc_peerings.len(), 1);
    assert_eq!((doc.vpc_peerings[0].vpc.as_str(), doc.vpc_peerings[0].peer_vpc.as_str()), (ANALYTICS, PARTNER));
    // No disagreement between the two sides in these fixtures.
    assert!(
        warnings(&imported, |w| matches!(w, What::StatusConflict { .. } | What::PeeringVpcMismatch { .. })).is_empty()
    );
}

#[test]
fn the_combined_import_checks_clean() {
    let imported = import_files(&all_fixtures());
    let checked = check(&imported.document);
    let problems: Vec<String> =
        checked.diagnostics.iter().map(spacetrace_engine::render::diagnostic_with_location).collect();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn questions_across_the_peering_connect_and_block_as_configured() {
    let doc = import_files(&all_fixtures()).document;
    // Route through the peering, ACL rule 100, the group's rule for the space: connected.
    assert_eq!(ask(&doc, "acme-api", "worker", "warehouse-db", 5432), (Verdict::Connected, None));
    // The ACL admits 22 from 10.0.0.0/8, the group only from the office: the group blocks.
    assert_eq!(
        ask(&doc, "acme-api", "worker", "warehouse-db", 22),
        (Verdict::Blocked, Some(RuleId::PeerSecurityGroup))
    );
    // The orders database sits in a subnet on the main route table, whose route to the space is a
    // blackhole.
    assert_eq!(ask(&doc, "acme-api", "web", "orders-db", 5432), (Verdict::Blocked, Some(RuleId::PeerRoute)));
    // The partner VPC is peered with the analytics VPC only: peering is not transitive.
    let (verdict, _) = ask(&doc, "acme-api", "worker", "etl", 8443);
    assert_eq!(verdict, Verdict::Blocked);
}

#[test]
fn the_order_of_the_files_does_not_change_the_answers() {
    let mut files = all_fixtures();
    let forward = import_files(&files).document;
    files.reverse();
    let backward = import_files(&files).document;
    for (app, process, host, port) in [
        ("acme-api", "worker", "warehouse-db", 5432),
        ("acme-api", "worker", "warehouse-db", 22),
        ("acme-api", "web", "orders-db", 5432),
    ] {
        assert_eq!(ask(&forward, app, process, host, port), ask(&backward, app, process, host, port));
    }
    let ids = |d: &Document| {
        let mut v: Vec<String> = d.vpcs.iter().flat_map(|v| v.hosts.iter().map(|h| h.id.clone())).collect();
        v.extend(d.peerings.iter().map(|p| p.id.clone()));
        v.sort();
        v
    };
    assert_eq!(ids(&forward), ids(&backward));
}

#[test]
fn heroku_outputs_fill_in_the_space() {
    let imported = import_files(&all_fixtures());
    let doc = &imported.document;
    assert_eq!(doc.spaces.len(), 1);
    let space = &doc.spaces[0];
    assert_eq!(space.id, "acme-prod");
    assert_eq!(space.region, "virginia");
    assert_eq!(space.cidr.as_deref(), Some("10.0.0.0/16"));
    assert_eq!(space.outbound_ips, ["52.1.2.3", "52.4.5.6"]);
    assert_eq!(
        space.trusted_ip_ranges.as_deref(),
        Some(&["198.51.100.0/24".to_owned(), "203.0.113.0/24".to_owned()][..])
    );
    assert_eq!(space.dyno_subnets.as_deref(), Some(&["10.0.128.0/20".to_owned(), "10.0.144.0/20".to_owned()][..]));
    assert_eq!(space.unavailable_cidrs.as_deref(), Some(&["10.1.0.0/16".to_owned(), "172.17.0.0/16".to_owned()][..]));
    // Apps: the topology's counts, apps:info's names; a name read from a newer default domain.
    let names: Vec<&str> = space.apps.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["acme-api", "acme-billing"]);
    let api = &space.apps[0];
    let dynos: Vec<(&str, u32)> = api.process_types.iter().map(|p| (p.name.as_str(), p.dynos)).collect();
    assert_eq!(dynos, [("web", 2), ("worker", 1)]);
    // The private Postgres is a data add-on of the space; Papertrail is a warning.
    assert_eq!(space.addons.len(), 1);
    assert_eq!(space.addons[0].kind, doc::AddonKind::Postgres);
    // Dyno addresses cannot be held: one warning per process type that had them.
    assert_eq!(warnings(&imported, |w| matches!(w, What::DynoAddresses { .. })).len(), 3);
    // VPNs: listed twice (info and connections), imported once; the pending one is down.
    let vpns: Vec<(&str, TunnelStatus)> = doc.vpns.iter().map(|v| (v.name.as_str(), v.tunnel_status)).collect();
    assert_eq!(vpns, [("office", TunnelStatus::Up), ("datacenter", TunnelStatus::Down)]);
    let office = &doc.vpns[0];
    assert_eq!(office.customer_gateway, "198.51.100.1");
    assert_eq!(office.routable_cidrs, ["192.168.10.0/24"]);
    assert_eq!(doc.remote_networks.len(), 2);
}

#[test]
fn aws_outputs_fill_in_the_vpcs() {
    let imported = import_files(&all_fixtures());
    let doc = &imported.document;
    let analytics = vpc(doc, ANALYTICS);
    assert_eq!(analytics.name, "analytics");
    assert_eq!(analytics.region, "us-east-1");
    assert_eq!(analytics.secondary_cidrs, ["10.200.0.0/16"], "a disassociated block is not a block");
    assert_eq!(analytics.main_route_table.as_deref(), Some("rtb-0b2b2b2b2b2b2b2b2"));
    assert_eq!(analytics.public_egress_ip.as_deref(), Some("34.200.10.20"));
    let subnets: Vec<(&str, &str, Option<&str>)> =
        analytics.subnets.iter().map(|s| (s.name.as_str(), s.route_table.as_str(), s.network_acl.as_deref())).collect();
    assert_eq!(
        subnets,
        [
            ("private-a", "rtb-0a1a1a1a1a1a1a1a1", Some("acl-0a1a1a1a1a1a1a1a1")),
            ("private-b", "", Some("acl-0b2b2b2b2b2b2b2b2")),
        ]
    );
    // Routes: the prefix list route is one route per entry; the blackhole is a blackhole.
    let private = &analytics.route_tables[0];
    let targets: Vec<(&str, &str)> =
        private.routes.iter().map(|r| (r.destination.as_str(), r.target.as_str())).collect();
    assert!(targets.contains(&("54.231.0.0/17", "vpce-0a1a1a1a1a1a1a1a1")), "{targets:?}");
    assert!(targets.contains(&("172.16.0.0/12", "tgw-0a1a1a1a1a1a1a1a1")), "{targets:?}");
    assert_eq!(analytics.route_tables[1].routes[1].target, "blackhole");
    // Security group rules: CIDR, sg- and pl- peers; IPv6-only and ICMP rules left out, warned.
    let warehouse = &analytics.security_groups[0];
    let peers: Vec<(&str, &str)> = warehouse.inbound.iter().map(|r| (r.ports.as_str(), r.cidr.as_str())).collect();
    assert_eq!(
        peers,
        [
            ("5432", "10.0.0.0/16"),
            ("5432", "sg-0c3c3c3c3c3c3c3c3"),
            ("22", "198.51.100.0/24"),
            ("443", "pl-0a1a1a1a1a1a1a1a1")
        ]
    );
    assert!(
        !warnings(&imported, |w| matches!(
            w,
            What::Ipv6 { place: spacetrace_import::warnings::Ipv6Place::SecurityGroupRule { only: true }, .. }
        ))
        .is_empty()
    );
    assert_eq!(warnings(&imported, |w| matches!(w, What::Protocol { .. })).len(), 2, "ICMP in a group and an ACL");
    // ACL entries: numbered, both directions, IPv6 and ICMP entries left out.
    let acl = &analytics.network_acls[0];
    let numbers: Vec<u32> = acl.inbound.iter().map(|r| r.number).collect();
    assert_eq!(numbers, [100, 110, 120, 32767]);
    // Hosts: instances (a terminated one left out, a stopped one kept) and the database's
    // interface; ports from the groups.
    let hosts: Vec<(&str, &str, Vec<u16>)> = analytics
        .hosts
        .iter()
        .map(|h| (h.name.as_str(), h.address.as_str(), h.ports.iter().map(|p| p.port).collect()))
        .collect();
    assert_eq!(
        hosts,
        [
            ("warehouse-db", "10.100.1.5", vec![22, 443, 5432]),
            ("batch", "10.100.2.20", vec![5432]),
            ("orders-db", "10.100.2.10", vec![5432])
        ]
    );
    let partner = vpc(doc, PARTNER);
    assert_eq!(partner.hosts[0].name, "etl");
    assert_eq!(doc.prefix_lists.len(), 2);
}

#[test]
fn what_is_not_modelled_is_named_with_its_file_and_path() {
    let imported = import_files(&all_fixtures());
    let find = |f: &dyn Fn(&What) -> bool| {
        imported.warnings.iter().find(|w| f(&w.what)).unwrap_or_else(|| panic!("no such warning"))
    };
    let tgw = find(&|w| matches!(w, What::RouteTarget { thing: Thing::TransitGateway, .. }));
    assert_eq!((tgw.file.as_str(), tgw.path.as_str()), ("route-tables.json", "RouteTables[0].Routes[4]"));
    let endpoint = find(&|w| matches!(w, What::NotModelled { thing: Thing::NetworkInterface { .. }, .. }));
    assert_eq!((endpoint.file.as_str(), endpoint.path.as_str()), ("network-interfaces.json", "NetworkInterfaces[2]"));
    let tgw_object = find(&|w| matches!(w, What::NotModelled { thing: Thing::AwsObject { .. }, .. }));
    assert_eq!((tgw_object.file.as_str(), tgw_object.path.as_str()), ("transit-gateways.json", "TransitGateways[0]"));
    let v6 = find(&|w| matches!(w, What::Ipv6 { place: spacetrace_import::warnings::Ipv6Place::VpcBlock, .. }));
    assert_eq!(v6.path, "Vpcs[0].Ipv6CidrBlockAssociationSet[0]");
    let psk = find(&|w| matches!(w, What::SecretLeftOut { secret: Secret::PreSharedKey }));
    assert_eq!(
        (psk.file.as_str(), psk.path.as_str()),
        ("spaces-vpn-connections.json", "[0].tunnels[0].pre_shared_key")
    );
    let cgc = find(&|w| matches!(w, What::SecretLeftOut { secret: Secret::CustomerGatewayConfiguration }));
    assert_eq!(cgc.path, "VpnConnections[0].CustomerGatewayConfiguration");
    // The fixtures use no field the importer does not know.
    assert!(warnings(&imported, |w| matches!(w, What::UnknownField { .. } | What::WrongType { .. })).is_empty());
}

#[test]
fn secrets_never_reach_the_document() {
    let imported = import_files(&all_fixtures());
    let json = serde_json::to_string(&imported.document).unwrap();
    for secret in [
        "fixture-psk-one-5x9Qz",
        "fixture-psk-two-7Lp3w",
        "fixture-psk-dc-Zq81",
        "fixture-aws-psk-Hk2v9",
        "fixture-aws-tunnel-psk-8RmQ",
        "pre_shared_key",
        "CustomerGatewayConfiguration",
    ] {
        assert!(!json.contains(secret), "{secret} is in the document");
    }
    // Nor do the warnings quote them.
    let warnings = format!("{:?}", imported.warnings);
    assert!(!warnings.contains("fixture-psk") && !warnings.contains("fixture-aws"), "a secret is in a warning");
}

#[test]
fn a_space_peering_is_found_from_the_aws_side_alone() {
    // No spaces:peerings: the peering's requester is the space's own VPC (peering info).
    let files: Vec<(String, String)> = [
        "heroku/spaces-info.json",
        "heroku/spaces-peering-info.json",
        "aws/vpcs.json",
        "aws/vpc-peering-connections.json",
    ]
    .iter()
    .map(|f| fixture(f))
    .collect();
    let doc = import_files(&files).document;
    assert_eq!(doc.peerings.len(), 1);
    assert_eq!((doc.peerings[0].space.as_str(), doc.peerings[0].vpc.as_str()), ("acme-prod", ANALYTICS));
    // And without peering info, by the space's CIDR on an undescribed VPC.
    let files: Vec<(String, String)> = ["heroku/spaces-info.json", "aws/vpcs.json", "aws/vpc-peering-connections.json"]
        .iter()
        .map(|f| fixture(f))
        .collect();
    let doc = import_files(&files).document;
    assert_eq!(doc.peerings.len(), 1);
    assert!(doc.vpcs.iter().all(|v| v.id != SPACE_VPC));
}

#[test]
fn heroku_files_without_spaces_info_get_a_default_space() {
    let files: Vec<(String, String)> =
        ["heroku/spaces-topology.json", "heroku/spaces-trusted-ips.json"].iter().map(|f| fixture(f)).collect();
    let imported = import_files(&files);
    assert_eq!(imported.document.spaces.len(), 1);
    assert_eq!(imported.document.spaces[0].apps.len(), 2);
    assert_eq!(warnings(&imported, |w| matches!(w, What::SpaceCreated { .. })).len(), 1);
    // Apps known only by their topology ID are named from their default domain.
    assert_eq!(imported.document.spaces[0].apps[0].id, "acme-api");
    assert!(warnings(&imported, |w| matches!(w, What::AppNameUnknown { .. })).is_empty());
}
