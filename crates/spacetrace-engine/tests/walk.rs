//! The packet's walk against the example scenarios: addresses as each hop sees them, the stop at
//! the blocking hop, and the reply's walk where a stateless network ACL decides.

use spacetrace_engine::doc::Document;
use spacetrace_engine::walk::{self, Address, Leg};
use spacetrace_engine::{Checked, Query, Trace, check, evaluate, render};

fn scenario(name: &str) -> (Document, Checked) {
    let path = format!("{}/../../scenarios/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).expect("example");
    let doc: Document = serde_json::from_str(&text).expect("parses");
    let checked = check(&doc);
    (doc, checked)
}

fn ask(name: &str, question: &str) -> (Checked, Trace) {
    let (doc, checked) = scenario(name);
    let q = doc.questions.iter().find(|q| q.id == question).expect("question");
    let query = Query::from_doc(&checked.model, &q.from, &q.to, q.protocol, q.port.unwrap_or(0)).expect("asks");
    let trace = evaluate(&checked.model, &query);
    (checked, trace)
}

fn ip(s: &str) -> Address {
    Address::Ip { ip: s.parse().unwrap() }
}

#[test]
fn the_source_changes_at_the_nat_gateway() {
    let (c, t) = ask("default", "q-partner");
    let p = walk::packets(&c.model, &t);
    assert_eq!(p.len(), t.hops.len());
    assert_eq!(p[0].source, ip("10.0.128.5"));
    assert_eq!(p[0].was, None);
    assert_eq!(p[1].source, Address::AnyOf { ips: vec!["52.1.2.3".parse().unwrap(), "52.1.2.4".parse().unwrap()] });
    assert_eq!(p[1].was, Some(ip("10.0.128.5")));
    assert_eq!(p[2].was, None, "the service sees what the NAT made");
    assert!(p.iter().all(|p| p.destination == Address::Name { name: "api.partner.example".into() }));
    assert!(!p.iter().any(|p| p.stops));
    assert_eq!(render::packet_label(&p[0]), "10.0.128.5 \u{2192} api.partner.example TCP 443");
    assert!(render::packet_notes(&p[1]).contains(&"source was 10.0.128.5".to_owned()));
    assert!(walk::reply(&c.model, &t).is_empty(), "no ACL decides: no reply's walk");
}

#[test]
fn the_router_forwards_to_port_and_becomes_the_source() {
    let (c, t) = ask("default", "q-office-api");
    let p = walk::packets(&c.model, &t);
    let last = p.last().unwrap();
    assert_eq!(p[0].source, Address::Net { net: "198.51.100.0/24".parse().unwrap() });
    assert_eq!(p[0].ports.lo, 443);
    assert_eq!(last.ports.lo, 5000, "the router forwards to $PORT");
    assert!(matches!(last.source, Address::Router { .. }));
    assert!(last.was.is_some());
}

#[test]
fn a_blocked_walk_stops_at_its_blocking_hop() {
    let (c, t) = ask("default", "q-anyone-api");
    let blocked = t.blocked_at.unwrap().hop;
    let p = walk::packets(&c.model, &t);
    assert_eq!(p.len(), blocked + 1);
    assert!(p.last().unwrap().stops);
    assert_eq!(p.iter().filter(|p| p.stops).count(), 1);
}

#[test]
fn the_vpn_carries_the_private_address_inside_ipsec() {
    let (c, t) = ask("default", "q-ldap");
    let p = walk::packets(&c.model, &t);
    let vpn = p.iter().find(|p| p.tunnel.is_some()).expect("a tunnel hop");
    assert_eq!(vpn.tunnel, Some(Some("198.51.100.1".parse().unwrap())));
    assert_eq!(vpn.source, ip("10.0.128.4"));
    assert_eq!(p.last().unwrap().destination, ip("192.168.10.20"));
}

#[test]
fn a_stateless_acl_shows_the_reply_walk() {
    let (doc, c) = scenario("peering");
    let mut with_reply = 0;
    for q in &doc.questions {
        let Ok(query) = Query::from_doc(&c.model, &q.from, &q.to, q.protocol, q.port.unwrap_or(0)) else { continue };
        let t = evaluate(&c.model, &query);
        let reply = walk::reply(&c.model, &t);
        if reply.is_empty() {
            continue;
        }
        with_reply += 1;
        let request = walk::packets(&c.model, &t);
        assert!(reply.iter().all(|p| p.leg == Leg::Reply && p.ports.lo == 1024));
        assert_eq!(reply[0].source, request.last().unwrap().destination);
        assert_eq!(reply[0].destination, request.last().unwrap().source);
        if let Some(at) = t.blocked_at {
            // Blocked on the way back: the reply stops at the ACL.
            let acl = at.hop;
            assert!(reply.last().unwrap().stops);
            assert_eq!(reply.last().unwrap().hop, acl);
            assert!(!request.iter().any(|p| p.stops), "the request passed the ACL");
        } else {
            assert_eq!(reply.last().unwrap().hop, 0);
            assert!(!reply.iter().any(|p| p.stops));
        }
    }
    assert!(with_reply > 0, "peering.json has a question an ACL decides");
}

#[test]
fn every_example_walks_without_panicking_and_ends_where_the_path_ends() {
    for name in [
        "aws",
        "common-runtime",
        "default",
        "fir",
        "internal-routing",
        "limits",
        "peering",
        "private-space",
        "trusted-ips",
        "vpn",
    ] {
        let (doc, c) = scenario(name);
        for q in &doc.questions {
            let Ok(query) = Query::from_doc(&c.model, &q.from, &q.to, q.protocol, q.port.unwrap_or(0)) else {
                continue;
            };
            let t = evaluate(&c.model, &query);
            let p = walk::packets(&c.model, &t);
            let end = t.blocked_at.map(|b| b.hop + 1).unwrap_or(t.hops.len());
            assert_eq!(p.len(), end, "{name} {}", q.id);
            for (i, p) in p.iter().enumerate() {
                assert_eq!(p.hop, i);
                assert!(!render::packet_label(p).is_empty());
            }
        }
    }
}

#[test]
fn every_pair_of_a_generated_network_walks_to_where_its_trace_ends() {
    let doc = spacetrace_engine::synth::scenario(60);
    let c = check(&doc);
    let m = spacetrace_engine::matrix::Matrix::new(&c.model);
    let mut walked = 0;
    let columns = m.services.len();
    for (row, column) in (0..m.sources.len()).flat_map(|r| (0..columns).map(move |c| (r, c))).step_by(7).take(400) {
        let Some(t) = m.trace(&c.model, row, column) else { continue };
        let all = walk::walk(&c.model, &t);
        let request = all.iter().filter(|p| p.leg == Leg::Request).count();
        assert_eq!(request, t.blocked_at.map(|b| b.hop + 1).unwrap_or(t.hops.len()));
        assert!(all.iter().filter(|p| p.stops).count() <= 1, "one stop at most");
        walked += 1;
    }
    assert!(walked > 0);
}
