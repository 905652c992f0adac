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
"""

from __future__ import annotations

import ipaddress

from aws_cdk import RemovalPolicy, Stack, Token
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct

from comprehend_jobs.template_checks import DEPLOY_TIME_FUNCTION, skip_checks_under
from comprehend_jobs.validation import Problems

#: What Comprehend's VpcConfig accepts.
MAX_SUBNETS = 16
MAX_SECURITY_GROUPS = 5


def _is_vpc(value: object) -> bool:
    return hasattr(value, "vpc_id") and hasattr(value, "select_subnets")


def _is_security_group(value: object) -> bool:
    return hasattr(value, "security_group_id") and hasattr(value, "connections")


class JobNetwork(Construct):
    """Where Comprehend jobs run: a VPC, the subnets and the security groups.

    :param existing_vpc: run jobs in this VPC. Default: a VPC is created.
    :param subnet_selection: which subnets of ``existing_vpc``. Default: its private
        isolated subnets, else its private subnets. Only with ``existing_vpc``.
    :param security_groups: the jobs' security groups (1-5). Default: one is created.
        Only with ``existing_vpc`` (a group belongs to one VPC).
    :param max_azs: AZs of the created VPC. Default: 2.
    :param cidr: the created VPC's IPv4 range. Default: ``"10.0.0.0/16"``.
    :param s3_prefix_list_id: the S3 managed prefix list (``pl-...``) the created
        security group's HTTPS egress is limited to. Default: none (443 to 0.0.0.0/0,
        see the module doc). Not with ``security_groups``.
    :param flow_log_retention: how long flow logs are kept. Default: one year.
    :param flow_log_key: encrypts the flow-log group; its key policy must allow the
        CloudWatch Logs service. Default: a key is created (rotation on).
    :param removal_policy: of the flow-log group and key. Default: RETAIN.
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
    ) -> None:
        problems = Problems(f"JobNetwork({construct_id})")
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
            if max_azs is not None and not 1 <= max_azs <= MAX_SUBNETS:
                problems.add("max_azs", max_azs, f"1 to {MAX_SUBNETS}", "use 2 (the default) or 3")
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
            elif not 1 <= len(security_groups) <= MAX_SECURITY_GROUPS:
                problems.add(
                    "security_groups",
                    [g.security_group_id for g in security_groups],
                    f"1 to {MAX_SECURITY_GROUPS} security groups (Comprehend VpcConfig)",
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
        vpc: ec2.IVpc
        if existing_vpc is None:
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
        self.vpc: ec2.IVpc = vpc
        self.subnets: list[ec2.ISubnet] = list(subnets or [])
        self.security_group: ec2.SecurityGroup | None = None
        if security_groups is None:
            self.security_group = self._job_security_group(s3_prefix_list_id)
            security_groups = [self.security_group]
        self.security_groups: list[ec2.ISecurityGroup] = list(security_groups)

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
        if not Token.is_unresolved(selected.subnet_ids) and not (1 <= len(subnets) <= MAX_SUBNETS):
            problems.add(
                "subnet_selection",
                [s.subnet_id for s in subnets],
                f"1 to {MAX_SUBNETS} subnets (Comprehend VpcConfig)",
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

    # -- the interface the job constructs use ------------------------------------------

    @property
    def subnet_ids(self) -> list[str]:
        """The subnet IDs for VpcConfig.Subnets."""
        return [s.subnet_id for s in self.subnets]

    @property
    def security_group_ids(self) -> list[str]:
        """The security group IDs for VpcConfig.SecurityGroupIds."""
        return [g.security_group_id for g in self.security_groups]
