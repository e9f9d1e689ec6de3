//! What the readers found, file by file, before [`crate::merge`] ties it together: typed as the
//! document will hold it where that is already known, and remembering where each thing came
//! from so that warnings made while merging can name the file and the path.

use std::net::Ipv4Addr;

use spacetrace_engine::doc::{AclRule, AddonKind, Generation, PeeringStatus, Route, SgRule, TunnelStatus};

/// Where something was read.
#[derive(Debug, Clone, Default)]
pub(crate) struct Origin {
    pub file: String,
    pub path: String,
}

/// Everything read from every file.
#[derive(Debug, Default)]
pub(crate) struct Drafts {
    // Heroku
    pub spaces: Vec<SpaceDraft>,
    pub facts: Vec<FactDraft>,
    pub apps: Vec<AppDraft>,
    // AWS
    pub vpcs: Vec<VpcDraft>,
    pub subnets: Vec<SubnetDraft>,
    pub route_tables: Vec<RouteTableDraft>,
    pub security_groups: Vec<GroupDraft>,
    pub network_acls: Vec<AclDraft>,
    pub hosts: Vec<HostDraft>,
    pub interfaces: Vec<InterfaceDraft>,
    pub peerings: Vec<PcxDraft>,
    pub nat_gateways: Vec<NatDraft>,
    pub prefix_lists: Vec<PrefixListDraft>,
}

// ----- Heroku -----

/// `spaces:info`.
#[derive(Debug, Clone, Default)]
pub(crate) struct SpaceDraft {
    pub origin: Origin,
    pub name: String,
    pub cidr: Option<String>,
    pub data_cidr: Option<String>,
    pub generation: Generation,
    pub shield: bool,
    pub region: String,
    /// Single addresses (a `/32` source is read as its address).
    pub outbound_ips: Vec<String>,
}

/// What a Heroku file that names no space says, and the hints that tie it to one.
#[derive(Debug, Clone)]
pub(crate) struct FactDraft {
    pub origin: Origin,
    pub hints: SpaceHints,
    pub fact: Fact,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct SpaceHints {
    /// Blocks that should be the space's CIDR (or inside it).
    pub cidrs: Vec<String>,
    /// Dyno addresses, which lie inside the space's CIDR.
    pub addresses: Vec<Ipv4Addr>,
}

#[derive(Debug, Clone)]
pub(crate) enum Fact {
    Peerings(Vec<HerokuPeeringDraft>),
    PeeringInfo(PeeringInfoDraft),
    Vpns(Vec<VpnDraft>),
    Topology(Vec<TopologyAppDraft>),
    TrustedIps(Vec<String>),
}

/// One entry of `spaces:peerings` (customer-managed; Heroku-managed ones are only warned about).
#[derive(Debug, Clone)]
pub(crate) struct HerokuPeeringDraft {
    pub origin: Origin,
    pub pcx: String,
    pub vpc: Option<String>,
    pub cidr_blocks: Vec<String>,
    pub region: Option<String>,
    pub status: PeeringStatus,
    /// The status as Heroku wrote it.
    pub status_text: String,
}

/// `spaces:peerings:info`.
#[derive(Debug, Clone, Default)]
pub(crate) struct PeeringInfoDraft {
    /// The space's own VPC, as AWS peerings name it.
    pub vpc_id: Option<String>,
    pub space_cidr: Option<String>,
    pub unavailable: Option<Vec<String>>,
    pub dyno_subnets: Option<Vec<String>>,
    pub region: Option<String>,
}

/// One VPN connection of `spaces:vpn:info` or `spaces:vpn:connections`.
#[derive(Debug, Clone)]
pub(crate) struct VpnDraft {
    pub origin: Origin,
    pub name: String,
    pub customer_gateway: String,
    pub routable_cidrs: Vec<String>,
    pub tunnel_status: TunnelStatus,
}

/// One app of `spaces:topology`.
#[derive(Debug, Clone)]
pub(crate) struct TopologyAppDraft {
    pub origin: Origin,
    pub id: String,
    /// The name read from a `<name>.herokuapp.com` domain, if any.
    pub name_from_domain: Option<String>,
    pub processes: Vec<ProcessDraft>,
}

#[derive(Debug, Clone)]
pub(crate) struct ProcessDraft {
    pub name: String,
    pub dynos: u32,
    pub addresses: Vec<String>,
}

/// `apps:info`.
#[derive(Debug, Clone)]
pub(crate) struct AppDraft {
    pub origin: Origin,
    pub id: Option<String>,
    pub name: String,
    /// `None`: a Common Runtime app; `Some(name)`: an app of that space.
    pub space: Option<String>,
    pub internal_routing: bool,
    pub processes: Vec<ProcessDraft>,
    pub addons: Vec<AddonDraft>,
}

#[derive(Debug, Clone)]
pub(crate) struct AddonDraft {
    pub origin: Origin,
    pub name: String,
    pub kind: AddonKind,
}

// ----- AWS -----

#[derive(Debug, Clone, Default)]
pub(crate) struct VpcDraft {
    pub origin: Origin,
    pub id: String,
    pub name: String,
    pub region: Option<String>,
    pub primary: Option<String>,
    pub secondary: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct SubnetDraft {
    pub origin: Origin,
    pub id: String,
    pub name: String,
    pub vpc: String,
    pub cidr: String,
    pub region: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct RouteTableDraft {
    pub origin: Origin,
    pub id: String,
    pub name: String,
    pub vpc: String,
    pub routes: Vec<Route>,
    /// Routes to a prefix list, made into one route per entry when the list is known.
    pub prefix_routes: Vec<PrefixRoute>,
    pub main: bool,
    pub subnets: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct PrefixRoute {
    pub path: String,
    pub prefix_list: String,
    pub target: String,
}

#[derive(Debug, Clone)]
pub(crate) struct GroupDraft {
    pub origin: Origin,
    pub id: String,
    pub name: String,
    pub vpc: String,
    pub inbound: Vec<SgRule>,
    pub outbound: Vec<SgRule>,
}

#[derive(Debug, Clone)]
pub(crate) struct AclDraft {
    pub origin: Origin,
    pub id: String,
    pub name: String,
    pub vpc: String,
    pub inbound: Vec<AclRule>,
    pub outbound: Vec<AclRule>,
    pub subnets: Vec<String>,
}

/// An instance of `describe-instances`, or a host made from a network interface.
#[derive(Debug, Clone)]
pub(crate) struct HostDraft {
    pub origin: Origin,
    pub id: String,
    pub name: String,
    pub vpc: Option<String>,
    pub subnet: String,
    pub address: String,
    pub groups: Vec<String>,
}

/// A network interface of `describe-network-interfaces` that may be a host of its own.
#[derive(Debug, Clone)]
pub(crate) struct InterfaceDraft {
    pub host: HostDraft,
    /// The instance it is attached to, if any: the instance is the host.
    pub instance: Option<String>,
    /// Its public address, if any.
    pub public: Option<String>,
    /// Its other private addresses.
    pub extra: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct PcxDraft {
    pub origin: Origin,
    pub id: String,
    pub requester: PcxSide,
    pub accepter: PcxSide,
    pub status: PeeringStatus,
    pub status_text: String,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct PcxSide {
    pub vpc: String,
    pub cidrs: Vec<String>,
    pub region: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct NatDraft {
    pub origin: Origin,
    pub id: String,
    pub vpc: String,
    pub public_ip: String,
}

#[derive(Debug, Clone)]
pub(crate) struct PrefixListDraft {
    pub origin: Origin,
    pub id: String,
    pub name: String,
    pub entries: Vec<String>,
}
