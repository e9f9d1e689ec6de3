//! Leaving Heroku for the internet: a Common Runtime dyno's unpredictable address, a space's NAT
//! gateway and stable outbound IPs, and the external services that may allowlist them.

use super::*;

impl<'m, S: Sink> Ev<'m, S> {
    /// A dyno's way out to the internet: the rule that lets it out, and the public address a
    /// filter on the far side sees.
    pub(super) fn egress(&mut self, app: &'m App) -> (R, Public<'m>) {
        let m = self.m;
        match app.space {
            None => {
                self.s.hop(ComponentKind::Internet, "", Part::Internet);
                self.pass(R::CrOutbound, || Detail::CrOutbound);
                (R::CrOutbound, Public::CommonRuntime)
            }
            Some(s) => {
                let space = m.space(s);
                self.s.hop(ComponentKind::NatGateway, &space.id, Part::Space { space: s });
                self.pass(R::PsNatOutbound, || Detail::Nat { ips: space.outbound_ips.clone() });
                (R::PsNatOutbound, Public::OutboundIps(&space.outbound_ips))
            }
        }
    }

    /// A Common Runtime dyno to a private address: the Common Runtime reaches only the internet.
    pub(super) fn no_private_path(&mut self, app: &'m App) -> Stop {
        self.s.hop(ComponentKind::Internet, "", Part::Internet);
        self.stop(
            R::CrOutbound,
            || Detail::NoPrivatePath,
            || Self::no_config(Some(Workaround::MoveAppToPrivateSpace { app: app.id.clone() })),
        )
    }

    /// From a dyno to an external service on the internet: out through the Common Runtime or
    /// the space's NAT gateway, then the service's allowlist and ports.
    pub(super) fn dyno_to_external(&mut self, a: AppIx, e: ServiceIx) -> Flow {
        let m = self.m;
        let (app, service) = (m.app(a), &m.services[e.ix()]);
        let (rule, src) = self.egress(app);
        self.s.hop(ComponentKind::ExternalService, &service.id, Part::Service { service: e });
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
                    let space_id = || app.space.map(|s| m.space(s).id.clone()).unwrap_or_default();
                    return self.block(
                        R::PsNatOutbound,
                        || Detail::OutboundIpsUnknown,
                        || Self::no_config(Some(Workaround::ListOutboundIps { space: space_id() })),
                    );
                }
                Public::OutboundIps(ips) => {
                    if ips.len() > 1 {
                        self.s.assume(Assumption::AllOutboundIps);
                    }
                    // The addresses the allowlist leaves out, listed only for a full trace.
                    let missing = || ips.iter().copied().filter(|ip| !list.iter().any(|n| n.contains(ip)));
                    if missing().next().is_some() {
                        return self.block(
                            R::PsNatOutbound,
                            || Detail::Allowlist {
                                service: service.name.clone(),
                                admitted: false,
                                missing: missing().collect(),
                                open: false,
                            },
                            || {
                                vec![Fix::AddToAllowlist {
                                    service: service.id.clone(),
                                    cidrs: missing().map(host_net).collect(),
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
                || Detail::NotListening {
                    name: service.name.clone(),
                    app: None,
                    port: listen,
                    listening: service.ports.clone(),
                },
                || match service.ports.first() {
                    Some(p) => vec![Fix::UsePort { port: p.port }],
                    None => vec![Fix::ListenOnPort { target: service.id.clone(), process: None, port: listen }],
                },
            );
        }
        if service.allowlist.is_none() {
            self.pass(rule, || Detail::Listening { name: service.name.clone(), app: None, port: listen });
        }
        self.s.seen(|| seen_public(src));
        Ok(())
    }
}
