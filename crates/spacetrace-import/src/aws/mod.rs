//! AWS CLI outputs (`aws ec2 describe-…`), each recognised by its top-level key: VPCs, subnets,
//! route tables, security groups, network ACLs, VPC peering connections, instances
//! (`Reservations`), network interfaces, NAT and internet gateways, prefix lists; VPN
//! connections and customer gateways, which Spacetrace does not model, are reported, and their
//! secrets never read. Outputs of other `describe-…` commands Spacetrace recognises
//! ([`crate::detect::AWS_NOT_MODELLED`]) are reported object by object.

mod hosts;
mod network;
mod peering;
mod routes;
mod rules;
mod vpn;

use crate::detect::{AWS_ENVELOPE, AwsOutput, aws_output};
use crate::draft::{Drafts, Origin};
use crate::json::{At, Ctx};
use crate::warnings::{Thing, What};
use crate::{MAX_OBJECTS, json};

pub(crate) fn read(sections: &[AwsOutput], root: &At<'_>, ctx: &mut Ctx<'_>, drafts: &mut Drafts) {
    if let Some(map) = root.obj() {
        for key in map.keys() {
            if aws_output(key).is_none() && !AWS_ENVELOPE.contains(&key.as_str()) {
                ctx.warn(key.clone(), What::UnknownField { name: key.clone() });
            }
        }
    }
    if root.v.get("NextToken").is_some_and(|t| !t.is_null()) {
        ctx.warn("NextToken".into(), What::Paginated);
    }
    for section in sections {
        if let AwsOutput::Reservations = section {
            hosts::reservations(root, ctx, drafts);
            continue;
        }
        let key = section.key();
        for at in ctx.list(root, key, MAX_OBJECTS) {
            if !ctx.is_object(&at) {
                continue;
            }
            match section {
                AwsOutput::Vpcs => network::vpc(&at, ctx, drafts),
                AwsOutput::Subnets => network::subnet(&at, ctx, drafts),
                AwsOutput::NatGateways => network::nat_gateway(&at, ctx, drafts),
                AwsOutput::InternetGateways => network::internet_gateway(&at, ctx),
                AwsOutput::PrefixLists => network::prefix_list(&at, ctx, drafts),
                AwsOutput::RouteTables => routes::route_table(&at, ctx, drafts),
                AwsOutput::SecurityGroups => rules::security_group(&at, ctx, drafts),
                AwsOutput::NetworkAcls => rules::network_acl(&at, ctx, drafts),
                AwsOutput::VpcPeeringConnections => peering::connection(&at, ctx, drafts),
                AwsOutput::NetworkInterfaces => hosts::interface(&at, ctx, drafts),
                AwsOutput::VpnConnections => vpn::connection(&at, ctx),
                AwsOutput::CustomerGateways => vpn::customer_gateway(&at, ctx),
                AwsOutput::NotModelled(collection) => {
                    let id = object_id(&at).unwrap_or_else(|| at.path());
                    ctx.warn_at(
                        &at,
                        What::NotModelled { thing: Thing::AwsObject { collection: collection.clone() }, id },
                    );
                }
                AwsOutput::Reservations => {}
            }
        }
    }
}

/// The ID of an AWS object of an output Spacetrace does not model: its first `…Id` field that
/// is not a reference to an owner, account, VPC or subnet (or, for an Elastic IP, its address).
fn object_id(at: &At<'_>) -> Option<String> {
    const NOT_OWN: &[&str] = &["OwnerId", "VpcId", "SubnetId", "RequesterId", "AccountId", "InstanceOwnerId"];
    let map = at.obj()?;
    map.iter()
        .find(|(k, v)| k.ends_with("Id") && !NOT_OWN.contains(&k.as_str()) && v.is_string())
        .or_else(|| map.iter().find(|(k, v)| k.as_str() == "PublicIp" && v.is_string()))
        .and_then(|(_, v)| v.as_str())
        .map(str::to_owned)
}

fn origin(ctx: &Ctx<'_>, at: &At<'_>) -> Origin {
    Origin { file: ctx.file.to_owned(), path: at.path() }
}

/// The object's `Name` tag, or its ID.
fn name_or(at: &At<'_>, id: &str) -> String {
    crate::values::name(&json::name_tag(at).unwrap_or_else(|| id.to_owned()))
}
