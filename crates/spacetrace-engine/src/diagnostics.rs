//! Diagnostics: structured findings about user input, never prose.

use ipnet::IpNet;
use serde::{Deserialize, Serialize};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The input cannot be used as it is.
    Error,
    /// The input is usable, but probably not what was meant.
    Warning,
}

/// One finding. The data names what is wrong; [`crate::render`] turns it into English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub kind: DiagnosticKind,
}

/// What a diagnostic is about, with the values needed to explain it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum DiagnosticKind {
    /// Nothing was entered where a CIDR block was expected.
    CidrEmpty,
    /// The input is longer than any CIDR block can be.
    CidrTooLong { length: usize, max: usize },
    /// The text has no `/prefix` part.
    CidrMissingPrefix { input: String },
    /// The address part is not an IPv4 or IPv6 address.
    CidrBadAddress { input: String, address: String },
    /// The prefix length is not a number in range for the address family.
    CidrBadPrefix { input: String, prefix: String, max: u8 },
    /// The address has bits set beyond the prefix; the block is taken as `network`.
    CidrHostBitsSet { input: String, network: IpNet },
}

impl Diagnostic {
    pub fn error(kind: DiagnosticKind) -> Self {
        Self { severity: Severity::Error, kind }
    }

    pub fn warning(kind: DiagnosticKind) -> Self {
        Self { severity: Severity::Warning, kind }
    }
}
