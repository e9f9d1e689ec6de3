//! A generated account, for tests and the import benchmark: Heroku and AWS CLI outputs of about
//! `objects` objects in all, shaped as the CLIs print them (pretty JSON, bookkeeping fields
//! included). Deterministic: the same count gives the same files.

use serde_json::{Value, json};

/// Objects per VPC block: the VPC, two subnets, a route table, a network ACL, two security
/// groups, three instances and the peering with the space.
pub const OBJECTS_PER_VPC: usize = 11;

/// Files of an account with about `objects` objects (at least one VPC block): `(name, text)`.
pub fn account(objects: usize) -> Vec<(String, String)> {
    let blocks = (objects / OBJECTS_PER_VPC).max(1);
    let mut vpcs = Vec::new();
    let mut subnets = Vec::new();
    let mut tables = Vec::new();
    let mut acls = Vec::new();
    let mut groups = Vec::new();
    let mut reservations = Vec::new();
    let mut pcxs = Vec::new();
    let mut heroku_peerings = Vec::new();
    for b in 0..blocks {
        // 10.{16+b/256}.{b%256}.0/24 for the VPC's block, far from the space's 10.0.0.0/16.
        let (hi, lo) = (16 + b / 256, b % 256);
        let vpc = format!("vpc-{b:017x}");
        let cidr = format!("10.{hi}.{lo}.0/24");
        let pcx = format!("pcx-{b:017x}");
        let owner = "123456789012";
        vpcs.push(json!({
            "CidrBlock": cidr,
            "CidrBlockAssociationSet": [{ "AssociationId": format!("vpc-cidr-assoc-{b:017x}"), "CidrBlock": cidr, "CidrBlockState": { "State": "associated" } }],
            "DhcpOptionsId": "dopt-0123456789abcdef0",
            "InstanceTenancy": "default",
            "IsDefault": false,
            "OwnerId": owner,
            "State": "available",
            "Tags": [{ "Key": "Name", "Value": format!("vpc-{b}") }],
            "VpcId": vpc,
        }));
        let subnet_ids: Vec<String> = (0..2).map(|s| format!("subnet-{b:015x}{s:02x}")).collect();
        for (s, id) in subnet_ids.iter().enumerate() {
            subnets.push(json!({
                "AvailabilityZone": "us-east-1a",
                "AvailableIpAddressCount": 123,
                "CidrBlock": format!("10.{hi}.{lo}.{}/25", s * 128),
                "DefaultForAz": false,
                "MapPublicIpOnLaunch": false,
                "OwnerId": owner,
                "State": "available",
                "SubnetArn": format!("arn:aws:ec2:us-east-1:{owner}:subnet/{id}"),
                "SubnetId": id,
                "Tags": [{ "Key": "Name", "Value": format!("subnet-{b}-{s}") }],
                "VpcId": vpc,
            }));
        }
        let rtb = format!("rtb-{b:017x}");
        tables.push(json!({
            "Associations": [
                { "Main": true, "RouteTableAssociationId": format!("rtbassoc-{b:015x}00"), "RouteTableId": rtb },
                { "Main": false, "RouteTableAssociationId": format!("rtbassoc-{b:015x}01"), "RouteTableId": rtb, "SubnetId": subnet_ids[0] }
            ],
            "OwnerId": owner,
            "PropagatingVgws": [],
            "RouteTableId": rtb,
            "Routes": [
                { "DestinationCidrBlock": cidr, "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active" },
                { "DestinationCidrBlock": "10.0.0.0/16", "VpcPeeringConnectionId": pcx, "Origin": "CreateRoute", "State": "active" },
                { "DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": format!("nat-{b:017x}"), "Origin": "CreateRoute", "State": "active" }
            ],
            "Tags": [],
            "VpcId": vpc,
        }));
        acls.push(json!({
            "Associations": subnet_ids.iter().enumerate().map(|(s, id)| json!({
                "NetworkAclAssociationId": format!("aclassoc-{b:015x}{s:02x}"), "NetworkAclId": format!("acl-{b:017x}"), "SubnetId": id
            })).collect::<Vec<Value>>(),
            "Entries": [
                { "CidrBlock": "0.0.0.0/0", "Egress": true, "Protocol": "-1", "RuleAction": "allow", "RuleNumber": 100 },
                { "CidrBlock": "0.0.0.0/0", "Egress": true, "Protocol": "-1", "RuleAction": "deny", "RuleNumber": 32767 },
                { "CidrBlock": "10.0.0.0/16", "Egress": false, "PortRange": { "From": 5432, "To": 5432 }, "Protocol": "6", "RuleAction": "allow", "RuleNumber": 100 },
                { "CidrBlock": "0.0.0.0/0", "Egress": false, "Protocol": "-1", "RuleAction": "deny", "RuleNumber": 32767 }
            ],
            "IsDefault": false,
            "NetworkAclId": format!("acl-{b:017x}"),
            "OwnerId": owner,
            "Tags": [],
            "VpcId": vpc,
        }));
        let group_ids: Vec<String> = (0..2).map(|g| format!("sg-{b:015x}{g:02x}")).collect();
        for (g, id) in group_ids.iter().enumerate() {
            groups.push(json!({
                "Description": format!("group {g} of vpc-{b}"),
                "GroupId": id,
                "GroupName": format!("group-{b}-{g}"),
                "IpPermissions": [
                    { "FromPort": 5432, "IpProtocol": "tcp", "IpRanges": [{ "CidrIp": "10.0.128.0/20" }, { "CidrIp": "10.0.144.0/20" }], "Ipv6Ranges": [], "PrefixListIds": [], "ToPort": 5432, "UserIdGroupPairs": [] },
                    { "FromPort": 22, "IpProtocol": "tcp", "IpRanges": [], "Ipv6Ranges": [], "PrefixListIds": [], "ToPort": 22, "UserIdGroupPairs": [{ "GroupId": group_ids[0], "UserId": owner }] }
                ],
                "IpPermissionsEgress": [
                    { "IpProtocol": "-1", "IpRanges": [{ "CidrIp": "0.0.0.0/0" }], "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": [] }
                ],
                "OwnerId": owner,
                "Tags": [],
                "VpcId": vpc,
            }));
        }
        let instances: Vec<Value> = (0..3)
            .map(|i| {
                let id = format!("i-{b:015x}{i:02x}");
                let address = format!("10.{hi}.{lo}.{}", 10 + i);
                let subnet = &subnet_ids[i % 2];
                let group = &group_ids[i % 2];
                json!({
                    "AmiLaunchIndex": i, "Architecture": "x86_64", "ImageId": "ami-0123456789abcdef0",
                    "InstanceId": id, "InstanceType": "t3.micro", "KeyName": "ops",
                    "LaunchTime": "2024-01-01T00:00:00+00:00", "Monitoring": { "State": "disabled" },
                    "NetworkInterfaces": [{
                        "Attachment": { "AttachmentId": format!("eni-attach-{b:015x}{i:02x}"), "DeleteOnTermination": true, "DeviceIndex": 0, "Status": "attached" },
                        "Description": "", "Groups": [{ "GroupId": group, "GroupName": "g" }], "Ipv6Addresses": [],
                        "MacAddress": "02:00:00:00:00:00", "NetworkInterfaceId": format!("eni-{b:015x}{i:02x}"), "OwnerId": owner,
                        "PrivateIpAddress": address, "PrivateIpAddresses": [{ "Primary": true, "PrivateIpAddress": address }],
                        "SourceDestCheck": true, "Status": "in-use", "SubnetId": subnet, "VpcId": vpc
                    }],
                    "Placement": { "AvailabilityZone": "us-east-1a", "GroupName": "", "Tenancy": "default" },
                    "PrivateDnsName": format!("ip-{}.ec2.internal", address.replace('.', "-")),
                    "PrivateIpAddress": address, "ProductCodes": [], "PublicDnsName": "",
                    "SecurityGroups": [{ "GroupId": group, "GroupName": "g" }],
                    "State": { "Code": 16, "Name": "running" }, "SubnetId": subnet,
                    "Tags": [{ "Key": "Name", "Value": format!("host-{b}-{i}") }], "VpcId": vpc
                })
            })
            .collect();
        reservations.push(
            json!({ "Groups": [], "Instances": instances, "OwnerId": owner, "ReservationId": format!("r-{b:017x}") }),
        );
        pcxs.push(json!({
            "AccepterVpcInfo": { "CidrBlock": cidr, "CidrBlockSet": [{ "CidrBlock": cidr }], "OwnerId": owner, "VpcId": vpc, "Region": "us-east-1" },
            "RequesterVpcInfo": { "CidrBlock": "10.0.0.0/16", "CidrBlockSet": [{ "CidrBlock": "10.0.0.0/16" }], "OwnerId": "999999999999", "VpcId": "vpc-0heroku0space0000", "Region": "us-east-1" },
            "Status": { "Code": "active", "Message": "Active" },
            "Tags": [],
            "VpcPeeringConnectionId": pcx,
        }));
        heroku_peerings.push(json!({
            "type": "customer-managed", "pcx_id": pcx, "cidr_blocks": [cidr], "status": "active",
            "aws_vpc_id": vpc, "aws_region": "us-east-1", "aws_account_id": owner, "expires": null
        }));
    }
    let pretty = |v: Value| serde_json::to_string_pretty(&v).unwrap_or_default();
    vec![
        (
            "spaces-info.json".into(),
            pretty(json!({
                "id": "00000000-0000-0000-0000-000000000001", "name": "bench-space", "cidr": "10.0.0.0/16",
                "data_cidr": "10.1.0.0/16", "generation": "cedar", "shield": false, "state": "allocated",
                "region": { "id": "r", "name": "virginia" }, "team": { "id": "t", "name": "bench" },
                "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z",
                "outbound_ips": { "state": "enabled", "sources": ["52.0.0.1/32", "52.0.0.2/32"] }
            })),
        ),
        (
            "spaces-peering-info.json".into(),
            pretty(json!({
                "aws_account_id": "999999999999", "aws_region": "us-east-1", "vpc_id": "vpc-0heroku0space0000",
                "vpc_cidr": "10.0.0.0/16", "space_cidr_blocks": ["10.0.0.0/16"],
                "unavailable_cidr_blocks": ["10.1.0.0/16", "172.17.0.0/16"], "dyno_cidr_blocks": ["10.0.128.0/20", "10.0.144.0/20"]
            })),
        ),
        ("spaces-peerings.json".into(), pretty(Value::Array(heroku_peerings))),
        ("vpcs.json".into(), pretty(json!({ "Vpcs": vpcs }))),
        ("subnets.json".into(), pretty(json!({ "Subnets": subnets }))),
        ("route-tables.json".into(), pretty(json!({ "RouteTables": tables }))),
        ("network-acls.json".into(), pretty(json!({ "NetworkAcls": acls }))),
        ("security-groups.json".into(), pretty(json!({ "SecurityGroups": groups }))),
        ("instances.json".into(), pretty(json!({ "Reservations": reservations }))),
        ("vpc-peering-connections.json".into(), pretty(json!({ "VpcPeeringConnections": pcxs }))),
    ]
}
