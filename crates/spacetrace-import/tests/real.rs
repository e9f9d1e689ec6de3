//! The real `aws ec2 describe-…` outputs in `../shared/data/aws/` (published by the Batfish
//! project), read in place: they import with the VPCs, subnets, groups and hosts they describe,
//! and with a warning for each thing Spacetrace does not model. Skipped, with the reason printed,
//! when the shared folder is absent.

mod support;

use spacetrace_engine::check;
use spacetrace_engine::doc::PeeringStatus;
use spacetrace_import::What;
use spacetrace_import::warnings::{Secret, Thing};
use support::*;

#[test]
fn the_hybrid_cloud_network_imports() {
    let Some(dir) = shared_aws_or_skip("the_hybrid_cloud_network_imports") else { return };
    let imported = import_files(&files_in(&dir.join("hybrid-cloud-us-west-2")));
    let doc = &imported.document;
    assert!(doc.spaces.is_empty());

    let vpcs: Vec<(&str, &str, &str, &str)> =
        doc.vpcs.iter().map(|v| (v.id.as_str(), v.name.as_str(), v.primary_cidr.as_str(), v.region.as_str())).collect();
    assert_eq!(
        vpcs,
        [
            ("vpc-00b65e98077106059", "vpc-3", "10.40.0.0/16", "us-west-2"),
            ("vpc-00157b5941bfd4959", "vpc-4", "10.50.0.0/16", "us-west-2"),
        ]
    );
    let vpc3 = &doc.vpcs[0];
    let vpc4 = &doc.vpcs[1];
    let names = |v: &spacetrace_engine::doc::Vpc| v.subnets.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(vpc3), ["sub-3-2", "sub-3-1"]);
    assert_eq!(names(vpc4), ["sub-4-2", "sub-4-1"]);
    // Every subnet uses its VPC's main route table and is associated with the default ACL.
    assert_eq!(vpc3.main_route_table.as_deref(), Some("rtb-068db527ab264f289"));
    assert_eq!(vpc4.main_route_table.as_deref(), Some("rtb-0356ee5428a50e2d6"));
    assert!(doc.vpcs.iter().flat_map(|v| &v.subnets).all(|s| s.route_table.is_empty() && s.network_acl.is_some()));
    assert_eq!(vpc3.route_tables[0].routes.len(), 4);
    assert_eq!(vpc3.network_acls[0].inbound.len(), 2);
    assert_eq!(vpc3.network_acls[0].outbound.len(), 2);

    let groups: Vec<(&str, &str)> =
        doc.vpcs.iter().flat_map(|v| v.security_groups.iter().map(|g| (g.id.as_str(), g.name.as_str()))).collect();
    assert_eq!(groups.len(), 4);
    assert!(groups.contains(&("sg-0fb3aaffe313c6e1e", "launch-wizard-1")));
    // The default group admits its own members.
    let default = vpc3.security_groups.iter().find(|g| g.name == "default").unwrap();
    assert_eq!(default.inbound[0].cidr, "sg-0303bc4d9216ae923");

    let hosts: Vec<(&str, &str, &str, Vec<u16>)> = doc
        .vpcs
        .iter()
        .flat_map(|v| v.hosts.iter())
        .map(|h| (h.id.as_str(), h.address.as_str(), h.subnet.as_str(), h.ports.iter().map(|p| p.port).collect()))
        .collect();
    assert_eq!(
        hosts,
        [
            ("i-02cae6eaa9edeed70", "10.40.2.80", "subnet-06005943afe32f714", vec![22]),
            ("i-0a5d64b8b58c6dd09", "10.50.2.251", "subnet-03acae3b9a534fff9", vec![22]),
        ]
    );

    // What Spacetrace does not model, each named.
    let count = |f: &dyn Fn(&What) -> bool| imported.warnings.iter().filter(|w| f(&w.what)).count();
    assert_eq!(count(&|w| matches!(w, What::RouteTarget { thing: Thing::TransitGateway, .. })), 4);
    assert_eq!(count(&|w| matches!(w, What::NotModelled { thing: Thing::NetworkInterface { .. }, .. })), 2);
    assert_eq!(count(&|w| matches!(w, What::NotModelled { thing: Thing::AwsVpnConnection, .. })), 1);
    assert_eq!(count(&|w| matches!(w, What::NotModelled { thing: Thing::CustomerGateway, .. })), 1);
    assert_eq!(count(&|w| matches!(w, What::NotModelled { thing: Thing::InternetGateway, .. })), 1);
    assert_eq!(count(&|w| matches!(w, What::SecretLeftOut { secret: Secret::CustomerGatewayConfiguration })), 1);
    assert_eq!(count(&|w| matches!(w, What::PublicAddress { .. })), 1);
    assert_eq!(count(&|w| matches!(w, What::PortsInferred { .. })), 2);
    // Real output, and nothing the importer does not know about.
    assert_eq!(
        count(&|w| matches!(w, What::UnknownField { .. } | What::WrongType { .. } | What::MissingField { .. })),
        0
    );
    assert_eq!(imported.warnings.len(), 13, "{:#?}", imported.warnings);

    // The customer gateway configuration's pre-shared keys are nowhere in the document.
    let json = serde_json::to_string(doc).unwrap();
    for secret in
        ["UmubvF4qIEpmr5Cl.rbkXUPj3LBLtIIv", "Rcw.wfJi8tgiOS8WiRS8eVmWvUrrC_Kx", "pre_shared_key", "ipsec_tunnel"]
    {
        assert!(!json.contains(secret), "{secret} is in the document");
    }
    // And the engine takes it without an error.
    let checked = check(doc);
    assert!(checked.errors().next().is_none(), "{:?}", checked.diagnostics);
}

#[test]
fn a_real_vpc_peering_imports_with_both_vpcs() {
    let Some(dir) = shared_aws_or_skip("a_real_vpc_peering_imports_with_both_vpcs") else { return };
    let text = std::fs::read_to_string(dir.join("vpc-peering-connections.json")).unwrap();
    let imported = import_files(&[("vpc-peering-connections.json".into(), text)]);
    let doc = &imported.document;
    assert_eq!(doc.vpc_peerings.len(), 1);
    let p = &doc.vpc_peerings[0];
    assert_eq!((p.id.as_str(), p.vpc.as_str(), p.peer_vpc.as_str()), ("pcx-f754069e", "vpc-07acbc61", "vpc-f6c5c790"));
    assert_eq!(p.status, PeeringStatus::Active);
    // The VPCs are known only from the peering: their blocks, the requester's two of them.
    let requester = doc.vpcs.iter().find(|v| v.id == "vpc-07acbc61").unwrap();
    assert_eq!(
        (requester.primary_cidr.as_str(), requester.secondary_cidrs.as_slice()),
        ("10.130.0.0/16", &["10.131.0.0/16".to_owned()][..])
    );
    let accepter = doc.vpcs.iter().find(|v| v.id == "vpc-f6c5c790").unwrap();
    assert_eq!(accepter.primary_cidr, "10.199.100.0/24");
    assert!(imported.warnings.is_empty(), "{:#?}", imported.warnings);
}

#[test]
fn the_real_files_and_the_heroku_fixtures_import_together() {
    let Some(dir) = shared_aws_or_skip("the_real_files_and_the_heroku_fixtures_import_together") else { return };
    let mut files = files_in(&fixtures().join("heroku"));
    files.extend(files_in(&dir.join("hybrid-cloud-us-west-2")));
    let imported = import_files(&files);
    let checked = check(&imported.document);
    assert!(checked.errors().next().is_none(), "{:?}", checked.diagnostics);
    // The space's peerings name VPCs those files do not describe: made from Heroku's blocks.
    assert_eq!(imported.document.vpcs.len(), 4);
}
