//! Text a person types into the inspector's fields, checked before it becomes a document value:
//! each validator gives `None` when the text is fine, or the sentence that says what is wrong (the
//! engine's parsers and `render` where they decide, as for CIDR blocks); listening ports are read
//! from and written as text (`5432, 53/udp`). The app's fields commit only text these accept.

use spacetrace_engine::cidr::parse_cidr;
use spacetrace_engine::model::PortRange;
use spacetrace_engine::render;

/// A validator: `None` when the text is fine, or the message that says what is wrong.
pub type Validate = fn(&str) -> Option<String>;

pub fn any_text(_: &str) -> Option<String> {
    None
}

pub fn name_text(s: &str) -> Option<String> {
    let n = s.trim().chars().count();
    if n == 0 {
        Some("Give it a name.".into())
    } else if n > spacetrace_engine::check::MAX_NAME {
        Some(format!("Names have at most {} characters.", spacetrace_engine::check::MAX_NAME))
    } else {
        None
    }
}

pub fn cidr_text(s: &str) -> Option<String> {
    match parse_cidr(s) {
        Ok(_) => None,
        Err(d) => Some(render::diagnostic(&d)),
    }
}

pub fn cidr_lines(s: &str) -> Option<String> {
    s.lines().map(str::trim).filter(|l| !l.is_empty()).find_map(cidr_text)
}

/// A prefix list's ID: security group rules name it by an ID starting with `pl-`.
pub fn prefix_list_id_text(s: &str) -> Option<String> {
    let t = s.trim();
    if t.is_empty() {
        Some("Give it an ID, like pl-0abc123.".into())
    } else if t.chars().any(char::is_whitespace) {
        Some(format!("\u{201c}{t}\u{201d} has a space in it; an ID is one word, like pl-0abc123."))
    } else if !t.starts_with("pl-") || t == "pl-" {
        Some(format!(
            "\u{201c}{t}\u{201d}: security group rules name a prefix list by an ID starting with pl-, like pl-0abc123."
        ))
    } else {
        None
    }
}

pub fn address_text(s: &str) -> Option<String> {
    if s.trim().parse::<std::net::IpAddr>().is_ok() {
        None
    } else {
        Some(format!("\u{201c}{}\u{201d} is not an IP address.", s.trim()))
    }
}

pub fn optional_address_text(s: &str) -> Option<String> {
    if s.trim().is_empty() { None } else { address_text(s) }
}

pub fn address_lines(s: &str) -> Option<String> {
    s.lines().map(str::trim).filter(|l| !l.is_empty()).find_map(address_text)
}

pub fn port_range_text(s: &str) -> Option<String> {
    match PortRange::parse(s) {
        Some(_) => None,
        None => Some(format!("\u{201c}{}\u{201d} is not a port range: write 5432, 1024-65535 or all.", s.trim())),
    }
}

pub fn port_text(s: &str) -> Option<String> {
    match s.trim().parse::<u16>() {
        Ok(p) if p > 0 => None,
        _ => Some("A port is a whole number from 1 to 65535.".into()),
    }
}

pub fn count_text(s: &str) -> Option<String> {
    match s.trim().parse::<u32>() {
        Ok(n) if n <= 100 => None,
        _ => Some("A dyno count is a whole number from 0 to 100.".into()),
    }
}

/// `5432, 53/udp` → listening ports.
pub fn parse_ports(s: &str) -> Result<Vec<spacetrace_engine::doc::Listen>, String> {
    use spacetrace_engine::doc::{Listen, Protocol};
    let mut out = Vec::new();
    for part in s.split([',', ' ']).map(str::trim).filter(|p| !p.is_empty()) {
        let (num, protocol) = match part.split_once('/') {
            Some((n, p)) if p.eq_ignore_ascii_case("udp") => (n, Protocol::Udp),
            Some((n, p)) if p.eq_ignore_ascii_case("tcp") => (n, Protocol::Tcp),
            Some(_) => return Err(format!("\u{201c}{part}\u{201d}: the protocol is tcp or udp.")),
            None => (part, Protocol::Tcp),
        };
        match num.parse::<u16>() {
            Ok(port) if port > 0 => out.push(Listen { protocol, port }),
            _ => return Err(format!("\u{201c}{part}\u{201d} is not a port from 1 to 65535.")),
        }
    }
    Ok(out)
}

pub fn ports_text(s: &str) -> Option<String> {
    parse_ports(s).err()
}

pub fn format_ports(list: &[spacetrace_engine::doc::Listen]) -> String {
    list.iter()
        .map(|l| match l.protocol {
            spacetrace_engine::doc::Protocol::Tcp => l.port.to_string(),
            spacetrace_engine::doc::Protocol::Udp => format!("{}/udp", l.port),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use spacetrace_engine::doc::{Listen, Protocol};

    #[test]
    fn names_are_given_and_not_too_long() {
        assert_eq!(any_text(""), None);
        assert_eq!(name_text("  acme "), None);
        assert_eq!(name_text("   ").as_deref(), Some("Give it a name."));
        let long = "x".repeat(spacetrace_engine::check::MAX_NAME + 1);
        assert!(name_text(&long).is_some_and(|m| m.starts_with("Names have at most")));
        assert_eq!(name_text(&"x".repeat(spacetrace_engine::check::MAX_NAME)), None);
    }

    #[test]
    fn cidr_blocks_and_addresses_are_checked_line_by_line() {
        assert_eq!(cidr_text("10.0.0.0/16"), None);
        let bad = cidr_text("10.300.0.0/16").expect("an explanation");
        assert!(bad.contains("\u{201c}10.300.0.0\u{201d}"), "{bad}");
        assert_eq!(cidr_lines("10.0.0.0/16\n\n  192.168.0.0/24  "), None);
        assert_eq!(cidr_lines("10.0.0.0/16\n10.300.0.0/16"), Some(bad));
        assert_eq!(address_text(" 10.0.0.5 "), None);
        assert_eq!(address_text("2001:db8::1"), None);
        assert_eq!(address_text("db").as_deref(), Some("\u{201c}db\u{201d} is not an IP address."));
        assert_eq!(optional_address_text("  "), None);
        assert!(optional_address_text("x").is_some());
        assert_eq!(address_lines("10.0.0.1\n\n10.0.0.2"), None);
        assert!(address_lines("10.0.0.1\nnope").is_some_and(|m| m.contains("nope")));
    }

    #[test]
    fn prefix_list_ids_start_with_pl() {
        assert_eq!(prefix_list_id_text(" pl-0abc123 "), None);
        assert!(prefix_list_id_text("").is_some_and(|m| m.starts_with("Give it an ID")));
        assert!(prefix_list_id_text("pl-0 abc").is_some_and(|m| m.contains("has a space in it")));
        assert!(prefix_list_id_text("pl-").is_some_and(|m| m.contains("starting with pl-")));
        assert!(prefix_list_id_text("sg-1").is_some_and(|m| m.contains("starting with pl-")));
    }

    #[test]
    fn ports_counts_and_ranges_have_their_bounds() {
        assert_eq!(port_text("5432"), None);
        assert!(port_text("0").is_some() && port_text("65536").is_some() && port_text("web").is_some());
        assert_eq!(count_text("0"), None);
        assert_eq!(count_text("100"), None);
        assert!(count_text("101").is_some() && count_text("-1").is_some());
        assert_eq!(port_range_text("1024-65535"), None);
        assert_eq!(port_range_text("all"), None);
        assert!(port_range_text("10-").is_some_and(|m| m.starts_with("\u{201c}10-\u{201d} is not a port range")));
    }

    #[test]
    fn listening_ports_read_and_write_as_text() {
        let ports = parse_ports("5432, 53/udp 80/TCP").unwrap();
        assert_eq!(
            ports,
            vec![
                Listen { protocol: Protocol::Tcp, port: 5432 },
                Listen { protocol: Protocol::Udp, port: 53 },
                Listen { protocol: Protocol::Tcp, port: 80 },
            ]
        );
        assert_eq!(format_ports(&ports), "5432, 53/udp, 80");
        assert_eq!(parse_ports(&format_ports(&ports)).unwrap(), ports);
        assert_eq!(parse_ports("  ").unwrap(), Vec::new());
        assert_eq!(parse_ports("53/icmp").unwrap_err(), "\u{201c}53/icmp\u{201d}: the protocol is tcp or udp.");
        assert_eq!(parse_ports("0").unwrap_err(), "\u{201c}0\u{201d} is not a port from 1 to 65535.");
        assert_eq!(ports_text("5432"), None);
        assert!(ports_text("x").is_some());
    }
}
