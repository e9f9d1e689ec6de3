//! Evaluation: a question against a model gives a verdict, never an error.
//!
//! One walk serves two callers. [`evaluate`] records the full trace; [`outcome`] records nothing
//! but the verdict and the blocking rule, so the all-pairs matrix allocates nothing per question.
//! The walk goes in path order and stops at the first blocking step.

use std::net::{IpAddr, Ipv4Addr};

use ipnet::{IpNet, Ipv4Net};

use crate::capabilities::Feature;
use crate::doc::{Action, PeeringStatus, Protocol, RuleProtocol};
use crate::model::*;
use crate::query::{Dst, Query, Src};
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
    fn hop(&mut self, kind: ComponentKind, id: &str, name: impl FnOnce() -> String);
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
    fn hop(&mut self, kind: ComponentKind, id: &str, name: impl FnOnce() -> String) {
        self.hops.push(Hop { component: Component { kind, id: id.to_owned(), name: name() }, steps: Vec::new() });
    }
    fn step(&mut self, rule: R, decision: Decision, detail: impl FnOnce() -> Detail) {
        if self.hops.is_empty() {
            self.hop(ComponentKind::Internet, "", String::new);
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
    fn hop(&mut self, _: ComponentKind, _: &str, _: impl FnOnce() -> String) {}
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

/// The highest rule number AWS accepts in a network ACL.
const ACL_MAX_NUMBER: u32 = 32766;

/// A free rule number for an allow rule that decides before `decision` (`rules` sorted by number,
/// as the model keeps them): below the deny that matched (the highest free number under it), or
/// anywhere when only the implicit deny matched (ten past the highest rule within AWS's range,
/// else the first free number). `None` when no free number comes first (a deny numbered 1, or
/// every number under it taken). One pass over the rules.
fn free_acl_number(rules: &[AclRule], decision: AclDecision) -> Option<u32> {
    let taken = |n: u32| rules.binary_search_by_key(&n, |r| r.number).is_ok();
    match decision {
        AclDecision::Denied { number } => {
            let mut free = number.checked_sub(1)?.min(ACL_MAX_NUMBER);
            for r in rules.iter().rev() {
                if r.number > free {
                    continue;
                }
                if r.number < free || free == 0 {
                    break;
                }
                free -= 1;
            }
            (free >= 1).then_some(free)
        }
        AclDecision::ImplicitDeny | AclDecision::Allowed { .. } => {
            let highest = rules.iter().map(|r| r.number).filter(|&n| n <= ACL_MAX_NUMBER).max();
            let after = highest.map_or(100, |m| m.saturating_add(10));
            if after <= ACL_MAX_NUMBER && !taken(after) {
                return Some(after);
            }
            let mut free = 1;
            for r in rules.iter().filter(|r| r.number >= 1) {
                if r.number > free {
                    break;
                }
                free = r.number + 1;
            }
            (free <= ACL_MAX_NUMBER).then_some(free)
        }
    }
}

/// Where a new allow rule goes so that it decides before `decision` (`rules` sorted by number):
/// a free number ([`free_acl_number`]), else the deny's own number (1 at least), the deny and
/// the rules numbered right after it moving up one each to make room; their order, and so what
/// they decide, is kept. `None` when that would push a rule past AWS's highest number.
fn acl_slot(rules: &[AclRule], decision: AclDecision) -> Option<(u32, Vec<AclRenumber>)> {
    if let Some(n) = free_acl_number(rules, decision) {
        return Some((n, Vec::new()));
    }
    let AclDecision::Denied { number: deny } = decision else { return None };
    let first = rules.iter().position(|r| r.number == deny)?;
    let number = deny.max(1);
    if number > ACL_MAX_NUMBER {
        return None;
    }
    let mut renumber = Vec::new();
    let mut previous = number;
    for r in &rules[first..] {
        if r.number > previous {
            break;
        }
        let to = previous + 1;
        if to > ACL_MAX_NUMBER {
            return None;
        }
        renumber.push(AclRenumber { from: r.number, to });
        previous = to;
    }
    Some((number, renumber))
}

/// The suggested fixes, each vetted by the gesture's policy ([`crate::policy::fix_refusal`]): a
/// change the platform would refuse is dropped, and when none is left, the answer says that no
/// configuration allows it, with what to do instead.
fn vetted(m: &Model, fixes: Vec<Fix>) -> Vec<Fix> {
    let mut kept = Vec::with_capacity(fixes.len());
    let mut refused = None;
    for fix in fixes {
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

    fn no_config(workaround: Option<Workaround>) -> Vec<Fix> {
        vec![Fix::NoConfiguration { workaround }]
    }

    fn run(&mut self) -> Flow {
        match self.q.src() {
            Src::Dyno { app, process } => self.start_at_dyno(app, process),
            Src::Client(c) => self.start_at_client(c),
            Src::Host(h) => self.start_at_host(h),
            Src::RemoteHost(r) => self.start_at_remote(r),
        }
    }

    // ----- shared pieces -----------------------------------------------------------------

    /// The process a question's destination names, if it names one.
    fn dst_process(&self) -> Option<&'m Process> {
        match self.q.dst() {
            Dst::DynoAddress { app, process } | Dst::Discovery { app, process } => {
                self.m.app(app).processes.get(process)
            }
            _ => None,
        }
    }

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

    /// The destination process: it must run and listen on the port (PS-PRIVATE-NETWORK).
    fn dyno_destination(&mut self, a: AppIx, p: usize, rule: R) -> Flow {
        let m = self.m;
        let app = m.app(a);
        let Some(process) = app.processes.get(p) else { return Err(Stop(rule)) };
        let (protocol, port) = (self.q.protocol(), self.q.port());
        let n = self.dst_dyno_of(a, p);
        self.s.hop(ComponentKind::Dyno, &app.id, || format!("{}.{n} ({})", process.name, app.name));
        if process.dynos == 0 {
            return self.block(
                rule,
                || Detail::NoDynos { app: app.name.clone(), process: process.name.clone() },
                || vec![Fix::ScaleProcess { app: app.id.clone(), process: process.name.clone(), dynos: 1 }],
            );
        }
        let listen = Port { protocol, port };
        if process.is_web() && app.web_port_defaulted {
            self.s.assume(Assumption::WebPort { port: app.web_port });
        }
        if !app.listens(p, protocol, port) {
            return self.block(
                rule,
                || {
                    let mut listening = process.ports.clone();
                    if process.is_web() {
                        listening.insert(0, Port { protocol: Protocol::Tcp, port: app.web_port });
                    }
                    Detail::NotListening { name: format!("{} ({})", process.name, app.name), port: listen, listening }
                },
                || {
                    vec![Fix::ListenOnPort {
                        target: app.id.clone(),
                        process: Some(process.name.clone()),
                        port: listen,
                    }]
                },
            );
        }
        self.pass(rule, || Detail::Listening { name: format!("{} ({})", process.name, app.name), port: listen });
        Ok(())
    }

    /// From the internet to an app's public hostname: DNS, router ports, trusted IPs, web dynos.
    fn public_ingress(&mut self, b: AppIx, src: Public<'m>) -> Flow {
        let m = self.m;
        let app = m.app(b);
        let space = app.space.map(|s| m.space(s));
        self.s.hop(ComponentKind::Dns, &app.id, || app.hostname());
        if app.internal_routing {
            self.pass(R::IrPrivateDns, || Detail::PrivateDns { hostname: app.hostname(), endpoint: app.ir_endpoint });
            return self.block(
                R::IrNoExternal,
                || Detail::InternalOnly { app: app.name.clone() },
                || Self::no_config(Some(Workaround::ReachFromInside { app: app.id.clone() })),
            );
        }
        let dns_rule = if space.is_some() { R::PsRouter } else { R::RouterPorts };
        self.pass(dns_rule, || Detail::PublicDns { hostname: app.hostname() });
        self.router_port(app)?;
        if let Some(space) = space {
            self.s.hop(ComponentKind::TrustedIpFilter, &space.id, || format!("trusted IP ranges of {}", space.name));
            if let Some(rule) = space.refusing_rule(Feature::CustomTrustedIps) {
                self.pass(rule, || Detail::FirTrustsAll);
            } else {
                if space.trusted_defaulted {
                    self.note(R::TipDefault, || Detail::TrustedDefault);
                }
                self.trusted(space, src, Some(b))?;
            }
            self.forward_to_web(b, R::PsRouter)?;
        } else {
            self.forward_to_web(b, R::CrInboundWebOnly)?;
        }
        self.s.seen(|| SeenAs::ViaRouter { client: Box::new(seen_public(src)) });
        Ok(())
    }

    fn router_port(&mut self, app: &'m App) -> Flow {
        let (protocol, port) = (self.q.protocol(), self.q.port());
        self.s.hop(ComponentKind::Router, &app.id, || format!("router for {}", app.name));
        let accepted = protocol == Protocol::Tcp && (port == 80 || port == 443);
        if !accepted {
            return self.block(
                R::RouterPorts,
                || Detail::RouterPort { protocol, port, accepted },
                || vec![Fix::UsePort { port: 443 }],
            );
        }
        self.pass(R::RouterPorts, || Detail::RouterPort { protocol, port, accepted });
        Ok(())
    }

    /// TIP-FILTER for a Cedar space: the source must be inside one trusted range.
    fn trusted(&mut self, space: &'m Space, src: Public<'m>, app: Option<AppIx>) -> Flow {
        let find = |net: &IpNet| space.trusted.iter().find(|t| t.contains(net)).copied();
        let open = space.trusted.iter().find(|t| is_everything(t)).copied();
        let ranges = space.trusted.len();
        if let Public::Net(net) = src
            && net.prefix_len() < net.max_prefix_len()
        {
            self.s.assume(Assumption::ClientRangeWhole);
        }
        let missing: Vec<IpNet> = match src {
            Public::CommonRuntime => {
                if let Some(matched) = open {
                    self.pass(R::TipFilter, || Detail::Trusted {
                        source: Source::CommonRuntime,
                        matched: Some(matched),
                        ranges,
                    });
                    return Ok(());
                }
                // The app to move is the Common Runtime source, not the destination.
                let app_id = match self.q.src() {
                    Src::Dyno { app, .. } => self.m.app(app).id.clone(),
                    _ => app.map(|a| self.m.app(a).id.clone()).unwrap_or_default(),
                };
                return self.block(
                    R::CrOutbound,
                    || Detail::CrCannotBeAllowlisted,
                    || Self::no_config(Some(Workaround::MoveAppToPrivateSpace { app: app_id })),
                );
            }
            Public::Unknown => match open {
                Some(matched) => {
                    self.pass(R::TipFilter, || Detail::Trusted {
                        source: Source::Unknown,
                        matched: Some(matched),
                        ranges,
                    });
                    return Ok(());
                }
                None => Vec::new(),
            },
            Public::Net(net) => match find(&net) {
                Some(matched) => {
                    self.pass(R::TipFilter, || Detail::Trusted {
                        source: src.to_source(),
                        matched: Some(matched),
                        ranges,
                    });
                    return Ok(());
                }
                None => vec![net],
            },
            Public::OutboundIps(ips) => {
                if ips.is_empty() {
                    if let Some(matched) = open {
                        self.pass(R::TipFilter, || Detail::Trusted {
                            source: src.to_source(),
                            matched: Some(matched),
                            ranges,
                        });
                        return Ok(());
                    }
                    Vec::new()
                } else {
                    if ips.len() > 1 {
                        self.s.assume(Assumption::AllOutboundIps);
                    }
                    let missing: Vec<IpNet> =
                        ips.iter().map(|ip| host_net(*ip)).filter(|n| find(n).is_none()).collect();
                    if missing.is_empty() {
                        let matched = find(&host_net(ips[0]));
                        self.pass(R::TipFilter, || Detail::Trusted { source: src.to_source(), matched, ranges });
                        return Ok(());
                    }
                    missing
                }
            }
        };
        let space_id = space.id.clone();
        let recreate = app.filter(|a| !self.m.app(*a).internal_routing);
        self.s.step(R::TipFilter, Decision::Block, || Detail::NotTrusted {
            source: src.to_source(),
            missing: missing.clone(),
        });
        let m = self.m;
        // Every outbound IP must be admitted: one change adds all that are missing.
        self.s.suggest(R::TipFilter, || {
            if missing.is_empty() {
                Self::no_config(None)
            } else {
                vetted(m, vec![Fix::AddTrustedRanges { space: space_id, cidrs: missing }])
            }
        });
        // A peered VPC or VPN-connected network could use Internal Routing instead, where the
        // private path then gets further than this (the platform allowing it).
        if let (Some(a), Src::Host(_) | Src::RemoteHost(_)) = (recreate, self.q.src()) {
            let (q, here) = (self.q, self.s.blocked_at());
            self.s.suggest(R::IrAtCreation, || {
                let fix = Fix::RecreateWithInternalRouting { app: m.app(a).id.clone() };
                if crate::policy::fix_refusal(m, &fix).is_some() {
                    return Vec::new();
                }
                let recreated = evaluate(&m.with_internal_routing(a), &q);
                let at = |s: Option<StepRef>| s.map(|s| (s.hop, s.step));
                let further = recreated.verdict == Verdict::Connected || at(recreated.blocked_at) > at(here);
                if further { vec![fix] } else { Vec::new() }
            });
        }
        Err(Stop(R::TipFilter))
    }

    /// The router forwards to `web` on `$PORT`; at least one web dyno must run.
    fn forward_to_web(&mut self, b: AppIx, rule: R) -> Flow {
        let app = self.m.app(b);
        let web = app.web();
        let dynos = web.map_or(0, |w| w.dynos);
        self.s.hop(ComponentKind::Dyno, &app.id, || format!("web ({})", app.name));
        if dynos == 0 {
            return self.block(
                rule,
                || Detail::NoDynos { app: app.name.clone(), process: "web".into() },
                || vec![Fix::ScaleProcess { app: app.id.clone(), process: "web".into(), dynos: 1 }],
            );
        }
        if app.web_port_defaulted {
            self.s.assume(Assumption::WebPort { port: app.web_port });
        }
        self.pass(rule, || Detail::ForwardToWeb {
            app: app.name.clone(),
            web_port: app.web_port,
            dynos,
            web_port_assumed: app.web_port_defaulted,
        });
        Ok(())
    }

    /// An internally routed app reached privately: DNS to the endpoint, a web dyno for DNS to resolve.
    fn internal_dns(&mut self, app: &'m App) -> Flow {
        self.s.hop(ComponentKind::Dns, &app.id, || app.hostname());
        if app.web_dynos() == 0 {
            return self.block(
                R::IrNeedsWebDyno,
                || Detail::NoWebDynoNoDns { hostname: app.hostname() },
                || vec![Fix::ScaleProcess { app: app.id.clone(), process: "web".into(), dynos: 1 }],
            );
        }
        self.pass(R::IrPrivateDns, || Detail::PrivateDns { hostname: app.hostname(), endpoint: app.ir_endpoint });
        Ok(())
    }

    /// After reaching an internally routed app's endpoint: router ports, then web dynos.
    fn internal_router(&mut self, b: AppIx) -> Flow {
        let app = self.m.app(b);
        self.router_port(app)?;
        self.forward_to_web(b, R::PsRouter)
    }

    // ----- from a dyno ------------------------------------------------------------------

    fn start_at_dyno(&mut self, a: AppIx, p: usize) -> Flow {
        let m = self.m;
        let app = m.app(a);
        let Some(process) = app.processes.get(p) else { return Err(Stop(R::PsPrivateNetwork)) };
        let source_rule = if app.space.is_some() { R::PsPrivateNetwork } else { R::DynoInterface };
        let n = self.q.src_dyno();
        let address = process.dyno_address(n);
        self.s.hop(ComponentKind::Dyno, &app.id, || format!("{}.{n} ({})", process.name, app.name));
        if process.dynos == 0 {
            return self.block(
                source_rule,
                || Detail::NoDynos { app: app.name.clone(), process: process.name.clone() },
                || vec![Fix::ScaleProcess { app: app.id.clone(), process: process.name.clone(), dynos: 1 }],
            );
        }
        match app.space {
            None => self.note(R::DynoInterface, || Detail::CrDyno {
                app: app.name.clone(),
                process: process.name.clone(),
                dyno: n,
                address,
            }),
            Some(s) => {
                let space = m.space(s);
                self.s.assume(Assumption::DynoAddress);
                self.note(R::PsCidrs, || Detail::SpaceDyno {
                    app: app.name.clone(),
                    process: process.name.clone(),
                    dyno: n,
                    address,
                    subnet: address.and_then(|addr| space.dyno_subnets.iter().find(|n| n.contains(&addr)).copied()),
                })
            }
        }
        match self.q.dst() {
            Dst::Localhost => {
                let port = self.q.port();
                self.pass(R::DynoLocal, || Detail::Localhost { port });
                self.s.seen(|| SeenAs::Loopback);
                Ok(())
            }
            Dst::DynoAddress { app: b, process: bp } => self.dyno_to_dyno(a, p, b, bp, false),
            Dst::Discovery { app: b, process: bp } => self.dyno_to_dyno(a, p, b, bp, true),
            Dst::Hostname(b) => self.dyno_to_hostname(a, p, b),
            Dst::Addon(x) => self.dyno_to_addon(a, p, x),
            Dst::Host(h) => self.dyno_to_host(a, p, h),
            Dst::RemoteHost(r) => self.dyno_to_remote(a, p, r),
            Dst::External(e) => self.dyno_to_external(a, p, e),
        }
    }

    fn dyno_to_dyno(&mut self, a: AppIx, p: usize, b: AppIx, bp: usize, discovery: bool) -> Flow {
        let m = self.m;
        if !discovery && self.q.is_own_address() {
            // Its own interface: no firewall (CR-ISOLATION) or network lies between a dyno and
            // itself; any port may be bound (DYNO-INTERFACE), and it answers as on localhost.
            let (process, n, port) = (self.proc_name(a, p).to_owned(), self.q.src_dyno(), self.q.port());
            let address = self.src_address(a, p);
            self.pass(R::DynoLocal, || Detail::OwnAddress { process, dyno: n, address, port });
            self.s.seen(|| SeenAs::Dyno { address });
            return Ok(());
        }
        let (src_app, dst_app) = (m.app(a), m.app(b));
        let dst_process = dst_app.processes.get(bp);
        let name = format!("{}.{}.app.localspace", self.proc_name(b, bp), dst_app.name);
        let Some(t) = dst_app.space else {
            self.s.hop(ComponentKind::Dyno, &dst_app.id, || dyno_hop_name(self.m, self.q, dst_app));
            return self.block(
                R::CrIsolation,
                || Detail::CrIsolated { app: dst_app.name.clone() },
                || via_hostname(dst_app, dst_process),
            );
        };
        let dst_space = m.space(t);
        match src_app.space {
            None => {
                if discovery {
                    self.s.hop(ComponentKind::Dns, &dst_app.id, || name.clone());
                    return self.block(
                        R::PsDnsDiscovery,
                        || Detail::DiscoveryOnlyInsideSpace { name: name.clone() },
                        || via_hostname(dst_app, dst_process),
                    );
                }
                self.s.hop(ComponentKind::Dyno, &dst_app.id, || dyno_hop_name(self.m, self.q, dst_app));
                return self.block(
                    R::PsRouter,
                    || Detail::OnlyRouterFromOutside { app: dst_app.name.clone() },
                    || via_hostname(dst_app, dst_process),
                );
            }
            Some(s) if s != t => {
                let src_space = m.space(s);
                self.s.hop(ComponentKind::PrivateNetwork, &src_space.id, || src_space.name.clone());
                return self.block(
                    R::PsNoSpaceToSpace,
                    || Detail::OtherSpace { from: src_space.name.clone(), to: dst_space.name.clone() },
                    || via_hostname(dst_app, dst_process),
                );
            }
            Some(_) => {}
        }
        if discovery {
            self.s.hop(ComponentKind::Dns, &dst_app.id, || name.clone());
            if let Some(rule) = dst_space.refusing_rule(Feature::DnsDiscovery) {
                let process = self.proc_name(b, bp).to_owned();
                return self.block(
                    rule,
                    || Detail::DiscoveryNotInFir { name: name.clone() },
                    || vec![Fix::UseDynoAddress { app: dst_app.id.clone(), process }],
                );
            }
            let address = self.dyno_address(b, bp);
            self.pass(R::PsDnsDiscovery, || Detail::DiscoveryResolves { name: name.clone(), address });
        }
        self.s.hop(ComponentKind::PrivateNetwork, &dst_space.id, || dst_space.name.clone());
        self.pass(R::PsPrivateNetwork, || Detail::PrivateNetwork { space: dst_space.name.clone() });
        self.dyno_destination(b, bp, R::PsPrivateNetwork)?;
        let address = self.src_address(a, p);
        self.s.seen(|| SeenAs::Dyno { address });
        Ok(())
    }

    fn dyno_to_hostname(&mut self, a: AppIx, p: usize, b: AppIx) -> Flow {
        let m = self.m;
        let (src_app, dst_app) = (m.app(a), m.app(b));
        if dst_app.internal_routing && src_app.space.is_some() && src_app.space == dst_app.space {
            let space = src_app.space.map(|s| m.space(s));
            self.internal_dns(dst_app)?;
            if let Some(space) = space {
                self.s.hop(ComponentKind::PrivateNetwork, &space.id, || space.name.clone());
                self.pass(R::PsPrivateNetwork, || Detail::PrivateNetwork { space: space.name.clone() });
            }
            self.internal_router(b)?;
            let address = self.src_address(a, p);
            self.s.seen(|| SeenAs::ViaRouter { client: Box::new(SeenAs::Dyno { address }) });
            return Ok(());
        }
        let src = match src_app.space {
            None => {
                self.s.hop(ComponentKind::Internet, "", || "public internet".to_owned());
                self.pass(R::CrOutbound, || Detail::CrOutbound);
                Public::CommonRuntime
            }
            Some(s) => {
                let space = m.space(s);
                self.s.hop(ComponentKind::NatGateway, &space.id, || format!("NAT gateway of {}", space.name));
                self.pass(R::PsNatOutbound, || Detail::Nat { ips: space.outbound_ips.clone() });
                Public::OutboundIps(&space.outbound_ips)
            }
        };
        self.public_ingress(b, src)
    }

    fn dyno_to_addon(&mut self, a: AppIx, p: usize, x: AddonIx) -> Flow {
        let m = self.m;
        let (src_app, addon) = (m.app(a), m.addon(x));
        let t = addon.space;
        match src_app.space {
            None => {
                self.s.hop(ComponentKind::Addon, &addon.id, || addon.name.clone());
                return self.block(
                    R::PsDataAddons,
                    || Detail::OnlySpaceDynos { addon: addon.name.clone() },
                    || Self::no_config(Some(Workaround::MoveAppToPrivateSpace { app: src_app.id.clone() })),
                );
            }
            Some(s) if s != t => {
                let (from, to) = (m.space(s), m.space(t));
                self.s.hop(ComponentKind::PrivateNetwork, &from.id, || from.name.clone());
                return self.block(
                    R::PsNoSpaceToSpace,
                    || Detail::OtherSpace { from: from.name.clone(), to: to.name.clone() },
                    || Self::no_config(Some(Workaround::ProxyAppInSpace { space: to.id.clone() })),
                );
            }
            Some(_) => {}
        }
        let space = m.space(t);
        self.s.hop(ComponentKind::PrivateNetwork, &space.id, || space.name.clone());
        self.pass(R::PsDataAddons, || Detail::PrivateNetwork { space: space.name.clone() });
        self.s.hop(ComponentKind::Addon, &addon.id, || addon.name.clone());
        let (protocol, port) = (self.q.protocol(), self.q.port());
        let listen = Port { protocol, port };
        if protocol != Protocol::Tcp || port != addon.port {
            let want = addon.port;
            return self.block(
                R::PsDataAddons,
                || Detail::NotListening {
                    name: addon.name.clone(),
                    port: listen,
                    listening: vec![Port { protocol: Protocol::Tcp, port: want }],
                },
                || vec![Fix::UsePort { port: want }],
            );
        }
        self.pass(R::PsDataAddons, || Detail::AddonReached { addon: addon.name.clone(), port });
        let address = self.src_address(a, p);
        self.s.seen(|| SeenAs::Dyno { address });
        Ok(())
    }

    /// Find the peering a space uses to reach a VPC, or explain why there is none. `from_host`:
    /// the traffic comes from this VPC host to this space address, so a new peering needs its
    /// route too (the host's route table decides first).
    fn peering_to(
        &mut self,
        s: SpaceIx,
        v: VpcIx,
        from_host: Option<(&'m Host, Ipv4Addr)>,
    ) -> Result<&'m Peering, Stop> {
        let m = self.m;
        let (space, vpc) = (m.space(s), m.vpc(v));
        let Some(pix) = best_peering(m, s, v) else {
            // Peered to a VPC that is peered onwards? Peering is not transitive.
            for p in &space.peerings {
                let peering = m.peering(*p);
                let via = m.vpc(peering.vpc);
                let onward = via
                    .vpc_peerings
                    .iter()
                    .map(|vp| &m.vpc_peerings[vp.ix()])
                    .find(|vp| (vp.vpc == v || vp.peer_vpc == v) && vp.status == PeeringStatus::Active);
                if onward.is_some() {
                    self.s.hop(ComponentKind::Peering, &peering.id, || peering.id.clone());
                    return Err(self.stop(
                        R::PeerNotTransitive,
                        || Detail::NotTransitive { via_vpc: via.name.clone(), via_peering: peering.id.clone() },
                        || Self::no_config(Some(Workaround::ProxyInVpc { vpc: via.id.clone() })),
                    ));
                }
            }
            self.s.hop(ComponentKind::Peering, &vpc.id, || format!("no peering to {}", vpc.name));
            self.s.assume(Assumption::NoPeeringAtAll);
            return Err(self.stop(
                R::PeerAccepted,
                || Detail::NoPeering { vpc: vpc.name.clone() },
                || vec![create_peering(m, space, vpc, from_host)],
            ));
        };
        let peering = m.peering(pix);
        self.s.hop(ComponentKind::Peering, &peering.id, || peering.id.clone());
        if let Some(rule) = peering.refused {
            let workaround = match rule {
                R::PeerLimit => Workaround::RaisePeeringLimit { space: space.id.clone() },
                R::PeerCedarOnly => Workaround::UseCedarSpace { space: space.id.clone() },
                _ => Workaround::RenumberVpc { vpc: vpc.id.clone() },
            };
            return Err(self.stop(
                rule,
                || Detail::PeeringRefused { peering: peering.id.clone() },
                || Self::no_config(Some(workaround)),
            ));
        }
        let status = peering.status;
        if status != PeeringStatus::Active {
            return Err(self.stop(
                R::PeerAccepted,
                || Detail::PeeringState { peering: peering.id.clone(), status },
                || match status {
                    PeeringStatus::PendingAcceptance => vec![Fix::AcceptPeering { peering: peering.id.clone() }],
                    _ => vec![create_peering(m, space, vpc, from_host)],
                },
            ));
        }
        self.pass(R::PeerAccepted, || Detail::PeeringState { peering: peering.id.clone(), status });
        Ok(peering)
    }

    /// The host's subnet must route `space_addr` back through the peering (PEER-ROUTE); for an
    /// internally routed app's endpoint, the whole space CIDR (IR-PEER-ROUTE-16). The most
    /// specific route decides, whatever its kind (local, peering, gateway, blackhole); a subnet
    /// with no route table of its own uses the VPC's main one.
    fn route_back(
        &mut self,
        host: &'m Host,
        space: &'m Space,
        peering: &'m Peering,
        space_addr: Ipv4Addr,
        ir: bool,
    ) -> Flow {
        let vpc = self.m.vpc(host.vpc);
        let subnet = &vpc.subnets[host.subnet];
        let Some(rt_ix) = subnet.route_table else {
            self.s.hop(ComponentKind::RouteTable, &vpc.id, || format!("route table of {}", subnet.name));
            return self.block(
                R::PeerRoute,
                || Detail::NoRouteTable { subnet: subnet.name.clone() },
                || Self::no_config(Some(Workaround::AssociateRouteTable { subnet: subnet.id.clone() })),
            );
        };
        let rt = &vpc.route_tables[rt_ix];
        self.s.hop(ComponentKind::RouteTable, &rt.id, || rt.name.clone());
        if subnet.implicit_main {
            self.note(R::PeerRoute, || Detail::MainRouteTable { subnet: subnet.name.clone(), table: rt.name.clone() });
        }
        let found = vpc.route(rt_ix, space_addr);
        let ok = found.is_some_and(|r| r.target == peering.id && r.blackhole.is_none());
        let detail = || Detail::Route {
            table: rt.name.clone(),
            destination: space_addr,
            matched: found.map(|r| r.destination),
            target: found.map(|r| r.target.to_owned()),
            wanted: peering.id.clone(),
            blackhole: found.and_then(|r| r.blackhole),
        };
        if ok {
            self.pass(R::PeerRoute, detail);
            return Ok(());
        }
        let fix = || route_fix(vpc, rt, space, peering, space_addr, found);
        let dynos_routed = space
            .dyno_subnets
            .iter()
            .any(|n| vpc.route(rt_ix, n.network()).is_some_and(|r| r.target == peering.id && r.blackhole.is_none()));
        if ir && dynos_routed {
            return self.block(
                R::IrPeerRoute16,
                || Detail::RouteMissesEndpoint { table: rt.name.clone(), endpoint: space_addr },
                fix,
            );
        }
        self.block(R::PeerRoute, detail, fix)
    }

    /// The network ACL of the host's subnet, both ways: `request` is the direction the request
    /// crosses it (inbound to the VPC for dyno→host), the reply crosses the other way on ephemeral ports.
    fn acl(&mut self, host: &'m Host, space: &'m Space, peer_addr: IpAddr, request: Direction) -> Flow {
        let vpc = self.m.vpc(host.vpc);
        let subnet = &vpc.subnets[host.subnet];
        let Some(acl_ix) = subnet.network_acl else { return Ok(()) };
        let acl = &vpc.network_acls[acl_ix];
        let protocol = self.q.protocol();
        self.s.hop(ComponentKind::NetworkAcl, &acl.id, || acl.name.clone());
        let port = PortRange::single(self.q.port());
        let (reply_dir, req_rules, reply_rules) = match request {
            Direction::Inbound => (Direction::Outbound, &acl.inbound, &acl.outbound),
            Direction::Outbound => (Direction::Inbound, &acl.outbound, &acl.inbound),
        };
        self.s.assume(Assumption::EphemeralPorts);
        for (dir, rules, ports) in [(request, req_rules, port), (reply_dir, reply_rules, PortRange::EPHEMERAL)] {
            let decision = acl_decide(rules, protocol, ports, peer_addr);
            let detail =
                || Detail::Acl { acl: acl.name.clone(), direction: dir, protocol, ports, address: peer_addr, decision };
            if let AclDecision::Allowed { .. } = decision {
                self.pass(R::PeerNacl, detail);
            } else {
                let cidr = IpNet::V4(space.cidr);
                // The fix is worked out only when a full trace is asked for.
                return self.block(R::PeerNacl, detail, || match acl_slot(rules, decision) {
                    Some((number, renumber)) => vec![Fix::AddAclRule {
                        acl: acl.id.clone(),
                        direction: dir,
                        number,
                        protocol: rule_protocol(protocol),
                        ports,
                        cidr,
                        renumber,
                    }],
                    None => Self::no_config(Some(Workaround::RenumberAcl { acl: acl.id.clone() })),
                });
            }
        }
        Ok(())
    }

    /// The host's security groups must allow the traffic in `dir` with `peer_addr` (stateful:
    /// replies are allowed). `peer_addr` is on Heroku (a dyno, an Internal Routing endpoint), so
    /// it is a member of no security group: only CIDR blocks and prefix list entries can admit it.
    fn security_groups(&mut self, host: &'m Host, space: &'m Space, peer_addr: IpAddr, dir: Direction) -> Flow {
        let m = self.m;
        let vpc = m.vpc(host.vpc);
        let (protocol, port) = (self.q.protocol(), self.q.port());
        let groups: Vec<&'m SecurityGroup> = host.security_groups.iter().map(|g| &vpc.security_groups[*g]).collect();
        let first = groups.first().map(|g| g.id.as_str()).unwrap_or("");
        self.s.hop(ComponentKind::SecurityGroup, first, || {
            if groups.is_empty() {
                format!("security groups of {}", host.name)
            } else {
                groups.iter().map(|g| g.name.as_str()).collect::<Vec<_>>().join(", ")
            }
        });
        let rules_of = |g: &'m SecurityGroup| match dir {
            Direction::Inbound => &g.inbound,
            Direction::Outbound => &g.outbound,
        };
        let end = SgEnd::Address(peer_addr);
        let allowed = groups.iter().find_map(|g| {
            rules_of(g).iter().find_map(|r| m.sg_rule_match(r, protocol, port, end)).map(|hit| (*g, hit))
        });
        let detail = || {
            let via = allowed.and_then(|(g, hit)| match hit {
                SgMatch::PrefixList { list, entry } => m.prefix_lists.get(list).map(|l| SgVia::PrefixList {
                    id: l.id.clone(),
                    name: l.name.clone(),
                    entry,
                }),
                SgMatch::Cidr(_) if dir == Direction::Outbound && g.outbound_default => Some(SgVia::DefaultOutbound),
                _ => None,
            });
            // Rules for this traffic that name groups: a Heroku address is a member of none.
            let mut referenced: Vec<String> = Vec::new();
            if allowed.is_none() {
                for r in groups.iter().flat_map(|g| rules_of(g).iter()).filter(|r| r.covers(protocol, port)) {
                    if let SgPeer::Group { vpc, group } = r.peer
                        && let Some(named) = m.vpcs.get(vpc.ix()).and_then(|v| v.security_groups.get(group))
                        && !referenced.contains(&named.id)
                    {
                        referenced.push(named.id.clone());
                    }
                }
            }
            Detail::SecurityGroup {
                direction: dir,
                protocol,
                port,
                address: peer_addr,
                allowed_by: allowed.map(|(g, _)| g.name.clone()),
                groups: groups.iter().map(|g| g.name.clone()).collect(),
                via,
                referenced,
            }
        };
        if allowed.is_some() {
            self.pass(R::PeerSecurityGroup, detail);
            return Ok(());
        }
        let fixes = || match groups.first() {
            Some(g) => vec![Fix::AddSecurityGroupRule {
                group: g.id.clone(),
                direction: dir,
                protocol: rule_protocol(protocol),
                ports: PortRange::single(port),
                cidrs: match dir {
                    Direction::Inbound => space.dyno_subnets.iter().map(|n| IpNet::V4(*n)).collect(),
                    Direction::Outbound => vec![IpNet::V4(space.cidr)],
                },
            }],
            None => Self::no_config(Some(Workaround::AttachSecurityGroup { host: host.id.clone() })),
        };
        self.block(R::PeerSecurityGroup, detail, fixes)
    }

    fn primary_cidr(&mut self, host: &'m Host) -> Flow {
        let vpc = self.m.vpc(host.vpc);
        let inside = vpc.primary_cidr.contains(&host.address);
        let detail = || Detail::PrimaryCidr { address: host.address, primary: vpc.primary_cidr, inside };
        if inside {
            self.pass(R::PeerPrimaryCidrOnly, detail);
            Ok(())
        } else {
            self.block(R::PeerPrimaryCidrOnly, detail, || {
                Self::no_config(Some(Workaround::MoveHostToPrimaryCidr { host: host.id.clone() }))
            })
        }
    }

    fn host_listens(&mut self, host: &'m Host) -> Flow {
        let listen = Port { protocol: self.q.protocol(), port: self.q.port() };
        self.s.hop(ComponentKind::VpcHost, &host.id, || host.name.clone());
        if host.ports.contains(&listen) {
            self.pass(R::PeerSecurityGroup, || Detail::Listening { name: host.name.clone(), port: listen });
            Ok(())
        } else {
            self.s.assume(Assumption::ClosedPort);
            self.block(
                R::PeerSecurityGroup,
                || Detail::NotListening { name: host.name.clone(), port: listen, listening: host.ports.clone() },
                || vec![Fix::ListenOnPort { target: host.id.clone(), process: None, port: listen }],
            )
        }
    }

    /// A Common Runtime dyno to a private address: the Common Runtime reaches only the internet.
    fn no_private_path(&mut self, app: &'m App) -> Flow {
        self.s.hop(ComponentKind::Internet, "", || "public internet".to_owned());
        self.block(
            R::CrOutbound,
            || Detail::NoPrivatePath,
            || Self::no_config(Some(Workaround::MoveAppToPrivateSpace { app: app.id.clone() })),
        )
    }

    fn dyno_to_host(&mut self, a: AppIx, p: usize, h: HostIx) -> Flow {
        let m = self.m;
        let (app, host) = (m.app(a), m.host(h));
        let Some(s) = app.space else { return self.no_private_path(app) };
        let space = m.space(s);
        if let Some(rule) = space.refusing_rule(Feature::Peering) {
            self.s.hop(ComponentKind::Peering, &space.id, || format!("peering of {}", space.name));
            return self.block(
                rule,
                || Detail::FirNoPeering,
                || Self::no_config(Some(Workaround::UseCedarSpace { space: space.id.clone() })),
            );
        }
        let Some(src_addr) = self.src_address(a, p) else { return Err(Stop(R::PsCidrs)) };
        let peering = self.peering_to(s, host.vpc, None)?;
        self.primary_cidr(host)?;
        self.route_back(host, space, peering, src_addr, false)?;
        self.acl(host, space, IpAddr::V4(src_addr), Direction::Inbound)?;
        self.security_groups(host, space, IpAddr::V4(src_addr), Direction::Inbound)?;
        self.host_listens(host)?;
        self.s.seen(|| SeenAs::Dyno { address: Some(src_addr) });
        Ok(())
    }

    /// The VPN between a space and a remote network, up and routing `remote_addr`.
    fn vpn_to(&mut self, s: SpaceIx, r: RemoteIx, remote_addr: IpAddr) -> Flow {
        let m = self.m;
        let (space, remote) = (m.space(s), m.remote(r));
        if let Some(rule) = space.refusing_rule(Feature::Vpn) {
            self.s.hop(ComponentKind::VpnTunnel, &space.id, || format!("VPN of {}", space.name));
            return self.block(
                rule,
                || Detail::FirNoVpn,
                || Self::no_config(Some(Workaround::UseCedarSpace { space: space.id.clone() })),
            );
        }
        let Some(vix) = best_vpn(m, s, r) else {
            self.s.hop(ComponentKind::VpnTunnel, &remote.id, || format!("no VPN to {}", remote.name));
            self.s.assume(Assumption::NoVpnAtAll);
            return self.block(
                R::VpnIpsec,
                || Detail::NoVpn { remote: remote.name.clone() },
                || vec![Fix::CreateVpn { space: space.id.clone(), remote: remote.id.clone() }],
            );
        };
        let vpn = m.vpn(vix);
        self.s.hop(ComponentKind::VpnTunnel, &vpn.id, || vpn.name.clone());
        if let Some(rule) = vpn.refused {
            return self.block(
                rule,
                || Detail::VpnRefused { vpn: vpn.name.clone() },
                || Self::no_config(Some(Workaround::UseCedarSpace { space: space.id.clone() })),
            );
        }
        if !vpn.tunnel_up {
            return self.block(
                R::VpnTunnelUp,
                || Detail::Tunnel { vpn: vpn.name.clone(), up: false },
                || vec![Fix::BringTunnelUp { vpn: vpn.id.clone() }],
            );
        }
        self.pass(R::VpnTunnelUp, || Detail::Tunnel { vpn: vpn.name.clone(), up: true });
        let overlaps = |c: &IpNet| match c {
            IpNet::V4(n) => n.contains(&space.cidr) || space.cidr.contains(n),
            IpNet::V6(_) => false,
        };
        let matched = vpn.routable_cidrs.iter().find(|c| c.contains(&remote_addr)).copied();
        let Some(routable) = matched else {
            // The remote network's CIDR, or the address alone where that CIDR overlaps the space;
            // an address inside the space cannot be routed at all (VPN-NO-OVERLAP).
            let cidr = remote
                .cidrs
                .iter()
                .find(|c| c.contains(&remote_addr) && !overlaps(c))
                .copied()
                .unwrap_or(host_net(remote_addr));
            return self.block(
                R::VpnRoutableCidrs,
                || Detail::Routable { address: remote_addr, matched: None },
                || {
                    if overlaps(&cidr) {
                        Self::no_config(Some(Workaround::RenumberRemote { remote: remote.id.clone() }))
                    } else {
                        vec![Fix::AddRoutableCidr { vpn: vpn.id.clone(), cidr }]
                    }
                },
            );
        };
        if overlaps(&routable) {
            return self.block(
                R::VpnNoOverlap,
                || Detail::RoutableOverlap { cidr: routable, space_cidr: space.cidr },
                || Self::no_config(Some(Workaround::RenumberRemote { remote: remote.id.clone() })),
            );
        }
        self.pass(R::VpnRoutableCidrs, || Detail::Routable { address: remote_addr, matched: Some(routable) });
        self.pass(R::VpnIpsec, || Detail::Ipsec { gateway: vpn.customer_gateway });
        Ok(())
    }

    fn dyno_to_remote(&mut self, a: AppIx, p: usize, r: RemoteHostIx) -> Flow {
        let m = self.m;
        let (app, rh) = (m.app(a), m.remote_host(r));
        let Some(s) = app.space else { return self.no_private_path(app) };
        let Some(src_addr) = self.src_address(a, p) else { return Err(Stop(R::PsCidrs)) };
        self.vpn_to(s, rh.remote, rh.address)?;
        let remote = m.remote(rh.remote);
        let (protocol, port) = (self.q.protocol(), self.q.port());
        if let Some(fw) = &remote.firewall {
            self.s.hop(ComponentKind::RemoteFirewall, &fw.id, || fw.name.clone());
            self.s.assume(Assumption::RemoteFirewall);
            let from = IpAddr::V4(src_addr);
            let hit = fw.inbound.iter().enumerate().find(|(_, r)| {
                protocol_matches(r.protocol, protocol) && r.ports.contains(port) && r.cidr.contains(&from)
            });
            let allowed = hit.is_some_and(|(_, r)| r.action == Action::Allow);
            let rule = hit.map(|(i, _)| i);
            let detail = || Detail::Firewall { firewall: fw.name.clone(), rule, allowed, address: from };
            if allowed {
                self.pass(R::VpnIpsec, detail);
            } else {
                let cidr = IpNet::V4(m.space(s).cidr);
                return self.block(R::VpnIpsec, detail, || {
                    vec![Fix::AddFirewallRule {
                        remote: remote.id.clone(),
                        protocol: rule_protocol(protocol),
                        ports: PortRange::single(port),
                        cidr,
                    }]
                });
            }
        }
        let listen = Port { protocol, port };
        self.s.hop(ComponentKind::RemoteHost, &rh.id, || rh.name.clone());
        if !rh.ports.contains(&listen) {
            self.s.assume(Assumption::ClosedPort);
            return self.block(
                R::VpnIpsec,
                || Detail::NotListening { name: rh.name.clone(), port: listen, listening: rh.ports.clone() },
                || vec![Fix::ListenOnPort { target: rh.id.clone(), process: None, port: listen }],
            );
        }
        self.pass(R::VpnIpsec, || Detail::Listening { name: rh.name.clone(), port: listen });
        self.s.seen(|| SeenAs::Dyno { address: Some(src_addr) });
        Ok(())
    }

    fn dyno_to_external(&mut self, a: AppIx, _p: usize, e: ServiceIx) -> Flow {
        let m = self.m;
        let (app, service) = (m.app(a), &m.services[e.ix()]);
        let (rule, src) = match app.space {
            None => {
                self.s.hop(ComponentKind::Internet, "", || "public internet".to_owned());
                self.pass(R::CrOutbound, || Detail::CrOutbound);
                (R::CrOutbound, Public::CommonRuntime)
            }
            Some(s) => {
                let space = m.space(s);
                self.s.hop(ComponentKind::NatGateway, &space.id, || format!("NAT gateway of {}", space.name));
                self.pass(R::PsNatOutbound, || Detail::Nat { ips: space.outbound_ips.clone() });
                (R::PsNatOutbound, Public::OutboundIps(&space.outbound_ips))
            }
        };
        self.s.hop(ComponentKind::ExternalService, &service.id, || service.name.clone());
        let listen = Port { protocol: self.q.protocol(), port: self.q.port() };
        // The allowlist filters the connection before it reaches a port, so it decides first.
        if let Some(list) = &service.allowlist {
            let open = list.iter().any(is_everything);
            match src {
                _ if open => {}
                Public::CommonRuntime => {
                    return self.block(
                        R::CrOutbound,
                        || Detail::CrCannotBeAllowlisted,
                        || Self::no_config(Some(Workaround::MoveAppToPrivateSpace { app: app.id.clone() })),
                    );
                }
                Public::OutboundIps([]) => {
                    let space_id = app.space.map(|s| m.space(s).id.clone()).unwrap_or_default();
                    return self.block(
                        R::PsNatOutbound,
                        || Detail::OutboundIpsUnknown,
                        || Self::no_config(Some(Workaround::ListOutboundIps { space: space_id })),
                    );
                }
                Public::OutboundIps(ips) => {
                    if ips.len() > 1 {
                        self.s.assume(Assumption::AllOutboundIps);
                    }
                    let missing: Vec<IpAddr> =
                        ips.iter().copied().filter(|ip| !list.iter().any(|n| n.contains(ip))).collect();
                    if !missing.is_empty() {
                        return self.block(
                            R::PsNatOutbound,
                            || Detail::Allowlist {
                                service: service.name.clone(),
                                admitted: false,
                                missing: missing.clone(),
                                open: false,
                            },
                            || {
                                vec![Fix::AddToAllowlist {
                                    service: service.id.clone(),
                                    cidrs: missing.iter().map(|ip| host_net(*ip)).collect(),
                                }]
                            },
                        );
                    }
                }
                Public::Net(_) | Public::Unknown => {}
            }
        }
        if let Some(list) = &service.allowlist {
            let open = list.iter().any(is_everything);
            self.pass(rule, || Detail::Allowlist {
                service: service.name.clone(),
                admitted: true,
                missing: Vec::new(),
                open,
            });
        }
        if !service.ports.contains(&listen) {
            return self.block(
                rule,
                || Detail::NotListening { name: service.name.clone(), port: listen, listening: service.ports.clone() },
                || match service.ports.first() {
                    Some(p) => vec![Fix::UsePort { port: p.port }],
                    None => vec![Fix::ListenOnPort { target: service.id.clone(), process: None, port: listen }],
                },
            );
        }
        if service.allowlist.is_none() {
            self.pass(rule, || Detail::Listening { name: service.name.clone(), port: listen });
        }
        self.s.seen(|| seen_public(src));
        Ok(())
    }

    // ----- from an internet client ------------------------------------------------------

    fn start_at_client(&mut self, c: ClientIx) -> Flow {
        let m = self.m;
        let client = &m.clients[c.ix()];
        self.s.hop(ComponentKind::InternetClient, &client.id, || client.name.clone());
        match self.q.dst() {
            Dst::Hostname(b) => {
                self.public_ingress(b, Public::Net(client.cidr))?;
                Ok(())
            }
            Dst::DynoAddress { app: b, .. } | Dst::Discovery { app: b, .. } => self.outside_to_dyno(b),
            Dst::Addon(x) => self.addon_from_outside(x),
            _ => Err(Stop(R::CrOutbound)),
        }
    }

    /// From outside the space to one of its data add-ons: only the space's dynos reach them.
    fn addon_from_outside(&mut self, x: AddonIx) -> Flow {
        let m = self.m;
        let addon = m.addon(x);
        self.s.hop(ComponentKind::Addon, &addon.id, || addon.name.clone());
        self.block(
            R::PsDataAddons,
            || Detail::OnlySpaceDynos { addon: addon.name.clone() },
            || Self::no_config(Some(Workaround::ProxyAppInSpace { space: m.space(addon.space).id.clone() })),
        )
    }

    /// From outside Heroku straight to a dyno: only the router's way in exists.
    fn outside_to_dyno(&mut self, b: AppIx) -> Flow {
        let app = self.m.app(b);
        let dst_process = self.dst_process();
        let discovery = matches!(self.q.dst(), Dst::Discovery { .. });
        if discovery {
            let name = match self.q.dst() {
                Dst::Discovery { process, .. } => format!("{}.{}.app.localspace", self.proc_name(b, process), app.name),
                _ => String::new(),
            };
            self.s.hop(ComponentKind::Dns, &app.id, || name.clone());
            return self.block(
                R::PsDnsDiscovery,
                || Detail::DiscoveryOnlyInsideSpace { name: name.clone() },
                || via_hostname(app, dst_process),
            );
        }
        self.s.hop(ComponentKind::Dyno, &app.id, || dyno_hop_name(self.m, self.q, app));
        let rule = if app.space.is_some() { R::PsRouter } else { R::CrInboundWebOnly };
        let detail = || {
            if app.space.is_some() {
                Detail::OnlyRouterFromOutside { app: app.name.clone() }
            } else {
                Detail::CrDynoAddressNotPublic
            }
        };
        self.block(rule, detail, || via_hostname(app, dst_process))
    }

    /// From a peered or VPN-connected network straight to a dyno's address: only a Cedar space's
    /// dynos can be reached so (FIR-INBOUND-VIA-PUBLIC-DNS); the space is returned.
    fn peered_network_to_dyno(&mut self, b: AppIx) -> Result<SpaceIx, Stop> {
        let app = self.m.app(b);
        let Some(t) = app.space else {
            return Err(self.outside_to_dyno(b).err().unwrap_or(Stop(R::CrInboundWebOnly)));
        };
        if let Some(rule) = self.m.space(t).refusing_rule(Feature::DirectInbound) {
            let dst_process = self.dst_process();
            self.s.hop(ComponentKind::Dyno, &app.id, || dyno_hop_name(self.m, self.q, app));
            return Err(self.stop(
                rule,
                || Detail::FirInboundViaPublicDns { app: app.name.clone() },
                || via_hostname(app, dst_process),
            ));
        }
        Ok(t)
    }

    // ----- from a VPC host --------------------------------------------------------------

    fn start_at_host(&mut self, h: HostIx) -> Flow {
        let m = self.m;
        let host = m.host(h);
        self.s.hop(ComponentKind::VpcHost, &host.id, || host.name.clone());
        match self.q.dst() {
            Dst::DynoAddress { app: b, process: bp } => {
                let t = self.peered_network_to_dyno(b)?;
                let space = m.space(t);
                // A process scaled to 0 has no address yet: the path is walked to the one it gets
                // once scaled, and the destination hop says it runs nothing (a dyno subnet-less
                // space gives none: the destination hop says so at once).
                let n = self.q.dst_dyno();
                let at = |p: &Process| if p.dynos > 0 { p.dyno_address(n) } else { p.address_once_scaled };
                let Some(dyno) = m.app(b).processes.get(bp).and_then(at) else {
                    return self.dyno_destination(b, bp, R::PsPrivateNetwork);
                };
                self.host_to_space(host, t, dyno)?;
                let dyno = Some(dyno);
                self.s.hop(ComponentKind::PrivateNetwork, &space.id, || space.name.clone());
                self.pass(R::PeerDynoAddress, || Detail::DynoByAddress { address: dyno });
                self.dyno_destination(b, bp, R::PsPrivateNetwork)?;
                self.s.seen(|| SeenAs::VpcHost { address: host.address });
                Ok(())
            }
            Dst::Discovery { app: b, process: bp } => {
                let app = m.app(b);
                let name = format!("{}.{}.app.localspace", self.proc_name(b, bp), app.name);
                self.s.hop(ComponentKind::Dns, &app.id, || name.clone());
                let process = self.proc_name(b, bp).to_owned();
                self.block(
                    R::PsDnsDiscovery,
                    || Detail::DiscoveryOnlyInsideSpace { name: name.clone() },
                    || vec![Fix::UseDynoAddress { app: app.id.clone(), process }],
                )
            }
            Dst::Hostname(b) => {
                let app = m.app(b);
                if let (true, Some(t)) = (app.internal_routing, app.space) {
                    self.internal_dns(app)?;
                    let Some(endpoint) = app.ir_endpoint else {
                        return self.block(
                            R::IrPrivateDns,
                            || Detail::PrivateDns { hostname: app.hostname(), endpoint: None },
                            || Self::no_config(None),
                        );
                    };
                    self.host_to_space(host, t, endpoint)?;
                    self.internal_router(b)?;
                    self.s.seen(|| SeenAs::ViaRouter { client: Box::new(SeenAs::VpcHost { address: host.address }) });
                    return Ok(());
                }
                let vpc = m.vpc(host.vpc);
                self.s.hop(ComponentKind::Internet, &vpc.id, || format!("internet, from {}", vpc.name));
                let Some(egress) = vpc.public_egress_ip else {
                    return self.block(
                        R::PeerPublicHostname,
                        || Detail::PublicHostnameFromVpc { egress: None },
                        || Self::no_config(Some(Workaround::AddInternetEgress { vpc: vpc.id.clone() })),
                    );
                };
                self.pass(R::PeerPublicHostname, || Detail::PublicHostnameFromVpc { egress: Some(egress) });
                self.public_ingress(b, Public::Net(host_net(egress)))?;
                self.s.seen(|| SeenAs::ViaRouter { client: Box::new(SeenAs::VpcEgress { address: egress }) });
                Ok(())
            }
            Dst::Addon(x) => {
                let addon = m.addon(x);
                self.s.hop(ComponentKind::Addon, &addon.id, || addon.name.clone());
                self.block(
                    R::PeerNoDataAddons,
                    || Detail::NoDataAddons,
                    || Self::no_config(Some(Workaround::ProxyAppInSpace { space: m.space(addon.space).id.clone() })),
                )
            }
            _ => Err(Stop(R::PeerNotTransitive)),
        }
    }

    /// From a VPC host to an address in a space, over the peering: security group out, route
    /// table, network ACL, peering, primary CIDR.
    fn host_to_space(&mut self, host: &'m Host, t: SpaceIx, target: Ipv4Addr) -> Flow {
        let m = self.m;
        let space = m.space(t);
        let ir = matches!(self.q.dst(), Dst::Hostname(_));
        self.security_groups(host, space, IpAddr::V4(target), Direction::Outbound)?;
        // The route must point at the peering; with no peering at all, or only a deleted one (a
        // route to it would be a blackhole), the peering hop explains.
        if let Some(p) = best_peering(m, t, host.vpc).filter(|p| m.peering(*p).status != PeeringStatus::Deleted) {
            self.route_back(host, space, m.peering(p), target, ir)?;
            self.acl(host, space, IpAddr::V4(target), Direction::Outbound)?;
        }
        self.peering_to(t, host.vpc, Some((host, target)))?;
        self.primary_cidr(host)?;
        Ok(())
    }

    // ----- from a remote host -----------------------------------------------------------

    fn start_at_remote(&mut self, r: RemoteHostIx) -> Flow {
        let m = self.m;
        let rh = m.remote_host(r);
        self.s.hop(ComponentKind::RemoteHost, &rh.id, || rh.name.clone());
        match self.q.dst() {
            Dst::DynoAddress { app: b, process: bp } => {
                let t = self.peered_network_to_dyno(b)?;
                let space = m.space(t);
                self.vpn_to(t, rh.remote, rh.address)?;
                self.s.hop(ComponentKind::PrivateNetwork, &space.id, || space.name.clone());
                self.pass(R::PsPrivateNetwork, || Detail::PrivateNetwork { space: space.name.clone() });
                self.dyno_destination(b, bp, R::PsPrivateNetwork)?;
                self.s.seen(|| SeenAs::RemoteHost { address: rh.address });
                Ok(())
            }
            Dst::Discovery { app: b, .. } => self.outside_to_dyno(b),
            Dst::Hostname(b) => {
                let app = m.app(b);
                if let (true, Some(t)) = (app.internal_routing, app.space) {
                    self.internal_dns(app)?;
                    self.vpn_to(t, rh.remote, rh.address)?;
                    self.pass(R::VpnInternalRouting, || Detail::VpnInternalRouting);
                    self.internal_router(b)?;
                    self.s.seen(|| SeenAs::ViaRouter { client: Box::new(SeenAs::RemoteHost { address: rh.address }) });
                    return Ok(());
                }
                let remote = m.remote(rh.remote);
                let egress = remote.public_egress_ip;
                self.s.hop(ComponentKind::Internet, &remote.id, || format!("internet, from {}", remote.name));
                // Only internally routed apps are reached through the VPN; this hostname is public.
                self.pass(R::VpnInternalRouting, || Detail::OverInternet { egress });
                let src = egress.map_or(Public::Unknown, |e| Public::Net(host_net(e)));
                self.public_ingress(b, src)?;
                self.s.seen(|| SeenAs::ViaRouter { client: Box::new(SeenAs::RemoteEgress { address: egress }) });
                Ok(())
            }
            Dst::Addon(x) => self.addon_from_outside(x),
            _ => Err(Stop(R::VpnIpsec)),
        }
    }
}

/// How the route table `rt` of `vpc` must change so that `addr`, a space address, goes through a
/// peering by longest-prefix match (`found` is the route that decides today): `(destination,
/// false)` to add a route for `destination`, the space CIDR (or `addr` alone, were it outside
/// it), where no route or a less specific one decides; `(destination, true)` to point the
/// deciding route at the peering instead, where it is as specific or more (a blackhole, a
/// gateway, another peering would keep winning over an added route). `None` when the `local`
/// route decides, which cannot be changed: the VPC overlaps the space.
fn route_change(space: &Space, addr: Ipv4Addr, found: Option<RouteHit<'_>>) -> Option<(Ipv4Net, bool)> {
    let wanted = if space.cidr.contains(&addr) { space.cidr } else { Ipv4Net::from(addr) };
    match found {
        None => Some((wanted, false)),
        Some(hit) if hit.destination.prefix_len() < wanted.prefix_len() => Some((wanted, false)),
        Some(RouteHit { index: Some(_), destination, .. }) => Some((destination, true)),
        Some(RouteHit { index: None, .. }) => None,
    }
}

/// A change to the route table `rt` of `vpc` after which `addr`, a space address, goes through
/// `peering` ([`route_change`]).
fn route_fix(
    vpc: &Vpc,
    rt: &RouteTable,
    space: &Space,
    peering: &Peering,
    addr: Ipv4Addr,
    found: Option<RouteHit<'_>>,
) -> Vec<Fix> {
    let (route_table, target) = (rt.id.clone(), peering.id.clone());
    vec![match route_change(space, addr, found) {
        Some((destination, false)) => Fix::AddRoute { route_table, destination, target },
        Some((destination, true)) => Fix::ReplaceRoute { route_table, destination, target },
        None => Fix::NoConfiguration { workaround: Some(Workaround::RenumberVpc { vpc: vpc.id.clone() }) },
    }]
}

/// A new peering between `space` and `vpc`; from a host of the VPC, with its route
/// ([`peering_with_route`]).
fn create_peering(m: &Model, space: &Space, vpc: &Vpc, from_host: Option<(&Host, Ipv4Addr)>) -> Fix {
    match from_host {
        Some((host, addr)) => peering_with_route(m, space, host, addr),
        None => Fix::CreatePeering { space: space.id.clone(), vpc: vpc.id.clone() },
    }
}

/// For traffic from `host` to `addr` in `space`, which has no peering with the host's VPC: the
/// peering together with the route that sends `addr` through it, since the host's route table
/// decides before the peering does.
fn peering_with_route(m: &Model, space: &Space, host: &Host, addr: Ipv4Addr) -> Fix {
    let vpc = m.vpc(host.vpc);
    let subnet = &vpc.subnets[host.subnet];
    let Some(rt_ix) = subnet.route_table else {
        return Fix::NoConfiguration {
            workaround: Some(Workaround::PeerAndAssociateRouteTable {
                space: space.id.clone(),
                vpc: vpc.id.clone(),
                subnet: subnet.id.clone(),
            }),
        };
    };
    match route_change(space, addr, vpc.route(rt_ix, addr)) {
        Some((destination, replace)) => Fix::CreatePeeringWithRoute {
            space: space.id.clone(),
            vpc: vpc.id.clone(),
            route_table: vpc.route_tables[rt_ix].id.clone(),
            destination,
            replace,
        },
        None => Fix::NoConfiguration { workaround: Some(Workaround::RenumberVpc { vpc: vpc.id.clone() }) },
    }
}

/// The peering a space would use to reach a VPC: one that carries traffic if there is one (a
/// space may keep a deleted or pending peering next to its replacement), else the first.
fn best_peering(m: &Model, s: SpaceIx, v: VpcIx) -> Option<PeeringIx> {
    let all = || m.space(s).peerings.iter().copied().filter(|p| m.peering(*p).vpc == v);
    let usable = |p: &PeeringIx| m.peering(*p).refused.is_none() && m.peering(*p).status == PeeringStatus::Active;
    all()
        .find(usable)
        .or_else(|| all().find(|p| m.peering(*p).status != PeeringStatus::Deleted))
        .or_else(|| all().next())
}

/// The VPN a space would use to reach a remote network: one whose tunnels are up, else the first.
fn best_vpn(m: &Model, s: SpaceIx, r: RemoteIx) -> Option<VpnIx> {
    let all = || m.space(s).vpns.iter().copied().filter(|v| m.vpn(*v).remote == r);
    all().find(|v| m.vpn(*v).refused.is_none() && m.vpn(*v).tunnel_up).or_else(|| all().next())
}

/// The destination dyno's hop name: `worker.1 (app)` when the question names a process.
fn dyno_hop_name(m: &Model, q: Query, app: &App) -> String {
    match q.dst() {
        Dst::DynoAddress { app: b, process } if m.app(b).id == app.id => match m.app(b).processes.get(process) {
            Some(p) => format!("{}.{} ({})", p.name, q.dst_dyno(), app.name),
            None => app.name.clone(),
        },
        _ => app.name.clone(),
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
