//! The small network the rule tests build on (`rules.rs`, `rule_coverage.rs`): one base
//! document, changed per test, and the question ends in document form.

use serde_json::{Value, json};
use spacetrace_engine::check::{Checked, check};
use spacetrace_engine::doc::Document;

/// A Cedar space (`sp`) with a public app, an internally routed app and Postgres, peered with a
/// VPC (`vpc`) that is itself peered with another (`far`), and VPN-connected to an office
/// network; a second Cedar space, a Fir space and a Common Runtime app beside it.
pub fn base() -> Value {
    json!({
        "version": 1,
        "name": "rules base",
        "internet_clients": [
            { "id": "anyone", "name": "anyone", "cidr": "0.0.0.0/0" },
            { "id": "office", "name": "office", "cidr": "198.51.100.0/24" },
            { "id": "home", "name": "home", "cidr": "203.0.113.9/32" }
        ],
        "external_services": [
            {
                "id": "partner", "name": "partner", "hostname": "api.partner.example",
                "ports": [{ "port": 443 }], "allowlist": ["52.0.0.1/32", "52.0.0.2/32"]
            },
            { "id": "open-api", "name": "open-api", "hostname": "open.example", "ports": [{ "port": 443 }] }
        ],
        "common_runtime_apps": [
            {
                "id": "cr", "name": "cr-app",
                "process_types": [{ "name": "web", "dynos": 1 }, { "name": "worker", "dynos": 1, "ports": [{ "port": 9000 }] }]
            }
        ],
        "spaces": [
            {
                "id": "sp", "name": "sp", "cidr": "10.0.0.0/16",
                "trusted_ip_ranges": ["198.51.100.0/24"], "outbound_ips": ["52.0.0.1", "52.0.0.2"],
                "apps": [
                    {
                        "id": "api", "name": "api",
                        "process_types": [
                            { "name": "web", "dynos": 2 },
                            { "name": "worker", "dynos": 1, "ports": [{ "port": 9000 }] }
                        ]
                    },
                    { "id": "internal", "name": "internal", "internal_routing": true, "process_types": [{ "name": "web", "dynos": 1 }] }
                ],
                "addons": [{ "id": "db", "name": "db", "kind": "postgres" }]
            },
            {
                "id": "other", "name": "other", "cidr": "10.0.0.0/16", "outbound_ips": ["52.9.9.9"],
                "apps": [{ "id": "other-app", "name": "other-app", "process_types": [{ "name": "web", "dynos": 1 }] }]
            },
            {
                "id": "fir", "name": "fir", "generation": "fir", "outbound_ips": ["44.0.0.1"],
                "apps": [
                    {
                        "id": "fir-app", "name": "fir-app",
                        "process_types": [{ "name": "web", "dynos": 1 }, { "name": "worker", "dynos": 1, "ports": [{ "port": 9000 }] }]
                    }
                ]
            }
        ],
        "vpcs": [
            {
                "id": "vpc", "name": "vpc", "primary_cidr": "10.100.0.0/16", "secondary_cidrs": ["10.101.0.0/16"],
                "public_egress_ip": "34.0.0.1",
                "route_tables": [
                    {
                        "id": "rtb", "name": "rtb",
                        "routes": [
                            { "destination": "10.100.0.0/16", "target": "local" },
                            { "destination": "10.0.0.0/16", "target": "pcx" }
                        ]
                    }
                ],
                "security_groups": [
                    {
                        "id": "sg", "name": "sg",
                        "inbound": [{ "protocol": "tcp", "ports": "5432", "cidr": "10.0.0.0/16" }],
                        "outbound": [{ "protocol": "all", "ports": "all", "cidr": "0.0.0.0/0" }]
                    }
                ],
                "network_acls": [],
                "subnets": [
                    { "id": "sn", "name": "sn", "cidr": "10.100.1.0/24", "route_table": "rtb" },
                    { "id": "sn2", "name": "sn2", "cidr": "10.101.0.0/24", "route_table": "rtb" }
                ],
                "hosts": [
                    {
                        "id": "db-host", "name": "db-host", "subnet": "sn", "address": "10.100.1.5",
                        "security_groups": ["sg"], "ports": [{ "port": 5432 }]
                    },
                    {
                        "id": "sec-host", "name": "sec-host", "subnet": "sn2", "address": "10.101.0.5",
                        "security_groups": ["sg"], "ports": [{ "port": 5432 }]
                    }
                ]
            },
            {
                "id": "far", "name": "far", "primary_cidr": "10.200.0.0/16",
                "route_tables": [{ "id": "rtb-far", "name": "rtb-far", "routes": [] }],
                "security_groups": [
                    {
                        "id": "sg-far", "name": "sg-far",
                        "inbound": [{ "protocol": "all", "ports": "all", "cidr": "10.0.0.0/8" }], "outbound": []
                    }
                ],
                "subnets": [{ "id": "sn-far", "name": "sn-far", "cidr": "10.200.1.0/24", "route_table": "rtb-far" }],
                "hosts": [
                    {
                        "id": "far-host", "name": "far-host", "subnet": "sn-far", "address": "10.200.1.5",
                        "security_groups": ["sg-far"], "ports": [{ "port": 5432 }]
                    }
                ]
            }
        ],
        "peerings": [{ "id": "pcx", "space": "sp", "vpc": "vpc", "status": "active" }],
        "vpc_peerings": [{ "id": "pcx-far", "vpc": "vpc", "peer_vpc": "far", "status": "active" }],
        "remote_networks": [
            {
                "id": "office-net", "name": "office-net", "cidrs": ["192.168.10.0/24", "192.168.11.0/24"],
                "public_egress_ip": "198.51.100.10",
                "hosts": [
                    { "id": "ldap", "name": "ldap", "address": "192.168.10.20", "ports": [{ "port": 636 }] },
                    { "id": "printer", "name": "printer", "address": "192.168.11.5", "ports": [{ "port": 631 }] }
                ]
            }
        ],
        "vpns": [
            {
                "id": "vpn", "name": "vpn", "space": "sp", "remote_network": "office-net",
                "customer_gateway": "198.51.100.1", "routable_cidrs": ["192.168.10.0/24"], "tunnel_status": "up"
            }
        ]
    })
}

/// Check a test document (in its JSON form).
pub fn checked(v: &Value) -> Checked {
    let doc: Document = serde_json::from_value(v.clone()).expect("the test document deserialises");
    check(&doc)
}

pub fn dyno(app: &str, process: &str) -> Value {
    json!({ "dyno": { "app": app, "process": process } })
}

pub fn dyno_address(app: &str, process: &str) -> Value {
    json!({ "dyno_address": { "app": app, "process": process } })
}
