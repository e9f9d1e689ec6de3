//! The scenario document, versions 1 and 2: what a person builds, as saved in JSON.
//!
//! Version 2 adds prefix lists ([`Document::prefix_lists`]), security group rules that name a
//! security group or a prefix list, a VPC's main route table and blackhole routes, and changes one
//! default: a security group given no `outbound` list allows all outbound traffic, as AWS creates
//! it. A version 1 document means what it always meant ([`Document::upgraded`] rewrites one as
//! version 2 with the same meaning).
//!
//! The document is tolerant: missing fields take defaults, addresses and port ranges are kept as
//! the text people typed, references are plain IDs, and fields this version does not know are kept
//! (in `extra`) so that they survive a round trip. [`crate::check`] turns a document into a
//! validated [`crate::model::Model`] plus diagnostics. See `docs/scenario-format.md`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::diagnostics::Diagnostic;

/// The document version this engine writes, and the newest it reads.
pub const CURRENT_VERSION: u32 = 2;

/// The oldest document version this engine reads.
pub const FIRST_VERSION: u32 = 1;

/// A route target that drops the traffic (a blackhole route).
pub const BLACKHOLE: &str = "blackhole";

/// Keyword values (`"tcp"`, `"active"`, …) are read whatever their case (`"TCP"`, `"Udp"`) and
/// written in lower case.
macro_rules! keywords {
    ($($ty:ident { $($word:literal => $variant:ident),+ $(,)? })+) => {$(
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                const WORDS: &[&str] = &[$($word),+];
                let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
                $(if text.eq_ignore_ascii_case($word) {
                    return Ok($ty::$variant);
                })+
                Err(serde::de::Error::unknown_variant(&text, WORDS))
            }
        }
    )+};
}

keywords! {
    Protocol { "tcp" => Tcp, "udp" => Udp }
    Generation { "cedar" => Cedar, "fir" => Fir }
    AddonKind { "postgres" => Postgres, "kafka" => Kafka, "redis" => Redis }
    RuleProtocol { "tcp" => Tcp, "udp" => Udp, "all" => All }
    Action { "allow" => Allow, "deny" => Deny }
    PeeringStatus { "pending-acceptance" => PendingAcceptance, "active" => Active, "deleted" => Deleted }
    TunnelStatus { "up" => Up, "down" => Down }
    Verdict { "connected" => Connected, "blocked" => Blocked }
}

/// Fields a version of this engine does not know, kept as they were.
pub type Extra = BTreeMap<String, Value>;

/// A whole scenario.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Document {
    /// The format version; absent means 1 (with a warning).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub internet_clients: Vec<InternetClient>,
    pub external_services: Vec<ExternalService>,
    pub common_runtime_apps: Vec<App>,
    pub spaces: Vec<Space>,
    pub vpcs: Vec<Vpc>,
    /// Managed prefix lists (version 2): named sets of CIDR blocks that security group rules name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub prefix_lists: Vec<PrefixList>,
    pub peerings: Vec<Peering>,
    /// Peerings between two VPCs (networks peered to a VPC but not to the space).
    pub vpc_peerings: Vec<VpcPeering>,
    pub remote_networks: Vec<RemoteNetwork>,
    pub vpns: Vec<Vpn>,
    pub questions: Vec<Question>,
    /// Configuration expectations (graded labs): diagnostics the document must show, citing a
    /// rule, on an object. Written only when not empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub expect_diagnostics: Vec<DiagnosticExpectation>,
    /// Where the app draws the regions that are not objects of their own.
    #[serde(skip_serializing_if = "Layout::is_empty")]
    pub layout: Layout,
    #[serde(flatten)]
    pub extra: Extra,
    /// What the reader ([`crate::check::parse_document`]) left out because it did not have the
    /// shape the format gives it, as error diagnostics that name it. Never written: a document
    /// written back holds what was read.
    #[serde(skip)]
    pub left_out: Vec<Diagnostic>,
}

/// Canvas positions of the Internet and Common Runtime regions. Carried for the app.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Layout {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub internet: Option<Position>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub common_runtime: Option<Position>,
}

impl Document {
    /// Every app: the Common Runtime's, then each space's, in document order.
    pub fn apps(&self) -> impl Iterator<Item = &App> {
        self.common_runtime_apps.iter().chain(self.spaces.iter().flat_map(|s| s.apps.iter()))
    }

    /// The version the document is read as: absent is 1.
    pub fn format_version(&self) -> u32 {
        self.version.unwrap_or(FIRST_VERSION)
    }

    /// Whether a security group with no `outbound` list allows all outbound traffic (version 2
    /// on, as AWS creates a group) or nothing (version 1).
    pub fn omitted_outbound_allows_all(&self) -> bool {
        self.format_version() >= 2
    }

    /// The document in the current version, meaning the same: a version 1 document's security
    /// groups with no `outbound` list get an explicit empty one (version 1 read that as allowing
    /// nothing out), and the version becomes [`CURRENT_VERSION`]. A document of another version
    /// is returned as it is.
    pub fn upgraded(&self) -> Document {
        let mut doc = self.clone();
        if self.format_version() == FIRST_VERSION {
            for sg in doc.vpcs.iter_mut().flat_map(|v| v.security_groups.iter_mut()) {
                sg.outbound.get_or_insert_with(Vec::new);
            }
            doc.version = Some(CURRENT_VERSION);
        }
        doc
    }
}

impl Layout {
    pub fn is_empty(&self) -> bool {
        self.internet.is_none() && self.common_runtime.is_none()
    }
}

/// Where an object sits on the canvas. Carried for the app; the engine ignores it.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Position {
    pub x: f64,
    pub y: f64,
}

/// A client on the internet: an office, a CDN, a partner, anyone.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct InternetClient {
    pub id: String,
    pub name: String,
    /// A public address or range, like `203.0.113.7/32` or `0.0.0.0/0`.
    pub cidr: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A service on the internet, optionally admitting only some source addresses.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ExternalService {
    pub id: String,
    pub name: String,
    pub hostname: String,
    pub ports: Vec<Listen>,
    /// Source ranges admitted; `None` admits everyone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowlist: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Transport protocol of a question or a listening port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    #[default]
    Tcp,
    Udp,
}

/// A port something listens on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Listen {
    pub protocol: Protocol,
    pub port: u16,
}

/// An app, in the Common Runtime or in a space.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct App {
    pub id: String,
    /// The app name; its default hostname is `<name>.herokuapp.com`.
    pub name: String,
    /// Internal Routing, chosen when the app is created (Cedar space apps only).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub internal_routing: bool,
    /// The value of `$PORT` for web dynos (the platform assigns it; 5000 when absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub web_port: Option<u16>,
    pub process_types: Vec<ProcessType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A process type (`web`, `worker`, …) scaled to some number of dynos.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ProcessType {
    pub name: String,
    pub dynos: u32,
    /// Ports the process listens on besides `$PORT` (which `web` always listens on).
    pub ports: Vec<Listen>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Private Space generation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Generation {
    #[default]
    Cedar,
    Fir,
}

/// A Private Space.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Space {
    pub id: String,
    pub name: String,
    pub generation: Generation,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub shield: bool,
    pub region: String,
    /// The space CIDR; `10.0.0.0/16` when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cidr: Option<String>,
    /// The /20 subnets dynos get addresses from; two /20s of the space CIDR when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dyno_subnets: Option<Vec<String>>,
    /// Ranges reserved besides the space CIDR; `10.1.0.0/16` and `172.17.0.0/16` when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unavailable_cidrs: Option<Vec<String>>,
    /// Ranges admitted to web processes; `0.0.0.0/0` when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trusted_ip_ranges: Option<Vec<String>>,
    /// The space's stable outbound addresses.
    pub outbound_ips: Vec<String>,
    pub apps: Vec<App>,
    pub addons: Vec<Addon>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Kind of data add-on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AddonKind {
    #[default]
    Postgres,
    Kafka,
    Redis,
}

impl AddonKind {
    pub fn default_port(self) -> u16 {
        match self {
            Self::Postgres => 5432,
            Self::Kafka => 9096,
            Self::Redis => 6379,
        }
    }
}

/// A data add-on in a space.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Addon {
    pub id: String,
    pub name: String,
    pub kind: AddonKind,
    /// The port it listens on; the kind's usual port when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// An AWS VPC.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Vpc {
    pub id: String,
    pub name: String,
    pub region: String,
    pub primary_cidr: String,
    pub secondary_cidrs: Vec<String>,
    /// The public address its hosts reach the internet from (a NAT or internet gateway), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_egress_ip: Option<String>,
    pub route_tables: Vec<RouteTable>,
    /// The main route table's ID (version 2): the table of every subnet that names none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub main_route_table: Option<String>,
    pub security_groups: Vec<SecurityGroup>,
    pub network_acls: Vec<NetworkAcl>,
    pub subnets: Vec<Subnet>,
    pub hosts: Vec<Host>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RouteTable {
    pub id: String,
    pub name: String,
    pub routes: Vec<Route>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A route: traffic to `destination` goes to `target` (a peering's ID, `local`, a gateway ID, or
/// [`BLACKHOLE`], which drops it).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Route {
    pub destination: String,
    pub target: String,
}

/// Protocol of a security group or ACL rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleProtocol {
    #[default]
    Tcp,
    Udp,
    All,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SecurityGroup {
    pub id: String,
    pub name: String,
    pub inbound: Vec<SgRule>,
    /// Outbound rules. Absent: in version 2, all outbound traffic is allowed (the rule AWS gives a
    /// new group); in version 1, nothing is. An empty list allows nothing out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outbound: Option<Vec<SgRule>>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl SecurityGroup {
    /// The rule AWS gives a security group created without outbound rules: all traffic to
    /// `0.0.0.0/0`.
    pub fn default_outbound_rule() -> SgRule {
        SgRule { protocol: RuleProtocol::All, ports: "all".into(), cidr: "0.0.0.0/0".into() }
    }
}

/// A security group rule: allows traffic on `ports` (`"5432"`, `"1024-65535"` or `"all"`) from or
/// to `cidr`: a CIDR block, a security group's ID (`sg-…`: its members) or a prefix list's ID
/// (`pl-…`: its entries).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SgRule {
    pub protocol: RuleProtocol,
    pub ports: String,
    pub cidr: String,
}

/// A managed prefix list: a named set of CIDR blocks that security group rules name by ID.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PrefixList {
    /// The ID rules name it by, like `pl-0a1b2c3d`.
    pub id: String,
    pub name: String,
    pub entries: Vec<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct NetworkAcl {
    pub id: String,
    pub name: String,
    pub inbound: Vec<AclRule>,
    pub outbound: Vec<AclRule>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    #[default]
    Allow,
    Deny,
}

/// A numbered network ACL rule; the lowest matching number decides.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AclRule {
    pub number: u32,
    pub protocol: RuleProtocol,
    pub ports: String,
    pub cidr: String,
    pub action: Action,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Subnet {
    pub id: String,
    pub name: String,
    pub cidr: String,
    /// The route table's ID; blank: the VPC's main route table, if it names one.
    pub route_table: String,
    /// The network ACL's ID; none means the default ACL, which allows everything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network_acl: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A host (an EC2 instance, a load balancer…) in a VPC subnet.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Host {
    pub id: String,
    pub name: String,
    pub subnet: String,
    pub address: String,
    pub security_groups: Vec<String>,
    pub ports: Vec<Listen>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PeeringStatus {
    #[default]
    PendingAcceptance,
    Active,
    Deleted,
}

/// A peering connection between a space and a VPC.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Peering {
    /// The pcx ID, like `pcx-111aaa111`.
    pub id: String,
    pub space: String,
    pub vpc: String,
    pub status: PeeringStatus,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A peering between two VPCs, neither of them a space.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct VpcPeering {
    pub id: String,
    pub vpc: String,
    pub peer_vpc: String,
    pub status: PeeringStatus,
    #[serde(flatten)]
    pub extra: Extra,
}

/// An on-premises network reached by VPN.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RemoteNetwork {
    pub id: String,
    pub name: String,
    pub cidrs: Vec<String>,
    /// The public address its hosts reach the internet from, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_egress_ip: Option<String>,
    pub hosts: Vec<RemoteHost>,
    /// A firewall in front of the hosts; none means traffic from the tunnel is not filtered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub firewall: Option<Firewall>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RemoteHost {
    pub id: String,
    pub name: String,
    pub address: String,
    pub ports: Vec<Listen>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A remote firewall: inbound rules in order, first match wins, then deny.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Firewall {
    pub id: String,
    pub name: String,
    pub inbound: Vec<FirewallRule>,
}

impl Firewall {
    /// The firewall's ID: the one given, or `<remote>-firewall` when none is.
    pub fn id_in(&self, remote: &str) -> String {
        if self.id.is_empty() { format!("{remote}-firewall") } else { self.id.clone() }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct FirewallRule {
    pub protocol: RuleProtocol,
    pub ports: String,
    pub cidr: String,
    pub action: Action,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TunnelStatus {
    #[default]
    Up,
    Down,
}

/// A VPN connection between a space and a remote network.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Vpn {
    pub id: String,
    pub name: String,
    pub space: String,
    pub remote_network: String,
    pub customer_gateway: String,
    pub routable_cidrs: Vec<String>,
    pub tunnel_status: TunnelStatus,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Where a question starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum From {
    /// A dyno of an app's process type.
    Dyno { app: String, process: String },
    /// A VPC host, by ID.
    Host(String),
    /// A remote network host, by ID.
    RemoteHost(String),
    /// An internet client, by ID.
    Client(String),
}

/// What a question asks to reach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum To {
    /// An app's default hostname (`<app>.herokuapp.com`), by app ID.
    Hostname(String),
    /// A process type by DNS service discovery (`<process>.<app>.app.localspace`).
    Discovery { app: String, process: String },
    /// A dyno's private address.
    DynoAddress { app: String, process: String },
    /// Another process inside the same dyno (`localhost`).
    Localhost,
    /// A data add-on, by ID.
    Addon(String),
    /// A VPC host, by ID.
    Host(String),
    /// A remote network host, by ID.
    RemoteHost(String),
    /// An external service, by ID.
    External(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Connected,
    Blocked,
}

/// What a saved question is expected to answer (for graded labs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expectation {
    pub verdict: Verdict,
    /// Rule IDs the answer must cite.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
}

/// A configuration expectation (for graded labs): the document must show a diagnostic that cites
/// `rule` and, when `object` is given, concerns that object (it is where the diagnostic is, or one
/// of the objects involved).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DiagnosticExpectation {
    /// A rule ID, like `PEER-LIMIT`.
    pub rule: String,
    /// An object's ID, like `pcx-666`; empty: anywhere in the document.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub object: String,
}

/// A saved question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    #[serde(default)]
    pub id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    pub from: From,
    pub to: To,
    #[serde(default)]
    pub protocol: Protocol,
    /// The port; absent is "no port was given" (an error, except to `localhost`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect: Option<Expectation>,
}

/// `value` as indented JSON text, exactly as `serde_json::to_string_pretty` writes it.
///
/// It is written compactly, then indented: the app writes documents compactly too (saves, share
/// links), so each type's serialisation is compiled once instead of once per layout, which keeps
/// the app's WebAssembly smaller (ARCHITECTURE.md, "Bundle size").
pub fn to_pretty_json<T: Serialize>(value: &T) -> String {
    indent(&serde_json::to_string(value).unwrap_or_default())
}

/// Indent compact JSON text (no white space outside strings) two spaces a level, one member a
/// line, `{}` and `[]` kept on one line.
fn indent(compact: &str) -> String {
    let mut out = String::with_capacity(compact.len() * 2);
    let mut depth = 0usize;
    let mut chars = compact.chars().peekable();
    let new_line = |out: &mut String, depth: usize| {
        out.push('\n');
        out.extend(std::iter::repeat_n("  ", depth));
    };
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                // A string, copied to its closing quote; `\"` and `\\` do not close it.
                out.push(c);
                while let Some(c) = chars.next() {
                    out.push(c);
                    match c {
                        '\\' => out.extend(chars.next()),
                        '"' => break,
                        _ => {}
                    }
                }
            }
            '{' | '[' => {
                out.push(c);
                let close = if c == '{' { '}' } else { ']' };
                if chars.peek() == Some(&close) {
                    out.extend(chars.next());
                } else {
                    depth += 1;
                    new_line(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                new_line(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                new_line(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::to_pretty_json;

    #[test]
    fn indents_the_examples_as_serde_json_does() {
        for text in [include_str!("../../../scenarios/default.json"), include_str!("../../../scenarios/aws.json")] {
            let doc = crate::parse_document(text).unwrap();
            assert_eq!(to_pretty_json(&doc), serde_json::to_string_pretty(&doc).unwrap());
        }
    }
}
