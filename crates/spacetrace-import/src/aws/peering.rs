//! VPC peering connections. Whether one is a space's peering or a peering between two VPCs is
//! decided in [`crate::merge`], which knows the spaces.

use serde_json::Value;

use super::origin;
use crate::MAX_NESTED;
use crate::draft::{Drafts, PcxDraft, PcxSide};
use crate::json::{At, Ctx};
use crate::values;
use crate::warnings::{Effect, Ipv6Place, What};

const FIELDS: &[&str] =
    &["AccepterVpcInfo", "RequesterVpcInfo", "Status", "Tags", "VpcPeeringConnectionId", "ExpirationTime"];
const SIDE_FIELDS: &[&str] =
    &["CidrBlock", "CidrBlockSet", "Ipv6CidrBlockSet", "OwnerId", "PeeringOptions", "VpcId", "Region"];

pub(super) fn connection(at: &At<'_>, ctx: &mut Ctx<'_>, drafts: &mut Drafts) {
    ctx.unknown_fields(at, FIELDS);
    let Some(id) = ctx.required(at, "VpcPeeringConnectionId") else { return };
    let status_text =
        at.v.get("Status")
            .and_then(|s| s.get("Code"))
            .and_then(Value::as_str)
            .unwrap_or("pending-acceptance")
            .to_owned();
    let status = match values::peering_status(&status_text) {
        Some((status, lossy)) => {
            if lossy {
                ctx.warn(
                    at.path_to("Status"),
                    What::StatusRead { id: id.clone(), status: status_text.clone(), read_as: status },
                );
            }
            status
        }
        None => {
            ctx.warn(at.path_to("Status"), What::BadValue { value: status_text.clone(), effect: Effect::FieldIgnored });
            Default::default()
        }
    };
    let Some(requester) = side(at, ctx, "RequesterVpcInfo") else { return };
    let Some(accepter) = side(at, ctx, "AccepterVpcInfo") else { return };
    drafts.peerings.push(PcxDraft { origin: origin(ctx, at), id, requester, accepter, status, status_text });
}

fn side(at: &At<'_>, ctx: &mut Ctx<'_>, key: &str) -> Option<PcxSide> {
    let Some(info) = at.get(key) else {
        ctx.warn(at.path_to(key), What::MissingField { field: key.to_owned() });
        return None;
    };
    ctx.unknown_fields(&info, SIDE_FIELDS);
    let vpc = ctx.required(&info, "VpcId")?;
    let mut texts: Vec<(String, String)> = Vec::new();
    for b in ctx.list(&info, "CidrBlockSet", MAX_NESTED) {
        if let Some(t) = ctx.string(&b, "CidrBlock") {
            texts.push((b.path_to("CidrBlock"), t));
        }
    }
    if let Some(t) = ctx.string(&info, "CidrBlock") {
        // The primary block first.
        texts.retain(|(_, b)| *b != t);
        texts.insert(0, (info.path_to("CidrBlock"), t));
    }
    let mut cidrs = Vec::new();
    for (path, t) in texts {
        if let Some(b) = values::ipv4_block(ctx, || path.clone(), &t, Ipv6Place::PeeringBlock, Effect::ObjectLeftOut)
            && !cidrs.contains(&b)
        {
            cidrs.push(b);
        }
    }
    for b in ctx.list(&info, "Ipv6CidrBlockSet", MAX_NESTED) {
        if let Some(v6) = ctx.string(&b, "Ipv6CidrBlock") {
            ctx.warn_at(&b, What::Ipv6 { value: v6, place: Ipv6Place::PeeringBlock });
        }
    }
    Some(PcxSide { vpc, cidrs, region: ctx.string(&info, "Region") })
}
