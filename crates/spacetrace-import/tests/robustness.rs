//! Import never panics: not on arbitrary JSON trees, not on real and fixture files with parts
//! replaced, removed or retyped. What it returns is a document the engine reads back. Lists are
//! capped, and so are warnings.
//!
//! Runs are reproducible: the seed is fixed unless `PROPTEST_RNG_SEED` is set, and the case counts
//! hold unless `PROPTEST_CASES` is set. No failure files are written.

mod support;

use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use serde_json::{Map, Value, json};
use spacetrace_import::{Imported, Input, MAX_OBJECTS, MAX_WARNINGS, Problem, What, import, render};
use support::*;

fn config(cases: u32) -> ProptestConfig {
    let base = ProptestConfig::default();
    let cases = if std::env::var_os("PROPTEST_CASES").is_some() { base.cases } else { cases };
    let rng_seed =
        if std::env::var_os("PROPTEST_RNG_SEED").is_some() { base.rng_seed } else { RngSeed::Fixed(0x1a2b_3c4d) };
    ProptestConfig { cases, rng_seed, failure_persistence: None, max_shrink_iters: 2048, ..base }
}

/// Keys the importer looks for, so that arbitrary trees reach its readers.
const KEYS: &[&str] = &[
    "Vpcs",
    "Subnets",
    "RouteTables",
    "SecurityGroups",
    "NetworkAcls",
    "VpcPeeringConnections",
    "Reservations",
    "Instances",
    "NetworkInterfaces",
    "VpnConnections",
    "NatGateways",
    "PrefixLists",
    "TransitGateways",
    "VpcId",
    "SubnetId",
    "CidrBlock",
    "GroupId",
    "IpPermissions",
    "IpRanges",
    "CidrIp",
    "Routes",
    "Associations",
    "Main",
    "Entries",
    "RuleNumber",
    "Protocol",
    "PortRange",
    "FromPort",
    "ToPort",
    "PrivateIpAddress",
    "InstanceId",
    "State",
    "Name",
    "Tags",
    "Key",
    "Value",
    "Status",
    "Code",
    "RequesterVpcInfo",
    "AccepterVpcInfo",
    "VpcPeeringConnectionId",
    "name",
    "cidr",
    "generation",
    "shield",
    "region",
    "pcx_id",
    "aws_vpc_id",
    "cidr_blocks",
    "status",
    "vpc_id",
    "space_cidr_blocks",
    "tunnels",
    "routable_cidrs",
    "public_ip",
    "apps",
    "id",
    "domains",
    "formations",
    "dynos",
    "private_ip",
    "process_type",
    "rules",
    "action",
    "source",
    "app",
    "space",
    "addons",
    "type",
    "version",
    "spaces",
    "NextToken",
    "pre_shared_key",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(|f| json!(f)),
        prop_oneof![
            Just("10.0.0.0/16".to_owned()),
            Just("10.100.1.5".to_owned()),
            Just("::/0".to_owned()),
            Just("-1".to_owned()),
            Just("tcp".to_owned()),
            Just("active".to_owned()),
            Just("vpc-1".to_owned()),
            Just("subnet-1".to_owned()),
            Just("sg-1".to_owned()),
            Just("pl-1".to_owned()),
            Just("pcx-1".to_owned()),
            Just("heroku-managed".to_owned()),
            ".{0,12}",
        ]
        .prop_map(Value::String),
    ]
}

fn tree() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(5, 96, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect::<Map<_, _>>())),
        ]
    })
}

/// Import, and hold what comes back to the invariants: a document the engine reads back and
/// checks, warnings that render, problems that render.
fn import_and_hold(files: &[(String, String)]) -> Option<Imported> {
    let inputs: Vec<Input<'_>> = files.iter().map(|(n, t)| Input { name: n, text: t }).collect();
    match import(&inputs) {
        Ok(imported) => {
            let json = serde_json::to_string(&imported.document).expect("the document serialises");
            let back = spacetrace_engine::parse_document(&json).expect("the engine reads the document back");
            assert_eq!(back, imported.document);
            let _ = spacetrace_engine::check(&imported.document);
            for w in &imported.warnings {
                assert!(!render::warning(w).is_empty());
            }
            assert!(imported.warnings.len() <= MAX_WARNINGS + 1);
            Some(imported)
        }
        Err(e) => {
            assert!(!e.problems.is_empty());
            for p in &e.problems {
                assert!(!render::file_problem(p).is_empty());
            }
            None
        }
    }
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn arbitrary_json_never_panics(v in tree()) {
        import_and_hold(&[("arbitrary.json".to_owned(), v.to_string())]);
    }

    #[test]
    fn arbitrary_json_under_each_aws_key_never_panics(key in prop::sample::select(&KEYS[..13]), items in prop::collection::vec(tree(), 0..4)) {
        let v = json!({ key: items });
        import_and_hold(&[("aws.json".to_owned(), v.to_string())]);
    }
}

/// Every value in a tree, by path (a list of keys and indices).
fn paths(v: &Value, here: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    out.push(here.clone());
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                here.push(json!(k));
                paths(c, here, out);
                here.pop();
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                here.push(json!(i));
                paths(c, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn at_mut<'a>(v: &'a mut Value, path: &[Value]) -> Option<&'a mut Value> {
    let mut cur = v;
    for seg in path {
        cur = match seg {
            Value::String(k) => cur.get_mut(k.as_str())?,
            Value::Number(n) => cur.get_mut(n.as_u64()? as usize)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// The files mutations are made on: every fixture, and the real files when present.
fn corpus() -> Vec<(String, Value)> {
    let mut files = all_fixtures();
    let shared = shared_aws();
    if shared.join("hybrid-cloud-us-west-2").is_dir() {
        files.extend(files_in(&shared.join("hybrid-cloud-us-west-2")));
        files.push((
            "vpc-peering-connections.json".into(),
            std::fs::read_to_string(shared.join("vpc-peering-connections.json")).unwrap(),
        ));
    } else {
        println!("mutations: the real AWS files are absent ({}); mutating the fixtures only", shared.display());
    }
    files.into_iter().map(|(n, t)| (n, serde_json::from_str(&t).unwrap())).collect()
}

#[derive(Debug, Clone)]
enum Mutation {
    Replace(usize, Value),
    Remove(usize),
    Duplicate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), tree()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        any::<usize>().prop_map(Mutation::Remove),
        any::<usize>().prop_map(Mutation::Duplicate),
    ]
}

fn mutate(v: &mut Value, m: &Mutation) {
    let mut all = Vec::new();
    paths(v, &mut Vec::new(), &mut all);
    let pick = |i: usize| all[i % all.len()].clone();
    match m {
        Mutation::Replace(i, new) => {
            if let Some(slot) = at_mut(v, &pick(*i)) {
                *slot = new.clone();
            }
        }
        Mutation::Remove(i) => {
            let path = pick(*i);
            let Some((last, parent)) = path.split_last() else { return };
            match (at_mut(v, parent), last) {
                (Some(Value::Object(m)), Value::String(k)) => {
                    m.remove(k);
                }
                (Some(Value::Array(a)), Value::Number(n)) => {
                    let i = n.as_u64().unwrap_or(0) as usize;
                    if i < a.len() {
                        a.remove(i);
                    }
                }
                _ => {}
            }
        }
        Mutation::Duplicate(i) => {
            if let Some(Value::Array(a)) = at_mut(v, &pick(*i))
                && let Some(first) = a.first().cloned()
            {
                a.push(first);
            }
        }
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn mutated_files_never_panic(picks in prop::collection::vec((any::<usize>(), prop::collection::vec(mutation(), 1..6)), 1..5)) {
        let corpus = corpus();
        let files: Vec<(String, String)> = picks
            .iter()
            .map(|(f, ms)| {
                let (name, v) = &corpus[f % corpus.len()];
                let mut v = v.clone();
                for m in ms {
                    mutate(&mut v, m);
                }
                (name.clone(), v.to_string())
            })
            .collect();
        import_and_hold(&files);
    }
}

#[test]
fn every_fixture_with_every_field_removed_imports() {
    // Exhaustive over single removals: each field of each fixture, gone.
    for (name, v) in corpus().into_iter().take(40) {
        let mut all = Vec::new();
        paths(&v, &mut Vec::new(), &mut all);
        for i in 0..all.len() {
            let mut m = v.clone();
            mutate(&mut m, &Mutation::Remove(i));
            import_and_hold(&[(name.clone(), m.to_string())]);
        }
    }
}

#[test]
fn long_lists_are_capped_with_a_warning() {
    let groups: Vec<Value> = (0..MAX_OBJECTS + 7)
        .map(|i| json!({ "GroupId": format!("sg-{i}"), "GroupName": "g", "VpcId": "vpc-1", "IpPermissions": [], "IpPermissionsEgress": [] }))
        .collect();
    let vpcs = json!({ "Vpcs": [{ "VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16" }] });
    let imported = import_and_hold(&[
        ("vpcs.json".into(), vpcs.to_string()),
        ("groups.json".into(), json!({ "SecurityGroups": groups }).to_string()),
    ])
    .unwrap();
    assert_eq!(imported.document.vpcs[0].security_groups.len(), MAX_OBJECTS);
    let capped: Vec<_> = imported.warnings.iter().filter(|w| matches!(w.what, What::Capped { .. })).collect();
    assert_eq!(capped.len(), 1);
    assert_eq!(capped[0].path, "SecurityGroups");
    assert_eq!(
        render::warning(capped[0]),
        format!(
            "\u{201c}groups.json\u{201d}, SecurityGroups: This list has {} items; only the first {MAX_OBJECTS} are imported.",
            MAX_OBJECTS + 7
        )
    );
}

#[test]
fn warnings_are_capped_too() {
    let fields: Map<String, Value> = (0..MAX_WARNINGS + 50).map(|i| (format!("Unknown{i}"), json!(1))).collect();
    let mut vpc = Value::Object(fields);
    vpc["VpcId"] = json!("vpc-1");
    vpc["CidrBlock"] = json!("10.0.0.0/16");
    let imported = import_and_hold(&[("vpcs.json".into(), json!({ "Vpcs": [vpc] }).to_string())]).unwrap();
    assert_eq!(imported.warnings.len(), MAX_WARNINGS + 1);
    assert_eq!(imported.warnings.last().unwrap().what, What::WarningsCapped { more: 50 });
}

#[test]
fn deep_nesting_and_huge_text_are_problems_not_panics() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let e = import(&[Input { name: "deep.json", text: &deep }]).unwrap_err();
    assert!(matches!(e.problems[0].problem, Problem::NotJson { .. }), "{e:?}");
    let huge = " ".repeat(spacetrace_import::MAX_FILE_BYTES + 1);
    let e = import(&[Input { name: "huge.json", text: &huge }]).unwrap_err();
    assert!(matches!(e.problems[0].problem, Problem::TooLarge { .. }), "{e:?}");
    assert_eq!(import(&[]).unwrap_err().problems[0].problem, Problem::NoFiles);
}
