//! What the platform refuses at the gesture: the builder asks before it changes the document,
//! and shows the refusal's rule and explanation instead of making the change. Suggested fixes are
//! vetted by the same functions ([`fix_refusal`]), so the engine never suggests a change the
//! platform would refuse.

use ipnet::IpNet;
use serde::Serialize;

use crate::capabilities::{self, Feature, PeeringRefusal};
use crate::check::{MAX_PEERINGS, MAX_TRUSTED_RANGES, check};
use crate::doc::{Document, Generation, PeeringStatus};
use crate::model::{Model, SpaceIx, VpcIx};
use crate::rules::RuleId;
use crate::trace::Fix;

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
    /// Peering with a VPC whose primary CIDR is not private.
    PeeringVpcNotPrivate { vpc: String, cidr: IpNet },
    /// Peering with a VPC whose primary CIDR overlaps what the space uses or reserves.
    PeeringOverlap { space: String, vpc: String, vpc_cidr: IpNet, space_range: IpNet },
    /// A sixth peering on one space that counts toward the limit.
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

/// May a peering be created between `space` and `vpc`? The answer is the checker's for the same
/// peering added after the document's own ([`capabilities::peering_refusal`]): refused peerings do
/// not count toward the limit, here or in a file. A second live peering with the same VPC is
/// refused at the gesture only.
pub fn can_peer(doc: &Document, space: &str, vpc: &str) -> Result<(), Refusal> {
    let checked = check(doc);
    let m = &checked.model;
    let (Some(s), Some(v)) = (m.spaces.iter().position(|x| x.id == space), m.vpcs.iter().position(|x| x.id == vpc))
    else {
        // Nothing to peer: the edit itself refuses a missing object.
        return Ok(());
    };
    can_peer_in(m, SpaceIx(s as u32), VpcIx(v as u32))
}

/// [`can_peer`] for the spaces and VPCs of a checked model.
pub fn can_peer_in(m: &Model, s: SpaceIx, v: VpcIx) -> Result<(), Refusal> {
    let (space, vpc) = (m.space(s).id.as_str(), m.vpc(v).id.as_str());
    let refusal = capabilities::peering_refusal(m, s, v, PeeringStatus::Active);
    let refuse = |r: PeeringRefusal| {
        let kind = match r {
            PeeringRefusal::Unavailable { .. } => RefusalKind::PeeringOnFir { space: space.to_owned() },
            PeeringRefusal::NotPrivate { vpc_cidr } => {
                RefusalKind::PeeringVpcNotPrivate { vpc: vpc.to_owned(), cidr: vpc_cidr }
            }
            PeeringRefusal::Overlaps { vpc_cidr, space_range } => {
                RefusalKind::PeeringOverlap { space: space.to_owned(), vpc: vpc.to_owned(), vpc_cidr, space_range }
            }
            PeeringRefusal::Limit { .. } => RefusalKind::PeeringLimit { space: space.to_owned(), max: MAX_PEERINGS },
        };
        Refusal { rules: r.rules().to_vec(), kind }
    };
    if let Some(r) = refusal
        && !matches!(r, PeeringRefusal::Limit { .. })
    {
        return Err(refuse(r));
    }
    let already =
        m.space(s).peerings.iter().map(|p| m.peering(*p)).any(|p| p.vpc == v && p.status != PeeringStatus::Deleted);
    if already {
        return Err(Refusal {
            rules: vec![RuleId::PeerAccepted],
            kind: RefusalKind::AlreadyPeered { space: space.to_owned(), vpc: vpc.to_owned() },
        });
    }
    refusal.map_or(Ok(()), |r| Err(refuse(r)))
}

/// May a VPN connection be created for `space`?
pub fn can_connect_vpn(doc: &Document, space: &str) -> Result<(), Refusal> {
    if let Some(rules) = refused(doc, space, Feature::Vpn) {
        return Err(vpn_on_fir(space, rules));
    }
    Ok(())
}

fn vpn_on_fir(space: &str, rules: &[RuleId]) -> Refusal {
    Refusal { rules: rules.to_vec(), kind: RefusalKind::VpnOnFir { space: space.to_owned() } }
}

/// May Internal Routing be chosen for an app? Only when the app is being created, in a Cedar space.
/// `space` is `None` for a Common Runtime app.
pub fn can_choose_internal_routing(
    doc: &Document,
    app: &str,
    space: Option<&str>,
    creating: bool,
) -> Result<(), Refusal> {
    let kind = space.and_then(|s| doc.spaces.iter().find(|x| x.id == s)).map(|s| (s.generation, s.shield));
    internal_routing(app, kind, creating)
}

/// Internal Routing for `app`, in a space of this generation and type (`None`: the Common
/// Runtime), chosen at creation or not.
fn internal_routing(app: &str, space: Option<(Generation, bool)>, creating: bool) -> Result<(), Refusal> {
    let rules = match space {
        Some((generation, shield)) => capabilities::refusal(generation, shield, Feature::InternalRouting),
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
    trusted_ranges(space, refused(doc, space, Feature::CustomTrustedIps), count)
}

/// Custom trusted IP ranges, `count` of them, on `space`; `refused`: the rules that refuse custom
/// ranges there, if any.
fn trusted_ranges(space: &str, refused: Option<&[RuleId]>, count: usize) -> Result<(), Refusal> {
    if let Some(rules) = refused {
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

/// Would the platform refuse this suggested change to the checked `model`? The gesture's own
/// answer for the same change: creating a peering ([`can_peer_in`]), adding trusted IP ranges
/// (TIP-FIR, TIP-LIMIT, counting the ranges the document lists), recreating an app with
/// Internal Routing (a Cedar space app, chosen at its creation), creating a VPN connection. Other
/// changes the platform never refuses. An object the model does not hold refuses nothing here:
/// applying the change refuses it.
pub fn fix_refusal(model: &Model, fix: &Fix) -> Option<Refusal> {
    let space = |id: &str| model.spaces.iter().position(|s| s.id == id).map(|s| SpaceIx(s as u32));
    match fix {
        Fix::CreatePeering { space: s, vpc: v } | Fix::CreatePeeringWithRoute { space: s, vpc: v, .. } => {
            let v = model.vpcs.iter().position(|x| x.id == *v).map(|v| VpcIx(v as u32))?;
            can_peer_in(model, space(s)?, v).err()
        }
        Fix::AddTrustedRanges { space: s, cidrs } => {
            let sp = model.space(space(s)?);
            // The default range, once ranges are listed, is listed too.
            let listed = if sp.trusted_defaulted { 1 } else { sp.trusted_listed };
            trusted_ranges(s, sp.refusal(Feature::CustomTrustedIps), listed + cidrs.len()).err()
        }
        Fix::RecreateWithInternalRouting { app } => {
            let a = model.find_app(app)?;
            let kind = model.app(a).space.map(|s| (model.space(s).generation, model.space(s).shield));
            internal_routing(app, kind, true).err()
        }
        Fix::CreateVpn { space: s, .. } => {
            let sp = model.space(space(s)?);
            sp.refusal(Feature::Vpn).map(|rules| vpn_on_fir(s, rules))
        }
        _ => None,
    }
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

    fn vpc(id: &str, cidr: &str) -> crate::doc::Vpc {
        crate::doc::Vpc { id: id.into(), primary_cidr: cidr.into(), ..Default::default() }
    }

    fn peer(d: &mut Document, vpc: &str, status: PeeringStatus) {
        d.peerings.push(crate::doc::Peering {
            id: format!("pcx-{vpc}"),
            space: "acme-prod".into(),
            vpc: vpc.into(),
            status,
            extra: Default::default(),
        });
    }

    #[test]
    fn a_sixth_peering_is_refused() {
        let mut d = doc();
        for i in 0..5 {
            d.vpcs.push(vpc(&format!("vpc-{i}"), &format!("10.{}.0.0/16", 20 + i)));
        }
        for i in 0..4 {
            peer(&mut d, &format!("vpc-{i}"), PeeringStatus::Active);
        }
        assert_eq!(can_peer(&d, "acme-prod", "vpc-4").unwrap_err().rules, vec![RuleId::PeerLimit]);
        d.peerings[1].status = PeeringStatus::Deleted;
        assert!(can_peer(&d, "acme-prod", "vpc-4").is_ok());
    }

    /// A refused peering takes no place under the limit, at the gesture as in a file.
    #[test]
    fn refused_peerings_do_not_count_toward_the_limit() {
        let mut d = doc();
        for i in 0..4 {
            d.vpcs.push(vpc(&format!("vpc-{i}"), &format!("10.{}.0.0/16", 20 + i)));
        }
        d.vpcs.push(vpc("clash", "10.1.0.0/16"));
        d.vpcs.push(vpc("public", "100.64.0.0/16"));
        d.vpcs.push(vpc("good", "10.30.0.0/16"));
        for i in 0..3 {
            peer(&mut d, &format!("vpc-{i}"), PeeringStatus::Active);
        }
        peer(&mut d, "clash", PeeringStatus::Active);
        peer(&mut d, "public", PeeringStatus::Active);
        // Four counted (analytics and three more), two refused: a fifth is fine.
        assert!(can_peer(&d, "acme-prod", "good").is_ok());
        peer(&mut d, "vpc-3", PeeringStatus::PendingAcceptance);
        // A pending peering counts: now the space is full.
        assert_eq!(can_peer(&d, "acme-prod", "good").unwrap_err().rules, vec![RuleId::PeerLimit]);
    }

    #[test]
    fn a_public_or_overlapping_vpc_is_refused_as_the_checker_refuses_it() {
        let mut d = doc();
        d.vpcs.push(vpc("clash", "10.0.128.0/20"));
        d.vpcs.push(vpc("public", "100.64.0.0/16"));
        let clash = can_peer(&d, "acme-prod", "clash").unwrap_err();
        assert_eq!(clash.rules, vec![RuleId::PeerNoOverlap]);
        assert_eq!(
            clash.kind,
            RefusalKind::PeeringOverlap {
                space: "acme-prod".into(),
                vpc: "clash".into(),
                vpc_cidr: "10.0.128.0/20".parse().unwrap(),
                space_range: "10.0.0.0/16".parse().unwrap(),
            }
        );
        assert_eq!(
            crate::render::refusal(&clash),
            "clash's CIDR 10.0.128.0/20 overlaps 10.0.0.0/16, which acme-prod uses or reserves: renumber the VPC to peer it."
        );
        let public = can_peer(&d, "acme-prod", "public").unwrap_err();
        assert_eq!(public.rules, vec![RuleId::PeerRfc1918]);
        assert!(crate::render::refusal(&public).starts_with("public's CIDR 100.64.0.0/16 is not private"));
        // On a Fir space, Fir's refusal comes first.
        assert_eq!(
            can_peer(&d, "fir", "public").unwrap_err().rules,
            vec![RuleId::PeerCedarOnly, RuleId::FirUnavailable]
        );
    }
}
