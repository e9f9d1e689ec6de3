//! The public way in: an app's hostname resolved to the router, the router's ports, a space's
//! trusted IP ranges, and the forward to `web` dynos; and the refusal of every other way in from
//! outside Heroku.

use super::*;

impl<'m, S: Sink> Ev<'m, S> {
    /// From the internet to an app's public hostname: DNS, router ports, trusted IPs, web dynos.
    pub(super) fn public_ingress(&mut self, b: AppIx, src: Public<'m>) -> Flow {
        let m = self.m;
        let app = m.app(b);
        self.s.hop(ComponentKind::Dns, &app.id, Part::App { app: b });
        if app.internal_routing {
            self.pass(R::IrPrivateDns, || Detail::PrivateDns { hostname: app.hostname(), endpoint: app.ir_endpoint });
            return self.block(
                R::IrNoExternal,
                || Detail::InternalOnly { app: app.name.clone() },
                || Self::no_config(Some(Workaround::ReachFromInside { app: app.id.clone() })),
            );
        }
        let dns_rule = if app.space.is_some() { R::PsRouter } else { R::RouterPorts };
        self.pass(dns_rule, || Detail::PublicDns { hostname: app.hostname() });
        self.router_port(b)?;
        if let Some(s) = app.space {
            let space = m.space(s);
            self.s.hop(ComponentKind::TrustedIpFilter, &space.id, Part::Space { space: s });
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

    /// The router for app `b`: it accepts HTTP and HTTPS only (ROUTER-PORTS).
    pub(super) fn router_port(&mut self, b: AppIx) -> Flow {
        let (protocol, port) = (self.q.protocol(), self.q.port());
        self.s.hop(ComponentKind::Router, &self.m.app(b).id, Part::App { app: b });
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
    pub(super) fn trusted(&mut self, space: &'m Space, src: Public<'m>, app: Option<AppIx>) -> Flow {
        let find = |net: &IpNet| space.trusted.iter().find(|t| t.contains(net)).copied();
        let open = space.trusted.iter().find(|t| is_everything(t)).copied();
        let ranges = space.trusted.len();
        if let Public::Net(net) = src
            && net.prefix_len() < net.max_prefix_len()
        {
            self.s.assume(Assumption::ClientRangeWhole);
        }
        match src {
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
                let (m, from) = (self.m, self.q.src());
                let app_id = move || match from {
                    Src::Dyno { app, .. } => m.app(app).id.clone(),
                    _ => app.map(|a| m.app(a).id.clone()).unwrap_or_default(),
                };
                return self.block(
                    R::CrOutbound,
                    || Detail::CrCannotBeAllowlisted,
                    || Self::no_config(Some(Workaround::MoveAppToPrivateSpace { app: app_id() })),
                );
            }
            Public::Unknown => {
                if let Some(matched) = open {
                    self.pass(R::TipFilter, || Detail::Trusted {
                        source: Source::Unknown,
                        matched: Some(matched),
                        ranges,
                    });
                    return Ok(());
                }
            }
            Public::Net(net) => {
                if let Some(matched) = find(&net) {
                    self.pass(R::TipFilter, || Detail::Trusted {
                        source: src.to_source(),
                        matched: Some(matched),
                        ranges,
                    });
                    return Ok(());
                }
            }
            Public::OutboundIps([]) => {
                if let Some(matched) = open {
                    self.pass(R::TipFilter, || Detail::Trusted {
                        source: src.to_source(),
                        matched: Some(matched),
                        ranges,
                    });
                    return Ok(());
                }
            }
            Public::OutboundIps(ips) => {
                if ips.len() > 1 {
                    self.s.assume(Assumption::AllOutboundIps);
                }
                if ips.iter().all(|ip| find(&host_net(*ip)).is_some()) {
                    let matched = find(&host_net(ips[0]));
                    self.pass(R::TipFilter, || Detail::Trusted { source: src.to_source(), matched, ranges });
                    return Ok(());
                }
            }
        }
        // What is not trusted, worked out only for a full trace.
        let missing = || -> Vec<IpNet> {
            match src {
                Public::Net(net) => vec![net],
                Public::OutboundIps(ips) => ips.iter().map(|ip| host_net(*ip)).filter(|n| find(n).is_none()).collect(),
                Public::CommonRuntime | Public::Unknown => Vec::new(),
            }
        };
        let recreate = app.filter(|a| !self.m.app(*a).internal_routing);
        self.s
            .step(R::TipFilter, Decision::Block, || Detail::NotTrusted { source: src.to_source(), missing: missing() });
        let m = self.m;
        // Every outbound IP must be admitted: one change adds all that are missing.
        self.s.suggest(R::TipFilter, || {
            let missing = missing();
            if missing.is_empty() {
                Self::no_config(None)
            } else {
                vetted(m, vec![Fix::AddTrustedRanges { space: space.id.clone(), cidrs: missing }])
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
    pub(super) fn forward_to_web(&mut self, b: AppIx, rule: R) -> Flow {
        let app = self.m.app(b);
        let web = app.web();
        let dynos = web.map_or(0, |w| w.dynos);
        self.s.hop(ComponentKind::Dyno, &app.id, Part::Web { app: b });
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

    /// From outside Heroku straight to a dyno's address: only the router's way in exists.
    pub(super) fn outside_to_dyno_address(&mut self, b: AppIx, bp: usize) -> Stop {
        let app = self.m.app(b);
        let dst_process = app.processes.get(bp);
        self.s.hop(ComponentKind::Dyno, &app.id, self.dst_dyno_part(b));
        let rule = if app.space.is_some() { R::PsRouter } else { R::CrInboundWebOnly };
        let detail = || {
            if app.space.is_some() {
                Detail::OnlyRouterFromOutside { app: app.name.clone() }
            } else {
                Detail::CrDynoAddressNotPublic
            }
        };
        self.stop(rule, detail, || via_hostname(app, dst_process))
    }

    /// From outside a space to a DNS service discovery name: it resolves only inside the space.
    pub(super) fn outside_to_discovery(&mut self, b: AppIx, bp: usize) -> Stop {
        let app = self.m.app(b);
        let dst_process = app.processes.get(bp);
        let process = self.proc_name(b, bp);
        self.s.hop(ComponentKind::Dns, &app.id, Part::Discovery { app: b, process: bp });
        self.stop(
            R::PsDnsDiscovery,
            || Detail::DiscoveryOnlyInsideSpace { name: app.discovery_name(process) },
            || via_hostname(app, dst_process),
        )
    }
}
