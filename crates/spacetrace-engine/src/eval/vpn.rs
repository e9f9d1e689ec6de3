//! VPN connections: the tunnel between a space and a remote network (up, routing the remote
//! address, not overlapping the space), the remote network's firewall and hosts, whichever way
//! the traffic goes.

use std::net::IpAddr;

use ipnet::IpNet;

use super::*;
use crate::doc::Action;

impl<'m, S: Sink> Ev<'m, S> {
    /// The VPN between a space and a remote network, up and routing `remote_addr`.
    pub(super) fn vpn_to(&mut self, s: SpaceIx, r: RemoteIx, remote_addr: IpAddr) -> Flow {
        let m = self.m;
        let (space, remote) = (m.space(s), m.remote(r));
        if let Some(rule) = space.refusing_rule(Feature::Vpn) {
            self.s.hop(ComponentKind::VpnTunnel, &space.id, Part::Space { space: s });
            return self.block(
                rule,
                || Detail::FirNoVpn,
                || Self::no_config(Some(Workaround::UseCedarSpace { space: space.id.clone() })),
            );
        }
        let Some(vix) = best_vpn(m, s, r) else {
            self.s.hop(ComponentKind::VpnTunnel, &remote.id, Part::Remote { remote: r });
            self.offered(space, Feature::Vpn, R::VpnCedarOnly);
            self.s.assume(Assumption::NoVpnAtAll);
            return self.block(
                R::VpnIpsec,
                || Detail::NoVpn { remote: remote.name.clone() },
                || vec![Fix::CreateVpn { space: space.id.clone(), remote: remote.id.clone() }],
            );
        };
        let vpn = m.vpn(vix);
        self.s.hop(ComponentKind::VpnTunnel, &vpn.id, Part::Vpn { vpn: vix });
        self.offered(space, Feature::Vpn, R::VpnCedarOnly);
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
        self.pass(R::VpnRoutableCidrs, || Detail::Routable { address: remote_addr, matched: Some(routable) });
        if overlaps(&routable) {
            return self.block(
                R::VpnNoOverlap,
                || Detail::RoutableOverlap { cidr: routable, space_cidr: space.cidr },
                || Self::no_config(Some(Workaround::RenumberRemote { remote: remote.id.clone() })),
            );
        }
        self.pass(R::VpnNoOverlap, || Detail::RoutableApart { cidr: routable, space_cidr: space.cidr });
        self.pass(R::VpnIpsec, || Detail::Ipsec { gateway: vpn.customer_gateway });
        Ok(())
    }

    pub(super) fn dyno_to_remote(&mut self, a: AppIx, p: usize, r: RemoteHostIx) -> Flow {
        let m = self.m;
        let (app, rh) = (m.app(a), m.remote_host(r));
        let Some(s) = app.space else { return Err(self.no_private_path(app)) };
        let Some(src_addr) = self.src_address(a, p) else { return Err(self.no_source_address(a, p)) };
        self.vpn_to(s, rh.remote, rh.address)?;
        let remote = m.remote(rh.remote);
        let (protocol, port) = (self.q.protocol(), self.q.port());
        if let Some(fw) = &remote.firewall {
            self.s.hop(ComponentKind::RemoteFirewall, &fw.id, Part::Remote { remote: rh.remote });
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
        self.s.hop(ComponentKind::RemoteHost, &rh.id, Part::RemoteHost { host: r });
        if !rh.ports.contains(&listen) {
            self.s.assume(Assumption::ClosedPort);
            return self.block(
                R::VpnIpsec,
                || Detail::NotListening { name: rh.name.clone(), app: None, port: listen, listening: rh.ports.clone() },
                || vec![Fix::ListenOnPort { target: rh.id.clone(), process: None, port: listen }],
            );
        }
        self.pass(R::VpnIpsec, || Detail::Listening { name: rh.name.clone(), app: None, port: listen });
        self.s.seen(|| SeenAs::Dyno { address: Some(src_addr) });
        Ok(())
    }

    /// From a remote host to a dyno's address, through the VPN: only a Cedar space's dynos can
    /// be reached so (FIR-INBOUND-VIA-PUBLIC-DNS).
    pub(super) fn remote_to_dyno(&mut self, rh: &'m RemoteHost, b: AppIx, bp: usize) -> Flow {
        let m = self.m;
        let t = self.peered_network_to_dyno(b, bp)?;
        let space = m.space(t);
        self.vpn_to(t, rh.remote, rh.address)?;
        self.s.hop(ComponentKind::PrivateNetwork, &space.id, Part::Space { space: t });
        self.offered(space, Feature::DirectInbound, R::FirInboundViaPublicDns);
        self.pass(R::PsPrivateNetwork, || Detail::PrivateNetwork { space: space.name.clone() });
        self.dyno_destination(b, bp, R::PsPrivateNetwork)?;
        self.s.seen(|| SeenAs::RemoteHost { address: rh.address });
        Ok(())
    }

    /// From a remote host to an app's hostname: an internally routed app through the VPN, any
    /// other over the internet from the remote network's public address.
    pub(super) fn remote_to_hostname(&mut self, rh: &'m RemoteHost, b: AppIx) -> Flow {
        let m = self.m;
        let app = m.app(b);
        if let (true, Some(t)) = (app.internal_routing, app.space) {
            self.internal_dns(b)?;
            self.vpn_to(t, rh.remote, rh.address)?;
            self.pass(R::VpnInternalRouting, || Detail::VpnInternalRouting);
            self.internal_router(b, Inside::Vpn)?;
            self.s.seen(|| SeenAs::ViaRouter { client: Box::new(SeenAs::RemoteHost { address: rh.address }) });
            return Ok(());
        }
        let remote = m.remote(rh.remote);
        let egress = remote.public_egress_ip;
        self.s.hop(ComponentKind::Internet, &remote.id, Part::Remote { remote: rh.remote });
        // Only internally routed apps are reached through the VPN; this hostname is public.
        self.pass(R::VpnInternalRouting, || Detail::OverInternet { egress });
        let src = egress.map_or(Public::Unknown, |e| Public::Net(host_net(e)));
        self.public_ingress(b, src)?;
        self.s.seen(|| SeenAs::ViaRouter { client: Box::new(SeenAs::RemoteEgress { address: egress }) });
        Ok(())
    }
}

/// The VPN a space would use to reach a remote network: one whose tunnels are up, else the first.
fn best_vpn(m: &Model, s: SpaceIx, r: RemoteIx) -> Option<VpnIx> {
    let all = || m.space(s).vpns.iter().copied().filter(|v| m.vpn(*v).remote == r);
    all().find(|v| m.vpn(*v).refused.is_none() && m.vpn(*v).tunnel_up).or_else(|| all().next())
}
