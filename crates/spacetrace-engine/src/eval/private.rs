//! A space's private network: dyno to dyno (the Common Runtime's isolation, a space's private
//! network, DNS service discovery), Internal Routing from inside, data add-ons, and the way in
//! from peered and VPN-connected networks to a dyno.

use super::*;

impl<'m, S: Sink> Ev<'m, S> {
    /// Another process in the same dyno, on localhost (DYNO-LOCAL).
    pub(super) fn dyno_to_localhost(&mut self) -> Flow {
        let port = self.q.port();
        self.pass(R::DynoLocal, || Detail::Localhost { port });
        self.s.seen(|| SeenAs::Loopback);
        Ok(())
    }

    /// The destination process: it must run and listen on the port (PS-PRIVATE-NETWORK).
    pub(super) fn dyno_destination(&mut self, a: AppIx, p: usize, rule: R) -> Flow {
        let m = self.m;
        let app = m.app(a);
        let Some(process) = app.processes.get(p) else { return Err(self.no_such_process(a, p, rule)) };
        let (protocol, port) = (self.q.protocol(), self.q.port());
        let n = self.dst_dyno_of(a, p);
        self.s.hop(ComponentKind::Dyno, &app.id, Part::Dyno { app: a, process: p, dyno: n });
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
                    Detail::NotListening {
                        name: process.name.clone(),
                        app: Some(app.name.clone()),
                        port: listen,
                        listening,
                    }
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
        self.pass(rule, || Detail::Listening { name: process.name.clone(), app: Some(app.name.clone()), port: listen });
        Ok(())
    }

    pub(super) fn dyno_to_dyno(&mut self, a: AppIx, p: usize, b: AppIx, bp: usize, discovery: bool) -> Flow {
        let m = self.m;
        if !discovery && self.q.is_own_address() {
            // Its own interface: no firewall (CR-ISOLATION) or network lies between a dyno and
            // itself; any port may be bound (DYNO-INTERFACE), and it answers as on localhost.
            let (process, n, port) = (self.proc_name(a, p), self.q.src_dyno(), self.q.port());
            let address = self.src_address(a, p);
            self.pass(R::DynoLocal, || Detail::OwnAddress { process: process.to_owned(), dyno: n, address, port });
            self.s.seen(|| SeenAs::Dyno { address });
            return Ok(());
        }
        let (src_app, dst_app) = (m.app(a), m.app(b));
        let dst_process = dst_app.processes.get(bp);
        let dst_name = self.proc_name(b, bp);
        let name = || dst_app.discovery_name(dst_name);
        let Some(t) = dst_app.space else {
            self.s.hop(ComponentKind::Dyno, &dst_app.id, self.dst_dyno_part(b));
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
                    self.s.hop(ComponentKind::Dns, &dst_app.id, Part::Discovery { app: b, process: bp });
                    return self.block(
                        R::PsDnsDiscovery,
                        || Detail::DiscoveryOnlyInsideSpace { name: name() },
                        || via_hostname(dst_app, dst_process),
                    );
                }
                self.s.hop(ComponentKind::Dyno, &dst_app.id, self.dst_dyno_part(b));
                return self.block(
                    R::PsRouter,
                    || Detail::OnlyRouterFromOutside { app: dst_app.name.clone() },
                    || via_hostname(dst_app, dst_process),
                );
            }
            Some(s) if s != t => {
                let src_space = m.space(s);
                self.s.hop(ComponentKind::PrivateNetwork, &src_space.id, Part::Space { space: s });
                return self.block(
                    R::PsNoSpaceToSpace,
                    || Detail::OtherSpace { from: src_space.name.clone(), to: dst_space.name.clone() },
                    || via_hostname(dst_app, dst_process),
                );
            }
            Some(_) => {}
        }
        if discovery {
            self.s.hop(ComponentKind::Dns, &dst_app.id, Part::Discovery { app: b, process: bp });
            if let Some(rule) = dst_space.refusing_rule(Feature::DnsDiscovery) {
                return self.block(
                    rule,
                    || Detail::DiscoveryNotInFir { name: name() },
                    || vec![Fix::UseDynoAddress { app: dst_app.id.clone(), process: dst_name.to_owned() }],
                );
            }
            let address = self.dyno_address(b, bp);
            self.pass(R::PsDnsDiscovery, || Detail::DiscoveryResolves { name: name(), address });
        }
        self.s.hop(ComponentKind::PrivateNetwork, &dst_space.id, Part::Space { space: t });
        self.pass(R::PsPrivateNetwork, || Detail::PrivateNetwork { space: dst_space.name.clone() });
        self.dyno_destination(b, bp, R::PsPrivateNetwork)?;
        let address = self.src_address(a, p);
        self.s.seen(|| SeenAs::Dyno { address });
        Ok(())
    }

    pub(super) fn dyno_to_addon(&mut self, a: AppIx, p: usize, x: AddonIx) -> Flow {
        let m = self.m;
        let (src_app, addon) = (m.app(a), m.addon(x));
        let t = addon.space;
        match src_app.space {
            None => {
                self.s.hop(ComponentKind::Addon, &addon.id, Part::Addon { addon: x });
                return self.block(
                    R::PsDataAddons,
                    || Detail::OnlySpaceDynos { addon: addon.name.clone() },
                    || Self::no_config(Some(Workaround::MoveAppToPrivateSpace { app: src_app.id.clone() })),
                );
            }
            Some(s) if s != t => {
                let (from, to) = (m.space(s), m.space(t));
                self.s.hop(ComponentKind::PrivateNetwork, &from.id, Part::Space { space: s });
                return self.block(
                    R::PsNoSpaceToSpace,
                    || Detail::OtherSpace { from: from.name.clone(), to: to.name.clone() },
                    || Self::no_config(Some(Workaround::ProxyAppInSpace { space: to.id.clone() })),
                );
            }
            Some(_) => {}
        }
        let space = m.space(t);
        self.s.hop(ComponentKind::PrivateNetwork, &space.id, Part::Space { space: t });
        self.pass(R::PsDataAddons, || Detail::PrivateNetwork { space: space.name.clone() });
        self.s.hop(ComponentKind::Addon, &addon.id, Part::Addon { addon: x });
        let (protocol, port) = (self.q.protocol(), self.q.port());
        let listen = Port { protocol, port };
        if protocol != Protocol::Tcp || port != addon.port {
            let want = addon.port;
            return self.block(
                R::PsDataAddons,
                || Detail::NotListening {
                    name: addon.name.clone(),
                    app: None,
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

    /// From outside the space to one of its data add-ons: only the space's dynos reach them.
    pub(super) fn addon_from_outside(&mut self, x: AddonIx) -> Stop {
        let m = self.m;
        let addon = m.addon(x);
        self.s.hop(ComponentKind::Addon, &addon.id, Part::Addon { addon: x });
        self.stop(
            R::PsDataAddons,
            || Detail::OnlySpaceDynos { addon: addon.name.clone() },
            || Self::no_config(Some(Workaround::ProxyAppInSpace { space: m.space(addon.space).id.clone() })),
        )
    }

    /// From a dyno to an internally routed app of its own space: DNS to the endpoint, the
    /// space's private network, the router, `web`.
    pub(super) fn dyno_to_internal_app(&mut self, a: AppIx, p: usize, b: AppIx) -> Flow {
        let m = self.m;
        let src_app = m.app(a);
        self.internal_dns(b)?;
        if let Some(s) = src_app.space {
            let space = m.space(s);
            self.s.hop(ComponentKind::PrivateNetwork, &space.id, Part::Space { space: s });
            self.pass(R::PsPrivateNetwork, || Detail::PrivateNetwork { space: space.name.clone() });
        }
        self.internal_router(b, Inside::Space)?;
        let address = self.src_address(a, p);
        self.s.seen(|| SeenAs::ViaRouter { client: Box::new(SeenAs::Dyno { address }) });
        Ok(())
    }

    /// An internally routed app reached privately: DNS to the endpoint, a web dyno for DNS to resolve.
    pub(super) fn internal_dns(&mut self, b: AppIx) -> Flow {
        let app = self.m.app(b);
        self.s.hop(ComponentKind::Dns, &app.id, Part::App { app: b });
        if app.web_dynos() == 0 {
            return self.block(
                R::IrNeedsWebDyno,
                || Detail::NoWebDynoNoDns { hostname: app.hostname() },
                || vec![Fix::ScaleProcess { app: app.id.clone(), process: "web".into(), dynos: 1 }],
            );
        }
        let count = app.web_dynos();
        self.pass(R::IrNeedsWebDyno, || Detail::WebDynosRunning { hostname: app.hostname(), count });
        self.pass(R::IrPrivateDns, || Detail::PrivateDns { hostname: app.hostname(), endpoint: app.ir_endpoint });
        Ok(())
    }

    /// After reaching an internally routed app's endpoint: router ports, the app takes a caller
    /// from inside (IR-NO-EXTERNAL), then web dynos.
    pub(super) fn internal_router(&mut self, b: AppIx, from: Inside) -> Flow {
        let app = self.m.app(b);
        self.router_port(b)?;
        self.pass(R::IrNoExternal, || Detail::InternalCaller { app: app.name.clone(), from });
        self.forward_to_web(b, R::PsRouter)
    }

    /// From a peered or VPN-connected network straight to a dyno's address: only a Cedar space's
    /// dynos can be reached so (FIR-INBOUND-VIA-PUBLIC-DNS); the space is returned.
    pub(super) fn peered_network_to_dyno(&mut self, b: AppIx, bp: usize) -> Result<SpaceIx, Stop> {
        let app = self.m.app(b);
        let Some(t) = app.space else { return Err(self.outside_to_dyno_address(b, bp)) };
        if let Some(rule) = self.m.space(t).refusing_rule(Feature::DirectInbound) {
            let dst_process = app.processes.get(bp);
            self.s.hop(ComponentKind::Dyno, &app.id, self.dst_dyno_part(b));
            return Err(self.stop(
                rule,
                || Detail::FirInboundViaPublicDns { app: app.name.clone() },
                || via_hostname(app, dst_process),
            ));
        }
        Ok(t)
    }
}
