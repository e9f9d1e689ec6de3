//! Applying a suggested configuration change to a document: the "apply" button. The result is a
//! new document; the input is never changed. Changes to the question, and "no configuration
//! allows this", are not configuration changes and are refused.
//!
//! A fix names objects by ID, as the checked model holds them. A document may hold more than one
//! object with an ID (an error the checker reports, keeping the first it meets and leaving the
//! others out): the change is made to the very object the model holds, found by the model's
//! identity (its space, VPC or remote network), never to one the checker left out.

use std::collections::BTreeMap;

use ipnet::IpNet;

use crate::check::check;
use crate::cidr::parse_cidr;
use crate::doc::{self, Document, PeeringStatus, TunnelStatus};
use crate::model::Model;
use crate::trace::{Direction, Fix};

/// Why a fix could not be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplyError {
    /// The fix changes the question, or says no configuration allows the connection.
    NotAConfigurationChange,
    /// The object the fix names is not in the document (it was edited since the answer).
    Missing { id: String },
}

/// The objects of a document, as the checked model holds them.
struct Held<'m> {
    model: &'m Model,
}

impl Held<'_> {
    /// The app with this ID the model holds, in the document.
    fn app<'d>(&self, doc: &'d mut Document, id: &str) -> Option<&'d mut doc::App> {
        let m = &self.model;
        let app = m.app(m.find_app(id)?);
        let list = match app.space {
            Some(s) => {
                // Top-level IDs: the first object with an ID is the one the checker holds.
                let space = &m.space(s).id;
                &mut doc.spaces.iter_mut().find(|x| x.id == *space)?.apps
            }
            None => &mut doc.common_runtime_apps,
        };
        list.iter_mut().find(|a| a.id == id)
    }

    /// The VPC (in the document) that holds the checked object `id` of a kind `has` finds.
    fn vpc<'d>(&self, doc: &'d mut Document, has: impl Fn(&crate::model::Vpc) -> bool) -> Option<&'d mut doc::Vpc> {
        let vpc = self.model.vpcs.iter().find(|v| has(v))?;
        doc.vpcs.iter_mut().find(|v| v.id == vpc.id)
    }

    fn route_table<'d>(&self, doc: &'d mut Document, id: &str) -> Option<&'d mut doc::RouteTable> {
        let vpc = self.vpc(doc, |v| v.route_tables.iter().any(|r| r.id == id))?;
        vpc.route_tables.iter_mut().find(|r| r.id == id)
    }

    fn security_group<'d>(&self, doc: &'d mut Document, id: &str) -> Option<&'d mut doc::SecurityGroup> {
        let vpc = self.vpc(doc, |v| v.security_groups.iter().any(|g| g.id == id))?;
        vpc.security_groups.iter_mut().find(|g| g.id == id)
    }

    fn network_acl<'d>(&self, doc: &'d mut Document, id: &str) -> Option<&'d mut doc::NetworkAcl> {
        let vpc = self.vpc(doc, |v| v.network_acls.iter().any(|a| a.id == id))?;
        vpc.network_acls.iter_mut().find(|a| a.id == id)
    }

    /// The ports list of the host, remote host or external service `id`.
    fn listener<'d>(&self, doc: &'d mut Document, id: &str) -> Option<&'d mut Vec<doc::Listen>> {
        let m = &self.model;
        if let Some(h) = m.find_host(id) {
            let vpc = &m.vpc(m.host(h).vpc).id;
            let v = doc.vpcs.iter_mut().find(|x| x.id == *vpc)?;
            return v.hosts.iter_mut().find(|x| x.id == id).map(|x| &mut x.ports);
        }
        if let Some(h) = m.find_remote_host(id) {
            let remote = &m.remote(m.remote_host(h).remote).id;
            let r = doc.remote_networks.iter_mut().find(|x| x.id == *remote)?;
            return r.hosts.iter_mut().find(|x| x.id == id).map(|x| &mut x.ports);
        }
        m.find_service(id)?;
        doc.external_services.iter_mut().find(|x| x.id == id).map(|x| &mut x.ports)
    }

    fn holds_space(&self, id: &str) -> bool {
        self.model.spaces.iter().any(|x| x.id == id)
    }

    fn holds_vpc(&self, id: &str) -> bool {
        self.model.vpcs.iter().any(|x| x.id == id)
    }
}

/// Apply one fix, returning the changed document.
pub fn apply(document: &Document, fix: &Fix) -> Result<Document, ApplyError> {
    apply_checked(&check(document).model, document, fix)
}

/// [`apply`], given the model `document` checks into (`check(document).model`), for a caller that
/// already has it.
pub fn apply_checked(model: &Model, document: &Document, fix: &Fix) -> Result<Document, ApplyError> {
    if !fix.is_configuration_change() {
        return Err(ApplyError::NotAConfigurationChange);
    }
    let held = Held { model };
    let mut doc = document.clone();
    let missing = |id: &str| ApplyError::Missing { id: id.to_owned() };
    match fix {
        Fix::AddRoute { route_table, destination, target } => {
            let rt = held.route_table(&mut doc, route_table).ok_or_else(|| missing(route_table))?;
            rt.routes.push(doc::Route { destination: destination.to_string(), target: target.clone() });
        }
        Fix::ReplaceRoute { route_table, destination, target } => {
            let rt = held.route_table(&mut doc, route_table).ok_or_else(|| missing(route_table))?;
            replace_route(rt, *destination, target).ok_or_else(|| missing(route_table))?;
        }
        Fix::AddSecurityGroupRule { group, direction, protocol, ports, cidrs } => {
            let allows_all = doc.omitted_outbound_allows_all();
            let sg = held.security_group(&mut doc, group).ok_or_else(|| missing(group))?;
            let rules = match direction {
                Direction::Inbound => &mut sg.inbound,
                // A group given no outbound rules keeps what it allowed (everything, from version 2).
                Direction::Outbound => sg.outbound.get_or_insert_with(|| {
                    if allows_all { vec![doc::SecurityGroup::default_outbound_rule()] } else { Vec::new() }
                }),
            };
            rules.extend(cidrs.iter().map(|c| doc::SgRule {
                protocol: *protocol,
                ports: ports.to_string(),
                cidr: c.to_string(),
            }));
        }
        Fix::AddAclRule { acl, direction, number, protocol, ports, cidr, renumber } => {
            let a = held.network_acl(&mut doc, acl).ok_or_else(|| missing(acl))?;
            let rules = match direction {
                Direction::Inbound => &mut a.inbound,
                Direction::Outbound => &mut a.outbound,
            };
            // Every rule of an old number takes its new one at once (so 1 → 2 and 2 → 3 do not
            // both move the rule numbered 1).
            let to: BTreeMap<u32, u32> = renumber.iter().map(|r| (r.from, r.to)).collect();
            for r in rules.iter_mut() {
                if let Some(n) = to.get(&r.number) {
                    r.number = *n;
                }
            }
            rules.push(doc::AclRule {
                number: *number,
                protocol: *protocol,
                ports: ports.to_string(),
                cidr: cidr.to_string(),
                action: doc::Action::Allow,
            });
        }
        Fix::AcceptPeering { peering } => {
            let p = doc.peerings.iter_mut().find(|p| p.id == *peering).ok_or_else(|| missing(peering))?;
            p.status = PeeringStatus::Active;
        }
        Fix::CreatePeering { space, vpc } => {
            create_peering(&held, &mut doc, space, vpc)?;
        }
        Fix::CreatePeeringWithRoute { space, vpc, route_table, destination, replace } => {
            let id = create_peering(&held, &mut doc, space, vpc)?;
            let rt = held.route_table(&mut doc, route_table).ok_or_else(|| missing(route_table))?;
            if *replace {
                replace_route(rt, *destination, &id).ok_or_else(|| missing(route_table))?;
            } else {
                rt.routes.push(doc::Route { destination: destination.to_string(), target: id });
            }
        }
        Fix::AddTrustedRanges { space, cidrs } => {
            let s = doc.spaces.iter_mut().find(|s| s.id == *space).ok_or_else(|| missing(space))?;
            // A space that lists no ranges trusts 0.0.0.0/0 (TIP-DEFAULT); listing some replaces
            // that, so the default is listed first and keeps admitting what it did.
            let ranges =
                s.trusted_ip_ranges.get_or_insert_with(|| vec![crate::check::DEFAULT_TRUSTED_RANGE.to_owned()]);
            ranges.extend(cidrs.iter().map(|c| c.to_string()));
        }
        Fix::AddToAllowlist { service, cidrs } => {
            let s = doc.external_services.iter_mut().find(|s| s.id == *service).ok_or_else(|| missing(service))?;
            s.allowlist.get_or_insert_with(Vec::new).extend(cidrs.iter().map(|c| c.to_string()));
        }
        Fix::ScaleProcess { app, process, dynos } => {
            let a = held.app(&mut doc, app).ok_or_else(|| missing(app))?;
            match a.process_types.iter_mut().find(|p| p.name == *process) {
                Some(p) => p.dynos = *dynos,
                None => a.process_types.push(doc::ProcessType {
                    name: process.clone(),
                    dynos: *dynos,
                    ports: Vec::new(),
                    extra: Default::default(),
                }),
            }
        }
        Fix::ListenOnPort { target, process: Some(process), port } => {
            let a = held.app(&mut doc, target).ok_or_else(|| missing(target))?;
            let p = a.process_types.iter_mut().find(|p| p.name == *process).ok_or_else(|| missing(process))?;
            p.ports.push(doc::Listen { protocol: port.protocol, port: port.port });
        }
        Fix::ListenOnPort { target, process: None, port } => {
            let ports = held.listener(&mut doc, target).ok_or_else(|| missing(target))?;
            ports.push(doc::Listen { protocol: port.protocol, port: port.port });
        }
        Fix::BringTunnelUp { vpn } => {
            let v = doc.vpns.iter_mut().find(|v| v.id == *vpn).ok_or_else(|| missing(vpn))?;
            v.tunnel_status = TunnelStatus::Up;
        }
        Fix::AddRoutableCidr { vpn, cidr } => {
            let v = doc.vpns.iter_mut().find(|v| v.id == *vpn).ok_or_else(|| missing(vpn))?;
            v.routable_cidrs.push(cidr.to_string());
        }
        Fix::AddFirewallRule { remote, protocol, ports, cidr } => {
            let r = doc.remote_networks.iter_mut().find(|r| r.id == *remote).ok_or_else(|| missing(remote))?;
            // First match wins: the new allow goes first.
            r.firewall.get_or_insert_with(Default::default).inbound.insert(
                0,
                doc::FirewallRule {
                    protocol: *protocol,
                    ports: ports.to_string(),
                    cidr: cidr.to_string(),
                    action: doc::Action::Allow,
                },
            );
        }
        Fix::CreateVpn { space, remote } => {
            if !held.holds_space(space) {
                return Err(missing(space));
            }
            // The remote network as checked: its readable CIDRs and public address.
            let r = model.remotes.iter().find(|r| r.id == *remote).ok_or_else(|| missing(remote))?;
            let vpn = doc::Vpn {
                id: unused_id(&doc, &format!("vpn-{remote}")),
                name: format!("VPN to {}", r.name),
                space: space.clone(),
                remote_network: remote.clone(),
                customer_gateway: r.public_egress_ip.map(|a| a.to_string()).unwrap_or_default(),
                routable_cidrs: r.cidrs.iter().map(|c| c.to_string()).collect(),
                tunnel_status: TunnelStatus::Up,
                extra: Default::default(),
            };
            doc.vpns.push(vpn);
        }
        Fix::RecreateWithInternalRouting { app } => {
            let a = held.app(&mut doc, app).ok_or_else(|| missing(app))?;
            a.internal_routing = true;
        }
        Fix::UsePort { .. } | Fix::UseHostname { .. } | Fix::UseDynoAddress { .. } | Fix::NoConfiguration { .. } => {
            return Err(ApplyError::NotAConfigurationChange);
        }
    }
    Ok(doc)
}

/// Point the table's route for `destination` (the first listed, the one checking reads) at `target`.
fn replace_route(rt: &mut doc::RouteTable, destination: ipnet::Ipv4Net, target: &str) -> Option<()> {
    let same = |text: &str| matches!(parse_cidr(text), Ok((IpNet::V4(n), _)) if n == destination);
    let route = rt.routes.iter_mut().find(|r| same(&r.destination))?;
    route.target = target.to_owned();
    Some(())
}

/// Peer `vpc` with `space`, accepted. A deleted peering between the two makes way for the new one
/// (a new connection, so a new ID: routes to the deleted one stay blackholes); it is replaced
/// where it stands, so nothing after it in the document moves. Returns the new peering's ID.
fn create_peering(held: &Held<'_>, doc: &mut Document, space: &str, vpc: &str) -> Result<String, ApplyError> {
    let missing = |id: &str| ApplyError::Missing { id: id.to_owned() };
    if !held.holds_space(space) {
        return Err(missing(space));
    }
    if !held.holds_vpc(vpc) {
        return Err(missing(vpc));
    }
    let id = unused_id(doc, &format!("pcx-{vpc}"));
    let peering = doc::Peering {
        id: id.clone(),
        space: space.to_owned(),
        vpc: vpc.to_owned(),
        status: PeeringStatus::Active,
        extra: Default::default(),
    };
    match doc.peerings.iter_mut().find(|p| p.space == space && p.vpc == vpc && p.status == PeeringStatus::Deleted) {
        Some(deleted) => *deleted = peering,
        None => doc.peerings.push(peering),
    }
    Ok(id)
}

/// Every ID in the document.
pub fn ids(doc: &Document) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    out.extend(doc.internet_clients.iter().map(|x| x.id.as_str()));
    out.extend(doc.external_services.iter().map(|x| x.id.as_str()));
    out.extend(doc.common_runtime_apps.iter().map(|x| x.id.as_str()));
    out.extend(doc.prefix_lists.iter().map(|x| x.id.as_str()));
    for s in &doc.spaces {
        out.push(&s.id);
        out.extend(s.apps.iter().map(|x| x.id.as_str()));
        out.extend(s.addons.iter().map(|x| x.id.as_str()));
    }
    for v in &doc.vpcs {
        out.push(&v.id);
        out.extend(v.route_tables.iter().map(|x| x.id.as_str()));
        out.extend(v.security_groups.iter().map(|x| x.id.as_str()));
        out.extend(v.network_acls.iter().map(|x| x.id.as_str()));
        out.extend(v.subnets.iter().map(|x| x.id.as_str()));
        out.extend(v.hosts.iter().map(|x| x.id.as_str()));
    }
    out.extend(doc.peerings.iter().map(|x| x.id.as_str()));
    out.extend(doc.vpc_peerings.iter().map(|x| x.id.as_str()));
    for r in &doc.remote_networks {
        out.push(&r.id);
        out.extend(r.hosts.iter().map(|x| x.id.as_str()));
    }
    out.extend(doc.vpns.iter().map(|x| x.id.as_str()));
    out.extend(doc.questions.iter().map(|x| x.id.as_str()));
    out
}

/// `base`, or `base-2`, `base-3`, … whichever no object uses yet.
pub fn unused_id(doc: &Document, base: &str) -> String {
    let taken = ids(doc);
    if !taken.contains(&base) {
        return base.to_owned();
    }
    (2u32..).map(|n| format!("{base}-{n}")).find(|c| !taken.contains(&c.as_str())).unwrap_or_else(|| base.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{check, parse_document};
    use crate::eval::evaluate;
    use crate::lab::grade;

    fn default_doc() -> Document {
        parse_document(include_str!("../../../scenarios/default.json")).unwrap()
    }

    /// Applying the suggestion of the default scenario's blocked question connects it.
    #[test]
    fn applying_the_suggested_route_connects_the_warehouse() {
        let doc = default_doc();
        let checked = check(&doc);
        let q = checked.questions.iter().find(|q| q.id == "q-warehouse").unwrap().query.unwrap();
        let before = evaluate(&checked.model, &q);
        assert_eq!(before.verdict, crate::Verdict::Blocked);
        let fix = &before.suggestions[0].fix;
        assert!(fix.is_configuration_change());
        let after_doc = apply(&doc, fix).unwrap();
        let after = check(&after_doc);
        let t = evaluate(&after.model, &after.questions.iter().find(|q| q.id == "q-warehouse").unwrap().query.unwrap());
        assert_eq!(t.verdict, crate::Verdict::Connected, "{:#?}", t.hops);
        // The original document is untouched.
        assert_eq!(doc, default_doc());
    }

    #[test]
    fn every_suggestion_in_the_default_matrix_applies_or_is_refused_cleanly() {
        let doc = default_doc();
        let checked = check(&doc);
        let m = crate::matrix::Matrix::new(&checked.model);
        for row in 0..m.sources.len() {
            for col in 0..m.services.len() {
                let Some(t) = m.trace(&checked.model, row, col) else { continue };
                for s in &t.suggestions {
                    match apply(&doc, &s.fix) {
                        Ok(changed) => {
                            assert!(s.fix.is_configuration_change());
                            assert_ne!(changed, doc, "{:?} changed nothing", s.fix);
                            assert!(check(&changed).errors().next().is_none(), "{:?} made the document invalid", s.fix);
                        }
                        Err(ApplyError::NotAConfigurationChange) => assert!(!s.fix.is_configuration_change()),
                        Err(e) => panic!("{:?} could not be applied: {e:?}", s.fix),
                    }
                }
            }
        }
        let _ = grade(&checked);
    }

    #[test]
    fn fixes_naming_missing_objects_are_refused() {
        let fix = Fix::AcceptPeering { peering: "pcx-nope".into() };
        assert_eq!(apply(&default_doc(), &fix), Err(ApplyError::Missing { id: "pcx-nope".into() }));
        assert_eq!(apply(&default_doc(), &Fix::UsePort { port: 443 }), Err(ApplyError::NotAConfigurationChange));
    }

    #[test]
    fn fresh_ids_do_not_collide() {
        let doc = default_doc();
        assert_eq!(unused_id(&doc, "pcx-new"), "pcx-new");
        assert_eq!(unused_id(&doc, "api"), "api-2");
    }
}
