//! What the platform refuses at the gesture: the builder asks before it changes the document,
//! and shows the refusal's rule and explanation instead of making the change.

use serde::Serialize;

use crate::capabilities::{self, Feature};
use crate::check::{MAX_PEERINGS, MAX_TRUSTED_RANGES};
use crate::doc::{Document, PeeringStatus};
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

/// The rules that refuse `feature` on the space `space` of `doc` ([`capabilities`]); `None` when
/// the space offers it or does not exist.
fn refused(doc: &Document, space: &str, feature: Feature) -> Option<&'static [RuleId]> {
    let s = doc.spaces.iter().find(|s| s.id == space)?;
    capabilities::refusal(s.generation, s.shield, feature)
}

/// May a peering be created between `space` and `vpc`?
pub fn can_peer(doc: &Document, space: &str, vpc: &str) -> Result<(), Refusal> {
    if let Some(rules) = refused(doc, space, Feature::Peering) {
        return Err(Refusal { rules: rules.to_vec(), kind: RefusalKind::PeeringOnFir { space: space.to_owned() } });
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
    if let Some(rules) = refused(doc, space, Feature::Vpn) {
        return Err(Refusal { rules: rules.to_vec(), kind: RefusalKind::VpnOnFir { space: space.to_owned() } });
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
    let rules = match space.and_then(|s| doc.spaces.iter().find(|x| x.id == s)) {
        Some(s) => capabilities::refusal(s.generation, s.shield, Feature::InternalRouting),
        None => Some(capabilities::refusal_outside_spaces(Feature::InternalRouting)),
    };
    if let Some(rules) = rules {
        return Err(Refusal {
            rules: rules.to_vec(),
            kind: RefusalKind::InternalRoutingNotCedar { app: app.to_owned() },
        });
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
    if let Some(rules) = refused(doc, space, Feature::CustomTrustedIps) {
        return Err(Refusal { rules: rules.to_vec(), kind: RefusalKind::TrustedIpsOnFir { space: space.to_owned() } });
    }
    if count > MAX_TRUSTED_RANGES {
        return Err(Refusal {
            rules: vec![RuleId::TipLimit],
            kind: RefusalKind::TrustedIpLimit { space: space.to_owned(), max: MAX_TRUSTED_RANGES },
        });
    }
    Ok(())
}

/// May `space` be a Shield space?
pub fn can_be_shield(doc: &Document, space: &str) -> Result<(), Refusal> {
    if let Some(rules) = refused(doc, space, Feature::Shield) {
        return Err(Refusal { rules: rules.to_vec(), kind: RefusalKind::ShieldOnFir { space: space.to_owned() } });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::parse_document;
    use crate::doc::Generation;

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
