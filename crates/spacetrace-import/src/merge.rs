//! Tying what every file said into one document.
//!
//! - **Spaces** come from `spaces:info`; Heroku files that name no space (peerings, peering info,
//!   VPNs, topology, trusted IPs) are tied to one by their CIDR blocks and dyno addresses, then by
//!   the space's name in the file name, else to the first space (with a warning). With no
//!   `spaces:info` at all, a space with the defaults holds them (with a warning).
//! - **Peerings**: AWS's peering and the space's peering with the same `pcx-` ID are one peering;
//!   AWS's status wins. An AWS peering one of whose sides is the space's own VPC (the `vpc_id` of
//!   `spaces:peerings:info`, or a VPC no AWS file describes whose CIDR is the space's) is a
//!   space's peering too; any other is a peering between two VPCs. A VPC that only a peering
//!   names is made from the blocks the peering gives.
//! - **VPCs** hold their subnets (with the route table and network ACL their associations
//!   give), route tables (the `Main` association is the main route table), security groups,
//!   network ACLs and hosts. Objects of a VPC whose CIDR no file gives are left out, with it.
//! - **Hosts** are instances, and network interfaces that belong to no instance. AWS does not
//!   say what a host listens on: its ports are the single ports (and short ranges) its security
//!   groups admit inbound over TCP or UDP.
//! - **IDs**: AWS objects keep their AWS IDs; Heroku objects are named by their names. An ID
//!   already taken gets a suffix (`-2`), with a warning.

use std::collections::{BTreeMap, BTreeSet};

use ipnet::Ipv4Net;
use spacetrace_engine::check::default_dyno_subnets;
use spacetrace_engine::doc::{
    self, Addon, App, Document, Listen, NetworkAcl, Peering, PrefixList, ProcessType, Protocol, RemoteNetwork, Route,
    RouteTable, RuleProtocol, SecurityGroup, Space, Subnet, Vpc, VpcPeering, Vpn,
};

use crate::draft::*;
use crate::values::{address4, net4};
use crate::warnings::{ImportWarning, Warnings, What};

/// The most ports taken for one host from its security groups.
pub const MAX_INFERRED_PORTS: usize = 32;
/// The widest inbound port range whose ports are taken as listening ones.
pub const MAX_INFERRED_RANGE: u16 = 16;

fn warn(w: &mut Warnings, origin: &Origin, what: What) {
    w.push(ImportWarning { file: origin.file.clone(), path: origin.path.clone(), what });
}

struct SpaceAcc {
    origin: Origin,
    space: Space,
    /// The space's own VPC ID (from `spaces:peerings:info`).
    vpc_id: Option<String>,
}

impl SpaceAcc {
    fn net(&self) -> Option<Ipv4Net> {
        self.space.cidr.as_deref().and_then(net4)
    }
}

/// Where an app lives.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Home {
    Space(usize),
    CommonRuntime,
}

struct AppAcc {
    origin: Origin,
    uuid: Option<String>,
    name: Option<String>,
    home: Home,
    internal_routing: bool,
    processes: Vec<ProcessDraft>,
    from_topology: bool,
}

struct VpcAcc {
    origin: Origin,
    vpc: Vpc,
}

pub(crate) fn merge(d: Drafts, files: &[&str], w: &mut Warnings) -> Document {
    let mut spaces: Vec<SpaceAcc> = Vec::new();
    for s in d.spaces {
        if spaces.iter().any(|a| a.space.name == s.name) {
            warn(w, &s.origin, What::Duplicate { id: s.name });
            continue;
        }
        let unavailable_cidrs = s.data_cidr.filter(|c| c != "10.1.0.0/16").map(|c| vec![c, "172.17.0.0/16".to_owned()]);
        spaces.push(SpaceAcc {
            space: Space {
                name: s.name.clone(),
                generation: s.generation,
                shield: s.shield,
                region: s.region,
                cidr: s.cidr,
                unavailable_cidrs,
                outbound_ips: s.outbound_ips,
                ..Space::default()
            },
            origin: s.origin,
            vpc_id: None,
        });
    }

    // Spaces apps:info names that no spaces:info describes, before files that name none are
    // tied to a space.
    for a in &d.apps {
        if let Some(name) = &a.space {
            space_named(&mut spaces, name, &a.origin, w);
        }
    }

    // ----- Heroku facts, each tied to a space -----
    let mut heroku_peerings: Vec<(usize, HerokuPeeringDraft)> = Vec::new();
    let mut vpns: Vec<(usize, VpnDraft)> = Vec::new();
    let mut apps: Vec<AppAcc> = Vec::new();
    for f in d.facts {
        let ix = space_for(&mut spaces, &f, w);
        let acc = &mut spaces[ix];
        match f.fact {
            Fact::PeeringInfo(info) => {
                if acc.space.cidr.is_none() {
                    acc.space.cidr = info.space_cidr;
                }
                if info.dyno_subnets.as_ref().is_some_and(|s| !s.is_empty()) {
                    acc.space.dyno_subnets = info.dyno_subnets;
                }
                if info.unavailable.is_some() {
                    acc.space.unavailable_cidrs = info.unavailable;
                }
                if acc.space.region.is_empty() {
                    acc.space.region = info.region.unwrap_or_default();
                }
                acc.vpc_id = info.vpc_id.or(acc.vpc_id.take());
            }
            Fact::TrustedIps(ranges) => acc.space.trusted_ip_ranges = Some(ranges),
            Fact::Vpns(list) => vpns.extend(list.into_iter().map(|v| (ix, v))),
            Fact::Peerings(list) => heroku_peerings.extend(list.into_iter().map(|p| (ix, p))),
            Fact::Topology(list) => {
                for t in list {
                    if apps.iter().any(|a| a.uuid.as_deref() == Some(&t.id)) {
                        warn(w, &t.origin, What::Duplicate { id: t.id });
                        continue;
                    }
                    apps.push(AppAcc {
                        origin: t.origin,
                        uuid: Some(t.id),
                        name: t.name_from_domain,
                        home: Home::Space(ix),
                        internal_routing: false,
                        processes: t.processes,
                        from_topology: true,
                    });
                }
            }
        }
    }

    // ----- apps:info -----
    let mut addons: Vec<(usize, AddonDraft)> = Vec::new();
    for a in d.apps {
        let home = match &a.space {
            None => Home::CommonRuntime,
            Some(name) => Home::Space(space_named(&mut spaces, name, &a.origin, w)),
        };
        let existing = apps.iter().position(|x| {
            (a.id.is_some() && x.uuid == a.id) || (x.name.as_deref() == Some(a.name.as_str()) && x.home == home)
        });
        let ix = match existing {
            Some(ix) if apps[ix].from_topology => {
                let x = &mut apps[ix];
                x.name = Some(a.name.clone());
                x.internal_routing = a.internal_routing;
                if home != Home::CommonRuntime {
                    x.home = home;
                }
                if x.processes.is_empty() {
                    x.processes = a.processes;
                }
                x.from_topology = false;
                ix
            }
            Some(_) => {
                warn(w, &a.origin, What::Duplicate { id: a.name.clone() });
                continue;
            }
            None => {
                apps.push(AppAcc {
                    origin: a.origin.clone(),
                    uuid: a.id.clone(),
                    name: Some(a.name.clone()),
                    home,
                    internal_routing: a.internal_routing,
                    processes: a.processes,
                    from_topology: false,
                });
                apps.len() - 1
            }
        };
        if let Home::Space(s) = apps[ix].home {
            addons.extend(a.addons.into_iter().map(|x| (s, x)));
        }
    }

    // Dyno addresses: the document cannot hold them; they may tell the space's dyno subnets.
    let mut seen_addresses: Vec<Vec<std::net::Ipv4Addr>> = vec![Vec::new(); spaces.len()];
    for app in &apps {
        for p in &app.processes {
            if p.addresses.is_empty() {
                continue;
            }
            let label = app.name.clone().or_else(|| app.uuid.clone()).unwrap_or_default();
            warn(
                w,
                &app.origin,
                What::DynoAddresses { app: label, process: p.name.clone(), addresses: p.addresses.clone() },
            );
            if let Home::Space(s) = app.home {
                seen_addresses[s].extend(p.addresses.iter().filter_map(|a| address4(a)));
            }
        }
    }
    for (acc, seen) in spaces.iter_mut().zip(&seen_addresses) {
        infer_dyno_subnets(acc, seen, w);
    }

    // ----- VPCs -----
    let mut vpcs: Vec<VpcAcc> = Vec::new();
    let mut vpc_ix: BTreeMap<String, usize> = BTreeMap::new();
    for v in d.vpcs {
        if vpc_ix.contains_key(&v.id) {
            warn(w, &v.origin, What::Duplicate { id: v.id });
            continue;
        }
        vpc_ix.insert(v.id.clone(), vpcs.len());
        vpcs.push(VpcAcc {
            vpc: Vpc {
                id: v.id,
                name: v.name,
                region: v.region.unwrap_or_default(),
                primary_cidr: v.primary.unwrap_or_default(),
                secondary_cidrs: v.secondary,
                ..Vpc::default()
            },
            origin: v.origin,
        });
    }
    let described: BTreeSet<String> = vpc_ix.keys().cloned().collect();
    let mut ensure_vpc = |id: &str, cidrs: &[String], region: Option<&str>, origin: &Origin| -> usize {
        let ix = *vpc_ix.entry(id.to_owned()).or_insert_with(|| {
            vpcs.push(VpcAcc {
                origin: origin.clone(),
                vpc: Vpc { id: id.to_owned(), name: id.to_owned(), ..Vpc::default() },
            });
            vpcs.len() - 1
        });
        let vpc = &mut vpcs[ix].vpc;
        if vpc.primary_cidr.is_empty()
            && let Some((first, rest)) = cidrs.split_first()
        {
            vpc.primary_cidr = first.clone();
            vpc.secondary_cidrs = rest.to_vec();
        }
        if vpc.region.is_empty() {
            vpc.region = region.unwrap_or_default().to_owned();
        }
        ix
    };

    // ----- peerings -----
    let mut peerings: Vec<(usize, Peering)> = Vec::new();
    let mut vpc_peerings: Vec<VpcPeering> = Vec::new();
    let mut matched: BTreeSet<String> = BTreeSet::new();
    let mut seen_pcx: BTreeSet<String> = BTreeSet::new();
    for p in d.peerings {
        if !seen_pcx.insert(p.id.clone()) {
            warn(w, &p.origin, What::Duplicate { id: p.id });
            continue;
        }
        let sides = [&p.requester, &p.accepter];
        let heroku = heroku_peerings.iter().find(|(_, h)| h.pcx == p.id);
        // Which side is a space, and which space.
        let space_side = if let Some((s, h)) = heroku {
            let customer = match &h.vpc {
                Some(v) if sides.iter().any(|x| &x.vpc == v) => sides.iter().position(|x| &x.vpc == v),
                _ => None,
            };
            let customer = customer.unwrap_or_else(|| {
                if let Some(v) = &h.vpc {
                    warn(
                        w,
                        &h.origin,
                        What::PeeringVpcMismatch {
                            id: p.id.clone(),
                            heroku_vpc: v.clone(),
                            aws_vpcs: sides.iter().map(|x| x.vpc.clone()).collect(),
                        },
                    );
                }
                // The side a file describes, else the accepter (Heroku requests its peerings).
                sides.iter().position(|x| described.contains(&x.vpc)).unwrap_or(1)
            });
            if h.status != p.status {
                warn(
                    w,
                    &h.origin,
                    What::StatusConflict {
                        id: p.id.clone(),
                        heroku: h.status_text.clone(),
                        aws: p.status_text.clone(),
                    },
                );
            }
            matched.insert(p.id.clone());
            Some((*s, 1 - customer))
        } else {
            sides.iter().enumerate().find_map(|(i, side)| {
                let by_vpc = spaces.iter().position(|s| s.vpc_id.as_deref() == Some(side.vpc.as_str()));
                let by_cidr = || {
                    if described.contains(&side.vpc) {
                        return None;
                    }
                    let first = side.cidrs.first()?;
                    spaces.iter().position(|s| s.space.cidr.as_deref() == Some(first.as_str()))
                };
                by_vpc.or_else(by_cidr).map(|s| (s, i))
            })
        };
        match space_side {
            Some((space, i)) => {
                let customer = sides[1 - i];
                ensure_vpc(&customer.vpc, &customer.cidrs, customer.region.as_deref(), &p.origin);
                peerings.push((
                    space,
                    Peering { id: p.id.clone(), vpc: customer.vpc.clone(), status: p.status, ..Peering::default() },
                ));
            }
            None => {
                for side in sides {
                    ensure_vpc(&side.vpc, &side.cidrs, side.region.as_deref(), &p.origin);
                }
                vpc_peerings.push(VpcPeering {
                    id: p.id,
                    vpc: p.requester.vpc,
                    peer_vpc: p.accepter.vpc,
                    status: p.status,
                    ..VpcPeering::default()
                });
            }
        }
    }
    for (space, h) in heroku_peerings {
        if matched.contains(&h.pcx) {
            continue;
        }
        if !seen_pcx.insert(h.pcx.clone()) {
            warn(w, &h.origin, What::Duplicate { id: h.pcx });
            continue;
        }
        let Some(vpc) = &h.vpc else {
            warn(w, &h.origin, What::MissingField { field: "aws_vpc_id".into() });
            continue;
        };
        ensure_vpc(vpc, &h.cidr_blocks, h.region.as_deref(), &h.origin);
        peerings.push((space, Peering { id: h.pcx, vpc: vpc.clone(), status: h.status, ..Peering::default() }));
    }

    // ----- what is inside VPCs -----
    // Regions from subnets, for VPCs that have none.
    let mut subnet_vpc: BTreeMap<String, String> = BTreeMap::new();
    let mut subnets: Vec<SubnetDraft> = Vec::new();
    for s in d.subnets {
        if subnet_vpc.contains_key(&s.id) {
            warn(w, &s.origin, What::Duplicate { id: s.id });
            continue;
        }
        subnet_vpc.insert(s.id.clone(), s.vpc.clone());
        subnets.push(s);
    }
    let in_unknown_vpc = |vpc: &str, id: &str, origin: &Origin, w: &mut Warnings| -> Option<usize> {
        match vpc_ix.get(vpc) {
            Some(ix) => Some(*ix),
            None => {
                warn(w, origin, What::OutsideKnownVpc { id: id.to_owned(), vpc: vpc.to_owned() });
                None
            }
        }
    };

    let mut subnet_table: BTreeMap<String, String> = BTreeMap::new();
    let mut seen_tables = BTreeSet::new();
    let prefix_entries: BTreeMap<&str, &[String]> =
        d.prefix_lists.iter().map(|p| (p.id.as_str(), p.entries.as_slice())).collect();
    for t in d.route_tables {
        if !seen_tables.insert(t.id.clone()) {
            warn(w, &t.origin, What::Duplicate { id: t.id });
            continue;
        }
        let Some(ix) = in_unknown_vpc(&t.vpc, &t.id, &t.origin, w) else { continue };
        let mut routes = t.routes;
        for r in &t.prefix_routes {
            match prefix_entries.get(r.prefix_list.as_str()).filter(|e| !e.is_empty()) {
                Some(entries) => routes.extend(
                    entries
                        .iter()
                        .filter(|e| net4(e).is_some())
                        .map(|e| Route { destination: e.clone(), target: r.target.clone() }),
                ),
                None => warn(
                    w,
                    &Origin { file: t.origin.file.clone(), path: r.path.clone() },
                    What::PrefixListRoute { prefix_list: r.prefix_list.clone() },
                ),
            }
        }
        for s in &t.subnets {
            subnet_table.entry(s.clone()).or_insert_with(|| t.id.clone());
        }
        let vpc = &mut vpcs[ix].vpc;
        if t.main && vpc.main_route_table.is_none() {
            vpc.main_route_table = Some(t.id.clone());
        }
        vpc.route_tables.push(RouteTable { id: t.id, name: t.name, routes, ..RouteTable::default() });
    }

    let mut subnet_acl: BTreeMap<String, String> = BTreeMap::new();
    let mut seen_acls = BTreeSet::new();
    for a in d.network_acls {
        if !seen_acls.insert(a.id.clone()) {
            warn(w, &a.origin, What::Duplicate { id: a.id });
            continue;
        }
        let Some(ix) = in_unknown_vpc(&a.vpc, &a.id, &a.origin, w) else { continue };
        for s in &a.subnets {
            subnet_acl.entry(s.clone()).or_insert_with(|| a.id.clone());
        }
        vpcs[ix].vpc.network_acls.push(NetworkAcl {
            id: a.id,
            name: a.name,
            inbound: a.inbound,
            outbound: a.outbound,
            ..NetworkAcl::default()
        });
    }

    let mut group_inbound: BTreeMap<String, Vec<doc::SgRule>> = BTreeMap::new();
    for g in d.security_groups {
        if group_inbound.contains_key(&g.id) {
            warn(w, &g.origin, What::Duplicate { id: g.id });
            continue;
        }
        let Some(ix) = in_unknown_vpc(&g.vpc, &g.id, &g.origin, w) else { continue };
        group_inbound.insert(g.id.clone(), g.inbound.clone());
        vpcs[ix].vpc.security_groups.push(SecurityGroup {
            id: g.id,
            name: g.name,
            inbound: g.inbound,
            outbound: Some(g.outbound),
            ..SecurityGroup::default()
        });
    }

    let mut missing_table: BTreeSet<usize> = BTreeSet::new();
    for s in subnets {
        let Some(ix) = in_unknown_vpc(&s.vpc, &s.id, &s.origin, w) else { continue };
        let vpc = &mut vpcs[ix].vpc;
        if vpc.region.is_empty() {
            vpc.region = s.region.clone().unwrap_or_default();
        }
        let route_table = subnet_table.get(&s.id).cloned().unwrap_or_default();
        if route_table.is_empty() && vpc.main_route_table.is_none() && missing_table.insert(ix) {
            warn(w, &s.origin, What::NoRouteTable { vpc: vpc.id.clone() });
        }
        vpc.subnets.push(Subnet {
            id: s.id.clone(),
            name: s.name,
            cidr: s.cidr,
            route_table,
            network_acl: subnet_acl.get(&s.id).cloned(),
            ..Subnet::default()
        });
    }

    // Hosts: instances, then interfaces that belong to no instance described.
    let mut hosts: Vec<HostDraft> = Vec::new();
    let mut host_ix: BTreeMap<String, usize> = BTreeMap::new();
    for h in d.hosts {
        if host_ix.contains_key(&h.id) {
            warn(w, &h.origin, What::Duplicate { id: h.id });
            continue;
        }
        host_ix.insert(h.id.clone(), hosts.len());
        hosts.push(h);
    }
    let instances: BTreeSet<String> = host_ix.keys().cloned().collect();
    for i in d.interfaces {
        if let Some(instance) = &i.instance
            && instances.contains(instance)
        {
            continue; // the instance is the host
        }
        let id = i.instance.clone().unwrap_or_else(|| i.host.id.clone());
        if let Some(&ix) = host_ix.get(&id) {
            // Another interface of an instance already made from its first interface.
            let mut addresses = vec![i.host.address.clone()];
            addresses.extend(i.extra);
            warn(w, &i.host.origin, What::ExtraAddresses { host: hosts[ix].name.clone(), addresses });
            continue;
        }
        if let Some(public) = i.public {
            warn(w, &i.host.origin, What::PublicAddress { host: i.host.name.clone(), address: public });
        }
        if !i.extra.is_empty() {
            warn(w, &i.host.origin, What::ExtraAddresses { host: i.host.name.clone(), addresses: i.extra });
        }
        host_ix.insert(id.clone(), hosts.len());
        hosts.push(HostDraft { id, ..i.host });
    }
    for h in hosts {
        let Some(vpc) = h.vpc.clone().or_else(|| subnet_vpc.get(&h.subnet).cloned()) else {
            warn(w, &h.origin, What::UnknownSubnet { host: h.name.clone(), subnet: h.subnet.clone() });
            continue;
        };
        let Some(ix) = in_unknown_vpc(&vpc, &h.id, &h.origin, w) else { continue };
        if !vpcs[ix].vpc.subnets.iter().any(|s| s.id == h.subnet) {
            warn(w, &h.origin, What::UnknownSubnet { host: h.name.clone(), subnet: h.subnet.clone() });
            continue;
        }
        let ports = inferred_ports(&h.groups, &group_inbound);
        if ports.is_empty() {
            warn(w, &h.origin, What::NoPorts { host: h.name.clone() });
        } else {
            let list = ports.iter().map(|p| format!("{}/{}", protocol_name(p.protocol), p.port)).collect();
            warn(w, &h.origin, What::PortsInferred { host: h.name.clone(), ports: list });
        }
        vpcs[ix].vpc.hosts.push(doc::Host {
            id: h.id,
            name: h.name,
            subnet: h.subnet,
            address: h.address,
            security_groups: h.groups,
            ports,
            ..doc::Host::default()
        });
    }

    for n in d.nat_gateways {
        let Some(ix) = in_unknown_vpc(&n.vpc, &n.id, &n.origin, w) else { continue };
        let vpc = &mut vpcs[ix].vpc;
        match &vpc.public_egress_ip {
            None => vpc.public_egress_ip = Some(n.public_ip),
            Some(used) => warn(w, &n.origin, What::SeveralNatGateways { vpc: vpc.id.clone(), used: used.clone() }),
        }
    }

    // VPCs whose CIDR no file gives are left out, with what refers to them.
    let mut dropped: BTreeSet<String> = BTreeSet::new();
    vpcs.retain(|v| {
        let keep = !v.vpc.primary_cidr.is_empty();
        if !keep {
            warn(w, &v.origin, What::VpcWithoutCidr { vpc: v.vpc.id.clone() });
            dropped.insert(v.vpc.id.clone());
        }
        keep
    });
    peerings.retain(|(_, p)| !dropped.contains(&p.vpc));
    vpc_peerings.retain(|p| !dropped.contains(&p.vpc) && !dropped.contains(&p.peer_vpc));

    // ----- IDs -----
    let mut ids = Ids::default();
    for v in &vpcs {
        ids.take(&v.vpc.id);
        let vpc = &v.vpc;
        vpc.route_tables.iter().for_each(|x| ids.take(&x.id));
        vpc.security_groups.iter().for_each(|x| ids.take(&x.id));
        vpc.network_acls.iter().for_each(|x| ids.take(&x.id));
        vpc.subnets.iter().for_each(|x| ids.take(&x.id));
        vpc.hosts.iter().for_each(|x| ids.take(&x.id));
    }
    let mut prefix_lists = Vec::new();
    for p in d.prefix_lists {
        if ids.taken.contains(&p.id) {
            warn(w, &p.origin, What::Duplicate { id: p.id });
            continue;
        }
        ids.take(&p.id);
        prefix_lists.push(PrefixList { id: p.id, name: p.name, entries: p.entries, ..PrefixList::default() });
    }
    peerings.iter().for_each(|(_, p)| ids.take(&p.id));
    vpc_peerings.iter().for_each(|p| ids.take(&p.id));

    let mut document = Document { version: Some(doc::CURRENT_VERSION), ..Document::default() };
    for acc in &mut spaces {
        acc.space.id = ids.claim(&acc.space.name, &acc.origin, w);
    }
    let mut app_ids: Vec<String> = Vec::with_capacity(apps.len());
    for a in &apps {
        let wanted = match (&a.name, &a.uuid) {
            (Some(n), _) => n.clone(),
            (None, Some(u)) => {
                warn(w, &a.origin, What::AppNameUnknown { id: u.clone() });
                u.clone()
            }
            (None, None) => "app".to_owned(),
        };
        app_ids.push(ids.claim(&wanted, &a.origin, w));
    }
    for (a, id) in apps.into_iter().zip(app_ids) {
        let app = App {
            name: a.name.clone().unwrap_or_else(|| id.clone()),
            id,
            internal_routing: a.internal_routing,
            process_types: a
                .processes
                .into_iter()
                .map(|p| ProcessType { name: p.name, dynos: p.dynos, ..ProcessType::default() })
                .collect(),
            ..App::default()
        };
        match a.home {
            Home::Space(s) => spaces[s].space.apps.push(app),
            Home::CommonRuntime => document.common_runtime_apps.push(app),
        }
    }
    for (s, a) in addons {
        let id = ids.claim(&a.name, &a.origin, w);
        spaces[s].space.addons.push(Addon { id, name: a.name, kind: a.kind, ..Addon::default() });
    }
    let mut seen_vpns: BTreeSet<(usize, String)> = BTreeSet::new();
    for (s, v) in vpns {
        // spaces:vpn:info and spaces:vpn:connections may both list a connection.
        if !seen_vpns.insert((s, v.name.clone())) {
            warn(w, &v.origin, What::Duplicate { id: v.name });
            continue;
        }
        let network = ids.claim(&format!("{}-network", v.name), &v.origin, w);
        let id = ids.claim(&v.name, &v.origin, w);
        document.remote_networks.push(RemoteNetwork {
            id: network.clone(),
            name: format!("{} network", v.name),
            cidrs: v.routable_cidrs.clone(),
            ..RemoteNetwork::default()
        });
        document.vpns.push(Vpn {
            id,
            name: v.name,
            space: spaces[s].space.id.clone(),
            remote_network: network,
            customer_gateway: v.customer_gateway,
            routable_cidrs: v.routable_cidrs,
            tunnel_status: v.tunnel_status,
            ..Vpn::default()
        });
    }
    document.peerings = peerings.into_iter().map(|(s, p)| Peering { space: spaces[s].space.id.clone(), ..p }).collect();
    document.vpc_peerings = vpc_peerings;
    document.prefix_lists = prefix_lists;
    document.vpcs = vpcs.into_iter().map(|v| v.vpc).collect();
    document.name = match spaces.as_slice() {
        [] => "Imported network".to_owned(),
        [one] => format!("{} (imported)", one.space.name),
        many => format!("{} and {} more (imported)", many[0].space.name, many.len() - 1),
    };
    document.description = describe_files(files);
    document.spaces = spaces.into_iter().map(|s| s.space).collect();
    document
}

/// "Imported from 3 files: a.json, b.json, c.json." (at most ten named).
fn describe_files(files: &[&str]) -> String {
    let shown: Vec<&str> = files.iter().take(10).copied().collect();
    let more = files.len().saturating_sub(shown.len());
    let noun = if files.len() == 1 { "file" } else { "files" };
    let mut s = format!("Imported from {} {noun}: {}", files.len(), shown.join(", "));
    if more > 0 {
        s.push_str(&format!(" and {more} more"));
    }
    s.push('.');
    s
}

/// The space a Heroku file that names none belongs to.
fn space_for(spaces: &mut Vec<SpaceAcc>, f: &FactDraft, w: &mut Warnings) -> usize {
    if spaces.is_empty() {
        return placeholder(spaces, UNNAMED_SPACE, &f.origin, w);
    }
    if spaces.len() == 1 {
        return 0;
    }
    let hinted: Vec<usize> = (0..spaces.len())
        .filter(|&i| {
            let Some(net) = spaces[i].net() else { return false };
            f.hints.cidrs.iter().filter_map(|c| net4(c)).any(|c| net.contains(&c))
                || f.hints.addresses.iter().any(|a| net.contains(a))
        })
        .collect();
    if let [one] = hinted.as_slice() {
        return *one;
    }
    let file = f.origin.file.to_ascii_lowercase();
    let by_name = (0..spaces.len())
        .filter(|&i| file.contains(&spaces[i].space.name.to_ascii_lowercase()))
        .max_by_key(|&i| spaces[i].space.name.len());
    if let Some(i) = by_name {
        return i;
    }
    warn(w, &f.origin, What::SpaceGuessed { space: spaces[0].space.name.clone() });
    0
}

/// The space of this name, created with the defaults if no `spaces:info` gave it.
fn space_named(spaces: &mut Vec<SpaceAcc>, name: &str, origin: &Origin, w: &mut Warnings) -> usize {
    match spaces.iter().position(|s| s.space.name == name) {
        Some(i) => i,
        None => placeholder(spaces, name, origin, w),
    }
}

/// The name of the space made for Heroku files when no file names one.
const UNNAMED_SPACE: &str = "space";

fn placeholder(spaces: &mut Vec<SpaceAcc>, name: &str, origin: &Origin, w: &mut Warnings) -> usize {
    warn(w, origin, What::SpaceCreated { space: name.to_owned() });
    spaces.push(SpaceAcc {
        origin: origin.clone(),
        space: Space { name: name.to_owned(), ..Space::default() },
        vpc_id: None,
    });
    spaces.len() - 1
}

/// When the space gives no dyno subnets and its dynos' addresses lie outside the ones the
/// engine would assume, the /20s that hold them are its dyno subnets.
fn infer_dyno_subnets(acc: &mut SpaceAcc, seen: &[std::net::Ipv4Addr], w: &mut Warnings) {
    if seen.is_empty() || acc.space.dyno_subnets.is_some() {
        return;
    }
    let net = acc.net().unwrap_or_else(|| Ipv4Net::new(std::net::Ipv4Addr::new(10, 0, 0, 0), 16).unwrap_or_default());
    if net.prefix_len() > 20 {
        return;
    }
    let defaults = default_dyno_subnets(net);
    let mut subnets: Vec<Ipv4Net> =
        seen.iter().filter(|a| net.contains(*a)).filter_map(|a| Ipv4Net::new(*a, 20).ok().map(|n| n.trunc())).collect();
    subnets.sort();
    subnets.dedup();
    if subnets.is_empty() || subnets.iter().all(|s| defaults.contains(s)) {
        return;
    }
    let list: Vec<String> = subnets.iter().map(ToString::to_string).collect();
    warn(w, &acc.origin, What::DynoSubnetsInferred { space: acc.space.name.clone(), subnets: list.clone() });
    acc.space.dyno_subnets = Some(list);
}

/// The ports a host's groups admit inbound over TCP or UDP: single ports and ranges of at most
/// [`MAX_INFERRED_RANGE`] ports, at most [`MAX_INFERRED_PORTS`] in all.
fn inferred_ports(groups: &[String], inbound: &BTreeMap<String, Vec<doc::SgRule>>) -> Vec<Listen> {
    let mut ports: BTreeSet<(Protocol, u16)> = BTreeSet::new();
    for rule in groups.iter().filter_map(|g| inbound.get(g)).flatten() {
        let protocol = match rule.protocol {
            RuleProtocol::Tcp => Protocol::Tcp,
            RuleProtocol::Udp => Protocol::Udp,
            RuleProtocol::All => continue,
        };
        let (low, high) = match rule.ports.split_once('-') {
            Some((a, b)) => (a.trim().parse::<u16>(), b.trim().parse::<u16>()),
            None => (rule.ports.trim().parse::<u16>(), rule.ports.trim().parse::<u16>()),
        };
        let (Ok(low), Ok(high)) = (low, high) else { continue };
        if low == 0 || high < low || high - low >= MAX_INFERRED_RANGE {
            continue;
        }
        ports.extend((low..=high).map(|p| (protocol, p)));
    }
    ports.into_iter().take(MAX_INFERRED_PORTS).map(|(protocol, port)| Listen { protocol, port }).collect()
}

fn protocol_name(p: Protocol) -> &'static str {
    match p {
        Protocol::Tcp => "tcp",
        Protocol::Udp => "udp",
    }
}

/// IDs in use across the document (the engine's IDs are unique across kinds).
#[derive(Default)]
struct Ids {
    taken: BTreeSet<String>,
}

impl Ids {
    fn take(&mut self, id: &str) {
        self.taken.insert(id.to_owned());
    }

    /// `wanted`, or `wanted-2`, `wanted-3`… when taken (with a warning).
    fn claim(&mut self, wanted: &str, origin: &Origin, w: &mut Warnings) -> String {
        let wanted = if wanted.trim().is_empty() { "unnamed" } else { wanted };
        if self.taken.insert(wanted.to_owned()) {
            return wanted.to_owned();
        }
        let mut n = 2usize;
        loop {
            let id = format!("{wanted}-{n}");
            if self.taken.insert(id.clone()) {
                warn(w, origin, What::IdRenamed { from: wanted.to_owned(), to: id.clone() });
                return id;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Input, What, import};

    fn run(files: &[(&str, &str)]) -> crate::Imported {
        let inputs: Vec<Input<'_>> = files.iter().map(|(name, text)| Input { name, text }).collect();
        import(&inputs).unwrap()
    }

    #[test]
    fn an_app_named_like_its_space_gets_another_id() {
        let imported = run(&[
            ("space.json", r#"{"name": "acme", "cidr": "10.0.0.0/16", "generation": "cedar"}"#),
            ("app.json", r#"{"app": {"name": "acme", "space": {"name": "acme"}}, "dynos": [{"type": "web"}]}"#),
        ]);
        let space = &imported.document.spaces[0];
        assert_eq!(
            (space.id.as_str(), space.apps[0].id.as_str(), space.apps[0].name.as_str()),
            ("acme", "acme-2", "acme")
        );
        assert!(
            imported.warnings.iter().any(|w| w.what == What::IdRenamed { from: "acme".into(), to: "acme-2".into() })
        );
        assert!(spacetrace_engine::check(&imported.document).errors().next().is_none());
    }

    #[test]
    fn the_space_an_app_names_holds_the_files_that_name_none() {
        let imported = run(&[
            (
                "topology.json",
                r#"{"version": 1, "apps": [{"id": "a1", "domains": ["api.herokuapp.com"], "formations": []}]}"#,
            ),
            ("app.json", r#"{"app": {"id": "a1", "name": "api", "space": {"name": "prod"}}}"#),
        ]);
        let names: Vec<&str> = imported.document.spaces.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["prod"]);
        assert_eq!(imported.document.spaces[0].apps.len(), 1);
        let created: Vec<&What> =
            imported.warnings.iter().map(|w| &w.what).filter(|w| matches!(w, What::SpaceCreated { .. })).collect();
        assert_eq!(created, [&What::SpaceCreated { space: "prod".into() }]);
    }

    #[test]
    fn dyno_subnets_come_from_dyno_addresses_outside_the_default_ones() {
        let imported = run(&[
            ("space.json", r#"{"name": "prod", "cidr": "10.0.0.0/16", "generation": "cedar"}"#),
            (
                "topology.json",
                r#"{"apps": [{"id": "a1", "formations": [{"process_type": "web", "dynos": [{"private_ip": "10.0.40.7"}]}]}]}"#,
            ),
        ]);
        assert_eq!(imported.document.spaces[0].dyno_subnets.as_deref(), Some(&["10.0.32.0/20".to_owned()][..]));
    }

    #[test]
    fn objects_of_an_undescribed_vpc_are_left_out_with_a_warning() {
        let imported = run(&[(
            "subnets.json",
            r#"{"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-9", "CidrBlock": "10.9.0.0/24"}]}"#,
        )]);
        assert!(imported.document.vpcs.is_empty());
        assert_eq!(imported.warnings[0].what, What::OutsideKnownVpc { id: "subnet-1".into(), vpc: "vpc-9".into() });
    }
}
