//! The one place where import data becomes English: warnings, problems, what a file was
//! recognised as, what an import holds. The command-line tool and the app both show what these
//! functions return.

use spacetrace_engine::doc::{Document, PeeringStatus};

use crate::detect::{AwsOutput, HerokuOutput, Kind, Shape};
use crate::warnings::{Effect, Expected, ImportWarning, Ipv6Place, Secret, Thing, What};
use crate::{FileProblem, MAX_WARNINGS, Problem};

fn q(s: &str) -> String {
    format!("\u{201c}{s}\u{201d}")
}

/// Where a warning is: `“file”, Key[0].Field`, `“file”` for the whole file, or nothing for the
/// import as a whole.
pub fn location(file: &str, path: &str) -> String {
    match (file.is_empty(), path.is_empty()) {
        (true, _) => String::new(),
        (false, true) => q(file),
        (false, false) => format!("{}, {path}", q(file)),
    }
}

/// A warning with where it is: `“subnets.json”, Subnets[2]: …`.
pub fn warning(w: &ImportWarning) -> String {
    let at = location(&w.file, &w.path);
    if at.is_empty() { what(&w.what) } else { format!("{at}: {}", what(&w.what)) }
}

/// A problem with the file it is about: `“notes.json”: It is not JSON: …`.
pub fn file_problem(p: &FileProblem) -> String {
    if p.file.is_empty() { problem(&p.problem) } else { format!("{}: {}", q(&p.file), problem(&p.problem)) }
}

/// Files the importer reads, for messages.
pub const READABLE: &str = "Spacetrace imports the JSON output of heroku spaces:info, spaces:peerings, \
spaces:peerings:info, spaces:vpn:info, spaces:vpn:connections, spaces:topology, spaces:trusted-ips and \
apps:info (each with --json), and of aws ec2 describe-vpcs, describe-subnets, describe-route-tables, \
describe-security-groups, describe-network-acls, describe-vpc-peering-connections, describe-instances, \
describe-network-interfaces, describe-nat-gateways, describe-internet-gateways, describe-prefix-lists, \
describe-vpn-connections and describe-customer-gateways.";

pub fn problem(p: &Problem) -> String {
    match p {
        Problem::NotJson { message, line, column } => {
            format!("It is not JSON: {message} (line {line}, column {column}).")
        }
        Problem::TooLarge { bytes, max } => {
            format!("It is {} long; Spacetrace imports files of up to {}.", byte_size(*bytes), byte_size(*max))
        }
        Problem::NotRecognised { shape: s } => {
            format!("It is not an output Spacetrace imports: it is {}. {READABLE}", shape(s))
        }
        Problem::Scenario => "It is a Spacetrace scenario already: open it rather than import it.".to_owned(),
        Problem::TooManyFiles { count, max } => {
            format!("{count} files were given; one import reads at most {max}.")
        }
        Problem::NoFiles => format!("No file was given. {READABLE}"),
    }
}

/// What a JSON value looks like, in a phrase.
pub fn shape(s: &Shape) -> String {
    match s {
        Shape::Object { keys, more } if keys.is_empty() => {
            if *more == 0 {
                "an empty JSON object".to_owned()
            } else {
                "a JSON object".to_owned()
            }
        }
        Shape::Object { keys, more } => {
            let names: Vec<String> = keys.iter().map(|k| q(k)).collect();
            let noun = if keys.len() + more == 1 { "key" } else { "keys" };
            let tail = if *more > 0 { format!(" and {more} more") } else { String::new() };
            format!("a JSON object with the {noun} {}{tail}", names.join(", "))
        }
        Shape::List { len: 0, .. } => "an empty list".to_owned(),
        Shape::List { len, first } => {
            let noun = if *len == 1 { "item" } else { "items" };
            match first {
                Some(f) => format!("a list of {len} {noun}, the first {}", shape(f)),
                None => format!("a list of {len} {noun}"),
            }
        }
        Shape::Text => "a text".to_owned(),
        Shape::Number => "a number".to_owned(),
        Shape::Boolean => "true or false".to_owned(),
        Shape::Null => "null".to_owned(),
    }
}

/// What a file was recognised as: `heroku spaces:info`, `aws ec2 describe-vpcs`.
pub fn kind(k: &Kind) -> String {
    match k {
        Kind::Heroku(h) => format!("heroku {}", heroku_command(*h)),
        Kind::Aws(sections) => {
            let commands: Vec<String> = sections.iter().map(aws_command).collect();
            format!("aws ec2 {}", commands.join(", "))
        }
        Kind::EmptyList => "an empty list".to_owned(),
        Kind::Scenario => "a Spacetrace scenario".to_owned(),
    }
}

fn heroku_command(h: HerokuOutput) -> &'static str {
    match h {
        HerokuOutput::SpaceInfo => "spaces:info",
        HerokuOutput::Peerings => "spaces:peerings",
        HerokuOutput::PeeringInfo => "spaces:peerings:info",
        HerokuOutput::VpnInfo => "spaces:vpn:info",
        HerokuOutput::VpnConnections => "spaces:vpn:connections",
        HerokuOutput::Topology => "spaces:topology",
        HerokuOutput::TrustedIps => "spaces:trusted-ips",
        HerokuOutput::AppInfo => "apps:info",
    }
}

fn aws_command(o: &AwsOutput) -> String {
    match o {
        AwsOutput::Vpcs => "describe-vpcs".into(),
        AwsOutput::Subnets => "describe-subnets".into(),
        AwsOutput::RouteTables => "describe-route-tables".into(),
        AwsOutput::SecurityGroups => "describe-security-groups".into(),
        AwsOutput::NetworkAcls => "describe-network-acls".into(),
        AwsOutput::VpcPeeringConnections => "describe-vpc-peering-connections".into(),
        AwsOutput::Reservations => "describe-instances".into(),
        AwsOutput::NetworkInterfaces => "describe-network-interfaces".into(),
        AwsOutput::VpnConnections => "describe-vpn-connections".into(),
        AwsOutput::CustomerGateways => "describe-customer-gateways".into(),
        AwsOutput::InternetGateways => "describe-internet-gateways".into(),
        AwsOutput::NatGateways => "describe-nat-gateways".into(),
        AwsOutput::PrefixLists => "describe-prefix-lists".into(),
        AwsOutput::NotModelled(key) => format!("output {}", q(key)),
    }
}

/// What an imported document holds, in one line: `1 space, 2 apps, 2 VPCs (4 subnets, 2 hosts), …`.
pub fn summary(doc: &Document) -> String {
    let count = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let apps = doc.common_runtime_apps.len() + doc.spaces.iter().map(|s| s.apps.len()).sum::<usize>();
    let subnets: usize = doc.vpcs.iter().map(|v| v.subnets.len()).sum();
    let hosts: usize = doc.vpcs.iter().map(|v| v.hosts.len()).sum();
    let groups: usize = doc.vpcs.iter().map(|v| v.security_groups.len()).sum();
    [
        count(doc.spaces.len(), "space", "spaces"),
        count(apps, "app", "apps"),
        format!(
            "{} ({}, {}, {})",
            count(doc.vpcs.len(), "VPC", "VPCs"),
            count(subnets, "subnet", "subnets"),
            count(groups, "security group", "security groups"),
            count(hosts, "host", "hosts")
        ),
        count(doc.peerings.len(), "space peering", "space peerings"),
        count(doc.vpc_peerings.len(), "VPC peering", "VPC peerings"),
        count(doc.vpns.len(), "VPN connection", "VPN connections"),
    ]
    .join(", ")
}

fn expected(e: Expected) -> &'static str {
    match e {
        Expected::Text => "a text",
        Expected::Integer => "a whole number",
        Expected::Number => "a number",
        Expected::Boolean => "true or false",
        Expected::List => "a list",
        Expected::Object => "an object",
        Expected::Null => "nothing",
    }
}

fn effect(e: Effect) -> &'static str {
    match e {
        Effect::FieldIgnored => "it is ignored",
        Effect::ObjectLeftOut => "it is left out",
    }
}

/// A list of values, quoted, at most five of them.
fn values(list: &[String]) -> String {
    let shown: Vec<String> = list.iter().take(5).map(|v| q(v)).collect();
    let more = list.len().saturating_sub(shown.len());
    if more > 0 { format!("{} and {more} more", shown.join(", ")) } else { shown.join(", ") }
}

/// A noun phrase for a thing Spacetrace does not model, and why or what happens.
fn thing(t: &Thing) -> (String, &'static str) {
    match t {
        Thing::TransitGateway => ("a transit gateway".into(), "Spacetrace does not model transit gateways"),
        Thing::VpcEndpoint => ("a VPC endpoint".into(), "Spacetrace does not model VPC endpoints"),
        Thing::VpnGateway => {
            ("a virtual private gateway".into(), "Spacetrace models VPN connections from a space only")
        }
        Thing::CustomerGateway => (
            "a customer gateway".into(),
            "Spacetrace models VPN connections from a space only (heroku spaces:vpn:info gives those); it is left out",
        ),
        Thing::AwsVpnConnection => (
            "an AWS site-to-site VPN connection".into(),
            "Spacetrace models VPN connections from a space only (heroku spaces:vpn:info gives those); it is left out",
        ),
        Thing::InternetGateway => (
            "an internet gateway".into(),
            "routes to it are kept, but Spacetrace does not model hosts' public addresses or traffic from the internet into a VPC",
        ),
        Thing::EgressOnlyInternetGateway => {
            ("an egress-only internet gateway".into(), "it carries IPv6, which Spacetrace does not model")
        }
        Thing::NatGatewayWithoutAddress => {
            ("a NAT gateway".into(), "it gives no public address (it is private, failed or deleted), so it is left out")
        }
        Thing::LocalGateway => ("an Outposts local gateway".into(), "Spacetrace does not model Outposts"),
        Thing::CarrierGateway => ("a carrier gateway".into(), "Spacetrace does not model Wavelength zones"),
        Thing::CoreNetwork => ("an AWS Cloud WAN core network".into(), "Spacetrace does not model Cloud WAN"),
        Thing::ApplianceTarget => (
            "an instance or network interface".into(),
            "Spacetrace does not model traffic forwarded through an appliance",
        ),
        Thing::GatewayAssociation => (
            "a route table association with a gateway".into(),
            "Spacetrace does not model ingress routing at a gateway; the association is left out",
        ),
        Thing::NetworkInterface { interface_type } => (
            format!("a network interface of type {}", q(interface_type)),
            "it belongs to a service Spacetrace does not model as a host, so it is left out",
        ),
        Thing::DetachedInterface => ("a network interface".into(), "it is attached to nothing, so it is left out"),
        Thing::HerokuManagedPeering => (
            "a Heroku-managed peering".into(),
            "Heroku manages it for the space itself; Spacetrace models customer-managed peerings, so it is left out",
        ),
        Thing::TrustedIpDeny => (
            "a trusted IP rule that denies".into(),
            "Spacetrace models the ranges a space trusts, not deny rules, so it is left out",
        ),
        Thing::Addon { service } => (
            format!("an add-on ({})", q(service)),
            "Spacetrace models data stores inside a space (Postgres, Kafka and Redis on private or shield plans); this one is left out",
        ),
        Thing::AwsObject { collection } => (
            format!("an object of the AWS output {}", q(collection)),
            "Spacetrace does not model it, so it is left out",
        ),
    }
}

fn protocol_name(p: &str) -> String {
    let known = match p.trim().to_ascii_lowercase().as_str() {
        "1" | "icmp" => Some("ICMP"),
        "58" | "icmpv6" => Some("ICMPv6"),
        "50" | "esp" => Some("ESP"),
        "51" | "ah" => Some("AH"),
        "47" | "gre" => Some("GRE"),
        _ => None,
    };
    match known {
        Some(n) if n.eq_ignore_ascii_case(p.trim()) => n.to_owned(),
        Some(n) => format!("{} ({n})", q(p)),
        None => q(p),
    }
}

fn status_phrase(s: PeeringStatus) -> &'static str {
    match s {
        PeeringStatus::Active => "active",
        PeeringStatus::PendingAcceptance => "pending acceptance (it carries no traffic yet)",
        PeeringStatus::Deleted => "deleted (it carries no traffic, and routes to it drop what they match)",
    }
}

/// One sentence (or two) for a warning, without where it is.
pub fn what(w: &What) -> String {
    match w {
        What::UnknownField { name } => {
            format!("The field {} is not one Spacetrace reads from this output; it is ignored.", q(name))
        }
        What::WrongType { expected: e, found, effect: x } => {
            format!("Expected {} here, found {}; {}.", expected(*e), expected(*found), effect(*x))
        }
        What::MissingField { field } => format!("{} is missing or blank, so this object is left out.", q(field)),
        What::BadValue { value, effect: x } => format!("{} cannot be used here; {}.", q(value), effect(*x)),
        What::Capped { kept, total } => {
            format!("This list has {total} items; only the first {kept} are imported.")
        }
        What::EmptyOutput => "The file is an empty list: there is nothing to import from it.".to_owned(),
        What::Paginated => "The output has a NextToken: it is one page of a longer listing, and what the other \
                            pages hold is missing. Run the command again without --max-items."
            .to_owned(),
        What::Duplicate { id } => format!("{} was imported already; this copy is ignored.", q(id)),
        What::NotModelled { thing: Thing::TrustedIpDeny, id } => format!(
            "The trusted IP rule denying {}: Spacetrace models the ranges a space trusts, not deny rules, so it is left out.",
            q(id)
        ),
        What::NotModelled { thing: t, id } => {
            let (noun, why) = thing(t);
            format!("{} is {noun}: {why}.", q(id))
        }
        What::Ipv6 { value, place } => {
            let v = q(value);
            match place {
                Ipv6Place::VpcBlock => format!("The VPC's IPv6 block {v} is left out: Spacetrace models IPv4."),
                Ipv6Place::SubnetBlock => {
                    format!("The subnet's IPv6 block {v} is left out: Spacetrace models IPv4.")
                }
                Ipv6Place::SecurityGroupRule { only: true } => {
                    format!("This rule admits only IPv6 ranges ({v}); Spacetrace models IPv4, so the rule is left out.")
                }
                Ipv6Place::SecurityGroupRule { only: false } => {
                    format!("This rule's IPv6 ranges ({v}) are left out, its other peers kept: Spacetrace models IPv4.")
                }
                Ipv6Place::AclEntry => {
                    format!("The ACL entry for the IPv6 block {v} is left out: Spacetrace models IPv4.")
                }
                Ipv6Place::Route => format!("The route to the IPv6 block {v} is left out: Spacetrace models IPv4."),
                Ipv6Place::Address => format!("The IPv6 address {v} is left out: Spacetrace models IPv4."),
                Ipv6Place::PeeringBlock => {
                    format!("The peered IPv6 block {v} is left out: Spacetrace models IPv4.")
                }
            }
        }
        What::Protocol { protocol } => format!(
            "This rule is for protocol {}; Spacetrace answers for TCP and UDP, so it is left out.",
            protocol_name(protocol)
        ),
        What::RouteTarget { destination, target, thing: t } => {
            let (noun, why) = thing(t);
            format!(
                "The route to {destination} goes to {}, {noun}; {why}. The route is kept, and traffic it takes reaches no space and no peered VPC.",
                q(target)
            )
        }
        What::PrefixListRoute { prefix_list } => format!(
            "The route to the prefix list {} is left out: no file gives the list's entries (aws ec2 describe-prefix-lists does).",
            q(prefix_list)
        ),
        What::SecretLeftOut { secret } => match secret {
            Secret::PreSharedKey => {
                "The tunnel's pre-shared key is a secret: it was not read, and the scenario does not hold it."
                    .to_owned()
            }
            Secret::CustomerGatewayConfiguration => "The customer gateway configuration holds the tunnels' \
                pre-shared keys: it was not read, and the scenario does not hold it."
                .to_owned(),
            Secret::TunnelPreSharedKey => {
                "The tunnel's pre-shared key is a secret: it was not read, and the scenario does not hold it."
                    .to_owned()
            }
        },
        What::PublicAddress { host, address } => format!(
            "{} also has the public address {address}; Spacetrace models a host by its private address only.",
            q(host)
        ),
        What::ExtraAddresses { host, addresses } => format!(
            "{} also has the private addresses {}; Spacetrace models a host by its primary private address only.",
            q(host),
            values(addresses)
        ),
        What::DynoAddresses { app, process, addresses } => format!(
            "The {process} dynos of {} have the private addresses {}; a scenario cannot hold dyno addresses, so Spacetrace gives them addresses from the space's dyno subnets.",
            q(app),
            values(addresses)
        ),
        What::StatusRead { id, status, read_as } => {
            format!("The peering {} is {}; Spacetrace reads it as {}.", q(id), q(status), status_phrase(*read_as))
        }
        What::StatusConflict { id, heroku, aws } => {
            format!("Heroku says the peering {} is {}, AWS says {}; AWS's status is used.", q(id), q(heroku), q(aws))
        }
        What::PeeringVpcMismatch { id, heroku_vpc, aws_vpcs } => format!(
            "Heroku says the peering {} joins the space to {}, but AWS's peering of that ID joins {}; AWS's is used.",
            q(id),
            q(heroku_vpc),
            values(aws_vpcs)
        ),
        What::BlackholeRoute { destination, target } => {
            let gone = if target.is_empty() { String::new() } else { format!(" {}", q(target)) };
            format!(
                "AWS marks the route to {destination} a blackhole (its target{gone} is gone): it drops what it matches."
            )
        }
        What::InstanceState { host, state, kept: true } => {
            format!("{} is {state}; it is imported as if it were running.", q(host))
        }
        What::InstanceState { host, state, kept: false } => format!("{} is {state}, so it is left out.", q(host)),
        What::PortsInferred { host, ports } => format!(
            "AWS does not say what {} listens on: it is taken to listen on the ports its security groups admit ({}).",
            q(host),
            ports.join(", ")
        ),
        What::NoPorts { host } => format!(
            "AWS does not say what {} listens on, and its security groups admit no single port: it is imported listening on nothing (a source only); add its ports in Spacetrace.",
            q(host)
        ),
        What::DynoSubnetsInferred { space, subnets } => format!(
            "The dynos of {} have addresses in {}, which are taken as its dyno subnets (heroku spaces:peerings:info gives them exactly).",
            q(space),
            subnets.join(", ")
        ),
        What::SpaceGuessed { space } => format!(
            "This file does not say which space it is about, and neither its addresses nor its name tell; it is read as about {}.",
            q(space)
        ),
        What::SpaceCreated { space } => format!(
            "No spaces:info output describes the space {}, so it is created with the defaults (a Cedar space, CIDR 10.0.0.0/16); add heroku spaces:info --json for the real ones.",
            q(space)
        ),
        What::SpaceState { space, state } => {
            format!("The space {} is {}, not allocated; it is imported as described.", q(space), q(state))
        }
        What::VpcWithoutCidr { vpc } => format!(
            "No file gives the CIDR block of the VPC {} (aws ec2 describe-vpcs does), so it is left out with everything in it.",
            q(vpc)
        ),
        What::OutsideKnownVpc { id, vpc } => format!(
            "{} is in the VPC {}, which no file describes (aws ec2 describe-vpcs does), so it is left out.",
            q(id),
            q(vpc)
        ),
        What::UnknownSubnet { host, subnet } => format!(
            "{} is in the subnet {}, which no file describes (aws ec2 describe-subnets does), so it is left out.",
            q(host),
            q(subnet)
        ),
        What::NoRouteTable { vpc } => format!(
            "Subnets of the VPC {} have no route table: no file associates one with them, and none is the VPC's main route table (aws ec2 describe-route-tables gives them).",
            q(vpc)
        ),
        What::IdRenamed { from, to } => format!("The ID {} is taken already; this object's ID is {}.", q(from), q(to)),
        What::AppNameUnknown { id } => {
            format!("The app {} is known only by its ID; heroku apps:info --json gives its name.", q(id))
        }
        What::AppMaintenance { app } => format!(
            "{} is in maintenance mode, which Spacetrace does not model: answers are as if it were serving.",
            q(app)
        ),
        What::VpnStatus { vpn, status } => {
            format!("The VPN connection {} is {}, not active; it is imported with its tunnels down.", q(vpn), q(status))
        }
        What::TrustedIpsNotApplied => {
            "These trusted IP rules are not applied yet; they are imported as if they were.".to_owned()
        }
        What::OutboundRange { source } => {
            format!("The outbound IP source {} is a range, not one address; it is left out.", q(source))
        }
        What::SeveralNatGateways { vpc, used } => format!(
            "The VPC {} has several NAT gateways; its hosts are taken to reach the internet from {used}, the first one's address.",
            q(vpc)
        ),
        What::PrefixListWithoutEntries { id } => format!(
            "The prefix list {} comes without its entries (aws ec2 get-managed-prefix-list-entries gives them, but does not name the list), so it matches nothing.",
            q(id)
        ),
        What::WarningsCapped { more } => {
            format!("{more} more warnings were met; an import records at most {MAX_WARNINGS}.")
        }
    }
}

fn byte_size(bytes: usize) -> String {
    const MIB: f64 = 1024.0 * 1024.0;
    if bytes >= 1024 * 1024 {
        format!("{:.1} MiB", bytes as f64 / MIB)
    } else if bytes >= 1024 {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MAX_FILE_BYTES;

    #[test]
    fn locations() {
        assert_eq!(location("a.json", "Vpcs[0]"), "\u{201c}a.json\u{201d}, Vpcs[0]");
        assert_eq!(location("a.json", ""), "\u{201c}a.json\u{201d}");
        assert_eq!(location("", ""), "");
    }

    #[test]
    fn sizes() {
        assert_eq!(byte_size(MAX_FILE_BYTES), "32.0 MiB");
        assert_eq!(byte_size(10), "10 bytes");
    }

    #[test]
    fn protocols_are_named() {
        assert_eq!(protocol_name("icmp"), "ICMP");
        assert_eq!(protocol_name("1"), "\u{201c}1\u{201d} (ICMP)");
        assert_eq!(protocol_name("132"), "\u{201c}132\u{201d}");
    }
}
