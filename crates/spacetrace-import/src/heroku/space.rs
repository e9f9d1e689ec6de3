//! `spaces:info` and `spaces:trusted-ips`.

use spacetrace_engine::doc::Generation;

use super::{fact, origin, text_or_name};
use crate::MAX_NESTED;
use crate::draft::{Drafts, Fact, SpaceDraft, SpaceHints};
use crate::json::{At, Ctx};
use crate::values::{self, Block};
use crate::warnings::{Effect, Thing, What};

const SPACE_FIELDS: &[&str] = &[
    "id",
    "name",
    "cidr",
    "data_cidr",
    "generation",
    "shield",
    "state",
    "region",
    "team",
    "organization",
    "created_at",
    "updated_at",
    "outbound_ips",
];

pub(super) fn info(at: &At<'_>, ctx: &mut Ctx<'_>, drafts: &mut Drafts) {
    ctx.unknown_fields(at, SPACE_FIELDS);
    let Some(name) = ctx.required(at, "name") else { return };
    let mut space = SpaceDraft { origin: origin(ctx, at), name: values::name(&name), ..SpaceDraft::default() };
    space.cidr = space_block(ctx, at, "cidr");
    space.data_cidr = space_block(ctx, at, "data_cidr");
    if let Some(g) = text_or_name(ctx, at, "generation") {
        match g.to_ascii_lowercase().as_str() {
            "cedar" => space.generation = Generation::Cedar,
            "fir" => space.generation = Generation::Fir,
            _ => ctx.warn(at.path_to("generation"), What::BadValue { value: g, effect: Effect::FieldIgnored }),
        }
    }
    space.shield = ctx.bool(at, "shield").unwrap_or(false);
    space.region = text_or_name(ctx, at, "region").unwrap_or_default();
    if let Some(state) = ctx.string(at, "state")
        && state != "allocated"
    {
        ctx.warn(at.path_to("state"), What::SpaceState { space: space.name.clone(), state });
    }
    if let Some(outbound) = ctx.object(at, "outbound_ips") {
        ctx.unknown_fields(&outbound, &["state", "sources", "created_at", "updated_at", "version"]);
        for source in ctx.strings(&outbound, "sources", MAX_NESTED) {
            match outbound_address(&source) {
                Some(a) => space.outbound_ips.push(a),
                None => ctx.warn(outbound.path_to("sources"), What::OutboundRange { source }),
            }
        }
    }
    drafts.spaces.push(space);
}

/// An IPv4 block for a space field; anything else is a warning and ignored.
fn space_block(ctx: &mut Ctx<'_>, at: &At<'_>, key: &str) -> Option<String> {
    let text = ctx.string(at, key)?;
    match values::block(ctx, || at.path_to(key), &text, Effect::FieldIgnored)? {
        Block::V4(b) => Some(b),
        Block::V6(b) => {
            ctx.warn(at.path_to(key), What::BadValue { value: b, effect: Effect::FieldIgnored });
            None
        }
    }
}

/// An outbound source as one address: a bare address, or a block of one address.
fn outbound_address(source: &str) -> Option<String> {
    if let Some(a) = values::address(source) {
        return Some(a.to_string());
    }
    let (addr, prefix) = source.split_once('/')?;
    let a = values::address(addr)?;
    let full = if a.is_ipv4() { "32" } else { "128" };
    (prefix.trim() == full).then(|| a.to_string())
}

pub(super) fn trusted_ips(at: &At<'_>, ctx: &mut Ctx<'_>, drafts: &mut Drafts) {
    ctx.unknown_fields(
        at,
        &["rules", "applied", "version", "default_action", "created_at", "created_by", "updated_at", "updated_by"],
    );
    let mut allow = Vec::new();
    for rule in ctx.list(at, "rules", MAX_NESTED) {
        if !ctx.is_object(&rule) {
            continue;
        }
        ctx.unknown_fields(&rule, &["action", "source"]);
        let Some(source) = ctx.required(&rule, "source") else { continue };
        let action = ctx.string(&rule, "action").unwrap_or_else(|| "allow".into());
        match action.to_ascii_lowercase().as_str() {
            "allow" => {
                if let Some(Block::V4(b) | Block::V6(b)) =
                    values::block(ctx, || rule.path_to("source"), &source, Effect::ObjectLeftOut)
                {
                    allow.push(b);
                }
            }
            "deny" => ctx.warn_at(&rule, What::NotModelled { thing: Thing::TrustedIpDeny, id: source }),
            _ => ctx.warn(rule.path_to("action"), What::BadValue { value: action, effect: Effect::ObjectLeftOut }),
        }
    }
    if ctx.bool(at, "applied") == Some(false) {
        ctx.warn(at.path_to("applied"), What::TrustedIpsNotApplied);
    }
    fact(ctx, drafts, SpaceHints::default(), Fact::TrustedIps(allow));
}

#[cfg(test)]
mod tests {
    use super::outbound_address;

    #[test]
    fn outbound_sources() {
        assert_eq!(outbound_address("52.1.2.3/32").as_deref(), Some("52.1.2.3"));
        assert_eq!(outbound_address("52.1.2.3").as_deref(), Some("52.1.2.3"));
        assert_eq!(outbound_address("52.1.2.0/24"), None);
    }
}
