//! Reading the values both clouds share: CIDR blocks, addresses, ports, protocols, statuses.
//! A value the document could not use becomes a warning here, so the imported document checks
//! clean of the engine's "bad value" errors.

use std::net::{IpAddr, Ipv4Addr};

use ipnet::IpNet;
use spacetrace_engine::cidr::parse_cidr;
use spacetrace_engine::doc::{PeeringStatus, RuleProtocol};

use crate::json::Ctx;
use crate::warnings::{Effect, Ipv6Place, What};

/// A CIDR block read from a file.
pub(crate) enum Block {
    V4(String),
    V6(String),
}

/// Read a CIDR block; a bad one is a warning (`effect` says what happens to its owner).
pub(crate) fn block(ctx: &mut Ctx<'_>, path: impl FnOnce() -> String, text: &str, effect: Effect) -> Option<Block> {
    match parse_cidr(text) {
        Ok((IpNet::V4(net), _)) => Some(Block::V4(net.to_string())),
        Ok((IpNet::V6(net), _)) => Some(Block::V6(net.to_string())),
        Err(_) => {
            ctx.warn(path(), What::BadValue { value: text.to_owned(), effect });
            None
        }
    }
}

/// Read an IPv4 CIDR block; IPv6 is a warning naming `place`, a bad block a warning.
pub(crate) fn ipv4_block(
    ctx: &mut Ctx<'_>,
    path: impl Fn() -> String,
    text: &str,
    place: Ipv6Place,
    effect: Effect,
) -> Option<String> {
    match block(ctx, &path, text, effect)? {
        Block::V4(b) => Some(b),
        Block::V6(b) => {
            ctx.warn(path(), What::Ipv6 { value: b, place });
            None
        }
    }
}

/// An IPv4 block parsed, for containment tests.
pub(crate) fn net4(text: &str) -> Option<ipnet::Ipv4Net> {
    match parse_cidr(text) {
        Ok((IpNet::V4(net), _)) => Some(net),
        _ => None,
    }
}

/// An IPv4 address (spaces around it ignored).
pub(crate) fn address4(text: &str) -> Option<Ipv4Addr> {
    text.trim().parse().ok()
}

/// Any IP address.
pub(crate) fn address(text: &str) -> Option<IpAddr> {
    text.trim().parse().ok()
}

/// An AWS protocol (`-1`, `tcp`, `6`, `udp`, `17`, any case) as a rule protocol; `None` for
/// the others (ICMP, ESP…), which Spacetrace does not model.
pub(crate) fn rule_protocol(text: &str) -> Option<RuleProtocol> {
    match text.trim().to_ascii_lowercase().as_str() {
        "-1" | "all" => Some(RuleProtocol::All),
        "tcp" | "6" => Some(RuleProtocol::Tcp),
        "udp" | "17" => Some(RuleProtocol::Udp),
        _ => None,
    }
}

/// A port range as the document writes it, from AWS's `From`/`To` (absent or `-1`: all ports).
/// `None` when the numbers are out of range or reversed.
pub(crate) fn port_range(from: Option<i64>, to: Option<i64>) -> Option<String> {
    match (from, to) {
        (None, None) | (Some(-1), _) | (_, Some(-1)) => Some("all".into()),
        (Some(f), None) | (None, Some(f)) => in_range(f).map(|p| p.to_string()),
        (Some(f), Some(t)) => {
            let (f, t) = (in_range(f)?, in_range(t)?);
            match f.cmp(&t) {
                std::cmp::Ordering::Equal => Some(f.to_string()),
                std::cmp::Ordering::Less if f == 0 && t == 65535 => Some("all".into()),
                std::cmp::Ordering::Less => Some(format!("{f}-{t}")),
                std::cmp::Ordering::Greater => None,
            }
        }
    }
}

fn in_range(p: i64) -> Option<u16> {
    u16::try_from(p).ok()
}

/// A peering status as Heroku or AWS writes it, read as the document's; the flag is true when
/// the reading loses something (a failed peering is read as deleted, a provisioning one as
/// pending).
pub(crate) fn peering_status(text: &str) -> Option<(PeeringStatus, bool)> {
    Some(match text.trim().to_ascii_lowercase().as_str() {
        "active" => (PeeringStatus::Active, false),
        "pending-acceptance" => (PeeringStatus::PendingAcceptance, false),
        "initiating-request" | "provisioning" => (PeeringStatus::PendingAcceptance, true),
        "deleted" => (PeeringStatus::Deleted, false),
        "deleting" | "failed" | "expired" | "rejected" => (PeeringStatus::Deleted, true),
        _ => return None,
    })
}

/// The region in an AWS ARN (`arn:aws:ec2:us-west-2:…`) or availability zone (`us-west-2b`).
pub(crate) fn region_of(arn: Option<&str>, zone: Option<&str>) -> Option<String> {
    if let Some(region) = arn.and_then(|a| a.split(':').nth(3)).filter(|r| !r.is_empty()) {
        return Some(region.to_owned());
    }
    let zone = zone?.trim();
    let region = zone.trim_end_matches(|c: char| c.is_ascii_lowercase());
    (region.len() < zone.len() && region.ends_with(|c: char| c.is_ascii_digit())).then(|| region.to_owned())
}

/// A name the document accepts: at most 200 characters.
pub(crate) fn name(text: &str) -> String {
    text.trim().chars().take(spacetrace_engine::check::MAX_NAME).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_from_aws() {
        assert_eq!(port_range(None, None).as_deref(), Some("all"));
        assert_eq!(port_range(Some(-1), Some(-1)).as_deref(), Some("all"));
        assert_eq!(port_range(Some(22), Some(22)).as_deref(), Some("22"));
        assert_eq!(port_range(Some(1024), Some(65535)).as_deref(), Some("1024-65535"));
        assert_eq!(port_range(Some(0), Some(65535)).as_deref(), Some("all"));
        assert_eq!(port_range(Some(90), Some(80)), None);
        assert_eq!(port_range(Some(70000), Some(70000)), None);
    }

    #[test]
    fn regions() {
        assert_eq!(region_of(Some("arn:aws:ec2:us-west-2:5547:subnet/subnet-1"), None).as_deref(), Some("us-west-2"));
        assert_eq!(region_of(None, Some("us-west-2b")).as_deref(), Some("us-west-2"));
        assert_eq!(region_of(None, Some("nowhere")), None);
    }

    #[test]
    fn statuses() {
        assert_eq!(peering_status("active"), Some((PeeringStatus::Active, false)));
        assert_eq!(peering_status("failed"), Some((PeeringStatus::Deleted, true)));
        assert_eq!(peering_status("weird"), None);
    }
}
