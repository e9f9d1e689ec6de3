//! Every collection a document can grow is capped before work starts (`limits::LIMITS`), and dyno
//! addresses never run past the space's dyno subnets: no document, however made, makes the
//! checker, the evaluation or the matrix run away. Timings are printed by `cargo xtask bench`,
//! never asserted here.

use serde_json::{Value, json};
use spacetrace_engine::diagnostics::DiagnosticKind;
use spacetrace_engine::doc::{self, Protocol};
use spacetrace_engine::limits::{Collection, LIMITS};
use spacetrace_engine::matrix::Matrix;
use spacetrace_engine::{Query, RuleId, Verdict, check, evaluate, parse_document};

/// A document with one of everything that holds a capped list.
fn base() -> Value {
    json!({
        "version": 2,
        "external_services": [{ "id": "svc", "hostname": "svc.example", "ports": [], "allowlist": [] }],
        "common_runtime_apps": [{ "id": "cr", "process_types": [{ "name": "web", "dynos": 1, "ports": [] }] }],
        "spaces": [{ "id": "s", "cidr": "10.0.0.0/16", "outbound_ips": [], "trusted_ip_ranges": [],
            "dyno_subnets": ["10.0.128.0/20"], "unavailable_cidrs": [], "apps": [], "addons": [] }],
        "vpcs": [{ "id": "v", "primary_cidr": "10.100.0.0/16", "secondary_cidrs": [],
            "route_tables": [{ "id": "rtb", "routes": [] }],
            "security_groups": [{ "id": "sg", "inbound": [], "outbound": [] }],
            "network_acls": [{ "id": "acl", "inbound": [], "outbound": [] }],
            "subnets": [], "hosts": [{ "id": "h", "address": "10.100.1.5", "security_groups": [], "ports": [] }] }],
        "prefix_lists": [{ "id": "pl-1", "entries": [] }],
        "remote_networks": [{ "id": "r", "cidrs": [], "hosts": [{ "id": "rh", "address": "192.168.0.5", "ports": [] }],
            "firewall": { "inbound": [] } }],
        "vpns": [{ "id": "vpn", "space": "s", "remote_network": "r", "routable_cidrs": [] }],
        "questions": [{ "id": "q", "from": { "dyno": { "app": "cr", "process": "web" } }, "to": { "host": "h" },
            "port": 443, "expect": { "verdict": "blocked", "rules": [] } }]
    })
}

/// Where each capped list is in [`base`], and one element of it (`{i}` becomes the position).
fn where_is(c: Collection) -> (&'static str, Value) {
    use Collection as C;
    let port = json!({ "port": 1 });
    let cidr = json!("10.{i}.0.0/16");
    match c {
        C::AppsPerSpace => ("/spaces/0/apps", json!({ "id": "a{i}", "process_types": [] })),
        C::AddonsPerSpace => ("/spaces/0/addons", json!({ "id": "x{i}", "kind": "postgres" })),
        C::OutboundIps => ("/spaces/0/outbound_ips", json!("52.0.0.{i}")),
        C::TrustedIpRanges => ("/spaces/0/trusted_ip_ranges", json!("52.{i}.0.0/16")),
        C::DynoSubnets => ("/spaces/0/dyno_subnets", json!("10.0.{i}.0/24")),
        C::UnavailableCidrs => ("/spaces/0/unavailable_cidrs", cidr),
        C::ProcessTypesPerApp => ("/common_runtime_apps/0/process_types", json!({ "name": "p{i}", "dynos": 0 })),
        C::Ports => ("/vpcs/0/hosts/0/ports", port),
        C::Allowlist => ("/external_services/0/allowlist", json!("52.{i}.0.0/16")),
        C::SecondaryCidrs => ("/vpcs/0/secondary_cidrs", json!("100.{i}.0.0/16")),
        C::RouteTablesPerVpc => ("/vpcs/0/route_tables", json!({ "id": "rt{i}", "routes": [] })),
        C::Routes => ("/vpcs/0/route_tables/0/routes", json!({ "destination": "10.{i}.0.0/16", "target": "local" })),
        C::SecurityGroupsPerVpc => ("/vpcs/0/security_groups", json!({ "id": "g{i}", "inbound": [] })),
        C::SecurityGroupRules => {
            ("/vpcs/0/security_groups/0/inbound", json!({ "protocol": "tcp", "ports": "1", "cidr": "10.{i}.0.0/16" }))
        }
        C::NetworkAclsPerVpc => ("/vpcs/0/network_acls", json!({ "id": "n{i}", "inbound": [], "outbound": [] })),
        C::NetworkAclRules => (
            "/vpcs/0/network_acls/0/inbound",
            json!({ "number": "{i}", "protocol": "tcp", "ports": "1", "cidr": "0.0.0.0/0", "action": "allow" }),
        ),
        C::SubnetsPerVpc => ("/vpcs/0/subnets", json!({ "id": "sn{i}", "cidr": "10.100.0.0/24" })),
        C::HostsPerVpc => ("/vpcs/0/hosts", json!({ "id": "h{i}", "address": "10.100.2.1" })),
        C::SecurityGroupsPerHost => ("/vpcs/0/hosts/0/security_groups", json!("sg")),
        C::PrefixListEntries => ("/prefix_lists/0/entries", cidr),
        C::RemoteCidrs => ("/remote_networks/0/cidrs", json!("192.{i}.0.0/16")),
        C::RemoteHosts => ("/remote_networks/0/hosts", json!({ "id": "rh{i}", "address": "192.168.0.9" })),
        C::FirewallRules => {
            ("/remote_networks/0/firewall/inbound", json!({ "protocol": "tcp", "ports": "1", "cidr": "10.0.0.0/8" }))
        }
        C::RoutableCidrs => ("/vpns/0/routable_cidrs", json!("192.{i}.0.0/16")),
        C::ExpectedRules => ("/questions/0/expect/rules", json!("PEER-ROUTE")),
    }
}

/// `element` with `{i}` replaced by `i` (numbers stay numbers).
fn nth(element: &Value, i: usize) -> Value {
    let text = element.to_string().replace("\"{i}\"", &i.to_string()).replace("{i}", &(i % 250).to_string());
    serde_json::from_str(&text).unwrap()
}

#[test]
fn every_capped_list_keeps_its_first_elements_and_says_so() {
    for &(c, max) in LIMITS {
        let (pointer, element) = where_is(c);
        let mut v = base();
        let list = v.pointer_mut(pointer).unwrap_or_else(|| panic!("{c:?}: no {pointer}")).as_array_mut().unwrap();
        list.clear();
        list.extend((1..=max + 1).map(|i| nth(&element, i)));
        let d = parse_document(&v.to_string()).unwrap();
        let checked = check(&d);
        let cuts: Vec<_> = checked
            .diagnostics
            .iter()
            .filter_map(|d| match d.kind {
                DiagnosticKind::TooManyIn { what, count, max } => Some((what, count, max, d.location.clone())),
                _ => None,
            })
            .collect();
        assert_eq!(cuts.len(), 1, "{c:?}: {cuts:?}");
        let (what, count, m, location) = &cuts[0];
        assert_eq!((*what, *count, *m), (c, max + 1, max), "{c:?}");
        let field = location.as_ref().map(|l| l.field.clone()).unwrap_or_default();
        assert!(pointer.ends_with(&field.replace('.', "/")), "{c:?}: located at {field}, the list is {pointer}");

        // One fewer is not cut.
        let list = v.pointer_mut(pointer).unwrap().as_array_mut().unwrap();
        list.pop();
        let checked = check(&parse_document(&v.to_string()).unwrap());
        assert!(
            !checked.diagnostics.iter().any(|d| matches!(d.kind, DiagnosticKind::TooManyIn { .. })),
            "{c:?} cut at its cap"
        );
    }
}

#[test]
fn the_format_documentation_lists_every_cap() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/scenario-format.md")).unwrap();
    let table = text.split("| list | at most |").nth(1).expect("the table of caps");
    let rows: Vec<&str> = table.lines().skip(2).take_while(|l| l.starts_with('|')).collect();
    assert_eq!(rows.len(), LIMITS.len(), "{rows:#?}");
    for (row, (c, max)) in rows.iter().zip(LIMITS) {
        let figure = max.to_string();
        let with_commas = if figure.len() > 3 {
            format!("{},{}", &figure[..figure.len() - 3], &figure[figure.len() - 3..])
        } else {
            figure
        };
        assert!(row.ends_with(&format!("| {with_commas} |")), "{c:?}: {row}");
    }
}

/// A space whose formations run more dynos than its dyno subnets hold: the dynos that fit get
/// addresses inside the subnets (never the last one, which AWS keeps), the ones past it none, a
/// warning says so, and a question from such a dyno is blocked by a recorded step.
#[test]
fn dyno_addresses_never_leave_the_dyno_subnets() {
    let apps: Vec<Value> =
        (0..65).map(|i| json!({ "id": format!("a{i}"), "process_types": [{ "name": "web", "dynos": 64 }] })).collect();
    let d = parse_document(
        &json!({
            "version": 2,
            "spaces": [{ "id": "s", "cidr": "10.0.0.0/16", "dyno_subnets": ["10.0.128.0/20"], "apps": apps }],
            "vpcs": [{ "id": "v", "primary_cidr": "10.100.0.0/16",
                "subnets": [{ "id": "sn", "cidr": "10.100.1.0/24" }],
                "hosts": [{ "id": "h", "subnet": "sn", "address": "10.100.1.5", "ports": [{ "port": 443 }] }] }],
            "peerings": [{ "id": "pcx", "space": "s", "vpc": "v", "status": "active" }]
        })
        .to_string(),
    )
    .unwrap();
    let checked = check(&d);
    let full: Vec<_> =
        checked.diagnostics.iter().filter(|d| matches!(d.kind, DiagnosticKind::DynoSubnetsFull { .. })).collect();
    assert_eq!(full.len(), 1, "{:#?}", checked.diagnostics);
    assert!(matches!(&full[0].kind, DiagnosticKind::DynoSubnetsFull { capacity: 4091, app, .. } if app == "a63"));
    let subnet: ipnet::Ipv4Net = "10.0.128.0/20".parse().unwrap();
    let mut addressed = 0;
    for app in &checked.model.apps {
        for p in &app.processes {
            for a in &p.dyno_addresses {
                assert!(subnet.contains(a) && *a != subnet.broadcast(), "{a} is outside {subnet}");
                addressed += 1;
            }
        }
    }
    assert_eq!(addressed, 4091);
    // The 65th app's dynos have no address: asked from, the answer is blocked, by a step.
    let q = Query::from_doc(
        &checked.model,
        &doc::From::Dyno { app: "a64".into(), process: "web".into() },
        &doc::To::Host("h".into()),
        Protocol::Tcp,
        443,
    )
    .unwrap();
    let t = evaluate(&checked.model, &q);
    assert_eq!(t.verdict, Verdict::Blocked);
    assert_eq!(t.blocking_step().map(|s| s.rule), Some(RuleId::PsCidrs));
}

/// The large case the fuzzer found: 130 apps of 64 dynos in one space outgrow two /20s.
#[test]
fn a_space_of_more_dynos_than_two_slash_twenties_hold_stays_inside_them() {
    let apps: Vec<Value> =
        (0..130).map(|i| json!({ "id": format!("a{i}"), "process_types": [{ "name": "web", "dynos": 64 }] })).collect();
    let d = parse_document(&json!({ "version": 2, "spaces": [{ "id": "s", "apps": apps }] }).to_string()).unwrap();
    let checked = check(&d);
    let space = &checked.model.spaces[0];
    for app in &checked.model.apps {
        for p in &app.processes {
            for a in &p.dyno_addresses {
                assert!(space.dyno_subnets.iter().any(|s| s.contains(a) && *a != s.broadcast()), "{a} is outside");
            }
        }
    }
    assert!(checked.diagnostics.iter().any(|d| matches!(d.kind, DiagnosticKind::DynoSubnetsFull { .. })));
}

/// A network ACL of thousands of rules over spread ports (the quadratic reply check's worst
/// case) is cut to its cap, and every pair of the matrix is answered.
#[test]
fn a_network_acl_of_thousands_of_rules_is_cut_to_its_cap_and_answered() {
    let rules: Vec<Value> = (1..=5_000)
        .map(|i| {
            let lo = 1024 + (i * 13) % 64_000;
            json!({ "number": i, "protocol": "tcp", "ports": format!("{lo}-{}", lo + 3), "cidr": "10.0.0.0/16",
                "action": if i % 2 == 0 { "allow" } else { "deny" } })
        })
        .collect();
    let d = parse_document(
        &json!({
            "version": 2,
            "spaces": [{ "id": "s", "apps": [{ "id": "api", "process_types": [{ "name": "web", "dynos": 1 }] }] }],
            "vpcs": [{ "id": "v", "primary_cidr": "10.100.0.0/16",
                "route_tables": [{ "id": "rtb", "routes": [{ "destination": "10.0.0.0/16", "target": "pcx" }] }],
                "network_acls": [{ "id": "acl", "inbound": rules, "outbound": rules }],
                "subnets": [{ "id": "sn", "cidr": "10.100.1.0/24", "route_table": "rtb", "network_acl": "acl" }],
                "hosts": [{ "id": "h", "subnet": "sn", "address": "10.100.1.5", "ports": [{ "port": 5432 }] }] }],
            "peerings": [{ "id": "pcx", "space": "s", "vpc": "v", "status": "active" }]
        })
        .to_string(),
    )
    .unwrap();
    let checked = check(&d);
    let acl = &checked.model.vpcs[0].network_acls[0];
    let max = Collection::NetworkAclRules.max();
    assert_eq!((acl.inbound.len(), acl.outbound.len()), (max, max));
    let m = Matrix::new(&checked.model);
    assert!(!m.sources.is_empty() && !m.services.is_empty());
}
