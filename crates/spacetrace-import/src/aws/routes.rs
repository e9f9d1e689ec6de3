//! Route tables: routes, their targets, main and subnet associations.

use spacetrace_engine::doc::{BLACKHOLE, Route};

use super::{name_or, origin};
use crate::MAX_NESTED;
use crate::draft::{Drafts, PrefixRoute, RouteTableDraft};
use crate::json::{At, Ctx};
use crate::values;
use crate::warnings::{Effect, Ipv6Place, Thing, What};

const TABLE_FIELDS: &[&str] =
    &["Associations", "OwnerId", "PropagatingVgws", "RouteTableId", "Routes", "Tags", "VpcId"];
const ASSOCIATION_FIELDS: &[&str] =
    &["Main", "RouteTableAssociationId", "RouteTableId", "SubnetId", "GatewayId", "AssociationState"];

/// Fields that name a route's target, in the order they are looked at.
const TARGETS: &[&str] = &[
    "VpcPeeringConnectionId",
    "GatewayId",
    "NatGatewayId",
    "TransitGatewayId",
    "InstanceId",
    "NetworkInterfaceId",
    "EgressOnlyInternetGatewayId",
    "LocalGatewayId",
    "CarrierGatewayId",
    "CoreNetworkArn",
];
/// A route's other fields; with [`TARGETS`], every field a route may carry.
const ROUTE_OTHER_FIELDS: &[&str] = &[
    "DestinationCidrBlock",
    "DestinationIpv6CidrBlock",
    "DestinationPrefixListId",
    "InstanceOwnerId",
    "Origin",
    "State",
    "OdbNetworkArn",
];
static ROUTE_FIELDS: std::sync::LazyLock<Vec<&'static str>> =
    std::sync::LazyLock::new(|| ROUTE_OTHER_FIELDS.iter().chain(TARGETS).copied().collect());

pub(super) fn route_table(at: &At<'_>, ctx: &mut Ctx<'_>, drafts: &mut Drafts) {
    ctx.unknown_fields(at, TABLE_FIELDS);
    let Some(id) = ctx.required(at, "RouteTableId") else { return };
    let Some(vpc) = ctx.required(at, "VpcId") else { return };
    let mut table = RouteTableDraft {
        origin: origin(ctx, at),
        name: name_or(at, &id),
        id,
        vpc,
        routes: Vec::new(),
        prefix_routes: Vec::new(),
        main: false,
        subnets: Vec::new(),
    };
    for assoc in ctx.list(at, "Associations", MAX_NESTED) {
        if !ctx.is_object(&assoc) {
            continue;
        }
        ctx.unknown_fields(&assoc, ASSOCIATION_FIELDS);
        let state = assoc.v.get("AssociationState").and_then(|s| s.get("State")).and_then(|s| s.as_str());
        if state.is_some_and(|s| s != "associated") {
            continue;
        }
        if ctx.bool(&assoc, "Main") == Some(true) {
            table.main = true;
        }
        if let Some(subnet) = ctx.string(&assoc, "SubnetId") {
            table.subnets.push(subnet);
        }
        if let Some(gateway) = ctx.string(&assoc, "GatewayId") {
            ctx.warn_at(&assoc, What::NotModelled { thing: Thing::GatewayAssociation, id: gateway });
        }
    }
    for r in ctx.list(at, "Routes", MAX_NESTED) {
        if ctx.is_object(&r) {
            route(&r, ctx, &mut table);
        }
    }
    drafts.route_tables.push(table);
}

fn route(r: &At<'_>, ctx: &mut Ctx<'_>, table: &mut RouteTableDraft) {
    ctx.unknown_fields(r, &ROUTE_FIELDS);
    let target = TARGETS.iter().find_map(|k| ctx.string(r, k)).unwrap_or_default();
    if let Some(v6) = ctx.string(r, "DestinationIpv6CidrBlock") {
        ctx.warn(r.path_to("DestinationIpv6CidrBlock"), What::Ipv6 { value: v6, place: Ipv6Place::Route });
        return;
    }
    let blackhole = ctx.string(r, "State").is_some_and(|s| s == "blackhole");
    let target = if blackhole {
        let destination = ctx.string(r, "DestinationCidrBlock").or_else(|| ctx.string(r, "DestinationPrefixListId"));
        ctx.warn_at(r, What::BlackholeRoute { destination: destination.unwrap_or_default(), target });
        BLACKHOLE.to_owned()
    } else {
        target
    };
    if let Some(pl) = ctx.string(r, "DestinationPrefixListId") {
        table.prefix_routes.push(PrefixRoute { path: r.path(), prefix_list: pl, target });
        return;
    }
    let Some(text) = ctx.required(r, "DestinationCidrBlock") else { return };
    let Some(destination) =
        values::ipv4_block(ctx, || r.path_to("DestinationCidrBlock"), &text, Ipv6Place::Route, Effect::ObjectLeftOut)
    else {
        return;
    };
    if let Some(thing) = unmodelled_target(&target) {
        ctx.warn_at(r, What::RouteTarget { destination: destination.clone(), target: target.clone(), thing });
    }
    table.routes.push(Route { destination, target });
}

/// What a route target is, when Spacetrace does not model it (the route is kept: traffic it
/// takes leaves through something no space is behind).
pub(crate) fn unmodelled_target(target: &str) -> Option<Thing> {
    let t = target.trim();
    Some(match t.split('-').next().unwrap_or_default() {
        "tgw" => Thing::TransitGateway,
        "vgw" => Thing::VpnGateway,
        "vpce" => Thing::VpcEndpoint,
        "eigw" => Thing::EgressOnlyInternetGateway,
        "lgw" => Thing::LocalGateway,
        "cagw" => Thing::CarrierGateway,
        "i" | "eni" => Thing::ApplianceTarget,
        _ if t.starts_with("arn:") => Thing::CoreNetwork,
        _ => return None,
    })
}
