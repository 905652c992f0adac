"""JobNetwork: the default VPC (no idle cost), the job security group, bring-your-own."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import RemovalPolicy
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_logs as logs
from aws_cdk.assertions import Template
from nag_support import TEST_ENV, new_stack

from comprehend_jobs import JobNetwork, PropValidationError

SG = "NetJobSecurityGroup2176E82B"
SG_ID = {"Fn::GetAtt": [SG, "GroupId"]}


def resources(template: Template, kind: str) -> list[dict[str, Any]]:
    return [r["Properties"] for r in template.find_resources(kind).values()]


# -- defaults ------------------------------------------------------------------------


def test_default_network_has_no_idle_cost_resources() -> None:
    stack = new_stack()
    JobNetwork(stack, "Net")
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::EC2::NatGateway", 0)
    template.resource_count_is("AWS::EC2::InternetGateway", 0)
    template.resource_count_is("AWS::EC2::EIP", 0)
    endpoints = resources(template, "AWS::EC2::VPCEndpoint")
    assert [e["VpcEndpointType"] for e in endpoints] == ["Gateway"]
    assert not [e for e in endpoints if e.get("VpcEndpointType") == "Interface"]


def test_default_vpc_has_two_isolated_subnets_and_an_s3_gateway_endpoint() -> None:
    stack = new_stack()
    net = JobNetwork(stack, "Net")
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::EC2::VPC", 1)
    subnets = resources(template, "AWS::EC2::Subnet")
    assert len(subnets) == 2
    assert all(s["MapPublicIpOnLaunch"] is False for s in subnets)
    assert len({str(s["AvailabilityZone"]) for s in subnets}) == 2
    assert len(net.subnet_ids) == 2
    assert not [r for r in resources(template, "AWS::EC2::Route") if "GatewayId" in r]
    (endpoint,) = resources(template, "AWS::EC2::VPCEndpoint")
    assert endpoint["ServiceName"] == {
        "Fn::Join": ["", ["com.amazonaws.", {"Ref": "AWS::Region"}, ".s3"]]
    }
    assert len(endpoint["RouteTableIds"]) == 2


def test_flow_logs_go_to_an_encrypted_log_group_kept_one_year() -> None:
    stack = new_stack()
    JobNetwork(stack, "Net")
    template = Template.from_stack(stack)
    (flow_log,) = resources(template, "AWS::EC2::FlowLog")
    assert flow_log["ResourceType"] == "VPC"
    assert flow_log["TrafficType"] == "ALL"
    assert flow_log["ResourceId"] == {"Ref": "NetVpc9C8E08CA"}
    assert flow_log["LogDestinationType"] == "cloud-watch-logs"
    (group,) = resources(template, "AWS::Logs::LogGroup")
    assert group == {
        "KmsKeyId": {"Fn::GetAtt": ["NetFlowLogKey66E25197", "Arn"]},
        "RetentionInDays": 365,
    }
    template.has_resource_properties("AWS::KMS::Key", {"EnableKeyRotation": True})


def test_flow_log_role_trust_and_managed_policy_are_exact() -> None:
    stack = new_stack(env=TEST_ENV)
    JobNetwork(stack, "Net")
    template = Template.from_stack(stack)
    roles = resources(template, "AWS::IAM::Role")
    (flow_role,) = [r for r in roles if "vpc-flow-logs" in str(r["AssumeRolePolicyDocument"])]
    assert flow_role["AssumeRolePolicyDocument"] == {
        "Statement": [
            {
                "Action": "sts:AssumeRole",
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": "111111111111"},
                    "ArnLike": {
                        "aws:SourceArn": "arn:aws:ec2:us-east-1:111111111111:vpc-flow-log/*"
                    },
                },
                "Effect": "Allow",
                "Principal": {"Service": "vpc-flow-logs.amazonaws.com"},
            }
        ],
        "Version": "2012-10-17",
    }
    (policy,) = resources(template, "AWS::IAM::ManagedPolicy")
    assert policy["PolicyDocument"] == {
        "Statement": [
            {
                "Action": [
                    "logs:CreateLogStream",
                    "logs:DescribeLogStreams",
                    "logs:PutLogEvents",
                ],
                "Effect": "Allow",
                "Resource": {"Fn::GetAtt": ["NetFlowLogGroupBE679765", "Arn"]},
            }
        ],
        "Version": "2012-10-17",
    }
    template.resource_count_is("AWS::IAM::Policy", 0)


def test_default_security_group_of_the_vpc_is_restricted() -> None:
    stack = new_stack()
    JobNetwork(stack, "Net")
    Template.from_stack(stack).resource_count_is("Custom::VpcRestrictDefaultSG", 1)


def test_job_security_group_rules_are_exact() -> None:
    stack = new_stack()
    net = JobNetwork(stack, "Net")
    template = Template.from_stack(stack)
    assert net.security_group is not None
    assert stack.resolve(net.security_group_ids) == [SG_ID]
    (group,) = resources(template, "AWS::EC2::SecurityGroup")
    assert group["SecurityGroupEgress"] == [
        {
            "CidrIp": "0.0.0.0/0",
            "Description": "HTTPS to Amazon S3",
            "FromPort": 443,
            "IpProtocol": "tcp",
            "ToPort": 443,
        }
    ]
    assert "SecurityGroupIngress" not in group
    ingress = sorted(
        resources(template, "AWS::EC2::SecurityGroupIngress"), key=lambda r: r["IpProtocol"]
    )
    assert ingress == [
        {
            "Description": "Comprehend distributed job containers",
            "FromPort": 0,
            "GroupId": SG_ID,
            "IpProtocol": protocol,
            "SourceSecurityGroupId": SG_ID,
            "ToPort": 65535,
        }
        for protocol in ("tcp", "udp")
    ]
    egress = sorted(
        resources(template, "AWS::EC2::SecurityGroupEgress"), key=lambda r: r["IpProtocol"]
    )
    assert egress == [
        {
            "Description": "Comprehend distributed job containers",
            "DestinationSecurityGroupId": SG_ID,
            "FromPort": 0,
            "GroupId": SG_ID,
            "IpProtocol": protocol,
            "ToPort": 65535,
        }
        for protocol in ("tcp", "udp")
    ]


def test_s3_prefix_list_limits_https_egress() -> None:
    stack = new_stack()
    JobNetwork(stack, "Net", s3_prefix_list_id="pl-63a5400a")
    template = Template.from_stack(stack)
    (group,) = resources(template, "AWS::EC2::SecurityGroup")
    # one inline rule that matches nothing, so EC2 adds no default allow-all egress
    assert group["SecurityGroupEgress"] == [
        {
            "CidrIp": "255.255.255.255/32",
            "Description": "Disallow all traffic",
            "FromPort": 252,
            "IpProtocol": "icmp",
            "ToPort": 86,
        }
    ]
    https = [
        r for r in resources(template, "AWS::EC2::SecurityGroupEgress") if r["FromPort"] == 443
    ]
    assert https == [
        {
            "Description": "HTTPS to Amazon S3",
            "DestinationPrefixListId": "pl-63a5400a",
            "FromPort": 443,
            "GroupId": SG_ID,
            "IpProtocol": "tcp",
            "ToPort": 443,
        }
    ]


def test_created_vpc_options() -> None:
    stack = new_stack(env=TEST_ENV)
    JobNetwork(
        stack,
        "Net",
        max_azs=3,
        cidr="10.20.0.0/24",
        flow_log_retention=logs.RetentionDays.TWO_YEARS,
        removal_policy=RemovalPolicy.DESTROY,
    )
    template = Template.from_stack(stack)
    template.has_resource_properties("AWS::EC2::VPC", {"CidrBlock": "10.20.0.0/24"})
    assert len(resources(template, "AWS::EC2::Subnet")) == 3
    template.has_resource_properties("AWS::Logs::LogGroup", {"RetentionInDays": 731})


def test_two_networks_in_one_stack_do_not_collide() -> None:
    stack = new_stack()
    first = JobNetwork(stack, "First")
    second = JobNetwork(stack, "Second")
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::EC2::VPC", 2)
    template.resource_count_is("AWS::EC2::FlowLog", 2)
    template.resource_count_is("AWS::EC2::SecurityGroup", 2)
    assert stack.resolve(first.subnet_ids) != stack.resolve(second.subnet_ids)


# -- bring your own ------------------------------------------------------------------


def existing_vpc(stack: Any) -> ec2.Vpc:
    return ec2.Vpc(
        stack,
        "Existing",
        max_azs=2,
        nat_gateways=0,
        subnet_configuration=[
            ec2.SubnetConfiguration(name="Iso", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED),
            ec2.SubnetConfiguration(name="Pub", subnet_type=ec2.SubnetType.PUBLIC),
        ],
    )


def test_existing_vpc_uses_its_isolated_subnets_and_creates_a_job_group() -> None:
    stack = new_stack()
    vpc = existing_vpc(stack)
    net = JobNetwork(stack, "Net", existing_vpc=vpc)
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::EC2::VPC", 1)
    template.resource_count_is("AWS::EC2::FlowLog", 0)
    assert net.vpc is vpc
    assert stack.resolve(net.subnet_ids) == stack.resolve(
        [s.subnet_id for s in vpc.isolated_subnets]
    )
    assert net.security_group is not None
    template.has_resource_properties(
        "AWS::EC2::SecurityGroup", {"VpcId": stack.resolve(vpc.vpc_id)}
    )


def test_existing_vpc_with_selection_and_groups_creates_nothing() -> None:
    stack = new_stack()
    vpc = existing_vpc(stack)
    group = ec2.SecurityGroup.from_security_group_id(stack, "G", "sg-0123456789abcdef0")
    net = JobNetwork(
        stack,
        "Net",
        existing_vpc=vpc,
        subnet_selection=ec2.SubnetSelection(subnet_group_name="Iso", one_per_az=True),
        security_groups=[group],
    )
    assert net.security_group is None
    assert net.security_groups == [group]
    assert net.security_group_ids == ["sg-0123456789abcdef0"]
    assert len(net.subnets) == 2
    assert net.node.children == []


def test_imported_vpc_attributes() -> None:
    stack = new_stack(env=TEST_ENV)
    vpc = ec2.Vpc.from_vpc_attributes(
        stack,
        "Imported",
        vpc_id="vpc-1",
        availability_zones=["us-east-1a", "us-east-1b"],
        isolated_subnet_ids=["subnet-a", "subnet-b"],
    )
    group = ec2.SecurityGroup.from_security_group_id(stack, "G", "sg-1")
    net = JobNetwork(stack, "Net", existing_vpc=vpc, security_groups=[group])
    assert net.subnet_ids == ["subnet-a", "subnet-b"]
    assert net.security_group_ids == ["sg-1"]


# -- invalid props ---------------------------------------------------------------------


def _groups(stack: Any, count: int) -> list[ec2.ISecurityGroup]:
    return [
        ec2.SecurityGroup.from_security_group_id(stack, f"G{i}", f"sg-{i:017x}")
        for i in range(count)
    ]


def _vpc_with_subnets(stack: Any, count: int) -> ec2.IVpc:
    return ec2.Vpc.from_vpc_attributes(
        stack,
        "Imported",
        vpc_id="vpc-1",
        availability_zones=["us-east-1a"],
        isolated_subnet_ids=[f"subnet-{i}" for i in range(count)],
    )


@pytest.mark.parametrize(
    ("build", "prop"),
    [
        (lambda s: {"subnet_selection": ec2.SubnetSelection()}, "subnet_selection"),
        (lambda s: {"security_groups": _groups(s, 1)}, "security_groups"),
        (lambda s: {"existing_vpc": existing_vpc(s), "max_azs": 3}, "max_azs"),
        (lambda s: {"existing_vpc": existing_vpc(s), "cidr": "10.1.0.0/16"}, "cidr"),
        (
            lambda s: {"existing_vpc": existing_vpc(s), "removal_policy": RemovalPolicy.DESTROY},
            "removal_policy",
        ),
        (
            lambda s: {"existing_vpc": existing_vpc(s), "security_groups": _groups(s, 6)},
            "security_groups",
        ),
        (
            lambda s: {"existing_vpc": existing_vpc(s), "security_groups": []},
            "security_groups",
        ),
        (
            lambda s: {
                "existing_vpc": existing_vpc(s),
                "security_groups": _groups(s, 1),
                "s3_prefix_list_id": "pl-63a5400a",
            },
            "s3_prefix_list_id",
        ),
        (lambda s: {"s3_prefix_list_id": "sg-123"}, "s3_prefix_list_id"),
        (lambda s: {"max_azs": 0}, "max_azs"),
        (lambda s: {"cidr": "10.0.0.0/8"}, "cidr"),
        (lambda s: {"cidr": "10.0.0.1/16"}, "cidr"),
        (lambda s: {"cidr": "not-a-cidr"}, "cidr"),
        (lambda s: {"existing_vpc": _vpc_with_subnets(s, 17)}, "subnet_selection"),
        (
            lambda s: {
                "existing_vpc": existing_vpc(s),
                "subnet_selection": ec2.SubnetSelection(subnet_type=ec2.SubnetType.PUBLIC),
            },
            "subnet_selection",
        ),
        (
            lambda s: {
                "existing_vpc": existing_vpc(s),
                "subnet_selection": ec2.SubnetSelection(subnet_group_name="Nope"),
            },
            "subnet_selection",
        ),
        (
            lambda s: {
                "existing_vpc": existing_vpc(s),
                "subnet_selection": ec2.SubnetSelection(subnet_group_name="Pub"),
            },
            "subnet_selection",
        ),
        (lambda s: {"existing_vpc": "vpc-123"}, "existing_vpc"),
    ],
)
def test_invalid_props_raise_before_creating_anything(build: Any, prop: str) -> None:
    stack = new_stack(env=TEST_ENV)
    props = build(stack)
    before = len(stack.node.children)
    with pytest.raises(PropValidationError) as raised:
        JobNetwork(stack, "Net", **props)
    message = str(raised.value)
    assert f"{prop}=" in message
    assert "Fix:" in message
    assert len(stack.node.children) == before


def test_sixteen_subnets_are_accepted() -> None:
    stack = new_stack(env=TEST_ENV)
    net = JobNetwork(stack, "Net", existing_vpc=_vpc_with_subnets(stack, 16))
    assert len(net.subnet_ids) == 16
