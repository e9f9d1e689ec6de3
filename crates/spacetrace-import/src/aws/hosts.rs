//! Hosts: instances of `describe-instances` (`Reservations[].Instances[]`) and network interfaces
//! of `describe-network-interfaces` that belong to no instance (a database, a load balancer, a
//! function). Only the primary private IPv4 address is modelled; the others are warned about.
//! These objects have many fields about hardware, images and dates; only those that bear on
//! connectivity are read.

use serde_json::Value;

use super::{name_or, origin};
use crate::draft::{Drafts, HostDraft, InterfaceDraft};
use crate::json::{At, Ctx};
use crate::values;
use crate::warnings::{Effect, Ipv6Place, Thing, What};
use crate::{MAX_NESTED, MAX_OBJECTS};

pub(super) fn reservations(root: &At<'_>, ctx: &mut Ctx<'_>, drafts: &mut Drafts) {
    let mut read = 0usize;
    let mut total = 0usize;
    for r in ctx.list(root, "Reservations", MAX_OBJECTS) {
        if !ctx.is_object(&r) {
            continue;
        }
        for i in ctx.list(&r, "Instances", MAX_OBJECTS) {
            total += 1;
            if read >= MAX_OBJECTS {
                continue;
            }
            read += 1;
            if ctx.is_object(&i) {
                instance(&i, ctx, drafts);
            }
        }
    }
    if total > read {
        ctx.warn("Reservations".into(), What::Capped { kept: read, total });
    }
}

fn instance(at: &At<'_>, ctx: &mut Ctx<'_>, drafts: &mut Drafts) {
    let Some(id) = ctx.required(at, "InstanceId") else { return };
    let name = name_or(at, &id);
    let state = at.v.get("State").and_then(|s| s.get("Name")).and_then(Value::as_str).unwrap_or("running");
    match state {
        "terminated" | "shutting-down" => {
            ctx.warn(at.path_to("State"), What::InstanceState { host: name, state: state.to_owned(), kept: false });
            return;
        }
        "stopped" | "stopping" => ctx
            .warn(at.path_to("State"), What::InstanceState { host: name.clone(), state: state.to_owned(), kept: true }),
        _ => {}
    }
    let Some(subnet) = ctx.required(at, "SubnetId") else { return };
    let Some(address) = private_address(at, ctx) else { return };
    let groups = ctx.list(at, "SecurityGroups", MAX_NESTED).iter().filter_map(|g| ctx.string(g, "GroupId")).collect();
    if let Some(public) = ctx.string(at, "PublicIpAddress") {
        ctx.warn(at.path_to("PublicIpAddress"), What::PublicAddress { host: name.clone(), address: public });
    }
    if let Some(v6) = ctx.string(at, "Ipv6Address") {
        ctx.warn(at.path_to("Ipv6Address"), What::Ipv6 { value: v6, place: Ipv6Place::Address });
    }
    // Every other private address, on this interface or another.
    let mut extra = Vec::new();
    for eni in ctx.list(at, "NetworkInterfaces", MAX_NESTED) {
        extra.extend(other_addresses(&eni, ctx, &address));
        for a in ctx.list(&eni, "Ipv6Addresses", MAX_NESTED) {
            if let Some(v6) = ctx.string(&a, "Ipv6Address") {
                ctx.warn_at(&a, What::Ipv6 { value: v6, place: Ipv6Place::Address });
            }
        }
    }
    if !extra.is_empty() {
        ctx.warn(at.path_to("NetworkInterfaces"), What::ExtraAddresses { host: name.clone(), addresses: extra });
    }
    drafts.hosts.push(HostDraft {
        origin: origin(ctx, at),
        id,
        name,
        vpc: ctx.string(at, "VpcId"),
        subnet,
        address,
        groups,
    });
}

/// The object's `PrivateIpAddress`, an IPv4 address; a warning (the host is left out) otherwise.
fn private_address(at: &At<'_>, ctx: &mut Ctx<'_>) -> Option<String> {
    let text = ctx.required(at, "PrivateIpAddress")?;
    match values::address4(&text) {
        Some(a) => Some(a.to_string()),
        None => {
            ctx.warn(at.path_to("PrivateIpAddress"), What::BadValue { value: text, effect: Effect::ObjectLeftOut });
            None
        }
    }
}

/// The private addresses of an interface other than `primary`.
fn other_addresses(eni: &At<'_>, ctx: &mut Ctx<'_>, primary: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |a: String| {
        if a != primary && !out.contains(&a) {
            out.push(a);
        }
    };
    if let Some(a) = ctx.string(eni, "PrivateIpAddress") {
        add(a);
    }
    for p in ctx.list(eni, "PrivateIpAddresses", MAX_NESTED) {
        if let Some(a) = ctx.string(&p, "PrivateIpAddress") {
            add(a);
        }
    }
    out
}

pub(super) fn interface(at: &At<'_>, ctx: &mut Ctx<'_>, drafts: &mut Drafts) {
    let Some(id) = ctx.required(at, "NetworkInterfaceId") else { return };
    let kind = ctx.string(at, "InterfaceType").unwrap_or_else(|| "interface".into());
    if kind != "interface" {
        ctx.warn_at(at, What::NotModelled { thing: Thing::NetworkInterface { interface_type: kind }, id });
        return;
    }
    let attachment = at.get("Attachment");
    let instance = attachment.as_ref().and_then(|a| ctx.string(a, "InstanceId"));
    let status = ctx.string(at, "Status").unwrap_or_default();
    if attachment.is_none() && status == "available" {
        ctx.warn_at(at, What::NotModelled { thing: Thing::DetachedInterface, id });
        return;
    }
    let Some(subnet) = ctx.required(at, "SubnetId") else { return };
    let Some(address) = private_address(at, ctx) else { return };
    let name = match (crate::json::name_tag(at), ctx.string(at, "Description")) {
        (Some(n), _) => values::name(&n),
        (None, Some(d)) => values::name(&format!("{d} ({id})")),
        (None, None) => id.clone(),
    };
    let groups = ctx.list(at, "Groups", MAX_NESTED).iter().filter_map(|g| ctx.string(g, "GroupId")).collect();
    let public = at.get("Association").and_then(|a| ctx.string(&a, "PublicIp"));
    let extra = other_addresses(at, ctx, &address);
    for a in ctx.list(at, "Ipv6Addresses", MAX_NESTED) {
        if let Some(v6) = ctx.string(&a, "Ipv6Address") {
            ctx.warn_at(&a, What::Ipv6 { value: v6, place: Ipv6Place::Address });
        }
    }
    drafts.interfaces.push(InterfaceDraft {
        host: HostDraft { origin: origin(ctx, at), id, name, vpc: ctx.string(at, "VpcId"), subnet, address, groups },
        instance,
        public,
        extra,
    });
}
