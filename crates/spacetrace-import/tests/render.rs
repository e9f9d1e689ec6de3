//! Every warning, problem and shape has its English, written in one place (`render`).

use spacetrace_engine::doc::PeeringStatus;
use spacetrace_import::warnings::{Effect, Expected, Ipv6Place, Secret, Thing};
use spacetrace_import::{FileProblem, ImportWarning, Problem, Shape, What, render};

fn things() -> Vec<Thing> {
    vec![
        Thing::TransitGateway,
        Thing::VpcEndpoint,
        Thing::VpnGateway,
        Thing::CustomerGateway,
        Thing::AwsVpnConnection,
        Thing::InternetGateway,
        Thing::EgressOnlyInternetGateway,
        Thing::NatGatewayWithoutAddress,
        Thing::LocalGateway,
        Thing::CarrierGateway,
        Thing::CoreNetwork,
        Thing::ApplianceTarget,
        Thing::GatewayAssociation,
        Thing::NetworkInterface { interface_type: "lambda".into() },
        Thing::DetachedInterface,
        Thing::HerokuManagedPeering,
        Thing::TrustedIpDeny,
        Thing::Addon { service: "papertrail".into() },
        Thing::AwsObject { collection: "VpcEndpoints".into() },
    ]
}

fn every_what() -> Vec<What> {
    let s = |x: &str| x.to_owned();
    let mut all = vec![
        What::UnknownField { name: s("Foo") },
        What::WrongType { expected: Expected::Text, found: Expected::Number, effect: Effect::ObjectLeftOut },
        What::MissingField { field: s("VpcId") },
        What::BadValue { value: s("10.0.0.0/99"), effect: Effect::FieldIgnored },
        What::Capped { kept: 5000, total: 5001 },
        What::EmptyOutput,
        What::Paginated,
        What::Duplicate { id: s("vpc-1") },
        What::Protocol { protocol: s("1") },
        What::PrefixListRoute { prefix_list: s("pl-1") },
        What::PublicAddress { host: s("web"), address: s("54.1.2.3") },
        What::ExtraAddresses { host: s("web"), addresses: vec![s("10.0.0.9")] },
        What::DynoAddresses {
            app: s("api"),
            process: s("web"),
            addresses: (1..9).map(|i| format!("10.0.128.{i}")).collect(),
        },
        What::StatusRead { id: s("pcx-1"), status: s("failed"), read_as: PeeringStatus::Deleted },
        What::StatusRead { id: s("pcx-1"), status: s("provisioning"), read_as: PeeringStatus::PendingAcceptance },
        What::StatusConflict { id: s("pcx-1"), heroku: s("active"), aws: s("deleted") },
        What::PeeringVpcMismatch { id: s("pcx-1"), heroku_vpc: s("vpc-1"), aws_vpcs: vec![s("vpc-2"), s("vpc-3")] },
        What::BlackholeRoute { destination: s("10.0.0.0/16"), target: s("pcx-1") },
        What::BlackholeRoute { destination: s("10.0.0.0/16"), target: String::new() },
        What::InstanceState { host: s("db"), state: s("stopped"), kept: true },
        What::InstanceState { host: s("db"), state: s("terminated"), kept: false },
        What::PortsInferred { host: s("db"), ports: vec![s("tcp/5432")] },
        What::NoPorts { host: s("db") },
        What::DynoSubnetsInferred { space: s("prod"), subnets: vec![s("10.0.32.0/20")] },
        What::SpaceGuessed { space: s("prod") },
        What::SpaceCreated { space: s("space") },
        What::SpaceState { space: s("prod"), state: s("allocating") },
        What::VpcWithoutCidr { vpc: s("vpc-1") },
        What::OutsideKnownVpc { id: s("subnet-1"), vpc: s("vpc-1") },
        What::UnknownSubnet { host: s("db"), subnet: s("subnet-1") },
        What::NoRouteTable { vpc: s("vpc-1") },
        What::IdRenamed { from: s("api"), to: s("api-2") },
        What::AppNameUnknown { id: s("6f8e1d2c") },
        What::AppMaintenance { app: s("api") },
        What::VpnStatus { vpn: s("office"), status: s("pending") },
        What::TrustedIpsNotApplied,
        What::OutboundRange { source: s("52.0.0.0/24") },
        What::SeveralNatGateways { vpc: s("vpc-1"), used: s("34.1.1.1") },
        What::PrefixListWithoutEntries { id: s("pl-1") },
        What::WarningsCapped { more: 3 },
    ];
    for place in [
        Ipv6Place::VpcBlock,
        Ipv6Place::SubnetBlock,
        Ipv6Place::SecurityGroupRule { only: true },
        Ipv6Place::SecurityGroupRule { only: false },
        Ipv6Place::AclEntry,
        Ipv6Place::Route,
        Ipv6Place::Address,
        Ipv6Place::PeeringBlock,
    ] {
        all.push(What::Ipv6 { value: s("::/0"), place });
    }
    for secret in [Secret::PreSharedKey, Secret::CustomerGatewayConfiguration, Secret::TunnelPreSharedKey] {
        all.push(What::SecretLeftOut { secret });
    }
    for thing in things() {
        all.push(What::NotModelled { thing: thing.clone(), id: s("x-1") });
        all.push(What::RouteTarget { destination: s("0.0.0.0/0"), target: s("x-1"), thing });
    }
    all
}

/// Adding a kind of warning fails to compile here until it is added to [`every_what`].
fn covered(w: &What) -> usize {
    match w {
        What::UnknownField { .. } => 0,
        What::WrongType { .. } => 1,
        What::MissingField { .. } => 2,
        What::BadValue { .. } => 3,
        What::Capped { .. } => 4,
        What::EmptyOutput => 5,
        What::Paginated => 6,
        What::Duplicate { .. } => 7,
        What::NotModelled { .. } => 8,
        What::Ipv6 { .. } => 9,
        What::Protocol { .. } => 10,
        What::RouteTarget { .. } => 11,
        What::PrefixListRoute { .. } => 12,
        What::SecretLeftOut { .. } => 13,
        What::PublicAddress { .. } => 14,
        What::ExtraAddresses { .. } => 15,
        What::DynoAddresses { .. } => 16,
        What::StatusRead { .. } => 17,
        What::StatusConflict { .. } => 18,
        What::PeeringVpcMismatch { .. } => 19,
        What::BlackholeRoute { .. } => 20,
        What::InstanceState { .. } => 21,
        What::PortsInferred { .. } => 22,
        What::NoPorts { .. } => 23,
        What::DynoSubnetsInferred { .. } => 24,
        What::SpaceGuessed { .. } => 25,
        What::SpaceCreated { .. } => 26,
        What::SpaceState { .. } => 27,
        What::VpcWithoutCidr { .. } => 28,
        What::OutsideKnownVpc { .. } => 29,
        What::UnknownSubnet { .. } => 30,
        What::NoRouteTable { .. } => 31,
        What::IdRenamed { .. } => 32,
        What::AppNameUnknown { .. } => 33,
        What::AppMaintenance { .. } => 34,
        What::VpnStatus { .. } => 35,
        What::TrustedIpsNotApplied => 36,
        What::OutboundRange { .. } => 37,
        What::SeveralNatGateways { .. } => 38,
        What::PrefixListWithoutEntries { .. } => 39,
        What::WarningsCapped { .. } => 40,
    }
}

#[test]
fn every_warning_is_a_sentence() {
    let all = every_what();
    let mut kinds: Vec<usize> = all.iter().map(covered).collect();
    kinds.sort();
    kinds.dedup();
    assert_eq!(kinds.len(), 41, "a kind of warning is not exercised");
    for w in &all {
        let text = render::what(w);
        assert!(text.ends_with('.'), "{text}");
        assert!(
            text.chars().next().is_some_and(|c| c.is_uppercase() || c == '\u{201c}' || c.is_ascii_digit()),
            "{text}"
        );
        assert!(!text.contains("{") && !text.contains("  "), "{text}");
    }
    // Long lists are cut in a warning too.
    let dynos = render::what(&all[12]);
    assert!(dynos.contains("and 3 more"), "{dynos}");
}

#[test]
fn warnings_name_their_file_and_path() {
    let w = ImportWarning {
        file: "sg.json".into(),
        path: "SecurityGroups[0].IpPermissions[3]".into(),
        what: What::Protocol { protocol: "icmp".into() },
    };
    assert_eq!(
        render::warning(&w),
        "\u{201c}sg.json\u{201d}, SecurityGroups[0].IpPermissions[3]: This rule is for protocol ICMP; Spacetrace answers for TCP and UDP, so it is left out."
    );
}

#[test]
fn every_problem_is_a_sentence() {
    let problems = [
        Problem::NotJson { message: "expected value".into(), line: 1, column: 1 },
        Problem::TooLarge { bytes: 40 << 20, max: 32 << 20 },
        Problem::NotRecognised { shape: Shape::Object { keys: vec!["a".into()], more: 3 } },
        Problem::NotRecognised { shape: Shape::Object { keys: vec![], more: 0 } },
        Problem::NotRecognised { shape: Shape::List { len: 0, first: None } },
        Problem::NotRecognised { shape: Shape::Null },
        Problem::Scenario,
        Problem::TooManyFiles { count: 201, max: 200 },
        Problem::NoFiles,
    ];
    for p in problems {
        let text = render::file_problem(&FileProblem { file: "f.json".into(), problem: p });
        assert!(
            text.starts_with("\u{201c}f.json\u{201d}: It")
                || text.contains(": No file")
                || text.contains("files were given"),
            "{text}"
        );
        assert!(text.ends_with('.'), "{text}");
    }
    assert_eq!(
        render::shape(&Shape::Object { keys: vec!["a".into()], more: 3 }),
        "a JSON object with the keys \u{201c}a\u{201d} and 3 more"
    );
    assert_eq!(
        render::problem(&Problem::TooLarge { bytes: 40 << 20, max: 32 << 20 }),
        "It is 40.0 MiB long; Spacetrace imports files of up to 32.0 MiB."
    );
}
