//! A fix on an imported network comes with the command that carries it out, naming the real
//! objects: the `rtb-`, `sg-`, `acl-` and `pcx-` IDs of the AWS account, the space and app names
//! the Heroku CLI takes.

mod support;

use std::collections::BTreeSet;

use spacetrace_engine::commands::{self, Part, Tool};
use spacetrace_engine::doc::{self, Document, Protocol};
use spacetrace_engine::{Query, check, evaluate};
use support::*;

/// Every ID the imported document gives an object.
fn ids(doc: &Document) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for v in &doc.vpcs {
        out.insert(v.id.clone());
        out.extend(v.route_tables.iter().map(|t| t.id.clone()));
        out.extend(v.security_groups.iter().map(|g| g.id.clone()));
        out.extend(v.network_acls.iter().map(|a| a.id.clone()));
        out.extend(v.subnets.iter().map(|s| s.id.clone()));
    }
    out.extend(doc.peerings.iter().map(|p| p.id.clone()));
    out.extend(doc.vpc_peerings.iter().map(|p| p.id.clone()));
    for s in &doc.spaces {
        out.insert(s.name.clone());
        out.extend(s.apps.iter().map(|a| a.name.clone()));
    }
    out
}

/// Every command suggested for a question from each dyno of the space to each host, on the
/// ports the fixtures' hosts use.
fn every_command(doc: &Document) -> Vec<commands::Command> {
    let checked = check(doc);
    let mut out = Vec::new();
    for space in &doc.spaces {
        for app in &space.apps {
            for p in &app.process_types {
                for host in doc.vpcs.iter().flat_map(|v| &v.hosts) {
                    for port in [22, 443, 5432, 8443] {
                        let from = doc::From::Dyno { app: app.id.clone(), process: p.name.clone() };
                        let Ok(q) = Query::from_doc(
                            &checked.model,
                            &from,
                            &doc::To::Host(host.id.clone()),
                            Protocol::Tcp,
                            port,
                        ) else {
                            continue;
                        };
                        for s in evaluate(&checked.model, &q).suggestions {
                            out.extend(commands::for_fix(&checked.model, &s.fix));
                        }
                    }
                }
            }
        }
    }
    out
}

#[test]
fn commands_name_the_real_objects_of_an_imported_network() {
    let imported = import_files(&all_fixtures());
    let doc = &imported.document;
    let known = ids(doc);
    let all = every_command(doc);
    let lines: BTreeSet<String> = all.iter().map(|c| c.line()).collect();
    // The option that names an object is followed by an ID the import gave that object.
    for c in &all {
        for pair in c.args.windows(2) {
            if let [Part::Text(option), Part::Text(value)] = pair
                && matches!(
                    option.as_str(),
                    "--route-table-id"
                        | "--group-id"
                        | "--network-acl-id"
                        | "--vpc-peering-connection-id"
                        | "--space"
                        | "-a"
                )
            {
                assert!(known.contains(value), "{} names {value}, which the import does not hold", c.line());
            }
        }
    }
    let verbs: BTreeSet<&str> = all
        .iter()
        .filter(|c| c.tool == Tool::Aws)
        .filter_map(|c| match c.args.get(1) {
            Some(Part::Text(v)) => Some(v.as_str()),
            _ => None,
        })
        .collect();
    for verb in ["replace-route", "authorize-security-group-ingress", "create-network-acl-entry"] {
        assert!(verbs.contains(verb), "no {verb} among {lines:#?}");
    }
    assert!(
        lines.contains(
            "aws ec2 replace-route --route-table-id rtb-0b2b2b2b2b2b2b2b2 --destination-cidr-block 10.0.0.0/16 --vpc-peering-connection-id pcx-0a1b2c3d4e5f60718"
        ),
        "{lines:#?}"
    );
}
