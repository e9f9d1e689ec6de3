//! Parsing and describing CIDR blocks, tolerant of what people type.

use std::net::IpAddr;

use ipnet::{IpNet, Ipv4Net};
use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, DiagnosticKind};

/// The longest text accepted as a CIDR block (a full IPv6 address with a prefix is 43 characters;
/// some room is left for surrounding spaces).
pub const MAX_CIDR_INPUT: usize = 64;

/// The RFC 1918 private IPv4 ranges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PrivateRange {
    /// `10.0.0.0/8`
    Ten,
    /// `172.16.0.0/12`
    OneSevenTwo,
    /// `192.168.0.0/16`
    OneNineTwo,
}

impl PrivateRange {
    pub const ALL: [PrivateRange; 3] = [Self::Ten, Self::OneSevenTwo, Self::OneNineTwo];

    pub fn net(self) -> Ipv4Net {
        let (octets, len) = match self {
            Self::Ten => ([10, 0, 0, 0], 8),
            Self::OneSevenTwo => ([172, 16, 0, 0], 12),
            Self::OneNineTwo => ([192, 168, 0, 0], 16),
        };
        // The prefix lengths above are all valid for IPv4.
        Ipv4Net::new(octets.into(), len).unwrap_or_default()
    }

    /// The RFC 1918 range that wholly contains `net`, if any.
    pub fn containing(net: &IpNet) -> Option<Self> {
        match net {
            IpNet::V4(v4) => Self::ALL.into_iter().find(|r| r.net().contains(v4)),
            IpNet::V6(_) => None,
        }
    }
}

/// How many addresses a block holds: `2^exponent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct AddressCount {
    pub exponent: u8,
}

impl AddressCount {
    /// The exact count, when it fits in a `u128` (every IPv4 block and IPv6 blocks of /1 or longer).
    pub fn exact(self) -> Option<u128> {
        1u128.checked_shl(u32::from(self.exponent))
    }
}

/// What a CIDR block is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CidrInfo {
    /// The block, normalised to its network address.
    pub network: IpNet,
    pub first: IpAddr,
    pub last: IpAddr,
    pub size: AddressCount,
    /// The RFC 1918 range holding the whole block, if any.
    pub private_range: Option<PrivateRange>,
    /// Findings that do not stop the block from being used (for example host bits set).
    pub warnings: Vec<Diagnostic>,
}

impl CidrInfo {
    pub fn is_rfc1918(&self) -> bool {
        self.private_range.is_some()
    }
}

/// Parse `input` as a CIDR block and describe it. Bad input gives the diagnostic that explains it.
pub fn describe_cidr(input: &str) -> Result<CidrInfo, Diagnostic> {
    let (network, warnings) = parse_cidr(input)?;
    Ok(CidrInfo {
        network,
        first: network.network(),
        last: network.broadcast(),
        size: AddressCount { exponent: network.max_prefix_len() - network.prefix_len() },
        private_range: PrivateRange::containing(&network),
        warnings,
    })
}

/// Parse `input` as a CIDR block, normalised to its network. Host bits give a warning, not an error.
pub fn parse_cidr(input: &str) -> Result<(IpNet, Vec<Diagnostic>), Diagnostic> {
    let length = input.chars().count();
    if length > MAX_CIDR_INPUT {
        return Err(Diagnostic::error(DiagnosticKind::CidrTooLong { length, max: MAX_CIDR_INPUT }));
    }
    let text = input.trim();
    if text.is_empty() {
        return Err(Diagnostic::error(DiagnosticKind::CidrEmpty));
    }
    let Some((addr_text, prefix_text)) = text.split_once('/') else {
        return Err(Diagnostic::error(DiagnosticKind::CidrMissingPrefix { input: text.to_owned() }));
    };
    let addr: IpAddr = addr_text.trim().parse().map_err(|_| {
        Diagnostic::error(DiagnosticKind::CidrBadAddress {
            input: text.to_owned(),
            address: addr_text.trim().to_owned(),
        })
    })?;
    let max = if addr.is_ipv4() { 32 } else { 128 };
    let prefix_trimmed = prefix_text.trim();
    let bad_prefix = || {
        Diagnostic::error(DiagnosticKind::CidrBadPrefix {
            input: text.to_owned(),
            prefix: prefix_trimmed.to_owned(),
            max,
        })
    };
    // Only plain decimal digits: `u8::from_str` would also accept a leading `+`.
    if prefix_trimmed.is_empty() || !prefix_trimmed.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad_prefix());
    }
    let prefix: u8 = prefix_trimmed.parse().map_err(|_| bad_prefix())?;
    let net = IpNet::new(addr, prefix).map_err(|_| bad_prefix())?;
    let network = net.trunc();
    let mut warnings = Vec::new();
    if network.addr() != addr {
        warnings.push(Diagnostic::warning(DiagnosticKind::CidrHostBitsSet { input: text.to_owned(), network }));
    }
    Ok((network, warnings))
}

/// What a security group rule's `cidr` text names, as far as the text alone tells: a CIDR block
/// (with any warnings), or a security group (`sg-…`) or prefix list (`pl-…`) by ID. Whether the
/// ID exists, and may be named from the rule's VPC, is for [`crate::check`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RulePeer<'a> {
    Cidr(IpNet, Vec<Diagnostic>),
    SecurityGroup(&'a str),
    PrefixList(&'a str),
}

/// Read a security group rule's `cidr` text (spaces around it ignored): an ID starting with `sg-`
/// or `pl-` names a security group or a prefix list; anything else must be a CIDR block.
pub fn parse_rule_peer(input: &str) -> Result<RulePeer<'_>, Diagnostic> {
    let text = input.trim();
    if text.starts_with("sg-") {
        Ok(RulePeer::SecurityGroup(text))
    } else if text.starts_with("pl-") {
        Ok(RulePeer::PrefixList(text))
    } else {
        parse_cidr(input).map(|(net, warnings)| RulePeer::Cidr(net, warnings))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_names_a_block_a_group_or_a_prefix_list() {
        assert_eq!(parse_rule_peer(" sg-0abc123 "), Ok(RulePeer::SecurityGroup("sg-0abc123")));
        assert_eq!(parse_rule_peer("pl-0abc123"), Ok(RulePeer::PrefixList("pl-0abc123")));
        assert_eq!(parse_rule_peer("10.0.0.0/16"), Ok(RulePeer::Cidr("10.0.0.0/16".parse().unwrap(), Vec::new())));
        assert_eq!(parse_rule_peer("web").unwrap_err().kind, DiagnosticKind::CidrMissingPrefix { input: "web".into() });
    }

    fn kind(input: &str) -> DiagnosticKind {
        describe_cidr(input).expect_err("input should be refused").kind
    }

    #[test]
    fn describes_the_default_space_cidr() {
        let info = describe_cidr("10.0.0.0/16").unwrap();
        assert_eq!(info.network.to_string(), "10.0.0.0/16");
        assert_eq!(info.first.to_string(), "10.0.0.0");
        assert_eq!(info.last.to_string(), "10.0.255.255");
        assert_eq!(info.size.exact(), Some(65_536));
        assert_eq!(info.private_range, Some(PrivateRange::Ten));
        assert!(info.warnings.is_empty());
    }

    #[test]
    fn knows_each_rfc1918_range_and_public_space() {
        assert_eq!(describe_cidr("172.20.1.0/24").unwrap().private_range, Some(PrivateRange::OneSevenTwo));
        assert_eq!(describe_cidr("192.168.0.0/16").unwrap().private_range, Some(PrivateRange::OneNineTwo));
        assert_eq!(describe_cidr("100.64.0.0/10").unwrap().private_range, None);
        // A block wider than the private range it starts in is not private.
        assert_eq!(describe_cidr("172.0.0.0/8").unwrap().private_range, None);
        assert_eq!(describe_cidr("fd00::/8").unwrap().private_range, None);
    }

    #[test]
    fn host_bits_are_a_warning_and_normalised() {
        let info = describe_cidr(" 10.0.128.7/20 ").unwrap();
        assert_eq!(info.network.to_string(), "10.0.128.0/20");
        assert_eq!(
            info.warnings,
            vec![Diagnostic::warning(DiagnosticKind::CidrHostBitsSet {
                input: "10.0.128.7/20".into(),
                network: "10.0.128.0/20".parse().unwrap(),
            })]
        );
    }

    #[test]
    fn bad_input_is_a_diagnostic_naming_the_problem() {
        assert_eq!(kind(""), DiagnosticKind::CidrEmpty);
        assert_eq!(kind("   "), DiagnosticKind::CidrEmpty);
        assert_eq!(kind("10.0.0.0"), DiagnosticKind::CidrMissingPrefix { input: "10.0.0.0".into() });
        assert_eq!(
            kind("10.0.0.256/16"),
            DiagnosticKind::CidrBadAddress { input: "10.0.0.256/16".into(), address: "10.0.0.256".into() }
        );
        assert_eq!(
            kind("10.0.0.0/33"),
            DiagnosticKind::CidrBadPrefix { input: "10.0.0.0/33".into(), prefix: "33".into(), max: 32 }
        );
        assert_eq!(
            kind("10.0.0.0/+8"),
            DiagnosticKind::CidrBadPrefix { input: "10.0.0.0/+8".into(), prefix: "+8".into(), max: 32 }
        );
        assert_eq!(
            kind("::/129"),
            DiagnosticKind::CidrBadPrefix { input: "::/129".into(), prefix: "129".into(), max: 128 }
        );
        assert_eq!(kind(&"1".repeat(65)), DiagnosticKind::CidrTooLong { length: 65, max: 64 });
    }

    #[test]
    fn huge_ipv6_blocks_have_no_exact_count() {
        assert_eq!(describe_cidr("::/0").unwrap().size, AddressCount { exponent: 128 });
        assert_eq!(describe_cidr("::/0").unwrap().size.exact(), None);
        assert_eq!(describe_cidr("::/1").unwrap().size.exact(), Some(1u128 << 127));
    }

    #[test]
    fn arbitrary_text_never_panics() {
        for input in ["/", "//", "1/2/3", "::::/1", "10.0.0.0/", "/16", "é/ü", "\u{0}", "10.0.0.0/99999999999"] {
            assert!(describe_cidr(input).is_err(), "{input:?} should be refused");
        }
    }
}
