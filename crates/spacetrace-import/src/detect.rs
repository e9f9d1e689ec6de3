//! Recognising a file from its JSON shape: which Heroku CLI or AWS CLI output it is, a Spacetrace
//! scenario, or something else (described, so that the message can say what it looks like).

use serde::Serialize;
use serde_json::Value;

/// What a file was recognised as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "output", rename_all = "snake_case")]
pub enum Kind {
    Heroku(HerokuOutput),
    /// An `aws ec2 describe-…` output: the sections it holds (usually one).
    Aws(Vec<AwsOutput>),
    /// An empty list: the output of a Heroku listing with nothing in it.
    EmptyList,
    /// A Spacetrace scenario: open it rather than import it.
    Scenario,
}

/// The Heroku CLI outputs the importer reads (each with `--json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HerokuOutput {
    /// `heroku spaces:info --json`
    SpaceInfo,
    /// `heroku spaces:peerings --json`
    Peerings,
    /// `heroku spaces:peerings:info --json` (formerly `spaces:peering:info`)
    PeeringInfo,
    /// `heroku spaces:vpn:info --json`
    VpnInfo,
    /// `heroku spaces:vpn:connections --json`
    VpnConnections,
    /// `heroku spaces:topology --json`
    Topology,
    /// `heroku spaces:trusted-ips --json`
    TrustedIps,
    /// `heroku apps:info --json`
    AppInfo,
}

/// The AWS CLI outputs the importer reads: `aws ec2 describe-…` (and `describe-prefix-lists`,
/// `describe-managed-prefix-lists`), each recognised by its top-level key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AwsOutput {
    Vpcs,
    Subnets,
    RouteTables,
    SecurityGroups,
    NetworkAcls,
    VpcPeeringConnections,
    /// `describe-instances`
    Reservations,
    NetworkInterfaces,
    VpnConnections,
    CustomerGateways,
    InternetGateways,
    NatGateways,
    PrefixLists,
    /// An output Spacetrace recognises but does not model (`TransitGateways`, `VpcEndpoints`…):
    /// each object in it becomes a warning.
    NotModelled(String),
}

/// The top-level keys of the AWS outputs the importer maps.
pub const AWS_MODELLED: &[&str] = &[
    "Vpcs",
    "Subnets",
    "RouteTables",
    "SecurityGroups",
    "NetworkAcls",
    "VpcPeeringConnections",
    "Reservations",
    "NetworkInterfaces",
    "VpnConnections",
    "CustomerGateways",
    "InternetGateways",
    "NatGateways",
    "PrefixLists",
];

/// Top-level keys of `aws ec2` outputs that Spacetrace does not model: recognised, and each
/// object in them is reported.
pub const AWS_NOT_MODELLED: &[&str] = &[
    "TransitGateways",
    "TransitGatewayAttachments",
    "TransitGatewayVpcAttachments",
    "TransitGatewayRouteTables",
    "TransitGatewayPeeringAttachments",
    "TransitGatewayConnects",
    "VpcEndpoints",
    "VpcEndpointServiceConfigurations",
    "VpnGateways",
    "Addresses",
    "EgressOnlyInternetGateways",
    "DhcpOptions",
    "LocalGateways",
    "LocalGatewayRouteTables",
    "CarrierGateways",
    "ClientVpnEndpoints",
    "NetworkInsightsPaths",
    "TrafficMirrorSessions",
    "FlowLogs",
    "Ipams",
    "SecurityGroupRules",
];

/// Keys that may sit beside the sections of an AWS output.
pub(crate) const AWS_ENVELOPE: &[&str] = &["NextToken"];

/// Top-level keys of a Spacetrace scenario that no CLI output has.
const SCENARIO_KEYS: &[&str] = &[
    "internet_clients",
    "external_services",
    "common_runtime_apps",
    "spaces",
    "vpcs",
    "prefix_lists",
    "peerings",
    "vpc_peerings",
    "remote_networks",
    "vpns",
    "questions",
    "layout",
];

/// The shape of a JSON value, for saying what an unrecognised file looks like.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Shape {
    /// An object: its first keys (at most [`SHOWN_KEYS`]) and how many more it has.
    Object {
        keys: Vec<String>,
        more: usize,
    },
    /// A list: its length and the shape of its first item.
    List {
        len: usize,
        first: Option<Box<Shape>>,
    },
    Text,
    Number,
    Boolean,
    Null,
}

/// How many keys of an object a [`Shape`] names.
pub const SHOWN_KEYS: usize = 8;

impl Shape {
    pub fn of(v: &Value) -> Self {
        Self::at_depth(v, 0)
    }

    fn at_depth(v: &Value, depth: usize) -> Self {
        match v {
            Value::Object(m) => Shape::Object {
                keys: m.keys().take(SHOWN_KEYS).cloned().collect(),
                more: m.len().saturating_sub(SHOWN_KEYS),
            },
            Value::Array(items) => Shape::List {
                len: items.len(),
                first: if depth == 0 { items.first().map(|i| Box::new(Self::at_depth(i, depth + 1))) } else { None },
            },
            Value::String(_) => Shape::Text,
            Value::Number(_) => Shape::Number,
            Value::Bool(_) => Shape::Boolean,
            Value::Null => Shape::Null,
        }
    }
}

fn has(v: &Value, key: &str) -> bool {
    v.get(key).is_some()
}

fn has_any(v: &Value, keys: &[&str]) -> bool {
    keys.iter().any(|k| has(v, k))
}

/// Recognise a parsed file. `Err` gives its shape when it is nothing the importer reads.
pub fn detect_value(v: &Value) -> Result<Kind, Shape> {
    match v {
        Value::Array(items) => detect_list(items).ok_or_else(|| Shape::of(v)),
        Value::Object(map) => {
            let aws: Vec<AwsOutput> = map.keys().filter_map(|k| aws_output(k)).collect();
            if !aws.is_empty() {
                return Ok(Kind::Aws(aws));
            }
            if has_any(v, SCENARIO_KEYS) {
                return Ok(Kind::Scenario);
            }
            let heroku = if v.get("app").is_some_and(Value::is_object) {
                Some(HerokuOutput::AppInfo)
            } else if v.get("rules").is_some_and(Value::is_array) {
                Some(HerokuOutput::TrustedIps)
            } else if v.get("apps").is_some_and(Value::is_array) {
                Some(HerokuOutput::Topology)
            } else if has(v, "vpc_id")
                && has_any(v, &["space_cidr_blocks", "dyno_cidr_blocks", "unavailable_cidr_blocks", "vpc_cidr"])
            {
                Some(HerokuOutput::PeeringInfo)
            } else if is_vpn(v) {
                Some(HerokuOutput::VpnInfo)
            } else if has(v, "name")
                && has_any(v, &["cidr", "data_cidr"])
                && has_any(v, &["generation", "shield", "state", "team", "region", "data_cidr"])
            {
                Some(HerokuOutput::SpaceInfo)
            } else {
                None
            };
            if let Some(h) = heroku {
                return Ok(Kind::Heroku(h));
            }
            // A scenario with nothing in it yet: a version and perhaps a name or description.
            if v.get("version").is_some_and(Value::is_u64)
                && map.keys().all(|k| matches!(k.as_str(), "version" | "name" | "description"))
            {
                return Ok(Kind::Scenario);
            }
            Err(Shape::of(v))
        }
        _ => Err(Shape::of(v)),
    }
}

fn is_vpn(v: &Value) -> bool {
    v.get("tunnels").is_some_and(Value::is_array) || (has(v, "routable_cidrs") && has(v, "public_ip"))
}

fn detect_list(items: &[Value]) -> Option<Kind> {
    if items.is_empty() {
        return Some(Kind::EmptyList);
    }
    // The first object decides; lists of other things are not CLI outputs we read.
    let first = items.iter().find(|i| i.is_object())?;
    if has_any(first, &["pcx_id", "aws_vpc_id"]) {
        Some(Kind::Heroku(HerokuOutput::Peerings))
    } else if is_vpn(first) || has(first, "routable_cidrs") {
        Some(Kind::Heroku(HerokuOutput::VpnConnections))
    } else {
        None
    }
}

pub(crate) fn aws_output(key: &str) -> Option<AwsOutput> {
    Some(match key {
        "Vpcs" => AwsOutput::Vpcs,
        "Subnets" => AwsOutput::Subnets,
        "RouteTables" => AwsOutput::RouteTables,
        "SecurityGroups" => AwsOutput::SecurityGroups,
        "NetworkAcls" => AwsOutput::NetworkAcls,
        "VpcPeeringConnections" => AwsOutput::VpcPeeringConnections,
        "Reservations" => AwsOutput::Reservations,
        "NetworkInterfaces" => AwsOutput::NetworkInterfaces,
        "VpnConnections" => AwsOutput::VpnConnections,
        "CustomerGateways" => AwsOutput::CustomerGateways,
        "InternetGateways" => AwsOutput::InternetGateways,
        "NatGateways" => AwsOutput::NatGateways,
        "PrefixLists" => AwsOutput::PrefixLists,
        other if AWS_NOT_MODELLED.contains(&other) => AwsOutput::NotModelled(other.to_owned()),
        _ => return None,
    })
}

impl AwsOutput {
    /// The top-level key of this output.
    pub fn key(&self) -> &str {
        match self {
            AwsOutput::Vpcs => "Vpcs",
            AwsOutput::Subnets => "Subnets",
            AwsOutput::RouteTables => "RouteTables",
            AwsOutput::SecurityGroups => "SecurityGroups",
            AwsOutput::NetworkAcls => "NetworkAcls",
            AwsOutput::VpcPeeringConnections => "VpcPeeringConnections",
            AwsOutput::Reservations => "Reservations",
            AwsOutput::NetworkInterfaces => "NetworkInterfaces",
            AwsOutput::VpnConnections => "VpnConnections",
            AwsOutput::CustomerGateways => "CustomerGateways",
            AwsOutput::InternetGateways => "InternetGateways",
            AwsOutput::NatGateways => "NatGateways",
            AwsOutput::PrefixLists => "PrefixLists",
            AwsOutput::NotModelled(key) => key,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_modelled_key_is_recognised() {
        for key in AWS_MODELLED {
            let kind = detect_value(&json!({ *key: [] })).unwrap();
            assert!(matches!(&kind, Kind::Aws(o) if o.len() == 1 && o[0].key() == *key), "{key}: {kind:?}");
        }
    }

    #[test]
    fn unrecognised_files_are_described() {
        assert_eq!(detect_value(&json!({"hello": 1})), Err(Shape::Object { keys: vec!["hello".into()], more: 0 }));
        assert_eq!(detect_value(&json!("text")), Err(Shape::Text));
        assert_eq!(
            detect_value(&json!([{"a": 1}])),
            Err(Shape::List { len: 1, first: Some(Box::new(Shape::Object { keys: vec!["a".into()], more: 0 })) })
        );
    }

    #[test]
    fn scenarios_are_recognised() {
        assert_eq!(detect_value(&json!({"version": 2, "name": "x"})), Ok(Kind::Scenario));
        assert_eq!(detect_value(&json!({"spaces": []})), Ok(Kind::Scenario));
    }
}
