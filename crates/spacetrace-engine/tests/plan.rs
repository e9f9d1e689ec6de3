//! Every blocker, one plan (issue 10, item 11): a blocked question lists every later step that
//! would block once the first is fixed, and one ordered set of fixes that connects it when
//! applied together, or the step no configuration passes. The property over generated documents
//! is `plans_connect_or_name_the_step_no_configuration_passes` in `tests/properties.rs`.

#[path = "support/examples.rs"]
mod examples;

mod support {
    pub mod plan;
    // Only its count of configuration errors is used here.
    #[allow(dead_code)]
    pub mod promise;
}

use std::path::PathBuf;

use serde_json::{Value, json};
use spacetrace_engine::doc::{Document, Protocol};
use spacetrace_engine::matrix::Matrix;
use spacetrace_engine::plan::{Plan, PlanOutcome, apply_all, plan};
use spacetrace_engine::trace::Fix;
use spacetrace_engine::{Query, RuleId, Verdict, check, evaluate, parse_document, render};
use support::plan::{after_all, plan_problems};

fn scenario(name: &str) -> Document {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../scenarios/{name}.json"));
    parse_document(&std::fs::read_to_string(path).expect("the scenario")).expect("a document")
}

fn doc(v: Value) -> Document {
    serde_json::from_value(v).expect("a document")
}

fn query(d: &Document, from: Value, to: Value, port: u16) -> Query {
    let checked = check(d);
    let from = serde_json::from_value(from).expect("a source");
    let to = serde_json::from_value(to).expect("a destination");
    Query::from_doc(&checked.model, &from, &to, Protocol::Tcp, port).expect("askable")
}

fn dyno(app: &str, process: &str) -> Value {
    json!({ "dyno": { "app": app, "process": process } })
}

fn rules(p: &Plan) -> Vec<&'static str> {
    p.blockers.iter().map(|b| b.step.rule.as_str()).collect()
}

/// A Cedar space peered with a VPC that lacks all three things a peering needs on the VPC's side:
/// the route back to the space, the network ACL entries (both ways: ACLs are stateless) and the
/// security group rule.
fn peered_lacking_everything() -> Document {
    doc(json!({
        "version": 2,
        "spaces": [{
            "id": "s", "name": "acme", "cidr": "10.0.0.0/16", "outbound_ips": ["52.1.2.3"],
            "apps": [{ "id": "api", "process_types": [{ "name": "web", "dynos": 1 }] }]
        }],
        "vpcs": [{
            "id": "v", "name": "data", "primary_cidr": "10.100.0.0/16",
            "route_tables": [{ "id": "rtb", "routes": [] }],
            "network_acls": [{
                "id": "acl",
                "inbound": [{ "number": 100, "protocol": "tcp", "ports": "443", "cidr": "0.0.0.0/0", "action": "allow" }],
                "outbound": [{ "number": 100, "protocol": "tcp", "ports": "443", "cidr": "0.0.0.0/0", "action": "allow" }]
            }],
            "security_groups": [{ "id": "sg", "inbound": [], "outbound": [{ "protocol": "all", "ports": "all", "cidr": "0.0.0.0/0" }] }],
            "subnets": [{ "id": "sn", "cidr": "10.100.1.0/24", "route_table": "rtb", "network_acl": "acl" }],
            "hosts": [{ "id": "db", "name": "db", "subnet": "sn", "address": "10.100.1.5", "security_groups": ["sg"], "ports": [{ "port": 5432 }] }]
        }],
        "peerings": [{ "id": "pcx", "space": "s", "vpc": "v", "status": "active" }]
    }))
}

#[test]
fn a_peered_vpc_lacking_the_route_the_acl_entries_and_the_group_rule_gets_one_plan() {
    let d = peered_lacking_everything();
    let q = query(&d, dyno("api", "web"), json!({ "host": "db" }), 5432);
    let p = plan(&d, &q);
    assert_eq!(p.outcome, PlanOutcome::Connects, "{p:#?}");
    // In path order: the route table, the ACL both ways (the request in, the replies out), then
    // the security group.
    assert_eq!(rules(&p), ["PEER-ROUTE", "PEER-NACL", "PEER-NACL", "PEER-SECURITY-GROUP"], "{p:#?}");
    assert_eq!(p.further().len(), 3);
    assert!(matches!(p.fixes[0].fix, Fix::AddRoute { .. }), "{:?}", p.fixes[0]);
    assert!(matches!(p.fixes[3].fix, Fix::AddSecurityGroupRule { .. }), "{:?}", p.fixes[3]);
    assert_eq!(after_all(&d, &q, &p).verdict, Verdict::Connected);
    let problems = plan_problems(&d, &q);
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // In words: the later blockers, the changes in order, and that together they connect.
    let model = check(&d).model;
    let text = render::plan(&model, &p);
    assert!(text.starts_with("Also blocking once that is fixed:\n  \u{2022} [PEER-NACL] hop "), "{text}");
    assert!(text.contains("\n  \u{2022} [PEER-SECURITY-GROUP] hop "), "{text}");
    assert!(text.contains("security group sg: sg allows no inbound TCP 5432"), "{text}");
    assert!(
        text.contains("Plan:\n  1. [PEER-ROUTE] Add the route 10.0.0.0/16 \u{2192} pcx to rtb.\n  2. [PEER-NACL] "),
        "{text}"
    );
    assert!(text.ends_with("Applied together, in this order, these 4 changes connect the question.\n"), "{text}");
}

#[test]
fn applying_all_is_applying_each_in_turn() {
    let d = peered_lacking_everything();
    let q = query(&d, dyno("api", "web"), json!({ "host": "db" }), 5432);
    let p = plan(&d, &q);
    let mut one_by_one = d.clone();
    for f in p.fix_list() {
        one_by_one = spacetrace_engine::apply::apply(&one_by_one, &f).unwrap();
    }
    assert_eq!(apply_all(&d, &p.fix_list()).unwrap(), one_by_one);
    assert!(apply_all(&d, &[Fix::NoConfiguration { workaround: None }]).is_err());
}

#[test]
fn one_blocker_plans_one_change() {
    let d = scenario("default");
    let q = query(&d, dyno("api", "worker"), json!({ "host": "warehouse" }), 5432);
    let p = plan(&d, &q);
    assert_eq!((rules(&p), p.fixes.len(), &p.outcome), (vec!["PEER-ROUTE"], 1, &PlanOutcome::Connects));
    let model = check(&d).model;
    assert_eq!(
        render::plan(&model, &p),
        "Nothing else blocks once that is fixed: applied alone, the first change connects the question.\n"
    );
}

#[test]
fn creating_a_peering_uncovers_the_route_and_the_group_rule() {
    // limits.json: retail-edge is not peered with analytics-vpc at all.
    let d = scenario("limits");
    let q = query(&d, dyno("sync", "worker"), json!({ "host": "analytics-db" }), 5432);
    let p = plan(&d, &q);
    assert_eq!(rules(&p), ["PEER-ACCEPTED", "PEER-ROUTE", "PEER-SECURITY-GROUP"], "{p:#?}");
    assert_eq!(p.outcome, PlanOutcome::Connects);
    // The route names the peering the first fix creates, found by its ID in the changed document.
    assert!(matches!(&p.fixes[1].fix, Fix::AddRoute { target, .. } if target == "pcx-analytics"), "{:?}", p.fixes[1]);
    let problems = plan_problems(&d, &q);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn internal_routing_from_the_internet_is_a_step_no_configuration_passes() {
    let d = scenario("internal-routing");
    let q = query(&d, json!({ "client": "internet" }), json!({ "hostname": "ledger" }), 443);
    let p = plan(&d, &q);
    assert!(p.fixes.is_empty(), "{p:#?}");
    assert!(matches!(&p.outcome, PlanOutcome::Stuck { .. }), "{p:#?}");
    assert_eq!(p.stuck_at().map(|b| b.step.rule), Some(RuleId::IrNoExternal));
    let text = render::plan(&check(&d).model, &p);
    assert!(text.starts_with("[IR-NO-EXTERNAL] No configuration passes hop 2, DNS bank-ledger.herokuapp.com. Reach bank-ledger from its own space"), "{text}");
}

#[test]
fn a_fir_space_to_a_peered_vpc_is_a_step_no_configuration_passes() {
    let d = scenario("fir");
    let q = query(&d, dyno("player", "web"), json!({ "host": "archive" }), 9000);
    let p = plan(&d, &q);
    assert_eq!(p.stuck_at().map(|b| b.step.rule), Some(RuleId::PeerCedarOnly), "{p:#?}");
    let text = render::plan(&check(&d).model, &p);
    assert!(text.contains("No configuration passes hop 2, peering"), "{text}");
    assert!(text.contains("This needs a Cedar space; stream-fir is Fir."), "{text}");
}

#[test]
fn a_plan_may_get_somewhere_before_a_step_no_configuration_passes() {
    // limits.json: no VPN to the store network yet, and its routable CIDR overlaps the space.
    let d = scenario("limits");
    let q = query(&d, dyno("orders", "web"), json!({ "remote_host": "pos-server" }), 443);
    let p = plan(&d, &q);
    assert_eq!(rules(&p), ["VPN-IPSEC", "VPN-NO-OVERLAP"], "{p:#?}");
    assert!(matches!(p.fixes[..], [ref f] if matches!(f.fix, Fix::CreateVpn { .. })), "{p:#?}");
    assert_eq!(p.stuck_at().map(|b| b.step.rule), Some(RuleId::VpnNoOverlap));
    let text = render::plan(&check(&d).model, &p);
    assert!(text.contains("Plan, as far as it goes:\n  1. [VPN-IPSEC] Create a VPN connection"), "{text}");
    assert!(text.ends_with("[VPN-NO-OVERLAP] No configuration passes hop 2, VPN tunnel VPN to Store network. Renumber Store network so that it does not overlap the space.\n"), "{text}");
    let problems = plan_problems(&d, &q);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every saved question and every pair of the matrix of every example: the plan keeps its
/// promise, and plans of two or more blockers exist among the examples.
#[test]
fn every_plan_of_every_example_keeps_its_promise() {
    let files = examples::example_files();
    let (mut problems, mut several) = (Vec::new(), 0);
    for path in files {
        let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
        let d = parse_document(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let checked = check(&d);
        let m = Matrix::new(&checked.model);
        let saved = checked.questions.iter().filter_map(|q| q.query);
        let cells = (0..m.sources.len())
            .flat_map(|r| (0..m.services.len()).map(move |c| (r, c)))
            .filter_map(|(r, c)| m.query(r, c));
        for q in saved.chain(cells) {
            if evaluate(&checked.model, &q).verdict == Verdict::Blocked && plan(&d, &q).blockers.len() > 1 {
                several += 1;
            }
            problems.extend(
                plan_problems(&d, &q)
                    .into_iter()
                    .map(|p| format!("{name}.json, {}: {p}", render::question(&checked.model, &q))),
            );
        }
    }
    assert!(several >= 10, "only {several} plans of more than one blocker");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
