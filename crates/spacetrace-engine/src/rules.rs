//! The platform rules Spacetrace models, by stable ID (see `docs/platform-rules.md`, a copy of
//! the team's shared rules file). Every trace step and every configuration diagnostic cites one.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The source documents the rules were distilled from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Source {
    /// Dev Center: Networking.
    S000,
    /// Dev Center: Heroku Private Spaces.
    S001,
    /// Blog: New Dyno Networking Model.
    S002,
    /// Dev Center: Internal Routing.
    S003,
    /// Dev Center: Private Space Peering.
    S004,
}

impl Source {
    pub fn title(self) -> &'static str {
        match self {
            Self::S000 => "Networking (Heroku Dev Center)",
            Self::S001 => "Heroku Private Spaces (Heroku Dev Center)",
            Self::S002 => "New Dyno Networking Model (Heroku blog)",
            Self::S003 => "Internal Routing (Heroku Dev Center)",
            Self::S004 => "Private Space Peering (Heroku Dev Center)",
        }
    }

    pub fn url(self) -> &'static str {
        match self {
            Self::S000 => "https://devcenter.heroku.com/articles/networking",
            Self::S001 => "https://devcenter.heroku.com/articles/private-spaces",
            Self::S002 => "https://blog.heroku.com/new-dyno-networking-model",
            Self::S003 => "https://devcenter.heroku.com/articles/internal-routing",
            Self::S004 => "https://devcenter.heroku.com/articles/private-space-peering",
        }
    }
}

/// What a rule rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Stated in one of the source documents.
    Seed,
    /// Public platform documentation beyond the source documents.
    PlatformFact,
    /// A modelling choice; the product labels it as an assumption.
    Assumption,
}

/// A rule's catalogue entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleInfo {
    pub id: RuleId,
    pub summary: &'static str,
    pub sources: &'static [Source],
    pub basis: Basis,
}

/// The catalogue: one row per rule, in the order of the rules file, giving the variant, the ID,
/// the sources, the basis and the summary. The enum [`RuleId`], [`RuleId::ALL`], [`RuleId::as_str`]
/// and [`CATALOGUE`] are all generated from these rows, so they cannot drift apart.
macro_rules! catalogue {
    ($($variant:ident = $id:literal, [$($source:ident),*], $basis:ident, $summary:literal;)*) => {
        /// A rule's stable ID, written like `PEER-ROUTE`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum RuleId {
            $($variant,)*
        }

        /// How many rules the catalogue holds.
        const RULE_COUNT: usize = [$($id),*].len();

        impl RuleId {
            pub const ALL: [RuleId; RULE_COUNT] = [$(Self::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $id,)*
                }
            }

            /// The rule with this ID, if there is one.
            fn parse(s: &str) -> Option<RuleId> {
                match s {
                    $($id => Some(Self::$variant),)*
                    _ => None,
                }
            }
        }

        /// Every rule, in the order of the rules file.
        pub static CATALOGUE: [RuleInfo; RULE_COUNT] = [
            $(RuleInfo { id: RuleId::$variant, summary: $summary, sources: &[$(Source::$source),*], basis: Basis::$basis },)*
        ];
    };
}

catalogue! {
    CrIsolation = "CR-ISOLATION", [S000], Seed,
        "Dynos in the Common Runtime are firewalled off from one another, even dynos of the same app.";
    CrInboundWebOnly = "CR-INBOUND-WEB-ONLY", [S000], Seed,
        "The only traffic that reaches a dyno is web requests forwarded by the router to web processes listening on $PORT. Other process types receive nothing from outside.";
    RouterPorts = "ROUTER-PORTS", [], PlatformFact,
        "The router accepts HTTP on 80 and HTTPS on 443 at the app's public hostname (<app>.herokuapp.com or a custom domain) and forwards to $PORT; other ports on the hostname are closed.";
    DynoLocal = "DYNO-LOCAL", [S000, S002], Seed,
        "Processes inside one dyno can bind any address and port and talk to each other over TCP.";
    DynoInterface = "DYNO-INTERFACE", [S000, S002], Seed,
        "Each dyno has its own virtual interface; a Common Runtime dyno's eth0 is a /30 inside 172.16.0.0/12; dynos share neither addresses nor subnets and cannot observe each other's TCP state. Any port may be bound; only $PORT is reachable from outside.";
    CrOutbound = "CR-OUTBOUND", [S000], Seed,
        "Any Common Runtime dyno can open outbound connections to the internet; the originating address cannot be controlled, so an allowlist on the destination cannot admit it reliably.";
    PsGenerations = "PS-GENERATIONS", [S001], Seed,
        "A space is Cedar or Fir. Shield spaces exist only for Cedar.";
    PsPrivateNetwork = "PS-PRIVATE-NETWORK", [S000], Seed,
        "The dynos of all apps in a space are connected by a private network; any process can listen on a port of its choice and receive connections from other dynos in the space.";
    PsRouter = "PS-ROUTER", [S000, S001], Seed,
        "From outside, a space app's web processes receive web requests through the space's router on $PORT.";
    PsNatOutbound = "PS-NAT-OUTBOUND", [S000, S001], Seed,
        "Outbound connections to the internet leave through a NAT gateway and originate from the space's small, stable set of outbound IPs, which destinations can allowlist.";
    PsDataAddons = "PS-DATA-ADDONS", [S000], Seed,
        "Data add-ons installed in the space are on the same private network and reachable from the space's dynos.";
    PsDnsDiscovery = "PS-DNS-DISCOVERY", [S001, S003], Seed,
        "In Cedar, dynos find other dynos of the space by DNS service discovery (<process>.<app>.app.localspace); it gives a direct connection with no routing stack (no request logging, no TLS termination). Not available in Fir.";
    PsCidrs = "PS-CIDRS", [S004, S003], Seed,
        "The space's CIDR defaults to 10.0.0.0/16 and may be chosen at creation; 10.1.0.0/16 and 172.17.0.0/16 are also reserved by default. Dynos get addresses from /20 subnets of the space CIDR (for example 10.0.128.0/20, 10.0.144.0/20); internal routing endpoints are in the /16 but outside the dyno /20s.";
    PsNoSpaceToSpace = "PS-NO-SPACE-TO-SPACE", [], Assumption,
        "Two spaces have no private path to each other; one reaches the other only over the internet, subject to its trusted IP ranges.";
    TipFilter = "TIP-FILTER", [S000, S001, S003], Seed,
        "In Cedar, only clients whose address is in one of the space's trusted IP ranges can reach the web processes of the space's apps; the ranges apply to every app in the space alike, and only to web processes.";
    TipDefault = "TIP-DEFAULT", [], PlatformFact,
        "A new space trusts 0.0.0.0/0.";
    TipLimit = "TIP-LIMIT", [], PlatformFact,
        "At most 20 ranges per space.";
    TipFir = "TIP-FIR", [S000], Seed,
        "Fir spaces cannot customise trusted IP ranges; they admit 0.0.0.0/0 and ::/0.";
    IrCedarOnly = "IR-CEDAR-ONLY", [S000, S003], Seed,
        "Internal Routing exists only for Cedar space apps.";
    IrAtCreation = "IR-AT-CREATION", [S003], Seed,
        "It is chosen when the app is created and cannot be enabled on an existing app.";
    IrNoExternal = "IR-NO-EXTERNAL", [S003], Seed,
        "An internally routed app's web process receives no external web traffic; it accepts web traffic only from other apps in the same space and from software in VPC-peered or VPN-connected networks.";
    IrPrivateDns = "IR-PRIVATE-DNS", [S003], Seed,
        "Its herokuapp.com hostname and custom domains resolve to private addresses in the space's RFC 1918 CIDR.";
    IrNeedsWebDyno = "IR-NEEDS-WEB-DYNO", [S003], Seed,
        "The default domain resolves only while at least one web dyno runs.";
    IrPeerRoute16 = "IR-PEER-ROUTE-16", [S003], Seed,
        "To reach an internally routed app from a peered VPC, the VPC's route table must route the whole space /16: the endpoint is not inside the dyno /20s.";
    PeerCedarOnly = "PEER-CEDAR-ONLY", [S000, S004], Seed,
        "Peering is unavailable for Fir spaces.";
    PeerRfc1918 = "PEER-RFC1918", [S004], Seed,
        "The VPC's CIDR must be in 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16.";
    PeerNoOverlap = "PEER-NO-OVERLAP", [S004], Seed,
        "The VPC's CIDR must not overlap the space's CIDR nor its unavailable CIDRs (defaults 10.0.0.0/16, 10.1.0.0/16, 172.17.0.0/16).";
    PeerAccepted = "PEER-ACCEPTED", [S004], Seed,
        "A peering carries traffic only once accepted (active); a pending-acceptance or destroyed one carries none.";
    PeerRoute = "PEER-ROUTE", [S004], Seed,
        "The VPC route table of the subnet involved must route the space CIDR (the whole /16, recommended) or the specific dyno /20s through the peering connection; without it neither requests nor replies find their way.";
    PeerSecurityGroup = "PEER-SECURITY-GROUP", [S004], Seed,
        "The VPC resource's security group must allow inbound traffic from the dyno ranges on the port. Security groups are stateful.";
    PeerNacl = "PEER-NACL", [S004], Seed,
        "Where a network ACL restricts the subnet, it must allow the inbound traffic from the space; ACLs are stateless, so the replies (ephemeral ports 1024-65535) need an outbound allow as well. Rules are evaluated in number order, first match wins, and an implicit deny ends the list.";
    PeerPublicHostname = "PEER-PUBLIC-HOSTNAME", [S004], Seed,
        "Connections from the VPC to a space app's herokuapp.com or custom domain go over the public internet, not the peering (so trusted IPs apply to the VPC's public egress address), unless the app uses Internal Routing.";
    PeerPrimaryCidrOnly = "PEER-PRIMARY-CIDR-ONLY", [S004], Seed,
        "Only addresses in the VPC's primary CIDR are reachable from the space; secondary CIDR blocks are not.";
    PeerDynoAddress = "PEER-DYNO-ADDRESS", [S004], Seed,
        "From the VPC, dynos are reached by address, which must be known in advance; dynos have no public DNS records (unless Internal Routing).";
    PeerNoDataAddons = "PEER-NO-DATA-ADDONS", [S004], Seed,
        "Software in the VPC cannot connect directly to the space's data services (Postgres, Kafka, Redis).";
    PeerNotTransitive = "PEER-NOT-TRANSITIVE", [S004], Seed,
        "Dynos cannot reach other networks peered to the VPC; a proxy or load balancer inside the VPC is needed.";
    PeerLimit = "PEER-LIMIT", [S004], Seed,
        "At most 5 VPCs peered to one space.";
    VpnCedarOnly = "VPN-CEDAR-ONLY", [S000, S001], Seed,
        "VPN connections exist for Cedar Private and Shield spaces; unavailable for Fir.";
    VpnIpsec = "VPN-IPSEC", [S001], Seed,
        "An IPsec connection over the public internet, all traffic encrypted; dynos can reach hosts on the remote network and those hosts can reach dynos.";
    VpnRoutableCidrs = "VPN-ROUTABLE-CIDRS", [], PlatformFact,
        "Only remote addresses inside the connection's routable CIDRs go through the tunnel.";
    VpnTunnelUp = "VPN-TUNNEL-UP", [], Assumption,
        "A connection whose tunnels are down carries nothing.";
    VpnInternalRouting = "VPN-INTERNAL-ROUTING", [S003], Seed,
        "VPN-connected networks may reach internally routed apps.";
    VpnNoOverlap = "VPN-NO-OVERLAP", [], Assumption,
        "Routable CIDRs overlapping the space CIDR cannot be routed.";
    FirUnavailable = "FIR-UNAVAILABLE", [S000], Seed,
        "Custom trusted IPs, Internal Routing, VPC peering and VPN connections are unavailable for Fir; the builder must refuse them with this rule's explanation.";
    FirInboundViaPublicDns = "FIR-INBOUND-VIA-PUBLIC-DNS", [S000], Seed,
        "Services in peered or VPN-connected networks cannot reach Fir dynos directly; they connect over the internet through the app's public DNS name.";
}

impl RuleId {
    pub fn info(self) -> &'static RuleInfo {
        // CATALOGUE is generated from the same rows as the enum, in the same order.
        &CATALOGUE[self as usize]
    }

    pub fn is_assumption(self) -> bool {
        self.info().basis == Basis::Assumption
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A text that is not a known rule ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRule(pub String);

impl FromStr for RuleId {
    type Err = UnknownRule;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s).ok_or_else(|| UnknownRule(s.to_owned()))
    }
}

impl Serialize for RuleId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RuleId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(|UnknownRule(s)| serde::de::Error::custom(format!("unknown rule ID \u{201c}{s}\u{201d}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_is_in_enum_order_and_ids_round_trip() {
        for (i, rule) in RuleId::ALL.into_iter().enumerate() {
            assert_eq!(rule as usize, i);
            assert_eq!(CATALOGUE[i].id, rule);
            assert_eq!(rule.as_str().parse::<RuleId>(), Ok(rule));
        }
        assert!("PEER-NOPE".parse::<RuleId>().is_err());
    }

    #[test]
    fn ids_are_unique_and_round_trip() {
        let ids: std::collections::BTreeSet<&str> = RuleId::ALL.iter().map(|r| r.as_str()).collect();
        assert_eq!(ids.len(), RuleId::ALL.len(), "two rules share an ID");
        assert_eq!(CATALOGUE.len(), RuleId::ALL.len());
        for rule in RuleId::ALL {
            let id = rule.as_str();
            assert!(id.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-'), "{id}");
            assert_eq!(RuleId::from_str(id), Ok(rule));
            assert_eq!(rule.to_string(), id);
            assert_eq!(rule.info().id, rule);
            let json = serde_json::to_string(&rule).unwrap();
            assert_eq!(json, format!("\"{id}\""));
            assert_eq!(serde_json::from_str::<RuleId>(&json).unwrap(), rule);
        }
        assert_eq!(RuleId::from_str("peer-route"), Err(UnknownRule("peer-route".into())));
    }

    /// The rule IDs in the rules file are exactly the catalogue's, in order.
    #[test]
    fn catalogue_matches_the_rules_file() {
        let file = include_str!("../../../docs/platform-rules.md");
        let ids: Vec<&str> = file
            .lines()
            .filter_map(|l| l.strip_prefix("- **")?.split_once("**:").map(|(id, _)| id))
            .filter(|id| id.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-'))
            .collect();
        let ours: Vec<&str> = RuleId::ALL.iter().map(|r| r.as_str()).collect();
        assert_eq!(ids, ours);
    }
}
