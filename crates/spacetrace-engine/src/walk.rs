//! The packet's walk: an answered trace stepped through hop by hop, with the packet as each hop
//! sees it (the source address changes at a NAT gateway, at the router, at a VPC's egress; the
//! destination once DNS resolves it, and the port when the router forwards to `$PORT`).
//!
//! Derived from the trace's hops, the steps' [`Detail`]s and the model, after evaluation: the
//! walk never evaluates anything again. Where a stateless network ACL decides, the reply's walk
//! follows (destination back to source, on the ephemeral ports). Data only; the words are
//! [`crate::render`]'s (`packet_label`, `packet_source`).

use std::net::{IpAddr, Ipv4Addr};

use ipnet::IpNet;
use serde::Serialize;

use crate::doc::Protocol;
use crate::model::{Model, PortRange};
use crate::query::{Dst, Src};
use crate::trace::{ComponentKind, Decision, Detail, Direction, Part, SeenAs, Source, Trace};

/// An address as a hop sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Address {
    Ip {
        ip: IpAddr,
    },
    /// A range (an internet client given as a CIDR block).
    Net {
        net: IpNet,
    },
    /// One of these (a space's stable outbound IPs).
    AnyOf {
        ips: Vec<IpAddr>,
    },
    /// An unpredictable Common Runtime address.
    CommonRuntime,
    /// A public address that is not known.
    Unknown,
    /// A name not yet resolved (a hostname), or an end named rather than addressed.
    Name {
        name: String,
    },
    /// The router, which passes the client's address on in `X-Forwarded-For`.
    Router {
        client: Box<Address>,
    },
}

impl Address {
    fn ip(ip: impl Into<IpAddr>) -> Self {
        Address::Ip { ip: ip.into() }
    }

    fn known(ip: Option<impl Into<IpAddr>>) -> Self {
        ip.map(Address::ip).unwrap_or(Address::Unknown)
    }

    fn name(name: impl Into<String>) -> Self {
        Address::Name { name: name.into() }
    }

    fn ips(ips: &[IpAddr]) -> Self {
        match ips {
            [] => Address::Unknown,
            [one] => Address::ip(*one),
            _ => Address::AnyOf { ips: ips.to_vec() },
        }
    }

    fn from_source(s: &Source) -> Self {
        match s {
            Source::CommonRuntime => Address::CommonRuntime,
            Source::OutboundIps { ips } => Address::ips(ips),
            Source::Net { net } if net.prefix_len() == net.max_prefix_len() => Address::ip(net.addr()),
            Source::Net { net } => Address::Net { net: *net },
            Source::Unknown => Address::Unknown,
        }
    }

    fn from_seen_as(s: &SeenAs) -> Self {
        match s {
            SeenAs::Loopback => Address::ip(Ipv4Addr::LOCALHOST),
            SeenAs::Dyno { address } => Address::known(*address),
            SeenAs::OutboundIps { ips } => Address::ips(ips),
            SeenAs::CommonRuntime => Address::CommonRuntime,
            SeenAs::VpcHost { address } => Address::ip(*address),
            SeenAs::VpcEgress { address } | SeenAs::RemoteHost { address } => Address::ip(*address),
            SeenAs::RemoteEgress { address } => Address::known(*address),
            SeenAs::Client { net } => Address::from_source(&Source::Net { net: *net }),
            SeenAs::ViaRouter { client } => Address::Router { client: Box::new(Address::from_seen_as(client)) },
        }
    }
}

/// Which way a packet travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Leg {
    /// The question's request, source to destination.
    Request,
    /// The reply, destination back to source, shown where a stateless network ACL decides.
    Reply,
}

/// The packet at one hop of the walk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Packet {
    /// The hop of the trace (0-based index into `Trace::hops`).
    pub hop: usize,
    pub leg: Leg,
    /// The source address as this hop sees it.
    pub source: Address,
    /// The source before this hop changed it, when it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub was: Option<Address>,
    pub destination: Address,
    pub protocol: Protocol,
    /// The destination port (the ephemeral range for a reply).
    pub ports: PortRange,
    /// At a VPN tunnel: carried inside IPsec to this customer gateway (when known).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tunnel: Option<Option<IpAddr>>,
    /// Whether the packet stops here (the blocking hop).
    pub stops: bool,
}

/// The source address where the question starts, before any hop.
fn initial_source(model: &Model, trace: &Trace) -> Address {
    let q = &trace.query;
    match q.src() {
        Src::Dyno { app, process } => {
            let first = trace.hops.first().and_then(|h| {
                h.steps.iter().find_map(|s| match &s.detail {
                    Detail::SpaceDyno { address, .. } | Detail::CrDyno { address, .. } => {
                        Some(Address::known(*address))
                    }
                    Detail::OwnAddress { address, .. } => Some(Address::known(*address)),
                    _ => None,
                })
            });
            first.unwrap_or_else(|| {
                let p = model.app(app).processes.get(process);
                Address::known(p.and_then(|p| p.dyno_address(q.src_dyno())))
            })
        }
        Src::Host(h) => Address::ip(model.host(h).address),
        Src::RemoteHost(r) => Address::ip(model.remote_host(r).address),
        Src::Client(c) => match model.clients.get(c.ix()) {
            Some(client) => Address::from_source(&Source::Net { net: client.cidr }),
            None => Address::Unknown,
        },
    }
}

/// The destination as the question names it, before DNS or the router.
fn initial_destination(model: &Model, trace: &Trace) -> Address {
    let q = &trace.query;
    match q.dst() {
        Dst::Hostname(app) => Address::name(model.app(app).hostname()),
        Dst::Discovery { app, process } => {
            let a = model.app(app);
            let p = a.processes.get(process).map(|p| p.name.as_str()).unwrap_or("");
            Address::name(format!("{p}.{}.app.localspace", a.name))
        }
        Dst::DynoAddress { app, process } => {
            let p = model.app(app).processes.get(process);
            Address::known(p.and_then(|p| p.dyno_address(q.dst_dyno())))
        }
        Dst::Localhost => Address::ip(Ipv4Addr::LOCALHOST),
        Dst::Addon(a) => Address::name(model.addon(a).name.clone()),
        Dst::Host(h) => Address::ip(model.host(h).address),
        Dst::RemoteHost(r) => Address::ip(model.remote_host(r).address),
        Dst::External(s) => match model.services.get(s.ix()) {
            Some(service) => Address::name(service.hostname.clone()),
            None => Address::Unknown,
        },
    }
}

/// The hop where the walk stops: the blocking hop, else the last.
fn last_hop(trace: &Trace) -> Option<usize> {
    match trace.blocked_at {
        Some(b) => Some(b.hop.min(trace.hops.len().checked_sub(1)?)),
        None => trace.hops.len().checked_sub(1),
    }
}

/// Whether the trace was blocked by the reply direction of a network ACL (the request passed).
fn reply_blocked_at_acl(trace: &Trace) -> bool {
    // The request crosses the ACL on its own port, the reply on the ephemeral range.
    trace
        .blocking_step()
        .is_some_and(|s| matches!(&s.detail, Detail::Acl { ports, .. } if *ports == PortRange::EPHEMERAL))
}

/// The request's walk: one packet per hop, up to the blocking hop.
pub fn packets(model: &Model, trace: &Trace) -> Vec<Packet> {
    let Some(last) = last_hop(trace) else { return Vec::new() };
    let mut source = initial_source(model, trace);
    let mut destination = initial_destination(model, trace);
    let mut port = trace.query.port();
    let protocol = trace.query.protocol();
    let acl_reply_blocks = reply_blocked_at_acl(trace);
    let mut out = Vec::with_capacity(last + 1);
    for (i, hop) in trace.hops.iter().enumerate().take(last + 1) {
        let before = source.clone();
        let mut tunnel = None;
        for step in &hop.steps {
            match &step.detail {
                Detail::Nat { ips } => source = Address::ips(ips),
                Detail::CrOutbound => source = Address::CommonRuntime,
                Detail::OutboundIpsUnknown => source = Address::Unknown,
                Detail::OverInternet { egress } | Detail::PublicHostnameFromVpc { egress } => {
                    source = Address::known(*egress)
                }
                Detail::Trusted { source: s, .. } | Detail::NotTrusted { source: s, .. } => {
                    source = Address::from_source(s)
                }
                Detail::PrivateDns { endpoint: Some(e), .. } => destination = Address::ip(*e),
                Detail::DiscoveryResolves { address: Some(a), .. } => destination = Address::ip(*a),
                Detail::Ipsec { gateway } => tunnel = Some(*gateway),
                Detail::ForwardToWeb { web_port, .. } => {
                    port = *web_port;
                    // The router forwards to the app's web dyno: its address, when it has one.
                    if let Part::Web { app } | Part::App { app } | Part::Dyno { app, .. } = hop.component.part {
                        let a = model.app(app);
                        destination = a
                            .processes
                            .iter()
                            .find(|p| p.is_web())
                            .and_then(|p| p.address)
                            .map_or_else(|| Address::name(a.hostname()), Address::ip);
                    }
                    source = Address::Router { client: Box::new(source.clone()) };
                }
                _ => {}
            }
        }
        if tunnel.is_none() && hop.component.kind == ComponentKind::VpnTunnel && hop.steps.is_empty() {
            tunnel = Some(None);
        }
        // The destination's own view of the source is the trace's answer.
        if i + 1 == trace.hops.len()
            && trace.blocked_at.is_none()
            && let Some(seen) = &trace.seen_as
        {
            source = Address::from_seen_as(seen);
        }
        let stops = trace.blocked_at.is_some_and(|b| b.hop == i) && !(acl_reply_blocks && is_acl(trace, i));
        let was = (source != before && i > 0).then_some(before);
        out.push(Packet {
            hop: i,
            leg: Leg::Request,
            source: source.clone(),
            was,
            destination: destination.clone(),
            protocol,
            ports: PortRange::single(port),
            tunnel,
            stops,
        });
    }
    out
}

fn is_acl(trace: &Trace, hop: usize) -> bool {
    trace.hops.get(hop).is_some_and(|h| h.component.kind == ComponentKind::NetworkAcl)
}

/// The reply's walk, where a stateless network ACL decides: from the furthest hop the request
/// reached back to the first, source and destination swapped, to the ephemeral ports. It stops at
/// the ACL when the ACL's rule for the reply blocks it. Empty when no ACL decides, or when the
/// request itself stops before the reply could be sent.
pub fn reply(model: &Model, trace: &Trace) -> Vec<Packet> {
    let acl_hop = trace.hops.iter().position(|h| {
        h.component.kind == ComponentKind::NetworkAcl
            && h.steps.iter().any(|s| matches!(s.detail, Detail::Acl { .. }) && s.decision != Decision::Note)
    });
    let Some(acl_hop) = acl_hop else { return Vec::new() };
    let reply_blocks = reply_blocked_at_acl(trace) && trace.blocked_at.is_some_and(|b| b.hop == acl_hop);
    if trace.blocked_at.is_some() && !reply_blocks {
        // The request never got an answer: nothing comes back.
        return Vec::new();
    }
    let request = packets(model, trace);
    let mut out = Vec::with_capacity(request.len());
    for p in request.iter().rev() {
        let stops = reply_blocks && p.hop == acl_hop;
        let source = match &p.destination {
            Address::Name { .. } => request.last().map(|l| l.destination.clone()).unwrap_or(Address::Unknown),
            d => d.clone(),
        };
        out.push(Packet {
            hop: p.hop,
            leg: Leg::Reply,
            source,
            was: None,
            destination: p.source.clone(),
            protocol: p.protocol,
            ports: PortRange::EPHEMERAL,
            tunnel: p.tunnel,
            stops,
        });
        if stops {
            break;
        }
    }
    out
}

/// The whole walk: the request's packets, then the reply's (if any), in the order a person steps
/// through them.
pub fn walk(model: &Model, trace: &Trace) -> Vec<Packet> {
    let mut all = packets(model, trace);
    all.extend(reply(model, trace));
    all
}

/// The direction of the ACL rule that decides a packet at an ACL hop: the request crosses it one
/// way, the reply the other.
pub fn acl_direction(trace: &Trace, p: &Packet) -> Option<Direction> {
    let hop = trace.hops.get(p.hop)?;
    let mut acl = hop.steps.iter().filter_map(|s| match &s.detail {
        Detail::Acl { direction, .. } => Some(*direction),
        _ => None,
    });
    match p.leg {
        Leg::Request => acl.next(),
        Leg::Reply => acl.nth(1),
    }
}
