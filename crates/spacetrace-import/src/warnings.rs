//! Import warnings as data: which file, where in it (a JSON path such as
//! `SecurityGroups[0].IpPermissions[1]`), and what. The English is in [`crate::render`].
//!
//! Everything in a file that bears on connectivity and that the scenario document cannot hold
//! becomes a warning: objects Spacetrace does not model (transit gateways, endpoints, AWS
//! site-to-site VPNs…), IPv6 addresses and rules, protocols other than TCP and UDP, secrets left
//! out, unknown fields, values of the wrong type. Bookkeeping (owner and account IDs, ARNs, tags
//! other than `Name`, descriptions, timestamps, MAC addresses, availability zones) is not
//! reported: it says nothing about what can reach what.

use serde::Serialize;
use spacetrace_engine::doc::PeeringStatus;

use crate::MAX_WARNINGS;

/// One thing the import could not carry into the document as it was, or a choice it made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportWarning {
    /// The file's name, as given to [`crate::import`]; empty for the import as a whole.
    pub file: String,
    /// Where in the file, as `Key[0].Field`; empty for the whole file.
    pub path: String,
    pub what: What,
}

/// The kind of a JSON value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Expected {
    Text,
    Integer,
    Number,
    Boolean,
    List,
    Object,
    Null,
}

/// What became of a value that could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// The field is ignored; the object is kept.
    FieldIgnored,
    /// The object (or rule, route, entry) is left out.
    ObjectLeftOut,
}

/// Secrets the import never stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Secret {
    /// A Heroku VPN tunnel's `pre_shared_key`.
    PreSharedKey,
    /// An AWS VPN connection's `CustomerGatewayConfiguration` (an XML text with the tunnels'
    /// pre-shared keys).
    CustomerGatewayConfiguration,
    /// An AWS VPN connection's `Options.TunnelOptions[].PreSharedKey`.
    TunnelPreSharedKey,
}

/// Where an IPv6 value was met. Spacetrace models IPv4 inside AWS and Heroku.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ipv6Place {
    VpcBlock,
    SubnetBlock,
    /// A security group rule's IPv6 ranges; `only` when the rule had no IPv4 peer at all.
    SecurityGroupRule {
        only: bool,
    },
    AclEntry,
    Route,
    Address,
    PeeringBlock,
}

/// Objects that Spacetrace does not model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "thing", rename_all = "snake_case")]
pub enum Thing {
    TransitGateway,
    VpcEndpoint,
    VpnGateway,
    CustomerGateway,
    /// An AWS site-to-site VPN connection (Spacetrace models VPNs from a space).
    AwsVpnConnection,
    InternetGateway,
    EgressOnlyInternetGateway,
    /// A NAT gateway that gives no public address (private, failed or deleted).
    NatGatewayWithoutAddress,
    LocalGateway,
    CarrierGateway,
    CoreNetwork,
    /// A route to an instance or a network interface (an appliance).
    ApplianceTarget,
    /// A route table association with a gateway (edge association).
    GatewayAssociation,
    /// A network interface that is not a host's (`InterfaceType` other than `interface`).
    NetworkInterface {
        interface_type: String,
    },
    /// A network interface attached to nothing.
    DetachedInterface,
    /// A peering Heroku manages for the space itself.
    HerokuManagedPeering,
    /// A trusted IP rule that denies.
    TrustedIpDeny,
    /// An add-on that is not a private data store in a space.
    Addon {
        service: String,
    },
    /// An object of an AWS output Spacetrace reads but does not model (`TransitGateways`,
    /// `VpcEndpoints`, `Addresses`…), named by its top-level key.
    AwsObject {
        collection: String,
    },
}

/// What a warning says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum What {
    // ----- reading -----
    /// A field this importer does not know; ignored.
    UnknownField {
        name: String,
    },
    WrongType {
        expected: Expected,
        found: Expected,
        effect: Effect,
    },
    /// A field the object cannot do without is missing or blank: the object is left out.
    MissingField {
        field: String,
    },
    /// A value that cannot be used (a bad CIDR block, port or address, an unknown status).
    BadValue {
        value: String,
        effect: Effect,
    },
    /// A list longer than the import reads: only the first `kept` of `total` are read.
    Capped {
        kept: usize,
        total: usize,
    },
    /// The file holds no objects.
    EmptyOutput,
    /// The output has a `NextToken`: it is one page, and the objects of the others are missing.
    Paginated,
    /// An object met a second time (in this file or another); the later copy is ignored.
    Duplicate {
        id: String,
    },

    // ----- not modelled -----
    NotModelled {
        thing: Thing,
        id: String,
    },
    Ipv6 {
        value: String,
        place: Ipv6Place,
    },
    /// A rule for a protocol other than TCP and UDP (ICMP, ESP…): left out.
    Protocol {
        protocol: String,
    },
    /// A route whose target Spacetrace does not model: kept, as a gateway route.
    RouteTarget {
        destination: String,
        target: String,
        thing: Thing,
    },
    /// A route to a prefix list whose entries the files do not give: left out.
    PrefixListRoute {
        prefix_list: String,
    },
    SecretLeftOut {
        secret: Secret,
    },
    /// Public addresses of a host: Spacetrace models only the private one.
    PublicAddress {
        host: String,
        address: String,
    },
    /// Further network interfaces or private addresses of a host: only the primary private
    /// address is modelled.
    ExtraAddresses {
        host: String,
        addresses: Vec<String>,
    },
    /// Heroku's private addresses of a process type's dynos: the document cannot hold them (the
    /// engine assigns dyno addresses from the space's dyno subnets).
    DynoAddresses {
        app: String,
        process: String,
        addresses: Vec<String>,
    },

    // ----- choices the import made -----
    /// A peering status read as one the document knows.
    StatusRead {
        id: String,
        status: String,
        read_as: PeeringStatus,
    },
    /// Heroku and AWS give a peering different statuses; AWS's is used.
    StatusConflict {
        id: String,
        heroku: String,
        aws: String,
    },
    /// Heroku names a VPC for this peering that is neither side of AWS's peering of that ID.
    PeeringVpcMismatch {
        id: String,
        heroku_vpc: String,
        aws_vpcs: Vec<String>,
    },
    /// AWS marks the route a blackhole (its target is gone): the route drops traffic.
    BlackholeRoute {
        destination: String,
        target: String,
    },
    /// An instance that is not running: `kept` or left out.
    InstanceState {
        host: String,
        state: String,
        kept: bool,
    },
    /// A host's listening ports, taken from what its security groups admit inbound (AWS does not
    /// say what listens).
    PortsInferred {
        host: String,
        ports: Vec<String>,
    },
    /// No port could be taken from the host's security groups: it is a source only.
    NoPorts {
        host: String,
    },
    /// The space's dyno subnets, taken from the dynos' private addresses.
    DynoSubnetsInferred {
        space: String,
        subnets: Vec<String>,
    },
    /// A Heroku file names no space, and the import could not tell which: it was given to this one.
    SpaceGuessed {
        space: String,
    },
    /// No `spaces:info` for this space: it was created with the defaults.
    SpaceCreated {
        space: String,
    },
    /// The space is not `allocated`.
    SpaceState {
        space: String,
        state: String,
    },
    /// A VPC whose CIDR block no file gives: it is left out with everything in it.
    VpcWithoutCidr {
        vpc: String,
    },
    /// An object of a VPC that is left out or unknown: left out too.
    OutsideKnownVpc {
        id: String,
        vpc: String,
    },
    /// A host whose subnet no file describes: left out.
    UnknownSubnet {
        host: String,
        subnet: String,
    },
    /// Subnets of this VPC have no route table: no file gives one for them, nor a main one.
    NoRouteTable {
        vpc: String,
    },
    /// An object's ID was taken by another; it was given a new one.
    IdRenamed {
        from: String,
        to: String,
    },
    /// An app known only by its ID (add `apps:info --json`).
    AppNameUnknown {
        id: String,
    },
    /// The app is in maintenance mode, which Spacetrace does not model.
    AppMaintenance {
        app: String,
    },
    /// A VPN connection whose status is not active: read as down.
    VpnStatus {
        vpn: String,
        status: String,
    },
    /// Trusted IP rules not applied yet: they are read as if they were.
    TrustedIpsNotApplied,
    /// An outbound IP source that is a range, not one address: left out.
    OutboundRange {
        source: String,
    },
    /// A VPC with several NAT gateways: its public egress address is the first one's.
    SeveralNatGateways {
        vpc: String,
        used: String,
    },
    /// A prefix list given without its entries: it matches nothing.
    PrefixListWithoutEntries {
        id: String,
    },
    /// The import stopped recording warnings after [`MAX_WARNINGS`]; this many more were met.
    WarningsCapped {
        more: usize,
    },
}

/// Warnings collected so far, at most [`MAX_WARNINGS`].
#[derive(Debug, Default)]
pub struct Warnings {
    list: Vec<ImportWarning>,
    dropped: usize,
}

impl Warnings {
    pub fn push(&mut self, w: ImportWarning) {
        if self.list.len() < MAX_WARNINGS {
            self.list.push(w);
        } else {
            self.dropped += 1;
        }
    }

    pub fn into_vec(mut self) -> Vec<ImportWarning> {
        if self.dropped > 0 {
            self.list.push(ImportWarning {
                file: String::new(),
                path: String::new(),
                what: What::WarningsCapped { more: self.dropped },
            });
        }
        self.list
    }
}
