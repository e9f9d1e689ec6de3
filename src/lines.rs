//! Rule lists edited as lines of text, one rule per line, in a compact syntax a teacher can read
//! aloud and copy: `tcp 5432 from 10.0.128.0/20`, `100 allow tcp 5432 from 10.0.0.0/16`,
//! `10.0.0.0/16 -> pcx-111aaa111`. Parsing names the line that is wrong.

use spacetrace_engine::cidr::parse_cidr;
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

fn check_cidr(c: &str, n: usize) -> Result<(), String> {
    parse_cidr(c).map(|_| ()).map_err(|d| format!("Line {n}: {}", spacetrace_engine::render::diagnostic(&d)))
}

fn lines(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.split_whitespace().collect::<Vec<_>>()))
        .filter(|(_, w)| !w.is_empty())
}

/// `tcp 5432 from 10.0.128.0/20` (inbound) or `all all to 0.0.0.0/0` (outbound).
pub fn parse_sg(text: &str, preposition: &str) -> Result<Vec<SgRule>, String> {
    let mut out = Vec::new();
    for (n, w) in lines(text) {
        let [p, ports, prep, cidr] = w.as_slice() else {
            return Err(format!(
                "Line {n}: write protocol, ports, \u{201c}{preposition}\u{201d}, CIDR \u{2014} like tcp 5432 {preposition} 10.0.0.0/16."
            ));
        };
        let protocol = protocol(p).ok_or_else(|| format!("Line {n}: the protocol is tcp, udp or all."))?;
        if !prep.eq_ignore_ascii_case(preposition) {
            return Err(format!("Line {n}: expected \u{201c}{preposition}\u{201d} before the CIDR."));
        }
        check_ports(ports, n)?;
        check_cidr(cidr, n)?;
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
