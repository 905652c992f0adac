"""JobNetwork: the VPC, subnets and security groups a Comprehend job runs in.

Default: a VPC with private isolated subnets in 2 AZs, no NAT gateway and no interface
endpoint (no idle cost beyond the flow-log key), an S3 gateway endpoint (free) so the job
reaches its buckets, VPC flow logs (all traffic) into a KMS-encrypted CloudWatch log group
kept one year, the default security group's rules removed, and one security group for
the jobs.

The job security group:

* ingress from itself on every TCP and UDP port: Comprehend's distributed jobs talk
  between their containers and the service documents no ports, so a port list would be a
  guess that breaks jobs; the only peer is the group itself, never an address range.
  TCP and UDP are named rather than "all traffic" (protocol -1), which the HIPAA, NIST
  and PCI packs reject whatever the source (EC2RestrictedCommonPorts); ICMP is not open;
* egress to itself (the other side of that rule) on the same ports, and TCP 443 to S3. With
  ``s3_prefix_list_id=`` (the Region's ``com.amazonaws.<region>.s3`` prefix list) the
  443 rule names exactly S3; CloudFormation cannot look that ID up, so without it the
  rule is 443 to 0.0.0.0/0, which in the default VPC reaches nothing but S3: the isolated
  subnets' only route out is the S3 gateway endpoint (no NAT, no internet gateway).

Bring your own: ``existing_vpc=`` with optional ``subnet_selection=`` (default: the VPC's
private isolated subnets, else its private subnets; never public ones) and
``security_groups=`` (default: one job security group is created in that VPC). The API
accepts 1-16 subnets and 1-5 security groups.

A job in subnets without a route to S3 cannot read its input (Developer Guide, Using
VPC): their route tables need an S3 gateway endpoint or a default route through a NAT
gateway. ``s3_gateway_endpoint=`` decides what this construct does about a brought VPC:

* ``None`` (default, auto): for a VPC defined in the same app (an ``ec2.Vpc``, whose
  route tables are in the construct tree), one S3 gateway endpoint is added on the route
  tables of exactly those job subnets that have neither an S3 gateway endpoint (any
  ``AWS::EC2::VPCEndpoint`` of the app for S3, type Gateway) nor a ``0.0.0.0/0`` route
  through a NAT gateway or an internet gateway. For subnets whose routes are unknowable at
  synth (an imported VPC or imported subnets) a warning ``comprehend-jobs:s3-route``
  names them;
* ``False``: never adds an endpoint (the VPC's owner routes S3);
* ``True``: adds one on every job subnet's route table that lacks an S3 gateway endpoint
  (NAT routes notwithstanding), also for imported subnets given with route table IDs.

CloudFormation rejects a second S3 gateway endpoint on a route table (duplicate
prefix-list route), so an endpoint the user adds to the same route tables after this
construct made one fails synth with a message naming them.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Sequence
from typing import Any

import jsii
from aws_cdk import Annotations, RemovalPolicy, Stack, Token
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct, IValidation

from comprehend_jobs._private import api_model
from comprehend_jobs._private.validation import Problems, bool_fix, construct_label
from comprehend_jobs.compliance.checkov import DEPLOY_TIME_FUNCTION, skip_checks_under

__all__ = [
    "S3_ROUTE_WARNING",
    "JobNetwork",
]

#: What Comprehend's VpcConfig accepts (its list shapes' maximums in the API model).
_MAX_SUBNETS: int = api_model.shape_metadata(api_model.member_shape("VpcConfig", "Subnets"))["max"]
_MAX_SECURITY_GROUPS: int = api_model.shape_metadata(
    api_model.member_shape("VpcConfig", "SecurityGroupIds")
)["max"]
#: The warning for job subnets whose route to S3 cannot be checked at synth.
S3_ROUTE_WARNING = "comprehend-jobs:s3-route"
#: An S3 service name written out (``com.amazonaws.<region>.s3``).
_S3_SERVICE_NAME = re.compile(r"^(?:cn\.)?com\.amazonaws\.[a-z0-9-]+\.s3$")


def _is_vpc(value: object) -> bool:
    return hasattr(value, "vpc_id") and hasattr(value, "select_subnets")


def _is_security_group(value: object) -> bool:
    return hasattr(value, "security_group_id") and hasattr(value, "connections")


class JobNetwork(Construct):
    """Where Comprehend jobs run: a VPC, the subnets and the security groups (an
    ``IJobNetwork``). For subnets and security groups picked by ID, without the VPC, use
    ``JobNetwork.from_ids``.

    :param existing_vpc: run jobs in this VPC. Default: None (a VPC is created).
    :param subnet_selection: which subnets of ``existing_vpc``. Default: None (its private
        isolated subnets, else its private subnets). Only with ``existing_vpc``.
    :param security_groups: the jobs' security groups (1-5). Default: None (one is
        created). Only with ``existing_vpc`` (a group belongs to one VPC).
    :param max_azs: AZs of the created VPC. Default: None (2).
    :param cidr: the created VPC's IPv4 range, /16 to /24. Default: None
        (``"10.0.0.0/16"``).
    :param s3_prefix_list_id: the S3 managed prefix list (``pl-...``) the created
        security group's HTTPS egress is limited to. Default: None (443 to 0.0.0.0/0,
        see the module doc). Not with ``security_groups``.
    :param flow_log_retention: how long flow logs are kept. Default: None (one year).
    :param flow_log_key: encrypts the flow-log group; its key policy must allow the
        CloudWatch Logs service. Default: None (a key is created, rotation on).
    :param removal_policy: of the flow-log group and key. Default: None (RETAIN).
    :param s3_gateway_endpoint: whether to give the job subnets of ``existing_vpc`` a
        route to S3 through an S3 gateway endpoint (free). Default: None (auto: added on
        the route tables of the job subnets of a same-app ``ec2.Vpc`` that have neither
        an S3 gateway endpoint nor a NAT or internet gateway default route; a synth
        warning for subnets whose routes are unknowable, such as an imported VPC's).
        ``False``: never added. ``True``: added on every job subnet's route table that
        has no S3 gateway endpoint yet (the subnets need known route table IDs). Only
        with ``existing_vpc`` (the created VPC always has its own endpoint).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        existing_vpc: ec2.IVpc | None = None,
        subnet_selection: ec2.SubnetSelection | None = None,
        security_groups: list[ec2.ISecurityGroup] | None = None,
        max_azs: int | None = None,
        cidr: str | None = None,
        s3_prefix_list_id: str | None = None,
        flow_log_retention: logs.RetentionDays | None = None,
        flow_log_key: kms.IKey | None = None,
        removal_policy: RemovalPolicy | None = None,
        s3_gateway_endpoint: bool | None = None,
    ) -> None:
        problems = Problems(lambda: construct_label("JobNetwork", scope, construct_id))
        if s3_gateway_endpoint is not None and not isinstance(s3_gateway_endpoint, bool):
            problems.add(
                "s3_gateway_endpoint",
                s3_gateway_endpoint,
                "True, False or None (auto); a string such as 'false' is not a bool",
                bool_fix("s3_gateway_endpoint", s3_gateway_endpoint)
                + ", or omit it for the automatic choice",
            )
            s3_gateway_endpoint = None
        # Subnets and groups given as objects, no VPC: what the console picks by ID.
        by_ids = (
            existing_vpc is None
            and subnet_selection is not None
            and bool(getattr(subnet_selection, "subnets", None))
            and security_groups is not None
        )
        if s3_gateway_endpoint is not None and existing_vpc is None and not by_ids:
            problems.add(
                "s3_gateway_endpoint",
                s3_gateway_endpoint,
                "s3_gateway_endpoint decides about the routes of an existing_vpc; the VPC "
                "this construct creates always has its own S3 gateway endpoint",
                "drop s3_gateway_endpoint, or pass existing_vpc too",
            )
        subnets: list[ec2.ISubnet] | None = None
        if existing_vpc is not None:
            if not _is_vpc(existing_vpc):
                problems.add("existing_vpc", existing_vpc, "an ec2.IVpc", "pass an ec2.IVpc")
            for prop, value in (
                ("max_azs", max_azs),
                ("cidr", cidr),
                ("flow_log_retention", flow_log_retention),
                ("flow_log_key", flow_log_key),
                ("removal_policy", removal_policy),
            ):
                if value is not None:
                    problems.add(
                        prop,
                        value,
                        f"{prop} configures the VPC this construct creates; it creates none "
                        "when existing_vpc is given",
                        f"drop {prop}, or drop existing_vpc",
                    )
            if _is_vpc(existing_vpc):
                subnets = self._select(problems, existing_vpc, subnet_selection)
            if s3_gateway_endpoint is True and subnets:
                without = [s.subnet_id for s in subnets if _route_table_id(s) is None]
                if without:
                    problems.add(
                        "s3_gateway_endpoint",
                        s3_gateway_endpoint,
                        "True adds an S3 gateway endpoint on the job subnets' route "
                        f"tables, and these subnets have no known route table: {without}",
                        "import the VPC with *_subnet_route_table_ids=[...] (or the subnets "
                        "with route_table_id=...), or omit s3_gateway_endpoint",
                    )
        elif by_ids:
            assert subnet_selection is not None and subnet_selection.subnets is not None
            subnets = list(subnet_selection.subnets)
            if s3_gateway_endpoint is True:
                problems.add(
                    "s3_gateway_endpoint",
                    s3_gateway_endpoint,
                    "True adds an S3 gateway endpoint to the jobs' VPC, and only subnets "
                    "were given",
                    "pass existing_vpc (with its subnets' route table IDs), or omit "
                    "s3_gateway_endpoint",
                )
            if not 1 <= len(subnets) <= _MAX_SUBNETS:
                problems.add(
                    "subnet_selection",
                    [s.subnet_id for s in subnets],
                    f"1 to {_MAX_SUBNETS} subnets (Comprehend VpcConfig)",
                    "pass fewer subnets",
                )
        else:
            for other_prop, other in (
                ("subnet_selection", subnet_selection),
                ("security_groups", security_groups),
            ):
                if other is not None:
                    problems.add(
                        other_prop,
                        other,
                        f"{other_prop} needs existing_vpc (the created VPC has exactly "
                        "the subnets and security group this construct makes)",
                        f"pass existing_vpc too, or drop {other_prop}",
                    )
            if cidr is not None and not Token.is_unresolved(cidr):
                try:
                    network = ipaddress.IPv4Network(cidr, strict=True)
                    if not 16 <= network.prefixlen <= 24:
                        raise ValueError("size")
                except ValueError:
                    problems.add(
                        "cidr",
                        cidr,
                        "an IPv4 network in CIDR notation from /16 to /24 (it is split evenly "
                        "between the AZs), e.g. '10.0.0.0/16'",
                        "pass a network address such as '10.20.0.0/16'",
                    )
            if max_azs is not None and not 1 <= max_azs <= _MAX_SUBNETS:
                problems.add("max_azs", max_azs, f"1 to {_MAX_SUBNETS}", "use 2 (the default) or 3")
        if security_groups is not None:
            if not isinstance(security_groups, list | tuple) or not all(
                _is_security_group(g) for g in security_groups
            ):
                problems.add(
                    "security_groups",
                    security_groups,
                    "a list of ec2.ISecurityGroup",
                    "pass [ec2.SecurityGroup.from_security_group_id(...)]",
                )
            elif not 1 <= len(security_groups) <= _MAX_SECURITY_GROUPS:
                problems.add(
                    "security_groups",
                    [g.security_group_id for g in security_groups],
                    f"1 to {_MAX_SECURITY_GROUPS} security groups (Comprehend VpcConfig)",
                    "pass at most 5 groups, or omit security_groups to get one created",
                )
            if s3_prefix_list_id is not None:
                problems.add(
                    "s3_prefix_list_id",
                    s3_prefix_list_id,
                    "s3_prefix_list_id shapes the security group this construct creates; "
                    "none is created when security_groups is given",
                    "drop s3_prefix_list_id and add the rule to your own group",
                )
        if (
            s3_prefix_list_id is not None
            and not Token.is_unresolved(s3_prefix_list_id)
            and not (s3_prefix_list_id.startswith("pl-") and s3_prefix_list_id[3:].isalnum())
        ):
            problems.add(
                "s3_prefix_list_id",
                s3_prefix_list_id,
                "a managed prefix list ID such as 'pl-63a5400a'",
                "aws ec2 describe-managed-prefix-lists --filters "
                "Name=prefix-list-name,Values=com.amazonaws.<region>.s3",
            )
        problems.raise_if_any()

        super().__init__(scope, construct_id)
        self.flow_log_group: logs.LogGroup | None = None
        vpc: ec2.IVpc | None
        if by_ids:
            vpc = None
        elif existing_vpc is None:
            created_vpc = self._create_vpc(
                max_azs or 2,
                cidr or "10.0.0.0/16",
                flow_log_retention or logs.RetentionDays.ONE_YEAR,
                flow_log_key,
                removal_policy or RemovalPolicy.RETAIN,
            )
            subnets = list(created_vpc.isolated_subnets)
            vpc = created_vpc
        else:
            vpc = existing_vpc
        #: The jobs' VPC; None when only subnets and security groups were given.
        self.vpc: ec2.IVpc | None = vpc
        self.subnets: list[ec2.ISubnet] = list(subnets or [])
        self.security_group: ec2.SecurityGroup | None = None
        if security_groups is None:
            self.security_group = self._job_security_group(s3_prefix_list_id)
            security_groups = [self.security_group]
        self.security_groups: list[ec2.ISecurityGroup] = list(security_groups)
        #: The S3 gateway endpoint this construct made: the created VPC's, or the one
        #: added to ``existing_vpc`` for job subnets without a route to S3; else None.
        self.s3_endpoint: ec2.IGatewayVpcEndpoint | None = None
        if existing_vpc is None and vpc is not None:
            found = vpc.node.try_find_child("S3")
            if isinstance(found, ec2.GatewayVpcEndpoint):
                self.s3_endpoint = found
        elif s3_gateway_endpoint is not False:
            self._route_to_s3(force=s3_gateway_endpoint is True)

    def _route_to_s3(self, *, force: bool) -> None:
        """Add one S3 gateway endpoint on the job subnets' route tables that lack a route
        to S3 (see the module doc); warn about subnets whose routes are unknowable."""
        in_app = isinstance(self.vpc, ec2.Vpc)
        checkable: list[ec2.ISubnet] = []
        unknowable: list[ec2.ISubnet] = []
        for subnet in self.subnets:
            if (in_app and isinstance(subnet, ec2.Subnet)) or (
                force and _route_table_id(subnet) is not None
            ):
                checkable.append(subnet)
            else:
                unknowable.append(subnet)
        if unknowable and not force:
            ids = ", ".join(str(s.subnet_id) for s in unknowable)
            Annotations.of(self).add_warning_v2(
                S3_ROUTE_WARNING,
                f"Comprehend jobs in subnets {ids} need a route to S3 to read their input "
                "and write their results, and their routes cannot be checked at synth (the "
                "VPC or subnets are imported). Fix: make sure their route tables have an S3 "
                "gateway endpoint or a default route through a NAT gateway, or pass "
                "s3_gateway_endpoint=True (with the subnets' route table IDs) to add an "
                "endpoint, or s3_gateway_endpoint=False once their routes are known good.",
            )
        if not checkable or self.vpc is None:
            return
        routes = _S3Routes.scan(self.vpc)
        uncovered = [
            s
            for s in checkable
            if not routes.has_endpoint(_route_table_id(s))
            and (force or not routes.has_default_route(_route_table_id(s)))
        ]
        if not uncovered:
            return
        endpoint = ec2.GatewayVpcEndpoint(
            self,
            "S3Endpoint",
            vpc=self.vpc,
            service=ec2.GatewayVpcEndpointAwsService.S3,
            subnets=[ec2.SubnetSelection(subnets=uncovered)],
        )
        self.s3_endpoint = endpoint
        self.node.add_validation(_OneS3EndpointPerRouteTable(self, endpoint, uncovered))

    @staticmethod
    def _select(
        problems: Problems, vpc: ec2.IVpc, selection: ec2.SubnetSelection | None
    ) -> list[ec2.ISubnet] | None:
        try:
            if selection is None:
                kind = (
                    ec2.SubnetType.PRIVATE_ISOLATED
                    if vpc.isolated_subnets
                    else ec2.SubnetType.PRIVATE_WITH_EGRESS
                )
                selected = vpc.select_subnets(subnet_type=kind)
            else:
                selected = vpc.select_subnets(
                    availability_zones=selection.availability_zones,
                    one_per_az=selection.one_per_az,
                    subnet_filters=selection.subnet_filters,
                    subnet_group_name=selection.subnet_group_name,
                    subnets=selection.subnets,
                    subnet_type=selection.subnet_type,
                )
        except Exception as exc:  # jsii raises RuntimeError with CDK's own message
            problems.add(
                "subnet_selection",
                selection,
                f"a selection that matches subnets of the VPC ({exc})",
                "pass subnet_selection=ec2.SubnetSelection(subnets=[...]) or create "
                "private subnets in the VPC",
            )
            return None
        subnets = list(selected.subnets)
        if not Token.is_unresolved(selected.subnet_ids) and not (1 <= len(subnets) <= _MAX_SUBNETS):
            problems.add(
                "subnet_selection",
                [s.subnet_id for s in subnets],
                f"1 to {_MAX_SUBNETS} subnets (Comprehend VpcConfig)",
                "narrow the selection (e.g. one_per_az=True) or add private subnets",
            )
        if selected.has_public:
            problems.add(
                "subnet_selection",
                selection,
                "private or isolated subnets only (jobs need no public addresses, and "
                "public subnets would give them a route to the internet)",
                "select PRIVATE_ISOLATED or PRIVATE_WITH_EGRESS subnets",
            )
        return subnets

    def _create_vpc(
        self,
        max_azs: int,
        cidr: str,
        retention: logs.RetentionDays,
        key: kms.IKey | None,
        policy: RemovalPolicy,
    ) -> ec2.Vpc:
        stack = Stack.of(self)
        vpc = ec2.Vpc(
            self,
            "Vpc",
            ip_addresses=ec2.IpAddresses.cidr(cidr),
            max_azs=max_azs,
            nat_gateways=0,
            subnet_configuration=[
                # No cidr_mask: the VPC range is split evenly between the AZs.
                ec2.SubnetConfiguration(name="Jobs", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)
            ],
            gateway_endpoints={
                "S3": ec2.GatewayVpcEndpointOptions(service=ec2.GatewayVpcEndpointAwsService.S3)
            },
            restrict_default_security_group=True,
        )
        # The provider aws-cdk-lib adds for restrict_default_security_group is made of
        # plain CfnResources, which the packs do not inspect: nothing to acknowledge.
        # checkov does inspect its function, a deploy-time one like the job handler's.
        restrict_provider = stack.node.try_find_child(
            "Custom::VpcRestrictDefaultSGCustomResourceProvider"
        )
        if restrict_provider is not None:
            skip_checks_under(restrict_provider, "AWS::Lambda::Function", DEPLOY_TIME_FUNCTION)

        if key is None:
            created_key = kms.Key(
                self,
                "FlowLogKey",
                description="comprehend-jobs: VPC flow logs",
                enable_key_rotation=True,
                removal_policy=policy,
            )
            created_key.add_to_resource_policy(
                iam.PolicyStatement(
                    sid="AllowCloudWatchLogsOfThisAccount",
                    principals=[iam.ServicePrincipal(f"logs.{stack.region}.{stack.url_suffix}")],
                    actions=[
                        "kms:Decrypt",
                        "kms:DescribeKey",
                        "kms:Encrypt",
                        "kms:GenerateDataKey*",
                        "kms:ReEncrypt*",
                    ],
                    resources=["*"],
                    conditions={
                        "ArnLike": {
                            "kms:EncryptionContext:aws:logs:arn": (
                                f"arn:{stack.partition}:logs:{stack.region}:{stack.account}"
                                ":log-group:*"
                            )
                        }
                    },
                )
            )
            key = created_key
        group = logs.LogGroup(
            self,
            "FlowLogGroup",
            encryption_key=key,
            retention=retention,
            removal_policy=policy,
        )
        self.flow_log_group = group
        role = iam.Role(
            self,
            "FlowLogRole",
            assumed_by=iam.ServicePrincipal(
                "vpc-flow-logs.amazonaws.com",
                conditions={
                    "StringEquals": {"aws:SourceAccount": stack.account},
                    "ArnLike": {
                        "aws:SourceArn": (
                            f"arn:{stack.partition}:ec2:{stack.region}:{stack.account}"
                            ":vpc-flow-log/*"
                        )
                    },
                },
            ),
            description="comprehend-jobs: delivers VPC flow logs to CloudWatch Logs",
        )
        # A managed policy, not the role's default (inline) policy: HIPAA, NIST and PCI
        # packs reject inline policies.
        policy_doc = iam.ManagedPolicy(
            self,
            "FlowLogPolicy",
            roles=[role],
            statements=[
                iam.PolicyStatement(
                    actions=[
                        "logs:CreateLogStream",
                        "logs:DescribeLogStreams",
                        "logs:PutLogEvents",
                    ],
                    resources=[group.log_group_arn],
                )
            ],
        )
        flow_log = ec2.CfnFlowLog(
            self,
            "FlowLog",
            resource_id=vpc.vpc_id,
            resource_type="VPC",
            traffic_type="ALL",
            log_destination_type="cloud-watch-logs",
            log_group_name=group.log_group_name,
            deliver_logs_permission_arn=role.role_arn,
        )
        flow_log.node.add_dependency(policy_doc)
        return vpc

    def _job_security_group(self, s3_prefix_list_id: str | None) -> ec2.SecurityGroup:
        assert self.vpc is not None, "a job security group is made only in a known VPC"
        group = ec2.SecurityGroup(
            self,
            "JobSecurityGroup",
            vpc=self.vpc,
            allow_all_outbound=False,
            description="Comprehend jobs: traffic within the group, HTTPS to S3",
        )
        # Explicit protocols (TCP and UDP, every port) rather than "all traffic": the
        # packs reject protocol -1 whatever the source; the peer is only the group itself.
        for port in (ec2.Port.all_tcp(), ec2.Port.all_udp()):
            group.add_ingress_rule(group, port, "Comprehend distributed job containers")
            group.add_egress_rule(group, port, "Comprehend distributed job containers")
        peer = ec2.Peer.prefix_list(s3_prefix_list_id) if s3_prefix_list_id else ec2.Peer.any_ipv4()
        group.add_egress_rule(peer, ec2.Port.tcp(443), "HTTPS to Amazon S3")
        if s3_prefix_list_id:
            # Every egress rule is now a separate resource, and a group with no inline
            # egress rule gets EC2's default allow-all egress: keep one inline rule that
            # matches no traffic (the same rule aws-cdk-lib uses for that purpose).
            cfn = group.node.default_child
            assert isinstance(cfn, ec2.CfnSecurityGroup)
            cfn.add_property_override(
                "SecurityGroupEgress",
                [
                    {
                        "CidrIp": "255.255.255.255/32",
                        "Description": "Disallow all traffic",
                        "FromPort": 252,
                        "IpProtocol": "icmp",
                        "ToPort": 86,
                    }
                ],
            )
        return group

    @classmethod
    def from_ids(
        cls,
        scope: Construct,
        construct_id: str,
        *,
        subnet_ids: Sequence[str],
        security_group_ids: Sequence[str],
        s3_gateway_endpoint: bool | None = None,
    ) -> JobNetwork:
        """The subnets and security groups the console picks, by ID: no VPC object needed.

        The IDs are checked against the API's ``VpcConfig`` (1-16 subnets, 1-5 groups, IDs
        of ``[-0-9a-zA-Z]``, botocore's model) before anything is created. Their routes
        cannot be seen at synth: unless ``s3_gateway_endpoint=False`` (you vouch for
        them), a synth warning names the subnets, which need an S3 gateway endpoint or a
        NAT route (see "What a VPC must provide" in the README).

        :param subnet_ids: the job's subnets, e.g. ``["subnet-0a1b2c3d4e5f67890"]``.
        :param security_group_ids: the job's security groups, e.g. ``["sg-0a1b2c3d"]``.
        :param s3_gateway_endpoint: False: the subnets' routes to S3 are known good (no
            warning). Default: None (warn). True is not possible without the VPC.
        """
        problems = Problems(lambda: construct_label("JobNetwork.from_ids", scope, construct_id))
        for prop, ids, shape in (
            ("subnet_ids", subnet_ids, "Subnets"),
            ("security_group_ids", security_group_ids, "SecurityGroupIds"),
        ):
            _check_id_list(problems, prop, ids, shape)
        if s3_gateway_endpoint is True:
            problems.add(
                "s3_gateway_endpoint",
                s3_gateway_endpoint,
                "True adds an S3 gateway endpoint to the jobs' VPC, and only subnets were given",
                "build the JobNetwork from existing_vpc (with its subnets' route table IDs), "
                "or omit s3_gateway_endpoint",
            )
        problems.raise_if_any()
        subnets = [
            ec2.Subnet.from_subnet_id(scope, f"{construct_id}Subnet{i + 1}", subnet_id)
            for i, subnet_id in enumerate(subnet_ids)
        ]
        for subnet in subnets:
            # aws-cdk-lib warns that an imported subnet's route table is unknown; the
            # question that matters here, its route to S3, has our own warning.
            Annotations.of(subnet).acknowledge_warning(
                "@aws-cdk/aws-ec2:noSubnetRouteTableId",
                "Comprehend needs only the subnet ID; its route to S3 is JobNetwork's warning",
            )
        groups = [
            ec2.SecurityGroup.from_security_group_id(
                scope, f"{construct_id}SecurityGroup{i + 1}", group_id, mutable=False
            )
            for i, group_id in enumerate(security_group_ids)
        ]
        try:
            return cls(
                scope,
                construct_id,
                subnet_selection=ec2.SubnetSelection(subnets=subnets),
                security_groups=groups,
                s3_gateway_endpoint=s3_gateway_endpoint,
            )
        except Exception:
            for imported in (*subnets, *groups):
                scope.node.try_remove_child(imported.node.id)
            raise

    # -- the interface the job constructs use ------------------------------------------

    @property
    def subnet_ids(self) -> list[str]:
        """The subnet IDs for VpcConfig.Subnets."""
        return [s.subnet_id for s in self.subnets]

    @property
    def security_group_ids(self) -> list[str]:
        """The security group IDs for VpcConfig.SecurityGroupIds."""
        return [g.security_group_id for g in self.security_groups]


# -- routes to S3 ----------------------------------------------------------------------


def _route_table_id(subnet: ec2.ISubnet) -> str | None:
    """The subnet's route table ID, or None when unknown (an imported subnet without it)."""
    try:
        route_table_id = subnet.route_table.route_table_id
    except Exception:  # jsii: an imported subnet's routeTableId is undefined
        return None
    return route_table_id or None


def _key(stack: Stack, value: Any) -> str:
    """A comparable form of a value that may hold tokens (resolved in ``stack``)."""
    return json.dumps(stack.resolve(value), sort_keys=True)


class _S3Routes:
    """The app's S3 gateway endpoints and default routes, by route table (resolved)."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        #: Route table key -> the S3 gateway endpoints (CfnVPCEndpoint) on it.
        self.endpoints: dict[str, list[ec2.CfnVPCEndpoint]] = {}
        #: Route tables with a 0.0.0.0/0 route through a NAT or internet gateway.
        self.default_routes: set[str] = set()

    @classmethod
    def scan(cls, vpc: ec2.IVpc) -> _S3Routes:
        """Every ``AWS::EC2::VPCEndpoint`` for S3 of type Gateway and every default route
        through a NAT or internet gateway in the app, compared in the VPC's stack."""
        stack = Stack.of(vpc)
        routes = cls(stack)
        s3_name = _key(stack, ec2.GatewayVpcEndpointAwsService.S3.name)
        for construct in vpc.node.root.node.find_all():
            if isinstance(construct, ec2.CfnVPCEndpoint):
                if construct.vpc_endpoint_type not in (None, "Gateway"):
                    continue
                name = stack.resolve(construct.service_name)
                if not (
                    _key(stack, name) == s3_name
                    or (isinstance(name, str) and _S3_SERVICE_NAME.match(name))
                ):
                    continue
                tables = stack.resolve(construct.route_table_ids)
                for table in tables if isinstance(tables, list) else []:
                    key = json.dumps(table, sort_keys=True)
                    routes.endpoints.setdefault(key, []).append(construct)
            elif (
                isinstance(construct, ec2.CfnRoute)
                and construct.destination_cidr_block == "0.0.0.0/0"
                and (construct.nat_gateway_id or construct.gateway_id)
            ):
                routes.default_routes.add(_key(stack, construct.route_table_id))
        return routes

    def has_endpoint(self, route_table_id: str | None) -> bool:
        """True when an S3 gateway endpoint is on the route table."""
        return _key(self.stack, route_table_id) in self.endpoints

    def has_default_route(self, route_table_id: str | None) -> bool:
        """True when the route table sends 0.0.0.0/0 to a NAT or internet gateway."""
        return _key(self.stack, route_table_id) in self.default_routes


def _route_table_name(key: str) -> str:
    """A route table as a reader knows it: its ID, or the logical ID of the one in the app."""
    value = json.loads(key)
    if isinstance(value, dict) and "Ref" in value:
        return str(value["Ref"])
    return value if isinstance(value, str) else key


@jsii.implements(IValidation)
class _OneS3EndpointPerRouteTable:
    """Fails synth when another S3 gateway endpoint shares a route table with the one
    JobNetwork added (CloudFormation would reject the duplicate prefix-list route)."""

    def __init__(
        self, owner: JobNetwork, endpoint: ec2.GatewayVpcEndpoint, subnets: list[ec2.ISubnet]
    ) -> None:
        self._owner = owner
        self._endpoint = endpoint
        self._subnets = subnets

    def validate(self) -> list[str]:
        # Only a JobNetwork with a VPC adds an endpoint (and this validation).
        assert self._owner.vpc is not None
        routes = _S3Routes.scan(self._owner.vpc)
        ours = self._endpoint.node.path
        shared: list[str] = []
        for subnet in self._subnets:
            key = _key(routes.stack, _route_table_id(subnet))
            others = [
                e for e in routes.endpoints.get(key, []) if not e.node.path.startswith(f"{ours}/")
            ]
            if others:
                shared.append(
                    f"{_route_table_name(key)} (subnet {subnet.node.path}; also "
                    f"{', '.join(e.node.path for e in others)})"
                )
        if not shared:
            return []
        return [
            f"JobNetwork {self._owner.node.path} added an S3 gateway endpoint for its job "
            "subnets, and another S3 gateway endpoint is on the same route tables: "
            f"{'; '.join(sorted(shared))}. CloudFormation rejects two S3 gateway endpoints "
            "on one route table (duplicate prefix-list route). Fix: pass "
            "s3_gateway_endpoint=False to the JobNetwork (the VPC's own endpoint routes S3), "
            "or remove the other endpoint."
        ]


def _check_id_list(problems: Problems, prop: str, ids: object, member: str) -> None:
    """Record a problem unless ``ids`` is a list of IDs ``VpcConfig.<member>`` accepts
    (its length limits and ID pattern, read from botocore's model)."""
    list_shape = api_model.member_shape("VpcConfig", member)
    item_shape = api_model.list_member_shape(list_shape)
    limits = api_model.shape_metadata(list_shape)
    low, high = limits.get("min", 1), limits.get("max")
    if isinstance(ids, str) or not isinstance(ids, list | tuple):
        problems.add(prop, ids, f"a list of {low}-{high} IDs", f"pass e.g. {prop}=[...]")
        return
    if not low <= len(ids) <= (high or len(ids)):
        problems.add(
            prop, list(ids), f"{low}-{high} IDs (Comprehend VpcConfig)", f"pass {low} to {high} IDs"
        )
    for value in ids:
        if not isinstance(value, str) or (
            not Token.is_unresolved(value) and not api_model.matches_shape(item_shape, value)
        ):
            pattern = api_model.shape_metadata(item_shape).get("pattern")
            problems.add(
                prop,
                value,
                f"IDs matching {pattern} (at most 32 characters)",
                "copy the IDs from the VPC console",
            )
