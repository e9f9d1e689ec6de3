//! Rule lists edited as lines of text, one rule per line, in a compact syntax a teacher can read
//! aloud and copy: `tcp 5432 from 10.0.128.0/20`, `tcp 5432 from sg-0abc123`,
//! `100 allow tcp 5432 from 10.0.0.0/16`, `10.0.0.0/16 -> pcx-111aaa111`. Parsing names the line
//! that is wrong.

use spacetrace_engine::cidr::{RulePeer, parse_cidr, parse_rule_peer};
use spacetrace_engine::doc::{AclRule, Action, FirewallRule, Route, RuleProtocol, SgRule};
use spacetrace_engine::model::PortRange;

fn protocol(word: &str) -> Option<RuleProtocol> {
    match word.to_ascii_lowercase().as_str() {
        "tcp" => Some(RuleProtocol::Tcp),
        "udp" => Some(RuleProtocol::Udp),
        "all" | "any" => Some(RuleProtocol::All),
        _ => None,
    }
}

fn protocol_word(p: RuleProtocol) -> &'static str {
    match p {
        RuleProtocol::Tcp => "tcp",
        RuleProtocol::Udp => "udp",
        RuleProtocol::All => "all",
    }
}

fn action(word: &str) -> Option<Action> {
    match word.to_ascii_lowercase().as_str() {
        "allow" => Some(Action::Allow),
        "deny" => Some(Action::Deny),
        _ => None,
    }
}

fn action_word(a: Action) -> &'static str {
    match a {
        Action::Allow => "allow",
        Action::Deny => "deny",
    }
}

fn check_ports(p: &str, n: usize) -> Result<(), String> {
    PortRange::parse(p)
        .map(|_| ())
        .ok_or_else(|| format!("Line {n}: \u{201c}{p}\u{201d} is not a port range (5432, 1024-65535 or all)."))
}

/// Whether `text` starts like a security group or prefix list ID, whatever its case.
fn looks_like_reference(text: &str) -> bool {
    let lower = text.trim().to_ascii_lowercase();
    lower.starts_with("sg-") || lower.starts_with("pl-")
}

/// A CIDR block where only a block can go (ACLs, firewalls, routes).
fn check_cidr(c: &str, n: usize) -> Result<(), String> {
    if looks_like_reference(c) {
        return Err(format!(
            "Line {n}: \u{201c}{}\u{201d} is not a CIDR block. Only security group rules can name a security group (sg-\u{2026}) or a prefix list (pl-\u{2026}); write a block here, like 10.0.0.0/16.",
            c.trim()
        ));
    }
    parse_cidr(c).map(|_| ()).map_err(|d| format!("Line {n}: {}", spacetrace_engine::render::diagnostic(&d)))
}

/// What a security group rule names (the engine's `parse_rule_peer`): a CIDR block, a security
/// group (`sg-…`) or a prefix list (`pl-…`). Whether that group or list exists, and may be named
/// from this VPC, is the checker's to say (`bad_rule_reference`, listed with the diagnostics).
fn check_peer(peer: &str, n: usize) -> Result<(), String> {
    match parse_rule_peer(peer) {
        Ok(RulePeer::SecurityGroup("sg-")) => {
            Err(format!("Line {n}: \u{201c}sg-\u{201d} names no security group: write its whole ID, like sg-0abc123."))
        }
        Ok(RulePeer::PrefixList("pl-")) => {
            Err(format!("Line {n}: \u{201c}pl-\u{201d} names no prefix list: write its whole ID, like pl-0abc123."))
        }
        Ok(_) => Ok(()),
        Err(d) => {
            let text = peer.trim();
            if looks_like_reference(text) {
                // `SG-0abc`: IDs are case-sensitive and AWS writes them in lower case.
                let kind = if text.to_ascii_lowercase().starts_with("sg-") { "security group" } else { "prefix list" };
                Err(format!(
                    "Line {n}: \u{201c}{text}\u{201d} is not a CIDR block, and a {kind} ID starts with {} in lower case.",
                    &text[..3].to_ascii_lowercase()
                ))
            } else if !text.contains('/') && text.parse::<std::net::IpAddr>().is_err() {
                Err(format!(
                    "Line {n}: \u{201c}{text}\u{201d} is not a CIDR block (10.0.0.0/16), a security group ID (sg-\u{2026}) or a prefix list ID (pl-\u{2026})."
                ))
            } else {
                Err(format!("Line {n}: {}", spacetrace_engine::render::diagnostic(&d)))
            }
        }
    }
}

fn lines(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.split_whitespace().collect::<Vec<_>>()))
        .filter(|(_, w)| !w.is_empty())
}

/// `tcp 5432 from 10.0.128.0/20` (inbound) or `all all to 0.0.0.0/0` (outbound). What the rule
/// names may also be a security group (`tcp 5432 from sg-0abc123`) or a prefix list
/// (`tcp 443 from pl-0abc123`).
pub fn parse_sg(text: &str, preposition: &str) -> Result<Vec<SgRule>, String> {
    let mut out = Vec::new();
    for (n, w) in lines(text) {
        let [p, ports, prep, cidr] = w.as_slice() else {
            return Err(format!(
                "Line {n}: write protocol, ports, \u{201c}{preposition}\u{201d}, then a CIDR block, a security group or a prefix list \u{2014} like tcp 5432 {preposition} 10.0.0.0/16 or tcp 5432 {preposition} sg-0abc123."
            ));
        };
        let protocol = protocol(p).ok_or_else(|| format!("Line {n}: the protocol is tcp, udp or all."))?;
        if !prep.eq_ignore_ascii_case(preposition) {
            return Err(format!(
                "Line {n}: expected \u{201c}{preposition}\u{201d} before the CIDR block, security group or prefix list."
            ));
        }
        check_ports(ports, n)?;
        check_peer(cidr, n)?;
        out.push(SgRule { protocol, ports: (*ports).to_owned(), cidr: (*cidr).to_owned() });
    }
    Ok(out)
}

pub fn format_sg(rules: &[SgRule], preposition: &str) -> String {
    rules
        .iter()
        .map(|r| format!("{} {} {preposition} {}", protocol_word(r.protocol), r.ports, r.cidr))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `100 allow tcp 5432 from 10.0.0.0/16` (the preposition is `from` inbound, `to` outbound).
pub fn parse_acl(text: &str, preposition: &str) -> Result<Vec<AclRule>, String> {
    let mut out: Vec<AclRule> = Vec::new();
    for (n, w) in lines(text) {
        let [num, act, p, ports, prep, cidr] = w.as_slice() else {
            return Err(format!(
                "Line {n}: write number, allow or deny, protocol, ports, \u{201c}{preposition}\u{201d}, CIDR \u{2014} like 100 allow tcp 5432 {preposition} 10.0.0.0/16."
            ));
        };
        let number: u32 = num.parse().map_err(|_| format!("Line {n}: the rule number is a whole number."))?;
        if out.iter().any(|r| r.number == number) {
            return Err(format!("Line {n}: rule number {number} is used twice."));
        }
        let action = action(act).ok_or_else(|| format!("Line {n}: the action is allow or deny."))?;
        let protocol = protocol(p).ok_or_else(|| format!("Line {n}: the protocol is tcp, udp or all."))?;
        if !prep.eq_ignore_ascii_case(preposition) {
            return Err(format!("Line {n}: expected \u{201c}{preposition}\u{201d} before the CIDR."));
        }
        check_ports(ports, n)?;
        check_cidr(cidr, n)?;
        out.push(AclRule { number, protocol, ports: (*ports).to_owned(), cidr: (*cidr).to_owned(), action });
    }
    Ok(out)
}

pub fn format_acl(rules: &[AclRule], preposition: &str) -> String {
    let mut sorted: Vec<&AclRule> = rules.iter().collect();
    sorted.sort_by_key(|r| r.number);
    sorted
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {} {preposition} {}",
                r.number,
                action_word(r.action),
                protocol_word(r.protocol),
                r.ports,
                r.cidr
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `10.0.0.0/16 -> pcx-111aaa111`.
pub fn parse_routes(text: &str) -> Result<Vec<Route>, String> {
    let mut out = Vec::new();
    for (n, w) in lines(text) {
        let [dest, arrow, target] = w.as_slice() else {
            return Err(format!("Line {n}: write destination -> target, like 10.0.0.0/16 -> pcx-111aaa111."));
        };
        if *arrow != "->" && *arrow != "\u{2192}" {
            return Err(format!("Line {n}: put -> between the destination and the target."));
        }
        check_cidr(dest, n)?;
        out.push(Route { destination: (*dest).to_owned(), target: (*target).to_owned() });
    }
    Ok(out)
}

pub fn format_routes(routes: &[Route]) -> String {
    routes.iter().map(|r| format!("{} -> {}", r.destination, r.target)).collect::<Vec<_>>().join("\n")
}

/// `allow tcp 636 from 10.0.0.0/16`, first match wins.
pub fn parse_firewall(text: &str) -> Result<Vec<FirewallRule>, String> {
    let mut out = Vec::new();
    for (n, w) in lines(text) {
        let [act, p, ports, prep, cidr] = w.as_slice() else {
            return Err(format!(
                "Line {n}: write allow or deny, protocol, ports, \u{201c}from\u{201d}, CIDR \u{2014} like allow tcp 636 from 10.0.0.0/16."
            ));
        };
        let action = action(act).ok_or_else(|| format!("Line {n}: the action is allow or deny."))?;
        let protocol = protocol(p).ok_or_else(|| format!("Line {n}: the protocol is tcp, udp or all."))?;
        if !prep.eq_ignore_ascii_case("from") {
            return Err(format!("Line {n}: expected \u{201c}from\u{201d} before the CIDR."));
        }
        check_ports(ports, n)?;
        check_cidr(cidr, n)?;
        out.push(FirewallRule { protocol, ports: (*ports).to_owned(), cidr: (*cidr).to_owned(), action });
    }
    Ok(out)
}

pub fn format_firewall(rules: &[FirewallRule]) -> String {
    rules
        .iter()
        .map(|r| format!("{} {} {} from {}", action_word(r.action), protocol_word(r.protocol), r.ports, r.cidr))
        .collect::<Vec<_>>()
        .join("\n")
}

/// One CIDR or address per line.
pub fn split_lines(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_security_group_rule_names_a_block_a_group_or_a_prefix_list() {
        let rules = parse_sg("tcp 5432 from 10.0.128.0/20\ntcp 5432 from sg-0abc123\n\nudp 53 FROM pl-0abc123", "from")
            .expect("all three read");
        let named: Vec<&str> = rules.iter().map(|r| r.cidr.as_str()).collect();
        assert_eq!(named, ["10.0.128.0/20", "sg-0abc123", "pl-0abc123"]);
        assert_eq!(rules[2].protocol, RuleProtocol::Udp);
        // Written back as read, and read again the same.
        let text = format_sg(&rules, "from");
        assert_eq!(text, "tcp 5432 from 10.0.128.0/20\ntcp 5432 from sg-0abc123\nudp 53 from pl-0abc123");
        assert_eq!(parse_sg(&text, "from").unwrap(), rules);
        let out = parse_sg("all all to sg-0web", "to").unwrap();
        assert_eq!(out[0].cidr, "sg-0web");
    }

    #[test]
    fn a_bad_peer_is_named_with_what_is_wrong() {
        let err = |text: &str| parse_sg(text, "from").unwrap_err();
        assert_eq!(
            err("tcp 5432 from web"),
            "Line 1: \u{201c}web\u{201d} is not a CIDR block (10.0.0.0/16), a security group ID (sg-\u{2026}) or a prefix list ID (pl-\u{2026})."
        );
        assert_eq!(
            err("tcp 5432 from 10.0.0.0/16\ntcp 5432 from sg-"),
            "Line 2: \u{201c}sg-\u{201d} names no security group: write its whole ID, like sg-0abc123."
        );
        assert_eq!(
            err("tcp 443 from pl-"),
            "Line 1: \u{201c}pl-\u{201d} names no prefix list: write its whole ID, like pl-0abc123."
        );
        assert_eq!(
            err("tcp 5432 from SG-0abc123"),
            "Line 1: \u{201c}SG-0abc123\u{201d} is not a CIDR block, and a security group ID starts with sg- in lower case."
        );
        // A bare address or a bad block: the engine's own words.
        assert_eq!(
            err("tcp 5432 from 10.0.0.7"),
            "Line 1: \u{201c}10.0.0.7\u{201d} has no prefix length: add one, for example 10.0.0.7/24."
        );
        assert!(err("tcp 5432 from 10.0.0.0/33").contains("must be a whole number from 0 to 32"));
        assert!(err("tcp 5432 from").starts_with("Line 1: write protocol, ports"));
        assert!(err("tcp 5432 to sg-0abc").contains("expected \u{201c}from\u{201d}"));
    }

    #[test]
    fn acls_firewalls_and_routes_take_blocks_only() {
        let acl = parse_acl("100 allow tcp 5432 from sg-0abc123", "from").unwrap_err();
        assert!(
            acl.starts_with("Line 1: \u{201c}sg-0abc123\u{201d} is not a CIDR block. Only security group rules"),
            "{acl}"
        );
        assert!(parse_firewall("allow tcp 636 from pl-0abc").unwrap_err().contains("is not a CIDR block"));
        assert!(parse_routes("pl-0abc -> pcx-1").unwrap_err().contains("is not a CIDR block"));
        assert_eq!(parse_acl("100 allow tcp 5432 from 10.0.0.0/16", "from").unwrap().len(), 1);
    }
}
