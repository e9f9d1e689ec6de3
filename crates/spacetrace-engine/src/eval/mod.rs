//! Evaluation: a question against a model gives a verdict, never an error.
//!
//! One walk serves two callers. [`evaluate`] records the full trace; [`outcome`] records nothing
//! but the verdict and the blocking rule, so the all-pairs matrix allocates nothing per question.
//! The walk goes in path order and stops at the first blocking step.
//!
//! This module holds the entry points, the two sinks the walk writes to, the state of a walk
//! ([`Ev`]) with what every part shares, and the dispatch over a question's ends ([`Ends`]: only
//! pairs Spacetrace models can be held, so every pair has its walk). Each family of hops has a
//! module of its own, which adds to `Ev` the steps it decides:
//!
//! - [`public`]: the public way in (DNS to the router, router ports, trusted IP ranges, `web`);
//! - [`private`]: a space's private network (dyno to dyno, DNS discovery, Internal Routing from
//!   inside, data add-ons, the way in from peered and VPN-connected networks);
//! - [`vpc`]: AWS VPCs (peering, route tables, network ACLs, security groups, hosts);
//! - [`vpn`]: VPN connections (tunnels, routable CIDRs, the remote firewall and hosts);
//! - [`egress`]: the way out to the internet (Common Runtime, NAT and outbound IPs) and external
//!   services.

mod egress;
mod private;
mod public;
mod vpc;
mod vpn;

use std::net::{IpAddr, Ipv4Addr};

use ipnet::IpNet;

use crate::capabilities::Feature;
use crate::doc::{Protocol, RuleProtocol};
use crate::model::*;
use crate::query::{Dst, Ends, OnHeroku, Outside, Query, Src};
use crate::rules::RuleId as R;
use crate::trace::*;

/// Evaluate a question and explain the answer.
pub fn evaluate(model: &Model, query: &Query) -> Trace {
    let mut ev = Ev { m: model, q: *query, s: Full::default() };
    let result = ev.run();
    let full = ev.s;
    Trace {
        query: *query,
        verdict: if result.is_ok() { Verdict::Connected } else { Verdict::Blocked },
        hops: full.hops,
        seen_as: if result.is_ok() { full.seen } else { None },
        blocked_at: full.blocked_at,
        suggestions: full.suggestions,
        assumed: full.assumed,
    }
}

/// Only the verdict and the blocking rule: what the matrix needs, without allocating a trace.
pub fn outcome(model: &Model, query: &Query) -> Outcome {
    let mut ev = Ev { m: model, q: *query, s: Quick };
    match ev.run() {
        Ok(()) => Outcome { verdict: Verdict::Connected, blocked_by: None },
        Err(Stop(rule)) => Outcome { verdict: Verdict::Blocked, blocked_by: Some(rule) },
    }
}

/// The walk stopped at a step citing this rule.
struct Stop(R);
type Flow = Result<(), Stop>;

/// Where the walk writes what it saw.
trait Sink {
    fn hop(&mut self, kind: ComponentKind, id: &str, part: Part);
    fn step(&mut self, rule: R, decision: Decision, detail: impl FnOnce() -> Detail);
    fn seen(&mut self, f: impl FnOnce() -> SeenAs);
    fn suggest(&mut self, rule: R, fixes: impl FnOnce() -> Vec<Fix>);
    fn assume(&mut self, a: Assumption);
    /// The step that blocked, where it is recorded (a full trace).
    fn blocked_at(&self) -> Option<StepRef>;
}

#[derive(Default)]
struct Full {
    hops: Vec<Hop>,
    seen: Option<SeenAs>,
    suggestions: Vec<Suggestion>,
    blocked_at: Option<StepRef>,
    assumed: Vec<Assumption>,
}

impl Sink for Full {
    fn hop(&mut self, kind: ComponentKind, id: &str, part: Part) {
        self.hops.push(Hop { component: Component { kind, id: id.to_owned(), part }, steps: Vec::new() });
    }
    fn step(&mut self, rule: R, decision: Decision, detail: impl FnOnce() -> Detail) {
        if self.hops.is_empty() {
            self.hop(ComponentKind::Internet, "", Part::Internet);
        }
        let hop = self.hops.len() - 1;
        let steps = &mut self.hops[hop].steps;
        if decision == Decision::Block && self.blocked_at.is_none() {
            self.blocked_at = Some(StepRef { hop, step: steps.len() });
        }
        steps.push(Step { rule, decision, detail: detail() });
    }
    fn seen(&mut self, f: impl FnOnce() -> SeenAs) {
        self.seen = Some(f());
    }
    fn suggest(&mut self, rule: R, fixes: impl FnOnce() -> Vec<Fix>) {
        self.suggestions.extend(fixes().into_iter().map(|fix| Suggestion { rule, fix }));
    }
    fn assume(&mut self, a: Assumption) {
        if !self.assumed.contains(&a) {
            self.assumed.push(a);
        }
    }
    fn blocked_at(&self) -> Option<StepRef> {
        self.blocked_at
    }
}

struct Quick;

impl Sink for Quick {
    fn hop(&mut self, _: ComponentKind, _: &str, _: Part) {}
    fn step(&mut self, _: R, _: Decision, _: impl FnOnce() -> Detail) {}
    fn seen(&mut self, _: impl FnOnce() -> SeenAs) {}
    fn suggest(&mut self, _: R, _: impl FnOnce() -> Vec<Fix>) {}
    fn assume(&mut self, _: Assumption) {}
    fn blocked_at(&self) -> Option<StepRef> {
        None
    }
}

/// A public source address as a filter sees it.
#[derive(Clone, Copy)]
enum Public<'m> {
    CommonRuntime,
    OutboundIps(&'m [IpAddr]),
    Net(IpNet),
    Unknown,
}

impl Public<'_> {
    fn to_source(self) -> Source {
        match self {
            Public::CommonRuntime => Source::CommonRuntime,
            Public::OutboundIps(ips) => Source::OutboundIps { ips: ips.to_vec() },
            Public::Net(net) => Source::Net { net },
            Public::Unknown => Source::Unknown,
        }
    }
}

fn host_net(addr: IpAddr) -> IpNet {
    IpNet::from(addr)
}

fn rule_protocol(p: Protocol) -> RuleProtocol {
    match p {
        Protocol::Tcp => RuleProtocol::Tcp,
        Protocol::Udp => RuleProtocol::Udp,
    }
}

/// `0.0.0.0/0`: admits every IPv4 address. (`::/0` admits every IPv6 address, not IPv4 ones.)
fn is_everything(net: &IpNet) -> bool {
    matches!(net, IpNet::V4(n) if n.prefix_len() == 0)
}

/// What to ask instead of a dyno that cannot be reached directly: its app's hostname, when the
/// process is `web` (the router forwards only to `web`); otherwise no configuration reaches it.
fn via_hostname(app: &App, process: Option<&Process>) -> Vec<Fix> {
    match process {
        Some(p) if !p.is_web() => vec![Fix::NoConfiguration {
            workaround: Some(Workaround::OnlyWebFromOutside { app: app.id.clone(), process: p.name.clone() }),
        }],
        _ => vec![Fix::UseHostname { app: app.id.clone() }],
    }
}

/// The suggested fixes, each vetted by the gesture's policy ([`crate::policy::fix_refusal`]): a
/// change the platform would refuse is dropped, and when none is left, the answer says that no
/// configuration allows it, with what to do instead.
fn vetted(m: &Model, fixes: Vec<Fix>) -> Vec<Fix> {
    let mut kept = Vec::with_capacity(fixes.len());
    let mut refused = None;
    let mut full = None;
    for fix in fixes {
        // A fix whose list is at its cap would be cut away again (`limits::room_for`).
        if let Some(w) = crate::limits::room_for(m, &fix) {
            full.get_or_insert(w);
            continue;
        }
        match crate::policy::fix_refusal(m, &fix) {
            None => kept.push(fix),
            Some(r) => {
                refused.get_or_insert((r, fix));
            }
        }
    }
    if kept.is_empty()
        && let Some((refusal, fix)) = refused
    {
        kept.push(Fix::NoConfiguration { workaround: instead_of_refused(m, &refusal, &fix) });
    }
    if kept.is_empty()
        && let Some(w) = full
    {
        kept.push(Fix::NoConfiguration { workaround: Some(w) });
    }
    kept
}

/// What to do when the platform refuses the change that would connect.
fn instead_of_refused(m: &Model, refusal: &crate::policy::Refusal, fix: &Fix) -> Option<Workaround> {
    use crate::policy::RefusalKind as K;
    Some(match &refusal.kind {
        K::PeeringOnFir { space } | K::VpnOnFir { space } | K::TrustedIpsOnFir { space } | K::ShieldOnFir { space } => {
            Workaround::UseCedarSpace { space: space.clone() }
        }
        K::PeeringVpcNotPrivate { vpc, .. } | K::PeeringOverlap { vpc, .. } => {
            Workaround::RenumberVpc { vpc: vpc.clone() }
        }
        K::PeeringLimit { space, .. } => Workaround::RaisePeeringLimit { space: space.clone() },
        K::TrustedIpLimit { space, max } => Workaround::FreeTrustedRanges {
            space: space.clone(),
            listed: m.spaces.iter().find(|s| s.id == *space).map_or(0, |s| s.trusted_listed),
            max: *max,
            cidrs: match fix {
                Fix::AddTrustedRanges { cidrs, .. } => cidrs.clone(),
                _ => Vec::new(),
            },
        },
        K::AlreadyPeered { .. } | K::InternalRoutingAfterCreation { .. } | K::InternalRoutingNotCedar { .. } => {
            return None;
        }
    })
}

/// One walk: the model, the question, and the sink it writes to.
struct Ev<'m, S> {
    m: &'m Model,
    q: Query,
    s: S,
}

impl<'m, S: Sink> Ev<'m, S> {
    fn pass(&mut self, rule: R, detail: impl FnOnce() -> Detail) {
        self.s.step(rule, Decision::Pass, detail);
    }

    fn note(&mut self, rule: R, detail: impl FnOnce() -> Detail) {
        self.s.step(rule, Decision::Note, detail);
    }

    fn block(&mut self, rule: R, detail: impl FnOnce() -> Detail, fixes: impl FnOnce() -> Vec<Fix>) -> Flow {
        Err(self.stop(rule, detail, fixes))
    }

    /// Record a blocking step and its fixes; the caller returns the `Stop`.
    fn stop(&mut self, rule: R, detail: impl FnOnce() -> Detail, fixes: impl FnOnce() -> Vec<Fix>) -> Stop {
        self.s.step(rule, Decision::Block, detail);
        let m = self.m;
        self.s.suggest(rule, || vetted(m, fixes()));
        Stop(rule)
    }

    /// The space offers `feature`, which the path needs: cite the rule that refuses it elsewhere
    /// as passing.
    fn offered(&mut self, space: &'m Space, feature: Feature, rule: R) {
        self.pass(rule, || Detail::Offered { space: space.name.clone(), generation: space.generation, feature });
    }

    fn no_config(workaround: Option<Workaround>) -> Vec<Fix> {
        vec![Fix::NoConfiguration { workaround }]
    }

    /// The walk: the source's hop, then the family of hops that serves this pair of ends.
    fn run(&mut self) -> Flow {
        let m = self.m;
        match self.q.ends() {
            Ends::FromDyno { app: a, process: p, to } => {
                self.start_at_dyno(a, p)?;
                match to {
                    Dst::Localhost => self.dyno_to_localhost(),
                    Dst::DynoAddress { app: b, process: bp } => self.dyno_to_dyno(a, p, b, bp, false),
                    Dst::Discovery { app: b, process: bp } => self.dyno_to_dyno(a, p, b, bp, true),
                    Dst::Hostname(b) => self.dyno_to_hostname(a, p, b),
                    Dst::Addon(x) => self.dyno_to_addon(a, p, x),
                    Dst::Host(h) => self.dyno_to_host(a, p, h),
                    Dst::RemoteHost(r) => self.dyno_to_remote(a, p, r),
                    Dst::External(e) => self.dyno_to_external(a, e),
                }
            }
            Ends::FromOutside { from: Outside::Client(c), to } => {
                let client = &m.clients[c.ix()];
                self.s.hop(ComponentKind::InternetClient, &client.id, Part::Client { client: c });
                match to {
                    OnHeroku::Hostname(b) => self.public_ingress(b, Public::Net(client.cidr)),
                    OnHeroku::DynoAddress { app: b, process: bp } => Err(self.outside_to_dyno_address(b, bp)),
                    OnHeroku::Discovery { app: b, process: bp } => Err(self.outside_to_discovery(b, bp)),
                    OnHeroku::Addon(x) => Err(self.addon_from_outside(x)),
                }
            }
            Ends::FromOutside { from: Outside::Host(h), to } => {
                let host = m.host(h);
                self.s.hop(ComponentKind::VpcHost, &host.id, Part::Host { host: h });
                match to {
                    OnHeroku::DynoAddress { app: b, process: bp } => self.host_to_dyno(h, b, bp),
                    OnHeroku::Discovery { app: b, process: bp } => Err(self.host_to_discovery(b, bp)),
                    OnHeroku::Hostname(b) => self.host_to_hostname(h, b),
                    OnHeroku::Addon(x) => Err(self.host_to_addon(x)),
                }
            }
            Ends::FromOutside { from: Outside::RemoteHost(r), to } => {
                let rh = m.remote_host(r);
                self.s.hop(ComponentKind::RemoteHost, &rh.id, Part::RemoteHost { host: r });
                match to {
                    OnHeroku::DynoAddress { app: b, process: bp } => self.remote_to_dyno(rh, b, bp),
                    OnHeroku::Discovery { app: b, process: bp } => Err(self.outside_to_discovery(b, bp)),
                    OnHeroku::Hostname(b) => self.remote_to_hostname(rh, b),
                    OnHeroku::Addon(x) => Err(self.addon_from_outside(x)),
                }
            }
        }
    }

    // ----- shared pieces -----------------------------------------------------------------

    fn proc_name(&self, a: AppIx, p: usize) -> &'m str {
        self.m.app(a).processes.get(p).map_or("", |p| p.name.as_str())
    }

    /// The address of the first dyno of a process (where DNS discovery leads).
    fn dyno_address(&self, a: AppIx, p: usize) -> Option<Ipv4Addr> {
        self.m.app(a).processes.get(p).and_then(|p| p.address)
    }

    /// The address of the question's source dyno (`web.2` when the question names it).
    fn src_address(&self, a: AppIx, p: usize) -> Option<Ipv4Addr> {
        self.m.app(a).processes.get(p).and_then(|p| p.dyno_address(self.q.src_dyno()))
    }

    /// The dyno number of a destination process: the one the question names for a dyno address,
    /// else the first.
    fn dst_dyno_of(&self, a: AppIx, p: usize) -> u32 {
        match self.q.dst() {
            Dst::DynoAddress { app, process } if app == a && process == p => self.q.dst_dyno(),
            _ => 1,
        }
    }

    /// The hop of a dyno destination of app `b` that cannot be reached: the dyno the question
    /// names when it asks for a dyno address of `b`, else the app.
    fn dst_dyno_part(&self, b: AppIx) -> Part {
        match self.q.dst() {
            Dst::DynoAddress { app, process } if app == b && self.m.app(b).processes.get(process).is_some() => {
                Part::Dyno { app: b, process, dyno: self.q.dst_dyno() }
            }
            _ => Part::App { app: b },
        }
    }

    /// The source dyno: it must run. Its hop states its address.
    fn start_at_dyno(&mut self, a: AppIx, p: usize) -> Flow {
        let m = self.m;
        let app = m.app(a);
        let source_rule = if app.space.is_some() { R::PsPrivateNetwork } else { R::DynoInterface };
        let Some(process) = app.processes.get(p) else { return Err(self.no_such_process(a, p, source_rule)) };
        let n = self.q.src_dyno();
        let address = process.dyno_address(n);
        self.s.hop(ComponentKind::Dyno, &app.id, Part::Dyno { app: a, process: p, dyno: n });
        if process.dynos == 0 {
            return self.block(
                source_rule,
                || Detail::NoDynos { app: app.name.clone(), process: process.name.clone() },
                || vec![Fix::ScaleProcess { app: app.id.clone(), process: process.name.clone(), dynos: 1 }],
            );
        }
        match app.space {
            None => self.pass(R::DynoInterface, || Detail::CrDyno {
                app: app.name.clone(),
                process: process.name.clone(),
                dyno: n,
                address,
            }),
            Some(s) => {
                let space = m.space(s);
                self.s.assume(Assumption::DynoAddress);
                // The address the space gives the dyno (PS-CIDRS) is what every path from it uses.
                let decision = if address.is_some() { Decision::Pass } else { Decision::Note };
                self.s.step(R::PsCidrs, decision, || Detail::SpaceDyno {
                    app: app.name.clone(),
                    process: process.name.clone(),
                    dyno: n,
                    address,
                    subnet: address.and_then(|addr| space.dyno_subnets.iter().find(|n| n.contains(&addr)).copied()),
                })
            }
        }
        Ok(())
    }

    /// A question naming a process its app does not have (a [`Query`] built by hand with a
    /// stray index; [`Query::from_doc`] refuses it): the app's hop says so.
    fn no_such_process(&mut self, a: AppIx, p: usize, rule: R) -> Stop {
        let app = self.m.app(a);
        self.s.hop(ComponentKind::Dyno, &app.id, Part::App { app: a });
        self.stop(rule, || Detail::NoSuchProcess { app: app.name.clone(), process: p }, || Self::no_config(None))
    }

    /// The source dyno has no address the model knows (a dyno beyond the 64 the model gives
    /// addresses, or a space with no dyno subnet), and the path needs one to be routed: its hop
    /// says so.
    fn no_source_address(&mut self, a: AppIx, p: usize) -> Stop {
        let app = self.m.app(a);
        let (process, dyno) = (self.proc_name(a, p), self.q.src_dyno());
        self.stop(
            R::PsCidrs,
            || Detail::NoDynoAddress { app: app.name.clone(), process: process.to_owned(), dyno },
            || Self::no_config(None),
        )
    }

    /// To an app's hostname from a dyno: privately to an internally routed app of its own
    /// space, else out to the internet and in through the public router.
    fn dyno_to_hostname(&mut self, a: AppIx, p: usize, b: AppIx) -> Flow {
        let m = self.m;
        let (src_app, dst_app) = (m.app(a), m.app(b));
        if dst_app.internal_routing && src_app.space.is_some() && src_app.space == dst_app.space {
            return self.dyno_to_internal_app(a, p, b);
        }
        let (_, src) = self.egress(src_app);
        if let (Some(s), Some(t)) = (src_app.space, dst_app.space)
            && s != t
        {
            let (from, to) = (m.space(s), m.space(t));
            self.pass(R::PsNoSpaceToSpace, || Detail::SpaceOverInternet {
                from: from.name.clone(),
                to: to.name.clone(),
            });
        }
        self.public_ingress(b, src)
    }
}

fn seen_public(src: Public<'_>) -> SeenAs {
    match src {
        Public::CommonRuntime => SeenAs::CommonRuntime,
        Public::OutboundIps(ips) => SeenAs::OutboundIps { ips: ips.to_vec() },
        Public::Net(net) => SeenAs::Client { net },
        Public::Unknown => SeenAs::RemoteEgress { address: None },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check_text;

    /// A space whose `web` runs 70 dynos (the model gives addresses to the first 64), peered with
    /// a VPC and VPN-connected to a remote network.
    fn model() -> Model {
        check_text(
            r#"{"version": 2,
                "spaces": [{"id": "sp", "cidr": "10.0.0.0/16",
                    "apps": [{"id": "api", "process_types": [{"name": "web", "dynos": 70}]}]}],
                "vpcs": [{"id": "vpc", "primary_cidr": "10.100.0.0/16",
                    "route_tables": [{"id": "rtb", "routes": [{"destination": "10.0.0.0/16", "target": "pcx"}]}],
                    "security_groups": [{"id": "sg", "inbound": [{"protocol": "tcp", "ports": "5432", "cidr": "10.0.0.0/16"}]}],
                    "subnets": [{"id": "sn", "cidr": "10.100.1.0/24", "route_table": "rtb"}],
                    "hosts": [{"id": "db", "subnet": "sn", "address": "10.100.1.5", "security_groups": ["sg"], "ports": [{"port": 5432}]}]}],
                "peerings": [{"id": "pcx", "space": "sp", "vpc": "vpc", "status": "active"}],
                "remote_networks": [{"id": "office", "cidrs": ["192.168.10.0/24"],
                    "hosts": [{"id": "ldap", "address": "192.168.10.20", "ports": [{"port": 636}]}]}],
                "vpns": [{"id": "vpn", "space": "sp", "remote_network": "office",
                    "routable_cidrs": ["192.168.10.0/24"], "tunnel_status": "up"}]}"#,
        )
        .model
    }

    /// Blocked, by a step the trace records, and the verdict-only path agrees.
    fn blocked_by(m: &Model, q: &Query) -> Step {
        let t = evaluate(m, q);
        let text = crate::render::trace(m, &t);
        assert_eq!(t.verdict, Verdict::Blocked, "{text}");
        let step = t.blocking_step().unwrap_or_else(|| panic!("the blocking step is recorded:\n{text}")).clone();
        assert_eq!(outcome(m, q), Outcome { verdict: Verdict::Blocked, blocked_by: Some(step.rule) });
        step
    }

    #[test]
    fn a_dyno_with_no_address_is_blocked_by_a_recorded_step() {
        let m = model();
        let (app, web) = (AppIx(0), 0);
        for dst in [Dst::Host(HostIx(0)), Dst::RemoteHost(RemoteHostIx(0))] {
            let q = Query::new(Src::Dyno { app, process: web }, dst, Protocol::Tcp, 5432)
                .and_then(|q| q.with_dynos(&m, 70, 1))
                .expect("web.70 runs");
            let step = blocked_by(&m, &q);
            assert_eq!(step.rule, R::PsCidrs);
            assert_eq!(step.detail, Detail::NoDynoAddress { app: "api".into(), process: "web".into(), dyno: 70 });
        }
    }

    #[test]
    fn hops_carry_indices_and_render_names_them_from_the_model() {
        let mut m = model();
        let q = Query::new(Src::Dyno { app: AppIx(0), process: 0 }, Dst::Host(HostIx(0)), Protocol::Tcp, 5432)
            .and_then(|q| q.with_dynos(&m, 2, 1))
            .expect("web.2 runs");
        let t = evaluate(&m, &q);
        let parts: Vec<(ComponentKind, Part)> = t.hops.iter().map(|h| (h.component.kind, h.component.part)).collect();
        assert_eq!(
            parts[..3],
            [
                (ComponentKind::Dyno, Part::Dyno { app: AppIx(0), process: 0, dyno: 2 }),
                (ComponentKind::Peering, Part::Peering { peering: PeeringIx(0) }),
                (ComponentKind::RouteTable, Part::RouteTable { vpc: VpcIx(0), table: 0 }),
            ]
        );
        let names = |m: &Model| t.hops.iter().map(|h| crate::render::component(m, &h.component)).collect::<Vec<_>>();
        assert_eq!(names(&m)[..3], ["web.2 (api)", "pcx", "rtb"]);
        // The names come from the model the trace is shown with, not from the walk.
        m.apps[0].name = "renamed".into();
        assert_eq!(names(&m)[0], "web.2 (renamed)");
        // An index the model does not hold is named by nothing, never a panic.
        let stray = Component { kind: ComponentKind::Router, id: String::new(), part: Part::App { app: AppIx(9) } };
        assert_eq!(crate::render::component(&m, &stray), "router for ");
    }

    #[test]
    fn a_stray_process_index_is_blocked_by_a_recorded_step() {
        let m = model();
        let stray = Query::new(Src::Dyno { app: AppIx(0), process: 7 }, Dst::Host(HostIx(0)), Protocol::Tcp, 5432);
        let step = blocked_by(&m, &stray.expect("a query built by hand"));
        assert_eq!(
            (step.rule, step.detail),
            (R::PsPrivateNetwork, Detail::NoSuchProcess { app: "api".into(), process: 7 })
        );
        let from_host =
            Query::new(Src::Host(HostIx(0)), Dst::DynoAddress { app: AppIx(0), process: 7 }, Protocol::Tcp, 5432);
        let step = blocked_by(&m, &from_host.expect("a query built by hand"));
        assert_eq!(step.detail, Detail::NoSuchProcess { app: "api".into(), process: 7 });
    }
}
