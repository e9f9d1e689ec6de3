//! The gesture and the file give one answer. For every refusal `policy` can give (every `can_*`
//! function), each case builds a document, asks the gesture, then makes the same change in the
//! document and checks it: the gesture refuses with rules R exactly when the checker reports an
//! error with rules R on the new or changed object. Warnings are not refusals and are left out.
//!
//! Two refusals are the gesture's alone, because they are about the gesture rather than the
//! configuration; `gesture_only_refusals` pins them.

use serde_json::{Value, json};
use spacetrace_engine::apply::apply;
use spacetrace_engine::doc::{Document, PeeringStatus};
use spacetrace_engine::policy::{self, Refusal};
use spacetrace_engine::trace::Fix;
use spacetrace_engine::{RuleId, check, parse_document};

/// A Cedar space (`cedar`, 10.0.0.0/16, default unavailable CIDRs), a Cedar Shield space
/// (`shield`), a Fir space (`fir`), a Common Runtime app, VPCs `vpc-0` to `vpc-6` that any Cedar
/// space may peer with, VPCs a space may not peer with (`clash` in the reserved 10.1.0.0/16,
/// `inside` in the space CIDR, `public` outside RFC 1918), and a remote network.
fn base() -> Value {
    let mut vpcs: Vec<Value> =
        (0..7).map(|i| json!({ "id": format!("vpc-{i}"), "primary_cidr": format!("10.{}.0.0/16", 20 + i) })).collect();
    vpcs.push(json!({ "id": "clash", "primary_cidr": "10.1.0.0/16" }));
    vpcs.push(json!({ "id": "inside", "primary_cidr": "10.0.128.0/20" }));
    vpcs.push(json!({ "id": "public", "primary_cidr": "100.64.0.0/16" }));
    let space = |id: &str, generation: &str, shield: bool| {
        json!({
            "id": id, "name": id, "generation": generation, "shield": shield,
            "outbound_ips": ["52.0.0.1"],
            "apps": [{ "id": format!("{id}-api"), "process_types": [{ "name": "web", "dynos": 1 }] }]
        })
    };
    json!({
        "version": 1,
        "name": "gesture and file",
        "common_runtime_apps": [{ "id": "cr-api", "process_types": [{ "name": "web", "dynos": 1 }] }],
        "spaces": [space("cedar", "cedar", false), space("shield", "cedar", true), space("fir", "fir", false)],
        "vpcs": vpcs,
        "remote_networks": [{ "id": "office", "cidrs": ["192.168.50.0/24"], "public_egress_ip": "198.51.100.7" }]
    })
}

fn doc(v: &Value) -> Document {
    parse_document(&v.to_string()).expect("the test document parses")
}

/// The base document with peerings of `space`, in this order, to these VPCs in these states.
fn with_peerings(space: &str, peerings: &[(&str, PeeringStatus)]) -> Document {
    let mut d = doc(&base());
    for (i, (vpc, status)) in peerings.iter().enumerate() {
        d.peerings.push(spacetrace_engine::doc::Peering {
            id: format!("pcx-{i}"),
            space: space.into(),
            vpc: (*vpc).into(),
            status: *status,
            extra: Default::default(),
        });
    }
    d
}

/// The rules of every error the checker reports on `object`.
fn file_rules(d: &Document, object: &str) -> Vec<RuleId> {
    check(d)
        .errors()
        .filter(|e| e.location.as_ref().is_some_and(|l| l.object == object))
        .flat_map(|e| e.rules.iter().copied())
        .collect()
}

fn gesture_rules(r: &Result<(), Refusal>) -> Vec<RuleId> {
    r.as_ref().err().map(|r| r.rules.clone()).unwrap_or_default()
}

/// Asks the gesture, then the checker about `object` in `after`; they must agree. Returns the
/// refusal's kind tag (or "accepted"), to show which refusals the cases covered.
fn agree(case: &str, gesture: Result<(), Refusal>, after: &Document, object: &str) -> String {
    let (g, f) = (gesture_rules(&gesture), file_rules(after, object));
    assert_eq!(g, f, "{case}: the gesture refuses with {g:?}, the checker reports {f:?} on {object}");
    match gesture {
        Ok(()) => "accepted".to_owned(),
        Err(r) => serde_json::to_value(&r.kind).unwrap()["kind"].as_str().unwrap().to_owned(),
    }
}

/// Peer `space` with `vpc` as the app does (the engine's own "create peering" fix), and compare.
fn peer(case: &str, d: &Document, space: &str, vpc: &str) -> String {
    let gesture = policy::can_peer(d, space, vpc);
    let after = apply(d, &Fix::CreatePeering { space: space.into(), vpc: vpc.into() }).unwrap();
    let new = after.peerings.last().unwrap().id.clone();
    agree(case, gesture, &after, &new)
}

#[test]
fn peering_gesture_and_file_agree() {
    use PeeringStatus::{Active, Deleted, PendingAcceptance as Pending};
    let mut seen = Vec::new();
    let d = doc(&base());
    seen.push(peer("a Cedar space and a private VPC", &d, "cedar", "vpc-0"));
    seen.push(peer("a Shield space and a private VPC", &d, "shield", "vpc-0"));
    seen.push(peer("a Fir space", &d, "fir", "vpc-0"));
    seen.push(peer("a Fir space and a public VPC: Fir first", &d, "fir", "public"));
    seen.push(peer("a public VPC", &d, "cedar", "public"));
    seen.push(peer("a VPC in the space CIDR", &d, "cedar", "inside"));
    seen.push(peer("a VPC in an unavailable CIDR", &d, "cedar", "clash"));

    let four = [("vpc-0", Active), ("vpc-1", Active), ("vpc-2", Active), ("vpc-3", Active)];
    let plus = |more: &[(&'static str, PeeringStatus)]| [&four[..], more].concat();
    // Four accepted peerings: a fifth is fine, a sixth is not.
    seen.push(peer("four accepted, a fifth", &with_peerings("cedar", &four), "cedar", "vpc-5"));
    seen.push(peer("five accepted, a sixth", &with_peerings("cedar", &plus(&[("vpc-4", Active)])), "cedar", "vpc-5"));
    // A pending peering counts; a deleted one does not.
    seen.push(peer("four and a pending one", &with_peerings("cedar", &plus(&[("vpc-4", Pending)])), "cedar", "vpc-5"));
    seen.push(peer("four and a deleted one", &with_peerings("cedar", &plus(&[("vpc-4", Deleted)])), "cedar", "vpc-5"));
    // Four accepted and one refused: the refused one takes no place, so a fifth good one is fine.
    for refused in ["clash", "inside", "public"] {
        let d = with_peerings("cedar", &plus(&[(refused, Active)]));
        let case = format!("four accepted, one refused ({refused}), a fifth good one");
        assert_eq!(peer(&case, &d, "cedar", "vpc-5"), "accepted", "{case}");
    }
    // A peering refused for the limit takes no place either, but the space stays full.
    let d = with_peerings("cedar", &plus(&[("vpc-4", Active), ("vpc-5", Active)]));
    assert_eq!(file_rules(&d, "pcx-5"), vec![RuleId::PeerLimit]);
    seen.push(peer("five accepted, one past the limit, a seventh", &d, "cedar", "vpc-6"));
    // A Fir space's peerings are all refused, and count for nothing.
    let fir = with_peerings("fir", &plus(&[("vpc-4", Active)]));
    seen.push(peer("a Fir space with five refused peerings", &fir, "fir", "vpc-5"));

    for kind in ["accepted", "peering_on_fir", "peering_vpc_not_private", "peering_overlap", "peering_limit"] {
        assert!(seen.iter().any(|k| k == kind), "no case ends in {kind}");
    }
}

#[test]
fn vpn_gesture_and_file_agree() {
    let d = doc(&base());
    for (space, expect) in [("cedar", "accepted"), ("shield", "accepted"), ("fir", "vpn_on_fir")] {
        let gesture = policy::can_connect_vpn(&d, space);
        let after = apply(&d, &Fix::CreateVpn { space: space.into(), remote: "office".into() }).unwrap();
        let new = after.vpns.last().unwrap().id.clone();
        assert_eq!(agree(&format!("a VPN for {space}"), gesture, &after, &new), expect);
    }
}

#[test]
fn internal_routing_gesture_and_file_agree() {
    // Creating an app with Internal Routing, in each kind of space and in the Common Runtime.
    for (space, expect) in [
        (Some("cedar"), "accepted"),
        (Some("shield"), "accepted"),
        (Some("fir"), "internal_routing_not_cedar"),
        (None, "internal_routing_not_cedar"),
    ] {
        let mut v = base();
        let gesture = policy::can_choose_internal_routing(&doc(&v), "new", space, true);
        let app = json!({ "id": "new", "internal_routing": true, "process_types": [{ "name": "web", "dynos": 1 }] });
        match space {
            Some(s) => {
                let spaces = v["spaces"].as_array_mut().unwrap();
                let sp = spaces.iter_mut().find(|x| x["id"] == s).unwrap();
                sp["apps"].as_array_mut().unwrap().push(app);
            }
            None => v["common_runtime_apps"].as_array_mut().unwrap().push(app),
        }
        assert_eq!(agree(&format!("Internal Routing in {space:?}"), gesture, &doc(&v), "new"), expect);
    }
}

#[test]
fn trusted_ranges_gesture_and_file_agree() {
    let ranges = |n: usize| -> Vec<String> { (0..n).map(|i| format!("198.51.{i}.0/24")).collect() };
    for (space, n, expect) in [
        ("cedar", 1, "accepted"),
        ("cedar", 20, "accepted"),
        ("cedar", 21, "trusted_ip_limit"),
        ("shield", 21, "trusted_ip_limit"),
        ("fir", 1, "trusted_ips_on_fir"),
        ("fir", 21, "trusted_ips_on_fir"),
    ] {
        let mut d = doc(&base());
        let gesture = policy::can_set_trusted_ranges(&d, space, n);
        d.spaces.iter_mut().find(|s| s.id == space).unwrap().trusted_ip_ranges = Some(ranges(n));
        assert_eq!(agree(&format!("{n} trusted ranges on {space}"), gesture, &d, space), expect);
    }
}

#[test]
fn shield_gesture_and_file_agree() {
    for (space, expect) in [("cedar", "accepted"), ("fir", "shield_on_fir")] {
        let mut d = doc(&base());
        let gesture = policy::can_be_shield(&d, space);
        d.spaces.iter_mut().find(|s| s.id == space).unwrap().shield = true;
        assert_eq!(agree(&format!("Shield on {space}"), gesture, &d, space), expect);
    }
}

/// Refusals about the gesture rather than the configuration, which a file cannot show.
#[test]
fn gesture_only_refusals() {
    let d = with_peerings("cedar", &[("vpc-0", PeeringStatus::PendingAcceptance)]);
    // A second live peering with the same VPC: the gesture refuses it; a file may keep a pending
    // peering beside its replacement, and evaluation uses the one that carries traffic.
    assert_eq!(gesture_rules(&policy::can_peer(&d, "cedar", "vpc-0")), vec![RuleId::PeerAccepted]);
    let after = apply(&d, &Fix::CreatePeering { space: "cedar".into(), vpc: "vpc-0".into() }).unwrap();
    assert_eq!(file_rules(&after, &after.peerings.last().unwrap().id), vec![]);

    // Internal Routing switched on an existing app: a file only ever shows the app as created.
    let d = doc(&base());
    assert_eq!(
        gesture_rules(&policy::can_choose_internal_routing(&d, "cedar-api", Some("cedar"), false)),
        vec![RuleId::IrAtCreation]
    );
}
