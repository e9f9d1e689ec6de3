//! A suggested fix keeps its promise (issue 10, item 9): applied, it moves its question forward
//! (the question connects, or blocks at a later hop or step) and the check adds no configuration
//! error; where no single change connects, the answer says so. One test per way a fuzzer of
//! apply-then-ask once found it broken, and every fix of every example scenario. The property
//! over generated documents is `suggested_fixes_keep_their_promise` in `tests/properties.rs`.
//! ACL rule numbers have their own file, `tests/acl_numbers.rs`.

mod support {
    pub mod promise;
}

use std::path::PathBuf;

use serde_json::{Value, json};
use spacetrace_engine::apply::apply;
use spacetrace_engine::doc::Document;
use spacetrace_engine::matrix::Matrix;
use spacetrace_engine::trace::{Fix, Workaround};
use spacetrace_engine::{Checked, Query, Trace, Verdict, check, evaluate, parse_document, policy, render};
use support::promise::{fix_problems, question_problems};

fn scenario(name: &str) -> Document {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../scenarios/{name}.json"));
    parse_document(&std::fs::read_to_string(path).expect("the scenario")).expect("a document")
}

fn doc(v: Value) -> Document {
    serde_json::from_value(v).expect("a document")
}

/// Ask one question of a document: the check, the question and the answer.
fn ask(d: &Document, from: Value, to: Value, port: u16) -> (Checked, Query, Trace) {
    let checked = check(d);
    let from = serde_json::from_value(from).expect("a source");
    let to = serde_json::from_value(to).expect("a destination");
    let q = Query::from_doc(&checked.model, &from, &to, spacetrace_engine::doc::Protocol::Tcp, port).expect("askable");
    let t = evaluate(&checked.model, &q);
    (checked, q, t)
}

fn fixes(t: &Trace) -> Vec<Fix> {
    t.suggestions.iter().map(|s| s.fix.clone()).collect()
}

/// Every fix of the answer keeps its promise.
fn keeps_promises(d: &Document, checked: &Checked, q: &Query) {
    let problems = question_problems(d, checked, q);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The answer after applying `fix`.
fn ask_after(d: &Document, fix: &Fix, from: Value, to: Value, port: u16) -> (Document, Trace) {
    let changed = apply(d, fix).expect("the fix applies");
    let (_, _, t) = ask(&changed, from, to, port);
    (changed, t)
}

fn dyno(app: &str, process: &str) -> Value {
    json!({ "dyno": { "app": app, "process": process } })
}

/// A Cedar space `s` (10.0.0.0/16; `api` with web and an unscaled worker listening on 9000)
/// peered with VPC `v` (10.100.0.0/16) whose host `db` (security group open, Postgres) sits in a
/// subnet with route table `rtb`, given `routes`.
fn peered(routes: Value) -> Value {
    json!({
        "version": 2,
        "spaces": [{
            "id": "s", "outbound_ips": ["52.1.2.3"],
            "apps": [{ "id": "api", "process_types": [
                { "name": "web", "dynos": 1 },
                { "name": "worker", "dynos": 0, "ports": [{ "port": 9000 }] }
            ] }]
        }],
        "vpcs": [{
            "id": "v", "primary_cidr": "10.100.0.0/16", "public_egress_ip": "3.3.3.3",
            "route_tables": [{ "id": "rtb", "routes": routes }],
            "security_groups": [{
                "id": "sg",
                "inbound": [{ "protocol": "all", "ports": "all", "cidr": "10.0.0.0/16" }],
                "outbound": [{ "protocol": "all", "ports": "all", "cidr": "0.0.0.0/0" }]
            }],
            "subnets": [{ "id": "sn", "cidr": "10.100.1.0/24", "route_table": "rtb" }],
            "hosts": [{ "id": "db", "subnet": "sn", "address": "10.100.1.5", "security_groups": ["sg"], "ports": [{ "port": 5432 }] }]
        }],
        "peerings": [{ "id": "pcx", "space": "s", "vpc": "v", "status": "active" }]
    })
}

// ----- every example ------------------------------------------------------------------------------

/// Every saved question and every pair of the matrix of every example scenario: each suggested
/// configuration change keeps its promise, and a blocked answer always suggests something.
#[test]
fn every_fix_of_every_example_keeps_its_promise() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the scenarios directory")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 9, "the examples in {}", dir.display());
    let (mut problems, mut tried) = (Vec::new(), 0);
    for path in files {
        let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
        let d = parse_document(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let checked = check(&d);
        let m = Matrix::new(&checked.model);
        let saved = checked.questions.iter().filter_map(|q| q.query.map(|query| (q.id.clone(), query)));
        let cells = (0..m.sources.len())
            .flat_map(|r| (0..m.services.len()).map(move |c| (r, c)))
            .filter_map(|(r, c)| m.query(r, c).map(|q| (format!("cell {r},{c}"), q)));
        for (label, q) in saved.chain(cells) {
            tried +=
                evaluate(&checked.model, &q).suggestions.iter().filter(|s| s.fix.is_configuration_change()).count();
            problems
                .extend(question_problems(&d, &checked, &q).into_iter().map(|p| format!("{name}.json, {label}: {p}")));
        }
    }
    assert!(tried > 100, "only {tried} fixes tried");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// ----- one test per way the promise was broken ------------------------------------------------------

/// An added route once lost to an existing route for the same or a more specific destination, so
/// the same block came back: now the deciding route is pointed at the peering.
#[test]
fn a_route_fix_wins_by_longest_prefix() {
    for routes in [
        json!([{ "destination": "10.0.0.0/16", "target": "igw-1" }]),
        json!([{ "destination": "10.0.0.0/16", "target": "pcx" }, { "destination": "10.0.128.0/20", "target": "blackhole" }]),
    ] {
        let d = doc(peered(routes));
        let (checked, q, t) = ask(&d, dyno("api", "web"), json!({ "host": "db" }), 5432);
        assert_eq!(t.verdict, Verdict::Blocked);
        assert!(matches!(fixes(&t)[..], [Fix::ReplaceRoute { .. }]), "{:?}", fixes(&t));
        keeps_promises(&d, &checked, &q);
    }
}

/// A space with two outbound IPs once got two fixes, "add 52.50.1.1/32" and "add 52.50.1.2/32",
/// neither of which connects alone (every outbound IP must be admitted): now one fix admits them
/// all, and applied, it connects.
#[test]
fn a_space_with_several_outbound_ips_gets_one_fix_admitting_them_all() {
    let d = scenario("vpn");
    let (checked, q, t) = ask(&d, dyno("mes", "worker"), json!({ "hostname": "mes" }), 443);
    assert_eq!(t.blocking_step().map(|s| s.rule.as_str()), Some("TIP-FILTER"));
    let both = vec!["52.50.1.1/32".parse().unwrap(), "52.50.1.2/32".parse().unwrap()];
    assert_eq!(fixes(&t), vec![Fix::AddTrustedRanges { space: "factory".into(), cidrs: both }]);
    assert_eq!(
        render::fix_in(&checked.model, &t.suggestions[0].fix),
        "Add 52.50.1.1/32 and 52.50.1.2/32 to the trusted IP ranges of factory-prod."
    );
    let (_, after) = ask_after(&d, &t.suggestions[0].fix, dyno("mes", "worker"), json!({ "hostname": "mes" }), 443);
    assert_eq!(after.verdict, Verdict::Connected, "{}", render::trace(&checked.model, &after));
    keeps_promises(&d, &checked, &q);
}

/// A space that keeps the default trusted range (0.0.0.0/0), which admits no IPv6 outbound IP:
/// adding the missing range keeps the default listed, so the IPv4 one stays admitted.
#[test]
fn trusting_a_range_keeps_the_default_it_replaces() {
    let d = doc(json!({
        "version": 2,
        "spaces": [
            { "id": "a", "outbound_ips": ["52.1.2.3", "2001:db8::1"], "apps": [{ "id": "src", "process_types": [{ "name": "web", "dynos": 1 }] }] },
            { "id": "b", "cidr": "10.2.0.0/16", "outbound_ips": ["52.9.9.9"], "apps": [{ "id": "dst", "process_types": [{ "name": "web", "dynos": 1 }] }] }
        ]
    }));
    let (checked, q, t) = ask(&d, dyno("src", "web"), json!({ "hostname": "dst" }), 443);
    assert_eq!(t.blocking_step().map(|s| s.rule.as_str()), Some("TIP-FILTER"));
    keeps_promises(&d, &checked, &q);
    let changed = apply(&d, &t.suggestions[0].fix).unwrap();
    assert_eq!(changed.spaces[1].trusted_ip_ranges, Some(vec!["0.0.0.0/0".to_owned(), "2001:db8::1/128".to_owned()]));
}

/// "Scale the process" once scaled the first app with that ID anywhere in the document, even one
/// the checker left out: now apply changes the very app the checked model holds, and no other.
#[test]
fn a_fix_changes_the_app_the_checker_holds_and_no_other() {
    let app = |dynos: u32| json!({ "id": "api", "name": "api", "process_types": [{ "name": "web", "dynos": dynos }] });
    // A Common Runtime app and a space app share the ID: the checker reads spaces first and keeps
    // the space's.
    let d = doc(json!({
        "version": 2,
        "internet_clients": [{ "id": "anyone", "cidr": "0.0.0.0/0" }],
        "common_runtime_apps": [app(0)],
        "spaces": [{ "id": "s", "outbound_ips": ["52.1.2.3"], "apps": [app(0)] }]
    }));
    let (checked, q, t) = ask(&d, json!({ "client": "anyone" }), json!({ "hostname": "api" }), 443);
    assert!(checked.model.app(checked.model.find_app("api").unwrap()).space.is_some());
    let scale = Fix::ScaleProcess { app: "api".into(), process: "web".into(), dynos: 1 };
    assert_eq!(fixes(&t), vec![scale.clone()]);
    let changed = apply(&d, &scale).unwrap();
    assert_eq!(changed.common_runtime_apps, d.common_runtime_apps, "the app the checker left out is untouched");
    assert_eq!(changed.spaces[0].apps[0].process_types[0].dynos, 1);
    keeps_promises(&d, &checked, &q);

    // The first space's ID is an internet client's, so the checker leaves that space out with its
    // apps; the second space's `api` is the one it holds.
    let d = doc(json!({
        "version": 2,
        "internet_clients": [{ "id": "s", "cidr": "0.0.0.0/0" }],
        "spaces": [
            { "id": "s", "outbound_ips": ["52.1.2.3"], "apps": [app(0)] },
            { "id": "t", "cidr": "10.2.0.0/16", "outbound_ips": ["52.1.2.4"], "apps": [app(0)] }
        ]
    }));
    let (checked, q, t) = ask(&d, json!({ "client": "s" }), json!({ "hostname": "api" }), 443);
    assert_eq!(fixes(&t), vec![scale.clone()]);
    let changed = apply(&d, &scale).unwrap();
    assert_eq!(changed.spaces[0], d.spaces[0], "the space the checker left out is untouched");
    assert_eq!(changed.spaces[1].apps[0].process_types[0].dynos, 1);
    keeps_promises(&d, &checked, &q);
}

/// A 21st trusted range was once suggested, which the platform refuses (TIP-LIMIT): now the
/// suggestion is vetted as the gesture is, and the answer says that no single change connects.
#[test]
fn no_trusted_range_past_the_limit_is_suggested() {
    let with = |listed: usize, outbound: Value| {
        let ranges: Vec<String> = (0..listed).map(|i| format!("192.0.2.{i}/32")).collect();
        doc(json!({
            "version": 2,
            "spaces": [
                { "id": "a", "outbound_ips": outbound, "apps": [{ "id": "src", "process_types": [{ "name": "web", "dynos": 1 }] }] },
                { "id": "b", "name": "shop", "cidr": "10.2.0.0/16", "trusted_ip_ranges": ranges, "outbound_ips": ["52.9.9.9"],
                  "apps": [{ "id": "dst", "process_types": [{ "name": "web", "dynos": 1 }] }] }
            ]
        }))
    };
    let one = json!(["52.1.2.3"]);
    let two = json!(["52.1.2.3", "52.1.2.4"]);
    // Room for one more: suggested, and applied it connects with no error.
    let d = with(19, one.clone());
    let (checked, q, t) = ask(&d, dyno("src", "web"), json!({ "hostname": "dst" }), 443);
    assert!(matches!(&fixes(&t)[..], [Fix::AddTrustedRanges { cidrs, .. }] if cidrs.len() == 1));
    assert!(policy::can_set_trusted_ranges(&d, "b", 20).is_ok());
    keeps_promises(&d, &checked, &q);
    // No room for two, nor for one past twenty.
    for (listed, outbound) in [(19, two), (20, one)] {
        let d = with(listed, outbound);
        let (checked, q, t) = ask(&d, dyno("src", "web"), json!({ "hostname": "dst" }), 443);
        assert!(
            matches!(&fixes(&t)[..], [Fix::NoConfiguration { workaround: Some(Workaround::FreeTrustedRanges { listed: l, max: 20, .. }) }] if *l == listed),
            "{:?}",
            fixes(&t)
        );
        assert!(policy::can_set_trusted_ranges(&d, "b", 21).is_err());
        let said = render::fix_in(&checked.model, &t.suggestions[0].fix);
        assert!(
            said == if listed == 20 {
                "No trusted IP range can be added to shop, which already lists the 20 the platform allows: remove or merge some to make room for 52.1.2.3/32."
            } else {
                "No trusted IP range can be added to shop, which lists 19 of the 20 the platform allows: remove or merge some to make room for 52.1.2.3/32 and 52.1.2.4/32."
            },
            "{said}"
        );
        keeps_promises(&d, &checked, &q);
    }
}

/// Three VPCs a space cannot be peered with: one past PEER-LIMIT, one overlapping the space, one
/// not private. A peering to them was once suggested; now the answer says no configuration
/// allows it, as the gesture refuses it.
#[test]
fn no_peering_the_platform_refuses_is_suggested() {
    let vpc = |id: &str, cidr: &str| {
        json!({
            "id": id, "primary_cidr": cidr,
            "route_tables": [{ "id": format!("{id}-rtb"), "routes": [] }],
            "security_groups": [{ "id": format!("{id}-sg"), "inbound": [{ "protocol": "all", "ports": "all", "cidr": "0.0.0.0/0" }] }],
            "subnets": [{ "id": format!("{id}-sn"), "cidr": cidr.replace(".0.0/16", ".1.0/24"), "route_table": format!("{id}-rtb") }],
            "hosts": [{ "id": format!("{id}-host"), "subnet": format!("{id}-sn"), "address": cidr.replace(".0.0/16", ".1.5"),
                        "security_groups": [format!("{id}-sg")], "ports": [{ "port": 5432 }] }]
        })
    };
    let mut vpcs: Vec<Value> = (0..6).map(|i| vpc(&format!("v{i}"), &format!("10.{}.0.0/16", 110 + i))).collect();
    vpcs.push(vpc("clash", "10.1.0.0/16"));
    vpcs.push(vpc("public", "52.10.0.0/16"));
    vpcs.push(vpc("free", "10.120.0.0/16"));
    let peerings: Vec<Value> = (0..5)
        .map(|i| json!({ "id": format!("pcx-{i}"), "space": "s", "vpc": format!("v{i}"), "status": "active" }))
        .collect();
    let d = doc(json!({
        "version": 2,
        "spaces": [
            { "id": "s", "outbound_ips": ["52.1.2.3"], "apps": [{ "id": "api", "process_types": [{ "name": "web", "dynos": 1 }] }] },
            { "id": "t", "cidr": "10.2.0.0/16", "outbound_ips": ["52.1.2.4"], "apps": [{ "id": "other", "process_types": [{ "name": "web", "dynos": 1 }] }] }
        ],
        "vpcs": vpcs,
        "peerings": peerings
    }));
    let refused = |space: &str, from: &str, host: &str| {
        let (checked, q, t) = ask(&d, dyno(from, "web"), json!({ "host": host }), 5432);
        assert_eq!(t.blocking_step().map(|s| s.rule.as_str()), Some("PEER-ACCEPTED"));
        keeps_promises(&d, &checked, &q);
        let vpc = host.trim_end_matches("-host");
        (fixes(&t), policy::can_peer(&d, space, vpc).err().map(|r| r.rules))
    };
    let limit = refused("s", "api", "v5-host");
    assert!(
        matches!(&limit.0[..], [Fix::NoConfiguration { workaround: Some(Workaround::RaisePeeringLimit { space }) }] if space == "s")
    );
    assert_eq!(limit.1, Some(vec![spacetrace_engine::RuleId::PeerLimit]));
    for host in ["clash-host", "public-host"] {
        let (f, rules) = refused("t", "other", host);
        assert!(
            matches!(&f[..], [Fix::NoConfiguration { workaround: Some(Workaround::RenumberVpc { .. }) }]),
            "{host}: {f:?}"
        );
        assert!(rules.is_some(), "{host}: the gesture refuses it too");
    }
    // Space t has room and the VPC is fine: the peering is suggested, and applied it moves on.
    let (checked, q, t) = ask(&d, dyno("other", "web"), json!({ "host": "free-host" }), 5432);
    assert_eq!(fixes(&t), vec![Fix::CreatePeering { space: "t".into(), vpc: "free".into() }]);
    keeps_promises(&d, &checked, &q);
    // From the host's side, the host's route table decides before the peering: the peering comes
    // with its route, else applying it would only move the block to the route table.
    let (checked, q, t) =
        ask(&d, json!({ "host": "free-host" }), json!({ "dyno_address": { "app": "other", "process": "web" } }), 5000);
    assert_eq!(
        fixes(&t),
        vec![Fix::CreatePeeringWithRoute {
            space: "t".into(),
            vpc: "free".into(),
            route_table: "free-rtb".into(),
            destination: "10.2.0.0/16".parse().unwrap(),
            replace: false
        }]
    );
    keeps_promises(&d, &checked, &q);
}

/// "Recreate with Internal Routing" was once suggested where the private path it opens blocks
/// earlier than the trusted IP filter it avoids (here, the route table routes only the dyno
/// /20s, so the endpoint is unrouted: IR-PEER-ROUTE-16): now it is suggested only where it gets
/// further, and there, applied, it does.
#[test]
fn internal_routing_is_suggested_only_where_it_gets_further() {
    let mut v = peered(json!([{ "destination": "10.0.128.0/20", "target": "pcx" }]));
    v["spaces"][0]["trusted_ip_ranges"] = json!(["203.0.113.0/24"]);
    let d = doc(v.clone());
    let (checked, q, t) = ask(&d, json!({ "host": "db" }), json!({ "hostname": "api" }), 443);
    assert_eq!(t.blocking_step().map(|s| s.rule.as_str()), Some("TIP-FILTER"));
    assert!(!fixes(&t).iter().any(|f| matches!(f, Fix::RecreateWithInternalRouting { .. })), "{:?}", fixes(&t));
    keeps_promises(&d, &checked, &q);
    // The whole space CIDR routed: recreating the app with Internal Routing connects.
    v["vpcs"][0]["route_tables"][0]["routes"] = json!([{ "destination": "10.0.0.0/16", "target": "pcx" }]);
    let d = doc(v);
    let (checked, q, t) = ask(&d, json!({ "host": "db" }), json!({ "hostname": "api" }), 443);
    let recreate = Fix::RecreateWithInternalRouting { app: "api".into() };
    assert!(fixes(&t).contains(&recreate), "{:?}", fixes(&t));
    let (_, after) = ask_after(&d, &recreate, json!({ "host": "db" }), json!({ "hostname": "api" }), 443);
    assert_eq!(after.verdict, Verdict::Connected);
    keeps_promises(&d, &checked, &q);
}

/// From a VPC host to a process scaled to zero, the answer once blocked at the dyno before
/// walking the path, so scaling it moved the block earlier (to a security group, say): now the
/// path is walked to the address the dyno gets once scaled, in path order.
#[test]
fn an_unscaled_dyno_is_reached_in_path_order() {
    let mut v = peered(json!([{ "destination": "10.0.0.0/16", "target": "pcx" }]));
    v["vpcs"][0]["security_groups"][0]["outbound"] = json!([]);
    let d = doc(v);
    let (checked, q, t) =
        ask(&d, json!({ "host": "db" }), json!({ "dyno_address": { "app": "api", "process": "worker" } }), 9000);
    assert_eq!(t.blocking_step().map(|s| s.rule.as_str()), Some("PEER-SECURITY-GROUP"));
    keeps_promises(&d, &checked, &q);
    let open = apply(&d, &t.suggestions[0].fix).unwrap();
    let (checked, q, t) =
        ask(&open, json!({ "host": "db" }), json!({ "dyno_address": { "app": "api", "process": "worker" } }), 9000);
    assert_eq!(fixes(&t), vec![Fix::ScaleProcess { app: "api".into(), process: "worker".into(), dynos: 1 }]);
    assert_eq!(t.hops.last().map(|h| h.component.kind), Some(spacetrace_engine::trace::ComponentKind::Dyno));
    keeps_promises(&open, &checked, &q);
}

/// Two more corners the property found: a routable CIDR that would overlap the space (the next
/// step refuses it), and an external service that listens on nothing and allowlists too little
/// (listening alone then blocked at the same step).
#[test]
fn a_vpn_route_inside_the_space_and_a_service_port_behind_an_allowlist() {
    let d = doc(json!({
        "version": 2,
        "spaces": [{ "id": "s", "outbound_ips": ["52.1.2.3", "52.1.2.4"],
                     "apps": [{ "id": "api", "process_types": [{ "name": "web", "dynos": 1 }] }] }],
        "remote_networks": [{ "id": "hq", "cidrs": ["10.0.0.0/8"], "hosts": [{ "id": "pc", "address": "10.0.5.5", "ports": [{ "port": 22 }] }] }],
        "vpns": [{ "id": "vpn", "space": "s", "remote_network": "hq", "customer_gateway": "198.51.100.1", "routable_cidrs": [] }],
        "external_services": [{ "id": "partner", "ports": [], "allowlist": ["52.1.2.3/32"] }]
    }));
    let (checked, q, t) =
        ask(&d, json!({ "remote_host": "pc" }), json!({ "dyno_address": { "app": "api", "process": "web" } }), 5000);
    assert!(
        matches!(&fixes(&t)[..], [Fix::NoConfiguration { workaround: Some(Workaround::RenumberRemote { .. }) }]),
        "{:?}",
        fixes(&t)
    );
    keeps_promises(&d, &checked, &q);
    let (checked, q, t) = ask(&d, dyno("api", "web"), json!({ "external": "partner" }), 443);
    assert_eq!(
        fixes(&t),
        vec![Fix::AddToAllowlist { service: "partner".into(), cidrs: vec!["52.1.2.4/32".parse().unwrap()] }]
    );
    keeps_promises(&d, &checked, &q);
    let admitted = apply(&d, &t.suggestions[0].fix).unwrap();
    let (checked, q, t) = ask(&admitted, dyno("api", "web"), json!({ "external": "partner" }), 443);
    assert!(matches!(&fixes(&t)[..], [Fix::ListenOnPort { .. }]), "{:?}", fixes(&t));
    assert!(fix_problems(&admitted, &checked, &q, &t.suggestions[0].fix).is_empty());
}
