//! VPCs, subnets, NAT and internet gateways, prefix lists.

use super::{name_or, origin};
use crate::MAX_NESTED;
use crate::draft::{Drafts, NatDraft, PrefixListDraft, SubnetDraft, VpcDraft};
use crate::json::{At, Ctx};
use crate::values::{self, Block};
use crate::warnings::{Effect, Ipv6Place, Thing, What};

const VPC_FIELDS: &[&str] = &[
    "CidrBlock",
    "CidrBlockAssociationSet",
    "Ipv6CidrBlockAssociationSet",
    "DhcpOptionsId",
    "InstanceTenancy",
    "IsDefault",
    "OwnerId",
    "State",
    "Tags",
    "VpcId",
    "BlockPublicAccessStates",
    "EncryptionControl",
];

pub(super) fn vpc(at: &At<'_>, ctx: &mut Ctx<'_>, drafts: &mut Drafts) {
    ctx.unknown_fields(at, VPC_FIELDS);
    let Some(id) = ctx.required(at, "VpcId") else { return };
    let primary = ctx.string(at, "CidrBlock").and_then(|t| {
        values::ipv4_block(ctx, || at.path_to("CidrBlock"), &t, Ipv6Place::VpcBlock, Effect::FieldIgnored)
    });
    let mut secondary = Vec::new();
    for assoc in ctx.list(at, "CidrBlockAssociationSet", MAX_NESTED) {
        if !associated(&assoc, "CidrBlockState") {
            continue;
        }
        let Some(t) = ctx.string(&assoc, "CidrBlock") else { continue };
        if let Some(b) =
            values::ipv4_block(ctx, || assoc.path_to("CidrBlock"), &t, Ipv6Place::VpcBlock, Effect::FieldIgnored)
            && Some(&b) != primary.as_ref()
            && !secondary.contains(&b)
        {
            secondary.push(b);
        }
    }
    ipv6_blocks(at, ctx, Ipv6Place::VpcBlock);
    drafts.vpcs.push(VpcDraft {
        origin: origin(ctx, at),
        name: name_or(at, &id),
        id,
        region: None,
        primary,
        secondary,
    });
}

/// Whether a CIDR block association is in force (`associated`, or no state given).
fn associated(assoc: &At<'_>, state_key: &str) -> bool {
    assoc.v.get(state_key).and_then(|s| s.get("State")).and_then(|s| s.as_str()).is_none_or(|s| s == "associated")
}

/// Warn about the object's associated IPv6 blocks.
fn ipv6_blocks(at: &At<'_>, ctx: &mut Ctx<'_>, place: Ipv6Place) {
    for assoc in ctx.list(at, "Ipv6CidrBlockAssociationSet", MAX_NESTED) {
        if associated(&assoc, "Ipv6CidrBlockState")
            && let Some(b) = ctx.string(&assoc, "Ipv6CidrBlock")
        {
            ctx.warn_at(&assoc, What::Ipv6 { value: b, place });
        }
    }
}

const SUBNET_FIELDS: &[&str] = &[
    "AssignIpv6AddressOnCreation",
    "AvailabilityZone",
    "AvailabilityZoneId",
    "AvailableIpAddressCount",
    "CidrBlock",
    "DefaultForAz",
    "Ipv6CidrBlockAssociationSet",
    "MapPublicIpOnLaunch",
    "OwnerId",
    "State",
    "SubnetArn",
    "SubnetId",
    "Tags",
    "VpcId",
    "EnableDns64",
    "Ipv6Native",
    "PrivateDnsNameOptionsOnLaunch",
    "MapCustomerOwnedIpOnLaunch",
    "CustomerOwnedIpv4Pool",
    "EnableLniAtDeviceIndex",
    "OutpostArn",
    "BlockPublicAccessStates",
    "Type",
];

pub(super) fn subnet(at: &At<'_>, ctx: &mut Ctx<'_>, drafts: &mut Drafts) {
    ctx.unknown_fields(at, SUBNET_FIELDS);
    let Some(id) = ctx.required(at, "SubnetId") else { return };
    let Some(vpc) = ctx.required(at, "VpcId") else { return };
    ipv6_blocks(at, ctx, Ipv6Place::SubnetBlock);
    let Some(text) = ctx.required(at, "CidrBlock") else { return };
    let Some(cidr) =
        values::ipv4_block(ctx, || at.path_to("CidrBlock"), &text, Ipv6Place::SubnetBlock, Effect::ObjectLeftOut)
    else {
        return;
    };
    let region = values::region_of(ctx.str(at, "SubnetArn"), ctx.str(at, "AvailabilityZone"));
    drafts.subnets.push(SubnetDraft { origin: origin(ctx, at), name: name_or(at, &id), id, vpc, cidr, region });
}

pub(super) fn nat_gateway(at: &At<'_>, ctx: &mut Ctx<'_>, drafts: &mut Drafts) {
    let Some(id) = ctx.required(at, "NatGatewayId") else { return };
    let state = ctx.string(at, "State").unwrap_or_default();
    let public = ctx.string(at, "ConnectivityType").is_none_or(|c| c == "public");
    let live = matches!(state.as_str(), "" | "available" | "pending");
    let mut address = None;
    for a in ctx.list(at, "NatGatewayAddresses", MAX_NESTED) {
        if let Some(ip) = ctx.string(&a, "PublicIp")
            && address.is_none()
        {
            match values::address4(&ip) {
                Some(ip) => address = Some(ip.to_string()),
                None => ctx.warn(a.path_to("PublicIp"), What::BadValue { value: ip, effect: Effect::FieldIgnored }),
            }
        }
    }
    match (ctx.string(at, "VpcId"), address) {
        (Some(vpc), Some(public_ip)) if public && live => {
            drafts.nat_gateways.push(NatDraft { origin: origin(ctx, at), id, vpc, public_ip })
        }
        _ => ctx.warn_at(at, What::NotModelled { thing: Thing::NatGatewayWithoutAddress, id }),
    }
}

pub(super) fn internet_gateway(at: &At<'_>, ctx: &mut Ctx<'_>) {
    let Some(id) = ctx.required(at, "InternetGatewayId") else { return };
    ctx.warn_at(at, What::NotModelled { thing: Thing::InternetGateway, id });
}

const PREFIX_LIST_FIELDS: &[&str] = &[
    "PrefixListId",
    "PrefixListName",
    "Cidrs",
    "AddressFamily",
    "State",
    "StateMessage",
    "PrefixListArn",
    "MaxEntries",
    "Version",
    "Tags",
    "OwnerId",
    "IpamPrefixListResolverSyncEnabled",
    "IpamPrefixListResolverTargetId",
];

/// A prefix list of `describe-prefix-lists` (with its `Cidrs`) or of
/// `describe-managed-prefix-lists` (without entries: those come from
/// `get-managed-prefix-list-entries`, which does not name its list).
pub(super) fn prefix_list(at: &At<'_>, ctx: &mut Ctx<'_>, drafts: &mut Drafts) {
    ctx.unknown_fields(at, PREFIX_LIST_FIELDS);
    let Some(id) = ctx.required(at, "PrefixListId") else { return };
    let name = ctx.string(at, "PrefixListName").map_or_else(|| id.clone(), |n| values::name(&n));
    let mut entries = Vec::new();
    if at.v.get("Cidrs").is_some() {
        for t in ctx.strings(at, "Cidrs", MAX_NESTED) {
            if let Some(Block::V4(b) | Block::V6(b)) =
                values::block(ctx, || at.path_to("Cidrs"), &t, Effect::ObjectLeftOut)
            {
                entries.push(b);
            }
        }
    } else {
        ctx.warn_at(at, What::PrefixListWithoutEntries { id: id.clone() });
    }
    drafts.prefix_lists.push(PrefixListDraft { origin: origin(ctx, at), id, name, entries });
}
