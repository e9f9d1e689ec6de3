//! AWS site-to-site VPN connections and customer gateways. Spacetrace models VPNs from a space,
//! not from a VPC: each is reported. Their secrets (the customer gateway configuration, with the
//! tunnels' pre-shared keys, and `TunnelOptions[].PreSharedKey`) are never read; a warning says
//! each was left out.

use crate::MAX_NESTED;
use crate::json::{At, Ctx};
use crate::warnings::{Secret, Thing, What};

pub(super) fn connection(at: &At<'_>, ctx: &mut Ctx<'_>) {
    if at.v.get("CustomerGatewayConfiguration").is_some() {
        ctx.warn(
            at.path_to("CustomerGatewayConfiguration"),
            What::SecretLeftOut { secret: Secret::CustomerGatewayConfiguration },
        );
    }
    if let Some(options) = at.get("Options") {
        for t in ctx.list(&options, "TunnelOptions", MAX_NESTED) {
            if t.v.get("PreSharedKey").is_some() {
                ctx.warn(t.path_to("PreSharedKey"), What::SecretLeftOut { secret: Secret::TunnelPreSharedKey });
            }
        }
    }
    let id = ctx.string(at, "VpnConnectionId").unwrap_or_else(|| at.path());
    ctx.warn_at(at, What::NotModelled { thing: Thing::AwsVpnConnection, id });
}

pub(super) fn customer_gateway(at: &At<'_>, ctx: &mut Ctx<'_>) {
    let id = ctx.string(at, "CustomerGatewayId").unwrap_or_else(|| at.path());
    ctx.warn_at(at, What::NotModelled { thing: Thing::CustomerGateway, id });
}
