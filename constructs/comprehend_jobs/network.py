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

from collections.abc import Sequence

from aws_cdk import Annotations, RemovalPolicy, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct

from comprehend_jobs._private.handler_resources import log_key_statement
from comprehend_jobs._private.network_rules import (
    check_created_vpc,
    check_endpoint_without_vpc,
    check_existing_vpc,
    check_id_list,
    check_s3_gateway_endpoint_scope,
    check_s3_gateway_endpoint_type,
    check_s3_prefix_list_id,
    check_same_vpc,
    check_security_groups,
    check_subnets_by_ids,
    given_by_ids,
)
from comprehend_jobs._private.s3_routes import (
    S3_ROUTE_FIX_BY_IDS,
    S3_ROUTE_FIX_IMPORTED_VPC,
    OneS3EndpointPerRouteTable,
    S3Routes,
    route_table_id,
    s3_route_warning,
)
from comprehend_jobs._private.validation import Problems, construct_label
from comprehend_jobs.compliance.checkov import DEPLOY_TIME_FUNCTION, skip_checks_under
from comprehend_jobs.job_handler import LOG_KEY_POLICY_WARNING, JobHandler

__all__ = [
    "S3_ROUTE_WARNING",
    "JobNetwork",
]

#: The warning for job subnets whose route to S3 cannot be checked at synth.
S3_ROUTE_WARNING = "comprehend-jobs:s3-route"


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
    :param flow_log_key: encrypts the flow-log group; its key policy must let CloudWatch
        Logs of the stack's Region use it (``JobHandler.log_key_statement(stack)``). A
        ``kms.Key`` of the same app gets that statement here; an imported key's owner must
        add it, and a synth warning (``comprehend-jobs:log-key-policy``) says so. Default:
        None (a key is created, rotation on).
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
        problems.check_removal_policy(removal_policy)
        problems.check_key_object("flow_log_key", flow_log_key)
        problems.check_type(
            "flow_log_retention",
            flow_log_retention,
            logs.RetentionDays,
            "a logs.RetentionDays member, or None (one year)",
            "pass flow_log_retention=logs.RetentionDays.ONE_YEAR",
        )
        s3_gateway_endpoint = check_s3_gateway_endpoint_type(problems, s3_gateway_endpoint)
        # Subnets and groups given as objects, no VPC: what the console picks by ID.
        by_ids = given_by_ids(existing_vpc, subnet_selection, security_groups)
        check_s3_gateway_endpoint_scope(
            problems, s3_gateway_endpoint, existing_vpc=existing_vpc, by_ids=by_ids
        )
        subnets: list[ec2.ISubnet] | None = None
        if existing_vpc is not None:
            subnets = check_existing_vpc(
                problems,
                existing_vpc,
                subnet_selection=subnet_selection,
                s3_gateway_endpoint=s3_gateway_endpoint,
                max_azs=max_azs,
                cidr=cidr,
                flow_log_retention=flow_log_retention,
                flow_log_key=flow_log_key,
                removal_policy=removal_policy,
            )
        elif by_ids:
            subnets = check_subnets_by_ids(problems, subnet_selection, s3_gateway_endpoint)
        else:
            check_created_vpc(
                problems,
                subnet_selection=subnet_selection,
                security_groups=security_groups,
                cidr=cidr,
                max_azs=max_azs,
            )
        if security_groups is not None:
            check_security_groups(problems, security_groups, s3_prefix_list_id)
        check_same_vpc(problems, existing_vpc, subnets, security_groups)
        check_s3_prefix_list_id(problems, s3_prefix_list_id)
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
                force and route_table_id(subnet) is not None
            ):
                checkable.append(subnet)
            else:
                unknowable.append(subnet)
        if unknowable and not force:
            # The fix the caller has: from_ids has no VPC to add an endpoint to.
            fix = S3_ROUTE_FIX_BY_IDS if self.vpc is None else S3_ROUTE_FIX_IMPORTED_VPC
            Annotations.of(self).add_warning_v2(
                S3_ROUTE_WARNING,
                s3_route_warning([str(s.subnet_id) for s in unknowable], fix),
            )
        if not checkable or self.vpc is None:
            return
        routes = S3Routes.scan(self.vpc)
        uncovered = [
            s
            for s in checkable
            if not routes.has_endpoint(route_table_id(s))
            and (force or not routes.has_default_route(route_table_id(s)))
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
        self.node.add_validation(OneS3EndpointPerRouteTable(self, self.vpc, endpoint, uncovered))

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
        else:
            self._let_logs_use(stack, key)
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

    def _let_logs_use(self, stack: Stack, key: kms.IKey) -> None:
        """Without the log statement in a brought key's policy, CloudFormation fails to
        create the flow-log group. The stack's job handler already saw to its own log key
        (the pattern's network shares it); another key of this app gets the statement, and
        an imported key's owner is told to add it."""
        handler = stack.node.try_find_child(JobHandler.ID)
        if isinstance(handler, JobHandler) and handler.log_key is key:
            return
        if key.add_to_resource_policy(log_key_statement(stack)).statement_added:
            return
        Annotations.of(self).add_warning_v2(
            LOG_KEY_POLICY_WARNING,
            f"The flow-log key {key.node.path} is imported, so this stack cannot add to its "
            "key policy; unless the policy lets CloudWatch Logs use it, CloudFormation fails "
            "to create the flow-log group. Its owner must add the statement "
            "JobHandler.log_key_statement(stack) (Sid AllowCloudWatchLogsOfThisAccount: "
            "principal logs.<region>.<url suffix>, kms:Encrypt, kms:Decrypt, "
            "kms:ReEncrypt*, kms:GenerateDataKey* and kms:DescribeKey, for log groups of "
            "this account and Region) before the deployment.",
        )

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
            check_id_list(problems, prop, ids, shape)
        check_endpoint_without_vpc(problems, s3_gateway_endpoint)
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
