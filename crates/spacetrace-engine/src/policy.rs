//! What the platform refuses at the gesture: the builder asks before it changes the document,
//! and shows the refusal's rule and explanation instead of making the change.

use serde::Serialize;

use crate::check::MAX_PEERINGS;
use crate::doc::{Document, Generation, PeeringStatus};
use crate::rules::RuleId;

/// A refused gesture: the rules it breaks (the most specific first) and what was asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refusal {
    pub rules: Vec<RuleId>,
    pub kind: RefusalKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RefusalKind {
    /// Peering a Fir space with a VPC.
    PeeringOnFir { space: String },
    /// A sixth live peering on one space.
    PeeringLimit { space: String, max: usize },
    /// A second peering between the same space and VPC.
    AlreadyPeered { space: String, vpc: String },
    /// A VPN connection on a Fir space.
    VpnOnFir { space: String },
    /// Internal Routing switched on (or off) for an app that exists.
    InternalRoutingAfterCreation { app: String },
    /// Internal Routing on an app outside a Cedar space.
    InternalRoutingNotCedar { app: String },
    /// Custom trusted IP ranges on a Fir space.
    TrustedIpsOnFir { space: String },
    /// A twenty-first trusted IP range.
    TrustedIpLimit { space: String, max: usize },
    /// Shield on a Fir space.
    ShieldOnFir { space: String },
}

fn space_generation(doc: &Document, space: &str) -> Option<Generation> {
    doc.spaces.iter().find(|s| s.id == space).map(|s| s.generation)
}

/// May a peering be created between `space` and `vpc`?
pub fn can_peer(doc: &Document, space: &str, vpc: &str) -> Result<(), Refusal> {
    if space_generation(doc, space) == Some(Generation::Fir) {
        return Err(Refusal {
            rules: vec![RuleId::PeerCedarOnly, RuleId::FirUnavailable],
            kind: RefusalKind::PeeringOnFir { space: space.to_owned() },
        });
    }
    let live = doc.peerings.iter().filter(|p| p.space == space && p.status != PeeringStatus::Deleted);
    if live.clone().any(|p| p.vpc == vpc) {
        return Err(Refusal {
            rules: vec![RuleId::PeerAccepted],
            kind: RefusalKind::AlreadyPeered { space: space.to_owned(), vpc: vpc.to_owned() },
        });
    }
    if live.count() >= MAX_PEERINGS {
        return Err(Refusal {
            rules: vec![RuleId::PeerLimit],
            kind: RefusalKind::PeeringLimit { space: space.to_owned(), max: MAX_PEERINGS },
        });
    }
    Ok(())
}

/// May a VPN connection be created for `space`?
pub fn can_connect_vpn(doc: &Document, space: &str) -> Result<(), Refusal> {
    if space_generation(doc, space) == Some(Generation::Fir) {
        return Err(Refusal {
            rules: vec![RuleId::VpnCedarOnly, RuleId::FirUnavailable],
            kind: RefusalKind::VpnOnFir { space: space.to_owned() },
        });
    }
    Ok(())
}

/// May Internal Routing be chosen for an app? Only when the app is being created, in a Cedar space.
/// `space` is `None` for a Common Runtime app.
pub fn can_choose_internal_routing(
    doc: &Document,
    app: &str,
    space: Option<&str>,
    creating: bool,
) -> Result<(), Refusal> {
    let cedar = space.and_then(|s| space_generation(doc, s)) == Some(Generation::Cedar);
    if !cedar {
        let mut rules = vec![RuleId::IrCedarOnly];
        if space.is_some() {
            rules.push(RuleId::FirUnavailable);
        }
        return Err(Refusal { rules, kind: RefusalKind::InternalRoutingNotCedar { app: app.to_owned() } });
    }
    if !creating {
        return Err(Refusal {
            rules: vec![RuleId::IrAtCreation],
            kind: RefusalKind::InternalRoutingAfterCreation { app: app.to_owned() },
        });
    }
    Ok(())
}

/// May `space` have custom trusted IP ranges, `count` of them?
pub fn can_set_trusted_ranges(doc: &Document, space: &str, count: usize) -> Result<(), Refusal> {
    if space_generation(doc, space) == Some(Generation::Fir) {
        return Err(Refusal {
            rules: vec![RuleId::TipFir, RuleId::FirUnavailable],
            kind: RefusalKind::TrustedIpsOnFir { space: space.to_owned() },
        });
    }
    if count > crate::check::MAX_TRUSTED_RANGES {
        return Err(Refusal {
            rules: vec![RuleId::TipLimit],
            kind: RefusalKind::TrustedIpLimit { space: space.to_owned(), max: crate::check::MAX_TRUSTED_RANGES },
        });
    }
    Ok(())
}

/// May `space` be a Shield space?
pub fn can_be_shield(doc: &Document, space: &str) -> Result<(), Refusal> {
    if space_generation(doc, space) == Some(Generation::Fir) {
        return Err(Refusal {
            rules: vec![RuleId::PsGenerations, RuleId::FirUnavailable],
            kind: RefusalKind::ShieldOnFir { space: space.to_owned() },
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::parse_document;

    fn doc() -> Document {
        let mut d = parse_document(include_str!("../../../scenarios/default.json")).unwrap();
        d.spaces.push(crate::doc::Space {
            id: "fir".into(),
            name: "fir".into(),
            generation: Generation::Fir,
            ..Default::default()
        });
        d
    }

    #[test]
    fn fir_refuses_peering_vpn_internal_routing_trusted_ips_and_shield() {
        let d = doc();
        assert_eq!(can_peer(&d, "fir", "analytics").unwrap_err().rules[0], RuleId::PeerCedarOnly);
        assert_eq!(can_connect_vpn(&d, "fir").unwrap_err().rules[0], RuleId::VpnCedarOnly);
        assert_eq!(can_choose_internal_routing(&d, "x", Some("fir"), true).unwrap_err().rules[0], RuleId::IrCedarOnly);
        assert_eq!(can_set_trusted_ranges(&d, "fir", 1).unwrap_err().rules[0], RuleId::TipFir);
        assert_eq!(can_be_shield(&d, "fir").unwrap_err().rules[0], RuleId::PsGenerations);
    }

    #[test]
    fn cedar_allows_them_within_limits() {
        let d = doc();
        assert_eq!(
            can_peer(&d, "acme-prod", "analytics").unwrap_err().kind,
            RefusalKind::AlreadyPeered { space: "acme-prod".into(), vpc: "analytics".into() }
        );
        assert!(can_peer(&d, "acme-prod", "other-vpc").is_ok());
        assert!(can_connect_vpn(&d, "acme-prod").is_ok());
        assert!(can_choose_internal_routing(&d, "new", Some("acme-prod"), true).is_ok());
        assert_eq!(
            can_choose_internal_routing(&d, "api", Some("acme-prod"), false).unwrap_err().rules,
            vec![RuleId::IrAtCreation]
        );
        assert!(can_set_trusted_ranges(&d, "acme-prod", 20).is_ok());
        assert_eq!(can_set_trusted_ranges(&d, "acme-prod", 21).unwrap_err().rules, vec![RuleId::TipLimit]);
        assert!(can_be_shield(&d, "acme-prod").is_ok());
    }

    #[test]
    fn a_sixth_peering_is_refused() {
        let mut d = doc();
        for i in 0..4 {
            d.peerings.push(crate::doc::Peering {
                id: format!("pcx-{i}"),
                space: "acme-prod".into(),
                vpc: format!("vpc-{i}"),
                status: PeeringStatus::Active,
                extra: Default::default(),
            });
        }
        assert!(can_peer(&d, "acme-prod", "vpc-9").is_err());
        assert_eq!(can_peer(&d, "acme-prod", "vpc-9").unwrap_err().rules, vec![RuleId::PeerLimit]);
        d.peerings[1].status = PeeringStatus::Deleted;
        assert!(can_peer(&d, "acme-prod", "vpc-9").is_ok());
    }
}
