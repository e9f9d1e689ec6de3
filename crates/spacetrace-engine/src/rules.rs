//! The platform rules Spacetrace models, by stable ID (see `docs/platform-rules.md`, a copy of
//! the team's shared rules file). Every trace step and every configuration diagnostic cites one.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A rule's stable ID, written like `PEER-ROUTE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleId {
    CrIsolation,
    CrInboundWebOnly,
    RouterPorts,
    DynoLocal,
    DynoInterface,
    CrOutbound,
    PsGenerations,
    PsPrivateNetwork,
    PsRouter,
    PsNatOutbound,
    PsDataAddons,
    PsDnsDiscovery,
    PsCidrs,
    PsNoSpaceToSpace,
    TipFilter,
    TipDefault,
    TipLimit,
    TipFir,
    IrCedarOnly,
    IrAtCreation,
    IrNoExternal,
    IrPrivateDns,
    IrNeedsWebDyno,
    IrPeerRoute16,
    PeerCedarOnly,
    PeerRfc1918,
    PeerNoOverlap,
    PeerAccepted,
    PeerRoute,
    PeerSecurityGroup,
    PeerNacl,
    PeerPublicHostname,
    PeerPrimaryCidrOnly,
    PeerDynoAddress,
    PeerNoDataAddons,
    PeerNotTransitive,
    PeerLimit,
    VpnCedarOnly,
    VpnIpsec,
    VpnRoutableCidrs,
    VpnTunnelUp,
    VpnInternalRouting,
    VpnNoOverlap,
    FirUnavailable,
    FirInboundViaPublicDns,
}

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

impl RuleId {
    pub const ALL: [RuleId; 45] = [
        Self::CrIsolation,
        Self::CrInboundWebOnly,
        Self::RouterPorts,
        Self::DynoLocal,
        Self::DynoInterface,
        Self::CrOutbound,
        Self::PsGenerations,
        Self::PsPrivateNetwork,
        Self::PsRouter,
        Self::PsNatOutbound,
        Self::PsDataAddons,
        Self::PsDnsDiscovery,
        Self::PsCidrs,
        Self::PsNoSpaceToSpace,
        Self::TipFilter,
        Self::TipDefault,
        Self::TipLimit,
        Self::TipFir,
        Self::IrCedarOnly,
        Self::IrAtCreation,
        Self::IrNoExternal,
        Self::IrPrivateDns,
        Self::IrNeedsWebDyno,
        Self::IrPeerRoute16,
        Self::PeerCedarOnly,
        Self::PeerRfc1918,
        Self::PeerNoOverlap,
        Self::PeerAccepted,
        Self::PeerRoute,
        Self::PeerSecurityGroup,
        Self::PeerNacl,
        Self::PeerPublicHostname,
        Self::PeerPrimaryCidrOnly,
        Self::PeerDynoAddress,
        Self::PeerNoDataAddons,
        Self::PeerNotTransitive,
        Self::PeerLimit,
        Self::VpnCedarOnly,
        Self::VpnIpsec,
        Self::VpnRoutableCidrs,
        Self::VpnTunnelUp,
        Self::VpnInternalRouting,
        Self::VpnNoOverlap,
        Self::FirUnavailable,
        Self::FirInboundViaPublicDns,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::CrIsolation => "CR-ISOLATION",
            Self::CrInboundWebOnly => "CR-INBOUND-WEB-ONLY",
            Self::RouterPorts => "ROUTER-PORTS",
            Self::DynoLocal => "DYNO-LOCAL",
            Self::DynoInterface => "DYNO-INTERFACE",
            Self::CrOutbound => "CR-OUTBOUND",
            Self::PsGenerations => "PS-GENERATIONS",
            Self::PsPrivateNetwork => "PS-PRIVATE-NETWORK",
            Self::PsRouter => "PS-ROUTER",
            Self::PsNatOutbound => "PS-NAT-OUTBOUND",
            Self::PsDataAddons => "PS-DATA-ADDONS",
            Self::PsDnsDiscovery => "PS-DNS-DISCOVERY",
            Self::PsCidrs => "PS-CIDRS",
            Self::PsNoSpaceToSpace => "PS-NO-SPACE-TO-SPACE",
            Self::TipFilter => "TIP-FILTER",
            Self::TipDefault => "TIP-DEFAULT",
            Self::TipLimit => "TIP-LIMIT",
            Self::TipFir => "TIP-FIR",
            Self::IrCedarOnly => "IR-CEDAR-ONLY",
            Self::IrAtCreation => "IR-AT-CREATION",
            Self::IrNoExternal => "IR-NO-EXTERNAL",
            Self::IrPrivateDns => "IR-PRIVATE-DNS",
            Self::IrNeedsWebDyno => "IR-NEEDS-WEB-DYNO",
            Self::IrPeerRoute16 => "IR-PEER-ROUTE-16",
            Self::PeerCedarOnly => "PEER-CEDAR-ONLY",
            Self::PeerRfc1918 => "PEER-RFC1918",
            Self::PeerNoOverlap => "PEER-NO-OVERLAP",
            Self::PeerAccepted => "PEER-ACCEPTED",
            Self::PeerRoute => "PEER-ROUTE",
            Self::PeerSecurityGroup => "PEER-SECURITY-GROUP",
            Self::PeerNacl => "PEER-NACL",
            Self::PeerPublicHostname => "PEER-PUBLIC-HOSTNAME",
            Self::PeerPrimaryCidrOnly => "PEER-PRIMARY-CIDR-ONLY",
            Self::PeerDynoAddress => "PEER-DYNO-ADDRESS",
            Self::PeerNoDataAddons => "PEER-NO-DATA-ADDONS",
            Self::PeerNotTransitive => "PEER-NOT-TRANSITIVE",
            Self::PeerLimit => "PEER-LIMIT",
            Self::VpnCedarOnly => "VPN-CEDAR-ONLY",
            Self::VpnIpsec => "VPN-IPSEC",
            Self::VpnRoutableCidrs => "VPN-ROUTABLE-CIDRS",
            Self::VpnTunnelUp => "VPN-TUNNEL-UP",
            Self::VpnInternalRouting => "VPN-INTERNAL-ROUTING",
            Self::VpnNoOverlap => "VPN-NO-OVERLAP",
            Self::FirUnavailable => "FIR-UNAVAILABLE",
            Self::FirInboundViaPublicDns => "FIR-INBOUND-VIA-PUBLIC-DNS",
        }
    }

    pub fn info(self) -> &'static RuleInfo {
        // CATALOGUE is in the same order as the enum; a test checks it.
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
        Self::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| UnknownRule(s.to_owned()))
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

/// Every rule, in the order of the rules file.
pub static CATALOGUE: [RuleInfo; 45] = [
    RuleInfo {
        id: RuleId::CrIsolation,
        summary: "Dynos in the Common Runtime are firewalled off from one another, even dynos of the same app.",
        sources: &[Source::S000],
        basis: Basis::Seed,
    },
    RuleInfo {
        id: RuleId::CrInboundWebOnly,
        summary: "The only traffic that reaches a dyno is web requests forwarded by the router to web processes listening on $PORT. Other process types receive nothing from outside.",
        sources: &[Source::S000],
        basis: Basis::Seed,
    },
    RuleInfo {
        id: RuleId::RouterPorts,
        summary: "The router accepts HTTP on 80 and HTTPS on 443 at the app's public hostname (<app>.herokuapp.com or a custom domain) and forwards to $PORT; other ports on the hostname are closed.",
        sources: &[],
        basis: Basis::PlatformFact,
    },
    RuleInfo {
        id: RuleId::DynoLocal,
        summary: "Processes inside one dyno can bind any address and port and talk to each other over TCP.",
        sources: &[Source::S000, Source::S002],
        basis: Basis::Seed,
    },
    RuleInfo {
        id: RuleId::DynoInterface,
        summary: "Each dyno has its own virtual interface; a Common Runtime dyno's eth0 is a /30 inside 172.16.0.0/12; dynos share neither addresses nor subnets and cannot observe each other's TCP state. Any port may be bound; only $PORT is reachable from outside.",
        sources: &[Source::S000, Source::S002],
        basis: Basis::Seed,
    },
    RuleInfo {
        id: RuleId::CrOutbound,
        summary: "Any Common Runtime dyno can open outbound connections to the internet; the originating address cannot be controlled, so an allowlist on the destination cannot admit it reliably.",
        sources: &[Source::S000],
        basis: Basis::Seed,
    },
    RuleInfo {
        id: RuleId::PsGenerations,
        summary: "A space is Cedar or Fir. Shield spaces exist only for Cedar.",
        sources: &[Source::S001],
        basis: Basis::Seed,
    },
    RuleInfo {
        id: RuleId::PsPrivateNetwork,
        summary: "The dynos of all apps in a space are connected by a private network; any process can listen on a port of its choice and receive connections from other dynos in the space.",
        sources: &[Source::S000],
        basis: Basis::Seed,
    },
    RuleInfo {
        id: RuleId::PsRouter,
        summary: "From outside, a space app's web processes receive web requests through the space's router on $PORT.",
        sources: &[Source::S000, Source::S001],
        basis: Basis::Seed,
    },
    RuleInfo {
        id: RuleId::PsNatOutbound,
        summary: "Outbound connections to the internet leave through a NAT gateway and originate from the space's small, stable set of outbound IPs, which destinations can allowlist.",
        sources: &[Source::S000, Source::S001],
        basis: Basis::Seed,
    },
    RuleInfo {
        id: RuleId::PsDataAddons,
        summary: "Data add-ons installed in the space are on the same private network and reachable from the space's dynos.",
        sources: &[Source::S000],
        basis: Basis::Seed,
    },
    RuleInfo {
        id: RuleId::PsDnsDiscovery,
        summary: "In Cedar, dynos find other dynos of the space by DNS service discovery (<process>.<app>.app.localspace); it gives a direct connection with no routing stack (no request logging, no TLS termination). Not available in Fir.",
        sources: &[Source::S001, Source::S003],
        basis: Basis::Seed,
    },
    RuleInfo {
        id: RuleId::PsCidrs,
        summary: "The space's CIDR defaults to 10.0.0.0/16 and may be chosen at creation; 10.1.0.0/16 and 172.17.0.0/16 are also reserved by default. Dynos get addresses from /20 subnets of the space CIDR (for example 10.0.128.0/20, 10.0.144.0/20); internal routing endpoints are in the /16 but outside the dyno /20s.",
        sources: &[Source::S004, Source::S003],
        basis: Basis::Seed,
    },
    RuleInfo {
        id: RuleId::PsNoSpaceToSpace,
        summary: "Two spaces have no private path to each other; one reaches the other only over the internet, subject to its trusted IP ranges.",
        sources: &[],
        basis: Basis::Assumption,
    },
    RuleInfo {
        id: RuleId::TipFilter,
        summary: "In Cedar, only clients whose address is in one of the space's trusted IP ranges can reach the web processes of the space's apps; the ranges apply to every app in the space alike, and only to web processes.",
        sources: &[Source::S000, Source::S001, Source::S003],
        basis: Basis::Seed,
    },
    RuleInfo {
        id: RuleId::TipDefault,
        summary: "A new space trusts 0.0.0.0/0.",
        sources: &[],
        basis: Basis::PlatformFact,
    },
    RuleInfo {
        id: RuleId::TipLimit,
        summary: "At most 20 ranges per space.",
        sources: &[],
        basis: Basis::PlatformFact,
    },
    RuleInfo {
        id: RuleId::TipFir,
        summary: "Fir spaces cannot customise trusted IP ranges; they admit 0.0.0.0/0 and ::/0.",
        sources: &[Source::S000],
        basis: Basis::Seed,
    },
    RuleInfo {
        id: RuleId::IrCedarOnly,
        summary: "Internal Routing exists only for Cedar space apps.",
        sources: &[Source::S000, Source::S003],
        basis: Basis::Seed,
    },
    RuleInfo {
        id: RuleId::IrAtCreation,
        summary: "It is chosen when the app is created and cannot be enabled on an existing app.",
        sources: &[Source::S003],
        basis: Basis::Seed,
    },
    RuleInfo {
        id: RuleId::IrNoExternal,
        summary: "An internally routed app's web process receives no external web traffic; it accepts web traffic only from other apps in the same space and from software in VPC-peered or VPN-connected networks.",
        sources: &[Source::S003],
        basis: Basis::Seed,
    },
    RuleInfo {
        id: RuleId::IrPrivateDns,
        summary: "Its herokuapp.com hostname and custom domains resolve to private addresses in the space's RFC 1918 CIDR.",
        sources: &[Source::S003],
        basis: Basis::Seed,
    },
    RuleInfo {
        id: RuleId::IrNeedsWebDyno,
        summary: "The default domain resolves only while at least one web dyno runs.",
        sources: &[Source::S003],
        basis: Basis::Seed,
    },
    RuleInfo {
        id: RuleId::IrPeerRoute16,
        summary: "To reach an internally routed app from a peered VPC, the VPC's route table must route the whole space /16: the endpoint is not inside the dyno /20s.",
        sources: &[Source::S003],
        basis: Basis::Seed,
    },
    RuleInfo {
        id: RuleId::PeerCedarOnly,
        summary: "Peering is unavailable for Fir spaces.",
        sources: &[Source::S000, Source::S004],
        basis: Basis::Seed,
    },
    RuleInfo {
        id: RuleId::PeerRfc1918,
        summary: "The VPC's CIDR must be in 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16.",
        sources: &[Source::S004],
        basis: Basis::Seed,
    },
    RuleInfo {
        id: RuleId::PeerNoOverlap,
        summary: "The VPC's CIDR must not overlap the space's CIDR nor its unavailable CIDRs (defaults 10.0.0.0/16, 10.1.0.0/16, 172.17.0.0/16).",
        sources: &[Source::S004],
        basis: Basis::Seed,
    },
    RuleInfo {
        id: RuleId::PeerAccepted,
        summary: "A peering carries traffic only once accepted (active); a pending-acceptance or destroyed one carries none.",
        sources: &[Source::S004],
        basis: Basis::Seed,
    },
    RuleInfo {
        id: RuleId::PeerRoute,
        summary: "The VPC route table of the subnet involved must route the space CIDR (the whole /16, recommended) or the specific dyno /20s through the peering connection; without it neither requests nor replies find their way.",
        sources: &[Source::S004],
        basis: Basis::Seed,
    },
    RuleInfo {
        id: RuleId::PeerSecurityGroup,
        summary: "The VPC resource's security group must allow inbound traffic from the dyno ranges on the port. Security groups are stateful.",
        sources: &[Source::S004],
        basis: Basis::Seed,
    },
    RuleInfo {
        id: RuleId::PeerNacl,
        summary: "Where a network ACL restricts the subnet, it must allow the inbound traffic from the space; ACLs are stateless, so the replies (ephemeral ports 1024-65535) need an outbound allow as well. Rules are evaluated in number order, first match wins, and an implicit deny ends the list.",
        sources: &[Source::S004],
        basis: Basis::Seed,
    },
    RuleInfo {
        id: RuleId::PeerPublicHostname,
        summary: "Connections from the VPC to a space app's herokuapp.com or custom domain go over the public internet, not the peering (so trusted IPs apply to the VPC's public egress address), unless the app uses Internal Routing.",
        sources: &[Source::S004],
        basis: Basis::Seed,
    },
    RuleInfo {
        id: RuleId::PeerPrimaryCidrOnly,
        summary: "Only addresses in the VPC's primary CIDR are reachable from the space; secondary CIDR blocks are not.",
        sources: &[Source::S004],
        basis: Basis::Seed,
    },
    RuleInfo {
        id: RuleId::PeerDynoAddress,
        summary: "From the VPC, dynos are reached by address, which must be known in advance; dynos have no public DNS records (unless Internal Routing).",
        sources: &[Source::S004],
        basis: Basis::Seed,
    },
    RuleInfo {
        id: RuleId::PeerNoDataAddons,
        summary: "Software in the VPC cannot connect directly to the space's data services (Postgres, Kafka, Redis).",
        sources: &[Source::S004],
        basis: Basis::Seed,
    },
    RuleInfo {
        id: RuleId::PeerNotTransitive,
        summary: "Dynos cannot reach other networks peered to the VPC; a proxy or load balancer inside the VPC is needed.",
        sources: &[Source::S004],
        basis: Basis::Seed,
    },
    RuleInfo {
        id: RuleId::PeerLimit,
        summary: "At most 5 VPCs peered to one space.",
        sources: &[Source::S004],
        basis: Basis::Seed,
    },
    RuleInfo {
        id: RuleId::VpnCedarOnly,
        summary: "VPN connections exist for Cedar Private and Shield spaces; unavailable for Fir.",
        sources: &[Source::S000, Source::S001],
        basis: Basis::Seed,
    },
    RuleInfo {
        id: RuleId::VpnIpsec,
        summary: "An IPsec connection over the public internet, all traffic encrypted; dynos can reach hosts on the remote network and those hosts can reach dynos.",
        sources: &[Source::S001],
        basis: Basis::Seed,
    },
    RuleInfo {
        id: RuleId::VpnRoutableCidrs,
        summary: "Only remote addresses inside the connection's routable CIDRs go through the tunnel.",
        sources: &[],
        basis: Basis::PlatformFact,
    },
    RuleInfo {
        id: RuleId::VpnTunnelUp,
        summary: "A connection whose tunnels are down carries nothing.",
        sources: &[],
        basis: Basis::Assumption,
    },
    RuleInfo {
        id: RuleId::VpnInternalRouting,
        summary: "VPN-connected networks may reach internally routed apps.",
        sources: &[Source::S003],
        basis: Basis::Seed,
    },
    RuleInfo {
        id: RuleId::VpnNoOverlap,
        summary: "Routable CIDRs overlapping the space CIDR cannot be routed.",
        sources: &[],
        basis: Basis::Assumption,
    },
    RuleInfo {
        id: RuleId::FirUnavailable,
        summary: "Custom trusted IPs, Internal Routing, VPC peering and VPN connections are unavailable for Fir; the builder must refuse them with this rule's explanation.",
        sources: &[Source::S000],
        basis: Basis::Seed,
    },
    RuleInfo {
        id: RuleId::FirInboundViaPublicDns,
        summary: "Services in peered or VPN-connected networks cannot reach Fir dynos directly; they connect over the internet through the app's public DNS name.",
        sources: &[Source::S000],
        basis: Basis::Seed,
    },
];

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
