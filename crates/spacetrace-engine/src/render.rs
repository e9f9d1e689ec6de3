//! The one place where engine data becomes English. The app and the command-line tool both show
//! what these functions return, so a message reads the same everywhere.

use crate::cidr::{AddressCount, CidrInfo, PrivateRange};
use crate::diagnostics::{Diagnostic, DiagnosticKind, FirFeature, Location};

/// One sentence that says what is wrong and, where it helps, what to type instead.
/// Located diagnostics start with where they are (see [`diagnostic_with_location`]).
pub fn diagnostic(d: &Diagnostic) -> String {
    use DiagnosticKind as K;
    match &d.kind {
        K::CidrEmpty => "Enter a CIDR block, for example 10.0.0.0/16.".to_owned(),
        K::CidrTooLong { length, max } => format!("That is {length} characters long; a CIDR block has at most {max}."),
        K::CidrMissingPrefix { input } => {
            format!("{} has no prefix length: add one, for example {input}/24.", q(input))
        }
        K::CidrBadAddress { address, .. } => format!("{} is not an IPv4 or IPv6 address.", q(address)),
        K::CidrBadPrefix { prefix, max, .. } => {
            format!("The prefix length {} must be a whole number from 0 to {max}.", q(prefix))
        }
        K::CidrHostBitsSet { input, network } => format!("{input} has host bits set; the block it names is {network}."),
        K::BadAddress { input } => format!("{} is not an IP address.", q(input)),
        K::NotIpv4 { input } => format!("{} is IPv6; only IPv4 is possible here.", q(input)),
        K::BadPortRange { input } => {
            format!("{} is not a port range: write a port (5432), a range (1024-65535) or all.", q(input))
        }
        K::PortZero => "Port 0 cannot be used: give a port from 1 to 65535.".to_owned(),
        K::NotJson { message, line, column } => {
            format!("This is not a Spacetrace scenario: {message} (line {line}, column {column}).")
        }
        K::DocumentTooLarge { bytes, max } => {
            format!("The file is {} long; Spacetrace opens scenarios of up to {}.", byte_size(*bytes), byte_size(*max))
        }
        K::TooMany { what, count, max } => format!("There are {count} {what}; Spacetrace handles at most {max}."),
        K::MissingVersion => "The document has no version; it is read as version 1.".to_owned(),
        K::UnsupportedVersion { found, supported } => format!(
            "This scenario is format version {found}, but this Spacetrace reads version {supported} only: open it with the Spacetrace that wrote it."
        ),
        K::UnknownField { name } => {
            format!("The field {} is not part of format version 1; it is kept but ignored.", q(name))
        }
        K::MissingId => "This object has no id, so nothing can refer to it; it is left out.".to_owned(),
        K::DuplicateId { id } => format!("The id {} is used twice; the second object is left out.", q(id)),
        K::BadName { length, max } => format!("The name is {length} characters long; names must have 1 to {max}."),
        K::DanglingReference { id, expected } => {
            if id.is_empty() {
                format!("No {expected} is given here.")
            } else {
                format!("There is no {expected} with the id {}.", q(id))
            }
        }
        K::DuplicateProcess { name } => {
            format!("The process type {} is listed twice; the second is left out.", q(name))
        }
        K::FirUnavailable { feature } => {
            let what = match feature {
                FirFeature::Peering => "VPC peering is",
                FirFeature::Vpn => "VPN connections are",
                FirFeature::InternalRouting => "Internal Routing is",
                FirFeature::TrustedIpRanges => "Custom trusted IP ranges are",
                FirFeature::Shield => "Shield is",
            };
            format!("{what} not available for Fir spaces; Spacetrace ignores it here.")
        }
        K::InternalRoutingOutsideSpace => {
            "Internal Routing exists only for apps in Cedar Private Spaces; it is ignored for this app.".to_owned()
        }
        K::DynoSubnetOutsideSpace { subnet, space_cidr } => {
            format!("The dyno subnet {subnet} is not a /20 inside the space CIDR {space_cidr}.")
        }
        K::TooManyTrustedRanges { count, max } => {
            format!(
                "{count} trusted IP ranges are listed; a space has at most {max}, so the ones past the {max}th are ignored."
            )
        }
        K::TooManyPeerings { count, max } => format!(
            "{count} VPCs are peered with this space; a space has at most {max}, so this peering carries nothing (ask Heroku support for more)."
        ),
        K::VpcNotPrivate { cidr } => format!(
            "The VPC's CIDR {cidr} is not private: a peered VPC must use 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, so this peering carries nothing."
        ),
        K::VpcOverlapsSpace { vpc_cidr, space_range } => format!(
            "The VPC's CIDR {vpc_cidr} overlaps the space's {space_range}, so this peering carries nothing: renumber the VPC."
        ),
        K::VpnOverlapsSpace { routable, space_cidr } => {
            format!(
                "The routable CIDR {routable} overlaps the space CIDR {space_cidr} and cannot be routed through the VPN."
            )
        }
        K::NoOutboundIps => {
            "No stable outbound IPs are listed, so Spacetrace cannot check allowlists against them.".to_owned()
        }
        K::SubnetOutsideVpc { subnet } => format!("The subnet {subnet} is outside the VPC's CIDR blocks."),
        K::HostOutsideSubnet { address, subnet } => format!("The address {address} is outside its subnet {subnet}."),
        K::RemoteHostOutsideNetwork { address } => {
            format!("The address {address} is outside the remote network's CIDRs.")
        }
        K::DuplicateAclRuleNumber { number } => {
            format!("Rule number {number} is used twice in one direction; the second is left out.")
        }
        K::QuestionOutOfScope { from, to } => format!(
            "Spacetrace answers questions that start or end on Heroku; from {from} to {to} is outside what it models."
        ),
        K::LocalhostNeedsDyno => "Only a dyno can connect to localhost (another process in the same dyno).".to_owned(),
        K::UnknownRule { rule } => format!("{} is not a rule ID.", q(rule)),
    }
}

/// The diagnostic's sentence, preceded by where it is (`Space “main”, cidr: …`).
pub fn diagnostic_with_location(d: &Diagnostic) -> String {
    match &d.location {
        Some(Location { kind, object, field }) if field.is_empty() => {
            format!("{kind} {}: {}", q(object), diagnostic(d))
        }
        Some(Location { kind, object, field }) => format!("{kind} {}, {field}: {}", q(object), diagnostic(d)),
        None => diagnostic(d),
    }
}

/// A value in curly quotes.
fn q(s: &str) -> String {
    format!("\u{201c}{s}\u{201d}")
}

fn byte_size(bytes: usize) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    } else if bytes >= 1024 {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

/// "65,536 addresses", "1 address", or "2^128 addresses" when the count is too large to print.
pub fn address_count(count: AddressCount) -> String {
    match count.exact() {
        Some(1) => "1 address".to_owned(),
        Some(n) => format!("{} addresses", group_thousands(n)),
        None => format!("2^{} addresses", count.exponent),
    }
}

/// Whether a block is private, in words.
pub fn private_range(range: Option<PrivateRange>) -> String {
    match range {
        Some(r) => format!("Private: inside {} (RFC 1918)", r.net()),
        None => "Not private: outside the RFC 1918 ranges".to_owned(),
    }
}

/// A CIDR block described as label and value rows, in display order.
pub fn cidr_rows(info: &CidrInfo) -> Vec<(&'static str, String)> {
    vec![
        ("Network", info.network.to_string()),
        ("Range", format!("{} \u{2013} {}", info.first, info.last)),
        ("Size", address_count(info.size)),
        ("RFC 1918", private_range(info.private_range)),
    ]
}

fn group_thousands(n: u128) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cidr::describe_cidr;

    #[test]
    fn counts_read_naturally() {
        assert_eq!(address_count(AddressCount { exponent: 0 }), "1 address");
        assert_eq!(address_count(AddressCount { exponent: 8 }), "256 addresses");
        assert_eq!(address_count(AddressCount { exponent: 16 }), "65,536 addresses");
        assert_eq!(address_count(AddressCount { exponent: 32 }), "4,294,967,296 addresses");
        assert_eq!(address_count(AddressCount { exponent: 128 }), "2^128 addresses");
    }

    #[test]
    fn rows_describe_a_block() {
        let rows = cidr_rows(&describe_cidr("192.168.4.0/22").unwrap());
        let text: Vec<String> = rows.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        assert_eq!(
            text,
            [
                "Network: 192.168.4.0/22",
                "Range: 192.168.4.0 \u{2013} 192.168.7.255",
                "Size: 1,024 addresses",
                "RFC 1918: Private: inside 192.168.0.0/16 (RFC 1918)",
            ]
        );
    }

    #[test]
    fn every_diagnostic_names_the_input() {
        let d = describe_cidr("10.0.0.0").unwrap_err();
        assert_eq!(diagnostic(&d), "\u{201c}10.0.0.0\u{201d} has no prefix length: add one, for example 10.0.0.0/24.");
        let d = describe_cidr("10.0.0.300/8").unwrap_err();
        assert_eq!(diagnostic(&d), "\u{201c}10.0.0.300\u{201d} is not an IPv4 or IPv6 address.");
    }
}
