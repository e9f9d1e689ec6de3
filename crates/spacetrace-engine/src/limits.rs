//! How much of every collection a document can grow Spacetrace takes in: one table, checked once
//! before any other work (`check` starts with [`cap`]). A list over its cap keeps its first
//! `max` elements, and an error names the object holding it, the list and both counts; the rest
//! of the document is read as usual. With the document at most 4 MiB and every list capped, no
//! loop of the checker, the evaluation or the matrix can run away (`tests/bounded.rs`).
//!
//! The top-level lists (spaces, VPCs, questions, …) are capped by `check::MAX_OBJECTS`; this
//! table is for the lists inside objects. The caps sit above what AWS and Heroku allow (for
//! example 1,000 routes per route table, 1,000 rules per security group direction), so a real
//! network is never cut.

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, DiagnosticKind, ObjectKind};
use crate::doc::Document;
use crate::model::Model;
use crate::trace::{Direction, Fix, Workaround};

/// A list inside an object of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Collection {
    AppsPerSpace,
    AddonsPerSpace,
    OutboundIps,
    TrustedIpRanges,
    DynoSubnets,
    UnavailableCidrs,
    ProcessTypesPerApp,
    Ports,
    Allowlist,
    SecondaryCidrs,
    RouteTablesPerVpc,
    Routes,
    SecurityGroupsPerVpc,
    SecurityGroupRules,
    NetworkAclsPerVpc,
    NetworkAclRules,
    SubnetsPerVpc,
    HostsPerVpc,
    SecurityGroupsPerHost,
    PrefixListEntries,
    RemoteCidrs,
    RemoteHosts,
    FirewallRules,
    RoutableCidrs,
    ExpectedRules,
}

/// Every cap, in one table: the collection and how many of it are taken in.
pub const LIMITS: &[(Collection, usize)] = &[
    (Collection::AppsPerSpace, 1_000),
    (Collection::AddonsPerSpace, 1_000),
    (Collection::OutboundIps, 64),
    (Collection::TrustedIpRanges, 1_000),
    (Collection::DynoSubnets, 64),
    (Collection::UnavailableCidrs, 64),
    (Collection::ProcessTypesPerApp, 100),
    (Collection::Ports, 100),
    (Collection::Allowlist, 1_000),
    (Collection::SecondaryCidrs, 64),
    (Collection::RouteTablesPerVpc, 1_000),
    (Collection::Routes, 1_000),
    (Collection::SecurityGroupsPerVpc, 2_500),
    (Collection::SecurityGroupRules, 1_000),
    (Collection::NetworkAclsPerVpc, 1_000),
    (Collection::NetworkAclRules, 200),
    (Collection::SubnetsPerVpc, 1_000),
    (Collection::HostsPerVpc, 5_000),
    (Collection::SecurityGroupsPerHost, 16),
    (Collection::PrefixListEntries, 1_000),
    (Collection::RemoteCidrs, 64),
    (Collection::RemoteHosts, 5_000),
    (Collection::FirewallRules, 1_000),
    (Collection::RoutableCidrs, 64),
    (Collection::ExpectedRules, 64),
];

impl Collection {
    /// How many of this collection are taken in.
    pub fn max(self) -> usize {
        LIMITS[self as usize].1
    }
}

// `LIMITS` lists every collection once, in the enum's order, so a collection's cap is found by
// its place (checked when compiling).
const _: () = {
    let mut i = 0;
    while i < LIMITS.len() {
        assert!(LIMITS[i].0 as usize == i, "LIMITS must list the collections in the enum's order");
        i += 1;
    }
    assert!(LIMITS.len() == Collection::ExpectedRules as usize + 1, "LIMITS must list every collection");
};

/// When applying `fix` would push a list of the model past its cap (and so cut away what the fix
/// adds), what to do instead: make room. A suggested fix keeps its promise, so it is never one
/// that the cap would undo.
pub fn room_for(m: &Model, fix: &Fix) -> Option<Workaround> {
    let full = |object: &str, what: Collection, len: usize, adding: usize| {
        (len + adding > what.max()).then(|| Workaround::MakeRoom { object: object.to_owned(), what, max: what.max() })
    };
    let tables = || m.vpcs.iter().flat_map(|v| v.route_tables.iter());
    match fix {
        Fix::AddRoute { route_table, .. } | Fix::CreatePeeringWithRoute { route_table, replace: false, .. } => {
            let t = tables().find(|t| t.id == *route_table)?;
            full(&t.id, Collection::Routes, t.routes.len(), 1)
        }
        Fix::AddSecurityGroupRule { group, direction, cidrs, .. } => {
            let g = m.vpcs.iter().flat_map(|v| v.security_groups.iter()).find(|g| g.id == *group)?;
            let rules = match direction {
                Direction::Inbound => &g.inbound,
                Direction::Outbound => &g.outbound,
            };
            full(&g.id, Collection::SecurityGroupRules, rules.len(), cidrs.len())
        }
        Fix::AddAclRule { acl, direction, .. } => {
            let a = m.vpcs.iter().flat_map(|v| v.network_acls.iter()).find(|a| a.id == *acl)?;
            let rules = match direction {
                Direction::Inbound => &a.inbound,
                Direction::Outbound => &a.outbound,
            };
            full(&a.id, Collection::NetworkAclRules, rules.len(), 1)
        }
        Fix::AddToAllowlist { service, cidrs } => {
            let s = m.services.iter().find(|s| s.id == *service)?;
            full(&s.id, Collection::Allowlist, s.allowlist.as_ref().map_or(0, Vec::len), cidrs.len())
        }
        Fix::AddRoutableCidr { vpn, .. } => {
            let v = m.vpns.iter().find(|v| v.id == *vpn)?;
            full(&v.id, Collection::RoutableCidrs, v.routable_cidrs.len(), 1)
        }
        Fix::AddFirewallRule { remote, .. } => {
            let r = m.remotes.iter().find(|r| r.id == *remote)?;
            full(&r.id, Collection::FirewallRules, r.firewall.as_ref().map_or(0, |f| f.inbound.len()), 1)
        }
        Fix::ListenOnPort { target, process: Some(process), .. } => {
            let a = m.find_app(target)?;
            let p = m.app(a).processes.iter().find(|p| p.name == *process)?;
            full(process, Collection::Ports, p.ports.len(), 1)
        }
        Fix::ListenOnPort { target, process: None, .. } => {
            let h = m.find_host(target)?;
            full(target, Collection::Ports, m.host(h).ports.len(), 1)
        }
        _ => None,
    }
}

/// The document with every list over its cap cut to it, and an error for each cut; `None` when
/// nothing is over (the usual case: then nothing is copied).
pub fn cap(doc: &Document) -> Option<(Document, Vec<Diagnostic>)> {
    let mut count = Walk { over: false, diags: Vec::new() };
    count_lists(&mut count, doc);
    if !count.over {
        return None;
    }
    let mut capped = doc.clone();
    let mut cut = Walk { over: false, diags: Vec::new() };
    cut_lists(&mut cut, &mut capped);
    Some((capped, cut.diags))
}

/// A list seen by the walk: read only (counting) or to cut.
trait List {
    fn len(&self) -> usize;
    /// Cut to `n` elements; false when this walk only reads.
    fn cut(self, n: usize) -> bool;
}

impl<T> List for &Vec<T> {
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn cut(self, _: usize) -> bool {
        false
    }
}

impl<T> List for &mut Vec<T> {
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn cut(self, n: usize) -> bool {
        self.truncate(n);
        true
    }
}

impl<T> List for &Option<Vec<T>> {
    fn len(&self) -> usize {
        self.as_ref().map_or(0, Vec::len)
    }
    fn cut(self, _: usize) -> bool {
        false
    }
}

impl<T> List for &mut Option<Vec<T>> {
    fn len(&self) -> usize {
        self.as_ref().map_or(0, Vec::len)
    }
    fn cut(self, n: usize) -> bool {
        if let Some(l) = self {
            l.truncate(n);
        }
        true
    }
}

/// What a walk found: whether any list is over its cap, and (cutting) an error for each.
struct Walk {
    over: bool,
    diags: Vec<Diagnostic>,
}

impl Walk {
    fn list(&mut self, list: impl List, what: Collection, kind: ObjectKind, object: &str, field: &str) {
        let (max, count) = (what.max(), list.len());
        if count <= max {
            return;
        }
        self.over = true;
        if list.cut(max) {
            self.diags.push(Diagnostic::error(DiagnosticKind::TooManyIn { what, count, max }).at(kind, object, field));
        }
    }
}

/// One walk over every capped list, written once for reading (`count_lists`) and for cutting
/// (`cut_lists`).
macro_rules! walk_lists {
    ($name:ident $(, $m:tt)?) => {
        fn $name(w: &mut Walk, d: &$($m)? Document) {
            use Collection as C;
            use ObjectKind as O;
            for s in &$($m)? d.external_services {
                w.list(&$($m)? s.ports, C::Ports, O::ExternalService, &s.id, "ports");
                w.list(&$($m)? s.allowlist, C::Allowlist, O::ExternalService, &s.id, "allowlist");
            }
            let app_lists = |w: &mut Walk, a: &$($m)? crate::doc::App| {
                w.list(&$($m)? a.process_types, C::ProcessTypesPerApp, O::App, &a.id, "process_types");
                for p in &$($m)? a.process_types {
                    w.list(&$($m)? p.ports, C::Ports, O::ProcessType, &p.name, "ports");
                }
            };
            for a in &$($m)? d.common_runtime_apps {
                app_lists(w, a);
            }
            for s in &$($m)? d.spaces {
                w.list(&$($m)? s.apps, C::AppsPerSpace, O::Space, &s.id, "apps");
                w.list(&$($m)? s.addons, C::AddonsPerSpace, O::Space, &s.id, "addons");
                w.list(&$($m)? s.outbound_ips, C::OutboundIps, O::Space, &s.id, "outbound_ips");
                w.list(&$($m)? s.trusted_ip_ranges, C::TrustedIpRanges, O::Space, &s.id, "trusted_ip_ranges");
                w.list(&$($m)? s.dyno_subnets, C::DynoSubnets, O::Space, &s.id, "dyno_subnets");
                w.list(&$($m)? s.unavailable_cidrs, C::UnavailableCidrs, O::Space, &s.id, "unavailable_cidrs");
                for a in &$($m)? s.apps {
                    app_lists(w, a);
                }
            }
            for v in &$($m)? d.vpcs {
                w.list(&$($m)? v.secondary_cidrs, C::SecondaryCidrs, O::Vpc, &v.id, "secondary_cidrs");
                w.list(&$($m)? v.route_tables, C::RouteTablesPerVpc, O::Vpc, &v.id, "route_tables");
                w.list(&$($m)? v.security_groups, C::SecurityGroupsPerVpc, O::Vpc, &v.id, "security_groups");
                w.list(&$($m)? v.network_acls, C::NetworkAclsPerVpc, O::Vpc, &v.id, "network_acls");
                w.list(&$($m)? v.subnets, C::SubnetsPerVpc, O::Vpc, &v.id, "subnets");
                w.list(&$($m)? v.hosts, C::HostsPerVpc, O::Vpc, &v.id, "hosts");
                for t in &$($m)? v.route_tables {
                    w.list(&$($m)? t.routes, C::Routes, O::RouteTable, &t.id, "routes");
                }
                for g in &$($m)? v.security_groups {
                    w.list(&$($m)? g.inbound, C::SecurityGroupRules, O::SecurityGroup, &g.id, "inbound");
                    w.list(&$($m)? g.outbound, C::SecurityGroupRules, O::SecurityGroup, &g.id, "outbound");
                }
                for a in &$($m)? v.network_acls {
                    w.list(&$($m)? a.inbound, C::NetworkAclRules, O::NetworkAcl, &a.id, "inbound");
                    w.list(&$($m)? a.outbound, C::NetworkAclRules, O::NetworkAcl, &a.id, "outbound");
                }
                for h in &$($m)? v.hosts {
                    w.list(&$($m)? h.security_groups, C::SecurityGroupsPerHost, O::Host, &h.id, "security_groups");
                    w.list(&$($m)? h.ports, C::Ports, O::Host, &h.id, "ports");
                }
            }
            for p in &$($m)? d.prefix_lists {
                w.list(&$($m)? p.entries, C::PrefixListEntries, O::PrefixList, &p.id, "entries");
            }
            for r in &$($m)? d.remote_networks {
                w.list(&$($m)? r.cidrs, C::RemoteCidrs, O::RemoteNetwork, &r.id, "cidrs");
                w.list(&$($m)? r.hosts, C::RemoteHosts, O::RemoteNetwork, &r.id, "hosts");
                for h in &$($m)? r.hosts {
                    w.list(&$($m)? h.ports, C::Ports, O::RemoteHost, &h.id, "ports");
                }
                if let Some(f) = &$($m)? r.firewall {
                    w.list(&$($m)? f.inbound, C::FirewallRules, O::RemoteNetwork, &r.id, "firewall.inbound");
                }
            }
            for v in &$($m)? d.vpns {
                w.list(&$($m)? v.routable_cidrs, C::RoutableCidrs, O::VpnConnection, &v.id, "routable_cidrs");
            }
            for q in &$($m)? d.questions {
                if let Some(e) = &$($m)? q.expect {
                    w.list(&$($m)? e.rules, C::ExpectedRules, O::Question, &q.id, "expect.rules");
                }
            }
        }
    };
}

walk_lists!(count_lists);
walk_lists!(cut_lists, mut);
