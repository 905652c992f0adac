"""JobNetwork: the default VPC (no idle cost), the job security group, bring-your-own."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import RemovalPolicy
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_logs as logs
from aws_cdk.assertions import Annotations, Match, Template
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
        s3_gateway_endpoint=False,
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


# -- a route to S3 in a brought VPC ----------------------------------------------------

S3_SERVICE = {"Fn::Join": ["", ["com.amazonaws.", {"Ref": "AWS::Region"}, ".s3"]]}


def isolated_vpc(stack: Any, **options: Any) -> ec2.Vpc:
    """A same-app VPC with two isolated subnet groups, no NAT and (by default) no endpoint."""
    return ec2.Vpc(
        stack,
        "Existing",
        max_azs=2,
        nat_gateways=0,
        subnet_configuration=[
            ec2.SubnetConfiguration(name="Jobs", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED),
            ec2.SubnetConfiguration(name="Data", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED),
        ],
        **options,
    )


def route_table_refs(stack: Any, subnets: list[ec2.ISubnet]) -> list[Any]:
    return [stack.resolve(s.route_table.route_table_id) for s in subnets]


JOB_SUBNETS = ec2.SubnetSelection(subnet_group_name="Jobs")


def test_isolated_same_app_vpc_gets_one_s3_endpoint_on_exactly_the_job_route_tables() -> None:
    stack = new_stack()
    vpc = isolated_vpc(stack)
    net = JobNetwork(stack, "Net", existing_vpc=vpc, subnet_selection=JOB_SUBNETS)
    (endpoint,) = resources(Template.from_stack(stack), "AWS::EC2::VPCEndpoint")
    assert endpoint == {
        "RouteTableIds": route_table_refs(stack, net.subnets),
        "ServiceName": S3_SERVICE,
        "VpcEndpointType": "Gateway",
        "VpcId": stack.resolve(vpc.vpc_id),
    }
    data_subnets = vpc.select_subnets(subnet_group_name="Data").subnets
    assert not set(map(str, route_table_refs(stack, data_subnets))) & set(
        map(str, endpoint["RouteTableIds"])
    )
    assert net.s3_endpoint is not None
    assert net.s3_endpoint.node.scope is net


def test_only_the_job_subnets_without_an_s3_endpoint_get_one() -> None:
    stack = new_stack()
    vpc = isolated_vpc(stack)
    first, second = vpc.select_subnets(subnet_group_name="Jobs").subnets
    vpc.add_gateway_endpoint(
        "Owners",
        service=ec2.GatewayVpcEndpointAwsService.S3,
        subnets=[ec2.SubnetSelection(subnets=[first])],
    )
    JobNetwork(stack, "Net", existing_vpc=vpc, subnet_selection=JOB_SUBNETS)
    endpoints = resources(Template.from_stack(stack), "AWS::EC2::VPCEndpoint")
    assert sorted(str(e["RouteTableIds"]) for e in endpoints) == sorted(
        str(route_table_refs(stack, [subnet])) for subnet in (first, second)
    )


def test_vpc_with_its_own_s3_gateway_endpoint_gets_none() -> None:
    stack = new_stack()
    vpc = isolated_vpc(
        stack,
        gateway_endpoints={
            "S3": ec2.GatewayVpcEndpointOptions(service=ec2.GatewayVpcEndpointAwsService.S3)
        },
    )
    net = JobNetwork(stack, "Net", existing_vpc=vpc)
    Template.from_stack(stack).resource_count_is("AWS::EC2::VPCEndpoint", 1)
    assert net.s3_endpoint is None


def test_an_s3_endpoint_written_as_a_cfn_resource_with_a_literal_name_counts() -> None:
    stack = new_stack()
    vpc = isolated_vpc(stack)
    ec2.CfnVPCEndpoint(
        stack,
        "Raw",
        vpc_id=vpc.vpc_id,
        service_name="com.amazonaws.us-east-1.s3",
        route_table_ids=[s.route_table.route_table_id for s in vpc.isolated_subnets],
    )
    JobNetwork(stack, "Net", existing_vpc=vpc)
    Template.from_stack(stack).resource_count_is("AWS::EC2::VPCEndpoint", 1)


def test_an_s3_interface_endpoint_is_no_route_for_the_route_tables() -> None:
    stack = new_stack()
    vpc = isolated_vpc(stack)
    vpc.add_interface_endpoint("S3Interface", service=ec2.InterfaceVpcEndpointAwsService.S3)
    JobNetwork(stack, "Net", existing_vpc=vpc, subnet_selection=JOB_SUBNETS)
    types = sorted(
        e["VpcEndpointType"] for e in resources(Template.from_stack(stack), "AWS::EC2::VPCEndpoint")
    )
    assert types == ["Gateway", "Interface"]


def test_subnets_with_a_nat_route_get_no_endpoint() -> None:
    stack = new_stack(env=TEST_ENV)
    vpc = ec2.Vpc(
        stack,
        "Existing",
        max_azs=2,
        nat_gateways=1,
        subnet_configuration=[
            ec2.SubnetConfiguration(name="Egress", subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS),
            ec2.SubnetConfiguration(name="Pub", subnet_type=ec2.SubnetType.PUBLIC),
        ],
    )
    net = JobNetwork(stack, "Net", existing_vpc=vpc)
    Template.from_stack(stack).resource_count_is("AWS::EC2::VPCEndpoint", 0)
    assert net.s3_endpoint is None
    assert stack.resolve(net.subnet_ids) == stack.resolve(
        [s.subnet_id for s in vpc.private_subnets]
    )


def test_s3_gateway_endpoint_true_adds_one_even_next_to_a_nat_route() -> None:
    stack = new_stack(env=TEST_ENV)
    vpc = ec2.Vpc(
        stack,
        "Existing",
        max_azs=2,
        nat_gateways=1,
        subnet_configuration=[
            ec2.SubnetConfiguration(name="Egress", subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS),
            ec2.SubnetConfiguration(name="Pub", subnet_type=ec2.SubnetType.PUBLIC),
        ],
    )
    net = JobNetwork(stack, "Net", existing_vpc=vpc, s3_gateway_endpoint=True)
    (endpoint,) = resources(Template.from_stack(stack), "AWS::EC2::VPCEndpoint")
    assert endpoint["RouteTableIds"] == route_table_refs(stack, net.subnets)


def test_s3_gateway_endpoint_false_adds_none() -> None:
    stack = new_stack()
    net = JobNetwork(stack, "Net", existing_vpc=isolated_vpc(stack), s3_gateway_endpoint=False)
    Template.from_stack(stack).resource_count_is("AWS::EC2::VPCEndpoint", 0)
    assert net.s3_endpoint is None
    assert Annotations.from_stack(stack).find_warning("*", Match.any_value()) == []


def test_a_users_s3_endpoint_added_afterwards_on_the_same_route_tables_fails_synth() -> None:
    stack = new_stack()
    vpc = isolated_vpc(stack)
    JobNetwork(stack, "Net", existing_vpc=vpc, subnet_selection=JOB_SUBNETS)
    vpc.add_gateway_endpoint("Mine", service=ec2.GatewayVpcEndpointAwsService.S3)
    with pytest.raises(RuntimeError) as raised:
        Template.from_stack(stack)
    message = str(raised.value)
    assert "[TestStack/Net] JobNetwork TestStack/Net added an S3 gateway endpoint" in message
    for subnet in vpc.select_subnets(subnet_group_name="Jobs").subnets:
        assert stack.resolve(subnet.route_table.route_table_id)["Ref"] in message
        assert subnet.node.path in message
    assert "TestStack/Existing/Mine/Resource" in message
    assert "Fix: pass s3_gateway_endpoint=False" in message


def test_a_users_s3_endpoint_on_other_route_tables_is_fine() -> None:
    stack = new_stack()
    vpc = isolated_vpc(stack)
    JobNetwork(stack, "Net", existing_vpc=vpc, subnet_selection=JOB_SUBNETS)
    vpc.add_gateway_endpoint(
        "Mine",
        service=ec2.GatewayVpcEndpointAwsService.S3,
        subnets=[ec2.SubnetSelection(subnet_group_name="Data")],
    )
    Template.from_stack(stack).resource_count_is("AWS::EC2::VPCEndpoint", 2)


def imported_vpc(stack: Any, **route_tables: Any) -> ec2.IVpc:
    return ec2.Vpc.from_vpc_attributes(
        stack,
        "Imported",
        vpc_id="vpc-0123456789abcdef0",
        availability_zones=["us-east-1a", "us-east-1b"],
        isolated_subnet_ids=["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"],
        **route_tables,
    )


def test_imported_vpc_warns_naming_the_subnets_and_adds_nothing() -> None:
    stack = new_stack(env=TEST_ENV)
    net = JobNetwork(stack, "Net", existing_vpc=imported_vpc(stack))
    annotations = Annotations.from_stack(stack)
    (warning,) = annotations.find_warning(
        "/TestStack/Net", Match.string_like_regexp("comprehend-jobs:s3-route")
    )
    message = str(warning.entry.data)
    assert "subnet-0aaaaaaaaaaaaaaaa, subnet-0bbbbbbbbbbbbbbbb" in message
    assert "S3 gateway endpoint or a default route through a NAT gateway" in message
    assert "s3_gateway_endpoint=True" in message
    Template.from_stack(stack).resource_count_is("AWS::EC2::VPCEndpoint", 0)
    assert net.s3_endpoint is None


def test_imported_vpc_with_s3_gateway_endpoint_false_does_not_warn() -> None:
    stack = new_stack(env=TEST_ENV)
    JobNetwork(stack, "Net", existing_vpc=imported_vpc(stack), s3_gateway_endpoint=False)
    assert (
        Annotations.from_stack(stack).find_warning(
            "/TestStack/Net", Match.string_like_regexp("comprehend-jobs:s3-route")
        )
        == []
    )


def test_imported_vpc_with_route_tables_and_true_gets_an_endpoint() -> None:
    stack = new_stack(env=TEST_ENV)
    vpc = imported_vpc(
        stack, isolated_subnet_route_table_ids=["rtb-0aaaaaaaaaaaaaaaa", "rtb-0bbbbbbbbbbbbbbbb"]
    )
    JobNetwork(stack, "Net", existing_vpc=vpc, s3_gateway_endpoint=True)
    (endpoint,) = resources(Template.from_stack(stack), "AWS::EC2::VPCEndpoint")
    assert endpoint["RouteTableIds"] == ["rtb-0aaaaaaaaaaaaaaaa", "rtb-0bbbbbbbbbbbbbbbb"]
    assert endpoint["VpcId"] == "vpc-0123456789abcdef0"
    assert (
        Annotations.from_stack(stack).find_warning(
            "/TestStack/Net", Match.string_like_regexp("comprehend-jobs:s3-route")
        )
        == []
    )


def test_created_vpc_template_keeps_its_one_endpoint() -> None:
    stack = new_stack()
    net = JobNetwork(stack, "Net")
    (logical_id,) = Template.from_stack(stack).find_resources("AWS::EC2::VPCEndpoint")
    assert logical_id == "NetVpcS3F715FCE7"
    assert net.s3_endpoint is not None


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
        (
            lambda s: {"existing_vpc": existing_vpc(s), "s3_gateway_endpoint": "false"},
            "s3_gateway_endpoint",
        ),
        (lambda s: {"s3_gateway_endpoint": True}, "s3_gateway_endpoint"),
        (lambda s: {"s3_gateway_endpoint": False}, "s3_gateway_endpoint"),
        (
            lambda s: {"existing_vpc": imported_vpc(s), "s3_gateway_endpoint": True},
            "s3_gateway_endpoint",
        ),
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
