//! AWS VPCs: the peering between a space and a VPC, the VPC's route tables, network ACLs and
//! security groups, and its hosts, whichever way the traffic goes (a dyno to a host, a host to
//! a dyno or to an internally routed app's endpoint), with the fixes that change them.

use std::net::{IpAddr, Ipv4Addr};

use ipnet::{IpNet, Ipv4Net};

use super::*;
use crate::doc::PeeringStatus;

impl<'m, S: Sink> Ev<'m, S> {
    pub(super) fn dyno_to_host(&mut self, a: AppIx, p: usize, h: HostIx) -> Flow {
        let m = self.m;
        let (app, host) = (m.app(a), m.host(h));
        let Some(s) = app.space else { return Err(self.no_private_path(app)) };
        let space = m.space(s);
        let Some(src_addr) = self.src_address(a, p) else { return Err(self.no_source_address(a, p)) };
        let peering = self.peering_to(s, host.vpc, None)?;
        self.primary_cidr(host)?;
        self.route_back(host, space, peering, src_addr, false)?;
        self.acl(host, space, IpAddr::V4(src_addr), Direction::Inbound)?;
        self.security_groups(h, space, IpAddr::V4(src_addr), Direction::Inbound)?;
        self.host_listens(h)?;
        self.s.seen(|| SeenAs::Dyno { address: Some(src_addr) });
        Ok(())
    }

    /// From a VPC host to a dyno's address, over the peering: only a Cedar space's dynos can be
    /// reached so (FIR-INBOUND-VIA-PUBLIC-DNS).
    pub(super) fn host_to_dyno(&mut self, h: HostIx, b: AppIx, bp: usize) -> Flow {
        let m = self.m;
        let host = m.host(h);
        let t = self.peered_network_to_dyno(b, bp)?;
        let space = m.space(t);
        // A process scaled to 0 has no address yet: the path is walked to the one it gets
        // once scaled, and the destination hop says it runs nothing (a dyno subnet-less
        // space gives none: the destination hop says so at once).
        let n = self.q.dst_dyno();
        let at = |p: &Process| if p.dynos > 0 { p.dyno_address(n) } else { p.address_once_scaled };
        let Some(dyno) = m.app(b).processes.get(bp).and_then(at) else {
            return self.dyno_destination(b, bp, R::PsPrivateNetwork);
        };
        self.host_to_space(h, t, dyno)?;
        let dyno = Some(dyno);
        self.s.hop(ComponentKind::PrivateNetwork, &space.id, Part::Space { space: t });
        self.offered(space, Feature::DirectInbound, R::FirInboundViaPublicDns);
        self.pass(R::PeerDynoAddress, || Detail::DynoByAddress { address: dyno });
        self.dyno_destination(b, bp, R::PsPrivateNetwork)?;
        self.s.seen(|| SeenAs::VpcHost { address: host.address });
        Ok(())
    }

    /// From a VPC host to a DNS service discovery name: it resolves only inside the space.
    pub(super) fn host_to_discovery(&mut self, b: AppIx, bp: usize) -> Stop {
        let app = self.m.app(b);
        self.s.hop(ComponentKind::Dns, &app.id, Part::Discovery { app: b, process: bp });
        let process = self.proc_name(b, bp);
        self.stop(
            R::PsDnsDiscovery,
            || Detail::DiscoveryOnlyInsideSpace { name: app.discovery_name(process) },
            || vec![Fix::UseDynoAddress { app: app.id.clone(), process: process.to_owned() }],
        )
    }

    /// From a VPC host to an app's hostname: an internally routed app's endpoint over the
    /// peering, else the public router over the internet from the VPC's egress address.
    pub(super) fn host_to_hostname(&mut self, h: HostIx, b: AppIx) -> Flow {
        let m = self.m;
        let (app, host) = (m.app(b), m.host(h));
        if let (true, Some(t)) = (app.internal_routing, app.space) {
            self.internal_dns(b)?;
            let Some(endpoint) = app.ir_endpoint else {
                return self.block(
                    R::IrPrivateDns,
                    || Detail::PrivateDns { hostname: app.hostname(), endpoint: None },
                    || Self::no_config(None),
                );
            };
            self.host_to_space(h, t, endpoint)?;
            self.internal_router(b, Inside::PeeredVpc)?;
            self.s.seen(|| SeenAs::ViaRouter { client: Box::new(SeenAs::VpcHost { address: host.address }) });
            return Ok(());
        }
        let vpc = m.vpc(host.vpc);
        self.s.hop(ComponentKind::Internet, &vpc.id, Part::Vpc { vpc: host.vpc });
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

    /// From a VPC host to a data add-on: software in the VPC cannot reach it directly.
    pub(super) fn host_to_addon(&mut self, x: AddonIx) -> Stop {
        let m = self.m;
        let addon = m.addon(x);
        self.s.hop(ComponentKind::Addon, &addon.id, Part::Addon { addon: x });
        self.stop(
            R::PeerNoDataAddons,
            || Detail::NoDataAddons,
            || Self::no_config(Some(Workaround::ProxyAppInSpace { space: m.space(addon.space).id.clone() })),
        )
    }

    /// From a VPC host to an address in a space, over the peering: security group out, route
    /// table, network ACL, peering, primary CIDR.
    pub(super) fn host_to_space(&mut self, h: HostIx, t: SpaceIx, target: Ipv4Addr) -> Flow {
        let m = self.m;
        let (host, space) = (m.host(h), m.space(t));
        let ir = matches!(self.q.dst(), Dst::Hostname(_));
        self.security_groups(h, space, IpAddr::V4(target), Direction::Outbound)?;
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

    /// Find the peering a space uses to reach a VPC, or explain why there is none. `from_host`:
    /// the traffic comes from this VPC host to this space address, so a new peering needs its
    /// route too (the host's route table decides first).
    pub(super) fn peering_to(
        &mut self,
        s: SpaceIx,
        v: VpcIx,
        from_host: Option<(&'m Host, Ipv4Addr)>,
    ) -> Result<&'m Peering, Stop> {
        let m = self.m;
        let (space, vpc) = (m.space(s), m.vpc(v));
        if let Some(rule) = space.refusing_rule(Feature::Peering) {
            self.s.hop(ComponentKind::Peering, &space.id, Part::Space { space: s });
            return Err(self.stop(
                rule,
                || Detail::FirNoPeering,
                || Self::no_config(Some(Workaround::UseCedarSpace { space: space.id.clone() })),
            ));
        }
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
                    self.s.hop(ComponentKind::Peering, &peering.id, Part::Peering { peering: *p });
                    self.offered(space, Feature::Peering, R::PeerCedarOnly);
                    return Err(self.stop(
                        R::PeerNotTransitive,
                        || Detail::NotTransitive { via_vpc: via.name.clone(), via_peering: peering.id.clone() },
                        || Self::no_config(Some(Workaround::ProxyInVpc { vpc: via.id.clone() })),
                    ));
                }
            }
            self.s.hop(ComponentKind::Peering, &vpc.id, Part::Vpc { vpc: v });
            self.offered(space, Feature::Peering, R::PeerCedarOnly);
            self.s.assume(Assumption::NoPeeringAtAll);
            return Err(self.stop(
                R::PeerAccepted,
                || Detail::NoPeering { vpc: vpc.name.clone() },
                || vec![create_peering(m, space, vpc, from_host)],
            ));
        };
        let peering = m.peering(pix);
        self.s.hop(ComponentKind::Peering, &peering.id, Part::Peering { peering: pix });
        self.offered(space, Feature::Peering, R::PeerCedarOnly);
        if let Some(rule) = peering.refused {
            let workaround = || match rule {
                R::PeerLimit => Workaround::RaisePeeringLimit { space: space.id.clone() },
                R::PeerCedarOnly => Workaround::UseCedarSpace { space: space.id.clone() },
                _ => Workaround::RenumberVpc { vpc: vpc.id.clone() },
            };
            return Err(self.stop(
                rule,
                || Detail::PeeringRefused { peering: peering.id.clone() },
                || Self::no_config(Some(workaround())),
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
    pub(super) fn route_back(
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
            self.s.hop(ComponentKind::RouteTable, &vpc.id, Part::Subnet { vpc: host.vpc, subnet: host.subnet });
            return self.block(
                R::PeerRoute,
                || Detail::NoRouteTable { subnet: subnet.name.clone() },
                || Self::no_config(Some(Workaround::AssociateRouteTable { subnet: subnet.id.clone() })),
            );
        };
        let rt = &vpc.route_tables[rt_ix];
        self.s.hop(ComponentKind::RouteTable, &rt.id, Part::RouteTable { vpc: host.vpc, table: rt_ix });
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
        if let Some(hit) = found.filter(|_| ok) {
            self.pass(R::PeerRoute, detail);
            if ir {
                self.pass(R::IrPeerRoute16, || Detail::RouteReachesEndpoint {
                    table: rt.name.clone(),
                    endpoint: space_addr,
                    matched: hit.destination,
                });
            }
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
    pub(super) fn acl(&mut self, host: &'m Host, space: &'m Space, peer_addr: IpAddr, request: Direction) -> Flow {
        let vpc = self.m.vpc(host.vpc);
        let subnet = &vpc.subnets[host.subnet];
        let Some(acl_ix) = subnet.network_acl else { return Ok(()) };
        let acl = &vpc.network_acls[acl_ix];
        let protocol = self.q.protocol();
        self.s.hop(ComponentKind::NetworkAcl, &acl.id, Part::NetworkAcl { vpc: host.vpc, acl: acl_ix });
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
    pub(super) fn security_groups(&mut self, h: HostIx, space: &'m Space, peer_addr: IpAddr, dir: Direction) -> Flow {
        let m = self.m;
        let host = m.host(h);
        let vpc = m.vpc(host.vpc);
        let (protocol, port) = (self.q.protocol(), self.q.port());
        // The host's groups, walked as needed (the verdict-only path collects nothing).
        let groups = || host.security_groups.iter().map(|g| &vpc.security_groups[*g]);
        let first = groups().next().map(|g| g.id.as_str()).unwrap_or("");
        self.s.hop(ComponentKind::SecurityGroup, first, Part::Host { host: h });
        let rules_of = |g: &'m SecurityGroup| match dir {
            Direction::Inbound => &g.inbound,
            Direction::Outbound => &g.outbound,
        };
        let end = SgEnd::Address(peer_addr);
        let allowed = groups()
            .find_map(|g| rules_of(g).iter().find_map(|r| m.sg_rule_match(r, protocol, port, end)).map(|hit| (g, hit)));
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
                for r in groups().flat_map(|g| rules_of(g).iter()).filter(|r| r.covers(protocol, port)) {
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
                groups: groups().map(|g| g.name.clone()).collect(),
                via,
                referenced,
            }
        };
        if allowed.is_some() {
            self.pass(R::PeerSecurityGroup, detail);
            return Ok(());
        }
        let fixes = || match groups().next() {
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

    pub(super) fn primary_cidr(&mut self, host: &'m Host) -> Flow {
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

    pub(super) fn host_listens(&mut self, h: HostIx) -> Flow {
        let host = self.m.host(h);
        let listen = Port { protocol: self.q.protocol(), port: self.q.port() };
        self.s.hop(ComponentKind::VpcHost, &host.id, Part::Host { host: h });
        if host.ports.contains(&listen) {
            self.pass(R::PeerSecurityGroup, || Detail::Listening { name: host.name.clone(), app: None, port: listen });
            Ok(())
        } else {
            self.s.assume(Assumption::ClosedPort);
            self.block(
                R::PeerSecurityGroup,
                || Detail::NotListening {
                    name: host.name.clone(),
                    app: None,
                    port: listen,
                    listening: host.ports.clone(),
                },
                || vec![Fix::ListenOnPort { target: host.id.clone(), process: None, port: listen }],
            )
        }
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
