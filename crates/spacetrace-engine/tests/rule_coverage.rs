//! Every rule of the catalogue, where it decides: a question where it blocks and one where the
//! trace cites it admitting (`Decision::Pass`), or, for a side a rule never takes in a trace, one
//! line saying why (a configuration rule the checker cites, shown by its diagnostic; a rule only
//! a suggested fix cites; a note; a prohibition or a permission).
//!
//! The table is an exhaustive `match` over `RuleId` with no catch-all, so a rule added to the
//! catalogue does not compile until it has its entry. Each "never" is checked as far as a test
//! can: no trace of the table's own questions, nor of any pair of the example scenarios, takes
//! that side.

#[path = "support/examples.rs"]
mod examples;
#[path = "support/network.rs"]
mod network;

use std::collections::BTreeMap;

use network::{base, checked, dyno, dyno_address};
use serde_json::{Value, json};
use spacetrace_engine::check::Checked;
use spacetrace_engine::doc::{self, Protocol};
use spacetrace_engine::matrix::{services, sources};
use spacetrace_engine::trace::{Decision, Trace};
use spacetrace_engine::{Query, RuleId, check_text, evaluate, outcome, render};

// ----- the base scenario --------------------------------------------------------------------

// ----- the table ----------------------------------------------------------------------------

/// A question of the base document, after `setup` changes it.
struct Ask {
    setup: fn(&mut Value),
    from: Value,
    to: Value,
    port: u16,
}

/// How a rule takes one side (blocking, or admitting).
enum Case {
    /// Evaluation decides so on this question.
    Ask(Ask),
    /// A configuration rule: checking the base document, after this change, gives a diagnostic
    /// that carries the rule.
    Diagnostic(fn(&mut Value)),
    /// Only a suggested fix of this question cites the rule; no step does.
    Suggested(Ask),
    /// No trace ever takes this side, and why.
    Never(&'static str),
}

/// A rule's two sides.
struct Entry {
    blocks: Case,
    admits: Case,
}

fn same(_: &mut Value) {}

fn ask(setup: fn(&mut Value), from: Value, to: Value, port: u16) -> Case {
    Case::Ask(Ask { setup, from, to, port })
}

fn host(id: &str) -> Value {
    json!({ "host": id })
}

fn remote(id: &str) -> Value {
    json!({ "remote_host": id })
}

fn client(id: &str) -> Value {
    json!({ "client": id })
}

fn hostname(app: &str) -> Value {
    json!({ "hostname": app })
}

/// Why a configuration rule decided by the checker (a refused peering) never admits in a trace.
const RELAYED: &str = "a configuration rule the checker decides: evaluation relays a peering it refuses, and a peering it accepts carries traffic by PEER-ACCEPTED";

/// The worker of `api` asking for the warehouse database, the path through the peering.
fn to_db_host() -> (Value, Value, u16) {
    (dyno("api", "worker"), host("db-host"), 5432)
}

/// A sixth VPC peered with `sp`, beyond PEER-LIMIT (five active peerings before it).
fn six_peerings(v: &mut Value) {
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
}

/// The VPC moved to `cidr` (its subnet and host with it).
fn renumber_vpc(v: &mut Value, cidr: &str, subnet: &str, address: &str) {
    v["vpcs"][0]["primary_cidr"] = json!(cidr);
    v["vpcs"][0]["subnets"][0]["cidr"] = json!(subnet);
    v["vpcs"][0]["hosts"][0]["address"] = json!(address);
}

/// Where each rule blocks and where it admits. No catch-all: a new rule needs its entry here.
fn entry(rule: RuleId) -> Entry {
    use Case::{Diagnostic, Never, Suggested};
    let (worker, db_host, pg) = to_db_host();
    match rule {
        // ----- Common Runtime -----
        RuleId::CrIsolation => Entry {
            blocks: ask(same, dyno("cr", "web"), dyno_address("cr", "worker"), 9000),
            admits: Never(
                "a prohibition: no other dyno reaches a Common Runtime dyno directly; a dyno asking its own address is DYNO-LOCAL's",
            ),
        },
        RuleId::CrInboundWebOnly => Entry {
            blocks: ask(same, client("anyone"), dyno_address("cr", "web"), 5000),
            admits: ask(same, client("anyone"), hostname("cr"), 443),
        },
        RuleId::RouterPorts => Entry {
            blocks: ask(same, client("office"), hostname("api"), 8080),
            admits: ask(same, client("office"), hostname("api"), 443),
        },
        RuleId::DynoLocal => Entry {
            blocks: Never("processes of one dyno always reach each other, on localhost or the dyno's own address"),
            admits: ask(same, dyno("api", "web"), json!("localhost"), 8080),
        },
        RuleId::DynoInterface => Entry {
            blocks: ask(
                |v| v["common_runtime_apps"][0]["process_types"][1]["dynos"] = json!(0),
                dyno("cr", "worker"),
                json!({ "external": "open-api" }),
                443,
            ),
            admits: ask(same, dyno("cr", "web"), json!({ "external": "open-api" }), 443),
        },
        RuleId::CrOutbound => Entry {
            blocks: ask(same, dyno("cr", "web"), json!({ "external": "partner" }), 443),
            admits: ask(same, dyno("cr", "web"), json!({ "external": "open-api" }), 443),
        },
        // ----- Private Spaces -----
        RuleId::PsGenerations => Entry {
            blocks: Diagnostic(|v| v["spaces"][2]["shield"] = json!(true)),
            admits: Never(
                "a configuration rule: traffic depends on the features a generation offers, whose own rules are cited",
            ),
        },
        RuleId::PsPrivateNetwork => Entry {
            blocks: ask(same, dyno("api", "web"), dyno_address("api", "worker"), 9001),
            admits: ask(same, dyno("api", "web"), dyno_address("api", "worker"), 9000),
        },
        RuleId::PsRouter => Entry {
            blocks: ask(same, client("office"), dyno_address("api", "web"), 5000),
            admits: ask(same, client("office"), hostname("api"), 443),
        },
        RuleId::PsNatOutbound => Entry {
            blocks: ask(
                |v| v["external_services"][0]["allowlist"] = json!(["52.0.0.1/32"]),
                dyno("api", "worker"),
                json!({ "external": "partner" }),
                443,
            ),
            admits: ask(same, dyno("api", "worker"), json!({ "external": "partner" }), 443),
        },
        RuleId::PsDataAddons => Entry {
            blocks: ask(same, dyno("cr", "web"), json!({ "addon": "db" }), 5432),
            admits: ask(same, dyno("api", "web"), json!({ "addon": "db" }), 5432),
        },
        RuleId::PsDnsDiscovery => Entry {
            blocks: ask(
                same,
                dyno("fir-app", "web"),
                json!({ "discovery": { "app": "fir-app", "process": "worker" } }),
                9000,
            ),
            admits: ask(same, dyno("api", "web"), json!({ "discovery": { "app": "api", "process": "worker" } }), 9000),
        },
        RuleId::PsCidrs => Entry {
            // The model gives addresses to the first 64 dynos of a process.
            blocks: ask(
                |v| v["spaces"][0]["apps"][0]["process_types"][0]["dynos"] = json!(70),
                dyno("api", "web.70"),
                db_host.clone(),
                pg,
            ),
            admits: ask(same, worker.clone(), db_host.clone(), pg),
        },
        RuleId::PsNoSpaceToSpace => Entry {
            blocks: ask(same, dyno("other-app", "web"), dyno_address("api", "worker"), 9000),
            admits: ask(same, dyno("api", "web"), hostname("other-app"), 443),
        },
        // ----- Trusted IP ranges -----
        RuleId::TipFilter => Entry {
            blocks: ask(same, client("anyone"), hostname("api"), 443),
            admits: ask(same, client("office"), hostname("api"), 443),
        },
        RuleId::TipDefault => Entry {
            blocks: Never("a note: the default range is a fact about the space; TIP-FILTER decides with it"),
            admits: Never("a note: the default range is a fact about the space; TIP-FILTER decides with it"),
        },
        RuleId::TipLimit => Entry {
            blocks: Diagnostic(|v| {
                let ranges: Vec<String> = (1..=21).map(|i| format!("192.0.2.{i}/32")).collect();
                v["spaces"][0]["trusted_ip_ranges"] = json!(ranges);
            }),
            admits: Never("a configuration limit the checker enforces; the ranges kept filter traffic by TIP-FILTER"),
        },
        RuleId::TipFir => Entry {
            blocks: Diagnostic(|v| v["spaces"][2]["trusted_ip_ranges"] = json!(["198.51.100.0/24"])),
            admits: ask(same, client("anyone"), hostname("fir-app"), 443),
        },
        // ----- Internal Routing -----
        RuleId::IrCedarOnly => Entry {
            blocks: Diagnostic(|v| v["spaces"][2]["apps"][0]["internal_routing"] = json!(true)),
            admits: Never(
                "a configuration rule: Internal Routing is in effect only for Cedar space apps, so evaluation never meets it elsewhere",
            ),
        },
        RuleId::IrAtCreation => Entry {
            blocks: Suggested(Ask { setup: same, from: host("db-host"), to: hostname("api"), port: 443 }),
            admits: Never("it names a fix, recreating the app with Internal Routing, never a step"),
        },
        RuleId::IrNoExternal => Entry {
            blocks: ask(same, client("anyone"), hostname("internal"), 443),
            admits: ask(same, dyno("api", "web"), hostname("internal"), 443),
        },
        RuleId::IrPrivateDns => Entry {
            // A space CIDR taken whole by the dyno subnets leaves no address for the endpoint.
            blocks: ask(
                |v| {
                    v["spaces"][0]["cidr"] = json!("10.0.0.0/20");
                    v["spaces"][0]["dyno_subnets"] = json!(["10.0.0.0/20"]);
                },
                host("db-host"),
                hostname("internal"),
                443,
            ),
            admits: ask(same, dyno("api", "web"), hostname("internal"), 443),
        },
        RuleId::IrNeedsWebDyno => Entry {
            blocks: ask(
                |v| v["spaces"][0]["apps"][1]["process_types"][0]["dynos"] = json!(0),
                dyno("api", "web"),
                hostname("internal"),
                443,
            ),
            admits: ask(same, dyno("api", "web"), hostname("internal"), 443),
        },
        RuleId::IrPeerRoute16 => Entry {
            blocks: ask(
                |v| {
                    v["vpcs"][0]["route_tables"][0]["routes"] = json!([
                        { "destination": "10.0.128.0/20", "target": "pcx" },
                        { "destination": "10.0.144.0/20", "target": "pcx" }
                    ])
                },
                host("db-host"),
                hostname("internal"),
                443,
            ),
            admits: ask(same, host("db-host"), hostname("internal"), 443),
        },
        // ----- VPC peering -----
        RuleId::PeerCedarOnly => Entry {
            blocks: ask(same, dyno("fir-app", "worker"), db_host.clone(), pg),
            admits: ask(same, worker.clone(), db_host.clone(), pg),
        },
        RuleId::PeerRfc1918 => Entry {
            blocks: ask(
                |v| renumber_vpc(v, "100.64.0.0/16", "100.64.1.0/24", "100.64.1.5"),
                worker.clone(),
                db_host.clone(),
                pg,
            ),
            admits: Never(RELAYED),
        },
        RuleId::PeerNoOverlap => Entry {
            blocks: ask(
                |v| renumber_vpc(v, "10.1.0.0/16", "10.1.1.0/24", "10.1.1.5"),
                worker.clone(),
                db_host.clone(),
                pg,
            ),
            admits: Never(RELAYED),
        },
        RuleId::PeerAccepted => Entry {
            blocks: ask(
                |v| v["peerings"][0]["status"] = json!("pending-acceptance"),
                worker.clone(),
                db_host.clone(),
                pg,
            ),
            admits: ask(same, worker.clone(), db_host.clone(), pg),
        },
        RuleId::PeerRoute => Entry {
            blocks: ask(|v| v["vpcs"][0]["route_tables"][0]["routes"] = json!([]), worker.clone(), db_host.clone(), pg),
            admits: ask(same, worker.clone(), db_host.clone(), pg),
        },
        RuleId::PeerSecurityGroup => Entry {
            blocks: ask(
                |v| v["vpcs"][0]["security_groups"][0]["inbound"] = json!([]),
                worker.clone(),
                db_host.clone(),
                pg,
            ),
            admits: ask(same, worker.clone(), db_host.clone(), pg),
        },
        RuleId::PeerNacl => Entry {
            blocks: ask(
                |v| {
                    v["vpcs"][0]["network_acls"] =
                        json!([{ "id": "acl", "name": "acl", "inbound": [], "outbound": [] }]);
                    v["vpcs"][0]["subnets"][0]["network_acl"] = json!("acl");
                },
                worker.clone(),
                db_host.clone(),
                pg,
            ),
            admits: ask(
                |v| {
                    v["vpcs"][0]["network_acls"] = json!([{
                        "id": "acl", "name": "acl",
                        "inbound": [{ "number": 100, "protocol": "tcp", "ports": "5432", "cidr": "10.0.0.0/16", "action": "allow" }],
                        "outbound": [{ "number": 100, "protocol": "tcp", "ports": "1024-65535", "cidr": "10.0.0.0/16", "action": "allow" }]
                    }]);
                    v["vpcs"][0]["subnets"][0]["network_acl"] = json!("acl");
                },
                worker.clone(),
                db_host.clone(),
                pg,
            ),
        },
        RuleId::PeerPublicHostname => Entry {
            blocks: ask(
                |v| v["vpcs"][0]["public_egress_ip"] = Value::Null,
                host("db-host"),
                hostname("other-app"),
                443,
            ),
            admits: ask(same, host("db-host"), hostname("other-app"), 443),
        },
        RuleId::PeerPrimaryCidrOnly => Entry {
            blocks: ask(same, worker.clone(), host("sec-host"), pg),
            admits: ask(same, worker.clone(), db_host.clone(), pg),
        },
        RuleId::PeerDynoAddress => Entry {
            blocks: Never(
                "it says how a peered VPC reaches a dyno, by its address; asking by name is refused by PS-DNS-DISCOVERY",
            ),
            admits: ask(same, host("db-host"), dyno_address("api", "worker"), 9000),
        },
        RuleId::PeerNoDataAddons => Entry {
            blocks: ask(same, host("db-host"), json!({ "addon": "db" }), 5432),
            admits: Never("a prohibition: nothing in a peered VPC reaches a data add-on directly"),
        },
        RuleId::PeerNotTransitive => Entry {
            blocks: ask(same, worker.clone(), host("far-host"), pg),
            admits: Never("a prohibition: a VPC peered with the space directly is admitted by PEER-ACCEPTED"),
        },
        RuleId::PeerLimit => {
            Entry { blocks: ask(six_peerings, worker.clone(), host("h5"), 443), admits: Never(RELAYED) }
        }
        // ----- VPN -----
        RuleId::VpnCedarOnly => Entry {
            blocks: ask(same, dyno("fir-app", "worker"), remote("ldap"), 636),
            admits: ask(same, worker.clone(), remote("ldap"), 636),
        },
        RuleId::VpnIpsec => Entry {
            blocks: ask(same, worker.clone(), remote("ldap"), 637),
            admits: ask(same, worker.clone(), remote("ldap"), 636),
        },
        RuleId::VpnRoutableCidrs => Entry {
            blocks: ask(same, worker.clone(), remote("printer"), 631),
            admits: ask(same, worker.clone(), remote("ldap"), 636),
        },
        RuleId::VpnTunnelUp => Entry {
            blocks: ask(|v| v["vpns"][0]["tunnel_status"] = json!("down"), worker.clone(), remote("ldap"), 636),
            admits: ask(same, worker.clone(), remote("ldap"), 636),
        },
        RuleId::VpnInternalRouting => Entry {
            blocks: Never(
                "a permission: VPN-connected networks may reach internally routed apps; the VPN's own rules stop them",
            ),
            admits: ask(same, remote("ldap"), hostname("internal"), 443),
        },
        RuleId::VpnNoOverlap => Entry {
            blocks: ask(
                |v| {
                    v["remote_networks"][0]["cidrs"] = json!(["10.0.0.0/8"]);
                    v["remote_networks"][0]["hosts"] =
                        json!([{ "id": "ldap", "name": "ldap", "address": "10.50.0.5", "ports": [{ "port": 636 }] }]);
                    v["vpns"][0]["routable_cidrs"] = json!(["10.0.0.0/8"]);
                },
                worker.clone(),
                remote("ldap"),
                636,
            ),
            admits: ask(same, worker.clone(), remote("ldap"), 636),
        },
        // ----- Fir -----
        RuleId::FirUnavailable => Entry {
            blocks: Diagnostic(|v| v["vpns"][0]["space"] = json!("fir")),
            admits: Never(
                "a configuration rule: in a trace the feature's own rule is cited (PEER-CEDAR-ONLY, VPN-CEDAR-ONLY, TIP-FIR)",
            ),
        },
        RuleId::FirInboundViaPublicDns => Entry {
            blocks: ask(same, remote("ldap"), dyno_address("fir-app", "worker"), 9000),
            admits: ask(same, remote("ldap"), dyno_address("api", "worker"), 9000),
        },
    }
}

// ----- asking -------------------------------------------------------------------------------

/// The document, the model and the trace of a question.
fn answer(a: &Ask) -> (Value, Checked, Query, Trace) {
    let mut v = base();
    (a.setup)(&mut v);
    let c = checked(&v);
    let from: doc::From = serde_json::from_value(a.from.clone()).expect("from");
    let to: doc::To = serde_json::from_value(a.to.clone()).expect("to");
    let q = Query::from_doc(&c.model, &from, &to, Protocol::Tcp, a.port).expect("the question can be asked");
    let t = evaluate(&c.model, &q);
    (v, c, q, t)
}

/// Whether a trace cites `rule` with this decision in a step.
fn decides(t: &Trace, rule: RuleId, decision: Decision) -> bool {
    t.hops.iter().flat_map(|h| &h.steps).any(|s| s.rule == rule && s.decision == decision)
}

/// Every trace the "never" claims are checked against, with its question in words: the
/// table's own questions, and every pair of the base document and of the example scenarios.
fn corpus() -> Vec<(String, Trace)> {
    let mut traces = Vec::new();
    for rule in RuleId::ALL {
        let e = entry(rule);
        for case in [&e.blocks, &e.admits] {
            if let Case::Ask(a) | Case::Suggested(a) = case {
                let (_, c, q, t) = answer(a);
                traces.push((render::question(&c.model, &q), t));
            }
        }
    }
    let files = examples::example_files();
    let mut models = vec![checked(&base())];
    models.extend(files.iter().map(|f| check_text(&std::fs::read_to_string(f).expect("a readable scenario"))));
    for c in &models {
        for src in sources(&c.model) {
            for s in services(&c.model) {
                if let Ok(q) = Query::new(src, s.dst, s.protocol, s.port) {
                    traces.push((render::question(&c.model, &q), evaluate(&c.model, &q)));
                }
            }
        }
    }
    traces
}

#[test]
fn every_rule_blocks_and_admits_where_it_decides() {
    let mut problems: Vec<String> = Vec::new();
    let corpus = corpus();
    let mut never: BTreeMap<&str, usize> = BTreeMap::new();
    for rule in RuleId::ALL {
        let id = rule.as_str();
        let e = entry(rule);
        for (side, case, decision) in [("blocks", &e.blocks, Decision::Block), ("admits", &e.admits, Decision::Pass)] {
            match case {
                Case::Ask(a) => {
                    let (_, c, q, t) = answer(a);
                    let text = render::trace(&c.model, &t);
                    let ok = match decision {
                        Decision::Block => {
                            t.blocking_step().map(|s| s.rule) == Some(rule)
                                && outcome(&c.model, &q).blocked_by == Some(rule)
                        }
                        _ => decides(&t, rule, Decision::Pass),
                    };
                    if !ok {
                        problems.push(format!("{id} {side}: the question does not show it:\n{text}"));
                    }
                }
                Case::Suggested(a) => {
                    let (_, c, _, t) = answer(a);
                    if !t.suggestions.iter().any(|s| s.rule == rule) {
                        problems.push(format!("{id}: no suggestion cites it:\n{}", render::trace(&c.model, &t)));
                    }
                }
                Case::Diagnostic(setup) => {
                    let mut v = base();
                    setup(&mut v);
                    if !checked(&v).diagnostics.iter().any(|d| d.rules.contains(&rule)) {
                        problems.push(format!("{id} {side}: no diagnostic carries it"));
                    }
                    if let Some((question, _)) = corpus.iter().find(|(_, t)| decides(t, rule, decision)) {
                        problems.push(format!(
                            "{id} {side}: said to be a configuration rule, yet a trace does: {question}"
                        ));
                    }
                }
                Case::Never(why) => {
                    if why.trim().is_empty() {
                        problems.push(format!("{id} never {side}, but the table does not say why"));
                    }
                    *never.entry(id).or_default() += 1;
                    if let Some((question, _)) = corpus.iter().find(|(_, t)| decides(t, rule, decision)) {
                        problems.push(format!(
                            "{id} is said never to take the side \"{side}\", yet a trace does: {question}"
                        ));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
    // The table is not all excuses.
    assert!(never.len() < RuleId::ALL.len() / 2, "{never:?}");
}

/// The rules the issue named as cited only when they block, now cited when they admit.
#[test]
fn rules_once_cited_only_when_blocking_are_cited_admitting() {
    for rule in [RuleId::IrNoExternal, RuleId::IrPeerRoute16, RuleId::PsNoSpaceToSpace] {
        let Case::Ask(a) = entry(rule).admits else { panic!("{rule} admits in a trace") };
        let (_, c, _, t) = answer(&a);
        assert_eq!(t.verdict, spacetrace_engine::Verdict::Connected, "{}", render::trace(&c.model, &t));
        assert!(decides(&t, rule, Decision::Pass), "{}", render::trace(&c.model, &t));
    }
}
