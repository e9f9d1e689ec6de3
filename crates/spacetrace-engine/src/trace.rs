//! Explanations as data: a trace is the verdict, the hops in path order, the steps each hop took
//! (each citing a rule), the address the destination sees, and what to change when blocked.
//! [`crate::render`] turns a trace into English; nothing here is prose.

use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr};

use ipnet::{IpNet, Ipv4Net};
use serde::Serialize;

use crate::capabilities::Feature;
pub use crate::doc::Verdict;
use crate::doc::{Generation, PeeringStatus, Protocol, RuleProtocol};
use crate::model::{
    AclDecision, AddonIx, AppIx, Blackhole, ClientIx, HostIx, PeeringIx, Port, PortRange, RemoteHostIx, RemoteIx,
    ServiceIx, SpaceIx, VpcIx, VpnIx,
};
use crate::query::Query;
use crate::rules::RuleId;

/// The kind of thing a hop passes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ComponentKind {
    Dyno,
    InternetClient,
    VpcHost,
    RemoteHost,
    Dns,
    Router,
    TrustedIpFilter,
    PrivateNetwork,
    NatGateway,
    Internet,
    Peering,
    RouteTable,
    NetworkAcl,
    SecurityGroup,
    VpnTunnel,
    RemoteFirewall,
    Addon,
    ExternalService,
}

/// A hop's component: its kind, the ID of the scenario object it belongs to (for the canvas),
/// and which part of the scenario it is, by the model's indices. It carries no name:
/// [`crate::render::component`] names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Component {
    pub kind: ComponentKind,
    pub id: String,
    pub part: Part,
}

/// The part of the scenario a hop passes through, by index into the model. With the hop's
/// [`ComponentKind`] it says which component of that part is meant: a space's trusted IP filter,
/// private network, NAT gateway, VPN or peering; an app's DNS name, router or dynos; a VPC's way
/// to the internet; a remote network's firewall.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Part {
    /// Nothing in the scenario: the public internet.
    Internet,
    Client {
        client: ClientIx,
    },
    App {
        app: AppIx,
    },
    /// An app's `web` process, as the router forwards to it.
    Web {
        app: AppIx,
    },
    /// Dyno `dyno` (1-based) of a process.
    Dyno {
        app: AppIx,
        process: usize,
        dyno: u32,
    },
    /// A process's DNS service discovery name.
    Discovery {
        app: AppIx,
        process: usize,
    },
    Space {
        space: SpaceIx,
    },
    Addon {
        addon: AddonIx,
    },
    Service {
        service: ServiceIx,
    },
    Vpc {
        vpc: VpcIx,
    },
    /// A subnet of a VPC (index into its subnets).
    Subnet {
        vpc: VpcIx,
        subnet: usize,
    },
    /// A route table of a VPC (index into its route tables).
    RouteTable {
        vpc: VpcIx,
        table: usize,
    },
    /// A network ACL of a VPC (index into its ACLs).
    NetworkAcl {
        vpc: VpcIx,
        acl: usize,
    },
    Host {
        host: HostIx,
    },
    Peering {
        peering: PeeringIx,
    },
    Remote {
        remote: RemoteIx,
    },
    RemoteHost {
        host: RemoteHostIx,
    },
    Vpn {
        vpn: VpnIx,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// The traffic goes on.
    Pass,
    /// The traffic stops here.
    Block,
    /// A fact worth knowing; decides nothing.
    Note,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Inbound,
    Outbound,
}

/// Who the destination or a filter sees as the source, before any allowlist decides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    /// An unpredictable Common Runtime address.
    CommonRuntime,
    /// The space's stable outbound IPs.
    OutboundIps { ips: Vec<IpAddr> },
    /// A known address or range.
    Net { net: IpNet },
    /// A public address that is not known.
    Unknown,
}

/// What the destination sees as the source of the connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SeenAs {
    /// Another process in the same dyno: the loopback address.
    Loopback,
    /// The source dyno's private address.
    Dyno { address: Option<Ipv4Addr> },
    /// The space's stable outbound IPs.
    OutboundIps { ips: Vec<IpAddr> },
    /// An unpredictable Common Runtime address.
    CommonRuntime,
    /// A VPC host's private address.
    VpcHost { address: Ipv4Addr },
    /// A VPC's public egress address.
    VpcEgress { address: IpAddr },
    /// A remote host's private address, through the VPN.
    RemoteHost { address: IpAddr },
    /// A remote network's public address.
    RemoteEgress { address: Option<IpAddr> },
    /// An internet client's address.
    Client { net: IpNet },
    /// The router connects to the dyno; the client's address arrives in `X-Forwarded-For`.
    ViaRouter { client: Box<SeenAs> },
}

/// Where a caller an internally routed app takes comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Inside {
    /// A dyno of the app's own space.
    Space,
    /// A host in a VPC peered with the space.
    PeeredVpc,
    /// A host in a network connected to the space by VPN.
    Vpn,
}

/// How a security group rule admitted traffic, when it was not simply by a CIDR block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SgVia {
    /// An entry of a prefix list the rule names.
    PrefixList { id: String, name: String, entry: IpNet },
    /// The outbound rule AWS gives a group created without outbound rules (all traffic to
    /// `0.0.0.0/0`).
    DefaultOutbound,
}

/// The structured facts behind a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "fact", rename_all = "snake_case")]
pub enum Detail {
    CrDyno {
        app: String,
        process: String,
        /// Which dyno of the process (`web.2` is 2).
        #[serde(skip_serializing_if = "is_first_dyno")]
        dyno: u32,
        address: Option<Ipv4Addr>,
    },
    SpaceDyno {
        app: String,
        process: String,
        /// Which dyno of the process (`web.2` is 2).
        #[serde(skip_serializing_if = "is_first_dyno")]
        dyno: u32,
        address: Option<Ipv4Addr>,
        subnet: Option<Ipv4Net>,
    },
    /// A dyno asked its own address: it talks to itself over its own interface.
    OwnAddress {
        process: String,
        dyno: u32,
        address: Option<Ipv4Addr>,
        port: u16,
    },
    NoDynos {
        app: String,
        process: String,
    },
    /// The question names a process type the app does not have (by index).
    NoSuchProcess {
        app: String,
        process: usize,
    },
    /// The source dyno has no address the model knows, and the path needs one.
    NoDynoAddress {
        app: String,
        process: String,
        dyno: u32,
    },
    Localhost {
        port: u16,
    },
    CrIsolated {
        app: String,
    },
    OnlyRouterFromOutside {
        app: String,
    },
    DiscoveryResolves {
        name: String,
        address: Option<Ipv4Addr>,
    },
    DiscoveryNotInFir {
        name: String,
    },
    DiscoveryOnlyInsideSpace {
        name: String,
    },
    OtherSpace {
        from: String,
        to: String,
    },
    /// A space reaches an app of another space over the internet (PS-NO-SPACE-TO-SPACE).
    SpaceOverInternet {
        from: String,
        to: String,
    },
    /// The space offers a feature the path needs (the rule that would refuse it elsewhere).
    Offered {
        space: String,
        generation: Generation,
        feature: Feature,
    },
    PrivateNetwork {
        space: String,
    },
    /// `name` listens on `port`; `app` is the app of a process.
    Listening {
        name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        app: Option<String>,
        port: Port,
    },
    NotListening {
        name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        app: Option<String>,
        port: Port,
        listening: Vec<Port>,
    },
    PublicDns {
        hostname: String,
    },
    PrivateDns {
        hostname: String,
        endpoint: Option<Ipv4Addr>,
    },
    /// At least one web dyno runs, so an internally routed app's hostname resolves.
    WebDynosRunning {
        hostname: String,
        count: u32,
    },
    NoWebDynoNoDns {
        hostname: String,
    },
    RouterPort {
        protocol: Protocol,
        port: u16,
        accepted: bool,
    },
    InternalOnly {
        app: String,
    },
    /// An internally routed app takes the request: it comes from inside (IR-NO-EXTERNAL).
    InternalCaller {
        app: String,
        from: Inside,
    },
    Trusted {
        source: Source,
        matched: Option<IpNet>,
        ranges: usize,
    },
    NotTrusted {
        source: Source,
        missing: Vec<IpNet>,
    },
    TrustedDefault,
    FirTrustsAll,
    CrCannotBeAllowlisted,
    ForwardToWeb {
        app: String,
        web_port: u16,
        dynos: u32,
        web_port_assumed: bool,
    },
    CrOutbound,
    Nat {
        ips: Vec<IpAddr>,
    },
    AddonReached {
        addon: String,
        port: u16,
    },
    OnlySpaceDynos {
        addon: String,
    },
    NoPrivatePath,
    FirNoPeering,
    FirNoVpn,
    NoPeering {
        vpc: String,
    },
    NotTransitive {
        via_vpc: String,
        via_peering: String,
    },
    PeeringRefused {
        peering: String,
    },
    PeeringState {
        peering: String,
        status: PeeringStatus,
    },
    PrimaryCidr {
        address: Ipv4Addr,
        primary: Ipv4Net,
        inside: bool,
    },
    Route {
        table: String,
        destination: Ipv4Addr,
        matched: Option<Ipv4Net>,
        target: Option<String>,
        wanted: String,
        /// Set when the deciding route drops the traffic.
        #[serde(skip_serializing_if = "Option::is_none")]
        blackhole: Option<Blackhole>,
    },
    NoRouteTable {
        subnet: String,
    },
    /// The subnet has no route table of its own: it uses the VPC's main route table.
    MainRouteTable {
        subnet: String,
        table: String,
    },
    RouteMissesEndpoint {
        table: String,
        endpoint: Ipv4Addr,
    },
    /// The route that takes an internally routed app's endpoint through the peering.
    RouteReachesEndpoint {
        table: String,
        endpoint: Ipv4Addr,
        matched: Ipv4Net,
    },
    Acl {
        acl: String,
        direction: Direction,
        protocol: Protocol,
        ports: PortRange,
        address: IpAddr,
        decision: AclDecision,
    },
    SecurityGroup {
        direction: Direction,
        protocol: Protocol,
        port: u16,
        address: IpAddr,
        allowed_by: Option<String>,
        groups: Vec<String>,
        /// How the allowing rule admitted the traffic, when not by a CIDR block.
        #[serde(skip_serializing_if = "Option::is_none")]
        via: Option<SgVia>,
        /// When nothing allows it: the security groups that rules for this traffic name, whose
        /// members they admit (the address is a member of none).
        #[serde(skip_serializing_if = "Vec::is_empty")]
        referenced: Vec<String>,
    },
    DynoByAddress {
        address: Option<Ipv4Addr>,
    },
    NoDataAddons,
    PublicHostnameFromVpc {
        egress: Option<IpAddr>,
    },
    OverInternet {
        egress: Option<IpAddr>,
    },
    NoVpn {
        remote: String,
    },
    VpnRefused {
        vpn: String,
    },
    Tunnel {
        vpn: String,
        up: bool,
    },
    Routable {
        address: IpAddr,
        matched: Option<IpNet>,
    },
    RoutableOverlap {
        cidr: IpNet,
        space_cidr: Ipv4Net,
    },
    /// The routable CIDR that carries the address does not overlap the space CIDR.
    RoutableApart {
        cidr: IpNet,
        space_cidr: Ipv4Net,
    },
    Ipsec {
        gateway: Option<IpAddr>,
    },
    Firewall {
        firewall: String,
        rule: Option<usize>,
        allowed: bool,
        address: IpAddr,
    },
    VpnInternalRouting,
    FirInboundViaPublicDns {
        app: String,
    },
    Allowlist {
        service: String,
        admitted: bool,
        missing: Vec<IpAddr>,
        open: bool,
    },
    OutboundIpsUnknown,
    CrDynoAddressNotPublic,
}

/// One decision inside a hop, citing the rule it applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub rule: RuleId,
    pub decision: Decision,
    pub detail: Detail,
}

/// One component on the path, and what happened there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hop {
    pub component: Component,
    pub steps: Vec<Step>,
}

/// A way around a block that is not a configuration change Spacetrace can apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Workaround {
    /// Run a proxy or load balancer in this VPC.
    ProxyInVpc { vpc: String },
    /// Run an app in the space that proxies to the data service.
    ProxyAppInSpace { space: String },
    /// Move the app into a Private Space (stable outbound IPs, private networking).
    MoveAppToPrivateSpace { app: String },
    /// Renumber the VPC so that its CIDR is private and does not overlap the space.
    RenumberVpc { vpc: String },
    /// Renumber the remote network so that it does not overlap the space.
    RenumberRemote { remote: String },
    /// Ask Heroku support to raise the peering limit, or remove a peering.
    RaisePeeringLimit { space: String },
    /// Move the host into the VPC's primary CIDR.
    MoveHostToPrimaryCidr { host: String },
    /// Give the VPC a way to the internet (a NAT or internet gateway).
    AddInternetEgress { vpc: String },
    /// List the space's stable outbound IPs so allowlists can be checked.
    ListOutboundIps { space: String },
    /// Associate a route table with the subnet.
    AssociateRouteTable { subnet: String },
    /// Attach a security group to the host.
    AttachSecurityGroup { host: String },
    /// Reach the app from inside: its space, a peered VPC or a VPN-connected network.
    ReachFromInside { app: String },
    /// Use a Cedar space: the feature does not exist on Fir.
    UseCedarSpace { space: String },
    /// Only `web` is reachable from outside its space, through the router at the app's hostname.
    OnlyWebFromOutside { app: String, process: String },
    /// The space lists `listed` trusted IP ranges and the platform allows `max` (TIP-LIMIT): remove
    /// or merge some to make room for these.
    FreeTrustedRanges { space: String, listed: usize, max: usize, cidrs: Vec<IpNet> },
    /// No rule number is left where an allow would decide first: renumber the ACL's rules.
    RenumberAcl { acl: String },
    /// Peer the VPC with the space, and give the subnet a route table that routes the space
    /// through the peering: two changes, neither of which connects alone.
    PeerAndAssociateRouteTable { space: String, vpc: String, subnet: String },
    /// `object`'s list already holds `max`, the most Spacetrace takes in (`limits::LIMITS`):
    /// remove or merge one to make room.
    MakeRoom { object: String, what: crate::limits::Collection, max: usize },
}

/// A network ACL rule given another number, to make room for a new rule before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AclRenumber {
    pub from: u32,
    pub to: u32,
}

/// A change that would connect, or the statement that no configuration allows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fix {
    AddRoute {
        route_table: String,
        destination: Ipv4Net,
        target: String,
    },
    /// Point the table's route for `destination` (the first listed) at `target`.
    ReplaceRoute {
        route_table: String,
        destination: Ipv4Net,
        target: String,
    },
    AddSecurityGroupRule {
        group: String,
        direction: Direction,
        protocol: RuleProtocol,
        ports: PortRange,
        cidrs: Vec<IpNet>,
    },
    /// Add an allow rule numbered `number`, after giving the rules in `renumber` their new
    /// numbers (each rule of that number in that direction moves; empty when `number` is free).
    AddAclRule {
        acl: String,
        direction: Direction,
        number: u32,
        protocol: RuleProtocol,
        ports: PortRange,
        cidr: IpNet,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        renumber: Vec<AclRenumber>,
    },
    AcceptPeering {
        peering: String,
    },
    CreatePeering {
        space: String,
        vpc: String,
    },
    /// Create and accept the peering, and make `route_table` send `destination` through it: add
    /// that route, or (`replace`) point the table's route for `destination` at the new peering.
    /// Traffic from the VPC meets its route table before the peering, so a peering alone would
    /// only move the block to the route table.
    CreatePeeringWithRoute {
        space: String,
        vpc: String,
        route_table: String,
        destination: Ipv4Net,
        replace: bool,
    },
    /// Add every one of these to the space's trusted IP ranges (a space's outbound IPs are
    /// admitted only if all of them are, so they come as one change).
    AddTrustedRanges {
        space: String,
        cidrs: Vec<IpNet>,
    },
    AddToAllowlist {
        service: String,
        cidrs: Vec<IpNet>,
    },
    ScaleProcess {
        app: String,
        process: String,
        dynos: u32,
    },
    ListenOnPort {
        target: String,
        process: Option<String>,
        port: Port,
    },
    BringTunnelUp {
        vpn: String,
    },
    AddRoutableCidr {
        vpn: String,
        cidr: IpNet,
    },
    AddFirewallRule {
        remote: String,
        protocol: RuleProtocol,
        ports: PortRange,
        cidr: IpNet,
    },
    CreateVpn {
        space: String,
        remote: String,
    },
    RecreateWithInternalRouting {
        app: String,
    },
    /// Ask on another port (a change to the question, not the configuration).
    UsePort {
        port: u16,
    },
    /// Ask for the app's hostname instead.
    UseHostname {
        app: String,
    },
    /// Ask for the dyno's address instead.
    UseDynoAddress {
        app: String,
        process: String,
    },
    /// No change Spacetrace can make connects this: no configuration allows it, or (as
    /// `workaround` says) it takes more than one change, or room the platform's limits do not
    /// leave. The typed "no fix works".
    NoConfiguration {
        workaround: Option<Workaround>,
    },
}

impl Fix {
    /// Whether applying this changes the scenario's configuration (and can be done by [`crate::apply`]).
    pub fn is_configuration_change(&self) -> bool {
        !matches!(
            self,
            Fix::UsePort { .. } | Fix::UseHostname { .. } | Fix::UseDynoAddress { .. } | Fix::NoConfiguration { .. }
        )
    }
}

/// A suggested change and the rule it answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    pub rule: RuleId,
    pub fix: Fix,
}

/// A modelling choice the answer rests on, where the rules are silent (see `docs/assumptions.md`).
/// The product labels each as an assumption wherever the answer is shown.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Assumption {
    /// `$PORT` was not given; Spacetrace uses this value.
    WebPort { port: u16 },
    /// The platform assigns dyno addresses; Spacetrace picks one in the dyno subnets.
    DynoAddress,
    /// A client given as a range is trusted only if the whole range lies inside one trusted range.
    ClientRangeWhole,
    /// A space's outbound IPs are admitted only if every one of them is.
    AllOutboundIps,
    /// A port the destination does not listen on is reported under the rule of the filter before it.
    ClosedPort,
    /// A remote firewall filters what arrives through the tunnel, first match wins, then deny.
    RemoteFirewall,
    /// Stateless ACL replies go to the ephemeral ports 1024-65535, all of which must be allowed.
    EphemeralPorts,
    /// With no peering at all, the answer cites PEER-ACCEPTED: no accepted peering exists.
    NoPeeringAtAll,
    /// With no VPN connection at all, the answer cites VPN-IPSEC: no tunnel exists.
    NoVpnAtAll,
}

/// Where the trace stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StepRef {
    pub hop: usize,
    pub step: usize,
}

/// The whole answer to a question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Trace {
    pub query: Query,
    pub verdict: Verdict,
    pub hops: Vec<Hop>,
    pub seen_as: Option<SeenAs>,
    pub blocked_at: Option<StepRef>,
    pub suggestions: Vec<Suggestion>,
    /// The modelling choices this answer rests on, in the order met.
    pub assumed: Vec<Assumption>,
}

impl Trace {
    /// Every rule the trace cites, sorted.
    pub fn rules(&self) -> BTreeSet<RuleId> {
        self.hops
            .iter()
            .flat_map(|h| h.steps.iter().map(|s| s.rule))
            .chain(self.suggestions.iter().map(|s| s.rule))
            .collect()
    }

    /// The step that blocked, if any.
    pub fn blocking_step(&self) -> Option<&Step> {
        let at = self.blocked_at?;
        self.hops.get(at.hop)?.steps.get(at.step)
    }

    /// The cited rules that are assumptions, for labelling.
    pub fn assumptions(&self) -> Vec<RuleId> {
        self.rules().into_iter().filter(|r| r.is_assumption()).collect()
    }
}

/// A verdict without its trace, for the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub verdict: Verdict,
    /// The rule of the blocking step, when blocked.
    pub blocked_by: Option<RuleId>,
}

fn is_first_dyno(n: &u32) -> bool {
    *n == 1
}
