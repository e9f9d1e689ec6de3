//! What each kind of space offers, in one table ([`OFFERS`]), and the one answer to whether the
//! platform refuses a peering ([`peering_refusal`]). The checker (a file that asks for something),
//! the gesture policy (a person who asks for it) and evaluation (traffic that would need it) all
//! consult this module: each names the [`Feature`] it needs and gets the rule that refuses it from
//! here, so none of them branches on the generation itself.

use ipnet::{IpNet, Ipv4Net};

use crate::check::MAX_PEERINGS;
use crate::cidr::PrivateRange;
use crate::doc::{Generation, PeeringStatus};
use crate::model::{Model, Peering, SpaceIx, VpcIx};
use crate::rules::RuleId;
use crate::rules::RuleId as R;

/// Something a Private Space may or may not offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Feature {
    /// Being a Shield space.
    Shield,
    /// Trusted IP ranges other than "everyone".
    CustomTrustedIps,
    /// Internal Routing for the space's apps.
    InternalRouting,
    /// DNS service discovery between the space's dynos (`<process>.<app>.app.localspace`).
    DnsDiscovery,
    /// Peering with an AWS VPC.
    Peering,
    /// VPN connections to remote networks.
    Vpn,
    /// Peered and VPN-connected networks reaching the space's dynos directly, by address.
    DirectInbound,
}

/// A kind of space: its generation and type. A Fir space asked to be Shield is still a Fir space
/// (the [`Feature::Shield`] row refuses the combination).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SpaceKind {
    Cedar,
    CedarShield,
    Fir,
}

impl SpaceKind {
    pub fn of(generation: Generation, shield: bool) -> Self {
        match (generation, shield) {
            (Generation::Cedar, false) => Self::Cedar,
            (Generation::Cedar, true) => Self::CedarShield,
            (Generation::Fir, _) => Self::Fir,
        }
    }
}

/// One row of the table: a feature, which kinds of space offer it, and the rules that refuse it
/// where it is not offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offer {
    pub feature: Feature,
    /// Offered by a standard Cedar space.
    pub cedar: bool,
    /// Offered by a Cedar Shield space.
    pub cedar_shield: bool,
    /// Offered by a Fir space.
    pub fir: bool,
    /// The rules that refuse it where it is not offered, the feature's own rule first.
    pub refused_by: &'static [RuleId],
}

const fn row(feature: Feature, cedar: bool, cedar_shield: bool, fir: bool, refused_by: &'static [RuleId]) -> Offer {
    Offer { feature, cedar, cedar_shield, fir, refused_by }
}

/// What each kind of space offers (`docs/platform-rules.md`: PS-GENERATIONS, PS-DNS-DISCOVERY,
/// TIP-FIR, IR-CEDAR-ONLY, PEER-CEDAR-ONLY, VPN-CEDAR-ONLY, FIR-UNAVAILABLE,
/// FIR-INBOUND-VIA-PUBLIC-DNS). One row per [`Feature`], in the enum's order.
#[rustfmt::skip]
pub const OFFERS: [Offer; 7] = [
    //   feature                     Cedar  Shield  Fir    refused by
    row(Feature::Shield,             true,  true,   false, &[R::PsGenerations, R::FirUnavailable]),
    row(Feature::CustomTrustedIps,   true,  true,   false, &[R::TipFir, R::FirUnavailable]),
    row(Feature::InternalRouting,    true,  true,   false, &[R::IrCedarOnly, R::FirUnavailable]),
    row(Feature::DnsDiscovery,       true,  true,   false, &[R::PsDnsDiscovery]),
    row(Feature::Peering,            true,  true,   false, &[R::PeerCedarOnly, R::FirUnavailable]),
    row(Feature::Vpn,                true,  true,   false, &[R::VpnCedarOnly, R::FirUnavailable]),
    row(Feature::DirectInbound,      true,  true,   false, &[R::FirInboundViaPublicDns]),
];

fn offer(feature: Feature) -> &'static Offer {
    // OFFERS is in the enum's order; a test checks it.
    &OFFERS[feature as usize]
}

/// The rules that refuse `feature` on a space of this generation and type (the feature's own rule
/// first), or `None` when the space offers it.
pub fn refusal(generation: Generation, shield: bool, feature: Feature) -> Option<&'static [RuleId]> {
    let o = offer(feature);
    let offered = match SpaceKind::of(generation, shield) {
        SpaceKind::Cedar => o.cedar,
        SpaceKind::CedarShield => o.cedar_shield,
        SpaceKind::Fir => o.fir,
    };
    (!offered).then_some(o.refused_by)
}

/// The rule that refuses `feature` on a space of this generation and type, or `None` when the
/// space offers it.
pub fn refusing_rule(generation: Generation, shield: bool, feature: Feature) -> Option<RuleId> {
    refusal(generation, shield, feature).and_then(|rules| rules.first().copied())
}

/// The rules that refuse `feature` outside any Private Space (a Common Runtime app): only the
/// feature's own rule, since FIR-UNAVAILABLE is about Fir spaces.
pub fn refusal_outside_spaces(feature: Feature) -> &'static [RuleId] {
    let rules = offer(feature).refused_by;
    &rules[..rules.len().min(1)]
}

// ----- peering ------------------------------------------------------------------------------

/// Why the platform refuses a peering between a space and a VPC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeeringRefusal {
    /// The space does not offer peering (a Fir space); the rules that say so.
    Unavailable { rules: &'static [RuleId] },
    /// The VPC's primary CIDR is not private (PEER-RFC1918).
    NotPrivate { vpc_cidr: IpNet },
    /// The VPC's primary CIDR overlaps the space CIDR or one of its unavailable CIDRs
    /// (PEER-NO-OVERLAP).
    Overlaps { vpc_cidr: IpNet, space_range: IpNet },
    /// The space already has `counted` peerings that count toward PEER-LIMIT.
    Limit { counted: usize },
}

impl PeeringRefusal {
    /// The rules the refusal cites, the most specific first.
    pub fn rules(&self) -> &'static [RuleId] {
        match self {
            Self::Unavailable { rules } => rules,
            Self::NotPrivate { .. } => &[R::PeerRfc1918],
            Self::Overlaps { .. } => &[R::PeerNoOverlap],
            Self::Limit { .. } => &[R::PeerLimit],
        }
    }

    /// The most specific rule: the one a refused peering is marked with.
    pub fn rule(&self) -> RuleId {
        self.rules().first().copied().unwrap_or(R::PeerLimit)
    }
}

/// Whether a peering counts toward its space's PEER-LIMIT: a live one (not deleted) that the
/// platform did not refuse. A refused peering (Fir space, public or overlapping VPC, past the
/// limit) carries nothing and takes no place.
pub fn counts_toward_peering_limit(p: &Peering) -> bool {
    p.status != PeeringStatus::Deleted && p.refused.is_none()
}

/// How many of the peerings of `space` in `model` count toward its PEER-LIMIT.
pub fn peerings_counted(model: &Model, space: SpaceIx) -> usize {
    model.space(space).peerings.iter().filter(|p| counts_toward_peering_limit(model.peering(**p))).count()
}

/// Would the platform refuse a peering in `status` between `space` and `vpc`, given the space's
/// peerings already in `model`? The checker asks this of each peering in document order, and the
/// gesture asks it of a new peering after all of them, so both give one answer. In order: the
/// space must offer peering, the VPC's primary CIDR must be private and overlap nothing the space
/// uses or reserves, and a live peering needs room under the limit.
pub fn peering_refusal(model: &Model, space: SpaceIx, vpc: VpcIx, status: PeeringStatus) -> Option<PeeringRefusal> {
    let sp = model.space(space);
    if let Some(rules) = refusal(sp.generation, sp.shield, Feature::Peering) {
        return Some(PeeringRefusal::Unavailable { rules });
    }
    let vpc_cidr: Ipv4Net = model.vpc(vpc).primary_cidr;
    if PrivateRange::containing(&IpNet::V4(vpc_cidr)).is_none() {
        return Some(PeeringRefusal::NotPrivate { vpc_cidr: IpNet::V4(vpc_cidr) });
    }
    if let Some(r) = sp.reserved.iter().find(|r| r.contains(&vpc_cidr) || vpc_cidr.contains(*r)) {
        return Some(PeeringRefusal::Overlaps { vpc_cidr: IpNet::V4(vpc_cidr), space_range: IpNet::V4(*r) });
    }
    if status != PeeringStatus::Deleted {
        let counted = peerings_counted(model, space);
        if counted >= MAX_PEERINGS {
            return Some(PeeringRefusal::Limit { counted });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const FEATURES: [Feature; 7] = [
        Feature::Shield,
        Feature::CustomTrustedIps,
        Feature::InternalRouting,
        Feature::DnsDiscovery,
        Feature::Peering,
        Feature::Vpn,
        Feature::DirectInbound,
    ];

    #[test]
    fn the_table_has_one_row_per_feature_in_order() {
        assert_eq!(OFFERS.len(), FEATURES.len());
        for (i, f) in FEATURES.into_iter().enumerate() {
            assert_eq!(f as usize, i);
            assert_eq!(OFFERS[i].feature, f);
            assert!(!OFFERS[i].refused_by.is_empty(), "{f:?} names no refusing rule");
        }
    }

    /// Cedar, standard or Shield, offers everything; Fir offers none of it (PS-GENERATIONS,
    /// FIR-UNAVAILABLE, PS-DNS-DISCOVERY, FIR-INBOUND-VIA-PUBLIC-DNS).
    #[test]
    fn cedar_offers_everything_and_fir_nothing() {
        for f in FEATURES {
            assert_eq!(refusal(Generation::Cedar, false, f), None, "{f:?}");
            assert_eq!(refusal(Generation::Cedar, true, f), None, "{f:?}");
            assert!(refusal(Generation::Fir, false, f).is_some(), "{f:?}");
            assert_eq!(refusal(Generation::Fir, true, f), refusal(Generation::Fir, false, f), "{f:?}");
        }
    }

    #[test]
    fn each_refusal_cites_the_features_own_rule_first() {
        let fir = |f| refusal(Generation::Fir, false, f).unwrap();
        assert_eq!(fir(Feature::Shield), &[R::PsGenerations, R::FirUnavailable]);
        assert_eq!(fir(Feature::CustomTrustedIps), &[R::TipFir, R::FirUnavailable]);
        assert_eq!(fir(Feature::InternalRouting), &[R::IrCedarOnly, R::FirUnavailable]);
        assert_eq!(fir(Feature::DnsDiscovery), &[R::PsDnsDiscovery]);
        assert_eq!(fir(Feature::Peering), &[R::PeerCedarOnly, R::FirUnavailable]);
        assert_eq!(fir(Feature::Vpn), &[R::VpnCedarOnly, R::FirUnavailable]);
        assert_eq!(fir(Feature::DirectInbound), &[R::FirInboundViaPublicDns]);
        for f in FEATURES {
            assert_eq!(refusing_rule(Generation::Fir, false, f), Some(fir(f)[0]));
            assert_eq!(refusing_rule(Generation::Cedar, false, f), None);
            assert_eq!(refusal_outside_spaces(f), &fir(f)[..1]);
        }
    }

    #[test]
    fn space_kinds() {
        assert_eq!(SpaceKind::of(Generation::Cedar, false), SpaceKind::Cedar);
        assert_eq!(SpaceKind::of(Generation::Cedar, true), SpaceKind::CedarShield);
        assert_eq!(SpaceKind::of(Generation::Fir, false), SpaceKind::Fir);
        assert_eq!(SpaceKind::of(Generation::Fir, true), SpaceKind::Fir);
    }

    fn peering(status: PeeringStatus, refused: Option<RuleId>) -> Peering {
        Peering { id: "p".into(), space: SpaceIx(0), vpc: VpcIx(0), status, refused }
    }

    #[test]
    fn only_live_accepted_peerings_count_toward_the_limit() {
        assert!(counts_toward_peering_limit(&peering(PeeringStatus::Active, None)));
        assert!(counts_toward_peering_limit(&peering(PeeringStatus::PendingAcceptance, None)));
        assert!(!counts_toward_peering_limit(&peering(PeeringStatus::Deleted, None)));
        for rule in [R::PeerCedarOnly, R::PeerRfc1918, R::PeerNoOverlap, R::PeerLimit] {
            assert!(!counts_toward_peering_limit(&peering(PeeringStatus::Active, Some(rule))));
        }
    }
}
