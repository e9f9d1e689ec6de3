//! What each kind of space offers, in one table ([`OFFERS`]). The checker (a file that asks for something),
//! the gesture policy (a person who asks for it) and evaluation (traffic that would need it) all
//! consult this module: each names the [`Feature`] it needs and gets the rule that refuses it from
//! here, so none of them branches on the generation itself.

use crate::doc::Generation;
use crate::rules::RuleId;
use crate::rules::RuleId as R;

/// Something a Private Space may or may not offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
}
