//! A suggested fix as the commands that carry it out: the AWS CLI for what lives in the
//! customer's account (routes, security groups, network ACLs, the peering request), the Heroku CLI
//! for what lives on the platform (accepting a peering, trusted IP ranges, scaling, VPNs).
//!
//! Commands are data (a tool and its arguments), not prose; [`Command::line`] quotes them for a
//! POSIX shell. They name objects by the IDs the document holds, so an imported network gets its
//! real IDs (`rtb-…`, `sg-…`, `acl-…`, `pcx-…`), and Heroku objects by name (what the Heroku CLI
//! takes). A value the document cannot know (the AWS account and VPC of a space, the ID of a
//! peering not created yet) is a [`Part::Placeholder`], shown as `<…>` and said by the renderer.
//! A fix that no command carries out (a change to the question, code that must listen on a port,
//! a third party's allowlist or firewall, "no configuration connects") has none.

use std::fmt::Write as _;

use ipnet::IpNet;
use serde::Serialize;

use crate::doc::{Action, RuleProtocol};
use crate::model::{AclRule, Model, PortRange};
use crate::trace::{AclRenumber, Direction, Fix};

/// The command-line tool a command is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tool {
    Aws,
    Heroku,
}

/// A value the document does not hold, to be filled in by the person running the command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Placeholder {
    /// The AWS account that owns a space's VPC (`heroku spaces:peering:info`).
    SpaceAccount,
    /// The VPC of a space (`heroku spaces:peering:info`).
    SpaceVpc,
    /// The `pcx-…` ID that `aws ec2 create-vpc-peering-connection` prints.
    NewPeering,
    /// The name of the app to create.
    NewAppName,
    /// The public IP of the VPN device on the remote network, when the document gives none.
    GatewayIp,
}

impl Placeholder {
    /// How the placeholder is written in a command line.
    pub fn token(self) -> &'static str {
        match self {
            Placeholder::SpaceAccount => "<space-aws-account-id>",
            Placeholder::SpaceVpc => "<space-vpc-id>",
            Placeholder::NewPeering => "<new-pcx-id>",
            Placeholder::NewAppName => "<new-app-name>",
            Placeholder::GatewayIp => "<gateway-public-ip>",
        }
    }
}

/// One argument: a literal value or a placeholder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Part {
    Text(String),
    Placeholder(Placeholder),
}

/// One command: the tool and its arguments (the tool's own name is not among them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Command {
    pub tool: Tool,
    pub args: Vec<Part>,
}

impl Command {
    fn new(tool: Tool, args: &[&str]) -> Self {
        Self { tool, args: args.iter().map(|a| Part::Text((*a).to_owned())).collect() }
    }

    fn arg(mut self, a: impl Into<String>) -> Self {
        self.args.push(Part::Text(a.into()));
        self
    }

    fn hole(mut self, p: Placeholder) -> Self {
        self.args.push(Part::Placeholder(p));
        self
    }

    /// The command as one line for a POSIX shell: values quoted where the shell would change
    /// them, placeholders as `<…>`.
    pub fn line(&self) -> String {
        let mut out = String::from(match self.tool {
            Tool::Aws => "aws",
            Tool::Heroku => "heroku",
        });
        for a in &self.args {
            out.push(' ');
            match a {
                Part::Text(t) => out.push_str(&sh_quote(t)),
                Part::Placeholder(p) => out.push_str(p.token()),
            }
        }
        out
    }

    /// The placeholders this command holds, in order.
    pub fn placeholders(&self) -> impl Iterator<Item = Placeholder> + '_ {
        self.args.iter().filter_map(|a| match a {
            Part::Placeholder(p) => Some(*p),
            Part::Text(_) => None,
        })
    }
}

/// `s` as one shell word: as it is when it holds only characters no shell treats specially,
/// else in single quotes.
fn sh_quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':' | '=' | ',' | '@' | '+'));
    if plain { s.to_owned() } else { format!("'{}'", s.replace('\'', r"'\''")) }
}

/// The commands that carry out `fix` on the network `model` describes, in the order to run them;
/// empty when no command does.
pub fn for_fix(model: &Model, fix: &Fix) -> Vec<Command> {
    match fix {
        Fix::AddRoute { route_table, destination, target } => {
            vec![route("create-route", model, route_table, &destination.to_string(), RouteTarget::Id(target))]
        }
        Fix::ReplaceRoute { route_table, destination, target } => {
            vec![route("replace-route", model, route_table, &destination.to_string(), RouteTarget::Id(target))]
        }
        Fix::AddSecurityGroupRule { group, direction, protocol, ports, cidrs } => {
            let verb = match direction {
                Direction::Inbound => "authorize-security-group-ingress",
                Direction::Outbound => "authorize-security-group-egress",
            };
            vec![
                Command::new(Tool::Aws, &["ec2", verb, "--group-id"])
                    .arg(group)
                    .arg("--ip-permissions")
                    .arg(ip_permissions(*protocol, *ports, cidrs)),
            ]
        }
        Fix::AddAclRule { acl, direction, number, protocol, ports, cidr, renumber } => {
            let mut out = renumbered(model, acl, *direction, renumber);
            out.push(acl_entry(acl, *direction, *number, *protocol, *ports, cidr, Action::Allow));
            out
        }
        Fix::AcceptPeering { peering } => {
            let space = model.peerings.iter().find(|p| p.id == *peering).map(|p| model.space(p.space).name.as_str());
            vec![accept(Part::Text(peering.clone()), space.unwrap_or_default())]
        }
        Fix::CreatePeering { space, vpc } => create_peering(model, space, vpc),
        Fix::CreatePeeringWithRoute { space, vpc, route_table, destination, replace } => {
            let mut out = create_peering(model, space, vpc);
            let verb = if *replace { "replace-route" } else { "create-route" };
            out.push(route(verb, model, route_table, &destination.to_string(), RouteTarget::NewPeering));
            out
        }
        Fix::AddTrustedRanges { space, cidrs } => {
            let name = space_name(model, space);
            cidrs
                .iter()
                .map(|c| {
                    Command::new(Tool::Heroku, &["spaces:trusted-ips:add"]).arg(c.to_string()).arg("--space").arg(name)
                })
                .collect()
        }
        Fix::ScaleProcess { app, process, dynos } => {
            let name = model.find_app(app).map_or(app.as_str(), |a| model.app(a).name.as_str());
            vec![Command::new(Tool::Heroku, &["ps:scale"]).arg(format!("{process}={dynos}")).arg("-a").arg(name)]
        }
        Fix::AddRoutableCidr { vpn, cidr } => {
            let Some(v) = model.vpns.iter().find(|v| v.id == *vpn) else { return Vec::new() };
            let mut cidrs: Vec<String> = v.routable_cidrs.iter().map(IpNet::to_string).collect();
            cidrs.push(cidr.to_string());
            vec![
                Command::new(Tool::Heroku, &["spaces:vpn:update"])
                    .arg(&v.name)
                    .arg("--space")
                    .arg(&model.space(v.space).name)
                    .arg("--cidrs")
                    .arg(cidrs.join(",")),
            ]
        }
        Fix::CreateVpn { space, remote } => {
            let Some(r) = model.remotes.iter().find(|r| r.id == *remote) else { return Vec::new() };
            let cidrs: Vec<String> = r.cidrs.iter().map(IpNet::to_string).collect();
            let c = Command::new(Tool::Heroku, &["spaces:vpn:connect"]).arg(&r.name).arg("--ip");
            let c = match r.public_egress_ip {
                Some(ip) => c.arg(ip.to_string()),
                None => c.hole(Placeholder::GatewayIp),
            };
            vec![c.arg("--cidrs").arg(cidrs.join(",")).arg("--space").arg(space_name(model, space))]
        }
        Fix::RecreateWithInternalRouting { app } => {
            let Some(a) = model.find_app(app) else { return Vec::new() };
            let Some(s) = model.app(a).space else { return Vec::new() };
            vec![
                Command::new(Tool::Heroku, &["apps:create"])
                    .hole(Placeholder::NewAppName)
                    .arg("--space")
                    .arg(&model.space(s).name)
                    .arg("--internal-routing"),
            ]
        }
        // A third party's allowlist or firewall, the tunnel at the customer's gateway, the app's
        // own code: no Heroku or AWS command changes them. Changes to the question, and "no
        // configuration connects", are not commands at all.
        Fix::AddToAllowlist { .. }
        | Fix::AddFirewallRule { .. }
        | Fix::BringTunnelUp { .. }
        | Fix::ListenOnPort { .. }
        | Fix::UsePort { .. }
        | Fix::UseHostname { .. }
        | Fix::UseDynoAddress { .. }
        | Fix::NoConfiguration { .. } => Vec::new(),
    }
}

fn space_name<'m>(model: &'m Model, id: &'m str) -> &'m str {
    model.spaces.iter().find(|s| s.id == id).map_or(id, |s| s.name.as_str())
}

enum RouteTarget<'a> {
    Id(&'a str),
    NewPeering,
}

/// `aws ec2 create-route` or `replace-route`, with the option its target's kind takes.
fn route(verb: &str, model: &Model, table: &str, destination: &str, target: RouteTarget<'_>) -> Command {
    let c = Command::new(Tool::Aws, &["ec2", verb, "--route-table-id"])
        .arg(table)
        .arg("--destination-cidr-block")
        .arg(destination);
    match target {
        RouteTarget::NewPeering => c.arg("--vpc-peering-connection-id").hole(Placeholder::NewPeering),
        RouteTarget::Id(t) => {
            let peering = t.starts_with("pcx-")
                || model.peerings.iter().any(|p| p.id == t)
                || model.vpc_peerings.iter().any(|p| p.id == t);
            let option = if peering {
                "--vpc-peering-connection-id"
            } else if t.starts_with("nat-") {
                "--nat-gateway-id"
            } else if t.starts_with("tgw-") {
                "--transit-gateway-id"
            } else {
                "--gateway-id"
            };
            c.arg(option).arg(t)
        }
    }
}

/// The peering is requested from the VPC's account, in the VPC's region (a space peers only with
/// a VPC of its own region), and accepted on the space's side.
fn create_peering(model: &Model, space: &str, vpc: &str) -> Vec<Command> {
    let name = space_name(model, space);
    let mut request = Command::new(Tool::Aws, &["ec2", "create-vpc-peering-connection", "--vpc-id"])
        .arg(vpc)
        .arg("--peer-owner-id")
        .hole(Placeholder::SpaceAccount)
        .arg("--peer-vpc-id")
        .hole(Placeholder::SpaceVpc);
    if let Some(region) = model.vpcs.iter().find(|v| v.id == vpc).map(|v| v.region.as_str()).filter(|r| !r.is_empty()) {
        request = request.arg("--region").arg(region);
    }
    vec![
        Command::new(Tool::Heroku, &["spaces:peering:info", name]),
        request,
        accept(Part::Placeholder(Placeholder::NewPeering), name),
    ]
}

fn accept(peering: Part, space: &str) -> Command {
    let mut c = Command::new(Tool::Heroku, &["spaces:peerings:accept"]);
    c.args.push(peering);
    c.arg("--space").arg(space)
}

/// `--ip-permissions` in the AWS CLI's shorthand.
fn ip_permissions(protocol: RuleProtocol, ports: PortRange, cidrs: &[IpNet]) -> String {
    let mut s = String::new();
    match protocol {
        RuleProtocol::All => s.push_str("IpProtocol=-1"),
        RuleProtocol::Tcp | RuleProtocol::Udp => {
            let p = if protocol == RuleProtocol::Tcp { "tcp" } else { "udp" };
            let _ = write!(s, "IpProtocol={p},FromPort={},ToPort={}", ports.lo, ports.hi);
        }
    }
    let (v4, v6): (Vec<&IpNet>, Vec<&IpNet>) = cidrs.iter().partition(|c| matches!(c, IpNet::V4(_)));
    let list = |key: &str, nets: &[&IpNet]| nets.iter().map(|n| format!("{{{key}={n}}}")).collect::<Vec<_>>().join(",");
    if !v4.is_empty() {
        let _ = write!(s, ",IpRanges=[{}]", list("CidrIp", &v4));
    }
    if !v6.is_empty() {
        let _ = write!(s, ",Ipv6Ranges=[{}]", list("CidrIpv6", &v6));
    }
    s
}

/// `aws ec2 create-network-acl-entry` for one rule.
fn acl_entry(
    acl: &str,
    direction: Direction,
    number: u32,
    protocol: RuleProtocol,
    ports: PortRange,
    cidr: &IpNet,
    action: Action,
) -> Command {
    let mut c = Command::new(Tool::Aws, &["ec2", "create-network-acl-entry", "--network-acl-id"])
        .arg(acl)
        .arg(match direction {
            Direction::Inbound => "--ingress",
            Direction::Outbound => "--egress",
        })
        .arg("--rule-number")
        .arg(number.to_string())
        .arg("--protocol");
    c = match protocol {
        RuleProtocol::All => c.arg("-1"),
        RuleProtocol::Tcp | RuleProtocol::Udp => c
            .arg(if protocol == RuleProtocol::Tcp { "tcp" } else { "udp" })
            .arg("--port-range")
            .arg(format!("From={},To={}", ports.lo, ports.hi)),
    };
    let family = if matches!(cidr, IpNet::V4(_)) { "--cidr-block" } else { "--ipv6-cidr-block" };
    c.arg(family).arg(cidr.to_string()).arg("--rule-action").arg(match action {
        Action::Allow => "allow",
        Action::Deny => "deny",
    })
}

/// AWS has no way to renumber an ACL entry: each moved rule is created at its new number and
/// then deleted at its old one, the highest first so that no new number is still taken.
fn renumbered(model: &Model, acl: &str, direction: Direction, renumber: &[AclRenumber]) -> Vec<Command> {
    let Some(table) = model.vpcs.iter().flat_map(|v| v.network_acls.iter()).find(|a| a.id == acl) else {
        return Vec::new();
    };
    let rules: &[AclRule] = match direction {
        Direction::Inbound => &table.inbound,
        Direction::Outbound => &table.outbound,
    };
    let mut moves: Vec<&AclRenumber> = renumber.iter().collect();
    moves.sort_by_key(|m| std::cmp::Reverse(m.from));
    let flag = match direction {
        Direction::Inbound => "--ingress",
        Direction::Outbound => "--egress",
    };
    let mut out = Vec::new();
    for m in moves {
        let Some(rule) = rules.iter().find(|r| r.number == m.from) else { continue };
        out.push(acl_entry(acl, direction, m.to, rule.protocol, rule.ports, &rule.cidr, rule.action));
        out.push(
            Command::new(Tool::Aws, &["ec2", "delete-network-acl-entry", "--network-acl-id"])
                .arg(acl)
                .arg(flag)
                .arg("--rule-number")
                .arg(m.from.to_string()),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(model: &Model, fix: &Fix) -> Vec<String> {
        for_fix(model, fix).iter().map(Command::line).collect()
    }

    #[test]
    fn values_the_shell_would_change_are_quoted() {
        assert_eq!(sh_quote("rtb-0a1b"), "rtb-0a1b");
        assert_eq!(
            sh_quote("IpProtocol=tcp,IpRanges=[{CidrIp=10.0.0.0/16}]"),
            "'IpProtocol=tcp,IpRanges=[{CidrIp=10.0.0.0/16}]'"
        );
        assert_eq!(sh_quote("it's"), r"'it'\''s'");
        assert_eq!(sh_quote(""), "''");
        assert_eq!(sh_quote("a b;rm"), "'a b;rm'");
    }

    #[test]
    fn security_group_rules_in_shorthand() {
        let net = |t: &str| t.parse::<IpNet>().unwrap();
        let fix = Fix::AddSecurityGroupRule {
            group: "sg-0abc".into(),
            direction: Direction::Inbound,
            protocol: RuleProtocol::Tcp,
            ports: PortRange::single(5432),
            cidrs: vec![net("10.0.0.0/16"), net("10.1.0.0/16")],
        };
        assert_eq!(
            lines(&Model::default(), &fix),
            [
                "aws ec2 authorize-security-group-ingress --group-id sg-0abc --ip-permissions 'IpProtocol=tcp,FromPort=5432,ToPort=5432,IpRanges=[{CidrIp=10.0.0.0/16},{CidrIp=10.1.0.0/16}]'"
            ]
        );
    }

    #[test]
    fn changes_to_the_question_and_no_configuration_have_no_command() {
        assert!(for_fix(&Model::default(), &Fix::UsePort { port: 443 }).is_empty());
        assert!(for_fix(&Model::default(), &Fix::NoConfiguration { workaround: None }).is_empty());
    }
}
