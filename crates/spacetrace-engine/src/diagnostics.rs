//! Diagnostics: structured findings about user input, never prose.

use ipnet::IpNet;
use serde::{Deserialize, Serialize};

use crate::rules::RuleId;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The input cannot be used as it is; the object or value it names is left out of the model.
    Error,
    /// The input is usable, but probably not what was meant, or the platform would refuse it.
    Warning,
}

/// What kind of thing a finding is about. Data: [`crate::render::object_kind`] says it in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    /// The document as a whole (its top-level fields).
    Document,
    InternetClient,
    ExternalService,
    App,
    ProcessType,
    Space,
    Addon,
    Vpc,
    RouteTable,
    SecurityGroup,
    NetworkAcl,
    Subnet,
    Host,
    PrefixList,
    Peering,
    VpcPeering,
    RemoteNetwork,
    RemoteHost,
    VpnConnection,
    Question,
    /// An entry of the document's `expect_diagnostics` (a configuration expectation).
    ConfigurationExpectation,
}

/// The part of a document a reader left out because it does not have the shape the format gives
/// it (see [`DiagnosticKind::Unreadable`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeftOut {
    /// The object the location names, with everything in it.
    Object,
    /// One entry of a list inside the object (a route, a rule, a port, a CIDR block …): the one
    /// the location's field names.
    Entry,
    /// The field the location names: it takes its default.
    Field,
}

/// Where in a document a finding is: the object (by ID, when it has one) and the field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    /// What kind of object.
    pub kind: ObjectKind,
    /// The object's ID, or its position (`#3`) when it has none; empty for the document.
    pub object: String,
    /// The field, as written in the document (`cidr`, `routes[2].destination`, …); empty for the whole object.
    pub field: String,
}

/// One finding. The data names what is wrong; [`crate::render`] turns it into English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub kind: DiagnosticKind,
    /// The platform rules the finding is about, if any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<RuleId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// IDs of every object involved, for selecting them in the app.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subjects: Vec<String>,
}

/// A Fir feature the platform does not offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FirFeature {
    Peering,
    Vpn,
    InternalRouting,
    TrustedIpRanges,
    Shield,
}

/// What a security group rule names besides a CIDR block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferenceKind {
    /// A security group (`sg-…`): the rule matches its members.
    SecurityGroup,
    /// A prefix list (`pl-…`): the rule matches its entries.
    PrefixList,
}

/// Why a security group rule cannot name what it names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum ReferenceProblem {
    /// Nothing in the document has this ID.
    Unknown,
    /// A security group of another VPC, not peered with this one by an active VPC peering.
    NotPeered { vpc: String },
    /// A security group of a VPC peered with this one across regions: references do not cross
    /// an inter-region peering.
    OtherRegion { vpc: String, region: String },
}

/// What kind of end a question has, for saying which pairs Spacetrace does not model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndKind {
    Dyno,
    Host,
    RemoteHost,
    Client,
    Hostname,
    Discovery,
    DynoAddress,
    Localhost,
    Addon,
    External,
}

/// What a diagnostic is about, with the values needed to explain it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum DiagnosticKind {
    /// Nothing was entered where a CIDR block was expected.
    CidrEmpty,
    /// The input is longer than any CIDR block can be.
    CidrTooLong { length: usize, max: usize },
    /// The text has no `/prefix` part.
    CidrMissingPrefix { input: String },
    /// The address part is not an IPv4 or IPv6 address.
    CidrBadAddress { input: String, address: String },
    /// The prefix length is not a number in range for the address family.
    CidrBadPrefix { input: String, prefix: String, max: u8 },
    /// The address has bits set beyond the prefix; the block is taken as `network`.
    CidrHostBitsSet { input: String, network: IpNet },
    /// Not an IP address.
    BadAddress { input: String },
    /// An IPv6 value where only IPv4 is possible.
    NotIpv4 { input: String },
    /// A port range that is not `N`, `N-M` or `all`.
    BadPortRange { input: String },
    /// Port 0 cannot be used.
    PortZero,

    /// The text is not a JSON scenario document.
    NotJson { message: String, line: usize, column: usize },
    /// The document is larger than the engine accepts.
    DocumentTooLarge { bytes: usize, max: usize },
    /// A list holds more objects than the engine accepts.
    TooMany { what: ObjectKind, count: usize, max: usize },
    /// A list inside an object holds more than Spacetrace takes in (`limits::LIMITS`): the first
    /// `max` are kept.
    TooManyIn { what: crate::limits::Collection, count: usize, max: usize },
    /// The space's dyno subnets hold `capacity` dyno addresses, fewer than its formations run:
    /// from `process` of `app` on, dynos have no address.
    DynoSubnetsFull { capacity: u64, app: String, process: String },
    /// A part of the document that does not have the shape the format gives it (a port that is
    /// text, a question that is a number, a protocol that is not one): it is left out, and the rest
    /// of the document is read. `message` is the JSON reader's own account of what was wrong.
    Unreadable { left_out: LeftOut, message: String },
    /// The document has no `version`; it is read as version 1.
    MissingVersion,
    /// A version this engine cannot read.
    UnsupportedVersion { found: u32, supported: u32 },
    /// A field this version does not know; it is kept but ignored.
    UnknownField { name: String },
    /// An object without an ID.
    MissingId,
    /// Two objects share an ID.
    DuplicateId { id: String },
    /// A name that is empty or too long.
    BadName { length: usize, max: usize },
    /// A reference to an object that does not exist (or is of another kind). `within` names the
    /// object the reference must be found in (the VPC of a subnet's route table, the app of a
    /// process type), if any; `valid` lists (the first of) the IDs it could name, `more` counts
    /// the rest.
    DanglingReference { id: String, expected: ObjectKind, within: Option<String>, valid: Vec<String>, more: usize },
    /// A process type named twice in one app.
    DuplicateProcess { name: String },
    /// A security group rule names a security group or prefix list it cannot reference; the rule
    /// is left out. `valid` lists (the first of) the IDs it could name; `more` counts the rest.
    BadRuleReference {
        reference: String,
        kind: ReferenceKind,
        problem: ReferenceProblem,
        valid: Vec<String>,
        more: usize,
    },
    /// A prefix list whose ID does not start with `pl-`: no security group rule can name it.
    UnreferenceablePrefixList { id: String },

    /// Shield spaces, Internal Routing, peering, VPN or custom trusted IPs on a Fir space.
    FirUnavailable { feature: FirFeature },
    /// Internal Routing on an app outside a space.
    InternalRoutingOutsideSpace,
    /// A dyno subnet or the space CIDR is not usable.
    DynoSubnetOutsideSpace { subnet: IpNet, space_cidr: IpNet },
    /// More trusted IP ranges than a space allows.
    TooManyTrustedRanges { count: usize, max: usize },
    /// More peerings than a space allows; the ones past the limit carry nothing.
    TooManyPeerings { count: usize, max: usize },
    /// A peered VPC's CIDR is not private.
    VpcNotPrivate { cidr: IpNet },
    /// A peered VPC's CIDR overlaps the space CIDR or one of its unavailable CIDRs.
    VpcOverlapsSpace { vpc_cidr: IpNet, space_range: IpNet },
    /// A VPN routable CIDR overlaps the space CIDR.
    VpnOverlapsSpace { routable: IpNet, space_cidr: IpNet },
    /// A space with no stable outbound IPs listed: allowlists cannot be checked.
    NoOutboundIps,
    /// A subnet outside its VPC's CIDR blocks.
    SubnetOutsideVpc { subnet: IpNet },
    /// A host address outside its subnet.
    HostOutsideSubnet { address: std::net::IpAddr, subnet: IpNet },
    /// A remote host outside its network's CIDRs.
    RemoteHostOutsideNetwork { address: std::net::IpAddr },
    /// Two ACL rules with the same number in one direction.
    DuplicateAclRuleNumber { number: u32 },

    /// A question whose two ends Spacetrace does not model (neither end on Heroku).
    QuestionOutOfScope { from: EndKind, to: EndKind },
    /// A question with no port (to anything but `localhost`).
    NoPort,
    /// `localhost` asked from something that is not a dyno.
    LocalhostNeedsDyno,
    /// A question naming a dyno (`web.3`) beyond the process's formation.
    NoSuchDyno { app: String, process: String, dyno: u32, dynos: u32 },
    /// An expectation naming a rule ID that does not exist.
    UnknownRule { rule: String },
}

impl Diagnostic {
    pub fn new(severity: Severity, kind: DiagnosticKind) -> Self {
        Self { severity, kind, rules: Vec::new(), location: None, subjects: Vec::new() }
    }

    pub fn error(kind: DiagnosticKind) -> Self {
        Self::new(Severity::Error, kind)
    }

    pub fn warning(kind: DiagnosticKind) -> Self {
        Self::new(Severity::Warning, kind)
    }

    pub fn with_rules(mut self, rules: &[RuleId]) -> Self {
        self.rules.extend_from_slice(rules);
        self
    }

    pub fn at(mut self, kind: ObjectKind, object: &str, field: impl std::fmt::Display) -> Self {
        self.location = Some(Location { kind, object: object.to_owned(), field: field.to_string() });
        if !object.is_empty() && !object.starts_with('#') && !self.subjects.iter().any(|s| s == object) {
            self.subjects.push(object.to_owned());
        }
        self
    }

    pub fn involving(mut self, ids: &[&str]) -> Self {
        for id in ids {
            if !id.is_empty() && !self.subjects.iter().any(|s| s == id) {
                self.subjects.push((*id).to_owned());
            }
        }
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}
