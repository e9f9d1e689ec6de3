//! Spacetrace's document edits, pure Rust with no web dependency, so native tests reach them.
//!
//! Edits are values; [`apply_edit`] is the one function that changes a document. It returns a
//! new document or the platform's refusal, so undo, autosave and tests get every change the same way.
//! [`lines`] reads and writes rule lists as lines of text; [`examples`] holds the example
//! scenarios compiled in; [`question`] is the question panel's logic (the lists of ends, their
//! keys, the usual port, whether a remembered question still fits); [`fields`] checks what a
//! person types into the inspector before it becomes a document value.

pub mod examples;
pub mod fields;
pub mod lines;
pub mod question;

use spacetrace_canvas::{Layout, RegionKind};
use spacetrace_engine::apply::{apply as apply_fix, ids, unused_id};
use spacetrace_engine::doc::{self, AddonKind, Document, Generation, PeeringStatus, Position};
use spacetrace_engine::policy::{self, Refusal};
use spacetrace_engine::trace::Fix;

/// The canvas IDs of the two regions that are not document objects.
pub use spacetrace_canvas::{COMMON_RUNTIME, INTERNET};

/// Something new to add.
#[derive(Debug, Clone, PartialEq)]
pub enum NewObject {
    Space {
        generation: Generation,
        shield: bool,
        /// Where the person put it; `None` lets the canvas's layout place it.
        at: Option<Position>,
    },
    /// An app in a space, or in the Common Runtime when `space` is `None`.
    App {
        space: Option<String>,
        internal_routing: bool,
    },
    Addon {
        space: String,
        kind: AddonKind,
    },
    Vpc {
        /// Where the person put it; `None` lets the canvas's layout place it.
        at: Option<Position>,
    },
    Host {
        vpc: String,
    },
    Remote {
        /// Where the person put it; `None` lets the canvas's layout place it.
        at: Option<Position>,
    },
    RemoteHost {
        remote: String,
    },
    Client,
    Service,
    /// A prefix list (format version 2), with no entries yet.
    PrefixList,
}

/// A whole object with new values, replacing the one with the same ID. Children edited elsewhere
/// (a space's apps, a VPC's hosts, a remote network's hosts) are kept from the current document.
#[derive(Debug, Clone, PartialEq)]
pub enum Object {
    Space(doc::Space),
    App(doc::App),
    Addon(doc::Addon),
    Vpc(doc::Vpc),
    Host(doc::Host),
    Remote(doc::RemoteNetwork),
    RemoteHost(doc::RemoteHost),
    Peering(doc::Peering),
    Vpn(doc::Vpn),
    Client(doc::InternetClient),
    Service(doc::ExternalService),
    /// A prefix list's name and entries (its ID is changed by [`Edit::RenamePrefixList`]).
    PrefixList(doc::PrefixList),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    Add(NewObject),
    Move {
        id: String,
        to: Position,
    },
    Delete(Vec<String>),
    Peer {
        space: String,
        vpc: String,
    },
    /// Peer two VPCs with each other (a network peered to a VPC but not to the space).
    PeerVpcs {
        vpc: String,
        peer: String,
    },
    ConnectVpn {
        space: String,
        remote: String,
    },
    Update(Object),
    ApplyFix(Fix),
    /// A plan's fixes, applied in turn as one edit ("Apply all": one undo step). If one does not
    /// apply, nothing changes.
    ApplyFixes(Vec<Fix>),
    SaveQuestion(doc::Question),
    DeleteQuestion(String),
    Rename(String),
    /// Give a prefix list another ID; the security group rules that named it name it by the new
    /// one. An ID another object has, or a blank one, changes nothing.
    RenamePrefixList {
        from: String,
        to: String,
    },
    Replace(Box<Document>),
    /// Forget every position the person gave, so the automatic layout places everything again.
    Tidy,
}

/// Every ID in the document, owned.
pub fn all_ids(doc: &Document) -> Vec<String> {
    ids(doc).into_iter().map(str::to_owned).collect()
}

/// The edit that connects two regions, if the two can be connected at all.
pub fn connection(l: &Layout, from: &str, to: &str) -> Option<Edit> {
    let (a, b) = (l.region(from)?, l.region(to)?);
    let space = |k: RegionKind| matches!(k, RegionKind::Cedar | RegionKind::CedarShield | RegionKind::Fir);
    let (af, bf) = (a.id.clone(), b.id.clone());
    match (a.kind, b.kind) {
        (RegionKind::Vpc, k) if space(k) => Some(Edit::Peer { space: bf, vpc: af }),
        (k, RegionKind::Vpc) if space(k) => Some(Edit::Peer { space: af, vpc: bf }),
        (RegionKind::Vpc, RegionKind::Vpc) if af != bf => Some(Edit::PeerVpcs { vpc: af, peer: bf }),
        (RegionKind::Remote, k) if space(k) => Some(Edit::ConnectVpn { space: bf, remote: af }),
        (k, RegionKind::Remote) if space(k) => Some(Edit::ConnectVpn { space: af, remote: bf }),
        _ => None,
    }
}

/// The space an object belongs to, if any (for "add app" and friends).
pub fn space_of(d: &Document, id: &str) -> Option<String> {
    d.spaces
        .iter()
        .find(|s| s.id == id || s.apps.iter().any(|a| a.id == id) || s.addons.iter().any(|a| a.id == id))
        .map(|s| s.id.clone())
}

/// The VPC an object belongs to (the VPC itself, or a host in it), if any.
pub fn vpc_of(d: &Document, id: &str) -> Option<String> {
    d.vpcs.iter().find(|v| v.id == id || v.hosts.iter().any(|h| h.id == id)).map(|v| v.id.clone())
}

/// The remote network an object belongs to (itself, or a host in it), if any.
pub fn remote_of(d: &Document, id: &str) -> Option<String> {
    d.remote_networks.iter().find(|r| r.id == id || r.hosts.iter().any(|h| h.id == id)).map(|r| r.id.clone())
}

/// Apply an edit. The document given is never changed.
pub fn apply_edit(current: &Document, edit: &Edit) -> Result<Document, Refusal> {
    let mut d = current.clone();
    match edit {
        Edit::Add(new) => add(&mut d, new)?,
        Edit::Move { id, to } => move_to(&mut d, id, *to),
        Edit::Tidy => tidy(&mut d),
        Edit::Delete(list) => delete(&mut d, list),
        // Attaching is the engine's own "create" fix, once the platform's policy allows it.
        Edit::Peer { space, vpc } => {
            policy::can_peer(&d, space, vpc)?;
            let fix = Fix::CreatePeering { space: space.clone(), vpc: vpc.clone() };
            d = apply_fix(&d, &fix).unwrap_or(d);
        }
        Edit::PeerVpcs { vpc, peer } => {
            let exists = d.vpc_peerings.iter().any(|p| {
                p.status != PeeringStatus::Deleted
                    && ((p.vpc == *vpc && p.peer_vpc == *peer) || (p.vpc == *peer && p.peer_vpc == *vpc))
            });
            if vpc != peer && !exists && d.vpcs.iter().any(|v| v.id == *vpc) && d.vpcs.iter().any(|v| v.id == *peer) {
                let id = unused_id(&d, &format!("pcx-{vpc}-{peer}"));
                d.vpc_peerings.push(doc::VpcPeering {
                    id,
                    vpc: vpc.clone(),
                    peer_vpc: peer.clone(),
                    status: PeeringStatus::Active,
                    extra: Default::default(),
                });
            }
        }
        Edit::ConnectVpn { space, remote } => {
            policy::can_connect_vpn(&d, space)?;
            let fix = Fix::CreateVpn { space: space.clone(), remote: remote.clone() };
            d = apply_fix(&d, &fix).unwrap_or(d);
        }
        Edit::Update(object) => update(&mut d, object)?,
        Edit::ApplyFix(fix) => {
            if let Ok(next) = apply_fix(&d, fix) {
                d = next;
            }
        }
        Edit::ApplyFixes(fixes) => {
            if let Ok(next) = spacetrace_engine::plan::apply_all(&d, fixes) {
                d = next;
            }
        }
        Edit::SaveQuestion(q) => match d.questions.iter_mut().find(|x| x.id == q.id) {
            Some(existing) => *existing = q.clone(),
            None => d.questions.push(q.clone()),
        },
        Edit::DeleteQuestion(id) => d.questions.retain(|q| q.id != *id),
        Edit::Rename(name) => d.name = name.clone(),
        Edit::RenamePrefixList { from, to } => rename_prefix_list(&mut d, from, to.trim()),
        Edit::Replace(doc) => d = (**doc).clone(),
    }
    if !matches!(edit, Edit::Tidy | Edit::Replace(_)) {
        keep_places(current, &mut d);
    }
    Ok(d)
}

/// An edit does not reshuffle the picture: a region that the layout would now put in another
/// column (because another arrangement fits the screen better after the edit) keeps the place it
/// was shown at, as if the person had put it there. Only "Tidy up" lets everything move again.
fn keep_places(before: &Document, after: &mut Document) {
    let shown = spacetrace_canvas::layout(before, None);
    // Pinning one region can move others; a few rounds settle it.
    for _ in 0..4 {
        let now = spacetrace_canvas::layout(after, None);
        let moved: Vec<(String, Position)> = now
            .regions
            .iter()
            .filter(|r| !r.pinned)
            .filter_map(|r| {
                let was = shown.region(&r.id)?;
                ((was.x - r.x).abs() > 0.5).then(|| (r.id.clone(), Position { x: was.x, y: was.y }))
            })
            .collect();
        if moved.is_empty() {
            break;
        }
        for (id, at) in moved {
            move_to(after, &id, at);
        }
    }
}

fn count_of(d: &Document, prefix: &str) -> usize {
    ids(d).iter().filter(|id| id.starts_with(prefix)).count() + 1
}

fn add(d: &mut Document, new: &NewObject) -> Result<(), Refusal> {
    match new {
        NewObject::Space { generation, shield, at } => {
            let id = unused_id(d, &format!("space-{}", d.spaces.len() + 1));
            if *shield && *generation == Generation::Fir {
                let probe = doc::Space { id: id.clone(), generation: *generation, ..Default::default() };
                let mut with = d.clone();
                with.spaces.push(probe);
                policy::can_be_shield(&with, &id)?;
            }
            let n = d.spaces.len() as u8;
            d.spaces.push(doc::Space {
                name: id.clone(),
                id,
                generation: *generation,
                shield: *shield,
                region: "virginia".into(),
                outbound_ips: vec![
                    format!("203.0.113.{}", 10 + n * 2 % 200),
                    format!("203.0.113.{}", 11 + n * 2 % 200),
                ],
                position: *at,
                ..Default::default()
            });
        }
        NewObject::App { space, internal_routing } => {
            let id = unused_id(d, &format!("app-{}", count_of(d, "app-")));
            if *internal_routing {
                policy::can_choose_internal_routing(d, &id, space.as_deref(), true)?;
            }
            let app = doc::App {
                name: id.clone(),
                id,
                internal_routing: *internal_routing,
                process_types: vec![doc::ProcessType { name: "web".into(), dynos: 1, ..Default::default() }],
                ..Default::default()
            };
            match space {
                None => d.common_runtime_apps.push(app),
                Some(s) => {
                    if let Some(space) = d.spaces.iter_mut().find(|x| x.id == *s) {
                        space.apps.push(app);
                    }
                }
            }
        }
        NewObject::Addon { space, kind } => {
            let base = match kind {
                AddonKind::Postgres => "postgres",
                AddonKind::Kafka => "kafka",
                AddonKind::Redis => "redis",
            };
            let id = unused_id(d, &format!("{base}-{}", count_of(d, base)));
            if let Some(s) = d.spaces.iter_mut().find(|x| x.id == *space) {
                s.addons.push(doc::Addon { name: id.clone(), id, kind: *kind, ..Default::default() });
            }
        }
        NewObject::Vpc { at } => {
            let n = d.vpcs.len() + 1;
            let id = unused_id(d, &format!("vpc-{n}"));
            // A private /16 that overlaps nothing reserved by default and no other VPC.
            let taken: Vec<String> = d.vpcs.iter().map(|v| v.primary_cidr.clone()).collect();
            let second = (100..250u16).find(|o| !taken.contains(&format!("10.{o}.0.0/16"))).unwrap_or(100);
            let rt = unused_id(d, &format!("rtb-{id}"));
            let sg = unused_id(d, &format!("sg-{id}"));
            let subnet = unused_id(d, &format!("subnet-{id}"));
            d.vpcs.push(doc::Vpc {
                name: id.clone(),
                id,
                region: "us-east-1".into(),
                primary_cidr: format!("10.{second}.0.0/16"),
                route_tables: vec![doc::RouteTable {
                    name: rt.clone(),
                    id: rt.clone(),
                    routes: vec![doc::Route { destination: format!("10.{second}.0.0/16"), target: "local".into() }],
                    extra: Default::default(),
                }],
                security_groups: vec![doc::SecurityGroup {
                    name: sg.clone(),
                    id: sg,
                    inbound: Vec::new(),
                    outbound: Some(vec![doc::SgRule {
                        protocol: doc::RuleProtocol::All,
                        ports: "all".into(),
                        cidr: "0.0.0.0/0".into(),
                    }]),
                    extra: Default::default(),
                }],
                subnets: vec![doc::Subnet {
                    name: subnet.clone(),
                    id: subnet,
                    cidr: format!("10.{second}.1.0/24"),
                    route_table: rt,
                    network_acl: None,
                    extra: Default::default(),
                }],
                position: *at,
                ..Default::default()
            });
        }
        NewObject::Host { vpc } => {
            let id = unused_id(d, &format!("host-{}", count_of(d, "host-")));
            if let Some(v) = d.vpcs.iter_mut().find(|x| x.id == *vpc) {
                let Some(subnet) = v.subnets.first() else { return Ok(()) };
                let base = subnet.cidr.split('/').next().unwrap_or("").rsplit_once('.').map(|(a, _)| a.to_owned());
                let address = base.map(|b| format!("{b}.{}", 10 + v.hosts.len())).unwrap_or_default();
                let host = doc::Host {
                    name: id.clone(),
                    id,
                    subnet: subnet.id.clone(),
                    address,
                    security_groups: v.security_groups.first().map(|g| vec![g.id.clone()]).unwrap_or_default(),
                    ports: vec![doc::Listen { protocol: doc::Protocol::Tcp, port: 5432 }],
                    ..Default::default()
                };
                v.hosts.push(host);
            }
        }
        NewObject::Remote { at } => {
            let n = d.remote_networks.len();
            let id = unused_id(d, &format!("office-{}", n + 1));
            d.remote_networks.push(doc::RemoteNetwork {
                name: id.clone(),
                id,
                cidrs: vec![format!("192.168.{}.0/24", 10 + n)],
                position: *at,
                ..Default::default()
            });
        }
        NewObject::RemoteHost { remote } => {
            let id = unused_id(d, &format!("server-{}", count_of(d, "server-")));
            if let Some(r) = d.remote_networks.iter_mut().find(|x| x.id == *remote) {
                let base =
                    r.cidrs.first().and_then(|c| c.split('/').next()?.rsplit_once('.').map(|(a, _)| a.to_owned()));
                let address = base.map(|b| format!("{b}.{}", 20 + r.hosts.len())).unwrap_or_default();
                r.hosts.push(doc::RemoteHost {
                    name: id.clone(),
                    id,
                    address,
                    ports: vec![doc::Listen { protocol: doc::Protocol::Tcp, port: 443 }],
                    ..Default::default()
                });
            }
        }
        NewObject::Client => {
            let first = d.internet_clients.is_empty();
            let id = unused_id(d, if first { "anyone" } else { "client" });
            let n = d.internet_clients.len();
            d.internet_clients.push(doc::InternetClient {
                name: if first { "Anyone on the internet".into() } else { id.clone() },
                id,
                cidr: if first { "0.0.0.0/0".into() } else { format!("198.51.100.{}/32", 10 + n) },
                ..Default::default()
            });
        }
        NewObject::PrefixList => {
            let id = unused_id(d, &format!("pl-{}", d.prefix_lists.len() + 1));
            d.prefix_lists.push(doc::PrefixList { name: id.clone(), id, ..Default::default() });
        }
        NewObject::Service => {
            let id = unused_id(d, &format!("service-{}", count_of(d, "service-")));
            d.external_services.push(doc::ExternalService {
                name: id.clone(),
                hostname: format!("{id}.example.com"),
                id,
                ports: vec![doc::Listen { protocol: doc::Protocol::Tcp, port: 443 }],
                ..Default::default()
            });
        }
    }
    Ok(())
}

fn tidy(d: &mut Document) {
    d.layout.internet = None;
    d.layout.common_runtime = None;
    d.spaces.iter_mut().for_each(|s| s.position = None);
    d.vpcs.iter_mut().for_each(|v| v.position = None);
    d.remote_networks.iter_mut().for_each(|r| r.position = None);
}

fn move_to(d: &mut Document, id: &str, to: Position) {
    let to = Position { x: to.x.round(), y: to.y.round() };
    match id {
        INTERNET => d.layout.internet = Some(to),
        COMMON_RUNTIME => d.layout.common_runtime = Some(to),
        _ => {
            if let Some(s) = d.spaces.iter_mut().find(|x| x.id == id) {
                s.position = Some(to);
            } else if let Some(v) = d.vpcs.iter_mut().find(|x| x.id == id) {
                v.position = Some(to);
            } else if let Some(r) = d.remote_networks.iter_mut().find(|x| x.id == id) {
                r.position = Some(to);
            }
        }
    }
}

/// Does a question mention any of these IDs?
fn question_mentions(q: &doc::Question, gone: &[String]) -> bool {
    let has = |s: &String| gone.contains(s);
    let from = match &q.from {
        doc::From::Dyno { app, .. } => has(app),
        doc::From::Host(x) | doc::From::RemoteHost(x) | doc::From::Client(x) => has(x),
    };
    let to = match &q.to {
        doc::To::Hostname(x) | doc::To::Addon(x) | doc::To::Host(x) | doc::To::RemoteHost(x) | doc::To::External(x) => {
            has(x)
        }
        doc::To::Discovery { app, .. } | doc::To::DynoAddress { app, .. } => has(app),
        doc::To::Localhost => false,
    };
    from || to
}

fn delete(d: &mut Document, list: &[String]) {
    let mut gone: Vec<String> = list.to_vec();
    // Children of deleted regions go too.
    for s in d.spaces.iter().filter(|s| list.contains(&s.id)) {
        gone.extend(s.apps.iter().map(|a| a.id.clone()));
        gone.extend(s.addons.iter().map(|a| a.id.clone()));
    }
    for v in d.vpcs.iter().filter(|v| list.contains(&v.id)) {
        gone.extend(v.hosts.iter().map(|h| h.id.clone()));
    }
    for r in d.remote_networks.iter().filter(|r| list.contains(&r.id)) {
        gone.extend(r.hosts.iter().map(|h| h.id.clone()));
    }
    let g = |id: &String| gone.contains(id);
    d.spaces.retain(|s| !g(&s.id));
    for s in &mut d.spaces {
        s.apps.retain(|a| !g(&a.id));
        s.addons.retain(|a| !g(&a.id));
    }
    d.common_runtime_apps.retain(|a| !g(&a.id));
    d.vpcs.retain(|v| !g(&v.id));
    for v in &mut d.vpcs {
        v.hosts.retain(|h| !g(&h.id));
    }
    d.remote_networks.retain(|r| !g(&r.id));
    for r in &mut d.remote_networks {
        r.hosts.retain(|h| !g(&h.id));
    }
    d.internet_clients.retain(|c| !g(&c.id));
    d.external_services.retain(|c| !g(&c.id));
    // Rules that named a deleted prefix list are kept: the checker says they name nothing.
    d.prefix_lists.retain(|p| !g(&p.id));
    d.peerings.retain(|p| !g(&p.id) && !g(&p.space) && !g(&p.vpc));
    d.vpc_peerings.retain(|p| !g(&p.id) && !g(&p.vpc) && !g(&p.peer_vpc));
    d.vpns.retain(|v| !g(&v.id) && !g(&v.space) && !g(&v.remote_network));
    d.questions.retain(|q| !g(&q.id) && !question_mentions(q, &gone));
}

fn rename_prefix_list(d: &mut Document, from: &str, to: &str) {
    if to.is_empty() || to == from || ids(d).contains(&to) || !d.prefix_lists.iter().any(|p| p.id == from) {
        return;
    }
    for p in d.prefix_lists.iter_mut().filter(|p| p.id == from) {
        p.id = to.to_owned();
    }
    let groups = d.vpcs.iter_mut().flat_map(|v| v.security_groups.iter_mut());
    for g in groups {
        let outbound = g.outbound.iter_mut().flatten();
        for rule in g.inbound.iter_mut().chain(outbound).filter(|r| r.cidr.trim() == from) {
            rule.cidr = to.to_owned();
        }
    }
}

fn update(d: &mut Document, object: &Object) -> Result<(), Refusal> {
    match object {
        Object::Space(new) => {
            let Some(i) = d.spaces.iter().position(|s| s.id == new.id) else { return Ok(()) };
            let old = d.spaces[i].clone();
            let mut probe = d.clone();
            probe.spaces[i].generation = new.generation;
            if new.shield && !old.shield {
                policy::can_be_shield(&probe, &new.id)?;
            }
            if new.trusted_ip_ranges != old.trusted_ip_ranges
                && let Some(list) = &new.trusted_ip_ranges
            {
                policy::can_set_trusted_ranges(&probe, &new.id, list.len())?;
            }
            let mut next = new.clone();
            next.apps = old.apps;
            next.addons = old.addons;
            d.spaces[i] = next;
        }
        Object::App(new) => {
            let space = d.spaces.iter().find(|s| s.apps.iter().any(|a| a.id == new.id)).map(|s| s.id.clone());
            let Some(old) = d.apps().find(|a| a.id == new.id).cloned() else { return Ok(()) };
            if old.internal_routing != new.internal_routing {
                policy::can_choose_internal_routing(d, &new.id, space.as_deref(), false)?;
            }
            for a in d.common_runtime_apps.iter_mut().chain(d.spaces.iter_mut().flat_map(|s| s.apps.iter_mut())) {
                if a.id == new.id {
                    *a = new.clone();
                }
            }
        }
        Object::Addon(new) => {
            for a in d.spaces.iter_mut().flat_map(|s| s.addons.iter_mut()) {
                if a.id == new.id {
                    *a = new.clone();
                }
            }
        }
        Object::Vpc(new) => {
            if let Some(v) = d.vpcs.iter_mut().find(|v| v.id == new.id) {
                let hosts = std::mem::take(&mut v.hosts);
                *v = new.clone();
                v.hosts = hosts;
            }
        }
        Object::Host(new) => {
            for h in d.vpcs.iter_mut().flat_map(|v| v.hosts.iter_mut()) {
                if h.id == new.id {
                    *h = new.clone();
                }
            }
        }
        Object::Remote(new) => {
            if let Some(r) = d.remote_networks.iter_mut().find(|r| r.id == new.id) {
                let hosts = std::mem::take(&mut r.hosts);
                *r = new.clone();
                r.hosts = hosts;
            }
        }
        Object::RemoteHost(new) => {
            for h in d.remote_networks.iter_mut().flat_map(|r| r.hosts.iter_mut()) {
                if h.id == new.id {
                    *h = new.clone();
                }
            }
        }
        Object::Peering(new) => {
            if let Some(p) = d.peerings.iter_mut().find(|p| p.id == new.id) {
                *p = new.clone();
            }
        }
        Object::Vpn(new) => {
            if let Some(v) = d.vpns.iter_mut().find(|v| v.id == new.id) {
                *v = new.clone();
            }
        }
        Object::Client(new) => {
            if let Some(c) = d.internet_clients.iter_mut().find(|c| c.id == new.id) {
                *c = new.clone();
            }
        }
        Object::Service(new) => {
            if let Some(s) = d.external_services.iter_mut().find(|s| s.id == new.id) {
                *s = new.clone();
            }
        }
        Object::PrefixList(new) => {
            if let Some(p) = d.prefix_lists.iter_mut().find(|p| p.id == new.id) {
                *p = new.clone();
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use spacetrace_engine::rules::RuleId;

    fn empty() -> Document {
        Document { version: Some(1), name: "test".into(), ..Default::default() }
    }

    fn at() -> Option<Position> {
        None
    }

    /// Adding regions one after another never moves one already shown to another column.
    #[test]
    fn an_edit_does_not_reshuffle_the_picture() {
        let mut d = crate::examples::default_document();
        let mut shown = spacetrace_canvas::layout(&d, None);
        let adds = [
            NewObject::Vpc { at: None },
            NewObject::Space { generation: Generation::Cedar, shield: false, at: None },
            NewObject::Remote { at: None },
            NewObject::Vpc { at: None },
            NewObject::Space { generation: Generation::Fir, shield: false, at: None },
            NewObject::Vpc { at: None },
            NewObject::Vpc { at: None },
        ];
        for add in adds {
            d = apply_edit(&d, &Edit::Add(add)).unwrap();
            let now = spacetrace_canvas::layout(&d, None);
            for r in &shown.regions {
                let n = now.region(&r.id).unwrap();
                assert_eq!(n.x, r.x, "{} stayed in its column", r.id);
            }
            shown = now;
        }
        // Tidy up lets everything move again: no position is left.
        let tidy = apply_edit(&d, &Edit::Tidy).unwrap();
        assert!(tidy.spaces.iter().all(|s| s.position.is_none()) && tidy.vpcs.iter().all(|v| v.position.is_none()));
    }

    #[test]
    fn build_a_space_with_two_apps_and_a_peered_vpc() {
        let mut d = empty();
        for e in [
            Edit::Add(NewObject::Space { generation: Generation::Cedar, shield: false, at: at() }),
            Edit::Add(NewObject::App { space: Some("space-1".into()), internal_routing: false }),
            Edit::Add(NewObject::App { space: Some("space-1".into()), internal_routing: false }),
            Edit::Add(NewObject::Vpc { at: at() }),
            Edit::Add(NewObject::Host { vpc: "vpc-1".into() }),
            Edit::Peer { space: "space-1".into(), vpc: "vpc-1".into() },
        ] {
            d = apply_edit(&d, &e).unwrap();
        }
        assert_eq!(d.spaces[0].apps.len(), 2);
        assert_eq!(d.vpcs[0].hosts.len(), 1);
        assert_eq!(d.peerings.len(), 1);
        let checked = spacetrace_engine::check(&d);
        assert!(checked.errors().next().is_none(), "{:?}", checked.diagnostics);
    }

    #[test]
    fn two_vpcs_peer_once_and_the_space_does_not_reach_through() {
        let mut d = empty();
        for e in [
            Edit::Add(NewObject::Space { generation: Generation::Cedar, shield: false, at: at() }),
            Edit::Add(NewObject::App { space: Some("space-1".into()), internal_routing: false }),
            Edit::Add(NewObject::Vpc { at: at() }),
            Edit::Add(NewObject::Vpc { at: at() }),
            Edit::Add(NewObject::Host { vpc: "vpc-2".into() }),
            Edit::Peer { space: "space-1".into(), vpc: "vpc-1".into() },
            Edit::PeerVpcs { vpc: "vpc-1".into(), peer: "vpc-2".into() },
            Edit::PeerVpcs { vpc: "vpc-2".into(), peer: "vpc-1".into() },
        ] {
            d = apply_edit(&d, &e).unwrap();
        }
        assert_eq!(d.vpc_peerings.len(), 1, "peering the same two VPCs twice adds one peering");
        let checked = spacetrace_engine::check(&d);
        let q = spacetrace_engine::Query::from_doc(
            &checked.model,
            &doc::From::Dyno { app: "app-1".into(), process: "web".into() },
            &doc::To::Host("host-1".into()),
            doc::Protocol::Tcp,
            5432,
        )
        .unwrap();
        let t = spacetrace_engine::evaluate(&checked.model, &q);
        assert_eq!(t.blocking_step().map(|s| s.rule), Some(RuleId::PeerNotTransitive));
    }

    #[test]
    fn fir_refuses_peering_and_internal_routing_changes_are_refused() {
        let mut d = empty();
        d = apply_edit(&d, &Edit::Add(NewObject::Space { generation: Generation::Fir, shield: false, at: at() }))
            .unwrap();
        d = apply_edit(&d, &Edit::Add(NewObject::Vpc { at: at() })).unwrap();
        let refused = apply_edit(&d, &Edit::Peer { space: "space-1".into(), vpc: "vpc-1".into() }).unwrap_err();
        assert_eq!(refused.rules[0], RuleId::PeerCedarOnly);

        let mut d = empty();
        d = apply_edit(&d, &Edit::Add(NewObject::Space { generation: Generation::Cedar, shield: false, at: at() }))
            .unwrap();
        d = apply_edit(&d, &Edit::Add(NewObject::App { space: Some("space-1".into()), internal_routing: false }))
            .unwrap();
        let mut app = d.spaces[0].apps[0].clone();
        app.internal_routing = true;
        let refused = apply_edit(&d, &Edit::Update(Object::App(app))).unwrap_err();
        assert_eq!(refused.rules, vec![RuleId::IrAtCreation]);
    }

    /// Prefix lists are added, edited, renamed (with the rules that name them) and deleted as
    /// edits, and a rule naming one is read by the engine.
    #[test]
    fn prefix_lists_are_edited_and_renamed_with_their_rules() {
        let mut d = crate::examples::load(include_str!("../../../scenarios/aws.json"));
        d = apply_edit(&d, &Edit::Add(NewObject::PrefixList)).unwrap();
        let added = d.prefix_lists.last().unwrap().clone();
        assert_eq!((added.id.as_str(), added.entries.len()), ("pl-2", 0));
        let mut edited = added.clone();
        edited.name = "office".into();
        edited.entries = vec!["198.51.100.0/24".into()];
        d = apply_edit(&d, &Edit::Update(Object::PrefixList(edited.clone()))).unwrap();
        assert_eq!(d.prefix_lists[1], edited);

        // Renaming the dyno ranges' list renames the rules that name it, so the answers stay.
        let renamed =
            apply_edit(&d, &Edit::RenamePrefixList { from: "pl-0dynos".into(), to: " pl-0heroku ".into() }).unwrap();
        assert_eq!(renamed.prefix_lists[0].id, "pl-0heroku");
        let db = &renamed.vpcs[0].security_groups[0];
        assert_eq!(db.inbound[0].cidr, "pl-0heroku");
        assert_eq!(db.inbound[1].cidr, "sg-0etl", "other rules are left alone");
        let checked = spacetrace_engine::check(&renamed);
        assert!(checked.errors().next().is_none(), "{:?}", checked.diagnostics);
        let graded = spacetrace_engine::lab::grade(&checked);
        assert!(graded.iter().all(|q| q.passed()), "every question still answers as it expects");

        // An ID another object has, or a blank one, changes nothing.
        for to in ["sg-0db", "pl-2", "  "] {
            assert_eq!(apply_edit(&d, &Edit::RenamePrefixList { from: "pl-0dynos".into(), to: to.into() }).unwrap(), d);
        }

        // Deleting a list keeps the rules that named it; the checker says they name nothing.
        let deleted = apply_edit(&d, &Edit::Delete(vec!["pl-0dynos".into()])).unwrap();
        assert_eq!(deleted.prefix_lists.len(), 1);
        assert_eq!(deleted.vpcs[0].security_groups[0].inbound[0].cidr, "pl-0dynos");
        assert!(spacetrace_engine::check(&deleted).errors().next().is_some());
    }

    #[test]
    fn deleting_a_space_removes_its_apps_peerings_and_questions() {
        let d = spacetrace_engine::parse_document(include_str!("../../../scenarios/default.json")).unwrap();
        let after = apply_edit(&d, &Edit::Delete(vec!["acme-prod".into()])).unwrap();
        assert!(after.spaces.is_empty());
        assert!(after.peerings.is_empty() && after.vpns.is_empty());
        assert!(after.questions.iter().all(|q| !matches!(&q.from, doc::From::Dyno { .. })));
        assert!(spacetrace_engine::check(&after).errors().next().is_none());
    }

    /// "Apply all": a plan's fixes applied in turn as one edit; if one does not apply, nothing
    /// changes (never half a plan).
    #[test]
    fn applying_a_plan_is_one_edit() {
        let d = spacetrace_engine::parse_document(include_str!("../../../scenarios/limits.json")).unwrap();
        let m = spacetrace_engine::check(&d).model;
        let from = doc::From::Dyno { app: "sync".into(), process: "worker".into() };
        let q = spacetrace_engine::Query::from_doc(
            &m,
            &from,
            &doc::To::Host("analytics-db".into()),
            doc::Protocol::Tcp,
            5432,
        )
        .unwrap();
        let fixes = spacetrace_engine::plan::plan(&d, &q).fix_list();
        assert_eq!(fixes.len(), 3);
        let mut one_by_one = d.clone();
        for f in &fixes {
            one_by_one = apply_edit(&one_by_one, &Edit::ApplyFix(f.clone())).unwrap();
        }
        assert_eq!(apply_edit(&d, &Edit::ApplyFixes(fixes.clone())).unwrap(), one_by_one);
        let mut broken = fixes;
        broken.push(Fix::AcceptPeering { peering: "pcx-nowhere".into() });
        assert_eq!(apply_edit(&d, &Edit::ApplyFixes(broken)).unwrap(), d);
    }

    /// Dragging from one region to another connects what the platform can connect.
    #[test]
    fn a_connection_between_two_regions_is_the_edit_that_makes_it() {
        let mut d = crate::examples::default_document();
        d = apply_edit(&d, &Edit::Add(NewObject::Vpc { at: None })).unwrap();
        d = apply_edit(&d, &Edit::Add(NewObject::Remote { at: None })).unwrap();
        let space = d.spaces[0].id.clone();
        let (vpc, other) = (d.vpcs[0].id.clone(), d.vpcs.last().unwrap().id.clone());
        let remote = d.remote_networks.last().unwrap().id.clone();
        let l = spacetrace_canvas::layout(&d, None);
        let peer = Edit::Peer { space: space.clone(), vpc: vpc.clone() };
        assert_eq!(connection(&l, &space, &vpc), Some(peer.clone()));
        assert_eq!(connection(&l, &vpc, &space), Some(peer), "either way round");
        assert_eq!(connection(&l, &vpc, &other), Some(Edit::PeerVpcs { vpc: vpc.clone(), peer: other }));
        let vpn = Edit::ConnectVpn { space: space.clone(), remote: remote.clone() };
        assert_eq!(connection(&l, &remote, &space), Some(vpn.clone()));
        assert_eq!(connection(&l, &space, &remote), Some(vpn));
        assert_eq!(connection(&l, &vpc, &vpc), None, "a VPC is not peered with itself");
        assert_eq!(connection(&l, &space, &space), None);
        assert_eq!(connection(&l, &vpc, &remote), None);
        assert_eq!(connection(&l, COMMON_RUNTIME, &vpc), None);
        assert_eq!(connection(&l, &space, "nowhere"), None);
    }

    #[test]
    fn an_object_is_found_in_the_region_that_holds_it() {
        let d = crate::examples::default_document();
        let space = &d.spaces[0];
        assert_eq!(space_of(&d, &space.id), Some(space.id.clone()));
        assert_eq!(space_of(&d, &space.apps[0].id), Some(space.id.clone()));
        assert_eq!(space_of(&d, &space.addons[0].id), Some(space.id.clone()));
        let vpc = &d.vpcs[0];
        assert_eq!(vpc_of(&d, &vpc.id), Some(vpc.id.clone()));
        assert_eq!(vpc_of(&d, &vpc.hosts[0].id), Some(vpc.id.clone()));
        assert_eq!(space_of(&d, &vpc.id), None);
        assert_eq!(vpc_of(&d, &space.apps[0].id), None);
        let remote = &d.remote_networks[0];
        assert_eq!(remote_of(&d, &remote.hosts[0].id), Some(remote.id.clone()));
        assert_eq!(remote_of(&d, &remote.id), Some(remote.id.clone()));
        assert_eq!(remote_of(&d, &vpc.hosts[0].id), None);
        assert_eq!(space_of(&d, "nowhere"), None);
    }
}
