//! The one place where engine data becomes English. The app and the command-line tool both show
//! what these functions return, so a message reads the same everywhere.

use crate::cidr::{AddressCount, CidrInfo, PrivateRange};
use crate::diagnostics::{Diagnostic, DiagnosticKind};

/// One sentence that says what is wrong and, where it helps, what to type instead.
pub fn diagnostic(d: &Diagnostic) -> String {
    match &d.kind {
        DiagnosticKind::CidrEmpty => "Enter a CIDR block, for example 10.0.0.0/16.".to_owned(),
        DiagnosticKind::CidrTooLong { length, max } => {
            format!("That is {length} characters long; a CIDR block has at most {max}.")
        }
        DiagnosticKind::CidrMissingPrefix { input } => {
            format!("\u{201c}{input}\u{201d} has no prefix length: add one, for example {input}/24.")
        }
        DiagnosticKind::CidrBadAddress { address, .. } => {
            format!("\u{201c}{address}\u{201d} is not an IPv4 or IPv6 address.")
        }
        DiagnosticKind::CidrBadPrefix { prefix, max, .. } => {
            format!("The prefix length \u{201c}{prefix}\u{201d} must be a whole number from 0 to {max}.")
        }
        DiagnosticKind::CidrHostBitsSet { input, network } => {
            format!("{input} has host bits set; the block it names is {network}.")
        }
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
