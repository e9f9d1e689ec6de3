//! `spaces:peerings` (a list) and `spaces:peerings:info` (what a VPC needs to peer with the space).

use super::{fact, origin};
use crate::draft::{Drafts, Fact, HerokuPeeringDraft, PeeringInfoDraft, SpaceHints};
use crate::json::{At, Ctx};
use crate::values;
use crate::warnings::{Effect, Ipv6Place, Thing, What};
use crate::{MAX_NESTED, MAX_OBJECTS};

const PEERING_FIELDS: &[&str] =
    &["type", "pcx_id", "cidr_block", "cidr_blocks", "status", "aws_vpc_id", "aws_region", "aws_account_id", "expires"];

pub(super) fn list(root: &At<'_>, ctx: &mut Ctx<'_>, drafts: &mut Drafts) {
    let mut peerings = Vec::new();
    for at in ctx.items(root, MAX_OBJECTS) {
        if !ctx.is_object(&at) {
            continue;
        }
        ctx.unknown_fields(&at, PEERING_FIELDS);
        let Some(pcx) = ctx.required(&at, "pcx_id") else { continue };
        let kind = ctx.string(&at, "type").unwrap_or_default();
        if kind == "heroku-managed" {
            ctx.warn_at(&at, What::NotModelled { thing: Thing::HerokuManagedPeering, id: pcx });
            continue;
        }
        let status_text = ctx.string(&at, "status").unwrap_or_else(|| "pending-acceptance".into());
        let status = match values::peering_status(&status_text) {
            Some((status, lossy)) => {
                if lossy {
                    ctx.warn(
                        at.path_to("status"),
                        What::StatusRead { id: pcx.clone(), status: status_text.clone(), read_as: status },
                    );
                }
                status
            }
            None => {
                ctx.warn(
                    at.path_to("status"),
                    What::BadValue { value: status_text.clone(), effect: Effect::FieldIgnored },
                );
                Default::default()
            }
        };
        let mut texts = ctx.strings(&at, "cidr_blocks", MAX_NESTED);
        texts.extend(ctx.string(&at, "cidr_block"));
        let cidr_blocks = blocks(ctx, &at, "cidr_blocks", &texts, Ipv6Place::PeeringBlock);
        peerings.push(HerokuPeeringDraft {
            origin: origin(ctx, &at),
            pcx,
            vpc: ctx.string(&at, "aws_vpc_id"),
            cidr_blocks,
            region: ctx.string(&at, "aws_region"),
            status,
            status_text,
        });
    }
    if !peerings.is_empty() {
        fact(ctx, drafts, SpaceHints::default(), Fact::Peerings(peerings));
    }
}

/// IPv4 blocks of a list field, each bad or IPv6 one warned about and left out.
fn blocks(ctx: &mut Ctx<'_>, at: &At<'_>, key: &str, texts: &[String], place: Ipv6Place) -> Vec<String> {
    texts.iter().filter_map(|t| values::ipv4_block(ctx, || at.path_to(key), t, place, Effect::ObjectLeftOut)).collect()
}

pub(super) fn info(at: &At<'_>, ctx: &mut Ctx<'_>, drafts: &mut Drafts) {
    ctx.unknown_fields(
        at,
        &[
            "aws_account_id",
            "aws_region",
            "vpc_id",
            "vpc_cidr",
            "space_cidr_blocks",
            "unavailable_cidr_blocks",
            "dyno_cidr_blocks",
        ],
    );
    let list = |ctx: &mut Ctx<'_>, key: &str| -> Option<Vec<String>> {
        at.v.get(key)?;
        let texts = ctx.strings(at, key, MAX_NESTED);
        Some(blocks(ctx, at, key, &texts, Ipv6Place::VpcBlock))
    };
    let space_blocks = list(ctx, "space_cidr_blocks").unwrap_or_default();
    let unavailable = list(ctx, "unavailable_cidr_blocks");
    let dyno_subnets = list(ctx, "dyno_cidr_blocks");
    let vpc_cidr = ctx.string(at, "vpc_cidr").and_then(|t| {
        values::ipv4_block(ctx, || at.path_to("vpc_cidr"), &t, Ipv6Place::VpcBlock, Effect::FieldIgnored)
    });
    let info = PeeringInfoDraft {
        vpc_id: ctx.string(at, "vpc_id"),
        space_cidr: vpc_cidr.clone().or_else(|| space_blocks.first().cloned()),
        unavailable,
        dyno_subnets,
        region: ctx.string(at, "aws_region"),
    };
    let mut hints = SpaceHints::default();
    hints.cidrs.extend(vpc_cidr);
    hints.cidrs.extend(space_blocks);
    fact(ctx, drafts, hints, Fact::PeeringInfo(info));
}
