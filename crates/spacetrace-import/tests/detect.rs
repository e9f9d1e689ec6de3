//! Every supported output is recognised from its shape; scenarios are recognised as such; other
//! files get a clear description of what they look like.

mod support;

use spacetrace_import::{AwsOutput, HerokuOutput, Kind, Problem, Shape, detect, render};
use support::*;

#[test]
fn every_heroku_fixture_is_recognised() {
    let expected = [
        ("apps-info.json", HerokuOutput::AppInfo),
        ("spaces-info.json", HerokuOutput::SpaceInfo),
        ("spaces-peering-info.json", HerokuOutput::PeeringInfo),
        ("spaces-peerings.json", HerokuOutput::Peerings),
        ("spaces-topology.json", HerokuOutput::Topology),
        ("spaces-trusted-ips.json", HerokuOutput::TrustedIps),
        ("spaces-vpn-connections.json", HerokuOutput::VpnConnections),
        ("spaces-vpn-info.json", HerokuOutput::VpnInfo),
    ];
    let files = files_in(&fixtures().join("heroku"));
    assert_eq!(files.len(), expected.len(), "a fixture without an expectation");
    for (name, output) in expected {
        let (_, text) = fixture(&format!("heroku/{name}"));
        assert_eq!(detect(&text), Ok(Kind::Heroku(output)), "{name}");
    }
}

#[test]
fn every_aws_fixture_is_recognised() {
    let expected = [
        ("customer-gateways.json", AwsOutput::CustomerGateways),
        ("instances.json", AwsOutput::Reservations),
        ("internet-gateways.json", AwsOutput::InternetGateways),
        ("nat-gateways.json", AwsOutput::NatGateways),
        ("network-acls.json", AwsOutput::NetworkAcls),
        ("network-interfaces.json", AwsOutput::NetworkInterfaces),
        ("prefix-lists.json", AwsOutput::PrefixLists),
        ("route-tables.json", AwsOutput::RouteTables),
        ("security-groups.json", AwsOutput::SecurityGroups),
        ("subnets.json", AwsOutput::Subnets),
        ("transit-gateways.json", AwsOutput::NotModelled("TransitGateways".into())),
        ("vpc-peering-connections.json", AwsOutput::VpcPeeringConnections),
        ("vpcs.json", AwsOutput::Vpcs),
        ("vpn-connections.json", AwsOutput::VpnConnections),
    ];
    let files = files_in(&fixtures().join("aws"));
    assert_eq!(files.len(), expected.len(), "a fixture without an expectation");
    for (name, output) in expected {
        let (_, text) = fixture(&format!("aws/{name}"));
        assert_eq!(detect(&text), Ok(Kind::Aws(vec![output])), "{name}");
    }
}

#[test]
fn the_real_aws_files_are_recognised() {
    let Some(dir) = shared_aws_or_skip("the_real_aws_files_are_recognised") else { return };
    for (name, text) in files_in(&dir.join("hybrid-cloud-us-west-2")) {
        let kind = detect(&text).unwrap_or_else(|p| panic!("{name}: {}", render::problem(&p)));
        let Kind::Aws(sections) = kind else { panic!("{name}: {kind:?}") };
        assert_eq!(sections.len(), 1, "{name}");
        assert_eq!(format!("{}.json", sections[0].key()), name);
    }
    let text = std::fs::read_to_string(dir.join("vpc-peering-connections.json")).unwrap();
    assert_eq!(detect(&text), Ok(Kind::Aws(vec![AwsOutput::VpcPeeringConnections])));
}

#[test]
fn every_example_scenario_is_recognised_as_a_scenario() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    let files = files_in(&dir);
    assert!(!files.is_empty());
    for (name, text) in files {
        assert_eq!(detect(&text), Ok(Kind::Scenario), "{name}");
    }
    assert_eq!(detect(r#"{"version": 2, "name": "Empty"}"#), Ok(Kind::Scenario));
}

#[test]
fn a_scenario_is_refused_by_import_so_the_app_can_open_it() {
    let (_, space) = fixture("heroku/spaces-info.json");
    let scenario =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/default.json"))
            .unwrap();
    let inputs = [
        spacetrace_import::Input { name: "space.json", text: &space },
        spacetrace_import::Input { name: "default.json", text: &scenario },
    ];
    let e = spacetrace_import::import(&inputs).unwrap_err();
    assert_eq!(e.problems.len(), 1);
    assert_eq!(e.problems[0].file, "default.json");
    assert_eq!(e.problems[0].problem, Problem::Scenario);
    assert!(e.is_only_scenarios());
    assert_eq!(
        render::file_problem(&e.problems[0]),
        "\u{201c}default.json\u{201d}: It is a Spacetrace scenario already: open it rather than import it."
    );
}

#[test]
fn other_files_are_described() {
    let e = detect(r#"{"Reservation": [], "Owner": "me"}"#).unwrap_err();
    let Problem::NotRecognised { shape } = &e else { panic!("{e:?}") };
    // Keys in the order serde_json keeps them (sorted).
    assert_eq!(shape, &Shape::Object { keys: vec!["Owner".into(), "Reservation".into()], more: 0 });
    let text = render::problem(&e);
    assert!(
        text.starts_with(
            "It is not an output Spacetrace imports: it is a JSON object with the keys \u{201c}Owner\u{201d}, \u{201c}Reservation\u{201d}."
        ),
        "{text}"
    );
    assert!(text.contains("aws ec2 describe-vpcs"), "{text}");

    let e = detect("[1, 2, 3]").unwrap_err();
    assert!(render::problem(&e).contains("it is a list of 3 items, the first a number"), "{}", render::problem(&e));

    let e = detect("{ \"Vpcs\": [").unwrap_err();
    let Problem::NotJson { line, .. } = e else { panic!("{e:?}") };
    assert_eq!(line, 1);
    assert!(
        render::problem(&detect("hello").unwrap_err())
            .starts_with("It is not JSON: expected value (line 1, column 1).")
    );
}

#[test]
fn empty_lists_import_with_a_warning() {
    let imported = import_files(&[("peerings.json".into(), "[]".into())]);
    assert_eq!(imported.files[0].1, Kind::EmptyList);
    assert_eq!(imported.warnings.len(), 1);
    assert_eq!(
        render::warning(&imported.warnings[0]),
        "\u{201c}peerings.json\u{201d}: The file is an empty list: there is nothing to import from it."
    );
}
