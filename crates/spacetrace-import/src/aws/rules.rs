//! Security groups and network ACLs.

use spacetrace_engine::doc::{AclRule, Action, RuleProtocol, SgRule};

use super::{name_or, origin};
use crate::MAX_NESTED;
use crate::draft::{AclDraft, Drafts, GroupDraft};
use crate::json::{At, Ctx};
use crate::values::{self, Block};
use crate::warnings::{Effect, Ipv6Place, What};

const GROUP_FIELDS: &[&str] = &[
    "Description",
    "GroupName",
    "IpPermissions",
    "IpPermissionsEgress",
    "OwnerId",
    "GroupId",
    "Tags",
    "VpcId",
    "SecurityGroupArn",
];
const PERMISSION_FIELDS: &[&str] =
    &["FromPort", "IpProtocol", "IpRanges", "Ipv6Ranges", "PrefixListIds", "ToPort", "UserIdGroupPairs"];

pub(super) fn security_group(at: &At<'_>, ctx: &mut Ctx<'_>, drafts: &mut Drafts) {
    ctx.unknown_fields(at, GROUP_FIELDS);
    let Some(id) = ctx.required(at, "GroupId") else { return };
    let Some(vpc) = ctx.required(at, "VpcId") else { return };
    let name = ctx.string(at, "GroupName").map_or_else(|| name_or(at, &id), |n| values::name(&n));
    let inbound = permissions(at, ctx, "IpPermissions");
    let outbound = permissions(at, ctx, "IpPermissionsEgress");
    drafts.security_groups.push(GroupDraft { origin: origin(ctx, at), id, name, vpc, inbound, outbound });
}

fn permissions(at: &At<'_>, ctx: &mut Ctx<'_>, key: &str) -> Vec<SgRule> {
    let mut rules = Vec::new();
    for p in ctx.list(at, key, MAX_NESTED) {
        if ctx.is_object(&p) {
            permission(&p, ctx, &mut rules);
        }
    }
    rules
}

/// One permission: a protocol and ports, and the peers it admits (each becomes one rule).
fn permission(p: &At<'_>, ctx: &mut Ctx<'_>, rules: &mut Vec<SgRule>) {
    ctx.unknown_fields(p, PERMISSION_FIELDS);
    let protocol_text = ctx.string(p, "IpProtocol").unwrap_or_else(|| "-1".into());
    let Some(protocol) = values::rule_protocol(&protocol_text) else {
        ctx.warn(p.path_to("IpProtocol"), What::Protocol { protocol: protocol_text });
        return;
    };
    let ports = if protocol == RuleProtocol::All {
        "all".to_owned()
    } else {
        let (from, to) = (ctx.int(p, "FromPort"), ctx.int(p, "ToPort"));
        match values::port_range(from, to) {
            Some(ports) => ports,
            None => {
                let value = format!("{}-{}", from.unwrap_or(-1), to.unwrap_or(-1));
                ctx.warn(p.path_to("FromPort"), What::BadValue { value, effect: Effect::ObjectLeftOut });
                return;
            }
        }
    };
    let mut peers = Vec::new();
    let mut v6 = Vec::new();
    for r in ctx.list(p, "IpRanges", MAX_NESTED) {
        let Some(t) = ctx.string(&r, "CidrIp") else { continue };
        match values::block(ctx, || r.path_to("CidrIp"), &t, Effect::ObjectLeftOut) {
            Some(Block::V4(b)) => peers.push(b),
            Some(Block::V6(b)) => v6.push(b),
            None => {}
        }
    }
    for r in ctx.list(p, "Ipv6Ranges", MAX_NESTED) {
        v6.extend(ctx.string(&r, "CidrIpv6"));
    }
    for l in ctx.list(p, "PrefixListIds", MAX_NESTED) {
        peers.extend(ctx.string(&l, "PrefixListId"));
    }
    for g in ctx.list(p, "UserIdGroupPairs", MAX_NESTED) {
        let Some(group) = ctx.string(&g, "GroupId") else {
            // Default-VPC-less outputs name groups by GroupName only; nothing can resolve those.
            let name = ctx.string(&g, "GroupName").unwrap_or_default();
            ctx.warn(g.path_to("GroupId"), What::MissingField { field: format!("GroupId ({name})") });
            continue;
        };
        if ctx.string(&g, "PeeringStatus").is_some_and(|s| s == "deleted") {
            ctx.warn(g.path_to("PeeringStatus"), What::BadValue { value: group, effect: Effect::ObjectLeftOut });
            continue;
        }
        peers.push(group);
    }
    if !v6.is_empty() {
        ctx.warn(
            p.path_to("Ipv6Ranges"),
            What::Ipv6 { value: v6.join(", "), place: Ipv6Place::SecurityGroupRule { only: peers.is_empty() } },
        );
    }
    rules.extend(peers.into_iter().map(|cidr| SgRule { protocol, ports: ports.clone(), cidr }));
}

const ACL_FIELDS: &[&str] = &["Associations", "Entries", "IsDefault", "NetworkAclId", "OwnerId", "Tags", "VpcId"];
const ENTRY_FIELDS: &[&str] =
    &["CidrBlock", "Egress", "IcmpTypeCode", "Ipv6CidrBlock", "PortRange", "Protocol", "RuleAction", "RuleNumber"];

pub(super) fn network_acl(at: &At<'_>, ctx: &mut Ctx<'_>, drafts: &mut Drafts) {
    ctx.unknown_fields(at, ACL_FIELDS);
    let Some(id) = ctx.required(at, "NetworkAclId") else { return };
    let Some(vpc) = ctx.required(at, "VpcId") else { return };
    let mut acl = AclDraft {
        origin: origin(ctx, at),
        name: name_or(at, &id),
        id,
        vpc,
        inbound: Vec::new(),
        outbound: Vec::new(),
        subnets: Vec::new(),
    };
    for a in ctx.list(at, "Associations", MAX_NESTED) {
        acl.subnets.extend(ctx.string(&a, "SubnetId"));
    }
    for e in ctx.list(at, "Entries", MAX_NESTED) {
        if !ctx.is_object(&e) {
            continue;
        }
        ctx.unknown_fields(&e, ENTRY_FIELDS);
        let egress = ctx.bool(&e, "Egress").unwrap_or(false);
        if let Some(rule) = entry(&e, ctx) {
            if egress { acl.outbound.push(rule) } else { acl.inbound.push(rule) }
        }
    }
    drafts.network_acls.push(acl);
}

fn entry(e: &At<'_>, ctx: &mut Ctx<'_>) -> Option<AclRule> {
    let protocol_text = ctx.string(e, "Protocol").unwrap_or_else(|| "-1".into());
    let Some(protocol) = values::rule_protocol(&protocol_text) else {
        ctx.warn(e.path_to("Protocol"), What::Protocol { protocol: protocol_text });
        return None;
    };
    if let Some(v6) = ctx.string(e, "Ipv6CidrBlock") {
        ctx.warn(e.path_to("Ipv6CidrBlock"), What::Ipv6 { value: v6, place: Ipv6Place::AclEntry });
        return None;
    }
    let number_value = ctx.int(e, "RuleNumber");
    let Some(number) = number_value.and_then(|n| u32::try_from(n).ok()).filter(|n| (1..=32767).contains(n)) else {
        let value = number_value.map(|n| n.to_string()).unwrap_or_default();
        ctx.warn(e.path_to("RuleNumber"), What::BadValue { value, effect: Effect::ObjectLeftOut });
        return None;
    };
    let action_text = ctx.string(e, "RuleAction").unwrap_or_default();
    let action = match action_text.to_ascii_lowercase().as_str() {
        "allow" => Action::Allow,
        "deny" => Action::Deny,
        _ => {
            ctx.warn(e.path_to("RuleAction"), What::BadValue { value: action_text, effect: Effect::ObjectLeftOut });
            return None;
        }
    };
    let ports = if protocol == RuleProtocol::All {
        "all".to_owned()
    } else {
        let range = e.get("PortRange");
        let (from, to) = match &range {
            Some(r) => (ctx.int(r, "From"), ctx.int(r, "To")),
            None => (None, None),
        };
        match values::port_range(from, to) {
            Some(p) => p,
            None => {
                let value = format!("{}-{}", from.unwrap_or(-1), to.unwrap_or(-1));
                ctx.warn(e.path_to("PortRange"), What::BadValue { value, effect: Effect::ObjectLeftOut });
                return None;
            }
        }
    };
    let text = ctx.required(e, "CidrBlock")?;
    let cidr = values::ipv4_block(ctx, || e.path_to("CidrBlock"), &text, Ipv6Place::AclEntry, Effect::ObjectLeftOut)?;
    Some(AclRule { number, protocol, ports, cidr, action })
}
