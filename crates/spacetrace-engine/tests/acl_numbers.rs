//! Rule numbers for a suggested network ACL rule: always a free number that decides before the
//! deny it must beat, never a loop. A shared link once froze the tab: an ACL holding rule
//! number 4294967295 whose decision was the implicit deny sent the number search into an
//! endless loop, reached from the matrix. And an added rule once duplicated the deny it should
//! precede (deny at 1 → "rule 1") or came after it (deny at 0 → "rule 1"); then, with no free
//! number before the deny, the answer offered nothing at all. Now it makes room: the deny and the
//! rules right after it move up one.

use std::sync::mpsc;
use std::time::Duration;

use serde_json::{Value, json};
use spacetrace_engine::doc::Document;
use spacetrace_engine::matrix::Matrix;
use spacetrace_engine::trace::{AclRenumber, Fix};
use spacetrace_engine::{Query, Verdict, check, evaluate};

/// The peering example with the search host's ACL given these inbound rules.
fn peering_with(inbound: Value) -> Document {
    let mut v: Value = serde_json::from_str(include_str!("../../../scenarios/peering.json")).expect("json");
    let acls = v["vpcs"][0]["network_acls"].as_array_mut().expect("acls");
    let acl = acls.iter_mut().find(|a| a["id"] == "acl-restricted").expect("acl-restricted");
    acl["inbound"] = inbound;
    serde_json::from_value(v).expect("a document")
}

fn rule(number: u64, ports: &str, action: &str) -> Value {
    json!({ "number": number, "protocol": "tcp", "ports": ports, "cidr": "10.0.0.0/16", "action": action })
}

/// Run `f` on another thread and fail, rather than hang, if it does not finish.
fn finishes<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(120)).unwrap_or_else(|_| panic!("{what} did not finish"))
}

/// The suggested ACL rules of the search question: (number, renumbering, the question moves
/// forward once it is applied and the check adds no error).
fn search_fixes_renumbering(d: &Document) -> Vec<(u32, Vec<AclRenumber>, bool)> {
    let c = check(d);
    let q = c.questions.iter().find(|q| q.id == "q-web-search").and_then(|q| q.query).expect("the search question");
    let t = evaluate(&c.model, &q);
    assert_eq!(t.verdict, Verdict::Blocked);
    assert!(!t.suggestions.is_empty(), "a blocked answer suggests something");
    let blocked = t.blocked_at.map(|b| (b.hop, b.step)).expect("blocked");
    t.suggestions
        .iter()
        .filter_map(|s| match &s.fix {
            Fix::AddAclRule { number, renumber, .. } => {
                let after = spacetrace_engine::apply::apply(d, &s.fix).expect("applies");
                let c2 = check(&after);
                let q2 =
                    Query::from_doc(&c2.model, &q.to_doc(&c.model).0, &q.to_doc(&c.model).1, q.protocol(), q.port())
                        .expect("still asks");
                let t2 = evaluate(&c2.model, &q2);
                let forward =
                    t2.verdict == Verdict::Connected || t2.blocked_at.map(|b| (b.hop, b.step)) > Some(blocked);
                let clean = c2.errors().count() == c.errors().count();
                Some((*number, renumber.clone(), forward && clean))
            }
            _ => None,
        })
        .collect()
}

/// The suggested ACL rule numbers of the search question: (numbers, the question moves forward
/// once each is applied), for rules added without renumbering.
fn search_fixes(d: &Document) -> Vec<(u32, bool)> {
    search_fixes_renumbering(d)
        .into_iter()
        .map(|(n, renumber, forward)| {
            assert!(renumber.is_empty(), "rule {n} renumbers {renumber:?}");
            (n, forward)
        })
        .collect()
}

#[test]
fn the_highest_rule_number_with_an_implicit_deny_does_not_freeze_the_matrix() {
    // Rule 4294967295 matches nothing the search question sends: its decision is the implicit deny.
    let d = peering_with(json!([rule(4_294_967_295, "1-2", "allow")]));
    let cells = finishes("the matrix", {
        let d = d.clone();
        move || {
            let c = check(&d);
            Matrix::new(&c.model).cells.len()
        }
    });
    assert!(cells > 0);
    let fixes = finishes("the full trace", move || search_fixes(&d));
    assert_eq!(fixes.len(), 1, "one rule to add");
    let (n, forward) = fixes[0];
    assert!((1..=32766).contains(&n), "a number AWS accepts: {n}");
    assert!(forward, "rule {n} lets the question move forward");
}

#[test]
fn an_added_rule_comes_before_the_deny_it_must_beat() {
    // Deny at 110 with 109 taken: the rule goes at 108.
    let d = peering_with(json!([rule(109, "1-2", "allow"), rule(110, "9200", "deny"), rule(120, "9200", "allow")]));
    assert_eq!(search_fixes(&d), vec![(108, true)]);
    // Deny at 2: the only number before it is 1.
    let d = peering_with(json!([rule(2, "9200", "deny")]));
    assert_eq!(search_fixes(&d), vec![(1, true)]);
}

#[test]
fn where_no_number_comes_before_the_deny_the_rule_makes_room() {
    let moves = |pairs: &[(u32, u32)]| pairs.iter().map(|&(from, to)| AclRenumber { from, to }).collect::<Vec<_>>();
    // Deny at 1: the allow takes 1, the deny moves to 2 (never a second rule 1).
    let d = peering_with(json!([rule(1, "9200", "deny")]));
    assert_eq!(search_fixes_renumbering(&d), vec![(1, moves(&[(1, 2)]), true)]);
    // Deny at 0: no number AWS accepts comes before it; the allow takes 1 and the deny 2 (never
    // a rule 1 after the deny).
    let d = peering_with(json!([rule(0, "9200", "deny")]));
    assert_eq!(search_fixes_renumbering(&d), vec![(1, moves(&[(0, 2)]), true)]);
    // Every number under the deny taken: the deny and the rule right after it move up one.
    let d = peering_with(json!([
        rule(1, "1-2", "allow"),
        rule(2, "3-4", "allow"),
        rule(3, "9200", "deny"),
        rule(4, "9300", "allow"),
        rule(10, "9400", "allow")
    ]));
    assert_eq!(search_fixes_renumbering(&d), vec![(3, moves(&[(3, 4), (4, 5)]), true)]);
    // A deny at 32766 with every number under it taken would need a number past AWS's last; a
    // network ACL keeps at most 200 rules a direction (`limits::LIMITS`, AWS allows 40), so some
    // number under the deny is always free, and the answer takes it.
    let acl = |count: u64| {
        let rules: Vec<Value> = (32767 - count..=32766)
            .map(|n| rule(n, if n == 32766 { "9200" } else { "1-2" }, if n == 32766 { "deny" } else { "allow" }))
            .collect();
        peering_with(Value::Array(rules))
    };
    assert_eq!(search_fixes_renumbering(&acl(199)), vec![(32767 - 200, Vec::new(), true)]);
    // An ACL already holding the most rules Spacetrace takes in gets no rule that the cap would
    // cut away again: the answer says to make room.
    let d = acl(200);
    let c = check(&d);
    let q = c.questions.iter().find(|q| q.id == "q-web-search").and_then(|q| q.query).unwrap();
    let t = evaluate(&c.model, &q);
    assert!(
        matches!(&t.suggestions[..], [s] if matches!(&s.fix, Fix::NoConfiguration { workaround: Some(spacetrace_engine::trace::Workaround::MakeRoom { max: 200, .. }) })),
        "{:?}",
        t.suggestions
    );
}
