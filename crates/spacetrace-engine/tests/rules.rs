//! One test per platform rule (see `docs/platform-rules.md`): each asserts the verdict and that
//! the answer cites the rule, or, for a configuration rule, that checking yields a diagnostic
//! carrying it. The last test checks that the example scenarios, taken together, cite every rule.
//!
//! Scenarios are built inline from one small base document (`base()`), changed per test.

#[path = "support/examples.rs"]
mod examples;
#[path = "support/network.rs"]
mod network;

use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;

use ipnet::Ipv4Net;
use network::{base, checked, dyno, dyno_address};
use serde_json::{Value, json};
use spacetrace_engine::check::Checked;
use spacetrace_engine::doc::{self, Protocol};
use spacetrace_engine::model::AclDecision;
use spacetrace_engine::trace::{Decision, Detail, Direction, Fix, SeenAs, Trace};
use spacetrace_engine::{Query, RuleId, Severity, Verdict, check_text, evaluate, render};

// ----- the base scenario --------------------------------------------------------------------

/// Ask one TCP question of a document; `from` and `to` are in document form.
fn ask(v: &Value, from: Value, to: Value, port: u16) -> Trace {
    let c = checked(v);
    let from: doc::From = serde_json::from_value(from).expect("from");
    let to: doc::To = serde_json::from_value(to).expect("to");
    let q = Query::from_doc(&c.model, &from, &to, Protocol::Tcp, port).expect("the question can be asked");
    evaluate(&c.model, &q)
}

fn rule(id: &str) -> RuleId {
    id.parse().unwrap_or_else(|_| panic!("{id} is a rule ID"))
}

fn explain(v: &Value, t: &Trace) -> String {
    render::trace(&checked(v).model, t)
}

/// Connected, citing `id` somewhere in the trace.
fn assert_connected(v: &Value, t: &Trace, id: &str) {
    let text = explain(v, t);
    assert_eq!(t.verdict, Verdict::Connected, "{text}");
    assert!(t.rules().contains(&rule(id)), "{id} is not cited:\n{text}");
    assert!(t.blocked_at.is_none(), "{text}");
}

/// Blocked, and the blocking step applies `id`.
fn assert_blocked_by(v: &Value, t: &Trace, id: &str) {
    let text = explain(v, t);
    assert_eq!(t.verdict, Verdict::Blocked, "{text}");
    let step = t.blocking_step().unwrap_or_else(|| panic!("a blocked trace has a blocking step:\n{text}"));
    assert_eq!(step.rule, rule(id), "{text}");
    assert!(t.rules().contains(&rule(id)), "{text}");
    assert!(!t.suggestions.is_empty(), "a blocked trace says what to change:\n{text}");
}

/// Some diagnostic carries `id`, with this severity.
fn assert_diagnostic(c: &Checked, id: &str, severity: Severity) {
    let found = c.diagnostics.iter().any(|d| d.rules.contains(&rule(id)) && d.severity == severity);
    let all: Vec<String> =
        c.diagnostics.iter().map(|d| format!("{:?} {:?}: {}", d.severity, d.rules, render::diagnostic(d))).collect();
    assert!(found, "no {severity:?} diagnostic carries {id}: {all:#?}");
}

fn no_diagnostic_cites(c: &Checked, id: &str) {
    assert!(c.diagnostics.iter().all(|d| !d.rules.contains(&rule(id))), "{:#?}", c.diagnostics);
}

fn dyno_ip(c: &Checked, app: &str, process: &str) -> Ipv4Addr {
    let a = c.model.find_app(app).expect("app");
    let p = c.model.app(a).process(process).expect("process");
    c.model.app(a).processes[p].address.expect("a running dyno has an address")
}

// ----- Common Runtime -----------------------------------------------------------------------

#[test]
fn cr_isolation_blocks_dynos_of_the_same_app() {
    let v = base();
    let t = ask(&v, dyno("cr", "web"), dyno_address("cr", "worker"), 9000);
    assert_blocked_by(&v, &t, "CR-ISOLATION");
    // A space dyno cannot reach a Common Runtime dyno either.
    let t = ask(&v, dyno("api", "web"), dyno_address("cr", "worker"), 9000);
    assert_blocked_by(&v, &t, "CR-ISOLATION");
}

#[test]
fn cr_inbound_web_only_reaches_web_through_the_router() {
    let v = base();
    let t = ask(&v, json!({ "client": "anyone" }), json!({ "hostname": "cr" }), 443);
    assert_connected(&v, &t, "CR-INBOUND-WEB-ONLY");
    assert!(matches!(t.seen_as, Some(SeenAs::ViaRouter { .. })));
    let t = ask(&v, json!({ "client": "anyone" }), dyno_address("cr", "worker"), 9000);
    assert_blocked_by(&v, &t, "CR-INBOUND-WEB-ONLY");
    // A web dyno scaled to zero receives nothing.
    let mut v = base();
    v["common_runtime_apps"][0]["process_types"][0]["dynos"] = json!(0);
    let t = ask(&v, json!({ "client": "anyone" }), json!({ "hostname": "cr" }), 443);
    assert_blocked_by(&v, &t, "CR-INBOUND-WEB-ONLY");
}

#[test]
fn router_ports_accept_only_http_and_https() {
    let v = base();
    for port in [80, 443] {
        let t = ask(&v, json!({ "client": "anyone" }), json!({ "hostname": "cr" }), port);
        assert_connected(&v, &t, "ROUTER-PORTS");
    }
    let t = ask(&v, json!({ "client": "anyone" }), json!({ "hostname": "cr" }), 8080);
    assert_blocked_by(&v, &t, "ROUTER-PORTS");
    assert!(t.suggestions.iter().any(|s| s.fix == Fix::UsePort { port: 443 }));
}

#[test]
fn dyno_local_connects_processes_inside_one_dyno() {
    let v = base();
    let t = ask(&v, dyno("cr", "web"), json!("localhost"), 6379);
    assert_connected(&v, &t, "DYNO-LOCAL");
    assert_eq!(t.seen_as, Some(SeenAs::Loopback));
}

#[test]
fn dyno_interface_gives_each_common_runtime_dyno_its_own_slash_30() {
    let v = base();
    let t = ask(&v, dyno("cr", "web"), json!({ "external": "open-api" }), 443);
    assert_connected(&v, &t, "DYNO-INTERFACE");
    let c = checked(&v);
    let range: Ipv4Net = "172.16.0.0/12".parse().unwrap();
    let (web, worker) = (dyno_ip(&c, "cr", "web"), dyno_ip(&c, "cr", "worker"));
    assert!(range.contains(&web) && range.contains(&worker), "{web} {worker}");
    let slash30 = |a: Ipv4Addr| Ipv4Net::new(a, 30).unwrap().trunc();
    assert_ne!(slash30(web), slash30(worker), "dynos share no subnet");
}

#[test]
fn cr_outbound_reaches_the_internet_but_no_allowlist() {
    let v = base();
    let t = ask(&v, dyno("cr", "worker"), json!({ "external": "open-api" }), 443);
    assert_connected(&v, &t, "CR-OUTBOUND");
    assert_eq!(t.seen_as, Some(SeenAs::CommonRuntime));
    let t = ask(&v, dyno("cr", "worker"), json!({ "external": "partner" }), 443);
    assert_blocked_by(&v, &t, "CR-OUTBOUND");
    // Nor can a space's trusted IP ranges admit it; the app to move is the source.
    let t = ask(&v, dyno("cr", "worker"), json!({ "hostname": "api" }), 443);
    assert_blocked_by(&v, &t, "CR-OUTBOUND");
    let text = explain(&v, &t);
    assert!(text.contains("Move cr-app into a Private Space"), "{text}");
}

// ----- Private Spaces -----------------------------------------------------------------------

#[test]
fn ps_generations_refuse_fir_shield_spaces() {
    let mut v = base();
    v["spaces"][2]["shield"] = json!(true);
    let c = checked(&v);
    assert_diagnostic(&c, "PS-GENERATIONS", Severity::Error);
    assert!(!c.model.spaces[2].shield);
    // Cedar Shield is fine.
    let mut v = base();
    v["spaces"][0]["shield"] = json!(true);
    no_diagnostic_cites(&checked(&v), "PS-GENERATIONS");
}

#[test]
fn ps_private_network_connects_dynos_on_any_port_they_listen_on() {
    let v = base();
    let t = ask(&v, dyno("api", "web"), dyno_address("api", "worker"), 9000);
    assert_connected(&v, &t, "PS-PRIVATE-NETWORK");
    assert!(matches!(t.seen_as, Some(SeenAs::Dyno { address: Some(_) })));
    let t = ask(&v, dyno("api", "web"), dyno_address("api", "worker"), 9001);
    assert_blocked_by(&v, &t, "PS-PRIVATE-NETWORK");
}

#[test]
fn ps_router_forwards_web_requests_and_nothing_else() {
    let v = base();
    let t = ask(&v, json!({ "client": "office" }), json!({ "hostname": "api" }), 443);
    assert_connected(&v, &t, "PS-ROUTER");
    let t = ask(&v, json!({ "client": "office" }), dyno_address("api", "worker"), 9000);
    assert_blocked_by(&v, &t, "PS-ROUTER");
}

#[test]
fn ps_nat_outbound_leaves_from_the_stable_ips() {
    let v = base();
    let t = ask(&v, dyno("api", "worker"), json!({ "external": "partner" }), 443);
    assert_connected(&v, &t, "PS-NAT-OUTBOUND");
    let ips: Vec<IpAddr> = vec!["52.0.0.1".parse().unwrap(), "52.0.0.2".parse().unwrap()];
    assert_eq!(t.seen_as, Some(SeenAs::OutboundIps { ips }));
    let mut v = base();
    v["external_services"][0]["allowlist"] = json!(["52.0.0.1/32"]);
    let t = ask(&v, dyno("api", "worker"), json!({ "external": "partner" }), 443);
    assert_blocked_by(&v, &t, "PS-NAT-OUTBOUND");
}

#[test]
fn ps_data_addons_serve_the_dynos_of_their_space() {
    let v = base();
    let t = ask(&v, dyno("api", "web"), json!({ "addon": "db" }), 5432);
    assert_connected(&v, &t, "PS-DATA-ADDONS");
    let t = ask(&v, dyno("cr", "web"), json!({ "addon": "db" }), 5432);
    assert_blocked_by(&v, &t, "PS-DATA-ADDONS");
    let t = ask(&v, dyno("api", "web"), json!({ "addon": "db" }), 6379);
    assert_blocked_by(&v, &t, "PS-DATA-ADDONS");
}

#[test]
fn ps_dns_discovery_works_in_cedar_only() {
    let v = base();
    let to = json!({ "discovery": { "app": "api", "process": "worker" } });
    let t = ask(&v, dyno("api", "web"), to.clone(), 9000);
    assert_connected(&v, &t, "PS-DNS-DISCOVERY");
    let t = ask(&v, json!({ "host": "db-host" }), to, 9000);
    assert_blocked_by(&v, &t, "PS-DNS-DISCOVERY");
    let to = json!({ "discovery": { "app": "fir-app", "process": "worker" } });
    let t = ask(&v, dyno("fir-app", "web"), to, 9000);
    assert_blocked_by(&v, &t, "PS-DNS-DISCOVERY");
}

#[test]
fn ps_cidrs_put_dynos_in_slash_20s_and_endpoints_outside_them() {
    let v = base();
    let t = ask(&v, dyno("api", "web"), json!({ "addon": "db" }), 5432);
    assert_connected(&v, &t, "PS-CIDRS");
    let c = checked(&v);
    let space = &c.model.spaces[0];
    let expected: Vec<Ipv4Net> = vec!["10.0.128.0/20".parse().unwrap(), "10.0.144.0/20".parse().unwrap()];
    assert_eq!(space.dyno_subnets, expected);
    let web = dyno_ip(&c, "api", "web");
    assert!(space.dyno_subnets.iter().any(|n| n.contains(&web)), "{web}");
    let endpoint = c.model.app(c.model.find_app("internal").unwrap()).ir_endpoint.unwrap();
    assert!(space.cidr.contains(&endpoint) && !space.dyno_subnets.iter().any(|n| n.contains(&endpoint)));
    assert!(space.reserved.contains(&"10.1.0.0/16".parse().unwrap()));
    assert!(space.reserved.contains(&"172.17.0.0/16".parse().unwrap()));
}

#[test]
fn ps_no_space_to_space_private_path() {
    let v = base();
    let t = ask(&v, dyno("other-app", "web"), dyno_address("api", "worker"), 9000);
    assert_blocked_by(&v, &t, "PS-NO-SPACE-TO-SPACE");
    let t = ask(&v, dyno("other-app", "web"), json!({ "addon": "db" }), 5432);
    assert_blocked_by(&v, &t, "PS-NO-SPACE-TO-SPACE");
    assert!(t.assumptions().contains(&rule("PS-NO-SPACE-TO-SPACE")));
}

// ----- Trusted IP ranges --------------------------------------------------------------------

#[test]
fn tip_filter_admits_only_trusted_ranges() {
    let v = base();
    let t = ask(&v, json!({ "client": "office" }), json!({ "hostname": "api" }), 443);
    assert_connected(&v, &t, "TIP-FILTER");
    let t = ask(&v, json!({ "client": "home" }), json!({ "hostname": "api" }), 443);
    assert_blocked_by(&v, &t, "TIP-FILTER");
    let wanted = Fix::AddTrustedRanges { space: "sp".into(), cidrs: vec!["203.0.113.9/32".parse().unwrap()] };
    assert!(t.suggestions.iter().any(|s| s.fix == wanted), "{t:#?}");
    // Another space's stable outbound IPs can be trusted.
    let mut v = base();
    v["spaces"][0]["trusted_ip_ranges"] = json!(["198.51.100.0/24", "52.9.9.9/32"]);
    let t = ask(&v, dyno("other-app", "web"), json!({ "hostname": "api" }), 443);
    assert_connected(&v, &t, "TIP-FILTER");
}

#[test]
fn tip_default_trusts_every_address() {
    let v = base();
    let t = ask(&v, json!({ "client": "home" }), json!({ "hostname": "other-app" }), 443);
    assert_connected(&v, &t, "TIP-DEFAULT");
    assert!(t.rules().contains(&rule("TIP-FILTER")));
    let t = ask(&v, json!({ "client": "office" }), json!({ "hostname": "api" }), 443);
    assert!(!t.rules().contains(&rule("TIP-DEFAULT")), "custom ranges are not the default");
}

#[test]
fn tip_limit_is_twenty_ranges() {
    let mut v = base();
    let mut ranges: Vec<String> = (1..=20).map(|i| format!("192.0.2.{i}/32")).collect();
    ranges.push("203.0.113.9/32".into());
    v["spaces"][0]["trusted_ip_ranges"] = json!(ranges);
    let c = checked(&v);
    assert_diagnostic(&c, "TIP-LIMIT", Severity::Error);
    assert_eq!(c.model.spaces[0].trusted.len(), 20);
    // The 21st range is ignored.
    let t = ask(&v, json!({ "client": "home" }), json!({ "hostname": "api" }), 443);
    assert_blocked_by(&v, &t, "TIP-FILTER");
    ranges.pop();
    v["spaces"][0]["trusted_ip_ranges"] = json!(ranges);
    no_diagnostic_cites(&checked(&v), "TIP-LIMIT");
}

#[test]
fn tip_fir_admits_everyone_and_refuses_custom_ranges() {
    let v = base();
    let t = ask(&v, json!({ "client": "home" }), json!({ "hostname": "fir-app" }), 443);
    assert_connected(&v, &t, "TIP-FIR");
    let mut v = base();
    v["spaces"][2]["trusted_ip_ranges"] = json!(["198.51.100.0/24"]);
    assert_diagnostic(&checked(&v), "TIP-FIR", Severity::Error);
    let t = ask(&v, json!({ "client": "home" }), json!({ "hostname": "fir-app" }), 443);
    assert_connected(&v, &t, "TIP-FIR");
}

// ----- Internal Routing ---------------------------------------------------------------------

#[test]
fn ir_cedar_only_ignores_it_elsewhere() {
    let mut v = base();
    v["common_runtime_apps"][0]["internal_routing"] = json!(true);
    v["spaces"][2]["apps"][0]["internal_routing"] = json!(true);
    let c = checked(&v);
    assert_diagnostic(&c, "IR-CEDAR-ONLY", Severity::Error);
    assert_eq!(c.diagnostics.iter().filter(|d| d.rules.contains(&rule("IR-CEDAR-ONLY"))).count(), 2);
    assert!(c.model.apps.iter().filter(|a| a.internal_routing).all(|a| a.id == "internal"));
    // Ignored: the Fir app stays public.
    let t = ask(&v, json!({ "client": "home" }), json!({ "hostname": "fir-app" }), 443);
    assert_eq!(t.verdict, Verdict::Connected);
}

#[test]
fn ir_at_creation_says_recreate_the_app() {
    let v = base();
    let t = ask(&v, json!({ "host": "db-host" }), json!({ "hostname": "api" }), 443);
    assert_blocked_by(&v, &t, "TIP-FILTER");
    let recreate = t.suggestions.iter().find(|s| s.rule == rule("IR-AT-CREATION")).expect("IR-AT-CREATION");
    assert_eq!(recreate.fix, Fix::RecreateWithInternalRouting { app: "api".into() });
    assert!(render::fix(&recreate.fix).contains("Recreate"));
}

#[test]
fn ir_no_external_refuses_internet_clients() {
    let v = base();
    for client in ["office", "anyone"] {
        let t = ask(&v, json!({ "client": client }), json!({ "hostname": "internal" }), 443);
        assert_blocked_by(&v, &t, "IR-NO-EXTERNAL");
    }
    // Nor from another space or the Common Runtime.
    let t = ask(&v, dyno("other-app", "web"), json!({ "hostname": "internal" }), 443);
    assert_blocked_by(&v, &t, "IR-NO-EXTERNAL");
}

#[test]
fn ir_private_dns_resolves_into_the_space() {
    let v = base();
    let t = ask(&v, dyno("api", "web"), json!({ "hostname": "internal" }), 443);
    assert_connected(&v, &t, "IR-PRIVATE-DNS");
    let endpoint = t
        .hops
        .iter()
        .flat_map(|h| &h.steps)
        .find_map(|s| match &s.detail {
            Detail::PrivateDns { endpoint, .. } => *endpoint,
            _ => None,
        })
        .expect("a private address");
    assert!("10.0.0.0/16".parse::<Ipv4Net>().unwrap().contains(&endpoint));
}

#[test]
fn ir_needs_web_dyno_for_the_name_to_resolve() {
    let mut v = base();
    v["spaces"][0]["apps"][1]["process_types"][0]["dynos"] = json!(0);
    let t = ask(&v, dyno("api", "web"), json!({ "hostname": "internal" }), 443);
    assert_blocked_by(&v, &t, "IR-NEEDS-WEB-DYNO");
    assert!(t.suggestions.iter().any(|s| matches!(&s.fix, Fix::ScaleProcess { process, .. } if process == "web")));
}

#[test]
fn ir_peer_route_16_needs_the_whole_space_cidr() {
    let v = base();
    let t = ask(&v, json!({ "host": "db-host" }), json!({ "hostname": "internal" }), 443);
    assert_connected(&v, &t, "IR-PRIVATE-DNS");
    let mut v = base();
    v["vpcs"][0]["route_tables"][0]["routes"] = json!([
        { "destination": "10.100.0.0/16", "target": "local" },
        { "destination": "10.0.128.0/20", "target": "pcx" },
        { "destination": "10.0.144.0/20", "target": "pcx" }
    ]);
    // The /20s are enough for dynos, not for the Internal Routing endpoint.
    let t = ask(&v, json!({ "host": "db-host" }), dyno_address("api", "worker"), 9000);
    assert_eq!(t.verdict, Verdict::Connected, "{}", explain(&v, &t));
    let t = ask(&v, json!({ "host": "db-host" }), json!({ "hostname": "internal" }), 443);
    assert_blocked_by(&v, &t, "IR-PEER-ROUTE-16");
    let wanted =
        Fix::AddRoute { route_table: "rtb".into(), destination: "10.0.0.0/16".parse().unwrap(), target: "pcx".into() };
    assert!(t.suggestions.iter().any(|s| s.fix == wanted));
}

// ----- VPC peering --------------------------------------------------------------------------

#[test]
fn peer_cedar_only_refuses_fir_peerings() {
    let v = base();
    let t = ask(&v, dyno("fir-app", "worker"), json!({ "host": "db-host" }), 5432);
    assert_blocked_by(&v, &t, "PEER-CEDAR-ONLY");
    let mut v = base();
    v["peerings"] = json!([{ "id": "pcx", "space": "fir", "vpc": "vpc", "status": "active" }]);
    assert_diagnostic(&checked(&v), "PEER-CEDAR-ONLY", Severity::Error);
}

#[test]
fn peer_rfc1918_refuses_public_vpc_cidrs() {
    let mut v = base();
    v["vpcs"][0]["primary_cidr"] = json!("100.64.0.0/16");
    v["vpcs"][0]["subnets"][0]["cidr"] = json!("100.64.1.0/24");
    v["vpcs"][0]["hosts"][0]["address"] = json!("100.64.1.5");
    assert_diagnostic(&checked(&v), "PEER-RFC1918", Severity::Error);
    let t = ask(&v, dyno("api", "worker"), json!({ "host": "db-host" }), 5432);
    assert_blocked_by(&v, &t, "PEER-RFC1918");
    no_diagnostic_cites(&checked(&base()), "PEER-RFC1918");
}

#[test]
fn peer_no_overlap_refuses_vpcs_on_the_space_ranges() {
    for cidr in ["10.1.0.0/16", "10.0.0.0/8", "172.17.0.0/16"] {
        let mut v = base();
        let net: Ipv4Net = cidr.parse().unwrap();
        let host = Ipv4Addr::from(u32::from(net.network()) + 0x0003_0105);
        v["vpcs"][0]["primary_cidr"] = json!(cidr);
        v["vpcs"][0]["subnets"][0]["cidr"] = json!(Ipv4Net::new(host, 24).unwrap().trunc().to_string());
        v["vpcs"][0]["hosts"][0]["address"] = json!(host.to_string());
        assert_diagnostic(&checked(&v), "PEER-NO-OVERLAP", Severity::Error);
        let t = ask(&v, dyno("api", "worker"), json!({ "host": "db-host" }), 5432);
        assert_blocked_by(&v, &t, "PEER-NO-OVERLAP");
    }
}

#[test]
fn peer_accepted_only_active_peerings_carry_traffic() {
    let v = base();
    let t = ask(&v, dyno("api", "worker"), json!({ "host": "db-host" }), 5432);
    assert_connected(&v, &t, "PEER-ACCEPTED");
    let mut v = base();
    v["peerings"][0]["status"] = json!("pending-acceptance");
    let t = ask(&v, dyno("api", "worker"), json!({ "host": "db-host" }), 5432);
    assert_blocked_by(&v, &t, "PEER-ACCEPTED");
    assert!(t.suggestions.iter().any(|s| s.fix == Fix::AcceptPeering { peering: "pcx".into() }));
    v["peerings"][0]["status"] = json!("deleted");
    let t = ask(&v, dyno("api", "worker"), json!({ "host": "db-host" }), 5432);
    assert_blocked_by(&v, &t, "PEER-ACCEPTED");
    // A deleted peering kept next to its active replacement does not hide it.
    v["peerings"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "id": "pcx-new", "space": "sp", "vpc": "vpc", "status": "active" }));
    v["vpcs"][0]["route_tables"][0]["routes"][1]["target"] = json!("pcx-new");
    let t = ask(&v, dyno("api", "worker"), json!({ "host": "db-host" }), 5432);
    assert_connected(&v, &t, "PEER-ACCEPTED");
}

#[test]
fn peer_route_missing_route_blocks() {
    let v = base();
    let t = ask(&v, dyno("api", "worker"), json!({ "host": "db-host" }), 5432);
    assert_connected(&v, &t, "PEER-ROUTE");
    let mut v = base();
    v["vpcs"][0]["route_tables"][0]["routes"] = json!([{ "destination": "10.100.0.0/16", "target": "local" }]);
    let t = ask(&v, dyno("api", "worker"), json!({ "host": "db-host" }), 5432);
    assert_blocked_by(&v, &t, "PEER-ROUTE");
    let wanted =
        Fix::AddRoute { route_table: "rtb".into(), destination: "10.0.0.0/16".parse().unwrap(), target: "pcx".into() };
    assert_eq!(t.suggestions.iter().map(|s| &s.fix).collect::<Vec<_>>(), vec![&wanted]);
    // The dyno /20s alone are enough for dynos (the seed's option 2).
    v["vpcs"][0]["route_tables"][0]["routes"] = json!([
        { "destination": "10.0.128.0/20", "target": "pcx" },
        { "destination": "10.0.144.0/20", "target": "pcx" }
    ]);
    let t = ask(&v, dyno("api", "worker"), json!({ "host": "db-host" }), 5432);
    assert_connected(&v, &t, "PEER-ROUTE");
}

#[test]
fn peer_security_group_must_admit_the_dyno_ranges() {
    let v = base();
    let t = ask(&v, dyno("api", "worker"), json!({ "host": "db-host" }), 5432);
    assert_connected(&v, &t, "PEER-SECURITY-GROUP");
    let mut v = base();
    v["vpcs"][0]["security_groups"][0]["inbound"] =
        json!([{ "protocol": "tcp", "ports": "5432", "cidr": "10.100.0.0/16" }]);
    let t = ask(&v, dyno("api", "worker"), json!({ "host": "db-host" }), 5432);
    assert_blocked_by(&v, &t, "PEER-SECURITY-GROUP");
    let fix = &t.suggestions[0].fix;
    let Fix::AddSecurityGroupRule { group, direction, cidrs, .. } = fix else { panic!("{fix:?}") };
    assert_eq!((group.as_str(), *direction), ("sg", Direction::Inbound));
    assert_eq!(cidrs.len(), 2, "one rule per dyno /20, as the seed shows");
}

#[test]
fn peer_nacl_is_ordered_and_stateless() {
    let mut v = base();
    v["vpcs"][0]["network_acls"] = json!([{
        "id": "acl", "name": "acl",
        "inbound": [{ "number": 100, "protocol": "tcp", "ports": "5432", "cidr": "10.0.0.0/16", "action": "allow" }],
        "outbound": []
    }]);
    v["vpcs"][0]["subnets"][0]["network_acl"] = json!("acl");
    // The request is allowed in, but the reply has no outbound rule.
    let t = ask(&v, dyno("api", "worker"), json!({ "host": "db-host" }), 5432);
    assert_blocked_by(&v, &t, "PEER-NACL");
    let Some(step) = t.blocking_step() else { unreachable!() };
    assert!(
        matches!(step.detail, Detail::Acl { direction: Direction::Outbound, decision: AclDecision::ImplicitDeny, .. }),
        "{step:?}"
    );
    assert!(explain(&v, &t).contains("stateless"));
    // With the reply allowed, it connects.
    v["vpcs"][0]["network_acls"][0]["outbound"] =
        json!([{ "number": 100, "protocol": "tcp", "ports": "1024-65535", "cidr": "10.0.0.0/16", "action": "allow" }]);
    let t = ask(&v, dyno("api", "worker"), json!({ "host": "db-host" }), 5432);
    assert_connected(&v, &t, "PEER-NACL");
    // A lower-numbered deny wins over the allow.
    v["vpcs"][0]["network_acls"][0]["inbound"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "number": 90, "protocol": "tcp", "ports": "5432", "cidr": "10.0.0.0/8", "action": "deny" }));
    let t = ask(&v, dyno("api", "worker"), json!({ "host": "db-host" }), 5432);
    assert_blocked_by(&v, &t, "PEER-NACL");
    let Some(step) = t.blocking_step() else { unreachable!() };
    assert!(matches!(step.detail, Detail::Acl { decision: AclDecision::Denied { number: 90 }, .. }), "{step:?}");
}

#[test]
fn peer_public_hostname_goes_over_the_internet() {
    let v = base();
    let t = ask(&v, json!({ "host": "db-host" }), json!({ "hostname": "api" }), 443);
    assert_blocked_by(&v, &t, "TIP-FILTER");
    assert!(t.rules().contains(&rule("PEER-PUBLIC-HOSTNAME")));
    let mut v = base();
    v["spaces"][0]["trusted_ip_ranges"] = json!(["198.51.100.0/24", "34.0.0.1/32"]);
    let t = ask(&v, json!({ "host": "db-host" }), json!({ "hostname": "api" }), 443);
    assert_connected(&v, &t, "PEER-PUBLIC-HOSTNAME");
    let egress: IpAddr = "34.0.0.1".parse().unwrap();
    let wanted = SeenAs::ViaRouter { client: Box::new(SeenAs::VpcEgress { address: egress }) };
    assert_eq!(t.seen_as, Some(wanted));
    // Without a way to the internet, the hostname is out of reach.
    v["vpcs"][0].as_object_mut().unwrap().remove("public_egress_ip");
    let t = ask(&v, json!({ "host": "db-host" }), json!({ "hostname": "api" }), 443);
    assert_blocked_by(&v, &t, "PEER-PUBLIC-HOSTNAME");
}

#[test]
fn peer_primary_cidr_only_excludes_secondary_blocks() {
    let v = base();
    let t = ask(&v, dyno("api", "worker"), json!({ "host": "sec-host" }), 5432);
    assert_blocked_by(&v, &t, "PEER-PRIMARY-CIDR-ONLY");
    let t = ask(&v, dyno("api", "worker"), json!({ "host": "db-host" }), 5432);
    assert_connected(&v, &t, "PEER-PRIMARY-CIDR-ONLY");
}

#[test]
fn peer_dyno_address_reaches_dynos_from_the_vpc() {
    let v = base();
    let t = ask(&v, json!({ "host": "db-host" }), dyno_address("api", "worker"), 9000);
    assert_connected(&v, &t, "PEER-DYNO-ADDRESS");
    assert_eq!(t.seen_as, Some(SeenAs::VpcHost { address: "10.100.1.5".parse().unwrap() }));
}

#[test]
fn peer_no_data_addons_from_the_vpc() {
    let v = base();
    let t = ask(&v, json!({ "host": "db-host" }), json!({ "addon": "db" }), 5432);
    assert_blocked_by(&v, &t, "PEER-NO-DATA-ADDONS");
    assert!(matches!(t.suggestions[0].fix, Fix::NoConfiguration { workaround: Some(_) }));
}

#[test]
fn peer_not_transitive_through_a_peered_vpc() {
    let v = base();
    let t = ask(&v, dyno("api", "worker"), json!({ "host": "far-host" }), 5432);
    assert_blocked_by(&v, &t, "PEER-NOT-TRANSITIVE");
    assert!(explain(&v, &t).contains("proxy"), "{}", explain(&v, &t));
}

#[test]
fn peer_limit_is_five_vpcs_per_space() {
    let mut v = base();
    let mut vpcs = vec![v["vpcs"][0].clone()];
    let mut peerings = vec![v["peerings"][0].clone()];
    for i in 1..=5 {
        vpcs.push(json!({
            "id": format!("extra{i}"), "name": format!("extra{i}"), "primary_cidr": format!("10.{}.0.0/16", 110 + i),
            "route_tables": [{ "id": format!("rtb{i}"), "name": format!("rtb{i}"), "routes": [] }],
            "subnets": [{ "id": format!("sn-x{i}"), "name": format!("sn-x{i}"), "cidr": format!("10.{}.1.0/24", 110 + i), "route_table": format!("rtb{i}") }],
            "hosts": [{ "id": format!("h{i}"), "name": format!("h{i}"), "subnet": format!("sn-x{i}"), "address": format!("10.{}.1.5", 110 + i), "ports": [{ "port": 443 }] }]
        }));
        peerings
            .push(json!({ "id": format!("pcx{i}"), "space": "sp", "vpc": format!("extra{i}"), "status": "active" }));
    }
    v["vpcs"] = json!(vpcs);
    v["peerings"] = json!(peerings);
    v["vpc_peerings"] = json!([]);
    let c = checked(&v);
    assert_diagnostic(&c, "PEER-LIMIT", Severity::Error);
    let limited: Vec<&str> = c.model.peerings.iter().filter(|p| p.refused.is_some()).map(|p| p.id.as_str()).collect();
    assert_eq!(limited, ["pcx5"]);
    let t = ask(&v, dyno("api", "worker"), json!({ "host": "h5" }), 443);
    assert_blocked_by(&v, &t, "PEER-LIMIT");
    // A peering the platform refuses for another reason does not count towards the limit.
    v["vpcs"][1]["primary_cidr"] = json!("10.1.0.0/16");
    let c = checked(&v);
    let refused: Vec<(&str, Option<RuleId>)> =
        c.model.peerings.iter().filter(|p| p.refused.is_some()).map(|p| (p.id.as_str(), p.refused)).collect();
    assert_eq!(refused, [("pcx1", Some(rule("PEER-NO-OVERLAP")))]);
}

// ----- VPN ----------------------------------------------------------------------------------

#[test]
fn vpn_cedar_only_refuses_fir_connections() {
    let v = base();
    let t = ask(&v, dyno("fir-app", "worker"), json!({ "remote_host": "ldap" }), 636);
    assert_blocked_by(&v, &t, "VPN-CEDAR-ONLY");
    let mut v = base();
    v["vpns"][0]["space"] = json!("fir");
    assert_diagnostic(&checked(&v), "VPN-CEDAR-ONLY", Severity::Error);
}

#[test]
fn vpn_ipsec_carries_traffic_both_ways() {
    let v = base();
    let t = ask(&v, dyno("api", "worker"), json!({ "remote_host": "ldap" }), 636);
    assert_connected(&v, &t, "VPN-IPSEC");
    let t = ask(&v, json!({ "remote_host": "ldap" }), dyno_address("api", "worker"), 9000);
    assert_connected(&v, &t, "VPN-IPSEC");
    // A remote firewall may still refuse it.
    let mut v = base();
    v["remote_networks"][0]["firewall"] = json!({
        "id": "fw", "name": "fw",
        "inbound": [{ "protocol": "tcp", "ports": "22", "cidr": "10.0.0.0/16", "action": "allow" }]
    });
    let t = ask(&v, dyno("api", "worker"), json!({ "remote_host": "ldap" }), 636);
    assert_blocked_by(&v, &t, "VPN-IPSEC");
    // And without a VPN there is no path.
    let mut v = base();
    v["vpns"] = json!([]);
    let t = ask(&v, dyno("api", "worker"), json!({ "remote_host": "ldap" }), 636);
    assert_blocked_by(&v, &t, "VPN-IPSEC");
}

#[test]
fn vpn_routable_cidrs_decide_what_the_tunnel_carries() {
    let v = base();
    let t = ask(&v, dyno("api", "worker"), json!({ "remote_host": "printer" }), 631);
    assert_blocked_by(&v, &t, "VPN-ROUTABLE-CIDRS");
    let wanted = Fix::AddRoutableCidr { vpn: "vpn".into(), cidr: "192.168.11.0/24".parse().unwrap() };
    assert!(t.suggestions.iter().any(|s| s.fix == wanted), "{:?}", t.suggestions);
    let t = ask(&v, dyno("api", "worker"), json!({ "remote_host": "ldap" }), 636);
    assert_connected(&v, &t, "VPN-ROUTABLE-CIDRS");
}

#[test]
fn vpn_tunnel_up_or_nothing_passes() {
    let mut v = base();
    v["vpns"][0]["tunnel_status"] = json!("down");
    let t = ask(&v, dyno("api", "worker"), json!({ "remote_host": "ldap" }), 636);
    assert_blocked_by(&v, &t, "VPN-TUNNEL-UP");
    assert!(t.assumptions().contains(&rule("VPN-TUNNEL-UP")), "an assumption, labelled as such");
}

#[test]
fn vpn_internal_routing_reaches_internal_apps() {
    let v = base();
    let t = ask(&v, json!({ "remote_host": "ldap" }), json!({ "hostname": "internal" }), 443);
    assert_connected(&v, &t, "VPN-INTERNAL-ROUTING");
    // A public app's hostname is not reached through the VPN but over the internet, from the
    // office's public address: trusted here, untrusted once it changes.
    let t = ask(&v, json!({ "remote_host": "ldap" }), json!({ "hostname": "api" }), 443);
    assert_connected(&v, &t, "VPN-INTERNAL-ROUTING");
    assert!(!t.hops.iter().any(|h| h.component.kind == spacetrace_engine::trace::ComponentKind::VpnTunnel));
    let mut v = base();
    v["remote_networks"][0]["public_egress_ip"] = json!("192.0.2.1");
    let t = ask(&v, json!({ "remote_host": "ldap" }), json!({ "hostname": "api" }), 443);
    assert_blocked_by(&v, &t, "TIP-FILTER");
}

#[test]
fn vpn_no_overlap_with_the_space_cidr() {
    let mut v = base();
    v["remote_networks"][0]["cidrs"] = json!(["10.0.0.0/8"]);
    v["remote_networks"][0]["hosts"] =
        json!([{ "id": "ldap", "name": "ldap", "address": "10.50.0.5", "ports": [{ "port": 636 }] }]);
    v["vpns"][0]["routable_cidrs"] = json!(["10.0.0.0/8"]);
    assert_diagnostic(&checked(&v), "VPN-NO-OVERLAP", Severity::Warning);
    let t = ask(&v, dyno("api", "worker"), json!({ "remote_host": "ldap" }), 636);
    assert_blocked_by(&v, &t, "VPN-NO-OVERLAP");
    no_diagnostic_cites(&checked(&base()), "VPN-NO-OVERLAP");
}

// ----- Fir ----------------------------------------------------------------------------------

#[test]
fn fir_unavailable_refuses_every_cedar_only_feature() {
    let mut v = base();
    v["spaces"][2]["shield"] = json!(true);
    v["spaces"][2]["trusted_ip_ranges"] = json!(["198.51.100.0/24"]);
    v["spaces"][2]["apps"][0]["internal_routing"] = json!(true);
    v["peerings"] = json!([{ "id": "pcx", "space": "fir", "vpc": "vpc", "status": "active" }]);
    v["vpns"][0]["space"] = json!("fir");
    let c = checked(&v);
    let with_rule = c.diagnostics.iter().filter(|d| d.rules.contains(&rule("FIR-UNAVAILABLE"))).count();
    assert_eq!(with_rule, 5, "{:#?}", c.diagnostics);
    assert_diagnostic(&c, "FIR-UNAVAILABLE", Severity::Error);
}

#[test]
fn fir_inbound_via_public_dns_only() {
    let v = base();
    let t = ask(&v, json!({ "host": "db-host" }), dyno_address("fir-app", "worker"), 9000);
    assert_blocked_by(&v, &t, "FIR-INBOUND-VIA-PUBLIC-DNS");
    // The hostname reaches only web: for a worker, no configuration does.
    assert!(t.suggestions.iter().any(|s| matches!(
        &s.fix,
        Fix::NoConfiguration { workaround: Some(spacetrace_engine::trace::Workaround::OnlyWebFromOutside { .. }) }
    )));
    let t = ask(&v, json!({ "host": "db-host" }), dyno_address("fir-app", "web"), 5000);
    assert_blocked_by(&v, &t, "FIR-INBOUND-VIA-PUBLIC-DNS");
    assert!(t.suggestions.iter().any(|s| s.fix == Fix::UseHostname { app: "fir-app".into() }));
    let t = ask(&v, json!({ "remote_host": "ldap" }), dyno_address("fir-app", "worker"), 9000);
    assert_blocked_by(&v, &t, "FIR-INBOUND-VIA-PUBLIC-DNS");
    let t = ask(&v, json!({ "host": "db-host" }), json!({ "hostname": "fir-app" }), 443);
    assert_connected(&v, &t, "TIP-FIR");
}

// ----- every rule, across the example scenarios ---------------------------------------------

fn scenario_files() -> Vec<PathBuf> {
    examples::example_files()
}

#[test]
fn every_rule_is_cited() {
    let mut cited: BTreeSet<RuleId> = BTreeSet::new();
    for path in scenario_files() {
        let text = std::fs::read_to_string(&path).expect("a readable scenario");
        let c = check_text(&text);
        cited.extend(c.diagnostics.iter().flat_map(|d| d.rules.iter().copied()));
        for q in c.questions.iter().filter_map(|q| q.query) {
            let t = evaluate(&c.model, &q);
            cited.extend(t.hops.iter().flat_map(|h| h.steps.iter().map(|s| s.rule)));
            cited.extend(t.suggestions.iter().map(|s| s.rule));
        }
    }
    let missing: Vec<&str> = RuleId::ALL.iter().filter(|r| !cited.contains(r)).map(|r| r.as_str()).collect();
    assert!(missing.is_empty(), "rules no example scenario cites: {}", missing.join(", "));
}

#[test]
fn blocked_trace_stops_at_its_blocking_step() {
    // A blocked trace stops at its blocking step: nothing is evaluated after it.
    let mut v = base();
    v["vpcs"][0]["route_tables"][0]["routes"] = json!([]);
    let t = ask(&v, dyno("api", "worker"), json!({ "host": "db-host" }), 5432);
    let at = t.blocked_at.expect("blocked");
    assert_eq!(at.hop, t.hops.len() - 1);
    assert_eq!(at.step, t.hops[at.hop].steps.len() - 1);
    assert_eq!(t.hops[at.hop].steps[at.step].decision, Decision::Block);
}

/// Modelling choices are labelled on the answers that rest on them (docs/assumptions.md).
#[test]
fn assumptions_are_labelled_on_the_answers_that_rest_on_them() {
    use spacetrace_engine::trace::Assumption;
    let checked = spacetrace_engine::check_text(include_str!("../../../scenarios/default.json"));
    let answer = |id: &str| {
        let q = checked.questions.iter().find(|q| q.id == id).and_then(|q| q.query).expect("question exists");
        spacetrace_engine::evaluate(&checked.model, &q)
    };
    // The office client is a range: trusted only as a whole; the API's $PORT is not given.
    let office = answer("q-office-api");
    assert!(office.assumed.contains(&Assumption::ClientRangeWhole), "{:?}", office.assumed);
    assert!(office.assumed.contains(&Assumption::WebPort { port: 5000 }), "{:?}", office.assumed);
    // A dyno's address is an example; two outbound IPs must both be allowlisted.
    let partner = answer("q-partner");
    assert!(partner.assumed.contains(&Assumption::DynoAddress));
    assert!(partner.assumed.contains(&Assumption::AllOutboundIps));
    // The rendered trace says so.
    let text = spacetrace_engine::render::trace(&checked.model, &partner);
    assert!(text.contains("Assumption: Traffic may leave from any of the space's outbound IPs"), "{text}");
    // The verdict-only path agrees with the full trace whatever was assumed.
    let q = checked.questions.iter().find(|q| q.id == "q-partner").and_then(|q| q.query).unwrap();
    assert_eq!(spacetrace_engine::outcome(&checked.model, &q).verdict, partner.verdict);
}
