//! `spaces:vpn:info` (one connection) and `spaces:vpn:connections` (a list). Pre-shared keys are
//! never read: each one met is a warning that it was left out.

use spacetrace_engine::doc::TunnelStatus;

use super::{fact, origin};
use crate::draft::{Drafts, Fact, SpaceHints, VpnDraft};
use crate::json::{At, Ctx};
use crate::values;
use crate::warnings::{Effect, Ipv6Place, Secret, What};
use crate::{MAX_NESTED, MAX_OBJECTS};

const VPN_FIELDS: &[&str] = &[
    "id",
    "name",
    "public_ip",
    "routable_cidrs",
    "space_cidr_block",
    "ike_version",
    "status",
    "status_message",
    "tunnels",
    "space",
    "created_at",
    "updated_at",
];

const TUNNEL_FIELDS: &[&str] =
    &["ip", "customer_ip", "status", "last_status_change", "status_message", "pre_shared_key"];

pub(super) fn one(at: &At<'_>, ctx: &mut Ctx<'_>, drafts: &mut Drafts) {
    let mut hints = SpaceHints::default();
    let vpns: Vec<VpnDraft> = read(at, ctx, &mut hints).into_iter().collect();
    fact(ctx, drafts, hints, Fact::Vpns(vpns));
}

pub(super) fn list(root: &At<'_>, ctx: &mut Ctx<'_>, drafts: &mut Drafts) {
    let mut hints = SpaceHints::default();
    let mut vpns = Vec::new();
    for at in ctx.items(root, MAX_OBJECTS) {
        if ctx.is_object(&at) {
            vpns.extend(read(&at, ctx, &mut hints));
        }
    }
    if !vpns.is_empty() {
        fact(ctx, drafts, hints, Fact::Vpns(vpns));
    }
}

fn read(at: &At<'_>, ctx: &mut Ctx<'_>, hints: &mut SpaceHints) -> Option<VpnDraft> {
    ctx.unknown_fields(at, VPN_FIELDS);
    let tunnels = ctx.list(at, "tunnels", MAX_NESTED);
    let mut any_up = false;
    let mut customer_ips = Vec::new();
    for t in &tunnels {
        if !ctx.is_object(t) {
            continue;
        }
        ctx.unknown_fields(t, TUNNEL_FIELDS);
        if t.v.get("pre_shared_key").is_some() {
            ctx.warn(t.path_to("pre_shared_key"), What::SecretLeftOut { secret: Secret::PreSharedKey });
        }
        any_up |= ctx.string(t, "status").is_some_and(|s| s.eq_ignore_ascii_case("up"));
        customer_ips.extend(ctx.string(t, "customer_ip"));
    }
    let name = match ctx.string(at, "name") {
        Some(n) => n,
        None => ctx.required(at, "id")?,
    };
    let status = ctx.string(at, "status");
    let active = status.as_deref().is_none_or(|s| s.eq_ignore_ascii_case("active"));
    if let Some(s) = status.filter(|_| !active) {
        ctx.warn(at.path_to("status"), What::VpnStatus { vpn: name.clone(), status: s });
    }
    let up = active && (any_up || tunnels.is_empty());
    let gateway = ctx.string(at, "public_ip").or_else(|| customer_ips.first().cloned()).unwrap_or_default();
    let customer_gateway = if gateway.is_empty() || values::address(&gateway).is_some() {
        gateway
    } else {
        ctx.warn(at.path_to("public_ip"), What::BadValue { value: gateway, effect: Effect::FieldIgnored });
        String::new()
    };
    let routable_cidrs = ctx
        .strings(at, "routable_cidrs", MAX_NESTED)
        .iter()
        .filter_map(|t| match values::block(ctx, || at.path_to("routable_cidrs"), t, Effect::ObjectLeftOut)? {
            values::Block::V4(b) | values::Block::V6(b) => Some(b),
        })
        .collect();
    if let Some(space) = ctx.string(at, "space_cidr_block").and_then(|t| {
        values::ipv4_block(ctx, || at.path_to("space_cidr_block"), &t, Ipv6Place::VpcBlock, Effect::FieldIgnored)
    }) {
        hints.cidrs.push(space);
    }
    Some(VpnDraft {
        origin: origin(ctx, at),
        name: values::name(&name),
        customer_gateway,
        routable_cidrs,
        tunnel_status: if up { TunnelStatus::Up } else { TunnelStatus::Down },
    })
}
